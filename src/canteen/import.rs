//! Menus from a CSV file (a week or a whole period): every line is checked before
//! anything is written, and each bad line is reported in French with its number, so that
//! an import is whole or not at all.

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};

use super::{day_key, monday, Allergen, Course, DayKind, DayMenu, Dish, Week};
use crate::ui::dates;

pub const HEADER: [&str; 8] = [
    "date",
    "repas",
    "plat",
    "végétarien",
    "bio",
    "label / local",
    "fait maison",
    "allergènes",
];

/// The template offered for download: the header and a week's example.
pub fn template() -> String {
    let rows: [[&str; 8]; 9] = [
        HEADER,
        [
            "2026-01-05",
            "entrée",
            "Carottes râpées",
            "oui",
            "oui",
            "",
            "",
            "",
        ],
        [
            "2026-01-05",
            "plat",
            "Omelette",
            "oui",
            "",
            "oui",
            "oui",
            "œufs, lait",
        ],
        [
            "2026-01-05",
            "garniture",
            "Pâtes",
            "oui",
            "",
            "",
            "",
            "gluten",
        ],
        [
            "2026-01-05",
            "produit laitier",
            "Yaourt nature",
            "oui",
            "oui",
            "oui",
            "",
            "lait",
        ],
        [
            "2026-01-05",
            "dessert",
            "Pomme",
            "oui",
            "oui",
            "oui",
            "",
            "",
        ],
        [
            "2026-01-05",
            "goûter",
            "Pain et chocolat",
            "oui",
            "",
            "",
            "",
            "gluten, lait, soja",
        ],
        [
            "2026-01-06",
            "menu spécial",
            "Galette des rois",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "2026-01-07",
            "pas de cantine",
            "Sortie scolaire",
            "",
            "",
            "",
            "",
            "",
        ],
    ];
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    for r in rows {
        let _ = w.write_record(r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn parse_day(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Some(d) = dates::parse_date(t) {
        return Some(d);
    }
    let parts: Vec<&str> = t.split('/').collect();
    match parts.as_slice() {
        [d, m, y] => Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok(),
        _ => None,
    }
}

fn parse_flag(text: &str) -> Option<bool> {
    match super::fold(text).as_str() {
        "" | "non" | "0" | "n" => Some(false),
        "oui" | "x" | "1" | "o" => Some(true),
        _ => None,
    }
}

/// The weeks a CSV file gives (its days only), or the French errors, one per bad line.
pub fn parse(bytes: &[u8]) -> Result<Vec<Week>, Vec<String>> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut errors = Vec::new();
    let mut days: BTreeMap<u64, (DayMenu, BTreeMap<&'static str, u64>)> = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(format!("Ligne {line} : la ligne est illisible."));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let Some(day) = parse_day(&field(0)) else {
            errors.push(format!(
                "Ligne {line} : « {} » n'est pas une date (écrivez 2026-01-05 ou 05/01/2026).",
                field(0)
            ));
            continue;
        };
        if matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
            errors.push(format!(
                "Ligne {line} : le {} est un {}, la cantine n'a pas de menu ce jour-là.",
                dates::calendar_date(day),
                dates::weekday_fr(day.weekday())
            ));
            continue;
        }
        let what = field(1);
        let entry = days.entry(day_key(day)).or_insert_with(|| {
            (
                DayMenu {
                    day: day_key(day),
                    ..DayMenu::default()
                },
                BTreeMap::new(),
            )
        });
        let folded = super::fold(&what);
        if folded == "pas de cantine" || folded == "menu special" {
            entry.0.kind = if folded == "pas de cantine" {
                DayKind::Closed
            } else {
                DayKind::Special
            };
            entry.0.note = field(2);
            continue;
        }
        let Some(course) = Course::parse(&what) else {
            errors.push(format!(
                "Ligne {line} : « {what} » n'est pas un repas connu (entrée, plat, garniture, produit laitier, dessert, goûter, menu spécial ou pas de cantine)."
            ));
            continue;
        };
        if let Some(earlier) = entry.1.get(course.slug()) {
            errors.push(format!(
                "Ligne {line} : {} du {} est déjà donné ligne {earlier}.",
                course.label().to_lowercase(),
                dates::day_label(day)
            ));
            continue;
        }
        let name = field(2);
        if name.is_empty() {
            errors.push(format!("Ligne {line} : le nom du plat manque."));
            continue;
        }
        let mut flags = [false; 4];
        let mut bad = None;
        for (i, flag) in flags.iter_mut().enumerate() {
            match parse_flag(&field(3 + i)) {
                Some(v) => *flag = v,
                None => bad = Some((HEADER.get(3 + i).copied().unwrap_or(""), field(3 + i))),
            }
        }
        if let Some((column, value)) = bad {
            errors.push(format!(
                "Ligne {line} : « {value} » dans la colonne « {column} » : écrivez oui ou laissez vide."
            ));
            continue;
        }
        let allergens = match Allergen::parse_list(&field(7)) {
            Ok(a) => a,
            Err(word) => {
                errors.push(format!(
                    "Ligne {line} : « {word} » n'est pas l'un des 14 allergènes (gluten, crustacés, œufs, poissons, arachides, soja, lait, fruits à coque, céleri, moutarde, sésame, sulfites, lupin, mollusques)."
                ));
                continue;
            }
        };
        entry.1.insert(course.slug(), line);
        entry.0.dishes.push((
            course,
            Dish {
                name,
                vegetarian: flags[0],
                organic: flags[1],
                local: flags[2],
                homemade: flags[3],
                allergens,
            },
        ));
    }
    if errors.is_empty() && days.is_empty() {
        errors.push("Le fichier ne contient aucun menu (seulement l'en-tête ?).".into());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut weeks: BTreeMap<u64, Week> = BTreeMap::new();
    for (key, (mut menu, _)) in days {
        let Some(d) = super::key_day(key) else {
            continue;
        };
        menu.dishes
            .sort_by_key(|(c, _)| Course::ALL.iter().position(|x| x == c));
        weeks
            .entry(day_key(monday(d)))
            .or_insert_with(|| Week::empty(monday(d)))
            .days
            .push(menu);
    }
    // A school year at most in one file: one transaction writes it all.
    if weeks.len() > MAX_WEEKS {
        return Err(vec![format!(
            "Le fichier couvre {} semaines : importez au plus une année scolaire ({MAX_WEEKS} semaines) à la fois.",
            weeks.len()
        )]);
    }
    Ok(weeks.into_values().collect())
}

/// The most weeks one import writes.
pub const MAX_WEEKS: usize = 53;

/// The imported days laid over the weeks already stored (other days are kept).
pub fn merge(existing: Option<Week>, imported: Week) -> Week {
    match existing {
        None => imported,
        Some(mut w) => {
            for d in imported.days {
                w.days.retain(|x| x.day != d.day);
                w.days.push(d);
            }
            w.days.sort_by_key(|d| d.day);
            w
        }
    }
}
