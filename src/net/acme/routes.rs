//! The console page « Accès depuis la maison » and the HTTP-01 answer on port 80.

use maud::Markup;
use poem::http::header::CONTENT_TYPE;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Redirect};
use poem::{handler, IntoResponse, Response};

use super::{check_public_name, Challenge, HomeAccess, HomeSettings, LETS_ENCRYPT};
use crate::app::App;
use crate::auth::journal::{record_audit, AuditEvent};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::AppResult;
use crate::policy::{require, Action};
use crate::routing::{Access, Routes};
use crate::ui::csrf_input;
use crate::ui::form::{first_value, FormState};

type Pairs = Vec<(String, String)>;

/// The console page (under `/admin`), and the HTTP-01 path the authority fetches.
pub fn routes() -> Routes {
    Routes::new().console(
        "/acces-maison",
        Routes::new()
            .get("/", console_page, Access::Director)
            .post("/", console_submit, Access::Director)
            .post("/essai", try_now, Access::Director),
    )
}

/// RFC 8555 §8.3: the key authorization for a token while an order waits, 404 otherwise.
pub fn challenge_routes() -> Routes {
    Routes::new().get(
        "/.well-known/acme-challenge/:token",
        http_challenge,
        Access::Public,
    )
}

#[handler]
pub(crate) fn http_challenge(Data(app): Data<&App>, Path(token): Path<String>) -> Response {
    match app.acme.http_answer(&token) {
        Some(answer) => Response::builder()
            .header(CONTENT_TYPE, "application/octet-stream")
            .body(answer),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body("Aucune validation en cours."),
    }
}

/// The settings typed in the form, or the form with its errors.
pub fn parse(f: &Pairs) -> Result<HomeSettings, FormState> {
    let mut form = FormState::with_values(
        ["acces", "nom_public", "validation", "annuaire", "contact"]
            .map(|k| (k, first_value(f, k).trim().to_string())),
    );
    let access = HomeAccess::from_code(form.value("acces"));
    if access.is_none() {
        form.error("acces", "Choisissez une des trois réponses.");
    }
    let access = access.unwrap_or_default();
    let mut public_name = String::new();
    if access == HomeAccess::PublicName {
        match check_public_name(form.value("nom_public")) {
            Ok(n) => public_name = n,
            Err(e) => form.error("nom_public", e),
        }
    }
    let directory_url = match form.value("annuaire") {
        "" => LETS_ENCRYPT.to_string(),
        url if url.starts_with("https://") && !url.contains(char::is_whitespace) => url.to_string(),
        _ => {
            form.error(
                "annuaire",
                "L'adresse de l'annuaire commence par https:// (ex. : celle de Let's Encrypt).",
            );
            String::new()
        }
    };
    let contact = form.value("contact").to_string();
    if !contact.is_empty() && !plain_email(&contact) {
        form.error("contact", "Cette adresse électronique n'est pas valide.");
    }
    let challenge = Challenge::from_code(form.value("validation")).unwrap_or_default();
    if !form.errors.is_empty() {
        return Err(form);
    }
    Ok(HomeSettings {
        access,
        public_name,
        directory_url,
        contact,
        challenge,
    })
}

/// An address to put after `mailto:`: one `@`, a dotted domain, nothing that would add
/// a header or another address.
fn plain_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.contains('@')
        && text
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, ',' | '?' | '&' | ':' | '<' | '>'))
}

/// Saves the settings (with the audit line) and tells the certificate job.
pub async fn save(app: &App, settings: &HomeSettings, event: Option<AuditEvent>) -> AppResult<()> {
    app.store
        .commit(|tx| {
            super::save_settings(tx, settings)?;
            match &event {
                Some(e) => record_audit(tx, e),
                None => Ok(()),
            }
        })
        .await?;
    app.acme.settings_changed(settings);
    Ok(())
}

fn page(app: &App, member: &Member, form: &FormState) -> AppResult<Markup> {
    let settings = super::settings(&app.store)?;
    let status = super::status(&app.store)?;
    let body = super::views::console(
        app.settings.tls,
        csrf_input(&member.visitor),
        form,
        &settings,
        &status,
        jiff::Timestamp::now().as_second(),
    );
    app.console_page(
        &member.visitor,
        "Accès depuis la maison",
        "/admin/acces-maison",
        body,
    )
}

#[handler]
fn console_page(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::EditSchool)?;
    let settings = super::settings(&app.store)?;
    page(app, &member, &super::views::state_of(&settings))
}

#[handler]
async fn console_submit(
    Data(app): Data<&App>,
    member: Member,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    require(member.actor(), Action::EditSchool)?;
    match parse(&f) {
        Ok(settings) => {
            let event = AuditEvent {
                at: auth::now_micros(),
                actor_id: Some(member.user().id),
                actor_login: member.user().login.clone(),
                action: format!(
                    "Accès depuis la maison : {}",
                    match settings.acme_name() {
                        Some(n) => format!("nom public {n}"),
                        None => settings.access.label().to_lowercase(),
                    }
                ),
            };
            save(app, &settings, Some(event)).await?;
            auth::push_flash(
                &app.store,
                &member.me.session_key,
                Flash::success(if settings.acme_name().is_some() {
                    "Réglage enregistré : Préau demande le certificat du nom public."
                } else {
                    "Réglage enregistré."
                }),
            )
            .await?;
            Ok(Redirect::see_other("/admin/acces-maison").into_response())
        }
        Err(form) => Ok(crate::ui::form::invalid(page(app, &member, &form)?)),
    }
}

/// « Demander le certificat maintenant »: the job tries at once, past its wait.
#[handler]
async fn try_now(Data(app): Data<&App>, member: Member) -> AppResult<Response> {
    require(member.actor(), Action::EditSchool)?;
    app.acme.wake.notify_one();
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success(
            "Demande envoyée : rechargez la page dans une minute pour voir le résultat.",
        ),
    )
    .await?;
    Ok(Redirect::see_other("/admin/acces-maison").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Pairs {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn the_form_reads_a_public_name_and_refuses_a_bad_one() {
        let s = parse(&pairs(&[
            ("acces", "nom-public"),
            ("nom_public", "ENT.ecole.fr"),
            ("validation", "http-01"),
            ("annuaire", ""),
        ]))
        .unwrap();
        assert_eq!(s.acme_name(), Some("ent.ecole.fr"));
        assert_eq!(s.challenge, Challenge::Http);
        assert_eq!(s.directory_url, LETS_ENCRYPT);
        let bad = parse(&pairs(&[
            ("acces", "nom-public"),
            ("nom_public", "ecole.local"),
        ]));
        assert!(bad.unwrap_err().errors.contains_key("nom_public"));
        let http = parse(&pairs(&[("acces", "ecole"), ("annuaire", "http://x")]));
        assert!(http.unwrap_err().errors.contains_key("annuaire"));
        let school = parse(&pairs(&[("acces", "ecole"), ("nom_public", "ignored.fr")])).unwrap();
        assert_eq!(school.acme_name(), None);
    }
}
