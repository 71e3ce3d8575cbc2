//! The reference lists of the livret scolaire, shipped in the binary as versioned data:
//! the subjects of cycles 2 and 3, a few examples of éléments du programme, the eight
//! components of the socle commun. Programmes change (2015, 2018, 2020, 2024 for français
//! and mathématiques): each bilan keeps the version it was written under, so that an old
//! bilan still reads, and exports, as it was written.

use crate::directory::Level;

/// The version of the lists below: the programmes of cycles 2 and 3 (BO n° 31 du 30
/// juillet 2020) and the socle commun (décret n° 2015-372), as the LSU names them.
pub const LIVRET_VERSION: &str = "cycles-2-3-2020";

/// A subject of the livret périodique (a « discipline » of the LSU).
pub struct Subject {
    pub slug: &'static str,
    pub label: &'static str,
    /// The cycles that teach it (2, 3).
    pub cycles: &'static [u8],
    /// Éléments du programme offered as examples beside the grid (never imposed).
    pub examples: &'static [&'static str],
}

pub const SUBJECTS: [Subject; 11] = [
    Subject {
        slug: "francais",
        label: "Français",
        cycles: &[2, 3],
        examples: &[
            "Lire et comprendre des textes variés",
            "Écrire des textes en commençant à s'approprier une démarche",
            "Étude de la langue : orthographe, grammaire, vocabulaire",
            "Langage oral : écouter, dire, participer à des échanges",
        ],
    },
    Subject {
        slug: "mathematiques",
        label: "Mathématiques",
        cycles: &[2, 3],
        examples: &[
            "Nombres et calcul : comprendre et utiliser les nombres entiers",
            "Calculer avec des nombres entiers (calcul mental, posé)",
            "Grandeurs et mesures : longueurs, masses, durées",
            "Espace et géométrie : reconnaître, nommer, tracer des figures",
            "Résoudre des problèmes",
        ],
    },
    Subject {
        slug: "langues-vivantes",
        label: "Langues vivantes (étrangères ou régionales)",
        cycles: &[2, 3],
        examples: &[
            "Comprendre l'oral : consignes, mots familiers",
            "S'exprimer oralement en continu",
            "Prendre part à une conversation",
        ],
    },
    Subject {
        slug: "eps",
        label: "Éducation physique et sportive",
        cycles: &[2, 3],
        examples: &[
            "Produire une performance optimale (courir, sauter, lancer)",
            "Adapter ses déplacements à des environnements variés",
            "Conduire et maîtriser un affrontement collectif ou interindividuel",
        ],
    },
    Subject {
        slug: "arts-plastiques",
        label: "Arts plastiques",
        cycles: &[2, 3],
        examples: &[
            "Expérimenter, produire, créer",
            "S'exprimer, analyser sa pratique, celle de ses pairs",
        ],
    },
    Subject {
        slug: "education-musicale",
        label: "Éducation musicale",
        cycles: &[2, 3],
        examples: &["Chanter et interpréter", "Écouter, comparer et commenter"],
    },
    Subject {
        slug: "questionner-le-monde",
        label: "Questionner le monde",
        cycles: &[2],
        examples: &[
            "Questionner le monde du vivant, de la matière et des objets",
            "Se situer dans l'espace et dans le temps",
        ],
    },
    Subject {
        slug: "histoire-geographie",
        label: "Histoire et géographie",
        cycles: &[3],
        examples: &[
            "Se repérer dans le temps : construire des repères historiques",
            "Se repérer dans l'espace : construire des repères géographiques",
        ],
    },
    Subject {
        slug: "sciences-technologie",
        label: "Sciences et technologie",
        cycles: &[3],
        examples: &[
            "Pratiquer des démarches scientifiques et technologiques",
            "Le vivant, sa diversité et les fonctions qui le caractérisent",
        ],
    },
    Subject {
        slug: "histoire-des-arts",
        label: "Histoire des arts",
        cycles: &[3],
        examples: &["Identifier des caractéristiques d'une œuvre"],
    },
    Subject {
        slug: "emc",
        label: "Enseignement moral et civique",
        cycles: &[2, 3],
        examples: &[
            "Respecter autrui",
            "Acquérir et partager les valeurs de la République",
        ],
    },
];

/// The subject whose slug is `slug`, in this version of the lists.
pub fn subject(slug: &str) -> Option<&'static Subject> {
    SUBJECTS.iter().find(|s| s.slug == slug)
}

