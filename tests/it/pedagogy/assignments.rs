//! Giving work: each pupil sees the work of their level and group, each adult their pupils';
//! bad work is refused and kept; an assignment can stand outside the cahier de textes.

use super::{day, give, school};
use crate::common::DIRECTOR_LOGIN;
use preau::directory;

#[tokio::test]
async fn each_pupil_sees_the_work_of_their_level_and_group_and_each_adult_their_pupils() {
    let s = school().await;
    let f = &s.f;
    let mut director = s.server.signed_in(DIRECTOR_LOGIN).await;
    let tomorrow = day(1);
    let ce1 = give(
        &mut director,
        f.cp,
        &[
            ("scope", "niveau-CE1"),
            ("title", "Lire page 12"),
            ("day", &tomorrow),
            ("body", "Lire deux fois."),
        ],
    )
    .await;
    let group = format!("groupe-{}", s.reading_group);
    let fiche = give(
        &mut director,
        f.cp,
        &[
            ("scope", &group),
            ("title", "Fiche de lecture"),
            ("day", &tomorrow),
            ("body", "Finir la fiche."),
        ],
    )
    .await;
    let all = give(
        &mut director,
        f.cp,
        &[
            ("scope", "classe"),
            ("title", "Poésie"),
            ("day", &tomorrow),
            ("body", "Apprendre la première strophe."),
        ],
    )
    .await;

    let mut lou = s.server.signed_in("lou.petit").await;
    let page = lou.get("/cahier-de-textes").await.body;
    assert!(page.contains("Fiche de lecture") && page.contains("Poésie"));
    assert!(!page.contains("Lire page 12"), "not her level");
    assert_eq!(
        lou.get(&format!("/cahier-de-textes/{ce1}")).await.status,
        403
    );
    let mut tom = s.server.signed_in("tom.bernard").await;
    let page = tom.get("/cahier-de-textes").await.body;
    assert!(page.contains("Lire page 12") && page.contains("Poésie"));
    assert!(!page.contains("Fiche de lecture"), "not his group");
    let mut marc = s.server.signed_in("marc.petit").await;
    let page = marc.get("/cahier-de-textes").await.body;
    assert!(
        page.contains("Fiche de lecture") && !page.contains("Lire page 12"),
        "a parent sees their child's"
    );
    assert_eq!(
        marc.get(&format!("/cahier-de-textes/{ce1}")).await.status,
        403
    );
    let mut eva = s.server.signed_in("eva.garde").await;
    let page = eva.get("/cahier-de-textes").await.body;
    assert!(
        page.contains("Lire page 12"),
        "the étude sees Tom's work: {page}"
    );
    assert!(
        !page.contains("Fiche de lecture"),
        "not Lou's: she is not in her care"
    );
    assert_eq!(
        eva.get(&format!("/cahier-de-textes/{fiche}")).await.status,
        403
    );
    assert_eq!(
        eva.get(&format!("/cahier-de-textes/{ce1}")).await.status,
        200
    );
    for login in ["zoe.leroy", "ines.leroy", "paul.durand"] {
        let mut other = s.server.signed_in(login).await;
        assert_eq!(
            other.get(&format!("/cahier-de-textes/{all}")).await.status,
            403,
            "{login}"
        );
    }
    let _ = s.eva;

    // « Fait », counted for the teacher.
    tom.get("/cahier-de-textes").await;
    tom.post(&format!("/cahier-de-textes/{ce1}/fait"), &[])
        .await;
    assert!(director
        .get(&format!("/cahier-de-textes/{ce1}"))
        .await
        .body
        .contains("<strong>1 / 1</strong>"));
    assert_eq!(
        lou.post(&format!("/cahier-de-textes/{ce1}/fait"), &[])
            .await
            .status,
        403
    );

    // Planned ahead: invisible until its day.
    let later = day(7);
    let planned = give(
        &mut director,
        f.cp,
        &[
            ("scope", "classe"),
            ("title", "Exposé"),
            ("day", &day(14)),
            ("body", "Préparer l'exposé."),
            ("visible_from", &later),
        ],
    )
    .await;
    assert!(!lou.get("/cahier-de-textes").await.body.contains("Exposé"));
    assert_eq!(
        lou.get(&format!("/cahier-de-textes/{planned}"))
            .await
            .status,
        403
    );
    let store = s.server.store();
    let people = directory::people::People::load(&store).unwrap();
    assert_eq!(
        preau::pedagogy::textbook::publish_due(
            &store,
            &people,
            preau::auth::now_micros() + 8 * 86_400_000_000
        )
        .unwrap(),
        1
    );

    // A heavy day is flagged for the teacher.
    let heavy = day(2);
    give(
        &mut director,
        f.cp,
        &[
            ("scope", "classe"),
            ("title", "Problèmes"),
            ("day", &heavy),
            ("body", "Faire 1 à 5."),
            ("minutes", "30"),
        ],
    )
    .await;
    give(
        &mut director,
        f.cp,
        &[
            ("scope", "classe"),
            ("title", "Dictée"),
            ("day", &heavy),
            ("body", "Revoir les mots."),
            ("minutes", "30"),
        ],
    )
    .await;
    let week = director
        .get(&format!(
            "/cahier-de-textes?classe={}&semaine={heavy}",
            f.cp
        ))
        .await
        .body;
    assert!(week.contains("Journée chargée"), "{week}");
}

