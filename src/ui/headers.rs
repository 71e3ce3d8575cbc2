//! Security headers on every response.

use poem::http::header::{HeaderName, HeaderValue};
use poem::{Endpoint, IntoResponse, Request, Response};

/// Strict CSP: scripts, styles, images only from Préau itself, no inline script or style,
/// no framing. `blob:` for media lets later modules preview recordings in the browser. The
/// installable app's manifest and service worker come from Préau too (`crate::pwa`).
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn security_headers<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let mut resp = next.call(req).await?.into_response();
    let h = resp.headers_mut();
    let pairs: [(&str, &str); 6] = [
        // https://developer.mozilla.org/docs/Web/HTTP/Headers/Content-Security-Policy
        ("content-security-policy", CSP),
        // https://developer.mozilla.org/docs/Web/HTTP/Headers/X-Content-Type-Options : no MIME sniffing
        ("x-content-type-options", "nosniff"),
        // https://developer.mozilla.org/docs/Web/HTTP/Headers/X-Frame-Options : older browsers ignore frame-ancestors
        ("x-frame-options", "DENY"),
        // https://developer.mozilla.org/docs/Web/HTTP/Headers/Referrer-Policy : no URL leaks to other sites
        ("referrer-policy", "same-origin"),
        // https://developer.mozilla.org/docs/Web/HTTP/Headers/Permissions-Policy : microphone for oral work only
        (
            "permissions-policy",
            "camera=(self), microphone=(self), geolocation=(), payment=(), usb=()",
        ),
        // https://developer.mozilla.org/docs/Web/HTTP/Headers/Cross-Origin-Opener-Policy
        ("cross-origin-opener-policy", "same-origin"),
    ];
    // No HSTS: on a LAN whose local CA a device has not trusted yet, HSTS would turn the
    // certificate warning into a dead end.
    for (k, v) in pairs {
        h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
    }
    Ok(resp)
}
