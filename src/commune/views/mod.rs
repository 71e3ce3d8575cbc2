//! The pages of the commune's space: pure functions of what the routes gathered (a view
//! never sees the store).

pub mod requests;
pub mod transport;

use maud::{html, Markup};

use super::pages::{Page, USUAL_TITLES};
use super::transport::{Change, Line};
use crate::ui::form::{error_summary, Field, FormState};
use crate::ui::richtext;

/// The home page's block for a family: the changes of their children's buses.
pub fn home_box(changes: &[(Change, String)]) -> Markup {
    html! {
        @if !changes.is_empty() {
            section.panel #transport aria-labelledby="transport-titre" {
                h2 #transport-titre { "Transport scolaire" }
                @for (c, line) in changes {
                    p.notice {
                        strong { (line) } " — " (c.period()) " : " (c.text)
                        " " a href=(format!("/commune/transport/{}", c.line)) { "Voir la ligne" }
                    }
                }
            }
        }
    }
}

/// What `/commune` shows of each part.
pub struct Home<'a> {
    pub commune: &'a str,
    pub pages: &'a [Page],
    pub lines: &'a [Line],
    pub changes: &'a [(Change, String)],
    pub runs: bool,
    pub requests: bool,
    pub files: bool,
    /// Open requests the person sees (to follow, or their own).
    pub open_requests: usize,
}

/// `/commune`.
pub fn home(h: &Home<'_>) -> Markup {
    let lead = format!(
        "Les informations de la mairie de {} pour les familles et l'école.",
        h.commune
    );
    html! {
        (crate::ui::heading("La commune", Some(&lead)))
        @if !h.changes.is_empty() {
            section.panel aria-labelledby="changements" {
                h2 #changements { "Transport : changements en cours" }
                @for (c, line) in h.changes {
                    p.notice { strong { (line) } " — " (c.period()) " : " (c.text) }
                }
            }
        }
        section.panel aria-labelledby="infos" {
            h2 #infos { "Informations de la mairie" }
            @if h.pages.is_empty() {
                p.empty { "La mairie n'a pas encore publié d'informations." }
            } @else {
                ul.cards {
                    @for p in h.pages {
                        li.card { h3 { a href=(format!("/commune/page/{}", p.id)) { (p.title) } } }
                    }
                }
            }
            @if h.runs {
                p { a.button href="/commune/pages/nouvelle" { "Ajouter une page" } }
            }
        }
        section.panel aria-labelledby="transport-lignes" {
            h2 #transport-lignes { "Transport scolaire" }
            @if h.lines.is_empty() {
                p.empty { "Aucune ligne de car n'est indiquée." }
            } @else {
                ul.cards {
                    @for l in h.lines {
                        li.card {
                            h3 { a href=(format!("/commune/transport/{}", l.id)) { (l.name) } }
                            @for t in &l.trips {
                                p.small { (t.direction.label()) " — " (t.days_text()) }
                            }
                        }
                    }
                }
            }
            @if h.runs {
                p { a.button href="/commune/transport/nouvelle" { "Ajouter une ligne" } }
            }
        }
        @if h.requests {
            section.panel aria-labelledby="demandes" {
                h2 #demandes { "Demandes à la mairie" }
                p {
                    @if h.open_requests == 0 { "Aucune demande en attente." }
                    @else if h.open_requests == 1 { "1 demande en attente." }
                    @else { (h.open_requests) " demandes en attente." }
                }
                p {
                    a href="/commune/demandes" { "Voir les demandes" }
                    @if h.files { " · " a href="/commune/demandes/nouvelle" { "Faire une demande" } }
                }
            }
        }
    }
}

/// A page of the mairie, to read.
pub fn page(p: &Page, runs: bool, csrf: &Markup) -> Markup {
    html! {
        (crate::ui::heading(&p.title, None))
        nav aria-label="Commune" { a href="/commune" { "Toutes les informations de la commune" } }
        section.panel { div.richtext { (richtext::render(&p.body)) } }
        @if runs {
            p {
                a.button href=(format!("/commune/pages/{}", p.id)) { "Modifier la page" }
            }
            form.inline method="post" action=(format!("/commune/pages/{}/supprimer", p.id)) {
                (csrf)
                button.danger type="submit" { "Supprimer la page" }
            }
        }
    }
}

/// The form of a page (new when `id` is None).
pub fn page_form(csrf: &Markup, id: Option<u64>, form: &FormState) -> Markup {
    let (title, action) = match id {
        Some(id) => ("Modifier la page", format!("/commune/pages/{id}")),
        None => ("Ajouter une page", "/commune/pages/nouvelle".to_string()),
    };
    let text_error = form.errors.get("texte");
    html! {
        (crate::ui::heading(title, Some("Le texte s'écrit simplement : une ligne vide entre deux paragraphes, **gras**, une liste avec des tirets, un lien [texte](https://…).")))
        section.panel {
            (error_summary(form))
            form method="post" action=(action) novalidate {
                (csrf)
                div class=(if form.errors.contains_key("titre") { "field has-error" } else { "field" }) {
                    label for="f-titre" { "Titre " abbr title="obligatoire" { "*" } }
                    p.hint #f-titre-aide { "Par exemple : " (USUAL_TITLES.join(", ")) "." }
                    @if let Some(e) = form.errors.get("titre") { p.error #f-titre-erreur { (e) } }
                    input #f-titre name="titre" type="text" value=(form.value("titre")) list="titres-habituels" required aria-describedby="f-titre-aide";
                    datalist #titres-habituels { @for t in USUAL_TITLES { option value=(t) {} } }
                }
                div class=(if text_error.is_some() { "field has-error" } else { "field" }) {
                    label for="f-texte" { "Texte " abbr title="obligatoire" { "*" } }
                    @if let Some(e) = text_error { p.error #f-texte-erreur { (e) } }
                    textarea #f-texte name="texte" rows="14" required aria-invalid=[text_error.map(|_| "true")] { (form.value("texte")) }
                }
                (Field::text("rang", "Place dans la liste").kind("number").hint("1 pour la première page.").render(form))
                button.primary type="submit" { "Enregistrer" }
                " "
                a href="/commune" { "Annuler" }
            }
        }
    }
}
