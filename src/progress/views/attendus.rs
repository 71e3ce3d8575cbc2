//! `/suivi/attendus`: the attendus one may pick when writing a réussite — the programme's,
//! shipped with Préau, and the school's own, which the teachers add and remove.

use maud::{html, Markup};

use super::super::attendus::{SchoolAttendu, ATTENDUS_VERSION, MAX_TEXT, PROGRAMME};
use super::domains;
use crate::ui::form::{error_summary, select, FormState};

pub fn page(csrf: &Markup, own: &[SchoolAttendu], form: &FormState) -> Markup {
    html! {
        (crate::ui::heading("Les attendus du carnet de suivi", Some("Une liste où piocher en écrivant une réussite : jamais une grille à cocher. Ceux du programme sont fournis ; l'école peut ajouter les siens.")))
        section.panel aria-labelledby="ecole" {
            h2 #ecole { "Les attendus de l'école" }
            @if own.is_empty() {
                p.empty { "L'école n'a pas encore ajouté d'attendu." }
            } @else {
                ul {
                    @for a in own {
                        li {
                            strong { (a.domain.short()) } " : " (a.text) " "
                            form.inline method="post" action="/suivi/attendus/retirer" {
                                (csrf)
                                input type="hidden" name="attendu" value=(a.id);
                                button.link type="submit" { "Retirer " span.sr-only { "l'attendu « " (a.text) " »" } }
                            }
                        }
                    }
                }
            }
            h3 { "Ajouter un attendu" }
            (error_summary(form))
            form method="post" action="/suivi/attendus" novalidate {
                (csrf)
                (select(form, "domaine", "Domaine d'apprentissage", &domains(), true))
                (crate::ui::form::Field::text("texte", "L'attendu").required().render(form))
                p.hint { (MAX_TEXT) " caractères au plus. Les réussites qui le citent gardent leur texte s'il est retiré." }
                button.primary type="submit" { "Ajouter" }
            }
        }
        section.panel aria-labelledby="programme" {
            h2 #programme { "Les attendus du programme" }
            p.hint { "Attendus de fin d'école maternelle (liste « " (ATTENDUS_VERSION) " »)." }
            @for (domain, list) in PROGRAMME {
                h3 { (domain.label()) }
                ul { @for t in *list { li { (t) } } }
            }
        }
        p { a href="/suivi" { "Retour au suivi des apprentissages" } }
    }
}
