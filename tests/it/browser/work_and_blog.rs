//! Work given and handed in as a recording with the parent seeing the feedback; an article
//! proposed by a pupil, published by the teacher and commented by a parent.

use std::time::Duration;

use serde_json::json;

use super::Driver;
use crate::common::{TestServer, DIRECTOR_PASSWORD};

#[tokio::test]
async fn work_is_given_a_pupil_hands_in_a_recording_and_the_parent_sees_the_feedback_in_chromium() {
    let (server, f) = TestServer::school().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    let due = preau::ui::dates::date_value(preau::auth::now_micros() + 2 * 86_400_000_000);

    // The teacher gives work to hand in online.
    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!(
        "{base}/cahier-de-textes/nouveau?classe={}&type=travail",
        f.cp
    ))
    .await;
    d.wait_for("Donner du travail").await;
    d.type_into("#f-title", "Lis ta poésie").await;
    d.type_into("#f-day", &due.replace('-', "")).await;
    // Chromium's date field takes the digits in the locale's order; set it directly too.
    d.cmd(
        reqwest::Method::POST,
        "/execute/sync",
        json!({"script": "document.getElementById('f-day').value = arguments[0];", "args": [due]}),
    )
    .await;
    d.type_into("#f-body", "Enregistre-toi en lisant ta poésie.")
        .await;
    d.click("#f-online").await;
    d.click("form[enctype] button.primary[type=submit]").await;
    d.wait_for("Enregistré dans le cahier de textes").await;

    // Lou records herself and hands in.
    d.sign_in(&base, "lou.petit", crate::common::FOLKS_PASSWORD)
        .await;
    d.goto(&format!("{base}/devoirs")).await;
    d.wait_for("Lis ta poésie").await;
    d.click("table.list a").await;
    d.wait_for("Rendre mon travail").await;
    d.type_into("#f-text", "Voici ma lecture.").await;
    d.click("[data-rec=start]").await;
    d.wait_for("Enregistrement en cours").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    d.click("[data-rec=stop]").await;
    d.wait_for("Écoute ton enregistrement").await;
    d.click("[data-rec=save]").await;
    d.wait_for("il partira avec le formulaire").await;
    d.click("form[enctype] button.primary[type=submit]").await;
    let page = d.wait_for("Ton travail est rendu").await;
    assert!(
        page.contains("<audio") && page.contains("enregistrement"),
        "the recording is in the hand-in"
    );
    d.screenshot("homework-handed-in.png").await;

    // The teacher answers.
    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!("{base}/devoirs")).await;
    d.wait_for("Lis ta poésie").await;
    d.click("table.list a").await;
    d.wait_for("Rendus").await;
    d.click(&format!("a[href$='/eleve/{}']", f.lou)).await;
    d.wait_for("Mon retour").await;
    d.type_into("#f-text", "Très belle lecture, bravo !").await;
    d.click("button[value='corrige']").await;
    d.wait_for("Travail rendu corrigé").await;

    // Marc sees the status and the feedback.
    d.sign_in(&base, "marc.petit", crate::common::FOLKS_PASSWORD)
        .await;
    d.goto(&format!("{base}/devoirs")).await;
    let list = d.wait_for("Devoirs de").await;
    assert!(list.contains("Corrigé"), "{list}");
    d.click("table.list a").await;
    let page = d.wait_for("Très belle lecture").await;
    assert!(page.contains("Voici ma lecture.") && page.contains("<audio"));
    d.screenshot("homework-parent.png").await;
    d.quit().await;
}

#[tokio::test]
async fn a_pupil_proposes_an_article_with_a_picture_the_teacher_publishes_a_parent_comments_in_chromium(
) {
    let (server, f) = TestServer::school().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    let photo = server.dir.path().join("potager.png");
    image::DynamicImage::new_rgb8(320, 200)
        .save(&photo)
        .unwrap();

    d.sign_in(&base, "lou.petit", crate::common::FOLKS_PASSWORD)
        .await;
    d.goto(&format!("{base}/blog/classe-{}", f.cp)).await;
    d.wait_for("Écrire un article").await;
    d.click("a.button.big").await;
    d.wait_for("Mon article").await;
    d.type_into("#f-title", "Notre potager").await;
    d.type_into("#f-body", "Les radis ont poussé !").await;
    d.type_into("#f-files", photo.to_str().unwrap()).await;
    d.screenshot("blog-pupil-editor.png").await;
    d.click("button[value='proposer']").await;
    d.wait_for("proposé, en attente").await;

    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!("{base}/blog")).await;
    d.wait_for("Articles proposés par les élèves").await;
    d.click("section.panel ul a").await;
    d.wait_for("Les radis ont poussé").await;
    d.click("form[action$='/publier'] button").await;
    d.wait_for("Article publié").await;

    d.sign_in(&base, "marc.petit", crate::common::FOLKS_PASSWORD)
        .await;
    d.goto(&format!("{base}/blog/classe-{}", f.cp)).await;
    d.wait_for("Notre potager").await;
    d.click("article.post h2 a").await;
    d.wait_for("Les radis ont poussé").await;
    d.type_into("#f-comment", "Bravo les jardiniers !").await;
    d.click("section.comments button.primary").await;
    let page = d.wait_for("sera publié quand l").await;
    assert!(
        page.contains("Bravo les jardiniers") && page.contains("en attente de l'enseignant"),
        "the parent sees their comment held"
    );
    assert!(page.contains("/media/0"), "the picture is in the article");
    d.screenshot("blog-parent.png").await;
    d.quit().await;
}
