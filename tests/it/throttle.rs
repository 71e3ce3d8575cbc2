//! Password guessing: bursts of simultaneous guesses are counted before they are checked,
//! a lock set from one address does not lock the account out elsewhere, the class board's
//! picture passwords lock per pupil until the teacher lifts it, pupils do not see their
//! classmates' logins, and the current-password check of /compte is throttled too.

use std::net::IpAddr;

use preau::auth::journal::{self, ConnectionKind};
use preau::board::{LENGTH, PICTURES};

use crate::common::{Client, TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};

/// A client whose connections leave from `source` (any 127.x.y.z is loopback on Linux),
/// to play a second address.
fn client_from(server: &TestServer, source: &str) -> Client {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .tls_certs_only([reqwest::Certificate::from_pem(server.ca_pem.as_bytes()).unwrap()])
        .resolve("ecole.local", server.https)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(source.parse::<IpAddr>().unwrap())
        .build()
        .unwrap();
    Client {
        http,
        base: format!("https://ecole.local:{}", server.https.port()),
        csrf: String::new(),
    }
}

/// How many guesses were really checked for this login (the journal's « Échec » lines).
fn evaluated(server: &TestServer, login: &str) -> usize {
    journal::recent_connections(&server.store(), 10_000)
        .unwrap()
        .iter()
        .filter(|e| e.kind == ConnectionKind::Failure && e.login == login)
        .count()
}

