//! Pages of the exercises: the teacher builds and publishes, the pupil answers, the
//! results per pupil and per question.

use crate::routing::{Access, Object, Routes};
use maud::{html, Markup};
use poem::web::{Data, Form, Multipart, Path, Query, Redirect};
use poem::{handler, IntoResponse, Request, Response};
use serde::Deserialize;

use crate::app::App;
use crate::attachments;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::pedagogy::{
    concerns, followed_pupils, for_whom, frame, may_view_pupil, pupils, scope_choices,
    taught_classes, Scope,
};
use crate::policy::{may, require, Action};
use crate::ui::form::{first_value, select, Field, FormState};
use crate::ui::{csrf_input, dates};

use super::*;

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
    let me = member.user().id;
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
    let body = html! {
        (crate::ui::heading("Exercices", Some("Des exercices corrigés tout de suite.")))
        @for (c, label, list) in &taught {
            section.panel {
                h2 { (label) }
                p { a.button.primary href=(format!("/exercices/nouveau?classe={c}")) { "Créer un exercice" } }
                @if list.is_empty() { p.empty { "Aucun exercice." } }
                ul { @for e in list { li {
                    a href=(format!("/exercices/{}/modifier", e.id)) { (e.title) } " " (for_whom(&people, e.class, e.scope)) " — "
                    @if e.published { a href=(format!("/exercices/{}/resultats", e.id)) { "résultats" } } @else { span.badge.off { "brouillon" } }
                } } }
            }
        }
        @for (p, rows) in &mine {
            section.panel {
                h2 { @if *p == me { "Mes exercices" } @else { "Exercices de " (people.user(*p).map(|u| u.display_name()).unwrap_or_default()) } }
                @if rows.is_empty() { p.empty { "Aucun exercice pour le moment." } }
                ul.tiles { @for (e, last) in rows { li {
                    @let href = if *p == me { format!("/exercices/{}", e.id) } else { format!("/exercices/{}?eleve={p}", e.id) };
                    a.tile href=(href) { strong { (e.title) } span { @if let Some((ok, n)) = last { (ok) " / " (n) } @else { "à faire" } } }
                } } }
            }
        }
    };
    frame(app, &member, "Exercices", "/exercices", body)
}

#[derive(Deserialize)]
struct ClassQuery {
    classe: Option<u64>,
}

fn new_page(
    app: &App,
    member: &Member,
    people: &People,
    class: u64,
    form: &FormState,
) -> AppResult<Markup> {
    let body = html! {
        (crate::ui::heading("Créer un exercice", people.class(class).map(|c| c.label.as_str())))
        section.panel {
            (crate::ui::form::error_summary(form))
            form method="post" action=(format!("/exercices/nouveau?classe={class}")) novalidate {
                (csrf_input(&member.visitor))
                (select(form, "scope", "Pour", &scope_choices(people, class), true))
                (Field::text("title", "Titre").required().hint("par ex. « Les sons [on] et [an] »").render(form))
                (Field::text("instructions", "Consigne générale (facultative)").render(form))
                button.primary type="submit" { "Créer, puis ajouter les questions" }
            }
        }
    };
    frame(app, member, "Exercices", "/exercices", body)
}

#[handler]
fn new_form(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ClassQuery>,
) -> AppResult<Markup> {
    crate::pedagogy::require_teacher(app, &member)?;
    let class = q.classe.ok_or(AppError::NotFound)?;
    require(member.actor(), Action::Teach { class_id: class })?;
    let people = People::load(&app.store)?;
    new_page(app, &member, &people, class, &FormState::new())
}

#[handler]
async fn new_submit(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ClassQuery>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    crate::pedagogy::require_teacher(app, &member)?;
    let class = q.classe.ok_or(AppError::NotFound)?;
    require(member.actor(), Action::Teach { class_id: class })?;
    let people = People::load(&app.store)?;
    let mut form =
        FormState::with_values(["scope", "title", "instructions"].map(|k| (k, first_value(&f, k))));
    let scope = Scope::parse(form.value("scope")).filter(|s| {
        scope_choices(&people, class)
            .iter()
            .any(|(c, _)| *c == s.code())
    });
    if scope.is_none() {
        form.error("scope", "Choisissez pour qui.");
    }
    let title = form.required("title", "le titre");
    if !form.is_ok() {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            new_page(app, &member, &people, class, &form)?,
        )
            .into_response());
    }
    let id = app.store.commit(|tx| tx.next_id("exercise")).await?;
    let ex = Exercise {
        id,
        class,
        scope: scope.unwrap_or(Scope::Class),
        title,
        instructions: form.value("instructions").trim().to_string(),
        questions: Vec::new(),
        published: false,
        salt: auth::random_token(),
        author: member.user().id,
        created_at: auth::now_micros(),
    };
    save(&app.store, &ex).await?;
    Ok(Redirect::see_other(format!("/exercices/{id}/modifier")).into_response())
}

