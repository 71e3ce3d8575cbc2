//! Vie scolaire: the registre d'appel and absences. The teacher (or a replacement through
//! a delegation) takes the appel of each class for each demi-journée of a school day
//! (`school::calendar`); an absence not declared beforehand tells each guardian at once;
//! families declare absences ahead and give the motif from the legal list (Code de
//! l'éducation L131-8); the director follows the school, the pupils with 4 demi-journées
//! non justifiées or more in the month, and signs each class's monthly register.
//!
//! Records: one `Appel` per (class, half-day) with every pupil's mark, and one
//! `PupilSlot` per (half-day, pupil) for what is not « présent » (an absence, a late
//! arrival, a declaration by the family), indexed by pupil for the families' page.

pub mod access;
pub mod amenagements;
pub mod archive;
pub mod families;
pub mod record;
pub mod register;
pub mod routes;
mod views;

pub use routes::home_reminder;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::store::{Key, Result, Store, StoreError, Table};

/// (class, slot) → the appel of that class for that half-day.
pub const APPELS: Table<(u64, u64), Appel> = Table::new("attendance_appels");
/// (slot, pupil) → what is not « présent » for that pupil that half-day.
pub const SLOTS: Table<(u64, u64), PupilSlot> = Table::new("attendance_slots");
/// (pupil, slot): the half-days a pupil has something recorded.
pub const BY_PUPIL: Table<(u64, u64), ()> = Table::new("attendance_by_pupil");
/// (pupil, slot) → when the guardians were told: absences still without a motif.
pub const AWAITING_MOTIF: Table<(u64, u64), i64> = Table::new("attendance_awaiting_motif");
/// (pupil, id) → an aménagement (PS afternoons, recurring care outside the class).
pub const AMENAGEMENTS: Table<(u64, u64), amenagements::Amenagement> =
    Table::new("attendance_amenagements");
/// (class, yyyymm) → the director's « visé » of that month's register.
pub const VISAS: Table<(u64, u64), Visa> = Table::new("attendance_visas");

pub const TABLES: &[&str] = &[
    APPELS.name,
    SLOTS.name,
    BY_PUPIL.name,
    AWAITING_MOTIF.name,
    AMENAGEMENTS.name,
    VISAS.name,
];

/// A demi-journée.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum HalfDay {
    Morning,
    Afternoon,
}

impl HalfDay {
    pub const ALL: [HalfDay; 2] = [HalfDay::Morning, HalfDay::Afternoon];

    /// « Appel du matin », « Appel de l'après-midi ».
    pub fn appel_title(self) -> &'static str {
        match self {
            HalfDay::Morning => "Appel du matin",
            HalfDay::Afternoon => "Appel de l'après-midi",
        }
    }

    /// « matin », « après-midi ».
    pub fn label(self) -> &'static str {
        match self {
            HalfDay::Morning => "matin",
            HalfDay::Afternoon => "après-midi",
        }
    }

    /// « ce matin », « cet après-midi ».
    pub fn this(self) -> &'static str {
        match self {
            HalfDay::Morning => "ce matin",
            HalfDay::Afternoon => "cet après-midi",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            HalfDay::Morning => "matin",
            HalfDay::Afternoon => "apres-midi",
        }
    }

    pub fn from_slug(text: &str) -> Option<HalfDay> {
        HalfDay::ALL.into_iter().find(|h| h.slug() == text.trim())
    }

    /// The half-day of a local hour: the morning until noon.
    pub fn of_hour(hour: i8) -> HalfDay {
        if hour < 12 {
            HalfDay::Morning
        } else {
            HalfDay::Afternoon
        }
    }
}

/// A half-day as a number that sorts by time: `yyyymmdd × 2 + (0 morning, 1 afternoon)`.
pub fn slot(day: Date, half: HalfDay) -> u64 {
    let ymd = day.year() as u64 * 10_000 + day.month() as u64 * 100 + day.day() as u64;
    ymd * 2 + u64::from(half == HalfDay::Afternoon)
}

