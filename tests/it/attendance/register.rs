//! The director's side: the 4-half-day threshold flags the pupil, PS afternoons are not
//! counted, the monthly register's grid and totals are exact, its visa, CSV and the
//! signalement.

use preau::attendance::amenagements::{self, NewAmenagement};
use preau::attendance::register::{self, Cell, Month};
use preau::attendance::{families, HalfDay, Mark, Motif};
use preau::directory::people::People;
use preau::directory::Membership;
use preau::policy::Profile;

use super::{appel_as_paul, at, school_days};
use crate::common::{add_person, TestServer};

#[tokio::test]
async fn the_threshold_flags_the_pupil_and_the_register_counts_exactly() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let today = preau::attendance::current(preau::auth::now_micros()).0;
    // Two days of this month with class.
    let other = if today.day() > 1 {
        today.yesterday().unwrap()
    } else {
        today.tomorrow().unwrap()
    };
    let (d1, d2) = (other.min(today), other.max(today));
    school_days(&store, &[d1, d2]);
    // Pia, in petite section, stays home in the afternoons (agreed with the family).
    let pia = add_person(
        &store,
        "pia.martin",
        Profile::Eleve,
        Some((f.cm, Membership::Pupil)),
    );
    let now = preau::auth::now_micros();
    let people = People::load(&store).unwrap();
    let paul = people.actor_of(f.paul, now).unwrap();
    let granted = preau::attendance::access::appel(&paul, f.cm).unwrap();
    amenagements::add(
        &store,
        &granted,
        &NewAmenagement {
            pupil: pia,
            label: "Aménagement du temps en petite section".into(),
            weekdays: (1..=7).collect(),
            half: HalfDay::Afternoon,
            whole: true,
        },
        now,
    )
    .await
    .unwrap();
    // The appel's afternoon page proposes « aménagement » for Pia.
    school_days(&store, &[d1, d2, today]);
    let mut c = server.signed_in("paul.durand").await;
    let page = c
        .get(&format!("/appel/classe/{}?demi=apres-midi", f.cm))
        .await;
    let checked =
        format!("id=\"e{pia}-amenagement\" name=\"e{pia}\" value=\"amenagement\" checked");
    assert!(page.body.contains(&checked), "{}", page.body);
    assert!(page.body.contains("Aménagement du temps en petite section"));

    // Four half-days absent without motif: Zoé is flagged.
    for d in [d1, d2] {
        appel_as_paul(&store, &f, d, HalfDay::Morning, &[(f.zoe, Mark::Absent)]).await;
        appel_as_paul(
            &store,
            &f,
            d,
            HalfDay::Afternoon,
            &[(f.zoe, Mark::Absent), (pia, Mark::Amenagement)],
        )
        .await;
    }
    let month = Month::of(today);
    assert_eq!(register::flagged(&store, month).unwrap(), vec![(f.zoe, 4)]);
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    let school = director
        .get(&format!("/admin/absences?mois={}", month.value()))
        .await;
    assert_eq!(school.status, 200, "{}", school.body);
    assert!(
        school
            .body
            .contains("Zoé Leroy</strong> (CM1-CM2) : 4 demi-journées"),
        "{}",
        school.body
    );
    let letter = director
        .get(&format!(
            "/admin/absences/signalement/{}?mois={}",
            f.zoe,
            month.value()
        ))
        .await;
    assert_eq!(letter.status, 200);
    assert!(
        letter.body.contains("Signalement d'absences répétées")
            && letter.body.contains("Inès Leroy")
    );

    // Second day: Zoé was late in the afternoon after all, and her mother gives the motif
    // of that morning: 3 non justifiées, no longer flagged.
    appel_as_paul(
        &store,
        &f,
        d2,
        HalfDay::Afternoon,
        &[
            (
                f.zoe,
                Mark::Late {
                    hour: 14,
                    minute: 10,
                },
            ),
            (pia, Mark::Amenagement),
        ],
    )
    .await;
    let ines = people.actor_of(f.ines, now).unwrap();
    let child = preau::attendance::access::declare(&ines, f.zoe).unwrap();
    families::give_motif(
        &store,
        &child,
        preau::attendance::slot(d2, HalfDay::Morning),
        Motif::Maladie,
        "",
        at(d2, HalfDay::Afternoon),
    )
    .await
    .unwrap();
    assert!(register::flagged(&store, month).unwrap().is_empty());

    // The grid: Zoé A A | J R; Pia · Am | · Am.
    let r = register::month(&store, &people, f.cm, month, today).unwrap();
    let col = |d, h| {
        r.halves
            .iter()
            .position(|x| *x == (d, h))
            .unwrap_or_else(|| panic!("{d} {h:?} in {:?}", r.halves))
    };
    let row = |p: u64| r.rows.iter().find(|x| x.pupil == p).unwrap();
    let cells = |p: u64| -> Vec<Cell> {
        [
            (d1, HalfDay::Morning),
            (d1, HalfDay::Afternoon),
            (d2, HalfDay::Morning),
            (d2, HalfDay::Afternoon),
        ]
        .iter()
        .map(|(d, h)| row(p).cells[col(*d, *h)])
        .collect()
    };
    assert_eq!(
        cells(f.zoe),
        vec![
            Cell::Absent { justified: false },
            Cell::Absent { justified: false },
            Cell::Absent { justified: true },
            Cell::Late
        ]
    );
    assert_eq!(
        cells(pia),
        vec![
            Cell::Present,
            Cell::Amenagement,
            Cell::Present,
            Cell::Amenagement
        ]
    );
    let z = row(f.zoe);
    assert_eq!(
        (z.absent, z.justified, z.late, z.expected, z.present),
        (3, 1, 1, 4, 1)
    );
    assert_eq!(register::rate(z.present, z.expected), "25,0 %");
    let p = row(pia);
    assert_eq!(
        (p.absent, p.expected, p.present),
        (0, 2, 2),
        "PS afternoons not counted"
    );
    let (present, expected) = r.totals();
    assert_eq!(expected, r.rows.iter().map(|x| x.expected).sum::<usize>());
    assert_eq!(
        present + 3,
        expected,
        "the class: only Zoé's three absences"
    );

    // The page, its visa (audited) and its CSV.
    let url = format!("/admin/absences/registre/{}?mois={}", f.cm, month.value());
    let page = director.get(&url).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("25,0 %") && page.body.contains("Non visé"));
    let signed = director
        .post(
            &format!("/admin/absences/registre/{}/viser", f.cm),
            &[("mois", &month.value())],
        )
        .await;
    assert_eq!(signed.status, 303);
    assert!(director.get(&url).await.body.contains("Visé par"));
    let csv = director
        .get(&format!(
            "/admin/absences/registre/{}/export.csv?mois={}",
            f.cm,
            month.value()
        ))
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.body.contains("Zoé Leroy;") && csv.body.contains(";3;1;1;25,0 %"),
        "{}",
        csv.body
    );
    // The year's figures: the same totals since September.
    let year = director.get("/admin/absences/annee").await;
    assert_eq!(year.status, 200);
    assert!(year.body.contains("Bilan de l&#39;année") || year.body.contains("Bilan de l'année"));
    let zoe_row = year.body.split("Zoé Leroy").nth(1).unwrap_or("");
    assert!(
        zoe_row.contains(">4<") && zoe_row.contains(">3<") && zoe_row.contains("25,0 %"),
        "{}",
        year.body
    );
    let year_csv = director.get("/admin/absences/annee/export.csv").await;
    assert!(
        year_csv.body.contains("CM1-CM2;Zoé Leroy;4;3;1;1;25,0 %"),
        "{}",
        year_csv.body
    );
    // A teacher does not reach the director's pages.
    assert_eq!(c.get(&url).await.status, 403);
    server.stop().await;
}

#[tokio::test]
async fn the_years_register_is_archived_as_one_html_file_in_the_data_folder() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let today = super::school_today(&store);
    appel_as_paul(
        &store,
        &f,
        today,
        HalfDay::Morning,
        &[(f.zoe, Mark::Absent)],
    )
    .await;
    let year = preau::attendance::archive::school_year_of(today);
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    let page = director.get("/admin/absences").await;
    assert!(page.body.contains("Archiver le registre de l'année"));
    let done = director
        .post("/admin/absences/archiver", &[("annee", &year.to_string())])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let file = server.dir.path().join("registres").join(format!(
        "registre-d-appel-{}-{}.html",
        year,
        year + 1
    ));
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("CM1-CM2") && html.contains("Zoé Leroy"),
        "{html}"
    );
    assert!(
        !html.contains("<script") && !html.contains("/static/"),
        "self-contained"
    );
    // Zoé's account deleted (she left): the archive still names her.
    preau::schema::forget_account(&store, f.zoe).unwrap();
    assert!(preau::attendance::of_pupil(&store, f.zoe)
        .unwrap()
        .is_empty());
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("Zoé Leroy"));
    server.stop().await;
}
