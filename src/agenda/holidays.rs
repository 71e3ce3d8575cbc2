//! School holidays of metropolitan France, shipped inside the binary so that the agenda
//! shows them without internet. Dates as the ministry publishes them: the first day
//! without class (the Saturday after the last class) and the day classes resume (in the
//! morning). A school can import a newer calendar (.ics) from the agenda.

use jiff::civil::Date;

use crate::school::Zone;

pub struct Holiday {
    pub name: &'static str,
    /// Zones concerned (all three for national holidays).
    pub zones: &'static [Zone],
    pub first_day: &'static str,
    pub back: &'static str,
}

const ALL: &[Zone] = &[Zone::A, Zone::B, Zone::C];

/// 2025-2026 (arrêté of the school calendar) and 2026-2027.
pub const HOLIDAYS: &[Holiday] = &[
    Holiday {
        name: "Vacances de la Toussaint",
        zones: ALL,
        first_day: "2025-10-18",
        back: "2025-11-03",
    },
    Holiday {
        name: "Vacances de Noël",
        zones: ALL,
        first_day: "2025-12-20",
        back: "2026-01-05",
    },
    Holiday {
        name: "Vacances d'hiver",
        zones: &[Zone::A],
        first_day: "2026-02-07",
        back: "2026-02-23",
    },
    Holiday {
        name: "Vacances d'hiver",
        zones: &[Zone::B],
        first_day: "2026-02-14",
        back: "2026-03-02",
    },
    Holiday {
        name: "Vacances d'hiver",
        zones: &[Zone::C],
        first_day: "2026-02-21",
        back: "2026-03-09",
    },
    Holiday {
        name: "Vacances de printemps",
        zones: &[Zone::A],
        first_day: "2026-04-04",
        back: "2026-04-20",
    },
    Holiday {
        name: "Vacances de printemps",
        zones: &[Zone::B],
        first_day: "2026-04-11",
        back: "2026-04-27",
    },
    Holiday {
        name: "Vacances de printemps",
        zones: &[Zone::C],
        first_day: "2026-04-18",
        back: "2026-05-04",
    },
    Holiday {
        name: "Pont de l'Ascension",
        zones: ALL,
        first_day: "2026-05-15",
        back: "2026-05-18",
    },
    Holiday {
        name: "Vacances d'été",
        zones: ALL,
        first_day: "2026-07-04",
        back: "2026-09-01",
    },
    Holiday {
        name: "Vacances de la Toussaint",
        zones: ALL,
        first_day: "2026-10-17",
        back: "2026-11-02",
    },
    Holiday {
        name: "Vacances de Noël",
        zones: ALL,
        first_day: "2026-12-19",
        back: "2027-01-04",
    },
    Holiday {
        name: "Vacances d'hiver",
        zones: &[Zone::A],
        first_day: "2027-02-13",
        back: "2027-03-01",
    },
    Holiday {
        name: "Vacances d'hiver",
        zones: &[Zone::B],
        first_day: "2027-02-20",
        back: "2027-03-08",
    },
    Holiday {
        name: "Vacances d'hiver",
        zones: &[Zone::C],
        first_day: "2027-02-06",
        back: "2027-02-22",
    },
    Holiday {
        name: "Vacances de printemps",
        zones: &[Zone::A],
        first_day: "2027-04-10",
        back: "2027-04-26",
    },
    Holiday {
        name: "Vacances de printemps",
        zones: &[Zone::B],
        first_day: "2027-04-17",
        back: "2027-05-03",
    },
    Holiday {
        name: "Vacances de printemps",
        zones: &[Zone::C],
        first_day: "2027-04-03",
        back: "2027-04-19",
    },
    Holiday {
        name: "Pont de l'Ascension",
        zones: ALL,
        first_day: "2027-05-07",
        back: "2027-05-10",
    },
    Holiday {
        name: "Vacances d'été",
        zones: ALL,
        first_day: "2027-07-03",
        back: "2027-09-01",
    },
];

/// The holidays of a zone: (name, first day off, last day off).
pub fn of_zone(zone: Zone) -> Vec<(&'static str, Date, Date)> {
    parsed()
        .iter()
        .filter(|(zones, ..)| zones.contains(&zone))
        .map(|(_, name, first, last)| (*name, *first, *last))
        .collect()
}

/// A holiday's zones, name, first day and last day.
type Parsed = (&'static [Zone], &'static str, Date, Date);

/// The shipped calendar with its dates parsed, once: the agenda asks for every day it
/// shows, and parsing them again each time was a third of its page.
fn parsed() -> &'static [Parsed] {
    static PARSED: std::sync::OnceLock<Vec<Parsed>> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| {
        HOLIDAYS
            .iter()
            .filter_map(|h| {
                let first = h.first_day.parse::<Date>().ok()?;
                let last = h.back.parse::<Date>().ok()?.yesterday().ok()?;
                Some((h.zones, h.name, first, last))
            })
            .collect()
    })
}

/// The holiday covering `day` in `zone`, if any.
pub fn on(zone: Zone, day: Date) -> Option<&'static str> {
    parsed()
        .iter()
        .find(|(zones, _, first, last)| zones.contains(&zone) && *first <= day && day <= *last)
        .map(|(_, name, _, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_calendar_is_well_formed() {
        for h in HOLIDAYS {
            let first: Date = h.first_day.parse().unwrap();
            let back: Date = h.back.parse().unwrap();
            assert!(first < back, "{}", h.name);
            if h.name.starts_with("Pont") {
                continue;
            }
            assert_eq!(
                first.weekday(),
                jiff::civil::Weekday::Saturday,
                "{} starts on a Saturday except the bridge",
                h.name
            );
        }
    }

    #[test]
    fn zones_have_their_own_winter() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(on(Zone::A, d("2026-02-10")), Some("Vacances d'hiver"));
        assert_eq!(on(Zone::C, d("2026-02-10")), None);
        assert_eq!(on(Zone::B, d("2025-12-25")), Some("Vacances de Noël"));
        assert_eq!(
            on(Zone::B, d("2026-01-05")),
            None,
            "back in class that morning"
        );
    }
}
