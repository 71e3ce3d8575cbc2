//! Cantine et périscolaire (/cantine, /periscolaire): the commune's menus, one week at a
//! time (dishes with their flags and the 14 allergènes of the regulation, in words), its
//! services (cantine, garderies, étude, mercredi) with their cut-offs, the families'
//! sign-ups, the morning pointage and the counts the mairie invoices from. Invoicing and
//! payment stay out of Préau; no health detail is stored (a PAI is « oui / non »).
//!
//! This file holds the menus; `services.rs` the services and the sign-ups, `register.rs`
//! the pointage and the counts, `import.rs` the CSV of menus.

use serde::{Deserialize, Serialize};

use crate::auth::journal::{record_audit, AuditEvent};
use crate::policy::Granted;
use crate::store::{Result, Store, Table};
use jiff::civil::{Date, Weekday};

pub mod access;
pub mod editors;
mod forms;
pub mod ical;
pub mod import;
mod published;
pub mod register;
pub mod routes;
pub mod services;
pub(crate) mod signup;
mod views;

pub use published::{menu_of, published_week};

/// Monday of the week (as `yyyymmdd`) → the week's menus.
pub const WEEKS: Table<u64, Week> = Table::new("canteen_weeks");

pub const TABLES: &[&str] = &[
    WEEKS.name,
    services::SERVICES.name,
    services::BOOKINGS.name,
    services::BY_PUPIL.name,
    services::COUNTS.name,
    services::FAMILIES.name,
    services::CHANGES.name,
    services::REQUESTS.name,
    register::REGISTERS.name,
    editors::MENU_EDITORS.name,
];

/// A day as a key: `yyyymmdd`, so that keys sort by date and read as dates.
pub fn day_key(d: Date) -> u64 {
    (d.year() as u64) * 10_000 + (d.month() as u64) * 100 + d.day() as u64
}

pub fn key_day(k: u64) -> Option<Date> {
    Date::new(
        (k / 10_000) as i16,
        ((k / 100) % 100) as i8,
        (k % 100) as i8,
    )
    .ok()
}

/// The Monday of the week of `d`.
pub fn monday(d: Date) -> Date {
    let back = i64::from(d.weekday().to_monday_zero_offset());
    d.checked_sub(jiff::Span::new().days(back)).unwrap_or(d)
}

pub fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap_or(d)
}

/// The five school days a week's menu covers, Monday to Friday.
pub fn week_days(monday: Date) -> Vec<Date> {
    (0..5).map(|i| add_days(monday, i)).collect()
}

/// What is served, in the order of the menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Course {
    Entree,
    Plat,
    Garniture,
    Laitier,
    Dessert,
    Gouter,
}

impl Course {
    pub const ALL: [Course; 6] = [
        Course::Entree,
        Course::Plat,
        Course::Garniture,
        Course::Laitier,
        Course::Dessert,
        Course::Gouter,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Course::Entree => "Entrée",
            Course::Plat => "Plat",
            Course::Garniture => "Garniture",
            Course::Laitier => "Produit laitier",
            Course::Dessert => "Dessert",
            Course::Gouter => "Goûter",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Course::Entree => "entree",
            Course::Plat => "plat",
            Course::Garniture => "garniture",
            Course::Laitier => "laitier",
            Course::Dessert => "dessert",
            Course::Gouter => "gouter",
        }
    }

    /// The course named in a CSV or a form (« produit laitier », « goûter », « entree »).
    pub fn parse(text: &str) -> Option<Course> {
        let t = fold(text);
        Course::ALL
            .into_iter()
            .find(|c| fold(c.label()) == t || c.slug() == t)
    }
}

/// The 14 allergènes the regulation asks to show (règlement INCO, annexe II), as words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Allergen {
    Gluten,
    Crustaces,
    Oeufs,
    Poissons,
    Arachides,
    Soja,
    Lait,
    FruitsACoque,
    Celeri,
    Moutarde,
    Sesame,
    Sulfites,
    Lupin,
    Mollusques,
}

