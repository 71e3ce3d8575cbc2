//! The agenda (/agenda): the school calendar (dates of the year, meetings, outings), class
//! calendars, one's personal agenda; events with a place, start and end or all day,
//! weekly recurrence, an audience; month, week and list views; the school holidays of the
//! school's zone (`holidays.rs`); .ics import; a personal iCalendar subscription (`ical.rs`).

pub mod holidays;
pub mod ical;
pub mod routes;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::directory::people::People;
use crate::news::Audience;
use crate::store::{Result, Store, Table, Tx};
use crate::ui::dates;

pub const EVENTS: Table<u64, Event> = Table::new("events");
/// Hash of a subscription token → its owner.
pub const FEEDS: Table<String, u64> = Table::new("calendar_feeds");
/// Owner → hash of their current token (to revoke it).
pub const FEED_OF: Table<u64, String> = Table::new("calendar_feed_of");
/// (calendar, end of the last occurrence, event): a person's month reads the events of
/// their calendars that are not over before it, not the school's past years (schema 4).
pub const BY_CALENDAR_END: Table<(u64, u64, u64), ()> = Table::new("events_by_calendar_end");
pub const TABLES: &[&str] = &[EVENTS.name, BY_CALENDAR_END.name, FEEDS.name, FEED_OF.name];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Calendar {
    School,
    Class(u64),
    Personal(u64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "until")]
pub enum Repeat {
    Never,
    /// Every week until this day (« 2027-07-03 »).
    Weekly(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    pub id: u64,
    pub calendar: Calendar,
    pub title: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub details: String,
    /// Microseconds; for an all-day event, midnight (Paris) of the first day.
    pub start: i64,
    /// Microseconds; for an all-day event, the last microsecond of the last day.
    pub end: i64,
    pub all_day: bool,
    pub repeat: Repeat,
    /// For the school calendar: who it is for.
    pub audience: Audience,
    pub author: u64,
    pub created_at: i64,
    /// The UID of an imported event (a re-import updates instead of duplicating).
    #[serde(default)]
    pub imported_uid: Option<String>,
}

/// Whether `user` sees an event of `calendar` for `audience`. `viewer` gives the person
/// as the classes that open their agenda to them see them: asked only for the school's
/// and the classes' calendars.
fn sees<V: std::borrow::Borrow<crate::news::Viewer>>(
    calendar: &Calendar,
    audience: &Audience,
    user: u64,
    viewer: impl FnOnce() -> Option<V>,
) -> bool {
    match calendar {
        Calendar::School => viewer().is_some_and(|v| audience.includes_viewer(v.borrow())),
        Calendar::Class(c) => {
            viewer().is_some_and(|v| Audience::Classes(vec![*c]).includes_viewer(v.borrow()))
        }
        Calendar::Personal(owner) => *owner == user,
    }
}

/// The person as the agenda sees them: seen with the classes that open it to them.
fn agenda_viewer(people: &People, user: u64) -> Option<crate::news::Viewer> {
    crate::news::Viewer::of(people, user)
        .map(|v| v.in_service(people, crate::school::Service::Agenda))
}

/// Someone looking through many events (a month of the agenda, a search): who they are
/// to the agenda is worked out once, not once per event.
pub struct Onlooker {
    user: u64,
    viewer: Option<crate::news::Viewer>,
}

impl Onlooker {
    pub fn of(people: &People, user: u64) -> Onlooker {
        Onlooker {
            user,
            viewer: agenda_viewer(people, user),
        }
    }

    pub fn sees(&self, event: &Event) -> bool {
        sees(&event.calendar, &event.audience, self.user, || {
            self.viewer.as_ref()
        })
    }

