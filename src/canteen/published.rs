//! The published menus as the school reads them: every home page of a pupil or a family
//! shows today's menu, so the weeks are decoded once per change of the menus table (a
//! derived view) instead of once per page. A school has one week of menus a week: the view
//! stays small (about 50 weeks a year, a few KiB each).

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;

use super::{day_key, monday, DayMenu, Week, WEEKS};
use crate::store::{Result, Store};

/// Monday (`yyyymmdd`) → the week, published weeks only.
struct PublishedWeeks(BTreeMap<u64, Week>);

fn published(store: &Store) -> Result<Arc<PublishedWeeks>> {
    store.derived(&[WEEKS.name], |s| {
        Ok(PublishedWeeks(
            s.scan(&WEEKS)?
                .into_iter()
                .filter(|(_, w)| w.published.is_some())
                .collect(),
        ))
    })
}

/// A week as the school sees it: only once published.
pub fn published_week(store: &Store, monday: Date) -> Result<Option<Week>> {
    Ok(published(store)?.0.get(&day_key(monday)).cloned())
}

/// Today's published menu, for the home pages.
pub fn menu_of(store: &Store, day: Date) -> Result<Option<DayMenu>> {
    Ok(published(store)?
        .0
        .get(&day_key(monday(day)))
        .and_then(|w| w.day(day).cloned()))
}
