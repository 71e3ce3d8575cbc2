//! Supervision of many schools by the collectivité's technician: each school answers
//! `/admin/etat` with counts and dates only (version, schema, last backup, disk used,
//! certificate expiry, accounts activated), to whoever holds the status token its
//! director made in the console; off until then. `preau fleet status` reads a list of
//! schools and gathers their answers (`cli.rs`, over `client.rs`).

pub mod cert;
pub mod cli;
mod client;
pub mod routes;
mod views;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::app::App;
use crate::store::{Result, Store};

const TOKEN_KEY: &str = "status_token";

/// The status token as kept: its hash only (the director sees the token once).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct TokenRecord {
    sha256: String,
    created_at: i64,
}

/// What `/admin/etat` returns: counts and dates, nothing about a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Etat {
    pub version: String,
    pub schema: u64,
    /// Last successful backup, Unix seconds.
    pub derniere_sauvegarde: Option<i64>,
    /// Its age in seconds at the time of the answer.
    pub sauvegarde_age_secondes: Option<i64>,
    /// The last attempt failed (an unplugged drive, a full disk).
    pub sauvegarde_en_echec: bool,
    /// Bytes in the data folder (store, files, TLS, backups kept there).
    pub disque_octets: u64,
    /// Expiry of the certificate Préau serves itself, Unix seconds; `None` when a
    /// reverse proxy terminates TLS.
    pub certificat_expiration: Option<i64>,
    /// Accounts active as the console counts them (a password chosen, or a pupil signing
    /// in with pictures), and all accounts not disabled.
    pub comptes_actives: usize,
    pub comptes: usize,
}

/// The school's status at `now` (microseconds).
pub fn gather(app: &App, now: i64) -> Result<Etat> {
    let backup = crate::store_backups::status(app);
    let last = backup.as_ref().and_then(|b| b.last_success);
    // The console's one definition of an active account (a pupil signing in with
    // pictures is active without a password), so both give the same figure.
    use crate::directory::roster::{AccountState, Roster};
    let roster = Roster::of(&app.store)?;
    let activated = roster.count(AccountState::Active);
    let total = roster.len() - roster.count(AccountState::Disabled);
    let certificate = app.settings.tls.then(|| {
        app.settings
            .tls_cert
            .clone()
            .unwrap_or_else(|| app.settings.data_dir.join("tls").join("server.pem"))
    });
    Ok(Etat {
        version: env!("CARGO_PKG_VERSION").to_string(),
        schema: app.store.schema_version()?,
        derniere_sauvegarde: last.map(|t| t / 1_000_000),
        sauvegarde_age_secondes: last.map(|t| (now - t).max(0) / 1_000_000),
        sauvegarde_en_echec: backup.is_some_and(|b| !b.ok),
        disque_octets: folder_size(&app.settings.data_dir),
        certificat_expiration: certificate.and_then(|p| cert::pem_file_not_after(&p)),
        comptes_actives: activated,
        comptes: total,
    })
}

/// Bytes of the regular files under `dir` (symbolic links not followed).
fn folder_size(dir: &std::path::Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => stack.push(e.path()),
                Ok(m) if m.is_file() => total += m.len(),
                _ => {}
            }
        }
    }
    total
}

/// Whether the status answers: the token's date when one is set.
pub fn token_since(store: &Store) -> Result<Option<i64>> {
    Ok(token(store)?.map(|t| t.created_at))
}

fn token(store: &Store) -> Result<Option<TokenRecord>> {
    Ok(store.meta::<Option<TokenRecord>>(TOKEN_KEY)?.flatten())
}

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Makes a new token (the previous one stops working) and returns it, to be shown once.
pub async fn new_token(store: &Store, now: i64) -> Result<String> {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let token = hex::encode(bytes);
    let record = TokenRecord {
        sha256: digest(&token),
        created_at: now,
    };
    store
        .commit(|tx| tx.set_meta(TOKEN_KEY, &Some(record.clone())))
        .await?;
    Ok(token)
}

/// Switches the status off: no token answers any more.
pub async fn revoke(store: &Store) -> Result<()> {
    store
        .commit(|tx| tx.set_meta(TOKEN_KEY, &None::<TokenRecord>))
        .await
}

/// How a request's token stands.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenCheck {
    /// No token set: the status is off.
    Off,
    Refused,
    Granted,
}

/// Compares the presented token with the kept hash (in constant time).
pub fn check_token(store: &Store, presented: Option<&str>) -> Result<TokenCheck> {
    use subtle::ConstantTimeEq;
    let Some(kept) = token(store)? else {
        return Ok(TokenCheck::Off);
    };
    let Some(presented) = presented else {
        return Ok(TokenCheck::Refused);
    };
    let same: bool = digest(presented)
        .as_bytes()
        .ct_eq(kept.sha256.as_bytes())
        .into();
    Ok(if same {
        TokenCheck::Granted
    } else {
        TokenCheck::Refused
    })
}
