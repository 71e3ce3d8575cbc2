//! The installable app over HTTP: the manifest and its icons, the service worker's script
//! and headers, the marks the service worker obeys (whose page, readable offline or not)
//! and `Clear-Site-Data` when a session opens or closes.

use crate::common::{Client, TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};
use serde_json::Value;

async fn fetch(c: &Client, path: &str) -> reqwest::Response {
    c.http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap()
}

fn header(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

#[tokio::test]
async fn the_manifest_names_the_school_and_its_icons_are_served() {
    let server = TestServer::installed().await;
    let c = server.client();
    let resp = fetch(&c, "/manifest.webmanifest").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        header(&resp, "content-type").as_deref(),
        Some("application/manifest+json")
    );
    let csp = header(&resp, "content-security-policy").unwrap();
    assert!(csp.contains("manifest-src 'self'"), "{csp}");
    assert!(csp.contains("worker-src 'self'"), "{csp}");
    let m: Value = resp.json().await.unwrap();
    let school = preau::school::get(&server.store()).unwrap().unwrap();
    assert_eq!(m["name"], school.name.as_str());
    assert_eq!(
        m["short_name"],
        preau::pwa::short_name(&school.name).as_str()
    );
    assert!(
        m["short_name"].as_str().unwrap().chars().count() <= 12,
        "{m}"
    );
    assert_eq!(m["start_url"], "/accueil");
    assert_eq!(m["scope"], "/");
    assert_eq!(m["display"], "standalone");
    assert_eq!(m["lang"], "fr");
    assert_eq!(m["theme_color"], "#0b5f83");
    assert_eq!(m["background_color"], "#fffdf8");
    let icons = m["icons"].as_array().unwrap();
    let mut sizes = Vec::new();
    for icon in icons {
        let src = icon["src"].as_str().unwrap();
        assert!(src.starts_with("/static/img/app/"), "{src}");
        let resp = fetch(&c, src).await;
        assert_eq!(resp.status(), 200, "{src}");
        assert_eq!(header(&resp, "content-type").as_deref(), Some("image/png"));
        let png = resp.bytes().await.unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{src}");
        // The size the manifest announces is the image's (IHDR: width, height).
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!(icon["sizes"], format!("{width}x{height}"), "{src}");
        sizes.push((width, icon["purpose"].as_str().unwrap().to_string()));
    }
    assert!(sizes.contains(&(192, "any".into())), "{sizes:?}");
    assert!(sizes.contains(&(512, "any".into())), "{sizes:?}");
    assert!(sizes.contains(&(512, "maskable".into())), "{sizes:?}");

    // Every page links it, with the touch icon and the theme colour.
    for path in ["/connexion", "/accessibilite"] {
        let body = fetch(&c, path).await.text().await.unwrap();
        assert!(
            body.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#),
            "{path}"
        );
        assert!(
            body.contains(
                r#"<link rel="apple-touch-icon" href="/static/img/app/apple-touch-icon.png?v="#
            ),
            "{path}"
        );
        assert!(
            body.contains(r##"<meta name="theme-color" content="#0b5f83">"##),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_service_worker_is_served_from_the_root_as_a_script() {
    let server = TestServer::installed().await;
    let c = server.client();
    let resp = fetch(&c, "/sw.js").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        header(&resp, "content-type").as_deref(),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(header(&resp, "cache-control").as_deref(), Some("no-cache"));
    assert_eq!(
        header(&resp, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
    let script = resp.text().await.unwrap();
    assert!(
        script.starts_with("const VERSION = \""),
        "{}",
        &script[..60]
    );
    // What it keeps from the start is there, and answers.
    let precache = script
        .lines()
        .find_map(|l| l.strip_prefix("const PRECACHE = "))
        .unwrap()
        .trim_end_matches(';');
    let urls: Vec<String> = serde_json::from_str(precache).unwrap();
    assert!(urls.contains(&"/hors-ligne".to_string()), "{urls:?}");
    for url in &urls {
        assert_eq!(fetch(&c, url).await.status(), 200, "{url}");
    }
    // The page registering it does so from the site's script, no inline script.
    let js = fetch(&c, &preau::ui::assets::url("js/preau.js"))
        .await
        .text()
        .await
        .unwrap();
    assert!(js.contains("navigator.serviceWorker.register(\"/sw.js\""));

    // The offline page: the school's layout, no session, no form, no person.
    let resp = fetch(&c, "/hors-ligne").await;
    assert_eq!(resp.status(), 200);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Hors ligne"), "{body}");
    assert!(body.contains(r#"<div id="pages-enregistrees">"#));
    assert!(!body.contains("<form"), "{body}");
    let sent = fetch(&c, "/hors-ligne?envoi=1").await.text().await.unwrap();
    assert!(sent.contains("Rien n&#39;a été envoyé") || sent.contains("Rien n'a été envoyé"));
}

#[tokio::test]
async fn pages_say_whose_they_are_and_which_may_be_read_offline() {
    let server = TestServer::installed().await;
    let mut c = server.client();
    let anonymous = fetch(&c, "/connexion").await;
    assert_eq!(
        header(&anonymous, "preau-lecteur").as_deref(),
        Some("aucun")
    );
    assert_eq!(header(&anonymous, "preau-hors-ligne"), None);

    // Signing in: the browser drops the site's caches and storage.
    c.get("/connexion").await;
    let token = c.csrf.clone();
    let login = c
        .http
        .post(format!("{}/connexion", c.base))
        .form(&[
            ("login", DIRECTOR_LOGIN),
            ("password", DIRECTOR_PASSWORD),
            ("suite", "/accueil"),
            ("_csrf", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    assert_eq!(
        header(&login, "clear-site-data").as_deref(),
        Some(r#""cache", "storage""#)
    );

    let home = fetch(&c, "/accueil").await;
    let reader = header(&home, "preau-lecteur").unwrap();
    assert_eq!(reader.len(), 24);
    assert_eq!(
        header(&home, "preau-hors-ligne").as_deref(),
        Some("lisible")
    );
    // Still no HTTP cache: the service worker's copy is the only one.
    assert_eq!(header(&home, "cache-control").as_deref(), Some("no-store"));
    assert_eq!(header(&home, "clear-site-data"), None);
    for path in ["/cahier-de-textes", "/carnet", "/messagerie", "/agenda"] {
        let resp = fetch(&c, path).await;
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(
            header(&resp, "preau-lecteur").as_deref(),
            Some(reader.as_str())
        );
        assert_eq!(
            header(&resp, "preau-hors-ligne").as_deref(),
            Some("lisible"),
            "{path}"
        );
    }
    for path in ["/admin", "/compte", "/messagerie/ecrire", "/aide"] {
        let resp = fetch(&c, path).await;
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(header(&resp, "preau-hors-ligne"), None, "{path}");
    }

    // Signing out: the caches go, the next page answers for no one.
    c.get("/accueil").await;
    let token = c.csrf.clone();
    let logout = c
        .http
        .post(format!("{}/deconnexion", c.base))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 303);
    assert_eq!(
        header(&logout, "clear-site-data").as_deref(),
        Some(r#""cache", "storage""#)
    );
    let after = fetch(&c, "/accueil").await;
    assert_eq!(header(&after, "preau-lecteur").as_deref(), Some("aucun"));
    assert_eq!(header(&after, "preau-hors-ligne"), None);

    // Another session of the same person is another reader: its own cache.
    let again = server.signed_in(DIRECTOR_LOGIN).await;
    let other = header(&fetch(&again, "/accueil").await, "preau-lecteur").unwrap();
    assert_ne!(other, reader);
}
