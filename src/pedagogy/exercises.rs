//! Exercices (/exercices): self-corrected activities a teacher builds from four kinds of
//! questions — multiple choice, fill in the blanks, put in order, match pairs — with an
//! image or a sound for pupils who do not read yet. The right answers never reach the
//! pupil's page before they answer: choices carry opaque values, orders and pairs are
//! shuffled; correction is done on the server.

use maud::{html, Markup};
use poem::web::{Data, Form, Multipart, Path, Query, Redirect};
use poem::{get, handler, post, IntoResponse, Request, Response, Route};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    concerns, followed_pupils, for_whom, frame, may_view_pupil, pupils, scope_choices,
    taught_classes, Scope,
};
use crate::app::App;
use crate::attachments::{self, Attachment};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{may, require, Action};
use crate::school::Service;
use crate::store::{Key, Result, Store, Table};
use crate::ui::form::{all_values, first_value, select, Field, FormState};
use crate::ui::{csrf_input, dates};

pub const EXERCISES: Table<u64, Exercise> = Table::new("exercises");
pub const BY_CLASS: Table<(u64, u64), ()> = Table::new("exercises_by_class");
/// (exercise, pupil) → the pupil's attempts.
pub const ATTEMPTS: Table<(u64, u64), Vec<Attempt>> = Table::new("exercise_attempts");
pub const TABLES: &[&str] = &[EXERCISES.name, BY_CLASS.name, ATTEMPTS.name];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum QuestionKind {
    Choice {
        options: Vec<String>,
        correct: Vec<usize>,
    },
    /// A text with the words to find between brackets: « Le [chat] dort. »
    Blanks { text: String },
    /// Items in the right order.
    Order { items: Vec<String> },
    /// (left, right) pairs, matched as written.
    Pairs { pairs: Vec<(String, String)> },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    pub prompt: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub media: Option<Attachment>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exercise {
    pub id: u64,
    pub class: u64,
    pub scope: Scope,
    pub title: String,
    pub instructions: String,
    pub questions: Vec<Question>,
    pub published: bool,
    /// Random per exercise: the opaque values of the pupil's form are made with it.
    pub salt: String,
    pub author: u64,
    pub created_at: i64,
}

/// What a pupil answered to one question: for choices and orders, the indices of the
/// options (in the teacher's order); for blanks, the words; for pairs, the right item
/// chosen for each left item.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Answer {
    Choice(Vec<usize>),
    Blanks(Vec<String>),
    Order(Vec<Option<usize>>),
    Pairs(Vec<Option<usize>>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attempt {
    pub at: i64,
    pub answers: Vec<Answer>,
    pub correct: Vec<bool>,
}

impl Attempt {
    pub fn score(&self) -> (usize, usize) {
        (
            self.correct.iter().filter(|c| **c).count(),
            self.correct.len(),
        )
    }
}

/// The words to find in a blanks text, and the text split around them.
pub fn blanks(text: &str) -> (Vec<String>, Vec<String>) {
    let mut words = Vec::new();
    let mut parts = Vec::new();
    let mut rest = text;
    while let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) {
        if close < open {
            break;
        }
        parts.push(rest[..open].to_string());
        words.push(rest[open + 1..close].trim().to_string());
        rest = &rest[close + 1..];
    }
    parts.push(rest.to_string());
    (words, parts)
}

fn same_word(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.trim()
            .replace('’', "'")
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(a) == norm(b)
}

/// Whether an answer is right.
pub fn correct(q: &QuestionKind, a: &Answer) -> bool {
    match (q, a) {
        (QuestionKind::Choice { correct, .. }, Answer::Choice(chosen)) => {
            let mut c = chosen.clone();
            c.sort_unstable();
            c.dedup();
            let mut want = correct.clone();
            want.sort_unstable();
            c == want
        }
        (QuestionKind::Blanks { text }, Answer::Blanks(given)) => {
            let (words, _) = blanks(text);
            words.len() == given.len() && words.iter().zip(given).all(|(w, g)| same_word(w, g))
        }
        (QuestionKind::Order { items }, Answer::Order(given)) => {
            given.len() == items.len() && given.iter().enumerate().all(|(pos, i)| *i == Some(pos))
        }
        (QuestionKind::Pairs { pairs }, Answer::Pairs(given)) => {
            given.len() == pairs.len()
                && given
                    .iter()
                    .enumerate()
                    .all(|(left, right)| *right == Some(left))
        }
        _ => false,
    }
}

/// An opaque value for option `i` of question `q` (the pupil cannot read the order).
fn token(ex: &Exercise, q: usize, i: usize) -> String {
    let mut h = Sha256::new();
    h.update(format!("{}:{}:{q}:{i}", ex.salt, ex.id));
    hex::encode(&h.finalize()[..6])
}

fn untoken(ex: &Exercise, q: usize, n: usize, value: &str) -> Option<usize> {
    (0..n).find(|i| token(ex, q, *i) == value)
}

/// A shuffled order of `n` items, the same for everyone (from the salt).
fn shuffled(ex: &Exercise, q: usize, n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|i| token(ex, q, *i));
    // Never show the right order as it is.
    if n > 1 && order.iter().enumerate().all(|(p, i)| p == *i) {
        order.rotate_left(1);
    }
    order
}

