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
