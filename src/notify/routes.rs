//! /notifications: the notification centre and each person's preferences; and the
//! console page of the SMTP server (/admin/courriel).

use crate::routing::{Access, Object, Routes};
use maud::{html, Markup};
use poem::web::{Data, Form, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};

use super::mail::{self, Security, SmtpSettings};
use super::{Digest, Kind, Preferences};
use crate::app::App;
use crate::auth::journal::audit;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action};
use crate::ui::form::{all_values, error_summary, first_value, Field, FormState};
use crate::ui::pager::{self, PageQuery, Pager, PER_PAGE};
use crate::ui::{csrf_input, dates};

/// Pages of the notification centre: 40 × 50 is more than 90 days keep.
const MAX_PAGES: usize = 40;

type Pairs = Vec<(String, String)>;

pub fn routes() -> Routes {
    Routes::new()
        .get("/", centre, Access::Member)
        .post("/tout-lu", all_read, Access::Member)
        .post("/preferences", save_preferences, Access::Member)
        .post("/:id", open, Access::Object(Object::OwnNotification))
        .console(
            "/courriel",
            Routes::new()
                .get("/", smtp_form, Access::Director)
                .post("/", smtp_save, Access::Director)
                .post("/essai", smtp_test, Access::Director),
        )
}

#[handler]
fn centre(Data(app): Data<&App>, member: Member, Query(q): Query<PageQuery>) -> AppResult<Markup> {
    let me = member.user();
    // Read from the newest, a page at a time: 90 days of a busy family's notices.
    let pager = Pager::open(pager::asked(q.page.as_deref()), PER_PAGE, MAX_PAGES);
    let read = super::newest(&app.store, me.id, pager.read_limit())?;
    let pager = pager.read(read.len());
    let items = pager.slice(&read);
    let prefs = super::preferences(&app.store, me.id)?;
    let smtp = mail::settings(&app.store)?.is_some();
    let unread = super::unread_count(&app.store, me.id)?;
    let links = pager::Links {
        path: "/notifications",
        keep: &[],
        param: "page",
        label: "Pages des notifications",
    };
    // One hidden field for the page's forms (one a notification).
    let csrf = csrf_input(&member.visitor);
    let body = html! {
        (crate::ui::heading("Notifications", Some(&match unread { 0 => "Tout est lu.".to_string(), 1 => "1 notification non lue.".to_string(), n => format!("{n} notifications non lues.") })))
        section.panel {
            @if items.is_empty() { p.empty { "Aucune notification pour le moment." } } @else {
                @if unread > 0 {
                    form.inline method="post" action="/notifications/tout-lu" {
                        (csrf)
                        button type="submit" { "Tout marquer comme lu" }
                    }
                }
                (pager::past_end_notice(&pager))
                ul.notifications {
                    @for n in items {
                        li class=(if n.read { "read" } else { "unread" }) {
                            form method="post" action={ "/notifications/" (n.id) } {
                                (csrf)
                                button.link type="submit" {
                                    @if !n.read { span.badge { "nouveau" } " " }
                                    (n.text)
                                }
                            }
                            span.small { (dates::long_datetime(n.at)) }
                        }
                    }
                }
                (pager::nav(&pager, &links))
            }
        }
        section.panel #preferences {
            h2 { "Mes préférences" }
            form method="post" action="/notifications/preferences" {
                (csrf)
                fieldset {
                    legend { "Me prévenir pour :" }
                    @for k in Kind::ALL {
                        div.check {
                            input type="checkbox" id={ "k-" (k.slug()) } name="kind" value=(k.slug()) checked[!prefs.muted.contains(&k)];
                            label for={ "k-" (k.slug()) } { (k.label()) }
                        }
                    }
                }
                fieldset {
                    legend { "Recevoir aussi un courriel" }
                    @if !smtp { p.small { "L'école n'a pas configuré d'envoi de courriels : les notifications restent dans l'ENT." } }
                    @else if me.email.as_deref().unwrap_or("").is_empty() { p.small { "Aucune adresse électronique n'est enregistrée pour votre compte : demandez à la direction de l'ajouter." } }
                    @for d in Digest::ALL {
                        div.check {
                            input type="radio" id={ "d-" (d.slug()) } name="digest" value=(d.slug()) checked[prefs.digest == d] disabled[!smtp && d != Digest::Never];
                            label for={ "d-" (d.slug()) } { (d.label()) }
                        }
                    }
                }
                button.primary type="submit" { "Enregistrer mes préférences" }
            }
            p { a href="/compte/notifications-push" { "Recevoir ces notifications sur mon téléphone (heures calmes, appareils)" } }
        }
    };
    app.page(&member.visitor, "Notifications", "/notifications", body)
}

