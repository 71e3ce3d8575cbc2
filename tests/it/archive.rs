//! The year's memory over HTTP: Paul's class's year (an article with a phone photo the
//! guard lets out, one tagging a pupil without photo authorisation, a week of the cahier
//! de textes with its document, the class space with a PDF and a photo) downloaded as a
//! ZIP — its entries, the picture left out, the photo without its EXIF, every link inside
//! leading to a file of the archive; a teacher refused another class; the whole school
//! from the console.

use std::collections::BTreeSet;
use std::io::{Cursor, Read};

use preau::directory::Membership;
use preau::policy::Profile;

use crate::common::{add_person, id_after, Client, Folks, TestServer, DIRECTOR_LOGIN};
use crate::media::{pdf, phone_photo, upload};

/// What [`class_year`] made.
pub(crate) struct ClassYear {
    /// The article whose photo leaves (confirmed free of Jade), and Jade's portrait.
    pub sortie: u64,
    pub portraits: u64,
    pub entry: u64,
    pub poster: u64,
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::new_rgb8(w, h)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn blog_visibility(paul: &mut Client, blog: &str, visibility: &str) {
    paul.get(&format!("/blog/{blog}")).await;
    let r = paul
        .post(
            &format!("/blog/{blog}/reglages"),
            &[
                ("enabled", "1"),
                ("comments", "moderated"),
                ("visibility", visibility),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
}

/// The id of the newest article of Paul's blog page called `title`.
async fn article_id(paul: &mut Client, blog: &str, title: &str) -> u64 {
    let page = paul.get(&format!("/blog/{blog}")).await.body;
    let at = page
        .find(title)
        .unwrap_or_else(|| panic!("{title}: {page}"));
    let before = &page[..at];
    let link = before.rfind("href=\"/blog/article/").unwrap();
    id_after(&before[link..], "href=\"/blog/article/").unwrap()
}

/// A year of Paul's class CM1-CM2, made through its pages: Jade, a new pupil of the class,
/// has her photo authorisation refused; Zoé's is recorded.
pub(crate) async fn class_year(server: &TestServer, f: &Folks) -> ClassYear {
    let store = server.store();
    let jade = add_person(
        &store,
        "jade.martin",
        Profile::Eleve,
        Some((f.cm, Membership::Pupil)),
    );
    store
        .commit_blocking(|tx| {
            tx.put(
                &preau::blog::consent::PROJECTS,
                &1,
                &preau::blog::consent::Project {
                    id: 1,
                    title: "Blog de la classe".into(),
                    required: 1,
                    signed: Vec::new(),
                    created_at: 0,
                    decisions: vec![(f.zoe, true), (jade, false)],
                },
            )
        })
        .unwrap();
    let mut paul = server.signed_in("paul.durand").await;
    let blog = format!("classe-{}", f.cm);
    let jade_id = jade.to_string();

    // On the public blog, the photo of the outing asks Paul to confirm that Jade is not
    // in it: confirmed, it may leave the class.
    blog_visibility(&mut paul, &blog, "public").await;
    paul.get(&format!("/blog/{blog}/ecrire")).await;
    let step = paul
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "La sortie au musée"),
                ("body", "Nous avons vu des *tableaux*."),
                ("tag", &f.zoe.to_string()),
                ("action", "publier"),
            ],
            &[("files", "musee.jpg", phone_photo())],
        )
        .await;
    assert_eq!(step.status, 200, "the confirmation step: {}", step.body);
    let sortie = article_id(&mut paul, &blog, "La sortie au musée").await;
    let r = paul
        .post(
            &format!("/blog/article/{sortie}/publier"),
            &[("absent", &jade_id), ("confirme", "1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    // For the class only, Jade's portrait is published: her picture never leaves.
    blog_visibility(&mut paul, &blog, "classe").await;
    paul.get(&format!("/blog/{blog}/ecrire")).await;
    let r = paul
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "Portraits"),
                ("body", "Nos portraits."),
                ("tag", &jade_id),
                ("action", "publier"),
            ],
            &[("files", "portrait.png", png(40, 30))],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let portraits = article_id(&mut paul, &blog, "Portraits").await;

    // The cahier de textes: work given today with its document.
    let today = preau::ui::dates::date_value(preau::auth::now_micros());
    let new = format!("/cahier-de-textes/nouveau?classe={}&type=travail", f.cm);
    paul.get(&new).await;
    let r = paul
        .post_multipart(
            &new,
            &[
                ("scope", "classe"),
                ("subject", "Français"),
                ("minutes", "10"),
                ("given", &today),
                ("listed", "1"),
                ("title", "Lire à voix haute"),
                ("day", &today),
                ("body", "Lis le texte."),
            ],
            &[("files", "texte.pdf", pdf(300))],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let week = paul.get(&r.location.unwrap()).await.body;
    let entry = id_after(&week, "href=\"/cahier-de-textes/").unwrap();

    // The class space: a poster, and a photo of the class (Jade may be in it).
    let space = format!("classe-{}", f.cm);
    upload(&mut paul, &space, None, &[("affiche.pdf", pdf(400))]).await;
    let page = upload(&mut paul, &space, None, &[("classe.jpg", phone_photo())]).await;
    let poster = crate::media::item_id(&page.body, "affiche.pdf");
    ClassYear {
        sortie,
        portraits,
        entry,
        poster,
    }
}

/// A download: its status, its type, whether its length was known before it was sent,
/// its bytes.
pub(crate) async fn download(c: &Client, path: &str) -> (u16, String, bool, Vec<u8>) {
    let resp = c
        .http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let kind = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let sized = resp.headers().get("content-length").is_some();
    (status, kind, sized, resp.bytes().await.unwrap().to_vec())
}

/// The names of the archive's entries, and a reader of them.
pub(crate) fn entries(zip: &[u8]) -> (BTreeSet<String>, zip::ZipArchive<Cursor<Vec<u8>>>) {
    let archive = zip::ZipArchive::new(Cursor::new(zip.to_vec())).expect("a whole ZIP");
    let names = archive.file_names().map(String::from).collect();
    (names, archive)
}

fn read(archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the archive"))
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// Every `href` and `src` of every page, resolved from the page's folder: each must be a
/// relative path to an entry of the archive.
fn links_stay_inside(names: &BTreeSet<String>, archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>) {
    let pages: Vec<String> = names
        .iter()
        .filter(|n| n.ends_with(".html"))
        .cloned()
        .collect();
    for page in pages {
        let html = String::from_utf8(read(archive, &page)).unwrap();
        assert!(!html.contains("<script"), "{page}: no script");
        let folder: Vec<&str> = page.split('/').collect();
        for attr in ["href=\"", "src=\""] {
            for (i, _) in html.match_indices(attr) {
                let rest = &html[i + attr.len()..];
                let link = &rest[..rest.find('"').unwrap()];
                assert!(
                    !link.contains(':') && !link.starts_with('/'),
                    "{page}: {link} is not relative"
                );
                let mut path: Vec<&str> = folder[..folder.len() - 1].to_vec();
                for part in link.split('/') {
                    if part == ".." {
                        path.pop();
                    } else {
                        path.push(part);
                    }
                }
                let target = path.join("/");
                assert!(names.contains(&target), "{page}: {link} → {target} missing");
            }
        }
    }
}

#[tokio::test]
async fn a_class_year_leaves_as_a_zip_of_pages_without_the_pictures_consent_forbids() {
    let (server, f) = TestServer::school().await;
    let year = class_year(&server, &f).await;
    let mut paul = server.signed_in("paul.durand").await;

    // The class page offers it to its teacher, with what it holds.
    let class_page = paul.get(&format!("/classes/{}", f.cm)).await.body;
    assert!(class_page.contains("Mémoire de l'année") && class_page.contains("droit à l'image"));
    let (status, kind, sized, zip) = download(&paul, &format!("/classes/{}/memoire", f.cm)).await;
    assert_eq!((status, kind.as_str()), (200, "application/zip"));
    assert!(
        !sized,
        "streamed: its length is not known before it is sent"
    );
    let (names, mut archive) = entries(&zip);
    let label = preau::directory::rollover::current_year(&server.store()).unwrap();
    let root = format!("memoire-cm1-cm2-{label}/");
    let (s, p) = (year.sortie, year.portraits);
    for expected in [
        "index.html".to_string(),
        "style.css".into(),
        format!("blog/article-{s}.html"),
        format!("blog/article-{p}.html"),
        format!("blog/photos/{s}-0.jpg"),
        "cahier-de-textes.html".into(),
        format!("cahier-de-textes/{}-0.pdf", year.entry),
        "mediatheque.html".into(),
        format!("mediatheque/{}-affiche.pdf", year.poster),
    ] {
        assert!(
            names.contains(&format!("{root}{expected}")),
            "{expected} in {names:?}"
        );
    }
    // Jade's portrait, and the class photo of the médiathèque (Jade may be in it), stay.
    assert!(
        !names
            .iter()
            .any(|n| n.contains(&format!("blog/photos/{p}-"))
                || n.contains("classe.jpg")
                || n.contains("-classe.")),
        "{names:?}"
    );
    assert_eq!(
        names.iter().filter(|n| n.contains("/photos/")).count(),
        1,
        "{names:?}"
    );
    let portraits =
        String::from_utf8(read(&mut archive, &format!("{root}blog/article-{p}.html"))).unwrap();
    assert!(
        portraits.contains("1 photo ou vidéo n'est pas incluse"),
        "{portraits}"
    );
    let media_page =
        String::from_utf8(read(&mut archive, &format!("{root}mediatheque.html"))).unwrap();
    assert!(
        media_page.contains("classe.jpg")
            && media_page.contains("non incluse : autorisation photo")
    );
    // The photo that leaves is the published one: no EXIF, no GPS position.
    let photo = read(&mut archive, &format!("{root}blog/photos/{s}-0.jpg"));
    assert!(photo.starts_with(&[0xFF, 0xD8]), "a JPEG");
    assert!(!photo.windows(4).any(|w| w == b"Exif"), "without its EXIF");
    let article =
        String::from_utf8(read(&mut archive, &format!("{root}blog/article-{s}.html"))).unwrap();
    assert!(article.contains(r#"<html lang="fr">"#) && article.contains("<em>tableaux</em>"));
    assert!(
        article.contains(&format!(
            r#"src="photos/{s}-0.jpg" alt="Photo 1 de l'article « La sortie au musée »""#
        )),
        "{article}"
    );
    let index = String::from_utf8(read(&mut archive, &format!("{root}index.html"))).unwrap();
    assert!(index.contains("École") || index.contains("CM1-CM2"));
    assert!(index.contains(&label), "the year is said");
    links_stay_inside(&names, &mut archive);

    // Paul does not teach CP-CE1: refused; Zoé and her mother too; the director may.
    assert_eq!(
        download(&paul, &format!("/classes/{}/memoire", f.cp))
            .await
            .0,
        403
    );
    assert!(!paul
        .get(&format!("/classes/{}", f.cp))
        .await
        .body
        .contains("Mémoire de l'année"));
    for login in ["zoe.leroy", "ines.leroy"] {
        let c = server.signed_in(login).await;
        assert_eq!(
            download(&c, &format!("/classes/{}/memoire", f.cm)).await.0,
            403,
            "{login}"
        );
    }
    let director = server.signed_in(DIRECTOR_LOGIN).await;
    assert_eq!(
        download(&director, &format!("/classes/{}/memoire", f.cp))
            .await
            .0,
        200
    );
    // Each download is in the audit journal.
    let audit = preau::auth::journal::recent_audit(&server.store(), 20).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.actor_login == "paul.durand" && e.action.contains("Mémoire de l'année")));
    server.stop().await;
}

#[tokio::test]
async fn the_director_archives_the_whole_school_from_the_console() {
    let (server, f) = TestServer::school().await;
    let year = class_year(&server, &f).await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let page = director.get("/admin/memoire").await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains(&format!("/classes/{}/memoire?annee=", f.cm)));
    assert!(page.body.contains("/admin/memoire/ecole?annee="));
    let rentree = director.get("/admin/rentree").await.body;
    assert!(
        rentree.contains("href=\"/admin/memoire\""),
        "the rentrée mentions it"
    );
    let (status, _, _, zip) = download(&director, "/admin/memoire/ecole").await;
    assert_eq!(status, 200);
    let (names, mut archive) = entries(&zip);
    let root = names
        .iter()
        .next()
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    assert!(root.starts_with("memoire-ecole-"), "{root}");
    let cm = format!("{root}/classes/cm1-cm2-{}/", f.cm);
    assert!(
        names.contains(&format!("{cm}blog/photos/{}-0.jpg", year.sortie)),
        "{names:?}"
    );
    assert!(names.contains(&format!("{cm}index.html")));
    assert!(names.contains(&format!("{root}/classes/cp-ce1-{}/index.html", f.cp)));
    assert!(names.contains(&format!("{root}/ecole/index.html")));
    assert!(!names
        .iter()
        .any(|n| n.contains(&format!("blog/photos/{}-", year.portraits))));
    links_stay_inside(&names, &mut archive);
    // A teacher may not.
    let paul = server.signed_in("paul.durand").await;
    assert_eq!(download(&paul, "/admin/memoire/ecole").await.0, 403);
    server.stop().await;
}

#[tokio::test]
async fn preau_archive_writes_the_same_archive_through_the_server_or_alone() {
    let (server, f) = TestServer::school().await;
    let year = class_year(&server, &f).await;
    let out = tempfile::tempdir().unwrap();
    // The server runs on this test's thread: the command waits on another one.
    let run = |data: &std::path::Path, args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_preau"));
        command
            .env_remove("PREAU_DATA_DIR")
            .arg("--data-dir")
            .arg(data)
            .arg("archive")
            .args(args)
            .current_dir(out.path());
        tokio::task::spawn_blocking(move || command.output().unwrap())
    };
    // The server holds the store: the command asks it through the admin socket.
    let through = run(
        server.dir.path(),
        &["--classe", "cm1-cm2", "--out", "cm.zip"],
    )
    .await
    .unwrap();
    assert!(
        through.status.success(),
        "{}",
        String::from_utf8_lossy(&through.stderr)
    );
    assert!(String::from_utf8_lossy(&through.stdout).contains("de la classe CM1-CM2"));
    let data = server.stop().await;
    // The server stopped: the command opens the store itself.
    let alone = run(data.path(), &["--out", "ecole.zip"]).await.unwrap();
    assert!(
        alone.status.success(),
        "{}",
        String::from_utf8_lossy(&alone.stderr)
    );
    let (names, _) = entries(&std::fs::read(out.path().join("cm.zip")).unwrap());
    assert!(names
        .iter()
        .any(|n| n.ends_with(&format!("/blog/photos/{}-0.jpg", year.sortie))));
    let (names, _) = entries(&std::fs::read(out.path().join("ecole.zip")).unwrap());
    assert!(names.iter().any(|n| n.ends_with(&format!(
        "/classes/cm1-cm2-{}/blog/photos/{}-0.jpg",
        f.cm, year.sortie
    ))));
    let wrong = run(data.path(), &["--classe", "CM3", "--out", "x.zip"])
        .await
        .unwrap();
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("pas de classe « CM3 »"));
    assert!(!out.path().join("x.zip").exists() && !out.path().join("x.zip.part").exists());
}

