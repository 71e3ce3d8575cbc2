//! The canteen's forms, read by `ui::input::FormInput`, checked here: the typed value, or
//! the form state with the French error beside each field. Every field has a default, so
//! that a form without its fields is refused by the rule, not as unreadable.

use jiff::civil::Date;
use serde::Deserialize;

use super::services::{Diet, PeriService, ServiceKind};
use super::views::field;
use super::{week_days, Allergen, Course, DayKind, DayMenu, Dish, Week};
use crate::ui::dates;
use crate::ui::form::FormState;

/// The week's menu form: many fields named by day and course, read as pairs.
pub type Pairs = Vec<(String, String)>;

fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The Monday of the week a form or a query names (`?semaine=2026-12-07`), or this week's.
pub fn week_of(text: Option<&str>, today: Date) -> Date {
    super::monday(text.and_then(dates::parse_date).unwrap_or(today))
}

/// The menu form → the week (and whether to publish), or the form with its errors.
pub fn read_menu(pairs: &Pairs, today: Date) -> (FormState, Week, bool) {
    let monday = week_of(Some(value(pairs, "semaine")), today);
    let mut form = FormState::with_values(
        pairs
            .iter()
            .filter(|(k, _)| k != crate::auth::csrf::FIELD)
            .map(|(k, v)| (k.as_str(), v.clone())),
    );
    let mut week = Week::empty(monday);
    for (i, d) in week_days(monday).iter().enumerate() {
        let kind = match value(pairs, &format!("j{i}-jour")) {
            "special" => DayKind::Special,
            "ferme" => DayKind::Closed,
            _ => DayKind::Normal,
        };
        let mut menu = DayMenu {
            day: super::day_key(*d),
            kind,
            note: value(pairs, &format!("j{i}-note")).trim().to_string(),
            dishes: Vec::new(),
        };
        for c in Course::ALL {
            let name = value(pairs, &field(i, c, "nom")).trim().to_string();
            let allergens_name = field(i, c, "allergenes");
            let allergens = match Allergen::parse_list(value(pairs, &allergens_name)) {
                Ok(a) => a,
                Err(word) => {
                    form.error(
                        &allergens_name,
                        format!("« {word} » n'est pas l'un des 14 allergènes : gluten, crustacés, œufs, poissons, arachides, soja, lait, fruits à coque, céleri, moutarde, sésame, sulfites, lupin, mollusques."),
                    );
                    Vec::new()
                }
            };
            if name.is_empty() {
                if !allergens.is_empty() {
                    form.error(&field(i, c, "nom"), "Indiquez le plat de ces allergènes.");
                }
                continue;
            }
            let yes = |what: &str| value(pairs, &field(i, c, what)) == "oui";
            menu.dishes.push((
                c,
                Dish {
                    name,
                    vegetarian: yes("vegetarien"),
                    organic: yes("bio"),
                    local: yes("local"),
                    homemade: yes("maison"),
                    allergens,
                },
            ));
        }
        if kind == DayKind::Closed {
            menu.dishes.clear();
        }
        week.days.push(menu);
    }
    let publish = value(pairs, "action") == "publier";
    (form, week, publish)
}

#[derive(Debug, Default, Deserialize)]
pub struct CopyFields {
    #[serde(default)]
    pub de: String,
    #[serde(default)]
    pub vers: String,
}

/// A service's settings as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ServiceFields {
    #[serde(default)]
    pub genre: String,
    #[serde(default)]
    pub nom: String,
    #[serde(default)]
    pub jours: Vec<u8>,
    #[serde(default)]
    pub places: String,
    #[serde(default)]
    pub limite_jour: String,
    #[serde(default)]
    pub limite_heure: String,
    #[serde(default)]
    pub annulation: String,
    #[serde(default)]
    pub classes: Vec<u64>,
    #[serde(default)]
    pub personnel: Vec<u64>,
    #[serde(default)]
    pub fermetures: String,
    #[serde(default)]
    pub effectifs: String,
}

fn hour(form: &mut FormState, name: &str, text: &str, label: &str) -> Option<u8> {
    let t = text.trim().trim_end_matches('h').trim();
    match t.parse::<u8>() {
        Ok(h) if h < 24 => Some(h),
        _ => {
            form.error(name, format!("{label} : une heure de 0 à 23."));
            None
        }
    }
}

impl ServiceFields {
    pub fn form(&self) -> FormState {
        FormState::with_values([
            ("genre", self.genre.clone()),
            ("nom", self.nom.clone()),
            ("places", self.places.clone()),
            ("limite_jour", self.limite_jour.clone()),
            ("limite_heure", self.limite_heure.clone()),
            ("annulation", self.annulation.clone()),
            ("fermetures", self.fermetures.clone()),
            ("effectifs", self.effectifs.clone()),
        ])
    }

