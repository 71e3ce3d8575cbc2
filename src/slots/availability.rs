//! When a resource may be booked: a period (the salle des fêtes lent to the school from
//! September to June), some weekdays and hours (the gymnase on Tuesdays and Thursdays, 9 h
//! to 16 h), and how far ahead (the minibus at least 2 days before, so that the commune
//! can find a driver; at most 60 days ahead, so that no one holds it for the year). Each
//! refusal is said in French beside the field it is about.

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use super::{add_days, clock, clock_value, parse_clock};
use crate::ui::dates;
use crate::ui::form::FormState;

/// The days of the week, Monday first, as the forms name them.
pub const WEEKDAYS: [(Weekday, &str); 7] = [
    (Weekday::Monday, "lundi"),
    (Weekday::Tuesday, "mardi"),
    (Weekday::Wednesday, "mercredi"),
    (Weekday::Thursday, "jeudi"),
    (Weekday::Friday, "vendredi"),
    (Weekday::Saturday, "samedi"),
    (Weekday::Sunday, "dimanche"),
];

/// The longest maximum delay a resource may set (a school year).
pub const MAX_DELAY_DAYS: u16 = 366;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    /// Bookable from this day on.
    #[serde(default)]
    pub from: Option<Date>,
    /// Bookable until this day.
    #[serde(default)]
    pub until: Option<Date>,
    /// The weekdays it is bookable (Monday = 0); empty: every day.
    #[serde(default)]
    pub weekdays: Vec<u8>,
    /// The hours it is bookable (minutes after midnight).
    #[serde(default)]
    pub hours: Option<(u16, u16)>,
    /// Booked at least this many days ahead (0: the same day too).
    #[serde(default)]
    pub min_days: u16,
    /// Booked at most this many days ahead.
    #[serde(default)]
    pub max_days: Option<u16>,
}

fn weekday_index(d: Date) -> u8 {
    d.weekday().to_monday_zero_offset() as u8
}

fn days_list(weekdays: &[u8]) -> String {
    let names: Vec<&str> = WEEKDAYS
        .iter()
        .enumerate()
        .filter(|(i, _)| weekdays.contains(&(*i as u8)))
        .map(|(_, (_, n))| *n)
        .collect();
    match names.split_last() {
        Some((last, [])) => format!("le {last}"),
        Some((last, rest)) => format!("le {} et le {last}", rest.join(", le ")),
        None => String::new(),
    }
}

impl Availability {
    pub fn is_open(&self) -> bool {
        *self == Availability::default()
    }

    /// « Réservable du 1 septembre au 30 juin, le mardi et le jeudi, de 9 h à 16 h, au
    /// moins 2 jours à l'avance » — `None` when it is always bookable.
    pub fn summary(&self) -> Option<String> {
        let mut parts = Vec::new();
        match (self.from, self.until) {
            (Some(a), Some(b)) => parts.push(format!(
                "du {} au {}",
                dates::day_label(a),
                dates::day_label(b)
            )),
            (Some(a), None) => parts.push(format!("à partir du {}", dates::day_label(a))),
            (None, Some(b)) => parts.push(format!("jusqu'au {}", dates::day_label(b))),
            (None, None) => {}
        }
        if !self.weekdays.is_empty() {
            parts.push(days_list(&self.weekdays));
        }
        if let Some((a, b)) = self.hours {
            parts.push(format!("de {} à {}", clock(a), clock(b)));
        }
        if self.min_days > 0 {
            parts.push(format!("au moins {} jour(s) à l'avance", self.min_days));
        }
        if let Some(max) = self.max_days {
            parts.push(format!("au plus {max} jour(s) à l'avance"));
        }
        (!parts.is_empty()).then(|| format!("Réservable {}.", parts.join(", ")))
    }

    /// Why `day` cannot be booked, if it cannot (the date's own rules: period, weekday,
    /// delays).
    pub fn day_refusal(&self, day: Date, today: Date) -> Option<String> {
        if self.from.is_some_and(|a| day < a) || self.until.is_some_and(|b| day > b) {
            return Some(
                self.summary()
                    .unwrap_or_default()
                    .replace("Réservable", "Cette ressource n'est réservable que"),
            );
        }
        if !self.weekdays.is_empty() && !self.weekdays.contains(&weekday_index(day)) {
            return Some(format!(
                "Cette ressource n'est réservable que {} : le {} n'en fait pas partie.",
                days_list(&self.weekdays),
                dates::day_label(day)
            ));
        }
        let first = add_days(today, i64::from(self.min_days));
        if day < first {
            return Some(format!(
                "Cette ressource se réserve au moins {} jour(s) à l'avance : choisissez le {} ou plus tard.",
                self.min_days,
                dates::day_label(first)
            ));
        }
        if let Some(max) = self.max_days {
            let last = add_days(today, i64::from(max));
            if day > last {
                return Some(format!(
                    "Cette ressource se réserve au plus {max} jour(s) à l'avance : choisissez une date jusqu'au {}.",
                    dates::day_label(last)
                ));
            }
        }
        None
    }

