//! A folder that grows over the years comes in pages: the newest first, 50 a page.

use preau::messaging::{counts, Entry, Folder, Message, State, Target};

use crate::common::TestServer;

/// Writes `n` messages from Paul to Inès straight into the store (sending them through
/// the page would meet the creation limit): subjects « Message 1 » … « Message n ».
fn fill_inbox(store: &preau::store::Store, from: u64, to: u64, n: u64) {
    store
        .commit_blocking(|tx| {
            for i in 1..=n {
                let id = tx.next_id("message")?;
                let m = Message {
                    id,
                    thread: id,
                    author: from,
                    subject: format!("Message {i}"),
                    body: "Bonjour".into(),
                    to: vec![Target::User(to)],
                    cc: Vec::new(),
                    bcc: Vec::new(),
                    attachments: Vec::new(),
                    created_at: 1_700_000_000_000_000 + i as i64,
                    sent_at: Some(1_700_000_000_000_000 + i as i64),
                    state: State::Sent,
                    in_reply_to: None,
                };
                preau::messaging::records::write(tx, &m)?;
                let entry = Entry {
                    folder: Folder::Inbox,
                    read: false,
                    before_trash: None,
                    bcc: false,
                };
                counts::put_entry(tx, &(to, id), &entry)?;
            }
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn a_long_inbox_comes_in_pages_newest_first() {
    let (server, f) = TestServer::school().await;
    fill_inbox(&server.store(), f.paul, f.ines, 60);
    let mut ines = server.signed_in("ines.leroy").await;

    let first = ines.get("/messagerie").await;
    assert_eq!(first.status, 200);
    assert!(first.body.contains("Message 60"), "newest first");
    assert!(first.body.contains("Message 11<"), "50 on the first page");
    assert!(!first.body.contains("Message 10<"), "not 51");
    assert!(first.body.contains("page 1 sur 2"));
    assert!(first.body.contains("href=\"/messagerie?page=2\""));

    let second = ines.get("/messagerie?page=2").await;
    assert!(second.body.contains("Message 10<") && second.body.contains("Message 1<"));
    assert!(!second.body.contains("Message 11<"));
    assert!(second.body.contains("page 2 sur 2"));

    // Past the end: the last page, said in French; made-up pages are the first.
    let past = ines.get("/messagerie?page=9").await;
    assert_eq!(past.status, 200);
    assert!(past.body.contains("La page 9 n'existe pas"));
    assert!(past.body.contains("Message 1<"));
    assert_eq!(ines.get("/messagerie?page=abc").await.status, 200);

    // Search results come in pages too, the query kept in the links.
    let found = ines.get("/messagerie?q=message").await;
    assert!(found.body.contains("page 1 sur 2"), "60 found, 50 shown");
    assert!(found
        .body
        .contains("href=\"/messagerie?q=message&amp;page=2\""));
    let found = ines.get("/messagerie?q=message&page=2").await;
    assert!(found.body.contains("Message 1<") && !found.body.contains("Message 60<"));

    // Another folder with few messages shows no pager.
    let sent = ines.get("/messagerie?dossier=envoyes").await;
    assert_eq!(sent.status, 200);
    assert!(!sent.body.contains("page 1 sur"));
}

/// Records read by one GET of `path`, the least of three (a background job may read too).
async fn reads(server: &TestServer, c: &mut crate::common::Client, path: &str) -> u64 {
    let store = server.store();
    let mut best = u64::MAX;
    for _ in 0..3 {
        let before = store.records_read();
        assert_eq!(c.get(path).await.status, 200, "GET {path}");
        best = best.min(store.records_read() - before);
    }
    best
}

/// Opening a message reads its conversation (through the index of conversations), not
/// the mailbox it sits in: the same count with 5 messages kept or with 205.
#[tokio::test]
async fn a_message_page_reads_its_conversation_not_the_mailbox() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    fill_inbox(&store, f.paul, f.ines, 5);
    let mut ines = server.signed_in("ines.leroy").await;
    let newest = store
        .scan(&preau::messaging::records::THREADS)
        .unwrap()
        .last()
        .unwrap()
        .0
         .1;
    let path = format!("/messagerie/{newest}");
    let small = reads(&server, &mut ines, &path).await;
    fill_inbox(&store, f.paul, f.ines, 200);
    let large = reads(&server, &mut ines, &path).await;
    assert_eq!(
        small, large,
        "reads with 5 messages kept: {small}, with 205: {large}"
    );
}