#[handler]
async fn open(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    match super::open(&app.store, member.user().id, id).await? {
        Some(link) if link.starts_with('/') && !link.starts_with("//") => {
            Ok(Redirect::see_other(link))
        }
        Some(_) => Ok(Redirect::see_other("/notifications")),
        None => Err(AppError::NotFound),
    }
}

#[handler]
async fn all_read(Data(app): Data<&App>, member: Member) -> AppResult<Redirect> {
    super::mark_all_read(&app.store, member.user().id).await?;
    Ok(Redirect::see_other("/notifications"))
}

#[handler]
async fn save_preferences(
    Data(app): Data<&App>,
    member: Member,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let me = member.user().id;
    let wanted = all_values(&f, "kind");
    let mut prefs = super::preferences(&app.store, me)?;
    prefs.muted = Kind::ALL
        .into_iter()
        .filter(|k| !wanted.iter().any(|w| w == k.slug()))
        .collect();
    let digest = first_value(&f, "digest");
    prefs.digest = Digest::ALL
        .into_iter()
        .find(|d| d.slug() == digest)
        .unwrap_or(Digest::Never);
    let prefs: Preferences = prefs;
    app.store
        .commit(|tx| super::save_preferences(tx, me, &prefs))
        .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Vos préférences de notifications sont enregistrées."),
    )
    .await?;
    Ok(Redirect::see_other("/notifications"))
}

// ---- console: the SMTP server ----

fn smtp_view(app: &App, member: &Member, form: &FormState) -> AppResult<Markup> {
    let configured = mail::settings(&app.store)?.is_some();
    let body = html! {
        (crate::ui::heading("Courriels", Some("Préau peut prévenir par courriel les personnes qui le souhaitent (résumé immédiat ou quotidien). Il faut pour cela un serveur d'envoi (SMTP) : celui de la commune, de l'académie ou d'un prestataire. Sans serveur, les notifications restent dans l'ENT.")))
        section.panel {
            h2 { @if configured { "Serveur d'envoi configuré" } @else { "Aucun serveur d'envoi" } }
            (error_summary(form))
            form method="post" action="/admin/courriel" novalidate {
                (csrf_input(&member.visitor))
                (Field::text("host", "Serveur SMTP").hint("par ex. smtp.ac-rennes.fr").render(form))
                (Field::text("port", "Port").kind("number").hint("587 en général").render(form))
                div.field {
                    label for="f-security" { "Chiffrement" }
                    select #f-security name="security" {
                        @for s in Security::ALL {
                            option value=(s.slug()) selected[form.value("security") == s.slug()] { (s.label()) }
                        }
                    }
                }
                (Field::text("username", "Identifiant (facultatif)").autocomplete("off").render(form))
                (Field::text("password", "Mot de passe (laisser vide pour garder l'actuel)").kind("password").autocomplete("new-password").render(form))
                (Field::text("from", "Adresse d'expéditeur").kind("email").hint("par ex. ent@ecole-tilleuls.fr").render(form))
                div.actions {
                    button.primary type="submit" name="action" value="enregistrer" { "Enregistrer" }
                    @if configured { button type="submit" name="action" value="retirer" { "Ne plus envoyer de courriels" } }
                }
            }
        }
        (crate::push::views::console_panel())
        @if configured {
            section.panel {
                h2 { "Essai" }
                form.inline method="post" action="/admin/courriel/essai" {
                    (csrf_input(&member.visitor))
                    (Field::text("to", "Envoyer un courriel d'essai à").kind("email").render(form))
                    button type="submit" { "Envoyer l'essai" }
                }
            }
        }
    };
    app.console_page(&member.visitor, "Courriels", "/admin/courriel", body)
}

