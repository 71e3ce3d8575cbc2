//! Authentication: passwords, server-side sessions, CSRF, throttling and the connection
//! log. Sessions live in the store (revocable, survive restarts); the cookie only holds a
//! random token whose SHA-256 is the session's key, so a copy of the data folder does not
//! hold usable cookies.

pub mod csrf;
pub mod journal;
pub mod password;
pub mod rate;
pub mod routes;
pub mod throttle;
pub mod visitor;
pub mod web;

pub use visitor::{Flash, FlashKind};

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::store::{Key, Result, Store, Table};

pub const SESSIONS: Table<String, Session> = Table::new("sessions");
pub const USER_SESSIONS: Table<(u64, String), ()> = Table::new("user_sessions");

pub const TABLES: &[&str] = &[
    SESSIONS.name,
    USER_SESSIONS.name,
    journal::CONNECTIONS.name,
    journal::AUDIT.name,
];

pub const SESSION_COOKIE: &str = "preau_session";
/// CSRF token of visitors without a session (login form, setup wizard).
pub const PRE_COOKIE: &str = "preau_pre";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub user_id: u64,
    /// Microseconds since the epoch.
    pub created_at: i64,
    pub last_seen: i64,
    pub csrf: String,
    pub address: String,
    pub user_agent: String,
    #[serde(default)]
    pub flashes: Vec<Flash>,
    /// The name of the session's offline cache ([`reader_id`] of its key), made once when
    /// it opens rather than hashed again on every page; empty in a session opened before
    /// it was kept, whose pages make it each time.
    #[serde(default)]
    pub reader: String,
}

/// Session lifetimes.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub idle_micros: i64,
    pub absolute_micros: i64,
}

impl Lifetimes {
    pub fn from_settings(s: &crate::config::Settings) -> Lifetimes {
        Lifetimes {
            idle_micros: (s.session_idle_minutes as i64) * 60 * 1_000_000,
            absolute_micros: (s.session_max_days as i64) * 86_400 * 1_000_000,
        }
    }
}

