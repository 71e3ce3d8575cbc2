//! Réservation de ressources: the school's salles, matériel and minibus, booked by the
//! staff for a date and hours, once or every week until a date (the zone's holidays and
//! the school's days off skipped). A booking that overlaps a confirmed one is refused,
//! naming it. With « validation par la direction », a booking is « demandée » until the
//! director validates it; validating one refuses the requests that overlap it, and their
//! authors are told.
//!
//! The live bookings of a resource on a day are listed in one record (`DAY_PLANS`), read
//! and written in the transaction that adds a booking: two people asking for the same
//! hour at once cannot both get it. The director's decisions and the cancellations are in
//! `decisions.rs`.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::availability::Availability;
use super::{add_days, clock, day_key};
use crate::directory::people::People;
use crate::notify::{self, Kind as NoticeKind};
use crate::policy::Granted;
use crate::refusal::{Failure, Outcome};
use crate::store::{Result, Store, Table, Tx};
use crate::ui::dates;

pub const RESOURCES: Table<u64, Resource> = Table::new("resources");
pub const BOOKINGS: Table<u64, Booking> = Table::new("resource_bookings");
/// (resource, day as `yyyymmdd`) → the bookings demandées or confirmées that day.
pub const DAY_PLANS: Table<(u64, u64), Vec<u64>> = Table::new("resource_day_plans");
/// (author, booking).
pub const BY_AUTHOR: Table<(u64, u64), ()> = Table::new("resource_bookings_by_author");
/// The requests awaiting the director.
pub const PENDING: Table<u64, ()> = Table::new("resource_requests");
/// A weekly series → its bookings.
pub const SERIES: Table<u64, Vec<u64>> = Table::new("resource_series");

