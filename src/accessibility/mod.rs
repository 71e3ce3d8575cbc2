//! `/accessibilite`: the accessibility statement the law asks of every public service's
//! site (loi n° 2005-102, article 47; décret n° 2019-768), in the RGAA 4.1 model, filled
//! from the school's record. Every page's footer names the conformity state and links here.
//!
//! The state is « non conforme » until an audit says otherwise: automated checks (axe-core
//! in the browser tests) cover part of the criteria only, and no audit has been made.

use maud::{html, Markup};
use poem::handler;
use poem::web::Data;

use crate::app::App;
use crate::auth::web::Who;
use crate::error::AppResult;
use crate::routing::{Access, Routes};
use crate::school::School;
use crate::ui::dates;

/// What every footer says, as the décret words it.
pub const STATE: &str = "non conforme";

/// The pages the browser tests check with axe-core (WCAG 2.1 A and AA rules) on a phone's
/// screen, as they are named to a reader (`tests/it/browser/`: phone, attendance, canteen).
pub const CHECKED_PAGES: &[&str] = &[
    "l'accueil",
    "le suivi d'un mot du carnet de liaison",
    "la page d'une classe",
    "mon compte",
    "l'appel et les absences (enseignant, famille, direction, registre mensuel)",
    "la cantine et le périscolaire (menus, inscriptions)",
    "la console de la direction (comptes, classes, règles de communication, journal)",
    "l'accueil des plus jeunes (cycle 1 et CP), sur téléphone, tablette et tableau",
    "les textes lus avec « Écouter » (mot, cahier de textes, devoir, exercice, article, message, actualité, menu)",
    "les statistiques d'utilisation",
    "les services d'une classe",
    "l'aide (les guides) et le référent numérique",
    "cette déclaration",
];

pub fn routes() -> Routes {
    Routes::new().get("/accessibilite", statement_page, Access::Public)
}

#[handler]
fn statement_page(Data(app): Data<&App>, Who(who): Who) -> AppResult<Markup> {
    let school = crate::school::get(&app.store)?;
    let since = crate::setup::installed_at(&app.store)?;
    let body = statement(school.as_ref(), since);
    Ok(App::page_of(
        school.as_ref(),
        &who,
        "Déclaration d'accessibilité",
        "",
        body,
    ))
}

/// The statement, for `school` (installed at `since`, microseconds).
pub fn statement(school: Option<&School>, since: Option<i64>) -> Markup {
    // The school's name starts a sentence as it is (« École des Tilleuls s'engage… »).
    let name = school.map(|s| s.name.as_str()).unwrap_or("L'école");
    let postal = school
        .map(|s| {
            [s.address.as_str(), &format!("{} {}", s.postcode, s.commune)]
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    html! {
        section.panel.reading {
            h1 { "Déclaration d'accessibilité" }
            p { (name) " s'engage à rendre son espace numérique de travail accessible, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005." }
            p { "Cette déclaration s'applique à l'espace numérique de travail de l'école (Préau, version " (env!("CARGO_PKG_VERSION")) "), à toutes ses pages." }
            h2 { "État de conformité" }
            p { "L'espace numérique de travail de l'école est " strong { (STATE) } " avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1 : aucun audit de conformité n'a encore été réalisé." }
            h2 { "Résultats des tests" }
            p { "En l'absence d'audit, aucun taux de conformité n'est publié. À chaque version de Préau, des tests automatiques vérifient dans un navigateur (Chromium), sur un écran de téléphone, les règles des niveaux A et AA des WCAG 2.1 que l'outil axe-core sait contrôler, sur les pages suivantes :" }
            ul { @for page in CHECKED_PAGES { li { (page) } } }
            p { "Un contrôle automatique ne couvre qu'une partie des critères du RGAA : d'autres défauts peuvent exister." }
            h2 { "Contenus non accessibles" }
            ul {
                li { "Les documents, images, sons et vidéos déposés par les utilisateurs (pièces jointes, médiathèque, blogs) n'ont pas toujours de texte de remplacement, de transcription ni de sous-titres : leur accessibilité dépend de la personne qui les dépose." }
                li { "Les pages non citées ci-dessus n'ont pas été vérifiées automatiquement." }
            }
            h2 { "Établissement de cette déclaration" }
            p {
                @if let Some(at) = since { "Cette déclaration a été établie le " (dates::long_date(at)) ", à l'installation de l'espace numérique de travail, et elle est mise à jour avec chaque version de Préau." }
                @else { "Cette déclaration est établie à l'installation de l'espace numérique de travail et mise à jour avec chaque version de Préau." }
            }
            p { "Technologies utilisées : HTML et CSS ; JavaScript seulement pour des aides facultatives (« Écouter », l'enregistrement d'un son, les filtres des longues listes) : chaque page et chaque formulaire fonctionnent sans." }
            h2 { "Retour d'information et contact" }
            p {
                "Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez la direction de l'école pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme : "
                (name) @if !postal.is_empty() { ", " (postal) } ", ou par la messagerie de l'espace numérique de travail."
            }
            h2 { "Voies de recours" }
            p { "Si vous avez signalé à l'école un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un service et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez :" }
            ul {
                li { "écrire un message au Défenseur des droits (formulaire en ligne sur defenseurdesdroits.fr) ;" }
                li { "contacter le délégué du Défenseur des droits dans votre région ;" }
                li { "envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07." }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_names_the_school_its_state_and_the_recourse() {
        let school = School {
            name: "École des Tilleuls".into(),
            uai: "0350001L".into(),
            address: "2 rue des Écoles".into(),
            postcode: "35000".into(),
            commune: "Rennes".into(),
            academie: "Rennes".into(),
            zone: crate::school::Zone::B,
            services: vec![],
        };
        let html = statement(Some(&school), Some(1_788_000_000_000_000)).into_string();
        for expected in [
            "École des Tilleuls",
            "2 rue des Écoles, 35000 Rennes",
            "<strong>non conforme</strong>",
            "RGAA), version 4.1",
            "Défenseur des droits, Libre réponse 71120",
            "établie le",
        ] {
            assert!(html.contains(expected), "{expected} missing");
        }
        let bare = statement(None, None).into_string();
        assert!(bare.contains("L'école s'engage") && !bare.contains("établie le"));
    }
}
