//! The médiathèque over HTTP: spaces and who opens them, uploads checked by content and
//! quota, Range requests, shares within the rules, trash and purge, images without EXIF,
//! and the picker that puts a file into a message.

use std::io::Cursor;

use crate::common::{Client, Page, TestServer, DIRECTOR_LOGIN};

/// Uploads files into a space (and folder) and returns the page it leads to.
pub(crate) async fn upload(
    c: &mut Client,
    space: &str,
    folder: Option<u64>,
    files: &[(&str, Vec<u8>)],
) -> Page {
    c.get(&format!("/mediatheque/espace/{space}")).await;
    let path = match folder {
        Some(f) => format!("/mediatheque/espace/{space}/envoyer?dossier={f}"),
        None => format!("/mediatheque/espace/{space}/envoyer"),
    };
    let files: Vec<(&str, &str, Vec<u8>)> = files
        .iter()
        .map(|(n, b)| ("files", *n, b.clone()))
        .collect();
    let r = c.post_multipart(&path, &[], &files).await;
    assert_eq!(r.status, 303, "{}", r.body);
    c.get(&r.location.unwrap()).await
}

/// The id of the item called `name` on a page.
pub(crate) fn item_id(page: &str, name: &str) -> u64 {
    let marker = "href=\"/mediatheque/element/";
    for (i, _) in page.match_indices(marker) {
        let rest = &page[i + marker.len()..];
        let id: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let text_start = rest.find('>').unwrap() + 1;
        if rest[text_start..].starts_with(name) {
            return id.parse().unwrap();
        }
    }
    panic!("{name} not on the page: {page}");
}

pub(crate) fn pdf(size: usize) -> Vec<u8> {
    let mut v = b"%PDF-1.4\n".to_vec();
    v.resize(size, b' ');
    v
}

