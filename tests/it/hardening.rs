//! Security issue 14: each test replays an attack that worked and shows it now does no
//! harm (open redirect, spoofed client address, forced steps skipped by POST, iCalendar
//! injection, CSRF page link, world-readable backups, bidi file names, creation floods).

use std::os::unix::fs::PermissionsExt;

use crate::common::{
    id_after, install, Client, Page, TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD, FOLKS_PASSWORD,
};

#[tokio::test]
async fn hostile_suites_land_on_the_home_page_and_a_nested_page_is_kept() {
    let (server, _) = TestServer::school().await;
    // The reported one first: a tab between two slashes, which browsers drop.
    let hostile = [
        "%2F%09%2Fevil.example",
        "%2F%0A%2Fevil.example",
        "%2F%0D%2Fevil.example",
        "%2F%20%2Fevil.example",
        "%2F%5Cevil.example",
        "%2F%2Fevil.example",
        "%5C%5Cevil.example",
        "https%3A%2F%2Fevil.example",
        "javascript%3Aalert(1)",
        "%2F%E2%80%AEelpmaxe.live%2F%2F",
    ];
    for suite in hostile {
        let mut c = server.client();
        c.get(&format!("/connexion?suite={suite}")).await;
        let p = c
            .post(
                "/connexion",
                &[
                    ("login", DIRECTOR_LOGIN),
                    ("password", DIRECTOR_PASSWORD),
                    ("suite", &percent_decode(suite)),
                ],
            )
            .await;
        assert_eq!(p.status, 303, "{suite}");
        assert_eq!(p.location.as_deref(), Some("/accueil"), "{suite}");
        // Already signed in, the login page sends the suite on at once: same answer.
        let p = c.get(&format!("/connexion?suite={suite}")).await;
        assert_eq!(p.location.as_deref(), Some("/accueil"), "{suite}");
    }

    // A message page asked for before login is where the person lands after it.
    let mut c = server.client();
    let p = c.get("/messagerie/4").await;
    assert_eq!(
        p.location.as_deref(),
        Some("/connexion?suite=%2Fmessagerie%2F4")
    );
    let form = c.get(p.location.as_deref().unwrap()).await;
    assert!(form.body.contains("value=\"/messagerie/4\""));
    let p = c
        .post(
            "/connexion",
            &[
                ("login", DIRECTOR_LOGIN),
                ("password", DIRECTOR_PASSWORD),
                ("suite", "/messagerie/4"),
            ],
        )
        .await;
    assert_eq!(p.location.as_deref(), Some("/messagerie/4"));
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// A login POST with extra headers, as a browser behind the proxy could send them.
async fn login_with(c: &mut Client, login: &str, password: &str, headers: &[(&str, &str)]) -> Page {
    c.get("/connexion").await;
    let mut req = c.http.post(format!("{}/connexion", c.base)).form(&[
        ("login", login),
        ("password", password),
        ("suite", "/accueil"),
        ("_csrf", &c.csrf.clone()),
    ]);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.unwrap();
    Page {
        status: resp.status().as_u16(),
        location: resp
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string()),
        body: resp.text().await.unwrap(),
    }
}