    pub fn sees_facts(&self, facts: &EventFacts) -> bool {
        sees(&facts.calendar, &facts.audience, self.user, || {
            self.viewer.as_ref()
        })
    }
}

/// What deciding who sees an event needs of it, read without its text: the search asks
/// it of every event its index names, most of which a family does not see.
#[derive(Debug, Clone, Deserialize)]
pub struct EventFacts {
    pub calendar: Calendar,
    pub audience: Audience,
}

/// Every event's facts, kept until an event changes (`store::derived`).
struct KeptFacts(std::collections::HashMap<u64, EventFacts>);

pub fn event_facts(store: &Store, id: u64) -> Result<Option<EventFacts>> {
    let kept = store.derived(&[EVENTS.name], |store| {
        let mut facts = std::collections::HashMap::new();
        store.visit_part(&EVENTS, |id, f: EventFacts| {
            facts.insert(id, f);
        })?;
        Ok(KeptFacts(facts))
    })?;
    Ok(kept.0.get(&id).cloned())
}

impl Event {
    /// Whether `user` sees this event.
    pub fn visible_to(&self, people: &People, user: u64) -> bool {
        sees(&self.calendar, &self.audience, user, || {
            agenda_viewer(people, user)
        })
    }

    /// The occurrences (start, end) that meet [from, to).
    pub fn occurrences(&self, from: i64, to: i64) -> Vec<(i64, i64)> {
        let until = match &self.repeat {
            Repeat::Never => self.start,
            Repeat::Weekly(day) => dates::parse_date(day)
                .map(dates::end_of_day)
                .unwrap_or(self.start),
        };
        let mut out = Vec::new();
        let mut k = 0i64;
        loop {
            // A week in Paris is not always 7×24 h (summer time): shift the civil date.
            let (s, e) = if k == 0 {
                (self.start, self.end)
            } else {
                (shift_weeks(self.start, k), shift_weeks(self.end, k))
            };
            if s > until || s >= to || k > 400 {
                break;
            }
            if e >= from {
                out.push((s, e));
            }
            k += 1;
            if matches!(self.repeat, Repeat::Never) {
                break;
            }
        }
        out
    }
}

/// The same local time `weeks` weeks later, in Paris.
pub fn shift_weeks(micros: i64, weeks: i64) -> i64 {
    let tz = dates::school_tz();
    jiff::Timestamp::from_microsecond(micros)
        .ok()
        .map(|t| t.to_zoned_datetime(tz))
        .and_then(|z| z.checked_add(jiff::Span::new().weeks(weeks)).ok())
        .map(|z| z.timestamp().as_microsecond())
        .unwrap_or(micros)
}

/// Midnight in Paris at the start of `day`.
pub fn day_start(day: Date) -> i64 {
    dates::start_of_day(day)
}

/// `day` at `hh:mm` in Paris.
pub fn at(day: Date, time: &str) -> Option<i64> {
    let t: jiff::civil::Time = time.trim().parse().ok()?;
    let tz = dates::school_tz();
    day.to_datetime(t)
        .to_zoned_datetime(tz)
        .ok()
        .map(|z| z.timestamp().as_microsecond())
}

pub fn visible_events(store: &Store, people: &People, user: u64) -> Result<Vec<Event>> {
    let onlooker = Onlooker::of(people, user);
    Ok(store
        .scan(&EVENTS)?
        .into_iter()
        .map(|(_, e)| e)
        .filter(|e| onlooker.sees(e))
        .collect())
}

impl Calendar {
    /// The calendar's number in the index: the school 0, classes and personal agendas
    /// apart by their top bits.
    fn code(self) -> u64 {
        match self {
            Calendar::School => 0,
            Calendar::Class(c) => (1 << 63) | c,
            Calendar::Personal(u) => (1 << 62) | u,
        }
    }
}

impl Event {
    /// When its last occurrence ends (an upper bound for a weekly event).
    fn last_end(&self) -> u64 {
        let last = match &self.repeat {
            Repeat::Never => self.end,
            Repeat::Weekly(day) => dates::parse_date(day)
                .map(|d| dates::end_of_day(d).saturating_add(self.end - self.start))
                .unwrap_or(self.end)
                .max(self.end),
        };
        u64::try_from(last.max(0)).unwrap_or(0)
    }

