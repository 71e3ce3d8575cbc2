//! « Changer de compte » on a family phone (two guardians, or a guardian and an older
//! pupil): the device remembers which accounts signed in on it, and offers them again.
//!
//! - The memory is a cookie of the device ([`DEVICE_COOKIE`]): the ids of the last
//!   [`MAX_REMEMBERED`] accounts that signed in here, signed with a key of the school
//!   (HMAC-SHA256), so that a visitor cannot write ids of their choosing and read the
//!   names of other people. It holds no session and no secret of any account.
//! - Switching asks for the other account's password again: a device that kept two
//!   sessions open would let whoever holds the phone enter either account (a child
//!   taking the parent's), and a password typed again is what the login throttle and
//!   the connection log already guard. The form goes to `/connexion`, which closes the
//!   session it replaces.
//! - The new session cookie brings `Clear-Site-Data: "cache", "storage"` (`pwa::reading`):
//!   the browser drops the offline copies of the first person's pages and the service
//!   worker with its push subscription, so nobody reads another's cached pages or gets
//!   their notifications.

use aws_lc_rs::hmac;
use maud::{html, Markup};
use poem::web::{Data, Redirect};
use poem::{handler, IntoResponse, Request, Response};
use serde::Deserialize;

use crate::app::App;
use crate::auth::web::{cookie, cookie_header, Member};
use crate::error::AppResult;
use crate::policy::{require, Action};
use crate::store::{Result, Store, Table};
use crate::ui::csrf_input;
use crate::ui::input::FormInput;

pub const DEVICE_COOKIE: &str = "preau_appareil";
/// Accounts remembered by one device.
pub const MAX_REMEMBERED: usize = 4;
/// Kept for a year: a family phone is not reset every month.
const COOKIE_DAYS: i64 = 365;

pub const KEYS: Table<String, Vec<u8>> = Table::new("device_cookie_key");
pub const TABLES: &[&str] = &[KEYS.name];
const KEY: &str = "hmac";

pub const PAGE: &str = "/compte/changer-de-compte";
/// The switcher's forms say so to the login (`depuis`), so that a refusal comes back here.
pub const FROM_SWITCHER: &str = "changer-de-compte";

/// The school's key for device cookies, made the first time.
async fn key(store: &Store) -> Result<hmac::Key> {
    let bytes = match store.get(&KEYS, &KEY.to_string())? {
        Some(b) => b,
        None => {
            let made = crate::auth::random_token().into_bytes();
            store
                .commit(|tx| match tx.get(&KEYS, &KEY.to_string())? {
                    Some(existing) => Ok(existing),
                    None => {
                        tx.put(&KEYS, &KEY.to_string(), &made)?;
                        Ok(made.clone())
                    }
                })
                .await?
        }
    };
    Ok(hmac::Key::new(hmac::HMAC_SHA256, &bytes))
}

fn sign(key: &hmac::Key, ids: &str) -> String {
    crate::push::crypto::b64(hmac::sign(key, format!("appareil:{ids}").as_bytes()).as_ref())
}

/// The cookie's value for `ids` (most recent first).
fn encode(key: &hmac::Key, ids: &[u64]) -> String {
    let list: Vec<String> = ids.iter().map(u64::to_string).collect();
    let list = list.join("-");
    format!("{list}.{}", sign(key, &list))
}

/// The ids of a cookie, when its signature is the school's; none otherwise.
fn decode(key: &hmac::Key, value: &str) -> Vec<u64> {
    let Some((list, signature)) = value.rsplit_once('.') else {
        return Vec::new();
    };
    let Some(tag) = crate::push::crypto::unb64(signature) else {
        return Vec::new();
    };
    if hmac::verify(key, format!("appareil:{list}").as_bytes(), &tag).is_err() {
        return Vec::new();
    }
    list.split('-')
        .filter_map(|id| id.parse().ok())
        .take(MAX_REMEMBERED)
        .collect()
}

/// The accounts this device remembers, most recent first.
pub async fn remembered(app: &App, req: &Request) -> Result<Vec<u64>> {
    match cookie(req, DEVICE_COOKIE) {
        Some(value) => Ok(decode(&key(&app.store).await?, value)),
        None => Ok(Vec::new()),
    }
}

