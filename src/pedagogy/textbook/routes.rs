//! The cahier de textes' routes: extract, ask `access.rs` for the proof, call the model,
//! answer.

use std::collections::HashMap;

use jiff::civil::Date;
use maud::Markup;
use poem::web::{Data, Multipart, Path, Query, Redirect};
use poem::{handler, IntoResponse, Request, Response};
use serde::Deserialize;

use super::forms::{self, CopyInput, NewQuery};
use super::views::{self, PupilBlock};
use super::{
    access, done_by, for_pupil_from, is_done, last_sessions_for_pupil, of_class_between, Entry,
    EntryKind,
};
use crate::app::App;
use crate::attachments;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::pedagogy::{followed_pupils, frame, pupils, taught_classes, teach, teaches};
use crate::routing::{Access, Object, Routes};
use crate::ui::dates;
use crate::ui::form::FormState;
use crate::ui::input::FormInput;

pub fn routes() -> Routes {
    let reader = Access::Object(Object::TextbookReader);
    let author = Access::Object(Object::TextbookAuthor);
    Routes::new()
        .get("/", home, Access::Member)
        .get("/nouveau", new_form, Access::Teacher)
        .post("/nouveau", new_submit, Access::Teacher)
        .get("/:id", show, reader)
        .post("/:id/fait", toggle_done, reader)
        .post("/:id/copier", copy, author)
        .post("/:id/supprimer", remove, author)
        .get("/:id/pieces/:n", attachment, reader)
}

#[derive(Deserialize, Default)]
struct HomeQuery {
    classe: Option<u64>,
    semaine: Option<String>,
}

fn monday(d: Date) -> Date {
    let back = d.weekday().to_monday_zero_offset() as i64;
    d.checked_sub(jiff::Span::new().days(back)).unwrap_or(d)
}

const TITLE: &str = "Cahier de textes";
/// The last séances a pupil's page lists.
const SESSIONS_SHOWN: usize = 10;
const SECTION: &str = "/cahier-de-textes";

#[handler]
fn home(Data(app): Data<&App>, member: Member, Query(q): Query<HomeQuery>) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let classes = taught_classes(&people, &member);
    if let Some((first, _)) = classes.first() {
        let class = q
            .classe
            .filter(|c| classes.iter().any(|(id, _)| id == c))
            .unwrap_or(*first);
        let now = auth::now_micros();
        let start = monday(
            q.semaine
                .as_deref()
                .and_then(dates::parse_date)
                .unwrap_or(dates::local_day_and_hour(now).0),
        );
        let end = start
            .checked_add(jiff::Span::new().days(7))
            .unwrap_or(start);
        let entries: Vec<Entry> =
            of_class_between(&app.store, class, &start.to_string(), &end.to_string())?
                .into_iter()
                .filter(|e| e.listed)
                .collect();
        let mut done = HashMap::new();
        for e in entries.iter().filter(|e| e.kind == EntryKind::Work) {
            done.insert(e.id, done_by(&app.store, e.id)?.len());
        }
        let body = views::week(&people, &classes, class, start, &entries, &done, now);
        return frame(app, &member, TITLE, SECTION, body);
    }
    pupil_home(app, &member, &people)
}

fn pupil_home(app: &App, member: &Member, people: &People) -> AppResult<Markup> {
    let followed = followed_pupils(people, member);
    if followed.is_empty() {
        return Err(AppError::Forbidden);
    }
    let now = auth::now_micros();
    let day = dates::local_day_and_hour(now).0;
    let today = day.to_string();
    // The work to come and the last séances: the last four weeks hold them in a class
    // that uses the cahier; the years before are read only for a class that does not.
    let recent = day
        .checked_sub(jiff::Span::new().days(28))
        .unwrap_or(day)
        .to_string();
    let mut blocks = Vec::new();
    for p in &followed {
        let listed =
            |all: Vec<Entry>| -> Vec<Entry> { all.into_iter().filter(|e| e.listed).collect() };
        let mut entries = listed(for_pupil_from(&app.store, people, *p, now, &recent)?);
        let sessions_seen = entries
            .iter()
            .filter(|e| e.kind == EntryKind::Session && e.day <= today)
            .count();
        if sessions_seen < SESSIONS_SHOWN {
            // A class that writes few séances: the older ones, read back from today.
            entries.retain(|e| !(e.kind == EntryKind::Session && e.day <= today));
            entries.extend(last_sessions_for_pupil(
                &app.store,
                people,
                *p,
                now,
                &today,
                SESSIONS_SHOWN,
            )?);
        }
        let mut todo: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.kind == EntryKind::Work && e.day >= today)
            .collect();
        todo.sort_by(|a, b| a.day.cmp(&b.day));
        let mut sessions: Vec<Entry> = entries
            .iter()
            .filter(|e| e.kind == EntryKind::Session && e.day <= today)
            .cloned()
            .collect();
        sessions.sort_by(|a, b| b.day.cmp(&a.day));
        sessions.truncate(SESSIONS_SHOWN);
        let mut rows = Vec::new();
        for e in &todo {
            rows.push(((*e).clone(), is_done(&app.store, e.id, *p)?));
        }
        blocks.push(PupilBlock {
            pupil: *p,
            todo: rows,
            sessions,
        });
    }
    let body = views::pupil_home(member, people, &blocks);
    frame(app, member, TITLE, SECTION, body)
}