#[tokio::test]
async fn behind_the_proxy_only_the_last_forwarded_hop_counts() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path());
    let server = TestServer::start_with(dir, |s| {
        s.behind_https_proxy = true;
        s.school_networks = vec!["10.0.0.0/8".parse().unwrap()];
    })
    .await;

    // A spoofed X-Real-IP from the school's range does not open the class board.
    let outside = server.client();
    let p = outside
        .http
        .get(format!("{}/tableau", outside.base))
        .header("X-Real-IP", "10.1.2.3")
        .header("X-Forwarded-For", "10.9.9.9, 203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(
        p.status().as_u16(),
        403,
        "a client's own X-Real-IP is ignored"
    );
    // The hop the proxy appended is the school's address: the board opens.
    let p = outside
        .http
        .get(format!("{}/tableau", outside.base))
        .header("X-Real-IP", "203.0.113.50")
        .header("X-Forwarded-For", "203.0.113.9, 10.1.2.3")
        .send()
        .await
        .unwrap();
    assert_eq!(p.status().as_u16(), 200, "the proxy's last hop is believed");

    // The connection journal keeps the last hop, not the spoofed X-Real-IP.
    let mut c = server.client();
    let p = login_with(
        &mut c,
        DIRECTOR_LOGIN,
        DIRECTOR_PASSWORD,
        &[
            ("X-Real-IP", "10.1.2.3"),
            ("X-Forwarded-For", "198.51.100.7"),
        ],
    )
    .await;
    assert_eq!(p.status, 303);
    let journal = preau::auth::journal::recent_connections(&server.store(), 5).unwrap();
    let last = journal
        .iter()
        .find(|e| e.login == DIRECTOR_LOGIN)
        .expect("the login is in the journal");
    assert_eq!(last.address, "198.51.100.7");

    // Rotating X-Real-IP does not reset the per-address throttle: failures from one
    // address (unknown logins, so no account's own throttle) end up held back.
    let mut attacker = server.client();
    let mut throttled_after = None;
    for i in 0..60 {
        let spoofed = format!("10.0.{}.{}", i / 200, i % 200 + 1);
        let p = login_with(
            &mut attacker,
            &format!("inconnu{i}"),
            "mauvais",
            &[
                ("X-Real-IP", &spoofed),
                ("X-Forwarded-For", "198.51.100.66"),
            ],
        )
        .await;
        if p.body.contains("Trop de tentatives") {
            throttled_after = Some(i);
            break;
        }
    }
    assert!(
        throttled_after.is_some_and(|n| n <= 30),
        "held back after {throttled_after:?} tries despite a new X-Real-IP each time"
    );
    // Another address (another hop) is not held back by it.
    let mut other = server.client();
    let p = login_with(
        &mut other,
        "inconnu-autre",
        "mauvais",
        &[("X-Forwarded-For", "198.51.100.67")],
    )
    .await;
    assert!(!p.body.contains("Trop de tentatives"));
}

#[tokio::test]
async fn a_temporary_password_cannot_send_a_message_by_post() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    store
        .commit_checked_blocking(|tx| {
            let mut u = preau::directory::user_in(tx, f.marc)?.unwrap();
            u.must_change_password = true;
            preau::directory::save_user(tx, &u)
        })
        .unwrap();
    let mut marc = server.client();
    let p = marc.login("marc.petit", FOLKS_PASSWORD).await;
    assert_eq!(p.location.as_deref(), Some("/compte?premiere=1"));
    let p = marc.get("/compte?premiere=1").await;
    assert_eq!(p.status, 200);
    let before = preau::messaging::mailbox(&store, f.director).unwrap().len();
    let p = marc
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &format!("u{}", f.director)),
                ("subject", "Sans changer de mot de passe"),
                ("body", "Envoyé avec le mot de passe provisoire"),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(p.location.as_deref(), Some("/compte?premiere=1"));
    assert_eq!(
        preau::messaging::mailbox(&store, f.director).unwrap().len(),
        before,
        "no message reached the director"
    );
    assert!(
        preau::messaging::mailbox(&store, f.marc)
            .unwrap()
            .is_empty(),
        "nor was a draft or a sent copy kept"
    );
    // Another form (a personal agenda event) is refused the same way.
    let p = marc
        .post(
            "/agenda/nouveau",
            &[
                ("calendar", "perso"),
                ("title", "x"),
                ("start_day", "2026-12-01"),
            ],
        )
        .await;
    assert_eq!(p.location.as_deref(), Some("/compte?premiere=1"));
    // The password change itself still works, then the messagerie opens.
    let p = marc
        .post(
            "/compte/mot-de-passe",
            &[
                ("current_password", FOLKS_PASSWORD),
                ("new_password", "Un-nouveau-mot-2026"),
                ("new_password_confirm", "Un-nouveau-mot-2026"),
            ],
        )
        .await;
    assert_ne!(
        p.location.as_deref(),
        Some("/compte?premiere=1"),
        "{}",
        p.body
    );
    let u = preau::directory::user(&store, f.marc).unwrap().unwrap();
    assert!(
        !u.must_change_password,
        "the password was changed: {}",
        p.body
    );
    assert_eq!(marc.get("/messagerie/ecrire").await.status, 200);
    // Logout works whatever the state.
    let p = marc.post("/deconnexion", &[]).await;
    assert_eq!(p.location.as_deref(), Some("/connexion"));
}

