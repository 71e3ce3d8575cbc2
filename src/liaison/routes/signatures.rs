//! The author's follow-up of a mot: who read, signed and answered, reminders, paper
//! slips for families without access, the printable proof and the CSV export.

use maud::{html, Markup};
use poem::http::header;
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, Response};

use super::super::access;
use super::super::forms::SlipQuery;
use super::super::views;
use super::{flash, frame, stored};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::AppResult;
use crate::liaison::Mot;
use crate::policy::Granted;
use crate::ui::dates;

/// A school mot followed up by its author or the director.
fn followed(app: &App, member: &Member, id: u64) -> AppResult<Granted<Mot>> {
    Ok(access::follow(member.actor(), stored(app, id)?)?)
}

/// The mot of [`followed`], for the pages that only read it.
fn staff_mot(app: &App, member: &Member, id: u64) -> AppResult<Mot> {
    Ok(followed(app, member, id)?.into_object())
}

#[handler]
pub(super) fn follow_up(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let m = staff_mot(app, &member, id)?;
    let people = People::load(&app.store)?;
    let rows = crate::liaison::status(&app.store, &m)?;
    let missing = crate::liaison::late_guardians(&rows);
    let offline: Vec<u64> = m
        .pupils
        .iter()
        .copied()
        .filter(|p| !m.signers.iter().any(|(sp, _)| sp == p))
        .collect();
    let body = html! {
        (crate::ui::heading(&format!("Suivi : {}", m.title), Some(&views::audience_text(&people, &m))))
        section.panel {
            (views::status_table(&people, &m, &rows))
            @if !offline.is_empty() {
                p { "Sans responsable ayant un compte (coupon papier) : " (offline.iter().map(|p| people.user(*p).map(|u| u.display_name()).unwrap_or_default()).collect::<Vec<_>>().join(", ")) "." }
            }
            @if !m.reminders.is_empty() { p.small { "Rappels envoyés : " (m.reminders.iter().map(|r| dates::short_datetime(*r)).collect::<Vec<_>>().join(", ")) } }
            div.actions.no-print {
                @if missing > 0 {
                    form method="post" action=(format!("/carnet/{id}/relancer")) {
                        (crate::ui::csrf_input(&member.visitor))
                        button.primary type="submit" { "Relancer les " (missing) " responsable(s) qui n'ont pas signé" }
                    }
                }
                a.button href=(format!("/carnet/{id}/coupons?manquants=1")) { "Coupons papier pour ceux qui n'ont pas signé" }
                a.button href=(format!("/carnet/{id}/coupons")) { "Coupons papier pour tous" }
                a.button href=(format!("/carnet/{id}/export.csv")) { "Exporter (CSV)" }
                a.button href=(format!("/carnet/{id}/preuve")) { "Page imprimable (preuve)" }
                a.button href=(format!("/carnet/{id}")) { "Voir le mot et les réponses" }
            }
        }
    };
    frame(app, &member, "Suivi des signatures", body)
}

#[handler]
pub(super) async fn remind(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let mot = followed(app, &member, id)?;
    let people = People::load(&app.store)?;
    let n = crate::liaison::remind(&app.store, &people, &mot, auth::now_micros()).await?;
    flash(
        app,
        &member,
        Flash::success(format!("Rappel envoyé à {n} responsable(s).")),
    )
    .await?;
    Ok(Redirect::see_other(format!("/carnet/{id}/suivi")))
}

#[handler]
pub(super) fn slips(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<SlipQuery>,
) -> AppResult<Markup> {
    let m = staff_mot(app, &member, id)?;
    let people = People::load(&app.store)?;
    let rows = crate::liaison::status(&app.store, &m)?;
    let pupils: Vec<u64> = m
        .pupils
        .iter()
        .copied()
        .filter(|p| {
            q.manquants.is_none()
                || !rows
                    .iter()
                    .any(|r| r.pupil == *p && r.ack.signed_at.is_some())
        })
        .collect();
    let school = crate::school::get(&app.store)?
        .map(|s| s.name)
        .unwrap_or_default();
    let body = html! {
        p.no-print { "Imprimez cette page (Ctrl+P) : un coupon par élève, à découper." }
        @if pupils.is_empty() { p.empty { "Toutes les familles ont signé." } }
        (views::slips(&people, &school, &m, &pupils))
    };
    frame(app, &member, "Coupons", body)
}

#[handler]
pub(super) fn proof(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let m = staff_mot(app, &member, id)?;
    let people = People::load(&app.store)?;
    let rows = crate::liaison::status(&app.store, &m)?;
    let body = html! {
        (crate::ui::heading(&m.title, Some(&format!("Mot de {} du {} — état au {}", people.user(m.author).map(|u| u.display_name()).unwrap_or_default(), dates::long_datetime(m.at), dates::long_datetime(auth::now_micros())))))
        section.panel {
            (views::body(&m))
            @if let Some(q) = &m.question { p { strong { "Question : " } (q) } }
            (views::status_table(&people, &m, &rows))
        }
    };
    frame(app, &member, "Preuve", body)
}

#[handler]
pub(super) fn export(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let m = staff_mot(app, &member, id)?;
    let people = People::load(&app.store)?;
    let rows = crate::liaison::status(&app.store, &m)?;
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"mot-{id}-signatures.csv\""),
        )
        .body(crate::liaison::csv(&people, &m, &rows)))
}
