//! Pages of the messagerie. Views take what the handlers read; they never read the store.

use std::collections::HashMap;

use maud::{html, Markup};

use super::heads::Head;
use super::targets::{Choices, Target};
use super::{Entry, Folder, Message, PurgePlan, State};
use crate::auth::visitor::Visitor;
use crate::directory::people::People;
use crate::policy::communication::{Circle, CommRules, Reach};
use crate::ui::form::FormState;
use crate::ui::text::text;
use crate::ui::{csrf_input, dates, richtext};

/// The left column: write, search, folders with counts.
pub struct Sidebar<'a> {
    pub counts: &'a HashMap<Folder, (usize, usize)>,
    pub personal: &'a [(u64, String)],
    pub current: Option<Folder>,
    pub moderation: Option<usize>,
    pub query: &'a str,
}

pub fn folder_label(folder: Folder, personal: &[(u64, String)]) -> String {
    match folder {
        Folder::Personal(id) => personal
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| "Dossier".into()),
        f => f.standard_label().to_string(),
    }
}

pub fn layout(visitor: &Visitor, side: &Sidebar<'_>, main: Markup) -> Markup {
    let mut folders = vec![Folder::Inbox, Folder::Sent, Folder::Drafts];
    folders.extend(side.personal.iter().map(|(id, _)| Folder::Personal(*id)));
    folders.push(Folder::Trash);
    html! {
        div.mail {
            aside.mail-side aria-label="Dossiers de la messagerie" {
                p { a.button.primary href="/messagerie/ecrire" { "Écrire un message" } }
                form.search method="get" action="/messagerie" role="search" {
                    label.sr for="f-q" { "Rechercher dans mes messages" }
                    input #f-q type="search" name="q" value=(side.query) placeholder="Rechercher…";
                    button type="submit" { "Rechercher" }
                }
                nav {
                    ul.folders {
                        @for f in &folders {
                            @let (total, unread) = side.counts.get(f).copied().unwrap_or((0, 0));
                            li {
                                a href=(format!("/messagerie?dossier={}", f.slug())) aria-current=[(side.current == Some(*f)).then_some("page")] {
                                    (folder_label(*f, side.personal))
                                    @if unread > 0 { " " span.count { (unread) span.sr { " non lu(s)" } } }
                                    @else if *f == Folder::Drafts && total > 0 { " " span.small { "(" (total) ")" } }
                                }
                            }
                        }
                        @if let Some(n) = side.moderation {
                            li { a href="/messagerie/moderation" { "À valider" @if n > 0 { " " span.count { (n) } } } }
                        }
                    }
                }
                details {
                    summary { "Nouveau dossier" }
                    form method="post" action="/messagerie/dossiers" {
                        (csrf_input(visitor))
                        div.field {
                            label for="f-folder" { "Nom du dossier" }
                            input #f-folder type="text" name="name" maxlength="60" required;
                        }
                        button type="submit" { "Créer" }
                    }
                }
            }
            div.mail-main { (main) }
        }
    }
}

pub fn purge_banner(plan: Option<&PurgePlan>) -> Markup {
    html! {
        @if let Some(p) = plan {
            @if let Some(day) = dates::parse_date(&p.day) {
                div.flash.info role="status" {
                    "Les messages envoyés avant le " (dates::long_date(p.before)) " seront supprimés le " (dates::day_label(day)) " " (day.year()) ". Gardez ailleurs ce que vous souhaitez conserver."
                }
            }
        }
    }
}

