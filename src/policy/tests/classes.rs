//! Classes and pupils: who sees a class, a pupil and their work, who manages pupils and
//! teaches.

use super::*;

#[test]
fn a_class_is_seen_by_its_members_only() {
    let view = Action::ViewClass { class_id: 3 };
    assert!(may(&actor(Profile::Enseignant, false, &[3]), view));
    assert!(may(&actor(Profile::Eleve, false, &[3]), view));
    assert!(!may(&actor(Profile::Enseignant, false, &[4]), view));
    assert!(!may(&actor(Profile::Eleve, false, &[4]), view));
    assert!(!may(&actor(Profile::Responsable, false, &[3]), view));
    assert!(!may(&actor(Profile::Invite, false, &[3]), view));
    assert!(!may(&actor(Profile::Intervenant, false, &[3]), view));
    assert!(may(&actor(Profile::Conseiller, false, &[]), view));
    assert!(may(&actor(Profile::Enseignant, true, &[]), view));
}

#[test]
fn a_classs_logins_and_guardians_are_seen_by_its_adults_only() {
    let roster = Action::ViewClassRoster { class_id: 3 };
    assert!(may(&actor(Profile::Enseignant, false, &[3]), roster));
    assert!(may(&actor(Profile::Atsem, false, &[3]), roster));
    assert!(may(&actor(Profile::Enseignant, true, &[]), roster));
    assert!(!may(&actor(Profile::Eleve, false, &[3]), roster));
    assert!(!may(&actor(Profile::Enseignant, false, &[4]), roster));
    assert!(!may(&actor(Profile::Responsable, false, &[3]), roster));
    assert!(!may(&actor(Profile::Conseiller, false, &[]), roster));
}

#[test]
fn a_pupil_is_seen_by_their_teachers_guardians_and_themself_only() {
    let view = Action::ViewPupil {
        pupil_id: 50,
        class_id: Some(3),
    };
    assert!(may(&actor(Profile::Enseignant, false, &[3]), view));
    assert!(may(&actor(Profile::Atsem, false, &[3]), view));
    assert!(
        !may(&actor(Profile::Enseignant, false, &[4]), view),
        "another class's teacher"
    );
    let mut parent = actor(Profile::Responsable, false, &[]);
    assert!(!may(&parent, view), "a parent of another child");
    parent.children = vec![50];
    assert!(may(&parent, view));
    let mut pupil = actor(Profile::Eleve, false, &[3]);
    assert!(!may(&pupil, view), "a classmate");
    pupil.user_id = 50;
    assert!(may(&pupil, view));
    for p in [
        Profile::Periscolaire,
        Profile::Commune,
        Profile::Intervenant,
        Profile::Invite,
        Profile::Conseiller,
    ] {
        assert!(!may(&actor(p, false, &[3]), view), "{p:?}");
    }
    assert!(may(&actor(Profile::Enseignant, true, &[]), view));
}

#[test]
fn only_the_class_teacher_or_the_director_manages_pupils() {
    let manage = Action::ManagePupil { class_id: Some(3) };
    assert!(may(&actor(Profile::Enseignant, false, &[3]), manage));
    assert!(may(&actor(Profile::Enseignant, true, &[]), manage));
    assert!(!may(&actor(Profile::Enseignant, false, &[4]), manage));
    assert!(!may(&actor(Profile::Atsem, false, &[3]), manage));
    assert!(!may(&actor(Profile::Eleve, false, &[3]), manage));
    let mut parent = actor(Profile::Responsable, false, &[3]);
    parent.children = vec![50];
    assert!(!may(&parent, manage));
    assert!(!may(
        &actor(Profile::Enseignant, false, &[3]),
        Action::ManagePupil { class_id: None }
    ));
}

#[test]
fn a_pupils_work_is_seen_by_those_who_follow_them() {
    let view = |in_care| Action::ViewPupilWork {
        pupil_id: 50,
        class_id: Some(3),
        in_care,
    };
    assert!(may(&actor(Profile::Enseignant, false, &[3]), view(false)));
    assert!(!may(&actor(Profile::Enseignant, false, &[4]), view(false)));
    assert!(
        may(&actor(Profile::Periscolaire, false, &[]), view(true)),
        "in their care"
    );
    assert!(!may(&actor(Profile::Periscolaire, false, &[]), view(false)));
    let mut parent = actor(Profile::Responsable, false, &[]);
    assert!(!may(&parent, view(false)));
    parent.children = vec![50];
    assert!(may(&parent, view(false)));
    assert!(
        !may(&actor(Profile::Eleve, false, &[3]), view(false)),
        "a classmate"
    );
    assert!(
        !may(&actor(Profile::Commune, false, &[]), view(true)),
        "only périscolaire staff by care"
    );
    assert!(may(
        &actor(Profile::Enseignant, false, &[3]),
        Action::Teach { class_id: 3 }
    ));
    assert!(!may(
        &actor(Profile::Atsem, false, &[3]),
        Action::Teach { class_id: 3 }
    ));
    assert!(!may(
        &actor(Profile::Eleve, false, &[3]),
        Action::Teach { class_id: 3 }
    ));
}
