//! On a phone (390 × 844): the menu is one collapsed « Menu » line that opens without
//! JavaScript, and the wide tables become cards, so that no page is wider than the screen.
//! axe-core checks the same pages when it is found on the machine.

use super::print::{farm_mot, prepare};
use super::Driver;
use crate::common::{TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};
use serde_json::json;

/// Where axe-core may be: PREAU_AXE_JS, then the usual npm places.
pub(super) fn axe_source() -> Option<String> {
    let candidates = [
        std::env::var("PREAU_AXE_JS").unwrap_or_default(),
        "node_modules/axe-core/axe.min.js".into(),
        "/tmp/node_modules/axe-core/axe.min.js".into(),
        "/usr/lib/node_modules/axe-core/axe.min.js".into(),
        "/usr/share/nodejs/axe-core/axe.min.js".into(),
    ];
    candidates
        .iter()
        .filter(|p| !p.is_empty())
        .find_map(|p| std::fs::read_to_string(p).ok())
}

#[tokio::test]
async fn on_a_phone_the_menu_is_folded_and_no_page_is_wider_than_the_screen() {
    let server = TestServer::installed().await;
    let cp = prepare(&server);
    let mot = farm_mot(&server, cp).await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.sign_in(&base, DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 390, "height": 844}),
    )
    .await;
    let axe = axe_source();
    // tests/run.sh (the README's and CI's command) installs it and says where: there, a
    // missing checker is a failure, not a skipped check.
    let promised = std::env::var("PREAU_AXE_JS").unwrap_or_default();
    assert!(
        promised.is_empty() || axe.is_some(),
        "axe-core not found at PREAU_AXE_JS={promised}"
    );
    if axe.is_none() {
        eprintln!("axe-core absent (PREAU_AXE_JS) : contrôle d'accessibilité ignoré");
    }
    let pages = [
        "/accueil".to_string(),
        format!("/carnet/{mot}/suivi"),
        format!("/classes/{cp}"),
        "/admin/comptes".to_string(),
        "/admin/journal".to_string(),
        "/compte".to_string(),
        "/admin/classes".to_string(),
        "/admin/communication".to_string(),
        "/accessibilite".to_string(),
        "/compte/affichage".to_string(),
        format!("/classes/{cp}/services"),
        "/aide/direction".to_string(),
        "/admin/aide".to_string(),
        "/admin/statistiques?periode=semaine".to_string(),
        "/agenda".to_string(),
        "/recherche?q=sortie".to_string(),
    ];
    for (i, path) in pages.iter().enumerate() {
        d.goto(&format!("{base}{path}")).await;
        d.wait_for("Se déconnecter").await;
        let m = d
            .script(
                "const d = document.querySelector('nav details.menu-narrow');
                 const nav = document.querySelector('header.site nav');
                 return {inner: window.innerWidth, scroll: document.documentElement.scrollWidth,
                         menu: !!d && getComputedStyle(d).display !== 'none',
                         open: !!d && d.open,
                         wide: [...document.querySelectorAll('nav ul.menu-wide')]
                               .some(u => getComputedStyle(u).display !== 'none'),
                         navHeight: nav ? nav.getBoundingClientRect().height : 0,
                         screen: window.innerHeight};",
            )
            .await;
        eprintln!("{path}: {m}");
        let inner = m["inner"].as_f64().unwrap();
        assert!(inner <= 400.0, "the window is phone-sized: {m}");
        assert!(
            m["scroll"].as_f64().unwrap() <= inner,
            "{path} is wider than the screen: {m}"
        );
        assert!(
            m["menu"] == true && m["open"] == false && m["wide"] == false,
            "{path}: the menu is one folded line: {m}"
        );
        // One line of the screen, not 40 % of it.
        assert!(
            m["navHeight"].as_f64().unwrap() < m["screen"].as_f64().unwrap() * 0.08,
            "{path}: the folded menu stays small: {m}"
        );
        d.screenshot(&format!("phone-{i}.png")).await;
        if let Some(src) = &axe {
            let v = d
                .script(&format!(
                    "{src}\n;return axe.run(document).then(r => r.violations.map(v => v.id + ' (' + v.nodes.length + ') ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')));"
                ))
                .await;
            assert_eq!(v, json!([]), "{path}: axe-core violations");
        }
    }

    // The menu opens without JavaScript, on the profile's main services.
    d.goto(&format!("{base}/accueil")).await;
    d.wait_for("Se déconnecter").await;
    d.click("nav details.menu-narrow summary").await;
    let open = d
        .script(
            "const d = document.querySelector('nav details.menu-narrow');
             return {open: d.open, first: [...d.querySelectorAll('a')].slice(0, 3).map(a => a.textContent)};",
        )
        .await;
    assert_eq!(open["open"], true, "{open}");
    // The director teaches too: the console, then a teacher's main services.
    assert_eq!(
        open["first"],
        json!(["Accueil", "Administration", "Cahier de textes"]),
        "{open}"
    );
    let png = super::print::output_dir().join("phone-menu.png");
    d.screenshot_to(&png).await;

    // The largest text with wide spacing (« Mon compte » → Affichage) still fits the screen.
    let store = server.store();
    let mut me = preau::directory::user_by_login(&store, DIRECTOR_LOGIN)
        .unwrap()
        .unwrap();
    me.reading = preau::ui::comfort::ReadingComfort {
        text: preau::ui::comfort::TextSize::Larger,
        wide_spacing: true,
        ..Default::default()
    };
    store
        .commit_blocking(|tx| Ok(preau::directory::save_user(tx, &me).map_err(|e| e.to_string())))
        .unwrap()
        .unwrap();
    for path in ["/accueil", "/messagerie", "/compte/affichage", "/agenda"] {
        d.goto(&format!("{base}{path}")).await;
        d.wait_for("Se déconnecter").await;
        d.click("nav details.menu-narrow summary").await;
        let m = d
            .script(
                "return {inner: window.innerWidth, scroll: document.documentElement.scrollWidth,
                         large: document.documentElement.classList.contains('texte-tres-grand')};",
            )
            .await;
        assert_eq!(m["large"], true, "{path}: {m}");
        assert!(
            m["scroll"].as_f64().unwrap() <= m["inner"].as_f64().unwrap(),
            "{path} with the largest text is wider than the screen: {m}"
        );
    }
    d.quit().await;
}
