//! Le livret scolaire de l'élémentaire (cycles 2 and 3), beside the maternelle's carnet:
//! the periods the school chose (trimestres or semestres) with their dates; per pupil and
//! per period a bilan périodique (per subject a positionnement on four levels always said
//! in words and an appréciation, a general appréciation, the aides); per class and period
//! the éléments du programme worked on in each subject and the class's parcours and
//! projects; at the end of cycles 2 (CE2) and 3 (CM2) the bilan de fin de cycle (the
//! eight components of the socle). The teacher fills a class grid subject by subject,
//! publishes a period's bilans for the class, and only then do the guardians see them,
//! say « J'ai pris connaissance » and comment.
//!
//! What the LSU export ([`lsu`]: `preau lsu export`, `/suivi/livret/lsu`) reads, per period
//! and class, without anything else to ask:
//! - the period: [`Period`] (school year, trimestre or semestre, number, dates);
//! - the class: `directory::Class` (its ONDE id, `onde_id`) and its [`ClassPeriod`]
//!   (éléments du programme per subject, parcours and projects, the teachers recorded
//!   when the period was published);
//! - the pupils: each [`Bilan`] names its pupil, the class and level it was written in;
//!   the pupil's INE and ONDE class id are in `directory::PupilRecord` (`ine`,
//!   `onde_class_id`), kept by the ONDE import;
//! - per pupil and subject: [`SubjectEntry`] (positionnement 1–4, appréciation), the
//!   general appréciation and the aides (codes of [`reference::AIDES`]);
//! - the bilans de fin de cycle: [`CycleBilan`] (component codes of the LSU, maîtrise
//!   1–4), with the period they were published with;
//! - every bilan keeps the version of the reference lists it used (`reference`).

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::carnet::{Comment, Seen};
use crate::directory::Level;
use crate::store::{Key, Result, Store, Table};

pub mod access;
mod forms;
pub mod lsu;
pub mod reference;
pub mod routes;
mod views;
pub mod write;

pub const PERIODS: Table<u64, Period> = Table::new("livret_periodes");
/// (class, period): what the class worked on, and its publication.
pub const CLASS_PERIODS: Table<(u64, u64), ClassPeriod> = Table::new("livret_classes");
/// (pupil, period): a pupil's bilan périodique.
pub const BILANS: Table<(u64, u64), Bilan> = Table::new("livret_bilans");
/// (pupil, cycle): a pupil's bilan de fin de cycle.
pub const CYCLE_BILANS: Table<(u64, u64), CycleBilan> = Table::new("livret_bilans_cycle");

pub const TABLES: &[&str] = &[
    PERIODS.name,
    CLASS_PERIODS.name,
    BILANS.name,
    CYCLE_BILANS.name,
];

/// Longest appréciation of a subject, and of the general one.
pub const MAX_APPRECIATION: usize = 1_000;
/// Longest éléments du programme (each), and how many per subject.
pub const MAX_ELEMENT: usize = 300;
pub const MAX_ELEMENTS: usize = 20;
/// Longest text of the class's parcours and projects.
pub const MAX_PROJECTS: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Trimestre,
    Semestre,
}

impl PeriodKind {
    pub fn count(self) -> u8 {
        match self {
            PeriodKind::Trimestre => 3,
            PeriodKind::Semestre => 2,
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            PeriodKind::Trimestre => "trimestres",
            PeriodKind::Semestre => "semestres",
        }
    }
    pub fn from_slug(text: &str) -> Option<PeriodKind> {
        [PeriodKind::Trimestre, PeriodKind::Semestre]
            .into_iter()
            .find(|k| k.slug() == text)
    }
}

/// A period of the school year, as the director set it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Period {
    pub id: u64,
    /// « 2026-2027 ».
    pub year: String,
    pub kind: PeriodKind,
    /// 1, 2, 3.
    pub number: u8,
    pub start: Date,
    pub end: Date,
}

impl Period {
    /// « Trimestre 2 ».
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Trimestre => format!("Trimestre {}", self.number),
            PeriodKind::Semestre => format!("Semestre {}", self.number),
        }
    }
}

/// Who did something, when.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stamp {
    pub by: u64,
    pub at: i64,
}

/// What a class worked on over a period.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ClassPeriod {
    pub class_id: u64,
    pub period: u64,
    /// Subject slug → the éléments du programme worked on.
    #[serde(default)]
    pub elements: BTreeMap<String, Vec<String>>,
    /// The parcours (citoyen, d'éducation artistique, éducatif de santé) and projects.
    #[serde(default)]
    pub projects: String,
    /// The class's teachers when the period was last published (the LSU's enseignants).
    #[serde(default)]
    pub teachers: Vec<u64>,
    #[serde(default)]
    pub published: Option<Stamp>,
}

/// A pupil's positionnement and appréciation in one subject.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SubjectEntry {
    pub subject: String,
    /// 1 to 4 ([`reference::POSITIONNEMENTS`]).
    pub positionnement: Option<u8>,
    pub appreciation: String,
}

/// A pupil's bilan périodique.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bilan {
    pub pupil: u64,
    pub period: u64,
    /// The class and level the bilan was written in (the pupil may change class later).
    pub class_id: u64,
    pub level: Option<Level>,
    /// The version of the reference lists ([`reference::LIVRET_VERSION`]).
    pub reference: String,
    #[serde(default)]
    pub subjects: Vec<SubjectEntry>,
    #[serde(default)]
    pub general: String,
    /// Codes of [`reference::AIDES`].
    #[serde(default)]
    pub aides: Vec<String>,
    pub updated: Stamp,
    #[serde(default)]
    pub published: Option<Stamp>,
    #[serde(default)]
    pub seen: Vec<Seen>,
    #[serde(default)]
    pub comments: Vec<Comment>,
}