impl Allergen {
    pub const ALL: [Allergen; 14] = [
        Allergen::Gluten,
        Allergen::Crustaces,
        Allergen::Oeufs,
        Allergen::Poissons,
        Allergen::Arachides,
        Allergen::Soja,
        Allergen::Lait,
        Allergen::FruitsACoque,
        Allergen::Celeri,
        Allergen::Moutarde,
        Allergen::Sesame,
        Allergen::Sulfites,
        Allergen::Lupin,
        Allergen::Mollusques,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Allergen::Gluten => "gluten",
            Allergen::Crustaces => "crustacés",
            Allergen::Oeufs => "œufs",
            Allergen::Poissons => "poissons",
            Allergen::Arachides => "arachides",
            Allergen::Soja => "soja",
            Allergen::Lait => "lait",
            Allergen::FruitsACoque => "fruits à coque",
            Allergen::Celeri => "céleri",
            Allergen::Moutarde => "moutarde",
            Allergen::Sesame => "sésame",
            Allergen::Sulfites => "sulfites",
            Allergen::Lupin => "lupin",
            Allergen::Mollusques => "mollusques",
        }
    }

    /// A word typed by a person: accents, case, « oeufs » and the singular accepted.
    pub fn parse(text: &str) -> Option<Allergen> {
        // « fruit à coque » as « fruits à coque »: each word without its plural.
        let singular = |t: &str| {
            fold(t)
                .split_whitespace()
                .map(|w| w.trim_end_matches('s').to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let t = singular(text);
        Allergen::ALL.into_iter().find(|a| singular(a.label()) == t)
    }

    /// « gluten, lait » → the allergènes, or the first word that is not one.
    pub fn parse_list(text: &str) -> std::result::Result<Vec<Allergen>, String> {
        let mut out = Vec::new();
        for word in text.split([',', '/', '+']).map(str::trim) {
            if word.is_empty() {
                continue;
            }
            let a = Allergen::parse(word).ok_or_else(|| word.to_string())?;
            if !out.contains(&a) {
                out.push(a);
            }
        }
        Ok(out)
    }
}

/// Lower case without accents, for comparing words typed by people.
pub fn fold(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .replace('œ', "oe")
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '_' | '-' => ' ',
            c => c,
        })
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dish {
    pub name: String,
    #[serde(default)]
    pub vegetarian: bool,
    #[serde(default)]
    pub organic: bool,
    /// Label de qualité or local product (EGalim).
    #[serde(default)]
    pub local: bool,
    #[serde(default)]
    pub homemade: bool,
    #[serde(default)]
    pub allergens: Vec<Allergen>,
}

