//! The home-access question (wizard and console) and the certificate's status.

use maud::{html, Markup};

use super::{AcmeStatus, Challenge, HomeAccess, HomeSettings, Reachable};
use crate::ui::dates;
use crate::ui::form::{error_summary, select, Field, FormState};

/// The form's values for the saved settings.
pub fn state_of(s: &HomeSettings) -> FormState {
    FormState::with_values([
        ("acces", s.access.code().to_string()),
        ("nom_public", s.public_name.clone()),
        ("validation", s.challenge.code().to_string()),
        ("annuaire", s.directory_url.clone()),
        ("contact", s.contact.clone()),
    ])
}

/// « Les familles se connectent-elles depuis la maison ? » and the public name's fields.
pub fn question(form: &FormState) -> Markup {
    let current = form.value("acces");
    let error = form.errors.get("acces");
    let challenges = [Challenge::TlsAlpn, Challenge::Http]
        .map(|c| (c.code().to_string(), format!("Par le {}", c.port_label())))
        .to_vec();
    html! {
        fieldset class=(if error.is_some() { "field checks has-error" } else { "field checks" }) {
            legend { "Les familles se connectent-elles depuis la maison ?" }
            @if let Some(e) = error { p.error { (e) } }
            div.options {
                @for a in HomeAccess::ALL {
                    @let id = format!("f-acces-{}", a.code());
                    div.check {
                        input type="radio" id=(id) name="acces" value=(a.code()) checked[current == a.code()];
                        label for=(id) { (a.label()) }
                    }
                }
            }
        }
        // Always shown (no script needed): the fields only count with the first answer.
        fieldset.field {
            legend { "Pour un nom public" }
            p.hint { "Un sous-domaine de la commune (ent.ecole-du-bourg.fr) ou un nom de DNS dynamique, qui désigne l'adresse publique de l'école. Préau demande lui-même un certificat reconnu par tous les navigateurs (Let's Encrypt) et le renouvelle : les familles n'installent rien. La box internet de l'école doit laisser passer le port 443 vers Préau (guide : docs/acces-maison.md)." }
            (Field::text("nom_public", "Nom public").hint("Le nom seul, sans https:// (ex. : ent.ecole-du-bourg.fr).").render(form))
            (select(form, "validation", "Vérification du nom par l'autorité", &challenges, false))
            (Field::text("annuaire", "Annuaire ACME de l'autorité").kind("url").hint("Let's Encrypt sauf avis contraire de la collectivité.").render(form))
            (Field::text("contact", "Adresse électronique de contact (facultative)").kind("email").hint("L'autorité y écrit en cas de problème avec le certificat.").autocomplete("email").render(form))
        }
        details {
            summary { "Les deux autres réponses" }
            p { strong { "Hébergement par la collectivité : " } "Préau tourne sur un serveur de la commune ou de l'intercommunalité, derrière son proxy qui détient le certificat (service preau@, guide docs/hebergement.md). Le nom public se règle alors dans preau.toml (public_host)." }
            p { strong { "Rester sur le réseau de l'école : " } "Préau n'est joignable que dans l'école (ecole.local), avec le certificat de l'école à installer sur chaque appareil." }
        }
    }
}

fn seconds(t: i64) -> String {
    dates::long_datetime(t.saturating_mul(1_000_000))
}

/// The certificate, the last attempt and « joignable depuis Internet ».
pub fn status(settings: &HomeSettings, status: &AcmeStatus, now: i64) -> Markup {
    let Some(name) = settings.acme_name() else {
        return html! {
            p { "Pas de nom public : aucun certificat n'est demandé. Joignable depuis Internet : "
                strong { "inconnu" } " (Préau ne le vérifie que pour un nom public)." }
        };
    };
    let reach = super::reachable(status, name, now);
    let fresh = status.name == name;
    html! {
        dl.summary {
            dt { "Nom public" } dd { a href=(format!("https://{name}")) { "https://" (name) } }
            dt { "Certificat reconnu" }
            dd {
                @match (fresh, status.not_after) {
                    (true, Some(end)) => { "valable jusqu'au " (seconds(end)) }
                    _ => { "pas encore obtenu" }
                }
            }
            dt { "Joignable depuis Internet" }
            dd #joignable {
                @match reach {
                    Reachable::Yes(at) => {
                        strong { "oui" } " — l'autorité a joint la box par ce nom le " (seconds(at))
                        @if let Some(c) = status.last_validation_challenge { " (" (c.port_label()) ")" }
                        "."
                    }
                    Reachable::No => { strong { "non" } " — la dernière tentative de l'autorité n'a pas abouti (voir ci-dessous)." }
                    Reachable::Unknown => { strong { "inconnu" } " — seule une vérification par l'autorité, faite de l'extérieur, peut le dire ; Préau ne peut pas le constater depuis l'école." }
                }
            }
        }
        @if let (true, Some((at, reason))) = (fresh, &status.failure) {
            div.flash.error role="alert" {
                "Échec le " (seconds(*at)) " : " (reason) "."
                @if let Some(next) = status.next_attempt { " Nouvel essai automatique le " (seconds(next)) "." }
            }
        }
    }
}

/// The console page's body.
pub fn console(
    tls_here: bool,
    csrf: Markup,
    form: &FormState,
    settings: &HomeSettings,
    acme_status: &AcmeStatus,
    now: i64,
) -> Markup {
    html! {
        (crate::ui::heading("Accès depuis la maison", Some("Comment les familles rejoignent Préau hors de l'école.")))
        section.panel {
            h2 { "État" }
            @if !tls_here {
                p { "Ce serveur ne fait pas lui-même le HTTPS (il est derrière un proxy) : il ne demande aucun certificat. Le nom public se règle sur le proxy et dans preau.toml (public_host)." }
            }
            (status(settings, acme_status, now))
            @if settings.acme_name().is_some() {
                form method="post" action="/admin/acces-maison/essai" {
                    (csrf.clone())
                    button type="submit" { "Demander le certificat maintenant" }
                }
            }
        }
        section.panel {
            (error_summary(form))
            form method="post" action="/admin/acces-maison" novalidate {
                (csrf)
                (question(form))
                button.primary type="submit" { "Enregistrer" }
            }
        }
        section.panel {
            h2 { "Ce qui reste réservé au réseau de l'école" }
            p { "Quel que soit ce réglage, le tableau de connexion des classes, les mots de passe en images et les blogs ouverts « sur le réseau de l'école » ne s'ouvrent qu'aux appareils de l'école : une visite arrivée par le nom public compte comme venue de l'extérieur." }
        }
    }
}
