//! The rentrée end to end in Chromium, as a director would play it: the wizard with named
//! multi-level classes and the ONDE files, the import preview whose classes (« GS-CP M.
//! Lebrun ») are attached to the wizard's (« GS-CP »), the activation letters printed two per
//! page and read back from the PDF, a parent activated from a letter, and a photo article
//! refused for the public blog then kept back when the blog goes public again. It counts the
//! director's clicks (form submissions and links followed) and the wall-clock, and leaves
//! screenshots in target/test-output/rentree/.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::json;

use super::print::{assert_items_on_pages, letters_of, output_dir, pdf_pages};
use super::Driver;
use crate::common::{TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};
use preau::directory;

/// A class's teacher typed in the wizard (None: the director teaches it).
type Teacher = Option<(&'static str, &'static str)>;

/// The wizard's classes: label, levels, teacher.
const CLASSES: [(&str, &[&str], Teacher); 4] = [
    ("PS-MS", &["PS", "MS"], Some(("Lucie", "Caron"))),
    ("GS-CP", &["GS", "CP"], None),
    ("CE1-CE2", &["CE1", "CE2"], Some(("Alice", "Durand"))),
    ("CM1-CM2", &["CM1", "CM2"], Some(("Yves", "Roux"))),
];

const PARENT_PASSWORD: &str = "Chemin des écoliers 2026";

/// The driver as the director: every form submitted and link followed is counted, and so
/// is every address typed by hand (the journey should need none).
struct Director<'a> {
    d: &'a Driver,
    clicks: Cell<u32>,
    typed: Cell<u32>,
}

impl Director<'_> {
    async fn submit(&self, css: &str) {
        self.clicks.set(self.clicks.get() + 1);
        self.d.click(css).await;
    }

    async fn follow(&self, href: &str) {
        self.clicks.set(self.clicks.get() + 1);
        self.d.click(&format!("a[href='{href}']")).await;
    }

    async fn type_address(&self, url: &str) {
        self.typed.set(self.typed.get() + 1);
        self.d.goto(url).await;
    }

    /// Follows the link to `href` when the page has one, else types the address (counted
    /// apart: a journey a user would have to type is worth saying).
    async fn reach(&self, base: &str, href: &str) {
        let js = format!("return document.querySelector(\"a[href='{href}']\") !== null");
        if self.d.script(&js).await == json!(true) {
            self.follow(href).await;
        } else {
            eprintln!("rentrée: no link to {href} on {}", self.d.url().await);
            self.type_address(&format!("{base}{href}")).await;
        }
    }

    /// The class blog, through the menu's « Blog » then the class's blog.
    async fn blog(&self, base: &str, blog: &str) {
        self.reach(base, "/blog").await;
        self.d
            .wait_for("Le blog de l'école et ceux des classes")
            .await;
        self.reach(base, blog).await;
        self.d.wait_for("Réglages du blog").await;
    }
}

impl Driver {
    /// Gives a file to a file input, as choosing it in the dialog would.
    async fn attach(&self, css: &str, path: &Path) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            json!({"text": path.display().to_string()}),
        )
        .await;
    }

    async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", json!(null))
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    async fn resize(&self, width: u32, height: u32) {
        self.cmd(
            reqwest::Method::POST,
            "/window/rect",
            json!({"width": width, "height": height}),
        )
        .await;
    }
}

/// The ONDE files (Windows-1252) and a photo, where the browser can pick them.
fn files(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let eleves = dir.join("eleves.csv");
    let responsables = dir.join("responsables.csv");
    let photo = dir.join("portraits.png");
    std::fs::write(&eleves, crate::rentree::PUPILS).unwrap();
    std::fs::write(&responsables, crate::rentree::GUARDIANS).unwrap();
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(64, 48)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    std::fs::write(&photo, png).unwrap();
    (eleves, responsables, photo)
}

/// Each class: (label, teachers' last names in lower case, pupils' count), sorted.
fn classes_now(store: &preau::store::Store) -> Vec<(String, Vec<String>, usize)> {
    let mut all: Vec<_> = crate::rentree::classes_now(store)
        .into_iter()
        .map(|(label, teachers, pupils)| {
            let teachers = teachers.iter().map(|t| t.to_lowercase()).collect();
            (label, teachers, pupils)
        })
        .collect();
    all.sort();
    all
}

/// The first page of the PDF as a PNG (pdftoppm, beside pdftotext in poppler-utils).
fn pdf_first_page_png(pdf: &Path, png: &Path) {
    let stem = png.with_extension("");
    let ok = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(&stem)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(ok || std::env::var("PREAU_SKIP_BROWSER").as_deref() == Ok("1"));
}

