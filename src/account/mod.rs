//! /compte: « Mon compte » — change one's password, see and end one's sessions.

mod display;
pub mod export;
pub mod switch;

use crate::routing::{Access, Routes};
use crate::ui::input::FormInput;
use maud::{html, Markup};
use poem::web::{Data, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory;
use crate::error::AppResult;
use crate::policy::{require, Action};
use crate::ui::form::{error_summary, Field, FormState};
use crate::ui::{csrf_input, dates};

pub fn routes() -> Routes {
    Routes::new()
        .get("/", show, Access::Member)
        .get("/affichage", display::show, Access::Member)
        .post("/affichage", display::save, Access::Member)
        .post("/mot-de-passe", change_password, Access::Member)
        .post("/deconnecter-partout", logout_everywhere, Access::Member)
        .get("/changer-de-compte", switch::show, Access::Member)
        .post("/changer-de-compte/oublier", switch::forget, Access::Member)
}

#[derive(Deserialize, Default)]
struct AccountQuery {
    premiere: Option<String>,
}

fn view(app: &App, member: &Member, form: &FormState, first: bool) -> AppResult<Markup> {
    let user = member.user();
    let sessions = auth::sessions_of(&app.store, user.id)?;
    let body = html! {
        (crate::ui::heading("Mon compte", None))
        @if first || user.must_change_password {
            div.flash.info role="status" { "Votre mot de passe a été choisi par quelqu'un d'autre : choisissez maintenant le vôtre." }
        }
        section.panel {
            h2 { "Mes informations" }
            dl.summary {
                dt { "Nom" } dd { (user.display_name()) }
                dt { "Identifiant" } dd { (user.login) }
                dt { "Profil" } dd { (user.role_label()) }
                dt { "Affichage" } dd { a href="/compte/affichage" { "Taille du texte, police, contraste" } }
                dt { "Notifications" } dd { a href="/compte/notifications-push" { "Sur mes appareils (téléphone, tablette), heures calmes" } }
                @if let Some(e) = &user.email { dt { "Courriel" } dd { (e) } }
            }
            p { a href="/compte/mes-donnees" { "Télécharger mes données (RGPD)" } }
            p { a href=(switch::PAGE) { "Changer de compte" } " — sur un téléphone partagé en famille" }
        }
        section.panel {
            h2 #mot-de-passe { "Changer mon mot de passe" }
            (error_summary(form))
            form method="post" action="/compte/mot-de-passe" novalidate {
                (csrf_input(&member.visitor))
                (Field::text("current_password", "Mot de passe actuel").kind("password").required().autocomplete("current-password").render(form))
                (Field::text("new_password", "Nouveau mot de passe").kind("password").hint(crate::auth::password::RULE).required().autocomplete("new-password").strength().render(form))
                (Field::text("new_password_confirm", "Nouveau mot de passe (confirmation)").kind("password").required().autocomplete("new-password").render(form))
                button.primary type="submit" { "Changer le mot de passe" }
            }
        }
        section.panel {
            h2 { "Mes connexions ouvertes" }
            table.list.stack {
                thead { tr { th scope="col" { "Depuis" } th scope="col" { "Dernière activité" } th scope="col" { "Adresse" } th scope="col" { "Navigateur" } } }
                tbody {
                    @for (key, s) in &sessions {
                        tr {
                            td data-label="Depuis" { (dates::short_datetime(s.created_at)) @if *key == member.me.session_key { " " span.badge { "cet appareil" } } }
                            td data-label="Dernière activité" { (dates::short_datetime(s.last_seen)) }
                            td data-label="Adresse" { (s.address) }
                            td.small data-label="Navigateur" { (s.user_agent.chars().take(60).collect::<String>()) }
                        }
                    }
                }
            }
            form method="post" action="/compte/deconnecter-partout" {
                (csrf_input(&member.visitor))
                button type="submit" { "Me déconnecter de tous les autres appareils" }
            }
        }
    };
    app.page(&member.visitor, "Mon compte", "/compte", body)
}

#[handler]
fn show(Data(app): Data<&App>, member: Member, Query(q): Query<AccountQuery>) -> AppResult<Markup> {
    require(member.actor(), Action::ManageOwnAccount)?;
    view(app, &member, &FormState::new(), q.premiere.is_some())
}

/// The password form of /compte.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PasswordChange {
    current_password: String,
    new_password: String,
    new_password_confirm: String,
}

#[handler]
async fn change_password(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<PasswordChange>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageOwnAccount)?;
    let current = f.current_password;
    let new = f.new_password;
    let confirm = f.new_password_confirm;
    let mut form = FormState::new();
    let stored = directory::user(&app.store, member.user().id)?.and_then(|u| u.password_hash);
    // Counted before it is checked, like a login: a stolen session must not become a way
    // to guess the password, one request or a hundred at once.
    match app.logins.current_password(
        &member.user().login,
        &member.visitor.address,
        std::time::Instant::now(),
    ) {
        Err(w) => form.error(
            "current_password",
            format!(
                "Trop d'essais du mot de passe actuel. Par sécurité, attendez {} avant de réessayer.",
                auth::throttle::french_wait(w)
            ),
        ),
        Ok(reservation) => {
            let ok = match stored {
                Some(h) => auth::password::verify(current, h).await,
                None => false,
            };
            if ok {
                reservation.succeed();
            } else {
                reservation.fail();
                form.error(
                    "current_password",
                    "Le mot de passe actuel n'est pas le bon.",
                );
            }
        }
    }
    if let Err(m) = auth::password::check_strength(&new) {
        form.error("new_password", m);
    } else if new != confirm {
        form.error(
            "new_password_confirm",
            "Les deux mots de passe ne sont pas identiques.",
        );
    }
    if !form.is_ok() {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            view(app, &member, &form, false)?,
        )
            .into_response());
    }
    let hash = auth::password::hash(new, app.settings.bcrypt_cost).await?;
    let id = member.user().id;
    // A password chosen by someone else was changed: the person goes on to their home page
    // (the charter first if it waits), rather than staying on « Mon compte ».
    let forced = member.user().must_change_password;
    app.store
        .commit_checked(|tx| {
            let Some(mut u) = directory::user_in(tx, id)? else {
                return Ok(());
            };
            u.password_hash = Some(hash.clone());
            u.must_change_password = false;
            directory::save_user(tx, &u)
        })
        .await?;
    // Other devices may hold a session opened with the old password.
    let closed = auth::close_all_sessions(&app.store, id, Some(&member.me.session_key)).await?;
    let text = if closed > 0 {
        format!("Mot de passe changé. Vos {closed} autre(s) connexion(s) ont été fermées.")
    } else {
        "Mot de passe changé.".to_string()
    };
    auth::push_flash(&app.store, &member.me.session_key, Flash::success(text)).await?;
    let next = if forced { "/accueil" } else { "/compte" };
    Ok(Redirect::see_other(next).into_response())
}

#[handler]
async fn logout_everywhere(Data(app): Data<&App>, member: Member) -> AppResult<Response> {
    require(member.actor(), Action::ManageOwnAccount)?;
    let n = auth::close_all_sessions(&app.store, member.user().id, Some(&member.me.session_key))
        .await?;
    let text = match n {
        0 => "Aucune autre connexion n'était ouverte.".to_string(),
        1 => "1 autre connexion a été fermée.".to_string(),
        n => format!("{n} autres connexions ont été fermées."),
    };
    auth::push_flash(&app.store, &member.me.session_key, Flash::success(text)).await?;
    Ok(Redirect::see_other("/compte").into_response())
}
