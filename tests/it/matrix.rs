//! The authorization matrix: every route of the route table (`preau::routes::table()`) ×
//! every profile (and anonymous), driven against real objects. The test creates one
//! object of each kind the table names (a mot, a message, a médiathèque item, a hand-in…)
//! in the class CM1-CM2 of Paul, fills every path parameter with it, and checks each
//! profile against the outcome written down here for the route's rule: allowed, refused
//! (403), invisible (404, only where the rule hides the object from that person) or sent
//! to the login page. A rule without an expectation here, or a path parameter without a
//! real value, fails the test, so a new route cannot slip through.
//!
//! Every GET is sent, and an allowed page must be the page itself (200); a POST only
//! where it must be refused or the object is invisible, so that the matrix changes
//! nothing. Where the server answers otherwise than the rule, the expectation stays the
//! right one and the difference is listed in `DEVIATIONS` or `MISDECLARED` (reported
//! to be fixed in the feature); an entry that no longer occurs fails the test too.

use std::io::Cursor;

use preau::directory::{self, Level, Membership};
use preau::policy::Profile;
use preau::routing::{Access, Object};

use crate::common::{add_person, id_after, Client, Page, TestServer, DIRECTOR_LOGIN};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    /// A page, a file, or a redirect elsewhere than the login page.
    Allowed,
    /// 403.
    Refused,
    /// A redirect to the login page.
    ToLogin,
    /// 404: the object is invisible to that person.
    NotFound,
    /// 400: the request was read before the rule was asked (never expected).
    Invalid,
    /// Anything else (a 500…): never expected.
    Failed,
}

use Outcome::{Allowed as A, Invalid, NotFound as N, Refused as R, ToLogin as L};

fn classify(page: &Page) -> Outcome {
    match (page.status, page.location.as_deref()) {
        (403, _) => R,
        (404, _) => N,
        (400, _) => Invalid,
        (303, Some(l)) if l.starts_with("/connexion") => L,
        (200..=399, _) => A,
        _ => Outcome::Failed,
    }
}

/// The profiles, in the order of the expectation rows. The objects are made in CM1-CM2
/// (Paul's class) by Paul; Zoé is its pupil and Inès her mother.
const PROFILES: [(&str, &str); 10] = [
    ("anonyme", ""),
    ("direction", DIRECTOR_LOGIN),
    ("auteur, enseignant de la classe", "paul.durand"),
    ("enseignante d'une autre classe", "nina.roux"),
    ("élève de la classe", "zoe.leroy"),
    ("élève d'une autre classe", "lou.petit"),
    ("responsable de l'élève", "ines.leroy"),
    ("responsable d'une autre famille", "marc.petit"),
    ("ATSEM de la classe", "aline.morel"),
    ("périscolaire, l'élève à l'étude", "eva.garde"),
];

type Row = [Outcome; 10];

/// What each profile gets on a route with this rule, in the order of `PROFILES`.
fn expectation(access: Access) -> Row {
    match access {
        Access::Public => [A; 10],
        Access::SetupOnly => [N; 10],
        Access::Member => [L, A, A, A, A, A, A, A, A, A],
        Access::Director => [L, A, R, R, R, R, R, R, R, R],
        Access::Teacher => [L, A, A, A, R, R, R, R, R, R],
        Access::Guardian => [L, R, R, R, R, R, A, A, R, R],
        Access::Object(o) => object_expectation(o),
    }
}

