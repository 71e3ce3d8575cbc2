//! The forms of the slot engine, typed (read by `ui::input::FormInput`) and checked here:
//! each error is said in French beside its field, and the form comes back with what was
//! typed.

use jiff::civil::Date;
use serde::Deserialize;

use super::availability::{Availability, AvailabilityFields};
use super::meetings::{NewGrid, Place, Sitting, LENGTHS, MAX_DATES, MAX_SLOTS_A_DAY};
use super::resources::{Kind, NewResource, Wish, MAX_WEEKS};
use super::{add_days, parse_clock};
use crate::ui::dates;
use crate::ui::form::FormState;

/// The date fields of a grid: `jour1`…`jour5` with `de1`/`a1`….
#[derive(Deserialize, Default)]
pub struct GridForm {
    #[serde(default)]
    pub classe: u64,
    #[serde(default)]
    pub titre: String,
    #[serde(default)]
    pub duree: String,
    #[serde(default)]
    pub lieu: String,
    #[serde(default)]
    pub salle: String,
    #[serde(default)]
    pub jour: Vec<String>,
    #[serde(default)]
    pub de: Vec<String>,
    #[serde(default)]
    pub a: Vec<String>,
}

impl GridForm {
    /// The state the page shows: what was typed, by field (dates numbered from 1).
    pub fn state(&self) -> FormState {
        let mut f = FormState::with_values([
            ("classe", self.classe.to_string()),
            ("titre", self.titre.clone()),
            ("duree", self.duree.clone()),
            ("lieu", self.lieu.clone()),
            ("salle", self.salle.clone()),
        ]);
        for i in 0..MAX_DATES {
            let at = |v: &Vec<String>| v.get(i).cloned().unwrap_or_default();
            f.set(&format!("jour{}", i + 1), at(&self.jour));
            f.set(&format!("de{}", i + 1), at(&self.de));
            f.set(&format!("a{}", i + 1), at(&self.a));
        }
        f
    }

    /// The grid, or the form with its errors.
    pub fn check(&self, today: Date) -> Result<NewGrid, FormState> {
        let mut f = self.state();
        let title = f.required("titre", "le titre de la rencontre");
        let minutes = self
            .duree
            .parse::<u16>()
            .ok()
            .filter(|m| LENGTHS.contains(m));
        if minutes.is_none() {
            f.error(
                "duree",
                "Choisissez la durée d'un créneau : 10, 15 ou 20 minutes.",
            );
        }
        let place = match self.lieu.as_str() {
            "telephone" => Some(Place::Phone),
            "salle" if !self.salle.trim().is_empty() => {
                Some(Place::Room(self.salle.trim().chars().take(80).collect()))
            }
            "salle" => {
                f.error(
                    "salle",
                    "Indiquez le lieu (la salle de classe, par exemple).",
                );
                None
            }
            _ => {
                f.error(
                    "lieu",
                    "Choisissez : dans un lieu de l'école ou par téléphone.",
                );
                None
            }
        };
        let mut sittings = Vec::new();
        for i in 0..MAX_DATES {
            let n = i + 1;
            let (day, from, to) = (
                f.value(&format!("jour{n}")).to_string(),
                f.value(&format!("de{n}")).to_string(),
                f.value(&format!("a{n}")).to_string(),
            );
            if day.trim().is_empty() && from.trim().is_empty() && to.trim().is_empty() {
                continue;
            }
            let Some(d) = dates::parse_date(&day) else {
                f.error(&format!("jour{n}"), "Indiquez la date (jj/mm/aaaa).");
                continue;
            };
            if d < today {
                f.error(&format!("jour{n}"), "Cette date est passée.");
                continue;
            }
            let (Some(from), Some(to)) = (parse_clock(&from), parse_clock(&to)) else {
                f.error(
                    &format!("de{n}"),
                    "Indiquez l'heure de début et l'heure de fin (hh:mm).",
                );
                continue;
            };
            if to <= from {
                f.error(
                    &format!("a{n}"),
                    "L'heure de fin doit suivre l'heure de début.",
                );
                continue;
            }
            if let Some(m) = minutes {
                let count = usize::from((to - from) / m);
                if count == 0 {
                    f.error(
                        &format!("a{n}"),
                        format!("Il faut au moins {m} minutes pour un créneau."),
                    );
                } else if count > MAX_SLOTS_A_DAY {
                    f.error(
                        &format!("a{n}"),
                        format!(
                            "Au plus {MAX_SLOTS_A_DAY} créneaux par date : raccourcissez la plage."
                        ),
                    );
                }
            }
            sittings.push(Sitting { day: d, from, to });
        }
        if sittings.is_empty() && f.errors.keys().all(|k| !k.starts_with("jour")) {
            f.error("jour1", "Indiquez au moins une date.");
        }
        match (f.is_ok(), place, minutes) {
            (true, Some(place), Some(minutes)) => Ok(NewGrid {
                title: title.chars().take(120).collect(),
                place,
                sittings,
                minutes,
            }),
            _ => Err(f),
        }
    }
}

