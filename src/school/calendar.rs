//! The school calendar: which days and half-days have class. A day has class when the
//! school week has it (4 days, or 4.5 with Wednesday morning), it is not in the zone's
//! holidays (`agenda::holidays`, shipped in the binary) and the director has not entered
//! it as a day off (pont, journée pédagogique); a day the director enters as worked
//! (rattrapage) has class whatever the rest says. The appel is refused on a day without
//! class, and the canteen counts its meals on the same days.

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use crate::agenda::holidays;
use crate::attendance::HalfDay;
use crate::school::Zone;
use crate::store::{Result, Store, Table, Tx};

/// One record: the school's calendar settings.
pub const CALENDAR: Table<String, Calendar> = Table::new("school_calendar");
const KEY: &str = "calendrier";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Week {
    /// Monday, Tuesday, Thursday, Friday (most schools since 2017).
    #[default]
    FourDays,
    /// The same and Wednesday morning.
    FourAndHalf,
}

impl Week {
    pub fn label(self) -> &'static str {
        match self {
            Week::FourDays => "4 jours (lundi, mardi, jeudi, vendredi)",
            Week::FourAndHalf => "4 jours et demi (avec le mercredi matin)",
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            Week::FourDays => "4",
            Week::FourAndHalf => "4.5",
        }
    }
    pub fn from_slug(text: &str) -> Option<Week> {
        [Week::FourDays, Week::FourAndHalf]
            .into_iter()
            .find(|w| w.slug() == text.trim())
    }
}

/// A day the director entered, with what it is (« Pont de l'Armistice »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedDay {
    pub day: Date,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    #[serde(default)]
    pub week: Week,
    /// Days without class besides holidays and weekends.
    #[serde(default)]
    pub days_off: Vec<NamedDay>,
    /// Days with class in spite of the week or holidays (rattrapage).
    #[serde(default)]
    pub worked_days: Vec<NamedDay>,
    /// The teacher's home reminds them of an appel not done after this time (hour,
    /// minute), morning and afternoon.
    #[serde(default = "morning_reminder")]
    pub reminder_morning: (i8, i8),
    #[serde(default = "afternoon_reminder")]
    pub reminder_afternoon: (i8, i8),
}

fn morning_reminder() -> (i8, i8) {
    (9, 30)
}

fn afternoon_reminder() -> (i8, i8) {
    (14, 30)
}

impl Default for Calendar {
    fn default() -> Calendar {
        Calendar {
            week: Week::FourDays,
            days_off: Vec::new(),
            worked_days: Vec::new(),
            reminder_morning: morning_reminder(),
            reminder_afternoon: afternoon_reminder(),
        }
    }
}

impl Calendar {
    /// Why `day` has no class (« Vacances de Noël », « samedi »…), `None` on a school day.
    pub fn closed_because(&self, zone: Zone, day: Date) -> Option<String> {
        if self.worked_days.iter().any(|d| d.day == day) {
            return None;
        }
        if let Some(off) = self.days_off.iter().find(|d| d.day == day) {
            return Some(off.label.clone());
        }
        if let Some(name) = holidays::on(zone, day) {
            return Some(name.to_string());
        }
        match day.weekday() {
            Weekday::Saturday | Weekday::Sunday => Some("week-end".into()),
            Weekday::Wednesday if self.week == Week::FourDays => {
                Some("pas de classe le mercredi".into())
            }
            _ => None,
        }
    }

    pub fn is_school_day(&self, zone: Zone, day: Date) -> bool {
        self.closed_because(zone, day).is_none()
    }

    pub fn is_school_half_day(&self, zone: Zone, day: Date, half: HalfDay) -> bool {
        if !self.is_school_day(zone, day) {
            return false;
        }
        let worked = self.worked_days.iter().any(|d| d.day == day);
        // Wednesday of a 4.5-day week: the morning only (a worked day has both).
        worked || half == HalfDay::Morning || day.weekday() != Weekday::Wednesday
    }

    /// The school days from `first` to `last` included.
    pub fn school_days(&self, zone: Zone, first: Date, last: Date) -> Vec<Date> {
        let mut out = Vec::new();
        let mut d = first;
        while d <= last {
            if self.is_school_day(zone, d) {
                out.push(d);
            }
            match d.tomorrow() {
                Ok(next) => d = next,
                Err(_) => break,
            }
        }
        out
    }
}

