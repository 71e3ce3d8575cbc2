//! The school buses: a line's page (its runs, its changes, the riders the person may
//! see, the commune's form for a change), the form of a line, the choice of its riders
//! class by class.

use maud::{html, Markup};

use super::super::transport::{Change, Direction, Line, DAYS, MAX_RUNS};
use crate::slots::clock;
use crate::ui::form::{error_summary, select, Field, FormState};

/// A rider as the line's page shows them: name and class, nothing more.
pub struct Rider {
    pub name: String,
    pub class: String,
}

pub struct LinePage<'a> {
    pub line: &'a Line,
    pub changes: &'a [Change],
    /// The riders the person may see (all for the commune, their own children for a
    /// family, their pupils for a teacher).
    pub riders: Vec<Rider>,
    pub riders_total: usize,
    pub runs: bool,
}

/// `/commune/transport/:id`.
pub fn line(csrf: &Markup, p: &LinePage<'_>, form: &FormState) -> Markup {
    let l = p.line;
    html! {
        (crate::ui::heading(&l.name, None))
        nav aria-label="Commune" { a href="/commune" { "Retour à l'espace de la commune" } }
        @if !l.note.is_empty() { p { (l.note) } }
        @if !p.changes.is_empty() {
            section.panel aria-labelledby="changements" {
                h2 #changements { "Changements exceptionnels" }
                @for c in p.changes {
                    div.notice {
                        p.notice { strong { (c.period()) } " : " (c.text) }
                        @if p.runs {
                            form.inline method="post" action=(format!("/commune/changements/{}/retirer", c.id)) {
                                (csrf)
                                button type="submit" { "Retirer ce changement (prévenir les familles)" }
                            }
                        }
                    }
                }
            }
        }
        @for t in &l.trips {
            section.panel {
                h2 { (t.direction.label()) }
                p { "Les " (t.days_text()) }
                table.list.stack {
                    thead { tr { th scope="col" { "Heure" } th scope="col" { "Arrêt" } } }
                    tbody {
                        @for s in &t.stops {
                            tr { td data-label="Heure" { (clock(s.time)) } td data-label="Arrêt" { (s.place) } }
                        }
                    }
                }
            }
        }
        @if p.runs || !p.riders.is_empty() {
            section.panel aria-labelledby="eleves" {
                h2 #eleves { @if p.runs { "Élèves transportés (" (p.riders_total) ")" } @else { "Élèves transportés que vous suivez" } }
                @if p.riders.is_empty() { p.empty { "Aucun élève n'est inscrit sur cette ligne." } }
                @else {
                    ul { @for r in &p.riders { li { (r.name) " — " (r.class) } } }
                }
                @if p.runs {
                    p {
                        a.button href=(format!("/commune/transport/{}/eleves", l.id)) { "Choisir les élèves" }
                        " "
                        a.button href=(format!("/commune/transport/{}/modifier", l.id)) { "Modifier la ligne" }
                    }
                }
            }
        }
        @if p.runs {
            section.panel aria-labelledby="nouveau-changement" {
                h2 #nouveau-changement { "Signaler un changement exceptionnel" }
                p { "Les familles des élèves de la ligne sont prévenues tout de suite ; le changement reste affiché sur leur page d'accueil jusqu'à son dernier jour." }
                (error_summary(form))
                form method="post" action=(format!("/commune/transport/{}/changement#nouveau-changement", l.id)) novalidate {
                    (csrf)
                    div.row {
                        (Field::text("du", "Premier jour").kind("date").required().render(form))
                        (Field::text("au", "Dernier jour").kind("date").hint("Vide : un seul jour.").render(form))
                    }
                    (Field::text("texte", "Ce qui change").required().hint("Par exemple : « Car supprimé — neige. Les enfants ne sont pas pris en charge. »").render(form))
                    button.primary type="submit" { "Publier et prévenir les familles" }
                }
            }
        }
    }
}

