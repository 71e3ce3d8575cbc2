//! Le suivi des apprentissages (`/suivi`), behind its own switch and opened class by
//! class. What exists: the maternelle's carnet de suivi des apprentissages (cycle 1) —
//! réussites per child (a day, a photo published by the one upload reader, a short
//! sentence, one of the five domains of cycle 1), filed for several children at once
//! after a group activity, then each changed on its own; shared with the families when
//! the teacher decides, each guardian saying « J'ai vu » and commenting. The carnet is
//! keyed by the child and follows them across classes and years.
//!
//! Around it: the « attendus » to pick from (the programme's, shipped, and the school's
//! own), sounds and videos as well as photos, the child's own carnet in kid mode (`/suivi`
//! for a pupil: big pictures, each sentence read aloud), and the synthèse des acquis of
//! the end of GS, shared with the family, signed by each guardian and printed.

use std::collections::HashSet;

use crate::store::{Result, Store};

pub mod access;
pub mod attendus;
pub mod carnet;
mod forms;
pub mod livret;
pub mod reference;
pub mod routes;
pub mod synthese;
mod views;

pub const TABLES: &[&str] = &[
    carnet::REUSSITES.name,
    carnet::BY_PUPIL.name,
    carnet::SHARES.name,
    attendus::SCHOOL.name,
    synthese::SYNTHESES.name,
];

/// The photos of the réussites, which the hourly purge of blobs keeps.
pub fn referenced_blobs(store: &Store) -> Result<HashSet<String>> {
    Ok(store
        .scan(&carnet::REUSSITES)?
        .into_iter()
        .filter_map(|(_, r)| r.photo.map(|p| p.blob))
        .collect())
}

/// An account's deletion: a pupil's carnet goes whole (réussites, their photos with the
/// next purge, shares with their « vu » and comments, the synthèse); an adult's « vu » and comments on
/// the carnets of others stay (the school's trace that the family was told), naming
/// nobody once the account is gone.
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let entries: Vec<u64> = carnet::of_pupil(store, user)?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let shares: Vec<u64> = carnet::shares_of(store, user)?
        .into_iter()
        .map(|s| s.id)
        .collect();
    Ok(Box::new(move |tx| {
        for id in &entries {
            tx.remove(&carnet::REUSSITES, id)?;
            tx.remove(&carnet::BY_PUPIL, &(user, *id))?;
        }
        for id in &shares {
            tx.remove(&carnet::SHARES, &(user, *id))?;
        }
        tx.remove(&synthese::SYNTHESES, &user)?;
        Ok(())
    }))
}