    fn index_key(&self) -> (u64, u64, u64) {
        (self.calendar.code(), self.last_end(), self.id)
    }
}

/// Writes an event (new or changed) with its index entry, in the caller's transaction.
pub fn insert(tx: &mut Tx<'_>, e: &Event) -> Result<()> {
    if let Some(old) = tx.get(&EVENTS, &e.id)? {
        tx.remove(&BY_CALENDAR_END, &old.index_key())?;
    }
    tx.put(&EVENTS, &e.id, e)?;
    tx.put(&BY_CALENDAR_END, &e.index_key(), &())
}

/// Deletes an event with its index entry.
pub fn remove(tx: &mut Tx<'_>, id: u64) -> Result<()> {
    if let Some(old) = tx.get(&EVENTS, &id)? {
        tx.remove(&BY_CALENDAR_END, &old.index_key())?;
    }
    tx.remove(&EVENTS, &id)
}

/// Schema 4: the index of the events written before it.
pub fn migrate_v4_index_by_end(store: &Store) -> Result<()> {
    let all = store.scan(&EVENTS)?;
    store.commit_blocking(|tx| {
        for (_, e) in &all {
            tx.put(&BY_CALENDAR_END, &e.index_key(), &())?;
        }
        Ok(())
    })
}

/// The events `user` sees that are not over before `from`: the calendars they may see,
/// each read from `from` on.
fn events_from(store: &Store, people: &People, user: u64, from: i64) -> Result<Vec<Event>> {
    let mut calendars = vec![Calendar::School, Calendar::Personal(user)];
    let director = people.user(user).is_some_and(|u| u.is_director());
    if director {
        calendars.extend(people.classes.iter().map(|c| Calendar::Class(c.id)));
    } else if let Some(v) = crate::news::Viewer::of(people, user) {
        // The class calendars of the classes that open their agenda to the person.
        let mut classes = v.in_service(people, crate::school::Service::Agenda).classes;
        classes.sort_unstable();
        classes.dedup();
        calendars.extend(classes.into_iter().map(Calendar::Class));
    }
    let from = u64::try_from(from.max(0)).unwrap_or(0);
    let onlooker = Onlooker::of(people, user);
    let mut out = Vec::new();
    for cal in calendars {
        let code = cal.code();
        for ((_, _, id), ()) in
            store.scan_range(&BY_CALENDAR_END, &(code, from, 0), &(code, u64::MAX, 0))?
        {
            if let Some(e) = store.get(&EVENTS, &id)? {
                if onlooker.sees(&e) {
                    out.push(e);
                }
            }
        }
    }
    Ok(out)
}

/// Something another service puts in a person's agenda and feed (a confirmed resource
/// booking, a booked parent-teacher meeting): shown with a link to its own page, never
/// stored as an event (it changes with its service).
#[derive(Debug, Clone, PartialEq)]
pub struct Appointment {
    /// Stable across feeds (`reservation-12`), for the calendars that subscribe.
    pub uid: String,
    pub title: String,
    pub place: String,
    pub start: i64,
    pub end: i64,
    pub link: String,
}

/// One occurrence to show: the event and when.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub event: Event,
    pub start: i64,
    pub end: i64,
    /// Its page: the event's, or the service's for an appointment.
    pub link: String,
    /// The Paris days it starts and ends on, worked out once: a month's grid asks each
    /// day whether each occurrence covers it.
    pub first_day: jiff::civil::Date,
    pub last_day: jiff::civil::Date,
}

impl Occurrence {
    pub fn new(event: Event, start: i64, end: i64) -> Occurrence {
        Occurrence {
            link: format!("/agenda/{}", event.id),
            event,
            start,
            end,
            first_day: dates::local_day_and_hour(start).0,
            // The end is excluded: an evening that ends at midnight is not on the next day.
            last_day: dates::local_day_and_hour(end.saturating_sub(1).max(start)).0,
        }
    }

    /// An appointment of `user`, shown as a personal event.
    pub fn appointment(a: &Appointment, user: u64) -> Occurrence {
        let event = Event {
            id: 0,
            calendar: Calendar::Personal(user),
            title: a.title.clone(),
            place: a.place.clone(),
            details: String::new(),
            start: a.start,
            end: a.end,
            all_day: false,
            repeat: Repeat::Never,
            audience: Audience::All,
            author: user,
            created_at: a.start,
            imported_uid: None,
        };
        Occurrence {
            link: a.link.clone(),
            ..Occurrence::new(event, a.start, a.end)
        }
    }

    /// Whether it takes place (at least partly) on day `d`.
    pub fn covers(&self, d: jiff::civil::Date) -> bool {
        self.first_day <= d && d <= self.last_day
    }
}

