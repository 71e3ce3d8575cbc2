//! The commune's space (issue 22): an exceptional bus change reaches the riders' families
//! and nobody else, and shows on their home page until it has passed; a request to the
//! mairie lives reçue → en cours → faite with a notice at each step; the refusals (the
//! director steps back once the commune has an account, a teacher sees only their own
//! requests, the commune never opens a pupil's page).

use jiff::civil::Date;
use preau::commune::transport::{Change, CHANGES};
use preau::directory::Membership;
use preau::policy::Profile;

use crate::common::{add_person, id_after, Client, Folks, TestServer};

fn png() -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::new_rgb8(8, 8)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn today() -> Date {
    preau::ui::dates::local_day_and_hour(preau::auth::now_micros()).0
}

fn in_days(n: i64) -> Date {
    today().checked_add(jiff::Span::new().days(n)).unwrap()
}

/// The school of the rig with a mairie account (« mairie.secretaire »).
async fn school_with_mairie() -> (TestServer, Folks, Client) {
    let (server, f) = TestServer::school().await;
    add_person(&server.store(), "mairie.secretaire", Profile::Commune, None);
    let mairie = server.signed_in("mairie.secretaire").await;
    (server, f, mairie)
}

/// A line made by `c` with `riders` of `class`: its id.
async fn line_with_riders(c: &mut Client, name: &str, class: u64, riders: &[u64]) -> u64 {
    c.get("/commune/transport/nouvelle").await;
    let r = c
        .post(
            "/commune/transport/nouvelle",
            &[
                ("nom", name),
                ("sens1", "aller"),
                ("jours1", "0"),
                ("jours1", "1"),
                ("jours1", "3"),
                ("jours1", "4"),
                (
                    "arrets1",
                    "07:50 Vernay, abribus\n08:05 Les Granges\n08:20 École",
                ),
                ("sens2", "retour"),
                ("jours2", "2"),
                ("arrets2", "11:45 École\n12:05 Vernay"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let line = id_after(&r.location.unwrap(), "/commune/transport/").unwrap();
    let class = class.to_string();
    let ids: Vec<String> = riders.iter().map(u64::to_string).collect();
    let mut fields = vec![("classe", class.as_str())];
    fields.extend(ids.iter().map(|i| ("eleves", i.as_str())));
    let page = format!("/commune/transport/{line}/eleves");
    assert_eq!(c.post(&page, &fields).await.status, 303);
    line
}

#[tokio::test]
async fn an_exceptional_change_reaches_only_the_riders_families_until_it_passes() {
    let (server, f, mut mairie) = school_with_mairie().await;
    // Lou rides line 1; Zoé, in the other class, rides nothing.
    let line = line_with_riders(&mut mairie, "Ligne 1 — Vernay", f.cp, &[f.lou]).await;
    let page = mairie.get(&format!("/commune/transport/{line}")).await.body;
    assert!(
        page.contains("07 h 50") || page.contains("7 h 50"),
        "{page}"
    );
    assert!(page.contains("Petit — CP-CE1"), "{page}");

    let r = mairie
        .post(
            &format!("/commune/transport/{line}/changement"),
            &[
                ("du", &in_days(2).to_string()),
                ("texte", "Car supprimé jeudi — neige"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let told = mairie.get(&format!("/commune/transport/{line}")).await.body;
    assert!(told.contains("2 responsables sont prévenus"), "{told}");

    for login in ["marc.petit", "anne.petit"] {
        let mut parent = server.signed_in(login).await;
        let home = parent.get("/accueil").await.body;
        assert!(
            home.contains("Transport scolaire") && home.contains("Car supprimé jeudi — neige"),
            "{login}: {home}"
        );
        let notes = parent.get("/notifications").await.body;
        assert!(notes.contains("Car supprimé jeudi — neige"), "{login}");
        // A family sees the line and its own child among the riders, no one else's.
        let seen = parent.get(&format!("/commune/transport/{line}")).await.body;
        assert!(seen.contains("Petit — CP-CE1"), "{login}");
    }
    // Inès's daughter does not ride the line: no notice, nothing at home.
    let mut ines = server.signed_in("ines.leroy").await;
    assert!(!ines.get("/accueil").await.body.contains("Car supprimé"));
    assert!(!ines
        .get("/notifications")
        .await
        .body
        .contains("Car supprimé"));
    let seen = ines.get(&format!("/commune/transport/{line}")).await.body;
    assert!(
        seen.contains("Car supprimé"),
        "the line's page is everyone's"
    );
    assert!(
        !seen.contains("Petit — CP-CE1"),
        "another family's child is not shown"
    );
    // Nor does the director hear of it: the families only.
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    assert!(!director
        .get("/notifications")
        .await
        .body
        .contains("Car supprimé"));

    // A change whose last day has passed leaves the families' home page.
    let store = server.store();
    store
        .commit_blocking(|tx| {
            let id = tx.next_id("commune_change")?;
            let old = Change {
                id,
                line,
                from: in_days(-3),
                to: in_days(-1),
                text: "Grève des transports".into(),
                by: f.director,
                at: 0,
            };
            tx.put(&CHANGES, &id, &old)
        })
        .unwrap();
    let mut marc = server.signed_in("marc.petit").await;
    let home = marc.get("/accueil").await.body;
    assert!(home.contains("Car supprimé jeudi") && !home.contains("Grève des transports"));

    // Withdrawn, the change tells the families and leaves their page.
    let change = id_after(
        &mairie.get(&format!("/commune/transport/{line}")).await.body,
        "action=\"/commune/changements/",
    )
    .unwrap();
    let r = mairie
        .post(&format!("/commune/changements/{change}/retirer"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert!(!marc.get("/accueil").await.body.contains("Car supprimé"));
    assert!(marc.get("/notifications").await.body.contains("annulé"));
    assert!(!ines.get("/notifications").await.body.contains("annulé"));
    server.stop().await;
}

#[tokio::test]
async fn a_request_lives_from_received_to_done_with_a_notice_at_each_step() {
    let (server, f, mut mairie) = school_with_mairie().await;
    let store = server.store();
    add_person(
        &store,
        "nina.roux",
        Profile::Enseignant,
        Some((f.cp, Membership::Teacher)),
    );
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/commune/demandes/nouvelle").await;
    // Refused, the form comes back with what was typed.
    let r = paul
        .post_multipart(
            "/commune/demandes/nouvelle",
            &[
                ("categorie", ""),
                ("titre", "Radiateur froid"),
                ("texte", "Au fond de la classe."),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("Choisissez le genre de demande")
            && r.body.contains("Au fond de la classe.")
    );
    let r = paul
        .post_multipart(
            "/commune/demandes/nouvelle",
            &[
                ("categorie", "chauffage"),
                ("titre", "Radiateur froid"),
                ("texte", "Au fond de la classe."),
            ],
            &[("photos", "radiateur.png", png())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = id_after(&r.location.unwrap(), "/commune/demandes/").unwrap();
    let page = format!("/commune/demandes/{id}");
    assert_eq!(paul.get(&format!("{page}/photo/0")).await.status, 200);
    // The hourly purge keeps the photo: a record names it.
    let request = store
        .get(&preau::commune::requests::REQUESTS, &id)
        .unwrap()
        .unwrap();
    let kept = preau::schema::referenced_blobs(&store).unwrap();
    assert!(request.photos.iter().all(|p| kept.contains(&p.blob)));

    // The mairie is told, sees it and its photo; the director too; another teacher not.
    assert!(mairie
        .get("/notifications")
        .await
        .body
        .contains("Nouvelle demande à la mairie (Chauffage)"));
    assert!(mairie
        .get("/commune/demandes")
        .await
        .body
        .contains("Radiateur froid"));
    assert_eq!(mairie.get(&format!("{page}/photo/0")).await.status, 200);
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    assert_eq!(director.get(&page).await.status, 200);
    let mut nina = server.signed_in("nina.roux").await;
    assert_eq!(nina.get(&page).await.status, 403);
    assert_eq!(nina.get(&format!("{page}/photo/0")).await.status, 403);
    assert!(!nina
        .get("/commune/demandes")
        .await
        .body
        .contains("Radiateur froid"));

    // En cours, with a word: Paul is told.
    let step = format!("{page}/commentaire");
    mairie.get(&page).await;
    let r = mairie
        .post(
            &step,
            &[
                ("etat", "en-cours"),
                ("commentaire", "Le chauffagiste passe mardi."),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let notes = paul.get("/notifications").await.body;
    assert!(notes.contains("Radiateur froid » : en cours"), "{notes}");
    // Paul answers; he may not close it himself.
    paul.get(&page).await;
    assert_eq!(
        paul.post(&step, &[("commentaire", "Merci !")]).await.status,
        303
    );
    assert!(mairie
        .get("/notifications")
        .await
        .body
        .contains("commentaire de Paul"));
    assert_eq!(paul.post(&step, &[("etat", "faite")]).await.status, 403);
    // Done: Paul is told, the list says so.
    assert_eq!(mairie.post(&step, &[("etat", "faite")]).await.status, 303);
    assert!(paul
        .get("/notifications")
        .await
        .body
        .contains("Radiateur froid » : faite"));
    let shown = paul.get(&page).await.body;
    assert!(shown.contains("Le chauffagiste passe mardi.") && shown.contains("Merci !"));
    server.stop().await;
}

#[tokio::test]
async fn the_space_refuses_who_has_no_business_there() {
    let (server, f, mut mairie) = school_with_mairie().await;
    let line = line_with_riders(&mut mairie, "Navette RPI", f.cm, &[f.zoe]).await;
    // The commune has its account: the director reads its space but no longer runs it.
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    assert_eq!(director.get("/commune").await.status, 200);
    assert_eq!(director.get("/commune/pages/nouvelle").await.status, 403);
    let change = format!("/commune/transport/{line}/changement");
    let fields = [("du", "2099-01-05"), ("texte", "Car supprimé")];
    assert_eq!(director.post(&change, &fields).await.status, 403);
    // A parent reads, never writes; a pupil does not come in.
    let mut ines = server.signed_in("ines.leroy").await;
    assert_eq!(ines.post(&change, &fields).await.status, 403);
    assert_eq!(
        ines.get(&format!("/commune/transport/{line}/eleves"))
            .await
            .status,
        403
    );
    // Its « ? » opens the families' guide where the commune is explained.
    let space = ines.get("/commune").await.body;
    assert!(
        space.contains("href=\"/aide/familles#la-commune\""),
        "{space}"
    );
    let mut zoe = server.signed_in("zoe.leroy").await;
    assert_eq!(zoe.get("/commune").await.status, 403);
    // The commune files no request and opens no pupil's page: names and classes only.
    assert_eq!(mairie.get("/commune/demandes/nouvelle").await.status, 403);
    assert_eq!(mairie.get(&format!("/eleves/{}", f.zoe)).await.status, 403);
    // A change in the past is refused beside its field, with what was typed.
    let r = mairie
        .post(&change, &[("du", "2020-01-06"), ("texte", "Grève")])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Ces jours sont passés") && r.body.contains("Grève"));
    // A page without text comes back with its title.
    mairie.get("/commune/pages/nouvelle").await;
    let r = mairie
        .post(
            "/commune/pages/nouvelle",
            &[("titre", "Contacts"), ("texte", "")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("Écrivez le texte de la page") && r.body.contains("value=\"Contacts\"")
    );
    // Its Markdown goes through the one sanitiser.
    let r = mairie
        .post(
            "/commune/pages/nouvelle",
            &[
                ("titre", "Contacts"),
                ("texte", "**Mairie** <script>alert(1)</script>"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let shown = ines.get(&r.location.unwrap()).await.body;
    assert!(shown.contains("<strong>Mairie</strong>") && !shown.contains("<script>alert"));
    server.stop().await;
}

#[tokio::test]
async fn the_riders_page_counts_and_ticks_what_the_last_write_left() {
    let (server, f) = TestServer::school().await;
    // Without a commune account the director runs the space.
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    let line = line_with_riders(&mut director, "Ligne 2", f.cp, &[f.lou]).await;
    let page = format!("/commune/transport/{line}/eleves?classe={}", f.cp);
    let shown = director.get(&page).await.body;
    assert!(shown.contains("CP-CE1 (1 sur la ligne)"), "{shown}");
    assert!(shown.contains("CM1-CM2 (0 sur la ligne)"), "{shown}");
    assert!(
        shown.contains(&format!("value=\"{}\" checked", f.lou)),
        "{shown}"
    );
    // Lou leaves the line: the count and the tick follow.
    let cp = f.cp.to_string();
    let r = director
        .post(
            &format!("/commune/transport/{line}/eleves"),
            &[("classe", cp.as_str())],
        )
        .await;
    assert_eq!(r.status, 303);
    let shown = director.get(&page).await.body;
    assert!(shown.contains("CP-CE1 (0 sur la ligne)"), "{shown}");
    assert!(!shown.contains(&format!("value=\"{}\" checked", f.lou)));
    // Once the commune has an account, it runs the space and the director no longer does.
    add_person(&server.store(), "mairie.secretaire", Profile::Commune, None);
    assert_eq!(director.get(&page).await.status, 403);
    let mut mairie = server.signed_in("mairie.secretaire").await;
    assert_eq!(mairie.get(&page).await.status, 200);
    server.stop().await;
}
