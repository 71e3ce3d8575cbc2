//! `/commune` and the mairie's pages: read by families and staff, written by who runs the
//! space.

use maud::Markup;
use poem::web::{Data, Path, Redirect};
use poem::{handler, IntoResponse, Response};

use super::super::forms::PageForm;
use super::super::pages::{self as model, Page};
use super::super::views::{self, Home};
use super::super::{access, requests, transport, Presence};
use super::{flash, invalid, now, page, today};
use crate::app::App;
use crate::auth::web::Member;
use crate::error::{AppError, AppResult};
use crate::ui::csrf_input;
use crate::ui::form::FormState;

#[handler]
pub(super) fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let actor = member.actor();
    access::read(actor)?;
    let presence = Presence::of(&app.store)?;
    let runs = access::runs(actor, presence);
    let pages = model::pages(&app.store)?;
    let lines = transport::lines(&app.store)?;
    let changes: Vec<_> = transport::current_changes(&app.store, None, today())?
        .into_iter()
        .filter_map(|c| {
            let name = lines.iter().find(|l| l.id == c.line)?.name.clone();
            Some((c, name))
        })
        .collect();
    let requests_shown = access::list(actor, presence).is_ok();
    let present = presence.commune_present;
    let open_requests = if requests_shown {
        requests::requests(&app.store, |r| {
            r.state != requests::State::Faite && access::sees_request(actor, present, r)
        })?
        .len()
    } else {
        0
    };
    let school = crate::school::get(&app.store)?;
    let commune = school.map(|s| s.commune).unwrap_or_default();
    let body = views::home(&Home {
        commune: &commune,
        pages: &pages,
        lines: &lines,
        changes: &changes,
        runs,
        requests: requests_shown,
        files: access::file(actor).is_ok(),
        open_requests,
    });
    page(app, &member, "La commune", body)
}

fn page_or_404(app: &App, id: u64) -> AppResult<Page> {
    model::page(&app.store, id)?.ok_or(AppError::NotFound)
}

#[handler]
pub(super) fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    access::read(member.actor())?;
    let p = page_or_404(app, id)?;
    let presence = Presence::of(&app.store)?;
    let runs = access::runs(member.actor(), presence);
    let body = views::page(&p, runs, &csrf_input(&member.visitor));
    page(app, &member, &p.title, body)
}

fn form_page(app: &App, member: &Member, id: Option<u64>, form: &FormState) -> AppResult<Markup> {
    let body = views::page_form(&csrf_input(&member.visitor), id, form);
    page(app, member, "Page de la commune", body)
}

#[handler]
pub(super) fn new_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let presence = Presence::of(&app.store)?;
    access::run(member.actor(), presence)?;
    let rank = model::next_rank(&model::pages(&app.store)?);
    let form = FormState::with_values([("rang", rank.to_string())]);
    form_page(app, &member, None, &form)
}

#[handler]
pub(super) async fn create(
    Data(app): Data<&App>,
    member: Member,
    crate::ui::input::FormInput(f): crate::ui::input::FormInput<PageForm>,
) -> AppResult<Response> {
    let presence = Presence::of(&app.store)?;
    let granted = access::run(member.actor(), presence)?;
    match f.check() {
        Ok(new) => {
            let id = model::save(&app.store, &granted, None, &new, now()).await?;
            flash(
                app,
                &member,
                format!("La page « {} » est publiée.", new.title),
            )
            .await?;
            Ok(Redirect::see_other(format!("/commune/page/{id}")).into_response())
        }
        Err(form) => Ok(invalid(form_page(app, &member, None, &form)?)),
    }
}

#[handler]
pub(super) fn edit_form(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let presence = Presence::of(&app.store)?;
    access::run(member.actor(), presence)?;
    let p = page_or_404(app, id)?;
    let form = FormState::with_values([
        ("titre", p.title.clone()),
        ("texte", p.body.clone()),
        ("rang", p.rank.to_string()),
    ]);
    form_page(app, &member, Some(id), &form)
}

#[handler]
pub(super) async fn save(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    crate::ui::input::FormInput(f): crate::ui::input::FormInput<PageForm>,
) -> AppResult<Response> {
    let presence = Presence::of(&app.store)?;
    let granted = access::run(member.actor(), presence)?;
    page_or_404(app, id)?;
    match f.check() {
        Ok(new) => {
            model::save(&app.store, &granted, Some(id), &new, now()).await?;
            flash(
                app,
                &member,
                format!("La page « {} » est enregistrée.", new.title),
            )
            .await?;
            Ok(Redirect::see_other(format!("/commune/page/{id}")).into_response())
        }
        Err(form) => Ok(invalid(form_page(app, &member, Some(id), &form)?)),
    }
}

#[handler]
pub(super) async fn delete(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let presence = Presence::of(&app.store)?;
    let granted = access::run(member.actor(), presence)?;
    let p = page_or_404(app, id)?;
    model::delete(&app.store, &granted, id).await?;
    flash(
        app,
        &member,
        format!("La page « {} » est supprimée.", p.title),
    )
    .await?;
    Ok(Redirect::see_other("/commune").into_response())
}
