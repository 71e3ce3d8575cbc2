//! E-mail digests of notifications, through the SMTP server the director configures
//! (the commune's or the académie's). Off until configured; each person chooses
//! never / immediately / daily in their preferences. Nothing else leaves the school.

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

use super::{Digest, Notification, Preferences, NOTIFICATIONS, PREFERENCES};
use crate::app::App;
use crate::store::{Result, Store, Table};

pub const SETTINGS: Table<String, SmtpSettings> = Table::new("mail_settings");
const KEY: &str = "smtp";

/// Hour (Europe/Paris) after which the daily digest goes out.
pub const DAILY_HOUR: i8 = 17;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// STARTTLS on port 587 (the usual case).
    Starttls,
    /// TLS from the start, port 465.
    Tls,
    /// No encryption: only for a relay inside the school's network.
    Plain,
}

impl Security {
    pub const ALL: [Security; 3] = [Security::Starttls, Security::Tls, Security::Plain];
    pub fn slug(self) -> &'static str {
        match self {
            Security::Starttls => "starttls",
            Security::Tls => "tls",
            Security::Plain => "aucun",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Security::Starttls => "STARTTLS (port 587, le plus courant)",
            Security::Tls => "TLS (port 465)",
            Security::Plain => "Aucun chiffrement (relais interne au réseau de l'école)",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    #[serde(default)]
    pub username: String,
    /// Kept in the store (the data folder is readable by the service account only):
    /// the server needs it to send.
    #[serde(default)]
    pub password: String,
    /// Sender address, e.g. « ent@ecole-tilleuls.fr ».
    pub from: String,
}

pub fn settings(store: &Store) -> Result<Option<SmtpSettings>> {
    store.get(&SETTINGS, &KEY.to_string())
}

pub fn save_settings(tx: &mut crate::store::Tx<'_>, s: Option<&SmtpSettings>) -> Result<()> {
    match s {
        Some(s) => tx.put(&SETTINGS, &KEY.to_string(), s),
        None => tx.remove(&SETTINGS, &KEY.to_string()),
    }
}

fn transport(s: &SmtpSettings) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let builder = match s.security {
        Security::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host)?,
        Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host)?,
        Security::Plain => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host),
    };
    let mut builder = builder
        .port(s.port)
        .timeout(Some(std::time::Duration::from_secs(20)));
    if !s.username.is_empty() {
        builder = builder.credentials(Credentials::new(s.username.clone(), s.password.clone()));
    }
    Ok(builder.build())
}

/// Sends one e-mail; the error is a French sentence for the console.
pub async fn send(s: &SmtpSettings, to: &str, subject: &str, body: String) -> anyhow::Result<()> {
    let from: Mailbox = s
        .from
        .parse()
        .map_err(|_| anyhow::anyhow!("l'adresse d'expéditeur « {} » n'est pas valide", s.from))?;
    let to: Mailbox = to
        .parse()
        .map_err(|_| anyhow::anyhow!("l'adresse « {to} » n'est pas valide"))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)?;
    transport(s)?.send(message).await.map_err(|e| {
        anyhow::anyhow!(
            "le serveur d'envoi {}:{} a refusé ou ne répond pas ({e})",
            s.host,
            s.port
        )
    })?;
    Ok(())
}

/// Whether a person's digest is due now.
pub fn due(prefs: &Preferences, pending: usize, now: i64) -> bool {
    if pending == 0 {
        return false;
    }
    match prefs.digest {
        Digest::Never => false,
        Digest::Immediate => true,
        Digest::Daily => {
            let (today, hour) = crate::ui::dates::local_day_and_hour(now);
            let (last_day, _) = crate::ui::dates::local_day_and_hour(prefs.last_digest);
            hour >= DAILY_HOUR && (prefs.last_digest == 0 || last_day < today)
        }
    }
}

/// The text of a digest.
pub fn digest_text(school: &str, address: &str, items: &[Notification]) -> String {
    let mut body =
        format!("Bonjour,\n\nDu nouveau pour vous dans l'espace numérique de {school} :\n\n");
    for n in items {
        body.push_str(&format!(
            "- {} ({})\n",
            n.text,
            crate::ui::dates::short_datetime(n.at)
        ));
    }
    body.push_str(&format!(
        "\nPour lire : {address}\n\nCe message ne contient que des titres : le contenu reste dans l'ENT. \
         Pour ne plus recevoir ces courriels, choisissez « Jamais » dans vos préférences de notifications.\n"
    ));
    body
}

/// One round: sends every digest that is due. Returns how many e-mails went out.
pub async fn run(app: &App, now: i64) -> Result<usize> {
    let Some(smtp) = settings(&app.store)? else {
        return Ok(0);
    };
    let school = crate::school::get(&app.store)?
        .map(|s| s.name)
        .unwrap_or_else(|| "l'école".into());
    let address = format!("https://{}.local/notifications", app.settings.hostname);
    let mut sent = 0;
    for (user_id, prefs) in app.store.scan(&PREFERENCES)? {
        if prefs.digest == Digest::Never {
            continue;
        }
        let Some(user) = crate::directory::user(&app.store, user_id)? else {
            continue;
        };
        let Some(email) = user.email.clone().filter(|e| !e.is_empty()) else {
            continue;
        };
        if user.disabled {
            continue;
        }
        let pending: Vec<Notification> = super::unread(&app.store, user_id)?
            .into_iter()
            .filter(|n| !n.emailed)
            .collect();
        if !due(&prefs, pending.len(), now) {
            continue;
        }
        let subject = format!("{school} : {} nouveauté(s)", pending.len());
        match send(
            &smtp,
            &email,
            &subject,
            digest_text(&school, &address, &pending),
        )
        .await
        {
            Ok(()) => {
                sent += 1;
                app.store
                    .commit(|tx| {
                        for n in &pending {
                            if let Some(mut stored) = tx.get(&NOTIFICATIONS, &(user_id, n.id))? {
                                stored.emailed = true;
                                tx.put(&NOTIFICATIONS, &(user_id, n.id), &stored)?;
                            }
                        }
                        let mut p = prefs.clone();
                        p.last_digest = now;
                        tx.put(&PREFERENCES, &user_id, &p)
                    })
                    .await?;
            }
            Err(e) => {
                // The server is down or refuses: stop this round, try again next time.
                tracing::warn!("envoi des notifications par courriel : {e}");
                break;
            }
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris(y: i16, m: i8, d: i8, h: i8) -> i64 {
        jiff::civil::date(y, m, d)
            .at(h, 0, 0, 0)
            .in_tz("Europe/Paris")
            .unwrap()
            .timestamp()
            .as_microsecond()
    }

    #[test]
    fn digests_are_due_by_preference() {
        let mut prefs = Preferences::default();
        let now = paris(2026, 11, 23, 18);
        assert!(!due(&prefs, 3, now), "never");
        prefs.digest = Digest::Immediate;
        assert!(due(&prefs, 1, now));
        assert!(!due(&prefs, 0, now), "nothing to send");
        prefs.digest = Digest::Daily;
        assert!(
            !due(&prefs, 2, paris(2026, 11, 23, 9)),
            "too early in the day"
        );
        assert!(due(&prefs, 2, now));
        prefs.last_digest = paris(2026, 11, 23, 17);
        assert!(!due(&prefs, 2, now), "once a day");
        assert!(due(&prefs, 2, paris(2026, 11, 24, 17)));
    }
}
