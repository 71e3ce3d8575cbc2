//! Activation of accounts created by the school: the director prints letters (one code
//! per adult, with a QR code of the activation link); the person types the code, chooses
//! a password, accepts the charter and lands on their home page.
//! Owns the `activations` and `user_activation` tables. Codes are stored hashed; printing
//! letters again issues new codes and makes the old ones useless.

mod letters;

pub use letters::print_letters;

use crate::routing::{Access, Routes};
use crate::ui::input::FormInput;
use std::time::Instant;

use maud::{html, Markup};
use poem::web::{Data, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::auth::throttle::french_wait;
use crate::auth::visitor::Visitor;
use crate::auth::web::{cookie_header, Who};
use crate::auth::{self, Flash};
use crate::directory::{self, User};
use crate::error::AppResult;
use crate::policy::Profile;
use crate::refusal::Failure;
use crate::store::{Result, Store, Table};
use crate::ui::csrf_input;
use crate::ui::form::{Field, FormState};

pub const ACTIVATIONS: Table<String, Activation> = Table::new("activations");
pub const USER_ACTIVATION: Table<u64, String> = Table::new("user_activation");
pub const TABLES: &[&str] = &[ACTIVATIONS.name, USER_ACTIVATION.name];

/// Codes are valid 3 months by default.
pub const VALIDITY_MICROS: i64 = 92 * 86_400 * 1_000_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Activation {
    pub user_id: u64,
    pub expires_at: i64,
}

/// « ABCD-EFGH-JKMN »: 12 characters without look-alikes (about 60 bits).
pub fn new_code() -> String {
    let raw = auth::password::generate_readable(12).to_uppercase();
    format!("{}-{}-{}", &raw[..4], &raw[4..8], &raw[8..])
}

fn normalize(code: &str) -> String {
    let c: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_uppercase();
    if c.len() == 12 {
        format!("{}-{}-{}", &c[..4], &c[4..8], &c[8..])
    } else {
        c
    }
}

/// Issues new codes for these accounts (replacing earlier ones). Returns (id, code).
pub fn issue_codes(store: &Store, user_ids: &[u64], now: i64) -> Result<Vec<(u64, String)>> {
    let codes: Vec<(u64, String)> = user_ids.iter().map(|id| (*id, new_code())).collect();
    store.commit_blocking(|tx| {
        for (id, code) in &codes {
            if let Some(old) = tx.get(&USER_ACTIVATION, id)? {
                tx.remove(&ACTIVATIONS, &old)?;
            }
            let key = auth::session_key(code);
            tx.put(
                &ACTIVATIONS,
                &key,
                &Activation {
                    user_id: *id,
                    expires_at: now + VALIDITY_MICROS,
                },
            )?;
            tx.put(&USER_ACTIVATION, id, &key)?;
        }
        Ok(())
    })?;
    Ok(codes)
}

/// The account a code activates, if the code is known, unexpired and the account still
/// waits for activation.
pub fn lookup(store: &Store, code: &str, now: i64) -> Result<Option<User>> {
    let key = auth::session_key(&normalize(code));
    let Some(a) = store.get(&ACTIVATIONS, &key)? else {
        return Ok(None);
    };
    if a.expires_at < now {
        return Ok(None);
    }
    Ok(directory::user(store, a.user_id)?.filter(|u| !u.disabled))
}

/// Accounts of adults that still wait for activation (no password yet).
pub fn waiting_adults(store: &Store, class_id: Option<u64>) -> Result<Vec<User>> {
    let mut out = Vec::new();
    for u in directory::users(store, None)? {
        if u.profile == Profile::Eleve || u.password_hash.is_some() || u.disabled {
            continue;
        }
        if let Some(c) = class_id {
            // A guardian belongs to a class through their children.
            let mut in_class = directory::classes_of(store, u.id)?.contains(&c);
            for child in directory::children_of(store, u.id)? {
                in_class |= directory::classes_of(store, child)?.contains(&c);
            }
            if !in_class {
                continue;
            }
        }
        out.push(u);
    }
    Ok(out)
}

pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(150, 150)
                .build();
            // Inline in the page: the XML declaration is not allowed there.
            match svg.find("<svg") {
                Some(i) => svg[i..].replacen(
                    "<svg ",
                    "<svg role=\"img\" aria-label=\"Code QR du lien d'activation\" ",
                    1,
                ),
                None => svg,
            }
        }
        Err(_) => String::new(),
    }
}

