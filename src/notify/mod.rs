//! Notifications: the one service every module uses to tell a person that something is
//! new for them (a message, a mot to sign, a message to moderate…). A module calls
//! [`push`] inside the transaction of the event, so that the event and its notice are
//! written together. The bell of every page reads one counter per person.
//!
//! E-mail digests (immediate or daily) go out only when the director has configured an
//! SMTP server (`mail.rs`); many schools are LAN-only, so this is off by default.

pub mod mail;
pub mod routes;

use serde::{Deserialize, Serialize};

use crate::store::{Key, Result, Store, Table, Tx};

pub const NOTIFICATIONS: Table<(u64, u64), Notification> = Table::new("notifications");
/// Unread count per person, kept beside the list so the bell costs one read.
pub const UNREAD: Table<u64, u64> = Table::new("notification_unread");
pub const PREFERENCES: Table<u64, Preferences> = Table::new("notification_preferences");
/// (person, link) → ids of the person's unread notifications pointing there (schema 5):
/// opening a page marks its notices read with one read, whatever the person has kept.
pub const UNREAD_BY_LINK: Table<(u64, String), Vec<u64>> = Table::new("notification_unread_links");
/// (time, person, id) of every notification (schema 6): the hourly purge reads the old
/// ones only, instead of every notice of the school (tens of thousands in a year, which
/// filled the store's cache — the largest memory use of an idle server).
pub const BY_AT: Table<(u64, u64, u64), ()> = Table::new("notification_dates");

pub const TABLES: &[&str] = &[
    NOTIFICATIONS.name,
    UNREAD.name,
    PREFERENCES.name,
    UNREAD_BY_LINK.name,
    BY_AT.name,
];

/// A notification's key in [`BY_AT`]: (time, person, id).
type DatedKey = (u64, u64, u64);

fn at_key(user: u64, n: &Notification) -> DatedKey {
    (u64::try_from(n.at).unwrap_or(0), user, n.id)
}

/// Counts a notification in (`unread`) or out of the person's unread ones: the counter
/// of the bell and the index by link move together.
fn count_unread(tx: &mut Tx<'_>, user: u64, n: &Notification, unread: bool) -> Result<()> {
    let count = tx.get(&UNREAD, &user)?.unwrap_or(0);
    let count = if unread {
        count + 1
    } else {
        count.saturating_sub(1)
    };
    tx.put(&UNREAD, &user, &count)?;
    let key = (user, n.link.clone());
    let mut ids = tx.get(&UNREAD_BY_LINK, &key)?.unwrap_or_default();
    if unread {
        ids.push(n.id);
    } else {
        ids.retain(|id| *id != n.id);
    }
    if ids.is_empty() {
        tx.remove(&UNREAD_BY_LINK, &key)
    } else {
        tx.put(&UNREAD_BY_LINK, &key, &ids)
    }
}

