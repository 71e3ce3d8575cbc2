//! The home page of a guardian: « Pour vous » first, with each child's work due in the
//! next days, the mots to sign, the unread messages and today's news. The home of the
//! youngest pupils (cycle 1 and CP): pictogram tiles, their class, today's work, their blog.

use preau::directory::people::People;
use preau::directory::{self, Membership};
use preau::pedagogy::textbook::{Entry, EntryKind};
use preau::policy::Profile;

use crate::budgets::DAY;
use crate::common::{add_person, publish_class_mot, TestServer};

/// Work of `class` due `due_in` days from now, visible to families from `visible_from`.
fn work(id: u64, class: u64, title: &str, due_in: i64, visible_from: i64, author: u64) -> Entry {
    let now = preau::auth::now_micros();
    Entry {
        kind: EntryKind::Work,
        subject: "Français".into(),
        title: title.into(),
        day: preau::ui::dates::date_value(now + due_in * DAY),
        given: preau::ui::dates::date_value(now),
        minutes: 15,
        visible_from,
        ..crate::budgets::session(id, class, now, author)
    }
}

#[tokio::test]
async fn a_parent_of_two_children_in_two_classes_sees_the_week_first() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let now = preau::auth::now_micros();
    // Marc, Lou's father (CP-CE1), also has Eva in the CM1-CM2.
    let eva = add_person(
        &store,
        "eva.petit",
        Profile::Eleve,
        Some((f.cm, Membership::Pupil)),
    );
    store
        .commit_checked_blocking(|tx| Ok(directory::link_parent(tx, f.marc, eva)?))
        .unwrap();
    store
        .commit(|tx| {
            let mut put = |class, title: &str, due_in, visible_from| {
                let id = tx.next_id("textbook")?;
                preau::pedagogy::textbook::insert(
                    tx,
                    &work(id, class, title, due_in, visible_from, f.director),
                )
            };
            put(f.cp, "Lire la page 12", 1, now - DAY)?;
            put(f.cm, "Apprendre la poésie", 1, now - DAY)?;
            put(f.cm, "Exposé sur les volcans", 20, now - DAY)?;
            put(f.cp, "Fiche préparée à l'avance", 1, now + DAY)?;
            put(f.cp, "Travail d'hier", -1, now - 2 * DAY)
        })
        .await
        .unwrap();
    publish_class_mot(&store, f.paul, f.cm, "Sortie au musée", now - DAY).await;
    let people = People::load(&store).unwrap();
    let draft = preau::messaging::Draft {
        to: vec![preau::messaging::Target::ClassParents(f.cp)],
        subject: "Réunion".into(),
        body: "Jeudi à 18 h.".into(),
        ..Default::default()
    };
    preau::messaging::send(&store, &people, f.director, None, &draft, now - DAY)
        .await
        .unwrap();
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    director.get("/actualites/nouvelle").await;
    let r = director
        .post_multipart(
            "/actualites/nouvelle",
            &[
                ("source", "ecole"),
                ("title", "Photo de classe jeudi"),
                ("body", "Pensez aux cheveux."),
                ("audience", "tous"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    let mut marc = server.signed_in("marc.petit").await;
    let home = marc.get("/accueil").await.body;
    let first = home.find("Pour vous").expect("« Pour vous »");
    for later in ["Mes enfants", "Services"] {
        assert!(
            first < home.find(later).unwrap(),
            "« Pour vous » before « {later} »"
        );
    }
    assert!(home.contains("1 message non lu"), "{home}");
    assert!(home.contains("Aujourd'hui") && home.contains("Photo de classe jeudi"));
    // One block per child, each with its own work due tomorrow and mots to sign.
    let blocks: Vec<&str> = home.split("class=\"child-week\"").skip(1).collect();
    assert_eq!(blocks.len(), 2, "{home}");
    let of = |name: &str| {
        *blocks
            .iter()
            .find(|b| b.contains(&format!(">{name}</a>")))
            .unwrap_or_else(|| panic!("{name}'s block"))
    };
    let (lou, eva) = (of("lou"), of("eva"));
    assert!(lou.contains("Pour demain : Français") && lou.contains("Lire la page 12"));
    assert!(!lou.contains("Apprendre la poésie") && !lou.contains("Sortie au musée"));
    assert!(eva.contains("Pour demain : Français") && eva.contains("Apprendre la poésie"));
    assert!(eva.contains("À signer : ") && eva.contains("Sortie au musée"));
    assert!(!eva.contains("Lire la page 12"));
    for hidden in [
        "Exposé sur les volcans",
        "Fiche préparée à l'avance",
        "Travail d'hier",
    ] {
        assert!(
            !home.contains(hidden),
            "« {hidden} » is not this week's or not yet out"
        );
    }
}

/// A home page reads the five news it shows through the news' places kept in memory: the
/// pinned first, then the newest, never a scheduled, ended or other-class item — and an
/// item published (or ended) after the places were made shows (or goes) at once.
#[tokio::test]
async fn the_home_reads_its_five_news_in_order_and_sees_changes_at_once() {
    use preau::news::{self, Audience, News, Source, Viewer};
    let dir = tempfile::tempdir().unwrap();
    let settings = crate::common::test_settings(dir.path());
    let store = preau::schema::open(&settings).unwrap();
    let now = preau::auth::now_micros();
    let hour = 3_600_000_000i64;
    let item =
        |id: u64, title: &str, audience: Audience, at: i64, ends: Option<i64>, pinned| News {
            id,
            source: Source::School,
            author: 7,
            title: title.into(),
            body: format!("Texte de {title}."),
            image: None,
            audience,
            publish_at: at,
            expires_at: ends,
            pinned,
            created_at: at,
        };
    let mine = Audience::Classes(vec![3]);
    let items = [
        item(
            1,
            "épinglée ancienne",
            Audience::All,
            now - 90 * hour,
            None,
            true,
        ),
        item(2, "n2", Audience::All, now - 5 * hour, None, false),
        item(3, "n3", mine.clone(), now - 4 * hour, None, false),
        item(4, "n4", Audience::Parents, now - 3 * hour, None, false),
        item(
            5,
            "n5",
            Audience::All,
            now - 2 * hour,
            Some(now + hour),
            false,
        ),
        item(6, "n6", Audience::All, now - hour, None, false),
        item(7, "programmée", Audience::All, now + hour, None, false),
        item(
            8,
            "finie",
            Audience::All,
            now - 6 * hour,
            Some(now - hour),
            false,
        ),
        item(
            9,
            "autre classe",
            Audience::Classes(vec![4]),
            now - 10,
            None,
            false,
        ),
    ];
    store
        .commit_blocking(|tx| {
            for n in &items {
                news::insert(tx, n)?;
            }
            Ok(())
        })
        .unwrap();
    let parent = Viewer {
        director: false,
        profile: preau::policy::Profile::Responsable,
        classes: vec![3],
        shut: Vec::new(),
    };
    let titles = |at: i64, limit: usize| -> Vec<String> {
        news::newest_for_viewer(&store, &parent, at, limit)
            .unwrap()
            .into_iter()
            .map(|n| n.title)
            .collect()
    };
    assert_eq!(
        titles(now, 5),
        ["épinglée ancienne", "n6", "n5", "n4", "n3"]
    );
    assert_eq!(titles(now, 100).len(), 6, "n2 comes sixth");
    // Two hours later: n5 has ended, the scheduled one is on.
    assert_eq!(
        titles(now + 2 * hour, 5),
        ["épinglée ancienne", "programmée", "n6", "n4", "n3"]
    );
    // Published now: first after the pinned one at once.
    store
        .commit_blocking(|tx| {
            news::insert(
                tx,
                &item(10, "toute fraîche", Audience::All, now, None, false),
            )
        })
        .unwrap();
    assert_eq!(titles(now, 2), ["épinglée ancienne", "toute fraîche"]);
}

/// The accessibility statement is public, names the school and its conformity state, and
/// every page's footer links it with that state, as the décret of 2019 asks.
#[tokio::test]
async fn every_page_links_the_accessibility_statement() {
    let (server, _) = TestServer::school().await;
    let name = preau::school::get(&server.store()).unwrap().unwrap().name;
    let mut visitor = server.client();
    let statement = visitor.get("/accessibilite").await;
    assert_eq!(statement.status, 200);
    assert!(statement.body.contains(&name));
    assert!(statement.body.contains("<strong>non conforme</strong>"));
    assert!(statement.body.contains("Défenseur des droits"));
    let sign_in = visitor.get("/connexion").await;
    assert!(sign_in
        .body
        .contains("<a href=\"/accessibilite\">Accessibilité : non conforme</a>"));
    let mut parent = server.signed_in("marc.petit").await;
    assert!(parent
        .get("/accueil")
        .await
        .body
        .contains("href=\"/accessibilite\""));
}

/// « Mon compte » → Affichage: the choices are kept on the account and every page of that
/// person carries them (without JavaScript); nobody else's pages change.
#[tokio::test]
async fn reading_comfort_follows_the_person_on_every_page() {
    let (server, _) = TestServer::school().await;
    let mut marc = server.signed_in("marc.petit").await;
    assert!(marc
        .get("/accueil")
        .await
        .body
        .contains("<html lang=\"fr\">"));
    let saved = marc
        .post(
            "/compte/affichage",
            &[
                ("text", "grand"),
                ("high_contrast", "oui"),
                ("legible_font", "oui"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    let form = marc.get("/compte/affichage").await.body;
    assert!(form.contains("Affichage enregistré"), "{form}");
    assert!(
        form.contains("id=\"texte-grand\" value=\"grand\" checked"),
        "{form}"
    );
    assert!(!form.contains("id=\"interligne\" value=\"oui\" checked"));
    for path in ["/accueil", "/compte", "/carnet", "/accessibilite"] {
        let page = marc.get(path).await;
        assert!(
            page.body
                .contains("<html lang=\"fr\" class=\"texte-grand police-lisible contraste\">"),
            "{path}"
        );
    }
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    assert!(director
        .get("/accueil")
        .await
        .body
        .contains("<html lang=\"fr\">"));
    // A size no form offers keeps the usual one; unticked boxes are off.
    marc.post("/compte/affichage", &[("text", "immense")]).await;
    assert!(marc
        .get("/accueil")
        .await
        .body
        .contains("<html lang=\"fr\">"));
    let font = server
        .client()
        .get("/static/fonts/atkinson-hyperlegible-400.woff2")
        .await;
    assert_eq!(font.status, 200);
}

/// An article of `blog` by `author`, published `at` (or a draft).
fn article(
    id: u64,
    blog: preau::blog::BlogRef,
    title: &str,
    published: bool,
    at: i64,
    author: u64,
) -> preau::blog::Article {
    use preau::blog::{Article, Status};
    Article {
        id,
        blog,
        author,
        title: title.into(),
        body: "Texte.".into(),
        media: vec![],
        status: if published {
            Status::Published
        } else {
            Status::Draft
        },
        publish_at: at,
        tagged: vec![],
        created_at: at,
        updated_at: at,
    }
}

/// A CP pupil's home: their class and its teacher, the work of today and of the next day
/// (and no other), their class blog's published articles (while the blog is open to them),
/// then one tile per service of the home's list, each a pictogram and one word with its
/// « Écouter »; a CM pupil keeps the usual home.
#[tokio::test]
async fn a_cp_pupil_gets_pictogram_tiles_with_the_day_s_work_and_the_class_blog_first() {
    use preau::blog::{BlogRef, BlogSettings, CommentMode, Visibility};
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let now = preau::auth::now_micros();
    let farm = store
        .commit(|tx| {
            let mut put = |class, title: &str, due_in, visible_from| {
                let id = tx.next_id("textbook")?;
                preau::pedagogy::textbook::insert(
                    tx,
                    &work(id, class, title, due_in, visible_from, f.director),
                )
            };
            put(f.cp, "Colorier la fleur", 0, now - DAY)?;
            put(f.cp, "Lire la page 12", 1, now - DAY)?;
            put(f.cp, "Apprendre la comptine", 2, now - DAY)?;
            put(f.cp, "Fiche préparée à l'avance", 0, now + DAY)?;
            put(f.cm, "Exposé sur les volcans", 0, now - DAY)?;
            let mut post = |blog, title: &str, published| {
                let id = tx.next_id("blog_article")?;
                let mut a = article(id, blog, title, published, now - DAY, f.director);
                // Its first picture, not its first file, shows on the home.
                a.media = [
                    ("programme.pdf", "application/pdf"),
                    ("vaches.jpg", "image/jpeg"),
                ]
                .map(|(name, mime)| preau::attachments::Attachment {
                    blob: "0".repeat(64),
                    name: name.into(),
                    mime: mime.into(),
                    size: 1,
                })
                .to_vec();
                preau::blog::insert(tx, &a)?;
                Ok::<_, preau::store::StoreError>(id)
            };
            let farm = post(BlogRef::Class(f.cp), "Notre sortie à la ferme", true)?;
            post(BlogRef::Class(f.cp), "Brouillon de Tom", false)?;
            post(BlogRef::Class(f.cm), "Le blog des CM", true)?;
            Ok(farm)
        })
        .await
        .unwrap();

    let mut lou = server.signed_in("lou.petit").await;
    let home = lou.get("/accueil").await.body;
    assert!(home.contains("<div class=\"kid\">"), "{home}");
    assert!(home.contains("Bonjour lou"));
    assert!(home.contains("Ma classe : CP-CE1") && home.contains("Avec Claire Martin"));
    // Today's work and the next day's, each with its « Écouter ».
    for (id_of, when) in [
        ("Colorier la fleur", "Pour aujourd'hui"),
        ("Lire la page 12", "Pour demain"),
    ] {
        let at = home
            .find(id_of)
            .unwrap_or_else(|| panic!("{id_of}: {home}"));
        let item = &home[home[..at].rfind("<li>").unwrap()..];
        let item = &item[..item.find("</li>").unwrap()];
        assert!(item.contains(when), "{item}");
        let id = crate::common::id_after(item, "id=\"travail-").unwrap();
        assert!(
            item.contains(&format!("data-ecouter=\"travail-{id}\"")),
            "{item}"
        );
    }
    for absent in [
        "Apprendre la comptine",
        "Fiche préparée à l'avance",
        "Exposé sur les volcans",
        "Brouillon de Tom",
        "Le blog des CM",
        "Vous êtes connecté(e)",
    ] {
        assert!(
            !home.contains(absent),
            "« {absent} » is not on a CP pupil's home"
        );
    }
    assert!(home.contains(&format!(
        "<img src=\"/blog/article/{farm}/media/1\" alt=\"\" loading=\"lazy\"><span id=\"article-{farm}\">Notre sortie à la ferme</span>"
    )), "{home}");
    assert!(home.contains(&format!("data-ecouter=\"article-{farm}\"")));
    let (work, blog, tiles) = (
        home.find("Mon travail").unwrap(),
        home.find("Le blog de la classe").unwrap(),
        home.find("Mes services").unwrap(),
    );
    assert!(work < blog && blog < tiles, "the work and the blog first");
    // The tiles: the home's services (the absences are not a pupil's), one word each, a
    // pictogram without text of its own, an « Écouter » for each word.
    let tiles = &home[tiles..];
    for (slug, word) in [
        ("cahier-de-textes", "Travail"),
        ("blog", "Blog"),
        ("exercices", "Exercices"),
        ("mediatheque", "Photos"),
        ("classeur", "Leçons"),
        ("messagerie", "Messages"),
    ] {
        assert!(
            tiles.contains(&format!("<span id=\"tuile-{slug}\">{word}</span>")),
            "{slug}: {tiles}"
        );
        assert!(
            tiles.contains(&format!("data-ecouter=\"tuile-{slug}\"")),
            "{slug}"
        );
        assert!(
            tiles.contains(&format!("/static/img/services/{slug}.svg?v=")),
            "{slug}"
        );
    }
    assert!(!tiles.contains("tuile-absences"));
    assert_eq!(
        tiles.matches("<span id=\"tuile-").count(),
        tiles.matches("data-ecouter=\"tuile-").count()
    );
    assert!(
        !tiles.contains("alt=\"Travail\""),
        "the word is the link's text, once"
    );
    // A service the school closes leaves the tiles; the blog closed by its teacher leaves
    // the home (the blog's own access rule), its tile stays for the school's blog.
    let mut school = preau::school::get(&store).unwrap().unwrap();
    school
        .services
        .retain(|s| *s != preau::school::Service::Exercices);
    store
        .commit(|tx| {
            preau::school::save(tx, &school)?;
            tx.put(
                &preau::blog::BLOGS,
                &BlogRef::Class(f.cp).code(),
                &BlogSettings {
                    enabled: false,
                    comments: CommentMode::Off,
                    visibility: Visibility::Class,
                },
            )
        })
        .await
        .unwrap();
    let home = lou.get("/accueil").await.body;
    assert!(home.contains("<div class=\"kid\">") && !home.contains("tuile-exercices"));
    assert!(!home.contains("Notre sortie à la ferme") && !home.contains("Le blog de la classe"));
    assert!(home.contains("tuile-blog"));

    // A CM pupil keeps the usual home.
    let mut zoe = server.signed_in("zoe.leroy").await;
    let home = zoe.get("/accueil").await.body;
    assert!(
        !home.contains("class=\"kid\"") && !home.contains("tuile-"),
        "{home}"
    );
    assert!(home.contains("<h2>Ma classe</h2>") && home.contains("<h2>Services</h2>"));
}
