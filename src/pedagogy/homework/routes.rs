//! The devoirs' routes: extract, ask `access.rs` for the proof, call the model, answer.

use maud::Markup;
use poem::web::{Data, Multipart, Path, Query, Redirect};
use poem::{handler, IntoResponse, Request, Response};
use serde::Deserialize;

use super::access::{self, HandIn, Shown};
use super::{forms, handed_in_count, progress, status_text, submission, views, Feedback, Version};
use crate::app::App;
use crate::attachments;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::pedagogy::textbook;
use crate::pedagogy::{followed_pupils, frame, pupils, taught_classes};
use crate::policy::Granted;
use crate::refusal::Failure;
use crate::routing::{Access, Object, Routes};
use crate::ui::dates;
use crate::ui::form::FormState;

pub fn routes() -> Routes {
    let reader = Access::Object(Object::WorkReader);
    let hand_in = Access::Object(Object::HandIn);
    Routes::new()
        .get("/", home, Access::Member)
        .get("/:id", show, reader)
        .post("/:id/rendre", submit, reader)
        .get(
            "/:id/eleve/:pupil",
            pupil_work,
            Access::Object(Object::HandInFeedback),
        )
        .post(
            "/:id/eleve/:pupil/retour",
            feedback,
            Access::Object(Object::HandInFeedback),
        )
        .get("/:id/eleve/:pupil/fichier", file, hand_in)
}

fn today() -> String {
    dates::local_day_and_hour(auth::now_micros()).0.to_string()
}

#[handler]
fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let classes = taught_classes(&people, &member);
    let today = today();
    let now = auth::now_micros();
    let mut teaching = Vec::new();
    for (c, label) in &classes {
        for e in textbook::online_of_class(&app.store, *c)? {
            let handed = handed_in_count(&app.store, e.id)?;
            let total = pupils(&people, e.class, e.scope).len();
            teaching.push((label.clone(), e, handed, total));
        }
    }
    teaching.sort_by(|a, b| b.1.day.cmp(&a.1.day));
    let mut followed = Vec::new();
    for p in followed_pupils(&people, &member) {
        let mut rows = Vec::new();
        for e in textbook::online_for_pupil(&app.store, &people, p, now)? {
            let stands = progress(&app.store, e.id, p)?;
            rows.push((status_text(stands.as_ref(), &e, &today), e));
        }
        rows.sort_by(|a, b| b.1.day.cmp(&a.1.day));
        followed.push((p, rows));
    }
    if classes.is_empty() && followed.is_empty() {
        return Err(AppError::Forbidden);
    }
    let body = views::home(&people, member.user().id, &classes, &teaching, &followed);
    frame(app, &member, "Devoirs en ligne", "/devoirs", body)
}

#[derive(Deserialize)]
struct WhoQuery {
    eleve: Option<u64>,
}

/// One pupil's page of the work, with `form` (empty, or as sent with its errors).
fn pupil_page(
    app: &App,
    member: &Member,
    people: &People,
    granted: &Granted<HandIn>,
    form: &FormState,
) -> AppResult<Markup> {
    let HandIn { work: e, pupil } = granted.object();
    let s = submission(&app.store, e.id, *pupil)?;
    let kept = if *pupil == member.user().id {
        super::kept_files(&app.store, granted)?
    } else {
        Vec::new()
    };
    let body = views::pupil_page(
        member,
        people,
        granted.object(),
        s.as_ref(),
        &kept,
        &today(),
        form,
    );
    frame(app, member, &e.title, "/devoirs", body)
}

#[handler]
fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<WhoQuery>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    match access::page(
        &app.store,
        &people,
        &member,
        id,
        q.eleve,
        auth::now_micros(),
    )? {
        Shown::HandIns(granted) => {
            let e = granted.object();
            let today = today();
            let mut rows = Vec::new();
            for p in pupils(&people, e.class, e.scope) {
                let stands = progress(&app.store, id, p)?;
                rows.push((p, status_text(stands.as_ref(), e, &today)));
            }
            let body = views::hand_ins(&people, e, &rows);
            frame(app, &member, &e.title, "/devoirs", body)
        }
        Shown::Pupil(granted) => pupil_page(app, &member, &people, &granted, &FormState::new()),
    }
}