/// Notifications older than this are deleted by the periodic job.
pub const RETENTION_DAYS: i64 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Message,
    Mot,
    MotReply,
    Moderation,
    Report,
    Homework,
    Article,
    Cantine,
    Absence,
    RendezVous,
    Transport,
    Demande,
    Suivi,
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::Message,
        Kind::Mot,
        Kind::MotReply,
        Kind::Moderation,
        Kind::Report,
        Kind::Homework,
        Kind::Article,
        Kind::Cantine,
        Kind::Absence,
        Kind::RendezVous,
        Kind::Transport,
        Kind::Demande,
        Kind::Suivi,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Message => "Nouveau message",
            Kind::Mot => "Mot du carnet de liaison à lire ou signer",
            Kind::MotReply => "Réponse ou mot d'une famille dans le carnet",
            Kind::Moderation => "Message d'élève à valider, réponse de modération",
            Kind::Report => "Signalement à examiner (direction)",
            Kind::Homework => "Nouveau travail à faire",
            Kind::Article => "Nouvel article publié",
            Kind::Cantine => "Inscription à la cantine ou au périscolaire : demande et réponse",
            Kind::Absence => "Absence d'un enfant, motif à donner",
            Kind::RendezVous => "Rendez-vous et réservations : rappel, changement, réponse",
            Kind::Transport => "Transport scolaire : car supprimé ou horaire changé",
            Kind::Demande => "Demande à la mairie : nouvelle demande, suivi, commentaire",
            Kind::Suivi => "Carnet de suivi : réussites partagées, « vu » et commentaires",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Kind::Message => "message",
            Kind::Mot => "mot",
            Kind::MotReply => "mot-reponse",
            Kind::Moderation => "moderation",
            Kind::Report => "signalement",
            Kind::Homework => "devoir",
            Kind::Article => "article",
            Kind::Cantine => "cantine",
            Kind::Absence => "absence",
            Kind::RendezVous => "rendez-vous",
            Kind::Transport => "transport",
            Kind::Demande => "demande-mairie",
            Kind::Suivi => "suivi",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Notification {
    pub id: u64,
    pub kind: Kind,
    pub text: String,
    /// Where the item is (a path of Préau).
    pub link: String,
    pub at: i64,
    pub read: bool,
    /// Already sent in an e-mail.
    #[serde(default)]
    pub emailed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Digest {
    #[default]
    Never,
    Immediate,
    Daily,
}

impl Digest {
    pub const ALL: [Digest; 3] = [Digest::Never, Digest::Immediate, Digest::Daily];
    pub fn slug(self) -> &'static str {
        match self {
            Digest::Never => "jamais",
            Digest::Immediate => "immediat",
            Digest::Daily => "quotidien",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Digest::Never => "Jamais",
            Digest::Immediate => "À chaque nouveauté (regroupées toutes les quelques minutes)",
            Digest::Daily => "Un résumé par jour, en fin d'après-midi",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Preferences {
    /// Kinds the person does not want to be told about.
    #[serde(default)]
    pub muted: Vec<Kind>,
    #[serde(default)]
    pub digest: Digest,
    /// Last daily digest sent (microseconds), so that a day gets one.
    #[serde(default)]
    pub last_digest: i64,
}

pub fn preferences(store: &Store, user: u64) -> Result<Preferences> {
    Ok(store.get(&PREFERENCES, &user)?.unwrap_or_default())
}

pub fn save_preferences(tx: &mut Tx<'_>, user: u64, prefs: &Preferences) -> Result<()> {
    tx.put(&PREFERENCES, &user, prefs)
}

/// Tells `user` about something new, inside the transaction of the event.
pub fn push(tx: &mut Tx<'_>, user: u64, kind: Kind, text: &str, link: &str, at: i64) -> Result<()> {
    let prefs: Preferences = tx.get(&PREFERENCES, &user)?.unwrap_or_default();
    if prefs.muted.contains(&kind) {
        return Ok(());
    }
    let id = tx.next_id("notification")?;
    let n = Notification {
        id,
        kind,
        text: text.to_string(),
        link: link.to_string(),
        at,
        read: false,
        emailed: false,
    };
    tx.put(&NOTIFICATIONS, &(user, id), &n)?;
    tx.put(&BY_AT, &at_key(user, &n), &())?;
    crate::push::enqueue(tx, user, id)?;
    count_unread(tx, user, &n, true)
}

pub fn unread_count(store: &Store, user: u64) -> Result<u64> {
    Ok(store.get(&UNREAD, &user)?.unwrap_or(0))
}

/// The person's `limit` newest notifications, newest first (a page of the centre).
pub fn newest(store: &Store, user: u64, limit: usize) -> Result<Vec<Notification>> {
    Ok(store
        .scan_prefix_last(&NOTIFICATIONS, &user.encode(), limit)?
        .into_iter()
        .map(|(_, n)| n)
        .collect())
}

/// The person's unread notifications, oldest first, found through the index by link
/// (the digest asks every minute: it must not read what the person has already seen).
pub fn unread(store: &Store, user: u64) -> Result<Vec<Notification>> {
    let mut ids: Vec<u64> = store
        .scan_prefix(&UNREAD_BY_LINK, &user.encode())?
        .into_iter()
        .flat_map(|(_, ids)| ids)
        .collect();
    ids.sort_unstable();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(n) = store.get(&NOTIFICATIONS, &(user, id))? {
            out.push(n);
        }
    }
    Ok(out)
}

/// The person's notifications, newest first.
pub fn list(store: &Store, user: u64) -> Result<Vec<Notification>> {
    let mut all: Vec<Notification> = store
        .scan_prefix(&NOTIFICATIONS, &user.encode())?
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    all.reverse();
    Ok(all)
}

fn set_read(tx: &mut Tx<'_>, user: u64, n: &mut Notification) -> Result<()> {
    if n.read {
        return Ok(());
    }
    n.read = true;
    tx.put(&NOTIFICATIONS, &(user, n.id), n)?;
    count_unread(tx, user, n, false)
}

/// Marks one notification read; returns its link.
pub async fn open(store: &Store, user: u64, id: u64) -> Result<Option<String>> {
    store
        .commit(|tx| {
            let Some(mut n) = tx.get(&NOTIFICATIONS, &(user, id))? else {
                return Ok(None);
            };
            set_read(tx, user, &mut n)?;
            Ok(Some(n.link))
        })
        .await
}

pub async fn mark_all_read(store: &Store, user: u64) -> Result<()> {
    // The unread ones are those the index by link names: no need to read the others.
    let unread: Vec<u64> = store
        .scan_prefix(&UNREAD_BY_LINK, &user.encode())?
        .into_iter()
        .flat_map(|(_, ids)| ids)
        .collect();
    store
        .commit(|tx| {
            for id in &unread {
                if let Some(mut n) = tx.get(&NOTIFICATIONS, &(user, *id))? {
                    set_read(tx, user, &mut n)?;
                }
            }
            tx.put(&UNREAD, &user, &0u64)
        })
        .await
}

/// Marks read the notifications that point to `link`: opening a message is reading its
/// notice. Costs a write only when there is something to mark.
pub async fn seen(store: &Store, user: u64, link: &str) -> Result<()> {
    seen_any(store, user, &[link]).await
}

/// [`seen`] for several pages shown at once (a conversation's messages): one read of the
/// index by link per page, and a write only when something is unread there.
pub async fn seen_any(store: &Store, user: u64, links: &[&str]) -> Result<()> {
    if links.is_empty() || unread_count(store, user)? == 0 {
        return Ok(());
    }
    let mut hits = Vec::new();
    for link in links {
        if let Some(ids) = store.get(&UNREAD_BY_LINK, &(user, (*link).to_string()))? {
            hits.extend(ids);
        }
    }
    if hits.is_empty() {
        return Ok(());
    }
    store
        .commit(|tx| {
            for id in &hits {
                if let Some(mut n) = tx.get(&NOTIFICATIONS, &(user, *id))? {
                    set_read(tx, user, &mut n)?;
                }
            }
            Ok(())
        })
        .await
}

/// Schema 5: the index by link of the notifications still unread.
pub fn migrate_v5_unread_by_link(store: &Store) -> Result<()> {
    let mut by_link: std::collections::BTreeMap<(u64, String), Vec<u64>> = Default::default();
    for ((user, id), n) in store.scan(&NOTIFICATIONS)? {
        if !n.read {
            by_link.entry((user, n.link)).or_default().push(id);
        }
    }
    let entries: Vec<_> = by_link.into_iter().collect();
    for chunk in entries.chunks(500) {
        store.commit_blocking(|tx| {
            for (key, ids) in chunk {
                tx.put(&UNREAD_BY_LINK, key, ids)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Deletes notifications older than the retention; keeps the counters exact. Reads the
/// index by date up to the cutoff, then only the old notices themselves.
pub fn purge(store: &Store, now: i64) -> Result<usize> {
    let cutoff = u64::try_from(now - RETENTION_DAYS * 86_400 * 1_000_000).unwrap_or(0);
    let old: Vec<(u64, u64, u64)> = store
        .scan_range(&BY_AT, &(0, 0, 0), &(cutoff, 0, 0))?
        .into_iter()
        .map(|(k, ())| k)
        .collect();
    if old.is_empty() {
        return Ok(0);
    }
    for chunk in old.chunks(500) {
        store.commit_blocking(|tx| {
            for key in chunk {
                let (_, user, id) = *key;
                if let Some(n) = tx.get(&NOTIFICATIONS, &(user, id))? {
                    tx.remove(&NOTIFICATIONS, &(user, id))?;
                    if !n.read {
                        count_unread(tx, user, &n, false)?;
                    }
                }
                tx.remove(&BY_AT, key)?;
            }
            Ok(())
        })?;
    }
    Ok(old.len())
}

/// Schema 6: the index by date of the notifications kept so far.
pub fn migrate_v6_index_by_date(store: &Store) -> Result<()> {
    let mut keys = Vec::new();
    store.visit(&NOTIFICATIONS, |(user, _), n| keys.push(at_key(user, &n)))?;
    for chunk in keys.chunks(1000) {
        store.commit_blocking(|tx| {
            for key in chunk {
                tx.put(&BY_AT, key, &())?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Forgets a deleted account's notifications and preferences.
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let keys: Vec<((u64, u64), DatedKey)> = store
        .scan_prefix(&NOTIFICATIONS, &user.encode())?
        .into_iter()
        .map(|(k, n)| (k, at_key(user, &n)))
        .collect();
    let links: Vec<(u64, String)> = store
        .scan_prefix(&UNREAD_BY_LINK, &user.encode())?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    Ok(Box::new(move |tx| {
        for (key, dated) in &keys {
            tx.remove(&NOTIFICATIONS, key)?;
            tx.remove(&BY_AT, dated)?;
        }
        for key in &links {
            tx.remove(&UNREAD_BY_LINK, key)?;
        }
        tx.remove(&UNREAD, &user)?;
        tx.remove(&PREFERENCES, &user)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreOptions;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        // `push` adds a notice to its outbox, in the same transaction.
        let tables = [TABLES, crate::push::TABLES].concat();
        let store = Store::open_raw(dir.path(), &StoreOptions::default(), &tables).unwrap();
        (dir, store)
    }

    #[tokio::test]
    async fn counts_follow_pushes_and_reads() {
        let (_d, store) = store();
        store
            .commit(|tx| {
                push(tx, 1, Kind::Message, "Message de Paul", "/messagerie/1", 10)?;
                push(tx, 1, Kind::Mot, "Mot à signer", "/carnet/2", 20)?;
                push(tx, 2, Kind::Message, "autre", "/messagerie/1", 10)
            })
            .await
            .unwrap();
        assert_eq!(unread_count(&store, 1).unwrap(), 2);
        let items = list(&store, 1).unwrap();
        assert_eq!(items[0].text, "Mot à signer", "newest first");
        seen(&store, 1, "/messagerie/1").await.unwrap();
        assert_eq!(unread_count(&store, 1).unwrap(), 1);
        assert_eq!(
            unread_count(&store, 2).unwrap(),
            1,
            "someone else's untouched"
        );
        let link = open(&store, 1, items[0].id).await.unwrap();
        assert_eq!(link.as_deref(), Some("/carnet/2"));
        assert_eq!(unread_count(&store, 1).unwrap(), 0);
        open(&store, 1, items[0].id).await.unwrap();
        assert_eq!(unread_count(&store, 1).unwrap(), 0, "no double count");
        assert_eq!(
            open(&store, 2, items[0].id).await.unwrap(),
            None,
            "not theirs"
        );
    }

    #[tokio::test]
    async fn muted_kinds_are_not_pushed_and_old_ones_are_purged() {
        let (_d, store) = store();
        store
            .commit(|tx| {
                save_preferences(
                    tx,
                    1,
                    &Preferences {
                        muted: vec![Kind::Message],
                        ..Preferences::default()
                    },
                )?;
                push(tx, 1, Kind::Message, "muet", "/m", 0)?;
                push(tx, 1, Kind::Mot, "ancien", "/c", 0)?;
                push(
                    tx,
                    1,
                    Kind::Mot,
                    "récent",
                    "/c",
                    RETENTION_DAYS * 86_400 * 1_000_000,
                )
            })
            .await
            .unwrap();
        assert_eq!(list(&store, 1).unwrap().len(), 2);
        assert_eq!(
            purge(&store, RETENTION_DAYS * 86_400 * 1_000_000 + 5).unwrap(),
            1
        );
        assert_eq!(unread_count(&store, 1).unwrap(), 1);
    }
}
