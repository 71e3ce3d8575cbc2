//! Levels, classes and memberships (with the mirror index by person).

use super::*;

/// School levels and dispositifs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
pub enum Level {
    TPS,
    PS,
    MS,
    GS,
    CP,
    CE1,
    CE2,
    CM1,
    CM2,
    ULIS,
    UPE2A,
}

impl Level {
    pub const ALL: [Level; 11] = [
        Level::TPS,
        Level::PS,
        Level::MS,
        Level::GS,
        Level::CP,
        Level::CE1,
        Level::CE2,
        Level::CM1,
        Level::CM2,
        Level::ULIS,
        Level::UPE2A,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Level::TPS => "TPS",
            Level::PS => "PS",
            Level::MS => "MS",
            Level::GS => "GS",
            Level::CP => "CP",
            Level::CE1 => "CE1",
            Level::CE2 => "CE2",
            Level::CM1 => "CM1",
            Level::CM2 => "CM2",
            Level::ULIS => "ULIS",
            Level::UPE2A => "UPE2A",
        }
    }

    pub fn from_code(text: &str) -> Option<Level> {
        let t = text.trim().to_uppercase();
        Level::ALL.into_iter().find(|l| l.code() == t)
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::TPS => "Toute petite section",
            Level::PS => "Petite section",
            Level::MS => "Moyenne section",
            Level::GS => "Grande section",
            Level::CP => "Cours préparatoire",
            Level::CE1 => "Cours élémentaire 1",
            Level::CE2 => "Cours élémentaire 2",
            Level::CM1 => "Cours moyen 1",
            Level::CM2 => "Cours moyen 2",
            Level::ULIS => "Dispositif ULIS",
            Level::UPE2A => "Dispositif UPE2A",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Class {
    pub id: u64,
    pub label: String,
    pub levels: Vec<Level>,
    /// The class identifier in ONDE, when the class came from an import.
    #[serde(default)]
    pub onde_id: Option<String>,
}

impl Class {
    pub fn levels_text(&self) -> String {
        self.levels
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join("-")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    Teacher,
    Pupil,
    /// ATSEM attached to a maternelle class.
    Assistant,
}

pub fn create_class(tx: &mut Tx<'_>, label: &str, levels: &[Level]) -> Result<u64> {
    let id = tx.next_id("class")?;
    tx.put(
        &CLASSES,
        &id,
        &Class {
            id,
            label: label.trim().to_string(),
            levels: levels.to_vec(),
            onde_id: None,
        },
    )?;
    Ok(id)
}

pub fn save_class(tx: &mut Tx<'_>, class: &Class) -> Result<()> {
    tx.put(&CLASSES, &class.id, class)
}

// The reads below answer from the directory's snapshot in memory (`People::load`).

pub fn class(store: &Store, id: u64) -> Result<Option<Class>> {
    Ok(People::load(store)?.class(id).cloned())
}

/// Classes sorted by their first level then label.
pub fn classes(store: &Store) -> Result<Vec<Class>> {
    Ok(People::load(store)?.classes.clone())
}

/// Removes a class with no members left.
pub fn delete_class(tx: &mut Tx<'_>, id: u64, member_count: usize) -> Outcome<()> {
    if member_count > 0 {
        return Err(Failure::refused(
            "Cette classe a encore des membres : retirez-les avant de la supprimer.",
        ));
    }
    super::openings::forget_class(tx, id)?;
    Ok(tx.remove(&CLASSES, &id)?)
}

pub fn add_member(tx: &mut Tx<'_>, class_id: u64, user_id: u64, role: Membership) -> Outcome<()> {
    if tx.get(&CLASSES, &class_id)?.is_none() {
        return Err(Failure::refused("Cette classe n'existe pas."));
    }
    Ok(put_member(tx, class_id, user_id, role)?)
}

/// Writes a membership and its mirror.
pub fn put_member(tx: &mut Tx<'_>, class_id: u64, user_id: u64, role: Membership) -> Result<()> {
    tx.put(&CLASS_MEMBERS, &(class_id, user_id), &role)?;
    tx.put(&USER_CLASSES, &(user_id, class_id), &())
}

pub fn remove_member(tx: &mut Tx<'_>, class_id: u64, user_id: u64) -> Result<()> {
    tx.remove(&CLASS_MEMBERS, &(class_id, user_id))?;
    tx.remove(&USER_CLASSES, &(user_id, class_id))
}

/// Members of a class with their role.
/// Members of a class with their role, sorted by name.
pub fn members(store: &Store, class_id: u64) -> Result<Vec<(User, Membership)>> {
    let people = People::load(store)?;
    Ok(people
        .class_members
        .get(&class_id)
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .filter_map(|(u, role)| Some((people.user(*u)?.clone(), *role)))
        .collect())
}

/// Classes a person belongs to or teaches, in id order.
pub fn classes_of(store: &Store, user_id: u64) -> Result<Vec<u64>> {
    let mut ids = People::load(store)?.classes_of(user_id).to_vec();
    ids.sort_unstable();
    Ok(ids)
}

/// Schema version 3: the mirror index of memberships by person, built from the
/// memberships by class.
pub fn migrate_v3_user_classes(store: &Store) -> Result<()> {
    let memberships = store.scan(&CLASS_MEMBERS)?;
    store.commit_blocking(|tx| {
        for ((class_id, user_id), _) in &memberships {
            tx.put(&USER_CLASSES, &(*user_id, *class_id), &())?;
        }
        Ok(())
    })
}
