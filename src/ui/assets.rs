//! Embedded assets (CSS, scripts, images) with content-hashed URLs: a page links
//! `/static/css/preau.css?v=<hash>`, which may be cached for a year since a new content
//! gets a new URL. No CDN: the school's LAN may have no internet.

use std::collections::HashMap;
use std::sync::OnceLock;

use poem::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use poem::http::StatusCode;
use poem::web::Path;
use poem::{handler, Request, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "assets/"]
pub struct Assets;

/// Per asset, its content hash and its versioned URL, computed once.
struct Version {
    hash: String,
    url: String,
}

fn versions() -> &'static HashMap<String, Version> {
    static VERSIONS: OnceLock<HashMap<String, Version>> = OnceLock::new();
    VERSIONS.get_or_init(|| {
        Assets::iter()
            .filter_map(|name| {
                let file = Assets::get(&name)?;
                let hash = hex::encode(&file.metadata.sha256_hash()[..6]);
                let url = format!("/static/{name}?v={hash}");
                Some((name.to_string(), Version { hash, url }))
            })
            .collect()
    })
}

/// The versioned URL of an asset.
pub fn url(name: &str) -> String {
    match versions().get(name) {
        Some(v) => v.url.clone(),
        None => format!("/static/{name}"),
    }
}

/// One hash of every asset: what changes when any of them does (the service worker's
/// version, so that a new Préau replaces its caches).
pub fn fingerprint() -> String {
    use sha2::{Digest, Sha256};
    let mut all: Vec<_> = versions().iter().map(|(n, v)| (n, &v.hash)).collect();
    all.sort();
    let mut digest = Sha256::new();
    for (name, hash) in all {
        digest.update(name.as_bytes());
        digest.update(hash.as_bytes());
    }
    hex::encode(
        digest
            .finalize()
            .iter()
            .take(6)
            .copied()
            .collect::<Vec<u8>>(),
    )
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[handler]
pub fn serve(Path(name): Path<String>, req: &Request) -> Response {
    let Some(file) = Assets::get(&name) else {
        return Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body("introuvable");
    };
    let hash = versions()
        .get(&name)
        .map(|v| v.hash.clone())
        .unwrap_or_default();
    let etag = format!("\"{hash}\"");
    let versioned = req
        .uri()
        .query()
        .map(|q| q == format!("v={hash}"))
        .unwrap_or(false);
    let cache = if versioned {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    if req
        .headers()
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .header(ETAG, etag)
            .header(CACHE_CONTROL, cache)
            .finish();
    }
    Response::builder()
        .header(CONTENT_TYPE, content_type(&name))
        .header(ETAG, etag)
        .header(CACHE_CONTROL, cache)
        .body(file.data.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheet_is_embedded_and_versioned() {
        let u = url("css/preau.css");
        assert!(u.starts_with("/static/css/preau.css?v="), "{u}");
        assert_eq!(url("absent.css"), "/static/absent.css");
    }
}
