//! The carnet de liaison over HTTP: two guardians sign independently, the author's table
//! is exact, the deadline closes answers, families write to teachers, nobody else reads.

use crate::common::{Client, TestServer, DIRECTOR_LOGIN};

/// Publishes a mot as `c` and returns its id (from the redirect to its follow-up).
async fn publish(c: &mut Client, fields: &[(&str, &str)]) -> u64 {
    c.get("/carnet/nouveau").await;
    let page = c.post_multipart("/carnet/nouveau", fields, &[]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    page.location
        .unwrap()
        .trim_start_matches("/carnet/")
        .trim_end_matches("/suivi")
        .parse()
        .unwrap()
}

fn row<'a>(body: &'a str, guardian: &str) -> &'a str {
    let i = body
        .find(guardian)
        .unwrap_or_else(|| panic!("{guardian} not in table"));
    let end = body[i..].find("</tr>").unwrap() + i;
    &body[i..end]
}

#[tokio::test]
async fn two_guardians_sign_independently_and_the_table_is_exact() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let id = publish(
        &mut director,
        &[
            ("audience", &format!("c{}", f.cp)),
            ("title", "Sortie au musée"),
            ("body", "Nous irons au musée le 12 décembre."),
            (
                "question",
                "J'autorise mon enfant à participer à la sortie.",
            ),
            ("deadline", "2099-12-01"),
        ],
    )
    .await;
    let table = director.get(&format!("/carnet/{id}/suivi")).await;
    assert!(
        table.body.contains("<strong>0 / 2</strong>"),
        "Lou has two guardians, Tom none: {}",
        table.body
    );
    assert!(
        table.body.contains("Tom Bernard"),
        "a pupil without a guardian account is named for a paper slip"
    );

    // Marc reads and signs « Oui »; Anne only reads.
    let mut marc = server.signed_in("marc.petit").await;
    assert!(marc
        .get("/notifications")
        .await
        .body
        .contains("Sortie au musée"));
    assert!(
        marc.get("/accueil")
            .await
            .body
            .contains(&format!("À signer : <a href=\"/carnet/{id}\">")),
        "the home page lists what is to sign"
    );
    let page = marc.get(&format!("/carnet/{id}")).await;
    assert_eq!(page.status, 200);
    // Signing without answering the question is refused.
    marc.post(
        &format!("/carnet/{id}/signer"),
        &[("eleve", &f.lou.to_string())],
    )
    .await;
    assert!(marc
        .get(&format!("/carnet/{id}"))
        .await
        .body
        .contains("Répondez Oui ou Non"));
    marc.post(
        &format!("/carnet/{id}/signer"),
        &[("eleve", &f.lou.to_string()), ("reponse", "oui")],
    )
    .await;
    let mut anne = server.signed_in("anne.petit").await;
    anne.get(&format!("/carnet/{id}")).await;

    let table = director.get(&format!("/carnet/{id}/suivi")).await.body;
    assert!(table.contains("<strong>1 / 2</strong>"));
    let marc_row = row(&table, "marc Petit");
    assert!(
        marc_row.matches("class=\"yes\"").count() == 2 && marc_row.contains("Oui"),
        "{marc_row}"
    );
    let anne_row = row(&table, "Anne Petit");
    assert_eq!(
        anne_row.matches("class=\"yes\"").count(),
        1,
        "read, not signed: {anne_row}"
    );
    assert!(anne_row.contains("class=\"no\""));

    // Anne answers « Non » on her own: Marc's answer is untouched.
    anne.post(
        &format!("/carnet/{id}/signer"),
        &[("eleve", &f.lou.to_string()), ("reponse", "non")],
    )
    .await;
    let table = director.get(&format!("/carnet/{id}/suivi")).await.body;
    assert!(table.contains("<strong>2 / 2</strong>"));
    assert!(row(&table, "marc Petit").contains("Oui"));
    assert!(row(&table, "Anne Petit").contains("Non"));

    // The CSV proof says the same.
    let csv = director.get(&format!("/carnet/{id}/export.csv")).await.body;
    assert!(
        csv.lines()
            .any(|l| l.contains("marc Petit") && l.contains(";Oui;")),
        "{csv}"
    );
    assert!(csv
        .lines()
        .any(|l| l.contains("Anne Petit") && l.contains(";Non;")));

    // Nobody outside the mot reads it or signs it.
    let mut ines = server.signed_in("ines.leroy").await;
    assert_eq!(ines.get(&format!("/carnet/{id}")).await.status, 403);
    assert_eq!(
        ines.post(
            &format!("/carnet/{id}/signer"),
            &[("eleve", &f.lou.to_string()), ("reponse", "oui")]
        )
        .await
        .status,
        403
    );
    let mut paul = server.signed_in("paul.durand").await;
    assert_eq!(paul.get(&format!("/carnet/{id}/suivi")).await.status, 403);
    assert_eq!(
        paul.get(&format!("/carnet/{id}/export.csv")).await.status,
        403
    );
    let mut lou = server.signed_in("lou.petit").await;
    assert_eq!(lou.get(&format!("/carnet/{id}")).await.status, 403);
    // Marc cannot sign for a child who is not his.
    assert_eq!(
        marc.post(
            &format!("/carnet/{id}/signer"),
            &[("eleve", &f.tom.to_string()), ("reponse", "oui")]
        )
        .await
        .status,
        403
    );
}