/// Reads the pupil's form into answers.
pub fn read_answers(ex: &Exercise, form: &[(String, String)]) -> Vec<Answer> {
    ex.questions
        .iter()
        .enumerate()
        .map(|(q, question)| match &question.kind {
            QuestionKind::Choice { options, .. } => Answer::Choice(
                all_values(form, &format!("q{q}"))
                    .iter()
                    .filter_map(|v| untoken(ex, q, options.len(), v))
                    .collect(),
            ),
            QuestionKind::Blanks { text } => {
                let (words, _) = blanks(text);
                Answer::Blanks(
                    (0..words.len())
                        .map(|i| first_value(form, &format!("q{q}-{i}")))
                        .collect(),
                )
            }
            QuestionKind::Order { items } => Answer::Order(
                (0..items.len())
                    .map(|pos| {
                        untoken(
                            ex,
                            q,
                            items.len(),
                            &first_value(form, &format!("q{q}-{pos}")),
                        )
                    })
                    .collect(),
            ),
            QuestionKind::Pairs { pairs } => Answer::Pairs(
                (0..pairs.len())
                    .map(|left| {
                        untoken(
                            ex,
                            q,
                            pairs.len(),
                            &first_value(form, &format!("q{q}-{left}")),
                        )
                    })
                    .collect(),
            ),
        })
        .collect()
}

pub fn exercise(store: &Store, id: u64) -> Result<Option<Exercise>> {
    store.get(&EXERCISES, &id)
}

pub fn of_class(store: &Store, class: u64) -> Result<Vec<Exercise>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(&BY_CLASS, &class.encode())? {
        if let Some(e) = store.get(&EXERCISES, &id)? {
            out.push(e);
        }
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.created_at));
    Ok(out)
}

pub fn attempts(store: &Store, id: u64, pupil: u64) -> Result<Vec<Attempt>> {
    Ok(store.get(&ATTEMPTS, &(id, pupil))?.unwrap_or_default())
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    Ok(store
        .scan(&EXERCISES)?
        .into_iter()
        .flat_map(|(_, e)| {
            e.questions
                .into_iter()
                .filter_map(|q| q.media.map(|m| m.blob))
        })
        .collect())
}

/// Stores an exercise (new or changed).
pub async fn save(store: &Store, ex: &Exercise) -> Result<()> {
    store
        .commit(|tx| {
            tx.put(&EXERCISES, &ex.id, ex)?;
            tx.put(&BY_CLASS, &(ex.class, ex.id), &())
        })
        .await
}

// ---- routes ----

pub fn routes() -> Route {
    Route::new()
        .at("/", get(home))
        .at("/nouveau", get(new_form).post(new_submit))
        .at("/:id", get(show))
        .at("/:id/repondre", post(answer))
        .at("/:id/modifier", get(edit))
        .at("/:id/questions", post(add_question))
        .at("/:id/questions/:n/supprimer", post(remove_question))
        .at("/:id/publier", post(publish))
        .at("/:id/resultats", get(results))
        .at("/:id/media/:n", get(question_media))
}

fn open(app: &App) -> AppResult<()> {
    crate::school::require_service(&app.store, Service::Exercices)
}

#[handler]
fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    open(app)?;
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
    open(app)?;
    super::require_teacher(app, &member)?;
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
    open(app)?;
    super::require_teacher(app, &member)?;
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
    open(app)?;
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

