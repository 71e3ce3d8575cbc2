//! Writing and sending: drafts, delivery within the rules the compose form checked, and
//! the teacher's decision on a pupil's held message.

use crate::directory::people::People;
use crate::notify::{self, Kind};
use crate::policy::{Granted, Profile};
use crate::refusal::{Failure, Outcome};
use crate::school::Service;
use crate::store::{Result, Store, Tx};

use super::access::HeldMessage;
use super::records::Recipients;
use super::{is_moderated, Draft, Entry, Folder, Message, State, MESSAGES, PENDING};

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
            super::records::write(tx, &m)?;
            super::counts::put_entry(
                tx,
                &(author, m.id),
                &Entry {
                    folder: Folder::Drafts,
                    read: true,
                    before_trash: None,
                    bcc: false,
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

fn deliver(
    tx: &mut Tx<'_>,
    people: &People,
    m: &Message,
    who: &Recipients,
    now: i64,
) -> Result<()> {
    let author = people
        .user(m.author)
        .map(|u| u.display_name())
        .unwrap_or_default();
    let text = format!("Message de {author} : « {} »", m.subject);
    crate::stats::count_by(tx, crate::stats::Created::Message, people, m.author, now)?;
    for r in &who.all {
        // `bcc` is sorted (built from a set): a school-wide blind copy stays cheap.
        let hidden = who.bcc.binary_search(r).is_ok();
        super::counts::put_entry(
            tx,
            &(*r, m.id),
            &Entry {
                folder: Folder::Inbox,
                read: false,
                before_trash: None,
                bcc: hidden,
            },
        )?;
        // Delivered all the same, but untold while their classes keep the messagerie
        // closed to them: they read it once it opens.
        let shut_out = !people.openings.is_empty()
            && people
                .actor_of(*r, now)
                .is_some_and(|a| people.within(&a, Service::Messagerie).shut_out);
        if shut_out {
            continue;
        }
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
            m.sent_at = Some(now);
            m.state = if held { State::Pending } else { State::Sent };
            super::records::write(tx, &m)?;
            let who = Recipients {
                all: all.clone(),
                bcc: hidden.clone(),
            };
            super::records::set_recipients(tx, m.id, &who)?;
            super::counts::put_entry(
                tx,
                &(author, m.id),
                &Entry {
                    folder: Folder::Sent,
                    read: true,
                    before_trash: None,
                    bcc: false,
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
                deliver(tx, people, &m, &who, now)?;
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
pub async fn approve(
    store: &Store,
    people: &People,
    held: &Granted<HeldMessage>,
    now: i64,
) -> Outcome<()> {
    let id = held.object().message.id;
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
            super::records::write(tx, &m)?;
            tx.remove(&PENDING, &id)?;
            let who = super::records::recipients_in(tx, id)?;
            deliver(tx, people, &m, &who, now)?;
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
pub async fn refuse(
    store: &Store,
    held: &Granted<HeldMessage>,
    by: &str,
    note: &str,
    now: i64,
) -> Outcome<()> {
    let id = held.object().message.id;
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
            super::records::write(tx, &m)?;
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
