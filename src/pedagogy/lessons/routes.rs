//! The classeur's routes: extract, ask `access.rs` for the proof, call the model, answer.

use maud::Markup;
use poem::web::{Data, Multipart, Path, Query, Redirect};
use poem::{handler, IntoResponse, Request, Response};
use serde::Deserialize;

use super::{access, forms, of_class, views, Lesson};
use crate::app::App;
use crate::attachments;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::pedagogy::{concerns, followed_pupils, frame, taught_classes, teach, teaches};
use crate::routing::{Access, Object, Routes};
use crate::ui::form::FormState;

pub fn routes() -> Routes {
    let reader = Access::Object(Object::LessonReader);
    Routes::new()
        .get("/", home, Access::Member)
        .get("/nouveau", new_form, Access::Teacher)
        .post("/nouveau", new_submit, Access::Teacher)
        .get("/:id", show, reader)
        .post(
            "/:id/supprimer",
            remove,
            Access::Object(Object::LessonAuthor),
        )
        .get("/:id/pieces/:n", attachment, reader)
}

#[handler]
fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let classes = taught_classes(&people, &member);
    let followed = followed_pupils(&people, &member);
    if classes.is_empty() && followed.is_empty() {
        return Err(AppError::Forbidden);
    }
    let mut taught = Vec::new();
    for (c, label) in &classes {
        taught.push((*c, label.clone(), of_class(&app.store, *c)?));
    }
    let mut mine = Vec::new();
    for p in &followed {
        let mut lessons = Vec::new();
        for c in people.classes_of(*p) {
            lessons.extend(
                of_class(&app.store, *c)?
                    .into_iter()
                    .filter(|l| concerns(&people, l.class, l.scope, *p)),
            );
        }
        mine.push((*p, lessons));
    }
    let body = views::home(&people, member.user().id, &taught, &mine);
    frame(app, &member, "Classeur", "/classeur", body)
}

#[derive(Deserialize)]
struct ClassQuery {
    classe: Option<u64>,
}

fn form_page(
    app: &App,
    member: &Member,
    people: &People,
    class: u64,
    form: &FormState,
) -> AppResult<Markup> {
    let picker = crate::media::picker::offer(app, member.actor())?;
    let body = views::lesson_form(member, people, class, form, picker);
    frame(app, member, "Classeur", "/classeur", body)
}

#[handler]
fn new_form(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ClassQuery>,
) -> AppResult<Markup> {
    crate::pedagogy::require_teacher(app, &member)?;
    let class = q.classe.ok_or(AppError::NotFound)?;
    teach(&member, class)?;
    let people = People::load(&app.store)?;
    form_page(app, &member, &people, class, &FormState::new())
}

#[handler]
async fn new_submit(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ClassQuery>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    crate::pedagogy::require_teacher(app, &member)?;
    let class = q.classe.ok_or(AppError::NotFound)?;
    let granted = teach(&member, class)?;
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let (texts, files, errors) = attachments::read_form(
        &app.store,
        member.actor(),
        &mut multipart,
        attachments::Limits::ATTACHMENTS,
    )
    .await?
    .parts();
    let people = People::load(&app.store)?;
    let input = match forms::read(&texts, &errors, &people, class) {
        Ok(input) => input,
        Err(form) => {
            return Ok((
                poem::http::StatusCode::BAD_REQUEST,
                form_page(app, &member, &people, class, &form)?,
            )
                .into_response())
        }
    };
    let lesson = Lesson {
        id: 0,
        class,
        scope: input.scope,
        subject: input.subject,
        period: input.period,
        title: input.title,
        body: input.body,
        attachments: files,
        author: member.user().id,
        created_at: auth::now_micros(),
    };
    let id = super::create(&app.store, &granted, lesson).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Leçon publiée."),
    )
    .await?;
    Ok(Redirect::see_other(format!("/classeur/{id}")).into_response())
}

#[handler]
fn show(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let l = access::reader(&app.store, &people, &member, id)?.into_object();
    let body = views::show(&member, &people, &l, teaches(&member, l.class));
    frame(app, &member, &l.title, "/classeur", body)
}

#[handler]
async fn remove(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let granted = access::author(&app.store, &member, id)?;
    super::delete(&app.store, &granted).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Leçon retirée du classeur."),
    )
    .await?;
    Ok(Redirect::see_other("/classeur"))
}

#[handler]
async fn attachment(
    req: &Request,
    Data(app): Data<&App>,
    member: Member,
    Path((id, n)): Path<(u64, usize)>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let l = access::reader(&app.store, &people, &member, id)?.into_object();
    let a = l.attachments.get(n).ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, a, attachments::range(req)).await)
}
