//! The cahier de textes (/cahier-de-textes): per class, séances (what was done in class)
//! and travail à faire (given on a day, due on a day, with instructions and an estimated
//! time), for the whole class, a level or a group; planned ahead (visible from a date);
//! ticked « fait » by pupils; a workload warning per day for the teacher. Work marked « à
//! rendre en ligne » is also an assignment of the devoirs (`homework.rs`).

use crate::routing::{Access, Object, Routes};
use jiff::civil::Date;
use maud::{html, Markup};
use poem::web::{Data, Form, Multipart, Path, Query, Redirect};
use poem::{handler, IntoResponse, Request, Response};
use serde::{Deserialize, Serialize};

use super::{
    concerns, followed_pupils, for_whom, frame, may_view_pupil, pupils, scope_choices,
    subject_select, taught_classes, Scope,
};
use crate::app::App;
use crate::attachments::{self, Attachment};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::notify::{self, Kind};
use crate::policy::{may, require, Action};
use crate::store::{Key, Result, Store, Table};
use crate::ui::form::{first_value, select, Field, FormState};
use crate::ui::{csrf_input, dates, richtext};

pub const ENTRIES: Table<u64, Entry> = Table::new("textbook_entries");
pub const BY_CLASS: Table<(u64, u64), ()> = Table::new("textbook_by_class");
/// (entry, pupil) → when the pupil ticked « fait ».
pub const DONE: Table<(u64, u64), i64> = Table::new("textbook_done");
pub const TABLES: &[&str] = &[ENTRIES.name, BY_CLASS.name, DONE.name];

/// Minutes of work due on one day above which the teacher is warned.
pub const HEAVY_MINUTES: u32 = 45;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Session,
    Work,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub id: u64,
    pub class: u64,
    pub scope: Scope,
    pub kind: EntryKind,
    pub subject: String,
    pub title: String,
    pub body: String,
    /// Day of the séance, or day the work is due (« 2026-11-24 »).
    pub day: String,
    /// Day the work is given.
    #[serde(default)]
    pub given: String,
    #[serde(default)]
    pub minutes: u32,
    /// To hand in online (an assignment of the devoirs).
    #[serde(default)]
    pub online: bool,
    /// Shown in the cahier de textes (an online assignment may stand alone).
    #[serde(default = "shown")]
    pub listed: bool,
    /// Pupils and parents see it from this instant (planned ahead).
    pub visible_from: i64,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub author: u64,
    pub created_at: i64,
    /// Pupils and parents have been notified (at publication).
    #[serde(default)]
    pub notified: bool,
}

impl Entry {
    pub fn date(&self) -> Option<Date> {
        dates::parse_date(&self.day)
    }
    pub fn visible(&self, now: i64) -> bool {
        self.visible_from <= now
    }
}

fn shown() -> bool {
    true
}

pub fn entry(store: &Store, id: u64) -> Result<Option<Entry>> {
    store.get(&ENTRIES, &id)
}

pub fn of_class(store: &Store, class: u64) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(&BY_CLASS, &class.encode())? {
        if let Some(e) = store.get(&ENTRIES, &id)? {
            out.push(e);
        }
    }
    out.sort_by(|a, b| a.day.cmp(&b.day).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// Entries concerning a pupil that pupils and parents may see now.
pub fn for_pupil(store: &Store, people: &People, pupil: u64, now: i64) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for c in people.classes_of(pupil) {
        for e in of_class(store, *c)? {
            if e.visible(now) && concerns(people, e.class, e.scope, pupil) {
                out.push(e);
            }
        }
    }
    Ok(out)
}

pub fn done_by(store: &Store, entry: u64) -> Result<Vec<u64>> {
    Ok(store
        .scan_prefix(&DONE, &entry.encode())?
        .into_iter()
        .map(|((_, p), _)| p)
        .collect())
}

pub fn is_done(store: &Store, entry: u64, pupil: u64) -> Result<bool> {
    Ok(store.get(&DONE, &(entry, pupil))?.is_some())
}