/// The cycle of a level of the élémentaire: CP, CE1, CE2 are cycle 2, CM1 and CM2 cycle 3.
pub fn cycle_of(level: Level) -> Option<u8> {
    match level {
        Level::CP | Level::CE1 | Level::CE2 => Some(2),
        Level::CM1 | Level::CM2 => Some(3),
        _ => None,
    }
}

/// The level that ends a cycle, whose pupils get the bilan de fin de cycle.
pub fn ends_cycle(level: Level) -> Option<u8> {
    match level {
        Level::CE2 => Some(2),
        Level::CM2 => Some(3),
        _ => None,
    }
}

/// The subjects of a class whose levels are `levels`, in the lists' order: those of every
/// cycle the class has (a CE2-CM1 has both).
pub fn subjects_for(levels: &[Level]) -> Vec<&'static Subject> {
    let cycles: Vec<u8> = levels.iter().filter_map(|l| cycle_of(*l)).collect();
    SUBJECTS
        .iter()
        .filter(|s| s.cycles.iter().any(|c| cycles.contains(c)))
        .collect()
}

/// The positionnement of a pupil in a subject over a period, always said in words.
pub const POSITIONNEMENTS: [(u8, &str); 4] = [
    (1, "Objectifs d'apprentissage non atteints"),
    (2, "Objectifs d'apprentissage partiellement atteints"),
    (3, "Objectifs d'apprentissage atteints"),
    (4, "Objectifs d'apprentissage dépassés"),
];

pub fn positionnement(level: u8) -> Option<&'static str> {
    POSITIONNEMENTS
        .iter()
        .find(|(n, _)| *n == level)
        .map(|(_, l)| *l)
}

/// The aides a pupil may have had (the LSU's « modalités d'accompagnement »).
pub const AIDES: [(&str, &str); 4] = [
    ("PAP", "Plan d'accompagnement personnalisé (PAP)"),
    (
        "PPRE",
        "Programme personnalisé de réussite éducative (PPRE)",
    ),
    ("PPS", "Projet personnalisé de scolarisation (PPS)"),
    ("RASED", "Aide du réseau d'aides spécialisées (RASED)"),
];

/// The eight components of the socle commun, with the codes of the LSU.
pub const SOCLE: [(&str, &str); 8] = [
    (
        "CPD_FRA",
        "Comprendre, s'exprimer en utilisant la langue française à l'oral et à l'écrit",
    ),
    (
        "CPD_ETR",
        "Comprendre, s'exprimer en utilisant une langue étrangère et, le cas échéant, une langue régionale",
    ),
    (
        "CPD_SCI",
        "Comprendre, s'exprimer en utilisant les langages mathématiques, scientifiques et informatiques",
    ),
    (
        "CPD_ART",
        "Comprendre, s'exprimer en utilisant les langages des arts et du corps",
    ),
    ("MET_APP", "Les méthodes et outils pour apprendre"),
    ("FRM_CIT", "La formation de la personne et du citoyen"),
    ("SYS_NAT", "Les systèmes naturels et les systèmes techniques"),
    ("REP_MND", "Les représentations du monde et l'activité humaine"),
];

/// The four degrees of maîtrise of a component, in words.
pub const MAITRISES: [(u8, &str); 4] = [
    (1, "Maîtrise insuffisante"),
    (2, "Maîtrise fragile"),
    (3, "Maîtrise satisfaisante"),
    (4, "Très bonne maîtrise"),
];

pub fn maitrise(level: u8) -> Option<&'static str> {
    MAITRISES.iter().find(|(n, _)| *n == level).map(|(_, l)| *l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_whole_and_their_slugs_unique() {
        let mut slugs: Vec<&str> = SUBJECTS.iter().map(|s| s.slug).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), SUBJECTS.len());
        assert_eq!(SOCLE.len(), 8, "the eight components of the socle");
        assert!(subject("francais").is_some() && subject("x").is_none());
        let cycle2: Vec<&str> = subjects_for(&[Level::CE1]).iter().map(|s| s.slug).collect();
        assert!(cycle2.contains(&"questionner-le-monde"));
        assert!(!cycle2.contains(&"histoire-geographie"));
        let mixed = subjects_for(&[Level::CE2, Level::CM1]);
        assert!(mixed.iter().any(|s| s.slug == "sciences-technologie"));
        assert!(mixed.iter().any(|s| s.slug == "questionner-le-monde"));
        assert_eq!(
            positionnement(3),
            Some("Objectifs d'apprentissage atteints")
        );
        assert_eq!(maitrise(1), Some("Maîtrise insuffisante"));
        assert_eq!(ends_cycle(Level::CM2), Some(3));
        assert_eq!(ends_cycle(Level::CM1), None);
    }
}
