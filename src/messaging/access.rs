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

/// The school's communication rules, switches and purge (the director's console page).
#[derive(Debug, Clone, Copy)]
pub struct Communication;

/// The communication settings, to change them.
pub fn communication(actor: &Actor) -> Result<Granted<Communication>, Forbidden> {
    Ok(require(actor, Action::ManageCommunication)?.on(Communication))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messaging::{Folder, FOLDERS, MAILBOX, MESSAGES};
    use crate::policy::Profile;
    use crate::store::StoreOptions;

    fn actor(user_id: u64, profile: Profile, director: bool, classes: &[u64]) -> Actor {
        Actor {
            user_id,
            profile,
            director,
            class_ids: classes.to_vec(),
            children: Vec::new(),
            group_ids: Vec::new(),
        }
    }

    fn message(id: u64, author: u64, state: State) -> Message {
        Message {
            id,
            thread: id,
            author,
            subject: "Sortie".into(),
            body: "Bonjour".into(),
            to: Vec::new(),
            cc: Vec::new(),
            bcc: Vec::new(),
            attachments: Vec::new(),
            created_at: 1,
            sent_at: Some(1),
            state,
            in_reply_to: None,
        }
    }

    /// Message 7 from person 1 to person 2, in 2's inbox; 2 has personal folder 3.
    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let tables = crate::schema::tables();
        let store = Store::open_raw(dir.path(), &StoreOptions::default(), &tables).unwrap();
        store
            .commit(|tx| {
                tx.put(&MESSAGES, &7, &message(7, 1, State::Sent))?;
                tx.put(&MESSAGES, &8, &message(8, 1, State::Pending))?;
                let inbox = Entry {
                    folder: Folder::Inbox,
                    read: false,
                    before_trash: None,
                    bcc: false,
                };
                tx.put(&MAILBOX, &(2, 7), &inbox)?;
                tx.put(&FOLDERS, &(2, 3), &"Sorties".to_string())
            })
            .await
            .unwrap();
        (dir, store)
    }

    #[tokio::test]
    async fn an_entry_and_a_folder_are_their_holders_alone() {
        let (_d, store) = store().await;
        let holder = actor(2, Profile::Responsable, false, &[]);
        let held = entry(&store, &holder, 7).unwrap().unwrap();
        assert_eq!((held.by(), held.object().holder), (2, 2));
        assert_eq!(own_folder(&store, &holder, 3).unwrap().object().id, 3);
        assert_eq!(attachments_of(&store, &holder, 7).unwrap().object().id, 7);
        // Not even the director, and not the author once it is filed in others' boxes.
        for other in [
            actor(5, Profile::Enseignant, true, &[1]),
            actor(1, Profile::Enseignant, false, &[1]),
        ] {
            assert!(entry(&store, &other, 7).unwrap().is_none());
            assert!(matches!(
                held_entry(&store, &other, 7),
                Err(AppError::NotFound)
            ));
            assert!(matches!(
                own_folder(&store, &other, 3),
                Err(AppError::NotFound)
            ));
            assert!(matches!(
                attachments_of(&store, &other, 7),
                Err(AppError::NotFound)
            ));
        }
        assert_eq!(own_mailbox(&holder).unwrap().object().owner, 2);
    }

    #[tokio::test]
    async fn a_held_message_is_decided_by_its_authors_moderators_only() {
        let (_d, store) = store().await;
        let people = People::load(&store).unwrap();
        // Someone who moderates no class, whatever the message.
        let parent = actor(2, Profile::Responsable, false, &[]);
        assert!(matches!(
            held_message(&store, &people, &parent, 8),
            Err(AppError::Forbidden)
        ));
        // A teacher, but not of the author's class (the author is in none here).
        let teacher = actor(4, Profile::Enseignant, false, &[1]);
        assert!(matches!(
            held_message(&store, &people, &teacher, 8),
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            held_message(&store, &people, &teacher, 99),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            attachments_of(&store, &teacher, 8),
            Err(AppError::NotFound)
        ));
        assert!(class_to_moderate(&teacher, 1).is_ok());
        assert!(class_to_moderate(&teacher, 2).is_err());
        assert!(class_to_moderate(&parent, 1).is_err());
    }
}
