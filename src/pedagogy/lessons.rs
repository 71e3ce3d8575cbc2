//! The classeur (/classeur): lessons by subject and period that the teacher publishes for a
//! class, a level or a group, for pupils to revise at home and parents to follow.

use crate::routing::{Access, Object, Routes};
use maud::{html, Markup};
use poem::web::{Data, Multipart, Path, Query, Redirect};
use poem::{handler, IntoResponse, Request, Response};
use serde::{Deserialize, Serialize};

use super::{
    concerns, followed_pupils, for_whom, frame, may_view_pupil, pupils, scope_choices,
    subject_select, taught_classes, Scope, SUBJECTS,
};
use crate::app::App;
use crate::attachments::{self, Attachment};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{may, require, Action};
use crate::store::{Key, Result, Store, Table};
use crate::ui::form::{first_value, select, Field, FormState};
use crate::ui::{csrf_input, dates, richtext};

pub const LESSONS: Table<u64, Lesson> = Table::new("lessons");
pub const BY_CLASS: Table<(u64, u64), ()> = Table::new("lessons_by_class");
pub const TABLES: &[&str] = &[LESSONS.name, BY_CLASS.name];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Lesson {
    pub id: u64,
    pub class: u64,
    pub scope: Scope,
    pub subject: String,
    /// Period of the school year, 1 to 5 (between two holidays).
    pub period: u8,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub author: u64,
    pub created_at: i64,
}

pub fn of_class(store: &Store, class: u64) -> Result<Vec<Lesson>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(&BY_CLASS, &class.encode())? {
        if let Some(l) = store.get(&LESSONS, &id)? {
            out.push(l);
        }
    }
    out.sort_by(|a, b| {
        (
            SUBJECTS.iter().position(|s| *s == a.subject),
            a.period,
            a.created_at,
        )
            .cmp(&(
                SUBJECTS.iter().position(|s| *s == b.subject),
                b.period,
                b.created_at,
            ))
    });
    Ok(out)
}

/// Publishes a lesson; returns its id.
pub async fn publish(store: &Store, lesson: &Lesson) -> Result<u64> {
    store
        .commit(|tx| {
            let id = tx.next_id("lesson")?;
            tx.put(
                &LESSONS,
                &id,
                &Lesson {
                    id,
                    ..lesson.clone()
                },
            )?;
            tx.put(&BY_CLASS, &(lesson.class, id), &())?;
            Ok(id)
        })
        .await
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    Ok(store
        .scan(&LESSONS)?
        .into_iter()
        .flat_map(|(_, l)| l.attachments.into_iter().map(|a| a.blob))
        .collect())
}

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

fn list(people: &People, lessons: &[Lesson]) -> Markup {
    html! {
        @if lessons.is_empty() { p.empty { "Aucune leçon pour le moment." } }
        @for (i, l) in lessons.iter().enumerate() {
            @if i.checked_sub(1).and_then(|p| lessons.get(p)).is_none_or(|p| p.subject != l.subject) { h3 { (l.subject) } }
            p { span.badge { "Période " (l.period) } " " a href=(format!("/classeur/{}", l.id)) { (l.title) } " " (for_whom(people, l.class, l.scope)) }
        }
    }
}

#[handler]
fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let classes = taught_classes(&people, &member);
    let followed = followed_pupils(&people, &member);
    if classes.is_empty() && followed.is_empty() {
        return Err(AppError::Forbidden);
    }
    let me = member.user().id;
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
    let body = html! {
        (crate::ui::heading("Classeur", Some("Les leçons à revoir, par matière et par période.")))
        @for (c, label, lessons) in &taught {
            section.panel {
                h2 { (label) }
                p { a.button.primary href=(format!("/classeur/nouveau?classe={c}")) { "Publier une leçon" } }
                (list(&people, lessons))
            }
        }
        @for (p, lessons) in &mine {
            section.panel {
                h2 { @if *p == me { "Mes leçons" } @else { "Leçons de " (people.user(*p).map(|u| u.display_name()).unwrap_or_default()) } }
                (list(&people, lessons))
            }
        }
    };
    frame(app, &member, "Classeur", "/classeur", body)
}

#[derive(Deserialize)]
struct ClassQuery {
    classe: Option<u64>,
}

