//! The pages of « Mes données »: the person's page and the director's console page.
//! Without JavaScript: while an archive is made the handler adds a `Refresh` header and
//! the page a « Rafraîchir » link.

use maud::{html, Markup};

use super::{Export, KEEP_DAYS};
use crate::attachments::size_text;
use crate::auth::visitor::Visitor;
use crate::ui::{csrf_input, dates};

fn status(e: &Export, now: i64, download: &str) -> Markup {
    html! {
        @if let Some(p) = e.preparing(now) {
            p role="status" { "Archive en préparation (" (p) " %). " a href="" { "Rafraîchir" } }
        } @else if let Some(size) = e.ready(now) {
            p { "Archive prête (" (size_text(size)) "), disponible jusqu'au " (dates::long_datetime(e.expires_at())) ". " }
            p { a.button.primary href=(download) download { "Télécharger l'archive" } }
        } @else if matches!(e.state, super::State::Ready { .. }) {
            p { "L'archive n'est plus disponible : vous pouvez en demander une nouvelle." }
        } @else {
            p { "La préparation de l'archive n'a pas abouti : vous pouvez la demander à nouveau." }
        }
    }
}

pub fn page(visitor: &Visitor, current: Option<&Export>, now: i64) -> Markup {
    let busy = current.and_then(|e| e.preparing(now)).is_some();
    html! {
        (crate::ui::heading("Mes données", Some("Ce que Préau conserve à votre sujet, à télécharger.")))
        section.panel {
            p { "L'archive (un fichier ZIP) contient votre profil, le journal de vos connexions, vos messages, les mots du carnet de liaison que vous avez écrits ou reçus, vos fichiers de la médiathèque, pour un élève ses devoirs et résultats, vos articles et commentaires de blog ; pour un parent, ce qui concerne chacun de ses enfants." }
            p { "Chaque partie existe en page lisible (HTML) et en données réutilisables (JSON). L'archive reste disponible " (KEEP_DAYS) " jours, puis elle est supprimée." }
            @if let Some(e) = current {
                (status(e, now, &format!("/compte/mes-donnees/{}/archive", e.id)))
            }
            @if !busy {
                form method="post" action="/compte/mes-donnees" {
                    (csrf_input(visitor))
                    button.primary type="submit" { "Préparer mon archive" }
                }
            }
        }
    }
}

/// `query`: the search typed (the list of `accounts` is already narrowed by it).
pub fn console(
    visitor: &Visitor,
    query: &str,
    (accounts, matching): (&[(u64, String)], usize),
    exports: &[(Export, String)],
    now: i64,
) -> Markup {
    html! {
        (crate::ui::heading("Mes données", Some("L'archive des données d'une personne qui la demande par écrit.")))
        section.panel {
            form.inline method="get" action="/admin/mes-donnees" role="search" {
                div.field { label for="q" { "Nom ou identifiant" } input #q type="search" name="q" value=(query); }
                button type="submit" { "Chercher" }
                @if !query.is_empty() { " " a href="/admin/mes-donnees" { "Tous les comptes" } }
            }
            @if accounts.is_empty() {
                p.empty { "Aucun compte ne correspond à « " (query) " »." }
            } @else {
                form method="post" action="/admin/mes-donnees" {
                    (csrf_input(visitor))
                    label for="compte" {
                        "Compte " span.small { "(" (matching) " compte" @if matching > 1 { "s" } ")" }
                    }
                    @if matching > accounts.len() {
                        p.small { "Les " (accounts.len()) " premiers sont proposés : cherchez un nom pour trouver les autres." }
                    }
                    select #compte name="compte" required {
                        @for (id, name) in accounts { option value=(id) { (name) } }
                    }
                    button.primary type="submit" { "Préparer l'archive" }
                }
            }
            p.small { "La demande et chaque téléchargement sont inscrits au journal d'audit. L'archive reste disponible " (KEEP_DAYS) " jours." }
        }
        section.panel {
            h2 { "Archives préparées" }
            @if exports.is_empty() { p.empty { "Aucune." } }
            @for (e, who) in exports {
                article {
                    h3 { (who) " — demandée le " (dates::short_datetime(e.requested_at)) }
                    (status(e, now, &format!("/admin/mes-donnees/{}/archive", e.id)))
                }
            }
        }
    }
}
