//! The commune's services (cantine, garderies, étude, mercredi) and the families' sign-ups.
//!
//! A sign-up is one booking per (service, day, pupil), written with an index by pupil and
//! the day's count in the same transaction (the count is the capacity check and the
//! effectifs). Before the service's cut-off a guardian's change is done at once; after it
//! (except a cancellation before the same-morning limit) it becomes a request to the
//! commune, which accepts or refuses it: a late change never silently succeeds. Every
//! change is kept in the child's history (both guardians see who did what) and audited.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{add_days, audit, day_key, monday, weekday_name, weekday_number};
use crate::policy::Granted;
use crate::school::Zone;
use crate::store::{Key, Result, Store, Table};
use crate::ui::dates;

pub const SERVICES: Table<u64, PeriService> = Table::new("canteen_services");
/// (service, day, pupil) → who booked it, when.
pub const BOOKINGS: Table<(u64, u64, u64), Booking> = Table::new("canteen_bookings");
/// (pupil, day, service) → who booked it: a child's page and the class lists.
pub const BY_PUPIL: Table<(u64, u64, u64), u64> = Table::new("canteen_bookings_by_pupil");
/// (service, day) → how many pupils are booked: capacity and effectifs.
pub const COUNTS: Table<(u64, u64), u64> = Table::new("canteen_counts");
/// pupil → diet, PAI, the recurring patterns.
pub const FAMILIES: Table<u64, Family> = Table::new("canteen_families");
/// (pupil, sequence) → one change of the child's sign-ups.
pub const CHANGES: Table<(u64, u64), Change> = Table::new("canteen_changes");
/// (service, day, pupil) → the latest change asked after the cut-off.
pub const REQUESTS: Table<(u64, u64, u64), Request> = Table::new("canteen_requests");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    Cantine,
    GarderieMatin,
    GarderieSoir,
    Etude,
    Mercredi,
}

impl ServiceKind {
    pub const ALL: [ServiceKind; 5] = [
        ServiceKind::Cantine,
        ServiceKind::GarderieMatin,
        ServiceKind::GarderieSoir,
        ServiceKind::Etude,
        ServiceKind::Mercredi,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ServiceKind::Cantine => "Cantine",
            ServiceKind::GarderieMatin => "Garderie du matin",
            ServiceKind::GarderieSoir => "Garderie du soir / accueil périscolaire",
            ServiceKind::Etude => "Étude",
            ServiceKind::Mercredi => "Accueil du mercredi",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            ServiceKind::Cantine => "cantine",
            ServiceKind::GarderieMatin => "garderie-matin",
            ServiceKind::GarderieSoir => "garderie-soir",
            ServiceKind::Etude => "etude",
            ServiceKind::Mercredi => "mercredi",
        }
    }

    pub fn from_slug(text: &str) -> Option<ServiceKind> {
        ServiceKind::ALL.into_iter().find(|k| k.slug() == text)
    }

    /// Whether an absence in the afternoon (rather than the morning) keeps the pupil out.
    pub fn afternoon(self) -> bool {
        matches!(self, ServiceKind::GarderieSoir | ServiceKind::Etude)
    }
}

/// A service of the commune, as it configures it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PeriService {
    pub id: u64,
    pub kind: ServiceKind,
    pub name: String,
    /// Days it runs: 1 (lundi) to 7.
    pub weekdays: Vec<u8>,
    /// Places a day; 0: no limit.
    pub capacity: u64,
    /// The cut-off, in the week before: weekday (1 = lundi) and hour.
    pub cutoff_weekday: u8,
    pub cutoff_hour: u8,
    /// A cancellation is still taken the same day until this hour.
    #[serde(default)]
    pub cancel_until: Option<u8>,
    /// Classes whose pupils may sign up; empty: every class.
    #[serde(default)]
    pub classes: Vec<u64>,
    /// The périscolaire staff who work in it (they take its list).
    #[serde(default)]
    pub staff: Vec<u64>,
    /// Days the service is closed (strike announced, works), `yyyymmdd`.
    #[serde(default)]
    pub closed: Vec<u64>,
    /// The hour by which the commune wants the day's pointage (its effectifs).
    #[serde(default)]
    pub report_by: Option<u8>,
}

