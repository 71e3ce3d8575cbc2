//! Home access: how families reach Préau from home, and for a school box with a public
//! name, its certificate from an ACME authority (Let's Encrypt by default) — obtained,
//! renewed and served beside the local CA's certificate, which `ecole.local` and the
//! machine's addresses keep.
//!
//! - `mod.rs`: the director's choice (kept in the store), the status the console shows,
//!   the challenges waiting for the authority's visit and the certificates served.
//! - `order.rs`: one ACME order (account, challenge, CSR, chain) with `instant-acme`.
//! - `renewal.rs`: the job that obtains, renews 30 days before expiry (2/3 of the lifetime
//!   for short-lived certificates) and retries failures with backoff.
//! - `listener.rs`: the HTTPS acceptor that picks a certificate by SNI and answers
//!   TLS-ALPN-01 (`acme-tls/1`).
//! - `routes.rs`, `views.rs`: the console page, the HTTP-01 answer on port 80.
//!
//! What stays LAN-only (the class board, picture passwords, blogs « sur le réseau de
//! l'école ») is decided by the client's address (`board::from_school`); a visit asking
//! for the public name (`Host`, or `:authority` in HTTP/2: `net::request_host`) counts as
//! outside whatever its address
//! (`board::on_school_network`), since some boxes rewrite the source of forwarded
//! connections to their own LAN address (hairpin NAT). A forged `Host` can only refuse.

pub mod listener;
pub mod order;
pub mod renewal;
pub mod routes;
pub mod views;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use rustls::sign::CertifiedKey;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::store::{Result, Store, Tx};

const SETTINGS_KEY: &str = "home_access";
const STATUS_KEY: &str = "acme_status";
pub const LETS_ENCRYPT: &str = "https://acme-v02.api.letsencrypt.org/directory";

/// « Les familles se connectent-elles depuis la maison ? »
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HomeAccess {
    /// The school box itself, under a public name with a certificate from an ACME CA.
    PublicName,
    /// Hosted by the collectivité behind its proxy (`preau@`, docs/hebergement.md).
    Collectivite,
    /// Only on the school network.
    #[default]
    SchoolOnly,
}

impl HomeAccess {
    pub const ALL: [HomeAccess; 3] = [
        HomeAccess::PublicName,
        HomeAccess::Collectivite,
        HomeAccess::SchoolOnly,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HomeAccess::PublicName => "nom-public",
            HomeAccess::Collectivite => "collectivite",
            HomeAccess::SchoolOnly => "ecole",
        }
    }

    pub fn from_code(code: &str) -> Option<HomeAccess> {
        HomeAccess::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            HomeAccess::PublicName => "Oui, par un nom public pour la box de l'école",
            HomeAccess::Collectivite => "Oui, Préau est hébergé par la collectivité",
            HomeAccess::SchoolOnly => "Non, Préau reste sur le réseau de l'école",
        }
    }
}

/// How the ACME authority checks that the public name leads here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Challenge {
    /// TLS-ALPN-01: on the HTTPS port (443), nothing else to open.
    #[default]
    TlsAlpn,
    /// HTTP-01: on the HTTP port (80), for a box that can only forward 80 too.
    Http,
}

impl Challenge {
    pub fn code(self) -> &'static str {
        match self {
            Challenge::TlsAlpn => "tls-alpn-01",
            Challenge::Http => "http-01",
        }
    }

    pub fn from_code(code: &str) -> Option<Challenge> {
        [Challenge::TlsAlpn, Challenge::Http]
            .into_iter()
            .find(|c| c.code() == code)
    }

    pub fn port_label(self) -> &'static str {
        match self {
            Challenge::TlsAlpn => "port 443 (TLS-ALPN-01)",
            Challenge::Http => "port 80 (HTTP-01)",
        }
    }
}

/// The director's choice, as saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeSettings {
    pub access: HomeAccess,
    /// The public name typed by the director (`ent.ecole-du-bourg.fr`), lowercase.
    pub public_name: String,
    pub directory_url: String,
    /// Optional e-mail the authority writes to about expiry or incidents.
    pub contact: String,
    pub challenge: Challenge,
}

