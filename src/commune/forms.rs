//! The forms of the commune's space, typed (read by `ui::input::FormInput`, or from the
//! upload reader's fields for a request) and checked here: each error is said in French
//! beside its field, and the form comes back with what was typed.

use jiff::civil::Date;
use serde::Deserialize;

use super::pages::{NewPage, MAX_BODY};
use super::requests::{Category, MAX_TEXT};
use super::transport::{Direction, NewChange, NewLine, Stop, Trip, DAYS, MAX_RUNS};
use crate::ui::dates;
use crate::ui::form::{first_value, FormState};

#[derive(Deserialize, Default)]
pub struct PageForm {
    #[serde(default)]
    pub titre: String,
    #[serde(default)]
    pub texte: String,
    #[serde(default)]
    pub rang: String,
}

impl PageForm {
    pub fn state(&self) -> FormState {
        FormState::with_values([
            ("titre", self.titre.clone()),
            ("texte", self.texte.clone()),
            ("rang", self.rang.clone()),
        ])
    }

    pub fn check(&self) -> Result<NewPage, FormState> {
        let mut f = self.state();
        let title = f.required("titre", "le titre de la page");
        if title.chars().count() > 120 {
            f.error("titre", "Le titre tient en 120 caractères au plus.");
        }
        let body = self.texte.trim().to_string();
        if body.is_empty() {
            f.error("texte", "Écrivez le texte de la page.");
        } else if body.chars().count() > MAX_BODY {
            f.error(
                "texte",
                "Le texte est trop long (20 000 caractères au plus).",
            );
        }
        let rank = match self.rang.trim() {
            "" => 1,
            r => match r.parse::<u16>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    f.error("rang", "Indiquez un numéro (1 pour la première page).");
                    1
                }
            },
        };
        if f.is_ok() {
            Ok(NewPage { title, body, rank })
        } else {
            Err(f)
        }
    }
}

/// A line with up to [`MAX_RUNS`] runs, numbered from 1: `sens1`, `jours1`, `arrets1`…
#[derive(Deserialize, Default)]
pub struct LineForm {
    #[serde(default)]
    pub nom: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub sens1: String,
    #[serde(default)]
    pub sens2: String,
    #[serde(default)]
    pub sens3: String,
    #[serde(default)]
    pub sens4: String,
    #[serde(default)]
    pub jours1: Vec<String>,
    #[serde(default)]
    pub jours2: Vec<String>,
    #[serde(default)]
    pub jours3: Vec<String>,
    #[serde(default)]
    pub jours4: Vec<String>,
    #[serde(default)]
    pub arrets1: String,
    #[serde(default)]
    pub arrets2: String,
    #[serde(default)]
    pub arrets3: String,
    #[serde(default)]
    pub arrets4: String,
}

/// A run's fields as typed.
pub struct RunFields<'a> {
    pub direction: &'a str,
    pub days: &'a [String],
    pub stops: &'a str,
}

impl LineForm {
    pub fn runs(&self) -> [RunFields<'_>; MAX_RUNS] {
        [
            (&self.sens1, &self.jours1, &self.arrets1),
            (&self.sens2, &self.jours2, &self.arrets2),
            (&self.sens3, &self.jours3, &self.arrets3),
            (&self.sens4, &self.jours4, &self.arrets4),
        ]
        .map(|(d, j, a)| RunFields {
            direction: d,
            days: j,
            stops: a,
        })
    }

    /// The form as the page shows it (the days of run `n` in `jours{n}`, comma-joined).
    pub fn state(&self) -> FormState {
        let mut f =
            FormState::with_values([("nom", self.nom.clone()), ("note", self.note.clone())]);
        for (i, r) in self.runs().iter().enumerate() {
            let n = i + 1;
            f.set(&format!("sens{n}"), r.direction);
            f.set(&format!("jours{n}"), r.days.join(","));
            f.set(&format!("arrets{n}"), r.stops);
        }
        f
    }

    /// The form of a line as it is, to edit it.
    pub fn of(line: &super::transport::Line) -> FormState {
        let mut f =
            FormState::with_values([("nom", line.name.clone()), ("note", line.note.clone())]);
        for (i, t) in line.trips.iter().enumerate() {
            let n = i + 1;
            f.set(&format!("sens{n}"), t.direction.slug());
            let days: Vec<String> = t.days.iter().map(|d| d.to_string()).collect();
            f.set(&format!("jours{n}"), days.join(","));
            f.set(&format!("arrets{n}"), t.stops_text());
        }
        f
    }

