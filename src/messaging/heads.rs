//! What a folder's list shows of a message (schema 7), kept beside the message: its
//! author, subject, recipients' targets, date, state, number of attachments and the line
//! of its text. A list of 30 messages used to decode 30 whole messages and parse each
//! text's Markdown for that line (half of an inbox page's time); it now reads 30 small
//! heads. `records::write` and `records::remove` keep the head with its message.

use serde::{Deserialize, Serialize};

use super::{Message, State, Target, MESSAGES};
use crate::store::{Result, Store, Table, Tx};
use crate::ui::richtext;

/// Characters of the text shown under a message's subject in a list.
pub const PREVIEW_CHARS: usize = 90;

/// Message → its head.
pub const HEADS: Table<u64, Head> = Table::new("message_heads");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Head {
    pub id: u64,
    pub author: u64,
    pub subject: String,
    pub to: Vec<Target>,
    pub attachments: usize,
    /// When it was sent, or written for a draft.
    pub date: i64,
    pub state: State,
    /// The start of the text, plain (Markdown removed), « … » when cut.
    pub preview: String,
}

impl Head {
    pub fn of(m: &Message) -> Head {
        Head {
            id: m.id,
            author: m.author,
            subject: m.subject.clone(),
            to: m.to.clone(),
            attachments: m.attachments.len(),
            date: m.date(),
            state: m.state.clone(),
            preview: richtext::preview(&m.body, PREVIEW_CHARS),
        }
    }
}

pub(super) fn write(tx: &mut Tx<'_>, m: &Message) -> Result<()> {
    tx.put(&HEADS, &m.id, &Head::of(m))
}

pub(super) fn remove(tx: &mut Tx<'_>, id: u64) -> Result<()> {
    tx.remove(&HEADS, &id)
}

/// The head of message `id`, made from the message itself if it has none (cannot happen
/// after schema 7's migration; a list never loses a line for it).
pub fn get(store: &Store, id: u64) -> Result<Option<Head>> {
    if let Some(head) = store.get(&HEADS, &id)? {
        return Ok(Some(head));
    }
    Ok(store.get(&MESSAGES, &id)?.map(|m| Head::of(&m)))
}

/// Schema 7: every message kept before gets its head.
pub fn migrate_v7(store: &Store) -> Result<()> {
    let ids: Vec<u64> = store
        .scan(&super::records::MESSAGE_IDS)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    crate::store::migrate::in_batches(store, &ids, 200, |tx, id| match tx.get(&MESSAGES, id)? {
        Some(m) => write(tx, &m),
        None => Ok(()),
    })
}
