//! The cahier de textes' pages, over the data the handlers gathered.

use std::collections::HashMap;

use jiff::civil::Date;
use maud::{html, Markup};

use super::{load_of_day, Entry, EntryKind, HEAVY_MINUTES};
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::pedagogy::{for_whom, pupils, scope_choices, subject_select, taught_classes};
use crate::ui::form::{select, Field, FormState};
use crate::ui::{csrf_input, dates};

/// The teacher's week: day by day, séances and work due, the « fait » counts (`done`, per
/// entry) and a warning on heavy days.
pub fn week(
    people: &People,
    classes: &[(u64, String)],
    class: u64,
    start: Date,
    entries: &[Entry],
    done: &HashMap<u64, usize>,
    now: i64,
) -> Markup {
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
    html! {
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
            @let load = load_of_day(people, entries, class, &day);
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
                        " " span.badge { (done.get(&e.id).copied().unwrap_or(0)) " / " (pupils(people, class, e.scope).len().min(n_pupils)) " fait" }
                        @if e.online { " " a href=(format!("/devoirs/{}", e.id)) { "rendus en ligne" } }
                        @if !e.visible(now) { " " span.badge.off { "visible le " (dates::short_datetime(e.visible_from)) } }
                    }
                }
            }
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// What a followed pupil has to do (with whether it is ticked) and the last séances.
pub struct PupilBlock {
    pub pupil: u64,
    pub todo: Vec<(Entry, bool)>,
    pub sessions: Vec<Entry>,
}

/// The pupils' and families' page.
pub fn pupil_home(member: &Member, people: &People, blocks: &[PupilBlock]) -> Markup {
    let me = member.user().id;
    html! {
        (crate::ui::heading("Cahier de textes", Some("Le travail à faire, par date, et ce qui a été fait en classe.")))
        @for PupilBlock { pupil: p, todo, sessions } in blocks {
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
    }
}

pub fn entry_form(
    member: &Member,
    people: &People,
    class: u64,
    kind: EntryKind,
    form: &FormState,
    picker: Option<Markup>,
) -> Markup {
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
    let class_label = people
        .class(class)
        .map(|c| c.label.clone())
        .unwrap_or_default();
    html! {
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
                @if kind == EntryKind::Work {
                    (crate::ui::recorder::attach_as("f-files", super::CONSIGNE_RECORDING, "Vous pouvez aussi enregistrer la consigne à voix haute : le bouton « Écouter » la fera entendre aux élèves qui ne lisent pas encore."))
                }
                @if let Some(p) = picker { (p) }
                button.primary type="submit" { "Enregistrer" }
            }
        }
    }
}

/// One entry; `done` are the pupils who ticked it, `concerned` those it is for.
pub fn show(
    member: &Member,
    people: &People,
    e: &Entry,
    teacher: bool,
    done: &[u64],
    concerned: &[u64],
) -> Markup {
    let id = e.id;
    let me = member.user().id;
    html! {
        (crate::ui::heading(&e.title, Some(&format!("{} — {}", e.subject, if e.kind == EntryKind::Work { format!("pour le {}", e.date().map(dates::day_label).unwrap_or_default()) } else { format!("séance du {}", e.date().map(dates::day_label).unwrap_or_default()) }))))
        section.panel {
            p { (for_whom(people, e.class, e.scope)) @if e.minutes > 0 { " — environ " (e.minutes) " minutes" } }
            @if e.kind == EntryKind::Work && !e.given.is_empty() { p.small { "Donné le " (dates::parse_date(&e.given).map(dates::day_label).unwrap_or_default()) } }
            (crate::pedagogy::consigne(e))
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
                        select #f-copy-class name="classe" { @for (cid, l) in taught_classes(people, member) { option value=(cid) selected[cid == e.class] { (l) } } }
                    }
                    button type="submit" { "Copier" }
                }
                form method="post" action=(format!("/cahier-de-textes/{id}/supprimer")) {
                    (csrf_input(&member.visitor))
                    button.danger type="submit" data-confirm="Supprimer cette entrée du cahier de textes ?" { "Supprimer" }
                }
            }
        }
    }
}
