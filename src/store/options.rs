//! How the store is opened: the engine's cache and the tables' triggers.

use super::{Result, Tx};

/// What a table's change sets off inside the transaction that makes it: the record's
/// encoded key and its bytes before and after (`None`: absent). It writes what is derived
/// from the record (the search index) in the same commit, so the two never disagree, even
/// after a crash; it must not change the table it is attached to.
pub type Trigger =
    fn(&mut Tx<'_>, key: &[u8], before: Option<&[u8]>, after: Option<&[u8]>) -> Result<()>;

/// Engine settings.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Upper bound of sled's page cache, in bytes.
    pub cache_bytes: u64,
    /// The triggers of the tables that have one, by table name.
    pub triggers: Vec<(&'static str, Trigger)>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            cache_bytes: 128 * 1024 * 1024,
            triggers: Vec::new(),
        }
    }
}
