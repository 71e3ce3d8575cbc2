//! The export of a period's bilans to the LSU (livret scolaire unique): the XML file the
//! director imports in the national application (« Import / Export » of the LSU 1D).
//!
//! The file follows the LSU 1D import format, as the public exporters of primary schools
//! write it (root `lsun-bilans` in the namespace `urn:fr:edu:scolarite:lsun:bilans:import`,
//! `schemaVersion` 1.0, schema `import-bilan-1d.xsd`):
//! - `entete`: `editeur`, `application`, `etablissement` (the school's UAI);
//! - `donnees`, in this order: `directeurs/directeur` (id, nom, prenom);
//!   `classes/classe` (id, id-be: the ONDE class id, libelle); `eleves/eleve` (id, ine,
//!   classe-ref, nom, prenom); `periodes/periode` (id, millesime, indice, nb-periodes,
//!   date-debut, date-fin); `enseignants/enseignant` (id, nom, prenom);
//!   `elements-programme/element-programme` (id, libelle); `bilans-periodiques/
//!   bilan-periodique` (eleve-ref, periode-ref, enseignant-refs, directeur-ref,
//!   date-creation, date-scolarite, date-verrou) with `liste-acquis/acquis` (code-domaine,
//!   positionnement, element-programme-refs; an `appreciation`),
//!   `modalites-accompagnement/modalite-accompagnement` (code), `appreciation-generale`;
//!   `bilans-cycle/bilan-cycle` (eleve-ref, cycle, millesime, enseignant-refs,
//!   directeur-ref, date-creation, date-verrou) with `socle/domaine` (code,
//!   positionnement) and `synthese`.
//!
//! [`check`] lists, per pupil and in French, everything missing (INE, ONDE class id,
//! teachers, the period's dates, an unpublished bilan) before anything is written; the
//! file is then a pure function of the stored data: ids sorted, and the only dates those
//! stored (the period's, the publications'), so exporting again gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use crate::directory::people::People;
use crate::directory::Class;
use crate::store::{Result, Store};

use super::{Bilan, ClassPeriod, CycleBilan, Period, BILANS, CYCLE_BILANS};

mod file;
pub mod xml;

pub use file::{schema_problems, NAMESPACE, SCHEMA_VERSION};

/// What the file holds, read from the store and checked.
pub struct Selection {
    pub uai: String,
    pub period: Period,
    /// The periods of its year (for `nb-periodes`).
    pub periods_in_year: usize,
    pub directors: Vec<u64>,
    pub classes: Vec<(Class, ClassPeriod)>,
    pub bilans: Vec<Bilan>,
    pub cycle_bilans: Vec<CycleBilan>,
    pub people: std::sync::Arc<People>,
    pub ines: BTreeMap<u64, String>,
}

/// The file, once everything needed is there.
pub struct Export {
    pub xml: String,
    pub file_name: String,
    pub pupils: usize,
    pub bilans: usize,
    pub cycle_bilans: usize,
}

impl Export {
    /// « 12 bilans périodiques (12 élèves), 0 bilan de fin de cycle ».
    pub fn summary(&self) -> String {
        format!(
            "{} bilan(s) périodique(s) de {} élève(s), {} bilan(s) de fin de cycle",
            self.bilans, self.pupils, self.cycle_bilans
        )
    }
}

/// What keeps the file from being written: who (a pupil, a class, the period, the
/// school) and what is missing, said for the director.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Missing {
    pub who: String,
    pub what: String,
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} : {}", self.who, self.what)
    }
}

/// The file for period number `number` of `year`, for one class or every class with
/// bilans in that period; or the list of what is missing.
pub fn export(
    store: &Store,
    year: &str,
    number: u8,
    class: Option<u64>,
) -> Result<std::result::Result<Export, Vec<Missing>>> {
    match select(store, year, number, class)? {
        Ok(selection) => Ok(Ok(file::write(&selection))),
        Err(missing) => Ok(Err(missing)),
    }
}

