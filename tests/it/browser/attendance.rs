//! The registre d'appel on a tablet (768 × 1024): the teacher takes the appel with big
//! touch targets, the mother gets the alert and gives the motif, the director prints the
//! month's register (A4 landscape). axe-core checks each page when it is found.

use serde_json::{json, Value};

use super::Driver;
use crate::common::{TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD, FOLKS_PASSWORD};

/// Where axe-core may be, as the phone test looks for it.
pub(super) fn axe_source() -> Option<String> {
    [
        std::env::var("PREAU_AXE_JS").unwrap_or_default(),
        "node_modules/axe-core/axe.min.js".into(),
        "/tmp/node_modules/axe-core/axe.min.js".into(),
        "/usr/lib/node_modules/axe-core/axe.min.js".into(),
        "/usr/share/nodejs/axe-core/axe.min.js".into(),
    ]
    .iter()
    .filter(|p| !p.is_empty())
    .find_map(|p| std::fs::read_to_string(p).ok())
}

pub(super) async fn clean(d: &Driver, axe: &Option<String>, what: &str) {
    let width = d
        .script("return {inner: window.innerWidth, scroll: document.documentElement.scrollWidth};")
        .await;
    assert!(
        width["scroll"].as_f64().unwrap() <= width["inner"].as_f64().unwrap(),
        "{what} is wider than the tablet: {width}"
    );
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
async fn the_teacher_calls_the_mother_answers_the_director_prints() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    crate::attendance::school_today(&store);
    let Some(d) = Driver::start().await else {
        return;
    };
    let axe = axe_source();
    if axe.is_none() {
        eprintln!("axe-core absent (PREAU_AXE_JS) : contrôle d'accessibilité ignoré");
    }
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 768, "height": 1024}),
    )
    .await;

    // The teacher: one tap on « Absent », then « Appel terminé ».
    d.sign_in(&base, "paul.durand", "maitre2026").await;
    d.goto(&format!("{base}/appel")).await;
    d.wait_for("Appel du matin").await;
    clean(&d, &axe, "/appel").await;
    d.goto(&format!("{base}/appel/classe/{}?demi=matin", f.cm))
        .await;
    d.wait_for("Appel terminé").await;
    clean(&d, &axe, "the appel").await;
    let target = d
        .script(&format!(
            "const r = document.querySelector(\"label[for='e{}-absent']\").getBoundingClientRect(); return {{w: r.width, h: r.height}};",
            f.zoe
        ))
        .await;
    assert!(
        target["w"].as_f64().unwrap() >= 44.0 && target["h"].as_f64().unwrap() >= 44.0,
        "a big touch target: {target}"
    );
    d.click(&format!("label[for='e{}-absent']", f.zoe)).await;
    d.click("form.appel button.primary").await;
    d.wait_for("Appel enregistré : 1 absent").await;
    d.screenshot_to(&super::print::output_dir().join("appel-tablette.png"))
        .await;

    // The mother: the alert in the bell, the motif from the legal list.
    d.sign_in(&base, "ines.leroy", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}/notifications")).await;
    d.wait_for("Zoé n'est pas en classe ce matin").await;
    d.goto(&format!("{base}/absences")).await;
    d.wait_for("Donner le motif").await;
    clean(&d, &axe, "/absences").await;
    d.click("form.motif select option[value='maladie']").await;
    d.click("form.motif button").await;
    d.wait_for("Motif transmis").await;
    assert!(d.source().await.contains("maladie de l'enfant"));
    d.goto(&format!("{base}/absences/prevenir")).await;
    d.wait_for("Prévenir l'école").await;
    clean(&d, &axe, "/absences/prevenir").await;

    // The director: the school today, then the month's register printed.
    d.sign_in(&base, DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    d.goto(&format!("{base}/admin/absences")).await;
    d.wait_for("L'école aujourd'hui").await;
    clean(&d, &axe, "/admin/absences").await;
    d.goto(&format!("{base}/admin/absences/registre/{}", f.cm))
        .await;
    d.wait_for("Registre d'appel").await;
    clean(&d, &axe, "the register").await;
    let v: Value = d
        .cmd(
            reqwest::Method::POST,
            "/print",
            json!({"orientation": "landscape", "page": {"width": 21.0, "height": 29.7}, "background": true}),
        )
        .await;
    use base64::Engine;
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(v.as_str().unwrap_or_else(|| panic!("no PDF: {v}")))
        .unwrap();
    std::fs::write(super::print::output_dir().join("registre.pdf"), &pdf).unwrap();
    if let Some(pages) = super::print::pdf_pages(&pdf) {
        assert!(!pages.is_empty());
        let first = &pages[0];
        assert!(first.contains("Registred'appel—CM1-CM2"), "{first}");
        assert!(first.contains("ZoéLeroy"), "{first}");
        assert!(
            !first.contains("Viserleregistre"),
            "the buttons are not printed: {first}"
        );
    }
    d.quit().await;
    server.stop().await;
}
