//! Requests to the mairie: their list, the form that files one (with photos), a request
//! with its photos, its history, the comment form and, for the mairie, its next state.

use maud::{html, Markup};

use super::super::requests::{Category, Request, State};
use crate::ui::dates;
use crate::ui::form::{error_summary, select, FormState};

/// A request as the list shows it.
pub struct Listed<'a> {
    pub request: &'a Request,
    pub author: String,
}

/// `/commune/demandes`.
pub fn list(items: &[Listed<'_>], files: bool, runs: bool) -> Markup {
    let lead = if runs {
        "Les demandes de l'école : changez leur état et répondez ; leur auteur est prévenu."
    } else {
        "Vos demandes à la mairie et leur suivi."
    };
    html! {
        (crate::ui::heading("Demandes à la mairie", Some(lead)))
        @if files { p { a.button.primary href="/commune/demandes/nouvelle" { "Faire une demande" } } }
        @if items.is_empty() {
            p.empty { "Aucune demande." }
        } @else {
            table.list.stack {
                thead { tr { th scope="col" { "Demande" } th scope="col" { "Genre" } th scope="col" { "De" } th scope="col" { "Le" } th scope="col" { "État" } } }
                tbody {
                    @for i in items {
                        tr {
                            td data-label="Demande" { a href=(format!("/commune/demandes/{}", i.request.id)) { (i.request.title) } }
                            td data-label="Genre" { (i.request.category.label()) }
                            td data-label="De" { (i.author) }
                            td data-label="Le" { (dates::short_datetime(i.request.at)) }
                            td data-label="État" { strong { (i.request.state.label()) } }
                        }
                    }
                }
            }
        }
        p { a href="/commune" { "Retour à l'espace de la commune" } }
    }
}

fn categories() -> Vec<(String, String)> {
    std::iter::once((String::new(), "—".to_string()))
        .chain(
            Category::ALL
                .iter()
                .map(|c| (c.slug().to_string(), c.label().to_string())),
        )
        .collect()
}

/// `/commune/demandes/nouvelle` (a multipart form: its token in the action).
pub fn new_form(csrf_token: &str, form: &FormState) -> Markup {
    let action = format!(
        "/commune/demandes/nouvelle?{}={csrf_token}",
        crate::auth::csrf::FIELD
    );
    let text_error = form.errors.get("texte");
    let photo_error = form.errors.get("photos");
    html! {
        (crate::ui::heading("Faire une demande à la mairie", Some("Travaux, chauffage, informatique, ménage ou achat : la mairie la reçoit tout de suite et vous dit où elle en est.")))
        section.panel {
            (error_summary(form))
            form method="post" action=(action) enctype="multipart/form-data" novalidate {
                (select(form, "categorie", "Genre de demande", &categories(), true))
                (crate::ui::form::Field::text("titre", "Objet").required().hint("Par exemple : « Radiateur froid dans la classe des CP ».").render(form))
                div class=(if text_error.is_some() { "field has-error" } else { "field" }) {
                    label for="f-texte" { "Description " abbr title="obligatoire" { "*" } }
                    @if let Some(e) = text_error { p.error { (e) } }
                    textarea #f-texte name="texte" rows="6" required aria-invalid=[text_error.map(|_| "true")] { (form.value("texte")) }
                }
                div class=(if photo_error.is_some() { "field has-error" } else { "field" }) {
                    label for="f-photos" { "Photos (facultatives)" }
                    p.hint #f-photos-aide { "Jusqu'à 6 photos. Elles sont réduites et débarrassées de leurs informations (lieu, appareil) avant d'être envoyées." }
                    @if let Some(e) = photo_error { p.error { (e) } }
                    input #f-photos type="file" name="photos" accept="image/*" multiple aria-describedby="f-photos-aide";
                }
                button.primary type="submit" { "Envoyer la demande" }
                " "
                a href="/commune/demandes" { "Annuler" }
            }
        }
    }
}

/// A request's page.
pub struct Shown<'a> {
    pub request: &'a Request,
    pub author: String,
    /// Each step with its author's name.
    pub steps: Vec<(String, &'a super::super::requests::Step)>,
    pub runs: bool,
}

pub fn show(csrf: &Markup, s: &Shown<'_>, form: &FormState) -> Markup {
    let r = s.request;
    let states: Vec<(String, String)> = State::ALL
        .iter()
        .map(|st| (st.slug().to_string(), st.label().to_string()))
        .collect();
    let state_form = FormState::with_values([("etat", r.state.slug().to_string())]);
    let comment_error = form.errors.get("commentaire");
    html! {
        (crate::ui::heading(&r.title, None))
        p { (r.category.label()) " — demandé par " (s.author) " le " (dates::long_datetime(r.at)) }
        p { "État : " strong { (r.state.label()) } }
        section.panel {
            div.richtext { (crate::ui::richtext::render(&r.text)) }
            @if !r.photos.is_empty() {
                ul.cards {
                    @for n in 0..r.photos.len() {
                        li.card {
                            a href=(format!("/commune/demandes/{}/photo/{n}", r.id)) {
                                img src=(format!("/commune/demandes/{}/photo/{n}", r.id)) alt=(format!("Photo {} jointe à la demande", n + 1)) loading="lazy" width="240";
                            }
                        }
                    }
                }
            }
        }
        section.panel aria-labelledby="suivi" {
            h2 #suivi { "Suivi" }
            ol {
                li { (dates::short_datetime(r.at)) " — reçue (" (s.author) ")" }
                @for (who, step) in &s.steps {
                    li {
                        (dates::short_datetime(step.at)) " — "
                        @if let Some(st) = step.state { strong { (st.label()) } " " }
                        "(" (who) ")"
                        @if !step.comment.is_empty() { " : « " (step.comment) " »" }
                    }
                }
            }
        }
        section.panel aria-labelledby="repondre" {
            h2 #repondre { @if s.runs { "Changer l'état, répondre" } @else { "Ajouter un commentaire" } }
            (error_summary(form))
            form method="post" action=(format!("/commune/demandes/{}/commentaire", r.id)) novalidate {
                (csrf)
                @if s.runs { (select(&state_form, "etat", "État de la demande", &states, true)) }
                div class=(if comment_error.is_some() { "field has-error" } else { "field" }) {
                    label for="f-commentaire" { "Commentaire" @if s.runs { " (facultatif)" } }
                    @if let Some(e) = comment_error { p.error { (e) } }
                    textarea #f-commentaire name="commentaire" rows="3" aria-invalid=[comment_error.map(|_| "true")] { (form.value("commentaire")) }
                }
                button.primary type="submit" { "Enregistrer et prévenir" }
            }
        }
        p { a href="/commune/demandes" { "Toutes les demandes" } }
    }
}