#[tokio::test]
async fn bad_work_is_refused_and_kept() {
    let s = school().await;
    let mut director = s.server.signed_in(DIRECTOR_LOGIN).await;
    let path = format!("/cahier-de-textes/nouveau?classe={}&type=travail", s.f.cp);
    director.get(&path).await;
    let r = director
        .post_multipart(
            &path,
            &[
                ("scope", "classe"),
                ("subject", "Français"),
                ("title", "Rédaction"),
                ("given", &day(3)),
                ("day", &day(1)),
                ("body", ""),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("ne peut pas être pour un jour avant"));
    assert!(r.body.contains("Les consignes sont vides"));
    assert!(
        r.body.contains("value=\"Rédaction\""),
        "the title typed stays"
    );
    for extreme in ["9999-12-31", "-009999-01-01", "2026-13-01"] {
        let page = director
            .get(&format!(
                "/cahier-de-textes?classe={}&semaine={extreme}",
                s.f.cp
            ))
            .await;
        assert_eq!(page.status, 200, "{extreme}");
    }
    let r = director
        .post_multipart(
            &path,
            &[
                ("scope", "classe"),
                ("subject", "Français"),
                ("title", "Loin"),
                ("given", "9999-12-31"),
                ("day", "9999-12-31"),
                ("body", "x"),
                ("listed", "1"),
                ("visible_from", "9999-12-31"),
            ],
            &[],
        )
        .await;
    assert!(r.status == 303 || r.status == 400, "{}", r.status);
    // Someone who teaches no class cannot give work.
    let mut marc = s.server.signed_in("marc.petit").await;
    assert_eq!(marc.get(&path).await.status, 403);
    let mut paul = s.server.signed_in("paul.durand").await;
    assert_eq!(paul.get(&path).await.status, 403, "another class");
}

#[tokio::test]
async fn an_assignment_can_stand_alone_outside_the_cahier_de_textes() {
    let s = school().await;
    let mut director = s.server.signed_in(DIRECTOR_LOGIN).await;
    let path = format!(
        "/cahier-de-textes/nouveau?classe={}&type=travail&devoir=1",
        s.f.cp
    );
    let form = director.get(&path).await.body;
    assert!(
        form.contains("name=\"online\" value=\"1\" checked"),
        "online ticked"
    );
    assert!(
        !form.contains("name=\"listed\" value=\"1\" checked"),
        "not in the cahier by default"
    );
    let r = director
        .post_multipart(
            &path,
            &[
                ("scope", "classe"),
                ("subject", "Français"),
                ("title", "Récitation enregistrée"),
                ("given", &day(0)),
                ("day", &day(3)),
                ("body", "Récite ta poésie."),
                ("online", "1"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.location.unwrap().starts_with("/devoirs/"));
    let mut lou = s.server.signed_in("lou.petit").await;
    assert!(lou
        .get("/devoirs")
        .await
        .body
        .contains("Récitation enregistrée"));
    assert!(!lou
        .get("/cahier-de-textes")
        .await
        .body
        .contains("Récitation enregistrée"));
    assert!(!director
        .get(&format!(
            "/cahier-de-textes?classe={}&semaine={}",
            s.f.cp,
            day(3)
        ))
        .await
        .body
        .contains("Récitation enregistrée"));
}
