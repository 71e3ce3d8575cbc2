//! Makes one object of every kind the route table names, in the class CM1-CM2 of Paul,
//! through the pages as people do (the store directly only where no page does it).

use preau::directory::{self, Level, Membership};
use preau::policy::Profile;

use crate::common::{add_person, Client, TestServer};

use super::objects::{class_id, day, found, made, pdf, png, ready_archive, user_id, Objects};

/// Makes one object of every kind, through the pages as people do.
pub(super) async fn make_objects(server: &TestServer, c: &mut [Client]) -> Objects {
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
                include_bytes!("../../fixtures/eleves-onde-cp1252.csv").to_vec(),
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
    // Cantine: the director opens the étude du soir, where Eva works.
    let eva = user_id(&store, "eva.garde").to_string();
    director.get("/cantine/gestion/services").await;
    let r = director
        .post(
            "/cantine/gestion/services",
            &[
                ("genre", "etude"),
                ("nom", "Étude du soir"),
                ("jours", "1"),
                ("jours", "2"),
                ("jours", "4"),
                ("jours", "5"),
                ("limite_jour", "4"),
                ("limite_heure", "9"),
                ("personnel", &eva),
            ],
        )
        .await;
    made("canteen service", &r);
    let canteen_service = found(
        &director.get("/cantine/gestion/services").await.body,
        "href=\"/cantine/gestion/services/",
    );
    // Rendez-vous: Paul's grid for CM1-CM2; the director's tablet trolley, which Paul books.
    let (grid, resource, booking) = slots(director, paul).await;
    // La commune: the director runs it (no commune account here); Paul asks the mairie.
    let (commune_page, bus_line, bus_change, mairie_request) =
        commune(director, paul, cm, zoe).await;
    // Suivi: Paul notes a réussite with a photo for Zoé and shares it with Inès.
    let reussite = reussite(paul, cm, zoe).await;
    super::livret::gs_synthese(paul, &store, zoe).await;
    // Livret: the director sets the trimestres, Paul publishes Zoé's first bilan.
    super::livret::published_bilan(director, paul, cm, zoe).await;
    // « Mes données »: Inès asks for hers, the director makes Zoé's; both ready.
    made("export", &ines.post("/compte/mes-donnees", &[]).await);
    let r = director
        .post("/admin/mes-donnees", &[("compte", &zoe.to_string())])
        .await;
    made("console export", &r);
    let export = ready_archive(ines, "/compte/mes-donnees/").await;
    let console_export = ready_archive(director, "/admin/mes-donnees/").await;
    let push_device = super::objects::push_device(ines, &store).await;
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
        push_device,
        canteen_service,
        grid,
        resource,
        booking,
        commune_page,
        bus_line,
        bus_change,
        mairie_request,
        reussite,
    }
}

/// Paul's grid of meetings, the director's tablet trolley and Paul's booking of it.
async fn slots(director: &mut Client, paul: &mut Client) -> (u64, u64, u64) {
    let cm = found(
        &paul.get("/rendez-vous/nouvelle").await.body,
        "<option value=\"",
    );
    let (day, class) = (day(14), cm.to_string());
    let r = paul
        .post(
            "/rendez-vous/nouvelle",
            &[
                ("classe", &class),
                ("titre", "Rencontres"),
                ("duree", "15"),
                ("lieu", "salle"),
                ("salle", "Salle 2"),
                ("jour", &day),
                ("de", "16:30"),
                ("a", "17:30"),
            ],
        )
        .await;
    let grid = found(&made("meeting grid", &r), "/rendez-vous/");
    director.get("/reservations/ressources").await;
    let r = director
        .post(
            "/reservations/ressources",
            &[("nom", "Chariot de tablettes"), ("genre", "materiel")],
        )
        .await;
    made("resource", &r);
    let resource = found(
        &director.get("/reservations").await.body,
        "href=\"/reservations/ressource/",
    );
    let page = format!("/reservations/ressource/{resource}");
    paul.get(&page).await;
    let r = paul
        .post(&page, &[("jour", &day), ("de", "09:00"), ("a", "10:00")])
        .await;
    made("resource booking", &r);
    let booking = found(
        &paul.get("/reservations").await.body,
        "action=\"/reservations/",
    );
    (grid, resource, booking)
}

/// The commune's page, a bus line Zoé rides with a change, Paul's request with a photo.
async fn commune(
    director: &mut Client,
    paul: &mut Client,
    cm: u64,
    zoe: u64,
) -> (u64, u64, u64, u64) {
    director.get("/commune/pages/nouvelle").await;
    let r = director
        .post(
            "/commune/pages/nouvelle",
            &[
                ("titre", "Horaires de la mairie"),
                ("texte", "Lundi 9 h – 12 h"),
            ],
        )
        .await;
    let page = found(&made("commune page", &r), "/commune/page/");
    let r = director
        .post(
            "/commune/transport/nouvelle",
            &[
                ("nom", "Ligne 1"),
                ("sens1", "aller"),
                ("jours1", "0"),
                ("arrets1", "08:05 Les Granges"),
            ],
        )
        .await;
    let line = found(&made("bus line", &r), "/commune/transport/");
    let riders = format!("/commune/transport/{line}/eleves");
    let (class, pupil) = (cm.to_string(), zoe.to_string());
    made(
        "riders",
        &director
            .post(&riders, &[("classe", &class), ("eleves", &pupil)])
            .await,
    );
    let r = director
        .post(
            &format!("/commune/transport/{line}/changement"),
            &[("du", &day(1)), ("texte", "Car supprimé — neige")],
        )
        .await;
    made("bus change", &r);
    let change = found(
        &director
            .get(&format!("/commune/transport/{line}"))
            .await
            .body,
        "action=\"/commune/changements/",
    );
    paul.get("/commune/demandes/nouvelle").await;
    let r = paul
        .post_multipart(
            "/commune/demandes/nouvelle",
            &[
                ("categorie", "chauffage"),
                ("titre", "Radiateur froid"),
                ("texte", "Le radiateur du fond ne chauffe plus."),
            ],
            &[("photos", "radiateur.png", png())],
        )
        .await;
    let request = found(&made("mairie request", &r), "/commune/demandes/");
    (page, line, change, request)
}

/// Paul's réussite for Zoé, with a photo, shared with her family; her synthèse des
/// acquis, shared too.
async fn reussite(paul: &mut Client, cm: u64, zoe: u64) -> u64 {
    let form = format!("/suivi/classe/{cm}/reussite");
    paul.get(&form).await;
    let (today, pupil) = (day(0), zoe.to_string());
    let r = paul
        .post_multipart(
            &form,
            &[
                ("date", &today),
                ("domaine", "langage"),
                ("phrase", "Je sais raconter une histoire"),
                ("eleves", &pupil),
            ],
            &[("photo", "conte.png", png())],
        )
        .await;
    made("réussite", &r);
    let carnet = format!("/suivi/eleve/{zoe}");
    paul.get(&carnet).await;
    made(
        "share",
        &paul.post(&format!("{carnet}/partager"), &[]).await,
    );
    found(&paul.get(&carnet).await.body, "href=\"/suivi/reussite/")
}
