//! Spaces and who opens them: personal spaces kept private, class spaces following the
//! class; items moved and copied between folders and spaces, and searched by type.

use super::{item_id, pdf, upload};
use crate::common::{TestServer, DIRECTOR_LOGIN};

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
