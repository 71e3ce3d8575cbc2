//! The carnet de suivi in Chromium: a maternelle teacher, on a tablet (820 × 1180), adds
//! a réussite with a photo for two children of a group activity and shares the carnet;
//! a parent, on a phone (390 × 844), reads it and says « J'ai vu ». Then a GS child's own
//! carnet in kid mode, and the synthèse des acquis as the teacher writes it, the parent
//! signs it and it prints. axe-core checks each page.

use preau::directory::{self, Level, Membership};
use preau::policy::Profile;
use serde_json::json;

use super::canteen::axe_clean;
use super::Driver;
use crate::common::{add_person, TestServer, FOLKS_PASSWORD};

#[tokio::test]
async fn a_maternelle_teacher_adds_a_reussite_on_a_tablet_and_a_parent_sees_it_on_a_phone() {
    let (server, _f) = TestServer::school().await;
    let store = server.store();
    let class = store
        .commit_blocking(|tx| {
            directory::create_class(tx, "PS-MS Les Coccinelles", &[Level::PS, Level::MS])
        })
        .unwrap();
    add_person(
        &store,
        "lea.garnier",
        Profile::Enseignant,
        Some((class, Membership::Teacher)),
    );
    let jules = add_person(
        &store,
        "jules.roux",
        Profile::Eleve,
        Some((class, Membership::Pupil)),
    );
    let emma = add_person(
        &store,
        "emma.caron",
        Profile::Eleve,
        Some((class, Membership::Pupil)),
    );
    let camille = add_person(&store, "camille.roux", Profile::Responsable, None);
    store
        .commit_blocking(|tx| directory::link_parent(tx, camille, jules))
        .unwrap();
    let photo = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("poutre.png");
    let mut bytes = Vec::new();
    image::DynamicImage::new_rgb8(320, 240)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    std::fs::write(&photo, bytes).unwrap();

    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 820, "height": 1180}),
    )
    .await;
    d.sign_in(&base, "lea.garnier", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}/suivi")).await;
    d.wait_for("PS-MS Les Coccinelles").await;
    axe_clean(&d, "/suivi (enseignante)").await;
    d.click(&format!("a[href='/suivi/classe/{class}']")).await;
    d.wait_for("Ajouter une réussite").await;
    axe_clean(&d, "/suivi/classe/:id").await;
    d.click(&format!("a[href='/suivi/classe/{class}/reussite']"))
        .await;
    d.wait_for("Les enfants qui l'ont réussi").await;
    axe_clean(&d, "/suivi/classe/:id/reussite").await;
    // The photo as the tablet gives it: a file chosen in the file field.
    let input = d.find("#f-photo").await;
    d.cmd(
        reqwest::Method::POST,
        &format!("/element/{input}/value"),
        json!({"text": photo.display().to_string()}),
    )
    .await;
    d.script("document.querySelector('#f-domaine').value = 'activite-physique'; return 1;")
        .await;
    d.type_into("#f-phrase", "Je sais marcher sur la poutre")
        .await;
    d.click(&format!("#f-eleves-{jules}")).await;
    d.click(&format!("#f-eleves-{emma}")).await;
    d.click("form[enctype] button.primary").await;
    d.wait_for("Réussite notée pour 2 enfants").await;
    axe_clean(&d, "/suivi/classe/:id (réussite notée)").await;
    d.goto(&format!("{base}/suivi/eleve/{jules}")).await;
    let page = d.wait_for("Je sais marcher sur la poutre").await;
    assert!(page.contains("/photo"), "the photo is on the carnet");
    axe_clean(&d, "/suivi/eleve/:id (enseignante)").await;
    d.click("form[action$='/partager'] button.primary").await;
    d.wait_for("sa famille est prévenue").await;

    // Camille, Jules's mother, on her phone.
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 390, "height": 844}),
    )
    .await;
    d.sign_in(&base, "camille.roux", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}/suivi")).await;
    d.wait_for("Le carnet de mes enfants").await;
    axe_clean(&d, "/suivi (famille)").await;
    d.click(&format!("a[href='/suivi/eleve/{jules}']")).await;
    let page = d.wait_for("Je sais marcher sur la poutre").await;
    assert!(page.contains("pas encore vu"), "{page}");
    // Brought into view (a lazy picture below the fold waits for it), then given time to
    // arrive through the service worker.
    let mut loaded = json!(false);
    for _ in 0..25 {
        loaded = d
            .script("const i = document.querySelector('.reussite img'); i.scrollIntoView(); return i.complete && i.naturalWidth > 0;")
            .await;
        if loaded == json!(true) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(loaded, json!(true), "the photo shows");
    axe_clean(&d, "/suivi/eleve/:id (famille)").await;
    d.screenshot("suivi-carnet-famille.png").await;
    d.click("form[action$='/vu'] button").await;
    d.wait_for("C'est noté").await;
    let page = d.wait_for("vu le").await;
    assert!(
        !page.contains(&format!("action=\"/suivi/eleve/{jules}/vu\"")),
        "« J'ai vu » is said once"
    );
    axe_clean(&d, "/suivi/eleve/:id (vu)").await;
    d.quit().await;
    server.stop().await;
}

