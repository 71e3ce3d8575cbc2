//! What the school prints, printed as a user would (Chromium, A4, default margins) and read
//! back from the PDF with pdftotext: activation letters one and two per page, the pupils'
//! login cards and the carnet's paper slips. Every item must be whole on its page (nothing
//! clipped at the fold) and no blank page may follow a full one.

use super::Driver;
use crate::common::{TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};
use preau::directory::{self, Membership, NewUser};
use preau::policy::Profile;

/// The pupils of the test class besides lou.petit, and the guardians waiting for their
/// letter (long, accented names: the letters must hold them).
const PUPILS: [&str; 9] = [
    "Jeanne", "Hugo", "Léna", "Malo", "Rose", "Élise", "Noé", "Anaïs", "Gabin",
];
const GUARDIANS: [(&str, &str); 5] = [
    ("Marie-Christine", "Le Goff-Kerhervé"),
    ("Jean-Baptiste", "Morin"),
    ("Anne-Sophie", "Lefèvre-Deschamps"),
    ("Karim", "Benali"),
    ("Éléonore", "Saint-Exupéry"),
];

/// The folder kept for the note (screenshots and PDFs of the rentrée).
pub fn output_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("test-output/rentree");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The text of each page of `pdf`, or None when pdftotext (poppler-utils) is missing.
pub(super) fn pdf_pages(pdf: &[u8]) -> Option<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("print.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = match std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) => out,
        Err(_) if std::env::var("PREAU_SKIP_BROWSER").as_deref() == Ok("1") => {
            eprintln!("pdftotext absent : lecture du PDF ignorée (PREAU_SKIP_BROWSER=1)");
            return None;
        }
        Err(e) => panic!("pdftotext is missing ({e}): apt-get install poppler-utils"),
    };
    assert!(out.status.success(), "pdftotext: {out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    // pdftotext ends every page with a form feed.
    let mut pages: Vec<String> = text.split('\u{c}').map(squeeze).collect();
    pages.pop();
    Some(pages)
}

/// Text without any white space: a line break in the PDF must not hide a code or a date.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The pieces of `html` between each `start` and the next `end`.
fn all_between<'a>(html: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    html.split(start)
        .skip(1)
        .filter_map(|rest| rest.split(end).next())
        .collect()
}

/// Asserts that the page count is `per_page`-packed and that item `i` (its `needles`) is
/// whole on page i / per_page.
pub(super) fn assert_items_on_pages(
    what: &str,
    pages: &[String],
    items: &[Vec<String>],
    per_page: usize,
) {
    let expected = items.len().div_ceil(per_page);
    assert_eq!(
        pages.len(),
        expected,
        "{what}: {} item(s) at {per_page} per page should print on {expected} page(s)",
        items.len()
    );
    for (i, needles) in items.iter().enumerate() {
        let page = &pages[i / per_page];
        for n in needles {
            assert!(
                page.contains(&squeeze(n)),
                "{what}: item {i} lacks « {n} » on page {}: {page}",
                i / per_page + 1
            );
        }
    }
}

/// A school with a class of 10 pupils and 5 guardians waiting for their letters.
pub fn prepare(server: &TestServer) -> u64 {
    let store = server.store();
    let cp = directory::classes(&store)
        .unwrap()
        .into_iter()
        .find(|c| c.label == "CP-CE1")
        .unwrap()
        .id;
    let person = |login: String, first: &str, last: &str, profile| NewUser {
        login,
        first_name: first.into(),
        last_name: last.into(),
        profile,
        functions: vec![],
        email: None,
        password_hash: None,
        must_change_password: false,
        created_at: 0,
    };
    store
        .commit_checked_blocking(|tx| {
            let mut pupils = Vec::new();
            for first in PUPILS {
                let login = format!("{}.martin", squeeze(first).to_lowercase());
                let id =
                    directory::create_user(tx, &person(login, first, "Martin", Profile::Eleve))?;
                directory::add_member(tx, cp, id, Membership::Pupil)?;
                pupils.push(id);
            }
            for (i, (first, last)) in GUARDIANS.iter().enumerate() {
                let login = format!("parent{i}.famille");
                let id =
                    directory::create_user(tx, &person(login, first, last, Profile::Responsable))?;
                directory::link_parent(tx, id, pupils[i])?;
            }
            Ok(())
        })
        .unwrap();
    store.flush_blocking().unwrap();
    cp
}

