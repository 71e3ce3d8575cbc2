//! The application's schema: every table of every module, and the ordered migrations.
//! A module that adds tables lists them here; a change of record layout that old data
//! cannot read with `#[serde(default)]` adds a migration at the end of [`MIGRATIONS`].

use crate::config::Settings;
use crate::store::migrate::{self, Migration};
use crate::store::{Result, Store};

/// Every table, by module.
pub fn tables() -> Vec<&'static str> {
    [
        crate::school::TABLES,
        crate::directory::TABLES,
        crate::auth::TABLES,
        crate::setup::TABLES,
        crate::activation::TABLES,
        crate::notify::TABLES,
        crate::messaging::TABLES,
        crate::liaison::TABLES,
        crate::media::TABLES,
        crate::news::TABLES,
        crate::blog::TABLES,
        crate::agenda::TABLES,
        crate::pedagogy::textbook::TABLES,
        crate::pedagogy::homework::TABLES,
        crate::pedagogy::lessons::TABLES,
        crate::pedagogy::exercises::TABLES,
        crate::reports::TABLES,
        &[crate::notify::mail::SETTINGS.name],
    ]
    .concat()
}

fn initial(_: &Store) -> Result<()> {
    // Version 1 is the first layout: its tables are created empty when the store opens.
    Ok(())
}

/// Order matters: add new migrations at the end, never change a released one.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "schéma initial",
        run: initial,
    },
    Migration {
        version: 2,
        description: "index des comptes par profil",
        run: crate::directory::migrate_v2_index_by_profile,
    },
    Migration {
        version: 3,
        description: "index des classes de chaque personne",
        run: crate::directory::migrate_v3_user_classes,
    },
];

pub fn current_version() -> u64 {
    migrate::latest(MIGRATIONS)
}

/// Opens the data folder's store at the current schema.
pub fn open(settings: &Settings) -> Result<Store> {
    migrate::open_and_migrate(
        &settings.data_dir,
        &settings.store_options(),
        &tables(),
        MIGRATIONS,
    )
}

/// Every blob a record refers to, in every module that keeps files.
pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    let mut all = crate::media::referenced_blobs(store)?;
    all.extend(crate::messaging::referenced_blobs(store)?);
    all.extend(crate::liaison::referenced_blobs(store)?);
    all.extend(crate::news::referenced_blobs(store)?);
    all.extend(crate::blog::referenced_blobs(store)?);
    all.extend(crate::pedagogy::textbook::referenced_blobs(store)?);
    all.extend(crate::pedagogy::homework::referenced_blobs(store)?);
    all.extend(crate::pedagogy::lessons::referenced_blobs(store)?);
    all.extend(crate::pedagogy::exercises::referenced_blobs(store)?);
    Ok(all)
}

/// Deletes the blobs no record refers to any more (a file removed from the médiathèque,
/// the attachments of purged messages). A blob younger than a day is kept: its record
/// may be in the making (an upload finishing, a draft about to be saved).
pub fn sweep_blobs(store: &Store, now: i64) -> Result<usize> {
    let keep = referenced_blobs(store)?;
    let day = std::time::Duration::from_secs(86_400);
    let now = std::time::UNIX_EPOCH + std::time::Duration::from_micros(now.max(0) as u64);
    let mut removed = 0;
    for (id, modified) in store.blobs().all()? {
        let young = now
            .duration_since(modified)
            .map(|age| age < day)
            .unwrap_or(true);
        if !young && !keep.contains(id.as_str()) {
            store.blobs().remove(&id)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Integrity problems found (empty when everything agrees).
pub fn check(store: &Store) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let version = store.schema_version()?;
    if version != current_version() {
        problems.push(format!(
            "version du schéma {version}, attendue {}",
            current_version()
        ));
    }
    problems.extend(crate::directory::check(store)?);
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_one_by_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as u64 + 1, "{}", m.description);
        }
    }

    #[test]
    fn table_names_are_unique() {
        let t = tables();
        let mut sorted = t.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), t.len());
    }
}
