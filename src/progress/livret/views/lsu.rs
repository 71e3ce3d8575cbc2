//! `/suivi/livret/lsu`: the director chooses a period and a class and downloads the LSU
//! file, or reads what is missing per pupil.

use maud::{html, Markup};

use super::super::lsu::Missing;
use crate::ui::form::{select, FormState};

/// The choice of the period (its number in the year) and of the class, and, after a
/// refused export, the list of what is missing (no file is offered then).
pub fn export(
    year: &str,
    periods: &[(String, String)],
    classes: &[(String, String)],
    form: &FormState,
    missing: &[Missing],
) -> Markup {
    html! {
        (crate::ui::heading("Export vers le LSU", Some(&format!("Année scolaire {year}"))))
        @if !missing.is_empty() {
            section.panel.error-summary role="alert" aria-labelledby="lsu-manque" {
                h2 id="lsu-manque" { "Le fichier n'est pas créé : il manque" }
                ul {
                    @for m in missing { li { strong { (m.who) } " : " (m.what) } }
                }
                p { "Complétez ces informations (import ONDE, publication des bilans, périodes), puis exportez à nouveau." }
            }
        }
        section.panel {
            p { "Le fichier rassemble les bilans périodiques publiés (et les bilans de fin de cycle publiés avec la période), au format d'import du Livret scolaire unique du premier degré. Importez-le ensuite dans l'application LSU (ONDE › Livret scolaire)." }
            @if periods.is_empty() {
                p { "Aucune période n'est définie cette année. " a href="/suivi/livret/periodes" { "Fixer les périodes" } }
            } @else {
                form method="get" action="/suivi/livret/lsu/fichier" {
                    (select(form, "periode", "Période", periods, true))
                    (select(form, "classe", "Classe", classes, false))
                    button.primary type="submit" { "Télécharger le fichier LSU" }
                }
            }
        }
        p { a href="/suivi" { "Retour au suivi des apprentissages" } }
    }
}
