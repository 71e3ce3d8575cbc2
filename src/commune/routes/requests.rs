//! `/commune/demandes`: the requests to the mairie, filed by the director and the
//! teachers, followed by the commune.

use maud::Markup;
use poem::web::{Data, Multipart, Path, Redirect};
use poem::{handler, IntoResponse, Request as HttpRequest, Response};

use super::super::forms::{check_request, StepForm};
use super::super::requests::{self as model, NewRequest, Request, State, MAX_PHOTOS};
use super::super::views::requests::{self as view, Listed, Shown};
use super::super::{access, Presence};
use super::{flash, invalid, now, page};
use crate::app::App;
use crate::attachments::{self, Limits};
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::ui::csrf_input;
use crate::ui::form::FormState;
use crate::ui::input::FormInput;

fn name(people: &People, id: u64) -> String {
    people
        .user(id)
        .map(|u| u.display_name())
        .unwrap_or_else(|| "ancien compte".into())
}

#[handler]
pub(super) fn list(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let actor = member.actor();
    let people = People::load(&app.store)?;
    let presence = Presence::of(&app.store)?;
    access::list(actor, presence)?;
    let present = presence.commune_present;
    let all = model::requests(&app.store, |r| access::sees_request(actor, present, r))?;
    let items: Vec<Listed> = all
        .iter()
        .map(|r| Listed {
            request: r,
            author: name(&people, r.author),
        })
        .collect();
    let body = view::list(
        &items,
        access::file(actor).is_ok(),
        access::runs(actor, presence),
    );
    page(app, &member, "Demandes à la mairie", body)
}

#[handler]
pub(super) fn new_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    access::file(member.actor())?;
    let body = view::new_form(&member.visitor.csrf, &FormState::new());
    page(app, &member, "Faire une demande à la mairie", body)
}

#[handler]
pub(super) async fn create(
    Data(app): Data<&App>,
    member: Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let granted = access::file(member.actor())?;
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    // The one upload reader: photos checked by their content, reduced, without metadata.
    let (texts, files, errors) = attachments::read_form(
        &app.store,
        member.actor(),
        &mut multipart,
        Limits::ATTACHMENTS,
    )
    .await?
    .parts();
    let (mut form, fields) = check_request(&texts);
    if let Some(e) = errors.first() {
        form.error("photos", e.clone());
    } else if let Some(f) = files.iter().find(|f| !f.mime.starts_with("image/")) {
        form.error("photos", format!("« {} » n'est pas une photo.", f.name));
    } else if files.len() > MAX_PHOTOS {
        form.error("photos", format!("{MAX_PHOTOS} photos au plus."));
    }
    let category = match fields.category {
        Some(c) if form.is_ok() => c,
        _ => {
            let body = view::new_form(&member.visitor.csrf, &form);
            return Ok(invalid(page(
                app,
                &member,
                "Faire une demande à la mairie",
                body,
            )?));
        }
    };
    let people = People::load(&app.store)?;
    let new = NewRequest {
        category,
        title: fields.title,
        text: fields.text,
        photos: files,
    };
    let id = model::file(&app.store, &granted, &people, &new, now()).await?;
    flash(app, &member, "Demande envoyée à la mairie.".into()).await?;
    Ok(Redirect::see_other(format!("/commune/demandes/{id}")).into_response())
}

fn request_or_404(app: &App, id: u64) -> AppResult<Request> {
    model::request(&app.store, id)?.ok_or(AppError::NotFound)
}

fn show_page(
    app: &App,
    member: &Member,
    people: &People,
    r: &Request,
    form: &FormState,
) -> AppResult<Markup> {
    let shown = Shown {
        request: r,
        author: name(people, r.author),
        steps: r.steps.iter().map(|s| (name(people, s.by), s)).collect(),
        runs: access::runs(member.actor(), Presence::of(&app.store)?),
    };
    let body = view::show(&csrf_input(&member.visitor), &shown, form);
    page(app, member, &r.title, body)
}

#[handler]
pub(super) async fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let presence = Presence::of(&app.store)?;
    let r = request_or_404(app, id)?;
    let granted = access::see_request(member.actor(), presence, r)?;
    crate::notify::seen(
        &app.store,
        member.actor().user_id,
        &format!("/commune/demandes/{id}"),
    )
    .await?;
    show_page(app, &member, &people, granted.object(), &FormState::new())
}

#[handler]
pub(super) async fn photo(
    Data(app): Data<&App>,
    member: Member,
    Path((id, n)): Path<(u64, usize)>,
    req: &HttpRequest,
) -> AppResult<Response> {
    let presence = Presence::of(&app.store)?;
    let r = request_or_404(app, id)?;
    let granted = access::see_request(member.actor(), presence, r)?;
    let photo = granted.object().photos.get(n).ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, photo, attachments::range(req)).await)
}

#[handler]
pub(super) async fn step(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<StepForm>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let presence = Presence::of(&app.store)?;
    let r = request_or_404(app, id)?;
    let seen = access::see_request(member.actor(), presence, r.clone())?;
    let comment = f.commentaire.trim().to_string();
    let state = match f.etat.as_str() {
        "" => None,
        slug => Some(State::from_slug(slug).ok_or_else(|| {
            AppError::BadRequest("Choisissez l'état : reçue, en cours ou faite.".into())
        })?),
    }
    .filter(|s| *s != r.state);
    // A new state is the mairie's; a comment anyone's on the request.
    let granted = match state {
        Some(_) => access::follow(member.actor(), presence, r)?,
        None => seen,
    };
    let mut form = FormState::with_values([("commentaire", f.commentaire.clone())]);
    if state.is_none() && comment.is_empty() {
        form.error(
            "commentaire",
            "Écrivez un commentaire, ou choisissez un nouvel état.",
        );
    } else if comment.chars().count() > model::MAX_TEXT {
        form.error(
            "commentaire",
            "Le commentaire est trop long (4 000 caractères au plus).",
        );
    }
    if !form.is_ok() {
        return Ok(invalid(show_page(
            app,
            &member,
            &people,
            granted.object(),
            &form,
        )?));
    }
    model::step(&app.store, &granted, &people, state, &comment, now()).await?;
    let text = match state {
        Some(s) => format!(
            "Demande « {} » : {}. Les personnes concernées sont prévenues.",
            granted.object().title,
            s.label()
        ),
        None => "Commentaire ajouté ; les personnes concernées sont prévenues.".to_string(),
    };
    flash(app, &member, text).await?;
    Ok(Redirect::see_other(format!("/commune/demandes/{id}")).into_response())
}
