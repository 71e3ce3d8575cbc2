//! The trash of the médiathèque: items wait there [`super::TRASH_DAYS`] days, to be
//! restored by who manages them, then are deleted for good by the hourly job.

use super::access::{rights, Managed};
use super::items::{children, current, descendants, in_space, item, unindex, unique_name};
use super::{Item, Space, ITEMS, TRASH_DAYS};
use crate::policy::{Actor, Granted};
use crate::refusal::{Failure, Outcome};
use crate::store::{Result, Store};

/// Trashed items the person may restore (they manage them).
pub fn trash(store: &Store, actor: &Actor) -> Result<Vec<Item>> {
    let mut out = Vec::new();
    for (_, i) in store.scan(&ITEMS)? {
        if i.trashed.is_some() && rights(store, actor, &i)?.manage {
            out.push(i);
        }
    }
    out.sort_by_key(|i| std::cmp::Reverse(i.trashed.map(|t| t.0).unwrap_or(0)));
    Ok(out)
}

/// To the trash (with what a folder contains), by the person granted; restored or purged
/// later.
pub async fn trash_item(store: &Store, granted: &Granted<Managed>, now: i64) -> Outcome<()> {
    let id = granted.object().item().id;
    let by = granted.by();
    store
        .commit_checked(|tx| {
            let mut i = current(tx, id)?;
            i.trashed = Some((now, by));
            Ok(tx.put(&ITEMS, &id, &i)?)
        })
        .await
}

/// Back from the trash; to the root of its space if its folder is gone.
pub async fn restore(store: &Store, granted: &Granted<Managed>, now: i64) -> Outcome<()> {
    let id = granted.object().item().id;
    let Some(trashed) = item(store, id)? else {
        return Err(Failure::refused("Cet élément n'existe plus."));
    };
    let parent_ok = match trashed.parent {
        Some(p) => item(store, p)?.is_some_and(|f| f.trashed.is_none()),
        None => true,
    };
    let parent = if parent_ok { trashed.parent } else { None };
    let siblings = children(store, trashed.space, parent)?;
    let name = unique_name(&siblings, &trashed.name);
    store
        .commit_checked(|tx| {
            let mut i = current(tx, id)?;
            i.trashed = None;
            i.parent = parent;
            i.name = name.clone();
            i.updated_at = now;
            Ok(tx.put(&ITEMS, &id, &i)?)
        })
        .await
}

/// Deletes for good what has been in the trash longer than [`TRASH_DAYS`] (folders with
/// their content). Blobs no record references any more go with the next blob sweep.
pub fn purge_trash(store: &Store, now: i64) -> Result<usize> {
    let cutoff = now - TRASH_DAYS * 86_400 * 1_000_000;
    let mut doomed: Vec<Item> = Vec::new();
    for (_, i) in store.scan(&ITEMS)? {
        if i.trashed.is_some_and(|(at, _)| at < cutoff) {
            if i.is_folder() {
                doomed.extend(descendants(store, &i)?);
            }
            doomed.push(i);
        }
    }
    if doomed.is_empty() {
        return Ok(0);
    }
    store.commit_blocking(|tx| {
        for i in &doomed {
            unindex(tx, i)?;
        }
        Ok(())
    })?;
    Ok(doomed.len())
}

/// Removes the personal space of a deleted account (its files are nobody else's).
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let items = in_space(store, Space::Personal(user))?;
    Ok(Box::new(move |tx| {
        for i in &items {
            unindex(tx, i)?;
        }
        Ok(())
    }))
}
