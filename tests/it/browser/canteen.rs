//! The canteen in Chromium: the commune publishes a week, a parent signs two children up
//! on a phone (390 × 844, no page wider than the screen), the staff do the morning
//! pointage; axe-core checks each page when it is found.

use serde_json::json;

use super::Driver;
use crate::canteen::{create_service, monday, school, today};
use crate::common::FOLKS_PASSWORD;

pub(super) async fn axe_clean(d: &Driver, path: &str) {
    let m = d
        .script("return {inner: window.innerWidth, scroll: document.documentElement.scrollWidth};")
        .await;
    assert!(
        m["scroll"].as_f64().unwrap() <= m["inner"].as_f64().unwrap(),
        "{path} is wider than the screen: {m}"
    );
    let Some(src) = ["PREAU_AXE_JS"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .chain(["/tmp/node_modules/axe-core/axe.min.js".to_string()])
        .find_map(|p| std::fs::read_to_string(p).ok())
    else {
        eprintln!("axe-core absent : contrôle d'accessibilité ignoré ({path})");
        return;
    };
    let v = d
        .script(&format!(
            "{src}\n;return axe.run(document).then(r => r.violations.map(v => v.id + ' (' + v.nodes.length + ') ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')));"
        ))
        .await;
    assert_eq!(v, json!([]), "{path}: axe-core violations");
}

#[tokio::test]
async fn the_commune_publishes_a_parent_signs_two_children_up_on_a_phone_the_staff_point() {
    let (server, f) = school().await;
    let store = server.store();
    // Inès has Zoé and, for this test, Tom.
    store
        .commit_blocking(|tx| preau::directory::link_parent(tx, f.ines, f.tom))
        .unwrap();
    let mut mairie = server.signed_in("mairie.agent").await;
    let service = create_service(&store, &mut mairie, "cantine", "Cantine").await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 390, "height": 844}),
    )
    .await;

    // The commune publishes the week after next, a vegetarian plat on Monday.
    let week = preau::canteen::add_days(monday(today()), 14);
    d.sign_in(&base, "mairie.agent", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}/cantine/gestion/menu?semaine={week}"))
        .await;
    d.wait_for("Publier la semaine").await;
    axe_clean(&d, "/cantine/gestion/menu").await;
    d.type_into("#f-j0-plat-nom", "Lasagnes aux légumes").await;
    d.click("#f-j0-plat-vegetarien").await;
    d.type_into("#f-j0-plat-allergenes", "gluten, lait").await;
    d.type_into("#f-j0-dessert-nom", "Pomme").await;
    d.click("button[value=publier]").await;
    d.wait_for("Semaine publiée").await;
    // The week for the school door: one A4 page, the dishes and their allergens in words.
    d.goto(&format!("{base}/cantine/imprimer?semaine={week}"))
        .await;
    d.wait_for("Lasagnes aux légumes").await;
    if let Some(pages) = super::print::pdf_pages(&d.print_pdf().await) {
        assert_eq!(pages.len(), 1, "{pages:?}");
        assert!(
            pages[0].contains("Lasagnesauxlégumes") && pages[0].contains("Allergènes:gluten,lait"),
            "{pages:?}"
        );
        assert!(!pages[0].contains("Sedéconnecter"), "no menu on paper");
    }

    // Inès signs Zoé and Tom up for that Monday (unless it falls in the holidays).
    d.sign_in(&base, "ines.leroy", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}/cantine?semaine={week}")).await;
    d.wait_for("Lasagnes aux légumes").await;
    axe_clean(&d, "/cantine").await;
    d.screenshot("cantine-semaine.png").await;
    let open = preau::agenda::holidays::on(preau::school::get(&store).unwrap().unwrap().zone, week)
        .is_none();
    for child in [f.zoe, f.tom] {
        d.goto(&format!("{base}/cantine/inscriptions/{child}"))
            .await;
        d.wait_for("Inscriptions de").await;
        axe_clean(&d, "/cantine/inscriptions/:id").await;
        if open {
            d.click(&format!("#j-{service}-{week}")).await;
            d.click("section.service form button.primary").await;
            d.wait_for("1 jour(s) enregistré(s)").await;
            d.screenshot(&format!("cantine-inscriptions-{child}.png"))
                .await;
        }
    }
    if open {
        for child in [f.zoe, f.tom] {
            let days = preau::canteen::services::of_pupil(&store, child, week, week).unwrap();
            assert_eq!(days.len(), 1, "{child} signed up");
        }
    }

    // Today's list: Zoé and Tom booked (written as of a date before the cut-off).
    let t = today();
    let school_day = preau::canteen::weekday_number(t) <= 5
        && preau::agenda::holidays::on(preau::school::get(&store).unwrap().unwrap().zone, t)
            .is_none();
    if school_day {
        let people = preau::directory::people::People::load(&store).unwrap();
        let s = preau::canteen::services::service(&store, service)
            .unwrap()
            .unwrap();
        let actor = people.actor_of(f.ines, 0).unwrap();
        let earlier = preau::auth::now_micros() - 15 * 86_400_000_000;
        for child in [f.zoe, f.tom] {
            let granted = preau::policy::require(
                &actor,
                preau::policy::Action::BookCanteen { pupil_id: child },
            )
            .unwrap()
            .on(preau::canteen::access::Child { pupil: child });
            let closures = preau::canteen::services::SchoolClosures::of(&store).unwrap();
            let cx = preau::canteen::services::Context {
                closures: &closures,
                login: "ines.leroy",
                child_name: "enfant",
                classes: people.classes_of(child),
                managers: &[],
                now: earlier,
            };
            preau::canteen::services::change(&store, &granted, &s, &[(t, true)], &cx)
                .await
                .unwrap();
        }
        d.sign_in(&base, "eva.garde", FOLKS_PASSWORD).await;
        d.goto(&format!("{base}/periscolaire/{service}")).await;
        d.wait_for("2</strong> élève(s) attendu(s)").await;
        axe_clean(&d, "/periscolaire/:id").await;
        d.screenshot("cantine-pointage.png").await;
        // Everyone expected comes ticked (present by default, like the appel): Tom is not
        // there this morning, Eva unticks him.
        d.click(&format!("#p-{}", f.tom)).await;
        d.click("form button.primary").await;
        d.wait_for("Pointage enregistré : 1 présent(s)").await;
        let r = preau::canteen::register::register(&store, service, t)
            .unwrap()
            .unwrap();
        assert_eq!(r.present, vec![f.zoe]);
    }
    d.quit().await;
    server.stop().await;
}