    /// Why the hours cannot be booked, if they cannot.
    pub fn hours_refusal(&self, from: u16, to: u16) -> Option<String> {
        let (a, b) = self.hours?;
        (from < a || to > b).then(|| {
            format!(
                "Cette ressource n'est réservable que de {} à {}.",
                clock(a),
                clock(b)
            )
        })
    }

    /// Every refusal of a wish, by field: `jour`, `de`/`a`, and `jusqu_au` for the last
    /// date of a weekly series.
    pub fn refusals(
        &self,
        day: Date,
        from: u16,
        to: u16,
        weekly_until: Option<Date>,
        today: Date,
    ) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(why) = self.day_refusal(day, today) {
            out.push(("jour", why));
        }
        if let Some(why) = self.hours_refusal(from, to) {
            out.push(("de", why));
        }
        if let Some(until) = weekly_until {
            let limit = [
                self.until,
                self.max_days.map(|m| add_days(today, i64::from(m))),
            ]
            .into_iter()
            .flatten()
            .min();
            if let Some(limit) = limit.filter(|l| until > *l) {
                out.push((
                    "jusqu_au",
                    format!(
                        "Cette ressource ne se réserve pas au-delà du {} : choisissez une dernière date plus proche.",
                        dates::day_label(limit)
                    ),
                ));
            }
        }
        out
    }

    /// The form's values for these rules.
    pub fn fill(&self, f: &mut FormState) {
        let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        f.set("disponible_du", date(self.from));
        f.set("disponible_au", date(self.until));
        for (i, (_, name)) in WEEKDAYS.iter().enumerate() {
            if self.weekdays.contains(&(i as u8)) {
                f.set(&format!("jour_{name}"), "1");
            }
        }
        let (a, b) = self
            .hours
            .map(|(a, b)| (clock_value(a), clock_value(b)))
            .unwrap_or_default();
        f.set("heure_debut", a);
        f.set("heure_fin", b);
        f.set(
            "delai_min",
            if self.min_days > 0 {
                self.min_days.to_string()
            } else {
                String::new()
            },
        );
        f.set(
            "delai_max",
            self.max_days.map(|m| m.to_string()).unwrap_or_default(),
        );
    }
}

/// The availability fields of the resource form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AvailabilityFields {
    pub disponible_du: String,
    pub disponible_au: String,
    pub jours: Vec<String>,
    pub heure_debut: String,
    pub heure_fin: String,
    pub delai_min: String,
    pub delai_max: String,
}