/// The `Set-Cookie` that puts `user` first in the device's memory (at login).
pub async fn remember(app: &App, req: &Request, user: u64) -> Result<String> {
    let mut ids = remembered(app, req).await?;
    ids.retain(|id| *id != user);
    ids.insert(0, user);
    ids.truncate(MAX_REMEMBERED);
    let value = encode(&key(&app.store).await?, &ids);
    Ok(cookie_header(
        app,
        DEVICE_COOKIE,
        &value,
        Some(COOKIE_DAYS * 86_400),
    ))
}

#[handler]
pub async fn show(Data(app): Data<&App>, member: Member, req: &Request) -> AppResult<Markup> {
    require(member.actor(), Action::ManageOwnAccount)?;
    let me = member.user().id;
    let mut others = Vec::new();
    for id in remembered(app, req).await? {
        if id == me {
            continue;
        }
        if let Some(u) = crate::directory::user(&app.store, id)?.filter(|u| !u.disabled) {
            others.push((u.id, u.login.clone(), u.display_name()));
        }
    }
    app.page(
        &member.visitor,
        "Changer de compte",
        "/compte",
        view(&member, &others),
    )
}

fn view(member: &Member, others: &[(u64, String, String)]) -> Markup {
    let visitor = &member.visitor;
    html! {
        (crate::ui::heading("Changer de compte", Some("Sur un téléphone partagé (deux parents, un parent et un grand frère ou une grande sœur), chacun garde son compte. Changer de compte ferme le vôtre sur cet appareil et efface les pages gardées pour la lecture hors ligne.")))
        @if others.is_empty() {
            section.panel {
                p.empty { "Aucun autre compte ne s'est connecté sur cet appareil." }
            }
        }
        @for (id, login, name) in others {
            section.panel aria-labelledby=(format!("compte-{id}")) {
                h2 #(format!("compte-{id}")) { (name) }
                form method="post" action="/connexion" novalidate {
                    (csrf_input(visitor))
                    input type="hidden" name="login" value=(login);
                    input type="hidden" name="suite" value="/accueil";
                    input type="hidden" name="depuis" value=(FROM_SWITCHER);
                    div.field {
                        label for=(format!("mdp-{id}")) { "Mot de passe " (crate::ui::de(name)) }
                        input #(format!("mdp-{id}")) type="password" name="password" required autocomplete="current-password";
                    }
                    button.primary type="submit" { "Passer à ce compte" }
                }
                form.inline method="post" action=(format!("{PAGE}/oublier")) {
                    (csrf_input(visitor))
                    input type="hidden" name="compte" value=(id);
                    button type="submit" { "Oublier ce compte sur cet appareil" }
                }
            }
        }
        section.panel aria-labelledby="autre-compte" {
            h2 #autre-compte { "Un autre compte" }
            form method="post" action="/connexion" novalidate {
                (csrf_input(visitor))
                input type="hidden" name="suite" value="/accueil";
                input type="hidden" name="depuis" value=(FROM_SWITCHER);
                div.field {
                    label for="autre-identifiant" { "Identifiant" }
                    input #autre-identifiant type="text" name="login" required autocomplete="username";
                }
                div.field {
                    label for="autre-mdp" { "Mot de passe" }
                    input #autre-mdp type="password" name="password" required autocomplete="current-password";
                }
                button type="submit" { "Se connecter avec ce compte" }
            }
        }
        p { a href="/compte" { "Retour à mon compte" } }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ForgetForm {
    compte: String,
}

/// Takes an account out of the device's memory.
#[handler]
pub async fn forget(
    Data(app): Data<&App>,
    member: Member,
    req: &Request,
    FormInput(f): FormInput<ForgetForm>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageOwnAccount)?;
    let gone: u64 = f.compte.trim().parse().unwrap_or(0);
    let mut ids = remembered(app, req).await?;
    ids.retain(|id| *id != gone);
    let value = encode(&key(&app.store).await?, &ids);
    Ok(Redirect::see_other(PAGE)
        .with_header(
            "set-cookie",
            cookie_header(app, DEVICE_COOKIE, &value, Some(COOKIE_DAYS * 86_400)),
        )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_schools_signature_is_read() {
        let key = hmac::Key::new(hmac::HMAC_SHA256, b"cle de l'ecole");
        let value = encode(&key, &[12, 7]);
        assert_eq!(decode(&key, &value), vec![12, 7]);
        let forged = value.replacen("12", "13", 1);
        assert!(decode(&key, &forged).is_empty());
        let other = hmac::Key::new(hmac::HMAC_SHA256, b"autre");
        assert!(decode(&other, &value).is_empty());
        assert!(decode(&key, "12-7").is_empty());
    }
}
