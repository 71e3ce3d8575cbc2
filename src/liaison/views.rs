//! Pages of the carnet de liaison.

use maud::{html, Markup};

use super::{Ack, Audience, Direction, Mot, Reply, StatusRow};
use crate::auth::visitor::Visitor;
use crate::directory::people::People;
use crate::ui::form::FormState;
use crate::ui::text::text;
use crate::ui::{csrf_input, dates, listen, richtext};

fn name(people: &People, id: u64) -> String {
    people
        .user(id)
        .map(|u| u.display_name())
        .unwrap_or_else(|| "compte supprimé".into())
}

/// [`name`] written straight into the page, without a String of its own (a status
/// table names two people on each of its rows).
struct Named<'a>(Option<&'a crate::directory::User>);

impl maud::Render for Named<'_> {
    fn render_to(&self, buffer: &mut String) {
        match self.0 {
            Some(u) => {
                crate::ui::text::push_escaped(buffer, &u.first_name);
                buffer.push(' ');
                crate::ui::text::push_escaped(buffer, u.shown_last_name());
            }
            None => buffer.push_str("compte supprimé"),
        }
    }
}

pub fn audience_text(people: &People, m: &Mot) -> String {
    match &m.direction {
        Direction::School { audience } => audience
            .iter()
            .map(|a| a.label(people))
            .collect::<Vec<_>>()
            .join(", "),
        Direction::Family { to } => format!(
            "à {}",
            to.iter()
                .map(|t| name(people, *t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// One line of a list of mots.
pub fn item(people: &People, m: &Mot, badge: Option<Markup>) -> Markup {
    html! {
        li.card.mot.family[!m.is_school()] {
            h3 { a href=(format!("/carnet/{}", m.id)) { (m.title) } }
            p.small { (name(people, m.author)) " — " (dates::long_datetime(m.at)) }
            p.small { (audience_text(people, m)) }
            @if let Some(b) = badge { p { (b) } }
        }
    }
}

pub fn body(m: &Mot) -> Markup {
    html! {
        div.richtext id=(text_id(m)) { (richtext::render(&m.body)) }
        @if !m.attachments.is_empty() {
            ul.attachments {
                @for (i, a) in m.attachments.iter().enumerate() {
                    li { a href=(format!("/carnet/{}/pieces/{i}", m.id)) { (a.name) } " " span.small { "(" (a.size_text()) ")" } }
                }
            }
        }
    }
}

fn answer_text(a: Option<bool>) -> &'static str {
    match a {
        Some(true) => "Oui",
        Some(false) => "Non",
        None => "—",
    }
}

/// The guardian's part of a mot: one signature block per child concerned.
pub fn guardian_blocks(
    visitor: &Visitor,
    people: &People,
    m: &Mot,
    mine: &[(u64, Ack)],
    now: i64,
) -> Markup {
    let closed = m.answers_closed(now);
    html! {
        @for (pupil, ack) in mine {
            section.panel {
                h2 { "Pour " (people.user(*pupil).map(|u| u.first_name.clone()).unwrap_or_default()) }
                @if let Some(signed) = ack.signed_at {
                    p { span.badge { "Signé" } " le " (dates::long_datetime(signed)) }
                    @if m.question.is_some() { p { "Votre réponse : " strong { (answer_text(ack.answer)) } } }
                }
                @if ack.signed_at.is_none() || (m.question.is_some() && !closed) {
                    form method="post" action=(format!("/carnet/{}/signer", m.id)) {
                        (csrf_input(visitor))
                        input type="hidden" name="eleve" value=(pupil);
                        @if let Some(q) = &m.question {
                            fieldset.field {
                                legend { (q) }
                                @if closed {
                                    p.error { "Les réponses sont closes depuis le " (dates::long_date(m.deadline.unwrap_or(now))) "." }
                                } @else {
                                    div.check { input type="radio" id=(format!("oui-{pupil}")) name="reponse" value="oui" checked[ack.answer == Some(true)]; label for=(format!("oui-{pupil}")) { "Oui" } }
                                    div.check { input type="radio" id=(format!("non-{pupil}")) name="reponse" value="non" checked[ack.answer == Some(false)]; label for=(format!("non-{pupil}")) { "Non" } }
                                }
                            }
                        }
                        button.primary type="submit" {
                            @if ack.signed_at.is_some() { "Modifier ma réponse" } @else { "J'ai pris connaissance" @if m.question.is_some() && !closed { " et je réponds" } }
                        }
                    }
                }
            }
        }
    }
}

pub fn replies(people: &People, list: &[Reply]) -> Markup {
    html! {
        @if !list.is_empty() {
            ul.replies {
                @for r in list {
                    li { strong { (name(people, r.author)) } " — " span.small { (dates::long_datetime(r.at)) } p { (r.text) } }
                }
            }
        }
    }
}

pub fn reply_form(visitor: &Visitor, m: &Mot, guardian: Option<u64>, label: &str) -> Markup {
    html! {
        form method="post" action=(format!("/carnet/{}/repondre", m.id)) {
            (csrf_input(visitor))
            @if let Some(g) = guardian { input type="hidden" name="famille" value=(g); }
            div.field {
                label for=(format!("f-reply-{}", guardian.unwrap_or(0))) { (label) }
                textarea id=(format!("f-reply-{}", guardian.unwrap_or(0))) name="texte" rows="3" maxlength="5000" required {}
            }
            button type="submit" { "Envoyer" }
        }
    }
}

/// The author's table, per pupil and per guardian.
pub fn status_table(people: &People, m: &Mot, rows: &[StatusRow]) -> Markup {
    let (signed, total, yes, no) = super::summary(rows);
    let split = super::split_answers(rows);
    html! {
        p { strong { (signed) " / " (total) } " signature(s)" @if m.question.is_some() { " — Oui : " strong { (yes) } ", Non : " strong { (no) } } }
        @if !split.is_empty() {
            p.notice role="status" {
                strong { "Réponses différentes des responsables" } " (l'un Oui, l'autre Non) pour "
                (split.iter().map(|p| name(people, *p)).collect::<Vec<_>>().join(", "))
                " : voyez avec la famille."
            }
        }
        table.list.status.stack {
            caption { "Lecture, signature" @if m.question.is_some() { " et réponse" } " de chaque responsable" }
            thead { tr {
                th scope="col" { "Élève" } th scope="col" { "Responsable" } th scope="col" { "Lu" } th scope="col" { "Signé" }
                @if m.question.is_some() { th scope="col" { "Réponse" } }
            } }
            tbody {
                @for r in rows {
                    tr {
                        td data-label="Élève" { (Named(people.user(r.pupil))) }
                        td data-label="Responsable" { (Named(people.user(r.guardian))) }
                        td data-label="Lu" class=(if r.ack.read_at.is_some() { "yes" } else { "no" }) { (text(&r.ack.read_at.map(dates::short_datetime).unwrap_or_else(|| "non".into()))) }
                        td data-label="Signé" class=(if r.ack.signed_at.is_some() { "yes" } else { "no" }) { (text(&r.ack.signed_at.map(dates::short_datetime).unwrap_or_else(|| "non".into()))) }
                        @if m.question.is_some() {
                            td data-label="Réponse" {
                                (answer_text(r.ack.answer))
                                @if r.ack.answer.is_some() && split.contains(&r.pupil) { " " span.badge.off { "réponses différentes" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Paper slips for families without access: the mot and a tear-off part to sign.
/// Two slips per A4 page, to cut along the middle (see `ui::print`).
pub fn slips(people: &People, school: &str, m: &Mot, pupils: &[u64]) -> Markup {
    let slips: Vec<Markup> = pupils.iter().map(|p| slip(people, school, m, *p)).collect();
    crate::ui::print::sheets(&slips, 2, "slips")
}

fn slip(people: &People, school: &str, m: &Mot, p: u64) -> Markup {
    html! {
        div.slip {
            p.small { (school) " — carnet de liaison — " (dates::long_date(m.at)) }
            h2 { (m.title) }
            div.richtext { (richtext::render(&m.body)) }
            hr;
            p { "Mot de " (name(people, m.author)) " pour la famille de " strong { (name(people, p)) } "." }
            @if let Some(q) = &m.question {
                p { (q) " ☐ Oui ☐ Non" }
                @if let Some(d) = m.deadline { p { "Réponse attendue au plus tard le " (dates::long_date(d)) "." } }
            }
            p { "J'ai pris connaissance de ce mot. Date et signature du responsable :" }
            div.signature-line {}
        }
    }
}

/// What the school-mot form shows.
pub struct MotForm<'a> {
    pub action: String,
    pub classes: &'a [(u64, String)],
    pub groups: &'a [(u64, String)],
    pub pupils: &'a [(u64, String)],
    pub school: bool,
    pub chosen: &'a [Audience],
}

pub fn mot_form(
    visitor: &Visitor,
    f: &MotForm<'_>,
    form: &FormState,
    picker: Option<Markup>,
) -> Markup {
    html! {
        (crate::ui::form::error_summary(form))
        form method="post" action=(f.action) enctype="multipart/form-data" novalidate {
            (csrf_input(visitor))
            fieldset.field.has-error[form.errors.contains_key("audience")] {
                legend { "À qui ?" }
                @if let Some(e) = form.errors.get("audience") { p.error { (e) } }
                @if f.school {
                    div.check { input #a-school type="checkbox" name="audience" value="ecole" checked[f.chosen.contains(&Audience::School)]; label for="a-school" { "Toutes les familles de l'école" } }
                }
                @for (id, label) in f.classes {
                    div.check { input id=(format!("a-c{id}")) type="checkbox" name="audience" value=(format!("c{id}")) checked[f.chosen.contains(&Audience::Class(*id))]; label for=(format!("a-c{id}")) { "Familles de la classe " (label) } }
                }
                @for (id, label) in f.groups {
                    div.check { input id=(format!("a-g{id}")) type="checkbox" name="audience" value=(format!("g{id}")) checked[f.chosen.contains(&Audience::Group(*id))]; label for=(format!("a-g{id}")) { "Familles du groupe " (label) } }
                }
                @if !f.pupils.is_empty() {
                    div.field {
                        label for="a-pupils" { "Ou des élèves choisis" }
                        select #a-pupils name="audience" multiple size="6" data-filter="Filtrer les élèves" {
                            @for (id, label) in f.pupils { option value=(format!("e{id}")) selected[f.chosen.contains(&Audience::Pupil(*id))] { (label) } }
                        }
                    }
                }
            }
            (crate::ui::form::Field::text("title", "Titre").required().render(form))
            div.field.has-error[form.errors.contains_key("body")] {
                label for="f-body" { "Texte du mot" abbr title="obligatoire" { " *" } }
                @if let Some(e) = form.errors.get("body") { p.error { (e) } }
                textarea #f-body name="body" rows="8" { (form.value("body")) }
            }
            (crate::ui::form::Field::text("question", "Question à laquelle répondre Oui ou Non (facultatif)").hint("par ex. « J'autorise mon enfant à participer à la sortie au musée le 12 décembre. »").render(form))
            (crate::ui::form::Field::text("deadline", "Réponse attendue au plus tard le (facultatif)").kind("date").render(form))
            (crate::ui::form::Field::text("accompagnateurs", "Accompagnateurs recherchés (facultatif)").kind("number").hint("Le nombre de parents volontaires pour encadrer une sortie : ils se proposent sur le mot, les premiers sont retenus, vous confirmez.").render(form))
            div.field.has-error[form.errors.contains_key("files")] {
                label for="f-files" { "Pièces jointes (facultatif)" }
                @if let Some(e) = form.errors.get("files") { p.error { (e) } }
                input #f-files type="file" name="files" multiple;
            }
            @if let Some(p) = picker { (p) }
            button.primary type="submit" { "Publier le mot" }
        }
    }
}

/// The guardian's form to write to the teachers.
pub fn family_form(
    visitor: &Visitor,
    action: &str,
    children: &[(u64, String)],
    form: &FormState,
    picker: Option<Markup>,
) -> Markup {
    html! {
        (crate::ui::form::error_summary(form))
        form method="post" action=(action) enctype="multipart/form-data" novalidate {
            (csrf_input(visitor))
            (crate::ui::form::select(form, "eleve", "Pour quel enfant ?", &children.iter().map(|(id, n)| (id.to_string(), n.clone())).collect::<Vec<_>>(), true))
            (crate::ui::form::Field::text("title", "Objet").required().hint("par ex. « Absence de lundi », « Rendez-vous »").render(form))
            div.field.has-error[form.errors.contains_key("body")] {
                label for="f-body" { "Votre mot" abbr title="obligatoire" { " *" } }
                @if let Some(e) = form.errors.get("body") { p.error { (e) } }
                textarea #f-body name="body" rows="8" { (form.value("body")) }
            }
            div.field.has-error[form.errors.contains_key("files")] {
                label for="f-files" { "Pièce jointe (facultatif, par ex. un certificat)" }
                @if let Some(e) = form.errors.get("files") { p.error { (e) } }
                input #f-files type="file" name="files" multiple;
            }
            @if let Some(p) = picker { (p) }
            button.primary type="submit" { "Envoyer le mot" }
        }
    }
}

/// The id of a mot's text on its page (read by « Écouter »).
fn text_id(m: &Mot) -> String {
    format!("mot-{}-texte", m.id)
}

/// The head of a mot's page: title, author, audience, text, question, deadline.
pub fn mot_head(people: &People, m: &Mot) -> Markup {
    html! {
        (crate::ui::heading(&m.title, Some(&format!("{} — {}", people.user(m.author).map(|u| u.display_name()).unwrap_or_default(), dates::long_datetime(m.at)))))
        section.panel.mot.family[!m.is_school()] {
            p.small { (audience_text(people, m)) }
            // The question is read after the text when there is one (no id names nothing).
            @let read = match m.question {
                Some(_) => format!("titre {} mot-{}-question", text_id(m), m.id),
                None => format!("titre {}", text_id(m)),
            };
            (listen::button(&read))
            (body(m))
            @if let Some(q) = &m.question { p id=(format!("mot-{}-question", m.id)) { strong { "Question : " } (q) } }
            @if let Some(d) = m.deadline { p { "Réponse attendue au plus tard le " strong { (dates::long_date(d)) } "." } }
        }
    }
}

/// A family's page of a mot: its signature blocks and its own exchange.
pub fn family_side(
    visitor: &Visitor,
    people: &People,
    m: &Mot,
    mine: &[(u64, Ack)],
    my_replies: &[Reply],
    now: i64,
) -> Markup {
    html! {
        (mot_head(people, m))
        (guardian_blocks(visitor, people, m, mine, now))
        section.panel {
            h2 { "Échange avec " @if m.is_school() { (people.user(m.author).map(|u| u.display_name()).unwrap_or_default()) } @else { "l'enseignant" } }
            (replies(people, my_replies))
            (reply_form(visitor, m, None, if m.is_school() { "Répondre en privé à l'auteur du mot" } else { "Ajouter un message" }))
        }
    }
}

/// The school's page of a mot: the follow-up link or the « lu » mark, and one exchange per
/// family (answered by the staff on the school side of it).
pub fn staff_side(
    visitor: &Visitor,
    people: &People,
    m: &Mot,
    all_replies: &[Reply],
    answers: bool,
) -> Markup {
    let id = m.id;
    let mut families: Vec<u64> = all_replies.iter().map(|r| r.guardian).collect();
    families.sort_unstable();
    families.dedup();
    if !m.is_school() && !families.contains(&m.author) {
        families.push(m.author);
    }
    html! {
        (mot_head(people, m))
        @if m.is_school() {
            p.no-print {
                a.button.primary href=(format!("/carnet/{id}/suivi")) { "Suivi des signatures" }
            }
        } @else if m.read_by_staff.is_none() {
            form method="post" action=(format!("/carnet/{id}/lu")) {
                (csrf_input(visitor))
                button type="submit" { "Marquer comme lu" }
            }
        } @else if let Some((by, at)) = m.read_by_staff {
            p.small { "Lu par " (people.user(by).map(|u| u.display_name()).unwrap_or_default()) " le " (dates::long_datetime(at)) "." }
        }
        @for g in &families {
            section.panel {
                h2 { "Échange avec " (people.user(*g).map(|u| u.display_name()).unwrap_or_default()) }
                (replies(people, &all_replies.iter().filter(|r| r.guardian == *g).cloned().collect::<Vec<_>>()))
                @if answers { (reply_form(visitor, m, Some(*g), "Répondre")) }
            }
        }
    }
}

/// The guardian's part of `/carnet`: one carnet per child.
pub fn home_children(people: &People, sections: &[(u64, Vec<Markup>)]) -> Markup {
    html! {
        p { a.button.primary href="/carnet/ecrire" { "Écrire un mot à l'enseignant" } }
        @for (child, rows) in sections {
            section.panel {
                h2 { "Carnet de " (people.user(*child).map(|u| u.first_name.clone()).unwrap_or_default()) }
                @if rows.is_empty() { p.empty { "Aucun mot pour le moment." } } @else { ul.cards { @for r in rows { (r) } } }
            }
        }
    }
}

/// The staff's part of `/carnet`: their mots and the families', and for the director the
/// teachers' mots.
pub fn home_staff(people: &People, writes: bool, rows: &[Markup], others: &[Mot]) -> Markup {
    html! {
        @if writes { p { a.button.primary href="/carnet/nouveau" { "Écrire un mot aux familles" } } }
        section.panel {
            h2 { "Mes mots et ceux des familles" }
            @if rows.is_empty() { p.empty { "Aucun mot pour le moment." } } @else { ul.cards { @for r in rows { (r) } } }
        }
        @if !others.is_empty() {
            section.panel {
                h2 { "Mots des enseignants" }
                ul.cards { @for m in others { (item(people, m, None)) } }
            }
        }
    }
}

/// One reply in a pupil's carnet, in date order with the mots.
pub fn carnet_reply(people: &People, m: &Mot, r: &Reply) -> Markup {
    html! {
        li.card { p.small { "Réponse au mot « " a href=(format!("/carnet/{}", m.id)) { (m.title) } " »" } p { strong { (people.user(r.author).map(|u| u.display_name()).unwrap_or_default()) } " — " (dates::long_datetime(r.at)) } p { (r.text) } }
    }
}
