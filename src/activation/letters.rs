//! The activation letters the director prints: one per adult whose account waits, with
//! a new code, the activation link and its QR code; one or two per A4 page.

use maud::{html, Markup, PreEscaped};
use poem::handler;
use poem::web::Data;

use super::{issue_codes, qr_svg, waiting_adults, VALIDITY_MICROS};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self};
use crate::directory::{self, User};
use crate::error::AppResult;
use crate::policy::{require, Action};
use crate::ui::input::FormInput;
use crate::ui::{csrf_input, dates};

/// Console: choose whose letters to print.

#[handler]
pub(super) fn letters_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageAccounts)?;
    let classes = directory::classes(&app.store)?;
    let waiting = waiting_adults(&app.store, None)?;
    let body = html! {
        (crate::ui::heading("Lettres d'activation", Some("Une lettre par adulte dont le compte attend d'être activé : code personnel, lien et code QR.")))
        section.panel {
            p { strong { (waiting.len()) } " compte(s) d'adulte en attente d'activation." }
            p.small { "Imprimer les lettres crée de nouveaux codes, valables 3 mois ; les codes imprimés auparavant pour ces personnes ne fonctionnent plus." }
            form method="post" action="/admin/lettres" {
                (csrf_input(&member.visitor))
                div.field {
                    label for="f-classe" { "Pour" }
                    select #f-classe name="classe" {
                        option value="" { "Tous les comptes en attente" }
                        @for c in &classes { option value=(c.id) { "Les familles et l'équipe de " (c.label) } }
                    }
                }
                div.field {
                    label for="f-par-page" { "Lettres par page A4" }
                    select #f-par-page name="par_page" {
                        option value="1" { "1" }
                        option value="2" { "2" }
                    }
                }
                button.primary type="submit" { "Préparer les lettres" }
            }
        }
    };
    app.console_page(
        &member.visitor,
        "Lettres d'activation",
        "/admin/comptes",
        body,
    )
}

fn lan_addresses() -> Vec<String> {
    crate::net::tls::current_addresses()
        .into_iter()
        .filter(|ip| !ip.is_loopback() && ip.is_ipv4())
        .map(|ip| ip.to_string())
        .collect()
}

fn letter(
    app: &App,
    school_name: &str,
    school_address: &str,
    user: &User,
    code: &str,
    children: &[String],
    expires: i64,
) -> Markup {
    // The school box's public name when it has one: the same link at home and at school,
    // with a certificate every browser knows.
    let public = app.acme.public_url();
    let base = public.clone().unwrap_or_else(|| app.settings.public_url());
    let link = format!("{base}/activation?code={code}");
    let port = if app.settings.tls {
        app.settings.https_port
    } else {
        app.settings.http_port
    };
    let scheme = if app.settings.tls { "https" } else { "http" };
    let ips: Vec<String> = lan_addresses()
        .into_iter()
        .map(|ip| {
            if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) {
                format!("{scheme}://{ip}")
            } else {
                format!("{scheme}://{ip}:{port}")
            }
        })
        .collect();
    html! {
        article.letter {
            header {
                p.school { strong { (school_name) } br; (school_address) }
                p.date { (dates::long_date(auth::now_micros())) }
            }
            h2 { "Votre compte sur l'espace numérique de l'école" }
            p { "Bonjour " (user.first_name) " " (user.shown_last_name()) "," }
            p {
                "l'école utilise Préau, son espace numérique de travail, pour communiquer avec les familles. "
                @if children.is_empty() { "Pour activer votre compte personnel :" }
                @else { "Votre compte personnel vous permet de suivre la scolarité de " (and_list(children)) ". Pour l'activer :" }
            }
            div.steps {
                div.qr { (PreEscaped(qr_svg(&link))) }
                ol {
                    li { "Scannez le code QR avec l'appareil photo de votre téléphone, ou ouvrez " strong { (base) "/activation" }
                        @if public.is_none() && !ips.is_empty() { " (ou " (ips.join(" ou ")) ")" } "." }
                    li { "Saisissez votre code d'activation : " strong.code { (code) } }
                    li { "Choisissez votre mot de passe et acceptez la charte de l'ENT." }
                }
            }
            p { "Votre identifiant : " strong { (user.login) } ". Ce code est personnel : ne le transmettez à personne. Il est valable jusqu'au " (dates::long_date(expires)) "." }
            @if public.is_some() {
                p.small { "L'espace numérique est accessible depuis la maison à cette adresse, sans rien installer. Une question ? Adressez-vous à l'enseignant de votre enfant ou à la direction." }
            } @else {
                p.small { "L'espace numérique n'est accessible que depuis le réseau de l'école si celle-ci n'a pas ouvert d'accès depuis internet. Une question ? Adressez-vous à l'enseignant de votre enfant ou à la direction." }
            }
        }
    }
}