/// Reads and checks what the export needs.
pub fn select(
    store: &Store,
    year: &str,
    number: u8,
    class: Option<u64>,
) -> Result<std::result::Result<Selection, Vec<Missing>>> {
    let periods = super::periods(store, year)?;
    let Some(period) = periods.iter().find(|p| p.number == number).cloned() else {
        return Ok(Err(vec![Missing {
            who: format!("Période {number} de {year}"),
            what: "ses dates ne sont pas définies (Suivi › Livret › Périodes)".into(),
        }]));
    };
    let people = People::load(store)?;
    let mut missing = Vec::new();
    let uai = crate::school::get(store)?
        .map(|s| s.uai.trim().to_string())
        .unwrap_or_default();
    if uai.is_empty() {
        missing.push(Missing {
            who: "L'école".into(),
            what: "pas d'UAI enregistré".into(),
        });
    }
    let directors: Vec<u64> = people
        .users
        .values()
        .filter(|u| u.is_director() && !u.disabled)
        .map(|u| u.id)
        .collect();
    if directors.is_empty() {
        missing.push(Missing {
            who: "L'école".into(),
            what: "aucun compte de direction".into(),
        });
    }
    if period.end < period.start {
        missing.push(Missing {
            who: period.label(),
            what: "la fin de la période précède son début".into(),
        });
    }
    let in_scope = |class_id: u64| class.is_none_or(|c| c == class_id);
    let mut bilans: Vec<Bilan> = store
        .scan(&BILANS)?
        .into_iter()
        .map(|(_, b)| b)
        .filter(|b| b.period == period.id && in_scope(b.class_id))
        .collect();
    bilans.sort_by_key(|b| (b.class_id, b.pupil));
    let mut cycle_bilans: Vec<CycleBilan> = store
        .scan(&CYCLE_BILANS)?
        .into_iter()
        .map(|(_, b)| b)
        .filter(|b| b.period == period.id && in_scope(b.class_id))
        .collect();
    cycle_bilans.sort_by_key(|b| (b.class_id, b.pupil, b.cycle));
    let class_ids: BTreeSet<u64> = bilans
        .iter()
        .map(|b| b.class_id)
        .chain(cycle_bilans.iter().map(|b| b.class_id))
        .collect();
    if class_ids.is_empty() {
        let whose = class
            .and_then(|c| people.class(c))
            .map(|c| format!("La classe {}", c.label))
            .unwrap_or_else(|| "L'école".into());
        missing.push(Missing {
            who: whose,
            what: format!(
                "aucun bilan écrit pour le {}",
                period.label().to_lowercase()
            ),
        });
    }
    let mut classes = Vec::new();
    for id in &class_ids {
        let Some(c) = people.class(*id) else {
            missing.push(Missing {
                who: format!("Classe n° {id}"),
                what: "la classe n'existe plus".into(),
            });
            continue;
        };
        let who = format!("La classe {}", c.label);
        if c.onde_id.as_deref().is_none_or(|o| o.trim().is_empty()) {
            missing.push(Missing {
                who: who.clone(),
                what: "pas d'identifiant de classe ONDE (importez les classes depuis ONDE)".into(),
            });
        }
        let record = super::class_period(store, *id, period.id)?;
        if record.published.is_none() || record.teachers.is_empty() {
            missing.push(Missing {
                who: who.clone(),
                what:
                    "aucun enseignant enregistré : les bilans de la période n'ont pas été publiés"
                        .into(),
            });
        } else if record.teachers.iter().any(|t| people.user(*t).is_none()) {
            missing.push(Missing {
                who: who.clone(),
                what: "un enseignant enregistré à la publication n'a plus de compte : publiez à nouveau".into(),
            });
        }
        classes.push((c.clone(), record));
    }
    let records = crate::directory::pupil_records(store)?;
    let mut ines = BTreeMap::new();
    let pupils: BTreeSet<u64> = bilans
        .iter()
        .map(|b| b.pupil)
        .chain(cycle_bilans.iter().map(|b| b.pupil))
        .collect();
    let name = |id: u64| {
        people
            .user(id)
            .map(|u| format!("{} {}", u.first_name, u.last_name))
            .unwrap_or_else(|| format!("Élève n° {id}"))
    };
    for pupil in &pupils {
        match records.get(*pupil).and_then(|r| r.ine.clone()) {
            Some(ine) if !ine.trim().is_empty() => {
                ines.insert(*pupil, ine.trim().to_string());
            }
            _ => missing.push(Missing {
                who: name(*pupil),
                what: "pas d'INE (identifiant national élève, importé d'ONDE)".into(),
            }),
        }
    }
    for b in bilans.iter().filter(|b| b.published.is_none()) {
        missing.push(Missing {
            who: name(b.pupil),
            what: "bilan périodique non publié".into(),
        });
    }
    for b in cycle_bilans.iter().filter(|b| b.published.is_none()) {
        missing.push(Missing {
            who: name(b.pupil),
            what: format!("bilan de fin de cycle {} non publié", b.cycle),
        });
    }
    if !missing.is_empty() {
        return Ok(Err(missing));
    }
    Ok(Ok(Selection {
        uai,
        periods_in_year: periods.len(),
        period,
        directors,
        classes,
        bilans,
        cycle_bilans,
        people,
        ines,
    }))
}