/// On a blog read in the class only, nobody is asked about the photos when they are
/// published: the class page names the articles whose photos stay out of the archive and
/// leads the teacher to the blog's photo check; once confirmed, they leave.
#[tokio::test]
async fn a_class_only_blogs_photos_leave_once_the_teacher_checked_them() {
    let (server, f) = TestServer::school().await;
    class_year(&server, &f).await;
    let mut paul = server.signed_in("paul.durand").await;
    let blog = format!("classe-{}", f.cm);
    paul.get(&format!("/blog/{blog}/ecrire")).await;
    let r = paul
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "La chorale"),
                ("body", "Nous avons chanté."),
                ("action", "publier"),
            ],
            &[("files", "chorale.png", png(40, 30))],
        )
        .await;
    assert_eq!(
        r.status, 303,
        "published at once, the blog being the class's: {}",
        r.body
    );
    let chorale = article_id(&mut paul, &blog, "La chorale").await;
    let check = format!("/blog/article/{chorale}/photos");
    let class_page = paul.get(&format!("/classes/{}", f.cm)).await.body;
    assert!(
        class_page.contains(&format!("href=\"{check}\"")),
        "the panel leads to the check"
    );
    let photo = |names: &BTreeSet<String>| {
        names
            .iter()
            .any(|n| n.contains(&format!("blog/photos/{chorale}-")))
    };
    let (_, _, _, zip) = download(&paul, &format!("/classes/{}/memoire", f.cm)).await;
    assert!(!photo(&entries(&zip).0), "unchecked, the photo stays out");

    // Another teacher may not check it; Paul sees the pupils to look for.
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    assert_eq!(
        director.get(&check).await.status,
        200,
        "the director runs the blog too"
    );
    let mut ines = server.signed_in("ines.leroy").await;
    assert_eq!(ines.get(&check).await.status, 403);
    let page = paul.get(&check).await;
    assert!(page.body.to_lowercase().contains("jade"), "{}", page.body);
    assert!(page.body.contains("L'article reste publié dans la classe"));
    let jade = crate::common::id_after(&page.body, "name=\"absent\" value=\"").unwrap();
    let r = paul
        .post(
            &format!("/blog/article/{chorale}/publier"),
            &[("absent", &jade.to_string()), ("confirme", "1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (_, _, _, zip) = download(&paul, &format!("/classes/{}/memoire", f.cm)).await;
    assert!(photo(&entries(&zip).0), "checked, the photo leaves");
    let class_page = paul.get(&format!("/classes/{}", f.cm)).await.body;
    assert!(!class_page.contains(&check), "nothing left to check");
    assert_eq!(
        paul.get(&format!("/blog/article/{chorale}")).await.status,
        200
    );
    server.stop().await;
}

#[tokio::test]
async fn the_class_page_offers_a_year_the_rentree_archived_as_soon_as_it_is() {
    let (server, f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    let page = format!("/classes/{}", f.cm);
    assert!(!paul.get(&page).await.body.contains("2019-2020"));
    // The rentrée lists the years it archived among the store's records; the kept years
    // follow the write.
    server
        .store()
        .commit_blocking(|tx| tx.set_meta("year_archives", &vec!["2019-2020".to_string()]))
        .unwrap();
    let shown = paul.get(&page).await.body;
    assert!(
        shown.contains("<option value=\"2019-2020\">2019-2020</option>"),
        "{shown}"
    );
    server.stop().await;
}
