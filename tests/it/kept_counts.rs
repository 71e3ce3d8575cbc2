//! The counts and indexes that keep pages within their budgets (see `budgets.rs`): they
//! agree with the records they count, and data written before them gains them.

use preau::directory::people::People;
use preau::policy::Profile;

use crate::budgets::{session, DAY};
use crate::common::TestServer;

/// Data written by Préau schema 3 (records without the indexes by date, mailboxes and mots
/// without counts) is found through the new indexes once migration 4 has run.
#[tokio::test]
async fn a_version_3_store_gains_the_indexes_by_date() {
    use preau::agenda::{Calendar, Event, Repeat, EVENTS};
    use preau::blog::{Article, BlogRef, Status, ARTICLES};
    use preau::news::{Audience, News, Source, Viewer, NEWS};
    use preau::pedagogy::textbook::{self, EntryKind, BY_CLASS, ENTRIES};
    let dir = tempfile::tempdir().unwrap();
    let now = preau::auth::now_micros();
    let settings = crate::common::test_settings(dir.path());
    {
        let store = preau::store::migrate::open_at_version(
            dir.path(),
            &settings.store_options(),
            &preau::schema::tables(),
            preau::schema::MIGRATIONS,
            3,
        )
        .unwrap();
        assert_eq!(store.schema_version().unwrap(), 3);
        // What schema 3 wrote: the records, and the cahier's index by class only.
        store
            .commit_blocking(|tx| {
                tx.put(
                    &NEWS,
                    &1,
                    &News {
                        id: 1,
                        source: Source::School,
                        author: 7,
                        title: "Kermesse".into(),
                        body: "Samedi.".into(),
                        image: None,
                        audience: Audience::All,
                        publish_at: now - DAY,
                        expires_at: None,
                        pinned: false,
                        created_at: now - DAY,
                    },
                )?;
                tx.put(
                    &EVENTS,
                    &1,
                    &Event {
                        id: 1,
                        calendar: Calendar::Personal(7),
                        title: "Rendez-vous".into(),
                        place: String::new(),
                        details: String::new(),
                        start: now + DAY,
                        end: now + DAY + 3_600_000_000,
                        all_day: false,
                        repeat: Repeat::Never,
                        audience: Audience::All,
                        author: 7,
                        created_at: now,
                        imported_uid: None,
                    },
                )?;
                let work = textbook::Entry {
                    kind: EntryKind::Work,
                    online: true,
                    ..session(1, 5, now, 7)
                };
                tx.put(&ENTRIES, &1, &work)?;
                tx.put(&BY_CLASS, &(5, 1), &())?;
                tx.put(
                    &preau::liaison::ACKS,
                    &(1, 2, 3),
                    &preau::liaison::Ack {
                        signed_at: Some(now),
                        ..Default::default()
                    },
                )?;
                tx.put(
                    &preau::messaging::MAILBOX,
                    &(7, 1),
                    &preau::messaging::Entry {
                        folder: preau::messaging::Folder::Inbox,
                        read: false,
                        before_trash: None,
                        bcc: false,
                    },
                )?;
                tx.put(
                    &ARTICLES,
                    &1,
                    &Article {
                        id: 1,
                        blog: BlogRef::Class(5),
                        author: 8,
                        title: "Notre potager".into(),
                        body: "Texte.".into(),
                        media: vec![],
                        status: Status::Submitted,
                        publish_at: now,
                        tagged: vec![],
                        created_at: now,
                        updated_at: now,
                    },
                )
            })
            .unwrap();
        assert_eq!(store.count(textbook::BY_CLASS_DAY.name).unwrap(), 0);
    }
    let store = preau::schema::open(&settings).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        preau::schema::current_version()
    );
    let viewer = Viewer {
        director: false,
        profile: Profile::Responsable,
        classes: vec![],
        shut: Vec::new(),
    };
    let news = preau::news::for_viewer(&store, &viewer, now).unwrap();
    assert_eq!(news.len(), 1, "the news item is found by audience and date");
    let people = People::load(&store).unwrap();
    let agenda = preau::agenda::agenda(&store, &people, 7, now, now + 7 * DAY).unwrap();
    assert_eq!(agenda.len(), 1, "the event is found by calendar and date");
    let today = preau::ui::dates::date_value(now);
    let week = textbook::of_class_between(&store, 5, &today, "9999-12-31").unwrap();
    assert_eq!(week.len(), 1, "the entry is found by class and day");
    assert_eq!(textbook::online_of_class(&store, 5).unwrap().len(), 1);
    assert_eq!(
        preau::blog::articles(&store, BlogRef::Class(5))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        preau::blog::submitted(&store, BlogRef::Class(5))
            .unwrap()
            .len(),
        1,
        "the proposed article waits in its teacher's queue"
    );
    assert_eq!(
        preau::messaging::unread_in_inbox(&store, 7).unwrap(),
        1,
        "the mailbox is counted"
    );
    assert_eq!(preau::liaison::signed_count(&store, 1).unwrap(), 1);
}