fn names(people: &People, targets: &[Target]) -> String {
    targets
        .iter()
        .map(|t| t.label(people))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line per message of a folder or a search.
pub fn list(
    people: &People,
    me: u64,
    title: &str,
    items: &[(Head, Entry)],
    show_folder: Option<&[(u64, String)]>,
    empty: &str,
) -> Markup {
    html! {
        h1 { (title) }
        @if items.is_empty() { p.empty { (empty) } } @else {
            // On a phone each message is a card (`stack`): no sideways scroll, even with
            // the largest text.
            table.list.messages.stack {
                thead { tr {
                    th scope="col" { "De / à" }
                    th scope="col" { "Objet" }
                    th scope="col" { "Date" }
                    @if show_folder.is_some() { th scope="col" { "Dossier" } }
                } }
                tbody {
                    @for (m, e) in items {
                        tr class=(if e.read { "read" } else { "unread" }) {
                            td data-label=(if m.author == me { "À" } else { "De" }) {
                                @if m.author == me {
                                    span.wide-only { "À : " } (text(&names(people, &m.to)))
                                } @else {
                                    @if let Some(u) = people.user(m.author) { (text(&u.first_name)) " " (text(u.shown_last_name())) } @else { "compte supprimé" }
                                }
                            }
                            td {
                                @let link: &str = if m.state == State::Draft { "/messagerie/ecrire?brouillon=" } else { "/messagerie/" };
                                a href={ (text(link)) (m.id) } {
                                    @if !e.read { span.sr { "Non lu : " } strong { (text(&m.subject)) } } @else { (text(&m.subject)) }
                                }
                                @if m.attachments > 0 { " " span.small { "(" (m.attachments) " pièce(s) jointe(s))" } }
                                @match &m.state {
                                    State::Pending => { " " span.badge { "en attente de validation" } }
                                    State::Refused { .. } => { " " span.badge.off { "non envoyé" } }
                                    _ => {}
                                }
                                br;
                                span.small { (text(&m.preview)) }
                            }
                            td data-label="Date" { (text(&dates::short_datetime(m.date))) }
                            @if let Some(personal) = show_folder { td data-label="Dossier" { (folder_label(e.folder, personal)) } }
                        }
                    }
                }
            }
        }
    }
}

/// A folder's list, with what can be done to the folder itself: empty the trash, delete a
/// personal folder.
pub fn folder_actions(visitor: &Visitor, folder: Folder, has_items: bool, list: Markup) -> Markup {
    html! {
        (list)
        @if folder == Folder::Trash && has_items {
            form method="post" action="/messagerie/corbeille/vider" {
                (csrf_input(visitor))
                button.danger type="submit" data-confirm="Supprimer définitivement tous les messages de la corbeille ?" { "Vider la corbeille" }
            }
        }
        @if let Folder::Personal(id) = folder {
            form method="post" action=(format!("/messagerie/dossiers/{id}/supprimer")) {
                (csrf_input(visitor))
                button type="submit" data-confirm="Supprimer ce dossier ? Ses messages retournent dans la boîte de réception." { "Supprimer ce dossier" }
            }
        }
    }
}

pub struct ThreadItem<'a> {
    pub message: &'a Message,
    pub entry: &'a Entry,
}