async fn wizard(dir: &Director<'_>, base: &str, code: &str, eleves: &Path, responsables: &Path) {
    let d = dir.d;
    dir.type_address(&format!("{base}/")).await;
    d.wait_for("Bienvenue dans Préau").await;
    d.type_into("#f-code", code).await;
    dir.submit("button[type=submit]").await;

    d.wait_for("Nom de l'école").await;
    d.type_into("#f-name", "École des Marronniers").await;
    d.type_into("#f-uai", "0350001L").await;
    d.type_into("#f-commune", "Rennes").await;
    d.click("#f-zone option[value=B]").await;
    dir.submit("button.primary").await;

    d.wait_for("Votre compte de direction").await;
    d.type_into("#f-first_name", "Marc").await;
    d.type_into("#f-last_name", "Lebrun").await;
    d.type_into("#f-login", DIRECTOR_LOGIN).await;
    d.type_into("#f-password", DIRECTOR_PASSWORD).await;
    d.type_into("#f-password_confirm", DIRECTOR_PASSWORD).await;
    dir.submit("button.primary").await;

    for (label, levels, teacher) in CLASSES.iter() {
        d.wait_for("Ajouter une classe").await;
        d.type_into("#f-label", label).await;
        for l in levels.iter() {
            d.click(&format!("#f-levels-{l}")).await;
        }
        match teacher {
            None => d.click("#f-teacher option[value=director]").await,
            Some((first, last)) => {
                d.click("#f-teacher option[value=other]").await;
                d.type_into("#f-teacher_first_name", first).await;
                d.type_into("#f-teacher_last_name", last).await;
            }
        }
        dir.submit("button[value=ajouter]").await;
        // The table of added classes shows it (the hint's example is no cell).
        d.wait_for(&format!("<td>{label}</td>")).await;
    }
    let page = d.wait_for("Classes ajoutées").await;
    assert!(page.contains("CM1-CM2"), "{page}");
    dir.submit("button[value=continuer]").await;

    d.wait_for("Les services de l'ENT").await;
    dir.submit("button.primary").await;
    d.wait_for("Les élèves et leurs parents").await;
    d.attach("#f-eleves", eleves).await;
    d.attach("#f-responsables", responsables).await;
    dir.submit("button.primary").await;
    d.wait_for("Terminer l'installation").await;
    dir.submit("button.primary").await;
    d.wait_for("Installation terminée").await;
}