/// Public routes: `/activation`.
pub fn routes() -> Routes {
    Routes::new()
        .get("/", code_form, Access::Public)
        .post("/", code_submit, Access::Public)
        .post("/valider", finish, Access::Public)
        .console(
            "/lettres",
            Routes::new()
                .get("/", letters::letters_form, Access::Director)
                .post("/", letters::letters_print, Access::Director),
        )
}

#[derive(Deserialize, Default)]
struct CodeQuery {
    code: Option<String>,
}

fn code_view(app: &App, who: &Visitor, form: &FormState) -> AppResult<Markup> {
    let body = html! {
        section.panel.narrow {
            h1 { "Activer mon compte" }
            p { "Saisissez le code d'activation reçu de l'école (sur votre lettre)." }
            form method="post" action="/activation" novalidate {
                (csrf_input(who))
                (Field::text("code", "Code d'activation").hint("Douze lettres et chiffres, par ex. ABCD-EFGH-JKMN.").required().autocomplete("off").render(form))
                button.primary type="submit" { "Continuer" }
            }
        }
    };
    app.page(who, "Activer mon compte", "", body)
}

#[handler]
fn code_form(
    Data(app): Data<&App>,
    Who(who): Who,
    Query(q): Query<CodeQuery>,
) -> AppResult<Markup> {
    let form = FormState::with_values([("code", q.code.unwrap_or_default())]);
    code_view(app, &who, &form)
}

fn password_view(
    app: &App,
    who: &Visitor,
    user: &User,
    code: &str,
    form: &FormState,
) -> AppResult<Markup> {
    let charter = crate::charter::current(&app.store)?;
    let accept_error = form.errors.get("accept");
    let body = html! {
        section.panel.reading {
            h1 { "Bonjour " (user.first_name) }
            p.lead { "Votre identifiant est " strong { (user.login) } ". Choisissez votre mot de passe." }
            (crate::ui::form::error_summary(form))
            form method="post" action="/activation/valider" novalidate {
                (csrf_input(who))
                input type="hidden" name="code" value=(code);
                (Field::text("password", "Mot de passe").kind("password").hint(auth::password::RULE).required().autocomplete("new-password").strength().render(form))
                (Field::text("password_confirm", "Mot de passe (confirmation)").kind("password").required().autocomplete("new-password").render(form))
                h2 { "Charte de l'ENT" }
                div.charter tabindex="0" role="region" aria-label="Texte de la charte" { (crate::charter::render_text(&charter.text)) }
                div class=(if accept_error.is_some() { "field check has-error" } else { "field check" }) {
                    @if let Some(e) = accept_error { p.error { (e) } }
                    input #f-accept type="checkbox" name="accept" value="oui";
                    label for="f-accept" { "J'ai lu la charte et je m'engage à la respecter." }
                }
                p.small { "Vos données personnelles : " a href="/informations" target="_blank" { "informations RGPD" } "." }
                button.primary type="submit" { "Activer mon compte" }
            }
        }
    };
    app.page(who, "Activer mon compte", "", body)
}

fn throttled(app: &App, who: &Visitor) -> Option<String> {
    app.throttle_addresses
        .wait(&format!("activation:{}", who.address), Instant::now())
        .map(|w| {
            format!(
                "Trop d'essais. Attendez {} avant de réessayer.",
                french_wait(w)
            )
        })
}

fn refuse(app: &App, who: &Visitor, code: &str, message: &str) -> AppResult<Response> {
    app.throttle_addresses
        .fail(&format!("activation:{}", who.address), Instant::now());
    let mut form = FormState::with_values([("code", code.to_string())]);
    form.error("code", message);
    Ok((
        poem::http::StatusCode::UNAUTHORIZED,
        code_view(app, who, &form)?,
    )
        .into_response())
}

/// The activation code typed by the person.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ActivationCode {
    code: String,
}

#[handler]
fn code_submit(
    Data(app): Data<&App>,
    Who(who): Who,
    FormInput(f): FormInput<ActivationCode>,
) -> AppResult<Response> {
    let code = f.code.trim().to_string();
    if let Some(m) = throttled(app, &who) {
        return refuse(app, &who, &code, &m);
    }
    match lookup(&app.store, &code, auth::now_micros())? {
        Some(user) => Ok(password_view(app, &who, &user, &normalize(&code), &FormState::new())?.into_response()),
        None => refuse(app, &who, &code, "Ce code n'est pas valable : vérifiez-le, ou demandez une nouvelle lettre à l'école (les codes expirent après 3 mois)."),
    }
}