/// A phone photo: JPEG with an EXIF block (orientation and a GPS position).
pub fn phone_photo() -> Vec<u8> {
    let img = image::DynamicImage::new_rgb8(64, 32);
    let mut jpeg = Vec::new();
    img.write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
    tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[tokio::test]
async fn personal_spaces_are_private_and_class_spaces_follow_the_class() {
    let (server, f) = TestServer::school().await;
    let mut lou = server.signed_in("lou.petit").await;
    let page = upload(&mut lou, "perso", None, &[("dessin.pdf", pdf(500))]).await;
    let mine = item_id(&page.body, "dessin.pdf");
    assert_eq!(
        lou.get(&format!("/mediatheque/element/{mine}"))
            .await
            .status,
        200
    );
    for login in ["tom.bernard", DIRECTOR_LOGIN, "marc.petit"] {
        let mut other = server.signed_in(login).await;
        assert_eq!(
            other
                .get(&format!("/mediatheque/element/{mine}"))
                .await
                .status,
            403,
            "{login}"
        );
        assert_eq!(
            other
                .get(&format!("/mediatheque/fichier/{mine}"))
                .await
                .status,
            403,
            "{login}"
        );
        assert_eq!(
            other
                .get(&format!("/mediatheque/espace/perso-{}", f.lou))
                .await
                .status,
            404,
            "{login}: no URL for someone else's space"
        );
        assert!(
            !other
                .get("/mediatheque/recherche?q=dessin")
                .await
                .body
                .contains("dessin.pdf"),
            "{login} does not find it"
        );
    }

    // The class space: the teacher adds, pupils read, then contribute when allowed.
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let cp = format!("classe-{}", f.cp);
    let page = upload(&mut director, &cp, None, &[("poesie.pdf", pdf(300))]).await;
    let poem = item_id(&page.body, "poesie.pdf");
    assert_eq!(
        lou.get(&format!("/mediatheque/element/{poem}"))
            .await
            .status,
        200
    );
    lou.get(&format!("/mediatheque/espace/{cp}")).await;
    let refused = lou
        .post_multipart(
            &format!("/mediatheque/espace/{cp}/envoyer"),
            &[],
            &[("files", "x.pdf", pdf(10))],
        )
        .await;
    assert_eq!(refused.status, 403);
    director.get(&format!("/mediatheque/espace/{cp}")).await;
    director
        .post(&format!("/mediatheque/espace/{cp}/eleves"), &[("on", "1")])
        .await;
    upload(&mut lou, &cp, None, &[("mon-texte.pdf", pdf(10))]).await;
    for login in ["zoe.leroy", "paul.durand", "ines.leroy"] {
        let mut other = server.signed_in(login).await;
        assert_eq!(
            other.get(&format!("/mediatheque/espace/{cp}")).await.status,
            403,
            "{login}"
        );
        assert_eq!(
            other
                .get(&format!("/mediatheque/element/{poem}"))
                .await
                .status,
            403,
            "{login}"
        );
    }
    // Only the class teacher lets pupils contribute.
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/mediatheque").await;
    assert_eq!(
        paul.post(&format!("/mediatheque/espace/{cp}/eleves"), &[("on", "1")])
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn ranges_types_names_and_quotas() {
    let (server, _f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    let text: Vec<u8> = (0..2000).map(|i| b'a' + (i % 26) as u8).collect();
    let page = upload(
        &mut paul,
        "perso",
        None,
        &[("../../etc/lecture.txt", text.clone())],
    )
    .await;
    let id = item_id(&page.body, "lecture.txt");
    let resp = paul
        .http
        .get(format!("{}/mediatheque/fichier/{id}", paul.base))
        .header("Range", "bytes=10-19")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 206);
    assert_eq!(resp.headers()["content-range"], "bytes 10-19/2000");
    assert_eq!(resp.bytes().await.unwrap().to_vec(), text[10..20].to_vec());
    let resp = paul
        .http
        .get(format!("{}/mediatheque/fichier/{id}", paul.base))
        .header("Range", "bytes=-5")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.bytes().await.unwrap().to_vec(), text[1995..].to_vec());
    let resp = paul
        .http
        .get(format!("{}/mediatheque/fichier/{id}", paul.base))
        .header("Range", "bytes=5000-")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 416);
    let whole = paul
        .http
        .get(format!(
            "{}/mediatheque/fichier/{id}?telecharger=1",
            paul.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(whole.headers()["content-type"], "text/plain");
    assert!(whole.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"lecture.txt\""));

    // A program is refused, and leaves nothing behind.
    let before = paul.get("/mediatheque/espace/perso").await.body;
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    exe.resize(20_000, 0);
    let page = upload(&mut paul, "perso", None, &[("jeu.pdf", exe)]).await;
    assert!(
        page.body.contains("n&#39;est pas d&#39;un type accepté")
            || page.body.contains("n'est pas d'un type accepté")
    );
    assert!(
        !page.body.contains("href=\"/mediatheque/element/")
            || page.body.matches("/mediatheque/element/").count()
                == before.matches("/mediatheque/element/").count()
    );
    let tmp = server.dir.path().join("blobs/tmp");
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "no temporary file left"
    );

    // Names and ids from the URL never become paths.
    for bad in [
        "/mediatheque/espace/..%2F..%2Fetc",
        "/mediatheque/espace/classe-..",
        "/mediatheque/espace/perso-1%2F..",
        "/mediatheque/fichier/..%2Fdb",
        "/mediatheque/element/1e3",
    ] {
        let s = paul.get(bad).await.status;
        assert!(s == 404 || s == 400, "{bad}: {s}");
    }

    // The director gives pupils 1 Mo; a bigger file is refused with the figures.
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/admin/mediatheque").await;
    assert_eq!(
        director
            .post("/admin/mediatheque", &[("q-eleve", "1")])
            .await
            .status,
        303
    );
    let mut lou = server.signed_in("lou.petit").await;
    let page = upload(&mut lou, "perso", None, &[("gros.pdf", pdf(1_500_000))]).await;
    assert!(
        page.body
            .contains("ne tient pas dans la place qui vous reste : 0 ko utilisés sur 1,0 Mo")
            || page.body.contains("utilisés sur 1,0 Mo"),
        "{}",
        page.body
    );
    assert!(!page.body.contains(">gros.pdf<"));
    assert!(
        lou.get("/mediatheque").await.body.contains("sur 1,0 Mo"),
        "usage shown"
    );
    assert_eq!(lou.get("/admin/mediatheque").await.status, 403);
}

#[tokio::test]
async fn shares_follow_the_rules_and_the_trash_restores() {
    let (server, f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/mediatheque/espace/perso").await;
    let r = paul
        .post(
            "/mediatheque/espace/perso/dossier",
            &[("name", "Projet cirque")],
        )
        .await;
    assert_eq!(r.status, 303);
    let root = paul.get("/mediatheque/espace/perso").await.body;
    let marker = "?dossier=";
    let i = root.find(marker).unwrap() + marker.len();
    let folder: u64 = root[i..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap();
    let page = upload(
        &mut paul,
        "perso",
        Some(folder),
        &[("affiche.pdf", pdf(400))],
    )
    .await;
    let file = item_id(&page.body, "affiche.pdf");
    paul.get(&format!("/mediatheque/element/{folder}")).await;
    let r = paul
        .post(
            &format!("/mediatheque/element/{folder}/partager"),
            &[("avec", &format!("u{}", f.zoe)), ("droit", "lecture")],
        )
        .await;
    assert_eq!(r.status, 303);
    let mut zoe = server.signed_in("zoe.leroy").await;
    assert!(zoe
        .get("/mediatheque/partages")
        .await
        .body
        .contains("Projet cirque"));
    assert_eq!(
        zoe.get(&format!("/mediatheque/element/{file}"))
            .await
            .status,
        200,
        "inside a shared folder"
    );
    assert_eq!(
        zoe.get(&format!("/mediatheque/fichier/{file}"))
            .await
            .status,
        200
    );
    zoe.get(&format!("/mediatheque/element/{file}")).await;
    assert_eq!(
        zoe.post(&format!("/mediatheque/element/{file}/supprimer"), &[])
            .await
            .status,
        403,
        "read only"
    );
    let mut tom = server.signed_in("tom.bernard").await;
    assert_eq!(
        tom.get(&format!("/mediatheque/element/{file}"))
            .await
            .status,
        403,
        "not shared with him"
    );
    assert!(!tom
        .get("/mediatheque/partages")
        .await
        .body
        .contains("Projet cirque"));

    // A pupil shares only within the rules: a classmate yes, another class no.
    let mut lou = server.signed_in("lou.petit").await;
    let page = upload(&mut lou, "perso", None, &[("recit.pdf", pdf(100))]).await;
    let recit = item_id(&page.body, "recit.pdf");
    lou.get(&format!("/mediatheque/element/{recit}")).await;
    assert_eq!(
        lou.post(
            &format!("/mediatheque/element/{recit}/partager"),
            &[("avec", &format!("u{}", f.zoe))]
        )
        .await
        .status,
        403
    );
    assert_eq!(
        lou.post(
            &format!("/mediatheque/element/{recit}/partager"),
            &[("avec", &format!("u{}", f.tom))]
        )
        .await
        .status,
        303
    );
    assert_eq!(
        tom.get(&format!("/mediatheque/element/{recit}"))
            .await
            .status,
        200
    );

    // Trash, restore, then the purge after 30 days and the sweep of the file.
    paul.get(&format!("/mediatheque/element/{file}")).await;
    paul.post(&format!("/mediatheque/element/{file}/supprimer"), &[])
        .await;
    assert!(!paul
        .get(&format!("/mediatheque/espace/perso?dossier={folder}"))
        .await
        .body
        .contains("affiche.pdf"));
    assert!(paul
        .get("/mediatheque/corbeille")
        .await
        .body
        .contains("affiche.pdf"));
    paul.get(&format!("/mediatheque/element/{file}")).await;
    paul.post(&format!("/mediatheque/element/{file}/restaurer"), &[])
        .await;
    assert!(paul
        .get(&format!("/mediatheque/espace/perso?dossier={folder}"))
        .await
        .body
        .contains("affiche.pdf"));
    paul.get(&format!("/mediatheque/element/{file}")).await;
    paul.post(&format!("/mediatheque/element/{file}/supprimer"), &[])
        .await;
    let store = server.store();
    let day = 86_400_000_000i64;
    let now = preau::auth::now_micros();
    assert_eq!(
        preau::media::purge_trash(&store, now).unwrap(),
        0,
        "kept 30 days"
    );
    assert_eq!(
        preau::media::purge_trash(&store, now + 31 * day).unwrap(),
        1
    );
    assert_eq!(
        paul.get(&format!("/mediatheque/element/{file}"))
            .await
            .status,
        404
    );
    let blobs_before = store.blobs().all().unwrap().len();
    let swept = preau::schema::sweep_blobs(&store, now + 2 * day).unwrap();
    assert_eq!(swept, 1, "the file nobody uses any more");
    assert_eq!(store.blobs().all().unwrap().len(), blobs_before - 1);
    assert_eq!(
        tom.get(&format!("/mediatheque/fichier/{recit}"))
            .await
            .status,
        200,
        "files in use stay"
    );
}

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

#[tokio::test]
async fn a_truncated_upload_leaves_no_half_file_and_no_record() {
    let (server, _f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/mediatheque/espace/perso").await;
    let boundary = "XbOuNdArYx";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"coupe.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    );
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(head.into_bytes()),
        Ok(vec![b' '; 256 * 1024]),
        Err(std::io::Error::other("the network went away")),
    ];
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let sent = paul
        .http
        .post(format!(
            "{}/mediatheque/espace/perso/envoyer?_csrf={}",
            paul.base, paul.csrf
        ))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await;
    assert!(sent.is_err() || !sent.unwrap().status().is_server_error());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let page = paul.get("/mediatheque/espace/perso").await;
    assert!(!page.body.contains("coupe.pdf"), "no record");
    let tmp = server.dir.path().join("blobs/tmp");
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "no half file");
    assert!(
        server.store().blobs().all().unwrap().is_empty(),
        "no blob either"
    );
}

#[tokio::test]
async fn items_move_and_copy_between_folders_and_spaces() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let page = upload(&mut director, "perso", None, &[("fiche.pdf", pdf(200))]).await;
    let id = item_id(&page.body, "fiche.pdf");
    director.get(&format!("/mediatheque/element/{id}")).await;
    let cp = format!("classe-{}:", f.cp);
    let r = director
        .post(
            &format!("/mediatheque/element/{id}/deplacer"),
            &[("destination", &cp), ("action", "copier")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(director
        .get(&format!("/mediatheque/espace/classe-{}", f.cp))
        .await
        .body
        .contains("fiche.pdf"));
    assert!(
        director
            .get("/mediatheque/espace/perso")
            .await
            .body
            .contains("fiche.pdf"),
        "the copy leaves the original"
    );
    let r = director
        .post(
            &format!("/mediatheque/element/{id}/deplacer"),
            &[("destination", "equipe:"), ("action", "deplacer")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(!director
        .get("/mediatheque/espace/perso")
        .await
        .body
        .contains("fiche.pdf"));
    let mut paul = server.signed_in("paul.durand").await;
    assert!(
        paul.get("/mediatheque/espace/equipe")
            .await
            .body
            .contains("fiche.pdf"),
        "now in the staff room"
    );
    // Moving into a space one cannot write is refused.
    paul.get(&format!("/mediatheque/element/{id}")).await;
    let r = paul
        .post(
            &format!("/mediatheque/element/{id}/deplacer"),
            &[("destination", &cp), ("action", "deplacer")],
        )
        .await;
    assert_eq!(r.status, 403);
    // Search by type.
    assert!(paul
        .get("/mediatheque/recherche?q=fiche&type=document")
        .await
        .body
        .contains("fiche.pdf"));
    assert!(!paul
        .get("/mediatheque/recherche?q=fiche&type=image")
        .await
        .body
        .contains("fiche.pdf"));
}
