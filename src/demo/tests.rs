use super::*;

fn demo_store(dir: &std::path::Path) -> Store {
    crate::store::migrate::open_and_migrate(
        dir,
        &Default::default(),
        &crate::schema::tables(),
        crate::schema::MIGRATIONS,
    )
    .unwrap()
}

#[test]
fn the_demo_school_is_complete_and_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let sa = demo_store(a.path());
    let summary = create(&sa, 1, 7, 4, 1_790_000_000_000_000).unwrap();
    assert_eq!(summary.pupils, 150);
    assert_eq!(summary.classes, 6);
    assert!(summary.guardians >= 150, "{}", summary.guardians);
    assert!(crate::schema::check(&sa).unwrap().is_empty());
    // The GS children of the Hiboux have their synthèse des acquis, two shared.
    assert!(sa.count(crate::progress::synthese::SYNTHESES.name).unwrap() >= 2);
    // The CM1's published trimestre exports to the LSU, whole.
    let year = crate::directory::rollover::current_year(&sa).unwrap();
    let made = crate::progress::livret::lsu::export(&sa, &year, 1, None)
        .unwrap()
        .unwrap_or_else(|missing| panic!("{missing:?}"));
    assert_eq!(made.bilans, 12);
    let root = crate::progress::livret::lsu::xml::parse(&made.xml).unwrap();
    assert!(crate::progress::livret::lsu::schema_problems(&root).is_empty());
    // The canteen: a Commune account, five services, a term of menus and of sign-ups.
    assert_eq!(crate::canteen::services::services(&sa).unwrap().len(), 5);
    assert_eq!(sa.count(crate::canteen::WEEKS.name).unwrap(), 12);
    assert!(sa.count(crate::canteen::services::BOOKINGS.name).unwrap() > 3_000);
    // Rendez-vous: a grid in the demo parent's child's class, left for them to book;
    // the two resources, the trolley booked every Tuesday.
    let people = crate::directory::people::People::load(&sa).unwrap();
    let login = &summary
        .logins
        .iter()
        .find(|(role, _)| *role == "Responsable légal")
        .unwrap()
        .1;
    let parent = directory::user_by_login(&sa, login).unwrap().unwrap();
    let child = people.children_of(parent.id)[0];
    let class = people.classes_of(child)[0];
    let grids = crate::slots::meetings::grids_of_class(&sa, class).unwrap();
    assert_eq!(grids.len(), 1);
    assert_eq!(
        crate::slots::meetings::states(&sa, grids[0].id)
            .unwrap()
            .len(),
        6
    );
    assert_eq!(
        crate::slots::meetings::booked_for(&sa, grids[0].id, child).unwrap(),
        None
    );
    let resources = crate::slots::resources::resources(&sa).unwrap();
    assert_eq!(resources.len(), 3);
    assert!(
        resources
            .iter()
            .any(|r| r.commune && r.shared && r.validation),
        "the commune's minibus, shared, validated by the commune"
    );
    // The museum's mot asks for three accompagnateurs; the demo parent offered.
    let calls: Vec<crate::liaison::volunteers::Call> = sa
        .scan(&crate::liaison::volunteers::CALLS)
        .unwrap()
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert!(
        calls.iter().any(|c| c.wanted == 3 && c.held() == 1),
        "{calls:?}"
    );
    assert!(sa.count(crate::slots::resources::BOOKINGS.name).unwrap() >= 5);
    // La commune: its pages, two bus lines, the demo parent's child riding the first,
    // whose change to come shows on that parent's home; one request.
    assert_eq!(crate::commune::pages::pages(&sa).unwrap().len(), 5);
    let lines = crate::commune::transport::lines(&sa).unwrap();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| !l.riders.is_empty()));
    let today = crate::ui::dates::local_day_and_hour(1_790_000_000_000_000).0;
    let seen = crate::commune::transport::changes_for_family(&sa, &[child], today);
    assert_eq!(seen.unwrap().len(), 1);
    assert_eq!(
        sa.count(crate::commune::requests::REQUESTS.name).unwrap(),
        1
    );
    for c in directory::classes(&sa).unwrap() {
        let m = directory::members(&sa, c.id).unwrap();
        assert_eq!(
            m.iter().filter(|(_, r)| *r == Membership::Pupil).count(),
            25
        );
        assert!(m.iter().any(|(_, r)| *r == Membership::Teacher));
    }
    // The messagerie and the carnet have something to show: every class's six mots, two
    // from families of each class, and the first two.
    let mots = crate::liaison::all(&sa).unwrap();
    assert_eq!(mots.len(), 2 + 6 * 6 + 2 * 6);
    let museum = mots
        .iter()
        .find(|m| m.title == "Sortie au musée des Beaux-Arts")
        .unwrap();
    let rows = crate::liaison::status(&sa, museum).unwrap();
    assert_eq!(crate::liaison::summary(&rows).0, 1, "one signature");
    let parent = rows[0].guardian;
    let inbox = crate::messaging::mailbox(&sa, parent).unwrap();
    assert!(inbox
        .iter()
        .any(|(m, _)| m.subject.starts_with("Bienvenue")));
    assert!(inbox.iter().any(|(m, _)| m.subject.starts_with("Sortie")));
    assert!(inbox.len() >= 16, "{} messages", inbox.len());
    assert!(!crate::notify::list(&sa, parent).unwrap().is_empty());
    let cm1 = directory::classes(&sa)
        .unwrap()
        .into_iter()
        .find(|c| c.label == "CM1")
        .unwrap()
        .id;
    assert_eq!(
        crate::pedagogy::textbook::of_class(&sa, cm1).unwrap().len(),
        2 + 12 + 6
    );
    assert_eq!(
        crate::pedagogy::lessons::of_class(&sa, cm1).unwrap().len(),
        1 + 5
    );
    assert_eq!(
        crate::pedagogy::exercises::of_class(&sa, cm1)
            .unwrap()
            .len(),
        1 + 3
    );
    assert_eq!(
        crate::blog::articles(&sa, crate::blog::BlogRef::Class(cm1))
            .unwrap()
            .len(),
        1 + 5
    );
    // A term of appels, with pupils past the monthly threshold (demo/attendance.rs).
    let month =
        crate::attendance::register::Month::of(crate::attendance::current(1_790_000_000_000_000).0);
    assert_eq!(
        crate::attendance::register::flagged(&sa, month)
            .unwrap()
            .len(),
        2
    );
    // Scale 2: twice the school, the same people first, and what one of them sees the same.
    let b = tempfile::tempdir().unwrap();
    let sb = demo_store(b.path());
    let twice = create(&sb, 2, 7, 4, 1_790_000_000_000_000).unwrap();
    assert_eq!((twice.classes, twice.pupils), (12, 300));
    let names = |s: &Store| {
        directory::users(s, None)
            .unwrap()
            .into_iter()
            .map(|u| u.login)
            .collect::<Vec<_>>()
    };
    let (a_names, b_names) = (names(&sa), names(&sb));
    assert!(
        a_names.iter().all(|n| b_names.contains(n)),
        "same seed, same people"
    );
    let login = directory::user(&sa, parent).unwrap().unwrap().login;
    let same = directory::user_by_login(&sb, &login).unwrap().unwrap().id;
    assert_eq!(
        crate::messaging::mailbox(&sb, same).unwrap().len(),
        inbox.len(),
        "what one parent receives does not grow with the school"
    );
    assert!(
        create(&sa, 1, 7, 4, 0).is_err(),
        "refuses a folder with a school"
    );
}
