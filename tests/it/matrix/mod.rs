//! The authorization matrix: every route of the route table (`preau::routes::table()`) ×
//! every profile (and anonymous), driven against real objects. The test creates one
//! object of each kind the table names (a mot, a message, a médiathèque item, a hand-in…)
//! in the class CM1-CM2 of Paul, fills every path parameter with it, and checks each
//! profile against the outcome written down here for the route's rule: allowed, refused
//! (403), invisible (404, only where the rule hides the object from that person) or sent
//! to the login page. A rule without an expectation here, or a path parameter without a
//! real value, fails the test, so a new route cannot slip through.
//!
//! Every GET is sent, and an allowed page must be the page itself (200); a POST only
//! where it must be refused or the object is invisible, so that the matrix changes
//! nothing. Where the server answers otherwise than the rule, the expectation stays the
//! right one and the difference is listed in `DEVIATIONS` or `MISDECLARED` (reported
//! to be fixed in the feature); an entry that no longer occurs fails the test too.
//!
//! The profiles and the expectations live in `expectations`, the real objects and how a
//! path is filled with them in `objects`, how they are made through the pages in
//! `making`; the test that drives them all is here.

mod expectations;
mod livret;
mod making;
mod objects;
mod search;

use preau::directory::{self, Membership};
use preau::policy::Profile;
use preau::routing::Access;

use crate::common::{add_person, Client, TestServer};

use expectations::{
    classify, closed_row, expectation, Outcome::Allowed as A, CLASS_FAMILY, DEVIATIONS,
    MISDECLARED, PROFILES, REDIRECTING_PAGES, TEACHER_OF_THE_CLASS,
};
use making::make_objects;

#[tokio::test]
async fn every_route_answers_every_profile_as_the_rules_say() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    add_person(
        &store,
        "nina.roux",
        Profile::Enseignant,
        Some((f.cp, Membership::Teacher)),
    );
    add_person(
        &store,
        "aline.morel",
        Profile::Atsem,
        Some((f.cm, Membership::Assistant)),
    );
    // Eva of the périscolaire has Zoé at the étude du soir.
    let eva = add_person(&store, "eva.garde", Profile::Periscolaire, None);
    store
        .commit_checked_blocking(|tx| {
            let etude = directory::create_group(tx, "Étude du soir", "")?;
            directory::add_to_group(tx, etude, eva)?;
            directory::add_to_group(tx, etude, f.zoe)
        })
        .unwrap();
    let mut clients = Vec::new();
    for (_, login) in PROFILES {
        clients.push(if login.is_empty() {
            server.client()
        } else {
            server.signed_in(login).await
        });
    }
    let objects = make_objects(&server, &mut clients).await;

    let mut wrong = drive(&mut clients, &objects, Pass::Open).await;
    wrong.extend(search::search_agrees_with_pages(&mut clients, &objects, "").await);
    // Then the class closes every service it chooses for to its pupils and their families
    // (« enseignants seulement »): the matrix runs again.
    let page = format!("/classes/{}/services", f.cm);
    let paul = &mut clients[2];
    paul.get(&page).await;
    let fields: Vec<(String, &str)> = preau::school::Service::ALL
        .into_iter()
        .filter(|s| s.per_class())
        .map(|s| (format!("s-{}", s.slug()), "enseignants"))
        .collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(paul.post(&page, &fields).await.status, 303);
    wrong.extend(drive(&mut clients, &objects, Pass::ClassClosed).await);
    wrong
        .extend(search::search_agrees_with_pages(&mut clients, &objects, "[classe fermée] ").await);
    assert!(
        wrong.is_empty(),
        "{} disagreements with the matrix:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    server.stop().await;
}

/// The two runs of the matrix: every service open (the school's default), then the
/// class of the objects closing its services to its pupils and families.
#[derive(Clone, Copy, PartialEq)]
enum Pass {
    Open,
    ClassClosed,
}

