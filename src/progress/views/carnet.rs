//! A child's carnet de suivi: the réussites (every one for who keeps it, the shared ones
//! for the family), the shares with each guardian's « J'ai vu » and the comments; the
//! form that changes one réussite.

use maud::{html, Markup};

use super::super::carnet::{Reussite, Share};
use super::super::reference::Domain;
use super::{medium, photo_field, reussite_fields};
use crate::ui::dates;
use crate::ui::form::{error_summary, FormState};

/// A share as the page shows it, names resolved.
pub struct ShownShare<'a> {
    pub share: &'a Share,
    pub by: String,
    /// Each guardian with the moment they said « J'ai vu », if they did.
    pub guardians: Vec<(String, Option<i64>)>,
    pub comments: Vec<(String, i64, &'a str)>,
    /// The reader is a guardian who has not said « J'ai vu » yet.
    pub to_acknowledge: bool,
}

pub struct Carnet<'a> {
    pub pupil: u64,
    pub name: String,
    pub class_label: String,
    /// Reading as who keeps the carnet (every entry, changes, sharing).
    pub keeper: bool,
    pub entries: &'a [Reussite],
    pub shares: Vec<ShownShare<'a>>,
    /// The comment refused, with what was typed, and the share it was for.
    pub comment_error: Option<(u64, &'a str, String)>,
    /// The child is in GS, or has a synthèse: the keeper's link to it.
    pub synthese_link: bool,
}

fn entry(r: &Reussite, keeper: bool) -> Markup {
    html! {
        li.card.reussite {
            (medium(r, ""))
            p.sentence { strong { (r.sentence) } }
            p { (dates::calendar_date(r.day)) }
            p.hint { (r.domain.label()) }
            @if let Some(a) = &r.attendu { p.hint { "Attendu : " (a) } }
            @if keeper {
                p {
                    @if r.shared.is_some() { span.badge.ok { "partagée" } } @else { span.badge { "pas encore partagée" } }
                    " "
                    a href=(format!("/suivi/reussite/{}", r.id)) { "Modifier " span.sr-only { "la réussite « " (r.sentence) " »" } }
                }
            }
        }
    }
}

pub fn carnet(csrf: &Markup, c: &Carnet<'_>) -> Markup {
    let unshared = c.entries.iter().filter(|r| r.shared.is_none()).count();
    let lead = if c.keeper {
        "Toutes les réussites de l'enfant, de classe en classe ; la famille voit celles que vous avez partagées."
    } else {
        "Les réussites que l'enseignant a partagées avec vous. Dites « J'ai vu » et laissez un mot si vous le souhaitez."
    };
    html! {
        (crate::ui::heading(&format!("Carnet de suivi {}", crate::ui::de(&c.name)), Some(lead)))
        @if !c.class_label.is_empty() { p { (c.class_label) } }
        @if c.keeper {
            section.panel aria-labelledby="partager" {
                h2 #partager { "Partager avec la famille" }
                @if unshared == 0 {
                    p { "Tout ce qui a été noté est déjà partagé." }
                } @else {
                    form method="post" action=(format!("/suivi/eleve/{}/partager", c.pupil)) {
                        (csrf)
                        p { (unshared) " réussite" @if unshared > 1 { "s" } " pas encore partagée" @if unshared > 1 { "s" } "." }
                        button.primary type="submit" { "Partager avec les familles" }
                    }
                }
            }
        }
        @if c.keeper && c.synthese_link {
            p { a.button href=(format!("/suivi/eleve/{}/synthese", c.pupil)) { "Synthèse des acquis de fin de GS" } }
        }
        @for s in &c.shares { (share(csrf, c, s)) }
        section aria-labelledby="reussites" {
            h2 #reussites { "Réussites" }
            @if c.entries.is_empty() {
                p.empty { @if c.keeper { "Aucune réussite notée pour l'instant." } @else { "Rien n'a encore été partagé avec vous." } }
            } @else {
                ul.cards { @for r in c.entries { (entry(r, c.keeper)) } }
            }
        }
        p { a href="/suivi" { "Retour au suivi des apprentissages" } }
    }
}

