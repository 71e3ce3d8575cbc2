//! The direction's switches that suspend senders, and pupils' messages held for approval.

use super::{newest, send, u};
use crate::common::{TestServer, DIRECTOR_LOGIN};

#[tokio::test]
async fn switches_suspend_senders_and_are_logged() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/admin/communication").await;
    let r = director
        .post(
            "/admin/communication",
            &[
                ("suspend_parents", "1"),
                ("whole_school_direction_only", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let mut marc = server.signed_in("marc.petit").await;
    let refused = send(
        &mut marc,
        &[
            ("to", &u(f.director)),
            ("subject", "Question"),
            ("body", "Bonjour"),
        ],
    )
    .await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("suspendu la messagerie des parents"));
    let mut lou = server.signed_in("lou.petit").await;
    assert_eq!(
        send(
            &mut lou,
            &[("to", &u(f.tom)), ("subject", "A"), ("body", "b")]
        )
        .await
        .status,
        303,
        "pupils still write"
    );
    let journal = director.get("/admin/journal").await;
    assert!(
        journal
            .body
            .contains("messagerie des parents suspendue : oui"),
        "audit log"
    );
    // The rule matrix: parents may be allowed to write to each other.
    director.get("/admin/communication").await;
    director
        .post(
            "/admin/communication",
            &[
                ("r-parents-parents", "tous"),
                ("whole_school_direction_only", "1"),
            ],
        )
        .await;
    let ok = send(
        &mut marc,
        &[
            ("to", &u(f.ines)),
            ("subject", "Covoiturage"),
            ("body", "Bonjour"),
        ],
    )
    .await;
    assert_eq!(ok.status, 303, "switch off again and rule opened");
    // Everyone suspended: the direction keeps its voice.
    director.get("/admin/communication").await;
    director
        .post("/admin/communication", &[("suspend_everyone", "1")])
        .await;
    let mut paul = server.signed_in("paul.durand").await;
    assert_eq!(
        send(
            &mut paul,
            &[("to", &u(f.zoe)), ("subject", "A"), ("body", "b")]
        )
        .await
        .status,
        400
    );
    assert_eq!(
        send(
            &mut director,
            &[("to", &u(f.zoe)), ("subject", "A"), ("body", "b")]
        )
        .await
        .status,
        303
    );
    // Only the direction sees the settings.
    assert_eq!(paul.get("/admin/communication").await.status, 403);
    assert_eq!(
        paul.post("/admin/communication", &[("suspend_everyone", "")])
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn a_moderated_pupil_message_reaches_nobody_until_approved() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/messagerie/moderation").await;
    let cp = f.cp.to_string();
    let r = director
        .post(
            "/messagerie/moderation/classes",
            &[("classe", &cp), ("vues", &cp)],
        )
        .await;
    assert_eq!(r.status, 303);
    // Paul does not teach CP-CE1: he may not switch it.
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/messagerie/moderation").await;
    assert_eq!(
        paul.post("/messagerie/moderation/classes", &[("vues", &cp)])
            .await
            .status,
        403
    );

    let mut lou = server.signed_in("lou.petit").await;
    let r = send(
        &mut lou,
        &[
            ("to", &u(f.tom)),
            ("subject", "Mon dessin"),
            ("body", "Regarde"),
        ],
    )
    .await;
    assert_eq!(r.status, 303);
    let mut tom = server.signed_in("tom.bernard").await;
    assert!(
        !tom.get("/messagerie").await.body.contains("Mon dessin"),
        "held"
    );
    let id = newest(&mut lou, "envoyes").await;
    assert_eq!(tom.get(&format!("/messagerie/{id}")).await.status, 404);
    assert!(lou
        .get(&format!("/messagerie/{id}"))
        .await
        .body
        .contains("En attente de validation"));
    // Paul does not moderate Lou's class.
    assert!(!paul
        .get("/messagerie/moderation")
        .await
        .body
        .contains("Mon dessin"));
    assert_eq!(
        paul.post(
            &format!("/messagerie/moderation/{id}"),
            &[("action", "valider")]
        )
        .await
        .status,
        403
    );

    let queue = director.get("/messagerie/moderation").await;
    assert!(queue.body.contains("Mon dessin"));
    let r = director
        .post(
            &format!("/messagerie/moderation/{id}"),
            &[("action", "refuser"), ("mot", "Demande-lui en classe")],
        )
        .await;
    assert_eq!(r.status, 303);
    let refused = lou.get(&format!("/messagerie/{id}")).await;
    assert!(
        refused.body.contains("n&#39;a pas été envoyé")
            || refused.body.contains("n'a pas été envoyé")
    );
    assert!(
        refused.body.contains("Demande-lui en classe"),
        "the refusal tells the pupil"
    );
    assert!(lou.get("/notifications").await.body.contains("Mon dessin"));
    assert_eq!(
        tom.get(&format!("/messagerie/{id}")).await.status,
        404,
        "never delivered"
    );

    send(
        &mut lou,
        &[
            ("to", &u(f.tom)),
            ("subject", "Ma poésie"),
            ("body", "Le chat"),
        ],
    )
    .await;
    let id = newest(&mut lou, "envoyes").await;
    director.get("/messagerie/moderation").await;
    director
        .post(
            &format!("/messagerie/moderation/{id}"),
            &[("action", "valider")],
        )
        .await;
    assert!(
        tom.get("/messagerie").await.body.contains("Ma poésie"),
        "approved, delivered"
    );
}
