//! Getting in: the setup wizard, a parent's activation and a pupil's picture login.

use super::Driver;
use crate::common::{TestServer, DIRECTOR_PASSWORD};
use serde_json::json;

#[tokio::test]
async fn the_wizard_is_completed_in_chromium() {
    let server = TestServer::fresh().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.goto(&format!("{base}/")).await;
    d.wait_for("Bienvenue dans Préau").await;
    d.type_into("#f-code", &server.setup_code()).await;
    d.screenshot("wizard-code.png").await;
    d.click("button[type=submit]").await;

    d.wait_for("Nom de l'école").await;
    d.type_into("#f-name", "École des Tilleuls").await;
    d.type_into("#f-uai", "0350001L").await;
    d.type_into("#f-commune", "Rennes").await;
    d.click("#f-zone option[value=B]").await;
    d.click("button.primary").await;

    d.wait_for("Votre compte de direction").await;
    d.type_into("#f-first_name", "Claire").await;
    d.type_into("#f-last_name", "Martin").await;
    d.type_into("#f-login", "directrice").await;
    d.type_into("#f-password", DIRECTOR_PASSWORD).await;
    d.type_into("#f-password_confirm", DIRECTOR_PASSWORD).await;
    d.click("button.primary").await;

    d.wait_for("Ajouter une classe").await;
    d.type_into("#f-label", "CE1-CE2").await;
    d.click("#f-levels-CE1").await;
    d.click("#f-levels-CE2").await;
    d.click("#f-teacher option[value=director]").await;
    d.screenshot("wizard-classes.png").await;
    d.click("button[value=ajouter]").await;
    d.wait_for("Classes ajoutées").await;
    d.click("button[value=continuer]").await;

    d.wait_for("Les services de l'ENT").await;
    assert!(d
        .source()
        .await
        .contains("Les familles se connectent-elles depuis la maison ?"));
    super::canteen::axe_clean(&d, "/setup/services").await;
    d.click("button.primary").await; // keep the default services and the school network
    d.wait_for("Les élèves et leurs parents").await;
    d.click("a.button[href='/setup/recapitulatif']").await;
    d.wait_for("Terminer l'installation").await;
    d.click("button.primary").await;
    d.wait_for("Installation terminée").await;
    d.screenshot("wizard-done.png").await;
    d.click("a.button.primary").await;
    d.wait_for("Vue d'ensemble").await;
    assert!(d.source().await.contains("École des Tilleuls"));
    d.screenshot("admin.png").await;
    d.quit().await;
}

#[tokio::test]
async fn a_parent_activates_and_a_pupil_logs_in_with_pictures_in_chromium() {
    use preau::directory::{self, NewUser};
    use preau::policy::Profile;
    let server = TestServer::installed().await;
    let store = server.running.as_ref().unwrap().app.store.clone();
    let lou = directory::user_by_login(&store, "lou.petit")
        .unwrap()
        .unwrap();
    let nina = store
        .commit_checked_blocking(|tx| {
            let id = directory::create_user(
                tx,
                &NewUser {
                    login: "nina.roux".into(),
                    first_name: "Nina".into(),
                    last_name: "Roux".into(),
                    profile: Profile::Responsable,
                    functions: vec![],
                    email: None,
                    password_hash: None,
                    must_change_password: false,
                    created_at: 0,
                },
            )?;
            directory::link_parent(tx, id, lou.id)?;
            Ok(id)
        })
        .unwrap();
    let code = preau::activation::issue_codes(&store, &[nina], preau::auth::now_micros()).unwrap()
        [0]
    .1
    .clone();
    let seq = vec![4u8, 9, 1];
    let hash = preau::auth::password::hash_blocking(&preau::board::encode(&seq), 4).unwrap();
    store
        .commit_checked_blocking(|tx| {
            directory::save_pupil(
                tx,
                &lou,
                &directory::PupilRecord {
                    user_id: lou.id,
                    ine: None,
                    birth_date: "2019-06-05".into(),
                    sex: None,
                    level: None,
                    cycle: None,
                    onde_class_id: None,
                    photo_consent_declared: None,
                    leaving: None,
                    avatar: Some(12),
                    picture_hash: Some(hash.clone()),
                    card_token_hash: None,
                },
            )
        })
        .unwrap();
    let class = directory::classes_of(&store, lou.id).unwrap()[0];

    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.goto(&format!("{base}/activation?code={code}")).await;
    d.wait_for("Activer mon compte").await;
    d.click("button.primary").await;
    d.wait_for("Bonjour Nina").await;
    d.type_into("#f-password", "Chemin des écoliers 2026").await;
    d.type_into("#f-password_confirm", "Chemin des écoliers 2026")
        .await;
    d.click("#f-accept").await;
    d.screenshot("activation.png").await;
    d.click("button.primary").await;
    let home = d.wait_for("Mes enfants").await;
    assert!(
        home.contains("Votre compte est activé") && home.contains("lou"),
        "{home}"
    );
    d.screenshot("parent-home.png").await;

    // On the class tablet: log out, then the board.
    d.cmd(reqwest::Method::DELETE, "/cookie", json!(null)).await;
    d.goto(&format!("{base}/tableau")).await;
    d.wait_for("Choisis ta classe").await;
    d.click(&format!("a[href='/tableau/{class}']")).await;
    d.wait_for("qui es-tu").await;
    d.click(&format!("a[href='/tableau/{class}/{}']", lou.id))
        .await;
    d.wait_for("Touche tes 3 images").await;
    d.screenshot("board.png").await;
    for (i, n) in seq.iter().enumerate() {
        d.click(&format!("button.picture[value='{n}']")).await;
        if i + 1 < seq.len() {
            d.wait_for(&format!(
                "{} image{} sur 3",
                i + 1,
                if i > 0 { "s" } else { "" }
            ))
            .await;
        }
    }
    // The grid also greets the pupil: wait for what only the home page shows.
    let page = d.wait_for("Ma classe").await;
    assert!(page.contains("Bonjour lou"), "{page}");
    d.quit().await;
}
