//! The messagerie: a closed mail system between the people of the school, within the
//! communication rules of the policy. A message is stored once; each person who has it
//! (author, recipients) holds a mailbox entry with its folder and read state. Pupils'
//! messages can be held for their teacher's approval.
//!
//! This file holds the model, the tables and the reading; `sending.rs` drafts, sends and
//! decides on held messages, `mailbox.rs` files within one's own mailbox, `purge.rs` the
//! end-of-year purge and what an account's deletion erases. `access.rs` answers the object
//! rules with the proofs the changes take; `routes/` holds the handlers, `forms.rs` their
//! typed inputs, `views.rs` the pages, `settings.rs` the console page.

pub mod access;
mod forms;
pub mod heads;
pub mod mailbox;
mod purge;
pub mod records;
pub mod routes;
pub mod sending;
pub mod settings;
pub mod targets;
mod views;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::attachments::Attachment;
use crate::auth::journal::{record_audit, AuditEvent};
use crate::directory::people::People;
use crate::policy::communication::CommRules;
use crate::policy::Granted;
use crate::store::{Key, Result, Store, Table, Tx};
pub mod counts;
pub use purge::{forget, referenced_blobs, run_purge};
pub use sending::{send, Sent};
pub use targets::Target;

pub const MESSAGES: Table<u64, Message> = Table::new("messages");
/// (person, message) → where the person keeps it.
pub const MAILBOX: Table<(u64, u64), Entry> = Table::new("mailbox");
/// (person, folder id) → name of a personal folder.
pub const FOLDERS: Table<(u64, u64), String> = Table::new("mail_folders");
pub const RULES: Table<String, CommRules> = Table::new("communication_rules");
pub const PURGE: Table<String, PurgePlan> = Table::new("message_purge");
/// Classes whose pupils' messages wait for the teacher's approval.
pub const MODERATED: Table<u64, i64> = Table::new("moderated_classes");
/// Messages waiting for approval.
pub const PENDING: Table<u64, ()> = Table::new("pending_messages");

pub const TABLES: &[&str] = &[
    MESSAGES.name,
    MAILBOX.name,
    heads::HEADS.name,
    counts::COUNTS.name,
    FOLDERS.name,
    RULES.name,
    PURGE.name,
    MODERATED.name,
    PENDING.name,
    records::RECIPIENTS.name,
    records::THREADS.name,
];

const RULES_KEY: &str = "rules";
const PURGE_KEY: &str = "plan";