impl Dish {
    /// The flags in words (never a colour alone).
    pub fn flags(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.vegetarian {
            out.push("végétarien");
        }
        if self.organic {
            out.push("bio");
        }
        if self.local {
            out.push("label ou local");
        }
        if self.homemade {
            out.push("fait maison");
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    #[default]
    Normal,
    /// « Pas de cantine » (strike, outing, holiday bridge).
    Closed,
    /// « Menu spécial » (Noël, semaine du goût): the note names it.
    Special,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DayMenu {
    /// `yyyymmdd`.
    pub day: u64,
    #[serde(default)]
    pub kind: DayKind,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub dishes: Vec<(Course, Dish)>,
}

impl DayMenu {
    pub fn dish(&self, course: Course) -> Option<&Dish> {
        self.dishes
            .iter()
            .find(|(c, _)| *c == course)
            .map(|(_, d)| d)
    }

    pub fn date(&self) -> Option<Date> {
        key_day(self.day)
    }

    /// Nothing typed and nothing said: the day is left out of the week.
    pub fn is_empty(&self) -> bool {
        self.kind == DayKind::Normal && self.note.is_empty() && self.dishes.is_empty()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Week {
    /// `yyyymmdd` of the Monday.
    pub monday: u64,
    pub days: Vec<DayMenu>,
    /// When and by whom it was published; `None`: a draft the families do not see.
    #[serde(default)]
    pub published: Option<(i64, u64)>,
    pub updated_at: i64,
    pub updated_by: u64,
}

impl Week {
    pub fn empty(monday: Date) -> Week {
        Week {
            monday: day_key(monday),
            days: Vec::new(),
            published: None,
            updated_at: 0,
            updated_by: 0,
        }
    }

    pub fn day(&self, d: Date) -> Option<&DayMenu> {
        self.days.iter().find(|m| m.day == day_key(d))
    }

    /// EGalim: at least one vegetarian menu a week (its plat is végétarien).
    pub fn has_vegetarian(&self) -> bool {
        self.days.iter().any(|d| {
            d.kind != DayKind::Closed && d.dish(Course::Plat).is_some_and(|p| p.vegetarian)
        })
    }

    /// Days with a meal (not « pas de cantine »).
    pub fn served_days(&self) -> usize {
        self.days
            .iter()
            .filter(|d| d.kind != DayKind::Closed && !d.dishes.is_empty())
            .count()
    }

    pub fn monday_date(&self) -> Option<Date> {
        key_day(self.monday)
    }
}

/// The French warning shown beside a week that has meals but no vegetarian menu.
pub fn egalim_warning(week: &Week) -> Option<&'static str> {
    (week.served_days() > 0 && !week.has_vegetarian()).then_some(
        "Cette semaine n'a aucun menu végétarien : la loi EGalim en demande au moins un par semaine (cochez « végétarien » sur le plat).",
    )
}

/// A week as stored (draft or published), for who manages the canteen.
pub fn week(store: &Store, monday: Date) -> Result<Option<Week>> {
    store.get(&WEEKS, &day_key(monday))
}

/// The weeks stored from `from` (a Monday) on, `limit` at most, for the management page.
pub fn weeks_from(store: &Store, from: Date, limit: usize) -> Result<Vec<Week>> {
    let start = day_key(from);
    let end = day_key(add_days(from, 7 * limit as i64));
    Ok(store
        .scan_range(&WEEKS, &start, &end)?
        .into_iter()
        .map(|(_, w)| w)
        .collect())
}

/// The login the audit log shows beside an action.
pub fn login_of(store: &Store, id: u64) -> Result<String> {
    Ok(crate::directory::user(store, id)?
        .map(|u| u.login)
        .unwrap_or_default())
}

/// An audit entry, inside the transaction of the change it records.
pub fn audit(
    tx: &mut crate::store::Tx<'_>,
    by: (u64, &str),
    at: i64,
    action: String,
) -> Result<()> {
    record_audit(
        tx,
        &AuditEvent {
            at,
            actor_id: Some(by.0),
            actor_login: by.1.to_string(),
            action,
        },
    )
}

fn week_label(monday: u64) -> String {
    key_day(monday)
        .map(|d| format!("semaine du {}", crate::ui::dates::day_label(d)))
        .unwrap_or_default()
}

/// Saves weeks (a form, a copy or an import) in one transaction: all of them or none.
/// `publish`: the families see them from now on.
pub async fn save_weeks(
    store: &Store,
    granted: &Granted,
    weeks: &[Week],
    publish: bool,
    now: i64,
) -> Result<()> {
    let by = granted.by();
    let login = login_of(store, by)?;
    store
        .commit(|tx| {
            for w in weeks {
                let old: Option<Week> = tx.get(&WEEKS, &w.monday)?;
                let mut w = w.clone();
                w.days.retain(|d| !d.is_empty());
                w.days.sort_by_key(|d| d.day);
                w.updated_at = now;
                w.updated_by = by;
                w.published = if publish {
                    Some((now, by))
                } else {
                    old.and_then(|o| o.published)
                };
                tx.put(&WEEKS, &w.monday, &w)?;
                let what = if publish { "publiés" } else { "enregistrés" };
                audit(
                    tx,
                    (by, &login),
                    now,
                    format!("Cantine : menus de la {} {what}", week_label(w.monday)),
                )?;
            }
            Ok(())
        })
        .await
}

/// The week of `from` copied onto the week of `to` (the days shifted), as a draft unless
/// the target was already published.
pub async fn copy_week(
    store: &Store,
    granted: &Granted,
    from: Date,
    to: Date,
    now: i64,
) -> Result<bool> {
    let Some(source) = week(store, monday(from))? else {
        return Ok(false);
    };
    let target = monday(to);
    let shift = |k: u64| {
        key_day(k)
            .map(|d| {
                day_key(add_days(
                    target,
                    i64::from(d.weekday().to_monday_zero_offset()),
                ))
            })
            .unwrap_or(k)
    };
    let copy = Week {
        monday: day_key(target),
        days: source
            .days
            .iter()
            .map(|d| DayMenu {
                day: shift(d.day),
                ..d.clone()
            })
            .collect(),
        published: None,
        updated_at: now,
        updated_by: granted.by(),
    };
    save_weeks(store, granted, &[copy], false, now).await?;
    Ok(true)
}

/// « lundi », « mardi »… for a weekday number 1 (Monday) to 7.
pub fn weekday_name(n: u8) -> &'static str {
    crate::ui::dates::weekday_fr(weekday_of(n))
}

pub fn weekday_of(n: u8) -> Weekday {
    match n {
        1 => Weekday::Monday,
        2 => Weekday::Tuesday,
        3 => Weekday::Wednesday,
        4 => Weekday::Thursday,
        5 => Weekday::Friday,
        6 => Weekday::Saturday,
        _ => Weekday::Sunday,
    }
}

pub fn weekday_number(d: Date) -> u8 {
    d.weekday().to_monday_one_offset() as u8
}

/// An account's deletion: a pupil's bookings (and the day counts), diet, history and
/// requests go; a staff member leaves the services' lists. Menus and services stay.
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    use crate::store::Key;
    let booked: Vec<(u64, u64)> = store
        .scan_prefix(&services::BY_PUPIL, &user.encode())?
        .into_iter()
        .map(|((_, d, s), _)| (d, s))
        .collect();
    let changes: Vec<(u64, u64)> = store
        .scan_prefix(&services::CHANGES, &user.encode())?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let requests: Vec<(u64, u64, u64)> = store
        .scan(&services::REQUESTS)?
        .into_iter()
        .filter(|(_, r)| r.pupil == user)
        .map(|(k, _)| k)
        .collect();
    let staffed: Vec<services::PeriService> = services::services(store)?
        .into_iter()
        .filter(|s| s.staff.contains(&user))
        .map(|mut s| {
            s.staff.retain(|u| *u != user);
            s
        })
        .collect();
    Ok(Box::new(move |tx| {
        for (d, s) in &booked {
            tx.remove(&services::BOOKINGS, &(*s, *d, user))?;
            tx.remove(&services::BY_PUPIL, &(user, *d, *s))?;
            let n: u64 = tx.get(&services::COUNTS, &(*s, *d))?.unwrap_or(0);
            tx.put(&services::COUNTS, &(*s, *d), &n.saturating_sub(1))?;
        }
        for k in &changes {
            tx.remove(&services::CHANGES, k)?;
        }
        for k in &requests {
            tx.remove(&services::REQUESTS, k)?;
        }
        tx.remove(&services::FAMILIES, &user)?;
        for s in &staffed {
            tx.put(&services::SERVICES, &s.id, s)?;
        }
        tx.remove(&editors::MENU_EDITORS, &user)
    }))
}

#[cfg(test)]
mod tests;