/// « Rose », « Rose et Jules », « Rose, Léo et Jules ».
fn and_list(names: &[String]) -> String {
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} et {last}", rest.join(", ")),
    }
}

/// Which activation letters to print.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LettersChoice {
    classe: String,
    par_page: String,
}

#[handler]
pub(super) async fn letters_print(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<LettersChoice>,
) -> AppResult<Markup> {
    require(member.actor(), Action::ManageAccounts)?;
    let class_id: Option<u64> = f.classe.parse().ok();
    let two = f.par_page == "2";
    let waiting = waiting_adults(&app.store, class_id)?;
    print_letters(app, &member, waiting, two).await
}

/// Issues new codes for these people and renders their letters, ready to print.
pub async fn print_letters(
    app: &App,
    member: &Member,
    people: Vec<User>,
    two: bool,
) -> AppResult<Markup> {
    let ids: Vec<u64> = people.iter().map(|u| u.id).collect();
    let now = auth::now_micros();
    let store = app.store.clone();
    let codes = tokio::task::spawn_blocking(move || issue_codes(&store, &ids, now))
        .await
        .map_err(anyhow::Error::from)??;
    crate::auth::journal::audit(
        app,
        member,
        format!("Impression de {} lettre(s) d'activation", codes.len()),
    )
    .await?;
    let school = crate::school::get(&app.store)?;
    let (name, address) = school
        .as_ref()
        .map(|s| {
            (
                s.name.clone(),
                format!("{} {} {}", s.address, s.postcode, s.commune)
                    .trim()
                    .to_string(),
            )
        })
        .unwrap_or_default();
    let mut letters = Vec::new();
    for (u, (_, code)) in people.iter().zip(codes.iter()) {
        let children: Vec<String> = directory::children_of(&app.store, u.id)?
            .into_iter()
            .filter_map(|c| {
                directory::user(&app.store, c)
                    .ok()
                    .flatten()
                    .map(|c| c.first_name)
            })
            .collect();
        letters.push(letter(
            app,
            &name,
            &address,
            u,
            code,
            &children,
            now + VALIDITY_MICROS,
        ));
    }
    let body = html! {
        div.noprint {
            (crate::ui::heading("Lettres d'activation", None))
            p { (letters.len()) " lettre(s) prête(s). Utilisez la commande d'impression de votre navigateur (Ctrl+P)." }
            @if letters.is_empty() { p.empty { "Aucun compte en attente d'activation pour ce choix." } }
        }
        // One sheet per A4 page (two letters, or one): see `ui::print`.
        div class=(if two { "letters two" } else { "letters" }) {
            (crate::ui::print::sheets(&letters, if two { 2 } else { 1 }, ""))
        }
    };
    app.console_page(
        &member.visitor,
        "Lettres d'activation",
        "/admin/comptes",
        body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_are_named_as_a_french_list() {
        let names = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&names(&[])), "");
        assert_eq!(and_list(&names(&["Rose"])), "Rose");
        assert_eq!(and_list(&names(&["Rose", "Jules"])), "Rose et Jules");
        assert_eq!(
            and_list(&names(&["Rose", "Léo", "Jules"])),
            "Rose, Léo et Jules"
        );
    }
}
