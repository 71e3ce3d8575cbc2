//! Messages sent, read and a mot signed; a photo going into the class space then into a
//! message, and a pupil recording her voice.

use std::time::Duration;

use super::Driver;
use crate::common::{TestServer, DIRECTOR_PASSWORD};

#[tokio::test]
async fn a_message_is_sent_and_read_and_a_mot_is_signed_in_chromium() {
    let (server, f) = TestServer::school().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    let parent_password = crate::common::FOLKS_PASSWORD;

    // The director writes to Marc from the messagerie.
    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!("{base}/messagerie/ecrire")).await;
    d.wait_for("Nouveau message").await;
    d.click(&format!("#f-to option[value='u{}']", f.marc)).await;
    d.type_into("#f-subject", "Piscine de jeudi").await;
    d.type_into("#f-body", "Pensez au **bonnet de bain**.")
        .await;
    d.screenshot("message-compose.png").await;
    d.click("button[value='envoyer']").await;
    d.wait_for("Message envoyé à 1 personne").await;

    // Marc sees the bell, opens the message.
    d.sign_in(&base, "marc.petit", parent_password).await;
    let home = d.wait_for("Notifications : 1 non lue").await;
    assert!(home.contains("Messagerie"));
    d.goto(&format!("{base}/messagerie")).await;
    d.wait_for("Piscine de jeudi").await;
    d.click("table.messages a").await;
    let page = d.wait_for("bonnet de bain").await;
    assert!(page.contains("<strong>bonnet de bain</strong>"));
    d.screenshot("message-read.png").await;

    // The director publishes a mot to the CP-CE1 families, with a question.
    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!("{base}/carnet/nouveau")).await;
    d.wait_for("Nouveau mot aux familles").await;
    d.click(&format!("#a-c{}", f.cp)).await;
    d.type_into("#f-title", "Sortie au musée").await;
    d.type_into("#f-body", "Nous irons au musée le 12 décembre.")
        .await;
    d.type_into("#f-question", "J'autorise mon enfant à participer.")
        .await;
    d.click("form button.primary[type='submit']:not(.link)")
        .await;
    let follow = d.wait_for("Suivi : Sortie au musée").await;
    assert!(follow.contains("<strong>0 / 2</strong>"));
    let id: u64 = {
        let marker = "/carnet/";
        let i = follow.find("/relancer").unwrap();
        let start = follow[..i].rfind(marker).unwrap() + marker.len();
        follow[start..i].parse().unwrap()
    };

    // Marc signs « Oui ».
    d.sign_in(&base, "marc.petit", parent_password).await;
    d.goto(&format!("{base}/carnet/{id}")).await;
    d.wait_for("J'ai pris connaissance").await;
    d.click(&format!("#oui-{}", f.lou)).await;
    d.click("section.panel form button.primary").await;
    d.wait_for("votre signature est enregistrée").await;
    d.screenshot("mot-signed.png").await;

    // The director sees the change.
    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!("{base}/carnet/{id}/suivi")).await;
    let table = d.wait_for("Suivi : Sortie au musée").await;
    assert!(table.contains("<strong>1 / 2</strong>"), "{table}");
    assert!(table.contains("Oui : <strong>1</strong>"));
    d.quit().await;
}

#[tokio::test]
async fn a_photo_goes_into_the_class_space_then_into_a_message_and_a_pupil_records_her_voice_in_chromium(
) {
    let (server, f) = TestServer::school().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    let photo = server.dir.path().join("sortie-ferme.png");
    let img = image::DynamicImage::new_rgb8(300, 200);
    img.save(&photo).unwrap();

    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!("{base}/mediatheque/espace/classe-{}", f.cp))
        .await;
    d.wait_for("Ajouter").await;
    d.type_into("#f-files", photo.to_str().unwrap()).await;
    d.click("form[enctype] button.primary").await;
    let page = d.wait_for("Ajouté : sortie-ferme.png").await;
    let marker = "href=\"/mediatheque/element/";
    let i = page.find(marker).unwrap() + marker.len();
    let id: String = page[i..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    d.screenshot("media-class.png").await;

    d.goto(&format!("{base}/messagerie/ecrire")).await;
    d.wait_for("Joindre depuis la médiathèque").await;
    d.click(&format!("#f-to option[value='u{}']", f.marc)).await;
    d.type_into("#f-subject", "Photos de la ferme").await;
    d.type_into("#f-body", "Voici une photo de la sortie.")
        .await;
    d.click("details.picker-media summary").await;
    d.click(&format!("#pick-{id}")).await;
    d.click("button[value='envoyer']").await;
    d.wait_for("Message envoyé à 1 personne").await;

    d.sign_in(&base, "marc.petit", crate::common::FOLKS_PASSWORD)
        .await;
    d.goto(&format!("{base}/messagerie")).await;
    d.wait_for("Photos de la ferme").await;
    d.click("table.messages a").await;
    let msg = d.wait_for("Voici une photo").await;
    assert!(msg.contains("sortie-ferme.png"), "the photo is attached");

    // Lou records herself in her space (a fake microphone in headless Chromium).
    d.sign_in(&base, "lou.petit", crate::common::FOLKS_PASSWORD)
        .await;
    d.goto(&format!("{base}/mediatheque/espace/perso")).await;
    d.wait_for("S'enregistrer").await;
    d.click("[data-rec=start]").await;
    d.wait_for("Enregistrement en cours").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    d.click("[data-rec=stop]").await;
    d.wait_for("Écoute ton enregistrement").await;
    d.click("[data-rec=save]").await;
    let page = d.wait_for("Ajouté : enregistrement").await;
    assert!(page.contains(">Son<"), "stored as a sound: {page}");
    d.screenshot("media-recording.png").await;
    d.quit().await;
}
