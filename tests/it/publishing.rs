//! Publishing over HTTP: news and their audiences, the agenda and its iCalendar feed (read
//! back with an independent parser), blogs with the pupils' drafts, comments, visibility,
//! the public blog without login and the photo-consent guard.

use crate::common::{Client, TestServer, DIRECTOR_LOGIN};

fn day(offset: i64) -> String {
    preau::ui::dates::date_value(preau::auth::now_micros() + offset * 86_400_000_000)
}

async fn publish_news(c: &mut Client, fields: &[(&str, &str)]) -> u16 {
    c.get("/actualites/nouvelle").await;
    c.post_multipart("/actualites/nouvelle", fields, &[])
        .await
        .status
}

#[tokio::test]
async fn news_reach_their_audience_between_their_dates() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    assert_eq!(
        publish_news(
            &mut director,
            &[
                ("source", "ecole"),
                ("title", "Fête de l'école"),
                ("body", "Samedi 27 juin"),
                ("audience", "tous"),
                ("pinned", "1")
            ]
        )
        .await,
        303
    );
    assert_eq!(
        publish_news(
            &mut director,
            &[
                ("source", "ecole"),
                ("title", "Réunion des parents"),
                ("body", "Mardi"),
                ("audience", "parents")
            ]
        )
        .await,
        303
    );
    assert_eq!(
        publish_news(
            &mut director,
            &[
                ("source", "ecole"),
                ("title", "Conseil des maîtres"),
                ("body", "Lundi"),
                ("audience", "personnels")
            ]
        )
        .await,
        303
    );
    assert_eq!(
        publish_news(
            &mut director,
            &[
                ("source", "ecole"),
                ("title", "Ancienne nouvelle"),
                ("body", "x"),
                ("audience", "tous"),
                ("publish_at", &day(-3)),
                ("expires_at", &day(0))
            ]
        )
        .await,
        303
    );
    assert_eq!(
        publish_news(
            &mut director,
            &[
                ("source", "ecole"),
                ("title", "Nouvelle à venir"),
                ("body", "x"),
                ("audience", "tous"),
                ("publish_at", &day(3))
            ]
        )
        .await,
        303
    );
    let mut paul = server.signed_in("paul.durand").await;
    let cm = format!("classe-{}", f.cm);
    assert_eq!(
        publish_news(
            &mut paul,
            &[
                ("source", &cm),
                ("title", "Sortie des CM"),
                ("body", "Au musée"),
                ("audience", "tous")
            ]
        )
        .await,
        303,
        "a class's news is for its class"
    );
    // Paul may not speak for the school.
    assert_eq!(
        publish_news(
            &mut paul,
            &[
                ("source", "ecole"),
                ("title", "X"),
                ("body", "x"),
                ("audience", "tous")
            ]
        )
        .await,
        400
    );
    let mut lou = server.signed_in("lou.petit").await;
    assert_eq!(lou.get("/actualites/nouvelle").await.status, 403);

    let mut marc = server.signed_in("marc.petit").await;
    let home = marc.get("/accueil").await.body;
    assert!(home.contains("Fête de l&#39;école") || home.contains("Fête de l'école"));
    assert!(home.contains("Réunion des parents"));
    for absent in [
        "Sortie des CM",
        "Conseil des maîtres",
        "Ancienne nouvelle",
        "Nouvelle à venir",
    ] {
        assert!(!home.contains(absent), "{absent}");
    }
    let mut ines = server.signed_in("ines.leroy").await;
    assert!(ines.get("/actualites").await.body.contains("Sortie des CM"));
    let pupil_home = lou.get("/accueil").await.body;
    assert!(
        !pupil_home.contains("Réunion des parents") && !pupil_home.contains("Conseil des maîtres")
    );
    assert!(paul
        .get("/actualites")
        .await
        .body
        .contains("Conseil des maîtres"));
    // Bad input is refused in French and kept.
    director.get("/actualites/nouvelle").await;
    let r = director
        .post_multipart(
            "/actualites/nouvelle",
            &[
                ("source", "ecole"),
                ("title", ""),
                ("body", "Texte gardé"),
                ("audience", "classes"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("Indiquez le titre")
            && r.body.contains("Texte gardé")
            && r.body.contains("au moins une classe")
    );
    let r = director
        .post_multipart(
            "/actualites/nouvelle",
            &[
                ("source", "ecole"),
                ("title", "T"),
                ("body", "B"),
                ("audience", "tous"),
            ],
            &[("image", "x.pdf", b"%PDF-1.4\n".to_vec())],
        )
        .await;
    assert!(r.body.contains("pas une image"));
}

#[tokio::test]
async fn the_agenda_feed_is_valid_icalendar_and_a_revoked_token_is_gone() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/agenda/nouveau").await;
    let r = director
        .post(
            "/agenda/nouveau",
            &[
                ("calendar", "ecole"),
                ("title", "Réunion de rentrée"),
                ("place", "Préau"),
                ("start_day", "2026-12-08"),
                ("start_time", "18:00"),
                ("end_time", "19:30"),
                ("audience", "tous"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let bad = director
        .post(
            "/agenda/nouveau",
            &[
                ("calendar", "ecole"),
                ("title", "Erreur"),
                ("start_day", "2026-12-08"),
                ("start_time", "18:00"),
                ("end_day", "2026-12-07"),
                ("end_time", "10:00"),
                ("audience", "tous"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("finit avant de commencer"));
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/agenda/nouveau").await;
    let cm = format!("classe-{}", f.cm);
    paul.post(
        "/agenda/nouveau",
        &[
            ("calendar", &cm),
            ("title", "Piscine CM"),
            ("start_day", "2026-12-09"),
            ("start_time", "09:00"),
            ("end_time", "10:00"),
            ("repeat_until", "2027-01-27"),
        ],
    )
    .await;
    let crafted = paul
        .post(
            "/agenda/nouveau",
            &[
                ("calendar", "ecole"),
                ("title", "Pirate"),
                ("start_day", "2026-12-09"),
                ("audience", "tous"),
            ],
        )
        .await;
    assert_eq!(crafted.status, 400, "the school calendar is not his");
    let mut marc = server.signed_in("marc.petit").await;
    marc.get("/agenda/nouveau").await;
    marc.post(
        "/agenda/nouveau",
        &[
            ("calendar", "perso"),
            ("title", "Dentiste de Lou"),
            ("start_day", "2026-12-10"),
            ("start_time", "17:00"),
        ],
    )
    .await;

    let month = marc.get("/agenda?vue=mois&date=2026-12-01").await.body;
    assert!(
        month.contains("Réunion de rentrée")
            && month.contains("Dentiste de Lou")
            && month.contains("Vacances de Noël")
    );
    assert!(!month.contains("Piscine CM"), "another class's calendar");
    assert!(marc
        .get("/agenda?vue=liste&date=2026-12-01")
        .await
        .body
        .contains("Réunion de rentrée"));
    assert!(marc
        .get("/agenda?vue=semaine&date=2026-12-08")
        .await
        .body
        .contains("18 h – 19 h 30"));

    for extreme in ["9999-12-31", "-009999-01-01", "2026-02-31"] {
        for vue in ["mois", "semaine", "liste"] {
            let s = marc
                .get(&format!("/agenda?vue={vue}&date={extreme}"))
                .await
                .status;
            assert_eq!(s, 200, "{vue} {extreme}");
        }
    }
    // The subscription: a secret URL, shown once.
    marc.get("/agenda/abonnement").await;
    let page = marc.post("/agenda/abonnement", &[]).await.body;
    let start = page.find("/agenda/ical/").unwrap();
    let path: String = page[start..]
        .chars()
        .take_while(|c| *c != '<' && *c != '"')
        .collect();
    let anonymous = server.client();
    let resp = anonymous
        .http
        .get(format!("{}{path}", anonymous.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let text = resp.text().await.unwrap();
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cal = parser.next().expect("one calendar").expect("parses");
    assert!(!cal.timezones.is_empty(), "Europe/Paris is defined");
    let summaries: Vec<String> = cal
        .events
        .iter()
        .filter_map(|e| {
            e.properties
                .iter()
                .find(|p| p.name == "SUMMARY")
                .and_then(|p| p.value.clone())
        })
        .collect();
    assert!(summaries.iter().any(|s| s == "Réunion de rentrée"));
    assert!(summaries.iter().any(|s| s == "Dentiste de Lou"));
    assert!(
        summaries.iter().any(|s| s == "Vacances de Noël"),
        "the zone's holidays"
    );
    assert!(!summaries.iter().any(|s| s == "Piscine CM"));
    let meeting = cal
        .events
        .iter()
        .find(|e| {
            e.properties
                .iter()
                .any(|p| p.value.as_deref() == Some("Réunion de rentrée"))
        })
        .unwrap();
    let dtstart = meeting
        .properties
        .iter()
        .find(|p| p.name == "DTSTART")
        .unwrap();
    assert_eq!(dtstart.value.as_deref(), Some("20261208T180000"));
    assert!(dtstart
        .params
        .as_ref()
        .unwrap()
        .iter()
        .any(|(k, v)| k == "TZID" && v == &vec!["Europe/Paris".to_string()]));
    // A new address revokes the old one.
    marc.get("/agenda/abonnement").await;
    marc.post("/agenda/abonnement", &[]).await;
    assert_eq!(
        anonymous
            .http
            .get(format!("{}{path}", anonymous.base))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // Import: a malformed file is refused, a good one lands in the school calendar.
    director.get("/agenda/import").await;
    let r = director.post_multipart("/agenda/import", &[], &[("ics", "vacances.ics", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Sans date\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".to_vec())]).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("pas de date de début"), "{}", r.body);
    let r = director
        .post_multipart(
            "/agenda/import",
            &[],
            &[("ics", "x.ics", b"pas un calendrier".to_vec())],
        )
        .await;
    assert_eq!(r.status, 400);
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mairie//FR\r\nBEGIN:VEVENT\r\nUID:marche-2026\r\nSUMMARY:Marché de Noël\r\nDTSTART;TZID=Europe/Paris:20261212T100000\r\nDTEND;TZID=Europe/Paris:20261212T180000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let r = director
        .post_multipart(
            "/agenda/import",
            &[],
            &[("ics", "mairie.ics", ics.as_bytes().to_vec())],
        )
        .await;
    assert_eq!(r.status, 303);
    director.get("/agenda/import").await;
    director
        .post_multipart(
            "/agenda/import",
            &[],
            &[("ics", "mairie.ics", ics.as_bytes().to_vec())],
        )
        .await;
    let month = marc.get("/agenda?vue=mois&date=2026-12-01").await.body;
    assert_eq!(
        month.matches("Marché de Noël").count(),
        1,
        "a re-import updates, no duplicate"
    );
    assert_eq!(paul.get("/agenda/import").await.status, 403);
}

fn png() -> Vec<u8> {
    let img = image::DynamicImage::new_rgb8(40, 30);
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// The id of the article a redirect points to.
fn article_id(location: &str) -> u64 {
    location
        .trim_start_matches("/blog/article/")
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_pupils_article_goes_through_the_teacher_and_comments_follow_the_blog_mode() {
    let (server, f) = TestServer::school().await;
    let blog = format!("classe-{}", f.cp);
    let mut lou = server.signed_in("lou.petit").await;
    lou.get(&format!("/blog/{blog}/ecrire")).await;
    let empty = lou
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[("title", ""), ("body", "Mon texte"), ("action", "proposer")],
            &[],
        )
        .await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("Indiquez le titre") && empty.body.contains("Mon texte"));
    let wrong = lou
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[("title", "T"), ("body", "B"), ("action", "proposer")],
            &[("files", "texte.pdf", b"%PDF-1.4\n".to_vec())],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("ni une image"));
    let r = lou
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "Notre potager"),
                ("body", "Les radis ont poussé."),
                ("action", "proposer"),
            ],
            &[("files", "potager.png", png())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = article_id(&r.location.unwrap());
    // Nobody but the author and the teacher sees a proposal.
    let mut marc = server.signed_in("marc.petit").await;
    assert_eq!(marc.get(&format!("/blog/article/{id}")).await.status, 403);
    assert!(!marc
        .get(&format!("/blog/{blog}"))
        .await
        .body
        .contains("Notre potager"));
    let mut tom = server.signed_in("tom.bernard").await;
    assert_eq!(tom.get(&format!("/blog/article/{id}")).await.status, 403);
    assert_eq!(
        tom.post(&format!("/blog/article/{id}/publier"), &[])
            .await
            .status,
        403
    );

    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    assert!(
        director.get("/blog").await.body.contains("Notre potager"),
        "in the teacher's queue"
    );
    director.get(&format!("/blog/article/{id}")).await;
    director
        .post(
            &format!("/blog/article/{id}/renvoyer"),
            &[("comment", "Ajoute une phrase sur les carottes.")],
        )
        .await;
    let back = lou.get(&format!("/blog/article/{id}")).await.body;
    assert!(back.contains("Ajoute une phrase sur les carottes."));
    lou.get(&format!("/blog/article/{id}/modifier")).await;
    let r = lou
        .post_multipart(
            &format!("/blog/article/{id}/modifier"),
            &[
                ("title", "Notre potager"),
                ("body", "Les radis ont poussé. Les carottes aussi."),
                ("garder", "0"),
                ("action", "proposer"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    director.get(&format!("/blog/article/{id}")).await;
    director
        .post(&format!("/blog/article/{id}/publier"), &[])
        .await;
    let page = marc.get(&format!("/blog/article/{id}")).await.body;
    assert!(
        page.contains("Les carottes aussi") && page.contains("/media/0"),
        "published with its picture"
    );
    assert!(page.contains("Par lou Petit"), "the author is shown");

    // Comments: held by default.
    marc.post(
        &format!("/blog/article/{id}/commenter"),
        &[("text", "Bravo les jardiniers !")],
    )
    .await;
    assert!(
        !tom.get(&format!("/blog/article/{id}"))
            .await
            .body
            .contains("Bravo les jardiniers"),
        "held"
    );
    let teacher_view = director.get(&format!("/blog/article/{id}")).await.body;
    assert!(teacher_view.contains("Bravo les jardiniers"));
    let marker = "/commentaires/";
    let i = teacher_view.find(marker).unwrap() + marker.len();
    let c: String = teacher_view[i..]
        .chars()
        .take_while(|ch| ch.is_ascii_digit())
        .collect();
    director
        .post(&format!("/blog/article/{id}/commentaires/{c}/valider"), &[])
        .await;
    let seen = tom.get(&format!("/blog/article/{id}")).await.body;
    assert!(
        seen.contains("Bravo les jardiniers") && seen.contains("marc Petit"),
        "approved, with its author"
    );
    tom.post(
        &format!("/blog/article/{id}/commentaires/{c}/signaler"),
        &[("motif", "pas gentil")],
    )
    .await;
    assert!(
        director
            .get("/admin/signalements")
            .await
            .body
            .contains("Commentaire"),
        "a comment reported"
    );
    // Off means refused by the server.
    director.get(&format!("/blog/{blog}")).await;
    director
        .post(
            &format!("/blog/{blog}/reglages"),
            &[
                ("enabled", "1"),
                ("comments", "off"),
                ("visibility", "classe"),
            ],
        )
        .await;
    marc.get(&format!("/blog/article/{id}")).await;
    assert_eq!(
        marc.post(
            &format!("/blog/article/{id}/commenter"),
            &[("text", "Encore")]
        )
        .await
        .status,
        403
    );
    // Reporting an article reaches the director.
    marc.post(
        &format!("/blog/article/{id}/signaler"),
        &[("motif", "Photo d'un enfant")],
    )
    .await;
    assert!(director
        .get("/admin/signalements")
        .await
        .body
        .contains("Notre potager"));
}

#[tokio::test]
async fn audiences_the_public_blog_and_the_photo_guard() {
    let (server, f) = TestServer::school().await;
    let blog = format!("classe-{}", f.cp);
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get(&format!("/blog/{blog}/ecrire")).await;
    let r = director
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "La chorale"),
                ("body", "Nous avons chanté."),
                ("action", "publier"),
            ],
            &[("files", "chorale.jpg", crate::media::phone_photo())],
        )
        .await;
    let plain = article_id(&r.location.unwrap());
    // A parent of another class does not read the CP-CE1 blog, until it is school-wide.
    let mut ines = server.signed_in("ines.leroy").await;
    assert_eq!(ines.get(&format!("/blog/{blog}")).await.status, 403);
    assert_eq!(
        ines.get(&format!("/blog/article/{plain}")).await.status,
        403
    );
    director.get(&format!("/blog/{blog}")).await;
    director
        .post(
            &format!("/blog/{blog}/reglages"),
            &[
                ("enabled", "1"),
                ("comments", "moderated"),
                ("visibility", "ecole"),
            ],
        )
        .await;
    assert!(ines
        .get(&format!("/blog/{blog}"))
        .await
        .body
        .contains("La chorale"));

    // Public: readable without login on the school network, and nothing else is.
    director
        .post(
            &format!("/blog/{blog}/reglages"),
            &[
                ("enabled", "1"),
                ("comments", "moderated"),
                ("visibility", "public"),
            ],
        )
        .await;
    let mut anonymous = server.client();
    assert!(anonymous
        .get(&format!("/blog/{blog}"))
        .await
        .body
        .contains("La chorale"));
    assert_eq!(
        anonymous
            .get(&format!("/blog/article/{plain}"))
            .await
            .status,
        200
    );
    let picture = anonymous
        .http
        .get(format!("{}/blog/article/{plain}/media/0", anonymous.base))
        .send()
        .await
        .unwrap();
    assert_eq!(picture.status(), 200);
    assert!(
        !picture
            .bytes()
            .await
            .unwrap()
            .windows(4)
            .any(|w| w == b"Exif"),
        "published without EXIF"
    );
    assert_eq!(
        anonymous
            .get(&format!("/blog/classe-{}", f.cm))
            .await
            .status,
        404,
        "another class's blog"
    );
    assert_eq!(
        anonymous.get("/blog").await.status,
        303,
        "the list of blogs needs a login"
    );
    assert_eq!(anonymous.get("/actualites").await.status, 303);
    assert_eq!(anonymous.get("/messagerie").await.status, 303);

    // The photo guard: Lou is tagged, without an authorisation on record.
    director.get(&format!("/blog/{blog}/ecrire")).await;
    let lou = f.lou.to_string();
    let r = director
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "Portraits"),
                ("body", "La classe"),
                ("tag", &lou),
                ("action", "publier"),
            ],
            &[("files", "portrait.png", png())],
        )
        .await;
    assert_eq!(r.status, 400, "a public blog refuses it");
    assert!(r.body.contains("autorisation photo"), "{}", r.body);
    assert!(r.body.contains("lou Petit"));
    assert!(!anonymous
        .get(&format!("/blog/{blog}"))
        .await
        .body
        .contains("Portraits"));
    // The director records the parents' signature for the project; then it can be public.
    director.get("/admin/autorisations-photo").await;
    let r = director
        .post(
            "/admin/autorisations-photo",
            &[("title", "Blog de classe 2026-2027"), ("required", "1")],
        )
        .await;
    let project = r.location.unwrap();
    director.get(&project).await;
    director
        .post(&project, &[("signe", &format!("{}-{}", f.lou, f.marc))])
        .await;
    let portraits = preau::blog::articles(&server.store(), preau::blog::BlogRef::Class(f.cp))
        .unwrap()
        .into_iter()
        .find(|a| a.title == "Portraits")
        .expect("kept as a draft")
        .id;
    director.get(&format!("/blog/article/{portraits}")).await;
    director
        .post(&format!("/blog/article/{portraits}/publier"), &[])
        .await;
    assert!(
        anonymous
            .get(&format!("/blog/{blog}"))
            .await
            .body
            .contains("Portraits"),
        "authorised now"
    );
    // Two signatures required, one given: no longer public.
    let store = server.store();
    store
        .commit_blocking(|tx| {
            let mut p = tx
                .get(
                    &preau::blog::consent::PROJECTS,
                    &project.rsplit('/').next().unwrap().parse::<u64>().unwrap(),
                )?
                .unwrap();
            p.required = 2;
            tx.put(&preau::blog::consent::PROJECTS, &p.id, &p)
        })
        .unwrap();
    assert!(
        !anonymous
            .get(&format!("/blog/{blog}"))
            .await
            .body
            .contains("Portraits"),
        "Lou has two guardians: Anne has not signed"
    );
    assert_eq!(
        anonymous
            .get(&format!("/blog/article/{portraits}"))
            .await
            .status,
        404
    );
    assert_eq!(ines.get("/admin/autorisations-photo").await.status, 403);
}

#[tokio::test]
async fn behind_a_proxy_the_persons_address_is_the_one_the_proxy_saw() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::install(dir.path());
    let server = TestServer::start_with(dir, |s| s.behind_https_proxy = true).await;
    let c = server.client();
    // The one header read is X-Forwarded-For (the proxy overwrites it, see the examples).
    let board = |ip: Option<&'static str>| {
        let mut req = c.http.get(format!("{}/tableau", c.base));
        if let Some(ip) = ip {
            req = req.header("X-Forwarded-For", ip);
        }
        req.send()
    };
    assert_eq!(
        board(None).await.unwrap().status(),
        200,
        "the proxy's own address: loopback"
    );
    assert_eq!(
        board(Some("192.168.1.20")).await.unwrap().status(),
        200,
        "a classroom tablet"
    );
    assert_eq!(
        board(Some("203.0.113.9")).await.unwrap().status(),
        403,
        "someone on the internet"
    );
    let forwarded = c
        .http
        .get(format!("{}/tableau", c.base))
        .header("X-Forwarded-For", "10.0.0.3, 198.51.100.7")
        .send()
        .await
        .unwrap();
    assert_eq!(
        forwarded.status(),
        403,
        "the last hop is the one the proxy saw"
    );
    let real_ip = c
        .http
        .get(format!("{}/tableau", c.base))
        .header("X-Real-IP", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(real_ip.status(), 200, "X-Real-IP is not the header read");
}
