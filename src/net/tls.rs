//! HTTPS for a school LAN: a local certificate authority (10 years) that devices trust
//! once, and a server certificate (397 days at most, as browsers require) for
//! `<hostname>.local`, `<hostname>`, `localhost` and the machine's current addresses.
//! The server certificate is renewed 30 days before expiry or when the addresses change,
//! and handed to the listener without a restart. An administrator may supply their own
//! PEM files instead (`tls_cert`, `tls_key`).

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::config::Settings;
use crate::fsutil::write_private;

const RENEW_BEFORE_DAYS: i64 = 30;
const LEAF_DAYS: i64 = 396;
const CA_YEARS: i16 = 10;
const CHECK_EVERY: Duration = Duration::from_secs(6 * 3600);

#[derive(Debug, Serialize, Deserialize)]
struct CaInfo {
    common_name: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct LeafInfo {
    /// Unix seconds.
    not_after: i64,
    names: Vec<String>,
    addresses: Vec<IpAddr>,
}

/// The certificate and key (PEM) the HTTPS listener uses.
#[derive(Clone)]
pub struct Pair {
    pub cert: String,
    pub key: String,
}

pub struct TlsMaterial {
    /// The CA to offer for download (none with the administrator's own certificate).
    pub ca_pem: Option<String>,
    dir: PathBuf,
    sender: watch::Sender<Pair>,
    custom: bool,
}

fn tls_dir(settings: &Settings) -> PathBuf {
    settings.data_dir.join("tls")
}

/// DNS names of the server certificate.
pub fn dns_names(settings: &Settings) -> Vec<String> {
    vec![
        format!("{}.local", settings.hostname),
        settings.hostname.clone(),
        "localhost".to_string(),
    ]
}

/// The machine's current addresses (loopback included, link-local IPv6 left out since
/// browsers do not use them in URLs).
pub fn current_addresses() -> Vec<IpAddr> {
    let mut out: Vec<IpAddr> = vec![
        IpAddr::from([127, 0, 0, 1]),
        IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
    ];
    if let Ok(ifaces) = if_addrs::get_if_addrs() {
        for i in ifaces {
            let ip = i.ip();
            let link_local_v6 =
                matches!(ip, IpAddr::V6(v6) if (v6.segments()[0] & 0xffc0) == 0xfe80);
            if !link_local_v6 && !out.contains(&ip) {
                out.push(ip);
            }
        }
    }
    out.sort();
    out
}

fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

fn to_offset(secs: i64) -> anyhow::Result<time::OffsetDateTime> {
    Ok(time::OffsetDateTime::from_unix_timestamp(secs)?)
}

impl TlsMaterial {
    /// Loads or makes the CA and the server certificate.
    pub fn prepare(settings: &Settings) -> anyhow::Result<TlsMaterial> {
        let dir = tls_dir(settings);
        if let (Some(cert), Some(key)) = (&settings.tls_cert, &settings.tls_key) {
            let pair = Pair {
                cert: std::fs::read_to_string(cert)
                    .with_context(|| format!("lecture de {}", cert.display()))?,
                key: std::fs::read_to_string(key)
                    .with_context(|| format!("lecture de {}", key.display()))?,
            };
            check_pair(&pair)?;
            let (sender, _) = watch::channel(pair);
            return Ok(TlsMaterial {
                ca_pem: None,
                dir,
                sender,
                custom: true,
            });
        }
        std::fs::create_dir_all(&dir)?;
        let (ca_pem, ca_key, ca_name) = ensure_ca(&dir, &settings.hostname)?;
        let pair = match current_leaf(&dir, settings)? {
            Some(p) => p,
            None => issue_leaf(&dir, settings, &ca_key, &ca_name)?,
        };
        check_pair(&pair)?;
        let (sender, _) = watch::channel(pair);
        Ok(TlsMaterial {
            ca_pem: Some(ca_pem),
            dir,
            sender,
            custom: false,
        })
    }

    /// The current certificate, then each renewal (`net::acme::listener` serves them).
    pub fn subscribe(&self) -> watch::Receiver<Pair> {
        self.sender.subscribe()
    }

