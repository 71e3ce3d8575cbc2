//! Schema version and ordered migrations.
//!
//! The data carries the number of the last migration applied. Opening runs the missing
//! ones in order, each followed by a flush, and refuses data written by a newer Préau.

use std::path::Path;

use super::{Result, Store, StoreError, StoreOptions, Tx};

pub const SCHEMA_KEY: &str = "schema_version";

/// One step of the schema. `version` is the schema number reached once it has run.
pub struct Migration {
    pub version: u64,
    pub description: &'static str,
    pub run: fn(&Store) -> Result<()>,
}

/// Runs `step` on each key, committing every `per_commit` keys: a migration over a whole
/// table holds neither one huge transaction nor one flush per record.
pub fn in_batches<K>(
    store: &Store,
    keys: &[K],
    per_commit: usize,
    step: impl Fn(&mut Tx<'_>, &K) -> Result<()>,
) -> Result<()> {
    for batch in keys.chunks(per_commit.max(1)) {
        store.commit_blocking(|tx| {
            for key in batch {
                step(tx, key)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// The schema version a list of migrations leads to.
pub fn latest(migrations: &[Migration]) -> u64 {
    migrations.last().map(|m| m.version).unwrap_or(0)
}

/// Opens the store and brings it to the latest schema.
pub fn open_and_migrate(
    data_dir: &Path,
    options: &StoreOptions,
    tables: &[&'static str],
    migrations: &[Migration],
) -> Result<Store> {
    open_at_version(data_dir, options, tables, migrations, latest(migrations))
}

/// Opens the store and applies migrations up to `target` only (tests use it to make
/// data "written by an older Préau").
pub fn open_at_version(
    data_dir: &Path,
    options: &StoreOptions,
    tables: &[&'static str],
    migrations: &[Migration],
    target: u64,
) -> Result<Store> {
    let store = Store::open_raw(data_dir, options, tables)?;
    let found = store.schema_version()?;
    let known = latest(migrations);
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    if found > 0 && found < target.min(known) {
        // A migration rewrites data written by an older Préau: keep a copy first.
        let dir = data_dir.join("sauvegardes");
        std::fs::create_dir_all(&dir)?;
        let now = jiff::Timestamp::now();
        let dest = dir.join(format!(
            "avant-migration-schema-{found}-{}.tar",
            now.as_second()
        ));
        store.backup_to(&dest, now.as_microsecond())?;
        tracing::info!("sauvegarde avant migration : {}", dest.display());
    }
    for m in migrations
        .iter()
        .filter(|m| m.version > found && m.version <= target)
    {
        tracing::info!(
            version = m.version,
            "migration du schéma : {}",
            m.description
        );
        (m.run)(&store)?;
        store.commit_blocking(|tx| tx.set_meta(SCHEMA_KEY, &m.version))?;
    }
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noop(_: &Store) -> Result<()> {
        Ok(())
    }

    const STEPS: &[Migration] = &[
        Migration {
            version: 1,
            description: "un",
            run: noop,
        },
        Migration {
            version: 2,
            description: "deux",
            run: noop,
        },
    ];

    #[test]
    fn new_store_reaches_latest_and_newer_data_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = open_and_migrate(dir.path(), &StoreOptions::default(), &[], STEPS).unwrap();
            assert_eq!(store.schema_version().unwrap(), 2);
        }
        match open_and_migrate(dir.path(), &StoreOptions::default(), &[], &STEPS[..1]) {
            Err(StoreError::TooNew { found: 2, known: 1 }) => {}
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("data from a newer schema must be refused"),
        }
    }
}
