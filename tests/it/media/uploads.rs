//! Uploads and downloads: Range requests, types checked by content, names that never
//! become paths, quotas, and a truncated upload that leaves nothing behind.

use super::{item_id, pdf, upload};
use crate::common::{TestServer, DIRECTOR_LOGIN};

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