    pub fn check(&self) -> Result<NewLine, FormState> {
        let mut f = self.state();
        let name = f.required("nom", "le nom de la ligne");
        let mut trips = Vec::new();
        for (i, r) in self.runs().iter().enumerate() {
            let n = i + 1;
            // A run is its stops: one left empty is not there (its days may stay ticked
            // from the form's suggestion).
            if r.stops.trim().is_empty() {
                continue;
            }
            let direction = Direction::from_slug(r.direction);
            if direction.is_none() {
                f.error(&format!("sens{n}"), "Choisissez le sens : aller ou retour.");
            }
            let mut days: Vec<u8> = r
                .days
                .iter()
                .filter_map(|d| d.parse::<u8>().ok())
                .filter(|d| usize::from(*d) < DAYS.len())
                .collect();
            days.sort_unstable();
            days.dedup();
            if days.is_empty() {
                f.error(&format!("jours{n}"), "Cochez au moins un jour.");
            }
            let stops = match parse_stops(r.stops) {
                Ok(s) => s,
                Err(e) => {
                    f.error(&format!("arrets{n}"), e);
                    Vec::new()
                }
            };
            if let Some(direction) = direction {
                trips.push(Trip {
                    direction,
                    days,
                    stops,
                });
            }
        }
        if trips.is_empty() && f.is_ok() {
            f.error(
                "arrets1",
                "Indiquez au moins un trajet : ses jours et ses arrêts avec leurs heures.",
            );
        }
        if f.is_ok() {
            Ok(NewLine {
                name: name.chars().take(120).collect(),
                note: self.note.trim().chars().take(1_000).collect(),
                trips,
            })
        } else {
            Err(f)
        }
    }
}

/// « 08:05 Les Granges » (or « 8h05 Les Granges ») a line, in the order the bus passes.
pub fn parse_stops(text: &str) -> Result<Vec<Stop>, String> {
    let mut stops: Vec<Stop> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let n = i + 1;
        let (time, place) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let time = time.replace(['h', 'H'], ":");
        let time = if time.ends_with(':') {
            format!("{time}00")
        } else {
            time
        };
        let Some(minutes) = crate::slots::parse_clock(&time) else {
            return Err(format!(
                "Ligne {n} : commencez par l'heure, puis le lieu (par exemple « 08:05 Les Granges, abribus »)."
            ));
        };
        let place = place.trim().trim_start_matches(['-', '–', ':']).trim();
        if place.is_empty() {
            return Err(format!(
                "Ligne {n} : indiquez le lieu de l'arrêt après l'heure."
            ));
        }
        if stops.last().is_some_and(|s| s.time > minutes) {
            return Err(format!(
                "Ligne {n} : les arrêts se suivent dans l'ordre du trajet, l'heure ne peut pas revenir en arrière."
            ));
        }
        stops.push(Stop {
            time: minutes,
            place: place.chars().take(120).collect(),
        });
    }
    if stops.len() > 30 {
        return Err("30 arrêts au plus par trajet.".into());
    }
    if stops.is_empty() {
        return Err("Indiquez les arrêts, un par ligne, avec leur heure.".into());
    }
    Ok(stops)
}

#[derive(Deserialize, Default)]
pub struct RidersForm {
    #[serde(default)]
    pub classe: u64,
    #[serde(default)]
    pub eleves: Vec<u64>,
}

#[derive(Deserialize, Default)]
pub struct ChangeForm {
    #[serde(default)]
    pub du: String,
    #[serde(default)]
    pub au: String,
    #[serde(default)]
    pub texte: String,
}

impl ChangeForm {
    pub fn state(&self) -> FormState {
        FormState::with_values([
            ("du", self.du.clone()),
            ("au", self.au.clone()),
            ("texte", self.texte.clone()),
        ])
    }

    pub fn check(&self, today: Date) -> Result<NewChange, FormState> {
        let mut f = self.state();
        let text = f.required(
            "texte",
            "ce qui change (par exemple « car supprimé — neige »)",
        );
        if text.chars().count() > 300 {
            f.error(
                "texte",
                "300 caractères au plus : l'essentiel, pour un téléphone.",
            );
        }
        let from = dates::parse_date(self.du.trim());
        if from.is_none() {
            f.error("du", "Indiquez le premier jour concerné.");
        }
        let to = match self.au.trim() {
            "" => from,
            t => {
                let to = dates::parse_date(t);
                if to.is_none() {
                    f.error("au", "Cette date n'est pas valide.");
                }
                to
            }
        };
        if let (Some(a), Some(b)) = (from, to) {
            if b < a {
                f.error("au", "Le dernier jour vient après le premier.");
            } else if b < today {
                f.error("au", "Ces jours sont passés : un changement concerne aujourd'hui ou les jours qui viennent.");
            } else if b.since(a).map(|s| s.get_days()).unwrap_or(0) > 92 {
                f.error("au", "Un changement exceptionnel dure trois mois au plus : pour plus long, modifiez la ligne.");
            }
        }
        match (from, to) {
            (Some(from), Some(to)) if f.is_ok() => Ok(NewChange { from, to, text }),
            _ => Err(f),
        }
    }
}

