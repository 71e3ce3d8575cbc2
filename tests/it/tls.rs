use crate::common::TestServer;

#[tokio::test]
async fn https_is_verified_against_the_ca_the_server_made() {
    let server = TestServer::installed().await;
    let mut c = server.client();
    let p = c.get("/healthz").await;
    assert_eq!(p.status, 200);
    let schema = format!("\"schema_version\":{}", preau::schema::current_version());
    assert!(p.body.contains(&schema));
    // A client that does not trust the school's CA is refused.
    let untrusting = reqwest::Client::builder()
        .tls_certs_only([])
        .resolve("ecole.local", server.https)
        .build()
        .unwrap();
    assert!(untrusting
        .get(format!(
            "https://ecole.local:{}/healthz",
            server.https.port()
        ))
        .send()
        .await
        .is_err());
    // The certificate also names localhost and 127.0.0.1.
    let by_ip = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(server.ca_pem.as_bytes()).unwrap()])
        .build()
        .unwrap();
    let r = by_ip
        .get(format!("https://127.0.0.1:{}/healthz", server.https.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn plain_http_redirects_to_https_and_offers_the_ca() {
    let server = TestServer::installed().await;
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{}", server.http.port());
    let r = plain
        .get(format!("{base}/accueil?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("https://127.0.0.1:{}/accueil?x=1", server.https.port())
    );
    let r = plain
        .get(format!("{base}/certificat"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    for device in ["iPhone", "Android", "Windows", "macOS", "ChromeOS"] {
        assert!(body.contains(device), "instructions for {device}");
    }
    let r = plain
        .get(format!("{base}/certificat/preau-ca.crt"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/x-x509-ca-cert");
    assert_eq!(r.text().await.unwrap(), server.ca_pem);
}

#[tokio::test]
async fn security_headers_are_set_on_pages() {
    let server = TestServer::installed().await;
    let c = server.client();
    let r = c
        .http
        .get(format!("{}/connexion", c.base))
        .send()
        .await
        .unwrap();
    let h = r.headers();
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
    assert!(!h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("unsafe-inline"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    let body = r.text().await.unwrap();
    assert!(!body.contains("<script>"), "no inline script");
    assert!(!body.contains("style="), "no inline style");
    // Versioned assets are cached for a year.
    let css = body.split("href=\"/static/css/preau.css").nth(1).unwrap();
    let url: String = css.chars().take_while(|c| *c != '"').collect();
    let r = c
        .http
        .get(format!("{}/static/css/preau.css{url}", c.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
}

#[tokio::test]
async fn unknown_pages_get_a_french_404() {
    let server = TestServer::installed().await;
    let mut c = server.client();
    let p = c.get("/nulle-part").await;
    assert_eq!(p.status, 404);
    assert!(p.body.contains("Page introuvable"));
}

/// Browsers speak HTTP/2 over HTTPS: the name asked for comes as `:authority`, without a
/// `Host` header. The certificate page's link back (and the public name's rules) read it.
#[tokio::test]
async fn over_http2_the_name_asked_for_is_the_one_links_lead_back_to() {
    let server = TestServer::installed().await;
    let h2 = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(server.ca_pem.as_bytes()).unwrap()])
        .build()
        .unwrap();
    let port = server.https.port();
    let r = h2
        .get(format!("https://127.0.0.1:{port}/certificat"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.version(), reqwest::Version::HTTP_2);
    let body = r.text().await.unwrap();
    assert!(
        body.contains(&format!("href=\"https://127.0.0.1:{port}/\"")),
        "{body}"
    );
}