#[tokio::test]
async fn a_bare_carriage_return_in_a_title_adds_no_event_to_the_feed() {
    let (server, _) = TestServer::school().await;
    let mut c = server.signed_in(DIRECTOR_LOGIN).await;
    c.get("/agenda/nouveau").await;
    let title = "Kermesse\rEND:VEVENT\rBEGIN:VEVENT\rUID:pirate\rSUMMARY:Faux; événement, ajouté\\";
    let p = c
        .post(
            "/agenda/nouveau",
            &[
                ("calendar", "perso"),
                ("title", title),
                ("place", "Cour\r\nDTSTART:19700101T000000"),
                ("start_day", "2026-12-05"),
                ("start_time", "10:00"),
                ("details", "Ligne 1\r\nLigne 2\rLigne 3"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    c.get("/agenda/abonnement").await;
    let page = c.post("/agenda/abonnement", &[]).await;
    let start = page.body.find("/agenda/ical/").unwrap();
    let end = start + page.body[start..].find(".ics").unwrap() + 4;
    let feed = c.get(&page.body[start..end]).await;
    assert_eq!(feed.status, 200);
    let text = feed.body;
    assert!(text.ends_with("\r\n"));
    for line in text.split_terminator("\r\n") {
        assert!(!line.contains('\r') && !line.contains('\n'), "{line:?}");
        assert!(line.len() <= 75, "{line:?}");
    }
    // As a lenient parser reads it: every CR or LF ends a line.
    let lines: Vec<&str> = text.split(['\r', '\n']).collect();
    let events = lines.iter().filter(|l| **l == "BEGIN:VEVENT").count();
    let holidays = text.matches("UID:vacances-").count();
    assert_eq!(events, holidays + 1, "one VEVENT for the one event");
    assert!(!lines.iter().any(|l| l.starts_with("UID:pirate")));
    assert!(!lines.iter().any(|l| l.starts_with("DTSTART:19700101")));
    let unfolded = text.replace("\r\n ", "");
    assert!(unfolded.contains(
        "SUMMARY:Kermesse\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:pirate\\nSUMMARY:Faux\\; événement\\, ajouté\\\\\r\n"
    ));
}

#[tokio::test]
async fn the_csrf_page_offers_no_link_to_another_site() {
    let (server, _) = TestServer::school().await;
    let mut c = server.signed_in(DIRECTOR_LOGIN).await;
    let p = c
        .post_raw(
            "//evil.example/x",
            &[("texte", "bonjour"), ("_csrf", "faux")],
        )
        .await;
    assert_eq!(p.status, 403);
    assert!(p.body.contains("Formulaire expiré"));
    assert!(!p.body.contains("href=\"//evil.example"), "{}", p.body);
    assert!(p.body.contains("href=\"/accueil\""));
    // A form of the site is still offered back.
    let p = c
        .post_raw("/agenda/nouveau", &[("title", "x"), ("_csrf", "faux")])
        .await;
    assert!(p.body.contains("href=\"/agenda/nouveau\""));
}

#[tokio::test]
async fn a_backup_made_by_the_command_line_is_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path());
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_preau"))
            .env_remove("PREAU_DATA_DIR")
            .env("PREAU_BCRYPT_COST", "4")
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let archive = dir.path().join("ailleurs.tar");
    let out = run(&["backup", "--out", archive.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&archive), 0o600);
    // The default place too, and its folder.
    let out = run(&["backup"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.path().join("sauvegardes");
    assert_eq!(mode(&folder), 0o700);
    let made: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!made.is_empty());
    for p in made {
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
}

#[tokio::test]
async fn an_uploaded_or_renamed_file_loses_its_bidi_controls() {
    let (server, _) = TestServer::school().await;
    let mut lou = server.signed_in("lou.petit").await;
    lou.get("/mediatheque/espace/perso").await;
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(300, b' ');
    let p = lou
        .post_multipart(
            "/mediatheque/espace/perso/envoyer",
            &[],
            &[("files", "devoir\u{202E}fdp.exe", pdf)],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let page = lou.get(&p.location.unwrap()).await;
    assert!(page.body.contains("devoirfdp.exe"), "{}", page.body);
    assert!(!page.body.contains('\u{202E}'));
    let id = id_after(&page.body, "href=\"/mediatheque/element/").unwrap();
    lou.get(&format!("/mediatheque/element/{id}")).await;
    lou.post(
        &format!("/mediatheque/element/{id}/renommer"),
        &[("name", "\u{2067}lecon\u{2069}\u{200F}.pdf")],
    )
    .await;
    let page = lou.get(&format!("/mediatheque/element/{id}")).await;
    assert!(page.body.contains("lecon.pdf"), "{}", page.body);
    for c in ['\u{202E}', '\u{2067}', '\u{2069}', '\u{200F}'] {
        assert!(!page.body.contains(c), "{c:?}");
    }
}

#[tokio::test]
async fn the_thirty_first_event_in_a_minute_is_refused_with_the_text_kept() {
    let (server, f) = TestServer::school().await;
    let mut lou = server.signed_in("lou.petit").await;
    lou.get("/agenda/nouveau").await;
    let mut created = 0;
    let mut refused = None;
    for i in 0..31 {
        let title = format!("Rappel {i}");
        let p = lou
            .post(
                "/agenda/nouveau",
                &[
                    ("calendar", "perso"),
                    ("title", &title),
                    ("start_day", "2026-12-07"),
                ],
            )
            .await;
        if p.status == 303 {
            created += 1;
        } else {
            refused = Some(p);
        }
    }
    assert_eq!(created, 30);
    let p = refused.expect("the 31st is refused");
    assert_eq!(p.status, 400);
    assert!(
        p.body.contains(
            "Vous avez créé beaucoup d&#39;éléments en peu de temps : attendez une minute."
        ) || p
            .body
            .contains("Vous avez créé beaucoup d'éléments en peu de temps : attendez une minute."),
        "{}",
        p.body
    );
    assert!(
        p.body.contains("value=\"Rappel 30\""),
        "the title typed is kept"
    );
    assert!(
        !p.body.contains("corrigez le champ"),
        "nothing to correct: the summary says to wait"
    );
    let people = preau::directory::people::People::load(&server.store()).unwrap();
    let mine = preau::agenda::visible_events(&server.store(), &people, f.lou)
        .unwrap()
        .into_iter()
        .filter(|e| e.author == f.lou)
        .count();
    assert_eq!(mine, 30);
    // Someone else is not held back by it.
    let mut tom = server.signed_in("tom.bernard").await;
    tom.get("/agenda/nouveau").await;
    let p = tom
        .post(
            "/agenda/nouveau",
            &[
                ("calendar", "perso"),
                ("title", "À moi"),
                ("start_day", "2026-12-07"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
}

#[tokio::test]
async fn a_message_flood_is_held_back_without_piling_up_drafts() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let mut marc = server.signed_in("marc.petit").await;
    marc.get("/messagerie/ecrire").await;
    let to = format!("u{}", f.director);
    let mut statuses = Vec::new();
    for i in 0..36 {
        let subject = format!("Question {i}");
        let p = marc
            .post_multipart(
                "/messagerie/ecrire",
                &[
                    ("to", &to),
                    ("subject", &subject),
                    ("body", "Bonjour"),
                    ("action", "envoyer"),
                ],
                &[],
            )
            .await;
        if p.status != 303 {
            assert!(p.body.contains("attendez une minute"), "{}", p.body);
            assert!(p.body.contains(&subject), "the subject typed is kept");
        }
        statuses.push(p.status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 303).count(), 30);
    assert_eq!(statuses.iter().filter(|s| **s == 400).count(), 6);
    assert_eq!(
        preau::messaging::mailbox(&store, f.director).unwrap().len(),
        30
    );
    assert_eq!(
        preau::messaging::mailbox(&store, f.marc).unwrap().len(),
        30,
        "30 sent copies, no draft for the refused ones"
    );
    // Saving a new draft is refused too.
    let p = marc
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &to),
                ("subject", "Brouillon"),
                ("body", "…"),
                ("action", "brouillon"),
            ],
            &[],
        )
        .await;
    assert_ne!(p.status, 303);
    assert_eq!(preau::messaging::mailbox(&store, f.marc).unwrap().len(), 30);
}

#[tokio::test]
async fn a_charter_not_yet_accepted_refuses_posts_too() {
    let (server, f) = TestServer::school().await;
    let mut admin = server.signed_in(DIRECTOR_LOGIN).await;
    admin.get("/admin/charte").await;
    let p = admin
        .post("/admin/charte", &[("text", "Charte de la rentrée.")])
        .await;
    assert_eq!(p.status, 303);
    let mut marc = server.client();
    marc.login("marc.petit", FOLKS_PASSWORD).await;
    let p = marc.get("/charte").await;
    assert_eq!(p.status, 200);
    let p = marc
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &format!("u{}", f.director)),
                ("subject", "Sans la charte"),
                ("body", "Bonjour"),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    assert_eq!(p.location.as_deref(), Some("/charte?suite=%2Faccueil"));
    assert!(preau::messaging::mailbox(&server.store(), f.marc)
        .unwrap()
        .is_empty());
    let p = marc
        .post(
            "/charte/accepter",
            &[("accept", "oui"), ("suite", "/messagerie")],
        )
        .await;
    assert_eq!(p.location.as_deref(), Some("/messagerie"));
    assert_eq!(marc.get("/messagerie/ecrire").await.status, 200);
}
