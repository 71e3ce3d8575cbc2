//! What a folder's list shows of a message (schema 7), kept beside the message: its
//! author, subject, recipients' targets, date, state, number of attachments and the line
//! of its text. A list of 30 messages used to decode 30 whole messages and parse each
//! text's Markdown for that line (half of an inbox page's time); it now reads 30 small
//! heads. `records::write` and `records::remove` keep the head with its message.

use std::sync::Mutex;

use rustc_hash::FxHashMap;
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

/// Heads already decoded, for as long as no message changes: a message sent to a class
/// shows the same head in every family's list, page after page, and reading and decoding
/// it cost as much as the rest of its line (issue 15). Each change of the messages' tables
/// brings a new, empty shelf (`Store::derived`); a head read before a change lands in a
/// shelf no page asks any more. Reading a message (its mailbox entry) does not empty it.
#[derive(Default)]
struct Shelf(Mutex<FxHashMap<u64, Head>>);

/// Heads kept at most (a few hundred bytes each).
const SHELF_MOST: usize = 4_096;

/// The head of message `id`, made from the message itself if it has none (cannot happen
/// after schema 7's migration; a list never loses a line for it).
pub fn get(store: &Store, id: u64) -> Result<Option<Head>> {
    let shelf = store.derived(&[HEADS.name, MESSAGES.name], |_| Ok(Shelf::default()))?;
    if let Some(head) = shelf.lock().get(&id) {
        return Ok(Some(head.clone()));
    }
    let head = match store.get(&HEADS, &id)? {
        Some(head) => Some(head),
        None => store.get(&MESSAGES, &id)?.map(|m| Head::of(&m)),
    };
    if let Some(head) = &head {
        let mut kept = shelf.lock();
        if kept.len() < SHELF_MOST {
            kept.insert(id, head.clone());
        }
    }
    Ok(head)
}

impl Shelf {
    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<u64, Head>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreOptions;

    fn message(id: u64, subject: &str, state: State) -> Message {
        Message {
            id,
            thread: id,
            author: 7,
            subject: subject.into(),
            body: "Bonjour, la **sortie** est jeudi.".into(),
            to: Vec::new(),
            cc: Vec::new(),
            bcc: Vec::new(),
            attachments: Vec::new(),
            created_at: 10,
            sent_at: None,
            state,
            in_reply_to: None,
        }
    }

    #[test]
    fn a_kept_head_follows_each_change_of_its_message() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::open_raw(dir.path(), &StoreOptions::default(), super::super::TABLES).unwrap();
        let write = |m: &Message| {
            store
                .write(|tx| super::super::records::write(tx, m))
                .unwrap()
        };
        write(&message(1, "Sortie", State::Draft));
        assert_eq!(get(&store, 1).unwrap().unwrap().subject, "Sortie");
        // Asked again: the kept head, the same.
        assert_eq!(get(&store, 1).unwrap().unwrap().subject, "Sortie");
        assert_eq!(
            get(&store, 1).unwrap().unwrap().preview,
            "Bonjour, la sortie est jeudi."
        );
        // Changed (the draft renamed, then sent): the new head at once.
        write(&message(1, "Sortie au musée", State::Draft));
        assert_eq!(get(&store, 1).unwrap().unwrap().subject, "Sortie au musée");
        write(&message(1, "Sortie au musée", State::Sent));
        assert_eq!(get(&store, 1).unwrap().unwrap().state, State::Sent);
        // Another message written: the first one's head is still right.
        write(&message(2, "Piscine", State::Sent));
        assert_eq!(get(&store, 2).unwrap().unwrap().subject, "Piscine");
        assert_eq!(get(&store, 1).unwrap().unwrap().subject, "Sortie au musée");
        // Removed: gone from the lists.
        let first = message(1, "Sortie au musée", State::Sent);
        store
            .write(|tx| super::super::records::remove(tx, &first))
            .unwrap();
        assert!(get(&store, 1).unwrap().is_none());
    }
}