/// `preau lsu export`: the file for period `number` of the current year, for the class
/// named `class` or every class, written to `destination`; or, when something is
/// missing, an error listing it line by line and no file.
pub fn write_file(
    store: &Store,
    number: u8,
    class: Option<&str>,
    destination: &std::path::Path,
) -> anyhow::Result<String> {
    let class_id = match class {
        Some(text) => Some(
            find_class(&*People::load(store)?, text)
                .ok_or_else(|| anyhow::anyhow!("classe inconnue : {text}"))?,
        ),
        None => None,
    };
    let year = crate::directory::rollover::current_year(store)?;
    match export(store, &year, number, class_id)? {
        Ok(made) => {
            std::fs::write(destination, &made.xml).map_err(|e| {
                anyhow::anyhow!("impossible d'écrire {} : {e}", destination.display())
            })?;
            Ok(format!(
                "{} écrit : {}",
                destination.display(),
                made.summary()
            ))
        }
        Err(missing) => {
            let lines: Vec<String> = missing.iter().map(|m| format!("- {m}")).collect();
            anyhow::bail!("export LSU impossible, il manque :\n{}", lines.join("\n"))
        }
    }
}

/// The code of a subject in the LSU 1D's list of domaines (« code-domaine »).
pub fn domain_code(subject: &str) -> Option<&'static str> {
    Some(match subject {
        "francais" => "FRA",
        "mathematiques" => "MAT",
        "langues-vivantes" => "LVE",
        "eps" => "EPS",
        "arts-plastiques" => "APL",
        "education-musicale" => "EMU",
        "questionner-le-monde" => "QLM",
        "histoire-geographie" => "HGE",
        "sciences-technologie" => "SCT",
        "histoire-des-arts" => "HDA",
        "emc" => "EMC",
        _ => return None,
    })
}

/// The class named `text` (its label, case and accents as written) or numbered so.
pub fn find_class(people: &People, text: &str) -> Option<u64> {
    let text = text.trim();
    people
        .classes
        .iter()
        .find(|c| c.label.eq_ignore_ascii_case(text) || c.id.to_string() == text)
        .map(|c| c.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subject_of_the_lists_has_its_lsu_code() {
        for s in &super::super::reference::SUBJECTS {
            assert!(domain_code(s.slug).is_some(), "{}", s.slug);
        }
        assert_eq!(domain_code("inconnu"), None);
    }
}
