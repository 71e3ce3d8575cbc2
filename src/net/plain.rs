//! The plain-HTTP site: the page that lets a device download and trust the school's
//! certificate authority, and a redirect to HTTPS for every other path.

use crate::routing::{Access, Routes};
use maud::{html, Markup};
use poem::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use poem::http::StatusCode;
use poem::web::{Data, Redirect};
use poem::{handler, IntoResponse, Request, Response};

use crate::app::App;
use crate::ui::{page, Frame};

/// Routes of the certificate page (served over HTTP and HTTPS).
pub fn routes() -> Routes {
    Routes::new()
        .get("/", certificate_page, Access::Public)
        .get("/preau-ca.crt", certificate_file, Access::Public)
}

#[handler]
fn certificate_file(Data(app): Data<&App>) -> Response {
    match &app.ca_pem {
        Some(pem) => Response::builder()
            .header(CONTENT_TYPE, "application/x-x509-ca-cert")
            .header(CONTENT_DISPOSITION, "attachment; filename=\"preau-ca.crt\"")
            .body(pem.clone()),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body("Pas de certificat local."),
    }
}

fn instructions() -> Markup {
    html! {
        h2 { "Installer le certificat, appareil par appareil" }
        details {
            summary { "iPhone, iPad (iOS, iPadOS)" }
            ol {
                li { "Ouvrez cette page avec Safari et touchez « Télécharger le certificat », puis « Autoriser »." }
                li { "Ouvrez Réglages → Profil téléchargé → Installer." }
                li { "Puis Réglages → Général → Informations → Réglages des certificats : activez la confiance totale pour « Préau »." }
            }
        }
        details {
            summary { "Android" }
            ol {
                li { "Touchez « Télécharger le certificat »." }
                li { "Ouvrez Paramètres → Sécurité → Chiffrement et identifiants → Installer un certificat → Certificat CA, puis choisissez preau-ca.crt." }
            }
        }
        details {
            summary { "Windows" }
            ol {
                li { "Téléchargez le certificat, double-cliquez sur preau-ca.crt, puis « Installer le certificat »." }
                li { "Choisissez « Ordinateur local », puis « Placer tous les certificats dans le magasin suivant » → « Autorités de certification racines de confiance »." }
                li { "Redémarrez le navigateur." }
            }
        }
        details {
            summary { "macOS" }
            ol {
                li { "Téléchargez le certificat et double-cliquez dessus : il s'ouvre dans Trousseaux d'accès." }
                li { "Double-cliquez sur « Préau — autorité… », ouvrez « Se fier » et choisissez « Toujours approuver »." }
            }
        }
        details {
            summary { "ChromeOS (Chromebook)" }
            ol {
                li { "Téléchargez le certificat." }
                li { "Ouvrez chrome://settings/certificates → Autorités → Importer, choisissez preau-ca.crt et cochez « Faire confiance à ce certificat pour identifier des sites Web »." }
            }
        }
        details {
            summary { "Firefox (tous systèmes)" }
            ol {
                li { "Paramètres → Vie privée et sécurité → Certificats → Afficher les certificats → Autorités → Importer." }
                li { "Choisissez preau-ca.crt et cochez « Confirmer cette AC pour identifier des sites web »." }
            }
        }
    }
}