/// Each letter on the page: its code, login and validity date.
pub(super) fn letters_of(html: &str) -> Vec<Vec<String>> {
    all_between(html, "<article class=\"letter\">", "</article>")
        .into_iter()
        .map(|letter| {
            let code = all_between(letter, "<strong class=\"code\">", "<")[0];
            let login = all_between(letter, "Votre identifiant : <strong>", "<")[0];
            let date = all_between(letter, "valable jusqu'au ", ".")[0];
            vec![code.to_string(), login.to_string(), date.to_string()]
        })
        .collect()
}

#[tokio::test]
async fn letters_cards_and_slips_print_whole_on_a4_in_chromium() {
    let server = TestServer::installed().await;
    let cp = prepare(&server);
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.sign_in(&base, DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;

    // Activation letters, two then one per page.
    for (per_page, file) in [
        (2, "lettres-activation-2-par-page.pdf"),
        (1, "lettres-activation-1-par-page.pdf"),
    ] {
        d.goto(&format!("{base}/admin/lettres")).await;
        d.wait_for("Lettres par page A4").await;
        d.click(&format!("#f-par-page option[value='{per_page}']"))
            .await;
        d.click("form[action='/admin/lettres'] button.primary")
            .await;
        let html = d.wait_for("lettre(s) prête(s)").await;
        let letters = letters_of(&html);
        assert_eq!(
            letters.len(),
            GUARDIANS.len(),
            "one letter per waiting adult"
        );
        let pdf = d.print_pdf().await;
        std::fs::write(output_dir().join(file), &pdf).unwrap();
        let Some(pages) = pdf_pages(&pdf) else {
            return;
        };
        eprintln!("letters {per_page}/page: {} page(s)", pages.len());
        assert_items_on_pages("letters", &pages, &letters, per_page);
    }

    // Login cards of the class (pictures, then written passwords), 8 per page.
    let pupils = PUPILS.len() + 1;
    for kind in ["images", "texte"] {
        d.goto(&format!("{base}/classes/{cp}")).await;
        d.wait_for("Imprimer les cartes").await;
        d.click(&format!("#f-kind option[value='{kind}']")).await;
        // form.submit() skips the confirmation dialog, which WebDriver would have to dismiss.
        d.script(&format!(
            "document.querySelector(\"form[action='/classes/{cp}/cartes']\").submit()"
        ))
        .await;
        let html = d.wait_for("Découpez les cartes").await;
        let cards: Vec<Vec<String>> =
            all_between(&html, "Identifiant : <strong class=\"code\">", "<")
                .into_iter()
                .map(|login| vec![login.to_string()])
                .collect();
        assert_eq!(cards.len(), pupils, "one card per pupil");
        let pdf = d.print_pdf().await;
        std::fs::write(output_dir().join(format!("cartes-{kind}.pdf")), &pdf).unwrap();
        let Some(pages) = pdf_pages(&pdf) else {
            return;
        };
        eprintln!("cards ({kind}): {} page(s)", pages.len());
        assert_items_on_pages("login cards", &pages, &cards, 8);
    }

    // The carnet's paper slips, two per page: one per pupil of the class.
    let mot = farm_mot(&server, cp).await;
    d.goto(&format!("{base}/carnet/{mot}/coupons")).await;
    let html = d.wait_for("un coupon par élève").await;
    let slips: Vec<Vec<String>> = all_between(&html, "pour la famille de <strong>", "<")
        .into_iter()
        .map(|name| vec![name.to_string(), "Sortie à la ferme".to_string()])
        .collect();
    assert_eq!(slips.len(), pupils, "one slip per pupil");
    let pdf = d.print_pdf().await;
    std::fs::write(output_dir().join("coupons-carnet.pdf"), &pdf).unwrap();
    let Some(pages) = pdf_pages(&pdf) else {
        return;
    };
    eprintln!("slips: {} page(s)", pages.len());
    assert_items_on_pages("slips", &pages, &slips, 2);
    d.quit().await;
}

/// The director's mot « Sortie à la ferme » to the families of class `cp`; its id.
pub(super) async fn farm_mot(server: &TestServer, cp: u64) -> u64 {
    let store = server.store();
    let director = directory::user_by_login(&store, DIRECTOR_LOGIN)
        .unwrap()
        .unwrap()
        .id;
    crate::common::publish_class_mot(
        &store,
        director,
        cp,
        "Sortie à la ferme",
        preau::auth::now_micros(),
    )
    .await;
    preau::liaison::all(&store).unwrap()[0].id
}