fn share(csrf: &Markup, c: &Carnet<'_>, s: &ShownShare<'_>) -> Markup {
    let id = s.share.id;
    let heading = format!("partage-{id}");
    let error = c
        .comment_error
        .as_ref()
        .filter(|(share, _, _)| *share == id);
    let field = format!("f-commentaire-{id}");
    html! {
        section.panel aria-labelledby=(heading) {
            @if s.share.synthese {
                h2 id=(heading) { "Synthèse des acquis, partagée le " (dates::long_date(s.share.at)) }
                p { a href=(format!("/suivi/eleve/{}/synthese", c.pupil)) { "Lire la synthèse des acquis" @if s.to_acknowledge { " et la signer" } } }
            } @else {
                h2 id=(heading) { "Partagé le " (dates::long_date(s.share.at)) }
                p {
                    (s.by) " a partagé " (s.share.entries.len()) " réussite" @if s.share.entries.len() > 1 { "s" } "."
                }
            }
            ul {
                @for (who, seen) in &s.guardians {
                    li {
                        (who) " : "
                        @match (seen, s.share.synthese) {
                            (Some(at), true) => { "signé le " (dates::long_datetime(*at)) }
                            (Some(at), false) => { "vu le " (dates::long_datetime(*at)) }
                            (None, true) => { "pas encore signé" }
                            (None, false) => { "pas encore vu" }
                        }
                    }
                }
            }
            @if s.to_acknowledge && !s.share.synthese {
                form method="post" action=(format!("/suivi/eleve/{}/vu", c.pupil)) {
                    (csrf)
                    input type="hidden" name="partage" value=(id);
                    button.primary.big type="submit" { "J'ai vu" }
                }
            }
            @if !s.comments.is_empty() {
                h3 { "Commentaires" }
                ul {
                    @for (who, at, text) in &s.comments {
                        li { strong { (who) } " (" (dates::short_datetime(*at)) ") : " (text) }
                    }
                }
            }
            form method="post" action=(format!("/suivi/eleve/{}/commentaire", c.pupil)) {
                (csrf)
                input type="hidden" name="partage" value=(id);
                div class=(if error.is_some() { "field has-error" } else { "field" }) {
                    label for=(field) { @if c.keeper { "Répondre à la famille" } @else { "Un commentaire pour l'enseignant (facultatif)" } }
                    @if let Some((_, _, e)) = error { p.error { (e) } }
                    textarea id=(field) name="texte" rows="2" aria-invalid=[error.map(|_| "true")] { @if let Some((_, typed, _)) = error { (typed) } }
                }
                button type="submit" { "Envoyer le commentaire" }
            }
        }
    }
}

/// `/suivi/reussite/:id`: change one child's réussite, or delete it.
pub struct EditChoices<'a> {
    pub attendus: &'a [(Domain, Vec<String>)],
    pub picker: Option<&'a Markup>,
}

pub fn edit(
    csrf: &Markup,
    csrf_token: &str,
    r: &Reussite,
    name: &str,
    choices: &EditChoices<'_>,
    form: &FormState,
) -> Markup {
    let action = format!(
        "/suivi/reussite/{}?{}={csrf_token}",
        r.id,
        crate::auth::csrf::FIELD
    );
    html! {
        (crate::ui::heading("Modifier une réussite", Some(name)))
        section.panel {
            (error_summary(form))
            form method="post" action=(action) enctype="multipart/form-data" novalidate {
                @if r.photo.is_some() {
                    (medium(r, "reussite-photo"))
                    div.check {
                        input #f-retirer type="checkbox" name="retirer-photo" value="1";
                        label for="f-retirer" { "Retirer la photo, le son ou la vidéo" }
                    }
                }
                (photo_field(form, if r.photo.is_some() { "Remplacer par une photo, un son ou une vidéo (facultatif)" } else { "Photo, son ou vidéo (facultatif)" }, choices.picker))
                (reussite_fields(form, choices.attendus))
                @if r.shared.is_some() { p.hint { "Cette réussite est déjà partagée : la famille verra la modification." } }
                button.primary type="submit" { "Enregistrer" }
                " "
                a href=(format!("/suivi/eleve/{}", r.pupil)) { "Annuler" }
            }
        }
        section.panel.danger aria-labelledby="supprimer" {
            h2 #supprimer { "Supprimer la réussite" }
            p { "Elle disparaît du carnet de cet enfant seulement (les autres enfants de l'activité la gardent)." }
            form method="post" action=(format!("/suivi/reussite/{}/supprimer", r.id)) {
                (csrf)
                button type="submit" { "Supprimer" }
            }
        }
    }
}
