//! The certificate job: serves the certificate on disk for the public name, orders one
//! when there is none or when renewal is due (30 days before expiry, or at two thirds of
//! the lifetime for short-lived certificates, whichever comes first), and after a failure
//! tries again with a growing wait (1 minute, doubling, at most 6 hours). Every attempt's
//! outcome goes to the status the console shows.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::sync::watch;

use super::{order, AcmeStatus};
use crate::app::App;
use crate::fsutil::write_private;

const LOOK_EVERY_SECS: i64 = 6 * 3600;
const RENEW_BEFORE_SECS: i64 = 30 * 86_400;
const FIRST_RETRY_SECS: i64 = 60;
const LAST_RETRY_SECS: i64 = 6 * 3600;

/// A certificate's validity (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Validity {
    pub not_before: i64,
    pub not_after: i64,
}

impl Validity {
    /// 30 days before expiry; for a short-lived certificate (60 days or less, where that
    /// would come before half its life), at two thirds of its lifetime. Let's Encrypt's
    /// 90 days: day 60 either way; a 6-day certificate: day 4.
    pub fn renew_at(self) -> i64 {
        let lifetime = self.not_after - self.not_before;
        if lifetime > 2 * RENEW_BEFORE_SECS {
            self.not_after - RENEW_BEFORE_SECS
        } else {
            self.not_before + lifetime * 2 / 3
        }
    }
}

/// The wait after `failures` failures in a row.
pub fn retry_after(failures: u32) -> i64 {
    let doubled = FIRST_RETRY_SECS.saturating_mul(1i64 << failures.saturating_sub(1).min(20));
    doubled.min(LAST_RETRY_SECS)
}

fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// The leaf's validity, from the first certificate of a PEM chain.
pub fn validity(chain_pem: &str) -> anyhow::Result<Validity> {
    use rustls::pki_types::pem::PemObject;
    let leaf = rustls::pki_types::CertificateDer::pem_slice_iter(chain_pem.as_bytes())
        .next()
        .context("chaîne vide")??;
    let (_, cert) = x509_parser::parse_x509_certificate(leaf.as_ref())
        .map_err(|e| anyhow::anyhow!("certificat illisible : {e}"))?;
    Ok(Validity {
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
    })
}

fn file_stem(name: &str) -> String {
    // A checked DNS name: letters, digits, hyphens and dots only.
    name.replace('.', "_")
}

/// The chain and key on disk for `name`, if any.
fn on_disk(folder: &Path, name: &str) -> Option<(String, String)> {
    let stem = file_stem(name);
    let chain = std::fs::read_to_string(folder.join(format!("{stem}.pem"))).ok()?;
    let key = std::fs::read_to_string(folder.join(format!("{stem}.key"))).ok()?;
    Some((chain, key))
}

fn save(folder: &Path, name: &str, issued: &order::Issued) -> anyhow::Result<()> {
    std::fs::create_dir_all(folder)?;
    let stem = file_stem(name);
    write_private(&folder.join(format!("{stem}.key")), &issued.key)?;
    write_private(&folder.join(format!("{stem}.pem")), &issued.chain)?;
    Ok(())
}

/// Starts the job (it looks at once, then when due, or when the director saves).
pub fn spawn(app: App, mut stop: watch::Receiver<bool>) {
    tokio::spawn(async move {
        let mut woken = false;
        loop {
            let wait = round(&app, woken).await;
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(wait.max(1) as u64)) => woken = false,
                _ = app.acme.wake.notified() => woken = true,
                _ = stop.changed() => return,
            }
        }
    });
}

