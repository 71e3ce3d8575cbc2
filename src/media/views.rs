//! Pages of the médiathèque.

use maud::{html, Markup};

use super::{Item, Kind, Space};
use crate::attachments::size_text;
use crate::auth::visitor::Visitor;
use crate::ui::{csrf_input, dates};

pub fn usage_bar(used: u64, quota: u64) -> Markup {
    let pct = used
        .saturating_mul(100)
        .checked_div(quota)
        .unwrap_or(100)
        .min(100);
    html! {
        div.usage {
            label for="usage" { "Place utilisée : " (size_text(used)) " sur " (size_text(quota)) }
            meter #usage min="0" max=(quota) value=(used) high=(quota * 9 / 10) { (pct) " %" }
        }
    }
}

pub fn breadcrumb(space_label: &str, space_slug: &str, path: &[Item]) -> Markup {
    html! {
        nav.breadcrumb aria-label="Emplacement" {
            ol {
                li { a href="/mediatheque" { "Médiathèque" } }
                li { a href=(format!("/mediatheque/espace/{space_slug}")) { (space_label) } }
                @for f in path {
                    li { a href=(format!("/mediatheque/espace/{space_slug}?dossier={}", f.id)) { (f.name) } }
                }
            }
        }
    }
}

/// A sign for the kind of item, from characters every system font has.
fn icon(kind: Kind) -> &'static str {
    match kind {
        Kind::Folder => "▸",
        Kind::Image => "▣",
        Kind::Audio => "♪",
        Kind::Video => "▶",
        Kind::Document => "≡",
        Kind::Link => "↗",
    }
}

/// The items of a folder or a search, as a table.
pub fn items(
    list: &[Item],
    space_slug: impl Fn(&Item) -> String,
    show_place: Option<&dyn Fn(&Item) -> String>,
) -> Markup {
    html! {
        @if list.is_empty() { p.empty { "Rien ici pour le moment." } } @else {
            table.list.media {
                thead { tr {
                    th scope="col" { span.sr { "Aperçu" } }
                    th scope="col" { "Nom" }
                    th scope="col" { "Type" }
                    th scope="col" { "Taille" }
                    th scope="col" { "Modifié le" }
                    @if show_place.is_some() { th scope="col" { "Où" } }
                } }
                tbody {
                    @for i in list {
                        tr {
                            td.thumb {
                                @if i.kind() == Kind::Image {
                                    img src=(format!("/mediatheque/fichier/{}?version=vignette", i.id)) alt="" width="64" height="64" loading="lazy";
                                } @else { span aria-hidden="true" { (icon(i.kind())) } }
                            }
                            td {
                                @if i.is_folder() {
                                    a href=(format!("/mediatheque/espace/{}?dossier={}", space_slug(i), i.id)) { (i.name) }
                                } @else {
                                    a href=(format!("/mediatheque/element/{}", i.id)) { (i.name) }
                                }
                            }
                            td { (i.kind().label()) }
                            td { @if let Some(f) = i.file() { (size_text(f.size)) } }
                            td { (dates::short_datetime(i.updated_at)) }
                            @if let Some(place) = show_place { td { (place(i)) } }
                        }
                    }
                }
            }
        }
    }
}

/// Forms to add to a folder: files (and sound recording), a folder, a link.
pub fn add_forms(visitor: &Visitor, slug: &str, folder: Option<u64>, limit: u64) -> Markup {
    let q = folder.map(|f| format!("dossier={f}&")).unwrap_or_default();
    let upload = format!(
        "/mediatheque/espace/{slug}/envoyer?{q}{}={}",
        crate::auth::csrf::FIELD,
        visitor.csrf
    );
    html! {
        section.panel {
            h2 { "Ajouter" }
            form method="post" action=(upload) enctype="multipart/form-data" {
                (csrf_input(visitor))
                div.field {
                    label for="f-files" { "Fichiers" }
                    p.hint { "Images, sons, vidéos, PDF, documents ; " (size_text(limit)) " par fichier au plus. Les photos sont aussi enregistrées en taille réduite pour l'affichage." }
                    input #f-files type="file" name="files" multiple;
                }
                button.primary type="submit" { "Envoyer" }
            }
            div.recorder hidden data-upload=(upload) {
                h3 { "S'enregistrer" }
                p.hint { "Pour lire à voix haute, réciter une poésie, dire une consigne." }
                div.actions {
                    button type="button" data-rec="start" { "● Enregistrer" }
                    button type="button" data-rec="stop" disabled { "■ Arrêter" }
                    button.primary type="button" data-rec="save" disabled { "Garder l'enregistrement" }
                }
                p.rec-status role="status" {}
                audio controls hidden {}
            }
            form.recorder-fallback method="post" action=(upload) enctype="multipart/form-data" {
                (csrf_input(visitor))
                div.field {
                    label for="f-sound" { "Ou enregistrer un son avec l'appareil" }
                    input #f-sound type="file" name="files" accept="audio/*" capture="user";
                }
                button type="submit" { "Envoyer le son" }
            }
            details {
                summary { "Nouveau dossier" }
                form method="post" action=(format!("/mediatheque/espace/{slug}/dossier")) {
                    (csrf_input(visitor))
                    @if let Some(f) = folder { input type="hidden" name="dossier" value=(f); }
                    div.field { label for="f-folder" { "Nom du dossier" } input #f-folder type="text" name="name" maxlength="120" required; }
                    button type="submit" { "Créer le dossier" }
                }
            }
            details {
                summary { "Ajouter un lien" }
                form method="post" action=(format!("/mediatheque/espace/{slug}/lien")) {
                    (csrf_input(visitor))
                    @if let Some(f) = folder { input type="hidden" name="dossier" value=(f); }
                    div.field { label for="f-link-title" { "Titre" } input #f-link-title type="text" name="title" maxlength="120" required; }
                    div.field { label for="f-link-url" { "Adresse (https://…)" } input #f-link-url type="url" name="url" required; }
                    button type="submit" { "Ajouter le lien" }
                }
            }
        }
    }
}

pub fn space_label(
    space: Space,
    me: u64,
    class: impl Fn(u64) -> String,
    group: impl Fn(u64) -> String,
) -> String {
    match space {
        Space::Personal(u) if u == me => "Mon espace".into(),
        Space::Personal(_) => "Espace personnel".into(),
        Space::Class(c) => format!("Classe {}", class(c)),
        Space::Staff => "Salle des maîtres".into(),
        Space::Group(g) => format!("Groupe {}", group(g)),
    }
}
