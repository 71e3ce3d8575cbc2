//! The search: the index follows each record in the same commit (created, renamed,
//! deleted), survives SIGKILL, and `preau check --reindex` gives the same results. What
//! each profile finds against what its pages open is in the matrix (`matrix::search`).

use std::time::{Duration, Instant};

use rand::Rng;

use crate::common::{TestServer, DIRECTOR_LOGIN};
use crate::crash::{free_port, preau, setup, sign_in, start, token};

fn postings_of(store: &preau::store::Store, word: &str) -> usize {
    let terms = preau::search::words::query_terms(word);
    preau::search::candidates(store, &terms, 1000)
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_index_follows_each_record_created_renamed_and_deleted() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/actualites/nouvelle").await;
    let r = director
        .post_multipart(
            "/actualites/nouvelle",
            &[
                ("source", "ecole"),
                ("title", "Kermesses de juin"),
                ("body", "Les stands de la kermesse ouvrent à 14 h."),
                ("audience", "tous"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = crate::common::id_after(
        &director.get("/actualites").await.body,
        "href=\"/actualites/",
    )
    .unwrap();
    // Plural, singular, accents and case all meet; the page links to the news.
    let mut marc = server.signed_in("marc.petit").await;
    for query in ["kermesse", "KERMESSES", "Kérmesse juin"] {
        let page = marc.get(&format!("/recherche?q={query}")).await;
        assert!(
            page.body.contains(&format!("href=\"/actualites/{id}\"")),
            "« {query} » finds the news"
        );
        assert!(
            page.body.contains("<mark>Kermesses</mark>"),
            "the word is marked"
        );
    }
    assert_eq!(postings_of(&store, "kermesse"), 1);

    // A file of the class space, renamed: the old name is forgotten, the new one found.
    let space = format!("/mediatheque/espace/classe-{}", f.cm);
    let mut paul = server.signed_in("paul.durand").await;
    paul.get(&space).await;
    let r = paul
        .post_multipart(
            &format!("{space}/envoyer"),
            &[],
            &[("files", "brouillon-girafe.pdf", b"%PDF-1.4\n".repeat(30))],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let item =
        crate::common::id_after(&paul.get(&space).await.body, "href=\"/mediatheque/element/")
            .unwrap();
    assert_eq!(postings_of(&store, "girafe"), 1);
    paul.get(&format!("/mediatheque/element/{item}")).await;
    let r = paul
        .post(
            &format!("/mediatheque/element/{item}/renommer"),
            &[("name", "Affiche des zèbres.pdf")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        postings_of(&store, "girafe"),
        0,
        "the old name's words went"
    );
    let zebres = paul.get("/recherche?q=zebre").await.body;
    assert!(zebres.contains(&format!("href=\"/mediatheque/element/{item}\"")));

    // A text document is found by its words, not only by its name.
    let r = paul
        .post_multipart(
            &format!("{space}/envoyer"),
            &[],
            &[(
                "files",
                "notes.txt",
                "Élevage de la chenille processionnaire en classe.".into(),
            )],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let chenille = paul.get("/recherche?q=chenilles").await.body;
    assert!(chenille.contains("notes.txt"), "{chenille}");
    assert!(chenille.contains("<mark>chenille</mark>"));

    // Deleted: nothing of it stays in the index.
    director.get(&format!("/actualites/{id}")).await;
    let r = director
        .post(&format!("/actualites/{id}/supprimer"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(postings_of(&store, "kermesse"), 0);
    assert_eq!(postings_of(&store, "stand"), 0);
    let page = marc.get("/recherche?q=kermesse").await;
    assert!(page.body.contains("Aucun résultat"), "{}", page.body);
    server.stop().await;
}

/// Publishes news « Annonce <word> » until stopped; returns the words acknowledged.
async fn news_load(port: u16, cycle: usize, stop_after: Duration) -> Vec<String> {
    let base = format!("http://127.0.0.1:{port}");
    let mut acknowledged = Vec::new();
    let Some(http) = sign_in(port).await else {
        return acknowledged;
    };
    let until = Instant::now() + stop_after;
    let mut n = 0;
    while Instant::now() < until {
        let Ok(resp) = http.get(format!("{base}/actualites/nouvelle")).send().await else {
            break;
        };
        let Ok(page) = resp.text().await else { break };
        // A word of its own, that no other record holds.
        let word = format!("kiwi{cycle}q{n}z");
        let form = reqwest::multipart::Form::new()
            .text("source", "ecole")
            .text("title", format!("Annonce {word}"))
            .text("body", "Une annonce de la charge.")
            .text("audience", "tous");
        let sent = http
            .post(format!("{base}/actualites/nouvelle?_csrf={}", token(&page)))
            .multipart(form)
            .send()
            .await;
        match sent {
            Ok(r) if r.status() == 303 => acknowledged.push(word),
            _ => break,
        }
        n += 1;
    }
    acknowledged
}

/// The links of a results page (what was found, in order).
async fn found(http: &reqwest::Client, port: u16, query: &str) -> Vec<String> {
    let body = http
        .get(format!("http://127.0.0.1:{port}/recherche?q={query}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let main = body.split("<main").nth(1).unwrap_or_default();
    main.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.starts_with("/actualites/"))
        .map(String::from)
        .collect()
}

async fn signed_in(port: u16) -> reqwest::Client {
    sign_in(port).await.expect("the director signs in")
}

#[tokio::test]
async fn the_index_survives_sigkill_and_reindex_gives_the_same_results() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let port = free_port();
    let mut acknowledged: Vec<String> = Vec::new();
    for cycle in 0..3 {
        let mut child = start(dir.path(), port).await;
        let kill_after = Duration::from_millis(rand::rng().random_range(300..900));
        let load = tokio::spawn(news_load(port, cycle, Duration::from_secs(5)));
        tokio::time::sleep(kill_after).await;
        child.kill().unwrap(); // SIGKILL: no flush, no goodbye
        child.wait().unwrap();
        acknowledged.extend(load.await.unwrap());
    }
    assert!(!acknowledged.is_empty(), "the load published nothing");
    let mut child = start(dir.path(), port).await;
    let http = signed_in(port).await;
    let mut before = Vec::new();
    for word in &acknowledged {
        let links = found(&http, port, word).await;
        assert_eq!(
            links.len(),
            1,
            "« {word} », acknowledged, is found once after the kills"
        );
        before.push(links);
    }
    let all_before = found(&http, port, "annonce").await;
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    child.wait().unwrap();

    let check = preau(dir.path())
        .args(["check", "--reindex"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "preau check --reindex: {out}");
    assert!(out.contains("Index de la recherche reconstruit"), "{out}");

    let mut child = start(dir.path(), port).await;
    let http = signed_in(port).await;
    for (word, links) in acknowledged.iter().zip(&before) {
        assert_eq!(
            &found(&http, port, word).await,
            links,
            "« {word} » after --reindex"
        );
    }
    assert_eq!(found(&http, port, "annonce").await, all_before);
    println!(
        "recherche : {} actualités acquittées sous SIGKILL, toutes retrouvées, mêmes résultats après --reindex",
        acknowledged.len()
    );
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    child.wait().unwrap();
}

/// The ids of the news a results page links to, in its order.
fn news_linked(body: &str) -> Vec<u64> {
    body.split("href=\"/actualites/")
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            (rest.get(digits.len()..)?.starts_with('"')).then(|| digits.parse().ok())?
        })
        .collect()
}

#[tokio::test]
async fn a_service_with_more_results_than_shown_opens_its_own_pages() {
    let (server, _f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    for n in 1..=23 {
        director.get("/actualites/nouvelle").await;
        let title = format!("Tombola numéro {n}");
        let r = director
            .post_multipart(
                "/actualites/nouvelle",
                &[
                    ("source", "ecole"),
                    ("title", title.as_str()),
                    ("body", "Les billets de la tombola sont en vente."),
                    ("audience", "tous"),
                ],
                &[],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    // The index read for one service names its records only.
    let store = server.store();
    let terms = preau::search::words::query_terms("tombola");
    let of_kind = |kind| preau::search::candidates_in(&store, &terms, 1000, &[kind]).unwrap();
    assert_eq!(of_kind(preau::search::Kind::News).len(), 23);
    assert!(of_kind(preau::search::Kind::Message).is_empty());
    assert_eq!(postings_of(&store, "tombola"), 23);
    let mut marc = server.signed_in("marc.petit").await;
    // Every service: the five newest and a link to the service's own results.
    let all = marc.get("/recherche?q=tombola").await.body;
    assert!(all.contains("Actualités (plus de 5)"), "{all}");
    assert_eq!(news_linked(&all).len(), 5, "{all}");
    assert!(
        all.contains("href=\"/recherche?q=tombola&amp;dans=actualites\""),
        "{all}"
    );
    // The service's pages: twenty, then the three left, none twice, newest first.
    let first = marc.get("/recherche?q=tombola&dans=actualites").await.body;
    let first_ids = news_linked(&first);
    assert_eq!(first_ids.len(), 20, "{first}");
    assert_eq!(first_ids[..5], news_linked(&all)[..], "same newest five");
    assert!(first.contains("<mark>Tombola</mark>"), "{first}");
    assert!(
        first.contains("href=\"/recherche?q=tombola&amp;dans=actualites&amp;page=2\""),
        "{first}"
    );
    let second = marc
        .get("/recherche?q=tombola&dans=actualites&page=2")
        .await
        .body;
    let second_ids = news_linked(&second);
    assert_eq!(second_ids.len(), 3, "{second}");
    assert!(second.contains("Page précédente") && !second.contains("Page suivante"));
    let mut every: Vec<u64> = first_ids.iter().chain(&second_ids).copied().collect();
    every.sort_unstable();
    every.dedup();
    assert_eq!(every.len(), 23);
    // Past the end: the last page, said so.
    let far = marc
        .get("/recherche?q=tombola&dans=actualites&page=9")
        .await
        .body;
    assert!(far.contains("La page 9 n'existe pas"), "{far}");
    assert_eq!(news_linked(&far), second_ids);
    // Another service holds none of them; an unknown one is every service.
    let messages = marc.get("/recherche?q=tombola&dans=messages").await.body;
    assert!(
        messages.contains("Aucun résultat dans « Messages »"),
        "{messages}"
    );
    assert!(news_linked(&messages).is_empty());
    let unknown = marc.get("/recherche?q=tombola&dans=ailleurs").await.body;
    assert_eq!(news_linked(&unknown).len(), 5);
    server.stop().await;
}
