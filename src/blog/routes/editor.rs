//! Writing an article: the big-button editor, pupils' drafts and proposals, the teacher's
//! publication (on a public blog, through the photo guard: see `guard.rs`).

use maud::Markup;
use poem::web::{Data, Multipart, Path, Redirect};
use poem::{handler, IntoResponse, Response};

use super::super::access::{self, Writing};
use super::super::forms::{Edited, EditorFields};
use super::super::views::{self, Editor};
use super::super::{settings, Article, BlogRef, Saved};
use super::{flash, render, stored};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::Granted;
use crate::ui::form::FormState;

fn editor_page(
    app: &App,
    member: &Member,
    people: &People,
    blog: BlogRef,
    action: &str,
    form: &FormState,
    a: Option<&Article>,
) -> AppResult<Markup> {
    let pupils: Vec<u64> = blog
        .class()
        .map(|c| people.pupils_of_class(c))
        .unwrap_or_default();
    let ed = Editor {
        blog,
        action,
        runner: super::runs(member.actor(), blog),
        pupils: &pupils,
        picker: crate::media::picker::offer(app, member.actor())?,
    };
    let body = views::editor(&member.visitor, people, ed, form, a);
    render(app, &member.visitor, "Écrire un article", body)
}

fn new_action(member: &Member, code: &str) -> String {
    let csrf = (crate::auth::csrf::FIELD, &member.visitor.csrf);
    format!("/blog/{code}/ecrire?{}={}", csrf.0, csrf.1)
}

fn edit_action(member: &Member, id: u64) -> String {
    let csrf = (crate::auth::csrf::FIELD, &member.visitor.csrf);
    format!("/blog/article/{id}/modifier?{}={}", csrf.0, csrf.1)
}

#[handler]
pub(super) fn new_form(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
) -> AppResult<Markup> {
    let blog = BlogRef::parse(&code).ok_or(AppError::NotFound)?;
    access::write(member.actor(), blog, &settings(&app.store, blog)?)?;
    let people = People::load(&app.store)?;
    let action = new_action(&member, &code);
    editor_page(
        app,
        &member,
        &people,
        blog,
        &action,
        &FormState::new(),
        None,
    )
}

/// Reads the editor's multipart form into the article (new or changed); `None` with errors
/// in the form state.
async fn read_editor(
    app: &App,
    member: &Member,
    people: &People,
    writing: &Granted<Writing>,
    multipart: poem::Result<Multipart>,
    existing: Option<&Article>,
) -> AppResult<(FormState, EditorFields, Option<Article>)> {
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let limits = crate::attachments::Limits::profile(&app.store, member.user().profile)?;
    let (texts, files, errors) =
        crate::attachments::read_form(&app.store, member.actor(), &mut multipart, limits)
            .await?
            .parts();
    let fields: EditorFields = super::super::forms::typed(&texts)?;
    let edited = Edited {
        blog: writing.object().blog,
        author: member.user().id,
        runner: writing.object().runner,
        existing,
    };
    let (form, a) = fields.read(people, &edited, files, errors, auth::now_micros());
    Ok((form, fields, a))
}

/// The answer to a saved article: its page, with the photo guard's refusal if any, or the
/// guard's confirmation step. The article is saved in every case (nothing typed, no
/// picture, no tag is lost).
async fn after_save(
    app: &App,
    member: &Member,
    people: &People,
    saved: Saved,
) -> AppResult<Response> {
    let (id, done) = match saved {
        Saved::Done(id) => (id, Flash::success("Article enregistré.")),
        Saved::Refused { id, why } => (id, Flash::error(why)),
        Saved::Confirm { id, absent } => {
            let a = stored(app, id)?;
            return super::article::confirm(app, member, people, &a, &absent, false);
        }
    };
    flash(app, member, done).await?;
    Ok(Redirect::see_other(format!("/blog/article/{id}")).into_response())
}

#[handler]
pub(super) async fn new_submit(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let blog = BlogRef::parse(&code).ok_or(AppError::NotFound)?;
    let writing = access::write(member.actor(), blog, &settings(&app.store, blog)?)?;
    let people = People::load(&app.store)?;
    let (mut form, fields, a) =
        read_editor(app, &member, &people, &writing, multipart, None).await?;
    crate::auth::rate::note(app, member.user().id, &mut form, "title");
    if let (Some(a), true) = (a, form.is_ok()) {
        let now = auth::now_micros();
        let saved =
            super::super::save_article(&app.store, &people, &writing, a, &fields.action, None, now)
                .await?;
        return after_save(app, &member, &people, saved).await;
    }
    let action = new_action(&member, &code);
    let page = editor_page(app, &member, &people, blog, &action, &form, None)?;
    Ok((poem::http::StatusCode::BAD_REQUEST, page).into_response())
}

#[handler]
pub(super) fn edit_form(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let a = stored(app, id)?;
    access::edit(member.actor(), &a)?;
    let people = People::load(&app.store)?;
    let mut form = FormState::new();
    form.set("title", a.title.clone());
    form.set("body", a.body.clone());
    let action = edit_action(&member, id);
    editor_page(app, &member, &people, a.blog, &action, &form, Some(&a))
}

#[handler]
pub(super) async fn edit_submit(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let existing = stored(app, id)?;
    let writing = access::edit(member.actor(), &existing)?;
    let people = People::load(&app.store)?;
    let (mut form, fields, a) =
        read_editor(app, &member, &people, &writing, multipart, Some(&existing)).await?;
    if let Some(a) = a {
        let now = auth::now_micros();
        let saved =
            super::super::save_article(&app.store, &people, &writing, a, &fields.action, None, now)
                .await?;
        return after_save(app, &member, &people, saved).await;
    }
    let action = edit_action(&member, id);
    let blog = existing.blog;
    let page = editor_page(app, &member, &people, blog, &action, &form, Some(&existing))?;
    Ok((poem::http::StatusCode::BAD_REQUEST, page).into_response())
}
