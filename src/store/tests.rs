//! The store's own tests: tables, transactions, durability, migrations' bookkeeping.

use super::*;

const THINGS: Table<u64, String> = Table::new("things");
const THING_BY_NAME: Table<String, u64> = Table::new("thing_by_name");

fn open(dir: &Path) -> Store {
    Store::open_raw(
        dir,
        &StoreOptions::default(),
        &[THINGS.name, THING_BY_NAME.name],
    )
    .unwrap()
}

#[test]
fn record_and_index_are_written_together_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let id = store
        .commit_blocking(|tx| {
            let id = tx.next_id("thing")?;
            tx.put(&THINGS, &id, &"craie".to_string())?;
            tx.put(&THING_BY_NAME, &"craie".to_string(), &id)?;
            Ok(id)
        })
        .unwrap();
    assert_eq!(id, 1);
    let refused = store.commit_blocking(|tx| {
        let id = tx.next_id("thing")?;
        tx.put(&THINGS, &id, &"ardoise".to_string())?;
        Err::<(), _>(StoreError::Engine("non".into()))
    });
    assert!(matches!(refused, Err(StoreError::Engine(_))));
    assert_eq!(store.count(THINGS.name).unwrap(), 1);
    // the aborted transaction did not consume the id either
    let next = store.commit_blocking(|tx| tx.next_id("thing")).unwrap();
    assert_eq!(next, 2);
    assert_eq!(
        store.get(&THING_BY_NAME, &"craie".to_string()).unwrap(),
        Some(1)
    );
}

#[test]
fn data_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        store
            .commit_blocking(|tx| tx.put(&THINGS, &5, &"cahier".to_string()))
            .unwrap();
    }
    let store = open(dir.path());
    assert_eq!(store.get(&THINGS, &5).unwrap().as_deref(), Some("cahier"));
}

#[test]
fn a_second_opener_gets_the_locked_message() {
    let dir = tempfile::tempdir().unwrap();
    let _first = open(dir.path());
    let second = Store::open_raw(dir.path(), &StoreOptions::default(), &[]);
    match second {
        Err(StoreError::Locked(_)) => {}
        Err(other) => panic!("unexpected error: {other}"),
        Ok(_) => panic!("the second open should fail"),
    }
}

#[test]
fn unknown_table_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    const OTHER: Table<u64, String> = Table::new("other");
    assert!(matches!(
        store.get(&OTHER, &1),
        Err(StoreError::UnknownTable("other"))
    ));
}

#[test]
fn scans_follow_key_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store
        .commit_blocking(|tx| {
            for i in [30u64, 4, 200] {
                tx.put(&THINGS, &i, &format!("n{i}"))?;
            }
            Ok(())
        })
        .unwrap();
    let ids: Vec<u64> = store
        .scan(&THINGS)
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(ids, vec![4, 30, 200]);
    let last: Vec<u64> = store
        .scan_last(&THINGS, 2)
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(last, vec![200, 30]);
    let range: Vec<u64> = store
        .scan_range(&THINGS, &4, &200)
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(range, vec![4, 30]);
}

/// A burst of durable commits at once (a burst of sign-ins, each writing its journal line)
/// must all finish. With sled's own `flush_async`, about one run in three hung for good:
/// the flushes filled sled's small IO pool, each waiting (holding sled's process-wide lock)
/// for a log write queued behind them on that pool, and the next transaction, waiting for
/// the lock, blocked every other reader. The burst runs on its own thread so that a hang
/// fails this test after a generous bound instead of hanging the test run.
#[test]
fn a_burst_of_concurrent_commits_all_finish() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .unwrap();
        let committed = runtime.block_on(async move {
            let mut tasks = Vec::new();
            for task in 0..32u64 {
                let store = store.clone();
                tasks.push(tokio::spawn(async move {
                    for round in 0..10u64 {
                        store
                            .commit(|tx| tx.put(&THINGS, &(task * 100 + round), &"x".to_string()))
                            .await
                            .unwrap();
                    }
                }));
            }
            for t in tasks {
                t.await.unwrap();
            }
            store.count(THINGS.name).unwrap()
        });
        let _ = done.send(committed);
    });
    let committed = finished
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the 320 commits finish instead of hanging in the engine");
    assert_eq!(committed, 320);
}

/// A view of `THINGS` that counts how many times it was built.
struct ThingNames(Vec<String>);

#[test]
fn a_view_is_rebuilt_after_a_change_to_its_tables_only() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let builds = AtomicUsize::new(0);
    let view = |store: &Store| {
        store
            .derived(&[THINGS.name], |s| {
                builds.fetch_add(1, Ordering::SeqCst);
                Ok(ThingNames(
                    s.scan(&THINGS)?.into_iter().map(|(_, v)| v).collect(),
                ))
            })
            .unwrap()
    };
    assert!(view(&store).0.is_empty());
    assert!(view(&store).0.is_empty());
    assert_eq!(builds.load(Ordering::SeqCst), 1, "read twice, built once");

    // A write elsewhere leaves the view alone.
    store
        .commit_blocking(|tx| tx.put(&THING_BY_NAME, &"x".to_string(), &1))
        .unwrap();
    view(&store);
    assert_eq!(builds.load(Ordering::SeqCst), 1);

    // A write to its table is seen by the next read, from a clone of the store too.
    store
        .commit_blocking(|tx| tx.put(&THINGS, &1, &"craie".to_string()))
        .unwrap();
    assert_eq!(view(&store.clone()).0, vec!["craie".to_string()]);
    assert_eq!(builds.load(Ordering::SeqCst), 2);

    // An aborted transaction changes nothing, so nothing is rebuilt.
    let refused = store.commit_blocking(|tx| {
        tx.put(&THINGS, &2, &"ardoise".to_string())?;
        Err::<(), _>(StoreError::Engine("non".into()))
    });
    assert!(refused.is_err());
    view(&store);
    assert_eq!(builds.load(Ordering::SeqCst), 2);

    // A removal counts as a change; so does a restore's raw insert.
    store.commit_blocking(|tx| tx.remove(&THINGS, &1)).unwrap();
    assert!(view(&store).0.is_empty());
    store
        .raw_insert(THINGS.name, &3u64.encode(), b"\"tableau\"")
        .unwrap();
    assert_eq!(view(&store).0, vec!["tableau".to_string()]);
    assert_eq!(builds.load(Ordering::SeqCst), 4);
}
