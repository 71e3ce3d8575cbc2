//! Livret scolaire de l'élémentaire (issue 19): the director sets the trimestres; Paul,
//! teacher of CM1-CM2, fills a subject for the class in one grid (a refused cell keeps
//! every value typed), takes the éléments du programme of the previous period again,
//! then publishes; only then does Inès see Zoé's bilan, acknowledge it and comment; the
//! bilan de fin de cycle; the refusals (other classes, other families, the pupil, the
//! division of the year once bilans exist); a pupil's livret gone with their account.

use preau::progress::livret;

use crate::common::{Client, Folks, TestServer, DIRECTOR_LOGIN};

/// The director sets three trimestres of the current school year; their ids.
pub(crate) async fn trimestres(server: &TestServer, director: &mut Client) -> Vec<u64> {
    let store = server.store();
    let year = preau::directory::rollover::current_year(&store).unwrap();
    let first: i32 = year.split('-').next().unwrap().parse().unwrap();
    let next = first + 1;
    director.get("/suivi/livret/periodes").await;
    let (d1, f1) = (format!("{first}-09-01"), format!("{first}-11-30"));
    let (d2, f2) = (format!("{first}-12-01"), format!("{next}-02-28"));
    let (d3, f3) = (format!("{next}-03-01"), format!("{next}-07-04"));
    let r = director
        .post(
            "/suivi/livret/periodes",
            &[
                ("decoupage", "trimestres"),
                ("debut-1", &d1),
                ("fin-1", &f1),
                ("debut-2", &d2),
                ("fin-2", &f2),
                ("debut-3", &d3),
                ("fin-3", &f3),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let periods = preau::progress::livret::periods(&store, &year).unwrap();
    assert_eq!(periods.len(), 3);
    periods.iter().map(|p| p.id).collect()
}

fn grid(f: &Folks, period: u64, subject: &str) -> String {
    format!(
        "/suivi/livret/classe/{}/grille?periode={period}&matiere={subject}",
        f.cm
    )
}

/// Paul's français for Zoé in `period`.
pub(crate) async fn francais(
    paul: &mut Client,
    f: &Folks,
    period: u64,
    elements: &str,
    appreciation: &str,
) {
    paul.get(&grid(f, period, "francais")).await;
    let (pos, app) = (format!("pos-{}", f.zoe), format!("app-{}", f.zoe));
    let period = period.to_string();
    let r = paul
        .post(
            &format!("/suivi/livret/classe/{}/grille", f.cm),
            &[
                ("periode", &period),
                ("matiere", "francais"),
                ("elements", elements),
                (&pos, "3"),
                (&app, appreciation),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
}

#[tokio::test]
async fn a_class_grid_is_filled_then_published_and_the_family_acknowledges() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let periods = trimestres(&server, &mut director).await;
    let (t1, t2) = (periods[0], periods[1]);
    let mut paul = server.signed_in("paul.durand").await;
    let class = paul.get(&format!("/suivi/livret/classe/{}", f.cm)).await;
    assert_eq!(class.status, 200);
    assert!(
        class.body.contains("Histoire et géographie"),
        "cycle 3 subjects"
    );

    // One subject × every pupil on one screen, a label per cell.
    let page = paul.get(&grid(&f, t1, "francais")).await.body;
    assert!(page.contains(&format!("for=\"f-pos-{}\"", f.zoe)), "{page}");
    assert!(page.contains("Positionnement de Zoé Leroy"));
    assert!(page.contains("Objectifs d'apprentissage partiellement atteints"));

    // A refused cell: the page comes back with the reason beside it, nothing lost.
    let (pos, app) = (format!("pos-{}", f.zoe), format!("app-{}", f.zoe));
    let long = "Très bien. ".repeat(120);
    let t1s = t1.to_string();
    let r = paul
        .post(
            &format!("/suivi/livret/classe/{}/grille", f.cm),
            &[
                ("periode", &t1s),
                ("matiere", "francais"),
                ("elements", "Lire un récit\nÉcrire un texte court"),
                (&pos, "9"),
                (&app, &long),
            ],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r
        .body
        .contains("Choisissez un positionnement dans la liste."));
    assert!(r.body.contains("L'appréciation est trop longue"));
    assert!(
        r.body.contains("Lire un récit\nÉcrire un texte court"),
        "the éléments stay"
    );
    assert!(r.body.contains(long.trim_end()), "the appréciation stays");
    francais(
        &mut paul,
        &f,
        t1,
        "Lire un récit\nÉcrire un texte court",
        "Lecture fluide, bravo.",
    )
    .await;
    let page = paul.get(&grid(&f, t1, "francais")).await.body;
    assert!(page.contains("<option value=\"3\" selected"), "{page}");
    assert!(page.contains("Lecture fluide, bravo."));

    // The general part: appréciation, aides, the class's projects.
    paul.get(&grid(&f, t1, "general")).await;
    let (gen, aide) = (format!("gen-{}", f.zoe), format!("aide-{}", f.zoe));
    let r = paul
        .post(
            &format!("/suivi/livret/classe/{}/grille", f.cm),
            &[
                ("periode", &t1s),
                ("matiere", "general"),
                ("projets", "Classe de découverte à la mer"),
                (&gen, "Un bon trimestre."),
                (&aide, "PPRE"),
                (&aide, "INCONNUE"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    // Before publication Inès sees nothing of it; her print has no period to show.
    let mut ines = server.signed_in("ines.leroy").await;
    let zoe_page = format!("/suivi/livret/eleve/{}", f.zoe);
    let page = ines.get(&zoe_page).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Lecture fluide"), "not published yet");
    assert_eq!(
        ines.get(&format!("{zoe_page}?periode={t1}")).await.status,
        404
    );
    assert_eq!(ines.get(&format!("{zoe_page}/imprimer")).await.status, 404);
    let r = ines
        .post(
            &format!("{zoe_page}/vu"),
            &[("bilan", &format!("periode-{t1}"))],
        )
        .await;
    assert_eq!(r.status, 404, "a draft does not exist for the family");

    // Paul publishes the first trimestre: Inès is told, reads, acknowledges, comments.
    paul.get(&format!("/suivi/livret/classe/{}", f.cm)).await;
    let r = paul
        .post(
            &format!("/suivi/livret/classe/{}/publier", f.cm),
            &[("periode", &t1s)],
        )
        .await;
    assert_eq!(r.status, 303);
    let notices = ines.get("/notifications").await.body;
    assert!(notices.contains("Livret scolaire de Zoé"), "{notices}");
    let page = ines.get(&zoe_page).await.body;
    for shown in [
        "Lecture fluide, bravo.",
        "Objectifs d'apprentissage atteints",
        "Écrire un texte court",
        "Un bon trimestre.",
        "Programme personnalisé de réussite éducative (PPRE)",
        "Classe de découverte à la mer",
        "J'ai pris connaissance",
    ] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    assert!(!page.contains("INCONNUE"));
    let r = ines
        .post(
            &format!("{zoe_page}/vu"),
            &[("bilan", &format!("periode-{t1}"))],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = ines
        .post(
            &format!("{zoe_page}/commentaire"),
            &[("bilan", &format!("periode-{t1}")), ("texte", "  ")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Écrivez votre commentaire."));
    let r = ines
        .post(
            &format!("{zoe_page}/commentaire"),
            &[
                ("bilan", &format!("periode-{t1}")),
                ("texte", "Merci pour ce bilan."),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let notices = paul.get("/notifications").await.body;
    assert!(
        notices.contains("Livret scolaire de Zoé : commentaire d'Inès Leroy"),
        "{notices}"
    );
    let page = paul.get(&format!("{zoe_page}?periode={t1}")).await.body;
    assert!(
        page.contains("Inès Leroy : a pris connaissance le"),
        "{page}"
    );
    assert!(page.contains("Merci pour ce bilan."));
    let class = paul
        .get(&format!("/suivi/livret/classe/{}?periode={t1}", f.cm))
        .await
        .body;
    assert!(
        class.contains("publié — pris connaissance : 1 sur 1"),
        "{class}"
    );

    // The print: the school's header, the bilan.
    let print = ines.get(&format!("{zoe_page}/imprimer?periode={t1}")).await;
    assert_eq!(print.status, 200);
    assert!(print.body.contains("class=\"livret-print\""));
    assert!(print.body.contains("Objectifs d'apprentissage atteints"));
    assert!(print.body.contains("UAI"));

    // The second trimestre takes the éléments of the first again, before any change.
    let page = paul.get(&grid(&f, t2, "francais")).await.body;
    assert!(!page.contains("Lire un récit"));
    assert!(page.contains(&format!("reprendre={t1}")), "{page}");
    let page = paul
        .get(&format!("{}&reprendre={t1}", grid(&f, t2, "francais")))
        .await
        .body;
    assert!(
        page.contains("Lire un récit\nÉcrire un texte court"),
        "{page}"
    );

    // A bilan is written: the division of the year stays, its dates may change.
    director.get("/suivi/livret/periodes").await;
    let r = director
        .post(
            "/suivi/livret/periodes",
            &[
                ("decoupage", "semestres"),
                ("debut-1", "2026-09-01"),
                ("fin-1", "2027-01-31"),
                ("debut-2", "2027-02-01"),
                ("fin-2", "2027-07-04"),
            ],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("le découpage ne peut plus changer"),
        "{}",
        r.body
    );
    server.stop().await;
}

#[tokio::test]
async fn the_bilan_de_fin_de_cycle_has_eight_components_and_is_published_with_its_period() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let periods = trimestres(&server, &mut director).await;
    let t3 = periods[2].to_string();
    let mut paul = server.signed_in("paul.durand").await;
    let form = format!("/suivi/livret/eleve/{}/cycle", f.zoe);
    let page = paul.get(&form).await.body;
    assert!(page.contains("Bilan de fin de cycle 3"), "{page}");
    assert!(page.contains("Les représentations du monde et l'activité humaine"));
    assert!(page.contains("Très bonne maîtrise"));
    let codes = [
        "CPD_FRA", "CPD_ETR", "CPD_SCI", "CPD_ART", "MET_APP", "FRM_CIT", "SYS_NAT", "REP_MND",
    ];
    let names: Vec<String> = codes.iter().map(|c| format!("comp-{c}")).collect();
    let mut fields: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "3")).collect();
    fields[0].1 = "4";
    fields.push(("periode", &t3));
    fields.push(("appreciation", "Prête pour la sixième."));
    // One component missing: refused beside it, the others kept.
    let r = paul.post(&form, &fields[1..]).await;
    assert_eq!(r.status, 400);
    assert!(r
        .body
        .contains("Choisissez le degré de maîtrise de cette composante."));
    assert!(r.body.contains("Prête pour la sixième."));
    let r = paul.post(&form, &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let stored = server
        .store()
        .get(&preau::progress::livret::CYCLE_BILANS, &(f.zoe, 3))
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.reference,
        preau::progress::livret::reference::LIVRET_VERSION
    );
    assert_eq!(stored.maitrise("CPD_FRA"), Some(4));

    let mut ines = server.signed_in("ines.leroy").await;
    let zoe_page = format!("/suivi/livret/eleve/{}", f.zoe);
    assert!(!ines
        .get(&zoe_page)
        .await
        .body
        .contains("Bilan de fin de cycle"));
    paul.get(&format!("/suivi/livret/classe/{}", f.cm)).await;
    let r = paul
        .post(
            &format!("/suivi/livret/classe/{}/publier", f.cm),
            &[("periode", &t3)],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = ines.get(&zoe_page).await.body;
    assert!(page.contains("Bilan de fin de cycle 3"), "{page}");
    assert!(page.contains("Très bonne maîtrise") && page.contains("Maîtrise satisfaisante"));
    let r = ines
        .post(&format!("{zoe_page}/vu"), &[("bilan", "cycle-3")])
        .await;
    assert_eq!(r.status, 303);

    // Lou, in CP-CE1, ends no cycle this year.
    let lou_cycle = director
        .get(&format!("/suivi/livret/eleve/{}/cycle", f.lou))
        .await;
    assert!(lou_cycle.body.contains("n'est pas en fin de cycle"));

    // Zoé's account deleted: her livret goes with it.
    let store = server.store();
    assert_eq!(livret::cycle_bilans_of(&store, f.zoe).unwrap().len(), 1);
    preau::schema::forget_account(&store, f.zoe).unwrap();
    assert!(livret::cycle_bilans_of(&store, f.zoe).unwrap().is_empty());
    assert!(livret::bilans_of(&store, f.zoe).unwrap().is_empty());
    server.stop().await;
}

#[tokio::test]
async fn other_classes_other_families_and_pupils_are_refused() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let periods = trimestres(&server, &mut director).await;
    let mut paul = server.signed_in("paul.durand").await;
    francais(&mut paul, &f, periods[0], "Lire", "Bien.").await;
    let t1 = periods[0].to_string();
    paul.get(&format!("/suivi/livret/classe/{}", f.cm)).await;
    paul.post(
        &format!("/suivi/livret/classe/{}/publier", f.cm),
        &[("periode", &t1)],
    )
    .await;

    // Paul keeps CM1-CM2 only; the periods are the director's.
    assert_eq!(
        paul.get(&format!("/suivi/livret/classe/{}", f.cp))
            .await
            .status,
        403
    );
    assert_eq!(
        paul.get(&format!("/suivi/livret/eleve/{}", f.lou))
            .await
            .status,
        403
    );
    assert_eq!(paul.get("/suivi/livret/periodes").await.status, 403);
    // Marc, Lou's father, and Zoé herself: Zoé's livret is refused.
    let zoe_page = format!("/suivi/livret/eleve/{}", f.zoe);
    let mut marc = server.signed_in("marc.petit").await;
    assert_eq!(marc.get(&zoe_page).await.status, 403);
    assert_eq!(marc.get(&format!("{zoe_page}/imprimer")).await.status, 403);
    let r = marc
        .post(
            &format!("{zoe_page}/vu"),
            &[("bilan", &format!("periode-{t1}"))],
        )
        .await;
    assert_eq!(r.status, 403);
    let mut zoe = server.signed_in("zoe.leroy").await;
    assert_eq!(zoe.get(&zoe_page).await.status, 403);
    // Inès reads, she does not write.
    let mut ines = server.signed_in("ines.leroy").await;
    assert_eq!(ines.get(&format!("{zoe_page}/cycle")).await.status, 403);
    assert_eq!(
        ines.get(&grid(&f, periods[0], "francais")).await.status,
        403
    );
    let r = ines
        .post(
            &format!("/suivi/livret/classe/{}/publier", f.cm),
            &[("periode", &t1)],
        )
        .await;
    assert_eq!(r.status, 403);
    // A subject the class does not have, a period that does not exist.
    assert_eq!(
        paul.get(&grid(&f, periods[0], "questionner-le-monde"))
            .await
            .status,
        404
    );
    assert_eq!(paul.get(&grid(&f, 999_999, "francais")).await.status, 404);
    server.stop().await;
}