/// The object rules, as the handlers answer them: a person outside the relation is
/// refused (403); only what is one's own (a mailbox entry, a notification, a personal
/// folder) is invisible to others (404), and a blog that is not public to anonymous
/// visitors. Exhaustive: a new kind of object does not compile until its row is written.
fn object_expectation(o: Object) -> Row {
    match o {
        Object::ClassView => [L, A, A, R, A, R, R, R, A, R],
        Object::ClassManage => [L, A, A, R, R, R, R, R, R, R],
        Object::PupilView => [L, A, A, R, A, R, A, R, A, R],
        Object::PupilCarnet => [L, A, A, R, R, R, A, R, R, R],
        // Inès's notification: nobody else's.
        Object::OwnNotification => [L, N, N, N, N, N, A, N, N, N],
        // Paul's personal folder.
        Object::OwnMailFolder => [L, N, A, N, N, N, N, N, N, N],
        // Zoé's message held for moderation of her class.
        Object::HeldMessage => [L, A, A, R, R, R, R, R, R, R],
        // Paul's message to Inès: in their two mailboxes only.
        Object::MailboxEntry => [L, N, A, N, N, N, A, N, N, N],
        // Paul's mot to the families of his class: its signers read it, not the
        // class's other staff.
        Object::MotReader => [L, A, A, R, R, R, A, R, R, R],
        Object::MotAuthor => [L, A, A, R, R, R, R, R, R, R],
        // The class space of CM1-CM2 (pupils may not add to it): the class's staff,
        // the ATSEM included, add to it and manage its items.
        Object::MediaSpaceRead => [L, A, A, R, A, R, R, R, A, R],
        Object::MediaSpaceWrite => [L, A, A, R, R, R, R, R, A, R],
        Object::MediaSpaceManage => [L, A, A, R, R, R, R, R, R, R],
        // A file Paul put in the class space.
        Object::MediaItemRead => [L, A, A, R, A, R, R, R, A, R],
        Object::MediaItemManage => [L, A, A, R, R, R, R, R, A, R],
        // Work given to the class, to hand in online.
        Object::TextbookReader | Object::WorkReader => [L, A, A, R, A, R, A, R, A, A],
        Object::TextbookAuthor => [L, A, A, R, R, R, R, R, R, R],
        // Zoé's hand-in.
        Object::HandIn => [L, A, A, R, A, R, A, R, A, A],
        Object::HandInFeedback => [L, A, A, R, R, R, R, R, R, R],
        Object::LessonReader => [L, A, A, R, A, R, A, R, A, A],
        Object::LessonAuthor => [L, A, A, R, R, R, R, R, R, R],
        Object::ExerciseReader => [L, A, A, R, A, R, A, R, A, A],
        Object::ExerciseAuthor => [L, A, A, R, R, R, R, R, R, R],
        // News from the class to the class.
        Object::NewsReader => [L, A, A, R, A, R, A, R, A, R],
        Object::NewsAuthor => [L, A, A, R, R, R, R, R, R, R],
        // An event of the class's calendar.
        Object::EventReader => [L, A, A, R, A, R, A, R, A, R],
        Object::EventAuthor => [L, A, A, R, R, R, R, R, R, R],
        // The class's blog, for the class and its families (not public), comments open.
        Object::BlogReader => [N, A, A, R, A, R, A, R, A, R],
        Object::BlogWriter => [L, A, A, R, A, R, R, R, R, R],
        Object::ArticleWriter => [L, A, A, R, R, R, R, R, R, R],
        Object::BlogRunner => [L, A, A, R, R, R, R, R, R, R],
        Object::ArticleReader => [L, A, A, R, A, R, A, R, A, R],
        // The board answers the school network (the tests' loopback), signed in or not.
        Object::LoginBoard => [A; 10],
        // Inès's feed: the secret token is the key.
        Object::CalendarFeed => [A; 10],
        // Inès's archive of « Mes données »: nobody else's, not even the director's.
        Object::OwnExport => [L, N, N, N, N, N, A, N, N, N],
    }
}

/// Pages that send everybody elsewhere: the root to the home page, the login page to
/// the home page once signed in.
const REDIRECTING_PAGES: &[&str] = &["/", "/connexion"];

/// A form for one class (`?classe=` of Paul's class): the Teacher rule narrowed to the
/// teachers of that class and the director.
const TEACHER_OF_THE_CLASS: Row = [L, A, A, R, R, R, R, R, R, R];

/// Routes whose declared rule is not the one their handler applies, and should change
/// in the feature's `routes()`: (method, path, declared, the rule the handler applies).
/// The matrix expects the handler's rule, which is the right one, and fails once the
/// declaration is corrected, so that the entry is removed.
const MISDECLARED: &[(&str, &str, Access, Access)] = &[];

/// Where the server answers otherwise than the rule, reported to be fixed in the
/// feature: (method, path, the profile or every profile with that expectation, what the
/// rule expects, what the server answers, why). Each entry must still occur, so a fix
/// makes the test fail until the entry is removed.
type Deviation = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Outcome,
    Outcome,
    &'static str,
);

