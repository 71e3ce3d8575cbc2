//! What leaves the messagerie: the announced end-of-year purge, and what an account's
//! deletion erases; the files messages keep.

use crate::store::{Key, Result, Store};

use super::{purge_plan, save_purge_plan, Message, State, FOLDERS, MAILBOX, MESSAGES};

/// The end-of-year purge when its day has come: messages sent before the plan's date
/// are deleted with every mailbox entry; drafts stay. Returns how many went.
pub fn run_purge(store: &Store, now: i64) -> Result<usize> {
    let Some(plan) = purge_plan(store)? else {
        return Ok(0);
    };
    let Some(day) = crate::ui::dates::parse_date(&plan.day) else {
        return Ok(0);
    };
    let (today, _) = crate::ui::dates::local_day_and_hour(now);
    if today < day {
        return Ok(0);
    }
    let old: Vec<Message> = store
        .scan(&MESSAGES)?
        .into_iter()
        .map(|(_, m)| m)
        .filter(|m| m.state != State::Draft && m.date() < plan.before)
        .collect();
    let gone: std::collections::HashSet<u64> = old.iter().map(|m| m.id).collect();
    let entries: Vec<(u64, u64)> = store
        .scan(&MAILBOX)?
        .into_iter()
        .map(|(k, _)| k)
        .filter(|(_, id)| gone.contains(id))
        .collect();
    store.commit_blocking(|tx| {
        for k in &entries {
            super::counts::remove_entry(tx, k)?;
        }
        for m in &old {
            super::records::remove(tx, m)?;
        }
        save_purge_plan(tx, None)
    })?;
    Ok(old.len())
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    let mut blobs = std::collections::HashSet::new();
    store.visit(&MESSAGES, |_, m| {
        blobs.extend(m.attachments.into_iter().map(|a| a.blob));
    })?;
    Ok(blobs)
}

/// Forgets a deleted account's mailbox (messages others hold stay with them).
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let keys: Vec<(u64, u64)> = store
        .scan_prefix(&MAILBOX, &user.encode())?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let folders: Vec<(u64, u64)> = store
        .scan_prefix(&FOLDERS, &user.encode())?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    Ok(Box::new(move |tx| {
        for k in &keys {
            super::counts::remove_entry(tx, k)?;
        }
        for k in &folders {
            tx.remove(&FOLDERS, k)?;
        }
        Ok(())
    }))
}
