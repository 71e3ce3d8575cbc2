//! The livret scolaire in Chromium: a CM1 teacher fills the français of the first pupils
//! in the class grid (saved as she types, then with the button), publishes the period;
//! a parent reads the bilan, says « J'ai pris connaissance » and prints it on one A4
//! sheet; the director's LSU export lists what is missing. axe-core checks each page, and
//! no page is wider than the screen.

use jiff::Span;
use preau::directory::{self, Level, Membership};
use preau::policy::Profile;
use preau::progress::livret::{self, Period, PeriodKind, PERIODS};
use serde_json::json;

use super::canteen::axe_clean;
use super::print::pdf_pages;
use super::Driver;
use crate::common::{add_person, TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD, FOLKS_PASSWORD};

#[tokio::test]
async fn a_cm1_teacher_fills_a_subject_for_the_class_and_publishes_and_a_parent_reads_it() {
    let (server, _f) = TestServer::school().await;
    let store = server.store();
    let class = store
        .commit_blocking(|tx| directory::create_class(tx, "CM1 Les Explorateurs", &[Level::CM1]))
        .unwrap();
    add_person(
        &store,
        "hugo.martin",
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
    // Three trimestres, the second running today.
    let year = directory::rollover::current_year(&store).unwrap();
    let today = preau::ui::dates::local_day_and_hour(preau::auth::now_micros()).0;
    let day = |n: i64| today.checked_add(Span::new().days(n)).unwrap();
    store
        .commit_blocking(|tx| {
            for (number, (start, end)) in
                [(-100, -31), (-30, 30), (31, 120)].into_iter().enumerate()
            {
                let id = tx.next_id("livret_periode")?;
                let period = Period {
                    id,
                    year: year.clone(),
                    kind: PeriodKind::Trimestre,
                    number: number as u8 + 1,
                    start: day(start),
                    end: day(end),
                };
                tx.put(&PERIODS, &id, &period)?;
            }
            Ok(())
        })
        .unwrap();
    let period = livret::periods(&store, &year).unwrap()[1].id;

    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.cmd(
        reqwest::Method::POST,
        "/window/rect",
        json!({"width": 1280, "height": 900}),
    )
    .await;
    d.sign_in(&base, "hugo.martin", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}/suivi")).await;
    d.wait_for("Livret scolaire (élémentaire)").await;
    axe_clean(&d, "/suivi (enseignant de CM1)").await;
    d.click(&format!("a[href='/suivi/livret/classe/{class}']"))
        .await;
    d.wait_for("Saisie par matière").await;
    axe_clean(&d, "/suivi/livret/classe/:id").await;
    d.click("a[href*='matiere=francais']").await;
    d.wait_for("Éléments du programme travaillés").await;
    axe_clean(&d, "/suivi/livret/classe/:id/grille").await;
    d.type_into("#f-elements", "Lire et comprendre un récit")
        .await;
    d.type_into(&format!("#f-app-{jules}"), "Lecture fluide, bravo.")
        .await;
    d.script(&format!(
        "document.querySelector('#f-pos-{jules}').value = '3'; document.querySelector('#f-pos-{emma}').value = '4'; document.querySelector('#f-pos-{emma}').dispatchEvent(new Event('change', {{bubbles: true}})); return 1;"
    ))
    .await;
    // Saved as she types (preau.js), before any button.
    d.wait_for("Enregistré à").await;
    let saved = livret::bilan(&store, emma, period).unwrap().unwrap();
    assert_eq!(saved.entry("francais").unwrap().positionnement, Some(4));
    d.click("form.livret-grid button.primary").await;
    d.wait_for("enregistré pour la classe").await;
    let page = d.source().await;
    assert!(page.contains("Lecture fluide, bravo."), "{page}");
    axe_clean(&d, "/suivi/livret/classe/:id/grille (enregistrée)").await;
    d.screenshot("livret-grille-enseignant.png").await;
    d.goto(&format!(
        "{base}/suivi/livret/classe/{class}?periode={period}"
    ))
    .await;
    d.wait_for("Publier pour les familles").await;
    d.click("form[action$='/publier'] button.primary").await;
    d.wait_for("sont publiés").await;
    axe_clean(&d, "/suivi/livret/classe/:id (publié)").await;

    // Camille, Jules's mother.
    d.sign_in(&base, "camille.roux", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}/suivi")).await;
    d.wait_for("Livret scolaire d").await;
    axe_clean(&d, "/suivi (famille, élémentaire)").await;
    d.click(&format!("a[href='/suivi/livret/eleve/{jules}']"))
        .await;
    let page = d.wait_for("Lecture fluide, bravo.").await;
    assert!(page.contains("Objectifs d'apprentissage atteints"));
    assert!(page.contains("Lire et comprendre un récit"));
    axe_clean(&d, "/suivi/livret/eleve/:id (famille)").await;
    d.click("form[action$='/vu'] button").await;
    d.wait_for("a pris connaissance le").await;
    axe_clean(&d, "/suivi/livret/eleve/:id (pris connaissance)").await;
    d.goto(&format!(
        "{base}/suivi/livret/eleve/{jules}/imprimer?periode={period}"
    ))
    .await;
    d.wait_for("Livret scolaire — bilan périodique").await;
    axe_clean(&d, "/suivi/livret/eleve/:id/imprimer").await;
    d.screenshot("livret-impression.png").await;
    let pdf = d.print_pdf().await;
    if let Some(pages) = pdf_pages(&pdf) {
        assert_eq!(pages.len(), 1, "one A4 sheet: {pages:?}");
        // pdftotext's words, without their spaces.
        let text: String = pages[0].split_whitespace().collect();
        assert!(text.contains("Objectifsd'apprentissageatteints"), "{text}");
        assert!(text.contains("UAI"), "the school's header: {text}");
        assert!(!text.contains("Sedéconnecter"), "without the site's menu");
    }
    // The director's LSU export: the pupils without INE, the class without ONDE id are
    // listed and no file is offered.
    d.sign_in(&base, DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    d.goto(&format!("{base}/suivi/livret/lsu/fichier?periode=2"))
        .await;
    d.wait_for("Le fichier n'est pas créé").await;
    axe_clean(&d, "/suivi/livret/lsu/fichier (refusé)").await;
    d.quit().await;
    server.stop().await;
}
