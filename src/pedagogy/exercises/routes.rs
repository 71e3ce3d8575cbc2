//! The exercises' routes: the teacher builds and publishes, the pupil answers, the results
//! per pupil and per question. Extract, ask `access.rs` for the proof, call the model,
//! answer.

use maud::Markup;
use poem::web::{Data, Form, Multipart, Path, Query, Redirect};
use poem::{handler, IntoResponse, Request, Response};
use serde::Deserialize;

use super::forms::NewExercise;
use super::{access, attempts, build_question, of_class, read_answers, views, Exercise, Question};
use crate::app::App;
use crate::attachments;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::pedagogy::{concerns, followed_pupils, frame, pupils, taught_classes, teach};
use crate::routing::{Access, Object, Routes};
use crate::ui::form::FormState;
use crate::ui::input::FormInput;

pub fn routes() -> Routes {
    let reader = Access::Object(Object::ExerciseReader);
    let author = Access::Object(Object::ExerciseAuthor);
    Routes::new()
        .get("/", home, Access::Member)
        .get("/nouveau", new_form, Access::Teacher)
        .post("/nouveau", new_submit, Access::Teacher)
        .get("/:id", show, reader)
        .post("/:id/repondre", answer, reader)
        .get("/:id/modifier", edit, author)
        .post("/:id/questions", add_question, author)
        .post("/:id/questions/:n/supprimer", remove_question, author)
        .post("/:id/publier", publish, author)
        .get("/:id/resultats", results, author)
        .get("/:id/media/:n", question_media, reader)
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
    for (c, l) in &classes {
        taught.push((*c, l.clone(), of_class(&app.store, *c)?));
    }
    let mut mine = Vec::new();
    for p in &followed {
        let mut rows = Vec::new();
        for c in people.classes_of(*p) {
            for e in of_class(&app.store, *c)?
                .into_iter()
                .filter(|e| e.published && concerns(&people, e.class, e.scope, *p))
            {
                let last = attempts(&app.store, e.id, *p)?.last().map(|a| a.score());
                rows.push((e, last));
            }
        }
        mine.push((*p, rows));
    }
    let body = views::home(&people, member.user().id, &taught, &mine);
    frame(app, &member, "Exercices", "/exercices", body)
}

#[derive(Deserialize)]
struct ClassQuery {
    classe: Option<u64>,
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
    let body = views::new_page(&member, &people, class, &FormState::new());
    frame(app, &member, "Exercices", "/exercices", body)
}

#[handler]
async fn new_submit(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ClassQuery>,
    FormInput(f): FormInput<NewExercise>,
) -> AppResult<Response> {
    crate::pedagogy::require_teacher(app, &member)?;
    let class = q.classe.ok_or(AppError::NotFound)?;
    let granted = teach(&member, class)?;
    let people = People::load(&app.store)?;
    let draft = match f.check(&people, class) {
        Ok(draft) => draft,
        Err(form) => {
            let body = views::new_page(&member, &people, class, &form);
            return Ok((
                poem::http::StatusCode::BAD_REQUEST,
                frame(app, &member, "Exercices", "/exercices", body)?,
            )
                .into_response());
        }
    };
    let ex = Exercise {
        id: 0,
        class,
        scope: draft.scope,
        title: draft.title,
        instructions: draft.instructions,
        questions: Vec::new(),
        published: false,
        salt: auth::random_token(),
        author: member.user().id,
        created_at: auth::now_micros(),
    };
    let id = super::create(&app.store, &granted, ex).await?;
    Ok(Redirect::see_other(format!("/exercices/{id}/modifier")).into_response())
}

fn edit_page(
    app: &App,
    member: &Member,
    people: &People,
    ex: &Exercise,
    form: &FormState,
) -> AppResult<Markup> {
    let body = views::edit_page(member, people, ex, form);
    frame(app, member, &ex.title, "/exercices", body)
}

#[handler]
fn edit(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let granted = access::author(&app.store, &member, id)?;
    let people = People::load(&app.store)?;
    edit_page(app, &member, &people, granted.object(), &FormState::new())
}

#[derive(Deserialize)]
struct KindQuery {
    #[serde(rename = "type")]
    kind: String,
}