/// Builds a question from the teacher's form; the error says what is missing.
pub fn build_question(
    kind: &str,
    texts: &[(String, String)],
) -> std::result::Result<(String, QuestionKind), String> {
    let prompt = first_value(texts, "prompt").trim().to_string();
    if prompt.is_empty() {
        return Err("Écrivez la question ou la consigne.".into());
    }
    let lines = |name: &str| -> Vec<String> {
        first_value(texts, name)
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let kind = match kind {
        "choix" => {
            let mut options = Vec::new();
            let mut correct = Vec::new();
            let ticked = all_values(texts, "bonne");
            for i in 0..5 {
                let o = first_value(texts, &format!("option{i}")).trim().to_string();
                if !o.is_empty() {
                    if ticked.contains(&i.to_string()) {
                        correct.push(options.len());
                    }
                    options.push(o);
                }
            }
            if options.len() < 2 {
                return Err("Écrivez au moins deux réponses possibles.".into());
            }
            if correct.is_empty() {
                return Err("Cochez au moins une bonne réponse : sans elle, l'exercice ne peut pas être corrigé.".into());
            }
            QuestionKind::Choice { options, correct }
        }
        "trous" => {
            let text = first_value(texts, "text").trim().to_string();
            let (words, _) = blanks(&text);
            if words.is_empty() || words.iter().any(|w| w.is_empty()) {
                return Err(
                    "Mettez au moins un mot à trouver entre crochets, par ex. « Le [chat] dort. »"
                        .into(),
                );
            }
            QuestionKind::Blanks { text }
        }
        "ordre" => {
            let items = lines("items");
            if items.len() < 2 {
                return Err(
                    "Écrivez au moins deux éléments à remettre dans l'ordre, un par ligne.".into(),
                );
            }
            QuestionKind::Order { items }
        }
        "paires" => {
            let mut pairs = Vec::new();
            for l in lines("pairs") {
                let Some((a, b)) = l.split_once('=') else {
                    return Err(format!(
                        "La ligne « {l} » n'a pas de signe « = » entre les deux éléments."
                    ));
                };
                if a.trim().is_empty() || b.trim().is_empty() {
                    return Err(format!("La ligne « {l} » a un côté vide."));
                }
                pairs.push((a.trim().to_string(), b.trim().to_string()));
            }
            if pairs.len() < 2 {
                return Err(
                    "Écrivez au moins deux paires, une par ligne : gauche = droite.".into(),
                );
            }
            QuestionKind::Pairs { pairs }
        }
        _ => return Err("Type de question inconnu.".into()),
    };
    Ok((prompt, kind))
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
    let (texts, files, errors) =
        super::textbook::read_form(app, &mut multipart, attachments::FILE_LIMIT).await;
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
                                        @for i in shuffled(ex, n, pairs.len()) { option value=(token(ex, n, i)) { (pairs[i].1) } }
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
    open(app)?;
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
    open(app)?;
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
        .map(|(q, a)| super::exercises::correct(&q.kind, a))
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
                    @for n in 0..ex.questions.len() { th scope="col" title=(ex.questions[n].prompt) { "Q" (n + 1) } }
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
    open(app)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(questions: Vec<QuestionKind>) -> Exercise {
        Exercise {
            id: 1,
            class: 1,
            scope: Scope::Class,
            title: "t".into(),
            instructions: String::new(),
            questions: questions
                .into_iter()
                .map(|k| Question {
                    prompt: "p".into(),
                    kind: k,
                    media: None,
                })
                .collect(),
            published: true,
            salt: "sel".into(),
            author: 1,
            created_at: 0,
        }
    }

    #[test]
    fn each_kind_is_corrected() {
        let choice = QuestionKind::Choice {
            options: vec!["a".into(), "b".into(), "c".into()],
            correct: vec![0, 2],
        };
        assert!(correct(&choice, &Answer::Choice(vec![2, 0])));
        assert!(
            !correct(&choice, &Answer::Choice(vec![0])),
            "all the right ones"
        );
        assert!(
            !correct(&choice, &Answer::Choice(vec![0, 1, 2])),
            "not the wrong ones"
        );
        let blanks_q = QuestionKind::Blanks {
            text: "Le [chat] dort sur le [tapis].".into(),
        };
        assert!(
            correct(
                &blanks_q,
                &Answer::Blanks(vec![" Chat ".into(), "tapis".into()])
            ),
            "case and spaces do not count"
        );
        assert!(!correct(
            &blanks_q,
            &Answer::Blanks(vec!["chien".into(), "tapis".into()])
        ));
        assert!(!correct(&blanks_q, &Answer::Blanks(vec!["chat".into()])));
        let order = QuestionKind::Order {
            items: vec!["un".into(), "deux".into(), "trois".into()],
        };
        assert!(correct(
            &order,
            &Answer::Order(vec![Some(0), Some(1), Some(2)])
        ));
        assert!(!correct(
            &order,
            &Answer::Order(vec![Some(1), Some(0), Some(2)])
        ));
        assert!(!correct(
            &order,
            &Answer::Order(vec![Some(0), None, Some(2)])
        ));
        let pairs = QuestionKind::Pairs {
            pairs: vec![
                ("chien".into(), "dog".into()),
                ("chat".into(), "cat".into()),
            ],
        };
        assert!(correct(&pairs, &Answer::Pairs(vec![Some(0), Some(1)])));
        assert!(!correct(&pairs, &Answer::Pairs(vec![Some(1), Some(0)])));
        assert!(
            !correct(&pairs, &Answer::Choice(vec![0])),
            "a mismatched answer is wrong"
        );
    }

    #[test]
    fn the_pupils_form_reads_back_through_opaque_values() {
        let e = ex(vec![
            QuestionKind::Choice {
                options: vec!["a".into(), "b".into()],
                correct: vec![1],
            },
            QuestionKind::Order {
                items: vec!["x".into(), "y".into(), "z".into()],
            },
            QuestionKind::Pairs {
                pairs: vec![("1".into(), "un".into()), ("2".into(), "deux".into())],
            },
        ]);
        let form = vec![
            ("q0".to_string(), token(&e, 0, 1)),
            ("q1-0".to_string(), token(&e, 1, 0)),
            ("q1-1".to_string(), token(&e, 1, 1)),
            ("q1-2".to_string(), token(&e, 1, 2)),
            ("q2-0".to_string(), token(&e, 2, 0)),
            ("q2-1".to_string(), token(&e, 2, 1)),
        ];
        let answers = read_answers(&e, &form);
        for (q, a) in e.questions.iter().zip(&answers) {
            assert!(correct(&q.kind, a), "{a:?}");
        }
        // Values do not reveal the indices, and the shown order is never the right one.
        assert_ne!(token(&e, 1, 0), "0");
        assert_ne!(shuffled(&e, 1, 3), vec![0, 1, 2]);
        let junk = read_answers(&e, &[("q0".into(), "1".into())]);
        assert_eq!(junk[0], Answer::Choice(vec![]));
    }

    #[test]
    fn questions_without_a_right_answer_are_refused() {
        let f = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        assert!(build_question(
            "choix",
            &f(&[("prompt", "Q"), ("option0", "a"), ("option1", "b")])
        )
        .unwrap_err()
        .contains("Cochez"));
        assert!(build_question(
            "choix",
            &f(&[
                ("prompt", "Q"),
                ("option0", "a"),
                ("option1", "b"),
                ("bonne", "1")
            ])
        )
        .is_ok());
        assert!(
            build_question("trous", &f(&[("prompt", "Q"), ("text", "sans crochets")]))
                .unwrap_err()
                .contains("crochets")
        );
        assert!(build_question("trous", &f(&[("prompt", "Q"), ("text", "vide []")])).is_err());
        assert!(build_question("ordre", &f(&[("prompt", "Q"), ("items", "seul")])).is_err());
        assert!(
            build_question("paires", &f(&[("prompt", "Q"), ("pairs", "a = b\nc d")]))
                .unwrap_err()
                .contains("« = »")
        );
        assert!(
            build_question("paires", &f(&[("prompt", ""), ("pairs", "a = b\nc = d")])).is_err(),
            "no prompt"
        );
        let (_, k) =
            build_question("paires", &f(&[("prompt", "Q"), ("pairs", "a = b\nc = d")])).unwrap();
        assert_eq!(
            k,
            QuestionKind::Pairs {
                pairs: vec![("a".into(), "b".into()), ("c".into(), "d".into())]
            }
        );
    }
}
