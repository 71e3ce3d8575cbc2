//! « Mes données » (RGPD, right of access and portability): every person downloads a ZIP
//! of what Préau holds about them, each part as HTML to read and JSON to reuse; a guardian
//! also gets what concerns each child. The archive is made in the background
//! ([`spawn`]), one at a time per person, written entry by entry to a temporary file that
//! is synced and renamed (`writer.rs`), offered for [`KEEP_DAYS`] days, then deleted by
//! the hourly job ([`purge`]). The director makes one for a person who asks on paper
//! (`/admin/mes-donnees`). Requests and downloads go to the audit journal.

mod access;
mod canteen;
mod gather;
mod records;
mod routes;
mod suivi;
mod views;
mod works;
mod writer;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::auth::journal::{record_audit, AuditEvent};
use crate::refusal::{Failure, Outcome};
use crate::store::{Result, Store, Table};

pub use routes::routes;

/// Export id → the export.
pub const EXPORTS: Table<u64, Export> = Table::new("mydata_exports");
/// Person → their current export: one at a time, decided inside a transaction.
pub const CURRENT: Table<u64, u64> = Table::new("mydata_current");
pub const TABLES: &[&str] = &[EXPORTS.name, CURRENT.name];

/// Days an archive is offered before the hourly job deletes it.
pub const KEEP_DAYS: i64 = 7;
const DAY: i64 = 86_400 * 1_000_000;
/// A preparation that has not moved for this long died with the server (a restart): the
/// person may ask again.
const STALE: i64 = 3_600 * 1_000_000;
/// The folder of the archives, in the data folder.
pub const FOLDER: &str = "mes-donnees";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum State {
    Preparing { percent: u8 },
    Ready { size: u64 },
    Failed,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Export {
    pub id: u64,
    /// Whose data it holds.
    pub subject: u64,
    /// Who asked: the person, or the director for them.
    pub requested_by: u64,
    pub requested_at: i64,
    pub updated_at: i64,
    #[serde(default)]
    pub ready_at: Option<i64>,
    pub state: State,
}

impl Export {
    /// Made from the console by the director for someone else.
    pub fn from_console(&self) -> bool {
        self.requested_by != self.subject
    }

    /// Still being made (and not abandoned by a restart).
    pub fn preparing(&self, now: i64) -> Option<u8> {
        match self.state {
            State::Preparing { percent } if now - self.updated_at < STALE => Some(percent),
            _ => None,
        }
    }

    /// Ready and not yet expired: its size.
    pub fn ready(&self, now: i64) -> Option<u64> {
        match self.state {
            State::Ready { size } if now < self.expires_at() => Some(size),
            _ => None,
        }
    }

    pub fn expires_at(&self) -> i64 {
        self.ready_at.unwrap_or(self.requested_at) + KEEP_DAYS * DAY
    }
}

/// Where the archive of export `id` is kept: the name comes from the id alone.
pub fn file(store: &Store, id: u64) -> PathBuf {
    store.data_dir().join(FOLDER).join(format!("{id}.zip"))
}

pub fn get(store: &Store, id: u64) -> Result<Option<Export>> {
    store.get(&EXPORTS, &id)
}

/// The person's current export, if any.
pub fn current(store: &Store, subject: u64) -> Result<Option<Export>> {
    match store.get(&CURRENT, &subject)? {
        Some(id) => store.get(&EXPORTS, &id),
        None => Ok(None),
    }
}

/// Exports the director made from the console, newest first.
pub fn from_console(store: &Store) -> Result<Vec<Export>> {
    let mut list: Vec<Export> = store
        .scan(&EXPORTS)?
        .into_iter()
        .map(|(_, e)| e)
        .filter(Export::from_console)
        .collect();
    list.sort_by_key(|e| std::cmp::Reverse(e.id));
    Ok(list)
}

/// Whether `user` answers the console's search `query`: every word of it is found in
/// the names or the login, accents and case folded, as the accounts list searches. An
/// empty query keeps everyone.
pub fn answers(user: &crate::directory::User, query: &str) -> bool {
    use crate::directory::fold;
    let query = fold(query);
    let hay = fold(&format!(
        "{} {} {} {}",
        user.first_name,
        user.last_name,
        user.usage_name.as_deref().unwrap_or_default(),
        user.login
    ));
    query
        .split('-')
        .filter(|w| !w.is_empty())
        .all(|w| hay.contains(w))
}

/// Starts an export of `subject`'s data asked by `by` (with the audit line, in the same
/// transaction); refused while one is being made. Returns the new export and the one it
/// replaces (whose file the caller deletes).
pub fn start(
    tx: &mut crate::store::Tx<'_>,
    subject: &crate::directory::User,
    by: &crate::directory::User,
    now: i64,
) -> Outcome<(Export, Option<u64>)> {
    let old = match tx.get(&CURRENT, &subject.id)? {
        Some(id) => tx.get(&EXPORTS, &id)?,
        None => None,
    };
    if old.as_ref().and_then(|e| e.preparing(now)).is_some() {
        return Err(Failure::refused(
            "Une archive est déjà en préparation : attendez qu'elle soit prête.",
        ));
    }
    if let Some(o) = &old {
        tx.remove(&EXPORTS, &o.id)?;
    }
    let export = Export {
        id: tx.next_id("mydata_export")?,
        subject: subject.id,
        requested_by: by.id,
        requested_at: now,
        updated_at: now,
        ready_at: None,
        state: State::Preparing { percent: 0 },
    };
    tx.put(&EXPORTS, &export.id, &export)?;
    tx.put(&CURRENT, &subject.id, &export.id)?;
    let action = if by.id == subject.id {
        format!("Archive « Mes données » n° {} demandée", export.id)
    } else {
        format!(
            "Archive « Mes données » n° {} préparée pour {} ({})",
            export.id,
            subject.display_name(),
            subject.login
        )
    };
    record_audit(
        tx,
        &AuditEvent {
            at: now,
            actor_id: Some(by.id),
            actor_login: by.login.clone(),
            action,
        },
    )?;
    Ok((export, old.map(|o| o.id)))
}

/// Records how far the export has gone (the page shows it).
fn set_state(store: &Store, id: u64, state: State, now: i64) -> Result<()> {
    store.commit_blocking(|tx| {
        if let Some(mut e) = tx.get(&EXPORTS, &id)? {
            if matches!(state, State::Ready { .. }) {
                e.ready_at = Some(now);
            }
            e.state = state.clone();
            e.updated_at = now;
            tx.put(&EXPORTS, &id, &e)?;
        }
        Ok(())
    })
}

/// Only one archive is written at a time on the server (a small machine: 2 cores).
static WRITING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Makes the archive of `export` in the background; the page follows its progress.
pub fn spawn(store: Store, export: Export) {
    tokio::spawn(async move {
        let Ok(_permit) = WRITING.acquire().await else {
            return;
        };
        let id = export.id;
        let store2 = store.clone();
        let made = tokio::task::spawn_blocking(move || {
            let runtime = tokio::runtime::Handle::current();
            writer::write(&store2, &export, &runtime)
        })
        .await;
        let failed = match made {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(e) => Some(e.to_string()),
        };
        if let Some(e) = failed {
            tracing::warn!("archive « Mes données » n° {id} : {e}");
            let _ = std::fs::remove_file(writer::part_file(&store, id));
            let _ = set_state(&store, id, State::Failed, crate::auth::now_micros());
        }
    });
}

/// Deletes archives past their [`KEEP_DAYS`] days (and their records), and any file of
/// the folder that no export refers to any more (an account deleted, a server stopped
/// while writing) once it is an hour old, so that an archive being started is never
/// swept; returns how many archives went.
pub fn purge(store: &Store, now: i64) -> Result<usize> {
    let all = store.scan(&EXPORTS)?;
    let expired: Vec<Export> = all
        .iter()
        .filter(|(_, e)| now >= e.expires_at())
        .map(|(_, e)| e.clone())
        .collect();
    if !expired.is_empty() {
        store.commit_blocking(|tx| {
            for e in &expired {
                tx.remove(&EXPORTS, &e.id)?;
                if tx.get(&CURRENT, &e.subject)? == Some(e.id) {
                    tx.remove(&CURRENT, &e.subject)?;
                }
            }
            Ok(())
        })?;
    }
    let mut removed = 0;
    for e in &expired {
        let _ = std::fs::remove_file(writer::part_file(store, e.id));
        if std::fs::remove_file(file(store, e.id)).is_ok() {
            removed += 1;
        }
    }
    let kept: std::collections::HashSet<u64> = all
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !expired.iter().any(|e| e.id == *id))
        .collect();
    let Ok(entries) = std::fs::read_dir(store.data_dir().join(FOLDER)) else {
        return Ok(removed);
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        // « 12.zip », « 12.zip.part »: anything else was not written here.
        let id = name
            .strip_suffix(".zip")
            .or_else(|| name.strip_suffix(".zip.part"))
            .and_then(|n| n.parse::<u64>().ok());
        let Some(id) = id else { continue };
        let written = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_micros() as i64)
            .unwrap_or(now);
        if !kept.contains(&id)
            && now - written > STALE
            && std::fs::remove_file(entry.path()).is_ok()
            && name.ends_with(".zip")
        {
            removed += 1;
        }
    }
    Ok(removed)
}

