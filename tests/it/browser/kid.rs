//! A CP pupil's home (the kid home) on a phone (390 × 844), a tablet (768 × 1024) and the
//! class board (1920 × 1080): nothing wider than the screen, tiles a finger finds, axe-core
//! without a violation — with the « Écouter » buttons hidden (no French voice: nothing
//! shows) and shown (as the script shows them once it has found a voice).

use super::phone::axe_source;
use super::Driver;
use crate::budgets::DAY;
use crate::common::{TestServer, DIRECTOR_LOGIN};
use serde_json::json;

/// Work due today and tomorrow in the CP-CE1, and an article of its blog.
async fn the_day_of_the_cp(server: &TestServer) {
    use preau::blog::{Article, BlogRef, Status};
    use preau::pedagogy::textbook::{Entry, EntryKind};
    let store = server.store();
    let cp = preau::directory::classes(&store)
        .unwrap()
        .into_iter()
        .find(|c| c.label == "CP-CE1")
        .unwrap()
        .id;
    let teacher = preau::directory::user_by_login(&store, DIRECTOR_LOGIN)
        .unwrap()
        .unwrap()
        .id;
    let now = preau::auth::now_micros();
    store
        .commit(|tx| {
            for (title, due_in) in [
                ("Colorier la fleur du printemps en rouge et en jaune", 0),
                ("Lire la page 12 du livre de lecture avec un adulte", 1),
            ] {
                let id = tx.next_id("textbook")?;
                preau::pedagogy::textbook::insert(
                    tx,
                    &Entry {
                        kind: EntryKind::Work,
                        subject: "Français".into(),
                        title: title.into(),
                        day: preau::ui::dates::date_value(now + due_in * DAY),
                        minutes: 10,
                        ..crate::budgets::session(id, cp, now, teacher)
                    },
                )?;
            }
            let id = tx.next_id("blog_article")?;
            preau::blog::insert(
                tx,
                &Article {
                    id,
                    blog: BlogRef::Class(cp),
                    author: teacher,
                    title: "Notre sortie à la ferme pédagogique".into(),
                    body: "Nous avons vu des vaches.".into(),
                    media: vec![],
                    status: Status::Published,
                    publish_at: now - DAY,
                    tagged: vec![],
                    created_at: now - DAY,
                    updated_at: now - DAY,
                },
            )
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_cp_pupil_s_home_fits_a_phone_a_tablet_and_the_class_board() {
    let server = TestServer::installed().await;
    the_day_of_the_cp(&server).await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.sign_in(&base, "lou.petit", "motdepasse1").await;
    let axe = axe_source();
    let promised = std::env::var("PREAU_AXE_JS").unwrap_or_default();
    assert!(
        promised.is_empty() || axe.is_some(),
        "axe-core not found at PREAU_AXE_JS={promised}"
    );
    if axe.is_none() {
        eprintln!("axe-core absent (PREAU_AXE_JS) : contrôle d'accessibilité ignoré");
    }
    for (width, height, name) in [
        (390, 844, "telephone"),
        (768, 1024, "tablette"),
        (1920, 1080, "tableau"),
    ] {
        d.cmd(
            reqwest::Method::POST,
            "/window/rect",
            json!({"width": width, "height": height}),
        )
        .await;
        for voice in [false, true] {
            d.goto(&format!("{base}/accueil")).await;
            d.wait_for("Mes services").await;
            if voice {
                d.script("document.querySelectorAll('button.ecouter').forEach(b => b.hidden = false); return true;")
                    .await;
            }
            let m = d
                .script(
                    "const shown = e => e.getClientRects().length > 0;
                     return {inner: window.innerWidth, scroll: document.documentElement.scrollWidth,
                             tiles: [...document.querySelectorAll('ul.kid-tiles a')].map(a => {
                                 const r = a.getBoundingClientRect(); return [r.width, r.height]; }),
                             words: [...document.querySelectorAll('ul.kid-tiles a span')].map(s => s.textContent),
                             work: document.querySelectorAll('ul.kid-list a').length,
                             buttons: document.querySelectorAll('button.ecouter').length,
                             shown: [...document.querySelectorAll('button.ecouter')].filter(shown).length};",
                )
                .await;
            eprintln!("{name} (voix : {voice}): {m}");
            let inner = m["inner"].as_f64().unwrap();
            assert!(
                (f64::from(width) - 40.0..=f64::from(width)).contains(&inner),
                "{name}: the window is {width} wide: {m}"
            );
            assert!(
                m["scroll"].as_f64().unwrap() <= inner,
                "{name}: the home is wider than the screen: {m}"
            );
            let tiles = m["tiles"].as_array().unwrap();
            // « Réussites » (the child's own carnet de suivi) among them.
            assert_eq!(tiles.len(), 12, "every service of a pupil: {m}");
            for t in tiles {
                assert!(
                    t[0].as_f64().unwrap() >= 120.0 && t[1].as_f64().unwrap() >= 120.0,
                    "{name}: a tile a finger finds: {m}"
                );
            }
            assert!(m["words"].as_array().unwrap().contains(&json!("Travail")));
            assert!(m["words"].as_array().unwrap().contains(&json!("Réussites")));
            assert_eq!(m["work"], 2, "today's and tomorrow's work: {m}");
            // A tile's word, the class, both pieces of work, the article: each its button.
            assert_eq!(m["buttons"], 12 + 1 + 2 + 1, "{m}");
            let shown = if voice {
                m["buttons"].clone()
            } else {
                json!(0)
            };
            assert_eq!(
                m["shown"], shown,
                "{name}: « Écouter » only with a voice: {m}"
            );
            let png = super::print::output_dir().join(format!("kid-{name}-{voice}.png"));
            d.screenshot_to(&png).await;
            d.script("document.getElementById('services-titre').scrollIntoView(); return true;")
                .await;
            let png = super::print::output_dir().join(format!("kid-{name}-{voice}-tuiles.png"));
            d.screenshot_to(&png).await;
            if let Some(src) = &axe {
                let v = d
                    .script(&format!(
                        "{src}\n;return axe.run(document).then(r => r.violations.map(v => v.id + ' (' + v.impact + ', ' + v.nodes.length + ') ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')));"
                    ))
                    .await;
                assert_eq!(v, json!([]), "{name}: axe-core violations");
            }
        }
    }
    d.quit().await;
}
