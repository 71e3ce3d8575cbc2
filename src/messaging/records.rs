//! How a message is kept (schema 5): the record holds what a list or a page shows; the
//! people it went to are kept apart, because a message to the whole school names
//! thousands of them and every inbox listing it would otherwise decode that list; the
//! messages of a conversation are found through an index by thread, not by reading the
//! person's whole mailbox; a list reads the message's head (`heads.rs`). Every write and
//! removal of a message goes through here so that the four stay together.

use serde::{Deserialize, Serialize};

use super::{Message, MAILBOX, MESSAGES, PENDING};
use crate::store::{Key, Result, Store, Table, Tx};

/// Who received a message, fixed at delivery.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Recipients {
    /// Everyone who received it, blind copies included.
    pub all: Vec<u64>,
    /// Those of `all` who were in blind copy: only the author sees them.
    #[serde(default)]
    pub bcc: Vec<u64>,
}

/// Message → who received it. Read by delivery, erasure and the approval of a held message.
pub const RECIPIENTS: Table<u64, Recipients> = Table::new("message_recipients");
/// (thread, message) → (): the messages of each conversation.
pub const THREADS: Table<(u64, u64), ()> = Table::new("message_threads");

/// Writes a message (new or changed) and its place in its conversation.
pub fn write(tx: &mut Tx<'_>, m: &Message) -> Result<()> {
    tx.put(&MESSAGES, &m.id, m)?;
    super::heads::write(tx, m)?;
    tx.put(&THREADS, &(m.thread, m.id), &())
}

/// Removes a message with its recipients and its place in its conversation.
pub fn remove(tx: &mut Tx<'_>, m: &Message) -> Result<()> {
    tx.remove(&MESSAGES, &m.id)?;
    super::heads::remove(tx, m.id)?;
    tx.remove(&RECIPIENTS, &m.id)?;
    tx.remove(&PENDING, &m.id)?;
    tx.remove(&THREADS, &(m.thread, m.id))
}

pub fn set_recipients(tx: &mut Tx<'_>, id: u64, who: &Recipients) -> Result<()> {
    tx.put(&RECIPIENTS, &id, who)
}

pub fn recipients_in(tx: &Tx<'_>, id: u64) -> Result<Recipients> {
    Ok(tx.get(&RECIPIENTS, &id)?.unwrap_or_default())
}

/// The ids of a conversation's messages, oldest first (ids grow as messages are written).
pub fn thread_ids(store: &Store, thread: u64) -> Result<Vec<u64>> {
    Ok(store
        .scan_prefix(&THREADS, &thread.encode())?
        .into_iter()
        .map(|((_, id), ())| id)
        .collect())
}

/// What schema 4 kept inside a message: the same records, read for these two lists only.
#[derive(Deserialize)]
struct OldLists {
    #[serde(default)]
    recipients: Vec<u64>,
    #[serde(default)]
    bcc_users: Vec<u64>,
}

const OLD_MESSAGES: Table<u64, OldLists> = Table::new("messages");
/// The same records again, for their ids only (the values are skipped, not decoded).
pub(super) const MESSAGE_IDS: Table<u64, serde::de::IgnoredAny> = Table::new("messages");

/// Schema 5: each message's recipients move to their own table (and a blind copy is
/// marked on its holder's mailbox entry), and each message joins its thread's index.
pub fn migrate_v5(store: &Store) -> Result<()> {
    let ids: Vec<u64> = store
        .scan(&MESSAGE_IDS)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    crate::store::migrate::in_batches(store, &ids, 200, |tx, id| {
        let (Some(old), Some(m)) = (tx.get(&OLD_MESSAGES, id)?, tx.get(&MESSAGES, id)?) else {
            return Ok(());
        };
        if !old.recipients.is_empty() {
            let who = Recipients {
                all: old.recipients.clone(),
                bcc: old.bcc_users.clone(),
            };
            set_recipients(tx, *id, &who)?;
        }
        for hidden in &old.bcc_users {
            if let Some(mut e) = tx.get(&MAILBOX, &(*hidden, *id))? {
                e.bcc = true;
                tx.put(&MAILBOX, &(*hidden, *id), &e)?;
            }
        }
        // Written again without the lists.
        write(tx, &m)
    })
}
