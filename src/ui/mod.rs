//! The UI kit: page layout, navigation, flash messages, form components, dates in French.
//! Views are plain functions returning maud `Markup`; they never read the store.

pub mod assets;
pub mod comfort;
pub mod console;
pub mod dates;
pub mod errors;
pub mod form;
pub mod headers;
pub mod input;
pub mod listen;
pub mod pager;
pub mod print;
pub mod recorder;
pub mod rendered;
pub mod richtext;
pub mod search;
pub mod text;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::auth::visitor::FlashKind;
use crate::auth::visitor::Visitor;
use crate::policy::Profile;
use crate::school::{School, Service};
use crate::ui::text::text;

/// What the layout needs to know about the page being rendered.
pub struct Frame<'a> {
    pub school: Option<&'a School>,
    pub visitor: &'a Visitor,
    pub title: &'a str,
    /// Path of the current section, to mark it in the menu.
    pub section: &'a str,
}

struct NavItem {
    href: &'static str,
    label: &'static str,
}

/// The services a profile uses most: first in the menu, so that the phone's menu opens on
/// them. The others follow in the school's order.
fn main_services(profile: Profile) -> &'static [Service] {
    use Service::*;
    match profile {
        Profile::Responsable => &[Carnet, CahierDeTextes, Messagerie, Actualites],
        Profile::Eleve => &[CahierDeTextes, Devoirs, Exercices, Classeur],
        Profile::Enseignant => &[CahierDeTextes, Carnet, Messagerie, Actualites],
        _ => &[Messagerie, Actualites, Agenda, Mediatheque],
    }
}

fn nav_items(frame: &Frame<'_>) -> Vec<NavItem> {
    let Some(me) = &frame.visitor.signed_in else {
        return Vec::new();
    };
    let mut items = vec![NavItem {
        href: "/accueil",
        label: "Accueil",
    }];
    if crate::policy::may(&me.actor, crate::policy::Action::OpenConsole) {
        items.push(NavItem {
            href: "/admin",
            label: "Administration",
        });
    }
    if let Some(school) = frame.school {
        let mut on = school.menu_services();
        on.retain(|s| s.concerns(me.user.profile) && !frame.visitor.closed_services.contains(s));
        let main = main_services(me.user.profile);
        let first = main.iter().filter(|s| on.contains(s));
        let rest = on.iter().filter(|s| !main.contains(s));
        for s in first.chain(rest) {
            items.push(NavItem {
                href: s.path(),
                label: s.label(),
            });
        }
    }
    items
}

/// Whether the menu entry `href` is the section of the page (or the section is under it,
/// as the console's tabs are under « Administration »).
fn is_current(href: &str, section: &str) -> bool {
    section == href
        || (href != "/"
            && section
                .strip_prefix(href)
                .is_some_and(|rest| rest.starts_with('/')))
}

/// The menu: a row of links on a wide screen; on a phone (the style sheet chooses), one
/// « Menu » line that opens without JavaScript (`<details>`), the main services on top.
/// Only one of the two lists is displayed, so assistive technologies meet one.
fn menu(frame: &Frame<'_>, items: &[NavItem]) -> Markup {
    let links = html! {
        @for item in items {
            li {
                @if is_current(item.href, frame.section) {
                    a href=(text(item.href)) aria-current="page" { (text(item.label)) }
                } @else {
                    a href=(text(item.href)) { (text(item.label)) }
                }
            }
        }
    };
    let current = items.iter().find(|i| is_current(i.href, frame.section));
    html! {
        nav aria-label="Menu principal" {
            ul.menu-wide { (links) }
            details.menu-narrow {
                summary { "Menu" @if let Some(c) = current { span.current { " · " (c.label) } } }
                ul { (links) }
            }
        }
    }
}

/// The signed-in person's reading comfort as classes of `<html>` (none by default).
fn comfort_classes(visitor: &Visitor) -> Option<String> {
    let classes = visitor.signed_in.as_ref()?.user.reading.classes();
    (!classes.is_empty()).then_some(classes)
}

/// What every page's `<head>` links to, the same on every page: written once.
fn head_links() -> PreEscaped<&'static str> {
    static LINKS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PreEscaped(LINKS.get_or_init(|| {
        html! {
            link rel="stylesheet" href=(assets::url("css/preau.css"));
            link rel="icon" href=(assets::url("img/preau.svg")) type="image/svg+xml";
            // The installable app (`crate::pwa`): Android reads the manifest, iOS the
            // touch icon and the manifest (≥ 16.4).
            link rel="manifest" href="/manifest.webmanifest";
            link rel="apple-touch-icon" href=(assets::url("img/app/apple-touch-icon.png"));
            meta name="theme-color" content=(crate::pwa::THEME_COLOUR);
            script src=(assets::url("js/preau.js")) defer {}
        }
        .into_string()
    }))
}

/// About what the page around a view weighs (head, header, menu, footer), with room to
/// spare: the page is then written into one buffer sized once, instead of one that
/// doubles (and is copied) three or four times on the way.
const SHELL_BYTES: usize = 8 * 1024;

/// Renders nothing; makes room in the buffer being written.
struct Reserve(usize);

impl maud::Render for Reserve {
    fn render_to(&self, buffer: &mut String) {
        buffer.reserve(self.0);
    }
}

