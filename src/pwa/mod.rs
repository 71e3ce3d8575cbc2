//! The installable app: the web app manifest (`/manifest.webmanifest`), the service worker
//! (`/sw.js`, at the root so that its scope is the whole site) and the page it shows when
//! the school cannot be reached (`/hors-ligne`). All three answer without the session
//! (`routes::light`): they carry the school's name and nothing about a person.
//!
//! Offline, Préau reads and never writes: the service worker keeps a copy of the few
//! pages the server marks readable offline ([`reading`]), one cache per signed-in
//! session, and a form sent without network gets a page saying it was not sent.

pub mod reading;

use maud::{html, Markup};
use poem::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use poem::web::{Data, Query};
use poem::{handler, Response};
use serde::Deserialize;

use crate::app::App;
use crate::auth::visitor::Visitor;
use crate::ui::assets;

/// `--brand` of `assets/css/preau.css`: the phone's status bar and the app's title bar.
pub const THEME_COLOUR: &str = "#0b5f83";
/// `--paper` of `assets/css/preau.css`: the splash screen behind the icon.
pub const BACKGROUND_COLOUR: &str = "#fffdf8";
/// The page the service worker shows offline when it has no copy of the page asked for.
pub const OFFLINE_PATH: &str = "/hors-ligne";

/// The name under the icon on a home screen: the school's, when it fits (a launcher shows
/// about twelve characters), else without « École », else « Préau ».
pub fn short_name(school_name: &str) -> String {
    const FITS: usize = 12;
    let name = school_name.trim();
    if name.chars().count() <= FITS {
        return name.to_string();
    }
    let without = ["École ", "Ecole ", "école ", "Groupe scolaire "]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .map(|rest| rest.trim_start_matches("de la ").trim_start_matches("des "))
        .map(str::trim);
    match without {
        Some(rest) if !rest.is_empty() && rest.chars().count() <= FITS => rest.to_string(),
        _ => "Préau".to_string(),
    }
}

/// The manifest of the school `name`.
pub fn manifest_json(name: &str) -> serde_json::Value {
    let icon = |file: &str, size: &str, purpose: &str| {
        serde_json::json!({
            "src": assets::url(&format!("img/app/{file}")),
            "sizes": size,
            "type": "image/png",
            "purpose": purpose,
        })
    };
    serde_json::json!({
        "id": "/accueil",
        "name": name,
        "short_name": short_name(name),
        "description": format!("L'espace numérique de travail de {name}"),
        "lang": "fr",
        "dir": "ltr",
        "start_url": "/accueil",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["education"],
        "icons": [
            icon("icon-192.png", "192x192", "any"),
            icon("icon-512.png", "512x512", "any"),
            icon("icon-maskable-512.png", "512x512", "maskable"),
        ],
    })
}

fn school_name(app: &App) -> String {
    crate::school::get(&app.store)
        .ok()
        .flatten()
        .map(|s| s.name)
        .unwrap_or_else(|| "Préau".to_string())
}

#[handler]
pub fn manifest(Data(app): Data<&App>) -> Response {
    Response::builder()
        .header(CONTENT_TYPE, "application/manifest+json")
        // The school may be renamed: the browser asks again, cheaply.
        .header(CACHE_CONTROL, "no-cache")
        .body(manifest_json(&school_name(app)).to_string())
}

/// The service worker: `assets/js/sw.js` after two constants, the version (every asset's
/// hash and Préau's version: a new Préau is a new script, so browsers install it and drop
/// the old caches) and what to keep from the start (the offline pages and the assets
/// they need).
pub fn service_worker_script() -> String {
    let version = format!("{}-{}", env!("CARGO_PKG_VERSION"), assets::fingerprint());
    let precache = [
        OFFLINE_PATH.to_string(),
        format!("{OFFLINE_PATH}?envoi=1"),
        assets::url("css/preau.css"),
        assets::url("js/preau.js"),
        assets::url("img/preau.svg"),
        assets::url("img/app/icon-192.png"),
    ];
    let body = assets::Assets::get("js/sw.js")
        .map(|f| String::from_utf8_lossy(&f.data).into_owned())
        .unwrap_or_default();
    format!(
        "const VERSION = {};\nconst PRECACHE = {};\n{body}",
        serde_json::Value::from(version),
        serde_json::Value::from(precache.to_vec())
    )
}

#[handler]
pub fn service_worker() -> Response {
    Response::builder()
        .header(CONTENT_TYPE, "text/javascript; charset=utf-8")
        // Its scope is the folder it is served from (`/`), the whole site: no
        // `Service-Worker-Allowed` needed. Browsers check it for updates at each visit.
        .header(CACHE_CONTROL, "no-cache")
        .body(service_worker_script())
}

#[derive(Deserialize, Default)]
pub struct OfflineQuery {
    envoi: Option<String>,
}

#[handler]
pub fn offline_page(Data(app): Data<&App>, Query(q): Query<OfflineQuery>) -> Response {
    let school = crate::school::get(&app.store).ok().flatten();
    // Kept by the service worker for anyone using the device: no session, no name, no
    // form (an anonymous visitor has no menu and no logout form).
    let visitor = Visitor::anonymous();
    let sent = q.envoi.is_some();
    let title = if sent {
        "Rien n'a été envoyé"
    } else {
        "Hors ligne"
    };
    let page = crate::ui::page(
        crate::ui::Frame {
            school: school.as_ref(),
            visitor: &visitor,
            title,
            section: OFFLINE_PATH,
        },
        offline_view(sent),
    );
    Response::builder()
        .header(CONTENT_TYPE, "text/html; charset=utf-8")
        .header(CACHE_CONTROL, "no-cache")
        .body(page.into_string())
}

/// The offline page; `sent`: after a form sent without network. The service worker puts
/// the list of the pages it keeps in `#pages-enregistrees`.
pub fn offline_view(sent: bool) -> Markup {
    html! {
        (crate::ui::heading(
            if sent { "Rien n'a été envoyé" } else { "Hors ligne" },
            Some("Le serveur de l'école ne répond pas : cet appareil n'est pas connecté, ou l'école n'est pas joignable d'ici."),
        ))
        @if sent {
            div.flash.error role="alert" {
                "Votre envoi n'est pas parti : Préau ne garde rien en attente. "
                "Quand l'école sera de nouveau joignable, revenez en arrière et envoyez-le à nouveau."
            }
        }
        section.panel aria-labelledby="hors-ligne-pages" {
            h2 #hors-ligne-pages { "Relire sans connexion" }
            p {
                "Les dernières pages ouvertes (accueil, cahier de textes, devoirs, menus de la cantine, "
                "carnet de liaison, messagerie, agenda, actualités) restent lisibles sur cet appareil, "
                "telles qu'elles étaient ce jour-là. On ne peut rien envoyer hors ligne."
            }
            div #pages-enregistrees {
                p.empty { "Aucune page n'est enregistrée sur cet appareil." }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_name_fits_under_an_icon() {
        assert_eq!(short_name("Les Tilleuls"), "Les Tilleuls");
        assert_eq!(short_name("École des Tilleuls"), "Tilleuls");
        assert_eq!(short_name("École de la Source"), "Source");
        assert_eq!(short_name("École élémentaire Jean-Jaurès"), "Préau");
    }

    #[test]
    fn the_script_starts_with_its_version_and_what_it_keeps() {
        let js = service_worker_script();
        assert!(js.starts_with("const VERSION = \""), "{}", &js[..80]);
        assert!(js.contains("\"/hors-ligne\""));
        assert!(js.contains("/static/css/preau.css?v="));
        assert!(js.contains("addEventListener(\"fetch\""));
    }
}