/// The form of a line (new when `id` is None): a name, a note, up to four runs.
pub fn line_form(csrf: &Markup, id: Option<u64>, form: &FormState) -> Markup {
    let (title, action) = match id {
        Some(id) => (
            "Modifier la ligne",
            format!("/commune/transport/{id}/modifier"),
        ),
        None => (
            "Ajouter une ligne",
            "/commune/transport/nouvelle".to_string(),
        ),
    };
    let directions: Vec<(String, String)> = std::iter::once((String::new(), "—".to_string()))
        .chain(
            Direction::ALL
                .iter()
                .map(|d| (d.slug().to_string(), d.label().to_string())),
        )
        .collect();
    let days: Vec<(String, String)> = DAYS
        .iter()
        .enumerate()
        .map(|(i, d)| (i.to_string(), d.to_string()))
        .collect();
    html! {
        (crate::ui::heading(title, Some("Une ligne de car ou une navette du RPI : ses trajets, leurs jours, leurs arrêts et leurs heures.")))
        section.panel {
            (error_summary(form))
            form method="post" action=(action) novalidate {
                (csrf)
                (Field::text("nom", "Nom de la ligne").required().hint("Par exemple : « Ligne 1 — Les Granges » ou « Navette RPI Vernay ↔ Saint-Martin ».").render(form))
                (Field::text("note", "Informations").hint("Le transporteur, qui appeler, où sont affichés les horaires.").render(form))
                @for n in 1..=MAX_RUNS {
                    @let checked: Vec<String> = form.value(&format!("jours{n}")).split(',').filter(|d| !d.is_empty()).map(str::to_string).collect();
                    @let stops_name = format!("arrets{n}");
                    @let stops_error = form.errors.get(&stops_name);
                    fieldset.field {
                        legend { "Trajet " (n) @if n > 1 { " (facultatif)" } }
                        (select(form, &format!("sens{n}"), "Sens", &directions, false))
                        (crate::ui::form::checkboxes(form, &format!("jours{n}"), "Jours", &days, &checked))
                        div class=(if stops_error.is_some() { "field has-error" } else { "field" }) {
                            label for=(format!("f-{stops_name}")) { "Arrêts et heures" }
                            p.hint id=(format!("f-{stops_name}-aide")) { "Un arrêt par ligne, l'heure d'abord : « 08:05 Les Granges, abribus »." }
                            @if let Some(e) = stops_error { p.error { (e) } }
                            textarea id=(format!("f-{stops_name}")) name=(stops_name) rows="5" aria-describedby=(format!("f-{stops_name}-aide")) aria-invalid=[stops_error.map(|_| "true")] { (form.value(&stops_name)) }
                        }
                    }
                }
                button.primary type="submit" { "Enregistrer la ligne" }
                " "
                a href="/commune" { "Annuler" }
            }
            @if let Some(id) = id {
                form.inline method="post" action=(format!("/commune/transport/{id}/supprimer")) {
                    (csrf)
                    button.danger type="submit" { "Supprimer la ligne" }
                }
            }
        }
    }
}

/// A pupil of the chosen class, with whether they ride the line.
pub struct Candidate {
    pub id: u64,
    pub name: String,
    pub rides: bool,
}

/// `/commune/transport/:id/eleves`: a class chosen, its pupils to tick.
pub fn riders_form(
    csrf: &Markup,
    line: &Line,
    classes: &[(String, String)],
    class: Option<u64>,
    pupils: &[Candidate],
) -> Markup {
    let chosen =
        FormState::with_values([("classe", class.map(|c| c.to_string()).unwrap_or_default())]);
    html! {
        (crate::ui::heading(&format!("Élèves de la ligne « {} »", line.name), Some("Choisissez une classe, puis cochez ses élèves qui prennent cette ligne. Vous ne voyez que leur nom et leur classe.")))
        section.panel {
            form method="get" action=(format!("/commune/transport/{}/eleves", line.id)) {
                (select(&chosen, "classe", "Classe", classes, true))
                button type="submit" { "Afficher les élèves" }
            }
        }
        @if let Some(class) = class {
            section.panel {
                @if pupils.is_empty() { p.empty { "Cette classe n'a pas d'élèves." } }
                @else {
                    form method="post" action=(format!("/commune/transport/{}/eleves", line.id)) {
                        (csrf)
                        input type="hidden" name="classe" value=(class);
                        fieldset.field.checks {
                            legend { "Élèves qui prennent la ligne" }
                            div.options {
                                @for p in pupils {
                                    @let id = format!("f-eleve-{}", p.id);
                                    div.check {
                                        input type="checkbox" id=(id) name="eleves" value=(p.id) checked[p.rides];
                                        label for=(id) { (p.name) }
                                    }
                                }
                            }
                        }
                        button.primary type="submit" { "Enregistrer" }
                    }
                }
            }
        }
        p { a href=(format!("/commune/transport/{}", line.id)) { "Retour à la ligne" } }
    }
}
