//! The pages that offer the archive: a panel on the class page (its teachers and the
//! director) and the console's page (any class, or the whole school). Downloads are plain
//! links and a GET form (the year): nothing changes on the server, no token is needed.

use maud::{html, Markup};

use super::SchoolYear;

/// What the archive holds, said where it is offered.
const WHAT_IS_INSIDE: &str = "Un fichier ZIP à garder ou à donner : des pages à ouvrir dans n'importe quel navigateur, sans connexion — le blog de la classe avec ses photos, le cahier de textes de l'année, les fichiers de l'espace de la classe dans la médiathèque.";
const CONSENT: &str = "Le droit à l'image est respecté : une photo ou une vidéo où pourrait figurer un élève sans autorisation photo n'y est pas ; les images sont en taille web, sans leurs données de localisation.";

fn year_select(id: &str, years: &[SchoolYear], chosen: SchoolYear) -> Markup {
    html! {
        div.field {
            label for=(id) { "Année scolaire" }
            select id=(id) name="annee" {
                @for y in years {
                    option value=(y) selected[*y == chosen] { (y) }
                }
            }
        }
    }
}

/// The class page's panel: what the archive holds, the year, the download.
pub fn class_panel(class_id: u64, years: &[SchoolYear], withheld: &[(u64, String)]) -> Markup {
    let chosen = years.first().copied().unwrap_or(SchoolYear(2000));
    html! {
        section.panel aria-labelledby="memoire-titre" {
            h2 #memoire-titre { "Mémoire de l'année" }
            p { (WHAT_IS_INSIDE) }
            p.small { (CONSENT) }
            @if !withheld.is_empty() {
                div.flash.info {
                    p { "Les photos de ces articles restent hors de l'archive, car un élève sans autorisation photo pourrait y figurer. Vérifiez-les : si aucun de ces élèves n'y apparaît, confirmez-le et elles y seront." }
                    ul { @for (id, title) in withheld { li { a href=(format!("/blog/article/{id}/photos")) { "Vérifier les photos de « " (title) " »" } } } }
                }
            }
            form.inline method="get" action=(format!("/classes/{class_id}/memoire")) {
                (year_select("f-memoire-annee", years, chosen))
                button type="submit" { "Télécharger la mémoire de l'année (ZIP)" }
            }
        }
    }
}

/// A class on the console's page.
pub struct ClassRow {
    pub id: u64,
    pub label: String,
    pub levels: String,
}

/// The console's page: the year, the whole school, then each class.
pub fn console(years: &[SchoolYear], chosen: SchoolYear, classes: &[ClassRow]) -> Markup {
    let year = chosen.label();
    html! {
        (crate::ui::heading("Mémoire de l'année", Some("Archiver l'année d'une classe ou de toute l'école, à la rentrée ou à tout moment.")))
        section.panel {
            p { (WHAT_IS_INSIDE) }
            p { (CONSENT) }
            p.small { "Chaque enseignant télécharge aussi celle de sa classe, depuis la page de la classe. Le téléchargement commence tout de suite : l'archive est faite pendant qu'elle arrive." }
            @if years.len() > 1 {
                form.inline method="get" action="/admin/memoire" {
                    (year_select("f-annee", years, chosen))
                    button type="submit" { "Choisir cette année" }
                }
            }
        }
        section.panel {
            h2 { "Toute l'école — " (year) }
            p { "Le blog de l'école, puis chaque classe dans son dossier." }
            p { a.button.primary href=(format!("/admin/memoire/ecole?annee={year}")) { "Télécharger la mémoire de l'école (ZIP)" } }
        }
        section.panel {
            h2 { "Une classe — " (year) }
            @if classes.is_empty() { p.empty { "Aucune classe." } }
            @else {
                ul {
                    @for c in classes {
                        li {
                            a href=(format!("/classes/{}/memoire?annee={year}", c.id)) { "Télécharger la mémoire de " (c.label) " (ZIP)" }
                            " " span.small { (c.levels) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_chosen_is_the_one_every_link_carries() {
        let years = [SchoolYear(2026), SchoolYear(2025)];
        let classes = [ClassRow {
            id: 7,
            label: "CM1-CM2".into(),
            levels: "CM1, CM2".into(),
        }];
        let page = console(&years, SchoolYear(2025), &classes).into_string();
        assert!(page.contains("/admin/memoire/ecole?annee=2025-2026"));
        assert!(page.contains("/classes/7/memoire?annee=2025-2026"));
        assert!(page.contains(r#"<option value="2025-2026" selected>"#));
        let panel = class_panel(7, &years, &[]).into_string();
        assert!(
            panel.contains(r#"action="/classes/7/memoire""#) && panel.contains("droit à l'image")
        );
        assert!(panel.contains(r#"<label for="f-memoire-annee">"#));
    }
}