impl PeriService {
    /// « jeudi 9 h pour la semaine suivante ».
    pub fn cutoff_text(&self) -> String {
        format!(
            "{} {} h pour la semaine suivante",
            weekday_name(self.cutoff_weekday),
            self.cutoff_hour
        )
    }

    pub fn days_text(&self) -> String {
        let names: Vec<&str> = self.weekdays.iter().map(|d| weekday_name(*d)).collect();
        names.join(", ")
    }

    /// The last instant a change for `day` is taken without asking the commune.
    pub fn deadline(&self, day: Date) -> i64 {
        let d = add_days(
            monday(day),
            i64::from(self.cutoff_weekday.clamp(1, 7)) - 1 - 7,
        );
        dates::start_of_day(d) + i64::from(self.cutoff_hour) * 3_600_000_000
    }

    /// The last instant a cancellation for `day` is taken, the same morning.
    pub fn cancel_deadline(&self, day: Date) -> Option<i64> {
        self.cancel_until
            .map(|h| dates::start_of_day(day) + i64::from(h) * 3_600_000_000)
    }

    /// Why `day` cannot be booked (« vacances de Noël », « fermé »), or `None`.
    pub fn closed_on(&self, school: &SchoolClosures, day: Date) -> Option<String> {
        if !self.weekdays.contains(&weekday_number(day)) {
            return Some(format!(
                "pas de {} le {}",
                self.name,
                dates::weekday_fr(day.weekday())
            ));
        }
        if let Some(why) = school.closed(day) {
            return Some(why);
        }
        if self.closed.contains(&day_key(day)) {
            return Some("service fermé ce jour".into());
        }
        None
    }

    pub fn open_to(&self, classes_of_pupil: &[u64]) -> bool {
        self.classes.is_empty() || classes_of_pupil.iter().any(|c| self.classes.contains(c))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Diet {
    #[default]
    Standard,
    SansViande,
    SansPorc,
}

impl Diet {
    pub const ALL: [Diet; 3] = [Diet::Standard, Diet::SansViande, Diet::SansPorc];
    pub fn label(self) -> &'static str {
        match self {
            Diet::Standard => "standard",
            Diet::SansViande => "sans viande",
            Diet::SansPorc => "sans porc",
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            Diet::Standard => "standard",
            Diet::SansViande => "sans-viande",
            Diet::SansPorc => "sans-porc",
        }
    }
    pub fn from_slug(text: &str) -> Option<Diet> {
        Diet::ALL.into_iter().find(|d| d.slug() == text)
    }
}

/// A recurring sign-up: these weekdays, from one day to another.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pattern {
    pub service: u64,
    pub weekdays: Vec<u8>,
    pub from: u64,
    pub until: u64,
    pub by: u64,
    pub at: i64,
}