/// Tells pupils and guardians about new work, once it is visible.
fn notify_work(tx: &mut crate::store::Tx<'_>, people: &People, e: &Entry, now: i64) -> Result<()> {
    if e.kind != EntryKind::Work {
        return Ok(());
    }
    let due = e.date().map(dates::day_label).unwrap_or_default();
    for p in pupils(people, e.class, e.scope) {
        let text = format!("Travail pour le {due} ({}) : « {} »", e.subject, e.title);
        let link = if e.online {
            format!("/devoirs/{}", e.id)
        } else {
            format!("/cahier-de-textes/{}", e.id)
        };
        notify::push(tx, p, Kind::Homework, &text, &link, now)?;
        for g in people.parents_of(p) {
            let child = people
                .user(p)
                .map(|u| u.first_name.clone())
                .unwrap_or_default();
            notify::push(
                tx,
                *g,
                Kind::Homework,
                &format!("{child} : {text}"),
                &link,
                now,
            )?;
        }
    }
    Ok(())
}

pub async fn save(store: &Store, people: &People, e: Entry, now: i64) -> Result<u64> {
    store
        .commit(|tx| {
            let mut e = e.clone();
            if e.id == 0 {
                e.id = tx.next_id("textbook")?;
            }
            if e.visible(now) && !e.notified {
                notify_work(tx, people, &e, now)?;
                e.notified = true;
            }
            tx.put(&ENTRIES, &e.id, &e)?;
            tx.put(&BY_CLASS, &(e.class, e.id), &())?;
            Ok(e.id)
        })
        .await
}

pub async fn delete(store: &Store, e: &Entry) -> Result<()> {
    let done: Vec<u64> = done_by(store, e.id)?;
    store
        .commit(|tx| {
            for p in &done {
                tx.remove(&DONE, &(e.id, *p))?;
            }
            tx.remove(&BY_CLASS, &(e.class, e.id))?;
            tx.remove(&ENTRIES, &e.id)
        })
        .await
}

/// Planned entries that became visible: notify now (called by the periodic job).
pub fn publish_due(store: &Store, people: &People, now: i64) -> Result<usize> {
    let due: Vec<Entry> = store
        .scan(&ENTRIES)?
        .into_iter()
        .map(|(_, e)| e)
        .filter(|e| !e.notified && e.visible(now))
        .collect();
    store.commit_blocking(|tx| {
        for e in &due {
            let mut e = e.clone();
            notify_work(tx, people, &e, now)?;
            e.notified = true;
            tx.put(&ENTRIES, &e.id, &e)?;
        }
        Ok(())
    })?;
    Ok(due.len())
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    Ok(store
        .scan(&ENTRIES)?
        .into_iter()
        .flat_map(|(_, e)| e.attachments.into_iter().map(|a| a.blob))
        .collect())
}

/// Minutes of work due on `day` for the most loaded pupil of the class.
pub fn load_of_day(people: &People, entries: &[Entry], class: u64, day: &str) -> u32 {
    people
        .pupils_of_class(class)
        .iter()
        .map(|p| {
            entries
                .iter()
                .filter(|e| {
                    e.kind == EntryKind::Work
                        && e.day == day
                        && concerns(people, class, e.scope, *p)
                })
                .map(|e| e.minutes)
                .sum::<u32>()
        })
        .max()
        .unwrap_or(0)
}

// ---- routes ----

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

#[handler]
fn home(Data(app): Data<&App>, member: Member, Query(q): Query<HomeQuery>) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let classes = taught_classes(&people, &member);
    if let Some((first, _)) = classes.first() {
        let class = q
            .classe
            .filter(|c| classes.iter().any(|(id, _)| id == c))
            .unwrap_or(*first);
        let start = monday(
            q.semaine
                .as_deref()
                .and_then(dates::parse_date)
                .unwrap_or(dates::local_day_and_hour(auth::now_micros()).0),
        );
        return week(app, &member, &people, &classes, class, start);
    }
    pupil_view(app, &member, &people)
}