    /// Checks every few hours whether the certificate must be renewed.
    pub fn spawn_renewal(self, settings: Settings, mut stop: watch::Receiver<bool>) {
        if self.custom {
            return;
        }
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(CHECK_EVERY) => {}
                    _ = stop.changed() => return,
                }
                let dir = self.dir.clone();
                let s = settings.clone();
                let renewed =
                    tokio::task::spawn_blocking(move || -> anyhow::Result<Option<Pair>> {
                        if current_leaf(&dir, &s)?.is_some() {
                            return Ok(None);
                        }
                        let (_, key, name) = ensure_ca(&dir, &s.hostname)?;
                        Ok(Some(issue_leaf(&dir, &s, &key, &name)?))
                    })
                    .await;
                match renewed {
                    Ok(Ok(Some(pair))) => {
                        tracing::info!("certificat HTTPS renouvelé");
                        let _ = self.sender.send(pair);
                    }
                    Ok(Ok(None)) => {}
                    Ok(Err(e)) => tracing::error!("renouvellement du certificat HTTPS : {e:#}"),
                    Err(e) => tracing::error!("renouvellement du certificat HTTPS : {e}"),
                }
            }
        });
    }
}

/// Refuses a certificate and key that rustls cannot use, with a clear message at start.
fn check_pair(pair: &Pair) -> anyhow::Result<()> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pair.cert.as_bytes())
        .collect::<Result<_, _>>()
        .context("certificat PEM illisible")?;
    if certs.is_empty() {
        anyhow::bail!("le fichier de certificat ne contient aucun certificat PEM");
    }
    PrivateKeyDer::from_pem_slice(pair.key.as_bytes()).context("clé privée PEM illisible")?;
    Ok(())
}

fn ca_params(
    common_name: &str,
    not_before: i64,
    not_after: i64,
) -> anyhow::Result<CertificateParams> {
    let mut p = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn.push(DnType::OrganizationName, "Préau");
    p.distinguished_name = dn;
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    p.not_before = to_offset(not_before)?;
    p.not_after = to_offset(not_after)?;
    Ok(p)
}

/// Loads the CA, or makes it on first start. Returns (certificate PEM, key, name).
fn ensure_ca(dir: &Path, hostname: &str) -> anyhow::Result<(String, KeyPair, String)> {
    let cert_path = dir.join("ca.pem");
    let key_path = dir.join("ca.key");
    let info_path = dir.join("ca.json");
    if cert_path.exists() && key_path.exists() && info_path.exists() {
        let pem = std::fs::read_to_string(&cert_path)?;
        let key = KeyPair::from_pem(&std::fs::read_to_string(&key_path)?)
            .context("clé de l'autorité illisible")?;
        let info: CaInfo = serde_json::from_str(&std::fs::read_to_string(&info_path)?)?;
        return Ok((pem, key, info.common_name));
    }
    let suffix = &crate::auth::random_token()[..6];
    let common_name = format!("Préau — autorité de l'école {hostname} ({suffix})");
    let now = now_secs();
    let years = jiff::Span::new().years(CA_YEARS);
    let end = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .checked_add(years)?
        .timestamp()
        .as_second();
    let params = ca_params(&common_name, now - 86_400, end)?;
    let key = KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    write_private(&key_path, &key.serialize_pem())?;
    std::fs::write(&cert_path, cert.pem())?;
    std::fs::write(
        &info_path,
        serde_json::to_string(&CaInfo {
            common_name: common_name.clone(),
        })?,
    )?;
    tracing::info!(
        "autorité de certification locale créée : {}",
        cert_path.display()
    );
    Ok((cert.pem(), key, common_name))
}

/// The server certificate on disk if it is still good for the current names and
/// addresses and more than 30 days from expiry.
fn current_leaf(dir: &Path, settings: &Settings) -> anyhow::Result<Option<Pair>> {
    let (cert_path, key_path, info_path) = (
        dir.join("server.pem"),
        dir.join("server.key"),
        dir.join("server.json"),
    );
    if !(cert_path.exists() && key_path.exists() && info_path.exists()) {
        return Ok(None);
    }
    let info: LeafInfo = match serde_json::from_str(&std::fs::read_to_string(&info_path)?) {
        Ok(i) => i,
        Err(_) => return Ok(None),
    };
    let wanted = LeafInfo {
        not_after: info.not_after,
        names: dns_names(settings),
        addresses: current_addresses(),
    };
    if info != wanted {
        tracing::info!("les noms ou adresses de la machine ont changé : nouveau certificat HTTPS");
        return Ok(None);
    }
    if info.not_after - now_secs() < RENEW_BEFORE_DAYS * 86_400 {
        return Ok(None);
    }
    Ok(Some(Pair {
        cert: std::fs::read_to_string(cert_path)?,
        key: std::fs::read_to_string(key_path)?,
    }))
}

