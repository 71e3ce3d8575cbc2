//! The year's memory opens offline: Paul's class's archive, downloaded and unzipped into a
//! folder, is read in Chromium by `file://` once the server is stopped — its index, then
//! an article whose photo is loaded from the archive itself; no request leaves the
//! folder. axe-core checks both pages.

use super::canteen::axe_clean;
use super::Driver;
use crate::archive::{class_year, download};
use crate::common::TestServer;

#[tokio::test]
async fn the_archive_of_a_class_opens_offline_with_its_pictures() {
    let (server, f) = TestServer::school().await;
    let year = class_year(&server, &f).await;
    let paul = server.signed_in("paul.durand").await;
    let (status, _, _, zip) = download(&paul, &format!("/classes/{}/memoire", f.cm)).await;
    assert_eq!(status, 200);
    let folder = tempfile::tempdir().unwrap();
    zip::ZipArchive::new(std::io::Cursor::new(zip))
        .unwrap()
        .extract(folder.path())
        .unwrap();
    let label = preau::directory::rollover::current_year(&server.store()).unwrap();
    let index = folder
        .path()
        .join(format!("memoire-cm1-cm2-{label}"))
        .join("index.html");
    assert!(index.exists(), "{}", index.display());
    // Nothing may come from the school any more.
    server.stop().await;

    let Some(d) = Driver::start().await else {
        return;
    };
    d.goto(&format!("file://{}", index.display())).await;
    d.wait_for("CM1-CM2 — année").await;
    axe_clean(&d, "index.html").await;
    d.click(&format!("a[href=\"blog/article-{}.html\"]", year.sortie))
        .await;
    d.wait_for("La sortie au musée</h1>").await;
    let mut loaded = serde_json::Value::Null;
    for _ in 0..50 {
        loaded = d
            .script(
                "const i = document.querySelector('main img'); \
                 return i ? {done: i.complete, width: i.naturalWidth, alt: i.alt, src: i.src} : null;",
            )
            .await;
        if loaded["done"] == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        loaded["width"].as_f64().unwrap_or(0.0) > 0.0,
        "the photo is loaded from the archive: {loaded}"
    );
    assert!(loaded["src"].as_str().unwrap().starts_with("file://"));
    assert!(loaded["alt"]
        .as_str()
        .unwrap()
        .contains("La sortie au musée"));
    let requests = d
        .script(
            "return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name));",
        )
        .await;
    for url in requests.as_array().unwrap() {
        assert!(
            url.as_str().unwrap().starts_with("file://"),
            "no network: {requests}"
        );
    }
    axe_clean(&d, "article").await;
    d.screenshot("memoire-article.png").await;
    d.quit().await;
}
