//! /admin/classes: the list of classes and a class's page.

use maud::{html, Markup};

use crate::auth::visitor::Visitor;
use crate::directory::roster::Candidates;
use crate::directory::views::picker::{person_picker, Picker};
use crate::directory::{Class, Delegation, Level, Membership, User};
use crate::ui::csrf_input;
use crate::ui::form::{checkboxes, error_summary, select, Field, FormState};

/// A line of the list: the class, its teachers' names and its number of pupils.
pub struct ClassRow {
    pub class: Class,
    pub teachers: Vec<String>,
    pub pupils: usize,
}

/// What a class's page shows.
pub struct ClassPage {
    pub class: Class,
    pub members: Vec<(User, Membership)>,
    /// Running delegations with the teacher holding them.
    pub delegations: Vec<(User, Delegation)>,
    /// The search among the people who may be added (`?personne=`), and what it found.
    pub query: String,
    pub candidates: Candidates,
    /// Teachers the class may be given to (value, label).
    pub teachers: Vec<(String, String)>,
}

fn level_options() -> Vec<(String, String)> {
    Level::ALL
        .iter()
        .map(|l| (l.code().to_string(), l.code().to_string()))
        .collect()
}

pub fn class_list(
    visitor: &Visitor,
    rows: &[ClassRow],
    form: &FormState,
    checked: &[String],
) -> Markup {
    html! {
        (crate::ui::heading("Classes", None))
        section.panel {
            @if rows.is_empty() { p.empty { "Aucune classe." } } @else {
                table.list.stack {
                    thead { tr { th scope="col" { "Classe" } th scope="col" { "Niveaux" } th scope="col" { "Enseignants" } th scope="col" { "Élèves" } } }
                    tbody {
                        @for row in rows {
                            tr {
                                td data-label="Classe" { a href=(format!("/admin/classes/{}", row.class.id)) { (row.class.label) } }
                                td data-label="Niveaux" { (row.class.levels_text()) }
                                td data-label="Enseignants" { @if row.teachers.is_empty() { em { "aucun" } } @else { (row.teachers.join(", ")) } }
                                td data-label="Élèves" { (row.pupils) }
                            }
                        }
                    }
                }
            }
        }
        section.panel {
            h2 { "Nouvelle classe" }
            (error_summary(form))
            form method="post" action="/admin/classes" novalidate {
                (csrf_input(visitor))
                (Field::text("label", "Nom de la classe").required().render(form))
                (checkboxes(form, "levels", "Niveaux", &level_options(), checked))
                button.primary type="submit" { "Créer la classe" }
            }
        }
    }
}

/// A class's page; `form` and `checked` are the edition form shown again after an error,
/// or empty to show the class as it is.
pub fn class_detail(
    visitor: &Visitor,
    page: &ClassPage,
    form: &FormState,
    checked: Option<&[String]>,
) -> Markup {
    let class = &page.class;
    let id = class.id;
    let current_levels: Vec<String> = class.levels.iter().map(|l| l.code().to_string()).collect();
    let checked = checked.map(<[String]>::to_vec).unwrap_or(current_levels);
    let form = if form.values.is_empty() {
        FormState::with_values([("label", class.label.clone())])
    } else {
        form.clone()
    };
    html! {
        (crate::ui::heading(&class.label, Some(&class.levels_text())))
        section.panel {
            h2 { "Membres" }
            @if page.members.is_empty() { p.empty { "Personne dans cette classe pour l'instant." } } @else {
                table.list {
                    thead { tr { th scope="col" { "Nom" } th scope="col" { "Rôle" } th scope="col" { span.sr { "Action" } } } }
                    tbody {
                        @for (u, role) in &page.members {
                            tr {
                                td { a href=(format!("/admin/comptes/{}", u.id)) { (u.last_name) " " (u.first_name) } }
                                td { (match role { Membership::Teacher => "Enseignant", Membership::Pupil => "Élève", Membership::Assistant => "ATSEM" }) }
                                td {
                                    form method="post" action=(format!("/admin/classes/{id}/membres/retirer")) {
                                        (csrf_input(visitor))
                                        input type="hidden" name="user_id" value=(u.id);
                                        button.link type="submit" { "Retirer" span.sr { " " (u.display_name()) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (person_picker(visitor, &Picker {
                page_path: &format!("/admin/classes/{id}"),
                add_action: &format!("/admin/classes/{id}/membres"),
                label: "Ajouter à la classe",
                query: &page.query,
                candidates: &page.candidates,
            }))
        }
        section.panel {
            h2 { "Remplacement" }
            p { "Confiez la classe à un enseignant jusqu'à une date : il la voit et la gère comme la sienne, puis l'accès prend fin de lui-même." }
            @if !page.delegations.is_empty() {
                ul {
                    @for (u, d) in &page.delegations {
                        li {
                            (u.display_name()) " jusqu'au " (crate::ui::dates::long_date(d.until - 1))
                            form.inline method="post" action=(format!("/admin/classes/{id}/remplacement/fin")) {
                                (csrf_input(visitor))
                                input type="hidden" name="user_id" value=(u.id);
                                button.link type="submit" { "Arrêter maintenant" }
                            }
                        }
                    }
                }
            }
            @if !page.teachers.is_empty() {
                form.inline method="post" action=(format!("/admin/classes/{id}/remplacement")) {
                    (csrf_input(visitor))
                    (select(&FormState::new(), "user_id", "Enseignant", &page.teachers, true))
                    div.field {
                        label for="f-jusqu" { "Jusqu'au (inclus)" }
                        input #f-jusqu type="date" name="jusqu_au" required;
                    }
                    button type="submit" { "Confier la classe" }
                }
            }
        }
        section.panel {
            h2 { "Modifier la classe" }
            (error_summary(&form))
            form method="post" action=(format!("/admin/classes/{id}")) novalidate {
                (csrf_input(visitor))
                (Field::text("label", "Nom de la classe").required().render(&form))
                (checkboxes(&form, "levels", "Niveaux", &level_options(), &checked))
                button.primary type="submit" { "Enregistrer" }
            }
        }
        section.panel.danger {
            h2 { "Supprimer la classe" }
            p { "Possible seulement quand la classe n'a plus de membres." }
            form method="post" action=(format!("/admin/classes/{id}/supprimer")) {
                (csrf_input(visitor))
                button.danger type="submit" data-confirm="Supprimer définitivement cette classe ?" { "Supprimer la classe « " (class.label) " »" }
            }
        }
    }
}
