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

/// The news still on, per audience code, decoded: kept in memory and rebuilt when a news
/// item changes (a few times a week), so that a home page decodes nothing and reads only
/// the five items it shows.
struct Placed {
    by_code: std::collections::HashMap<u64, Vec<Place>>,
}

#[derive(Clone)]
struct Place {
    pinned: bool,
    publish_at: i64,
    expires_at: Option<i64>,
    id: u64,
    news: std::sync::Arc<News>,
}

fn placed(store: &Store, now: i64) -> Result<std::sync::Arc<Placed>> {
    store.derived(&[NEWS.name], |store| {
        let mut by_code: std::collections::HashMap<u64, Vec<Place>> = Default::default();
        store.visit(&NEWS, |_, n| {
            // An item past its end never comes back: leave it out. Later ends are
            // checked at each reading.
            if n.expires_at.is_some_and(|e| e <= now) {
                return;
            }
            let codes = keys(&n);
            let place = Place {
                pinned: n.pinned,
                publish_at: n.publish_at,
                expires_at: n.expires_at,
                id: n.id,
                news: std::sync::Arc::new(n),
            };
            for (code, _, _) in codes {
                by_code.entry(code).or_default().push(place.clone());
            }
        })?;
        Ok(Placed { by_code })
    })
}

/// The news meant for this viewer now: pinned first, then newest.
pub fn for_viewer(store: &Store, viewer: &super::Viewer, now: i64) -> Result<Vec<News>> {
    newest_for_viewer(store, viewer, now, usize::MAX)
}

/// The first `limit` news of [`for_viewer`]: only those records are read.
pub fn newest_for_viewer(
    store: &Store,
    viewer: &super::Viewer,
    now: i64,
    limit: usize,
) -> Result<Vec<News>> {
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
    let placed = placed(store, now)?;
    let mut candidates: Vec<&Place> = codes
        .iter()
        .filter_map(|c| placed.by_code.get(c))
        .flatten()
        .filter(|p| p.publish_at <= now && p.expires_at.is_none_or(|e| e > now))
        .collect();
    candidates.sort_by_key(|p| (!p.pinned, std::cmp::Reverse(p.publish_at), p.id));
    candidates.dedup_by_key(|p| p.id);
    let mut list = Vec::new();
    for p in candidates {
        if list.len() >= limit {
            break;
        }
        if p.news.live(now) && p.news.audience.includes_viewer(viewer) {
            list.push(News::clone(&p.news));
        }
    }
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