/// One look: returns the seconds until the next one. `woken`: the director just saved,
/// so a waiting retry is tried at once.
async fn round(app: &App, woken: bool) -> i64 {
    let settings = match super::settings(&app.store) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!("réglages de l'accès depuis la maison illisibles : {e}");
            return LOOK_EVERY_SECS;
        }
    };
    let Some(name) = settings.acme_name().map(str::to_string) else {
        if let Ok(mut public) = app.acme.public.write() {
            *public = None;
        }
        return LOOK_EVERY_SECS;
    };
    let folder = super::folder(&app.settings.data_dir);
    let mut status = super::status(&app.store).unwrap_or_default();
    if status.name != name {
        status = AcmeStatus {
            name: name.clone(),
            ..AcmeStatus::default()
        };
    }
    let current = on_disk(&folder, &name).and_then(|(chain, key)| {
        let validity = validity(&chain).ok()?;
        let served = super::listener::certified_key(&chain, &key).ok()?;
        Some((validity, served))
    });
    let now = now_secs();
    match &current {
        Some((v, served)) => {
            if let Ok(mut public) = app.acme.public.write() {
                *public = Some((name.clone(), served.clone()));
            }
            status.not_before = Some(v.not_before);
            status.not_after = Some(v.not_after);
        }
        None => {
            if let Ok(mut public) = app.acme.public.write() {
                *public = None;
            }
        }
    }
    if let Some((v, _)) = &current {
        if v.renew_at() > now {
            status.next_attempt = None;
            keep(app, &status).await;
            return (v.renew_at() - now).min(LOOK_EVERY_SECS);
        }
    }
    if let Some(next) = status.next_attempt {
        if next > now && !woken {
            keep(app, &status).await;
            return next - now;
        }
    }
    tracing::info!(name = %name, "demande d'un certificat à l'autorité ACME");
    let outcome = order::obtain(
        &folder,
        &settings,
        app.settings.acme_ca_file.as_deref(),
        &app.acme,
    )
    .await;
    let now = now_secs();
    let installed = outcome.and_then(|issued| {
        let v = validity(&issued.chain).map_err(|e| format!("certificat reçu illisible : {e}"))?;
        let served = super::listener::certified_key(&issued.chain, &issued.key)
            .map_err(|e| format!("certificat reçu inutilisable : {e:#}"))?;
        save(&folder, &name, &issued)
            .map_err(|e| format!("enregistrement du certificat impossible : {e:#}"))?;
        Ok((v, served, issued.validated))
    });
    match installed {
        Ok((v, served, validated)) => {
            if let Ok(mut public) = app.acme.public.write() {
                *public = Some((name.clone(), served));
            }
            tracing::info!(name = %name, not_after = v.not_after, "certificat ACME obtenu");
            status.not_before = Some(v.not_before);
            status.not_after = Some(v.not_after);
            if validated {
                status.last_validation = Some(now);
                status.last_validation_challenge = Some(settings.challenge);
            }
            status.failure = None;
            status.failures_in_a_row = 0;
            status.next_attempt = None;
            keep(app, &status).await;
            (v.renew_at() - now).clamp(1, LOOK_EVERY_SECS)
        }
        Err(reason) => {
            tracing::warn!(name = %name, "certificat ACME : {reason}");
            status.failures_in_a_row = status.failures_in_a_row.saturating_add(1);
            let wait = retry_after(status.failures_in_a_row);
            status.failure = Some((now, reason));
            status.next_attempt = Some(now + wait);
            keep(app, &status).await;
            wait
        }
    }
}

async fn keep(app: &App, status: &AcmeStatus) {
    if super::status(&app.store).ok().as_ref() == Some(status) {
        return;
    }
    if let Err(e) = super::save_status(&app.store, status).await {
        tracing::warn!("état du certificat ACME non enregistré : {e}");
    }
}

/// The ACME certificate served for `name` (tests and the console read it).
pub fn served(app: &App) -> Option<(String, Arc<rustls::sign::CertifiedKey>)> {
    app.acme.public.read().ok()?.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_comes_30_days_before_expiry_or_at_two_thirds_for_short_lives() {
        let day = 86_400;
        let le = Validity {
            not_before: 0,
            not_after: 90 * day,
        };
        assert_eq!(le.renew_at(), 60 * day);
        let year = Validity {
            not_before: 0,
            not_after: 397 * day,
        };
        assert_eq!(year.renew_at(), 367 * day);
        let month = Validity {
            not_before: 0,
            not_after: 45 * day,
        };
        assert_eq!(month.renew_at(), 30 * day);
        let seconds = Validity {
            not_before: 100,
            not_after: 130,
        };
        assert_eq!(seconds.renew_at(), 120);
        let short = Validity {
            not_before: 0,
            not_after: 6 * day,
        };
        assert_eq!(short.renew_at(), 4 * day);
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        assert_eq!(retry_after(1), 60);
        assert_eq!(retry_after(2), 120);
        assert_eq!(retry_after(5), 960);
        assert_eq!(retry_after(40), 6 * 3600);
    }
}
