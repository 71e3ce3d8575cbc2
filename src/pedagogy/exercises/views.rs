//! The exercises' pages, over the data the handlers gathered: the right answers appear
//! only in the teacher's pages and in a correction.

use maud::{html, Markup};

use super::{blanks, shuffled, token, Attempt, Exercise, Question, QuestionKind};
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::pedagogy::{for_whom, scope_choices};
use crate::ui::form::{select, Field, FormState};
use crate::ui::{csrf_input, dates};

/// A class taught: its id, label and exercises.
pub type Taught = (u64, String, Vec<Exercise>);
/// A followed pupil's exercises, each with the last score.
pub type Mine = (u64, Vec<(Exercise, Option<(usize, usize)>)>);

pub fn home(people: &People, me: u64, taught: &[Taught], mine: &[Mine]) -> Markup {
    html! {
        (crate::ui::heading("Exercices", Some("Des exercices corrigés tout de suite.")))
        @for (c, label, list) in taught {
            section.panel {
                h2 { (label) }
                p { a.button.primary href=(format!("/exercices/nouveau?classe={c}")) { "Créer un exercice" } }
                @if list.is_empty() { p.empty { "Aucun exercice." } }
                ul { @for e in list { li {
                    a href=(format!("/exercices/{}/modifier", e.id)) { (e.title) } " " (for_whom(people, e.class, e.scope)) " — "
                    @if e.published { a href=(format!("/exercices/{}/resultats", e.id)) { "résultats" } } @else { span.badge.off { "brouillon" } }
                } } }
            }
        }
        @for (p, rows) in mine {
            section.panel {
                h2 { @if *p == me { "Mes exercices" } @else { "Exercices de " (people.user(*p).map(|u| u.display_name()).unwrap_or_default()) } }
                @if rows.is_empty() { p.empty { "Aucun exercice pour le moment." } }
                ul.tiles { @for (e, last) in rows { li {
                    @let href = if *p == me { format!("/exercices/{}", e.id) } else { format!("/exercices/{}?eleve={p}", e.id) };
                    a.tile href=(href) { strong { (e.title) } span { @if let Some((ok, n)) = last { (ok) " / " (n) } @else { "à faire" } } }
                } } }
            }
        }
    }
}

pub fn new_page(member: &Member, people: &People, class: u64, form: &FormState) -> Markup {
    html! {
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
    }
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

/// The teacher's page of an exercise: its questions with their answers, and the forms to
/// add the four kinds while it is not published.
pub fn edit_page(member: &Member, people: &People, ex: &Exercise, form: &FormState) -> Markup {
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
    html! {
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
    }
}

/// A question's prompt, with « Écouter » reading it and, for a multiple choice, the
/// answers offered (`#question-N-choix`), for a text with blanks, its sentence
/// (`#question-N-texte`).
fn prompt_block(ex: &Exercise, n: usize, q: &Question) -> Markup {
    let read = match q.kind {
        QuestionKind::Choice { .. } => format!("question-{n} question-{n}-choix"),
        // The sentence with its blanks is read after the prompt.
        QuestionKind::Blanks { .. } => format!("question-{n} question-{n}-texte"),
        _ => format!("question-{n}"),
    };
    html! {
        legend { (n + 1) ". " span id=(format!("question-{n}")) { (q.prompt) } }
        (crate::ui::listen::button(&read))
        @if let Some(m) = &q.media {
            @let url = format!("/exercices/{}/media/{n}", ex.id);
            @if m.mime.starts_with("image/") { p { img.preview src=(url) alt=""; } }
            @else { p { audio controls preload="none" src=(url) {} } }
        }
    }
}

/// The pupil's form: no right answer in it.
pub fn quiz(member: &Member, ex: &Exercise) -> Markup {
    html! {
        form.quiz method="post" action=(format!("/exercices/{}/repondre", ex.id)) {
            (csrf_input(&member.visitor))
            @for (n, q) in ex.questions.iter().enumerate() {
                fieldset.panel.question {
                    (prompt_block(ex, n, q))
                    @match &q.kind {
                        QuestionKind::Choice { options, .. } => {
                            div id=(format!("question-{n}-choix")) {
                                @for (shown, i) in shuffled(ex, n, options.len()).into_iter().enumerate() {
                                    div.check { input type="checkbox" id=(format!("q{n}-{shown}")) name=(format!("q{n}")) value=(token(ex, n, i)); label for=(format!("q{n}-{shown}")) { (options[i]) } }
                                }
                            }
                        }
                        QuestionKind::Blanks { text } => {
                            @let (_, parts) = blanks(text);
                            p.blanks id=(format!("question-{n}-texte")) {
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

pub fn correction(ex: &Exercise, a: &Attempt) -> Markup {
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

/// An exercise as `pupil` sees it (`me` answering, or who follows them looking).
pub fn show(
    member: &Member,
    people: &People,
    ex: &Exercise,
    pupil: u64,
    tries: &[Attempt],
    again: bool,
) -> Markup {
    let id = ex.id;
    let me = member.user().id;
    html! {
        (crate::ui::heading(&ex.title, (!ex.instructions.is_empty()).then_some(ex.instructions.as_str())))
        @match (pupil == me, tries.last()) {
            (true, Some(last)) if !again => {
                (correction(ex, last))
                p { a.button.primary href=(format!("/exercices/{id}?nouveau=1")) { "Recommencer" } }
            }
            (true, _) => { (quiz(member, ex)) }
            (false, Some(last)) => { p { "Travail de " (people.user(pupil).map(|u| u.display_name()).unwrap_or_default()) " — " (tries.len()) " essai(s)." } (correction(ex, last)) }
            (false, None) => { p.empty { "Pas encore fait." } }
        }
    }
}

/// The results of the pupils concerned (`rows`, their last attempt), `done` of them, and
/// per question how many got it right.
pub fn results(
    people: &People,
    ex: &Exercise,
    rows: &[(u64, Option<Attempt>)],
    per_question: &[usize],
    done: usize,
    concerned: usize,
) -> Markup {
    let id = ex.id;
    html! {
        (crate::ui::heading(&format!("Résultats : {}", ex.title), Some(&format!("{done} élève(s) sur {} ont fait l'exercice (dernier essai).", concerned))))
        section.panel.scroll {
            table.list.results {
                thead { tr {
                    th scope="col" { "Élève" }
                    @for (n, q) in ex.questions.iter().enumerate() { th scope="col" title=(q.prompt) { "Q" (n + 1) } }
                    th scope="col" { "Score" }
                } }
                tbody {
                    @for (p, a) in rows {
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
                        @for c in per_question { td { (c) " / " (done) } }
                        td {}
                    }
                }
            }
        }
    }
}
