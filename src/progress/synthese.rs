//! The synthèse des acquis scolaires at the end of the grande section: the national grid,
//! domain by domain, each line « ne réussit pas encore / est en voie de réussite / réussit
//! souvent », the child's points forts and besoins. Entered by the child's teacher, shared
//! with the family when ready — a share of the carnet (`carnet::Share` marked
//! `synthese`), so each guardian signs it with the carnet's « J'ai vu » and may comment —
//! printed on A4 with the school's header. Once shared it no longer changes: what each
//! guardian signed stays what they read.

use serde::{Deserialize, Serialize};

use super::carnet::{Share, SHARES};
use super::reference::Domain;
use crate::directory::people::People;
use crate::notify::{self, Kind as NoticeKind};
use crate::policy::Granted;
use crate::store::{Result, Store, Table};

/// The version of the grid below: the model of the synthèse des acquis scolaires de
/// l'élève à la fin de l'école maternelle (arrêté du 31 décembre 2015).
pub const GRID_VERSION: &str = "synthese-maternelle-2015";

/// The grid's lines, domain by domain ([`GRID_VERSION`]).
pub const GRID: &[(Domain, &[&str])] = &[
    (
        Domain::Langage,
        &[
            "Langage oral : communication, expression",
            "Compréhension d'un message oral ou d'un texte lu par l'adulte",
            "Découverte de l'écrit ; relations entre l'oral et l'écrit",
            "Geste graphique, écriture",
            "Mémorisation, restitution de textes (comptines, poèmes…)",
        ],
    ),
    (
        Domain::ActivitePhysique,
        &[
            "Engagement, aisance et inventivité dans les actions ou déplacements",
            "Coopération, interactions avec respect des rôles de chacun",
        ],
    ),
    (
        Domain::ActivitesArtistiques,
        &[
            "Engagement dans les activités, réalisation de productions personnelles : dessin, compositions graphiques, compositions plastiques",
            "Engagement dans les activités, réalisation de productions personnelles : voix, chants, pratiques rythmiques et corporelles",
        ],
    ),
    (
        Domain::StructurerPensee,
        &[
            "Utilisation des nombres",
            "Première compréhension des nombres",
            "Petits problèmes de composition et de décomposition de nombres (ajouter, retirer)",
            "Tris, classements, rangements, algorithmes",
        ],
    ),
    (
        Domain::ExplorerMonde,
        &[
            "Repérage dans le temps et l'espace",
            "Exploration du monde du vivant, des objets et de la matière",
        ],
    ),
];

/// How many lines the grid has.
pub fn grid_len() -> usize {
    GRID.iter().map(|(_, l)| l.len()).sum()
}

/// The three levels of the grid, always in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    PasEncore,
    EnVoie,
    Souvent,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::PasEncore, Level::EnVoie, Level::Souvent];
    pub fn label(self) -> &'static str {
        match self {
            Level::PasEncore => "Ne réussit pas encore",
            Level::EnVoie => "Est en voie de réussite",
            Level::Souvent => "Réussit souvent",
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            Level::PasEncore => "pas-encore",
            Level::EnVoie => "en-voie",
            Level::Souvent => "souvent",
        }
    }
    pub fn from_slug(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.slug() == text)
    }
}

pub const SYNTHESES: Table<u64, Synthese> = Table::new("suivi_syntheses");

/// Longest text of the points forts, or of the besoins.
pub const MAX_TEXT: usize = 2_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Synthese {
    pub pupil: u64,
    /// The grid it was written on.
    pub reference: String,
    /// Each line of the grid with its level, in the grid's order.
    pub lines: Vec<(Domain, String, Level)>,
    pub strengths: String,
    pub needs: String,
    pub author: u64,
    pub at: i64,
    /// The share that showed it to the family (and carries their signatures).
    #[serde(default)]
    pub share: Option<u64>,
}

/// What the teacher typed.
pub struct Entry {
    pub levels: Vec<Level>,
    pub strengths: String,
    pub needs: String,
}

pub fn of_pupil(store: &Store, pupil: u64) -> Result<Option<Synthese>> {
    store.get(&SYNTHESES, &pupil)
}

/// The share that carries the synthèse's signatures.
pub fn share_of(store: &Store, s: &Synthese) -> Result<Option<Share>> {
    match s.share {
        Some(id) => store.get(&SHARES, &(s.pupil, id)),
        None => Ok(None),
    }
}

/// Writes the child's synthèse (`levels` in the grid's order); `false` once it is shared.
pub async fn save(
    store: &Store,
    granted: &Granted,
    pupil: u64,
    entry: Entry,
    now: i64,
) -> Result<bool> {
    let by = granted.by();
    let lines: Vec<(Domain, String, Level)> = GRID
        .iter()
        .flat_map(|(d, list)| list.iter().map(move |t| (*d, t.to_string())))
        .zip(entry.levels)
        .map(|((d, t), l)| (d, t, l))
        .collect();
    store
        .commit(|tx| {
            if tx
                .get(&SYNTHESES, &pupil)?
                .is_some_and(|s| s.share.is_some())
            {
                return Ok(false);
            }
            tx.put(
                &SYNTHESES,
                &pupil,
                &Synthese {
                    pupil,
                    reference: GRID_VERSION.to_string(),
                    lines: lines.clone(),
                    strengths: entry.strengths.clone(),
                    needs: entry.needs.clone(),
                    author: by,
                    at: now,
                    share: None,
                },
            )?;
            Ok(true)
        })
        .await
}

/// Shares the child's synthèse with the family, each guardian told; `false` if there is
/// none or it was already shared.
pub async fn share(
    store: &Store,
    granted: &Granted,
    people: &People,
    pupil: u64,
    now: i64,
) -> Result<bool> {
    let by = granted.by();
    let first = people
        .user(pupil)
        .map(|u| u.first_name.clone())
        .unwrap_or_default();
    store
        .commit(|tx| {
            let Some(mut s) = tx.get(&SYNTHESES, &pupil)? else {
                return Ok(false);
            };
            if s.share.is_some() {
                return Ok(false);
            }
            let id = tx.next_id("suivi_partage")?;
            s.share = Some(id);
            tx.put(&SYNTHESES, &pupil, &s)?;
            let share = Share {
                id,
                pupil,
                by,
                at: now,
                entries: Vec::new(),
                seen: Vec::new(),
                comments: Vec::new(),
                synthese: true,
            };
            tx.put(&SHARES, &(pupil, id), &share)?;
            let text = format!("Synthèse des acquis de {first} : à lire et à signer");
            let link = format!("/suivi/eleve/{pupil}/synthese");
            for g in people.parents_of(pupil) {
                if people.active(*g) {
                    notify::push(tx, *g, NoticeKind::Suivi, &text, &link, now)?;
                }
            }
            Ok(true)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_covers_the_five_domains_and_levels_read_back() {
        let domains: Vec<Domain> = GRID.iter().map(|(d, _)| *d).collect();
        assert_eq!(domains.len(), 5);
        assert!(grid_len() >= 10);
        for l in Level::ALL {
            assert_eq!(Level::from_slug(l.slug()), Some(l));
        }
        assert_eq!(Level::from_slug("x"), None);
    }
}
