//! The cahier de textes as families read it every day — the work of the next days on the
//! home page, the last weeks on the pupil's page — kept decoded in memory: a derived view of
//! every entry from a few weeks before the day it was built, rebuilt when an entry or the
//! day index changes (a teacher's write), not when a pupil ticks « fait ».
//!
//! A range that starts before the view's first day is read from the store as before, so
//! the view changes how fast a page is, never what it shows (a view built long ago, over a
//! holiday without writes, only sends more ranges to the store).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{day_number, Entry, BY_CLASS_DAY, ENTRIES};
use crate::store::{Result, Store};
use crate::ui::dates;

/// Days before the day it is built from which the view holds every entry: the pupil's
/// page reads four weeks back; one more week keeps a view built on Friday useful all
/// the next week.
const WINDOW_DAYS: i64 = 35;

pub(super) struct Recent {
    /// The first day held (`yyyymmdd`).
    first_day: u64,
    /// Class → (day `yyyymmdd`, entry id) → the entry.
    by_class: HashMap<u64, BTreeMap<(u64, u64), Arc<Entry>>>,
}

fn build(store: &Store, now: i64) -> Result<Recent> {
    let today = dates::local_day_and_hour(now).0;
    let first = today
        .checked_sub(jiff::Span::new().days(WINDOW_DAYS))
        .unwrap_or(today);
    let first_day = day_number(&first.to_string());
    let mut by_class: HashMap<u64, BTreeMap<(u64, u64), Arc<Entry>>> = HashMap::new();
    // The index's keys only (no value): the years before the window cost a key each.
    for ((class, day, id), ()) in store.scan(&BY_CLASS_DAY)? {
        if day < first_day {
            continue;
        }
        if let Some(e) = store.get(&ENTRIES, &id)? {
            by_class
                .entry(class)
                .or_default()
                .insert((day, id), Arc::new(e));
        }
    }
    Ok(Recent {
        first_day,
        by_class,
    })
}

fn view(store: &Store) -> Result<Arc<Recent>> {
    // The clock only sets where the window starts; the answers do not depend on it.
    store.derived(&[ENTRIES.name, BY_CLASS_DAY.name], |s| {
        build(s, crate::auth::now_micros())
    })
}

/// The entries of `class` whose day (`yyyymmdd`) is in [`from`, `to`), by day then id;
/// `None` when the range starts before the view (the caller reads the store).
pub(super) fn between(
    store: &Store,
    class: u64,
    from: u64,
    to: u64,
) -> Result<Option<Vec<Arc<Entry>>>> {
    let recent = view(store)?;
    if from < recent.first_day {
        return Ok(None);
    }
    Ok(Some(
        recent
            .by_class
            .get(&class)
            .map(|days| {
                days.range((from, 0)..(to, 0))
                    .map(|(_, e)| e.clone())
                    .collect()
            })
            .unwrap_or_default(),
    ))
}
