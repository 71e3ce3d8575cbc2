//! Cantine et périscolaire, through the pages: the commune publishes menus (allergens in
//! words, the EGalim warning), imports a CSV (a bad line refused in French, nothing
//! written), configures services; families sign up before and after the cut-off; the
//! staff take the morning list; the counts equal the bookings; every other profile is
//! refused.

mod editors;
mod pointage;
mod signups;

use jiff::civil::Date;
use preau::directory::Membership;
use preau::policy::Profile;

use crate::common::{add_person, id_after, Client, Folks, TestServer};

/// The school of the rig with a commune agent, a périscolaire agent and a second one who
/// works in no service.
pub(crate) async fn school() -> (TestServer, Folks) {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    add_person(&store, "mairie.agent", Profile::Commune, None);
    add_person(&store, "eva.garde", Profile::Periscolaire, None);
    add_person(&store, "hugo.garde", Profile::Periscolaire, None);
    add_person(
        &store,
        "aline.morel",
        Profile::Atsem,
        Some((f.cm, Membership::Assistant)),
    );
    add_person(&store, "ivan.intervenant", Profile::Intervenant, None);
    (server, f)
}

pub(crate) fn today() -> Date {
    preau::ui::dates::local_day_and_hour(preau::auth::now_micros()).0
}

pub(crate) fn monday(d: Date) -> Date {
    preau::canteen::monday(d)
}