/// Every route of the table as every profile: the disagreements with the expectations.
async fn drive(clients: &mut [Client], objects: &objects::Objects, pass: Pass) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut deviations_seen = vec![false; DEVIATIONS.len()];
    let mut misdeclared_seen = vec![false; MISDECLARED.len()];
    let mut driven = 0;
    for route in preau::routes::table() {
        // The ACME authority's path answers only while an order waits (tests/it/acme.rs).
        if route.path.starts_with("/static/") || route.path.starts_with("/.well-known/") {
            continue;
        }
        let method = route.method.as_str();
        let pattern = route.path.clone();
        let path = match objects.fill(&pattern) {
            Ok(p) => p,
            Err(e) => {
                wrong.push(e);
                continue;
            }
        };
        let mut access = route.access;
        for (i, (m, p, declared, applied)) in MISDECLARED.iter().enumerate() {
            if *m == method && *p == pattern {
                assert_eq!(
                    *declared, route.access,
                    "{method} {pattern} is declared otherwise now: remove it from MISDECLARED"
                );
                misdeclared_seen[i] = true;
                access = *applied;
            }
        }
        let mut row = if access == Access::Teacher && path.contains("?classe=") {
            TEACHER_OF_THE_CLASS
        } else {
            expectation(access)
        };
        let service = route.service().filter(|s| s.per_class());
        let closed = pass == Pass::ClassClosed && service.is_some();
        if closed {
            row = closed_row(row, access, service.is_some_and(|s| s.has_school_part()));
        }
        for (i, (((who, _), client), want)) in
            PROFILES.iter().zip(clients.iter_mut()).zip(row).enumerate()
        {
            // Allowed actions are exercised by the feature tests; a POST is sent only
            // where it must be refused, so that the matrix changes nothing.
            if method == "POST" && want == A {
                continue;
            }
            // A fresh CSRF token from a page of the site.
            client
                .get(if *who == "anonyme" {
                    "/connexion"
                } else {
                    "/accueil"
                })
                .await;
            let page = match method {
                "GET" => client.get(&path).await,
                "POST" => client.post(&path, &[("x", "1")]).await,
                other => panic!("{other} {path}: a method the matrix does not drive"),
            };
            driven += 1;
            let got = classify(&page);
            // An allowed page is the page itself, not a redirect that hides a refusal.
            if method == "GET"
                && got == A
                && page.status != 200
                && !REDIRECTING_PAGES.contains(&pattern.as_str())
            {
                wrong.push(format!(
                    "{who}: GET {path}: allowed but {} to {:?}",
                    page.status, page.location
                ));
                continue;
            }
            if got == want {
                continue;
            }
            // The class's own family, shut out by the gate, is not a deviation.
            let shut_out = closed && CLASS_FAMILY.contains(&i);
            let known = (!shut_out)
                .then(|| {
                    DEVIATIONS.iter().position(|(m, p, profile, w, g, _)| {
                        *m == method
                            && *p == pattern
                            && profile.is_none_or(|x| x == *who)
                            && *w == want
                            && *g == got
                    })
                })
                .flatten();
            match known {
                Some(i) => deviations_seen[i] = true,
                None => wrong.push(format!(
                    "{}{who}: {method} {path} ({pattern}, {access:?}): expected {want:?}, got {got:?} ({})",
                    if pass == Pass::ClassClosed { "[classe fermée] " } else { "" },
                    page.status
                )),
            }
        }
    }
    // The deviations are the open school's; the closed pass meets only some of them.
    if pass == Pass::Open {
        for (seen, d) in deviations_seen.iter().zip(DEVIATIONS) {
            if !seen {
                wrong.push(format!("deviation no longer seen, remove it: {d:?}"));
            }
        }
        for (seen, m) in misdeclared_seen.iter().zip(MISDECLARED) {
            if !seen {
                wrong.push(format!("route no longer in the table: {m:?}"));
            }
        }
    }
    assert!(driven > 0, "the matrix drove no request");
    wrong
}