impl AvailabilityFields {
    /// The rules, the errors beside their fields.
    pub fn check(&self, f: &mut FormState) -> Availability {
        let mut date = |name: &str, text: &str| -> Option<Date> {
            f.set(name, text);
            if text.trim().is_empty() {
                return None;
            }
            let d = dates::parse_date(text);
            if d.is_none() {
                f.error(name, "Cette date n'est pas valide (jj/mm/aaaa).");
            }
            d
        };
        let from = date("disponible_du", &self.disponible_du);
        let until = date("disponible_au", &self.disponible_au);
        if let (Some(a), Some(b)) = (from, until) {
            if b < a {
                f.error(
                    "disponible_au",
                    "La fin de la période doit suivre son début.",
                );
            }
        }
        let mut weekdays = Vec::new();
        for (i, (_, name)) in WEEKDAYS.iter().enumerate() {
            if self.jours.iter().any(|j| j == name) {
                f.set(&format!("jour_{name}"), "1");
                weekdays.push(i as u8);
            }
        }
        f.set("heure_debut", self.heure_debut.clone());
        f.set("heure_fin", self.heure_fin.clone());
        let hours = match (self.heure_debut.trim(), self.heure_fin.trim()) {
            ("", "") => None,
            (a, b) => match (parse_clock(a), parse_clock(b)) {
                (Some(a), Some(b)) if a < b => Some((a, b)),
                (Some(_), Some(_)) => {
                    f.error("heure_fin", "L'heure de fin doit suivre l'heure de début.");
                    None
                }
                _ => {
                    f.error(
                        "heure_debut",
                        "Indiquez les deux heures (hh:mm), ou aucune.",
                    );
                    None
                }
            },
        };
        let mut days = |name: &str, text: &str| -> Option<u16> {
            f.set(name, text);
            if text.trim().is_empty() {
                return None;
            }
            match text.trim().parse::<u16>() {
                Ok(n) if n <= MAX_DELAY_DAYS => Some(n),
                _ => {
                    f.error(
                        name,
                        format!("Indiquez un nombre de jours entre 0 et {MAX_DELAY_DAYS}."),
                    );
                    None
                }
            }
        };
        let min_days = days("delai_min", &self.delai_min).unwrap_or(0);
        let max_days = days("delai_max", &self.delai_max);
        if max_days.is_some_and(|m| m < min_days) {
            f.error(
                "delai_max",
                "Le délai maximal doit être au moins égal au délai minimal.",
            );
        }
        Availability {
            from,
            until,
            weekdays,
            hours,
            min_days,
            max_days,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(t: &str) -> Date {
        t.parse().unwrap()
    }

    #[test]
    fn the_delays_refuse_too_soon_and_too_far_naming_the_first_and_last_dates() {
        let rules = Availability {
            min_days: 1,
            max_days: Some(60),
            ..Availability::default()
        };
        let today = d("2026-12-07");
        let soon = rules.day_refusal(today, today).unwrap();
        assert!(soon.contains("au moins 1 jour(s) à l'avance"), "{soon}");
        assert!(soon.contains("mardi 8 décembre"), "{soon}");
        assert_eq!(rules.day_refusal(d("2026-12-08"), today), None);
        let far = rules.day_refusal(d("2027-02-06"), today).unwrap();
        assert!(far.contains("au plus 60 jour(s)"), "{far}");
        assert_eq!(rules.day_refusal(d("2027-02-05"), today), None);
        let series = rules.refusals(d("2026-12-08"), 540, 600, Some(d("2027-03-01")), today);
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].0, "jusqu_au");
    }

    #[test]
    fn the_period_weekdays_and_hours_refuse_beside_their_fields() {
        let rules = Availability {
            from: Some(d("2026-09-01")),
            until: Some(d("2027-06-30")),
            weekdays: vec![1, 3],
            hours: Some((540, 960)),
            ..Availability::default()
        };
        let today = d("2026-08-20");
        let before = rules.day_refusal(d("2026-08-25"), today).unwrap();
        assert!(
            before.starts_with("Cette ressource n'est réservable que du"),
            "{before}"
        );
        let monday = rules.day_refusal(d("2026-09-07"), today).unwrap();
        assert!(monday.contains("le mardi et le jeudi"), "{monday}");
        assert_eq!(rules.day_refusal(d("2026-09-08"), today), None);
        assert!(rules
            .hours_refusal(480, 600)
            .unwrap()
            .contains("de 9 h à 16 h"));
        assert_eq!(rules.hours_refusal(540, 960), None);
        let fields: Vec<&str> = rules
            .refusals(d("2026-09-07"), 480, 600, None, today)
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(fields, ["jour", "de"]);
        assert!(rules
            .summary()
            .unwrap()
            .contains("le mardi et le jeudi, de 9 h à 16 h"));
        assert_eq!(Availability::default().summary(), None);
    }

    #[test]
    fn the_form_is_read_and_its_mistakes_said_beside_the_fields() {
        let mut f = FormState::new();
        let rules = AvailabilityFields {
            jours: vec!["mardi".into(), "jeudi".into()],
            heure_debut: "09:00".into(),
            heure_fin: "16:00".into(),
            delai_min: "2".into(),
            delai_max: "60".into(),
            ..AvailabilityFields::default()
        }
        .check(&mut f);
        assert!(f.is_ok());
        assert_eq!(rules.weekdays, vec![1, 3]);
        assert_eq!(rules.hours, Some((540, 960)));
        let mut f = FormState::new();
        AvailabilityFields {
            delai_min: "10".into(),
            delai_max: "5".into(),
            heure_debut: "10:00".into(),
            ..AvailabilityFields::default()
        }
        .check(&mut f);
        assert!(f.errors.contains_key("delai_max"));
        assert!(f.errors.contains_key("heure_debut"));
    }
}
