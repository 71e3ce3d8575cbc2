//! The home page of a guardian: « Pour vous » first, with each child's work due in the
//! next days, the mots to sign, the unread messages and today's news.

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
