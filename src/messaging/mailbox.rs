//! Filing in one's own mailbox: read state, folders, trash, reports; and the classes held
//! for approval. Every change takes the proof that the entry, the folder or the mailbox is
//! the person's own, or that they moderate the class (`access.rs`).

use crate::error::{AppError, AppResult};
use crate::policy::Granted;
use crate::refusal::{Failure, Outcome};
use crate::reports::Reported;
use crate::store::{Key, Result, Store, StoreError, Tx};

use super::access::{HeldEntry, Mailbox, ModeratedClass, OwnFolder};
use super::{Folder, Message, State, FOLDERS, MAILBOX, MESSAGES, MODERATED};

/// Marks message `id` of one's mailbox read (nothing when one does not hold it).
pub async fn mark_read(store: &Store, mailbox: &Granted<Mailbox>, id: u64) -> Result<()> {
    let user = mailbox.object().owner;
    if super::entry(store, user, id)?.is_some_and(|e| e.read) {
        return Ok(());
    }
    store.commit(|tx| set_read(tx, user, id, true)).await
}

pub async fn mark_unread(store: &Store, held: &Granted<HeldEntry>) -> Result<()> {
    let HeldEntry {
        holder, message_id, ..
    } = *held.object();
    store
        .commit(|tx| set_read(tx, holder, message_id, false))
        .await
}

fn set_read(tx: &mut Tx<'_>, user: u64, id: u64, read: bool) -> Result<()> {
    if let Some(mut e) = tx.get(&MAILBOX, &(user, id))? {
        e.read = read;
        super::counts::put_entry(tx, &(user, id), &e)?;
    }
    Ok(())
}

/// Moves a message of one's mailbox; to the trash remembers where it was.
pub async fn move_to(store: &Store, held: &Granted<HeldEntry>, to: Folder) -> Outcome<()> {
    let (user, id) = (held.object().holder, held.object().message_id);
    store
        .commit_checked(|tx| {
            // Checked again in the transaction: another tab may have erased it meanwhile.
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
            Ok(super::counts::put_entry(tx, &(user, id), &e)?)
        })
        .await
}

pub async fn restore(store: &Store, held: &Granted<HeldEntry>) -> Outcome<()> {
    let (user, id) = (held.object().holder, held.object().message_id);
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
            Ok(super::counts::put_entry(tx, &(user, id), &e)?)
        })
        .await
}

/// Deletes one message of the trash for good; 0 when it is not in the trash.
pub async fn erase(store: &Store, held: &Granted<HeldEntry>) -> Result<usize> {
    erase_from_trash(store, held.object().holder, Some(held.object().message_id)).await
}

/// Deletes everything in one's trash for good; returns how many went.
pub async fn empty_trash(store: &Store, mailbox: &Granted<Mailbox>) -> Result<usize> {
    erase_from_trash(store, mailbox.object().owner, None).await
}

/// Deletes for good what is in the trash (one message or all); a message nobody holds
/// any more is deleted itself.
async fn erase_from_trash(store: &Store, user: u64, only: Option<u64>) -> Result<usize> {
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
                super::counts::remove_entry(tx, &(user, *id))?;
                let Some(m) = tx.get(&MESSAGES, id)? else {
                    continue;
                };
                if m.state == State::Pending {
                    continue;
                }
                let who = super::records::recipients_in(tx, *id)?;
                let mut holders = who.all.iter().chain(std::iter::once(&m.author));
                let still_held = holders.try_fold(false, |found, h| {
                    Ok::<bool, StoreError>(found || tx.get(&MAILBOX, &(*h, *id))?.is_some())
                })?;
                if !still_held {
                    super::records::remove(tx, &m)?;
                }
            }
            Ok(())
        })
        .await?;
    Ok(ids.len())
}

pub async fn create_folder(store: &Store, mailbox: &Granted<Mailbox>, name: &str) -> Result<u64> {
    let user = mailbox.object().owner;
    store
        .commit(|tx| {
            let id = tx.next_id("mail_folder")?;
            tx.put(&FOLDERS, &(user, id), &name.to_string())?;
            Ok(id)
        })
        .await
}

/// Deletes a personal folder; its messages go back to the inbox (nothing is lost).
pub async fn delete_folder(store: &Store, folder: &Granted<OwnFolder>) -> Result<()> {
    let OwnFolder {
        owner: user,
        id: folder_id,
    } = *folder.object();
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
                    super::counts::put_entry(tx, &(user, *id), &e)?;
                }
            }
            tx.remove(&FOLDERS, &(user, folder_id))
        })
        .await
}

/// What the director's moderation inbox receives when the holder reports `message`: a
/// copy of it. One does not report one's own message.
pub fn report(held: &Granted<HeldEntry>, message: &Message) -> AppResult<Reported> {
    if message.id != held.object().message_id {
        return Err(AppError::NotFound);
    }
    if message.author == held.object().holder {
        return Err(AppError::BadRequest(
            "Vous ne pouvez pas signaler votre propre message.".into(),
        ));
    }
    Ok(Reported {
        kind: "Message",
        title: message.subject.clone(),
        body: message.body.clone(),
        author: message.author,
    })
}

/// Holds a class's pupils' messages for approval (`on`), or lets them go.
pub async fn set_moderated(
    store: &Store,
    class: &Granted<ModeratedClass>,
    on: bool,
    now: i64,
) -> Result<()> {
    let class_id = class.object().class_id;
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