/// A family's booking: the child and the slot.
#[derive(Deserialize, Default)]
pub struct BookForm {
    #[serde(default)]
    pub eleve: u64,
    #[serde(default)]
    pub creneau: Option<u64>,
}

/// The teacher's change to a slot.
#[derive(Deserialize, Default)]
pub struct SlotForm {
    #[serde(default)]
    pub creneau: u64,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub vers: Option<u64>,
}

/// A resource, as the director types it.
#[derive(Deserialize, Default)]
pub struct ResourceForm {
    #[serde(default)]
    pub nom: String,
    #[serde(default)]
    pub genre: String,
    #[serde(default)]
    pub validation: Option<String>,
    #[serde(default)]
    pub retiree: Option<String>,
    /// A commune's resource shown to the school's staff.
    #[serde(default)]
    pub partagee: Option<String>,
    #[serde(default)]
    pub disponible_du: String,
    #[serde(default)]
    pub disponible_au: String,
    #[serde(default)]
    pub jours: Vec<String>,
    #[serde(default)]
    pub heure_debut: String,
    #[serde(default)]
    pub heure_fin: String,
    #[serde(default)]
    pub delai_min: String,
    #[serde(default)]
    pub delai_max: String,
}

impl ResourceForm {
    pub fn check(&self) -> Result<NewResource, FormState> {
        let mut f = FormState::with_values([
            ("nom", self.nom.clone()),
            ("genre", self.genre.clone()),
            ("validation", self.validation.clone().unwrap_or_default()),
            ("partagee", self.partagee.clone().unwrap_or_default()),
        ]);
        let name = f.required("nom", "le nom de la ressource");
        let kind = Kind::from_slug(&self.genre);
        if kind.is_none() {
            f.error("genre", "Choisissez le type : salle, matériel ou minibus.");
        }
        let availability = AvailabilityFields {
            disponible_du: self.disponible_du.clone(),
            disponible_au: self.disponible_au.clone(),
            jours: self.jours.clone(),
            heure_debut: self.heure_debut.clone(),
            heure_fin: self.heure_fin.clone(),
            delai_min: self.delai_min.clone(),
            delai_max: self.delai_max.clone(),
        }
        .check(&mut f);
        match (f.is_ok(), kind) {
            (true, Some(kind)) => Ok(NewResource {
                name: name.chars().take(80).collect(),
                kind,
                validation: self.validation.is_some(),
                retired: self.retiree.is_some(),
                availability,
                shared: self.partagee.is_some(),
            }),
            _ => Err(f),
        }
    }
}

/// A booking of a resource.
#[derive(Deserialize, Default)]
pub struct WishForm {
    #[serde(default)]
    pub jour: String,
    #[serde(default)]
    pub de: String,
    #[serde(default)]
    pub a: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub chaque_semaine: Option<String>,
    #[serde(default)]
    pub jusqu_au: String,
}

impl WishForm {
    pub fn state(&self) -> FormState {
        FormState::with_values([
            ("jour", self.jour.clone()),
            ("de", self.de.clone()),
            ("a", self.a.clone()),
            ("note", self.note.clone()),
            (
                "chaque_semaine",
                self.chaque_semaine.clone().unwrap_or_default(),
            ),
            ("jusqu_au", self.jusqu_au.clone()),
        ])
    }