/// A conversation: every message of it that this person holds, oldest first.
pub fn thread(
    visitor: &Visitor,
    people: &People,
    me: u64,
    items: &[ThreadItem<'_>],
    personal: &[(u64, String)],
) -> Markup {
    let subject = items
        .last()
        .map(|i| i.message.subject.clone())
        .unwrap_or_default();
    html! {
        h1 { (subject) }
        @for item in items {
            @let m = item.message;
            article.message id=(format!("m{}", m.id)) {
                header {
                    p {
                        strong { (people.user(m.author).map(|u| u.display_name()).unwrap_or_else(|| "compte supprimé".into())) }
                        " — " (dates::long_datetime(m.date()))
                    }
                    p.small { "À : " (names(people, &m.to)) }
                    @if !m.cc.is_empty() { p.small { "Copie : " (names(people, &m.cc)) } }
                    // Blind copies are the author's business only.
                    @if m.author == me && !m.bcc.is_empty() { p.small { "Copie cachée : " (names(people, &m.bcc)) } }
                    @if m.author != me && item.entry.bcc { p.small { "Vous avez reçu ce message en copie cachée." } }
                    @match &m.state {
                        State::Pending => { p { span.badge { "En attente de validation par l'enseignant : personne ne l'a encore reçu." } } }
                        State::Refused { by, note } => {
                            div.flash.error role="status" {
                                "Ce message n'a pas été envoyé. " (by) " a écrit : « " (note) " »"
                            }
                        }
                        _ => {}
                    }
                }
                (crate::ui::listen::button(&format!("m{}-texte", m.id)))
                div.richtext id=(format!("m{}-texte", m.id)) { (richtext::render(&m.body)) }
                @if !m.attachments.is_empty() {
                    ul.attachments {
                        @for (i, a) in m.attachments.iter().enumerate() {
                            li { a href=(format!("/messagerie/{}/pieces/{i}", m.id)) { (a.name) } " " span.small { "(" (a.size_text()) ")" } }
                        }
                    }
                }
                div.actions {
                    @if m.state == State::Sent {
                        a.button href=(format!("/messagerie/ecrire?repondre={}", m.id)) { "Répondre" }
                        a.button href=(format!("/messagerie/ecrire?repondre-a-tous={}", m.id)) { "Répondre à tous" }
                        a.button href=(format!("/messagerie/ecrire?transferer={}", m.id)) { "Transférer" }
                    }
                    @if item.entry.folder == Folder::Trash {
                        form method="post" action=(format!("/messagerie/{}/restaurer", m.id)) {
                            (csrf_input(visitor))
                            button type="submit" { "Restaurer" }
                        }
                        form method="post" action=(format!("/messagerie/{}/effacer", m.id)) {
                            (csrf_input(visitor))
                            button.danger type="submit" data-confirm="Supprimer définitivement ce message ?" { "Supprimer définitivement" }
                        }
                    } @else {
                        form method="post" action=(format!("/messagerie/{}/supprimer", m.id)) {
                            (csrf_input(visitor))
                            button type="submit" { "Mettre à la corbeille" }
                        }
                        @if m.author != me {
                            form method="post" action=(format!("/messagerie/{}/non-lu", m.id)) {
                                (csrf_input(visitor))
                                button type="submit" { "Marquer non lu" }
                            }
                        }
                        form.inline method="post" action=(format!("/messagerie/{}/deplacer", m.id)) {
                            (csrf_input(visitor))
                            div.field {
                                label for=(format!("f-move-{}", m.id)) { "Ranger dans" }
                                select id=(format!("f-move-{}", m.id)) name="dossier" {
                                    @for f in [Folder::Inbox, Folder::Sent].into_iter().chain(personal.iter().map(|(id, _)| Folder::Personal(*id))) {
                                        option value=(f.slug()) selected[f == item.entry.folder] { (folder_label(f, personal)) }
                                    }
                                }
                            }
                            button type="submit" { "Ranger" }
                        }
                    }
                }
                @if m.author != me && m.state == State::Sent {
                    details.report {
                        summary { "Signaler ce message à la direction" }
                        form method="post" action=(format!("/messagerie/{}/signaler", m.id)) {
                            (csrf_input(visitor))
                            div.field {
                                label for=(format!("f-reason-{}", m.id)) { "Pourquoi ? (facultatif)" }
                                textarea id=(format!("f-reason-{}", m.id)) name="motif" rows="2" maxlength="1000" {}
                            }
                            button type="submit" { "Signaler" }
                        }
                    }
                }
            }
        }
    }
}

/// What the compose form shows.
pub struct Compose<'a> {
    pub action: String,
    pub draft_id: Option<u64>,
    pub in_reply_to: Option<u64>,
    pub to: &'a [Target],
    pub cc: &'a [Target],
    pub bcc: &'a [Target],
    pub carried: &'a [crate::attachments::Attachment],
    pub choices: &'a Choices,
    pub suspended: Option<&'a str>,
    pub held: bool,
    /// The médiathèque's picker, when the service is on.
    pub picker: Option<Markup>,
}

fn picker(
    name: &str,
    label: &str,
    hint: &str,
    chosen: &[Target],
    choices: &Choices,
    form: &FormState,
) -> Markup {
    let id = format!("f-{name}");
    let error = form.errors.get(name);
    html! {
        div.field.picker.has-error[error.is_some()] {
            label for=(id) { (label) }
            p.hint id=(format!("{id}-hint")) { (hint) }
            @if let Some(e) = error { p.error id=(format!("{id}-erreur")) { (e) } }
            // The error, when there is one, is read with the field (as ui::form's fields do).
            @let described = if error.is_some() { format!("{id}-hint {id}-erreur") } else { format!("{id}-hint") };
            select id=(id) name=(name) multiple size="8" data-filter="Filtrer la liste" aria-describedby=(described) aria-invalid=[error.is_some().then_some("true")] {
                @if !choices.lists.is_empty() {
                    optgroup label="Listes" {
                        @for (t, l) in &choices.lists { option value=(t.code()) selected[chosen.contains(t)] { (l) } }
                    }
                }
                optgroup label="Personnes" {
                    @for (t, l) in &choices.people { option value=(t.code()) selected[chosen.contains(t)] { (l) } }
                }
            }
        }
    }
}

