//! « Accès depuis la maison » in Chromium on a phone: the console page and a refused
//! public name, each checked by axe-core (the wizard's services step, which asks the same
//! question, is checked in `onboarding`).

use serde_json::json;

use super::canteen::axe_clean;
use super::Driver;
use crate::common::{TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};

#[tokio::test]
async fn the_director_answers_the_home_access_question_on_a_phone() {
    let server = TestServer::installed().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 390, "height": 844}),
    )
    .await;
    d.sign_in(&base, DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    d.goto(&format!("{base}/admin/acces-maison")).await;
    d.wait_for("Les familles se connectent-elles depuis la maison ?")
        .await;
    assert!(d.source().await.contains("<strong>inconnu</strong>"));
    axe_clean(&d, "/admin/acces-maison").await;

    // A name that only exists at school is refused beside its field.
    d.click("#f-acces-nom-public").await;
    d.type_into("#f-nom_public", "ecole.local").await;
    d.click("button.primary").await;
    d.wait_for("n'existe que sur le réseau de l'école").await;
    axe_clean(&d, "/admin/acces-maison (refusé)").await;
    d.screenshot("acces-maison.png").await;
    d.quit().await;
}
