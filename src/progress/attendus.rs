//! The « attendus » of cycle 1 a teacher may pick from when writing a réussite — never a
//! checklist to tick: the programme's attendus de fin d'école maternelle, shipped in the
//! binary as a versioned list ([`ATTENDUS_VERSION`]), and those the school adds for
//! itself (`/suivi/attendus`). A réussite keeps the text it was given, so that an old
//! carnet reads as written whatever the lists become.

use serde::{Deserialize, Serialize};

use super::reference::Domain;
use crate::policy::Granted;
use crate::store::{Result, Store, Table};

/// The version of the shipped list: the attendus de fin d'école maternelle of the
/// programme of 2021 (arrêté du 17 juin 2021).
pub const ATTENDUS_VERSION: &str = "maternelle-2021";

/// The school's own attendus.
pub const SCHOOL: Table<u64, SchoolAttendu> = Table::new("suivi_attendus_ecole");

/// Longest attendu the school may add.
pub const MAX_TEXT: usize = 200;

/// The programme's attendus, domain by domain ([`ATTENDUS_VERSION`]).
pub const PROGRAMME: &[(Domain, &[&str])] = &[
    (
        Domain::Langage,
        &[
            "Communiquer avec les adultes et avec les autres enfants par le langage, en se faisant comprendre",
            "S'exprimer dans un langage syntaxiquement correct et précis",
            "Pratiquer divers usages du langage oral : raconter, décrire, évoquer, expliquer, questionner",
            "Dire de mémoire et de manière expressive plusieurs comptines et poésies",
            "Comprendre des textes écrits sans autre aide que le langage entendu",
            "Manifester de la curiosité par rapport à l'écrit",
            "Repérer des régularités dans la langue à l'oral (syllabes, sons)",
            "Reconnaître les lettres de l'alphabet en cursive, en script et en capitales",
            "Écrire son prénom en écriture cursive, sans modèle",
        ],
    ),
    (
        Domain::ActivitePhysique,
        &[
            "Courir, sauter, lancer de différentes façons, dans des espaces et avec des matériels variés",
            "Ajuster et enchaîner ses actions et ses déplacements en fonction d'obstacles à franchir",
            "Se déplacer avec aisance dans des environnements variés, naturels ou aménagés",
            "Construire et conserver une séquence d'actions et de déplacements, avec d'autres, avec ou sans musique",
            "Coopérer, exercer des rôles différents, s'opposer, élaborer des stratégies pour viser un but commun",
        ],
    ),
    (
        Domain::ActivitesArtistiques,
        &[
            "Choisir différents outils, médiums, supports et les utiliser en adaptant son geste",
            "Pratiquer le dessin pour représenter ou illustrer, en étant fidèle au réel ou en inventant",
            "Réaliser une composition personnelle en reproduisant des graphismes",
            "Réaliser des compositions plastiques, seul ou en petit groupe",
            "Avoir mémorisé un répertoire varié de comptines et de chansons et les interpréter de manière expressive",
            "Jouer avec sa voix pour explorer des variantes de timbre, d'intensité, de hauteur",
            "Parler de ses productions et de celles des autres, de ce qu'on a vu ou entendu",
        ],
    ),
    (
        Domain::StructurerPensee,
        &[
            "Utiliser les nombres entiers pour dénombrer une quantité et comparer des quantités",
            "Dire la suite des nombres jusqu'à trente",
            "Lire les nombres écrits en chiffres jusqu'à dix",
            "Quantifier des collections jusqu'à dix au moins",
            "Parler des nombres à l'aide de leur décomposition",
            "Classer des objets en fonction de caractéristiques liées à leur forme",
            "Reproduire un assemblage à partir d'un modèle",
            "Reproduire, dessiner des formes planes",
            "Identifier le principe d'organisation d'un algorithme et poursuivre son application",
        ],
    ),
    (
        Domain::ExplorerMonde,
        &[
            "Situer des événements vécus dans la journée, la semaine, le mois ou une saison",
            "Situer des objets par rapport à soi, entre eux, par rapport à des objets repères",
            "Reconnaître les principales étapes du développement d'un animal ou d'un végétal",
            "Connaître les besoins essentiels de quelques animaux et végétaux",
            "Situer et nommer les différentes parties du corps humain",
            "Choisir, utiliser et savoir désigner des outils et des matériaux adaptés à une situation",
            "Réaliser des constructions ; construire des maquettes simples",
            "Utiliser des objets numériques : appareil photo, tablette, ordinateur",
        ],
    ),
];