fn week(
    app: &App,
    member: &Member,
    people: &People,
    classes: &[(u64, String)],
    class: u64,
    start: Date,
) -> AppResult<Markup> {
    let entries: Vec<Entry> = of_class(&app.store, class)?
        .into_iter()
        .filter(|e| e.listed)
        .collect();
    let days: Vec<Date> = (0..5)
        .filter_map(|i| start.checked_add(jiff::Span::new().days(i)).ok())
        .collect();
    let prev = start
        .checked_sub(jiff::Span::new().days(7))
        .unwrap_or(start);
    let next = start
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(start);
    let n_pupils = people.pupils_of_class(class).len();
    let body = html! {
        (crate::ui::heading("Cahier de textes", Some(&format!("Semaine du {}", dates::day_label(start)))))
        form.inline method="get" action="/cahier-de-textes" {
            div.field {
                label for="f-classe" { "Classe" }
                select #f-classe name="classe" { @for (id, l) in classes { option value=(id) selected[*id == class] { (l) } } }
            }
            input type="hidden" name="semaine" value=(start.to_string());
            button type="submit" { "Afficher" }
        }
        p.actions {
            a.button href=(format!("/cahier-de-textes?classe={class}&semaine={prev}")) { "← Semaine précédente" }
            a.button href=(format!("/cahier-de-textes?classe={class}&semaine={next}")) { "Semaine suivante →" }
            a.button.primary href=(format!("/cahier-de-textes/nouveau?classe={class}&type=travail")) { "Donner du travail" }
            a.button.primary href=(format!("/cahier-de-textes/nouveau?classe={class}&type=seance")) { "Noter une séance" }
        }
        @for d in &days {
            @let day = d.to_string();
            @let load = load_of_day(people, &entries, class, &day);
            section.panel.day {
                h2 { (capitalize(&dates::day_label(*d))) }
                @if load > HEAVY_MINUTES { p.flash.error role="status" { "Journée chargée : " (load) " minutes de travail pour certains élèves ce jour-là." } }
                @let sessions: Vec<&Entry> = entries.iter().filter(|e| e.kind == EntryKind::Session && e.day == day).collect();
                @let works: Vec<&Entry> = entries.iter().filter(|e| e.kind == EntryKind::Work && e.day == day).collect();
                @if sessions.is_empty() && works.is_empty() { p.empty { "Rien de noté." } }
                @for e in &sessions {
                    p { strong { "Séance — " (e.subject) " : " } a href=(format!("/cahier-de-textes/{}", e.id)) { (e.title) } " " (for_whom(people, class, e.scope)) }
                }
                @for e in &works {
                    p {
                        strong { "Pour ce jour — " (e.subject) " : " } a href=(format!("/cahier-de-textes/{}", e.id)) { (e.title) }
                        " " (for_whom(people, class, e.scope))
                        " " span.badge { (done_by(&app.store, e.id)?.len()) " / " (pupils(people, class, e.scope).len().min(n_pupils)) " fait" }
                        @if e.online { " " a href=(format!("/devoirs/{}", e.id)) { "rendus en ligne" } }
                        @if !e.visible(auth::now_micros()) { " " span.badge.off { "visible le " (dates::short_datetime(e.visible_from)) } }
                    }
                }
            }
        }
    };
    frame(app, member, "Cahier de textes", "/cahier-de-textes", body)
}