/// The occurrences a person sees in [from, to), in time order: the events of their
/// calendars and their appointments (bookings, meetings).
pub fn agenda(
    store: &Store,
    people: &People,
    user: u64,
    from: i64,
    to: i64,
) -> Result<Vec<Occurrence>> {
    let mut out: Vec<Occurrence> = events_from(store, people, user, from)?
        .into_iter()
        .flat_map(|e| {
            e.occurrences(from, to)
                .into_iter()
                .map(move |(s, en)| Occurrence::new(e.clone(), s, en))
                .collect::<Vec<_>>()
        })
        .collect();
    out.extend(
        crate::slots::agenda::appointments(store, people, user, from, to)?
            .iter()
            .map(|a| Occurrence::appointment(a, user)),
    );
    out.sort_by_key(|o| (o.start, o.event.id));
    Ok(out)
}

/// « 8 h 30 – 10 h » or « toute la journée ».
pub fn time_text(o: &Occurrence) -> String {
    if o.event.all_day {
        return if o.first_day == o.last_day {
            "toute la journée".into()
        } else {
            format!("jusqu'au {}", dates::day_label(o.last_day))
        };
    }
    let hm = |m: i64| {
        let z =
            jiff::Timestamp::from_microsecond(m).map(|t| t.to_zoned_datetime(dates::school_tz()));
        match z {
            Ok(z) if z.minute() == 0 => format!("{} h", z.hour()),
            Ok(z) => format!("{} h {:02}", z.hour(), z.minute()),
            Err(_) => "?".into(),
        }
    };
    if o.first_day == o.last_day {
        format!("{} – {}", hm(o.start), hm(o.end))
    } else {
        // Over several days (a classe verte): the last day is said, or it reads as one day.
        format!(
            "{} – {} à {}",
            hm(o.start),
            dates::day_label(o.last_day),
            hm(o.end)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(start: i64, end: i64, repeat: Repeat) -> Event {
        Event {
            id: 1,
            calendar: Calendar::School,
            title: "Chorale".into(),
            place: String::new(),
            details: String::new(),
            start,
            end,
            all_day: false,
            repeat,
            audience: Audience::All,
            author: 1,
            created_at: 0,
            imported_uid: None,
        }
    }

    #[test]
    fn an_evening_ending_at_midnight_is_on_its_day_and_a_trip_says_its_last_day() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let evening = ev(
            at(d("2026-12-18"), "20:00").unwrap(),
            day_start(d("2026-12-19")),
            Repeat::Never,
        );
        let o = Occurrence::new(evening.clone(), evening.start, evening.end);
        assert!(o.covers(d("2026-12-18")) && !o.covers(d("2026-12-19")));
        assert_eq!(time_text(&o), "20 h – 0 h");
        let trip = ev(
            at(d("2026-12-04"), "09:00").unwrap(),
            at(d("2026-12-08"), "16:00").unwrap(),
            Repeat::Never,
        );
        let o = Occurrence::new(trip.clone(), trip.start, trip.end);
        assert!(o.covers(d("2026-12-06")) && o.covers(d("2026-12-08")));
        assert_eq!(
            time_text(&o),
            format!("9 h – {} à 16 h", dates::day_label(d("2026-12-08")))
        );
    }

    #[test]
    fn weekly_events_keep_their_local_time_across_summer_time() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let start = at(d("2027-03-18"), "16:30").unwrap();
        let end = at(d("2027-03-18"), "17:30").unwrap();
        let e = ev(start, end, Repeat::Weekly("2027-04-08".into()));
        let occ = e.occurrences(start, day_start(d("2027-05-01")));
        assert_eq!(occ.len(), 4, "18 and 25 March, 1 and 8 April");
        for (s, _) in &occ {
            let z = jiff::Timestamp::from_microsecond(*s)
                .unwrap()
                .to_zoned_datetime(dates::school_tz());
            assert_eq!(
                (z.hour(), z.minute()),
                (16, 30),
                "still 16 h 30 after the change of 28 March"
            );
        }
        let once = ev(start, end, Repeat::Never);
        assert_eq!(once.occurrences(start, end + 1).len(), 1);
        assert!(once.occurrences(end + 1, end + 10).is_empty());
    }
}