fn form_page(
    app: &App,
    member: &Member,
    people: &People,
    class: u64,
    kind: EntryKind,
    form: &FormState,
) -> AppResult<Markup> {
    let picker = crate::media::picker::offer(app, member.actor())?;
    let body = views::entry_form(member, people, class, kind, form, picker);
    frame(app, member, TITLE, SECTION, body)
}

#[handler]
fn new_form(Data(app): Data<&App>, member: Member, Query(q): Query<NewQuery>) -> AppResult<Markup> {
    crate::pedagogy::require_teacher(app, &member)?;
    let class = q.classe.ok_or(AppError::NotFound)?;
    teach(&member, class)?;
    let people = People::load(&app.store)?;
    let kind = q.entry_kind();
    let today = dates::date_value(auth::now_micros());
    let mut form = FormState::new();
    form.set("listed", "1");
    if q.devoir.is_some() {
        form.set("online", "1");
        form.set("listed", "");
    }
    form.set("given", today.clone());
    form.set(
        "day",
        if kind == EntryKind::Session {
            today
        } else {
            String::new()
        },
    );
    form_page(app, &member, &people, class, kind, &form)
}

#[handler]
async fn new_submit(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<NewQuery>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    crate::pedagogy::require_teacher(app, &member)?;
    let class = q.classe.ok_or(AppError::NotFound)?;
    let granted = teach(&member, class)?;
    let kind = q.entry_kind();
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
    let now = auth::now_micros();
    let input = match forms::read_entry(
        &texts,
        &errors,
        !files.is_empty(),
        &people,
        class,
        kind,
        now,
    ) {
        Ok(input) => input,
        Err(form) => {
            return Ok((
                poem::http::StatusCode::BAD_REQUEST,
                form_page(app, &member, &people, class, kind, &form)?,
            )
                .into_response())
        }
    };
    let e = Entry {
        id: 0,
        class,
        scope: input.scope,
        kind,
        subject: input.subject,
        title: input.title,
        body: input.body,
        day: input.day,
        given: input.given,
        minutes: input.minutes,
        online: input.online,
        listed: input.listed,
        visible_from: input.visible_from,
        attachments: files,
        author: member.user().id,
        created_at: now,
        notified: false,
    };
    let week = e.day.clone();
    let listed = e.listed;
    let id = super::create(&app.store, &people, &granted, e, now).await?;
    let (text, to) = if listed {
        (
            "Enregistré dans le cahier de textes.",
            format!("/cahier-de-textes?classe={class}&semaine={week}"),
        )
    } else {
        ("Devoir en ligne donné.", format!("/devoirs/{id}"))
    };
    auth::push_flash(&app.store, &member.me.session_key, Flash::success(text)).await?;
    Ok(Redirect::see_other(to).into_response())
}

#[handler]
fn show(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let e = access::reader(app, &people, &member, id, auth::now_micros())?.into_object();
    let done = done_by(&app.store, id)?;
    let concerned = pupils(&people, e.class, e.scope);
    let teacher = teaches(&member, e.class);
    let body = views::show(&member, &people, &e, teacher, &done, &concerned);
    frame(app, &member, &e.title, SECTION, body)
}

#[handler]
async fn toggle_done(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let granted = access::doer(&app.store, &people, &member, id, now)?;
    super::toggle_done(&app.store, &granted, now).await?;
    Ok(Redirect::see_other("/cahier-de-textes"))
}

#[handler]
async fn copy(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<CopyInput>,
) -> AppResult<Redirect> {
    let from = access::author(&app.store, &member, id)?;
    let to = teach(&member, f.class()?)?;
    let day = f.day()?;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let new_id = super::copy(&app.store, &people, &from, &to, day, now).await?;
    auth::push_flash(&app.store, &member.me.session_key, Flash::success("Copié.")).await?;
    Ok(Redirect::see_other(format!("/cahier-de-textes/{new_id}")))
}

#[handler]
async fn remove(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let granted = access::author(&app.store, &member, id)?;
    super::delete(&app.store, &granted).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Supprimé du cahier de textes."),
    )
    .await?;
    let e = granted.object();
    Ok(Redirect::see_other(format!(
        "/cahier-de-textes?classe={}&semaine={}",
        e.class, e.day
    )))
}

#[handler]
async fn attachment(
    req: &Request,
    Data(app): Data<&App>,
    member: Member,
    Path((id, n)): Path<(u64, usize)>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let e = access::reader(app, &people, &member, id, auth::now_micros())?.into_object();
    let a = e.attachments.get(n).ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, a, attachments::range(req)).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        let d = dates::parse_date("2026-11-26").unwrap();
        assert_eq!(monday(d).to_string(), "2026-11-23");
        assert_eq!(
            monday(dates::parse_date("2026-11-23").unwrap()).to_string(),
            "2026-11-23"
        );
        assert_eq!(
            monday(dates::parse_date("2026-11-29").unwrap()).weekday(),
            jiff::civil::Weekday::Monday
        );
    }
}
