//! The installable app in Chromium: the manifest is linked, the service worker registers
//! and takes the page, a page read online is served offline (the school's server stopped)
//! with the « hors ligne » banner, a form sent offline says nothing was sent, and a logout
//! leaves no page in the caches. axe-core checks the offline pages when it is found.

use super::phone::axe_source;
use super::Driver;
use crate::common::{TestServer, FOLKS_PASSWORD};
use serde_json::{json, Value};

/// The caches' names and the paths each keeps.
const CACHES: &str = "return caches.keys().then(names => Promise.all(names.map(n =>
    caches.open(n).then(c => c.keys()).then(rs => [n, rs.map(r => new URL(r.url).pathname)]))));";

async fn caches(d: &Driver) -> Vec<(String, Vec<String>)> {
    let v = d.script(CACHES).await;
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}: {v}"))
}

fn pages_kept(all: &[(String, Vec<String>)]) -> Vec<String> {
    all.iter()
        .filter(|(name, _)| name.starts_with("preau-pages-"))
        .flat_map(|(_, paths)| paths.clone())
        .collect()
}

fn page_cache_names(all: &[(String, Vec<String>)]) -> Vec<String> {
    all.iter()
        .map(|(n, _)| n.clone())
        .filter(|n| n.starts_with("preau-pages-"))
        .collect()
}

/// Waits until the service worker controls the page (it claims the pages open when it
/// activates), reloading the page if it came first.
async fn wait_for_control(d: &Driver, url: &str) {
    for i in 0..100 {
        let v = d
            .script("return !!(navigator.serviceWorker && navigator.serviceWorker.controller);")
            .await;
        if v == json!(true) {
            return;
        }
        if i == 50 {
            d.goto(url).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let state = d
        .script(
            "return navigator.serviceWorker.getRegistration().then(r => r ? {active: !!r.active,
             installing: !!r.installing, waiting: !!r.waiting} : 'aucun');",
        )
        .await;
    panic!("the service worker never took the page: {state}");
}

/// Opens `paths` (controlled by the service worker) and waits until it has kept them.
async fn read_online(d: &Driver, base: &str, paths: &[&str]) {
    for path in paths {
        d.goto(&format!("{base}{path}")).await;
        d.wait_for("Se déconnecter").await;
    }
    for _ in 0..50 {
        let kept = pages_kept(&caches(d).await);
        if paths.iter().all(|p| kept.iter().any(|k| k == p)) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("pages not kept: {:?}", caches(d).await);
}

async fn axe_clean(d: &Driver, axe: &Option<String>, what: &str) {
    if let Some(src) = axe {
        let v = d
            .script(&format!(
                "{src}\n;return axe.run(document).then(r => r.violations.map(v => v.id + ' (' + v.nodes.length + ') ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')));"
            ))
            .await;
        assert_eq!(v, json!([]), "{what}: axe-core violations");
    }
}

#[tokio::test]
async fn a_page_read_online_is_read_offline_and_a_logout_leaves_no_page_behind() {
    let (server, _folks) = TestServer::school().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    let axe = axe_source();
    d.sign_in(&base, "anne.petit", FOLKS_PASSWORD).await;
    let linked = d
        .script(
            "return {manifest: document.querySelector('link[rel=manifest]').href,
                     theme: document.querySelector('meta[name=theme-color]').content,
                     touch: !!document.querySelector('link[rel=apple-touch-icon]'),
                     secure: window.isSecureContext};",
        )
        .await;
    assert_eq!(
        linked,
        json!({"manifest": format!("{base}/manifest.webmanifest"), "theme": "#0b5f83",
               "touch": true, "secure": true})
    );
    let home = format!("{base}/accueil");
    wait_for_control(&d, &home).await;
    let scope = d
        .script("return navigator.serviceWorker.getRegistration().then(r => r.scope);")
        .await;
    assert_eq!(scope, json!(format!("{base}/")));
    read_online(&d, &base, &["/accueil", "/carnet"]).await;
    // Only the pages to read, in one cache for this session.
    let all = caches(&d).await;
    let page_caches = page_cache_names(&all);
    assert_eq!(page_caches.len(), 1, "{all:?}");
    d.goto(&format!("{base}/compte")).await;
    d.wait_for("Se déconnecter").await;
    assert!(
        !pages_kept(&caches(&d).await).contains(&"/compte".to_string()),
        "{all:?}"
    );

    // Logging out empties the caches.
    d.click("form[action='/deconnexion'] button").await;
    d.wait_for("Se connecter").await;
    let after: Value = d.script("return caches.keys();").await;
    eprintln!("caches after logout: {after}");
    assert!(
        pages_kept(&caches(&d).await).is_empty(),
        "no page kept after logout: {after}"
    );
    let names: Vec<String> = serde_json::from_value(after.clone()).unwrap();
    assert!(
        names.iter().all(|n| !n.starts_with("preau-pages-")),
        "{after}"
    );

    // She signs in again and reads: a new session, a new cache.
    d.sign_in(&base, "anne.petit", FOLKS_PASSWORD).await;
    wait_for_control(&d, &home).await;
    read_online(&d, &base, &["/accueil", "/carnet"]).await;
    let anne = page_cache_names(&caches(&d).await);
    assert_eq!(anne.len(), 1);
    assert_ne!(anne, page_caches, "a new session, a new cache");

    // The family phone changes hands without a logout: the other guardian signs in, and
    // nothing of the first one's pages is left.
    d.sign_in(&base, "ines.leroy", FOLKS_PASSWORD).await;
    wait_for_control(&d, &home).await;
    read_online(&d, &base, &["/accueil"]).await;
    let all = caches(&d).await;
    let ines = page_cache_names(&all);
    assert_eq!(ines.len(), 1, "{all:?}");
    assert_ne!(ines, anne, "{all:?}");
    assert_eq!(pages_kept(&all), vec!["/accueil".to_string()], "{all:?}");

    // Then the school cannot be reached.
    drop(server.stop().await);
    d.goto(&home).await;
    let page = d.wait_for("Hors ligne — page enregistrée le").await;
    assert!(
        page.contains("Bonjour Inès"),
        "the copy is the page as read"
    );
    assert!(!page.contains("Anne"), "nothing of the first guardian");
    d.screenshot("offline-copy.png").await;
    let banner = d
        .script("const b = document.querySelector('main .hors-ligne'); return b && b.getAttribute('role');")
        .await;
    assert_eq!(banner, json!("status"));
    axe_clean(&d, &axe, "the offline copy").await;

    // A page never read: the offline page, listing what can be read.
    d.goto(&format!("{base}/messagerie")).await;
    let page = d.wait_for("Relire sans connexion").await;
    assert!(page.contains("Relire sans connexion"));
    let listed = d
        .script("return [...document.querySelectorAll('#pages-enregistrees a')].map(a => a.getAttribute('href'));")
        .await;
    assert_eq!(listed, json!(["/accueil"]), "Anne's carnet is gone");
    axe_clean(&d, &axe, "the offline page").await;

    // A form sent offline is not kept for later: the page says so.
    d.goto(&home).await;
    d.wait_for("Hors ligne — page enregistrée le").await;
    d.script(
        "const f = document.querySelector('form[method=post]:not([action=\"/deconnexion\"])')
             || Object.assign(document.body.appendChild(document.createElement('form')),
                              {method: 'post', action: '/accueil/visite'});
         f.submit(); return f.action;",
    )
    .await;
    d.wait_for("Votre envoi n").await;
    let title = d.script("return document.title;").await;
    assert!(
        title.as_str().unwrap().starts_with("Rien n'a été envoyé"),
        "{title}"
    );
    axe_clean(&d, &axe, "the page of a form sent offline").await;
    d.quit().await;
}