/// At most this many recipients chosen in one message (people or lists)…
pub const MAX_TARGETS: usize = 50;
/// …and this many people once the lists are opened.
pub const MAX_RECIPIENTS: usize = 1000;
pub const MAX_SUBJECT: usize = 200;
pub const MAX_BODY: usize = 50_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum State {
    Draft,
    /// Waiting for the teacher's approval (pupil's message in a moderated class).
    Pending,
    Sent,
    Refused {
        by: String,
        note: String,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Message {
    pub id: u64,
    /// Id of the first message of the conversation.
    pub thread: u64,
    pub author: u64,
    pub subject: String,
    /// Markdown source, rendered through the one sanitiser.
    pub body: String,
    pub to: Vec<Target>,
    #[serde(default)]
    pub cc: Vec<Target>,
    #[serde(default)]
    pub bcc: Vec<Target>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub created_at: i64,
    #[serde(default)]
    pub sent_at: Option<i64>,
    pub state: State,
    #[serde(default)]
    pub in_reply_to: Option<u64>,
}

impl Message {
    pub fn date(&self) -> i64 {
        self.sent_at.unwrap_or(self.created_at)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "folder", content = "id")]
pub enum Folder {
    Inbox,
    Sent,
    Drafts,
    Trash,
    Personal(u64),
}

impl Folder {
    pub fn slug(self) -> String {
        match self {
            Folder::Inbox => "reception".into(),
            Folder::Sent => "envoyes".into(),
            Folder::Drafts => "brouillons".into(),
            Folder::Trash => "corbeille".into(),
            Folder::Personal(id) => format!("dossier-{id}"),
        }
    }

    pub fn parse(text: &str) -> Option<Folder> {
        match text {
            "reception" => Some(Folder::Inbox),
            "envoyes" => Some(Folder::Sent),
            "brouillons" => Some(Folder::Drafts),
            "corbeille" => Some(Folder::Trash),
            t => t
                .strip_prefix("dossier-")
                .and_then(|id| id.parse().ok())
                .map(Folder::Personal),
        }
    }

    pub fn standard_label(self) -> &'static str {
        match self {
            Folder::Inbox => "Boîte de réception",
            Folder::Sent => "Envoyés",
            Folder::Drafts => "Brouillons",
            Folder::Trash => "Corbeille",
            Folder::Personal(_) => "Dossier",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub folder: Folder,
    pub read: bool,
    /// Where a message in the trash came from, for « Restaurer ».
    #[serde(default)]
    pub before_trash: Option<Folder>,
    /// Received in blind copy (schema 5; the author's list is in `records::RECIPIENTS`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bcc: bool,
}

/// The director's announced end-of-year purge.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PurgePlan {
    /// Day of the purge (« 2027-07-10 »).
    pub day: String,
    /// Messages sent before this instant are deleted.
    pub before: i64,
    pub announced_at: i64,
}

/// What someone is writing.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub to: Vec<Target>,
    pub cc: Vec<Target>,
    pub bcc: Vec<Target>,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<Attachment>,
    pub in_reply_to: Option<u64>,
}

// ---- settings ----

pub fn rules(store: &Store) -> Result<CommRules> {
    Ok(store
        .get(&RULES, &RULES_KEY.to_string())?
        .unwrap_or_default())
}

pub fn save_rules(tx: &mut Tx<'_>, rules: &CommRules) -> Result<()> {
    tx.put(&RULES, &RULES_KEY.to_string(), rules)
}

pub fn purge_plan(store: &Store) -> Result<Option<PurgePlan>> {
    store.get(&PURGE, &PURGE_KEY.to_string())
}

pub fn save_purge_plan(tx: &mut Tx<'_>, plan: Option<&PurgePlan>) -> Result<()> {
    match plan {
        Some(p) => tx.put(&PURGE, &PURGE_KEY.to_string(), p),
        None => tx.remove(&PURGE, &PURGE_KEY.to_string()),
    }
}

/// Saves the communication rules and the purge plan, with the audit line of what changed
/// (none when nothing did), in one transaction.
pub async fn save_settings(
    store: &Store,
    _director: &Granted<access::Communication>,
    rules: &CommRules,
    plan: Option<&PurgePlan>,
    audit: Option<&AuditEvent>,
) -> Result<()> {
    store
        .commit(|tx| {
            save_rules(tx, rules)?;
            save_purge_plan(tx, plan)?;
            if let Some(event) = audit {
                record_audit(tx, event)?;
            }
            Ok(())
        })
        .await
}

pub fn is_moderated(store: &Store, class_id: u64) -> Result<bool> {
    Ok(store.get(&MODERATED, &class_id)?.is_some())
}

// ---- reading ----

pub fn message(store: &Store, id: u64) -> Result<Option<Message>> {
    store.get(&MESSAGES, &id)
}

pub fn entry(store: &Store, user: u64, id: u64) -> Result<Option<Entry>> {
    store.get(&MAILBOX, &(user, id))
}

/// A person's messages with their entries, newest first.
pub fn mailbox(store: &Store, user: u64) -> Result<Vec<(Message, Entry)>> {
    let mut out = Vec::new();
    for ((_, id), e) in store.scan_prefix(&MAILBOX, &user.encode())? {
        if let Some(m) = store.get(&MESSAGES, &id)? {
            out.push((m, e));
        }
    }
    out.sort_by_key(|(m, _)| std::cmp::Reverse(m.date()));
    Ok(out)
}

/// One page of a folder, newest first: the folder's size comes from the counts kept
/// beside the mailbox, the person's entries are read backwards from the newest until the
/// page is full, and the messages' heads only for the page shown. Pages follow the
/// messages' ids, which grow as they are written; a page is then sorted by date.
pub fn folder_page(
    store: &Store,
    user: u64,
    folder: Folder,
    asked: usize,
) -> Result<(Vec<(heads::Head, Entry)>, crate::ui::pager::Pager)> {
    let total = counts(store, user)?
        .get(&folder)
        .map(|(n, _)| *n)
        .unwrap_or(0);
    let pager = crate::ui::pager::Pager::counted(asked, total, crate::ui::pager::PER_PAGE);
    let wanted = pager.range();
    let mut entries: Vec<(u64, Entry)> = Vec::new();
    let mut position = 0;
    store.visit_range_back(
        &MAILBOX,
        &(user, 0),
        &(user.saturating_add(1), 0),
        |(_, id), e: Entry| {
            if e.folder == folder {
                if wanted.contains(&position) {
                    entries.push((id, e));
                }
                position += 1;
            }
            Ok(position < wanted.end)
        },
    )?;
    let mut out = Vec::new();
    for (id, e) in entries {
        if let Some(head) = heads::get(store, id)? {
            out.push((head, e));
        }
    }
    out.sort_by_key(|(head, _)| std::cmp::Reverse(head.date));
    Ok((out, pager))
}

/// (messages, unread) per folder: the counts kept beside the mailbox.
pub fn counts(store: &Store, user: u64) -> Result<HashMap<Folder, (usize, usize)>> {
    counts::of(store, user)
}

pub fn unread_in_inbox(store: &Store, user: u64) -> Result<usize> {
    Ok(counts(store, user)?
        .get(&Folder::Inbox)
        .map(|(_, unread)| *unread)
        .unwrap_or(0))
}

pub fn personal_folders(store: &Store, user: u64) -> Result<Vec<(u64, String)>> {
    Ok(store
        .scan_prefix(&FOLDERS, &user.encode())?
        .into_iter()
        .map(|((_, id), name)| (id, name))
        .collect())
}

/// Search in one's own messages (subject, text, author's name), trash excluded.
pub fn search(
    store: &Store,
    people: &People,
    user: u64,
    query: &str,
) -> Result<Vec<(Message, Entry)>> {
    let words: Vec<String> = crate::directory::fold(query)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    Ok(mailbox(store, user)?
        .into_iter()
        .filter(|(_, e)| e.folder != Folder::Trash)
        .filter(|(m, _)| {
            let author = people
                .user(m.author)
                .map(|u| u.display_name())
                .unwrap_or_default();
            let hay = crate::directory::fold(&format!(
                "{} {} {}",
                m.subject,
                crate::ui::richtext::plain(&m.body),
                author
            ));
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect())
}

/// The messages of a conversation that this person holds, oldest first: read through the
/// index of the conversation, not the person's mailbox.
pub fn thread(store: &Store, user: u64, thread_id: u64) -> Result<Vec<(Message, Entry)>> {
    let mut out = Vec::new();
    for id in records::thread_ids(store, thread_id)? {
        let Some(e) = entry(store, user, id)? else {
            continue;
        };
        if e.folder == Folder::Drafts {
            continue;
        }
        if let Some(m) = store.get(&MESSAGES, &id)? {
            out.push((m, e));
        }
    }
    out.sort_by_key(|(m, _)| m.date());
    Ok(out)
}

/// Messages waiting for approval that `may_moderate` accepts (by the author's classes).
pub fn pending(
    store: &Store,
    people: &People,
    may_moderate: impl Fn(u64) -> bool,
) -> Result<Vec<Message>> {
    let mut out = Vec::new();
    for (id, ()) in store.scan(&PENDING)? {
        if let Some(m) = store.get(&MESSAGES, &id)? {
            if people.classes_of(m.author).iter().any(|c| may_moderate(*c)) {
                out.push(m);
            }
        }
    }
    Ok(out)
}