/// The message counts kept per person and folder stay equal to what the mailbox holds
/// through sending, reading, the trash and erasing.
#[tokio::test]
async fn message_counts_follow_the_mailbox() {
    use preau::messaging::{counts, Folder, MAILBOX};
    use preau::store::Key;
    let (server, folks) = TestServer::school().await;
    let store = server.store();
    let people = People::load(&store).unwrap();
    let now = preau::auth::now_micros();
    for n in 0..3 {
        let draft = preau::messaging::Draft {
            to: vec![preau::messaging::Target::User(folks.marc)],
            subject: format!("Message {n}"),
            body: "Bonjour.".into(),
            ..Default::default()
        };
        preau::messaging::send(&store, &people, folks.director, None, &draft, now)
            .await
            .unwrap();
    }
    let computed = |user: u64| {
        let mut out = std::collections::HashMap::<Folder, (usize, usize)>::new();
        for (_, e) in store.scan_prefix(&MAILBOX, &user.encode()).unwrap() {
            let c = out.entry(e.folder).or_default();
            c.0 += 1;
            c.1 += usize::from(!e.read);
        }
        out
    };
    let check = |step: &str| {
        for user in [folks.marc, folks.director] {
            assert_eq!(
                counts::of(&store, user).unwrap(),
                computed(user),
                "{step}, user {user}"
            );
        }
        assert_eq!(
            heads_as_kept(&store),
            heads_as_made(&store),
            "{step}: heads"
        );
    };
    check("sent");
    assert_eq!(
        counts::of(&store, folks.marc).unwrap()[&Folder::Inbox],
        (3, 3)
    );
    let mut marc = server.signed_in("marc.petit").await;
    let ids: Vec<u64> = preau::messaging::mailbox(&store, folks.marc)
        .unwrap()
        .iter()
        .map(|(m, _)| m.id)
        .collect();
    assert_eq!(
        marc.get(&format!("/messagerie/{}", ids[0])).await.status,
        200
    );
    check("read");
    marc.post(&format!("/messagerie/{}/supprimer", ids[1]), &[])
        .await;
    check("trashed");
    marc.get("/messagerie").await;
    marc.post("/messagerie/corbeille/vider", &[]).await;
    check("erased");
    assert_eq!(
        counts::of(&store, folks.marc).unwrap()[&Folder::Inbox],
        (2, 1),
        "one read, one erased, one unread"
    );
    let home = marc.get("/accueil").await;
    assert_eq!(home.status, 200);
}

/// The signatures counted with each mot agree with the families' acknowledgements, and a
/// second signature of the same family does not count twice.
#[tokio::test]
async fn mot_signatures_are_counted_once() {
    let (server, folks) = TestServer::school().await;
    let store = server.store();
    let people = People::load(&store).unwrap();
    let now = preau::auth::now_micros();
    let actor = people.actor_of(folks.director, now).unwrap();
    let to = preau::liaison::access::publish_to(
        &actor,
        &people,
        vec![preau::liaison::Audience::Class(folks.cp)],
    )
    .unwrap();
    let new = preau::liaison::NewMot {
        title: "Piscine".into(),
        body: "Merci de signer.".into(),
        ..Default::default()
    };
    let mot = preau::liaison::publish(&store, &people, &to, &new, now)
        .await
        .unwrap();
    let lou = folks.lou.to_string();
    for login in ["marc.petit", "marc.petit", "anne.petit"] {
        let mut c = server.signed_in(login).await;
        c.get(&format!("/carnet/{mot}")).await;
        let p = c
            .post(&format!("/carnet/{mot}/signer"), &[("eleve", &lou)])
            .await;
        assert_eq!(p.status, 303, "{login} signs");
    }
    let m = preau::liaison::mot(&store, mot).unwrap().unwrap();
    let (signed, total, _, _) =
        preau::liaison::summary(&preau::liaison::status(&store, &m).unwrap());
    assert_eq!(signed, 2, "Marc and Anne signed");
    assert_eq!(preau::liaison::signed_count(&store, mot).unwrap(), 2);
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    let carnet = director.get("/carnet").await;
    assert!(
        carnet.body.contains(&format!("2 / {total} signature(s)")),
        "the director's list shows the kept count"
    );
}

