//! The ONDE import preview in Chromium: a school set up with the wizard's classes, given
//! ONDE files whose classes carry the teacher's name; the preview attaches them and shows
//! the figures to check. Screenshots in target/test-output/rentree/.

use serde_json::json;

use super::Driver;
use crate::common::{TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};

async fn save_screenshot(d: &Driver, name: &str) {
    use base64::Engine;
    let v = d
        .cmd(reqwest::Method::GET, "/screenshot", json!(null))
        .await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-output/rentree");
    std::fs::create_dir_all(&dir).unwrap();
    if let Some(b64) = v.as_str() {
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        std::fs::write(dir.join(name), png).unwrap();
    }
}

#[tokio::test]
async fn the_import_preview_attaches_the_classes_in_chromium() {
    let Some(d) = Driver::start().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    crate::rentree::install_rentree(dir.path());
    let server = TestServer::start_in(dir).await;
    let base = format!("https://127.0.0.1:{}", server.https.port());
    let files = tempfile::tempdir().unwrap();
    let eleves = files.path().join("eleves.csv");
    let responsables = files.path().join("responsables.csv");
    std::fs::write(&eleves, crate::rentree::PUPILS).unwrap();
    std::fs::write(&responsables, crate::rentree::GUARDIANS).unwrap();

    d.sign_in(&base, DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    d.goto(&format!("{base}/admin/import")).await;
    d.wait_for("Fichier des élèves").await;
    for (css, path) in [("#f-eleves", &eleves), ("#f-responsables", &responsables)] {
        let id = d.find(css).await;
        d.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            json!({"text": path.display().to_string()}),
        )
        .await;
    }
    d.click("#f-complet").await;
    d.click("button.primary").await;
    let page = d.wait_for("À vérifier sur vos listes").await;
    assert!(page.contains("GS-CP M. Lebrun"));
    assert!(page.contains("rattachée : mêmes niveaux"));
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 1000, "height": 2600}),
    )
    .await;
    save_screenshot(&d, "import-preview.png").await;
    d.click("#classes button[type=submit]").await;
    d.wait_for("Aperçu de l'import").await;
    d.quit().await;
}
