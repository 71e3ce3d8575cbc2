//! Who writes the menus besides the commune and the director: the school staff they name
//! (an ATSEM, the canteen's cook on a périscolaire account), for the menus only — never
//! the services, the sign-ups or the counts.

use crate::store::{Result, Store, Table, Tx};

/// The people named to write the menus (person → nothing).
pub const MENU_EDITORS: Table<u64, ()> = Table::new("canteen_menu_editors");

pub fn is_editor(store: &Store, user: u64) -> Result<bool> {
    Ok(store.get(&MENU_EDITORS, &user)?.is_some())
}

pub fn editors(store: &Store) -> Result<Vec<u64>> {
    Ok(store
        .scan(&MENU_EDITORS)?
        .into_iter()
        .map(|(id, ())| id)
        .collect())
}

/// Replaces the list: `before` is what was read, `after` what the manager ticked.
pub fn replace(tx: &mut Tx<'_>, before: &[u64], after: &[u64]) -> Result<()> {
    for id in before.iter().filter(|id| !after.contains(id)) {
        tx.remove(&MENU_EDITORS, id)?;
    }
    for id in after {
        tx.put(&MENU_EDITORS, id, &())?;
    }
    Ok(())
}