/// An attendu the school added to the programme's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SchoolAttendu {
    pub id: u64,
    pub domain: Domain,
    pub text: String,
    pub by: u64,
    pub at: i64,
}

/// The school's own attendus, by domain then text.
pub fn school(store: &Store) -> Result<Vec<SchoolAttendu>> {
    let mut out: Vec<SchoolAttendu> = store.scan(&SCHOOL)?.into_iter().map(|(_, a)| a).collect();
    out.sort_by(|a, b| (a.domain as u8, &a.text).cmp(&(b.domain as u8, &b.text)));
    Ok(out)
}

/// Every attendu one may pick, domain by domain: the programme's, then the school's.
pub fn choices(store: &Store) -> Result<Vec<(Domain, Vec<String>)>> {
    let own = school(store)?;
    Ok(PROGRAMME
        .iter()
        .map(|(domain, list)| {
            let mut texts: Vec<String> = list.iter().map(|t| t.to_string()).collect();
            texts.extend(
                own.iter()
                    .filter(|a| a.domain == *domain)
                    .map(|a| a.text.clone()),
            );
            (*domain, texts)
        })
        .collect())
}

/// The domain of the attendu `text`, if it is one of the lists (anything else is refused:
/// a réussite names an attendu of the lists or none).
pub fn domain_of(choices: &[(Domain, Vec<String>)], text: &str) -> Option<Domain> {
    choices
        .iter()
        .find(|(_, list)| list.iter().any(|t| t == text))
        .map(|(d, _)| *d)
}

/// Adds an attendu of the school's; `false` if the same text is already in the domain.
pub async fn add(
    store: &Store,
    granted: &Granted,
    domain: Domain,
    text: &str,
    now: i64,
) -> Result<bool> {
    let by = granted.by();
    let known = choices(store)?
        .into_iter()
        .any(|(d, list)| d == domain && list.iter().any(|t| t == text));
    if known {
        return Ok(false);
    }
    let text = text.to_string();
    store
        .commit(|tx| {
            let id = tx.next_id("suivi_attendu")?;
            tx.put(
                &SCHOOL,
                &id,
                &SchoolAttendu {
                    id,
                    domain,
                    text: text.clone(),
                    by,
                    at: now,
                },
            )?;
            Ok(true)
        })
        .await
}

/// Removes one of the school's attendus (the réussites that named it keep their text).
pub async fn remove(store: &Store, _granted: &Granted, id: u64) -> Result<bool> {
    store
        .commit(|tx| {
            let there = tx.get(&SCHOOL, &id)?.is_some();
            tx.remove(&SCHOOL, &id)?;
            Ok(there)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_domain_has_attendus_once_and_each_text_names_its_domain() {
        assert_eq!(PROGRAMME.len(), 5);
        let choices: Vec<(Domain, Vec<String>)> = PROGRAMME
            .iter()
            .map(|(d, l)| (*d, l.iter().map(|t| t.to_string()).collect()))
            .collect();
        for (domain, list) in PROGRAMME {
            assert!(!list.is_empty());
            for t in *list {
                assert_eq!(domain_of(&choices, t), Some(*domain), "{t}");
                assert!(t.chars().count() <= MAX_TEXT);
            }
        }
        assert_eq!(domain_of(&choices, "Savoir voler"), None);
    }
}