/// The account deletion: the person's exports go (their files with the next purge).
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let ids: Vec<u64> = store
        .scan(&EXPORTS)?
        .into_iter()
        .filter(|(_, e)| e.subject == user)
        .map(|(id, _)| id)
        .collect();
    Ok(Box::new(move |tx| {
        for id in &ids {
            tx.remove(&EXPORTS, id)?;
        }
        tx.remove(&CURRENT, &user)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{self, NewUser, User};

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_raw(
            dir.path(),
            &crate::store::StoreOptions::default(),
            &crate::schema::tables(),
        )
        .unwrap();
        (dir, store)
    }

    fn person(store: &Store) -> User {
        store
            .commit_checked_blocking(|tx| {
                let id = directory::create_user(
                    tx,
                    &NewUser {
                        login: "marc.petit".into(),
                        first_name: "Marc".into(),
                        last_name: "Petit".into(),
                        profile: crate::policy::Profile::Responsable,
                        functions: vec![],
                        email: None,
                        password_hash: None,
                        must_change_password: false,
                        created_at: 0,
                    },
                )?;
                Ok(directory::user_in(tx, id)?.unwrap())
            })
            .unwrap()
    }

    fn start_at(store: &Store, who: &User, now: i64) -> Outcome<(Export, Option<u64>)> {
        store.commit_checked_blocking(|tx| start(tx, who, who, now))
    }

    #[test]
    fn the_console_search_finds_by_name_or_login_without_accents() {
        let (_dir, store) = store();
        let mut marc = person(&store);
        marc.first_name = "Éloïse".into();
        marc.last_name = "d’Arc".into();
        for q in [
            "",
            "  ",
            "eloise",
            "ÉLOÏSE",
            "arc elo",
            "d'arc",
            "marc.pe",
            "Éloïse d’Arc",
        ] {
            assert!(answers(&marc, q), "{q:?}");
        }
        for q in ["zoé", "eloise martin", "petitx"] {
            assert!(!answers(&marc, q), "{q:?}");
        }
        marc.usage_name = Some("Dupré".into());
        assert!(answers(&marc, "dupre"));
    }

    #[test]
    fn one_archive_at_a_time_and_gone_after_seven_days() {
        let (_dir, store) = store();
        let marc = person(&store);
        let t0 = crate::auth::now_micros();
        let (first, replaced) = start_at(&store, &marc, t0).unwrap();
        assert_eq!(replaced, None);
        // A second request while the first is being made is refused.
        assert!(matches!(
            start_at(&store, &marc, t0 + 1_000_000),
            Err(Failure::Refused(_))
        ));
        set_state(&store, first.id, State::Ready { size: 10 }, t0 + 2_000_000).unwrap();
        let ready = current(&store, marc.id).unwrap().unwrap();
        assert_eq!(ready.ready(t0 + 3_000_000), Some(10));
        // Once ready, a new request replaces it; its file is the caller's to delete.
        let (second, replaced) = start_at(&store, &marc, t0 + 3_000_000).unwrap();
        assert_eq!(replaced, Some(first.id));
        assert!(get(&store, first.id).unwrap().is_none());
        // A preparation abandoned by a restart does not block the person for ever.
        assert!(start_at(&store, &marc, t0 + 3_000_000 + STALE + 1).is_ok());
        let audit = crate::auth::journal::recent_audit(&store, 10).unwrap();
        assert_eq!(audit.len(), 3, "each request is audited");
        let _ = second;

        // The files: the current archive stays 7 days, anything else goes.
        let folder = store.data_dir().join(FOLDER);
        std::fs::create_dir_all(&folder).unwrap();
        let now_id = current(&store, marc.id).unwrap().unwrap().id;
        std::fs::write(file(&store, now_id), b"zip").unwrap();
        std::fs::write(file(&store, first.id), b"old").unwrap();
        std::fs::write(folder.join("notes.txt"), b"not ours").unwrap();
        assert_eq!(
            purge(&store, t0 + 4_000_000).unwrap(),
            0,
            "a fresh file stays"
        );
        assert!(file(&store, first.id).exists());
        let t = t0 + 4_000_000 + STALE;
        assert_eq!(purge(&store, t).unwrap(), 1, "the orphan file");
        assert!(file(&store, now_id).exists());
        assert!(folder.join("notes.txt").exists(), "only names it writes");
        assert_eq!(purge(&store, t + KEEP_DAYS * DAY).unwrap(), 1);
        assert!(!file(&store, now_id).exists());
        assert!(current(&store, marc.id).unwrap().is_none());
    }
}
