//! Free groups (members of any profile) and class delegations (a replacement teacher
//! holds a class until a date): the ties of people beyond their class and family.

use serde::{Deserialize, Serialize};

use super::*;
use crate::refusal::{Failure, Outcome};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Group {
    pub id: u64,
    pub label: String,
    #[serde(default)]
    pub description: String,
}

pub fn create_group(tx: &mut Tx<'_>, label: &str, description: &str) -> Result<u64> {
    let id = tx.next_id("group")?;
    tx.put(
        &GROUPS,
        &id,
        &Group {
            id,
            label: label.trim().to_string(),
            description: description.trim().to_string(),
        },
    )?;
    Ok(id)
}

pub fn groups(store: &Store) -> Result<Vec<Group>> {
    Ok(People::load(store)?.groups.clone())
}

pub fn group(store: &Store, id: u64) -> Result<Option<Group>> {
    Ok(People::load(store)?.group(id).cloned())
}

pub fn add_to_group(tx: &mut Tx<'_>, group: u64, user: u64) -> Outcome<()> {
    if tx.get(&GROUPS, &group)?.is_none() {
        return Err(Failure::refused("Ce groupe n'existe pas."));
    }
    tx.put(&GROUP_MEMBERS, &(group, user), &())?;
    Ok(tx.put(&USER_GROUPS, &(user, group), &())?)
}

pub fn remove_from_group(tx: &mut Tx<'_>, group: u64, user: u64) -> Result<()> {
    tx.remove(&GROUP_MEMBERS, &(group, user))?;
    tx.remove(&USER_GROUPS, &(user, group))
}

/// The members of a group, sorted by name.
pub fn group_members(store: &Store, group: u64) -> Result<Vec<User>> {
    let people = People::load(store)?;
    let members = people.group_members(group);
    Ok(people
        .by_name
        .iter()
        .filter(|id| members.contains(id))
        .filter_map(|id| people.user(*id).cloned())
        .collect())
}

pub fn group_members_ids(store: &Store, group: u64) -> Result<Vec<u64>> {
    Ok(People::load(store)?.group_members(group).to_vec())
}

pub fn groups_of(store: &Store, user: u64) -> Result<Vec<u64>> {
    let mut ids = People::load(store)?.groups_of(user).to_vec();
    ids.sort_unstable();
    Ok(ids)
}

/// Deletes a group and its memberships.
pub fn delete_group(store: &Store, id: u64) -> Result<()> {
    let members: Vec<u64> = store
        .scan_prefix(&GROUP_MEMBERS, &id.encode())?
        .into_iter()
        .map(|((_, u), ())| u)
        .collect();
    store.commit_blocking(|tx| {
        for u in &members {
            remove_from_group(tx, id, *u)?;
        }
        tx.remove(&GROUPS, &id)
    })
}

/// A class given to someone (a replacement teacher) until a date.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Delegation {
    /// End of the delegation (microseconds; the delegation is over after it).
    pub until: i64,
    pub granted_by: u64,
    pub granted_at: i64,
}

pub fn delegate_class(
    tx: &mut Tx<'_>,
    class_id: u64,
    user_id: u64,
    delegation: &Delegation,
) -> Outcome<()> {
    if tx.get(&CLASSES, &class_id)?.is_none() {
        return Err(Failure::refused("Cette classe n'existe pas."));
    }
    Ok(tx.put(&DELEGATIONS, &(user_id, class_id), delegation)?)
}

pub fn end_delegation(tx: &mut Tx<'_>, class_id: u64, user_id: u64) -> Result<()> {
    tx.remove(&DELEGATIONS, &(user_id, class_id))
}

/// Delegations of a class still running at `now`.
pub fn delegations_of_class(
    store: &Store,
    class_id: u64,
    now: i64,
) -> Result<Vec<(User, Delegation)>> {
    let mut out = Vec::new();
    for ((uid, class), d) in store.scan(&DELEGATIONS)? {
        if class == class_id && d.until > now {
            if let Some(u) = store.get(&USERS, &uid)? {
                out.push((u, d));
            }
        }
    }
    Ok(out)
}

/// Classes a person holds by a delegation still running at `now`.
pub fn delegated_classes(store: &Store, user_id: u64, now: i64) -> Result<Vec<u64>> {
    Ok(People::load(store)?.delegated_classes(user_id, now))
}

/// Every delegation: person → (class, end).
pub fn all_delegations(store: &Store) -> Result<std::collections::HashMap<u64, Vec<(u64, i64)>>> {
    let mut out: std::collections::HashMap<u64, Vec<(u64, i64)>> = Default::default();
    for ((user_id, class_id), d) in store.scan(&DELEGATIONS)? {
        out.entry(user_id).or_default().push((class_id, d.until));
    }
    Ok(out)
}

/// Removes delegations that have ended (periodic job).
pub fn purge_delegations(store: &Store, now: i64) -> Result<usize> {
    let ended: Vec<(u64, u64)> = store
        .scan(&DELEGATIONS)?
        .into_iter()
        .filter(|(_, d)| d.until <= now)
        .map(|(k, _)| k)
        .collect();
    if !ended.is_empty() {
        store.commit_blocking(|tx| {
            for k in &ended {
                tx.remove(&DELEGATIONS, k)?;
            }
            Ok(())
        })?;
    }
    Ok(ended.len())
}