/// A request's text fields, from the upload reader.
pub struct RequestFields {
    pub category: Option<Category>,
    pub title: String,
    pub text: String,
}

pub fn check_request(texts: &[(String, String)]) -> (FormState, RequestFields) {
    let mut f =
        FormState::with_values(["categorie", "titre", "texte"].map(|k| (k, first_value(texts, k))));
    let category = Category::from_slug(f.value("categorie"));
    if category.is_none() {
        f.error(
            "categorie",
            "Choisissez le genre de demande : travaux, chauffage, informatique, ménage ou achat.",
        );
    }
    let title = f.required(
        "titre",
        "l'objet de la demande (par exemple « Radiateur de la classe 2 froid »)",
    );
    if title.chars().count() > 120 {
        f.error("titre", "L'objet tient en 120 caractères au plus.");
    }
    let text = f.value("texte").trim().to_string();
    if text.is_empty() {
        f.error("texte", "Décrivez la demande : où, quoi, depuis quand.");
    } else if text.chars().count() > MAX_TEXT {
        f.error(
            "texte",
            "Le texte est trop long (4 000 caractères au plus).",
        );
    }
    (
        f,
        RequestFields {
            category,
            title,
            text,
        },
    )
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    pub etat: String,
    #[serde(default)]
    pub commentaire: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_are_read_with_their_times_in_order() {
        let stops =
            parse_stops("08:05 Les Granges\n8h15 - Le Bourg, mairie\n\n8h25 École").unwrap();
        assert_eq!(stops.len(), 3);
        assert_eq!(stops[1].time, 8 * 60 + 15);
        assert_eq!(stops[1].place, "Le Bourg, mairie");
        assert!(parse_stops("Les Granges 08:05")
            .unwrap_err()
            .contains("Ligne 1"));
        assert!(parse_stops("08:30 A\n08:10 B")
            .unwrap_err()
            .contains("Ligne 2"));
        assert!(parse_stops("08:30").is_err());
    }

    #[test]
    fn a_line_keeps_the_runs_with_stops_and_needs_one() {
        let days = vec!["0".to_string(), "3".to_string()];
        let form = LineForm {
            nom: "Ligne 1".into(),
            sens1: "aller".into(),
            jours1: days.clone(),
            arrets1: "08:05 Les Granges".into(),
            sens2: "retour".into(),
            jours2: days.clone(),
            ..LineForm::default()
        };
        let line = form.check().map_err(|f| f.errors).unwrap();
        assert_eq!(
            line.trips.len(),
            1,
            "the suggested retour without stops is left out"
        );
        assert_eq!(line.trips[0].days, vec![0, 3]);
        let empty = LineForm {
            nom: "Ligne 1".into(),
            ..LineForm::default()
        };
        assert!(empty
            .check()
            .is_err_and(|f| f.errors.contains_key("arrets1")));
        let no_day = LineForm {
            nom: "Ligne 1".into(),
            sens1: "aller".into(),
            arrets1: "08:05 Les Granges".into(),
            ..LineForm::default()
        };
        assert!(no_day
            .check()
            .is_err_and(|f| f.value("arrets1") == "08:05 Les Granges"));
    }

    #[test]
    fn a_change_covers_today_or_later_and_ends_after_it_starts() {
        let today: Date = "2026-12-08".parse().unwrap();
        let form = |du: &str, au: &str| ChangeForm {
            du: du.into(),
            au: au.into(),
            texte: "Car supprimé — neige".into(),
        };
        let one = form("2026-12-10", "").check(today).unwrap();
        assert_eq!(one.from, one.to);
        assert!(form("2026-12-10", "2026-12-09")
            .check(today)
            .unwrap_err()
            .errors
            .contains_key("au"));
        assert!(form("2026-12-01", "2026-12-02").check(today).is_err());
        let kept = form("", "").check(today).unwrap_err();
        assert_eq!(
            kept.value("texte"),
            "Car supprimé — neige",
            "nothing typed is lost"
        );
    }
}