fn capitalize(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn pupil_view(app: &App, member: &Member, people: &People) -> AppResult<Markup> {
    let followed = followed_pupils(people, member);
    if followed.is_empty() {
        return Err(AppError::Forbidden);
    }
    let now = auth::now_micros();
    let today = dates::local_day_and_hour(now).0.to_string();
    let me = member.user().id;
    let mut blocks = Vec::new();
    for p in &followed {
        let entries: Vec<Entry> = for_pupil(&app.store, people, *p, now)?
            .into_iter()
            .filter(|e| e.listed)
            .collect();
        let mut todo: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.kind == EntryKind::Work && e.day >= today)
            .collect();
        todo.sort_by(|a, b| a.day.cmp(&b.day));
        let mut done_in_class: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.kind == EntryKind::Session && e.day <= today)
            .collect();
        done_in_class.sort_by(|a, b| b.day.cmp(&a.day));
        done_in_class.truncate(10);
        let mut rows = Vec::new();
        for e in &todo {
            rows.push(((*e).clone(), is_done(&app.store, e.id, *p)?));
        }
        blocks.push((
            *p,
            rows,
            done_in_class.into_iter().cloned().collect::<Vec<_>>(),
        ));
    }
    let body = html! {
        (crate::ui::heading("Cahier de textes", Some("Le travail à faire, par date, et ce qui a été fait en classe.")))
        @for (p, todo, sessions) in &blocks {
            section.panel {
                @if *p != me { h2 { (people.user(*p).map(|u| u.display_name()).unwrap_or_default()) } }
                h3 { "À faire" }
                @if todo.is_empty() { p.empty { "Rien à faire pour le moment." } }
                @for (i, (e, done)) in todo.iter().enumerate() {
                    @if i.checked_sub(1).and_then(|p| todo.get(p)).is_none_or(|(p, _)| p.day != e.day) {
                        h4 { "Pour le " (e.date().map(dates::day_label).unwrap_or_default()) }
                    }
                    div.work {
                        p {
                            strong { (e.subject) " : " } a href=(format!("/cahier-de-textes/{}", e.id)) { (e.title) }
                            @if e.minutes > 0 { " " span.small { "(" (e.minutes) " min)" } }
                            @if e.online { " " a href=(format!("/devoirs/{}", e.id)) { "à rendre en ligne" } }
                        }
                        @if *p == me {
                            form.inline method="post" action=(format!("/cahier-de-textes/{}/fait", e.id)) {
                                (csrf_input(&member.visitor))
                                button type="submit" class=(if *done { "done" } else { "" }) { @if *done { "✓ Fait (annuler)" } @else { "J'ai fait ce travail" } }
                            }
                        } @else if *done { span.badge { "fait" } }
                    }
                }
                h3 { "Fait en classe" }
                @if sessions.is_empty() { p.empty { "Rien de noté." } }
                ul { @for e in sessions { li { (e.date().map(dates::day_label).unwrap_or_default()) " — " (e.subject) " : " a href=(format!("/cahier-de-textes/{}", e.id)) { (e.title) } } } }
            }
        }
    };
    frame(app, member, "Cahier de textes", "/cahier-de-textes", body)
}

#[derive(Deserialize, Default)]
struct NewQuery {
    classe: Option<u64>,
    #[serde(rename = "type")]
    kind: Option<String>,
    /// From the devoirs: an assignment to hand in online.
    devoir: Option<u8>,
}

