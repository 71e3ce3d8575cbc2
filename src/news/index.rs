//! The news' indexes (schema 4): by audience and end of publication, so that a person's
//! list reads the news still on for the audiences they belong to, not the school's past
//! years nor the other classes' news; and by author, for their own list.

use super::{Audience, News, NEWS};
use crate::directory::people::People;
use crate::store::{Key, Result, Store, Table, Tx};

/// (audience, expiry or never, news).
pub const BY_AUDIENCE_END: Table<(u64, u64, u64), ()> = Table::new("news_by_audience_end");
/// (author, news).
pub const BY_AUTHOR: Table<(u64, u64), ()> = Table::new("news_by_author");

const ALL: u64 = 0;
const PARENTS: u64 = 1;
const STAFF: u64 = 2;
/// Classes apart from the three above by the top bit.
fn class_code(c: u64) -> u64 {
    (1 << 63) | c
}

fn keys(n: &News) -> Vec<(u64, u64, u64)> {
    let end = n
        .expires_at
        .map(|e| u64::try_from(e.max(0)).unwrap_or(0))
        .unwrap_or(u64::MAX);
    let codes = match &n.audience {
        Audience::All => vec![ALL],
        Audience::Parents => vec![PARENTS],
        Audience::Staff => vec![STAFF],
        Audience::Classes(cs) => cs.iter().map(|c| class_code(*c)).collect(),
    };
    codes.into_iter().map(|c| (c, end, n.id)).collect()
}

fn unindex(tx: &mut Tx<'_>, id: u64) -> Result<()> {
    if let Some(old) = tx.get(&NEWS, &id)? {
        for k in keys(&old) {
            tx.remove(&BY_AUDIENCE_END, &k)?;
        }
        tx.remove(&BY_AUTHOR, &(old.author, id))?;
    }
    Ok(())
}

/// Writes a news item (new or changed) with its index entries, in the caller's
/// transaction.
pub fn insert(tx: &mut Tx<'_>, n: &News) -> Result<()> {
    unindex(tx, n.id)?;
    tx.put(&NEWS, &n.id, n)?;
    for k in keys(n) {
        tx.put(&BY_AUDIENCE_END, &k, &())?;
    }
    tx.put(&BY_AUTHOR, &(n.author, n.id), &())
}

/// Deletes a news item with its index entries.
pub fn remove(tx: &mut Tx<'_>, id: u64) -> Result<()> {
    unindex(tx, id)?;
    tx.remove(&NEWS, &id)
}

/// Schema 4: the indexes of the news written before it.
pub fn migrate_v4_indexes(store: &Store) -> Result<()> {
    let all = store.scan(&NEWS)?;
    store.commit_blocking(|tx| {
        for (_, n) in &all {
            for k in keys(n) {
                tx.put(&BY_AUDIENCE_END, &k, &())?;
            }
            tx.put(&BY_AUTHOR, &(n.author, n.id), &())?;
        }
        Ok(())
    })
}

/// The news meant for this viewer now: pinned first, then newest.
pub fn for_viewer(store: &Store, viewer: &super::Viewer, now: i64) -> Result<Vec<News>> {
    let mut codes = vec![ALL];
    if viewer.director {
        // The director sees every audience.
        codes.extend([PARENTS, STAFF]);
        codes.extend(
            People::load(store)?
                .classes
                .iter()
                .map(|c| class_code(c.id)),
        );
    } else {
        if viewer.profile == crate::policy::Profile::Responsable {
            codes.push(PARENTS);
        }
        if viewer.profile.is_staff() {
            codes.push(STAFF);
        }
        codes.extend(viewer.classes.iter().map(|c| class_code(*c)));
    }
    codes.sort_unstable();
    codes.dedup();
    let after = u64::try_from(now.max(0)).unwrap_or(0).saturating_add(1);
    let mut ids = Vec::new();
    for code in codes {
        for ((_, _, id), ()) in store.scan_range(
            &BY_AUDIENCE_END,
            &(code, after, 0),
            &(code, u64::MAX, u64::MAX),
        )? {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let mut list = Vec::new();
    for id in ids {
        if let Some(n) = store.get(&NEWS, &id)? {
            if n.live(now) && n.audience.includes_viewer(viewer) {
                list.push(n);
            }
        }
    }
    list.sort_by_key(|n| (!n.pinned, std::cmp::Reverse(n.publish_at)));
    Ok(list)
}

/// The news `author` wrote, newest first.
pub fn by_author(store: &Store, author: u64) -> Result<Vec<News>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(&BY_AUTHOR, &author.encode())? {
        if let Some(n) = store.get(&NEWS, &id)? {
            out.push(n);
        }
    }
    out.reverse();
    Ok(out)
}