/// The day and half-day of a slot.
pub fn slot_day(slot: u64) -> Option<(Date, HalfDay)> {
    let ymd = slot / 2;
    let half = if slot % 2 == 0 {
        HalfDay::Morning
    } else {
        HalfDay::Afternoon
    };
    let date = Date::new(
        i16::try_from(ymd / 10_000).ok()?,
        i8::try_from(ymd / 100 % 100).ok()?,
        i8::try_from(ymd % 100).ok()?,
    )
    .ok()?;
    Some((date, half))
}

/// « lundi 30 novembre, matin ».
pub fn slot_label(slot: u64) -> String {
    match slot_day(slot) {
        Some((d, h)) => format!("{}, {}", crate::ui::dates::day_label(d), h.label()),
        None => "?".into(),
    }
}

/// What the appel says of one pupil.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mark")]
pub enum Mark {
    Present,
    Absent,
    /// Arrived late, at that local time.
    Late {
        hour: i8,
        minute: i8,
    },
    /// Not expected in class under an aménagement: never counted as an absence.
    Amenagement,
}

impl Mark {
    pub fn label(self) -> String {
        match self {
            Mark::Present => "présent".into(),
            Mark::Absent => "absent".into(),
            Mark::Late { hour, minute } => format!("retard {hour} h {minute:02}"),
            Mark::Amenagement => "aménagement".into(),
        }
    }
}

/// The appel of one class for one half-day.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Appel {
    pub class: u64,
    pub slot: u64,
    /// Who recorded it last, and when; when it was first recorded.
    pub by: u64,
    pub at: i64,
    pub first_at: i64,
    pub marks: Vec<(u64, Mark)>,
}

impl Appel {
    pub fn mark_of(&self, pupil: u64) -> Option<Mark> {
        self.marks
            .iter()
            .find(|(p, _)| *p == pupil)
            .map(|(_, m)| *m)
    }
}

/// The legal motifs of absence (Code de l'éducation, L131-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Motif {
    Maladie,
    MaladieContagieuse,
    ReunionFamille,
    Communications,
    SuiviResponsables,
    Autre,
}

impl Motif {
    pub const ALL: [Motif; 6] = [
        Motif::Maladie,
        Motif::MaladieContagieuse,
        Motif::ReunionFamille,
        Motif::Communications,
        Motif::SuiviResponsables,
        Motif::Autre,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Motif::Maladie => "maladie de l'enfant",
            Motif::MaladieContagieuse => "maladie contagieuse d'un membre de la famille",
            Motif::ReunionFamille => "réunion solennelle de famille",
            Motif::Communications => "difficulté accidentelle des communications",
            Motif::SuiviResponsables => {
                "absence temporaire des personnes responsables, l'enfant les suivant"
            }
            Motif::Autre => "autre motif",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Motif::Maladie => "maladie",
            Motif::MaladieContagieuse => "maladie-contagieuse",
            Motif::ReunionFamille => "reunion-famille",
            Motif::Communications => "communications",
            Motif::SuiviResponsables => "suivi-responsables",
            Motif::Autre => "autre",
        }
    }

    pub fn from_slug(text: &str) -> Option<Motif> {
        Motif::ALL.into_iter().find(|m| m.slug() == text.trim())
    }
}

/// A motif given by a family (before or after), or entered by the school.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Justification {
    pub motif: Motif,
    #[serde(default)]
    pub comment: String,
    pub by: u64,
    pub at: i64,
    /// Given before the appel of that half-day (« absence prévue »).
    #[serde(default)]
    pub ahead: bool,
}

