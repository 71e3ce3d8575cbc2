//! Rendez-vous et réservations (`/rendez-vous`, `/reservations`), one slot engine for two
//! uses: the parent-teacher meetings (a teacher's grid of slots, one booking per child,
//! cancellation until 24 h before, the day-before reminder, the day sheet), in
//! `meetings.rs`; the school's resources (salles, matériel, minibus) booked by the staff,
//! once or every week over a period (school holidays skipped), with the director's
//! validation where asked, in `resources.rs`. Every check of a free slot is made in the
//! transaction that writes the booking, so that two people asking for the last slot at
//! the same moment cannot both get it.

use jiff::civil::Date;
use maud::Markup;

use crate::directory::people::People;
use crate::error::AppResult;
use crate::policy::Actor;
use crate::store::{Key, Result, Store};

pub mod access;
pub mod agenda;
pub mod availability;
pub mod decisions;
mod forms;
pub mod grid_edit;
pub mod meetings;
pub mod resources;
pub mod routes;
mod views;

pub const TABLES: &[&str] = &[
    meetings::GRIDS.name,
    meetings::GRIDS_BY_CLASS.name,
    meetings::SLOTS.name,
    meetings::CHILD_BOOKINGS.name,
    meetings::BY_DAY.name,
    resources::RESOURCES.name,
    resources::BOOKINGS.name,
    resources::DAY_PLANS.name,
    resources::BY_AUTHOR.name,
    resources::PENDING.name,
    resources::SERIES.name,
];

/// A day as a key: `yyyymmdd`, so that keys sort by date and read as dates.
pub fn day_key(d: Date) -> u64 {
    (d.year() as u64) * 10_000 + (d.month() as u64) * 100 + d.day() as u64
}

/// The instant (microseconds) of `minutes` after midnight on `day`, in Paris.
pub fn instant(day: Date, minutes: u16) -> i64 {
    let (h, m) = ((minutes / 60) as i8, (minutes % 60) as i8);
    day.at(h.min(23), m, 0, 0)
        .to_zoned_datetime(crate::ui::dates::school_tz())
        .map(|z| z.timestamp().as_microsecond())
        .unwrap_or(i64::MAX)
}

/// « 9 h », « 17 h 15 ».
pub fn clock(minutes: u16) -> String {
    match minutes % 60 {
        0 => format!("{} h", minutes / 60),
        m => format!("{} h {m:02}", minutes / 60),
    }
}

/// « 09:30 » as typed in a time field → minutes after midnight.
pub fn parse_clock(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.get(..2).unwrap_or(m).parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// « 09:30 » for a time field.
pub fn clock_value(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The day of `d` plus `n` days.
pub fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap_or(d)
}

/// The periodic job: tomorrow's meetings reminded to the families.
pub fn run_jobs(store: &Store, now: i64) -> Result<usize> {
    let people = People::load(store)?;
    meetings::remind(store, &people, now)
}

/// The home page's block: a guardian's booked meetings, a teacher's next meetings.
pub fn home_box(store: &Store, actor: &Actor, enabled: bool, now: i64) -> AppResult<Markup> {
    if !enabled {
        return Ok(maud::html! {});
    }
    let people = People::load(store)?;
    let lines = meetings::upcoming_for(store, &people, actor, now)?;
    Ok(views::home_box(&lines, !actor.children.is_empty()))
}

/// An account's deletion: a pupil's meetings go (the slot is free again); the grids, the
/// resources and their bookings are the school's and stay (the id of an author who left
/// names nobody).
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let mut booked = Vec::new();
    for ((_, grid), n) in store.scan_prefix(&meetings::CHILD_BOOKINGS, &user.encode())? {
        let day = store
            .get(&meetings::GRIDS, &grid)?
            .and_then(|g| g.slot(n))
            .map(|s| day_key(s.day));
        booked.push((grid, n, day));
    }
    Ok(Box::new(move |tx| {
        for (grid, n, day) in &booked {
            tx.remove(&meetings::SLOTS, &(*grid, *n))?;
            tx.remove(&meetings::CHILD_BOOKINGS, &(user, *grid))?;
            if let Some(d) = day {
                tx.remove(&meetings::BY_DAY, &(*d, *grid, *n))?;
            }
        }
        Ok(())
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_read_and_write_in_french() {
        assert_eq!(parse_clock("09:30"), Some(570));
        assert_eq!(parse_clock("17:05:00"), Some(17 * 60 + 5));
        assert_eq!(parse_clock("25:00"), None);
        assert_eq!(clock(570), "9 h 30");
        assert_eq!(clock(17 * 60), "17 h");
        assert_eq!(clock_value(545), "09:05");
    }

    #[test]
    fn an_instant_is_paris_time() {
        let d: Date = "2026-12-08".parse().unwrap();
        let at = instant(d, 17 * 60);
        assert_eq!(
            crate::ui::dates::long_datetime(at),
            "mardi 8 décembre 2026 à 17 h 00"
        );
    }
}