/// The page around every view: header with the school's name, menu, messages, footer.
pub fn page(frame: Frame<'_>, body: Markup) -> Markup {
    let school_name = frame.school.map(|s| s.name.as_str()).unwrap_or("Préau");
    let items = nav_items(&frame);
    html! {
        (Reserve(body.0.len() + SHELL_BYTES))
        (DOCTYPE)
        html lang="fr" class=[comfort_classes(frame.visitor)] {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (frame.title) " — " (school_name) }
                (head_links())
            }
            body {
                a.skip href="#contenu" { "Aller au contenu" }
                header.site {
                    div.bar {
                        a.brand href="/" {
                            img src=(assets::url("img/preau.svg")) alt="" width="36" height="36";
                            span { (school_name) }
                        }
                        @if let Some(me) = &frame.visitor.signed_in {
                            div.who {
                                // The youngest pupils do not type queries yet.
                                @if !me.kid_mode { (search_box(frame.section)) }
                                @if let Some(help) = crate::help::link_for(frame.visitor, frame.section) {
                                    a.help href=(help) aria-label="Aide sur cette page" title="Aide sur cette page" { "?" }
                                }
                                (bell(frame.visitor.unread_notifications))
                                a href="/compte" { (me.user.display_name()) }
                                span.role { (me.user.role_label()) }
                                form method="post" action="/deconnexion" {
                                    (csrf_input(frame.visitor))
                                    button.link type="submit" { "Se déconnecter" }
                                }
                            }
                        }
                    }
                    @if !items.is_empty() { (menu(&frame, &items)) }
                }
                main #contenu tabindex="-1" {
                    (flashes(frame.visitor))
                    (body)
                }
                footer.site {
                    p {
                        a href="/aide" { "Aide" } " · "
                        a href="/charte" { "Charte de l'ENT" } " · "
                        a href="/informations" { "Données personnelles" } " · "
                        a href="/accessibilite" { "Accessibilité : " (crate::accessibility::STATE) } " · "
                        a href="/certificat" { "Certificat de l'école" }
                    }
                    p { "Préau " (env!("CARGO_PKG_VERSION")) " — espace numérique de travail de l'école, hébergé dans l'école." }
                }
            }
        }
    }
}

/// The header's search box (not on the results page, which has its own); on a phone, the
/// magnifier alone, leading to the results page.
fn search_box(section: &str) -> Markup {
    if section == "/recherche" {
        return html! {};
    }
    html! {
        form.find role="search" aria-label="Recherche dans toute l'école" method="get" action="/recherche" {
            label.sr-only for="entete-recherche" { "Rechercher dans l'école" }
            input #entete-recherche type="search" name="q" maxlength="200" placeholder="Rechercher";
            button type="submit" aria-label="Rechercher" title="Rechercher" {
                svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false" {
                    path fill="currentColor" d="M10 2a8 8 0 0 1 6.32 12.9l5.39 5.4-1.41 1.41-5.4-5.39A8 8 0 1 1 10 2zm0 2a6 6 0 1 0 0 12 6 6 0 0 0 0-12z" {}
                }
            }
        }
    }
}

/// The notification bell with its unread count, on every page of a signed-in person.
fn bell(unread: u64) -> Markup {
    let label = match unread {
        0 => "Notifications : aucune nouvelle".to_string(),
        1 => "Notifications : 1 non lue".to_string(),
        n => format!("Notifications : {n} non lues"),
    };
    html! {
        a.bell href="/notifications" aria-label=(label) title=(label) {
            svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" focusable="false" {
                path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" {}
            }
            @if unread > 0 { span.count { (if unread > 99 { "99+".to_string() } else { unread.to_string() }) } }
        }
    }
}

/// The one-time messages of the visitor.
pub fn flashes(visitor: &Visitor) -> Markup {
    html! {
        @for f in &visitor.flashes {
            @let class = match f.kind { FlashKind::Success => "flash success", FlashKind::Info => "flash info", FlashKind::Error => "flash error" };
            div class=(class) role=(if f.kind == FlashKind::Error { "alert" } else { "status" }) { (f.text) }
        }
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf_input(visitor: &Visitor) -> Markup {
    html! { input type="hidden" name=(crate::auth::csrf::FIELD) value=(visitor.csrf); }
}

/// A page title with an optional lead paragraph. The title is `#titre`, the page's one
/// h1, so that « Écouter » can read it before the text (`data-ecouter="titre …"`).
pub fn heading(title: &str, lead: Option<&str>) -> Markup {
    html! {
        div.heading {
            h1 #titre { (title) }
            @if let Some(l) = lead { p.lead { (l) } }
        }
    }
}

/// « de Léa », « d'Agathe », « d'Émile »: the preposition before a first name, elided
/// before a vowel as French writes it (a name beginning with « h » keeps « de »: whether
/// its h is silent is not known).
pub fn de(name: &str) -> String {
    let elided = name
        .chars()
        .next()
        .and_then(|c| c.to_lowercase().next())
        .is_some_and(|c| "aàâäeéèêëiîïoôöuùûüyœæ".contains(c));
    if elided {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

#[cfg(test)]
mod elision_tests {
    #[test]
    fn names_beginning_with_a_vowel_take_d_apostrophe() {
        assert_eq!(super::de("Agathe Dupont"), "d'Agathe Dupont");
        assert_eq!(super::de("Émile"), "d'Émile");
        assert_eq!(super::de("Léa"), "de Léa");
        assert_eq!(super::de("Hugo"), "de Hugo");
    }
}