#[tokio::test]
async fn the_deadline_closes_answers() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let today = preau::ui::dates::date_value(preau::auth::now_micros());
    let id = publish(
        &mut director,
        &[
            ("audience", &format!("e{}", f.lou)),
            ("title", "Photo de classe"),
            ("body", "Commande"),
            ("question", "Je commande la photo."),
            ("deadline", &today),
        ],
    )
    .await;
    // Move the deadline into the past, as if the day had gone by.
    let store = server.store();
    store
        .commit_blocking(|tx| {
            let mut m = tx.get(&preau::liaison::MOTS, &id)?.unwrap();
            m.deadline = Some(preau::auth::now_micros() - 1_000_000);
            tx.put(&preau::liaison::MOTS, &id, &m)
        })
        .unwrap();
    let mut marc = server.signed_in("marc.petit").await;
    marc.get(&format!("/carnet/{id}")).await;
    marc.post(
        &format!("/carnet/{id}/signer"),
        &[("eleve", &f.lou.to_string()), ("reponse", "oui")],
    )
    .await;
    let page = marc.get(&format!("/carnet/{id}")).await;
    assert!(page.body.contains("closes depuis"), "{}", page.body);
    let table = director.get(&format!("/carnet/{id}/suivi")).await.body;
    assert!(
        !row(&table, "marc Petit").contains("Oui"),
        "no answer after the deadline"
    );
    // Acknowledging stays possible.
    marc.post(
        &format!("/carnet/{id}/signer"),
        &[("eleve", &f.lou.to_string())],
    )
    .await;
    let table = director.get(&format!("/carnet/{id}/suivi")).await.body;
    assert_eq!(
        row(&table, "marc Petit").matches("class=\"yes\"").count(),
        2
    );
}

#[tokio::test]
async fn reminders_slips_replies_and_bad_input() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    // Bad input: nothing chosen, empty title and body, a date in the past.
    director.get("/carnet/nouveau").await;
    let bad = director
        .post_multipart(
            "/carnet/nouveau",
            &[
                ("title", ""),
                ("body", " "),
                ("question", "Q ?"),
                ("deadline", "2001-01-01"),
            ],
            &[],
        )
        .await;
    assert_eq!(bad.status, 400);
    for text in [
        "Choisissez à qui",
        "Indiquez le titre",
        "Le texte du mot est vide",
        "déjà passée",
    ] {
        assert!(bad.body.contains(text), "{text}: {}", bad.body);
    }
    assert!(bad.body.contains("value=\"Q ?\""), "typed values stay");
    // A class the teacher does not teach is refused even in a crafted request.
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/carnet/nouveau").await;
    let crafted = paul
        .post_multipart(
            "/carnet/nouveau",
            &[
                ("audience", &format!("c{}", f.cp)),
                ("title", "T"),
                ("body", "B"),
            ],
            &[],
        )
        .await;
    assert_eq!(crafted.status, 400);
    assert!(crafted.body.contains("Vous ne pouvez pas écrire"));
    let crafted = paul
        .post_multipart(
            "/carnet/nouveau",
            &[("audience", "ecole"), ("title", "T"), ("body", "B")],
            &[],
        )
        .await;
    assert_eq!(crafted.status, 400, "the whole school is the director's");

    let id = publish(
        &mut director,
        &[
            ("audience", &format!("c{}", f.cp)),
            ("title", "Réunion de rentrée"),
            ("body", "Mardi 18 h"),
        ],
    )
    .await;
    let r = director.post(&format!("/carnet/{id}/relancer"), &[]).await;
    assert_eq!(r.status, 303);
    let mut anne = server.signed_in("anne.petit").await;
    assert!(anne
        .get("/notifications")
        .await
        .body
        .contains("Rappel : mot à signer"));
    let slips = director
        .get(&format!("/carnet/{id}/coupons?manquants=1"))
        .await;
    assert!(slips.body.contains("class=\"slip\"") && slips.body.contains("lou Petit"));
    assert!(
        slips.body.contains("Tom Bernard"),
        "Tom's family has no account: a paper slip for them"
    );
    let proof = director.get(&format!("/carnet/{id}/preuve")).await;
    assert!(proof.body.contains("Réunion de rentrée"));

    // A private reply: the author sees it, the other guardian does not.
    let mut marc = server.signed_in("marc.petit").await;
    marc.get(&format!("/carnet/{id}")).await;
    marc.post(
        &format!("/carnet/{id}/repondre"),
        &[("texte", "Je viendrai avec Anne.")],
    )
    .await;
    assert!(director
        .get(&format!("/carnet/{id}"))
        .await
        .body
        .contains("Je viendrai avec Anne."));
    assert!(!anne
        .get(&format!("/carnet/{id}"))
        .await
        .body
        .contains("Je viendrai avec Anne."));
}

