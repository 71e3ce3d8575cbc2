//! « Ajouter à la classe / au groupe »: a search among the people who may be added (a GET
//! form, no script needed), then a select of the first ones found and the button that adds
//! (POST, with the CSRF field). A school of 4 000 accounts no longer sends 4 000 options.

use maud::{html, Markup};

use crate::auth::visitor::Visitor;
use crate::directory::roster::Candidates;
use crate::ui::csrf_input;
use crate::ui::form::{select, FormState};

/// Options shown at most; a longer list asks for a name.
pub const SHOWN: usize = crate::ui::pager::PER_PAGE;

pub struct Picker<'a> {
    /// The page itself, which the search reloads with `?personne=`.
    pub page_path: &'a str,
    pub add_action: &'a str,
    /// « Ajouter au groupe ».
    pub label: &'a str,
    pub query: &'a str,
    pub candidates: &'a Candidates,
}

pub fn person_picker(visitor: &Visitor, p: &Picker<'_>) -> Markup {
    let c = p.candidates;
    let more = c.matching > c.options.len();
    html! {
        @if more || !p.query.is_empty() {
            form.inline method="get" action=(p.page_path) role="search" {
                div.field {
                    label for="personne" { "Chercher une personne à ajouter (nom ou identifiant)" }
                    input #personne type="search" name="personne" value=(p.query);
                }
                button type="submit" { "Chercher" }
            }
            @if more {
                p.small { (c.matching) " personnes correspondent : les " (c.options.len()) " premières sont proposées. Précisez le nom pour trouver les autres." }
            }
        }
        @if c.options.is_empty() {
            @if !p.query.is_empty() { p.empty { "Personne à ajouter ne correspond à « " (p.query) " »." } }
        } @else {
            form.inline method="post" action=(p.add_action) {
                (csrf_input(visitor))
                (select(&FormState::new(), "user_id", p.label, &c.options, true))
                button type="submit" { "Ajouter" }
            }
        }
    }
}
