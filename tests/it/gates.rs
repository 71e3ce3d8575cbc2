//! The gates of the route table, driven by the table itself: every route of a service —
//! pages, forms and downloads — answers 404 while the director has the service off, and
//! a held pupil message cannot be approved (delivered) while the messagerie is off.

use crate::common::{populate, Client, TestServer, DIRECTOR_LOGIN};
use preau::school::Service;

fn switch(server: &TestServer, service: Service, on: bool) {
    let store = server.store();
    // Read before the transaction: a read of the store inside it would wait for it.
    let mut school = preau::school::get(&store)
        .unwrap()
        .expect("installed school");
    school.services.retain(|s| *s != service);
    if on {
        school.services.push(service);
    }
    store
        .commit_blocking(|tx| preau::school::save(tx, &school))
        .unwrap();
}

/// A concrete path for a route of the table (`:id` and friends filled in).
fn concrete(pattern: &str, id: u64) -> String {
    pattern
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(_) => id.to_string(),
            None if segment.starts_with('*') => "x".to_string(),
            None => segment.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn send(c: &mut Client, to: u64, subject: &str) {
    c.get("/messagerie/ecrire").await;
    let to = format!("u{to}");
    let page = c
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &to),
                ("subject", subject),
                ("body", "Bonjour"),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    assert_eq!(page.status, 303, "{subject} sent");
}

#[tokio::test]
async fn every_route_of_a_switched_off_service_answers_404() {
    let server = TestServer::installed().await;
    let f = populate(&server.store());
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;

    // A real object behind the messagerie's routes: a pupil's message held for approval.
    director.get("/messagerie/moderation").await;
    let cp = f.cp.to_string();
    director
        .post(
            "/messagerie/moderation/classes",
            &[("classe", &cp), ("vues", &cp)],
        )
        .await;
    let mut lou = server.signed_in("lou.petit").await;
    send(&mut lou, f.tom, "Mon dessin").await;
    let queue = director.get("/messagerie/moderation").await;
    let held = queue
        .body
        .split("/messagerie/moderation/")
        .skip(1)
        .find_map(|rest| {
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            digits.parse::<u64>().ok()
        })
        .expect("the held message is in the queue");

    let table = preau::routes::table();
    for service in Service::ALL {
        let routes: Vec<_> = table
            .iter()
            .filter(|r| r.service() == Some(service))
            .collect();
        assert!(!routes.is_empty(), "{service:?} has routes");
        switch(&server, service, false);
        for r in routes {
            let path = concrete(&r.path, held);
            // A fresh form token first: a refused POST must be refused by the gate, not
            // by the CSRF check.
            director.get("/accueil").await;
            let page = if r.method.as_str() == "GET" {
                director.get(&path).await
            } else {
                director.post(&path, &[("action", "valider")]).await
            };
            assert_eq!(
                page.status, 404,
                "{} {path} answers with {service:?} off",
                r.method
            );
        }
        switch(&server, service, true);
    }

    // The approval tried while the messagerie was off delivered nothing.
    let mut tom = server.signed_in("tom.bernard").await;
    assert!(!tom.get("/messagerie").await.body.contains("Mon dessin"));
    // Back on, the same approval delivers it: the 404 above was the gate's.
    director.get("/messagerie/moderation").await;
    let r = director
        .post(
            &format!("/messagerie/moderation/{held}"),
            &[("action", "valider")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(tom.get("/messagerie").await.body.contains("Mon dessin"));
}

#[tokio::test]
async fn assets_and_health_answer_without_a_session_and_the_console_is_the_directors() {
    let server = TestServer::installed().await;
    let mut anonymous = server.client();
    let health = anonymous.get("/healthz").await;
    assert_eq!(health.status, 200);
    let mut lou = server.signed_in("lou.petit").await;
    for r in preau::routes::table() {
        // `/admin/etat` is a machine's, by token (tests/it/fleet.rs).
        if !r.path.starts_with("/admin") || r.access == preau::routing::Access::StatusToken {
            continue;
        }
        let path = concrete(&r.path, 1);
        lou.get("/accueil").await;
        let page = if r.method.as_str() == "GET" {
            lou.get(&path).await
        } else {
            lou.post(&path, &[("x", "1")]).await
        };
        assert_eq!(page.status, 403, "{} {path}", r.method);
    }
}