const DEVIATIONS: &[Deviation] = &[
    // The pedagogy services' home pages refuse an ATSEM (neither teaching a class nor
    // following a pupil), although the rule is Member and the ATSEM reads the class's
    // entries, hand-ins, lessons and exercises by their own pages.
    (
        "GET",
        "/cahier-de-textes",
        Some("ATSEM de la classe"),
        A,
        R,
        "403 for an ATSEM",
    ),
    (
        "GET",
        "/devoirs",
        Some("ATSEM de la classe"),
        A,
        R,
        "403 for an ATSEM",
    ),
    (
        "GET",
        "/classeur",
        Some("ATSEM de la classe"),
        A,
        R,
        "403 for an ATSEM",
    ),
    (
        "GET",
        "/exercices",
        Some("ATSEM de la classe"),
        A,
        R,
        "403 for an ATSEM",
    ),
];

/// The real objects the paths are filled with.
struct Objects {
    cm: u64,
    zoe: u64,
    group: u64,
    notification: u64,
    folder: u64,
    held: u64,
    message: u64,
    mot: u64,
    item: u64,
    work: u64,
    lesson: u64,
    exercise: u64,
    news: u64,
    event: u64,
    feed: String,
    article: u64,
    comment: u64,
    report: u64,
    consent: u64,
    import: String,
    year: String,
    card: &'static str,
    /// Inès's archive of « Mes données », and Zoé's made by the director.
    export: u64,
    console_export: u64,
}

impl Objects {
    /// The value of the parameter `name` of a path that starts with `before`.
    fn value(&self, before: &str, name: &str) -> Option<String> {
        let id = |v: u64| Some(v.to_string());
        let space = || Some(format!("classe-{}", self.cm));
        match (name, before) {
            ("n", _) => Some("0".into()),
            ("c", _) => id(self.comment),
            ("pupil", _) => id(self.zoe),
            ("class", _) => id(self.cm),
            ("token", "/tableau/carte/") => Some(self.card.into()),
            ("token", "/agenda/ical/") => Some(self.feed.clone()),
            ("key", "/admin/import/") => Some(self.import.clone()),
            ("year", "/admin/rentree/archives/") => Some(self.year.clone()),
            ("space", "/mediatheque/espace/") | ("blog", "/blog/") => space(),
            ("id", b) => match b {
                "/classes/" | "/admin/classes/" => id(self.cm),
                "/eleves/" | "/carnet/eleve/" | "/admin/comptes/" => id(self.zoe),
                "/admin/groupes/" => id(self.group),
                "/admin/signalements/" => id(self.report),
                "/admin/autorisations-photo/" => id(self.consent),
                "/notifications/" => id(self.notification),
                "/messagerie/dossiers/" => id(self.folder),
                "/messagerie/moderation/" => id(self.held),
                "/messagerie/" => id(self.message),
                "/carnet/" => id(self.mot),
                "/mediatheque/element/" | "/mediatheque/fichier/" => id(self.item),
                "/cahier-de-textes/" | "/devoirs/" => id(self.work),
                "/classeur/" => id(self.lesson),
                "/exercices/" => id(self.exercise),
                "/actualites/" => id(self.news),
                "/agenda/" => id(self.event),
                "/blog/article/" => id(self.article),
                "/compte/mes-donnees/" => id(self.export),
                "/admin/mes-donnees/" => id(self.console_export),
                _ => None,
            },
            _ => None,
        }
    }

