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
    for c in directory::classes(&sa).unwrap() {
        let m = directory::members(&sa, c.id).unwrap();
        assert_eq!(
            m.iter().filter(|(_, r)| *r == Membership::Pupil).count(),
            25
        );
        assert!(m.iter().any(|(_, r)| *r == Membership::Teacher));
    }
    // The messagerie and the carnet have something to show.
    let mots = crate::liaison::all(&sa).unwrap();
    assert_eq!(mots.len(), 2);
    let museum = mots.iter().find(|m| m.is_school()).unwrap();
    let rows = crate::liaison::status(&sa, museum).unwrap();
    assert_eq!(crate::liaison::summary(&rows).0, 1, "one signature");
    let parent = rows[0].guardian;
    let inbox = crate::messaging::mailbox(&sa, parent).unwrap();
    assert!(inbox
        .iter()
        .any(|(m, _)| m.subject.starts_with("Bienvenue")));
    assert!(inbox.iter().any(|(m, _)| m.subject.starts_with("Sortie")));
    let cm1 = directory::classes(&sa)
        .unwrap()
        .into_iter()
        .find(|c| c.label == "CM1")
        .unwrap()
        .id;
    assert_eq!(
        crate::pedagogy::textbook::of_class(&sa, cm1).unwrap().len(),
        2
    );
    assert_eq!(
        crate::pedagogy::lessons::of_class(&sa, cm1).unwrap().len(),
        1
    );
    assert_eq!(
        crate::pedagogy::exercises::of_class(&sa, cm1)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        crate::blog::articles(&sa, crate::blog::BlogRef::Class(cm1))
            .unwrap()
            .len(),
        1
    );
    let b = tempfile::tempdir().unwrap();
    let sb = demo_store(b.path());
    create(&sb, 1, 7, 4, 1_790_000_000_000_000).unwrap();
    let names = |s: &Store| {
        directory::users(s, None)
            .unwrap()
            .into_iter()
            .map(|u| u.login)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&sa), names(&sb), "same seed, same school");
    assert!(
        create(&sa, 1, 7, 4, 0).is_err(),
        "refuses a folder with a school"
    );
}