#[tokio::test]
async fn a_family_writes_to_the_teacher_and_the_carnet_shows_the_exchange() {
    let (server, f) = TestServer::school().await;
    let mut ines = server.signed_in("ines.leroy").await;
    ines.get("/carnet/ecrire").await;
    // Not for someone else's child.
    let crafted = ines
        .post_multipart(
            "/carnet/ecrire",
            &[
                ("eleve", &f.lou.to_string()),
                ("title", "Absence"),
                ("body", "x"),
            ],
            &[],
        )
        .await;
    assert_eq!(crafted.status, 403);
    let empty = ines
        .post_multipart(
            "/carnet/ecrire",
            &[
                ("eleve", &f.zoe.to_string()),
                ("title", "Absence"),
                ("body", ""),
            ],
            &[],
        )
        .await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("Absence"), "the title is kept");
    let sent = ines
        .post_multipart(
            "/carnet/ecrire",
            &[
                ("eleve", &f.zoe.to_string()),
                ("title", "Absence de Zoé"),
                ("body", "Zoé sera absente jeudi (dentiste)."),
            ],
            &[],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let id: u64 = sent
        .location
        .unwrap()
        .trim_start_matches("/carnet/")
        .parse()
        .unwrap();

    let mut paul = server.signed_in("paul.durand").await;
    assert!(paul
        .get("/notifications")
        .await
        .body
        .contains("Absence de Zoé"));
    assert!(paul.get("/carnet").await.body.contains("non lu"));
    paul.get(&format!("/carnet/{id}")).await;
    paul.post(&format!("/carnet/{id}/lu"), &[]).await;
    paul.post(
        &format!("/carnet/{id}/repondre"),
        &[
            ("famille", &f.ines.to_string()),
            ("texte", "Bien noté, merci."),
        ],
    )
    .await;
    assert!(ines
        .get(&format!("/carnet/{id}"))
        .await
        .body
        .contains("Bien noté, merci."));
    let carnet = ines.get(&format!("/carnet/eleve/{}", f.zoe)).await;
    assert!(carnet.body.contains("Absence de Zoé") && carnet.body.contains("Bien noté"));
    let i = carnet.body.find("Absence de Zoé").unwrap();
    assert!(carnet.body.find("Bien noté").unwrap() > i, "date order");
    // Another class's family, another teacher, the pupil herself: refused.
    for login in ["marc.petit", "zoe.leroy"] {
        let mut other = server.signed_in(login).await;
        assert_eq!(
            other.get(&format!("/carnet/eleve/{}", f.zoe)).await.status,
            403,
            "{login}"
        );
        assert_eq!(
            other.get(&format!("/carnet/{id}")).await.status,
            403,
            "{login}"
        );
    }
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    assert_eq!(
        director
            .get(&format!("/carnet/eleve/{}", f.zoe))
            .await
            .status,
        200
    );
}