/// What is not « présent » for one pupil one half-day.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PupilSlot {
    pub pupil: u64,
    pub class: u64,
    pub slot: u64,
    /// What the appel said; `None` while only declared by the family.
    #[serde(default)]
    pub mark: Option<Mark>,
    #[serde(default)]
    pub justification: Option<Justification>,
    /// The director judged the motif not legitimate: the absence counts as non justifiée.
    #[serde(default)]
    pub not_legitimate: bool,
    /// When the guardians were told of the absence, and reminded of the motif.
    #[serde(default)]
    pub notified_at: Option<i64>,
    #[serde(default)]
    pub reminded_at: Option<i64>,
}

impl PupilSlot {
    pub fn new(pupil: u64, class: u64, slot: u64) -> PupilSlot {
        PupilSlot {
            pupil,
            class,
            slot,
            mark: None,
            justification: None,
            not_legitimate: false,
            notified_at: None,
            reminded_at: None,
        }
    }

    /// An absence recorded by the appel.
    pub fn is_absence(&self) -> bool {
        self.mark == Some(Mark::Absent)
    }

    /// An absence without an accepted motif.
    pub fn unjustified(&self) -> bool {
        self.is_absence() && (self.justification.is_none() || self.not_legitimate)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Visa {
    pub by: u64,
    pub at: i64,
}

/// A pupil missing from class one half-day, for the canteen and the périscolaire.
#[derive(Debug, Clone, PartialEq)]
pub struct AbsentPupil {
    pub pupil: UserId,
    pub half: HalfDay,
    /// In French: « absent (maladie de l'enfant) », « retard 9 h 40 », « absence prévue ».
    pub reason: String,
    /// Arrived late: in class for the rest of the half-day (the canteen counts them).
    pub late: bool,
}

fn day_range(day: Date) -> ((u64, u64), (u64, u64)) {
    (
        (slot(day, HalfDay::Morning), 0),
        (slot(day, HalfDay::Afternoon) + 1, 0),
    )
}

/// The pupils missing on `day`: from the appel of each class for each half-day, and for a
/// half-day whose appel is not taken yet, the absences the families declared ahead.
pub fn absent_on(store: &Store, day: Date) -> Result<Vec<AbsentPupil>, StoreError> {
    let (from, to) = day_range(day);
    let mut out = Vec::new();
    for (_, s) in store.scan_range(&SLOTS, &from, &to)? {
        let Some((_, half)) = slot_day(s.slot) else {
            continue;
        };
        let motif = s
            .justification
            .as_ref()
            .map(|j| format!(" ({})", j.motif.label()))
            .unwrap_or_default();
        let reason = match s.mark {
            Some(Mark::Absent) => format!("absent{motif}"),
            Some(m @ Mark::Late { .. }) => m.label(),
            Some(Mark::Present) | Some(Mark::Amenagement) => continue,
            None if s.justification.is_some() => format!("absence prévue{motif}"),
            None => continue,
        };
        out.push(AbsentPupil {
            pupil: UserId(s.pupil),
            half,
            late: matches!(s.mark, Some(Mark::Late { .. })),
            reason,
        });
    }
    Ok(out)
}

/// The appel of a class for a half-day, if taken.
pub fn appel(store: &Store, class: u64, day: Date, half: HalfDay) -> Result<Option<Appel>> {
    store.get(&APPELS, &(class, slot(day, half)))
}

/// What is recorded for every pupil on `day` (absences, late arrivals, declarations).
pub fn slots_of_day(store: &Store, day: Date) -> Result<Vec<PupilSlot>> {
    let (from, to) = day_range(day);
    Ok(store
        .scan_range(&SLOTS, &from, &to)?
        .into_iter()
        .map(|(_, s)| s)
        .collect())
}

/// What is recorded between two slots (`from` included, `to` excluded).
pub fn slots_between(store: &Store, from: u64, to: u64) -> Result<Vec<PupilSlot>> {
    Ok(store
        .scan_range(&SLOTS, &(from, 0), &(to, 0))?
        .into_iter()
        .map(|(_, s)| s)
        .collect())
}

/// Everything recorded for a pupil, newest first.
pub fn of_pupil(store: &Store, pupil: u64) -> Result<Vec<PupilSlot>> {
    let mut out = Vec::new();
    for ((_, s), ()) in store.scan_prefix(&BY_PUPIL, &pupil.encode())? {
        if let Some(found) = store.get(&SLOTS, &(s, pupil))? {
            out.push(found);
        }
    }
    out.reverse();
    Ok(out)
}

/// The appels of a class between two slots (`from` included, `to` excluded).
pub fn appels_between(store: &Store, class: u64, from: u64, to: u64) -> Result<Vec<Appel>> {
    Ok(store
        .scan_range(&APPELS, &(class, from), &(class, to))?
        .into_iter()
        .map(|(_, a)| a)
        .collect())
}

/// The school's local time at `now`: (hour, minute). The hour through the ui's dates (the
/// one place that knows the time zone); the minute is the same in every zone France uses
/// (whole-hour offsets).
pub fn clock(now: i64) -> (i8, i8) {
    let (_, hour) = crate::ui::dates::local_day_and_hour(now);
    let minute = now.div_euclid(60_000_000).rem_euclid(60) as i8;
    (hour, minute)
}

/// The school's calendar day and half-day at `now`.
pub fn current(now: i64) -> (Date, HalfDay) {
    let (day, hour) = crate::ui::dates::local_day_and_hour(now);
    (day, HalfDay::of_hour(hour))
}

/// What the account deletion erases: a pupil's absences, declarations and aménagements go
/// (the class's appels keep their mark under « ancien élève », the school's register);
/// a guardian's declarations stay on the child's record.
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let slots: Vec<u64> = store
        .scan_prefix(&BY_PUPIL, &user.encode())?
        .into_iter()
        .map(|((_, s), ())| s)
        .collect();
    let arrangements: Vec<u64> = store
        .scan_prefix(&AMENAGEMENTS, &user.encode())?
        .into_iter()
        .map(|((_, id), _)| id)
        .collect();
    Ok(Box::new(move |tx| {
        for s in &slots {
            tx.remove(&SLOTS, &(*s, user))?;
            tx.remove(&BY_PUPIL, &(user, *s))?;
            tx.remove(&AWAITING_MOTIF, &(user, *s))?;
        }
        for id in &arrangements {
            tx.remove(&AMENAGEMENTS, &(user, *id))?;
        }
        Ok(())
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_is_the_schools() {
        // 2026-11-30 08:42 UTC is 9 h 42 in Paris (winter), 2026-07-01 08:42 UTC 10 h 42.
        let at = |t: &str| t.parse::<jiff::Timestamp>().unwrap().as_microsecond();
        assert_eq!(clock(at("2026-11-30T08:42:00Z")), (9, 42));
        assert_eq!(clock(at("2026-07-01T08:42:00Z")), (10, 42));
    }

    #[test]
    fn slots_sort_by_time_and_read_back() {
        let d: Date = "2026-11-30".parse().unwrap();
        let m = slot(d, HalfDay::Morning);
        let a = slot(d, HalfDay::Afternoon);
        assert!(m < a);
        assert!(a < slot(d.tomorrow().unwrap(), HalfDay::Morning));
        assert_eq!(slot_day(a), Some((d, HalfDay::Afternoon)));
        assert_eq!(slot_day(m), Some((d, HalfDay::Morning)));
    }

    #[test]
    fn an_unjustified_absence_is_one_without_an_accepted_motif() {
        let mut s = PupilSlot::new(1, 2, 3);
        s.mark = Some(Mark::Absent);
        assert!(s.unjustified());
        s.justification = Some(Justification {
            motif: Motif::Maladie,
            comment: String::new(),
            by: 4,
            at: 0,
            ahead: false,
        });
        assert!(!s.unjustified());
        s.not_legitimate = true;
        assert!(s.unjustified());
        s.mark = Some(Mark::Late { hour: 9, minute: 5 });
        assert!(!s.unjustified());
    }
}
