//! Shares of the médiathèque: an item (or a folder with what it holds) given to read, or
//! to add to, to a person or a group, within the communication rules.

use super::access::{share_level, Access, Sharing};
use super::items::current;
use super::{Grantee, Item, Share, ITEMS};
use crate::policy::{Actor, Granted};
use crate::refusal::Outcome;
use crate::store::{Result, Store};

/// Items shared with this person (directly or through a group), not trashed.
pub fn shared_with(store: &Store, actor: &Actor) -> Result<Vec<Item>> {
    Ok(store
        .scan(&ITEMS)?
        .into_iter()
        .map(|(_, i)| i)
        .filter(|i| {
            i.trashed.is_none() && i.owner != actor.user_id && share_level(i, actor) > Access::None
        })
        .collect())
}

/// Replaces the item's shares by `shares`.
pub async fn set_shares(
    store: &Store,
    granted: &Granted<Sharing>,
    shares: Vec<Share>,
    now: i64,
) -> Outcome<()> {
    let id = granted.object().item().id;
    store
        .commit_checked(|tx| {
            let mut i = current(tx, id)?;
            i.shares = shares.clone();
            i.updated_at = now;
            Ok(tx.put(&ITEMS, &id, &i)?)
        })
        .await
}

/// Shares the item with `to` (replacing what `to` had), at the level the proof allows.
pub async fn share(
    store: &Store,
    granted: &Granted<Sharing>,
    to: Grantee,
    now: i64,
) -> Outcome<()> {
    let item = granted.object().item();
    let level = granted.object().level();
    let mut shares: Vec<Share> = item.shares.iter().filter(|s| s.to != to).cloned().collect();
    shares.push(Share { to, level });
    set_shares(store, granted, shares, now).await
}

/// Withdraws the `n`-th share of the item, as the page listed them (`None`: no such share).
pub async fn unshare(
    store: &Store,
    granted: &Granted<Sharing>,
    n: usize,
    now: i64,
) -> Option<Outcome<()>> {
    let mut shares = granted.object().item().shares.clone();
    if n >= shares.len() {
        return None;
    }
    shares.remove(n);
    Some(set_shares(store, granted, shares, now).await)
}