fn issue_leaf(
    dir: &Path,
    settings: &Settings,
    ca_key: &KeyPair,
    ca_name: &str,
) -> anyhow::Result<Pair> {
    let names = dns_names(settings);
    let addresses = current_addresses();
    let now = now_secs();
    let not_after = now + LEAF_DAYS * 86_400;
    let mut p = CertificateParams::new(names.clone())?;
    for ip in &addresses {
        p.subject_alt_names.push(SanType::IpAddress(*ip));
    }
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, format!("{}.local", settings.hostname));
    p.distinguished_name = dn;
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    p.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    p.not_before = to_offset(now - 86_400)?;
    p.not_after = to_offset(not_after)?;
    p.use_authority_key_identifier_extension = true;
    let issuer = Issuer::new(ca_params(ca_name, 0, 0)?, ca_key);
    let key = KeyPair::generate()?;
    let cert = p.signed_by(&key, &issuer)?;
    // Chain: server certificate then CA, so clients that trust the CA verify the path.
    let ca_pem = std::fs::read_to_string(dir.join("ca.pem"))?;
    let chain = format!("{}{}", cert.pem(), ca_pem);
    write_private(&dir.join("server.key"), &key.serialize_pem())?;
    std::fs::write(dir.join("server.pem"), &chain)?;
    std::fs::write(
        dir.join("server.json"),
        serde_json::to_string(&LeafInfo {
            not_after,
            names,
            addresses,
        })?,
    )?;
    Ok(Pair {
        cert: chain,
        key: key.serialize_pem(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(dir: &Path, name: &str) -> String {
        std::fs::read_to_string(dir.join("tls").join(name)).unwrap()
    }

    #[test]
    fn certificate_is_reused_and_renewed_when_names_change_or_expiry_nears() {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        let mut s = Settings::defaults(dir.path().to_path_buf());
        TlsMaterial::prepare(&s).unwrap();
        let (ca1, leaf1) = (read(dir.path(), "ca.pem"), read(dir.path(), "server.pem"));
        assert!(leaf1.ends_with(&ca1), "the chain carries the CA");
        TlsMaterial::prepare(&s).unwrap();
        assert_eq!(
            read(dir.path(), "server.pem"),
            leaf1,
            "a good certificate is kept"
        );

        s.hostname = "ecole-du-bourg".into();
        TlsMaterial::prepare(&s).unwrap();
        let leaf2 = read(dir.path(), "server.pem");
        assert_ne!(leaf2, leaf1, "a new name gives a new certificate");
        assert_eq!(read(dir.path(), "ca.pem"), ca1, "the CA stays");
        let info: LeafInfo = serde_json::from_str(&read(dir.path(), "server.json")).unwrap();
        assert!(info.names.contains(&"ecole-du-bourg.local".to_string()));
        assert!(info.not_after - now_secs() <= 397 * 86_400);

        let mut near = info;
        near.not_after = now_secs() + 5 * 86_400;
        std::fs::write(
            dir.path().join("tls/server.json"),
            serde_json::to_string(&near).unwrap(),
        )
        .unwrap();
        TlsMaterial::prepare(&s).unwrap();
        assert_ne!(
            read(dir.path(), "server.pem"),
            leaf2,
            "renewed 30 days before expiry"
        );
    }

    #[test]
    fn an_administrators_certificate_is_used_as_given() {
        let dir = tempfile::tempdir().unwrap();
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec!["ent.mairie.fr".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        std::fs::write(dir.path().join("c.pem"), cert.pem()).unwrap();
        std::fs::write(dir.path().join("k.pem"), key.serialize_pem()).unwrap();
        let mut s = Settings::defaults(dir.path().to_path_buf());
        s.tls_cert = Some(dir.path().join("c.pem"));
        s.tls_key = Some(dir.path().join("k.pem"));
        let m = TlsMaterial::prepare(&s).unwrap();
        assert!(m.ca_pem.is_none());
        assert!(!dir.path().join("tls/ca.pem").exists());
        std::fs::write(dir.path().join("k.pem"), "pas une clé").unwrap();
        assert!(TlsMaterial::prepare(&s).is_err());
    }
}