    /// The service (with `id`, its staff and classes as ticked), or the form's errors.
    pub fn read(&self, id: u64) -> Result<PeriService, FormState> {
        let mut form = self.form();
        let kind = ServiceKind::from_slug(&self.genre).unwrap_or(ServiceKind::Cantine);
        let mut name = self.nom.trim().to_string();
        if name.is_empty() {
            name = kind.label().to_string();
        }
        let mut weekdays: Vec<u8> = self
            .jours
            .iter()
            .copied()
            .filter(|d| (1..=6).contains(d))
            .collect();
        weekdays.sort_unstable();
        weekdays.dedup();
        if weekdays.is_empty() {
            form.error("jours", "Cochez au moins un jour.");
        }
        let capacity = match self.places.trim() {
            "" => 0,
            t => t.parse::<u64>().unwrap_or_else(|_| {
                form.error(
                    "places",
                    "Un nombre de places (laissez vide : sans limite).",
                );
                0
            }),
        };
        let cutoff_weekday = self
            .limite_jour
            .parse::<u8>()
            .ok()
            .filter(|d| (1..=7).contains(d))
            .unwrap_or(4);
        let cutoff_hour = hour(
            &mut form,
            "limite_heure",
            &self.limite_heure,
            "Heure limite",
        )
        .unwrap_or(9);
        let cancel_until = match self.annulation.trim() {
            "" => None,
            t => hour(&mut form, "annulation", t, "Annulation le matin même"),
        };
        let report_by = match self.effectifs.trim() {
            "" => None,
            t => hour(&mut form, "effectifs", t, "Effectifs attendus avant"),
        };
        let mut closed = Vec::new();
        for word in self
            .fermetures
            .split([',', ' ', ';', '\n'])
            .map(str::trim)
            .filter(|w| !w.is_empty())
        {
            match dates::parse_date(word) {
                Some(d) => closed.push(super::day_key(d)),
                None => form.error(
                    "fermetures",
                    format!("« {word} » n'est pas une date (écrivez 2026-12-18)."),
                ),
            }
        }
        if !form.is_ok() {
            return Err(form);
        }
        Ok(PeriService {
            id,
            kind,
            name,
            weekdays,
            capacity,
            cutoff_weekday,
            cutoff_hour,
            cancel_until,
            classes: self.classes.clone(),
            staff: self.personnel.clone(),
            closed,
            report_by,
        })
    }
}

/// A child's sign-ups: the days ticked in the weeks shown, or a recurring pattern.
#[derive(Debug, Default, Deserialize)]
pub struct BookingFields {
    /// The service the form is about.
    #[serde(default)]
    pub service: u64,
    /// « jours » (the ticked days) or « regulier » (a pattern) or « regime ».
    #[serde(default)]
    pub action: String,
    /// Days shown in the form, `yyyy-mm-dd`.
    #[serde(default)]
    pub affiches: Vec<String>,
    /// Days ticked.
    #[serde(default)]
    pub jours: Vec<String>,
    /// A pattern's weekdays, 1 (lundi) to 6.
    #[serde(default)]
    pub semaine: Vec<u8>,
    #[serde(default)]
    pub du: String,
    #[serde(default)]
    pub au: String,
    #[serde(default)]
    pub regime: String,
    #[serde(default)]
    pub pai: String,
}

impl BookingFields {
    /// The days shown and whether each is ticked.
    pub fn chosen_days(&self) -> Vec<(Date, bool)> {
        // The page shows four weeks: a form never brings more than a year of days.
        self.affiches
            .iter()
            .take(400)
            .filter_map(|d| dates::parse_date(d))
            .map(|d| {
                (
                    d,
                    self.jours.iter().any(|j| dates::parse_date(j) == Some(d)),
                )
            })
            .collect()
    }

    pub fn diet(&self) -> Diet {
        Diet::from_slug(&self.regime).unwrap_or_default()
    }

    /// The pattern's dates, or the French error.
    pub fn period(&self) -> Result<(Date, Date), String> {
        let (Some(from), Some(until)) = (dates::parse_date(&self.du), dates::parse_date(&self.au))
        else {
            return Err("Indiquez les dates de début et de fin (jj/mm/aaaa).".into());
        };
        if until < from {
            return Err("La date de fin est avant la date de début.".into());
        }
        if until > super::add_days(from, 366) {
            return Err("Une inscription régulière dure au plus un an.".into());
        }
        Ok((from, until))
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DecideFields {
    #[serde(default)]
    pub service: u64,
    #[serde(default)]
    pub jour: u64,
    #[serde(default)]
    pub eleve: u64,
    #[serde(default)]
    pub reponse: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct RegisterFields {
    #[serde(default)]
    pub presents: Vec<u64>,
}