/// The commune creates a service (cut-off « lundi 0 h » of the week before, so that the
/// coming week is always past its cut-off and the week after always before it) with Eva.
pub(crate) async fn create_service(
    store: &preau::store::Store,
    c: &mut Client,
    kind: &str,
    name: &str,
) -> u64 {
    let eva = preau::directory::user_by_login(store, "eva.garde")
        .unwrap()
        .unwrap()
        .id
        .to_string();
    c.get("/cantine/gestion/services").await;
    let r = c
        .post(
            "/cantine/gestion/services",
            &[
                ("genre", kind),
                ("nom", name),
                ("jours", "1"),
                ("jours", "2"),
                ("jours", "3"),
                ("jours", "4"),
                ("jours", "5"),
                ("limite_jour", "1"),
                ("limite_heure", "0"),
                ("personnel", &eva),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get("/cantine/gestion/services").await.body;
    let marker = "href=\"/cantine/gestion/services/";
    let ids: Vec<u64> = page
        .match_indices(marker)
        .filter_map(|(i, _)| id_after(&page[i..], marker))
        .collect();
    *ids.iter().max().unwrap()
}

#[tokio::test]
async fn the_commune_publishes_a_week_with_allergens_and_the_egalim_warning() {
    let (server, _) = school().await;
    let mut mairie = server.signed_in("mairie.agent").await;
    let week = monday(today()).to_string();
    mairie
        .get(&format!("/cantine/gestion/menu?semaine={week}"))
        .await;
    let fields = |plat_veg: &'static str, allergens: &'static str| {
        vec![
            ("semaine", week.clone()),
            ("j0-jour", "normal".to_string()),
            ("j0-entree-nom", "Carottes râpées".to_string()),
            ("j0-entree-bio", "oui".to_string()),
            ("j0-plat-nom", "Poisson pané".to_string()),
            ("j0-plat-allergenes", allergens.to_string()),
            ("j1-jour", "ferme".to_string()),
            ("j1-note", "Grève annoncée".to_string()),
            ("j3-plat-nom", "Omelette".to_string()),
            ("j3-plat-vegetarien", plat_veg.to_string()),
            ("action", "publier".to_string()),
        ]
    };
    let send = |f: Vec<(&'static str, String)>| f;
    // An unknown allergen: the form comes back with the error beside the field, nothing
    // is written.
    let bad = send(fields("", "poissons, noix"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = mairie.post("/cantine/gestion/menu", &bad).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("« noix » n'est pas l'un des 14 allergènes"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("value=\"Poisson pané\""),
        "what was typed is kept"
    );
    let mut parent = server.signed_in("ines.leroy").await;
    assert!(!parent
        .get(&format!("/cantine?semaine={week}"))
        .await
        .body
        .contains("Poisson pané"));
    // No vegetarian plat: published, with the EGalim warning.
    let ok = send(fields("", "poissons, gluten"));
    let ok: Vec<(&str, &str)> = ok.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = mairie.post("/cantine/gestion/menu", &ok).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let back = mairie.get(r.location.as_deref().unwrap()).await.body;
    assert!(back.contains("EGalim"), "{back}");
    let seen = parent.get(&format!("/cantine?semaine={week}")).await.body;
    assert!(seen.contains("Poisson pané"));
    assert!(
        seen.contains("Allergènes : poissons, gluten"),
        "allergens in words"
    );
    assert!(seen.contains("bio"));
    assert!(seen.contains("Pas de cantine") && seen.contains("Grève annoncée"));
    // With a vegetarian plat: no warning any more.
    let veg = send(fields("oui", "poissons, gluten"));
    let veg: Vec<(&str, &str)> = veg.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = mairie.post("/cantine/gestion/menu", &veg).await;
    let back = mairie.get(r.location.as_deref().unwrap()).await.body;
    assert!(!back.contains("EGalim"), "{back}");
    assert!(parent
        .get(&format!("/cantine?semaine={week}"))
        .await
        .body
        .contains("végétarien"));
    // The iCalendar feed: published days, without a session.
    let ics = server.client().get("/cantine/menus.ics").await;
    assert_eq!(ics.status, 200);
    // Lines folded at 75 octets are unfolded first (RFC 5545, 3.1).
    let body = ics.body.replace("\r\n ", "");
    assert!(body.contains("SUMMARY:Cantine : Omelette"), "{body}");
    assert!(body.contains("allergènes : poissons\\, gluten"), "{body}");
    // The print sheet and the home pages of a pupil and a parent.
    let print = parent
        .get(&format!("/cantine/imprimer?semaine={week}"))
        .await
        .body;
    assert!(print.contains("section class=\"sheet menu-print\"") && print.contains("Omelette"));
    let mut zoe = server.signed_in("zoe.leroy").await;
    assert!(zoe
        .get("/accueil")
        .await
        .body
        .contains("Aujourd'hui à la cantine"));
    assert!(parent
        .get("/accueil")
        .await
        .body
        .contains("Aujourd'hui à la cantine"));
    let mut paul = server.signed_in("paul.durand").await;
    assert!(!paul
        .get("/accueil")
        .await
        .body
        .contains("Aujourd'hui à la cantine"));
    // A copy to the next week is a draft the families do not see yet.
    let next = preau::canteen::add_days(monday(today()), 7).to_string();
    mairie.get("/cantine/gestion").await;
    let r = mairie
        .post("/cantine/gestion/copier", &[("de", &week), ("vers", &next)])
        .await;
    assert_eq!(r.status, 303);
    assert!(mairie
        .get(&format!("/cantine/gestion/menu?semaine={next}"))
        .await
        .body
        .contains("value=\"Omelette\""));
    assert!(!parent
        .get(&format!("/cantine?semaine={next}"))
        .await
        .body
        .contains("Omelette"));
    server.stop().await;
}

#[tokio::test]
async fn a_csv_import_with_a_bad_line_says_which_in_french_and_writes_nothing() {
    let (server, _) = school().await;
    let store = server.store();
    let mut mairie = server.signed_in("mairie.agent").await;
    let template = mairie.get("/cantine/gestion/modele.csv").await;
    assert_eq!(template.status, 200);
    assert!(template
        .body
        .contains("date;repas;plat;végétarien;bio;label / local;fait maison;allergènes"));
    let csv = "date;repas;plat;végétarien;bio;label / local;fait maison;allergènes\n\
               2027-03-01;plat;Lasagnes;;;;oui;gluten, lait\n\
               2027-03-02;plat;Curry de légumes;oui;oui;;;céleri\n\
               2027-03-04;desert;Compote;;;;;\n\
               2027-03-08;plat;Gratin;oui;;;;lait\n";
    mairie.get("/cantine/gestion/import").await;
    let r = mairie
        .post_multipart(
            "/cantine/gestion/import",
            &[("publier", "oui")],
            &[("fichier", "menus.csv", csv.as_bytes().to_vec())],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("Ligne 4 : « desert » n'est pas un repas connu"),
        "{}",
        r.body
    );
    assert!(r.body.contains("rien n'a été enregistré"));
    assert_eq!(
        store.count(preau::canteen::WEEKS.name).unwrap(),
        0,
        "nothing half-written"
    );
    // Corrected: two weeks written, published.
    let fixed = csv.replace("desert", "dessert");
    let r = mairie
        .post_multipart(
            "/cantine/gestion/import",
            &[("publier", "oui")],
            &[("fichier", "menus.csv", fixed.into_bytes())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(store.count(preau::canteen::WEEKS.name).unwrap(), 2);
    let mut parent = server.signed_in("ines.leroy").await;
    let seen = parent.get("/cantine?semaine=2027-03-01").await.body;
    assert!(seen.contains("Curry de légumes") && seen.contains("Allergènes : céleri"));
    server.stop().await;
}

#[tokio::test]
async fn only_the_commune_and_the_director_manage_guardians_their_children_staff_their_lists() {
    let (server, f) = school().await;
    let store = server.store();
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    let service = create_service(&store, &mut director, "cantine", "Cantine").await;
    let other = create_service(&store, &mut director, "etude", "Étude").await;
    // Hugo works in no service.
    let manage = [
        "/cantine/gestion",
        "/cantine/gestion/menu",
        "/cantine/gestion/import",
        "/cantine/gestion/services",
        "/cantine/effectifs",
        "/cantine/effectifs.csv",
        "/cantine/decompte.csv",
        "/cantine/gestion/modele.csv",
    ];
    let child = format!("/cantine/inscriptions/{}", f.zoe);
    let list = format!("/periscolaire/{service}");
    let edit = format!("/cantine/gestion/services/{other}");
    for (login, manages, books, lists) in [
        ("mairie.agent", true, true, true),
        (crate::common::DIRECTOR_LOGIN, true, true, true),
        ("ines.leroy", false, true, false),
        ("marc.petit", false, false, false),
        ("zoe.leroy", false, false, false),
        ("paul.durand", false, false, false),
        ("aline.morel", false, false, false),
        ("eva.garde", false, false, true),
        ("hugo.garde", false, false, false),
        ("ivan.intervenant", false, false, false),
    ] {
        let mut c = server.signed_in(login).await;
        let code = |ok: bool| if ok { 200 } else { 403 };
        for p in manage.iter().copied().chain([edit.as_str()]) {
            assert_eq!(c.get(p).await.status, code(manages), "{login} GET {p}");
        }
        assert_eq!(
            c.get(&child).await.status,
            code(books),
            "{login} GET {child}"
        );
        assert_eq!(c.get(&list).await.status, code(lists), "{login} GET {list}");
        // Everyone of the school reads the menus.
        assert_eq!(c.get("/cantine").await.status, 200, "{login}");
        c.get("/cantine").await;
        if !manages {
            for p in [
                "/cantine/gestion/menu",
                "/cantine/gestion/services",
                "/cantine/gestion/demandes",
                "/cantine/gestion/copier",
            ] {
                assert_eq!(
                    c.post(p, &[("semaine", "2027-03-01"), ("nom", "x")])
                        .await
                        .status,
                    403,
                    "{login} POST {p}"
                );
            }
            assert_eq!(
                c.post(&edit, &[("nom", "Pris")]).await.status,
                403,
                "{login} POST {edit}"
            );
        }
        if !books {
            let r = c
                .post(&child, &[("action", "regime"), ("regime", "sans-porc")])
                .await;
            assert_eq!(r.status, 403, "{login} POST {child}");
        }
        if !lists {
            assert_eq!(
                c.post(&list, &[("presents", &f.zoe.to_string())])
                    .await
                    .status,
                403,
                "{login} POST {list}"
            );
        }
    }
    // Nothing the refused people sent was written.
    assert_eq!(
        preau::canteen::services::family(&store, f.zoe)
            .unwrap()
            .diet,
        preau::canteen::services::Diet::Standard
    );
    assert_eq!(
        preau::canteen::services::service(&store, other)
            .unwrap()
            .unwrap()
            .name,
        "Étude"
    );
    assert!(preau::canteen::register::register(&store, service, today())
        .unwrap()
        .is_none());
    server.stop().await;
}
