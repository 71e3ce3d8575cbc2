//! Accompagnateurs de sortie (issue 22): a mot asks for N volunteers, the guardians it is
//! addressed to offer themselves first come first served (simultaneous offers: exactly N
//! proposés, the others on the waiting list), the teacher confirms, a place freed goes to
//! the next in line, the others are told once the team is complete.

use preau::directory::{self, Membership};
use preau::liaison::volunteers::{self, OfferState};
use preau::policy::Profile;

use crate::common::{add_person, Client, TestServer, DIRECTOR_LOGIN};

/// A guardian with a child in `class`.
fn family(server: &TestServer, parent: &str, child: &str, class: u64) {
    let store = server.store();
    let p = add_person(&store, parent, Profile::Responsable, None);
    let c = add_person(
        &store,
        child,
        Profile::Eleve,
        Some((class, Membership::Pupil)),
    );
    store
        .commit_blocking(|tx| directory::link_parent(tx, p, c))
        .unwrap();
    store.flush_blocking().unwrap();
}

async fn notified(c: &mut Client, text: &str) -> bool {
    c.get("/notifications").await.body.contains(text)
}

#[tokio::test]
async fn volunteers_first_come_first_served_the_teacher_confirms_the_others_are_told() {
    let (server, f) = TestServer::school().await;
    // CP-CE1 (the director's class): Lou (Marc and Anne), Léo (Julie), Sami (Karim).
    family(&server, "julie.morin", "leo.morin", f.cp);
    family(&server, "karim.said", "sami.said", f.cp);
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/carnet/nouveau").await;
    let bad = director
        .post_multipart(
            "/carnet/nouveau",
            &[
                ("audience", &format!("c{}", f.cp)),
                ("title", "Sortie à la ferme"),
                ("body", "Nous irons à la ferme."),
                ("accompagnateurs", "beaucoup"),
            ],
            &[],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("nombre d&#39;accompagnateurs")
            || bad.body.contains("nombre d'accompagnateurs"),
        "{}",
        bad.body
    );
    let page = director
        .post_multipart(
            "/carnet/nouveau",
            &[
                ("audience", &format!("c{}", f.cp)),
                ("title", "Sortie à la ferme"),
                ("body", "Nous irons à la ferme."),
                ("accompagnateurs", "2"),
            ],
            &[],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let mot: u64 = page
        .location
        .unwrap()
        .trim_start_matches("/carnet/")
        .trim_end_matches("/suivi")
        .parse()
        .unwrap();
    let path = format!("/carnet/{mot}");
    let offer_path = format!("{path}/accompagner");

    let mut clients = Vec::new();
    for login in ["marc.petit", "anne.petit", "julie.morin", "karim.said"] {
        let mut c = server.signed_in(login).await;
        let body = c.get(&path).await.body;
        assert!(body.contains("Je me propose pour accompagner"), "{body}");
        clients.push(c);
    }
    // Four offers at the same moment for two places.
    let [a, b, c, d] = &mut clients[..] else {
        unreachable!()
    };
    let offer = [("action", "proposer")];
    let pages = tokio::join!(
        a.post(&offer_path, &offer),
        b.post(&offer_path, &offer),
        c.post(&offer_path, &offer),
        d.post(&offer_path, &offer),
    );
    for p in [&pages.0, &pages.1, &pages.2, &pages.3] {
        assert_eq!(p.status, 303, "{}", p.body);
    }
    let store = server.store();
    let call = volunteers::call(&store, mot).unwrap().unwrap();
    assert_eq!(call.offers.len(), 4);
    assert_eq!(call.count(OfferState::Proposed), 2, "exactly two places");
    assert_eq!(call.count(OfferState::Waiting), 2, "the others wait");
    let in_state = |call: &volunteers::Call, s: OfferState| -> Vec<u64> {
        call.offers
            .iter()
            .filter(|o| o.state == s)
            .map(|o| o.guardian)
            .collect()
    };
    let proposed = in_state(&call, OfferState::Proposed);
    let waiting = in_state(&call, OfferState::Waiting);
    // Each is told where they stand; offering twice is refused.
    let who = |id: u64| {
        let people = preau::directory::people::People::load(&store).unwrap();
        people.user(id).unwrap().login.clone()
    };
    let mut first_waiting = server.signed_in(&who(waiting[0])).await;
    let body = first_waiting.get(&path).await.body;
    assert!(
        body.contains("sur liste d&#39;attente") || body.contains("sur liste d'attente"),
        "{body}"
    );
    assert!(body.contains("(rang 1)"), "{body}");
    let again = first_waiting.post(&offer_path, &offer).await;
    assert_eq!(again.status, 303);
    assert!(first_waiting
        .get(&path)
        .await
        .body
        .contains("Vous vous êtes déjà proposé"));

    // Another class's family and the staff cannot offer.
    let mut ines = server.signed_in("ines.leroy").await;
    assert_eq!(ines.post(&offer_path, &offer).await.status, 403);
    director.get(&path).await;
    assert_eq!(director.post(&offer_path, &offer).await.status, 403);
    // A guardian does not choose.
    let choice = format!("{path}/accompagnateurs");
    let first = proposed[0].to_string();
    let r = a
        .post(
            &choice,
            &[("responsable", first.as_str()), ("decision", "confirmer")],
        )
        .await;
    assert_eq!(r.status, 403);

    // The director confirms the first, does not retain the second: the first waiting
    // gets the place and is told.
    let body = director.get(&path).await.body;
    assert!(
        body.contains("Propositions, dans l&#39;ordre")
            || body.contains("Propositions, dans l'ordre"),
        "{body}"
    );
    let second = proposed[1].to_string();
    for (g, d) in [(&first, "confirmer"), (&second, "ne-pas-retenir")] {
        let r = director
            .post(&choice, &[("responsable", g.as_str()), ("decision", d)])
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    assert!(
        notified(
            &mut server.signed_in(&who(proposed[0])).await,
            "est confirmée"
        )
        .await
    );
    assert!(
        notified(
            &mut server.signed_in(&who(proposed[1])).await,
            "n&#39;est pas retenue"
        )
        .await
            || notified(
                &mut server.signed_in(&who(proposed[1])).await,
                "n'est pas retenue"
            )
            .await
    );
    assert!(notified(&mut first_waiting, "Une place d").await);
    let call = volunteers::call(&store, mot).unwrap().unwrap();
    assert_eq!(in_state(&call, OfferState::Proposed), vec![waiting[0]]);

    // Confirming the promoted one completes the team: the last one waiting is told.
    let promoted = waiting[0].to_string();
    let r = director
        .post(
            &choice,
            &[
                ("responsable", promoted.as_str()),
                ("decision", "confirmer"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let call = volunteers::call(&store, mot).unwrap().unwrap();
    assert!(call.complete);
    assert_eq!(call.confirmed(), 2);
    assert_eq!(call.count(OfferState::Waiting), 0);
    let mut last = server.signed_in(&who(waiting[1])).await;
    assert!(notified(&mut last, "est complète").await);
    assert!(last.get(&path).await.body.contains("non retenu"));
    server.stop().await;
}