/// Sends all `forms` to `path` at once, from the same client (cookie and CSRF token).
async fn burst(c: &Client, path: &str, forms: Vec<Vec<(String, String)>>) -> Vec<(u16, String)> {
    let mut tasks = Vec::new();
    for mut form in forms {
        form.push(("_csrf".into(), c.csrf.clone()));
        let http = c.http.clone();
        let url = format!("{}{path}", c.base);
        tasks.push(tokio::spawn(async move {
            let resp = http
                .post(url)
                .form(&form)
                .timeout(std::time::Duration::from_secs(20))
                .send()
                .await;
            match resp {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    (status, resp.text().await.unwrap_or_default())
                }
                Err(e) => panic!("{e:?}"),
            }
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

fn login_form(login: &str, password: &str) -> Vec<(String, String)> {
    vec![
        ("login".into(), login.into()),
        ("password".into(), password.into()),
        ("suite".into(), "/accueil".into()),
    ]
}

// Many requests at once: the server's tasks and the burst's get their own threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_40_guesses_is_checked_at_most_6_times_and_another_address_still_gets_in() {
    let server = TestServer::installed().await;
    let mut attacker = server.client();
    attacker.get("/connexion").await;
    let forms = (0..40)
        .map(|i| login_form(DIRECTOR_LOGIN, &format!("devine-{i}")))
        .collect();
    let answers = burst(&attacker, "/connexion", forms).await;
    let checked = evaluated(&server, DIRECTOR_LOGIN);
    eprintln!("login burst: {checked} of 40 guesses evaluated");
    assert!(checked <= 6, "{checked} guesses of 40 were checked");
    assert!(answers.iter().all(|(s, _)| *s == 401));
    assert_eq!(
        answers
            .iter()
            .filter(|(_, b)| b.contains("Trop de tentatives"))
            .count(),
        40 - checked
    );

    // The right password from the attacker's address now waits…
    let p = attacker.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    assert_eq!(p.status, 401);
    assert!(p.body.contains("Trop de tentatives"), "{}", p.body);
    assert!(p.body.contains("seconde") || p.body.contains("minute"));
    assert_eq!(
        evaluated(&server, DIRECTOR_LOGIN),
        checked,
        "not even checked"
    );

    // …but the director, from another address, is not locked out by it.
    let mut director = client_from(&server, "127.0.0.2");
    let p = director.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    assert_eq!(p.status, 303, "{}", p.body);
}

/// Zoé's picture sequence from freshly printed cards of her class (Paul's).
async fn print_cards(server: &TestServer, class: u64) -> Vec<u8> {
    let mut teacher = server.signed_in("paul.durand").await;
    let cards = teacher
        .post(&format!("/classes/{class}/cartes"), &[("kind", "images")])
        .await;
    assert_eq!(cards.status, 200);
    let chunk = cards
        .body
        .split("Identifiant : <strong class=\"code\">zoe.leroy")
        .nth(1)
        .unwrap();
    let pictures = chunk
        .split("class=\"card-pictures\"")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap();
    let seq: Vec<u8> = pictures
        .split("alt=\"")
        .skip(1)
        .map(|a| {
            let name = a.split('"').next().unwrap();
            PICTURES.iter().position(|(_, n)| *n == name).unwrap() as u8 + 1
        })
        .collect();
    assert_eq!(seq.len(), LENGTH, "{pictures}");
    seq
}

fn touch_form(seq: &[u8]) -> Vec<(String, String)> {
    let (last, first) = seq.split_last().unwrap();
    let so_far = first
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("-");
    vec![("seq".into(), so_far), ("pic".into(), last.to_string())]
}

// Many requests at once: the server's tasks and the burst's get their own threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_60_picture_sequences_locks_the_pupil_until_the_teacher_lifts_it() {
    let (server, folks) = TestServer::school().await;
    let seq = print_cards(&server, folks.cm).await;
    let mut tablet = server.client();
    let board = format!("/tableau/{}/{}", folks.cm, folks.zoe);
    tablet.get(&board).await;
    // 60 different wrong sequences: rotations of the other pictures.
    let others: Vec<u8> = (1..=PICTURES.len() as u8)
        .filter(|n| !seq.contains(n))
        .collect();
    let forms = (0..60)
        .map(|i| {
            let guess: Vec<u8> = (0..LENGTH)
                .map(|k| others[(i + k * 3 + i / others.len()) % others.len()])
                .collect();
            touch_form(&guess)
        })
        .collect();
    burst(&tablet, &board, forms).await;
    let checked = evaluated(&server, "zoe.leroy (images)");
    eprintln!("board burst: {checked} of 60 sequences evaluated");
    assert!(checked <= 5, "{checked} sequences of 60 were checked");

    // Locked: even the right pictures are refused, with a word for the child.
    let p = tablet
        .post(
            &board,
            &touch_form(&seq)
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_ne!(p.status, 303);
    assert!(p.body.contains("enseignant"), "{}", p.body);
    // From another tablet too: the lock is the pupil's.
    let mut other = client_from(&server, "127.0.0.3");
    other.get(&board).await;
    let p = other
        .post(
            &board,
            &touch_form(&seq)
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_ne!(p.status, 303);

    // The class page shows the lock to the teacher, who lifts it.
    let mut teacher = server.signed_in("paul.durand").await;
    let page = teacher.get(&format!("/classes/{}", folks.cm)).await;
    assert!(page.body.contains("bloqué"), "{}", page.body);
    let zoe = folks.zoe.to_string();
    let p = teacher
        .post(
            &format!("/classes/{}/debloquer", folks.cm),
            &[("pupil", &zoe)],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let audit = journal::recent_audit(&server.store(), 50).unwrap();
    assert!(audit
        .iter()
        .any(|a| a.actor_login == "paul.durand" && a.action.contains("zoe.leroy")));

    tablet.get(&board).await;
    let p = tablet
        .post(
            &board,
            &touch_form(&seq)
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(p.location.as_deref(), Some("/accueil"), "{}", p.body);
}

#[tokio::test]
async fn a_pupil_lifts_no_lock_and_the_director_lifts_an_adults_lock() {
    let (server, folks) = TestServer::school().await;
    // Six wrong passwords for the teacher from this address.
    let mut attacker = server.client();
    for i in 0..6 {
        attacker.login("paul.durand", &format!("faux-{i}")).await;
    }
    assert!(attacker
        .login("paul.durand", "maitre2026")
        .await
        .body
        .contains("Trop de tentatives"));
    // A pupil may not lift anything.
    let mut tom = server.signed_in("tom.bernard").await;
    tom.get(&format!("/classes/{}", folks.cp)).await;
    let lou = folks.lou.to_string();
    let p = tom
        .post(
            &format!("/classes/{}/debloquer", folks.cp),
            &[("pupil", &lou)],
        )
        .await;
    assert_eq!(p.status, 403);
    // The director lifts the teacher's lock from the console's account page.
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let page = director
        .get(&format!("/admin/comptes/{}", folks.paul))
        .await;
    assert!(page.body.contains("Débloquer"), "{}", page.body);
    let p = director
        .post(&format!("/admin/comptes/{}/debloquer", folks.paul), &[])
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        attacker.login("paul.durand", "maitre2026").await.status,
        303
    );
}

#[tokio::test]
async fn pupils_see_neither_their_classmates_logins_nor_their_parents() {
    let (server, folks) = TestServer::school().await;
    let store = server.store();
    let name = |id| {
        preau::directory::user(&store, id)
            .unwrap()
            .unwrap()
            .display_name()
    };
    let mut tom = server.signed_in("tom.bernard").await;
    let page = tom.get(&format!("/classes/{}", folks.cp)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("lou"), "classmates' first names stay");
    for hidden in ["lou.petit", &name(folks.marc), &name(folks.anne)] {
        assert!(!page.body.contains(hidden), "{hidden} shown to a pupil");
    }
    // The class's teacher (here the director) still sees them.
    let mut teacher = server.signed_in(DIRECTOR_LOGIN).await;
    let page = teacher.get(&format!("/classes/{}", folks.cp)).await;
    for shown in ["lou.petit", &name(folks.marc), &name(folks.anne)] {
        assert!(page.body.contains(shown), "{shown} missing for the teacher");
    }
}

// Many requests at once: the server's tasks and the burst's get their own threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_current_password_check_of_the_account_page_is_throttled() {
    let (server, _) = TestServer::school().await;
    let mut tom = server.signed_in("tom.bernard").await;
    tom.get("/compte").await;
    let forms = (0..20)
        .map(|i| {
            vec![
                ("current_password".into(), format!("devine-{i}")),
                ("new_password".into(), "Nouveau-mot-2026".into()),
                ("new_password_confirm".into(), "Nouveau-mot-2026".into()),
            ]
        })
        .collect();
    let answers = burst(&tom, "/compte/mot-de-passe", forms).await;
    let wrong = answers
        .iter()
        .filter(|(_, b)| {
            b.contains("actuel n&#39;est pas le bon") || b.contains("actuel n'est pas le bon")
        })
        .count();
    eprintln!("password change burst: {wrong} of 20 checked");
    assert!(wrong <= 6, "{wrong} of 20 current passwords checked");
    let p = tom
        .post(
            "/compte/mot-de-passe",
            &[
                ("current_password", crate::common::FOLKS_PASSWORD),
                ("new_password", "Nouveau-mot-2026"),
                ("new_password_confirm", "Nouveau-mot-2026"),
            ],
        )
        .await;
    assert_eq!(p.status, 400);
    assert!(p.body.contains("Trop d"), "{}", p.body);
}
