//! The pages of the suivi des apprentissages: pure views of what the routes gathered.

use maud::{html, Markup};

use super::carnet::Reussite;
use super::reference::{Domain, CYCLE1_DOMAINS};
use crate::ui::dates;
use crate::ui::form::{error_summary, select, FormState};

pub mod attendus;
pub mod carnet;
pub mod kid;
pub mod synthese;

/// A class as the home lists it.
pub struct ClassLink {
    pub id: u64,
    pub label: String,
    pub pupils: usize,
}

/// A child as the home lists it for a family.
pub struct ChildLink {
    pub id: u64,
    pub name: String,
    pub shared: usize,
    /// The synthèse des acquis of GS is shared.
    pub synthese: bool,
    /// Shares the person has not said « J'ai vu » to.
    pub unseen: usize,
}

/// `/suivi`.
pub fn home(classes: &[ClassLink], children: &[ChildLink]) -> Markup {
    html! {
        (crate::ui::heading("Suivi des apprentissages", Some("Le carnet de suivi des apprentissages : les réussites de chaque enfant, en photos, partagées avec les familles.")))
        @if !classes.is_empty() {
            section.panel aria-labelledby="classes" {
                h2 #classes { "Mes classes" }
                ul {
                    @for c in classes {
                        li { a href=(format!("/suivi/classe/{}", c.id)) { (c.label) } " — " (c.pupils) " élèves" }
                    }
                }
                p { a href="/suivi/attendus" { "Les attendus de l'école" } " : ceux du programme et ceux que l'école ajoute, à choisir en écrivant une réussite." }
            }
        }
        @if !children.is_empty() {
            section.panel aria-labelledby="enfants" {
                h2 #enfants { "Le carnet de mes enfants" }
                ul {
                    @for c in children {
                        li {
                            a href=(format!("/suivi/eleve/{}", c.id)) { (c.name) }
                            " — "
                            @match (c.shared, c.synthese) { (0, false) => { "rien de partagé pour l'instant" } (0, true) => {} (1, _) => { "1 réussite partagée" } (n, _) => { (n) " réussites partagées" } }
                            @if c.synthese { @if c.shared > 0 { ", " } "synthèse des acquis partagée" }
                            @if c.unseen > 0 { " " span.badge { "à voir" } }
                        }
                    }
                }
            }
        }
        @if classes.is_empty() && children.is_empty() {
            p.empty { "Aucun carnet à vous montrer pour l'instant." }
        }
    }
}

/// A child of the class, as its page lists them.
pub struct PupilRow {
    pub id: u64,
    pub name: String,
    pub entries: usize,
    pub unshared: usize,
    /// The last share: its day, how many guardians said « J'ai vu », of how many.
    pub last_share: Option<(i64, usize, usize)>,
}

/// `/suivi/classe/:id`.
pub fn class(csrf: &Markup, class_id: u64, label: &str, rows: &[PupilRow]) -> Markup {
    let waiting: usize = rows.iter().map(|r| r.unshared).sum();
    html! {
        (crate::ui::heading(&format!("Carnets de suivi — {label}"), Some("Notez les réussites des enfants, puis partagez-les avec les familles quand vous le décidez.")))
        p { a.button.primary href=(format!("/suivi/classe/{class_id}/reussite")) { "Ajouter une réussite" } }
        @if rows.is_empty() {
            p.empty { "Aucun élève dans cette classe." }
        } @else {
            table.list.stack {
                caption.sr-only { "Les carnets des élèves de la classe" }
                thead { tr { th scope="col" { "Élève" } th scope="col" { "Réussites" } th scope="col" { "Pas encore partagées" } th scope="col" { "Dernier partage" } } }
                tbody {
                    @for r in rows {
                        tr {
                            th scope="row" data-label="Élève" { a href=(format!("/suivi/eleve/{}", r.id)) { (r.name) } }
                            td data-label="Réussites" { (r.entries) }
                            td data-label="Pas encore partagées" { (r.unshared) }
                            td data-label="Dernier partage" {
                                @if let Some((at, seen, of)) = r.last_share {
                                    (dates::short_datetime(at)) " — vu par " (seen) " responsable" @if seen > 1 { "s" } " sur " (of)
                                } @else { "—" }
                            }
                        }
                    }
                }
            }
            section.panel aria-labelledby="partager" {
                h2 #partager { "Partager avec les familles" }
                @if waiting == 0 {
                    p { "Tout ce qui a été noté est déjà partagé." }
                } @else {
                    p { "Les " (waiting) " réussites pas encore partagées deviennent visibles pour les familles de leurs enfants, qui sont prévenues." }
                    form method="post" action=(format!("/suivi/classe/{class_id}/partager")) {
                        (csrf)
                        button.primary type="submit" { "Partager avec les familles de la classe" }
                    }
                }
            }
        }
        p { a href="/suivi" { "Retour au suivi des apprentissages" } }
    }
}

pub(super) fn domains() -> Vec<(String, String)> {
    std::iter::once((String::new(), "—".to_string()))
        .chain(
            CYCLE1_DOMAINS
                .iter()
                .map(|r| (r.slug.to_string(), r.label.to_string())),
        )
        .collect()
}

