//! The mots each guardian still has to sign (schema 5): written at publication for every
//! (pupil, guardian) expected to sign, removed with the signature. The home page and the
//! carnet's « à signer » read a guardian's few pending mots, not every mot of each child's
//! year.

use super::{follow, MOTS};
use crate::store::{Key, Result, Store, Table, Tx};

/// (guardian, mot, pupil): a signature still expected.
pub const TO_SIGN: Table<(u64, u64, u64), ()> = Table::new("mots_to_sign");

/// At publication: `guardian` is expected to sign mot `mot` for `pupil`.
pub fn expect(tx: &mut Tx<'_>, mot: u64, pupil: u64, guardian: u64) -> Result<()> {
    tx.put(&TO_SIGN, &(guardian, mot, pupil), &())
}

/// A first signature of `guardian` for `pupil`: counted on the mot, out of the pending ones.
pub fn record_signature(tx: &mut Tx<'_>, mot: u64, pupil: u64, guardian: u64) -> Result<()> {
    follow::count_signature(tx, mot)?;
    tx.remove(&TO_SIGN, &(guardian, mot, pupil))
}

/// (mot, pupil) of the signatures `guardian` still owes, oldest mot first.
pub fn of_guardian(store: &Store, guardian: u64) -> Result<Vec<(u64, u64)>> {
    Ok(store
        .scan_prefix(&TO_SIGN, &guardian.encode())?
        .into_iter()
        .map(|((_, mot, pupil), ())| (mot, pupil))
        .collect())
}

/// A deleted account owes nothing any more (its signatures made stay, with the mots).
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let keys: Vec<(u64, u64, u64)> = store
        .scan_prefix(&TO_SIGN, &user.encode())?
        .into_iter()
        .map(|(k, ())| k)
        .collect();
    Ok(Box::new(move |tx| {
        for k in &keys {
            tx.remove(&TO_SIGN, k)?;
        }
        Ok(())
    }))
}

/// Schema 5: the pending signatures of the mots published before it.
pub fn migrate_v5(store: &Store) -> Result<()> {
    let mots: Vec<(u64, Vec<(u64, u64)>)> = store
        .scan(&MOTS)?
        .into_iter()
        .map(|(id, m)| (id, m.signers))
        .collect();
    for chunk in mots.chunks(100) {
        store.commit_blocking(|tx| {
            for (id, signers) in chunk {
                for (pupil, guardian) in signers {
                    let signed = tx
                        .get(&super::ACKS, &(*id, *pupil, *guardian))?
                        .is_some_and(|a| a.signed_at.is_some());
                    if !signed {
                        expect(tx, *id, *pupil, *guardian)?;
                    }
                }
            }
            Ok(())
        })?;
    }
    Ok(())
}