#[tokio::test]
async fn the_childs_own_carnet_and_the_gs_synthese_are_accessible() {
    let (server, _f) = TestServer::school().await;
    let store = server.store();
    let class = store
        .commit_blocking(|tx| {
            directory::create_class(tx, "MS-GS Les Hiboux", &[Level::MS, Level::GS])
        })
        .unwrap();
    add_person(
        &store,
        "lea.garnier",
        Profile::Enseignant,
        Some((class, Membership::Teacher)),
    );
    let jules = add_person(
        &store,
        "jules.roux",
        Profile::Eleve,
        Some((class, Membership::Pupil)),
    );
    let camille = add_person(&store, "camille.roux", Profile::Responsable, None);
    store
        .commit_blocking(|tx| directory::link_parent(tx, camille, jules))
        .unwrap();
    // A réussite with its photo and the synthèse, written through the pages.
    let mut lea = server.signed_in("lea.garnier").await;
    let form = format!("/suivi/classe/{class}/reussite");
    lea.get(&form).await;
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(320, 240)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let (day, pupil) = (
        preau::ui::dates::date_value(preau::auth::now_micros()),
        jules.to_string(),
    );
    let r = lea
        .post_multipart(
            &form,
            &[
                ("date", &day),
                ("domaine", "activite-physique"),
                ("phrase", "Je sais faire une roulade"),
                ("eleves", &pupil),
            ],
            &[("photo", "roulade.png", png)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let synthese = format!("/suivi/eleve/{jules}/synthese");
    lea.get(&synthese).await;
    let names: Vec<String> = (0..preau::progress::synthese::grid_len())
        .map(|i| format!("l-{i}"))
        .collect();
    let mut grid: Vec<(&str, &str)> = names.iter().map(|k| (k.as_str(), "souvent")).collect();
    grid.push(("points-forts", "Raconte volontiers."));
    assert_eq!(lea.post(&synthese, &grid).await.status, 303);

    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 820, "height": 1180}),
    )
    .await;
    d.sign_in(&base, "jules.roux", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}/suivi")).await;
    let page = d.wait_for("Je sais faire une roulade").await;
    assert!(page.contains("Mes réussites") && !page.contains("entete-recherche"));
    axe_clean(&d, "/suivi (enfant)").await;
    d.screenshot("suivi-enfant.png").await;

    d.sign_in(&base, "lea.garnier", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}{synthese}")).await;
    d.wait_for("Partager la synthèse avec la famille").await;
    axe_clean(&d, "/suivi/eleve/:id/synthese (enseignante)").await;
    d.click("form[action$='/synthese/partager'] button").await;
    d.wait_for("chaque responsable est invité à la signer")
        .await;

    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 390, "height": 844}),
    )
    .await;
    d.sign_in(&base, "camille.roux", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}{synthese}")).await;
    d.wait_for("pas encore signé").await;
    axe_clean(&d, "/suivi/eleve/:id/synthese (famille)").await;
    d.click("form[action$='/vu'] button").await;
    d.wait_for("Votre signature est enregistrée").await;
    d.goto(&format!("{base}{synthese}/imprimer")).await;
    let sheet = d.wait_for("signé le").await;
    assert!(sheet.contains("École des Tilleuls"));
    axe_clean(&d, "/suivi/eleve/:id/synthese/imprimer").await;
    // Printed on A4: the sheet alone (no menu, no sign-out), the school's header on top,
    // the whole grid and the signature, on two pages at most, none blank.
    let pdf = d.print_pdf().await;
    std::fs::write(super::print::output_dir().join("synthese-gs.pdf"), &pdf).unwrap();
    if let Some(pages) = super::print::pdf_pages(&pdf) {
        eprintln!("synthèse: {} page(s)", pages.len());
        assert!((1..=2).contains(&pages.len()), "{pages:?}");
        assert!(
            pages.iter().all(|p| !p.is_empty()),
            "a blank page: {pages:?}"
        );
        let all = pages.concat();
        assert!(pages[0].starts_with("ÉcoledesTilleuls"), "{pages:?}");
        for text in [
            "Synthèsedesacquisscolaires",
            "Tris,classements",
            "Raconte",
            "signéle",
        ] {
            assert!(all.contains(text), "{text}: {pages:?}");
        }
        assert!(!all.contains("Sedéconnecter") && !all.contains("Retouràlasynthèse"));
    }
    d.quit().await;
    server.stop().await;
}