    /// The path with every parameter replaced by a real value, or the parameter that has
    /// none.
    fn fill(&self, pattern: &str) -> Result<String, String> {
        let mut out = String::new();
        for segment in pattern.split('/').skip(1) {
            out.push('/');
            match segment.strip_prefix(':') {
                Some(name) => {
                    // The value depends on the path up to the first parameter.
                    let before = format!("{}/", pattern.split("/:").next().unwrap_or(""));
                    let v = self
                        .value(&before, name)
                        .ok_or_else(|| format!("no real value for :{name} in {pattern}"))?;
                    out.push_str(&v);
                }
                None => out.push_str(segment),
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        out.push_str(&self.query(pattern));
        Ok(out)
    }

    /// The query some pages need to say what they are about: the class of a form, the
    /// pupil whose work an adult looks at, the file of a hand-in, the kind of question.
    fn query(&self, pattern: &str) -> String {
        match pattern {
            "/cahier-de-textes/nouveau" | "/classeur/nouveau" | "/exercices/nouveau" => {
                format!("?classe={}", self.cm)
            }
            "/devoirs/:id" | "/exercices/:id" => format!("?eleve={}", self.zoe),
            // The first version of the hand-in, its first file.
            "/devoirs/:id/eleve/:pupil/fichier" => "?v=0&n=0".into(),
            "/exercices/:id/questions" => "?type=choix".into(),
            _ => String::new(),
        }
    }
}

fn pdf() -> Vec<u8> {
    let mut v = b"%PDF-1.4\n".to_vec();
    v.resize(300, b' ');
    v
}

fn png() -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::new_rgb8(8, 8)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn day(offset: i64) -> String {
    preau::ui::dates::date_value(preau::auth::now_micros() + offset * 86_400_000_000)
}

/// The id that follows `marker` in `text`, which must hold one.
fn found(text: &str, marker: &str) -> u64 {
    id_after(text, marker).unwrap_or_else(|| panic!("no id after {marker} in: {text}"))
}

/// A POST that must succeed (a redirect) while the objects are made.
fn made(what: &str, page: &Page) -> String {
    assert_eq!(page.status, 303, "{what}: {}", page.body);
    page.location.clone().unwrap_or_default()
}

/// Makes one object of every kind, through the pages as people do.
async fn make_objects(server: &TestServer, c: &mut [Client]) -> Objects {
    let store = server.store();
    let (cm, zoe) = (class_id(&store, "CM1-CM2"), user_id(&store, "zoe.leroy"));
    let leo = add_person(
        &store,
        "leo.blanc",
        Profile::Eleve,
        Some((cm, Membership::Pupil)),
    );
    let [_, director, paul, _, zoe_c, _, ines, _, _, _] = c else {
        panic!("ten profiles");
    };

    // Carnet: a mot to the class's families, with a document.
    paul.get("/carnet/nouveau").await;
    let audience = format!("c{cm}");
    let r = paul
        .post_multipart(
            "/carnet/nouveau",
            &[
                ("audience", &audience),
                ("title", "Sortie au musée"),
                ("body", "Nous irons au musée."),
                ("question", "J'autorise la sortie."),
                ("deadline", "2099-12-01"),
            ],
            &[("files", "programme.pdf", pdf())],
        )
        .await;
    let mot = found(&made("mot", &r), "/carnet/");
    let notification = found(
        &ines.get("/notifications").await.body,
        "action=\"/notifications/",
    );

    // Messagerie: Paul writes to Inès with a document; his personal folder.
    paul.get("/messagerie/ecrire").await;
    let to = format!("u{}", user_id(&store, "ines.leroy"));
    let r = paul
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &to),
                ("subject", "Rendez-vous"),
                ("body", "Pouvons-nous nous voir ?"),
                ("action", "envoyer"),
            ],
            &[("files", "mot.pdf", pdf())],
        )
        .await;
    made("message", &r);
    let message = found(
        &paul.get("/messagerie?dossier=envoyes").await.body,
        "href=\"/messagerie/",
    );
    let r = paul
        .post("/messagerie/dossiers", &[("name", "Sorties")])
        .await;
    let folder = found(&made("folder", &r), "dossier=dossier-");
    // Inès reports it: the director's inbox holds a report.
    ines.get(&format!("/messagerie/{message}")).await;
    let r = ines
        .post(
            &format!("/messagerie/{message}/signaler"),
            &[("motif", "Pour essai")],
        )
        .await;
    made("report", &r);
    let report = found(
        &director.get("/admin/signalements").await.body,
        "href=\"/admin/signalements/",
    );

    // Médiathèque: a file in the class space.
    let space = format!("/mediatheque/espace/classe-{cm}");
    paul.get(&space).await;
    let r = paul
        .post_multipart(
            &format!("{space}/envoyer"),
            &[],
            &[("files", "affiche.pdf", pdf())],
        )
        .await;
    made("media item", &r);
    let item = found(&paul.get(&space).await.body, "href=\"/mediatheque/element/");

    // Cahier de textes: work to hand in online, with a document; Zoé hands it in.
    let new = format!("/cahier-de-textes/nouveau?classe={cm}&type=travail");
    paul.get(&new).await;
    let (today, later) = (day(0), day(2));
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
                ("day", &later),
                ("body", "Lis le texte."),
                ("online", "1"),
            ],
            &[("files", "texte.pdf", pdf())],
        )
        .await;
    let week = paul.get(&made("work", &r)).await.body;
    let work = found(&week, "href=\"/cahier-de-textes/");
    zoe_c.get(&format!("/devoirs/{work}")).await;
    let r = zoe_c
        .post_multipart(
            &format!("/devoirs/{work}/rendre"),
            &[("text", "J'ai lu.")],
            &[("files", "lecture.pdf", pdf())],
        )
        .await;
    made("hand-in", &r);

    // Classeur: a lesson with a document.
    let new = format!("/classeur/nouveau?classe={cm}");
    paul.get(&new).await;
    let r = paul
        .post_multipart(
            &new,
            &[
                ("scope", "classe"),
                ("subject", "Français"),
                ("period", "1"),
                ("title", "Le nom"),
                ("body", "Un nom désigne une chose."),
            ],
            &[("files", "lecon.pdf", pdf())],
        )
        .await;
    made("lesson", &r);
    let lesson = found(&paul.get("/classeur").await.body, "href=\"/classeur/");

    // Exercices: one question with an image, published.
    let new = format!("/exercices/nouveau?classe={cm}");
    paul.get(&new).await;
    let r = paul
        .post(&new, &[("scope", "classe"), ("title", "Les animaux")])
        .await;
    let edit = made("exercise", &r);
    let exercise = found(&edit, "/exercices/");
    paul.get(&edit).await;
    let r = paul
        .post_multipart(
            &format!("/exercices/{exercise}/questions?type=choix"),
            &[
                ("prompt", "Qui miaule ?"),
                ("option0", "le chien"),
                ("option1", "le chat"),
                ("bonne", "1"),
            ],
            &[("media", "chat.png", png())],
        )
        .await;
    made("question", &r);
    paul.get(&edit).await;
    let r = paul
        .post(&format!("/exercices/{exercise}/publier"), &[])
        .await;
    made("publication", &r);

    // Actualités: news from the class to the class, with an image.
    paul.get("/actualites/nouvelle").await;
    let (source, class) = (format!("classe-{cm}"), cm.to_string());
    let r = paul
        .post_multipart(
            "/actualites/nouvelle",
            &[
                ("source", &source),
                ("title", "Piscine"),
                ("body", "Le mardi."),
                ("audience", "classes"),
                ("classe", &class),
            ],
            &[("image", "piscine.png", png())],
        )
        .await;
    made("news", &r);
    let news = found(&paul.get("/actualites").await.body, "href=\"/actualites/");

    // Agenda: an event of the class; Inès's personal feed.
    paul.get("/agenda/nouveau").await;
    let calendar = format!("classe-{cm}");
    let r = paul
        .post(
            "/agenda/nouveau",
            &[
                ("calendar", &calendar),
                ("title", "Piscine CM"),
                ("start_day", "2026-12-09"),
                ("start_time", "09:00"),
                ("end_time", "10:00"),
            ],
        )
        .await;
    made("event", &r);
    let event = found(
        &paul.get("/agenda?vue=liste&date=2026-12-01").await.body,
        "href=\"/agenda/",
    );
    ines.get("/agenda/abonnement").await;
    let page = ines.post("/agenda/abonnement", &[]).await.body;
    let start = page.find("/agenda/ical/").unwrap() + "/agenda/ical/".len();
    let feed: String = page[start..]
        .chars()
        .take_while(|c| *c != '<' && *c != '"')
        .collect();

    // Blog: the class blog switched on with open comments, an article with an image,
    // Zoé's comment.
    let blog = format!("/blog/classe-{cm}");
    paul.get(&blog).await;
    let r = paul
        .post(
            &format!("{blog}/reglages"),
            &[
                ("enabled", "1"),
                ("comments", "open"),
                ("visibility", "classe"),
            ],
        )
        .await;
    made("blog settings", &r);
    paul.get(&format!("{blog}/ecrire")).await;
    let r = paul
        .post_multipart(
            &format!("{blog}/ecrire"),
            &[
                ("title", "Notre sortie"),
                ("body", "Nous avons vu des tableaux."),
                ("action", "publier"),
            ],
            &[("files", "musee.png", png())],
        )
        .await;
    made("article", &r);
    let article = found(&paul.get(&blog).await.body, "href=\"/blog/article/");
    zoe_c.get(&format!("/blog/article/{article}")).await;
    let r = zoe_c
        .post(
            &format!("/blog/article/{article}/commenter"),
            &[("text", "C'était bien !")],
        )
        .await;
    made("comment", &r);
    let comment = found(
        &paul.get(&format!("/blog/article/{article}")).await.body,
        "/commentaires/",
    );

    // The console's objects: a group, a photo-consent project, an import in progress,
    // an archived year.
    let group = store
        .commit_blocking(|tx| directory::create_group(tx, "Chorale", ""))
        .unwrap();
    director.get("/admin/autorisations-photo").await;
    let r = director
        .post("/admin/autorisations-photo", &[("title", "Blog 2026")])
        .await;
    made("consent project", &r);
    let consent = found(
        &director.get("/admin/autorisations-photo").await.body,
        "href=\"/admin/autorisations-photo/",
    );
    director.get("/admin/import").await;
    let r = director
        .post_multipart(
            "/admin/import",
            &[("complet", "non")],
            &[(
                "eleves",
                "eleves.csv",
                include_bytes!("../fixtures/eleves-onde-cp1252.csv").to_vec(),
            )],
        )
        .await;
    let import = made("import", &r)
        .trim_start_matches("/admin/import/")
        .to_string();
    let year = "2020-2021".to_string();
    let now = preau::auth::now_micros();
    let archive = directory::rollover::snapshot(&store, &year, now).unwrap();
    let current = directory::rollover::current_year(&store).unwrap();
    store
        .commit_blocking(|tx| directory::rollover::close_year(tx, &archive, &current))
        .unwrap();

    // The login board: Zoé's picture password and card token, known here (printing the
    // cards would change her password and end her session).
    let card = "jeton-de-test";
    let user = directory::user(&store, zoe).unwrap().unwrap();
    let mut record = directory::pupil(&store, zoe)
        .unwrap()
        .unwrap_or(directory::PupilRecord {
            user_id: zoe,
            ine: None,
            birth_date: "2016-01-01".into(),
            sex: None,
            level: Some(Level::CM1),
            cycle: None,
            onde_class_id: None,
            photo_consent_declared: None,
            leaving: None,
            avatar: None,
            picture_hash: None,
            card_token_hash: None,
        });
    record.card_token_hash = Some(preau::auth::session_key(card));
    record.picture_hash = Some(preau::auth::password::hash_blocking("1-2-3-4", 4).unwrap());
    store
        .commit_checked_blocking(|tx| directory::save_pupil(tx, &user, &record))
        .unwrap();

    // Last, as it holds Zoé's messages: moderation of the class, and her held message.
    paul.get("/messagerie/moderation").await;
    let r = paul
        .post(
            "/messagerie/moderation/classes",
            &[("classe", &class), ("vues", &class)],
        )
        .await;
    made("moderation", &r);
    zoe_c.get("/messagerie/ecrire").await;
    let to = format!("u{leo}");
    let r = zoe_c
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &to),
                ("subject", "Mon dessin"),
                ("body", "Regarde"),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    made("held message", &r);
    let held = found(
        &zoe_c.get("/messagerie?dossier=envoyes").await.body,
        "href=\"/messagerie/",
    );
    // « Mes données »: Inès asks for hers, the director makes Zoé's; both ready.
    made("export", &ines.post("/compte/mes-donnees", &[]).await);
    let r = director
        .post("/admin/mes-donnees", &[("compte", &zoe.to_string())])
        .await;
    made("console export", &r);
    let export = ready_archive(ines, "/compte/mes-donnees/").await;
    let console_export = ready_archive(director, "/admin/mes-donnees/").await;
    store.flush_blocking().unwrap();

    Objects {
        cm,
        zoe,
        group,
        notification,
        folder,
        held,
        message,
        mot,
        item,
        work,
        lesson,
        exercise,
        news,
        event,
        feed,
        article,
        comment,
        report,
        consent,
        import,
        year,
        card,
        export,
        console_export,
    }
}

