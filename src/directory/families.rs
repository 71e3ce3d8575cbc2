//! Pupils' and guardians' records from ONDE, their indexes, and the family links.

use super::*;

/// A pupil leaving the school: account disabled, deletion scheduled (RGPD: 3 months).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Leaving {
    pub since: i64,
    pub delete_after: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PupilRecord {
    pub user_id: u64,
    #[serde(default)]
    pub ine: Option<String>,
    pub birth_date: String,
    #[serde(default)]
    pub sex: Option<String>,
    #[serde(default)]
    pub level: Option<Level>,
    #[serde(default)]
    pub cycle: Option<String>,
    #[serde(default)]
    pub onde_class_id: Option<String>,
    /// « Autorisation photo » as declared at enrolment (information only: a project's
    /// image consent is asked separately).
    #[serde(default)]
    pub photo_consent_declared: Option<bool>,
    #[serde(default)]
    pub leaving: Option<Leaving>,
    /// Picture shown beside the first name on the class login board.
    #[serde(default)]
    pub avatar: Option<u8>,
    /// bcrypt hash of the picture password (a sequence of 3 pictures), for pupils who
    /// cannot read yet.
    #[serde(default)]
    pub picture_hash: Option<String>,
    /// SHA-256 of the secret in the QR code of the pupil's login card (school network
    /// only); reprinting the card replaces it.
    #[serde(default)]
    pub card_token_hash: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct GuardianRecord {
    pub user_id: u64,
    #[serde(default)]
    pub civility: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

/// Key of the identity index.
pub fn identity_key(last_name: &str, first_name: &str, birth_date: &str) -> String {
    format!("{}|{}|{}", fold(last_name), fold(first_name), birth_date)
}

pub fn pupil(store: &Store, user_id: u64) -> Result<Option<PupilRecord>> {
    Ok(pupil_records(store)?.get(user_id).cloned())
}

/// Every pupil's record, kept decoded until one of them changes (see `store::derived`):
/// a class page shows each pupil's photo consent and login picture, and reading 25
/// records from the store was a third of its time. About 300 bytes a pupil.
pub struct PupilRecords(std::collections::HashMap<u64, PupilRecord>);

impl PupilRecords {
    pub fn get(&self, user_id: u64) -> Option<&PupilRecord> {
        self.0.get(&user_id)
    }
}

pub fn pupil_records(store: &Store) -> Result<std::sync::Arc<PupilRecords>> {
    store.derived(&[PUPILS.name], |store| {
        Ok(PupilRecords(store.scan(&PUPILS)?.into_iter().collect()))
    })
}

pub fn pupil_by_ine(store: &Store, ine: &str) -> Result<Option<u64>> {
    store.get(&PUPIL_BY_INE, &ine.to_uppercase())
}

pub fn pupil_by_identity(
    store: &Store,
    last_name: &str,
    first_name: &str,
    birth_date: &str,
) -> Result<Option<u64>> {
    store.get(
        &PUPIL_BY_IDENTITY,
        &identity_key(last_name, first_name, birth_date),
    )
}

/// Writes a pupil's record and its indexes.
pub fn save_pupil(tx: &mut Tx<'_>, user: &User, record: &PupilRecord) -> Outcome<()> {
    if let Some(old) = tx.get(&PUPILS, &record.user_id)? {
        if let Some(ine) = &old.ine {
            tx.remove(&PUPIL_BY_INE, ine)?;
        }
        if let Some(card) = &old.card_token_hash {
            tx.remove(&PUPIL_BY_CARD, card)?;
        }
        if let Some(old_user) = tx.get(&USERS, &record.user_id)? {
            tx.remove(
                &PUPIL_BY_IDENTITY,
                &identity_key(&old_user.last_name, &old_user.first_name, &old.birth_date),
            )?;
        }
    }
    if let Some(ine) = &record.ine {
        if let Some(other) = tx.get(&PUPIL_BY_INE, ine)? {
            if other != record.user_id {
                return Err(Failure::refused(format!(
                    "L'INE {ine} appartient déjà à un autre élève."
                )));
            }
        }
        tx.put(&PUPIL_BY_INE, ine, &record.user_id)?;
    }
    if let Some(card) = &record.card_token_hash {
        tx.put(&PUPIL_BY_CARD, card, &record.user_id)?;
    }
    tx.put(
        &PUPIL_BY_IDENTITY,
        &identity_key(&user.last_name, &user.first_name, &record.birth_date),
        &record.user_id,
    )?;
    Ok(tx.put(&PUPILS, &record.user_id, record)?)
}

pub fn guardian(store: &Store, user_id: u64) -> Result<Option<GuardianRecord>> {
    store.get(&GUARDIANS, &user_id)
}

pub fn save_guardian(tx: &mut Tx<'_>, record: &GuardianRecord) -> Result<()> {
    tx.put(&GUARDIANS, &record.user_id, record)
}

pub fn link_parent(tx: &mut Tx<'_>, parent: u64, child: u64) -> Result<()> {
    tx.put(&PARENT_CHILD, &(parent, child), &())?;
    tx.put(&CHILD_PARENT, &(child, parent), &())
}

pub fn unlink_parent(tx: &mut Tx<'_>, parent: u64, child: u64) -> Result<()> {
    tx.remove(&PARENT_CHILD, &(parent, child))?;
    tx.remove(&CHILD_PARENT, &(child, parent))
}

/// Children of a guardian (user ids).
pub fn children_of(store: &Store, parent: u64) -> Result<Vec<u64>> {
    let mut ids = People::load(store)?.children_of(parent).to_vec();
    ids.sort_unstable();
    Ok(ids)
}

/// Guardians of a pupil (user ids).
/// The level of every pupil whose record has one (CP, CE1…).
pub fn pupil_levels(store: &Store) -> Result<std::collections::HashMap<u64, Level>> {
    Ok(store
        .scan(&PUPILS)?
        .into_iter()
        .filter_map(|(id, p)| p.level.map(|l| (id, l)))
        .collect())
}

/// Every (parent, child) link.
pub fn all_links(store: &Store) -> Result<Vec<(u64, u64)>> {
    Ok(store
        .scan(&PARENT_CHILD)?
        .into_iter()
        .map(|(k, ())| k)
        .collect())
}

pub fn parents_of(store: &Store, child: u64) -> Result<Vec<u64>> {
    let mut ids = People::load(store)?.parents_of(child).to_vec();
    ids.sort_unstable();
    Ok(ids)
}
