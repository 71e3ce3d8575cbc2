//! The console's frame: the sub-menu of the director's pages above each of them.

use maud::{html, Markup};

/// `body` under the console's sub-menu, `current` marking its tab.
pub fn console_frame(current: &str, body: Markup) -> Markup {
    let tabs = [
        ("/admin", "Vue d'ensemble"),
        ("/admin/ecole", "École"),
        ("/admin/classes", "Classes"),
        ("/admin/comptes", "Comptes"),
        ("/admin/groupes", "Groupes"),
        ("/admin/rentree", "Rentrée"),
        ("/admin/memoire", "Mémoire de l'année"),
        ("/admin/services", "Services"),
        ("/admin/acces-maison", "Accès depuis la maison"),
        ("/admin/absences", "Absences"),
        ("/admin/calendrier", "Calendrier"),
        ("/admin/communication", "Communication"),
        ("/admin/signalements", "Signalements"),
        ("/admin/mediatheque", "Médiathèque"),
        ("/admin/autorisations-photo", "Autorisations photo"),
        ("/admin/charte", "Charte"),
        ("/admin/aide", "Aide"),
        ("/admin/mes-donnees", "Mes données"),
        ("/admin/courriel", "Courriels"),
        ("/admin/journal", "Journaux"),
        ("/admin/statistiques", "Statistiques"),
        ("/admin/supervision", "Supervision"),
    ];
    let links = html! {
        @for (href, label) in tabs {
            li {
                @if href == current { a href=(href) aria-current="page" { (label) } }
                @else { a href=(href) { (label) } }
            }
        }
    };
    let here = tabs.iter().find(|(href, _)| *href == current).map(|t| t.1);
    // On a phone the fifteen tabs fold into one line, as the main menu does (ui/mod.rs).
    html! {
        nav.subnav aria-label="Administration" {
            ul.menu-wide { (links) }
            details.menu-narrow {
                summary { "Rubriques" @if let Some(h) = here { span.current { " · " (h) } } }
                ul { (links) }
            }
        }
        (body)
    }
}