/// At most this many weeks in a recurring booking (a school year).
pub const MAX_WEEKS: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Salle,
    Materiel,
    Minibus,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Salle, Kind::Materiel, Kind::Minibus];
    pub fn label(self) -> &'static str {
        match self {
            Kind::Salle => "Salle",
            Kind::Materiel => "Matériel",
            Kind::Minibus => "Minibus",
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Salle => "salle",
            Kind::Materiel => "materiel",
            Kind::Minibus => "minibus",
        }
    }
    pub fn from_slug(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.slug() == text)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resource {
    pub id: u64,
    pub name: String,
    pub kind: Kind,
    /// Bookings wait for the director's validation.
    pub validation: bool,
    /// No longer offered (its bookings stay readable).
    #[serde(default)]
    pub retired: bool,
    pub created_at: i64,
    /// When it may be booked, and how far ahead.
    #[serde(default)]
    pub availability: Availability,
    /// The commune's (minibus communal, salle des fêtes), run and validated by it.
    #[serde(default)]
    pub commune: bool,
    /// A commune's resource the school's staff see and book.
    #[serde(default)]
    pub shared: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Demandee,
    Confirmee,
    Refusee,
    Annulee,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Demandee => "demandée",
            Status::Confirmee => "confirmée",
            Status::Refusee => "refusée",
            Status::Annulee => "annulée",
        }
    }
    pub fn live(self) -> bool {
        matches!(self, Status::Demandee | Status::Confirmee)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Booking {
    pub id: u64,
    pub resource: u64,
    pub day: Date,
    pub from: u16,
    pub to: u16,
    pub note: String,
    pub by: u64,
    pub at: i64,
    pub status: Status,
    #[serde(default)]
    pub series: Option<u64>,
    /// When and by whom it was validated, refused or cancelled.
    #[serde(default)]
    pub decided: Option<(i64, u64)>,
}

impl Booking {
    fn overlaps(&self, day: Date, from: u16, to: u16) -> bool {
        self.day == day && self.from < to && from < self.to
    }

    /// « mardi 8 décembre de 9 h à 10 h ».
    pub fn when(&self) -> String {
        format!(
            "{} de {} à {}",
            dates::day_label(self.day),
            clock(self.from),
            clock(self.to)
        )
    }
}

/// A resource as the director (or the commune) typed it.
pub struct NewResource {
    pub name: String,
    pub kind: Kind,
    pub validation: bool,
    pub retired: bool,
    pub availability: Availability,
    pub shared: bool,
}

/// Creates a resource: the commune's when `commune` (the proof is then the commune's).
pub async fn create(
    store: &Store,
    _granted: &Granted,
    new: &NewResource,
    commune: bool,
    now: i64,
) -> Result<u64> {
    store
        .commit(|tx| {
            let id = tx.next_id("resource")?;
            tx.put(
                &RESOURCES,
                &id,
                &Resource {
                    id,
                    name: new.name.clone(),
                    kind: new.kind,
                    validation: new.validation,
                    retired: new.retired,
                    created_at: now,
                    availability: new.availability.clone(),
                    commune,
                    shared: commune && new.shared,
                },
            )?;
            Ok(id)
        })
        .await
}

pub async fn save(store: &Store, _granted: &Granted, id: u64, new: &NewResource) -> Outcome<()> {
    store
        .commit_checked(|tx| {
            let mut r = tx
                .get(&RESOURCES, &id)?
                .ok_or_else(|| Failure::refused("Cette ressource n'existe plus."))?;
            r.name = new.name.clone();
            r.kind = new.kind;
            r.validation = new.validation;
            r.retired = new.retired;
            r.availability = new.availability.clone();
            r.shared = r.commune && new.shared;
            tx.put(&RESOURCES, &id, &r)?;
            Ok(())
        })
        .await
}

pub fn resource(store: &Store, id: u64) -> Result<Option<Resource>> {
    store.get(&RESOURCES, &id)
}

pub fn resources(store: &Store) -> Result<Vec<Resource>> {
    Ok(store
        .scan(&RESOURCES)?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

pub fn booking(store: &Store, id: u64) -> Result<Option<Booking>> {
    store.get(&BOOKINGS, &id)
}

/// What a person asks for: a date and hours, and a last date for « chaque semaine ».
#[derive(Debug, Clone)]
pub struct Wish {
    pub day: Date,
    pub from: u16,
    pub to: u16,
    pub note: String,
    pub weekly_until: Option<Date>,
}

/// The dates of a weekly wish left out, each with why (« Vacances de Noël »).
pub type Skipped = Vec<(Date, String)>;

/// What a booking did: the dates booked, the dates skipped with why.
#[derive(Debug, Default)]
pub struct Booked {
    pub days: Vec<Date>,
    pub skipped: Skipped,
    pub asked: bool,
}

/// The dates of a wish: the day, then every 7 days until the last date, the holidays and
/// the school's days off skipped in a series.
pub fn occurrences(
    wish: &Wish,
    calendar: &crate::school::calendar::Calendar,
    zone: crate::school::Zone,
) -> (Vec<Date>, Skipped) {
    let Some(until) = wish.weekly_until else {
        return (vec![wish.day], Vec::new());
    };
    let (mut days, mut skipped) = (Vec::new(), Vec::new());
    let mut d = wish.day;
    while d <= until && days.len() + skipped.len() < MAX_WEEKS {
        let worked = calendar.worked_days.iter().any(|w| w.day == d);
        let off = calendar
            .days_off
            .iter()
            .find(|o| o.day == d)
            .map(|o| o.label.clone())
            .or_else(|| crate::agenda::holidays::on(zone, d).map(str::to_string));
        match off.filter(|_| !worked) {
            Some(why) => skipped.push((d, why)),
            None => days.push(d),
        }
        d = add_days(d, 7);
    }
    (days, skipped)
}

/// The live bookings (but `skip`) that `day from–to` would overlap.
pub(super) fn overlapping(
    tx: &Tx<'_>,
    resource: u64,
    day: Date,
    from: u16,
    to: u16,
    skip: u64,
) -> Result<Vec<Booking>> {
    let mut out = Vec::new();
    for id in tx
        .get(&DAY_PLANS, &(resource, day_key(day)))?
        .unwrap_or_default()
    {
        if id == skip {
            continue;
        }
        if let Some(b) = tx.get(&BOOKINGS, &id)? {
            if b.status.live() && b.overlaps(day, from, to) {
                out.push(b);
            }
        }
    }
    Ok(out)
}

pub(super) fn refusal_for(resource: &Resource, other: &Booking, people: &People) -> Failure {
    let by = people
        .user(other.by)
        .map(|u| u.display_name())
        .unwrap_or_else(|| "un ancien membre de l'équipe".into());
    let note = if other.note.is_empty() {
        String::new()
    } else {
        format!(" (« {} »)", other.note)
    };
    Failure::refused(format!(
        "« {} » est déjà réservé le {} par {by}{note} : rien n'a été réservé.",
        resource.name,
        other.when()
    ))
}

/// Books the resource of the proof for each date of the wish, in one transaction: a date
/// that overlaps a confirmed booking refuses the whole wish, naming that booking.
pub async fn book(
    store: &Store,
    granted: &Granted<Resource>,
    wish: &Wish,
    people: &People,
    now: i64,
) -> Outcome<Booked> {
    let resource = granted.object();
    let today = dates::local_day_and_hour(now).0;
    let (days, skipped) = wish_days(store, resource, wish, today)?;
    let asked = store
        .commit_checked(|tx| book_in(tx, resource, granted.by(), wish, &days, people, now))
        .await?;
    Ok(Booked {
        days,
        skipped,
        asked,
    })
}

/// The dates a wish books (and those it skips), or why it books none.
pub(crate) fn wish_days(
    store: &Store,
    resource: &Resource,
    wish: &Wish,
    today: Date,
) -> Outcome<(Vec<Date>, Skipped)> {
    if resource.retired {
        return Err(Failure::refused(format!(
            "« {} » n'est plus proposé à la réservation.",
            resource.name
        )));
    }
    if let Some((_, why)) = resource
        .availability
        .refusals(wish.day, wish.from, wish.to, wish.weekly_until, today)
        .into_iter()
        .next()
    {
        return Err(Failure::refused(why));
    }
    let calendar = crate::school::calendar::get(store)?;
    let zone = crate::school::get(store)?
        .map(|s| s.zone)
        .unwrap_or(crate::school::Zone::C);
    let (days, skipped) = occurrences(wish, &calendar, zone);
    if days.is_empty() {
        return Err(Failure::refused(
            "Toutes les dates demandées tombent pendant les vacances ou des jours sans classe : rien n'a été réservé.",
        ));
    }
    Ok((days, skipped))
}

/// Books `days` inside a transaction (the page's, or the demo's): whether they wait for
/// the director.
pub(crate) fn book_in(
    tx: &mut Tx<'_>,
    resource: &Resource,
    by: u64,
    wish: &Wish,
    days: &[Date],
    people: &People,
    now: i64,
) -> Outcome<bool> {
    let status = if resource.validation {
        Status::Demandee
    } else {
        Status::Confirmee
    };
    let series = if days.len() > 1 {
        Some(tx.next_id("resource_series")?)
    } else {
        None
    };
    let mut ids = Vec::new();
    for d in days {
        if let Some(other) = overlapping(tx, resource.id, *d, wish.from, wish.to, 0)?
            .into_iter()
            .find(|b| b.status == Status::Confirmee)
        {
            return Err(refusal_for(resource, &other, people));
        }
        let id = tx.next_id("resource_booking")?;
        let b = Booking {
            id,
            resource: resource.id,
            day: *d,
            from: wish.from,
            to: wish.to,
            note: wish.note.clone(),
            by,
            at: now,
            status,
            series,
            decided: None,
        };
        tx.put(&BOOKINGS, &id, &b)?;
        let key = (resource.id, day_key(*d));
        let mut plan = tx.get(&DAY_PLANS, &key)?.unwrap_or_default();
        plan.push(id);
        tx.put(&DAY_PLANS, &key, &plan)?;
        tx.put(&BY_AUTHOR, &(by, id), &())?;
        if status == Status::Demandee {
            tx.put(&PENDING, &id, &())?;
        }
        ids.push(id);
    }
    if let Some(s) = series {
        tx.put(&SERIES, &s, &ids)?;
    }
    if status == Status::Demandee {
        let dates_text = match days {
            [one] => dates::day_label(*one),
            many => format!("{} dates", many.len()),
        };
        let text = format!(
            "Demande de réservation : « {} » ({dates_text}), à valider.",
            resource.name
        );
        for d in super::access::deciders(people, resource) {
            notify::push(tx, d, NoticeKind::RendezVous, &text, "/reservations", now)?;
        }
    }
    Ok(status == Status::Demandee)
}

/// The live bookings of a resource from `first` for `days` days, by day.
pub fn plan(
    store: &Store,
    resource: u64,
    first: Date,
    days: i64,
) -> Result<Vec<(Date, Vec<Booking>)>> {
    let last = add_days(first, days);
    let mut out: Vec<(Date, Vec<Booking>)> = Vec::new();
    for ((_, _), ids) in store.scan_range(
        &DAY_PLANS,
        &(resource, day_key(first)),
        &(resource, day_key(last)),
    )? {
        let mut list = Vec::new();
        for id in ids {
            if let Some(b) = booking(store, id)? {
                list.push(b);
            }
        }
        list.sort_by_key(|b| (b.from, b.to));
        if let Some(d) = list.first().map(|b| b.day) {
            out.push((d, list));
        }
    }
    Ok(out)
}

/// A person's bookings from `today` on (live or answered), by date.
pub fn of_author(store: &Store, user: u64, today: Date) -> Result<Vec<Booking>> {
    Ok(kept(store)?
        .upcoming_by_author
        .get(&user)
        .map(|list| list.iter().filter(|b| b.day >= today).cloned().collect())
        .unwrap_or_default())
}

/// The requests awaiting the director, by date.
pub fn pending(store: &Store) -> Result<Vec<Booking>> {
    Ok(kept(store)?.pending.clone())
}

/// Each person's bookings not cancelled from the day it was made on, and the requests
/// awaiting an answer, by date: read once and kept in memory until a booking changes,
/// because every teacher's reservations page shows them and the years' bookings behind
/// them are not to be read at each view.
struct Kept {
    upcoming_by_author: std::collections::HashMap<u64, Vec<Booking>>,
    pending: Vec<Booking>,
}

fn kept(store: &Store) -> Result<std::sync::Arc<Kept>> {
    store.derived(&[BOOKINGS.name, BY_AUTHOR.name, PENDING.name], |s| {
        let today = dates::local_day_and_hour(crate::auth::now_micros()).0;
        let mut upcoming_by_author: std::collections::HashMap<u64, Vec<Booking>> =
            std::collections::HashMap::new();
        for ((author, id), ()) in s.scan(&BY_AUTHOR)? {
            if let Some(b) = s.get(&BOOKINGS, &id)? {
                if b.day >= today && b.status != Status::Annulee {
                    upcoming_by_author.entry(author).or_default().push(b);
                }
            }
        }
        for list in upcoming_by_author.values_mut() {
            list.sort_by_key(|b| (b.day, b.from));
        }
        let mut pending = Vec::new();
        for (id, ()) in s.scan(&PENDING)? {
            if let Some(b) = s.get(&BOOKINGS, &id)? {
                pending.push(b);
            }
        }
        pending.sort_by_key(|b| (b.day, b.from));
        Ok(Kept {
            upcoming_by_author,
            pending,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weekly_wish_skips_the_zones_holidays() {
        let d = |t: &str| t.parse::<Date>().unwrap();
        let wish = Wish {
            day: d("2026-12-08"),
            from: 540,
            to: 600,
            note: String::new(),
            weekly_until: Some(d("2027-01-12")),
        };
        let cal = crate::school::calendar::Calendar::default();
        let (days, skipped) = occurrences(&wish, &cal, crate::school::Zone::B);
        assert_eq!(
            days,
            vec![
                d("2026-12-08"),
                d("2026-12-15"),
                d("2027-01-05"),
                d("2027-01-12")
            ]
        );
        assert_eq!(skipped.len(), 2);
        assert_eq!(skipped[0].1, "Vacances de Noël");
    }
}
