//! Pages of the médiathèque: pure functions of what the handlers gathered.

use maud::{html, Markup};

use super::{space_slug, Access, Content, Item, Kind, Level, Space, TRASH_DAYS};
use crate::attachments::size_text;
use crate::auth::visitor::Visitor;
use crate::ui::{csrf_input, dates};

/// `/mediatheque`: the person's place, the search, their spaces.
pub fn home(me: u64, used: u64, quota: u64, spaces: &[(Space, String, Access)]) -> Markup {
    html! {
        (crate::ui::heading("Médiathèque", Some("Vos documents, photos, sons, vidéos et liens, et ceux de vos classes et groupes.")))
        section.panel {
            (usage_bar(used, quota))
            form.inline method="get" action="/mediatheque/recherche" role="search" {
                div.field { label for="f-q" { "Rechercher un fichier" } input #f-q type="search" name="q"; }
                div.field {
                    label for="f-type" { "Type" }
                    select #f-type name="type" { option value="" { "Tous" } @for k in Kind::ALL { option value=(k.slug()) { (k.label()) } } }
                }
                button type="submit" { "Rechercher" }
            }
        }
        section.panel {
            h2 { "Mes espaces" }
            ul.tiles {
                @for (s, l, a) in spaces {
                    li { a.tile href=(format!("/mediatheque/espace/{}", space_slug(*s, me))) { strong { (l) } span { (access_text(*a)) } } }
                }
                li { a.tile href="/mediatheque/partages" { strong { "Partagés avec moi" } span { "les fichiers et dossiers que l'on vous a confiés" } } }
                li { a.tile href="/mediatheque/corbeille" { strong { "Corbeille" } span { "restaurer pendant " (TRASH_DAYS) " jours" } } }
            }
        }
    }
}

/// What a person may do in a space, in words: the owner of a personal space, a class's
/// teacher manage all of it, not merely « lecture et ajout ».
fn access_text(a: Access) -> &'static str {
    match a {
        Access::Manage => "gestion complète",
        Access::Add => "lecture et ajout",
        Access::Read | Access::None => "lecture",
    }
}

/// A folder of a space (or its root).
pub struct FolderPage<'a> {
    pub visitor: &'a Visitor,
    pub space_label: String,
    pub slug: String,
    pub path: Vec<Item>,
    /// Reached through a share only: the way back goes to « Partagés avec moi », not to
    /// the space (which this person does not open).
    pub via_share: bool,
    pub folder: Option<u64>,
    pub list: Vec<Item>,
    /// The forms to add, with the largest file this person may send.
    pub add: Option<u64>,
    /// A class space's setting, for who manages it: (class, pupils contribute).
    pub contribute_toggle: Option<(u64, bool)>,
}

pub fn folder_page(p: &FolderPage<'_>) -> Markup {
    let slug = &p.slug;
    let here = p
        .folder
        .map(|f| format!("dossier={f}&"))
        .unwrap_or_default();
    html! {
        @if p.via_share { (shared_breadcrumb(slug, &p.path)) } @else { (breadcrumb(&p.space_label, slug, &p.path)) }
        h1 { (p.path.last().map(|f| f.name.clone()).unwrap_or_else(|| p.space_label.clone())) }
        p.small {
            "Trier par : "
            a href=(format!("/mediatheque/espace/{slug}?{here}tri=nom")) { "nom" } " · "
            a href=(format!("/mediatheque/espace/{slug}?{here}tri=date")) { "date" } " · "
            a href=(format!("/mediatheque/espace/{slug}?{here}tri=type")) { "type" } " · "
            a href=(format!("/mediatheque/espace/{slug}?{here}tri=taille")) { "taille" }
        }
        section.panel { (items(&p.list, |_| slug.clone(), None)) }
        @if let Some(limit) = p.add { (add_forms(p.visitor, slug, p.folder, limit)) }
        @if let Some((c, on)) = p.contribute_toggle {
            section.panel {
                form method="post" action=(format!("/mediatheque/espace/classe-{c}/eleves")) {
                    (csrf_input(p.visitor))
                    div.check {
                        input #f-contribute type="checkbox" name="on" value="1" checked[on];
                        label for="f-contribute" { "Les élèves de la classe peuvent ajouter des fichiers (sinon ils les consultent)" }
                    }
                    button type="submit" { "Enregistrer" }
                }
            }
        }
    }
}