impl Default for HomeSettings {
    fn default() -> HomeSettings {
        HomeSettings {
            access: HomeAccess::SchoolOnly,
            public_name: String::new(),
            directory_url: LETS_ENCRYPT.to_string(),
            contact: String::new(),
            challenge: Challenge::TlsAlpn,
        }
    }
}

impl HomeSettings {
    /// The name to obtain a certificate for, when the school box has one.
    pub fn acme_name(&self) -> Option<&str> {
        (self.access == HomeAccess::PublicName && !self.public_name.is_empty())
            .then_some(self.public_name.as_str())
    }
}

pub fn settings(store: &Store) -> Result<HomeSettings> {
    Ok(store.meta(SETTINGS_KEY)?.unwrap_or_default())
}

pub fn save_settings(tx: &mut Tx<'_>, s: &HomeSettings) -> Result<()> {
    tx.set_meta(SETTINGS_KEY, s)
}

/// A DNS name an ACME authority can certify: letters, digits and hyphens in at least
/// two labels, no IP address, no `.local` (it never resolves on the internet).
pub fn check_public_name(typed: &str) -> std::result::Result<String, &'static str> {
    let name = typed.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        return Err("Indiquez le nom public de la box de l'école (ex. : ent.ecole-du-bourg.fr).");
    }
    if name.contains("://") || name.contains('/') || name.contains(':') {
        return Err("Le nom seul, sans https:// ni chemin ni port (ex. : ent.ecole-du-bourg.fr).");
    }
    if name.parse::<std::net::IpAddr>().is_ok() {
        return Err("Une autorité ne certifie pas une adresse IP : indiquez un nom de domaine.");
    }
    let labels: Vec<&str> = name.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || name.len() > 253 || !labels.iter().all(label_ok) {
        return Err("Ce nom n'est pas un nom de domaine (lettres sans accents, chiffres, tirets et points, ex. : ent.ecole-du-bourg.fr).");
    }
    if name.ends_with(".local") || name == "localhost" {
        return Err(
            "Un nom en .local n'existe que sur le réseau de l'école : il faut un nom public.",
        );
    }
    Ok(name)
}

/// What the console shows of the certificate and of the last attempts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AcmeStatus {
    /// The name the certificate below is for.
    pub name: String,
    /// Unix seconds.
    pub not_before: Option<i64>,
    pub not_after: Option<i64>,
    /// The last time the authority reached this box by the public name and validated a
    /// challenge: the one honest proof that it is reachable from the internet.
    pub last_validation: Option<i64>,
    pub last_validation_challenge: Option<Challenge>,
    /// The last failure (unix seconds, reason in French), cleared by a success.
    pub failure: Option<(i64, String)>,
    pub failures_in_a_row: u32,
    /// When the job tries next (unix seconds).
    pub next_attempt: Option<i64>,
}

pub fn status(store: &Store) -> Result<AcmeStatus> {
    Ok(store.meta(STATUS_KEY)?.unwrap_or_default())
}

pub async fn save_status(store: &Store, s: &AcmeStatus) -> Result<()> {
    store.commit(|tx| tx.set_meta(STATUS_KEY, s)).await
}

/// « Joignable depuis Internet » as far as Préau can honestly tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reachable {
    /// The authority validated a challenge on this name within the last `FRESH` days.
    Yes(i64),
    /// The last attempt failed because the authority could not connect.
    No,
    Unknown,
}

/// A validation older than this no longer says anything about today's box.
const FRESH_SECS: i64 = 7 * 86_400;

pub fn reachable(status: &AcmeStatus, name: &str, now: i64) -> Reachable {
    if status.name != name {
        return Reachable::Unknown;
    }
    let validated = status.last_validation.filter(|t| now - t <= FRESH_SECS);
    match (&status.failure, validated) {
        // A failure after the last validation that is about connecting says « non ».
        (Some((at, reason)), v) if v.is_none_or(|t| *at > t) && reason.contains("joindre") => {
            Reachable::No
        }
        (_, Some(t)) => Reachable::Yes(t),
        _ => Reachable::Unknown,
    }
}

/// Where the account key and the certificates live (`<data>/acme`, files 0600).
pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("acme")
}

