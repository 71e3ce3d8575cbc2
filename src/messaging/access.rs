//! The object rules of the messagerie, answered with the proofs its changes take: one's own
//! mailbox, an entry in it, one's own personal folder, a pupil's held message a moderator
//! may decide on, an attachment of a message one holds (or moderates).
//!
//! Each function gathers the facts about the person and the object, asks the policy with
//! an action carrying them, and attaches the object to the grant.

use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{may, require, Action, Actor, Forbidden, Granted};
use crate::store::Store;

use super::{Entry, Message, State};

/// A person's own mailbox as a whole: new folders, the trash emptied, read state.
#[derive(Debug, Clone)]
pub struct Mailbox {
    pub owner: u64,
}

/// A message in the person's mailbox, with where they keep it.
#[derive(Debug, Clone)]
pub struct HeldEntry {
    pub holder: u64,
    pub message_id: u64,
    pub entry: Entry,
}

/// One of the person's personal folders.
#[derive(Debug, Clone)]
pub struct OwnFolder {
    pub owner: u64,
    pub id: u64,
}

/// A pupil's message waiting for approval, that this person may approve or refuse.
#[derive(Debug, Clone)]
pub struct HeldMessage {
    pub message: Message,
}

/// A class whose pupils' messages this person may hold for approval.
#[derive(Debug, Clone, Copy)]
pub struct ModeratedClass {
    pub class_id: u64,
}

/// The person's own mailbox: nobody else's, whatever their role.
pub fn own_mailbox(actor: &Actor) -> Result<Granted<Mailbox>, Forbidden> {
    let grant = require(
        actor,
        Action::KeepMail {
            holder: actor.user_id,
        },
    )?;
    Ok(grant.on(Mailbox {
        owner: actor.user_id,
    }))
}

/// Message `id` in the person's own mailbox (any folder); `None` when they do not hold it.
pub fn entry(store: &Store, actor: &Actor, id: u64) -> AppResult<Option<Granted<HeldEntry>>> {
    // Mailbox entries are keyed by their holder: looking under the person's own id is
    // the fact « holds the entry ».
    let Some(entry) = super::entry(store, actor.user_id, id)? else {
        return Ok(None);
    };
    let grant = require(
        actor,
        Action::KeepMail {
            holder: actor.user_id,
        },
    )?;
    Ok(Some(grant.on(HeldEntry {
        holder: actor.user_id,
        message_id: id,
        entry,
    })))
}

/// [`entry`], or 404: no entry, no message.
pub fn held_entry(store: &Store, actor: &Actor, id: u64) -> AppResult<Granted<HeldEntry>> {
    entry(store, actor, id)?.ok_or(AppError::NotFound)
}

/// The person's personal folder `id`, or 404.
pub fn own_folder(store: &Store, actor: &Actor, id: u64) -> AppResult<Granted<OwnFolder>> {
    if !super::personal_folders(store, actor.user_id)?
        .iter()
        .any(|(f, _)| *f == id)
    {
        return Err(AppError::NotFound);
    }
    let grant = require(
        actor,
        Action::KeepMail {
            holder: actor.user_id,
        },
    )?;
    Ok(grant.on(OwnFolder {
        owner: actor.user_id,
        id,
    }))
}

/// The classes whose pupils' messages this person may moderate.
pub fn moderated_classes(store: &Store, actor: &Actor) -> AppResult<Vec<u64>> {
    let ids: Vec<u64> = if actor.director {
        crate::directory::classes(store)?
            .into_iter()
            .map(|c| c.id)
            .collect()
    } else {
        actor.class_ids.clone()
    };
    Ok(ids
        .into_iter()
        .filter(|c| may(actor, Action::ModerateClass { class_id: *c }))
        .collect())
}

/// Class `class_id`, to hold its pupils' messages or let them go.
pub fn class_to_moderate(
    actor: &Actor,
    class_id: u64,
) -> Result<Granted<ModeratedClass>, Forbidden> {
    Ok(require(actor, Action::ModerateClass { class_id })?.on(ModeratedClass { class_id }))
}

/// The first of the author's classes this person moderates, as the grant on `message`.
fn moderates<T>(
    people: &People,
    actor: &Actor,
    message: &Message,
    object: T,
) -> Option<Granted<T>> {
    people
        .classes_of(message.author)
        .iter()
        .find_map(|c| require(actor, Action::ModerateClass { class_id: *c }).ok())
        .map(|g| g.on(object))
}

/// Message `id`, for a moderator of one of its author's classes: 403 for someone who
/// moderates no class or not this pupil's, 404 for a message that does not exist. Whether
/// it is still waiting is the decision's own check, in its transaction.
pub fn held_message(
    store: &Store,
    people: &People,
    actor: &Actor,
    id: u64,
) -> AppResult<Granted<HeldMessage>> {
    if moderated_classes(store, actor)?.is_empty() {
        return Err(AppError::Forbidden);
    }
    let message = super::message(store, id)?.ok_or(AppError::NotFound)?;
    let object = HeldMessage {
        message: message.clone(),
    };
    moderates(people, actor, &message, object).ok_or(AppError::Forbidden)
}

/// Message `id` whose attachments this person may open: they hold it, or it waits for
/// their approval. 404 otherwise, so that nothing tells it exists.
pub fn attachments_of(store: &Store, actor: &Actor, id: u64) -> AppResult<Granted<Message>> {
    let message = super::message(store, id)?.ok_or(AppError::NotFound)?;
    if super::entry(store, actor.user_id, id)?.is_some() {
        let grant = require(
            actor,
            Action::KeepMail {
                holder: actor.user_id,
            },
        )?;
        return Ok(grant.on(message));
    }
    if message.state != State::Pending {
        return Err(AppError::NotFound);
    }
    let people = People::load(store)?;
    moderates(&people, actor, &message, message.clone()).ok_or(AppError::NotFound)
}
