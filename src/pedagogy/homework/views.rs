//! The devoirs' pages, over the data the handlers gathered.

use maud::{html, Markup};

use super::{status_text, HandIn, Status, Submission};
use crate::attachments::Attachment;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::pedagogy::for_whom;
use crate::pedagogy::textbook::Entry;
use crate::ui::form::FormState;
use crate::ui::{csrf_input, dates, richtext};

/// The work given in the taught classes: class label, work, handed in, pupils concerned.
pub type Teaching = (String, Entry, usize, usize);
/// A followed pupil's work, each with its status.
pub type Followed = (u64, Vec<(String, Entry)>);

pub fn home(
    people: &People,
    me: u64,
    classes: &[(u64, String)],
    teaching: &[Teaching],
    followed: &[Followed],
) -> Markup {
    html! {
        (crate::ui::heading("Devoirs en ligne", Some("Le travail à rendre en ligne : texte, fichiers, enregistrements.")))
        @if !classes.is_empty() {
            section.panel {
                h2 { "Travail donné" }
                p.actions { @for (c, l) in classes { a.button.primary href=(format!("/cahier-de-textes/nouveau?classe={c}&type=travail&devoir=1")) { "Donner un devoir en ligne — " (l) } } }
                p.small { "Un travail du " a href="/cahier-de-textes" { "cahier de textes" } " marqué « À rendre en ligne » apparaît aussi ici." }
                @if teaching.is_empty() { p.empty { "Aucun travail à rendre en ligne." } } @else {
                    table.list {
                        thead { tr { th scope="col" { "Pour le" } th scope="col" { "Travail" } th scope="col" { "Classe" } th scope="col" { "Rendus" } } }
                        tbody { @for (label, e, handed, total) in teaching { tr {
                            td { (e.date().map(dates::day_label).unwrap_or_default()) }
                            td { a href=(format!("/devoirs/{}", e.id)) { (e.title) } }
                            td { (label) }
                            td { (handed) " / " (total) }
                        } } }
                    }
                }
            }
        }
        @for (p, rows) in followed {
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
    }
}

/// The work and each concerned pupil's status, for the class's teachers.
pub fn hand_ins(people: &People, e: &Entry, rows: &[(u64, String)]) -> Markup {
    let id = e.id;
    html! {
        (crate::ui::heading(&e.title, Some(&format!("{} — pour le {}", e.subject, e.date().map(dates::day_label).unwrap_or_default()))))
        section.panel {
            p { (for_whom(people, e.class, e.scope)) }
            (crate::pedagogy::consigne(e))
        }
        section.panel {
            h2 { "Rendus" }
            table.list {
                thead { tr { th scope="col" { "Élève" } th scope="col" { "État" } } }
                tbody { @for (p, status) in rows { tr {
                    td { a href=(format!("/devoirs/{id}/eleve/{p}")) { (people.user(*p).map(|u| u.display_name()).unwrap_or_default()) } }
                    td { (status) }
                } } }
            }
        }
    }
}

pub fn history(people: &People, id: u64, pupil: u64, s: Option<&Submission>) -> Markup {
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
                    @if !f.text.trim().is_empty() {
                        @let target = format!("retour-{i}");
                        (crate::ui::listen::button(&target))
                        div.richtext id=(target) { (richtext::render(&f.text)) }
                    }
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

pub fn hand_in_form(member: &Member, e: &Entry, form: &FormState, kept: &[Attachment]) -> Markup {
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

/// One pupil's page of a piece of work: its status, history and, for the pupil while it
/// is not returned, the hand-in form with the files kept from an earlier attempt.
pub fn pupil_page(
    member: &Member,
    people: &People,
    h: &HandIn,
    s: Option<&Submission>,
    kept: &[Attachment],
    today: &str,
    form: &FormState,
) -> Markup {
    let HandIn { work: e, pupil } = h;
    let pupil = *pupil;
    let me = member.user().id;
    let can_hand_in = pupil == me && s.is_none_or(|s| s.status != Status::Returned);
    html! {
        (crate::ui::heading(&e.title, Some(&format!("{} — pour le {}", e.subject, e.date().map(dates::day_label).unwrap_or_default()))))
        section.panel {
            @if pupil != me { p { "Travail de " strong { (people.user(pupil).map(|u| u.display_name()).unwrap_or_default()) } } }
            p { strong { "État : " } (status_text(s.map(super::Progress::of).as_ref(), e, today)) }
            (crate::pedagogy::consigne(e))
            @if !e.attachments.is_empty() { p { a href=(format!("/cahier-de-textes/{}", e.id)) { "Documents du travail" } } }
        }
        (history(people, e.id, pupil, s))
        @if can_hand_in { (hand_in_form(member, e, form, kept)) } @else { (crate::ui::form::error_list(form)) }
    }
}

/// The teacher's page of one pupil's hand-in, with the feedback form.
pub fn feedback_page(
    member: &Member,
    people: &People,
    e: &Entry,
    pupil: u64,
    s: Option<&Submission>,
    today: &str,
    form: &FormState,
) -> Markup {
    let action = format!(
        "/devoirs/{}/eleve/{pupil}/retour?{}={}",
        e.id,
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    html! {
        (crate::ui::heading(&format!("{} — {}", e.title, people.user(pupil).map(|u| u.display_name()).unwrap_or_default()), Some(&status_text(s.map(super::Progress::of).as_ref(), e, today))))
        (history(people, e.id, pupil, s))
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
    }
}