#[handler]
async fn submit(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let granted = access::hand_in(&app.store, &people, &member, id, auth::now_micros())?;
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let limits = attachments::Limits::profile(&app.store, member.user().profile)?;
    let (texts, new_files, errors) =
        attachments::read_form(&app.store, member.actor(), &mut multipart, limits)
            .await?
            .parts();
    // Files received with an earlier attempt that had an error, still ticked.
    let earlier = super::kept_files(&app.store, &granted)?;
    let (mut form, text, files) = forms::read_hand_in(&texts, &errors, &earlier, new_files);
    if form.is_ok() {
        let v = Version {
            at: auth::now_micros(),
            text,
            attachments: files.clone(),
        };
        match super::hand_in(&app.store, &people, &granted, v).await {
            Ok(()) => {
                super::keep_files(&app.store, &granted, &[]).await?;
                auth::push_flash(&app.store, &member.me.session_key, Flash::success("Ton travail est rendu. Tu peux le rendre à nouveau tant qu'il n'est pas corrigé.")).await?;
                return Ok(Redirect::see_other(format!("/devoirs/{id}")).into_response());
            }
            Err(Failure::Refused(why)) => form.error("text", why),
            Err(err) => return Err(err.into()),
        }
    }
    // The files that did arrive are kept and offered again.
    super::keep_files(&app.store, &granted, &files).await?;
    // What the pupil typed comes back in the form.
    Ok((
        poem::http::StatusCode::BAD_REQUEST,
        pupil_page(app, &member, &people, &granted, &form)?,
    )
        .into_response())
}

fn feedback_page(
    app: &App,
    member: &Member,
    people: &People,
    granted: &Granted<HandIn>,
    form: &FormState,
) -> AppResult<Markup> {
    let HandIn { work: e, pupil } = granted.object();
    let s = submission(&app.store, e.id, *pupil)?;
    let body = views::feedback_page(member, people, e, *pupil, s.as_ref(), &today(), form);
    frame(app, member, &e.title, "/devoirs", body)
}

#[handler]
async fn pupil_work(
    Data(app): Data<&App>,
    member: Member,
    Path((id, pupil)): Path<(u64, u64)>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let granted = access::feedback(&app.store, &people, &member, id, pupil)?;
    crate::notify::seen(
        &app.store,
        member.user().id,
        &format!("/devoirs/{id}/eleve/{pupil}"),
    )
    .await?;
    feedback_page(app, &member, &people, &granted, &FormState::new())
}

#[handler]
async fn feedback(
    Data(app): Data<&App>,
    member: Member,
    Path((id, pupil)): Path<(u64, u64)>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let granted = access::feedback(&app.store, &people, &member, id, pupil)?;
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let limits = attachments::Limits::profile(&app.store, member.user().profile)?;
    let (texts, files, errors) =
        attachments::read_form(&app.store, member.actor(), &mut multipart, limits)
            .await?
            .parts();
    let (mut form, text, redo) = forms::read_feedback(&texts, &errors, &files);
    if form.is_ok() {
        let f = Feedback {
            at: auth::now_micros(),
            by: member.user().id,
            text,
            attachments: files,
        };
        match super::answer(&app.store, &people, &granted, f, redo).await {
            Ok(()) => {
                let done = if redo {
                    "Nouvelle version demandée."
                } else {
                    "Travail rendu corrigé."
                };
                auth::push_flash(&app.store, &member.me.session_key, Flash::success(done)).await?;
                return Ok(Redirect::see_other(format!("/devoirs/{id}")).into_response());
            }
            Err(Failure::Refused(why)) => form.error("text", why),
            Err(err) => return Err(err.into()),
        }
    }
    Ok((
        poem::http::StatusCode::BAD_REQUEST,
        feedback_page(app, &member, &people, &granted, &form)?,
    )
        .into_response())
}

#[derive(Deserialize)]
struct FileQuery {
    v: Option<usize>,
    r: Option<usize>,
    n: usize,
}

#[handler]
async fn file(
    req: &Request,
    Data(app): Data<&App>,
    member: Member,
    Path((id, pupil)): Path<(u64, u64)>,
    Query(q): Query<FileQuery>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    access::files(&app.store, &people, &member, id, pupil)?;
    let s = submission(&app.store, id, pupil)?.ok_or(AppError::NotFound)?;
    let list = match (q.v, q.r) {
        (Some(v), None) => s.versions.get(v).map(|v| &v.attachments),
        (None, Some(r)) => s.feedback.get(r).map(|f| &f.attachments),
        _ => None,
    };
    let a = list.and_then(|l| l.get(q.n)).ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, a, attachments::range(req)).await)
}
