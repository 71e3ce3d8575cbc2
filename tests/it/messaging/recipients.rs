//! Who may write to whom (crafted requests included) and blind copies seen by the author only.

use super::{newest, send, u};
use crate::common::{TestServer, DIRECTOR_LOGIN};

#[tokio::test]
async fn parents_write_to_teachers_and_direction_not_to_other_parents() {
    let (server, f) = TestServer::school().await;
    let mut marc = server.signed_in("marc.petit").await;
    let compose = marc.get("/messagerie/ecrire").await;
    assert_eq!(compose.status, 200);
    assert!(
        compose
            .body
            .contains(&format!("value=\"{}\"", u(f.director))),
        "the direction is offered"
    );
    assert!(
        !compose.body.contains(&format!("value=\"{}\"", u(f.ines))),
        "another parent is not offered"
    );
    assert!(
        !compose.body.contains(&format!("value=\"{}\"", u(f.paul))),
        "another class's teacher is not offered"
    );

    // A crafted request to another parent is refused, and the text is kept as a draft.
    let refused = send(
        &mut marc,
        &[
            ("to", &u(f.ines)),
            ("subject", "Covoiturage"),
            ("body", "Bonjour Inès"),
        ],
    )
    .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused
            .body
            .contains("Les règles de l&#39;école ne vous permettent pas")
            || refused
                .body
                .contains("Les règles de l'école ne vous permettent pas"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Bonjour Inès"),
        "what was typed is shown again"
    );
    let drafts = marc.get("/messagerie?dossier=brouillons").await;
    assert!(drafts.body.contains("Covoiturage"), "the draft is kept");
    let refused = send(
        &mut marc,
        &[("to", &u(f.paul)), ("subject", "Sortie"), ("body", "x")],
    )
    .await;
    assert_eq!(refused.status, 400, "a teacher of another class");
    for outside in ["externe@example.org", "g999", "u999999"] {
        let refused = send(
            &mut marc,
            &[("to", outside), ("subject", "Sortie"), ("body", "x")],
        )
        .await;
        assert_eq!(refused.status, 400, "{outside}");
    }

    // To the direction: delivered, with a notification and the bell.
    let ok = send(
        &mut marc,
        &[
            ("to", &u(f.director)),
            ("subject", "Absence de Lou"),
            ("body", "Lou sera absente **lundi**."),
        ],
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let home = director.get("/accueil").await;
    assert!(
        home.body.contains("Notifications : 1 non lue"),
        "the bell counts"
    );
    let inbox = director.get("/messagerie").await;
    assert!(inbox.body.contains("Absence de Lou"));
    let id = newest(&mut director, "reception").await;
    let page = director.get(&format!("/messagerie/{id}")).await;
    assert!(
        page.body.contains("<strong>lundi</strong>"),
        "rich text rendered"
    );
    let home = director.get("/accueil").await;
    assert!(
        home.body.contains("Notifications : aucune nouvelle"),
        "reading the message reads its notice"
    );

    // Nobody else can open it, whatever their role.
    for login in ["paul.durand", "anne.petit", "lou.petit"] {
        let mut other = server.signed_in(login).await;
        assert_eq!(
            other.get(&format!("/messagerie/{id}")).await.status,
            404,
            "{login}"
        );
        assert_eq!(
            other
                .get(&format!("/messagerie/{id}/pieces/0"))
                .await
                .status,
            404,
            "{login}"
        );
        // Acting on it answers as its page does: there is no such message here.
        let r = other
            .post(&format!("/messagerie/{id}/supprimer"), &[])
            .await;
        assert_eq!(r.status, 404);
    }
    assert_eq!(
        director.get(&format!("/messagerie/{id}")).await.status,
        200,
        "still in the director's inbox"
    );
}

#[tokio::test]
async fn pupils_write_to_classmates_and_teachers_only() {
    let (server, f) = TestServer::school().await;
    let mut lou = server.signed_in("lou.petit").await;
    let compose = lou.get("/messagerie/ecrire").await;
    assert!(
        compose.body.contains(&format!("value=\"{}\"", u(f.tom))),
        "a classmate"
    );
    assert!(
        compose
            .body
            .contains(&format!("value=\"{}\"", u(f.director))),
        "her teacher (the director teaches CP-CE1)"
    );
    assert!(!compose.body.contains(&format!("value=\"{}\"", u(f.zoe))));
    assert!(
        !compose.body.contains(&format!("value=\"{}\"", u(f.marc))),
        "not even her father by default"
    );
    assert!(
        compose.body.contains(&format!("value=\"ce{}\"", f.cp)),
        "her class as a list"
    );
    assert!(
        !compose.body.contains(&format!("value=\"cp{}\"", f.cp)),
        "not the parents of her class"
    );
    assert!(!compose.body.contains("value=\"ecole\""));
    for target in [
        u(f.zoe),
        u(f.ines),
        u(f.paul),
        format!("ce{}", f.cm),
        format!("cp{}", f.cp),
        "ecole".into(),
    ] {
        let r = send(
            &mut lou,
            &[("to", &target), ("subject", "Coucou"), ("body", "Salut")],
        )
        .await;
        assert_eq!(r.status, 400, "{target}");
    }
    let r = send(
        &mut lou,
        &[
            ("to", &u(f.tom)),
            ("subject", "Coucou"),
            ("body", "Salut Tom"),
        ],
    )
    .await;
    assert_eq!(r.status, 303);
    let mut tom = server.signed_in("tom.bernard").await;
    assert!(tom.get("/messagerie").await.body.contains("Coucou"));
}

#[tokio::test]
async fn blind_copies_are_seen_by_the_author_only() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let r = send(
        &mut director,
        &[
            ("to", &u(f.marc)),
            ("cc", &u(f.anne)),
            ("bcc", &u(f.ines)),
            ("subject", "Réunion"),
            ("body", "Jeudi 18 h"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = newest(&mut director, "envoyes").await;
    let own = director.get(&format!("/messagerie/{id}")).await;
    assert!(
        own.body.contains("Copie cachée : Inès Leroy"),
        "{}",
        own.body
    );
    let mut marc = server.signed_in("marc.petit").await;
    let seen = marc.get(&format!("/messagerie/{id}")).await;
    assert_eq!(seen.status, 200);
    assert!(seen.body.contains("Copie : Anne Petit"));
    assert!(
        !seen.body.contains("Inès"),
        "the bcc recipient is invisible to others"
    );
    let mut ines = server.signed_in("ines.leroy").await;
    let hidden = ines.get(&format!("/messagerie/{id}")).await;
    assert!(hidden.body.contains("en copie cachée"));
    // Reply all goes to the visible people only.
    let reply = marc
        .get(&format!("/messagerie/ecrire?repondre-a-tous={id}"))
        .await;
    assert!(reply.body.contains("Re : Réunion"));
    assert!(reply
        .body
        .contains(&format!("value=\"{}\" selected", u(f.director))));
    assert!(!reply
        .body
        .contains(&format!("value=\"{}\" selected", u(f.ines))));
}
