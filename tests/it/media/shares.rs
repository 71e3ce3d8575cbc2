//! Shares within the rules, then the trash: restore, purge after 30 days and the sweep of
//! the files nobody uses any more.

use super::{item_id, pdf, upload};
use crate::common::TestServer;

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
    // The file says whom its folder's share reaches (it said « personne » before), and
    // the owner of the space reads that she manages it, not « lecture et ajout ».
    let page = paul.get(&format!("/mediatheque/element/{file}")).await.body;
    assert!(
        page.contains("Partagé avec Zoé Leroy (lecture), par le dossier"),
        "inherited share shown"
    );
    assert!(page.contains("« Projet cirque »"));
    assert!(!page.contains("Partagé avec personne"));
    let home = paul.get("/mediatheque").await.body;
    assert!(home.contains("<strong>Mon espace</strong><span>gestion complète</span>"));
    assert!(
        !home.contains("lecture et ajout"),
        "every space of his he manages"
    );
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
