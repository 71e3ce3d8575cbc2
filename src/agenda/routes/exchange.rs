//! Calendars in and out: the import of a school's .ics file, and each person's
//! revocable iCalendar subscription.

use maud::{html, Markup};
use poem::http::header;
use poem::web::{Data, Multipart, Path, Redirect};
use poem::{handler, IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::agenda::{ical, Calendar, Event, Repeat, EVENTS, FEEDS, FEED_OF};
use crate::app::App;
use crate::auth::web::{Member, Who};
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::news::Audience;
use crate::policy::{may, Action};
use crate::ui::csrf_input;

use super::*;

fn import_page(app: &App, member: &Member, error: Option<&str>) -> AppResult<Markup> {
    let action = format!(
        "/agenda/import?{}={}",
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    let body = html! {
        (crate::ui::heading("Importer un calendrier", Some("Un fichier .ics : un calendrier des vacances plus récent, les événements de la commune… Ils rejoignent l'agenda de l'école, pour toute l'école. Un nouvel import du même fichier met à jour sans doublons.")))
        section.panel {
            @if let Some(e) = error { div.flash.error role="alert" { (e) } }
            form method="post" action=(action) enctype="multipart/form-data" {
                (csrf_input(&member.visitor))
                div.field { label for="f-ics" { "Fichier .ics" } input #f-ics type="file" name="ics" accept=".ics,text/calendar"; }
                button.primary type="submit" { "Importer" }
            }
        }
    };
    frame(app, member, "Importer un calendrier", body)
}

#[handler]
pub(super) fn import_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    if !may(member.actor(), Action::EditCalendar { class_id: None }) {
        return Err(AppError::Forbidden);
    }
    import_page(app, &member, None)
}

#[handler]
pub(super) async fn import_submit(
    Data(app): Data<&App>,
    member: Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    if !may(member.actor(), Action::EditCalendar { class_id: None }) {
        return Err(AppError::Forbidden);
    }
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let mut text = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        use tokio::io::AsyncReadExt;
        let mut bytes = Vec::new();
        let _ = field
            .into_async_read()
            .take(5 * 1024 * 1024 + 1)
            .read_to_end(&mut bytes)
            .await;
        if bytes.len() > 5 * 1024 * 1024 {
            return Ok((
                poem::http::StatusCode::BAD_REQUEST,
                import_page(
                    app,
                    &member,
                    Some("Ce fichier dépasse 5 Mo : ce n'est pas un calendrier d'école."),
                )?,
            )
                .into_response());
        }
        if !bytes.is_empty() {
            text = Some(String::from_utf8_lossy(&bytes).to_string());
        }
    }
    let Some(text) = text else {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            import_page(app, &member, Some("Choisissez un fichier .ics."))?,
        )
            .into_response());
    };
    let events = match ical::import(&text) {
        Ok(e) => e,
        Err(why) => {
            return Ok((
                poem::http::StatusCode::BAD_REQUEST,
                import_page(app, &member, Some(&why))?,
            )
                .into_response())
        }
    };
    let existing: Vec<Event> = app
        .store
        .scan(&EVENTS)?
        .into_iter()
        .map(|(_, e)| e)
        .filter(|e| e.imported_uid.is_some())
        .collect();
    let now = auth::now_micros();
    let me = member.user().id;
    let n = events.len();
    app.store
        .commit(|tx| {
            for i in &events {
                let same = i
                    .uid
                    .as_ref()
                    .and_then(|u| existing.iter().find(|e| e.imported_uid.as_ref() == Some(u)));
                let id = match same {
                    Some(e) => e.id,
                    None => tx.next_id("event")?,
                };
                crate::agenda::insert(
                    tx,
                    &Event {
                        id,
                        calendar: Calendar::School,
                        title: i.title.clone(),
                        place: i.place.clone(),
                        details: String::new(),
                        start: i.start,
                        end: i.end,
                        all_day: i.all_day,
                        repeat: Repeat::Never,
                        audience: Audience::All,
                        author: me,
                        created_at: now,
                        imported_uid: i.uid.clone(),
                    },
                )?;
            }
            Ok(())
        })
        .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success(format!(
            "{n} événement(s) importé(s) dans l'agenda de l'école."
        )),
    )
    .await?;
    Ok(Redirect::see_other("/agenda?vue=liste").into_response())
}