    /// The wish, or the form with its errors: the resource's rules (period, weekdays,
    /// hours, delays) said beside the field each is about.
    pub fn check(&self, today: Date, rules: &Availability) -> Result<Wish, FormState> {
        let mut f = self.state();
        let day = dates::parse_date(&self.jour);
        match day {
            None => f.error("jour", "Indiquez la date."),
            Some(d) if d < today => f.error("jour", "Cette date est passée."),
            Some(_) => {}
        }
        let (from, to) = (parse_clock(&self.de), parse_clock(&self.a));
        if from.is_none() {
            f.error("de", "Indiquez l'heure de début (hh:mm).");
        }
        if to.is_none() {
            f.error("a", "Indiquez l'heure de fin (hh:mm).");
        }
        if let (Some(a), Some(b)) = (from, to) {
            if b <= a {
                f.error("a", "L'heure de fin doit suivre l'heure de début.");
            }
        }
        let weekly_until = if self.chaque_semaine.is_some() {
            match (dates::parse_date(&self.jusqu_au), day) {
                (None, _) => {
                    f.error(
                        "jusqu_au",
                        "Indiquez jusqu'à quelle date réserver chaque semaine.",
                    );
                    None
                }
                (Some(u), Some(d)) if u <= d => {
                    f.error("jusqu_au", "La dernière date doit suivre la première.");
                    None
                }
                (Some(u), Some(d)) if u > add_days(d, 7 * MAX_WEEKS as i64) => {
                    f.error(
                        "jusqu_au",
                        format!("Au plus {MAX_WEEKS} semaines : choisissez une date plus proche."),
                    );
                    None
                }
                (u, _) => u,
            }
        } else {
            None
        };
        if let (true, Some(day), Some(from), Some(to)) = (f.is_ok(), day, from, to) {
            for (field, why) in rules.refusals(day, from, to, weekly_until, today) {
                f.error(field, why);
            }
        }
        match (f.is_ok(), day, from, to) {
            (true, Some(day), Some(from), Some(to)) => Ok(Wish {
                day,
                from,
                to,
                note: self.note.trim().chars().take(120).collect(),
                weekly_until,
            }),
            _ => Err(f),
        }
    }
}

/// A decision or a cancellation.
#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub serie: Option<String>,
}

/// A change to an opened grid: `date` (jour, de, a), `lieu` (lieu, salle) or `supprimer`
/// (confirmer ticked).
#[derive(Deserialize, Default)]
pub struct GridEditForm {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub jour: String,
    #[serde(default)]
    pub de: String,
    #[serde(default)]
    pub a: String,
    #[serde(default)]
    pub lieu: String,
    #[serde(default)]
    pub salle: String,
    #[serde(default)]
    pub confirmer: Option<String>,
}

impl GridEditForm {
    /// The date to add, or why it cannot be.
    pub fn sitting(&self, today: Date, minutes: u16) -> Result<Sitting, String> {
        let day = dates::parse_date(&self.jour).ok_or("Indiquez la date à ajouter.")?;
        if day < today {
            return Err("Cette date est passée.".into());
        }
        let (Some(from), Some(to)) = (parse_clock(&self.de), parse_clock(&self.a)) else {
            return Err("Indiquez l'heure de début et l'heure de fin (hh:mm).".into());
        };
        if to < from + minutes {
            return Err(format!(
                "Il faut au moins {minutes} minutes entre le début et la fin."
            ));
        }
        if usize::from((to - from) / minutes) > MAX_SLOTS_A_DAY {
            return Err(format!(
                "Au plus {MAX_SLOTS_A_DAY} créneaux par date : raccourcissez la plage."
            ));
        }
        Ok(Sitting { day, from, to })
    }

    /// The new place, or why it is missing.
    pub fn place(&self) -> Result<Place, String> {
        match (self.lieu.as_str(), self.salle.trim()) {
            ("telephone", _) => Ok(Place::Phone),
            ("salle", room) if !room.is_empty() => Ok(Place::Room(room.chars().take(80).collect())),
            ("salle", _) => Err("Indiquez le lieu (la salle de classe, par exemple).".into()),
            _ => Err("Choisissez : dans un lieu de l'école ou par téléphone.".into()),
        }
    }
}