#[tokio::test]
async fn the_rentree_is_played_end_to_end_in_chromium() {
    let started = Instant::now();
    let server = TestServer::fresh().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    let tmp = tempfile::tempdir().unwrap();
    let (eleves, responsables, photo) = files(tmp.path());
    let out = output_dir();
    let dir = Director {
        d: &d,
        clicks: Cell::new(0),
        typed: Cell::new(0),
    };

    // 1. The wizard, with the ONDE files at its pupils' step.
    wizard(&dir, &base, &server.setup_code(), &eleves, &responsables).await;
    let done = d.source().await;
    let import = done
        .split("href=\"/admin/import/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("the end of the wizard leads to the import: {done}"))
        .to_string();
    dir.follow(&format!("/admin/import/{import}")).await;

    // 2. The preview attaches each ONDE class to the wizard's: nothing to create.
    let page = d.wait_for("À vérifier sur vos listes").await;
    assert!(page.contains("GS-CP M. Lebrun"), "Windows-1252 label read");
    assert!(
        page.contains("<strong>0</strong> classe(s) à créer"),
        "{page}"
    );
    assert_eq!(page.matches("badge ok\">rattachée").count(), 4, "{page}");
    d.resize(1000, 2600).await;
    d.screenshot_to(&out.join("import-preview.png")).await;
    d.resize(1000, 1400).await;
    dir.submit("#classes button[type=submit]").await; // the proposed matches, accepted
    d.wait_for("rattachée : votre choix").await;
    dir.submit(&format!(
        "form[action='/admin/import/{import}/valider'] button.primary"
    ))
    .await;
    let accounts = d.wait_for("Import terminé").await;
    assert!(accounts.contains("Imprimez maintenant les lettres d'activation"));
    let store = server.store();
    assert_eq!(
        classes_now(&store),
        vec![
            ("CE1-CE2".into(), vec!["durand".into()], 3),
            ("CM1-CM2".into(), vec!["roux".into()], 3),
            ("GS-CP".into(), vec!["lebrun".into()], 3),
            ("PS-MS".into(), vec!["caron".into()], 3),
        ],
        "4 classes (not 8), each with its teacher and its pupils"
    );

    // 3. The activation letters, two per page, read back from the PDF.
    dir.follow("/admin/lettres").await;
    d.wait_for("Lettres par page A4").await;
    d.click("#f-par-page option[value='2']").await;
    dir.submit("form[action='/admin/lettres'] button.primary")
        .await;
    let html = d.wait_for("lettre(s) prête(s)").await;
    let letters = letters_of(&html);
    assert!(letters.len() >= 2, "letters for the families: {html}");
    let pdf = d.print_pdf().await;
    let pdf_path = out.join("rentree-lettres-2-par-page.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    pdf_first_page_png(&pdf_path, &out.join("letters-pdf.png"));
    if let Some(pages) = pdf_pages(&pdf) {
        assert_items_on_pages("letters", &pages, &letters, 2);
        println!(
            "rentrée: {} letter(s) on {} page(s)",
            letters.len(),
            pages.len()
        );
    }
    let (code, login) = (letters[0][0].clone(), letters[0][1].clone());

    // 4. A parent types the letter's code, chooses a password, then signs in with the login.
    d.cmd(reqwest::Method::DELETE, "/cookie", json!(null)).await;
    d.goto(&format!("{base}/connexion")).await;
    d.wait_for("Se connecter").await;
    d.click("a[href='/activation']").await;
    d.wait_for("Code d'activation").await;
    d.type_into("#f-code", &code).await;
    d.click("form[action='/activation'] button.primary").await;
    d.wait_for("Mot de passe (confirmation)").await;
    d.type_into("#f-password", PARENT_PASSWORD).await;
    d.type_into("#f-password_confirm", PARENT_PASSWORD).await;
    d.click("#f-accept").await;
    d.click("button.primary").await;
    let home = d.wait_for("Mes enfants").await;
    assert!(home.contains("Votre compte est activé"), "{home}");
    d.sign_in(&base, &login, PARENT_PASSWORD).await;
    d.wait_for("Mes enfants").await;
    d.resize(390, 844).await;
    d.screenshot_to(&out.join("parent-home-phone.png")).await;
    d.resize(1000, 1400).await;

    // 5. The director's photo article: Théo (« Non » in ONDE) tagged, refused on the public
    // blog, the tag kept; published for the class; the blog public again: kept back.
    let gs_cp = directory::classes(&store)
        .unwrap()
        .into_iter()
        .find(|c| c.label == "GS-CP")
        .unwrap()
        .id;
    let theo = directory::users(&store, None)
        .unwrap()
        .into_iter()
        .find(|u| u.first_name == "Théo")
        .unwrap()
        .id;
    let blog = format!("/blog/classe-{gs_cp}");
    let settings = format!("form[action='{blog}/reglages'] button[type=submit]");
    // Back to the director (not counted: only the test shares one browser with a parent).
    d.sign_in(&base, DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    dir.blog(&base, &blog).await;
    d.click("#v-public").await;
    dir.submit(&settings).await;
    d.wait_for("Réglages du blog enregistrés").await;
    dir.follow(&format!("{blog}/ecrire")).await;
    d.wait_for("Écrire un article").await;
    d.type_into("#f-title", "Portraits de la classe").await;
    d.type_into("#f-body", "Les portraits de la rentrée.").await;
    d.attach("#f-files", &photo).await;
    d.click(&format!("#tag-{theo}")).await;
    dir.submit("button[value=publier]").await;
    let refused = d.wait_for("n'y est pas publié").await;
    assert!(
        refused.contains("Théo"),
        "the director is told who: {refused}"
    );
    let article: u64 = d
        .url()
        .await
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("the article's page");
    let saved = preau::blog::article(&store, article).unwrap().unwrap();
    assert_eq!(saved.tagged, vec![theo], "the tag is kept");
    assert_eq!(saved.media.len(), 1, "the photo is kept");

    dir.blog(&base, &blog).await;
    d.click("#v-classe").await;
    dir.submit(&settings).await;
    d.wait_for("Réglages du blog enregistrés").await;
    dir.reach(&base, &format!("/blog/article/{article}")).await;
    d.wait_for("Portraits de la classe").await;
    dir.submit(&format!(
        "form[action='/blog/article/{article}/publier'] button.primary"
    ))
    .await;
    for _ in 0..100 {
        let a = preau::blog::article(&store, article).unwrap().unwrap();
        if a.status == preau::blog::Status::Published {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        preau::blog::article(&store, article)
            .unwrap()
            .unwrap()
            .status,
        preau::blog::Status::Published,
        "published for the class"
    );
    dir.blog(&base, &blog).await;
    d.click("#v-public").await;
    dir.submit(&settings).await;
    let told = d.wait_for("1 article retenu").await;
    assert!(
        told.contains("« Portraits de la classe »")
            && told.contains("n'a pas d'autorisation photo"),
        "{told}"
    );
    let kept = preau::blog::article(&store, article).unwrap().unwrap();
    assert_eq!(kept.status, preau::blog::Status::Draft, "kept back");
    assert_eq!(kept.tagged, vec![theo]);

    // 6. A visitor without login on the school network does not see it.
    d.cmd(reqwest::Method::DELETE, "/cookie", json!(null)).await;
    d.goto(&format!("{base}{blog}")).await;
    // The public blog opens without login (it is no login page), without the article.
    let public = d.wait_for("Blog de la classe GS-CP").await;
    assert!(!public.contains("id=\"f-password\""), "{public}");
    assert!(!public.contains("Portraits de la classe"), "{public}");
    d.goto(&format!("{base}/blog/article/{article}")).await;
    let page = d.wait_for("</html>").await;
    assert!(!page.contains("Les portraits de la rentrée"), "{page}");
    d.quit().await;

    let elapsed = started.elapsed();
    println!(
        "rentrée: director's clicks = {} (form submissions and links followed), addresses typed = {}, wall-clock = {:.1} s",
        dir.clicks.get(),
        dir.typed.get(),
        elapsed.as_secs_f64()
    );
    println!(
        "rentrée: screenshots in {} (import-preview.png, letters-pdf.png, parent-home-phone.png)",
        out.display()
    );
}