/// The activation's last step: code, password twice, charter.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ActivationFinish {
    code: String,
    password: String,
    password_confirm: String,
    accept: String,
}

#[handler]
async fn finish(
    Data(app): Data<&App>,
    Who(who): Who,
    req: &poem::Request,
    FormInput(f): FormInput<ActivationFinish>,
) -> AppResult<Response> {
    let code = f.code;
    if let Some(m) = throttled(app, &who) {
        return refuse(app, &who, &code, &m);
    }
    let now = auth::now_micros();
    let Some(user) = lookup(&app.store, &code, now)? else {
        return refuse(app, &who, &code, "Ce code n'est plus valable.");
    };
    let password = f.password;
    let mut form = FormState::new();
    if let Err(m) = auth::password::check_strength(&password) {
        form.error("password", m);
    } else if password != f.password_confirm {
        form.error(
            "password_confirm",
            "Les deux mots de passe ne sont pas identiques.",
        );
    }
    if f.accept != "oui" {
        form.error("accept", "Cochez la case pour accepter la charte.");
    }
    if !form.is_ok() {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            password_view(app, &who, &user, &code, &form)?,
        )
            .into_response());
    }
    let hash = auth::password::hash(password, app.settings.bcrypt_cost).await?;
    let version = crate::charter::current(&app.store)?.version;
    let key = auth::session_key(&normalize(&code));
    let id = user.id;
    app.store
        .commit_checked(|tx| {
            let mut u = directory::user_in(tx, id)?
                .ok_or_else(|| Failure::refused("Ce compte n'existe plus."))?;
            u.password_hash = Some(hash.clone());
            u.must_change_password = false;
            u.charter_version = version;
            directory::save_user(tx, &u)?;
            tx.remove(&ACTIVATIONS, &key)?;
            Ok(tx.remove(&USER_ACTIVATION, &id)?)
        })
        .await?;
    let token = auth::open_session(&app.store, id, &who.address, &who.user_agent, now).await?;
    auth::push_flash(
        &app.store,
        &auth::session_key(&token),
        Flash::success("Votre compte est activé. Bienvenue !"),
    )
    .await?;
    let max_age = (app.settings.session_max_days * 86_400) as i64;
    // The phone remembers who signed in on it last, as a login does (account::switch).
    let device = crate::account::switch::remember(app, req, id).await?;
    Ok(Redirect::see_other("/accueil")
        .with_header(
            "set-cookie",
            cookie_header(app, auth::SESSION_COOKIE, &token, Some(max_age)),
        )
        .with_header("set-cookie", device)
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_and_qr_is_inline_svg() {
        let c = new_code();
        assert_eq!(c.len(), 14);
        assert_eq!(normalize(&c.to_lowercase().replace('-', " ")), c);
        let svg = qr_svg("https://ecole.local/activation?code=ABCD-EFGH-JKMN");
        assert!(svg.starts_with("<svg role=\"img\""), "{}", &svg[..40]);
        assert!(!svg.contains("<?xml"));
        assert!(!svg.contains("style="), "CSP forbids inline styles");
    }

    #[test]
    fn a_new_code_replaces_the_old_and_codes_expire() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_raw(
            dir.path(),
            &crate::store::StoreOptions::default(),
            &crate::schema::tables(),
        )
        .unwrap();
        let id = store
            .commit_checked_blocking(|tx| {
                directory::create_user(
                    tx,
                    &directory::NewUser {
                        login: "sophie.petit".into(),
                        first_name: "Sophie".into(),
                        last_name: "Petit".into(),
                        profile: Profile::Responsable,
                        functions: vec![],
                        email: None,
                        password_hash: None,
                        must_change_password: false,
                        created_at: 0,
                    },
                )
            })
            .unwrap();
        let first = issue_codes(&store, &[id], 0).unwrap()[0].1.clone();
        assert_eq!(lookup(&store, &first, 1).unwrap().unwrap().id, id);
        let second = issue_codes(&store, &[id], 0).unwrap()[0].1.clone();
        assert!(
            lookup(&store, &first, 1).unwrap().is_none(),
            "the old code is dead"
        );
        assert!(
            lookup(&store, &second.to_lowercase(), 1).unwrap().is_some(),
            "case does not matter"
        );
        assert!(
            lookup(&store, &second, VALIDITY_MICROS + 1)
                .unwrap()
                .is_none(),
            "expired"
        );
        assert_eq!(waiting_adults(&store, None).unwrap().len(), 1);
    }
}
