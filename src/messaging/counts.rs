//! Each person's message counts per folder (messages, unread), kept in one record beside
//! the mailbox and changed in the same transaction as each mailbox entry (schema 4): the
//! side column of the messagerie and the home page read one record, not the person's
//! whole mailbox of every year.

use super::{Entry, Folder, MAILBOX};
use crate::store::{Key, Result, Store, Table, Tx};

/// Person → (folder, messages, unread) for each folder that holds something.
pub const COUNTS: Table<u64, Vec<(Folder, u64, u64)>> = Table::new("mailbox_counts");

fn adjust(tx: &mut Tx<'_>, user: u64, entry: &Entry, add: bool) -> Result<()> {
    let mut counts = tx.get(&COUNTS, &user)?.unwrap_or_default();
    let i = match counts.iter().position(|(f, _, _)| *f == entry.folder) {
        Some(i) => i,
        None => {
            counts.push((entry.folder, 0, 0));
            counts.len() - 1
        }
    };
    if let Some((_, total, unread)) = counts.get_mut(i) {
        let unread_step = u64::from(!entry.read);
        if add {
            *total += 1;
            *unread += unread_step;
        } else {
            *total = total.saturating_sub(1);
            *unread = unread.saturating_sub(unread_step);
        }
    }
    counts.retain(|(_, total, _)| *total > 0);
    if counts.is_empty() {
        tx.remove(&COUNTS, &user)
    } else {
        tx.put(&COUNTS, &user, &counts)
    }
}

/// Writes a mailbox entry (new or changed) and its person's counts.
pub fn put_entry(tx: &mut Tx<'_>, key: &(u64, u64), entry: &Entry) -> Result<()> {
    if let Some(old) = tx.get(&MAILBOX, key)? {
        adjust(tx, key.0, &old, false)?;
    }
    adjust(tx, key.0, entry, true)?;
    tx.put(&MAILBOX, key, entry)
}

/// Removes a mailbox entry and counts it out.
pub fn remove_entry(tx: &mut Tx<'_>, key: &(u64, u64)) -> Result<()> {
    if let Some(old) = tx.get(&MAILBOX, key)? {
        adjust(tx, key.0, &old, false)?;
    }
    tx.remove(&MAILBOX, key)
}

/// (messages, unread) per folder of a person.
pub fn of(store: &Store, user: u64) -> Result<std::collections::HashMap<Folder, (usize, usize)>> {
    let as_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    Ok(store
        .get(&COUNTS, &user)?
        .unwrap_or_default()
        .into_iter()
        .map(|(f, total, unread)| (f, (as_usize(total), as_usize(unread))))
        .collect())
}

/// Schema 4: the counts of the mailboxes written before it.
pub fn migrate_v4_counts(store: &Store) -> Result<()> {
    let mut people: Vec<u64> = store
        .scan(&MAILBOX)?
        .into_iter()
        .map(|((user, _), _)| user)
        .collect();
    people.dedup();
    for user in people {
        let entries = store.scan_prefix(&MAILBOX, &user.encode())?;
        store.commit_blocking(|tx| {
            tx.remove(&COUNTS, &user)?;
            for (_, e) in &entries {
                adjust(tx, user, e, true)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}
