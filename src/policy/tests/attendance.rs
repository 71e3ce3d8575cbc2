//! The registre d'appel: who takes the appel, who sees and declares a pupil's absences,
//! who follows the school.

use super::*;

#[test]
fn the_appel_is_the_class_teachers_and_the_directors() {
    let a = Action::TakeAppel { class_id: 3 };
    assert!(may(&actor(Profile::Enseignant, false, &[3]), a));
    assert!(may(&actor(Profile::Enseignant, true, &[]), a));
    assert!(
        !may(&actor(Profile::Enseignant, false, &[4]), a),
        "another class"
    );
    for p in Profile::ALL
        .into_iter()
        .filter(|p| *p != Profile::Enseignant)
    {
        assert!(!may(&actor(p, false, &[3]), a), "{p:?}");
    }
}

#[test]
fn a_pupils_absences_are_their_familys_and_their_teachers_never_the_pupils() {
    let view = Action::ViewAbsences {
        pupil_id: 50,
        class_id: Some(3),
    };
    let declare = Action::DeclareAbsence { pupil_id: 50 };
    let mut parent = actor(Profile::Responsable, false, &[]);
    assert!(!may(&parent, view), "another family");
    assert!(!may(&parent, declare), "another family");
    parent.children = vec![50];
    assert!(may(&parent, view));
    assert!(may(&parent, declare));
    assert!(may(&actor(Profile::Enseignant, false, &[3]), view));
    assert!(!may(&actor(Profile::Enseignant, false, &[4]), view));
    assert!(!may(&actor(Profile::Enseignant, false, &[3]), declare));
    assert!(!may(&actor(Profile::Atsem, false, &[3]), view));
    let mut pupil = actor(Profile::Eleve, false, &[3]);
    pupil.user_id = 50;
    assert!(!may(&pupil, view), "pupils see nothing of this");
    assert!(!may(&pupil, declare));
}

#[test]
fn the_schools_attendance_is_followed_by_the_director_only() {
    assert!(may(
        &actor(Profile::Enseignant, true, &[]),
        Action::FollowAttendance
    ));
    for p in Profile::ALL {
        assert!(
            !may(&actor(p, false, &[3]), Action::FollowAttendance),
            "{p:?}"
        );
    }
}
