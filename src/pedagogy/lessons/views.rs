//! The classeur's pages, over the data the handlers gathered.

use maud::{html, Markup};

use super::Lesson;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::pedagogy::{for_whom, scope_choices, subject_select};
use crate::ui::form::{select, Field, FormState};
use crate::ui::{csrf_input, dates, richtext};

fn list(people: &People, lessons: &[Lesson]) -> Markup {
    html! {
        @if lessons.is_empty() { p.empty { "Aucune leçon pour le moment." } }
        @for (i, l) in lessons.iter().enumerate() {
            @if i.checked_sub(1).and_then(|p| lessons.get(p)).is_none_or(|p| p.subject != l.subject) { h3 { (l.subject) } }
            p { span.badge { "Période " (l.period) } " " a href=(format!("/classeur/{}", l.id)) { (l.title) } " " (for_whom(people, l.class, l.scope)) }
        }
    }
}

/// The classes taught, each with its lessons; the pupils followed, each with theirs.
pub fn home(
    people: &People,
    me: u64,
    taught: &[(u64, String, Vec<Lesson>)],
    mine: &[(u64, Vec<Lesson>)],
) -> Markup {
    html! {
        (crate::ui::heading("Classeur", Some("Les leçons à revoir, par matière et par période.")))
        @for (c, label, lessons) in taught {
            section.panel {
                h2 { (label) }
                p { a.button.primary href=(format!("/classeur/nouveau?classe={c}")) { "Publier une leçon" } }
                (list(people, lessons))
            }
        }
        @for (p, lessons) in mine {
            section.panel {
                h2 { @if *p == me { "Mes leçons" } @else { "Leçons de " (people.user(*p).map(|u| u.display_name()).unwrap_or_default()) } }
                (list(people, lessons))
            }
        }
    }
}

pub fn lesson_form(
    member: &Member,
    people: &People,
    class: u64,
    form: &FormState,
    picker: Option<Markup>,
) -> Markup {
    let action = format!(
        "/classeur/nouveau?classe={class}&{}={}",
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    let periods: Vec<(String, String)> = (1..=5)
        .map(|p| (p.to_string(), format!("Période {p}")))
        .collect();
    html! {
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
    }
}

pub fn show(member: &Member, people: &People, l: &Lesson, teacher: bool) -> Markup {
    let id = l.id;
    html! {
        (crate::ui::heading(&l.title, Some(&format!("{} — période {}", l.subject, l.period))))
        section.panel {
            p { (for_whom(people, l.class, l.scope)) " — publiée le " (dates::long_date(l.created_at)) }
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
    }
}
