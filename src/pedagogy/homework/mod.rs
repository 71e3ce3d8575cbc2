//! Devoirs en ligne (/devoirs): work of the cahier de textes marked « à rendre en ligne ».
//! The pupil hands in text, files and sound recordings, and may hand in again until the
//! teacher returns it; the teacher answers with text and sound, returns the work
//! (« corrigé ») or asks for a new version. Pupil, parents and teacher see the same status.

use crate::routing::{Access, Object, Routes};
use maud::{html, Markup};
use poem::web::{Data, Multipart, Path, Query, Redirect};
use poem::{handler, IntoResponse, Request, Response};
use serde::{Deserialize, Serialize};

use super::textbook::{self, Entry, EntryKind};
use super::{concerns, followed_pupils, for_whom, frame, may_view_pupil, pupils, taught_classes};
use crate::app::App;
use crate::attachments::{self, Attachment};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::notify::{self, Kind};
use crate::policy::{may, Action};
use crate::refusal::{Failure, Outcome};
use crate::store::{Key, Result, Store, Table};
use crate::ui::form::{first_value, FormState};
use crate::ui::{csrf_input, dates, richtext};

/// (work, pupil) → the pupil's hand-ins and the teacher's answers.
pub const SUBMISSIONS: Table<(u64, u64), Submission> = Table::new("homework_submissions");
/// (work, pupil) → files already received with a hand-in that had an error: shown again
/// in the form, so that nothing the pupil recorded is lost.
pub const KEPT_FILES: Table<(u64, u64), Vec<Attachment>> = Table::new("homework_kept_files");
pub const TABLES: &[&str] = &[SUBMISSIONS.name, KEPT_FILES.name];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Handed in; the pupil may hand in again until the teacher answers.
    HandedIn,
    /// The teacher asks for a new version.
    Redo,
    /// Returned with the teacher's feedback: done.
    Returned,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Version {
    pub at: i64,
    pub text: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Feedback {
    pub at: i64,
    pub by: u64,
    pub text: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Submission {
    pub status: Status,
    pub versions: Vec<Version>,
    #[serde(default)]
    pub feedback: Vec<Feedback>,
}

/// The status as a sentence, the same for pupil, parent and teacher.
pub fn status_text(s: Option<&Submission>, e: &Entry, today: &str) -> String {
    match s.map(|s| s.status) {
        None if e.day.as_str() < today => "Non rendu".into(),
        None => "À rendre".into(),
        Some(Status::HandedIn) => format!(
            "Rendu le {}",
            s.and_then(|s| s.versions.last())
                .map(|v| dates::short_datetime(v.at))
                .unwrap_or_default()
        ),
        Some(Status::Redo) => "Nouvelle version demandée".into(),
        Some(Status::Returned) => "Corrigé".into(),
    }
}

pub fn submission(store: &Store, work: u64, pupil: u64) -> Result<Option<Submission>> {
    store.get(&SUBMISSIONS, &(work, pupil))
}

pub fn submissions(store: &Store, work: u64) -> Result<Vec<(u64, Submission)>> {
    Ok(store
        .scan_prefix(&SUBMISSIONS, &work.encode())?
        .into_iter()
        .map(|((_, p), s)| (p, s))
        .collect())
}

/// Hands in a version (refused once the work is returned).
pub async fn hand_in(
    store: &Store,
    people: &People,
    e: &Entry,
    pupil: u64,
    v: Version,
) -> Outcome<()> {
    let teachers = people.teachers_of_class(e.class);
    let name = people
        .user(pupil)
        .map(|u| u.display_name())
        .unwrap_or_default();
    store
        .commit_checked(|tx| {
            let mut s = tx.get(&SUBMISSIONS, &(e.id, pupil))?.unwrap_or(Submission {
                status: Status::HandedIn,
                versions: Vec::new(),
                feedback: Vec::new(),
            });
            if s.status == Status::Returned {
                return Err(Failure::refused(
                    "Ce travail a déjà été corrigé : il ne peut plus être rendu.",
                ));
            }
            s.status = Status::HandedIn;
            s.versions.push(v.clone());
            tx.put(&SUBMISSIONS, &(e.id, pupil), &s)?;
            for t in &teachers {
                notify::push(
                    tx,
                    *t,
                    Kind::Homework,
                    &format!("{name} a rendu « {} »", e.title),
                    &format!("/devoirs/{}/eleve/{pupil}", e.id),
                    v.at,
                )?;
            }
            Ok(())
        })
        .await
}

/// The teacher's answer: returned (done) or a new version asked.
pub async fn answer(
    store: &Store,
    people: &People,
    e: &Entry,
    pupil: u64,
    f: Feedback,
    redo: bool,
) -> Outcome<()> {
    store
        .commit_checked(|tx| {
            let Some(mut s) = tx.get(&SUBMISSIONS, &(e.id, pupil))? else {
                return Err(Failure::refused("Cet élève n'a encore rien rendu."));
            };
            s.status = if redo { Status::Redo } else { Status::Returned };
            s.feedback.push(f.clone());
            tx.put(&SUBMISSIONS, &(e.id, pupil), &s)?;
            let text = if redo {
                format!("Nouvelle version demandée pour « {} »", e.title)
            } else {
                format!("Travail corrigé : « {} »", e.title)
            };
            let link = format!("/devoirs/{}", e.id);
            notify::push(tx, pupil, Kind::Homework, &text, &link, f.at)?;
            for g in people.parents_of(pupil) {
                notify::push(
                    tx,
                    *g,
                    Kind::Homework,
                    &text,
                    &format!("{link}?eleve={pupil}"),
                    f.at,
                )?;
            }
            Ok(())
        })
        .await
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    let mut out = std::collections::HashSet::new();
    for (_, kept) in store.scan(&KEPT_FILES)? {
        out.extend(kept.into_iter().map(|a| a.blob));
    }
    for (_, s) in store.scan(&SUBMISSIONS)? {
        for v in s.versions {
            out.extend(v.attachments.into_iter().map(|a| a.blob));
        }
        for f in s.feedback {
            out.extend(f.attachments.into_iter().map(|a| a.blob));
        }
    }
    Ok(out)
}

// ---- routes ----

pub fn routes() -> Routes {
    let reader = Access::Object(Object::WorkReader);
    let hand_in = Access::Object(Object::HandIn);
    Routes::new()
        .get("/", home, Access::Member)
        .get("/:id", show, reader)
        .post("/:id/rendre", submit, reader)
        .get("/:id/eleve/:pupil", pupil_work, hand_in)
        .post(
            "/:id/eleve/:pupil/retour",
            feedback,
            Access::Object(Object::HandInFeedback),
        )
        .get("/:id/eleve/:pupil/fichier", file, hand_in)
}

fn work(app: &App, id: u64) -> AppResult<Entry> {
    textbook::entry(&app.store, id)?
        .filter(|e| e.kind == EntryKind::Work && e.online)
        .ok_or(AppError::NotFound)
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
        for e in textbook::of_class(&app.store, *c)?
            .into_iter()
            .filter(|e| e.kind == EntryKind::Work && e.online)
        {
            let handed = submissions(&app.store, e.id)?.len();
            let total = pupils(&people, e.class, e.scope).len();
            teaching.push((label.clone(), e, handed, total));
        }
    }
    teaching.sort_by(|a, b| b.1.day.cmp(&a.1.day));
    let mut followed = Vec::new();
    for p in followed_pupils(&people, &member) {
        let mut rows = Vec::new();
        for e in textbook::for_pupil(&app.store, &people, p, now)?
            .into_iter()
            .filter(|e| e.kind == EntryKind::Work && e.online)
        {
            let s = submission(&app.store, e.id, p)?;
            rows.push((status_text(s.as_ref(), &e, &today), e));
        }
        rows.sort_by(|a, b| b.1.day.cmp(&a.1.day));
        followed.push((p, rows));
    }
    if classes.is_empty() && followed.is_empty() {
        return Err(AppError::Forbidden);
    }
    let me = member.user().id;
    let body = html! {
        (crate::ui::heading("Devoirs en ligne", Some("Le travail à rendre en ligne : texte, fichiers, enregistrements.")))
        @if !classes.is_empty() {
            section.panel {
                h2 { "Travail donné" }
                p.actions { @for (c, l) in &classes { a.button.primary href=(format!("/cahier-de-textes/nouveau?classe={c}&type=travail&devoir=1")) { "Donner un devoir en ligne — " (l) } } }
                p.small { "Un travail du " a href="/cahier-de-textes" { "cahier de textes" } " marqué « À rendre en ligne » apparaît aussi ici." }
                @if teaching.is_empty() { p.empty { "Aucun travail à rendre en ligne." } } @else {
                    table.list {
                        thead { tr { th scope="col" { "Pour le" } th scope="col" { "Travail" } th scope="col" { "Classe" } th scope="col" { "Rendus" } } }
                        tbody { @for (label, e, handed, total) in &teaching { tr {
                            td { (e.date().map(dates::day_label).unwrap_or_default()) }
                            td { a href=(format!("/devoirs/{}", e.id)) { (e.title) } }
                            td { (label) }
                            td { (handed) " / " (total) }
                        } } }
                    }
                }
            }
        }
        @for (p, rows) in &followed {
            section.panel {
                h2 { @if *p == me { "Mes devoirs" } @else { "Devoirs de " (people.user(*p).map(|u| u.display_name()).unwrap_or_default()) } }
                @if rows.is_empty() { p.empty { "Aucun travail à rendre en ligne." } } @else {
                    table.list {
                        thead { tr { th scope="col" { "Pour le" } th scope="col" { "Travail" } th scope="col" { "État" } } }
                        tbody { @for (status, e) in rows { tr {
                            td { (e.date().map(dates::day_label).unwrap_or_default()) }
                            td { a href=(if *p == me { format!("/devoirs/{}", e.id) } else { format!("/devoirs/{}?eleve={p}", e.id) }) { (e.title) } }
                            td { (status) }
                        } } }
                    }
                }
            }
        }
    };
    frame(app, &member, "Devoirs en ligne", "/devoirs", body)
}

#[derive(Deserialize)]
struct WhoQuery {
    eleve: Option<u64>,
}

fn history(people: &People, id: u64, pupil: u64, s: Option<&Submission>) -> Markup {
    html! {
        @if let Some(s) = s {
            @for (i, v) in s.versions.iter().enumerate() {
                article.version.panel {
                    h3 { "Version " (i + 1) " — rendue le " (dates::long_datetime(v.at)) }
                    @if !v.text.trim().is_empty() { div.richtext { (richtext::render(&v.text)) } }
                    (files(id, pupil, "v", i, &v.attachments))
                }
            }
            @for (i, f) in s.feedback.iter().enumerate() {
                article.feedback.panel {
                    h3 { "Retour de " (people.user(f.by).map(|u| u.display_name()).unwrap_or_default()) " — " (dates::long_datetime(f.at)) }
                    @if !f.text.trim().is_empty() { div.richtext { (richtext::render(&f.text)) } }
                    (files(id, pupil, "r", i, &f.attachments))
                }
            }
        }
    }
}

fn files(id: u64, pupil: u64, kind: &str, i: usize, list: &[Attachment]) -> Markup {
    html! {
        @if !list.is_empty() {
            ul.attachments {
                @for (n, a) in list.iter().enumerate() {
                    @let url = format!("/devoirs/{id}/eleve/{pupil}/fichier?{kind}={i}&n={n}");
                    li {
                        @if a.mime.starts_with("audio/") { audio controls preload="none" src=(url) {} " " }
                        a href=(url) { (a.name) } " " span.small { "(" (a.size_text()) ")" }
                    }
                }
            }
        }
    }
}

fn hand_in_form(member: &Member, e: &Entry, form: &FormState, kept: &[Attachment]) -> Markup {
    let action = format!(
        "/devoirs/{}/rendre?{}={}",
        e.id,
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    html! {
        section.panel {
            h2 { "Rendre mon travail" }
            (crate::ui::form::error_summary(form))
            form method="post" action=(action) enctype="multipart/form-data" novalidate {
                (csrf_input(&member.visitor))
                div.field.has-error[form.errors.contains_key("text")] {
                    label for="f-text" { "Mon texte" }
                    @if let Some(err) = form.errors.get("text") { p.error { (err) } }
                    textarea #f-text name="text" rows="8" { (form.value("text")) }
                }
                @if !kept.is_empty() {
                    fieldset.field {
                        legend { "Déjà reçus (gardés pour toi)" }
                        @for (i, a) in kept.iter().enumerate() {
                            div.check {
                                input type="checkbox" id=(format!("f-kept-{i}")) name="garder" value=(i) checked;
                                label for=(format!("f-kept-{i}")) { (a.name) " (" (a.size_text()) ")" }
                            }
                        }
                    }
                }
                div.field.has-error[form.errors.contains_key("files")] {
                    label for="f-files" { "Fichiers, photos, sons" }
                    @if let Some(err) = form.errors.get("files") { p.error { (err) } }
                    input #f-files type="file" name="files" multiple accept="image/*,audio/*,video/*,.pdf,.odt,.docx,.txt";
                }
                (crate::ui::recorder::attach_to("f-files", "Tu peux aussi t'enregistrer : lis ou récite, écoute-toi, puis garde l'enregistrement."))
                button.primary type="submit" { "Rendre" }
            }
        }
    }
}

fn pupil_page(
    app: &App,
    member: &Member,
    people: &People,
    e: &Entry,
    pupil: u64,
    form: &FormState,
) -> AppResult<Markup> {
    let s = submission(&app.store, e.id, pupil)?;
    let me = member.user().id;
    let can_hand_in = pupil == me && s.as_ref().is_none_or(|s| s.status != Status::Returned);
    let kept = if pupil == me {
        app.store.get(&KEPT_FILES, &(e.id, me))?.unwrap_or_default()
    } else {
        Vec::new()
    };
    let body = html! {
        (crate::ui::heading(&e.title, Some(&format!("{} — pour le {}", e.subject, e.date().map(dates::day_label).unwrap_or_default()))))
        section.panel {
            @if pupil != me { p { "Travail de " strong { (people.user(pupil).map(|u| u.display_name()).unwrap_or_default()) } } }
            p { strong { "État : " } (status_text(s.as_ref(), e, &today())) }
            div.richtext { (richtext::render(&e.body)) }
            @if !e.attachments.is_empty() { p { a href=(format!("/cahier-de-textes/{}", e.id)) { "Documents du travail" } } }
        }
        (history(people, e.id, pupil, s.as_ref()))
        @if can_hand_in { (hand_in_form(member, e, form, &kept)) } @else { (crate::ui::form::error_list(form)) }
    };
    frame(app, member, &e.title, "/devoirs", body)
}

#[handler]
fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<WhoQuery>,
) -> AppResult<Markup> {
    let e = work(app, id)?;
    let people = People::load(&app.store)?;
    if may(member.actor(), Action::Teach { class_id: e.class }) && q.eleve.is_none() {
        let concerned = pupils(&people, e.class, e.scope);
        let today = today();
        let mut rows = Vec::new();
        for p in &concerned {
            rows.push((
                *p,
                status_text(submission(&app.store, id, *p)?.as_ref(), &e, &today),
            ));
        }
        let body = html! {
            (crate::ui::heading(&e.title, Some(&format!("{} — pour le {}", e.subject, e.date().map(dates::day_label).unwrap_or_default()))))
            section.panel {
                p { (for_whom(&people, e.class, e.scope)) }
                div.richtext { (richtext::render(&e.body)) }
            }
            section.panel {
                h2 { "Rendus" }
                table.list {
                    thead { tr { th scope="col" { "Élève" } th scope="col" { "État" } } }
                    tbody { @for (p, status) in &rows { tr {
                        td { a href=(format!("/devoirs/{id}/eleve/{p}")) { (people.user(*p).map(|u| u.display_name()).unwrap_or_default()) } }
                        td { (status) }
                    } } }
                }
            }
        };
        return frame(app, &member, &e.title, "/devoirs", body);
    }
    let me = member.user().id;
    let pupil = q.eleve.unwrap_or(me);
    if !e.visible(auth::now_micros()) && !may(member.actor(), Action::Teach { class_id: e.class }) {
        return Err(AppError::NotFound);
    }
    if !concerns(&people, e.class, e.scope, pupil) || !may_view_pupil(&people, &member, pupil) {
        return Err(AppError::Forbidden);
    }
    pupil_page(app, &member, &people, &e, pupil, &FormState::new())
}

#[handler]
async fn submit(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let e = work(app, id)?;
    let people = People::load(&app.store)?;
    let me = member.user().id;
    if !e.visible(auth::now_micros()) || !concerns(&people, e.class, e.scope, me) {
        return Err(AppError::Forbidden);
    }
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let limits = attachments::Limits::profile(&app.store, member.user().profile)?;
    let (texts, new_files, errors) =
        attachments::read_form(&app.store, member.actor(), &mut multipart, limits)
            .await
            .parts();
    // Files received with an earlier attempt that had an error, still ticked.
    let earlier: Vec<Attachment> = app.store.get(&KEPT_FILES, &(id, me))?.unwrap_or_default();
    let ticked = crate::ui::form::all_values(&texts, "garder");
    let mut files: Vec<Attachment> = earlier
        .iter()
        .enumerate()
        .filter(|(i, _)| ticked.contains(&i.to_string()))
        .map(|(_, a)| a.clone())
        .collect();
    for f in new_files {
        if !files.iter().any(|a| a.blob == f.blob) {
            files.push(f);
        }
    }
    let text = first_value(&texts, "text");
    let mut form = FormState::with_values([("text", text.clone())]);
    if !errors.is_empty() {
        form.error("files", errors.join(" "));
    }
    if text.trim().is_empty() && files.is_empty() && errors.is_empty() {
        form.error(
            "text",
            "Ton travail est vide : écris un texte, ajoute un fichier ou enregistre-toi.",
        );
    }
    if form.is_ok() {
        let v = Version {
            at: auth::now_micros(),
            text,
            attachments: files.clone(),
        };
        match hand_in(&app.store, &people, &e, me, v).await {
            Ok(()) => {
                app.store
                    .commit(|tx| tx.remove(&KEPT_FILES, &(id, me)))
                    .await?;
                auth::push_flash(&app.store, &member.me.session_key, Flash::success("Ton travail est rendu. Tu peux le rendre à nouveau tant qu'il n'est pas corrigé.")).await?;
                return Ok(Redirect::see_other(format!("/devoirs/{id}")).into_response());
            }
            Err(Failure::Refused(why)) => form.error("text", why),
            Err(err) => return Err(err.into()),
        }
    }
    // The files that did arrive are kept and offered again.
    app.store
        .commit(|tx| {
            if files.is_empty() {
                tx.remove(&KEPT_FILES, &(id, me))
            } else {
                tx.put(&KEPT_FILES, &(id, me), &files)
            }
        })
        .await?;
    // What the pupil typed comes back in the form.
    Ok((
        poem::http::StatusCode::BAD_REQUEST,
        pupil_page(app, &member, &people, &e, me, &form)?,
    )
        .into_response())
}

fn teacher_of(member: &Member, e: &Entry) -> AppResult<()> {
    if may(member.actor(), Action::Teach { class_id: e.class }) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn feedback_page(
    app: &App,
    member: &Member,
    people: &People,
    e: &Entry,
    pupil: u64,
    form: &FormState,
) -> AppResult<Markup> {
    let s = submission(&app.store, e.id, pupil)?;
    let action = format!(
        "/devoirs/{}/eleve/{pupil}/retour?{}={}",
        e.id,
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    let body = html! {
        (crate::ui::heading(&format!("{} — {}", e.title, people.user(pupil).map(|u| u.display_name()).unwrap_or_default()), Some(&status_text(s.as_ref(), e, &today()))))
        (history(people, e.id, pupil, s.as_ref()))
        @if s.is_some() {
            section.panel {
                h2 { "Mon retour" }
                (crate::ui::form::error_summary(form))
                form method="post" action=(action) enctype="multipart/form-data" novalidate {
                    (csrf_input(&member.visitor))
                    div.field.has-error[form.errors.contains_key("text")] {
                        label for="f-text" { "Commentaire" }
                        @if let Some(err) = form.errors.get("text") { p.error { (err) } }
                        textarea #f-text name="text" rows="5" { (form.value("text")) }
                    }
                    div.field {
                        label for="f-files" { "Fichier ou son (facultatif)" }
                        input #f-files type="file" name="files" multiple;
                    }
                    (crate::ui::recorder::attach_to("f-files", "Un retour à l'oral pour les élèves qui lisent peu."))
                    div.actions {
                        button.primary type="submit" name="action" value="corrige" { "Rendre corrigé" }
                        button type="submit" name="action" value="nouvelle-version" { "Demander une nouvelle version" }
                    }
                }
            }
        } @else { p.empty { "Rien n'a encore été rendu." } }
        p { a href=(format!("/devoirs/{}", e.id)) { "← Tous les rendus" } }
    };
    frame(app, member, &e.title, "/devoirs", body)
}

#[handler]
async fn pupil_work(
    Data(app): Data<&App>,
    member: Member,
    Path((id, pupil)): Path<(u64, u64)>,
) -> AppResult<Markup> {
    let e = work(app, id)?;
    teacher_of(&member, &e)?;
    let people = People::load(&app.store)?;
    if !concerns(&people, e.class, e.scope, pupil) {
        return Err(AppError::NotFound);
    }
    crate::notify::seen(
        &app.store,
        member.user().id,
        &format!("/devoirs/{id}/eleve/{pupil}"),
    )
    .await?;
    feedback_page(app, &member, &people, &e, pupil, &FormState::new())
}

#[handler]
async fn feedback(
    Data(app): Data<&App>,
    member: Member,
    Path((id, pupil)): Path<(u64, u64)>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let e = work(app, id)?;
    teacher_of(&member, &e)?;
    let people = People::load(&app.store)?;
    if !concerns(&people, e.class, e.scope, pupil) {
        return Err(AppError::NotFound);
    }
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let limits = attachments::Limits::profile(&app.store, member.user().profile)?;
    let (texts, files, errors) =
        attachments::read_form(&app.store, member.actor(), &mut multipart, limits)
            .await
            .parts();
    let text = first_value(&texts, "text");
    let mut form = FormState::with_values([("text", text.clone())]);
    if !errors.is_empty() {
        form.error("text", errors.join(" "));
    }
    let redo = first_value(&texts, "action") == "nouvelle-version";
    if redo && text.trim().is_empty() && files.is_empty() {
        form.error(
            "text",
            "Dites à l'élève ce qu'il doit reprendre (par écrit ou à l'oral).",
        );
    }
    if form.is_ok() {
        let f = Feedback {
            at: auth::now_micros(),
            by: member.user().id,
            text,
            attachments: files,
        };
        match answer(&app.store, &people, &e, pupil, f, redo).await {
            Ok(()) => {
                auth::push_flash(
                    &app.store,
                    &member.me.session_key,
                    Flash::success(if redo {
                        "Nouvelle version demandée."
                    } else {
                        "Travail rendu corrigé."
                    }),
                )
                .await?;
                return Ok(Redirect::see_other(format!("/devoirs/{id}")).into_response());
            }
            Err(Failure::Refused(why)) => form.error("text", why),
            Err(err) => return Err(err.into()),
        }
    }
    Ok((
        poem::http::StatusCode::BAD_REQUEST,
        feedback_page(app, &member, &people, &e, pupil, &form)?,
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
    let e = work(app, id)?;
    let people = People::load(&app.store)?;
    let allowed = may(member.actor(), Action::Teach { class_id: e.class })
        || (concerns(&people, e.class, e.scope, pupil) && may_view_pupil(&people, &member, pupil));
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let s = submission(&app.store, id, pupil)?.ok_or(AppError::NotFound)?;
    let list = match (q.v, q.r) {
        (Some(v), None) => s.versions.get(v).map(|v| &v.attachments),
        (None, Some(r)) => s.feedback.get(r).map(|f| &f.attachments),
        _ => None,
    };
    let a = list.and_then(|l| l.get(q.n)).ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, a, attachments::range(req)).await)
}