/// The id of the archive offered under `prefix` once it is ready (bounded wait).
async fn ready_archive(c: &mut Client, prefix: &str) -> u64 {
    let page = prefix.trim_end_matches('/');
    for _ in 0..300 {
        let body = c.get(page).await.body;
        if let Some(id) = id_after(&body, &format!("href=\"{prefix}")) {
            return id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{page}: no archive ready in 30 s");
}

fn class_id(store: &preau::store::Store, label: &str) -> u64 {
    directory::classes(store)
        .unwrap()
        .into_iter()
        .find(|c| c.label == label)
        .unwrap()
        .id
}

fn user_id(store: &preau::store::Store, login: &str) -> u64 {
    directory::user_by_login(store, login).unwrap().unwrap().id
}

#[tokio::test]
async fn every_route_answers_every_profile_as_the_rules_say() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    add_person(
        &store,
        "nina.roux",
        Profile::Enseignant,
        Some((f.cp, Membership::Teacher)),
    );
    add_person(
        &store,
        "aline.morel",
        Profile::Atsem,
        Some((f.cm, Membership::Assistant)),
    );
    // Eva of the périscolaire has Zoé at the étude du soir.
    let eva = add_person(&store, "eva.garde", Profile::Periscolaire, None);
    store
        .commit_checked_blocking(|tx| {
            let etude = directory::create_group(tx, "Étude du soir", "")?;
            directory::add_to_group(tx, etude, eva)?;
            directory::add_to_group(tx, etude, f.zoe)
        })
        .unwrap();
    let mut clients = Vec::new();
    for (_, login) in PROFILES {
        clients.push(if login.is_empty() {
            server.client()
        } else {
            server.signed_in(login).await
        });
    }
    let objects = make_objects(&server, &mut clients).await;

    let mut wrong = Vec::new();
    let mut deviations_seen = vec![false; DEVIATIONS.len()];
    let mut misdeclared_seen = vec![false; MISDECLARED.len()];
    let mut driven = 0;
    for route in preau::routes::table() {
        if route.path.starts_with("/static/") {
            continue;
        }
        let method = route.method.as_str();
        let pattern = route.path.clone();
        let path = match objects.fill(&pattern) {
            Ok(p) => p,
            Err(e) => {
                wrong.push(e);
                continue;
            }
        };
        let mut access = route.access;
        for (i, (m, p, declared, applied)) in MISDECLARED.iter().enumerate() {
            if *m == method && *p == pattern {
                assert_eq!(
                    *declared, route.access,
                    "{method} {pattern} is declared otherwise now: remove it from MISDECLARED"
                );
                misdeclared_seen[i] = true;
                access = *applied;
            }
        }
        let row = if access == Access::Teacher && path.contains("?classe=") {
            TEACHER_OF_THE_CLASS
        } else {
            expectation(access)
        };
        for (((who, _), client), want) in PROFILES.iter().zip(clients.iter_mut()).zip(row) {
            // Allowed actions are exercised by the feature tests; a POST is sent only
            // where it must be refused, so that the matrix changes nothing.
            if method == "POST" && want == A {
                continue;
            }
            // A fresh CSRF token from a page of the site.
            client
                .get(if *who == "anonyme" {
                    "/connexion"
                } else {
                    "/accueil"
                })
                .await;
            let page = match method {
                "GET" => client.get(&path).await,
                "POST" => client.post(&path, &[("x", "1")]).await,
                other => panic!("{other} {path}: a method the matrix does not drive"),
            };
            driven += 1;
            let got = classify(&page);
            // An allowed page is the page itself, not a redirect that hides a refusal.
            if method == "GET"
                && got == A
                && page.status != 200
                && !REDIRECTING_PAGES.contains(&pattern.as_str())
            {
                wrong.push(format!(
                    "{who}: GET {path}: allowed but {} to {:?}",
                    page.status, page.location
                ));
                continue;
            }
            if got == want {
                continue;
            }
            let known = DEVIATIONS.iter().position(|(m, p, profile, w, g, _)| {
                *m == method
                    && *p == pattern
                    && profile.is_none_or(|x| x == *who)
                    && *w == want
                    && *g == got
            });
            match known {
                Some(i) => deviations_seen[i] = true,
                None => wrong.push(format!(
                    "{who}: {method} {path} ({pattern}, {access:?}): expected {want:?}, got {got:?} ({})",
                    page.status
                )),
            }
        }
    }
    for (seen, d) in deviations_seen.iter().zip(DEVIATIONS) {
        if !seen {
            wrong.push(format!("deviation no longer seen, remove it: {d:?}"));
        }
    }
    for (seen, m) in misdeclared_seen.iter().zip(MISDECLARED) {
        if !seen {
            wrong.push(format!("route no longer in the table: {m:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} disagreements with the matrix ({driven} requests):\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    server.stop().await;
}