fn lesson_form(
    app: &App,
    member: &Member,
    people: &People,
    class: u64,
    form: &FormState,
) -> AppResult<Markup> {
    let action = format!(
        "/classeur/nouveau?classe={class}&{}={}",
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    let picker = crate::media::picker::offer(app, member.actor())?;
    let periods: Vec<(String, String)> = (1..=5)
        .map(|p| (p.to_string(), format!("Période {p}")))
        .collect();
    let body = html! {
        (crate::ui::heading("Publier une leçon", people.class(class).map(|c| c.label.as_str())))
        section.panel {
            (crate::ui::form::error_summary(form))
            form method="post" action=(action) enctype="multipart/form-data" novalidate {
                (csrf_input(&member.visitor))
                (select(form, "scope", "Pour", &scope_choices(people, class), true))
                (subject_select(form))
                (select(form, "period", "Période", &periods, true))
                (Field::text("title", "Titre de la leçon").required().render(form))
                div.field.has-error[form.errors.contains_key("body")] {
                    label for="f-body" { "La leçon" abbr title="obligatoire" { " *" } }
                    @if let Some(e) = form.errors.get("body") { p.error { (e) } }
                    textarea #f-body name="body" rows="12" { (form.value("body")) }
                }
                div.field.has-error[form.errors.contains_key("files")] {
                    label for="f-files" { "Images, sons, documents (facultatif)" }
                    @if let Some(e) = form.errors.get("files") { p.error { (e) } }
                    input #f-files type="file" name="files" multiple;
                }
                @if let Some(p) = picker { (p) }
                button.primary type="submit" { "Publier" }
            }
        }
    };
    frame(app, member, "Classeur", "/classeur", body)
}

#[handler]
fn new_form(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ClassQuery>,
) -> AppResult<Markup> {
    super::require_teacher(app, &member)?;
    let class = q.classe.ok_or(AppError::NotFound)?;
    require(member.actor(), Action::Teach { class_id: class })?;
    let people = People::load(&app.store)?;
    lesson_form(app, &member, &people, class, &FormState::new())
}

#[handler]
async fn new_submit(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ClassQuery>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    super::require_teacher(app, &member)?;
    let class = q.classe.ok_or(AppError::NotFound)?;
    require(member.actor(), Action::Teach { class_id: class })?;
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let (texts, files, errors) = attachments::read_form(
        &app.store,
        member.actor(),
        &mut multipart,
        attachments::Limits::ATTACHMENTS,
    )
    .await
    .parts();
    let people = People::load(&app.store)?;
    let mut form = FormState::with_values(
        ["scope", "subject", "period", "title", "body"].map(|k| (k, first_value(&texts, k))),
    );
    let scope = Scope::parse(form.value("scope")).filter(|s| {
        scope_choices(&people, class)
            .iter()
            .any(|(c, _)| *c == s.code())
    });
    if scope.is_none() {
        form.error("scope", "Choisissez pour qui.");
    }
    if !SUBJECTS.contains(&form.value("subject")) {
        form.error("subject", "Choisissez la matière.");
    }
    let period = match form.value("period").parse::<u8>() {
        Ok(p) if (1..=5).contains(&p) => p,
        _ => {
            form.error("period", "Choisissez une période de 1 à 5.");
            1
        }
    };
    let title = form.required("title", "le titre");
    if form.value("body").trim().is_empty() {
        form.error("body", "La leçon est vide.");
    }
    if !errors.is_empty() {
        form.error("files", errors.join(" "));
    }
    if !form.is_ok() {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            lesson_form(app, &member, &people, class, &form)?,
        )
            .into_response());
    }
    let now = auth::now_micros();
    let lesson = Lesson {
        id: 0,
        class,
        scope: scope.unwrap_or(Scope::Class),
        subject: form.value("subject").to_string(),
        period,
        title,
        body: form.value("body").to_string(),
        attachments: files,
        author: member.user().id,
        created_at: now,
    };
    let id = publish(&app.store, &lesson).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Leçon publiée."),
    )
    .await?;
    Ok(Redirect::see_other(format!("/classeur/{id}")).into_response())
}

fn load(app: &App, member: &Member, people: &People, id: u64) -> AppResult<Lesson> {
    let l = app.store.get(&LESSONS, &id)?.ok_or(AppError::NotFound)?;
    let ok = may(member.actor(), Action::Teach { class_id: l.class })
        || pupils(people, l.class, l.scope)
            .iter()
            .any(|p| may_view_pupil(people, member, *p));
    if ok {
        Ok(l)
    } else {
        Err(AppError::Forbidden)
    }
}

#[handler]
fn show(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let l = load(app, &member, &people, id)?;
    let teacher = may(member.actor(), Action::Teach { class_id: l.class });
    let body = html! {
        (crate::ui::heading(&l.title, Some(&format!("{} — période {}", l.subject, l.period))))
        section.panel {
            p { (for_whom(&people, l.class, l.scope)) " — publiée le " (dates::long_date(l.created_at)) }
            div.richtext.lesson { (richtext::render(&l.body)) }
            @for (i, a) in l.attachments.iter().enumerate() {
                @let url = format!("/classeur/{id}/pieces/{i}");
                @if a.mime.starts_with("image/") { p { img.preview src=(url) alt=(a.name); } }
                @else if a.mime.starts_with("audio/") { p { (a.name) br; audio controls preload="none" src=(url) {} } }
                @else { p { a href=(url) { (a.name) } } }
            }
        }
        @if teacher {
            form method="post" action=(format!("/classeur/{id}/supprimer")) {
                (csrf_input(&member.visitor))
                button.danger type="submit" data-confirm="Retirer cette leçon du classeur ?" { "Retirer du classeur" }
            }
        }
    };
    frame(app, &member, &l.title, "/classeur", body)
}

#[handler]
async fn remove(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let l = app.store.get(&LESSONS, &id)?.ok_or(AppError::NotFound)?;
    require(member.actor(), Action::Teach { class_id: l.class })?;
    app.store
        .commit(|tx| {
            tx.remove(&BY_CLASS, &(l.class, id))?;
            tx.remove(&LESSONS, &id)
        })
        .await?;
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
    let l = load(app, &member, &people, id)?;
    let a = l.attachments.get(n).ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, a, attachments::range(req)).await)
}
