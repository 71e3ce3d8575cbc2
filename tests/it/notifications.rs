//! Notifications: preferences per kind, the notification centre, and e-mail digests sent
//! to a fake SMTP server on 127.0.0.1 (nothing leaves the machine).

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::common::{TestServer, DIRECTOR_LOGIN};

/// A minimal SMTP server that accepts every message and keeps its text.
async fn fake_smtp() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let kept = mails.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(text) = data.as_mut() {
                        if line == "." {
                            kept.lock().unwrap().push(std::mem::take(text));
                            data = None;
                            write.write_all(b"250 OK\r\n").await.unwrap();
                        } else {
                            text.push_str(&line);
                            text.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split_whitespace().next().unwrap_or("").to_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 test\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        }
                        _ => b"250 OK\r\n",
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, mails)
}

#[tokio::test(flavor = "multi_thread")]
async fn digests_go_to_the_schools_smtp_server_once() {
    let (server, f) = TestServer::school().await;
    let (port, mails) = fake_smtp().await;
    let store = server.store();
    store
        .commit_checked_blocking(|tx| {
            let mut u = preau::directory::user_in(tx, f.marc)?.unwrap();
            u.email = Some("marc.petit@example.org".into());
            preau::directory::save_user(tx, &u)
        })
        .unwrap();

    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/admin/courriel").await;
    let bad = director
        .post(
            "/admin/courriel",
            &[
                ("host", ""),
                ("port", "x"),
                ("security", "aucun"),
                ("from", "pas-une-adresse"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Indiquez un numéro de port"));
    let port_text = port.to_string();
    let ok = director
        .post(
            "/admin/courriel",
            &[
                ("host", "127.0.0.1"),
                ("port", &port_text),
                ("security", "aucun"),
                ("from", "ent@ecole-tilleuls.fr"),
                ("action", "enregistrer"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    director.get("/admin/courriel").await;
    director
        .post("/admin/courriel/essai", &[("to", "directrice@example.org")])
        .await;
    assert!(
        director
            .get("/admin/courriel")
            .await
            .body
            .contains("courriel d&#39;essai est parti")
            || mails.lock().unwrap().len() == 1
    );
    assert_eq!(mails.lock().unwrap().len(), 1, "the test e-mail");

    // Marc chooses immediate e-mails; a message arrives for him.
    let mut marc = server.signed_in("marc.petit").await;
    marc.get("/notifications").await;
    let kinds = [
        "message",
        "mot",
        "mot-reponse",
        "moderation",
        "signalement",
        "devoir",
        "article",
    ];
    let mut fields: Vec<(&str, &str)> = kinds.iter().map(|k| ("kind", *k)).collect();
    fields.push(("digest", "immediat"));
    marc.post("/notifications/preferences", &fields).await;
    director.get("/messagerie/ecrire").await;
    let to = format!("u{}", f.marc);
    director
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &to),
                ("subject", "Kermesse"),
                ("body", "Samedi"),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;

    let app = server.running.as_ref().unwrap().app.clone();
    let sent = preau::notify::mail::run(&app, preau::auth::now_micros())
        .await
        .unwrap();
    assert_eq!(sent, 1);
    {
        let all = mails.lock().unwrap();
        let digest = all.last().unwrap();
        assert!(digest.contains("marc.petit@example.org"));
        assert!(digest.contains("Kermesse"), "{digest}");
        assert!(
            !digest.contains("Samedi"),
            "titles only: the content stays in the ENT"
        );
    }
    assert_eq!(
        preau::notify::mail::run(&app, preau::auth::now_micros())
            .await
            .unwrap(),
        0,
        "not twice"
    );

    // Marc mutes messages: the next one makes no notification.
    marc.get("/notifications").await;
    marc.post(
        "/notifications/preferences",
        &[("kind", "mot"), ("digest", "jamais")],
    )
    .await;
    director.get("/messagerie/ecrire").await;
    director
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &to),
                ("subject", "Chorale"),
                ("body", "Mardi"),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    let centre = marc.get("/notifications").await;
    assert!(!centre.body.contains("Chorale"));
    assert!(
        marc.get("/messagerie").await.body.contains("Chorale"),
        "the message itself arrives"
    );
}

#[tokio::test]
async fn the_centre_lists_opens_and_marks_read() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    for subject in ["Un", "Deux"] {
        director.get("/messagerie/ecrire").await;
        director
            .post_multipart(
                "/messagerie/ecrire",
                &[
                    ("to", &format!("u{}", f.anne)),
                    ("subject", subject),
                    ("body", "x"),
                    ("action", "envoyer"),
                ],
                &[],
            )
            .await;
    }
    let mut anne = server.signed_in("anne.petit").await;
    let centre = anne.get("/notifications").await;
    assert!(centre.body.contains("Notifications : 2 non lues"));
    let marker = "action=\"/notifications/";
    let id: String = centre
        .body
        .match_indices(marker)
        .map(|(i, _)| {
            centre.body[i + marker.len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
        })
        .find(|id| !id.is_empty())
        .unwrap();
    let open = anne.post(&format!("/notifications/{id}"), &[]).await;
    assert!(open.location.unwrap().starts_with("/messagerie/"));
    assert!(anne
        .get("/accueil")
        .await
        .body
        .contains("Notifications : 1 non lue"));
    // Someone else's notification cannot be opened.
    let mut marc = server.signed_in("marc.petit").await;
    assert_eq!(
        marc.post(&format!("/notifications/{id}"), &[]).await.status,
        404
    );
    anne.post("/notifications/tout-lu", &[]).await;
    assert!(anne
        .get("/accueil")
        .await
        .body
        .contains("Notifications : aucune nouvelle"));
}

/// Ninety days of a busy family's notices come in pages, newest first; « Tout marquer
/// comme lu » reaches those of every page (through the index of unread notices).
#[tokio::test]
async fn a_long_centre_comes_in_pages_and_all_of_it_is_marked_read() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let now = preau::auth::now_micros();
    store
        .commit_blocking(|tx| {
            for n in 1..=60 {
                preau::notify::push(
                    tx,
                    f.anne,
                    preau::notify::Kind::Mot,
                    &format!("Avis {n}"),
                    &format!("/carnet/{n}"),
                    now + n,
                )?;
            }
            Ok(())
        })
        .unwrap();
    let mut anne = server.signed_in("anne.petit").await;
    let first = anne.get("/notifications").await;
    assert!(first.body.contains("60 notifications non lues"));
    assert!(first.body.contains("Avis 60<") && first.body.contains("Avis 11<"));
    assert!(!first.body.contains("Avis 10<"), "50 a page");
    assert!(first.body.contains("href=\"/notifications?page=2\""));
    let second = anne.get("/notifications?page=2").await;
    assert!(second.body.contains("Avis 10<") && second.body.contains("Avis 1<"));
    assert!(!second.body.contains("Avis 11<"));
    anne.post("/notifications/tout-lu", &[]).await;
    assert_eq!(preau::notify::unread_count(&store, f.anne).unwrap(), 0);
    assert_eq!(
        store.count(preau::notify::UNREAD_BY_LINK.name).unwrap(),
        0,
        "nothing left unread on any page"
    );
    let second = anne.get("/notifications?page=2").await;
    assert!(!second.body.contains("class=\"unread\""), "page 2 read too");
}

/// Schema 6: notifications kept under schema 5 gain their index by date, and the hourly
/// purge then finds the old ones through it alone (it no longer reads every notice).
#[tokio::test]
async fn notices_kept_before_schema_6_are_still_purged_in_time() {
    use preau::notify::{self, Kind, BY_AT, NOTIFICATIONS};
    let dir = tempfile::tempdir().unwrap();
    let settings = crate::common::test_settings(dir.path());
    let now = preau::auth::now_micros();
    let day = 86_400_000_000i64;
    {
        let store = preau::schema::open(&settings).unwrap();
        store
            .commit_blocking(|tx| {
                notify::push(
                    tx,
                    1,
                    Kind::Message,
                    "vieux, lu",
                    "/messagerie/1",
                    now - 100 * day,
                )?;
                notify::push(
                    tx,
                    1,
                    Kind::Mot,
                    "vieux, non lu",
                    "/carnet/2",
                    now - 95 * day,
                )?;
                notify::push(
                    tx,
                    2,
                    Kind::Message,
                    "vieux",
                    "/messagerie/3",
                    now - 91 * day,
                )?;
                notify::push(
                    tx,
                    1,
                    Kind::Message,
                    "récent",
                    "/messagerie/4",
                    now - 2 * day,
                )?;
                notify::push(tx, 2, Kind::Mot, "récent", "/carnet/5", now - day)
            })
            .unwrap();
        let first = store
            .scan_prefix(&NOTIFICATIONS, &preau::store::Key::encode(&1u64))
            .unwrap();
        let read = first
            .iter()
            .find(|(_, n)| n.text == "vieux, lu")
            .unwrap()
            .1
            .id;
        let dated = store.scan(&BY_AT).unwrap();
        store
            .commit_blocking(|tx| {
                let mut n = tx.get(&NOTIFICATIONS, &(1, read))?.unwrap();
                n.read = true;
                tx.put(&NOTIFICATIONS, &(1, read), &n)?;
                tx.put(&notify::UNREAD, &1, &2u64)?;
                tx.remove(&notify::UNREAD_BY_LINK, &(1, "/messagerie/1".to_string()))?;
                // What schema 5 wrote: no index by date.
                for (k, ()) in &dated {
                    tx.remove(&BY_AT, k)?;
                }
                tx.set_meta(preau::store::migrate::SCHEMA_KEY, &5u64)
            })
            .unwrap();
    }
    let store = preau::schema::open(&settings).unwrap();
    assert_eq!(
        store.scan(&BY_AT).unwrap().len(),
        5,
        "every notice is dated"
    );
    assert_eq!(notify::purge(&store, now).unwrap(), 3);
    let left: Vec<String> = store
        .scan(&NOTIFICATIONS)
        .unwrap()
        .into_iter()
        .map(|(_, n)| n.text)
        .collect();
    assert_eq!(left, ["récent", "récent"]);
    assert_eq!(store.scan(&BY_AT).unwrap().len(), 2);
    assert_eq!(
        notify::unread_count(&store, 1).unwrap(),
        1,
        "the old unread one left the bell"
    );
    assert_eq!(notify::unread_count(&store, 2).unwrap(), 1);
    assert_eq!(notify::purge(&store, now).unwrap(), 0, "nothing twice");
}