/// The calendar, from memory (read again only after a change).
pub fn get(store: &Store) -> Result<Calendar> {
    let kept = store.derived(&[CALENDAR.name], |s| {
        Ok(s.get(&CALENDAR, &KEY.to_string())?.unwrap_or_default())
    })?;
    Ok(Calendar::clone(&kept))
}

pub fn save(tx: &mut Tx<'_>, calendar: &Calendar) -> Result<()> {
    tx.put(&CALENDAR, &KEY.to_string(), calendar)
}

fn zone(store: &Store) -> Result<Zone> {
    Ok(crate::school::get(store)?
        .map(|s| s.zone)
        .unwrap_or(Zone::C))
}

/// Whether `day` has class at the school.
pub fn is_school_day(store: &Store, day: Date) -> Result<bool> {
    Ok(get(store)?.is_school_day(zone(store)?, day))
}

/// Whether the half-day of `day` has class at the school.
pub fn is_school_half_day(store: &Store, day: Date, half: HalfDay) -> Result<bool> {
    Ok(get(store)?.is_school_half_day(zone(store)?, day, half))
}

/// Why `day` has no class, `None` on a school day.
pub fn closed_because(store: &Store, day: Date) -> Result<Option<String>> {
    Ok(get(store)?.closed_because(zone(store)?, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn a_four_day_week_has_no_wednesday_nor_weekend() {
        let c = Calendar::default();
        // Monday 30 November 2026.
        assert!(c.is_school_day(Zone::A, d("2026-11-30")));
        assert!(c.is_school_day(Zone::A, d("2026-12-01")));
        assert!(!c.is_school_day(Zone::A, d("2026-12-02")));
        assert!(c.is_school_day(Zone::A, d("2026-12-03")));
        assert!(c.is_school_day(Zone::A, d("2026-12-04")));
        assert!(!c.is_school_day(Zone::A, d("2026-12-05")));
        assert!(!c.is_school_day(Zone::A, d("2026-12-06")));
    }

    #[test]
    fn a_four_and_a_half_day_week_has_wednesday_morning_only() {
        let c = Calendar {
            week: Week::FourAndHalf,
            ..Calendar::default()
        };
        let wed = d("2026-12-02");
        assert!(c.is_school_day(Zone::B, wed));
        assert!(c.is_school_half_day(Zone::B, wed, HalfDay::Morning));
        assert!(!c.is_school_half_day(Zone::B, wed, HalfDay::Afternoon));
        assert!(c.is_school_half_day(Zone::B, d("2026-12-01"), HalfDay::Afternoon));
    }

    #[test]
    fn holidays_of_the_zone_have_no_class() {
        let c = Calendar::default();
        // Christmas holidays (all zones), then back on Monday 4 January 2027.
        assert!(!c.is_school_day(Zone::C, d("2026-12-21")));
        assert!(c.is_school_day(Zone::C, d("2027-01-04")));
        // Winter: zone C is off on 8 February 2027, zone A is not.
        assert!(!c.is_school_day(Zone::C, d("2027-02-08")));
        assert!(c.is_school_day(Zone::A, d("2027-02-08")));
        assert_eq!(
            c.closed_because(Zone::A, d("2026-12-21")).as_deref(),
            Some("Vacances de Noël")
        );
    }

    #[test]
    fn the_directors_days_off_and_worked_days_win() {
        let c = Calendar {
            days_off: vec![NamedDay {
                day: d("2026-12-03"),
                label: "Journée pédagogique".into(),
            }],
            worked_days: vec![NamedDay {
                day: d("2026-12-02"),
                label: "Rattrapage du pont".into(),
            }],
            ..Calendar::default()
        };
        assert!(!c.is_school_day(Zone::A, d("2026-12-03")));
        assert_eq!(
            c.closed_because(Zone::A, d("2026-12-03")).as_deref(),
            Some("Journée pédagogique")
        );
        assert!(c.is_school_day(Zone::A, d("2026-12-02")));
        assert!(c.is_school_half_day(Zone::A, d("2026-12-02"), HalfDay::Afternoon));
        assert_eq!(
            c.school_days(Zone::A, d("2026-11-30"), d("2026-12-06")),
            vec![
                d("2026-11-30"),
                d("2026-12-01"),
                d("2026-12-02"),
                d("2026-12-04")
            ]
        );
    }
}