impl Bilan {
    pub fn entry(&self, subject: &str) -> Option<&SubjectEntry> {
        self.subjects.iter().find(|e| e.subject == subject)
    }
    pub fn seen_by(&self, guardian: u64) -> Option<&Seen> {
        self.seen.iter().find(|s| s.by == guardian)
    }
}

/// A pupil's bilan de fin de cycle.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CycleBilan {
    pub pupil: u64,
    /// 2 or 3.
    pub cycle: u8,
    pub class_id: u64,
    /// The period it is published with.
    pub period: u64,
    pub reference: String,
    /// (component code of [`reference::SOCLE`], maîtrise 1 to 4).
    pub components: Vec<(String, u8)>,
    #[serde(default)]
    pub appreciation: String,
    pub updated: Stamp,
    #[serde(default)]
    pub published: Option<Stamp>,
    #[serde(default)]
    pub seen: Vec<Seen>,
    #[serde(default)]
    pub comments: Vec<Comment>,
}

impl CycleBilan {
    pub fn seen_by(&self, guardian: u64) -> Option<&Seen> {
        self.seen.iter().find(|s| s.by == guardian)
    }
    pub fn maitrise(&self, code: &str) -> Option<u8> {
        self.components
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, m)| *m)
    }
}

/// The periods of a school year, in order.
pub fn periods(store: &Store, year: &str) -> Result<Vec<Period>> {
    let mut out: Vec<Period> = store
        .scan(&PERIODS)?
        .into_iter()
        .map(|(_, p)| p)
        .filter(|p| p.year == year)
        .collect();
    out.sort_by_key(|p| p.number);
    Ok(out)
}

pub fn period(store: &Store, id: u64) -> Result<Option<Period>> {
    store.get(&PERIODS, &id)
}

/// The period `today` falls in, or the last one begun, or the first.
pub fn current(periods: &[Period], today: Date) -> Option<&Period> {
    periods
        .iter()
        .rev()
        .find(|p| p.start <= today)
        .or_else(|| periods.first())
}

/// The period before `period` in its year.
pub fn previous<'a>(periods: &'a [Period], period: &Period) -> Option<&'a Period> {
    periods.iter().rev().find(|p| p.number < period.number)
}

pub fn class_period(store: &Store, class_id: u64, period: u64) -> Result<ClassPeriod> {
    Ok(store
        .get(&CLASS_PERIODS, &(class_id, period))?
        .unwrap_or(ClassPeriod {
            class_id,
            period,
            ..ClassPeriod::default()
        }))
}

pub fn bilan(store: &Store, pupil: u64, period: u64) -> Result<Option<Bilan>> {
    store.get(&BILANS, &(pupil, period))
}

/// Every bilan périodique, kept decoded until one of them changes (see `store::derived`):
/// a class's grid and its livret page read one bilan per pupil on every view, and decoding
/// them was a quarter of the grid. A few kB a bilan; a family marking one as read
/// rebuilds the view.
pub struct KeptBilans(std::collections::HashMap<(u64, u64), Bilan>);

impl KeptBilans {
    pub fn get(&self, pupil: u64, period: u64) -> Option<&Bilan> {
        self.0.get(&(pupil, period))
    }
}

pub fn kept_bilans(store: &Store) -> Result<std::sync::Arc<KeptBilans>> {
    store.derived(&[BILANS.name], |store| {
        Ok(KeptBilans(store.scan(&BILANS)?.into_iter().collect()))
    })
}

/// A pupil's bilans périodiques, in the order of their periods' ids (written order).
pub fn bilans_of(store: &Store, pupil: u64) -> Result<Vec<Bilan>> {
    Ok(store
        .scan_prefix(&BILANS, &pupil.encode())?
        .into_iter()
        .map(|(_, b)| b)
        .collect())
}

pub fn cycle_bilans_of(store: &Store, pupil: u64) -> Result<Vec<CycleBilan>> {
    Ok(store
        .scan_prefix(&CYCLE_BILANS, &pupil.encode())?
        .into_iter()
        .map(|(_, b)| b)
        .collect())
}

/// Whether some bilan was written for one of `periods` (then their division stays).
pub fn periods_in_use(store: &Store, periods: &[u64]) -> Result<bool> {
    // The periods some bilan was written in, kept until a bilan changes: the director's
    // page of the periods asks on every view, and decoding every bilan of the school was
    // the better part of it.
    struct InUse(std::collections::HashSet<u64>);
    let in_use = store.derived(&[BILANS.name, CYCLE_BILANS.name], |store| {
        let bilans = store.scan(&BILANS)?.into_iter().map(|(_, b)| b.period);
        let cycles = store
            .scan(&CYCLE_BILANS)?
            .into_iter()
            .map(|(_, b)| b.period);
        Ok(InUse(bilans.chain(cycles).collect()))
    })?;
    Ok(periods.iter().any(|p| in_use.0.contains(p)))
}

/// An account's deletion: a pupil's bilans go whole; an adult's « pris connaissance »
/// and comments on the bilans of others stay, naming nobody once the account is gone.
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let bilans: Vec<u64> = bilans_of(store, user)?.iter().map(|b| b.period).collect();
    let cycles: Vec<u64> = cycle_bilans_of(store, user)?
        .iter()
        .map(|b| u64::from(b.cycle))
        .collect();
    Ok(Box::new(move |tx| {
        for period in &bilans {
            tx.remove(&BILANS, &(user, *period))?;
        }
        for cycle in &cycles {
            tx.remove(&CYCLE_BILANS, &(user, *cycle))?;
        }
        Ok(())
    }))
}
