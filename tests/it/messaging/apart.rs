//! Schema 5: a message's recipients are kept apart from it, conversations have an index,
//! unread notifications one by link. Messages written by schema 4 (lists inside the
//! record) are migrated and behave as before: blind copy told, conversation shown,
//! notice marked read, erased for good once nobody holds it.

use preau::messaging::records::{RECIPIENTS, THREADS};
use preau::messaging::{Draft, Target, MAILBOX, MESSAGES};
use preau::notify::UNREAD_BY_LINK;
use preau::store::{Key, Store};

use crate::common::TestServer;

/// Puts the data back as schema 4 wrote it: the lists inside each message record, no
/// index of conversations, no blind-copy mark on entries, no index of unread notices.
fn back_to_schema_4(store: &Store) {
    let lists: Vec<(u64, preau::messaging::records::Recipients)> = store.scan(&RECIPIENTS).unwrap();
    for (id, who) in &lists {
        let m = store.get(&MESSAGES, id).unwrap().unwrap();
        let mut json = serde_json::to_value(&m).unwrap();
        json["recipients"] = serde_json::json!(who.all);
        json["bcc_users"] = serde_json::json!(who.bcc);
        store
            .raw_insert(
                MESSAGES.name,
                &id.encode(),
                &serde_json::to_vec(&json).unwrap(),
            )
            .unwrap();
    }
    let entries = store.scan(&MAILBOX).unwrap();
    let threads = store.scan(&THREADS).unwrap();
    let links = store.scan(&UNREAD_BY_LINK).unwrap();
    store
        .commit_blocking(|tx| {
            for (id, _) in &lists {
                tx.remove(&RECIPIENTS, id)?;
            }
            for (k, ()) in &threads {
                tx.remove(&THREADS, k)?;
            }
            for (k, _) in &links {
                tx.remove(&UNREAD_BY_LINK, k)?;
            }
            for (k, e) in &entries {
                let mut e = e.clone();
                e.bcc = false;
                tx.put(&MAILBOX, k, &e)?;
            }
            tx.set_meta(preau::store::migrate::SCHEMA_KEY, &4u64)
        })
        .unwrap();
}

#[tokio::test]
async fn messages_written_by_schema_4_keep_working_once_their_recipients_move_apart() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let people = preau::directory::people::People::load(&store).unwrap();
    let now = preau::auth::now_micros();
    let first = Draft {
        to: vec![Target::User(f.marc)],
        bcc: vec![Target::User(f.ines)],
        subject: "Sortie au musée".into(),
        body: "Départ à 9 h.".into(),
        ..Default::default()
    };
    preau::messaging::send(&store, &people, f.director, None, &first, now)
        .await
        .unwrap();
    let id = store.scan(&MESSAGES).unwrap()[0].0;
    let reply = Draft {
        to: vec![Target::User(f.director)],
        subject: "Re : Sortie au musée".into(),
        body: "Bien noté.".into(),
        in_reply_to: Some(id),
        ..Default::default()
    };
    preau::messaging::send(&store, &people, f.marc, None, &reply, now + 1)
        .await
        .unwrap();
    drop(store);
    let dir = server.stop().await;
    {
        let store = preau::schema::open(&crate::common::test_settings(dir.path())).unwrap();
        back_to_schema_4(&store);
        let raw = store.scan(&MESSAGES).unwrap();
        assert_eq!(raw.len(), 2);
        assert_eq!(store.count(RECIPIENTS.name).unwrap(), 0);
    }

    let server = TestServer::start_in(dir).await;
    let store = server.store();
    assert_eq!(
        store.schema_version().unwrap(),
        preau::schema::current_version()
    );
    assert_eq!(store.count(RECIPIENTS.name).unwrap(), 2, "both lists moved");
    assert_eq!(
        store.count(THREADS.name).unwrap(),
        2,
        "one conversation of two"
    );
    let kept = store
        .get(&RECIPIENTS, &id)
        .unwrap()
        .expect("the first message's list");
    assert_eq!((kept.all.len(), kept.bcc), (2, vec![f.ines]));

    // Inès was in blind copy: she is told so; Marc is not.
    let mut ines = server.signed_in("ines.leroy").await;
    let page = ines.get(&format!("/messagerie/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("copie cachée"), "{}", page.body);
    let mut marc = server.signed_in("marc.petit").await;
    assert_eq!(preau::notify::unread_count(&store, f.marc).unwrap(), 1);
    let page = marc.get(&format!("/messagerie/{id}")).await;
    assert!(page.body.contains("Sortie au musée") && page.body.contains("Bien noté."));
    assert!(!page
        .body
        .contains("Vous avez reçu ce message en copie cachée"));
    assert_eq!(
        preau::notify::unread_count(&store, f.marc).unwrap(),
        0,
        "opening the message marks its notice read, through the index by link"
    );
    assert_eq!(
        store.count(UNREAD_BY_LINK.name).unwrap(),
        1,
        "the director's, for the reply"
    );

    // Once nobody holds the first message, it goes with its list and its index entry.
    for (client, who) in [(&mut marc, "marc"), (&mut ines, "ines")] {
        client.get("/messagerie").await;
        let r = client
            .post(&format!("/messagerie/{id}/supprimer"), &[])
            .await;
        assert_eq!(r.status, 303, "{who} trashes it");
        let r = client.post(&format!("/messagerie/{id}/effacer"), &[]).await;
        assert_eq!(r.status, 303, "{who} erases it");
    }
    assert!(
        store.get(&MESSAGES, &id).unwrap().is_some(),
        "the director still holds it"
    );
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    director.get("/messagerie").await;
    director
        .post(&format!("/messagerie/{id}/supprimer"), &[])
        .await;
    director
        .post(&format!("/messagerie/{id}/effacer"), &[])
        .await;
    assert!(store.get(&MESSAGES, &id).unwrap().is_none());
    assert!(store.get(&RECIPIENTS, &id).unwrap().is_none());
    assert_eq!(store.count(THREADS.name).unwrap(), 1, "the reply stays");
}