fn entry_form(
    app: &App,
    member: &Member,
    people: &People,
    class: u64,
    kind: EntryKind,
    form: &FormState,
) -> AppResult<Markup> {
    let action = format!(
        "/cahier-de-textes/nouveau?classe={class}&type={}&{}={}",
        if kind == EntryKind::Work {
            "travail"
        } else {
            "seance"
        },
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    let picker = crate::media::picker::offer(app, member.actor())?;
    let class_label = people
        .class(class)
        .map(|c| c.label.clone())
        .unwrap_or_default();
    let body = html! {
        (crate::ui::heading(if kind == EntryKind::Work { "Donner du travail" } else { "Noter une séance" }, Some(&class_label)))
        section.panel {
            (crate::ui::form::error_summary(form))
            form method="post" action=(action) enctype="multipart/form-data" novalidate {
                (csrf_input(&member.visitor))
                (select(form, "scope", "Pour", &scope_choices(people, class), true))
                (subject_select(form))
                (Field::text("title", if kind == EntryKind::Work { "Travail" } else { "Séance" }).required().hint(if kind == EntryKind::Work { "par ex. « Apprendre la poésie, 2 strophes »" } else { "par ex. « Les fractions : découverte »" }).render(form))
                @if kind == EntryKind::Work {
                    div.row {
                        (Field::text("given", "Donné le").kind("date").required().render(form))
                        (Field::text("day", "Pour le").kind("date").required().render(form))
                        (Field::text("minutes", "Temps estimé (minutes)").kind("number").render(form))
                    }
                } @else {
                    (Field::text("day", "Date de la séance").kind("date").required().render(form))
                }
                div.field.has-error[form.errors.contains_key("body")] {
                    label for="f-body" { @if kind == EntryKind::Work { "Consignes" abbr title="obligatoire" { " *" } } @else { "Ce qui a été fait" } }
                    @if let Some(e) = form.errors.get("body") { p.error { (e) } }
                    textarea #f-body name="body" rows="6" { (form.value("body")) }
                }
                @if kind == EntryKind::Work {
                    div.check { input #f-online type="checkbox" name="online" value="1" checked[form.value("online") == "1"]; label for="f-online" { "À rendre en ligne (texte, fichiers, enregistrement)" } }
                    div.check { input #f-listed type="checkbox" name="listed" value="1" checked[form.value("listed") == "1"]; label for="f-listed" { "Noter aussi dans le cahier de textes" } }
                }
                (Field::text("visible_from", "Visible par les élèves et les familles à partir du (facultatif)").kind("date").hint("Pour préparer à l'avance.").render(form))
                div.field.has-error[form.errors.contains_key("files")] {
                    label for="f-files" { "Documents (facultatif)" }
                    @if let Some(e) = form.errors.get("files") { p.error { (e) } }
                    input #f-files type="file" name="files" multiple;
                }
                @if let Some(p) = picker { (p) }
                button.primary type="submit" { "Enregistrer" }
            }
        }
    };
    frame(app, member, "Cahier de textes", "/cahier-de-textes", body)
}

#[handler]
fn new_form(Data(app): Data<&App>, member: Member, Query(q): Query<NewQuery>) -> AppResult<Markup> {
    super::require_teacher(app, &member)?;
    let class = q.classe.ok_or(AppError::NotFound)?;
    require(member.actor(), Action::Teach { class_id: class })?;
    let people = People::load(&app.store)?;
    let kind = if q.kind.as_deref() == Some("seance") {
        EntryKind::Session
    } else {
        EntryKind::Work
    };
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
    entry_form(app, &member, &people, class, kind, &form)
}

#[handler]
async fn new_submit(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<NewQuery>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    super::require_teacher(app, &member)?;
    let class = q.classe.ok_or(AppError::NotFound)?;
    require(member.actor(), Action::Teach { class_id: class })?;
    let kind = if q.kind.as_deref() == Some("seance") {
        EntryKind::Session
    } else {
        EntryKind::Work
    };
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
    let now = auth::now_micros();
    let mut form = FormState::with_values(
        [
            "scope",
            "subject",
            "title",
            "given",
            "day",
            "minutes",
            "body",
            "online",
            "listed",
            "visible_from",
        ]
        .map(|k| (k, first_value(&texts, k))),
    );
    let scope = Scope::parse(form.value("scope")).filter(|s| {
        scope_choices(&people, class)
            .iter()
            .any(|(c, _)| *c == s.code())
    });
    if scope.is_none() {
        form.error("scope", "Choisissez pour qui.");
    }
    let subject = form.value("subject").to_string();
    if !super::SUBJECTS.contains(&subject.as_str()) {
        form.error("subject", "Choisissez la matière.");
    }
    let title = form.required("title", "le titre");
    let day = dates::parse_date(form.value("day"));
    if day.is_none() {
        form.error("day", "Indiquez une date valide.");
    }
    let mut given = String::new();
    let mut minutes = 0;
    if kind == EntryKind::Work {
        match dates::parse_date(form.value("given")) {
            Some(g) => {
                if day.is_some_and(|d| d < g) {
                    form.error(
                        "day",
                        "Le travail ne peut pas être pour un jour avant celui où il est donné.",
                    );
                }
                given = g.to_string();
            }
            None => form.error("given", "Indiquez une date valide."),
        }
        minutes = match form.value("minutes").trim() {
            "" => 0,
            m => match m.parse::<u32>() {
                Ok(n) if n <= 600 => n,
                _ => {
                    form.error("minutes", "Indiquez un nombre de minutes (0 à 600).");
                    0
                }
            },
        };
        if form.value("body").trim().is_empty() {
            form.error(
                "body",
                "Les consignes sont vides : écrivez ce que les élèves doivent faire.",
            );
        }
    }
    let visible_from = match form.value("visible_from").trim() {
        "" => now,
        v => match dates::parse_date(v) {
            Some(d) => dates::start_of_day(d),
            None => {
                form.error("visible_from", "Cette date n'est pas valide.");
                now
            }
        },
    };
    if !errors.is_empty() {
        form.error("files", errors.join(" "));
    }
    if !form.is_ok() {
        if !files.is_empty() && !form.errors.contains_key("files") {
            form.error("files", "Joignez à nouveau vos documents (ils n'ont pas été gardés avec ce formulaire incomplet).");
        }
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            entry_form(app, &member, &people, class, kind, &form)?,
        )
            .into_response());
    }
    let e = Entry {
        id: 0,
        class,
        scope: scope.unwrap_or(Scope::Class),
        kind,
        subject,
        title,
        body: form.value("body").to_string(),
        day: day.map(|d| d.to_string()).unwrap_or_default(),
        given,
        minutes,
        online: kind == EntryKind::Work && form.value("online") == "1",
        // A séance is always in the cahier de textes, and so is work not handed in online.
        listed: kind == EntryKind::Session
            || form.value("listed") == "1"
            || form.value("online") != "1",
        visible_from,
        attachments: files,
        author: member.user().id,
        created_at: now,
        notified: false,
    };
    let week = e.day.clone();
    let listed = e.listed;
    let id = save(&app.store, &people, e, now).await?;
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

/// May this person see this entry: the class's teachers, or someone who follows a pupil
/// it concerns (once visible).
fn may_see(app: &App, member: &Member, people: &People, e: &Entry) -> bool {
    if may(member.actor(), Action::Teach { class_id: e.class }) {
        return true;
    }
    e.visible(auth::now_micros())
        && pupils(people, e.class, e.scope)
            .iter()
            .any(|p| may_view_pupil(people, member, *p))
        && app.is_installed()
}

#[handler]
fn show(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let e = entry(&app.store, id)?.ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    if !may_see(app, &member, &people, &e) {
        return Err(AppError::Forbidden);
    }
    let teacher = may(member.actor(), Action::Teach { class_id: e.class });
    let done = done_by(&app.store, id)?;
    let concerned = pupils(&people, e.class, e.scope);
    let me = member.user().id;
    let body = html! {
        (crate::ui::heading(&e.title, Some(&format!("{} — {}", e.subject, if e.kind == EntryKind::Work { format!("pour le {}", e.date().map(dates::day_label).unwrap_or_default()) } else { format!("séance du {}", e.date().map(dates::day_label).unwrap_or_default()) }))))
        section.panel {
            p { (for_whom(&people, e.class, e.scope)) @if e.minutes > 0 { " — environ " (e.minutes) " minutes" } }
            @if e.kind == EntryKind::Work && !e.given.is_empty() { p.small { "Donné le " (dates::parse_date(&e.given).map(dates::day_label).unwrap_or_default()) } }
            div.richtext { (richtext::render(&e.body)) }
            @if !e.attachments.is_empty() {
                ul.attachments { @for (i, a) in e.attachments.iter().enumerate() { li { a href=(format!("/cahier-de-textes/{id}/pieces/{i}")) { (a.name) } } } }
            }
            @if e.online { p { a.button.primary href=(format!("/devoirs/{id}")) { "Rendre ou voir les rendus en ligne" } } }
            @if e.kind == EntryKind::Work && concerned.contains(&me) {
                form method="post" action=(format!("/cahier-de-textes/{id}/fait")) {
                    (csrf_input(&member.visitor))
                    button type="submit" { @if done.contains(&me) { "✓ Fait (annuler)" } @else { "J'ai fait ce travail" } }
                }
            }
        }
        @if teacher {
            section.panel {
                @if e.kind == EntryKind::Work { p { strong { (done.iter().filter(|p| concerned.contains(p)).count()) " / " (concerned.len()) } " élève(s) ont indiqué avoir fait ce travail." } }
                form.inline method="post" action=(format!("/cahier-de-textes/{id}/copier")) {
                    (csrf_input(&member.visitor))
                    div.field { label for="f-copy-day" { "Copier pour le" } input #f-copy-day type="date" name="jour" value=(e.day) required; }
                    div.field {
                        label for="f-copy-class" { "Classe" }
                        select #f-copy-class name="classe" { @for (cid, l) in taught_classes(&people, &member) { option value=(cid) selected[cid == e.class] { (l) } } }
                    }
                    button type="submit" { "Copier" }
                }
                form method="post" action=(format!("/cahier-de-textes/{id}/supprimer")) {
                    (csrf_input(&member.visitor))
                    button.danger type="submit" data-confirm="Supprimer cette entrée du cahier de textes ?" { "Supprimer" }
                }
            }
        }
    };
    frame(app, &member, &e.title, "/cahier-de-textes", body)
}

#[handler]
async fn toggle_done(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let e = entry(&app.store, id)?.ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    let me = member.user().id;
    if e.kind != EntryKind::Work
        || !e.visible(auth::now_micros())
        || !concerns(&people, e.class, e.scope, me)
    {
        return Err(AppError::Forbidden);
    }
    let done = is_done(&app.store, id, me)?;
    let now = auth::now_micros();
    app.store
        .commit(|tx| {
            if done {
                tx.remove(&DONE, &(id, me))
            } else {
                tx.put(&DONE, &(id, me), &now)
            }
        })
        .await?;
    Ok(Redirect::see_other("/cahier-de-textes"))
}

#[handler]
async fn copy(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let e = entry(&app.store, id)?.ok_or(AppError::NotFound)?;
    require(member.actor(), Action::Teach { class_id: e.class })?;
    let class: u64 = first_value(&f, "classe")
        .parse()
        .map_err(|_| AppError::BadRequest("Classe inconnue.".into()))?;
    require(member.actor(), Action::Teach { class_id: class })?;
    let day = dates::parse_date(&first_value(&f, "jour"))
        .ok_or(AppError::BadRequest("Date invalide.".into()))?;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let mut copy = e.clone();
    copy.id = 0;
    copy.class = class;
    // A group or level of another class may not exist there: the copy is for the class.
    if class != e.class {
        copy.scope = Scope::Class;
    }
    copy.day = day.to_string();
    if copy.kind == EntryKind::Work && copy.given.as_str() > copy.day.as_str() {
        copy.given = copy.day.clone();
    }
    copy.created_at = now;
    copy.notified = false;
    copy.visible_from = now.max(e.visible_from);
    let new_id = save(&app.store, &people, copy, now).await?;
    auth::push_flash(&app.store, &member.me.session_key, Flash::success("Copié.")).await?;
    Ok(Redirect::see_other(format!("/cahier-de-textes/{new_id}")))
}

#[handler]
async fn remove(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let e = entry(&app.store, id)?.ok_or(AppError::NotFound)?;
    require(member.actor(), Action::Teach { class_id: e.class })?;
    delete(&app.store, &e).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Supprimé du cahier de textes."),
    )
    .await?;
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
    let e = entry(&app.store, id)?.ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    if !may_see(app, &member, &people, &e) {
        return Err(AppError::Forbidden);
    }
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
