//! Network: HTTPS certificate (local CA + server certificate), the plain-HTTP site
//! (certificate download, redirect to HTTPS), mDNS announcement, and what protects the
//! listeners: connection caps and deadlines (`guard`), body limits (`limits`), caching of
//! personal pages (`cache`).

pub mod acme;
pub mod cache;
pub mod guard;
pub mod limits;
pub mod mdns;
pub mod plain;
pub mod tls;

/// The name (and port) a request was sent to: HTTP/1.1 says it in the `Host` header,
/// HTTP/2 in the `:authority` pseudo-header, which arrives as the URI's authority and
/// leaves `Host` absent. Browsers speak HTTP/2 over HTTPS: a `Host` read alone took every
/// such request for one without a name (the public name's rules, the links back here).
pub fn request_host(req: &poem::Request) -> Option<&str> {
    req.uri().authority().map(|a| a.as_str()).or_else(|| {
        req.headers()
            .get(poem::http::header::HOST)
            .and_then(|h| h.to_str().ok())
    })
}

#[cfg(test)]
mod tests {
    use super::request_host;

    #[test]
    fn the_name_asked_for_is_read_from_http2_and_from_http1() {
        // HTTP/2: the authority in the URI, no Host header.
        let h2 = poem::Request::builder()
            .uri(poem::http::Uri::from_static(
                "https://ent.a.fr:8443/tableau",
            ))
            .finish();
        assert_eq!(request_host(&h2), Some("ent.a.fr:8443"));
        // HTTP/1.1: a path, the name in Host.
        let h1 = poem::Request::builder()
            .uri(poem::http::Uri::from_static("/tableau"))
            .header(poem::http::header::HOST, "ecole.local")
            .finish();
        assert_eq!(request_host(&h1), Some("ecole.local"));
        let nameless = poem::Request::builder()
            .uri(poem::http::Uri::from_static("/tableau"))
            .finish();
        assert_eq!(request_host(&nameless), None);
    }
}