#[handler]
async fn add_question(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<KindQuery>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let granted = access::author(&app.store, &member, id)?;
    if granted.object().published {
        return Err(AppError::BadRequest(
            "Un exercice publié ne se modifie plus (les élèves l'ont peut-être fait).".into(),
        ));
    }
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let (texts, files, errors) = attachments::read_form(
        &app.store,
        member.actor(),
        &mut multipart,
        attachments::Limits::ONE_FILE,
    )
    .await?
    .parts();
    let mut form = FormState::new();
    if let Some(e) = errors.first() {
        form.error("media", e.clone());
    }
    let picture_or_sound = files
        .into_iter()
        .find(|a| a.mime.starts_with("image/") || a.mime.starts_with("audio/"));
    match build_question(&q.kind, &texts) {
        Ok((prompt, kind)) if form.is_ok() => {
            let question = Question {
                prompt,
                kind,
                media: picture_or_sound,
            };
            super::add_question(&app.store, &granted, question).await?;
            auth::push_flash(
                &app.store,
                &member.me.session_key,
                Flash::success("Question ajoutée."),
            )
            .await?;
            return Ok(Redirect::see_other(format!("/exercices/{id}/modifier")).into_response());
        }
        Ok(_) => {}
        Err(why) => form.error("question", why),
    }
    let people = People::load(&app.store)?;
    Ok((
        poem::http::StatusCode::BAD_REQUEST,
        edit_page(app, &member, &people, granted.object(), &form)?,
    )
        .into_response())
}

#[handler]
async fn remove_question(
    Data(app): Data<&App>,
    member: Member,
    Path((id, n)): Path<(u64, usize)>,
) -> AppResult<Redirect> {
    let granted = access::author(&app.store, &member, id)?;
    let ex = granted.object();
    if ex.published || n >= ex.questions.len() {
        return Err(AppError::NotFound);
    }
    super::remove_question(&app.store, &granted, n).await?;
    Ok(Redirect::see_other(format!("/exercices/{id}/modifier")))
}

#[handler]
async fn publish(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let granted = access::author(&app.store, &member, id)?;
    if granted.object().questions.is_empty() {
        return Err(AppError::BadRequest(
            "Ajoutez au moins une question avant de publier.".into(),
        ));
    }
    let people = People::load(&app.store)?;
    super::publish(&app.store, &people, &granted, auth::now_micros()).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Exercice publié pour les élèves."),
    )
    .await?;
    Ok(Redirect::see_other(format!("/exercices/{id}/modifier")))
}

#[derive(Deserialize)]
struct ShowQuery {
    eleve: Option<u64>,
    nouveau: Option<u8>,
}

#[handler]
fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let granted = access::viewer(&app.store, &people, &member, id, q.eleve)?;
    let access::Doing {
        exercise: ex,
        pupil,
    } = granted.object();
    let tries = attempts(&app.store, id, *pupil)?;
    let body = views::show(&member, &people, ex, *pupil, &tries, q.nouveau.is_some());
    frame(app, &member, &ex.title, "/exercices", body)
}

/// The pupil's answers: the opaque values of the form's fields (`q0`, `q1-2`…), whose
/// names depend on the exercise, hence read as pairs.
#[handler]
async fn answer(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let people = People::load(&app.store)?;
    let granted = access::doer(&app.store, &people, &member, id)?;
    let answers = read_answers(&granted.object().exercise, &f);
    super::answer(&app.store, &granted, answers, auth::now_micros()).await?;
    Ok(Redirect::see_other(format!("/exercices/{id}")))
}

#[handler]
fn results(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let granted = access::author(&app.store, &member, id)?;
    let ex = granted.object();
    let people = People::load(&app.store)?;
    let concerned = pupils(&people, ex.class, ex.scope);
    let mut rows = Vec::new();
    let mut per_question = vec![0usize; ex.questions.len()];
    let mut done = 0;
    for p in &concerned {
        let last = attempts(&app.store, id, *p)?.pop();
        if let Some(a) = &last {
            done += 1;
            for (n, c) in a.correct.iter().enumerate() {
                if *c {
                    if let Some(x) = per_question.get_mut(n) {
                        *x += 1;
                    }
                }
            }
        }
        rows.push((*p, last));
    }
    let body = views::results(&people, ex, &rows, &per_question, done, concerned.len());
    frame(app, &member, "Résultats", "/exercices", body)
}

#[handler]
async fn question_media(
    req: &Request,
    Data(app): Data<&App>,
    member: Member,
    Path((id, n)): Path<(u64, usize)>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let granted = access::media(&app.store, &people, &member, id)?;
    let m = granted
        .object()
        .questions
        .get(n)
        .and_then(|q| q.media.as_ref())
        .ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, m, attachments::range(req)).await)
}