/// The optional attendu, grouped by domain: never compulsory.
fn attendu_field(form: &FormState, attendus: &[(Domain, Vec<String>)]) -> Markup {
    let error = form.errors.get("attendu");
    let current = form.value("attendu");
    html! {
        div class=(if error.is_some() { "field has-error" } else { "field" }) {
            label for="f-attendu" { "Attendu du programme ou de l'école (facultatif)" }
            p.hint #f-attendu-aide { "Pour relier la réussite à un attendu de fin d'école maternelle ; sans domaine choisi, celui de l'attendu est pris. " a href="/suivi/attendus" { "La liste de l'école" } }
            @if let Some(e) = error { p.error { (e) } }
            select #f-attendu name="attendu" aria-describedby="f-attendu-aide" aria-invalid=[error.map(|_| "true")] {
                option value="" { "— aucun —" }
                @for (domain, list) in attendus {
                    optgroup label=(domain.short()) {
                        @for text in list { option value=(text) selected[text == current] { (text) } }
                    }
                }
            }
        }
    }
}

/// The fields a réussite always has: day, domain, sentence; the attendu to pick if one
/// wishes.
pub(super) fn reussite_fields(form: &FormState, attendus: &[(Domain, Vec<String>)]) -> Markup {
    let sentence_error = form.errors.get("phrase");
    html! {
        (crate::ui::form::Field::text("date", "Jour").kind("date").required().render(form))
        (select(form, "domaine", "Domaine d'apprentissage", &domains(), true))
        (attendu_field(form, attendus))
        div class=(if sentence_error.is_some() { "field has-error" } else { "field" }) {
            label for="f-phrase" { "Ce que l'enfant a réussi " abbr title="obligatoire" { "*" } }
            p.hint #f-phrase-aide { "Une phrase courte, à la première personne, que l'enfant comprend : « Je sais enfiler mes chaussures tout seul »." }
            @if let Some(e) = sentence_error { p.error { (e) } }
            textarea #f-phrase name="phrase" rows="2" maxlength="300" required aria-describedby="f-phrase-aide" aria-invalid=[sentence_error.map(|_| "true")] { (form.value("phrase")) }
        }
    }
}

/// The photo, sound or video field (the tablet's camera or microphone), with what the
/// reader does to it, and the médiathèque's picker when the school has it.
pub(super) fn photo_field(form: &FormState, label: &str, picker: Option<&Markup>) -> Markup {
    let error = form.errors.get("photo");
    html! {
        div class=(if error.is_some() { "field has-error" } else { "field" }) {
            label for="f-photo" { (label) }
            p.hint #f-photo-aide { "Une photo, un son ou une vidéo, pris avec la tablette ou choisi dans ses fichiers. Une photo est réduite et débarrassée de ses informations (lieu, appareil) avant d'être gardée." }
            @if let Some(e) = error { p.error { (e) } }
            input #f-photo type="file" name="photo" accept="image/*,audio/*,video/*" capture="environment" aria-describedby="f-photo-aide";
        }
        @if let Some(p) = picker { (p) }
    }
}

/// A réussite's photo, sound or video, as its type says.
pub(super) fn medium(r: &Reussite, class: &str) -> Markup {
    let Some(a) = &r.photo else {
        return html! {};
    };
    let src = format!("/suivi/reussite/{}/photo", r.id);
    html! {
        @if a.mime.starts_with("audio/") {
            audio class=[(!class.is_empty()).then_some(class)] controls preload="none" src=(src) aria-label=(format!("Son : {}", r.sentence)) {
                a href=(src) { "Écouter le son" }
            }
        } @else if a.mime.starts_with("video/") {
            video class=[(!class.is_empty()).then_some(class)] controls preload="metadata" src=(src) aria-label=(format!("Vidéo : {}", r.sentence)) {
                a href=(src) { "Voir la vidéo" }
            }
        } @else {
            img class=[(!class.is_empty()).then_some(class)] src=(src) alt=(format!("Photo : {}", r.sentence)) loading="lazy";
        }
    }
}

/// `/suivi/classe/:id/reussite`: one réussite for the children ticked.
pub fn new_reussite(
    csrf_token: &str,
    class_id: u64,
    label: &str,
    pupils: &[(u64, String)],
    attendus: &[(Domain, Vec<String>)],
    picker: Option<&Markup>,
    form: &FormState,
) -> Markup {
    let action = format!(
        "/suivi/classe/{class_id}/reussite?{}={csrf_token}",
        crate::auth::csrf::FIELD
    );
    let checked: Vec<String> = form
        .value("eleves")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let options: Vec<(String, String)> = pupils
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    html! {
        (crate::ui::heading("Ajouter une réussite", Some(label)))
        section.panel {
            (error_summary(form))
            @if form.errors.contains_key("photo") || (!form.is_ok() && form.value("photo-envoyee") == "1") {
                p.hint { "Une photo, un son ou une vidéo ne peut pas être gardé d'un envoi à l'autre : choisissez-le de nouveau." }
            }
            form method="post" action=(action) enctype="multipart/form-data" novalidate {
                (photo_field(form, "Photo, son ou vidéo (facultatif)", picker))
                (reussite_fields(form, attendus))
                (crate::ui::form::checkboxes(form, "eleves", "Les enfants qui l'ont réussi (une activité de groupe : cochez-les tous)", &options, &checked))
                button.primary type="submit" { "Enregistrer la réussite" }
                " "
                a href=(format!("/suivi/classe/{class_id}")) { "Annuler" }
            }
        }
    }
}
