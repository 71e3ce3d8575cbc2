//! The store: typed tables over sled, ids, schema version and migrations, blobs.
//!
//! This is the only module that names `sled`. Feature modules declare their own
//! [`Table`]s (name + key type + value type) and go through the methods here, so that
//! swapping the engine means rewriting this folder only. Values are JSON (self-describing:
//! a field added later with `#[serde(default)]` reads old records) and every multi-record
//! change goes through one transaction ([`Store::commit`]) so that secondary indexes never
//! disagree with their records.

pub mod backup;
mod blobs;
mod derived;
pub mod keys;
pub mod migrate;
mod options;
mod scans;

use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::transaction::{
    ConflictableTransactionError, TransactionError, Transactional, TransactionalTree,
    UnabortableTransactionError,
};

pub use blobs::{BlobId, BlobStore};
pub use keys::Key;
pub use options::{StoreOptions, Trigger};

/// Name of the engine folder inside the data folder: the engine version is in the path so
/// that a future engine can live beside it during a conversion.
pub const ENGINE_DIR: &str = "db-sled-0.34";

/// The meta table holds the schema version, counters and small settings.
pub const META: Table<String, serde_json::Value> = Table::new("meta");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("Préau est déjà en cours d'exécution sur le dossier de données {0} : arrêtez le service (« systemctl stop preau ») avant de lancer cette commande.")]
    Locked(PathBuf),
    #[error("la base de données de {path} est illisible ou corrompue ({detail}) ; restaurez la dernière sauvegarde")]
    Corrupt { path: PathBuf, detail: String },
    #[error("ces données ont été écrites par une version plus récente de Préau (schéma {found}, cette version connaît jusqu'au schéma {known}) : installez une version au moins aussi récente")]
    TooNew { found: u64, known: u64 },
    #[error("enregistrement illisible dans la table « {table} » : {detail}")]
    Decode { table: &'static str, detail: String },
    #[error("table inconnue « {0} » (non déclarée dans le schéma)")]
    UnknownTable(&'static str),
    #[error("erreur du moteur de stockage : {0}")]
    Engine(String),
    #[error("erreur d'entrée/sortie : {0}")]
    Io(#[from] std::io::Error),
    /// Internal: a transaction met a concurrent write and must be retried by sled.
    #[error("conflit de transaction")]
    Conflict,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An error a transaction's closure may end with: the store's own, or a caller's type
/// that wraps it (a module's refusals). Any such error aborts the transaction, except the
/// store's conflict, which makes the engine run the closure again.
pub trait TxError: From<StoreError> {
    fn is_conflict(&self) -> bool;
}

impl TxError for StoreError {
    fn is_conflict(&self) -> bool {
        matches!(self, StoreError::Conflict)
    }
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        StoreError::Engine(e.to_string())
    }
}

impl From<UnabortableTransactionError> for StoreError {
    fn from(e: UnabortableTransactionError) -> Self {
        match e {
            UnabortableTransactionError::Conflict => StoreError::Conflict,
            UnabortableTransactionError::Storage(e) => StoreError::Engine(e.to_string()),
        }
    }
}

/// A typed table: its name is its sled tree, its key and value types are fixed here.
pub struct Table<K, V> {
    pub name: &'static str,
    _types: PhantomData<fn() -> (K, V)>,
}

impl<K, V> Table<K, V> {
    pub const fn new(name: &'static str) -> Self {
        Table {
            name,
            _types: PhantomData,
        }
    }

    /// The same records read as `W`, a lighter type naming only some of their fields (the
    /// others are skipped while decoding, never allocated): for pages that list records
    /// and show a line of each. `W` implements `Deserialize` only, so that nothing can
    /// be written back through the view and lose the fields it does not name.
    pub const fn read_as<W: serde::de::DeserializeOwned>(&self) -> Table<K, W> {
        Table::new(self.name)
    }
}

/// The opened store. Cheap to clone (sled handles are reference counted).
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    positions: rustc_hash::FxHashMap<&'static str, usize>,
    names: Vec<&'static str>,
    /// Per table (in the order of `trees`), its trigger if it has one.
    triggers: std::sync::Arc<Vec<Option<Trigger>>>,
    blobs: BlobStore,
    data_dir: PathBuf,
    /// Writers take it shared; a backup takes it exclusive for a consistent export.
    maintenance: std::sync::Arc<std::sync::RwLock<()>>,
    /// Which tables changed, and the views built from them.
    views: std::sync::Arc<derived::Views>,
    /// Records decoded by reads outside transactions, since the store opened: what a page
    /// costs is counted, not timed (the budget tests compare it between school sizes).
    reads: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Store {
    /// Opens (or creates) the store inside `data_dir` with the given tables, without
    /// running migrations. Use [`migrate::open_and_migrate`] for the application.
    pub fn open_raw(
        data_dir: &Path,
        options: &StoreOptions,
        tables: &[&'static str],
    ) -> Result<Store> {
        std::fs::create_dir_all(data_dir)?;
        let path = data_dir.join(ENGINE_DIR);
        let config = sled::Config::new()
            .path(&path)
            .cache_capacity(options.cache_bytes)
            .mode(sled::Mode::LowSpace);
        // A process that just closed the store (a restart, the previous test) may still
        // hold sled's lock for a moment while its flusher thread ends: retry briefly.
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(1500);
        let db = loop {
            // sled 0.34 can panic on some corrupt files instead of returning an error:
            // turn that into one clear message rather than a crash with a backtrace.
            let attempt = config.clone();
            let opened =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || attempt.open()));
            match opened {
                Ok(Ok(db)) => break db,
                Ok(Err(e)) => match open_error(&path, data_dir, e) {
                    StoreError::Locked(_) if std::time::Instant::now() < deadline => {
                        std::thread::sleep(std::time::Duration::from_millis(50));
                    }
                    other => return Err(other),
                },
                Err(_) => {
                    return Err(StoreError::Corrupt {
                        path: path.clone(),
                        detail: "le moteur s'est arrêté à l'ouverture".into(),
                    })
                }
            }
        };
        let mut names: Vec<&'static str> = vec![META.name];
        for t in tables {
            if !names.contains(t) {
                names.push(t);
            }
        }
        let mut trees = Vec::with_capacity(names.len());
        let mut positions = rustc_hash::FxHashMap::default();
        for (i, name) in names.iter().enumerate() {
            trees.push(db.open_tree(name)?);
            positions.insert(*name, i);
        }
        let blobs = BlobStore::open(&data_dir.join("blobs"))?;
        let tables_count = names.len();
        let triggers = names
            .iter()
            .map(|name| {
                options
                    .triggers
                    .iter()
                    .find(|(table, _)| table == name)
                    .map(|(_, trigger)| *trigger)
            })
            .collect();
        Ok(Store {
            db,
            trees,
            positions,
            names,
            triggers: std::sync::Arc::new(triggers),
            blobs,
            data_dir: data_dir.to_path_buf(),
            maintenance: Default::default(),
            views: std::sync::Arc::new(derived::Views::new(tables_count)),
            reads: Default::default(),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn blobs(&self) -> &BlobStore {
        &self.blobs
    }

    /// Every table name known to this store, meta first.
    pub fn table_names(&self) -> &[&'static str] {
        &self.names
    }

    fn tree(&self, name: &'static str) -> Result<&sled::Tree> {
        self.positions
            .get(name)
            .and_then(|i| self.trees.get(*i))
            .ok_or(StoreError::UnknownTable(name))
    }

    /// Number of records read (decoded) through this store's reads since it opened,
    /// transactions excepted.
    pub fn records_read(&self) -> u64 {
        self.reads.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn count_read(&self) {
        self.reads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Reads one record.
    pub fn get<K: Key, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        key: &K,
    ) -> Result<Option<V>> {
        match self.tree(table.name)?.get(key.encode())? {
            Some(bytes) => {
                self.count_read();
                Ok(Some(decode(table.name, &bytes)?))
            }
            None => Ok(None),
        }
    }

    /// All records of a table, in key order.
    pub fn scan<K: Key, V: DeserializeOwned>(&self, table: &Table<K, V>) -> Result<Vec<(K, V)>> {
        self.collect(table, self.tree(table.name)?.iter())
    }

    /// The records whose encoded key starts with `prefix`, in key order.
    pub fn scan_prefix<K: Key, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        prefix: &[u8],
    ) -> Result<Vec<(K, V)>> {
        self.collect(table, self.tree(table.name)?.scan_prefix(prefix))
    }

    /// The records with `from <= key < to`, in key order.
    pub fn scan_range<K: Key, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        from: &K,
        to: &K,
    ) -> Result<Vec<(K, V)>> {
        self.collect(
            table,
            self.tree(table.name)?.range(from.encode()..to.encode()),
        )
    }

    fn collect<K: Key, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        iter: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
    ) -> Result<Vec<(K, V)>> {
        iter.map(|item| self.row(table, item)).collect()
    }

    /// One row read from a table's tree: counted, its key and value decoded.
    /// A record as read by an iterator: its key, and its value (or the part `P` of it).
    fn row<K: Key, V, P: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        item: sled::Result<(sled::IVec, sled::IVec)>,
    ) -> Result<(K, P)> {
        let (k, v) = item?;
        self.count_read();
        Ok((key_of(table, &k)?, decode(table.name, &v)?))
    }

    /// Number of records in a table.
    pub fn count(&self, name: &'static str) -> Result<usize> {
        Ok(self.tree(name)?.len())
    }

    /// Runs `change` in one transaction over every table. The closure may run more than
    /// once (optimistic concurrency), so it must not touch anything outside `Tx`.
    /// Not flushed: use [`Store::commit`] for anything a user is told succeeded.
    pub fn write<T>(&self, change: impl Fn(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        self.write_with(change)
    }

    /// [`Store::write`] whose closure may end with the caller's error type (a refusal).
    pub fn write_with<T, E: TxError>(
        &self,
        change: impl Fn(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let _shared = self.maintenance.read().unwrap_or_else(|e| e.into_inner());
        // The tables the attempt that committed wrote (an attempt may be retried).
        let written = std::cell::RefCell::new(Vec::new());
        let result: std::result::Result<T, TransactionError<E>> =
            self.trees.as_slice().transaction(|views| {
                let mut tx = Tx {
                    views,
                    positions: &self.positions,
                    triggers: &self.triggers,
                    written: vec![false; views.len()],
                };
                let outcome = change(&mut tx).map_err(|e| {
                    if e.is_conflict() {
                        ConflictableTransactionError::Conflict
                    } else {
                        ConflictableTransactionError::Abort(e)
                    }
                });
                *written.borrow_mut() = tx.written;
                outcome
            });
        match result {
            Ok(v) => {
                self.views.bump(&written.borrow());
                Ok(v)
            }
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(StoreError::from(e).into()),
        }
    }

    /// A durable change: the transaction, then a flush to disk before returning.
    pub async fn commit<T>(&self, change: impl Fn(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        self.commit_with(change).await
    }

    /// [`Store::commit`] whose closure may end with the caller's error type (a refusal).
    pub async fn commit_with<T, E: TxError>(
        &self,
        change: impl Fn(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let value = self.write_with(change)?;
        self.flush().await?;
        Ok(value)
    }

    /// [`Store::commit`] for synchronous callers (CLI commands).
    pub fn commit_blocking<T>(&self, change: impl Fn(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        self.commit_blocking_with(change)
    }

    /// [`Store::commit_blocking`] whose closure may end with the caller's error type.
    pub fn commit_blocking_with<T, E: TxError>(
        &self,
        change: impl Fn(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let value = self.write_with(change)?;
        self.db.flush().map_err(StoreError::from)?;
        Ok(value)
    }

    /// Writes every pending change to disk.
    ///
    /// Not sled's `flush_async`: sled 0.34 runs it on its own IO pool of 7 threads, where
    /// each flush waits, holding sled's process-wide lock for reading, for a log write
    /// queued on that same pool. Seven flushes at once (a burst of sign-ins) fill the pool
    /// with waiters, the write never runs, and the next transaction, waiting to take the
    /// lock for writing, blocks every other reader: the store hangs for good (sled issues
    /// 1241 and 1308, fixed on sled's main branch but never released). A blocking flush on
    /// tokio's blocking pool leaves sled's pool free for the log write.
    pub async fn flush(&self) -> Result<()> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || db.flush())
            .await
            .map_err(|e| StoreError::Engine(e.to_string()))??;
        Ok(())
    }

    pub fn flush_blocking(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    /// A meta value (settings, flags), or `None`.
    pub fn meta<V: DeserializeOwned>(&self, key: &str) -> Result<Option<V>> {
        match self.get(&META, &key.to_string())? {
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| StoreError::Decode {
                    table: META.name,
                    detail: format!("{key}: {e}"),
                }),
            None => Ok(None),
        }
    }

    /// The schema version recorded in the data (0 for a new store).
    pub fn schema_version(&self) -> Result<u64> {
        Ok(self.meta::<u64>(migrate::SCHEMA_KEY)?.unwrap_or(0))
    }

    /// Inserts raw bytes into a table (restore only: the store must be empty).
    pub fn raw_insert(&self, table: &str, key: &[u8], value: &[u8]) -> Result<()> {
        let tree = self
            .names
            .iter()
            .position(|n| *n == table)
            .and_then(|i| self.trees.get(i))
            .ok_or_else(|| {
                StoreError::Engine(format!("table inconnue « {table} » dans la sauvegarde"))
            })?;
        tree.insert(key, value)?;
        self.views.bump_all();
        Ok(())
    }

    /// Size of the engine files on disk, in bytes.
    pub fn size_on_disk(&self) -> Result<u64> {
        Ok(self.db.size_on_disk()?)
    }
}

/// A transaction in progress over every table.
pub struct Tx<'a> {
    views: &'a [TransactionalTree],
    positions: &'a rustc_hash::FxHashMap<&'static str, usize>,
    triggers: &'a [Option<Trigger>],
    /// Per table: written by this attempt (the in-memory views built from it go stale).
    written: Vec<bool>,
}

impl Tx<'_> {
    fn view(&self, name: &'static str) -> Result<&TransactionalTree> {
        self.positions
            .get(name)
            .and_then(|i| self.views.get(*i))
            .ok_or(StoreError::UnknownTable(name))
    }

    /// The table's tree, marked as written, and its trigger.
    fn view_to_write(
        &mut self,
        name: &'static str,
    ) -> Result<(&TransactionalTree, Option<Trigger>)> {
        let i = *self
            .positions
            .get(name)
            .ok_or(StoreError::UnknownTable(name))?;
        if let Some(w) = self.written.get_mut(i) {
            *w = true;
        }
        let trigger = self.triggers.get(i).copied().flatten();
        let tree = self.views.get(i).ok_or(StoreError::UnknownTable(name))?;
        Ok((tree, trigger))
    }

    pub fn get<K: Key, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        key: &K,
    ) -> Result<Option<V>> {
        match self.view(table.name)?.get(key.encode())? {
            Some(bytes) => Ok(Some(decode(table.name, &bytes)?)),
            None => Ok(None),
        }
    }

    pub fn put<K: Key, V: Serialize>(
        &mut self,
        table: &Table<K, V>,
        key: &K,
        value: &V,
    ) -> Result<()> {
        let bytes = serde_json::to_vec(value).map_err(|e| StoreError::Engine(e.to_string()))?;
        let key = key.encode();
        match self.view_to_write(table.name)? {
            (tree, None) => {
                tree.insert(key, bytes)?;
            }
            (tree, Some(trigger)) => {
                let before = tree.insert(key.as_slice(), bytes.as_slice())?;
                trigger(self, &key, before.as_deref(), Some(&bytes))?;
            }
        }
        Ok(())
    }

    pub fn remove<K: Key, V>(&mut self, table: &Table<K, V>, key: &K) -> Result<()> {
        let key = key.encode();
        let (tree, trigger) = self.view_to_write(table.name)?;
        let before = tree.remove(key.as_slice())?;
        if let (Some(trigger), Some(before)) = (trigger, before) {
            trigger(self, &key, Some(&before), None)?;
        }
        Ok(())
    }

    /// Next id of a kind of record, from a counter in the meta table: ids survive a
    /// logical export and import (sled's own `generate_id` does not).
    pub fn next_id(&mut self, kind: &str) -> Result<u64> {
        let key = format!("counter:{kind}");
        let current = match self.get(&META, &key)? {
            Some(v) => v.as_u64().unwrap_or(0),
            None => 0,
        };
        let next = current + 1;
        self.put(&META, &key, &serde_json::Value::from(next))?;
        Ok(next)
    }

    pub fn set_meta<V: Serialize>(&mut self, key: &str, value: &V) -> Result<()> {
        let v = serde_json::to_value(value).map_err(|e| StoreError::Engine(e.to_string()))?;
        self.put(&META, &key.to_string(), &v)
    }

    pub fn meta<V: DeserializeOwned>(&self, key: &str) -> Result<Option<V>> {
        match self.get(&META, &key.to_string())? {
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| StoreError::Decode {
                    table: META.name,
                    detail: format!("{key}: {e}"),
                }),
            None => Ok(None),
        }
    }
}

/// A key read from `table`, decoded (an error names the table).
fn key_of<K: Key, V>(table: &Table<K, V>, bytes: &[u8]) -> Result<K> {
    K::decode(bytes).ok_or_else(|| StoreError::Decode {
        table: table.name,
        detail: "clé mal formée".into(),
    })
}

fn decode<V: DeserializeOwned>(table: &'static str, bytes: &[u8]) -> Result<V> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Decode {
        table,
        detail: e.to_string(),
    })
}

fn open_error(path: &Path, data_dir: &Path, e: sled::Error) -> StoreError {
    match e {
        sled::Error::Io(io)
            if io.kind() == std::io::ErrorKind::WouldBlock || io.to_string().contains("lock") =>
        {
            StoreError::Locked(data_dir.to_path_buf())
        }
        sled::Error::Io(io) => StoreError::Io(io),
        sled::Error::Corruption { .. } => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: "fichiers endommagés".into(),
        },
        other => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests;