/// The certificates the HTTPS listener serves and the challenges it answers: shared by
/// the listener, the HTTP-01 route and the renewal job.
#[derive(Default)]
pub struct Acme {
    /// The local CA's certificate (ecole.local, the addresses, any other name).
    pub(crate) local: RwLock<Option<Arc<CertifiedKey>>>,
    /// The public name and its ACME certificate.
    pub(crate) public: RwLock<Option<(String, Arc<CertifiedKey>)>>,
    /// TLS-ALPN-01: the challenge certificate for a name while an order waits.
    pub(crate) alpn: Mutex<HashMap<String, Arc<CertifiedKey>>>,
    /// HTTP-01: token → key authorization while an order waits.
    pub(crate) http: Mutex<HashMap<String, String>>,
    /// The public name as saved (read by the session layer for every request).
    name: RwLock<Option<String>>,
    /// Wakes the renewal job when the director changes the settings.
    pub(crate) wake: Notify,
}

impl Acme {
    pub fn new(settings: &HomeSettings) -> Acme {
        let acme = Acme::default();
        acme.set_name(settings.acme_name());
        acme
    }

    /// The public name of the school box, if it has one.
    pub fn public_name(&self) -> Option<String> {
        self.name.read().ok().and_then(|n| n.clone())
    }

    /// `https://<public name>`: what families type at home (the box forwards 443).
    pub fn public_url(&self) -> Option<String> {
        self.public_name().map(|n| format!("https://{n}"))
    }

    pub(crate) fn set_name(&self, name: Option<&str>) {
        if let Ok(mut n) = self.name.write() {
            *n = name.map(str::to_string);
        }
    }

    /// Whether a request's `Host` is the public name (ports and case aside).
    pub fn is_public_host(&self, host: &str) -> bool {
        let bare = host.split(':').next().unwrap_or(host).trim_end_matches('.');
        self.public_name()
            .is_some_and(|n| n.eq_ignore_ascii_case(bare))
    }

    /// After the director saved new settings: the job looks again at once.
    pub fn settings_changed(&self, settings: &HomeSettings) {
        self.set_name(settings.acme_name());
        self.wake.notify_one();
    }

    pub(crate) fn http_answer(&self, token: &str) -> Option<String> {
        self.http.lock().ok()?.get(token).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_names_are_checked() {
        assert_eq!(
            check_public_name(" ENT.Ecole-du-Bourg.fr. ").as_deref(),
            Ok("ent.ecole-du-bourg.fr")
        );
        for bad in [
            "",
            "https://ent.fr",
            "ent.fr/preau",
            "ent.fr:443",
            "192.168.1.10",
            "ecole.local",
            "localhost",
            "école.fr",
            "-a.fr",
            "ent",
        ] {
            assert!(check_public_name(bad).is_err(), "{bad} refused");
        }
    }

    #[test]
    fn reachability_is_only_claimed_from_a_recent_validation() {
        let mut s = AcmeStatus {
            name: "ent.a.fr".into(),
            ..AcmeStatus::default()
        };
        let now = 1_000_000_000;
        assert_eq!(reachable(&s, "ent.a.fr", now), Reachable::Unknown);
        s.last_validation = Some(now - 3600);
        assert_eq!(reachable(&s, "ent.a.fr", now), Reachable::Yes(now - 3600));
        assert_eq!(reachable(&s, "autre.a.fr", now), Reachable::Unknown);
        assert_eq!(
            reachable(&s, "ent.a.fr", now + 8 * 86_400),
            Reachable::Unknown
        );
        s.failure = Some((now - 60, "l'autorité n'a pas pu joindre la box".into()));
        assert_eq!(reachable(&s, "ent.a.fr", now), Reachable::No);
        s.failure = Some((now - 60, "compte refusé".into()));
        assert_eq!(reachable(&s, "ent.a.fr", now), Reachable::Yes(now - 3600));
    }

    #[test]
    fn public_host_ignores_port_and_case() {
        let acme = Acme::new(&HomeSettings {
            access: HomeAccess::PublicName,
            public_name: "ent.a.fr".into(),
            ..HomeSettings::default()
        });
        assert!(acme.is_public_host("ENT.a.fr:8443"));
        assert!(!acme.is_public_host("ecole.local"));
        acme.settings_changed(&HomeSettings::default());
        assert!(!acme.is_public_host("ent.a.fr"));
    }
}