fn teach(app: &App, member: &Member, id: u64) -> AppResult<Exercise> {
    let ex = exercise(&app.store, id)?.ok_or(AppError::NotFound)?;
    require(member.actor(), Action::Teach { class_id: ex.class })?;
    Ok(ex)
}

fn answer_key(q: &Question) -> Markup {
    html! {
        @match &q.kind {
            QuestionKind::Choice { options, correct } => {
                ul { @for (i, o) in options.iter().enumerate() { li { (o) @if correct.contains(&i) { " " strong { "✓ bonne réponse" } } } } }
            }
            QuestionKind::Blanks { text } => { p { (text) } }
            QuestionKind::Order { items } => { ol { @for i in items { li { (i) } } } }
            QuestionKind::Pairs { pairs } => { ul { @for (l, r) in pairs { li { (l) " ↔ " (r) } } } }
        }
    }
}

fn kind_label(k: &QuestionKind) -> &'static str {
    match k {
        QuestionKind::Choice { .. } => "Choix multiple",
        QuestionKind::Blanks { .. } => "Texte à trous",
        QuestionKind::Order { .. } => "Remettre dans l'ordre",
        QuestionKind::Pairs { .. } => "Associer",
    }
}

fn edit_page(
    app: &App,
    member: &Member,
    people: &People,
    ex: &Exercise,
    form: &FormState,
) -> AppResult<Markup> {
    let action = |kind: &str| {
        format!(
            "/exercices/{}/questions?type={kind}&{}={}",
            ex.id,
            crate::auth::csrf::FIELD,
            member.visitor.csrf
        )
    };
    let media_field = html! {
        div.field { label for="f-media" { "Image ou son (facultatif, pour les non-lecteurs)" } input #f-media type="file" name="media" accept="image/*,audio/*"; }
    };
    let body = html! {
        (crate::ui::heading(&ex.title, Some(&format!("{} — {}", people.class(ex.class).map(|c| c.label.clone()).unwrap_or_default(), ex.scope.label(people)))))
        @if ex.published { p { span.badge { "publié" } " " a href=(format!("/exercices/{}/resultats", ex.id)) { "Voir les résultats" } } }
        section.panel {
            h2 { "Questions" }
            @if ex.questions.is_empty() { p.empty { "Ajoutez une première question ci-dessous." } }
            @for (n, q) in ex.questions.iter().enumerate() {
                article.question {
                    h3 { (n + 1) ". " (q.prompt) " " span.small { "(" (kind_label(&q.kind)) ")" } }
                    @if let Some(m) = &q.media { p.small { "Avec : " (m.name) } }
                    (answer_key(q))
                    @if !ex.published {
                        form method="post" action=(format!("/exercices/{}/questions/{n}/supprimer", ex.id)) { (csrf_input(&member.visitor)) button.link type="submit" { "Retirer cette question" } }
                    }
                }
            }
            @if !ex.published && !ex.questions.is_empty() {
                form method="post" action=(format!("/exercices/{}/publier", ex.id)) { (csrf_input(&member.visitor)) button.primary type="submit" { "Publier pour les élèves" } }
            }
        }
        @if !ex.published {
            (crate::ui::form::error_list(form))
            section.panel {
                h2 { "Ajouter un choix multiple" }
                form method="post" action=(action("choix")) enctype="multipart/form-data" {
                    (csrf_input(&member.visitor))
                    div.field { label for="c-prompt" { "Question" } input #c-prompt type="text" name="prompt" required; }
                    @for i in 0..5 {
                        div.row {
                            div.field { label for=(format!("c-opt-{i}")) { "Réponse " (i + 1) @if i >= 2 { " (facultative)" } } input id=(format!("c-opt-{i}")) type="text" name=(format!("option{i}")); }
                            div.check { input id=(format!("c-ok-{i}")) type="checkbox" name="bonne" value=(i); label for=(format!("c-ok-{i}")) { "bonne réponse" } }
                        }
                    }
                    (media_field)
                    button type="submit" { "Ajouter" }
                }
            }
            section.panel {
                h2 { "Ajouter un texte à trous" }
                form method="post" action=(action("trous")) enctype="multipart/form-data" {
                    (csrf_input(&member.visitor))
                    div.field { label for="b-prompt" { "Consigne" } input #b-prompt type="text" name="prompt" value="Complète." required; }
                    div.field { label for="b-text" { "Le texte, avec les mots à trouver entre crochets" } p.hint { "Par ex. : « Le [chat] dort sur le [tapis]. »" } textarea #b-text name="text" rows="3" {} }
                    (media_field)
                    button type="submit" { "Ajouter" }
                }
            }
            section.panel {
                h2 { "Ajouter « remettre dans l'ordre »" }
                form method="post" action=(action("ordre")) enctype="multipart/form-data" {
                    (csrf_input(&member.visitor))
                    div.field { label for="o-prompt" { "Consigne" } input #o-prompt type="text" name="prompt" value="Remets dans l'ordre." required; }
                    div.field { label for="o-items" { "Les éléments, un par ligne, dans le bon ordre" } p.hint { "Ils seront mélangés pour l'élève." } textarea #o-items name="items" rows="5" {} }
                    (media_field)
                    button type="submit" { "Ajouter" }
                }
            }
            section.panel {
                h2 { "Ajouter « associer »" }
                form method="post" action=(action("paires")) enctype="multipart/form-data" {
                    (csrf_input(&member.visitor))
                    div.field { label for="p-prompt" { "Consigne" } input #p-prompt type="text" name="prompt" value="Relie ce qui va ensemble." required; }
                    div.field { label for="p-pairs" { "Les paires, une par ligne : gauche = droite" } p.hint { "Par ex. : « chien = dog »" } textarea #p-pairs name="pairs" rows="5" {} }
                    (media_field)
                    button type="submit" { "Ajouter" }
                }
            }
        }
    };
    frame(app, member, &ex.title, "/exercices", body)
}

#[handler]
fn edit(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let ex = teach(app, &member, id)?;
    let people = People::load(&app.store)?;
    edit_page(app, &member, &people, &ex, &FormState::new())
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
    let mut ex = teach(app, &member, id)?;
    if ex.published {
        return Err(AppError::BadRequest(
            "Un exercice publié ne se modifie plus (les élèves l'ont peut-être fait).".into(),
        ));
    }
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let (texts, files, errors) = crate::attachments::read_form(
        &app.store,
        member.actor(),
        &mut multipart,
        attachments::Limits::ONE_FILE,
    )
    .await
    .parts();
    let people = People::load(&app.store)?;
    let mut form = FormState::new();
    if let Some(e) = errors.first() {
        form.error("media", e.clone());
    }
    let picture_or_sound = files
        .into_iter()
        .find(|a| a.mime.starts_with("image/") || a.mime.starts_with("audio/"));
    match build_question(&q.kind, &texts) {
        Ok((prompt, kind)) if form.is_ok() => {
            ex.questions.push(Question {
                prompt,
                kind,
                media: picture_or_sound,
            });
            save(&app.store, &ex).await?;
            auth::push_flash(
                &app.store,
                &member.me.session_key,
                Flash::success("Question ajoutée."),
            )
            .await?;
            Ok(Redirect::see_other(format!("/exercices/{id}/modifier")).into_response())
        }
        Ok(_) => Ok((
            poem::http::StatusCode::BAD_REQUEST,
            edit_page(app, &member, &people, &ex, &form)?,
        )
            .into_response()),
        Err(why) => {
            form.error("question", why);
            Ok((
                poem::http::StatusCode::BAD_REQUEST,
                edit_page(app, &member, &people, &ex, &form)?,
            )
                .into_response())
        }
    }
}

#[handler]
async fn remove_question(
    Data(app): Data<&App>,
    member: Member,
    Path((id, n)): Path<(u64, usize)>,
) -> AppResult<Redirect> {
    let mut ex = teach(app, &member, id)?;
    if ex.published || n >= ex.questions.len() {
        return Err(AppError::NotFound);
    }
    ex.questions.remove(n);
    save(&app.store, &ex).await?;
    Ok(Redirect::see_other(format!("/exercices/{id}/modifier")))
}

#[handler]
async fn publish(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let mut ex = teach(app, &member, id)?;
    if ex.questions.is_empty() {
        return Err(AppError::BadRequest(
            "Ajoutez au moins une question avant de publier.".into(),
        ));
    }
    ex.published = true;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let concerned = pupils(&people, ex.class, ex.scope);
    app.store
        .commit(|tx| {
            tx.put(&EXERCISES, &ex.id, &ex)?;
            for p in &concerned {
                crate::notify::push(
                    tx,
                    *p,
                    crate::notify::Kind::Homework,
                    &format!("Nouvel exercice : « {} »", ex.title),
                    &format!("/exercices/{id}"),
                    now,
                )?;
            }
            Ok(())
        })
        .await?;
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

fn prompt_block(ex: &Exercise, n: usize, q: &Question) -> Markup {
    html! {
        legend { (n + 1) ". " (q.prompt) }
        @if let Some(m) = &q.media {
            @let url = format!("/exercices/{}/media/{n}", ex.id);
            @if m.mime.starts_with("image/") { p { img.preview src=(url) alt=""; } }
            @else { p { audio controls preload="none" src=(url) {} } }
        }
    }
}

/// The pupil's form: no right answer in it.
fn quiz(member: &Member, ex: &Exercise) -> Markup {
    html! {
        form.quiz method="post" action=(format!("/exercices/{}/repondre", ex.id)) {
            (csrf_input(&member.visitor))
            @for (n, q) in ex.questions.iter().enumerate() {
                fieldset.panel.question {
                    (prompt_block(ex, n, q))
                    @match &q.kind {
                        QuestionKind::Choice { options, .. } => {
                            @for (shown, i) in shuffled(ex, n, options.len()).into_iter().enumerate() {
                                div.check { input type="checkbox" id=(format!("q{n}-{shown}")) name=(format!("q{n}")) value=(token(ex, n, i)); label for=(format!("q{n}-{shown}")) { (options[i]) } }
                            }
                        }
                        QuestionKind::Blanks { text } => {
                            @let (_, parts) = blanks(text);
                            p.blanks {
                                @for (i, part) in parts.iter().enumerate() {
                                    (part)
                                    @if i + 1 < parts.len() { label.sr for=(format!("q{n}-{i}")) { "Mot " (i + 1) } input.blank type="text" id=(format!("q{n}-{i}")) name=(format!("q{n}-{i}")) autocomplete="off" size="10"; }
                                }
                            }
                        }
                        QuestionKind::Order { items } => {
                            @for pos in 0..items.len() {
                                div.field {
                                    label for=(format!("q{n}-{pos}")) { "Position " (pos + 1) }
                                    select id=(format!("q{n}-{pos}")) name=(format!("q{n}-{pos}")) {
                                        option value="" { "—" }
                                        @for i in shuffled(ex, n, items.len()) { option value=(token(ex, n, i)) { (items[i]) } }
                                    }
                                }
                            }
                        }
                        QuestionKind::Pairs { pairs } => {
                            @for (left, (l, _)) in pairs.iter().enumerate() {
                                div.field {
                                    label for=(format!("q{n}-{left}")) { (l) }
                                    select id=(format!("q{n}-{left}")) name=(format!("q{n}-{left}")) {
                                        option value="" { "—" }
                                        @for i in shuffled(ex, n, pairs.len()) { @if let Some((_, right)) = pairs.get(i) { option value=(token(ex, n, i)) { (right) } } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            button.primary.big type="submit" { "J'ai fini" }
        }
    }
}

fn correction(ex: &Exercise, a: &Attempt) -> Markup {
    let (ok, total) = a.score();
    html! {
        p.score { "Score : " strong { (ok) " / " (total) } " — " (dates::long_datetime(a.at)) }
        @for (n, q) in ex.questions.iter().enumerate() {
            @let right = a.correct.get(n).copied().unwrap_or(false);
            div class=(if right { "panel question right" } else { "panel question wrong" }) {
                p { strong { (n + 1) ". " (q.prompt) } " — " @if right { span.yes { "juste ✓" } } @else { span.no { "à revoir ✗" } } }
                @if !right { p.small { "La bonne réponse :" } (answer_key(q)) }
            }
        }
    }
}

#[handler]
fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Markup> {
    let ex = exercise(&app.store, id)?
        .filter(|e| e.published)
        .ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    let me = member.user().id;
    let pupil = q.eleve.unwrap_or(me);
    let teacher = may(member.actor(), Action::Teach { class_id: ex.class });
    if !concerns(&people, ex.class, ex.scope, pupil)
        || !(teacher || may_view_pupil(&people, &member, pupil))
    {
        return Err(AppError::Forbidden);
    }
    let tries = attempts(&app.store, id, pupil)?;
    let body = html! {
        (crate::ui::heading(&ex.title, (!ex.instructions.is_empty()).then_some(ex.instructions.as_str())))
        @match (pupil == me, tries.last()) {
            (true, Some(last)) if q.nouveau.is_none() => {
                (correction(&ex, last))
                p { a.button.primary href=(format!("/exercices/{id}?nouveau=1")) { "Recommencer" } }
            }
            (true, _) => { (quiz(&member, &ex)) }
            (false, Some(last)) => { p { "Travail de " (people.user(pupil).map(|u| u.display_name()).unwrap_or_default()) " — " (tries.len()) " essai(s)." } (correction(&ex, last)) }
            (false, None) => { p.empty { "Pas encore fait." } }
        }
    };
    frame(app, &member, &ex.title, "/exercices", body)
}

#[handler]
async fn answer(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let ex = exercise(&app.store, id)?
        .filter(|e| e.published)
        .ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    let me = member.user().id;
    if !concerns(&people, ex.class, ex.scope, me) {
        return Err(AppError::Forbidden);
    }
    let answers = read_answers(&ex, &f);
    let correct: Vec<bool> = ex
        .questions
        .iter()
        .zip(&answers)
        .map(|(q, a)| super::correct(&q.kind, a))
        .collect();
    let attempt = Attempt {
        at: auth::now_micros(),
        answers,
        correct,
    };
    app.store
        .commit(|tx| {
            let mut all: Vec<Attempt> = tx.get(&ATTEMPTS, &(id, me))?.unwrap_or_default();
            all.push(attempt.clone());
            tx.put(&ATTEMPTS, &(id, me), &all)
        })
        .await?;
    Ok(Redirect::see_other(format!("/exercices/{id}")))
}

#[handler]
fn results(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let ex = teach(app, &member, id)?;
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
    let body = html! {
        (crate::ui::heading(&format!("Résultats : {}", ex.title), Some(&format!("{done} élève(s) sur {} ont fait l'exercice (dernier essai).", concerned.len()))))
        section.panel.scroll {
            table.list.results {
                thead { tr {
                    th scope="col" { "Élève" }
                    @for (n, q) in ex.questions.iter().enumerate() { th scope="col" title=(q.prompt) { "Q" (n + 1) } }
                    th scope="col" { "Score" }
                } }
                tbody {
                    @for (p, a) in &rows {
                        tr {
                            th scope="row" { a href=(format!("/exercices/{id}?eleve={p}")) { (people.user(*p).map(|u| u.display_name()).unwrap_or_default()) } }
                            @for n in 0..ex.questions.len() {
                                @match a.as_ref().and_then(|a| a.correct.get(n)) {
                                    Some(true) => { td.yes { "✓" span.sr { " juste" } } }
                                    Some(false) => { td.no { "✗" span.sr { " faux" } } }
                                    None => { td { "—" } }
                                }
                            }
                            td { @if let Some(a) = a { (a.score().0) " / " (a.score().1) } @else { "pas fait" } }
                        }
                    }
                    tr {
                        th scope="row" { "Réussite par question" }
                        @for c in &per_question { td { (c) " / " (done) } }
                        td {}
                    }
                }
            }
        }
    };
    frame(app, &member, "Résultats", "/exercices", body)
}

#[handler]
async fn question_media(
    req: &Request,
    Data(app): Data<&App>,
    member: Member,
    Path((id, n)): Path<(u64, usize)>,
) -> AppResult<Response> {
    let ex = exercise(&app.store, id)?.ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    let ok = may(member.actor(), Action::Teach { class_id: ex.class })
        || (ex.published
            && pupils(&people, ex.class, ex.scope)
                .iter()
                .any(|p| may_view_pupil(&people, &member, *p)));
    if !ok {
        return Err(AppError::Forbidden);
    }
    let m = ex
        .questions
        .get(n)
        .and_then(|q| q.media.as_ref())
        .ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, m, attachments::range(req)).await)
}