#[tokio::test]
async fn switching_accounts_on_a_family_phone_leaves_none_of_the_first_ones_pages() {
    let (server, folks) = TestServer::school().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    let axe = axe_source();
    // Inès used the phone before: signed in, then out. The phone remembers her.
    d.sign_in(&base, "ines.leroy", FOLKS_PASSWORD).await;
    d.click("form[action='/deconnexion'] button").await;
    d.wait_for("Se connecter").await;
    // Anne signs in on the same phone and reads her pages.
    d.type_into("#f-login", "anne.petit").await;
    d.type_into("#f-password", FOLKS_PASSWORD).await;
    d.click("button.primary").await;
    d.wait_for("Se déconnecter").await;
    let home = format!("{base}/accueil");
    wait_for_control(&d, &home).await;
    read_online(&d, &base, &["/accueil", "/carnet"]).await;
    let anne = page_cache_names(&caches(&d).await);
    assert_eq!(anne.len(), 1);

    // Push on this device: the button shows where the browser can subscribe (it is not
    // pressed: no public push service in tests).
    d.goto(&format!("{base}/compte/notifications-push")).await;
    d.wait_for("Heures calmes").await;
    let shown = d
        .script("return !document.getElementById('push-abonnement').hidden;")
        .await;
    assert_eq!(shown, json!(true));
    axe_clean(&d, &axe, "the devices page").await;

    // « Mon compte » → « Changer de compte »: Inès, with her password.
    d.goto(&format!("{base}/compte")).await;
    d.click("a[href='/compte/changer-de-compte']").await;
    d.wait_for("Passer à ce compte").await;
    axe_clean(&d, &axe, "the account switcher").await;
    d.type_into(&format!("#mdp-{}", folks.ines), FOLKS_PASSWORD)
        .await;
    d.click(&format!(
        "section[aria-labelledby='compte-{}'] button.primary",
        folks.ines
    ))
    .await;
    d.wait_for("Bonjour Inès").await;
    wait_for_control(&d, &home).await;
    let all = caches(&d).await;
    assert!(
        !page_cache_names(&all).contains(&anne[0]),
        "Anne's copies are gone: {all:?}"
    );
    assert!(
        !pages_kept(&all).contains(&"/carnet".to_string()),
        "{all:?}"
    );
    // And the switcher now offers Anne.
    d.goto(&format!("{base}/compte/changer-de-compte")).await;
    d.wait_for("Anne").await;
    d.quit().await;
}
