//! The messagerie: a closed mail system between the people of the school, within the
//! communication rules of the policy. A message is stored once; each person who has it
//! (author, recipients) holds a mailbox entry with its folder and read state. Pupils'
//! messages can be held for their teacher's approval. The module owns its tables, its
//! routes (`routes.rs`), its views (`views.rs`) and its console page (`settings.rs`).

pub mod routes;
pub mod settings;
pub mod targets;
mod views;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::attachments::Attachment;
use crate::directory::people::People;
use crate::notify::{self, Kind};
use crate::policy::communication::CommRules;
use crate::policy::Profile;
use crate::refusal::{Failure, Outcome};
use crate::store::{Key, Result, Store, StoreError, Table, Tx};
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
    FOLDERS.name,
    RULES.name,
    PURGE.name,
    MODERATED.name,
    PENDING.name,
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
    /// Everyone who received it (bcc included), fixed at delivery.
    #[serde(default)]
    pub recipients: Vec<u64>,
    /// Those of `recipients` who were in blind copy: only the author sees them.
    #[serde(default)]
    pub bcc_users: Vec<u64>,
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

pub fn is_moderated(store: &Store, class_id: u64) -> Result<bool> {
    Ok(store.get(&MODERATED, &class_id)?.is_some())
}

pub async fn set_moderated(store: &Store, class_id: u64, on: bool, now: i64) -> Result<()> {
    store
        .commit(|tx| {
            if on {
                tx.put(&MODERATED, &class_id, &now)
            } else {
                tx.remove(&MODERATED, &class_id)
            }
        })
        .await
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

pub fn folder(store: &Store, user: u64, folder: Folder) -> Result<Vec<(Message, Entry)>> {
    Ok(mailbox(store, user)?
        .into_iter()
        .filter(|(_, e)| e.folder == folder)
        .collect())
}

/// (messages, unread) per folder.
pub fn counts(store: &Store, user: u64) -> Result<HashMap<Folder, (usize, usize)>> {
    let mut out: HashMap<Folder, (usize, usize)> = HashMap::new();
    for ((_, _), e) in store.scan_prefix(&MAILBOX, &user.encode())? {
        let c = out.entry(e.folder).or_default();
        c.0 += 1;
        if !e.read {
            c.1 += 1;
        }
    }
    Ok(out)
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

/// The messages of a conversation that this person holds, oldest first.
pub fn thread(store: &Store, user: u64, thread_id: u64) -> Result<Vec<(Message, Entry)>> {
    let mut out: Vec<(Message, Entry)> = mailbox(store, user)?
        .into_iter()
        .filter(|(m, e)| m.thread == thread_id && e.folder != Folder::Drafts)
        .collect();
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

// ---- writing ----

fn new_message(tx: &mut Tx<'_>, author: u64, draft: &Draft, now: i64) -> Result<Message> {
    let id = tx.next_id("message")?;
    let thread = match draft.in_reply_to {
        Some(parent) => tx.get(&MESSAGES, &parent)?.map(|p| p.thread).unwrap_or(id),
        None => id,
    };
    Ok(Message {
        id,
        thread,
        author,
        subject: draft.subject.clone(),
        body: draft.body.clone(),
        to: draft.to.clone(),
        cc: draft.cc.clone(),
        bcc: draft.bcc.clone(),
        attachments: draft.attachments.clone(),
        created_at: now,
        sent_at: None,
        state: State::Draft,
        recipients: Vec::new(),
        bcc_users: Vec::new(),
        in_reply_to: draft.in_reply_to,
    })
}

/// The author's draft `id`, or an error when it is not theirs or not a draft any more.
fn own_draft(tx: &Tx<'_>, author: u64, id: u64) -> Outcome<Message> {
    match tx.get(&MESSAGES, &id)? {
        Some(m) if m.author == author && m.state == State::Draft => Ok(m),
        _ => Err(Failure::refused(
            "Ce brouillon n'existe plus (il a peut-être déjà été envoyé).",
        )),
    }
}

/// Saves a draft (new or existing); returns its id.
pub async fn save_draft(
    store: &Store,
    author: u64,
    id: Option<u64>,
    draft: &Draft,
    now: i64,
) -> Outcome<u64> {
    store
        .commit_checked(|tx| {
            let mut m = match id {
                Some(id) => own_draft(tx, author, id)?,
                None => new_message(tx, author, draft, now)?,
            };
            m.subject = draft.subject.clone();
            m.body = draft.body.clone();
            m.to = draft.to.clone();
            m.cc = draft.cc.clone();
            m.bcc = draft.bcc.clone();
            m.attachments = draft.attachments.clone();
            m.created_at = now;
            tx.put(&MESSAGES, &m.id, &m)?;
            tx.put(
                &MAILBOX,
                &(author, m.id),
                &Entry {
                    folder: Folder::Drafts,
                    read: true,
                    before_trash: None,
                },
            )?;
            Ok(m.id)
        })
        .await
}

/// Who receives a message: (everyone, those in blind copy). Errors are French.
pub fn recipients(people: &People, author: u64, draft: &Draft) -> (Vec<u64>, Vec<u64>) {
    let open: std::collections::BTreeSet<u64> = draft
        .to
        .iter()
        .chain(&draft.cc)
        .flat_map(|t| t.expand(people))
        .filter(|u| *u != author)
        .collect();
    let hidden: std::collections::BTreeSet<u64> = draft
        .bcc
        .iter()
        .flat_map(|t| t.expand(people))
        .filter(|u| *u != author && !open.contains(u))
        .collect();
    let mut all: Vec<u64> = open.into_iter().collect();
    all.extend(hidden.iter().copied());
    (all, hidden.into_iter().collect())
}

pub enum Sent {
    Delivered(usize),
    /// Held for the teacher's approval.
    Held,
}

/// Whether a pupil's message waits for a teacher: one of their classes is moderated.
pub fn needs_approval(store: &Store, people: &People, author: u64) -> Result<bool> {
    if people.user(author).map(|u| u.profile) != Some(Profile::Eleve) {
        return Ok(false);
    }
    for c in people.classes_of(author) {
        if is_moderated(store, *c)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn deliver(tx: &mut Tx<'_>, people: &People, m: &Message, now: i64) -> Result<()> {
    let author = people
        .user(m.author)
        .map(|u| u.display_name())
        .unwrap_or_default();
    let text = format!("Message de {author} : « {} »", m.subject);
    for r in &m.recipients {
        tx.put(
            &MAILBOX,
            &(*r, m.id),
            &Entry {
                folder: Folder::Inbox,
                read: false,
                before_trash: None,
            },
        )?;
        notify::push(
            tx,
            *r,
            Kind::Message,
            &text,
            &format!("/messagerie/{}", m.id),
            now,
        )?;
    }
    Ok(())
}

/// Sends (or holds for approval) a message that the caller has validated against the
/// rules. `id` is the draft being sent, if any.
pub async fn send(
    store: &Store,
    people: &People,
    author: u64,
    id: Option<u64>,
    draft: &Draft,
    now: i64,
) -> Outcome<Sent> {
    let (all, hidden) = recipients(people, author, draft);
    let held = needs_approval(store, people, author)?;
    let moderators: Vec<u64> = if held {
        let mut t: Vec<u64> = people
            .classes_of(author)
            .iter()
            .flat_map(|c| people.teachers_of_class(*c))
            .collect();
        t.sort_unstable();
        t.dedup();
        t
    } else {
        Vec::new()
    };
    let author_name = people
        .user(author)
        .map(|u| u.display_name())
        .unwrap_or_default();
    store
        .commit_checked(|tx| {
            let mut m = match id {
                Some(id) => own_draft(tx, author, id)?,
                None => new_message(tx, author, draft, now)?,
            };
            m.subject = draft.subject.clone();
            m.body = draft.body.clone();
            m.to = draft.to.clone();
            m.cc = draft.cc.clone();
            m.bcc = draft.bcc.clone();
            m.attachments = draft.attachments.clone();
            m.recipients = all.clone();
            m.bcc_users = hidden.clone();
            m.sent_at = Some(now);
            m.state = if held { State::Pending } else { State::Sent };
            tx.put(&MESSAGES, &m.id, &m)?;
            tx.put(
                &MAILBOX,
                &(author, m.id),
                &Entry {
                    folder: Folder::Sent,
                    read: true,
                    before_trash: None,
                },
            )?;
            if held {
                tx.put(&PENDING, &m.id, &())?;
                for t in &moderators {
                    notify::push(
                        tx,
                        *t,
                        Kind::Moderation,
                        &format!("Message de {author_name} à valider : « {} »", m.subject),
                        "/messagerie/moderation",
                        now,
                    )?;
                }
            } else {
                deliver(tx, people, &m, now)?;
            }
            Ok(if held {
                Sent::Held
            } else {
                Sent::Delivered(all.len())
            })
        })
        .await
}

/// The teacher approves a held message: it is delivered now.
pub async fn approve(store: &Store, people: &People, id: u64, now: i64) -> Outcome<()> {
    store
        .commit_checked(|tx| {
            let Some(mut m) = tx.get(&MESSAGES, &id)? else {
                return Err(Failure::refused("Ce message n'existe plus."));
            };
            if m.state != State::Pending {
                return Err(Failure::refused("Ce message a déjà été validé ou refusé."));
            }
            m.state = State::Sent;
            m.sent_at = Some(now);
            tx.put(&MESSAGES, &id, &m)?;
            tx.remove(&PENDING, &id)?;
            deliver(tx, people, &m, now)?;
            notify::push(
                tx,
                m.author,
                Kind::Moderation,
                &format!("Ton message « {} » a été envoyé.", m.subject),
                &format!("/messagerie/{id}"),
                now,
            )?;
            Ok(())
        })
        .await
}

/// The teacher refuses a held message, with a word for the pupil; nobody receives it.
pub async fn refuse(store: &Store, id: u64, by: &str, note: &str, now: i64) -> Outcome<()> {
    store
        .commit_checked(|tx| {
            let Some(mut m) = tx.get(&MESSAGES, &id)? else {
                return Err(Failure::refused("Ce message n'existe plus."));
            };
            if m.state != State::Pending {
                return Err(Failure::refused("Ce message a déjà été validé ou refusé."));
            }
            m.state = State::Refused {
                by: by.to_string(),
                note: note.to_string(),
            };
            tx.put(&MESSAGES, &id, &m)?;
            tx.remove(&PENDING, &id)?;
            notify::push(
                tx,
                m.author,
                Kind::Moderation,
                &format!(
                    "Ton message « {} » n'a pas été envoyé : {by} t'a répondu.",
                    m.subject
                ),
                &format!("/messagerie/{id}"),
                now,
            )?;
            Ok(())
        })
        .await
}

pub async fn mark_read(store: &Store, user: u64, id: u64) -> Result<()> {
    if entry(store, user, id)?.is_some_and(|e| e.read) {
        return Ok(());
    }
    store
        .commit(|tx| {
            if let Some(mut e) = tx.get(&MAILBOX, &(user, id))? {
                e.read = true;
                tx.put(&MAILBOX, &(user, id), &e)?;
            }
            Ok(())
        })
        .await
}

pub async fn mark_unread(store: &Store, user: u64, id: u64) -> Result<()> {
    store
        .commit(|tx| {
            if let Some(mut e) = tx.get(&MAILBOX, &(user, id))? {
                e.read = false;
                tx.put(&MAILBOX, &(user, id), &e)?;
            }
            Ok(())
        })
        .await
}

/// Moves a message of one's mailbox; to the trash remembers where it was.
pub async fn move_to(store: &Store, user: u64, id: u64, to: Folder) -> Outcome<()> {
    store
        .commit_checked(|tx| {
            let Some(mut e) = tx.get(&MAILBOX, &(user, id))? else {
                return Err(Failure::refused(
                    "Ce message n'est pas dans votre messagerie.",
                ));
            };
            if let Folder::Personal(f) = to {
                if tx.get(&FOLDERS, &(user, f))?.is_none() {
                    return Err(Failure::refused("Ce dossier n'existe pas."));
                }
            }
            if to == Folder::Trash && e.folder != Folder::Trash {
                e.before_trash = Some(e.folder);
            }
            e.folder = to;
            Ok(tx.put(&MAILBOX, &(user, id), &e)?)
        })
        .await
}

pub async fn restore(store: &Store, user: u64, id: u64) -> Outcome<()> {
    store
        .commit_checked(|tx| {
            let Some(mut e) = tx.get(&MAILBOX, &(user, id))? else {
                return Err(Failure::refused(
                    "Ce message n'est pas dans votre messagerie.",
                ));
            };
            let back = e.before_trash.take().unwrap_or(Folder::Inbox);
            // A personal folder deleted meanwhile: back to the inbox.
            e.folder = match back {
                Folder::Personal(f) if tx.get(&FOLDERS, &(user, f))?.is_none() => Folder::Inbox,
                other => other,
            };
            Ok(tx.put(&MAILBOX, &(user, id), &e)?)
        })
        .await
}

/// Deletes for good what is in the trash (one message or all); a message nobody holds
/// any more is deleted itself.
pub async fn erase(store: &Store, user: u64, only: Option<u64>) -> Result<usize> {
    let ids: Vec<u64> = store
        .scan_prefix(&MAILBOX, &user.encode())?
        .into_iter()
        .filter(|(_, e)| e.folder == Folder::Trash)
        .map(|((_, id), _)| id)
        .filter(|id| only.is_none_or(|o| o == *id))
        .collect();
    store
        .commit(|tx| {
            for id in &ids {
                tx.remove(&MAILBOX, &(user, *id))?;
                let Some(m) = tx.get(&MESSAGES, id)? else {
                    continue;
                };
                let mut holders = m.recipients.iter().chain(std::iter::once(&m.author));
                let still_held = holders.try_fold(false, |found, h| {
                    Ok::<bool, StoreError>(found || tx.get(&MAILBOX, &(*h, *id))?.is_some())
                })?;
                if !still_held && m.state != State::Pending {
                    tx.remove(&MESSAGES, id)?;
                }
            }
            Ok(())
        })
        .await?;
    Ok(ids.len())
}

pub async fn create_folder(store: &Store, user: u64, name: &str) -> Result<u64> {
    store
        .commit(|tx| {
            let id = tx.next_id("mail_folder")?;
            tx.put(&FOLDERS, &(user, id), &name.to_string())?;
            Ok(id)
        })
        .await
}

/// Deletes a personal folder; its messages go back to the inbox (nothing is lost).
pub async fn delete_folder(store: &Store, user: u64, folder_id: u64) -> Result<()> {
    let inside: Vec<u64> = store
        .scan_prefix(&MAILBOX, &user.encode())?
        .into_iter()
        .filter(|(_, e)| e.folder == Folder::Personal(folder_id))
        .map(|((_, id), _)| id)
        .collect();
    store
        .commit(|tx| {
            for id in &inside {
                if let Some(mut e) = tx.get(&MAILBOX, &(user, *id))? {
                    e.folder = Folder::Inbox;
                    tx.put(&MAILBOX, &(user, *id), &e)?;
                }
            }
            tx.remove(&FOLDERS, &(user, folder_id))
        })
        .await
}

/// The end-of-year purge when its day has come: messages sent before the plan's date
/// are deleted with every mailbox entry; drafts stay. Returns how many went.
pub fn run_purge(store: &Store, now: i64) -> Result<usize> {
    let Some(plan) = purge_plan(store)? else {
        return Ok(0);
    };
    let Some(day) = crate::ui::dates::parse_date(&plan.day) else {
        return Ok(0);
    };
    let (today, _) = crate::ui::dates::local_day_and_hour(now);
    if today < day {
        return Ok(0);
    }
    let old: Vec<u64> = store
        .scan(&MESSAGES)?
        .into_iter()
        .filter(|(_, m)| m.state != State::Draft && m.date() < plan.before)
        .map(|(id, _)| id)
        .collect();
    let entries: Vec<(u64, u64)> = store
        .scan(&MAILBOX)?
        .into_iter()
        .map(|(k, _)| k)
        .filter(|(_, id)| old.contains(id))
        .collect();
    store.commit_blocking(|tx| {
        for k in &entries {
            tx.remove(&MAILBOX, k)?;
        }
        for id in &old {
            tx.remove(&MESSAGES, id)?;
            tx.remove(&PENDING, id)?;
        }
        save_purge_plan(tx, None)
    })?;
    Ok(old.len())
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    Ok(store
        .scan(&MESSAGES)?
        .into_iter()
        .flat_map(|(_, m)| m.attachments.into_iter().map(|a| a.blob))
        .collect())
}

/// Forgets a deleted account's mailbox (messages others hold stay with them).
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let keys: Vec<(u64, u64)> = store
        .scan_prefix(&MAILBOX, &user.encode())?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let folders: Vec<(u64, u64)> = store
        .scan_prefix(&FOLDERS, &user.encode())?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    Ok(Box::new(move |tx| {
        for k in &keys {
            tx.remove(&MAILBOX, k)?;
        }
        for k in &folders {
            tx.remove(&FOLDERS, k)?;
        }
        Ok(())
    }))
}