pub fn compose(visitor: &Visitor, c: &Compose<'_>, form: &FormState) -> Markup {
    html! {
        h1 { @if c.draft_id.is_some() { "Brouillon" } @else { "Nouveau message" } }
        @if let Some(s) = c.suspended { div.flash.error role="alert" { (s) " Vous pouvez préparer un brouillon." } }
        @if c.held { p.small { "Ton message sera lu par ton enseignant avant d'être envoyé." } }
        (crate::ui::form::error_summary(form))
        @if c.choices.lists.is_empty() && c.choices.people.is_empty() {
            p.empty { "Les règles de l'école ne vous permettent d'écrire à personne pour le moment." }
        }
        form.compose method="post" action=(c.action) enctype="multipart/form-data" novalidate {
            (csrf_input(visitor))
            @if let Some(id) = c.draft_id { input type="hidden" name="brouillon" value=(id); }
            @if let Some(id) = c.in_reply_to { input type="hidden" name="en_reponse_a" value=(id); }
            (picker("to", "À", "Choisissez une ou plusieurs personnes ou listes (Ctrl ou ⌘ pour en choisir plusieurs).", c.to, c.choices, form))
            details open[!c.cc.is_empty() || !c.bcc.is_empty()] {
                summary { "Copie et copie cachée" }
                (picker("cc", "Copie", "Ces personnes voient qu'elles sont en copie.", c.cc, c.choices, form))
                (picker("bcc", "Copie cachée", "Personne d'autre que vous ne voit ces destinataires.", c.bcc, c.choices, form))
            }
            (crate::ui::form::Field::text("subject", "Objet").required().render(form))
            div.field.has-error[form.errors.contains_key("body")] {
                label for="f-body" { "Message" abbr title="obligatoire" { " *" } }
                p.hint #f-body-hint { "Mise en forme simple : **gras**, *italique*, une ligne commençant par « - » pour une liste." }
                @let body_error = form.errors.get("body");
                @if let Some(e) = body_error { p.error #f-body-erreur { (e) } }
                textarea #f-body name="body" rows="12"
                    aria-describedby=(if body_error.is_some() { "f-body-hint f-body-erreur" } else { "f-body-hint" })
                    aria-invalid=[body_error.is_some().then_some("true")] { (form.value("body")) }
            }
            @if !c.carried.is_empty() {
                fieldset.field {
                    legend { "Pièces jointes" }
                    @for (i, a) in c.carried.iter().enumerate() {
                        div.check {
                            input type="checkbox" id=(format!("f-keep-{i}")) name="garder" value=(a.blob) checked;
                            label for=(format!("f-keep-{i}")) { (a.name) " (" (a.size_text()) ")" }
                        }
                    }
                }
            }
            div.field.has-error[form.errors.contains_key("files")] {
                label for="f-files" { "Ajouter des pièces jointes" }
                p.hint { "Images, sons, vidéos, PDF, documents ; " (crate::attachments::size_text(crate::attachments::FILE_LIMIT)) " par fichier au plus." }
                @if let Some(e) = form.errors.get("files") { p.error { (e) } }
                input #f-files type="file" name="files" multiple;
            }
            @if let Some(p) = &c.picker { (p) }
            div.actions {
                button.primary type="submit" name="action" value="envoyer" { "Envoyer" }
                button type="submit" name="action" value="brouillon" { "Enregistrer le brouillon" }
            }
        }
    }
}

/// The teacher's moderation page: classes to hold, messages waiting.
pub fn moderation(
    visitor: &Visitor,
    people: &People,
    classes: &[(u64, String, bool)],
    waiting: &[Message],
) -> Markup {
    html! {
        h1 { "Messages d'élèves à valider" }
        section.panel {
            h2 { "Validation avant envoi" }
            p { "Dans une classe en validation, les messages des élèves n'arrivent à personne avant votre accord." }
            form method="post" action="/messagerie/moderation/classes" {
                (csrf_input(visitor))
                @for (id, label, on) in classes {
                    div.check {
                        input type="checkbox" id=(format!("f-mod-{id}")) name="classe" value=(id) checked[*on];
                        label for=(format!("f-mod-{id}")) { "Valider les messages des élèves de " (label) }
                    }
                }
                input type="hidden" name="vues" value=(classes.iter().map(|(id, _, _)| id.to_string()).collect::<Vec<_>>().join(","));
                button type="submit" { "Enregistrer" }
            }
        }
        @if waiting.is_empty() { p.empty { "Aucun message en attente." } }
        @for m in waiting {
            article.message.panel {
                header {
                    p { strong { (people.user(m.author).map(|u| u.display_name()).unwrap_or_default()) } " — " (dates::long_datetime(m.date())) }
                    p.small { "À : " (names(people, &m.to)) @if !m.cc.is_empty() { " ; copie : " (names(people, &m.cc)) } @if !m.bcc.is_empty() { " ; copie cachée : " (names(people, &m.bcc)) } }
                }
                h2 { (m.subject) }
                div.richtext { (richtext::render(&m.body)) }
                @if !m.attachments.is_empty() {
                    ul.attachments {
                        @for (i, a) in m.attachments.iter().enumerate() {
                            li { a href=(format!("/messagerie/{}/pieces/{i}", m.id)) { (a.name) } }
                        }
                    }
                }
                form method="post" action=(format!("/messagerie/moderation/{}", m.id)) {
                    (csrf_input(visitor))
                    div.field {
                        label for=(format!("f-note-{}", m.id)) { "Un mot pour l'élève (si vous refusez)" }
                        textarea id=(format!("f-note-{}", m.id)) name="mot" rows="2" maxlength="1000" {}
                    }
                    div.actions {
                        button.primary type="submit" name="action" value="valider" { "Valider et envoyer" }
                        button type="submit" name="action" value="refuser" { "Refuser" }
                    }
                }
            }
        }
    }
}

/// The console page of the communication rules, the switches and the purge.
pub fn communication(visitor: &Visitor, rules: &CommRules, plan: Option<&PurgePlan>) -> Markup {
    let switches = [
        (
            "suspend_pupils",
            "Suspendre la messagerie des élèves",
            rules.suspend_pupils,
        ),
        (
            "suspend_parents",
            "Suspendre la messagerie des parents",
            rules.suspend_parents,
        ),
        (
            "suspend_everyone",
            "Suspendre la messagerie pour tous (la direction garde la parole)",
            rules.suspend_everyone,
        ),
        (
            "whole_school_direction_only",
            "« Toute l'école » réservé à la direction",
            rules.whole_school_direction_only,
        ),
    ];
    html! {
        (crate::ui::heading("Communication", Some("Qui peut écrire à qui dans la messagerie. « Ceux qui les concernent » : les personnes liées par une classe, un groupe ou un enfant (un parent et les enseignants de son enfant, deux élèves d'une même classe).")))
        form method="post" action="/admin/communication" {
            (csrf_input(visitor))
            section.panel {
                h2 { "Interrupteurs d'urgence" }
                @for (name, label, on) in switches {
                    div.check {
                        input type="checkbox" id=(format!("f-{name}")) name=(name) value="1" checked[on];
                        label for=(format!("f-{name}")) { (label) }
                    }
                }
            }
            section.panel {
                h2 { "Règles de communication" }
                div.scroll {
                    table.list.matrix.stack {
                        caption { "Ligne : qui écrit ; colonne : à qui." }
                        thead { tr { th scope="col" { "Qui écrit ↓ / à qui →" } @for to in Circle::ALL { th scope="col" { (to.label()) } } } }
                        tbody {
                            @for from in Circle::ALL {
                                tr {
                                    th scope="row" { (from.label()) }
                                    @for to in Circle::ALL {
                                        td data-label=(format!("à {}", to.label())) {
                                            @let name = format!("r-{}-{}", from.slug(), to.slug());
                                            label.sr for=(name) { (from.label()) " écrivent à " (to.label()) }
                                            select id=(name) name=(name) {
                                                @for r in Reach::ALL { option value=(r.slug()) selected[rules.get(from, to) == r] { (r.label()) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                p.small { "Les règles par défaut : élèves ↔ camarades de classe et enseignants ; parents ↔ enseignants de leurs enfants et direction (pas les autres parents) ; personnels ↔ tous ; périscolaire ↔ personnels et parents des élèves qu'il encadre." }
                div.check {
                    input type="checkbox" id="f-defaults" name="defaults" value="1";
                    label for="f-defaults" { "Revenir aux règles par défaut" }
                }
            }
            section.panel {
                h2 { "Purge de fin d'année" }
                @if let Some(p) = plan {
                    p { "Annoncée : les messages envoyés avant le " (dates::long_date(p.before)) " seront supprimés le " (p.day) "." }
                    div.check {
                        input type="checkbox" id="f-cancel" name="purge_cancel" value="1";
                        label for="f-cancel" { "Annuler la purge" }
                    }
                } @else {
                    p { "Facultatif. Chacun est prévenu dans sa messagerie dès que la purge est programmée." }
                }
                div.field {
                    label for="f-purge-day" { "Date de la purge" }
                    input #f-purge-day type="date" name="purge_day" value=(plan.map(|p| p.day.clone()).unwrap_or_default());
                }
                div.field {
                    label for="f-purge-before" { "Supprimer les messages envoyés avant le" }
                    input #f-purge-before type="date" name="purge_before" value=(plan.map(|p| dates::date_value(p.before)).unwrap_or_default());
                }
            }
            button.primary type="submit" { "Enregistrer" }
        }
    }
}
