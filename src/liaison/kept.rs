//! Every mot kept decoded until one of them changes (see `store::derived`). A carnet page
//! lists a child's mots of the year, each holding the (child, guardian) pairs expected to
//! sign it: decoding them from the store was two thirds of a parent's carnet. Signatures,
//! answers and replies live in their own tables, so a family signing does not rebuild
//! this view; a mot written, a reminder sent or a family's mot read by the teacher does.
//! About 1.5 kB a mot (a class mot with its 25 pupils' signers).

use std::collections::HashMap;
use std::sync::Arc;

use super::{Mot, MOTS};
use crate::store::{Result, Store};

pub struct KeptMots(HashMap<u64, Mot>);

impl KeptMots {
    pub fn get(&self, id: u64) -> Option<&Mot> {
        self.0.get(&id)
    }
}

pub fn mots(store: &Store) -> Result<Arc<KeptMots>> {
    store.derived(&[MOTS.name], |store| {
        Ok(KeptMots(store.scan(&MOTS)?.into_iter().collect()))
    })
}