/// One item: its preview, what this person may do with it, its shares.
pub struct ItemPage<'a> {
    pub visitor: &'a Visitor,
    pub item: &'a Item,
    pub me: u64,
    /// (space label, space slug, folders) when the person may open the space.
    pub breadcrumb: Option<(String, String, Vec<Item>)>,
    pub owner: String,
    /// Whether this person manages it: rename, move, copy, trash or restore.
    pub manage: bool,
    /// Where it may go (value, label), when managed and not in the trash.
    pub destinations: Vec<(String, String)>,
    /// The shares' grantees (names, in the item's order), when the person may share.
    pub shares: Option<Vec<String>>,
    /// The shares on the folders above it, which reach it too (root first).
    pub inherited: Vec<InheritedShare>,
    /// Whom it may be shared with (value, label).
    pub share_choices: Vec<(String, String)>,
    /// Whether the person may share it « lecture et ajout » (a folder, who manages its
    /// space).
    pub share_contribute: bool,
}

/// A share on a folder above an item: withdrawn on that folder's page.
pub struct InheritedShare {
    pub to: String,
    pub level: Level,
    pub folder: u64,
    pub folder_name: String,
}

pub fn item_page(p: &ItemPage<'_>) -> Markup {
    let item = p.item;
    let id = item.id;
    let visitor = p.visitor;
    let file_url = format!("/mediatheque/fichier/{id}");
    html! {
        @if let Some((l, slug, path)) = &p.breadcrumb { (breadcrumb(l, slug, path)) }
        h1 { (item.name) }
        @if let Some((at, _)) = item.trashed { div.flash.info role="status" { "Dans la corbeille depuis le " (dates::long_datetime(at)) "." } }
        section.panel {
            p.small { (item.kind().label()) " ajouté par " (p.owner) " le " (dates::long_datetime(item.created_at)) @if let Some(f) = item.file() { " — " (size_text(f.size)) } }
            @match &item.content {
                Content::File(_) if item.kind() == Kind::Image => { img.preview src=(file_url.clone()) alt=(item.name); }
                Content::File(_) if item.kind() == Kind::Audio => { audio controls preload="metadata" src=(file_url.clone()) { } }
                Content::File(_) if item.kind() == Kind::Video => { video controls preload="metadata" src=(file_url.clone()) width="640" { } }
                Content::Link { url } => { p { a href=(url) rel="noopener noreferrer nofollow" { (url) } } }
                _ => {}
            }
            @if item.file().is_some() {
                p.actions {
                    a.button href=(format!("{file_url}?telecharger=1")) { "Télécharger" }
                    @if item.owner == p.me && item.kind() == Kind::Image { a.button href=(format!("{file_url}?version=original&telecharger=1")) { "Télécharger l'original" } }
                }
            }
        }
        @if p.manage {
            section.panel {
                h2 { "Modifier" }
                @if item.trashed.is_some() {
                    form method="post" action=(format!("/mediatheque/element/{id}/restaurer")) { (csrf_input(visitor)) button.primary type="submit" { "Restaurer" } }
                } @else {
                    form.inline method="post" action=(format!("/mediatheque/element/{id}/renommer")) {
                        (csrf_input(visitor))
                        div.field { label for="f-name" { "Nom" } input #f-name type="text" name="name" value=(item.name) maxlength="120" required; }
                        button type="submit" { "Renommer" }
                    }
                    form.inline method="post" action=(format!("/mediatheque/element/{id}/deplacer")) {
                        (csrf_input(visitor))
                        div.field {
                            label for="f-dest" { "Vers" }
                            select #f-dest name="destination" { @for (v, l) in &p.destinations { option value=(v) { (l) } } }
                        }
                        button type="submit" name="action" value="deplacer" { "Déplacer" }
                        @if !item.is_folder() { button type="submit" name="action" value="copier" { "Copier" } }
                    }
                    form method="post" action=(format!("/mediatheque/element/{id}/supprimer")) { (csrf_input(visitor)) button.danger type="submit" { "Mettre à la corbeille" } }
                }
            }
        }
        @if let Some(names) = p.shares.as_ref().filter(|_| item.trashed.is_none()) {
            section.panel {
                h2 { "Partage" }
                @if item.shares.is_empty() && p.inherited.is_empty() { p.empty { "Partagé avec personne d'autre que les membres de l'espace." } }
                @if !p.inherited.is_empty() {
                    ul {
                        @for s in &p.inherited {
                            li {
                                "Partagé avec " (s.to) " (" @if s.level == Level::Contribute { "lecture et ajout" } @else { "lecture" } "), par le dossier "
                                a href=(format!("/mediatheque/element/{}", s.folder)) { "« " (s.folder_name) " »" }
                            }
                        }
                    }
                }
                @if !item.shares.is_empty() { ul {
                    @for (n, (s, name)) in item.shares.iter().zip(names).enumerate() {
                        li {
                            (name) " — " @if s.level == Level::Contribute { "peut ajouter" } @else { "lecture" }
                            form.inline method="post" action=(format!("/mediatheque/element/{id}/partage/retirer")) { (csrf_input(visitor)) input type="hidden" name="n" value=(n); button.link type="submit" { "retirer" } }
                        }
                    }
                } }
                @if !p.share_choices.is_empty() {
                    form.inline method="post" action=(format!("/mediatheque/element/{id}/partager")) {
                        (csrf_input(visitor))
                        div.field {
                            label for="f-share" { "Partager avec" }
                            select #f-share name="avec" data-filter="Filtrer" { @for (v, l) in &p.share_choices { option value=(v) { (l) } } }
                        }
                        div.field {
                            label for="f-level" { "Droit" }
                            select #f-level name="droit" { option value="lecture" { "Lecture" } @if p.share_contribute { option value="ajout" { "Lecture et ajout" } } }
                        }
                        button type="submit" { "Partager" }
                    }
                }
            }
        }
    }
}

/// A list of items from several places (search, trash, shares), with a heading.
pub fn list_page(
    title: &str,
    subtitle: Option<&str>,
    list: &[Item],
    me: u64,
    place: &dyn Fn(&Item) -> String,
) -> Markup {
    html! {
        (crate::ui::heading(title, subtitle))
        section.panel { (items(list, |i| space_slug(i.space, me), Some(place))) }
    }
}

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

/// The way back from a folder reached through a share: the shared folders only.
fn shared_breadcrumb(space_slug: &str, path: &[Item]) -> Markup {
    html! {
        nav.breadcrumb aria-label="Emplacement" {
            ol {
                li { a href="/mediatheque" { "Médiathèque" } }
                li { a href="/mediatheque/partages" { "Partagés avec moi" } }
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

/// The items of a folder or a search, as a table. On a phone the CSS lays each row out as
/// a card; the `data-label`s then name the cells, whose header row is out of sight.
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
                            td.name {
                                @if i.is_folder() {
                                    a href=(format!("/mediatheque/espace/{}?dossier={}", space_slug(i), i.id)) { (i.name) }
                                } @else {
                                    a href=(format!("/mediatheque/element/{}", i.id)) { (i.name) }
                                }
                            }
                            td.kind data-label="Type" { (i.kind().label()) }
                            td.size data-label="Taille" { @if let Some(f) = i.file() { (size_text(f.size)) } }
                            td.date data-label="Modifié le" { (dates::short_datetime(i.updated_at)) }
                            @if let Some(place) = show_place { td.place data-label="Où" { (place(i)) } }
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