/// 32 random bytes, URL-safe base64.
pub fn random_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The store key of a session token.
pub fn session_key(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The name of a session's offline cache (`pwa::reading`): a digest of the session's key
/// (itself a digest of the cookie), so that it tells nothing about the cookie. A new login
/// is a new name.
pub fn reader_id(session_key: &str) -> String {
    let digest = Sha256::digest(format!("preau-hors-ligne:{session_key}").as_bytes());
    hex::encode(digest.iter().take(12).copied().collect::<Vec<u8>>())
}

/// Opens a session; returns the cookie token. Durable before the login page answers.
pub async fn open_session(
    store: &Store,
    user_id: u64,
    address: &str,
    user_agent: &str,
    now: i64,
) -> Result<String> {
    let token = random_token();
    let key = session_key(&token);
    let session = Session {
        user_id,
        created_at: now,
        last_seen: now,
        csrf: random_token(),
        address: address.to_string(),
        user_agent: user_agent.chars().take(200).collect(),
        flashes: Vec::new(),
        reader: reader_id(&key),
    };
    store
        .commit(|tx| {
            tx.put(&SESSIONS, &key, &session)?;
            tx.put(&USER_SESSIONS, &(user_id, key.clone()), &())
        })
        .await?;
    Ok(token)
}

/// The live session of a token, or `None` (unknown, idle too long or too old; an
/// expired session is deleted on the way).
pub fn load_session(
    store: &Store,
    token: &str,
    now: i64,
    life: Lifetimes,
) -> Result<Option<(String, Session)>> {
    let key = session_key(token);
    let Some(session) = store.get(&SESSIONS, &key)? else {
        return Ok(None);
    };
    if now - session.last_seen > life.idle_micros || now - session.created_at > life.absolute_micros
    {
        remove_sessions(store, &[(session.user_id, key)])?;
        return Ok(None);
    }
    Ok(Some((key, session)))
}

/// Records activity at most once a minute, without forcing a flush: losing a
/// `last_seen` in a crash only shortens the idle window.
pub fn touch(store: &Store, key: &str, session: &Session, now: i64) -> Result<()> {
    if now - session.last_seen < 60_000_000 {
        return Ok(());
    }
    let key = key.to_string();
    store.write(|tx| {
        if let Some(mut s) = tx.get(&SESSIONS, &key)? {
            s.last_seen = now;
            tx.put(&SESSIONS, &key, &s)?;
        }
        Ok(())
    })
}

fn remove_sessions(store: &Store, keys: &[(u64, String)]) -> Result<()> {
    store.commit_blocking(|tx| {
        for (user_id, key) in keys {
            tx.remove(&SESSIONS, key)?;
            tx.remove(&USER_SESSIONS, &(*user_id, key.clone()))?;
        }
        Ok(())
    })
}

/// Ends one session (logout).
pub async fn close_session(store: &Store, key: &str, user_id: u64) -> Result<()> {
    let key = key.to_string();
    store
        .commit(|tx| {
            tx.remove(&SESSIONS, &key)?;
            tx.remove(&USER_SESSIONS, &(user_id, key.clone()))
        })
        .await
}

/// Ends every session of a person (« se déconnecter de tous les appareils », password
/// change, account disabled). Returns how many were open.
pub async fn close_all_sessions(
    store: &Store,
    user_id: u64,
    except: Option<&str>,
) -> Result<usize> {
    let keys: Vec<(u64, String)> = store
        .scan_prefix(&USER_SESSIONS, &user_id.encode())?
        .into_iter()
        .map(|(k, ())| k)
        .filter(|(_, key)| Some(key.as_str()) != except)
        .collect();
    let n = keys.len();
    store
        .commit(|tx| {
            for (uid, key) in &keys {
                tx.remove(&SESSIONS, key)?;
                tx.remove(&USER_SESSIONS, &(*uid, key.clone()))?;
            }
            Ok(())
        })
        .await?;
    Ok(n)
}

/// Open sessions of a person, newest first.
pub fn sessions_of(store: &Store, user_id: u64) -> Result<Vec<(String, Session)>> {
    let mut out = Vec::new();
    for ((_, key), ()) in store.scan_prefix(&USER_SESSIONS, &user_id.encode())? {
        if let Some(s) = store.get(&SESSIONS, &key)? {
            out.push((key, s));
        }
    }
    out.sort_by_key(|(_, s)| std::cmp::Reverse(s.last_seen));
    Ok(out)
}

/// Queues a message for the next page of this session.
pub async fn push_flash(store: &Store, key: &str, flash: Flash) -> Result<()> {
    let key = key.to_string();
    store
        .commit(|tx| {
            if let Some(mut s) = tx.get(&SESSIONS, &key)? {
                s.flashes.push(flash.clone());
                tx.put(&SESSIONS, &key, &s)?;
            }
            Ok(())
        })
        .await
}

/// Takes the queued messages (they are shown once).
pub fn take_flashes(store: &Store, key: &str) -> Result<Vec<Flash>> {
    let key = key.to_string();
    store.write(|tx| {
        let Some(mut s) = tx.get(&SESSIONS, &key)? else {
            return Ok(Vec::new());
        };
        if s.flashes.is_empty() {
            return Ok(Vec::new());
        }
        let taken = std::mem::take(&mut s.flashes);
        tx.put(&SESSIONS, &key, &s)?;
        Ok(taken)
    })
}

/// Deletes expired sessions (periodic job).
pub fn purge_expired(store: &Store, now: i64, life: Lifetimes) -> Result<usize> {
    let mut expired: Vec<(u64, String)> = Vec::new();
    store.visit(&SESSIONS, |k, s| {
        if now - s.last_seen > life.idle_micros || now - s.created_at > life.absolute_micros {
            expired.push((s.user_id, k));
        }
    })?;
    if !expired.is_empty() {
        remove_sessions(store, &expired)?;
    }
    Ok(expired.len())
}

/// Microseconds since the Unix epoch.
pub fn now_micros() -> i64 {
    jiff::Timestamp::now().as_microsecond()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreOptions;

    const LIFE: Lifetimes = Lifetimes {
        idle_micros: 1_000,
        absolute_micros: 10_000,
    };

    /// A session opened before the offline cache's name was kept reads as one without it
    /// (the session layer then makes the name per page).
    #[test]
    fn a_session_kept_without_its_readers_name_still_reads() {
        let kept = r#"{"user_id":7,"created_at":0,"last_seen":0,"csrf":"c","address":"a","user_agent":"u"}"#;
        let session: Session = serde_json::from_str(kept).unwrap();
        assert!(session.reader.is_empty());
    }

    #[tokio::test]
    async fn sessions_expire_and_are_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_raw(dir.path(), &StoreOptions::default(), TABLES).unwrap();
        let t1 = open_session(&store, 7, "127.0.0.1", "test", 0)
            .await
            .unwrap();
        let t2 = open_session(&store, 7, "127.0.0.1", "test", 0)
            .await
            .unwrap();
        assert!(load_session(&store, &t1, 500, LIFE).unwrap().is_some());
        // idle too long
        assert!(load_session(&store, &t1, 2_000, LIFE).unwrap().is_none());
        assert!(
            load_session(&store, &t1, 0, LIFE).unwrap().is_none(),
            "expired session is deleted"
        );
        // revocation of all the others
        let (k2, s2) = load_session(&store, &t2, 10, LIFE).unwrap().unwrap();
        // The offline cache's name is made when the session opens, not on each page.
        assert_eq!(s2.reader, reader_id(&k2));
        let t3 = open_session(&store, 7, "127.0.0.1", "test", 10)
            .await
            .unwrap();
        assert_eq!(close_all_sessions(&store, 7, Some(&k2)).await.unwrap(), 1);
        assert!(load_session(&store, &t3, 20, LIFE).unwrap().is_none());
        assert!(load_session(&store, &t2, 20, LIFE).unwrap().is_some());
        assert!(load_session(&store, "inconnu", 20, LIFE).unwrap().is_none());
    }

    #[tokio::test]
    async fn flashes_are_shown_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_raw(dir.path(), &StoreOptions::default(), TABLES).unwrap();
        let t = open_session(&store, 1, "", "", 0).await.unwrap();
        let key = session_key(&t);
        push_flash(&store, &key, Flash::success("Enregistré"))
            .await
            .unwrap();
        assert_eq!(take_flashes(&store, &key).unwrap().len(), 1);
        assert!(take_flashes(&store, &key).unwrap().is_empty());
    }
}