#[handler]
fn smtp_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageCommunication)?;
    let mut form = FormState::new();
    match mail::settings(&app.store)? {
        Some(s) => {
            form.set("host", s.host);
            form.set("port", s.port.to_string());
            form.set("security", s.security.slug());
            form.set("username", s.username);
            form.set("from", s.from);
        }
        None => {
            form.set("port", "587");
            form.set("security", "starttls");
        }
    }
    form.set("to", member.user().email.clone().unwrap_or_default());
    smtp_view(app, &member, &form)
}

#[handler]
async fn smtp_save(
    Data(app): Data<&App>,
    member: Member,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageCommunication)?;
    if first_value(&f, "action") == "retirer" {
        app.store.commit(|tx| mail::save_settings(tx, None)).await?;
        audit(app, &member, "Envoi de courriels désactivé".into()).await?;
        auth::push_flash(
            &app.store,
            &member.me.session_key,
            Flash::success("Préau n'enverra plus de courriels."),
        )
        .await?;
        return Ok(Redirect::see_other("/admin/courriel").into_response());
    }
    let mut form = FormState::with_values(
        ["host", "port", "security", "username", "from"]
            .map(|k| (k, first_value(&f, k).trim().to_string())),
    );
    let host = form.required("host", "le serveur SMTP");
    let port = match form.value("port").parse::<u16>() {
        Ok(p) if p > 0 => p,
        _ => {
            form.error("port", "Indiquez un numéro de port (587, 465 ou 25).");
            0
        }
    };
    let security = Security::ALL
        .into_iter()
        .find(|s| s.slug() == form.value("security"))
        .unwrap_or(Security::Starttls);
    let from = form.required("from", "l'adresse d'expéditeur");
    if !from.is_empty() && from.parse::<lettre::message::Mailbox>().is_err() {
        form.error("from", "Cette adresse électronique n'est pas valide.");
    }
    if !form.is_ok() {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            smtp_view(app, &member, &form)?,
        )
            .into_response());
    }
    let typed_password = first_value(&f, "password");
    let password = if typed_password.is_empty() {
        mail::settings(&app.store)?
            .map(|s| s.password)
            .unwrap_or_default()
    } else {
        typed_password
    };
    let settings = SmtpSettings {
        host: host.clone(),
        port,
        security,
        username: form.value("username").to_string(),
        password,
        from,
    };
    app.store
        .commit(|tx| mail::save_settings(tx, Some(&settings)))
        .await?;
    audit(
        app,
        &member,
        format!("Serveur d'envoi de courriels : {host}:{port}"),
    )
    .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Le serveur d'envoi est enregistré. Envoyez un essai pour le vérifier."),
    )
    .await?;
    Ok(Redirect::see_other("/admin/courriel").into_response())
}

#[handler]
async fn smtp_test(
    Data(app): Data<&App>,
    member: Member,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    require(member.actor(), Action::ManageCommunication)?;
    let settings = mail::settings(&app.store)?.ok_or(AppError::NotFound)?;
    let to = first_value(&f, "to").trim().to_string();
    let flash = match mail::send(
        &settings,
        &to,
        "Essai d'envoi depuis Préau",
        "Ce courriel d'essai montre que Préau peut envoyer les notifications de l'école.\n".into(),
    )
    .await
    {
        Ok(()) => Flash::success(format!("Le courriel d'essai est parti vers {to}.")),
        Err(e) => Flash::error(format!("L'essai a échoué : {e}.")),
    };
    auth::push_flash(&app.store, &member.me.session_key, flash).await?;
    Ok(Redirect::see_other("/admin/courriel"))
}
