//! The demo's livret scolaire: the year in three trimestres; in the CM1, the first
//! trimestre's bilans written for a dozen pupils (français, mathématiques, EPS, the
//! general appréciation, an aide here and there, the class's projects) and published,
//! one guardian having said « J'ai pris connaissance ». Returns the logins to try it.

use std::collections::BTreeMap;

use jiff::civil::{date, Date};

use crate::directory::people::People;
use crate::progress::carnet::Seen;
use crate::progress::livret::reference::LIVRET_VERSION;
use crate::progress::livret::{
    Bilan, ClassPeriod, Period, PeriodKind, Stamp, SubjectEntry, BILANS, CLASS_PERIODS, PERIODS,
};
use crate::store::Store;

/// How many CM1 pupils have their first trimestre's bilan.
const WRITTEN: usize = 12;

const ELEMENTS: [(&str, &[&str]); 3] = [
    (
        "francais",
        &[
            "Lire et comprendre un récit : les personnages, leurs intentions",
            "Écrire un court texte narratif en le révisant",
            "Accorder le verbe avec son sujet",
        ],
    ),
    (
        "mathematiques",
        &[
            "Les grands nombres jusqu'au million",
            "La multiplication posée",
            "Résoudre des problèmes à deux étapes",
        ],
    ),
    (
        "eps",
        &[
            "Courir longtemps à allure régulière",
            "Jeux collectifs : le handball",
        ],
    ),
];

const APPRECIATIONS: [&str; 4] = [
    "Des difficultés encore : à consolider avec de l'entraînement régulier.",
    "Des progrès ce trimestre ; il faut continuer à s'appliquer.",
    "Un travail sérieux et des objectifs atteints.",
    "Excellent trimestre, curieux et rigoureux.",
];

const GENERAL: [&str; 4] = [
    "Un trimestre difficile : nous en parlerons ensemble.",
    "Un trimestre encourageant, à poursuivre.",
    "Un bon trimestre, élève investi en classe.",
    "Un très bon trimestre, bravo !",
];

/// The three trimestres of the school year « 2026-2027 ».
fn trimestres(year: &str) -> Vec<(Date, Date)> {
    let first: i16 = year
        .split('-')
        .next()
        .and_then(|y| y.parse().ok())
        .unwrap_or(2026);
    vec![
        (date(first, 9, 1), date(first, 11, 30)),
        (date(first, 12, 1), date(first + 1, 2, 28)),
        (date(first + 1, 3, 1), date(first + 1, 7, 4)),
    ]
}

/// The CM1's first trimestre; the logins of its teacher and of a guardian who has a
/// published bilan.
pub(super) fn cm1(store: &Store, now: i64) -> anyhow::Result<Vec<(&'static str, String)>> {
    let people = People::load(store)?;
    let year = crate::directory::rollover::current_year(store)?;
    let Some(class) = people.classes.iter().find(|c| c.label == "CM1") else {
        return Ok(Vec::new());
    };
    let Some(teacher) = people.teachers_of_class(class.id).first().copied() else {
        return Ok(Vec::new());
    };
    let pupils = people.pupils_of_class(class.id);
    let day: i64 = 86_400_000_000;
    let published = Stamp {
        by: teacher,
        at: now - 3 * day,
    };
    store.commit_blocking(|tx| {
        // The class as ONDE knows it, so that the demo's period exports to the LSU (its
        // pupils have their INE already).
        if class.onde_id.is_none() {
            let mut onde = class.clone();
            onde.onde_id = Some(format!("{:07}", 4_217_000 + class.id));
            crate::directory::save_class(tx, &onde)?;
        }
        let mut ids = Vec::new();
        for (n, (start, end)) in trimestres(&year).into_iter().enumerate() {
            let id = tx.next_id("livret_periode")?;
            let period = Period {
                id,
                year: year.clone(),
                kind: PeriodKind::Trimestre,
                number: n as u8 + 1,
                start,
                end,
            };
            tx.put(&PERIODS, &id, &period)?;
            ids.push(id);
        }
        let first = ids.first().copied().unwrap_or_default();
        let elements: BTreeMap<String, Vec<String>> = ELEMENTS
            .iter()
            .map(|(s, list)| (s.to_string(), list.iter().map(|e| e.to_string()).collect()))
            .collect();
        let record = ClassPeriod {
            class_id: class.id,
            period: first,
            elements,
            projects: "Parcours d'éducation artistique et culturelle : chorale de l'école. \
                       Projet de la classe : correspondance avec une école de Brest."
                .into(),
            teachers: vec![teacher],
            published: Some(published.clone()),
        };
        tx.put(&CLASS_PERIODS, &(class.id, first), &record)?;
        for (k, pupil) in pupils.iter().take(WRITTEN).enumerate() {
            let subjects = ELEMENTS
                .iter()
                .enumerate()
                .map(|(s, (slug, _))| {
                    let level = (k + s) % 4;
                    SubjectEntry {
                        subject: slug.to_string(),
                        positionnement: Some(level as u8 + 1),
                        appreciation: APPRECIATIONS
                            .get(level)
                            .copied()
                            .unwrap_or_default()
                            .to_string(),
                    }
                })
                .collect();
            let seen = match (k, people.parents_of(*pupil).first()) {
                (0, Some(g)) => vec![Seen {
                    by: *g,
                    at: now - 2 * day,
                }],
                _ => Vec::new(),
            };
            let bilan = Bilan {
                pupil: *pupil,
                period: first,
                class_id: class.id,
                level: people.levels.get(pupil).copied(),
                reference: LIVRET_VERSION.to_string(),
                subjects,
                general: GENERAL.get(k % 4).copied().unwrap_or_default().to_string(),
                aides: if k % 5 == 0 {
                    vec!["PPRE".to_string()]
                } else {
                    Vec::new()
                },
                updated: Stamp {
                    by: teacher,
                    at: now - 5 * day,
                },
                published: Some(published.clone()),
                seen,
                comments: Vec::new(),
            };
            tx.put(&BILANS, &(*pupil, first), &bilan)?;
        }
        Ok(())
    })?;
    let mut logins = Vec::new();
    if let Some(u) = people.user(teacher) {
        logins.push(("Enseignant de CM1 (livret scolaire)", u.login.clone()));
    }
    // A guardian of the second pupil, whose bilan waits for their « pris connaissance ».
    if let Some(u) = pupils
        .get(1)
        .and_then(|p| people.parents_of(*p).first())
        .and_then(|g| people.user(*g))
    {
        logins.push(("Responsable d'un élève de CM1 (livret)", u.login.clone()));
    }
    Ok(logins)
}