// ---- subscription ----

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[handler]
pub(super) fn subscription(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let has = app.store.get(&FEED_OF, &member.user().id)?.is_some();
    let body = html! {
        (crate::ui::heading("S'abonner à l'agenda", Some("Voir les événements de l'ENT dans le calendrier de votre téléphone ou de votre ordinateur.")))
        section.panel {
            @if has {
                p { "Votre adresse d'abonnement a déjà été créée. Pour des raisons de sécurité, elle n'est montrée qu'une fois : si vous l'avez perdue, ou si quelqu'un d'autre l'a, créez-en une nouvelle (l'ancienne cessera de fonctionner)." }
            } @else {
                p { "Créez votre adresse personnelle, puis ajoutez-la à votre calendrier (« S'abonner à un calendrier », « Ajouter par URL »)." }
            }
            form method="post" action="/agenda/abonnement" {
                (csrf_input(&member.visitor))
                button.primary type="submit" { @if has { "Créer une nouvelle adresse (l'ancienne est révoquée)" } @else { "Créer mon adresse d'abonnement" } }
            }
        }
    };
    frame(app, &member, "S'abonner", body)
}

#[handler]
pub(super) async fn new_token(
    req: &poem::Request,
    Data(app): Data<&App>,
    member: Member,
) -> AppResult<Markup> {
    let me = member.user().id;
    let token = auth::random_token();
    let h = hash(&token);
    let old = app.store.get(&FEED_OF, &me)?;
    app.store
        .commit(|tx| {
            if let Some(o) = &old {
                tx.remove(&FEEDS, o)?;
            }
            tx.put(&FEEDS, &h, &me)?;
            tx.put(&FEED_OF, &me, &h)
        })
        .await?;
    // The server's own name (or address) as asked, never a forged `Host`.
    let host = crate::net::plain::trusted_host(&app.settings, req);
    let host = match app.https_port.load(std::sync::atomic::Ordering::Acquire) {
        443 | 0 => host,
        _ if app.settings.public_host.is_some() || !app.settings.tls => host,
        port => format!("{host}:{port}"),
    };
    let url = format!("https://{host}/agenda/ical/{token}.ics");
    let webcal = format!("webcal://{host}/agenda/ical/{token}.ics");
    let body = html! {
        (crate::ui::heading("Votre adresse d'abonnement", None))
        section.panel {
            p { "Copiez cette adresse dans votre calendrier. Elle est personnelle : ne la partagez pas." }
            p { code.url { (url) } }
            p { a.button.primary href=(webcal) { "Ouvrir dans le calendrier de cet appareil" } }
            @if old.is_some() { p.small { "L'ancienne adresse ne fonctionne plus." } }
        }
    };
    frame(app, &member, "Abonnement", body)
}

#[handler]
pub(super) fn feed(
    Data(app): Data<&App>,
    Who(_): Who,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let token = token.trim_end_matches(".ics");
    let user = app
        .store
        .get(&FEEDS, &hash(token))?
        .ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    if !people.active(user) {
        return Err(AppError::NotFound);
    }
    let events = crate::agenda::visible_events(&app.store, &people, user)?;
    // The appointments of the last month and the year to come.
    let now = crate::auth::now_micros();
    let day = 86_400_000_000;
    let appointments = crate::slots::agenda::appointments(
        &app.store,
        &people,
        user,
        now - 31 * day,
        now + 366 * day,
    )?;
    let school = crate::school::get(&app.store)?;
    // Events' identifiers carry the school's configured name: stable, whatever `Host`.
    let host = app
        .settings
        .public_host
        .clone()
        .unwrap_or_else(|| format!("{}.local", app.settings.hostname));
    let text = ical::feed(
        school.as_ref().map(|s| s.name.as_str()).unwrap_or("École"),
        &host,
        &events,
        &appointments,
        school.as_ref().map(|s| s.zone),
    );
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "text/calendar; charset=utf-8")
        .header(header::CACHE_CONTROL, "private, max-age=900")
        .body(text))
}
