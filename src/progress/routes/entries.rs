//! `/suivi/reussite/:id`: one child's réussite, changed or deleted on its own, and its
//! photo.

use maud::Markup;
use poem::web::{Data, Multipart, Path, Redirect};
use poem::{handler, IntoResponse, Request as HttpRequest, Response};

use super::super::access;
use super::super::attendus;
use super::super::carnet::{self as model, Change, PhotoChange, Reussite};
use super::super::forms::{check_reussite, photo};
use super::super::views::carnet::{self as view, EditChoices};
use super::{flash, invalid, name, page, today};
use crate::app::App;
use crate::attachments::{self, Limits};
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::ui::csrf_input;
use crate::ui::form::FormState;

fn reussite_or_404(app: &App, id: u64) -> AppResult<Reussite> {
    model::reussite(&app.store, id)?.ok_or(AppError::NotFound)
}

fn edit_page(
    app: &App,
    member: &Member,
    people: &People,
    r: &Reussite,
    form: &FormState,
) -> AppResult<Markup> {
    let picker = crate::media::picker::offer(app, member.actor())?;
    let choices = EditChoices {
        attendus: &attendus::choices(&app.store)?,
        picker: picker.as_ref(),
    };
    let body = view::edit(
        &csrf_input(&member.visitor),
        &member.visitor.csrf,
        r,
        &name(people, r.pupil),
        &choices,
        form,
    );
    page(app, member, "Modifier une réussite", body)
}

#[handler]
pub(super) fn edit_form(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let granted = access::change(member.actor(), &people, reussite_or_404(app, id)?)?;
    let r = granted.object();
    let form = FormState::with_values([
        ("date", r.day.to_string()),
        ("domaine", r.domain.slug().to_string()),
        ("phrase", r.sentence.clone()),
        ("attendu", r.attendu.clone().unwrap_or_default()),
    ]);
    edit_page(app, &member, &people, r, &form)
}

#[handler]
pub(super) async fn save(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let granted = access::change(member.actor(), &people, reussite_or_404(app, id)?)?;
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let limits = Limits::profile(&app.store, member.me.user.profile)?;
    let (texts, files, errors) =
        attachments::read_form(&app.store, member.actor(), &mut multipart, limits)
            .await?
            .parts();
    let (mut form, fields) = check_reussite(&texts, today(), &attendus::choices(&app.store)?);
    let new_photo = photo(files, &errors, &mut form);
    let remove = crate::ui::form::first_value(&texts, "retirer-photo") == "1";
    let (Some(day), Some(domain), true) = (fields.day, fields.domain, form.is_ok()) else {
        return Ok(invalid(edit_page(
            app,
            &member,
            &people,
            granted.object(),
            &form,
        )?));
    };
    let photo = match (new_photo, remove) {
        (Some(a), _) => PhotoChange::Replace(a),
        (None, true) => PhotoChange::Remove,
        (None, false) => PhotoChange::Keep,
    };
    let change = Change {
        day,
        domain,
        sentence: fields.sentence,
        attendu: fields.attendu,
        photo,
    };
    model::change(&app.store, &granted, change).await?;
    flash(app, &member, "Réussite modifiée.".into()).await?;
    let pupil = granted.object().pupil;
    Ok(Redirect::see_other(format!("/suivi/eleve/{pupil}")).into_response())
}

#[handler]
pub(super) async fn delete(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let granted = access::change(member.actor(), &people, reussite_or_404(app, id)?)?;
    model::delete(&app.store, &granted).await?;
    flash(app, &member, "Réussite supprimée de ce carnet.".into()).await?;
    let pupil = granted.object().pupil;
    Ok(Redirect::see_other(format!("/suivi/eleve/{pupil}")).into_response())
}

#[handler]
pub(super) async fn photo_file(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    req: &HttpRequest,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let r = reussite_or_404(app, id)?;
    access::see_photo(member.actor(), &people, &r)?;
    let photo = r.photo.as_ref().ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, photo, attachments::range(req)).await)
}
