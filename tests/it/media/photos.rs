//! Photos served without their EXIF (upright, with a thumbnail, the original for its
//! owner), and the picker that puts a file into a message, within what one may read.

use super::{item_id, pdf, phone_photo, upload};
use crate::common::{TestServer, DIRECTOR_LOGIN};

#[tokio::test]
async fn photos_are_served_without_exif_and_go_into_messages() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let cp = format!("classe-{}", f.cp);
    let photo = phone_photo();
    let page = upload(&mut director, &cp, None, &[("sortie.jpg", photo.clone())]).await;
    let id = item_id(&page.body, "sortie.jpg");
    let mut lou = server.signed_in("lou.petit").await;
    let web = lou
        .http
        .get(format!("{}/mediatheque/fichier/{id}", lou.base))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(!web.windows(4).any(|w| w == b"Exif"), "no EXIF for others");
    let shown = image::load_from_memory(&web).unwrap();
    assert_eq!((shown.width(), shown.height()), (32, 64), "upright");
    let thumb = lou
        .http
        .get(format!(
            "{}/mediatheque/fichier/{id}?version=vignette",
            lou.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(thumb.status(), 200);
    assert_eq!(
        lou.get(&format!("/mediatheque/fichier/{id}?version=original"))
            .await
            .status,
        403,
        "the original is the owner's"
    );
    let original = director
        .http
        .get(format!(
            "{}/mediatheque/fichier/{id}?version=original",
            director.base
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(original.to_vec(), photo, "kept as sent");

    // The picker: the photo goes into a message to Marc, as its web version.
    let compose = director.get("/messagerie/ecrire").await;
    assert!(
        compose.body.contains("Joindre depuis la médiathèque")
            && compose.body.contains("sortie.jpg")
    );
    let r = director
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &format!("u{}", f.marc)),
                ("subject", "Photo de la sortie"),
                ("body", "La voici"),
                ("media", &id.to_string()),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut marc = server.signed_in("marc.petit").await;
    let inbox = marc.get("/messagerie").await.body;
    let marker = "href=\"/messagerie/";
    let msg: String = inbox
        .match_indices(marker)
        .map(|(i, _)| {
            inbox[i + marker.len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
        })
        .find(|id| !id.is_empty())
        .unwrap();
    let got = marc
        .http
        .get(format!("{}/messagerie/{msg}/pieces/0", marc.base))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().to_vec(), web.to_vec());
    // A file one cannot read cannot be attached, even by a crafted form.
    let mut lou2 = server.signed_in("lou.petit").await;
    let page = upload(&mut lou2, "perso", None, &[("secret.pdf", pdf(50))]).await;
    let secret = item_id(&page.body, "secret.pdf");
    director.get("/messagerie/ecrire").await;
    let r = director
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &format!("u{}", f.marc)),
                ("subject", "x"),
                ("body", "y"),
                ("media", &secret.to_string()),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("Vous n&#39;avez pas accès") || r.body.contains("Vous n'avez pas accès")
    );
}
