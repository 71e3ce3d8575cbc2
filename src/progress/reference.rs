//! The reference lists of the suivi, shipped in the binary as versioned data: programmes
//! change (the maternelle's in 2015, 2021, 2025), and each réussite keeps the version of
//! the list it was filed under, so that an old carnet still reads as it was written.

use serde::{Deserialize, Serialize};

/// The version of the list of domains below: the programme of the école maternelle
/// (arrêté du 17 juin 2021, BO n° 25 du 24 juin 2021).
pub const CYCLE1_VERSION: &str = "maternelle-2021";

/// One of the five domains of learning of cycle 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    Langage,
    ActivitePhysique,
    ActivitesArtistiques,
    StructurerPensee,
    ExplorerMonde,
}

/// A domain as the list of a version names it.
pub struct DomainRecord {
    pub domain: Domain,
    pub slug: &'static str,
    pub label: &'static str,
    /// A short word for the cards and the tablet's narrow columns.
    pub short: &'static str,
}

/// The domains of cycle 1, in the programme's order ([`CYCLE1_VERSION`]).
pub const CYCLE1_DOMAINS: [DomainRecord; 5] = [
    DomainRecord {
        domain: Domain::Langage,
        slug: "langage",
        label: "Mobiliser le langage dans toutes ses dimensions",
        short: "Langage",
    },
    DomainRecord {
        domain: Domain::ActivitePhysique,
        slug: "activite-physique",
        label: "Agir, s'exprimer, comprendre à travers l'activité physique",
        short: "Activité physique",
    },
    DomainRecord {
        domain: Domain::ActivitesArtistiques,
        slug: "activites-artistiques",
        label: "Agir, s'exprimer, comprendre à travers les activités artistiques",
        short: "Activités artistiques",
    },
    DomainRecord {
        domain: Domain::StructurerPensee,
        slug: "structurer-sa-pensee",
        label: "Acquérir les premiers outils pour structurer sa pensée",
        short: "Structurer sa pensée",
    },
    DomainRecord {
        domain: Domain::ExplorerMonde,
        slug: "explorer-le-monde",
        label: "Explorer le monde",
        short: "Explorer le monde",
    },
];

impl Domain {
    fn record(self) -> &'static DomainRecord {
        CYCLE1_DOMAINS
            .iter()
            .find(|r| r.domain == self)
            .unwrap_or(&CYCLE1_DOMAINS[0])
    }
    pub fn label(self) -> &'static str {
        self.record().label
    }
    pub fn short(self) -> &'static str {
        self.record().short
    }
    pub fn slug(self) -> &'static str {
        self.record().slug
    }
    pub fn from_slug(text: &str) -> Option<Domain> {
        CYCLE1_DOMAINS
            .iter()
            .find(|r| r.slug == text)
            .map(|r| r.domain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_domain_has_one_record_and_its_slug_reads_back() {
        for r in &CYCLE1_DOMAINS {
            assert_eq!(Domain::from_slug(r.slug), Some(r.domain));
            assert_eq!(r.domain.label(), r.label);
        }
        let mut slugs: Vec<&str> = CYCLE1_DOMAINS.iter().map(|r| r.slug).collect();
        slugs.dedup();
        assert_eq!(slugs.len(), 5);
    }
}
