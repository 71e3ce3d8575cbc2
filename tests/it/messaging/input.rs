//! What a sender submits: bad input refused in French with nothing typed lost, and photos
//! that lose their EXIF on the way.

use super::{newest, send, u};
use crate::common::{TestServer, DIRECTOR_LOGIN};

#[tokio::test]
async fn bad_input_is_refused_in_french_and_nothing_typed_is_lost() {
    let (server, f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    let r = send(
        &mut paul,
        &[("to", &u(f.zoe)), ("subject", ""), ("body", "")],
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Donnez un objet"));
    assert!(r.body.contains("Le message est vide"));
    let r = send(
        &mut paul,
        &[("subject", "Sans destinataire"), ("body", "Texte gardé")],
    )
    .await;
    assert!(r.body.contains("Choisissez au moins un destinataire"));
    assert!(r.body.contains("Texte gardé"));
    // Too many recipients.
    paul.get("/messagerie/ecrire").await;
    let many: Vec<String> = (1..=60).map(u).collect();
    let mut fields: Vec<(&str, &str)> = many.iter().map(|v| ("to", v.as_str())).collect();
    fields.extend([
        ("subject", "Beaucoup"),
        ("body", "x"),
        ("action", "envoyer"),
    ]);
    let r = paul
        .post_multipart("/messagerie/ecrire", &fields, &[])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Trop de destinataires"));
    // A program disguised as a PDF, and an oversized file.
    paul.get("/messagerie/ecrire").await;
    let r = paul
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &u(f.zoe)),
                ("subject", "Fiche"),
                ("body", "Voici la fiche"),
                ("action", "envoyer"),
            ],
            &[("files", "fiche.pdf", b"MZ\x90\x00\x03\x00\x00\x00".to_vec())],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("n&#39;est pas d&#39;un type accepté")
            || r.body.contains("n'est pas d'un type accepté"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Voici la fiche"));
    paul.get("/messagerie/ecrire").await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(11 * 1024 * 1024, b' ');
    let r = paul
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &u(f.zoe)),
                ("subject", "Gros"),
                ("body", "Gros fichier"),
                ("action", "envoyer"),
            ],
            &[("files", "gros.pdf", big)],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("dépasse 10,0 Mo"),
        "{}",
        &r.body[..r.body.len().min(3000)]
    );
    let drafts = paul.get("/messagerie?dossier=brouillons").await;
    for s in ["Fiche", "Gros", "Beaucoup"] {
        assert!(drafts.body.contains(s), "draft {s} kept");
    }
    // No half file left behind.
    let tmp = server.dir.path().join("blobs/tmp");
    if tmp.exists() {
        assert_eq!(
            std::fs::read_dir(&tmp).unwrap().count(),
            0,
            "no temporary file left"
        );
    }
}

#[tokio::test]
async fn a_photo_sent_by_message_loses_its_exif() {
    let (server, f) = TestServer::school().await;
    let mut marc = server.signed_in("marc.petit").await;
    marc.get("/messagerie/ecrire").await;
    let r = marc
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &u(f.director)),
                ("subject", "Photo"),
                ("body", "La voici"),
                ("action", "envoyer"),
            ],
            &[("files", "photo.jpg", crate::media::phone_photo())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let id = newest(&mut director, "reception").await;
    let bytes = director
        .http
        .get(format!("{}/messagerie/{id}/pieces/0", director.base))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "still a JPEG");
    assert!(
        !bytes.windows(4).any(|w| w == b"Exif"),
        "no GPS position travels"
    );
}