/// The signatures each guardian still owes (schema 5) are rebuilt from the mots and their
/// acknowledgements written before: a mot signed under schema 4 is not asked again.
#[tokio::test]
async fn a_version_4_store_gains_the_pending_signatures() {
    use preau::liaison::pending::TO_SIGN;
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let now = preau::auth::now_micros();
    crate::common::publish_class_mot(&store, f.director, f.cp, "Piscine", now - DAY).await;
    crate::common::publish_class_mot(&store, f.director, f.cm, "Cinéma", now - DAY).await;
    assert_eq!(
        preau::liaison::to_sign(&store, f.marc, &[f.lou], now)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        preau::liaison::to_sign(&store, f.ines, &[f.zoe], now)
            .unwrap()
            .len(),
        1
    );
    drop(store);
    let dir = server.stop().await;
    let settings = crate::common::test_settings(dir.path());
    {
        let store = preau::schema::open(&settings).unwrap();
        let cinema = preau::liaison::all(&store)
            .unwrap()
            .into_iter()
            .find(|m| m.title == "Cinéma")
            .unwrap();
        let pending = store.scan(&TO_SIGN).unwrap();
        store
            .commit_blocking(|tx| {
                for (k, ()) in &pending {
                    tx.remove(&TO_SIGN, k)?;
                }
                // Inès signed the Cinéma mot for Zoé under schema 4.
                let signed = preau::liaison::Ack {
                    read_at: Some(now),
                    signed_at: Some(now),
                    ..Default::default()
                };
                tx.put(&preau::liaison::ACKS, &(cinema.id, f.zoe, f.ines), &signed)?;
                tx.set_meta(preau::store::migrate::SCHEMA_KEY, &4u64)
            })
            .unwrap();
    }
    let store = preau::schema::open(&settings).unwrap();
    let marc = preau::liaison::to_sign(&store, f.marc, &[f.lou], now).unwrap();
    assert_eq!(marc.len(), 1, "Marc still owes the Piscine mot");
    assert_eq!(marc[0].0.title, "Piscine");
    assert!(
        preau::liaison::to_sign(&store, f.ines, &[f.zoe], now)
            .unwrap()
            .is_empty(),
        "Inès signed hers before the migration"
    );
}

/// Each message's head as kept in its table, by id.
fn heads_as_kept(store: &preau::store::Store) -> Vec<(u64, preau::messaging::heads::Head)> {
    store.scan(&preau::messaging::heads::HEADS).unwrap()
}

/// Each message's head made again from the message itself, by id.
fn heads_as_made(store: &preau::store::Store) -> Vec<(u64, preau::messaging::heads::Head)> {
    store
        .scan(&preau::messaging::MESSAGES)
        .unwrap()
        .into_iter()
        .map(|(id, m)| (id, preau::messaging::heads::Head::of(&m)))
        .collect()
}

/// Messages and submissions kept under schema 6 have no head nor progress: migration 7
/// makes them, and the inbox shows their subject and the start of their text as before.
#[tokio::test]
async fn a_version_6_store_gains_the_message_heads() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let people = People::load(&store).unwrap();
    let now = preau::auth::now_micros();
    let long = format!(
        "**Sortie** au [musée](https://example.org) : {}",
        "prévoir un goûter. ".repeat(20)
    );
    for (subject, body) in [
        ("Sortie", long.as_str()),
        ("Piscine", "Bonnet *obligatoire*."),
    ] {
        let draft = preau::messaging::Draft {
            to: vec![preau::messaging::Target::User(f.marc)],
            subject: subject.into(),
            body: body.into(),
            ..Default::default()
        };
        preau::messaging::send(&store, &people, f.director, None, &draft, now)
            .await
            .unwrap();
    }
    let handed = preau::pedagogy::homework::Submission {
        status: preau::pedagogy::homework::Status::Redo,
        versions: vec![preau::pedagogy::homework::Version {
            at: now - DAY,
            text: "Ma rédaction.".into(),
            attachments: Vec::new(),
        }],
        feedback: Vec::new(),
    };
    store
        .commit_blocking(|tx| preau::pedagogy::homework::save(tx, 41, f.lou, &handed))
        .unwrap();
    let progress = preau::pedagogy::homework::PROGRESS;
    let made = heads_as_made(&store);
    assert_eq!(made.len(), 2);
    assert_eq!(heads_as_kept(&store), made, "written with their messages");
    assert!(made[0].1.preview.starts_with("Sortie au musée : prévoir"));
    assert!(made[0].1.preview.ends_with('…'), "{}", made[0].1.preview);
    drop(store);
    let dir = server.stop().await;
    let settings = crate::common::test_settings(dir.path());
    {
        let store = preau::schema::open(&settings).unwrap();
        store
            .commit_blocking(|tx| {
                for (id, _) in &made {
                    tx.remove(&preau::messaging::heads::HEADS, id)?;
                }
                tx.remove(&progress, &(41, f.lou))?;
                tx.set_meta(preau::store::migrate::SCHEMA_KEY, &6u64)
            })
            .unwrap();
        assert!(heads_as_kept(&store).is_empty());
    }
    let store = preau::schema::open(&settings).unwrap();
    assert_eq!(heads_as_kept(&store), made, "made again by migration 7");
    let kept = store.get(&progress, &(41, f.lou)).unwrap();
    assert_eq!(kept, Some(preau::pedagogy::homework::Progress::of(&handed)));
    let (page, _) =
        preau::messaging::folder_page(&store, f.marc, preau::messaging::Folder::Inbox, 1).unwrap();
    let subjects: Vec<&str> = page.iter().map(|(h, _)| h.subject.as_str()).collect();
    assert_eq!(subjects, ["Piscine", "Sortie"]);
    assert_eq!(page[0].0.preview, "Bonnet obligatoire.");
}