#[handler]
fn certificate_page(Data(app): Data<&App>, req: &Request) -> Markup {
    let school = crate::school::get(&app.store).ok().flatten();
    let visitor = req
        .extensions()
        .get::<std::sync::Arc<crate::auth::visitor::Visitor>>()
        .map(|v| v.as_ref().clone())
        .unwrap_or_else(crate::auth::visitor::Visitor::anonymous);
    let https = https_url(app, req, "/");
    let body = html! {
        section.panel {
            h1 { "Le certificat de l'école" }
            @if let Some(url) = app.acme.public_url() {
                div.flash.success #adresse-publique {
                    p { "Adresse de Préau, à la maison comme à l'école : " a href=(url) { strong { (url) } } }
                    p { "Son certificat est reconnu par tous les navigateurs : rien à installer pour cette adresse. Le certificat de l'école ci-dessous ne sert qu'aux appareils de l'école qui utilisent " (app.settings.hostname) ".local." }
                }
            }
            @if app.ca_pem.is_some() {
                p.lead { "Préau chiffre les échanges entre votre appareil et le serveur de l'école. Pour que votre navigateur le reconnaisse sans avertissement, installez une fois le certificat de l'école sur chaque appareil." }
                p { a.button.primary href="/certificat/preau-ca.crt" download="preau-ca.crt" { "Télécharger le certificat" } }
                (instructions())
            } @else if app.settings.tls {
                p { "Ce serveur utilise un certificat fourni par son administrateur : rien à installer." }
            } @else if app.settings.behind_https_proxy {
                p { "Le chiffrement des échanges est assuré par le serveur qui accueille Préau (celui de la collectivité ou de l'école) : rien à installer sur vos appareils." }
            } @else {
                p { "Ce serveur de Préau ne chiffre pas lui-même les échanges (il fonctionne sans HTTPS, en test ou derrière un autre serveur) : il n'y a pas de certificat à installer. Demandez à la personne qui l'administre comment Préau est protégé." }
            }
            p { a.button href=(https) { "Continuer vers Préau" } }
        }
    };
    page(
        Frame {
            school: school.as_ref(),
            visitor: &visitor,
            title: "Certificat de l'école",
            section: "",
        },
        body,
    )
}

fn https_url(app: &App, req: &Request, path_and_query: &str) -> String {
    // The public name is reached on 443 whatever port the box forwards it to.
    if let Some(public) = app.acme.public_name() {
        if super::request_host(req).is_some_and(|h| app.acme.is_public_host(h)) {
            return format!("https://{public}{path_and_query}");
        }
    }
    let host = trusted_host(&app.settings, req);
    let port = app.https_port.load(std::sync::atomic::Ordering::Acquire);
    if port == 443 {
        format!("https://{host}{path_and_query}")
    } else {
        format!("https://{host}:{port}{path_and_query}")
    }
}

/// The name to put in a link back to this server: the one the request asked for when it
/// is one of the server's own (its configured name, `<hostname>.local`, `<hostname>`,
/// `localhost`, one of the machine's addresses: the names its certificate carries),
/// otherwise the configured name. A forged `Host` never chooses where a link leads.
pub fn trusted_host(settings: &crate::config::Settings, req: &Request) -> String {
    let fallback = settings
        .public_host
        .clone()
        .unwrap_or_else(|| format!("{}.local", settings.hostname));
    let Some(asked) = super::request_host(req).map(|h| strip_port(h.trim()).to_ascii_lowercase())
    else {
        return fallback;
    };
    let named = settings
        .public_host
        .iter()
        .cloned()
        .chain(super::tls::dns_names(settings));
    if named.into_iter().any(|n| n.eq_ignore_ascii_case(&asked)) {
        return asked;
    }
    let bare = asked.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) if super::tls::current_addresses().contains(&ip) => asked,
        _ => fallback,
    }
}

/// `ecole.local:8080` → `ecole.local`; `[::1]:80` → `[::1]`.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        match host.find(']') {
            Some(end) => &host[..=end],
            None => host,
        }
    } else {
        host.split(':').next().unwrap_or(host)
    }
}

#[handler]
pub(crate) fn redirect(Data(app): Data<&App>, req: &Request) -> Response {
    let pq = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    Redirect::permanent(https_url(app, req, pq)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_stripped_from_hosts() {
        assert_eq!(strip_port("ecole.local:8080"), "ecole.local");
        assert_eq!(strip_port("ecole.local"), "ecole.local");
        assert_eq!(strip_port("[::1]:80"), "[::1]");
        assert_eq!(strip_port("192.168.1.10:80"), "192.168.1.10");
    }
}