/// What the family says for the canteen: the diet and whether a PAI exists (no detail).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Family {
    #[serde(default)]
    pub diet: Diet,
    #[serde(default)]
    pub pai: bool,
    #[serde(default)]
    pub patterns: Vec<Pattern>,
    #[serde(default)]
    pub updated: Option<(i64, u64)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Booking {
    pub by: u64,
    pub at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOutcome {
    Done,
    Asked,
    Accepted,
    Refused,
}

impl ChangeOutcome {
    pub fn label(self) -> &'static str {
        match self {
            ChangeOutcome::Done => "fait",
            ChangeOutcome::Asked => "demandé à la commune (après la date limite)",
            ChangeOutcome::Accepted => "accepté par la commune",
            ChangeOutcome::Refused => "refusé par la commune",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Change {
    pub at: i64,
    pub by: u64,
    pub service: u64,
    pub day: u64,
    /// Signed up (true) or cancelled.
    pub add: bool,
    pub outcome: ChangeOutcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Accepted,
    Refused,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    pub service: u64,
    pub pupil: u64,
    pub day: u64,
    pub add: bool,
    pub by: u64,
    pub at: i64,
    pub status: Status,
    #[serde(default)]
    pub decided: Option<(i64, u64)>,
}

pub fn services(store: &Store) -> Result<Vec<PeriService>> {
    Ok(store.scan(&SERVICES)?.into_iter().map(|(_, s)| s).collect())
}

pub fn service(store: &Store, id: u64) -> Result<Option<PeriService>> {
    store.get(&SERVICES, &id)
}

/// Creates (id 0) or replaces a service.
pub async fn save_service(
    store: &Store,
    granted: &Granted,
    service: &PeriService,
    now: i64,
) -> Result<u64> {
    let login = super::login_of(store, granted.by())?;
    store
        .commit(|tx| {
            let mut s = service.clone();
            if s.id == 0 {
                s.id = tx.next_id("canteen_service")?;
            }
            tx.put(&SERVICES, &s.id, &s)?;
            audit(
                tx,
                (granted.by(), &login),
                now,
                format!("Cantine : service « {} » configuré", s.name),
            )?;
            Ok(s.id)
        })
        .await
}

pub fn family(store: &Store, pupil: u64) -> Result<Family> {
    Ok(store.get(&FAMILIES, &pupil)?.unwrap_or_default())
}

/// The pupils booked for a service on a day, with who booked them.
pub fn booked_on(store: &Store, service: u64, day: Date) -> Result<Vec<(u64, Booking)>> {
    let mut prefix = service.encode();
    prefix.extend(day_key(day).encode());
    Ok(store
        .scan_prefix(&BOOKINGS, &prefix)?
        .into_iter()
        .map(|((_, _, p), b)| (p, b))
        .collect())
}

pub fn count_on(store: &Store, service: u64, day: Date) -> Result<u64> {
    Ok(store.get(&COUNTS, &(service, day_key(day)))?.unwrap_or(0))
}

/// A child's bookings from `from` to `until` (included): (day, service, who booked).
pub fn of_pupil(
    store: &Store,
    pupil: u64,
    from: Date,
    until: Date,
) -> Result<Vec<(u64, u64, u64)>> {
    Ok(store
        .scan_range(
            &BY_PUPIL,
            &(pupil, day_key(from), 0),
            &(pupil, day_key(add_days(until, 1)), 0),
        )?
        .into_iter()
        .map(|((_, d, s), by)| (d, s, by))
        .collect())
}

/// The child's latest changes, newest first.
pub fn changes(store: &Store, pupil: u64, limit: usize) -> Result<Vec<Change>> {
    Ok(store
        .scan_prefix_last(&CHANGES, &pupil.encode(), limit)?
        .into_iter()
        .map(|(_, c)| c)
        .collect())
}

/// The requests waiting for the commune, oldest first.
pub fn pending(store: &Store) -> Result<Vec<Request>> {
    let mut out: Vec<Request> = store
        .scan(&REQUESTS)?
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| r.status == Status::Pending)
        .collect();
    out.sort_by_key(|r| r.at);
    Ok(out)
}

pub use super::signup::{change, decide, pattern_days, save_family, Context, Summary};

/// What closes every service of the school on a day: the zone's holidays and the days
/// without pupils the director entered in the school calendar (pont, journée
/// pédagogique). Not the school week: the « mercredi » service runs when there is no class.
#[derive(Debug, Clone)]
pub struct SchoolClosures {
    pub zone: Zone,
    pub days_off: Vec<crate::school::calendar::NamedDay>,
}

impl SchoolClosures {
    /// The zone's holidays alone (a school without days off).
    pub fn of_zone(zone: Zone) -> SchoolClosures {
        SchoolClosures {
            zone,
            days_off: Vec::new(),
        }
    }

    pub fn of(store: &Store) -> Result<SchoolClosures> {
        let zone = crate::school::get(store)?
            .map(|s| s.zone)
            .unwrap_or(Zone::A);
        Ok(SchoolClosures {
            zone,
            days_off: crate::school::calendar::get(store)?.days_off,
        })
    }

    pub fn closed(&self, day: Date) -> Option<String> {
        if let Some(off) = self.days_off.iter().find(|d| d.day == day) {
            return Some(off.label.clone());
        }
        crate::agenda::holidays::on(self.zone, day).map(str::to_string)
    }
}
