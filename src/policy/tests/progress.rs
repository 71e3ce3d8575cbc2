//! The suivi des apprentissages: a child's carnet is kept by the teachers of the child's
//! classes and the director, read by the child's guardians once shared; nobody else.

use super::*;

fn progress(a: &Actor, action: ProgressAction) -> bool {
    may(a, Action::Progress(action))
}

fn guardian_of(children: &[u64]) -> Actor {
    let mut a = actor(Profile::Responsable, false, &[]);
    a.children = children.to_vec();
    a
}

#[test]
fn the_home_is_for_teachers_families_and_pupils_not_for_other_staff() {
    assert!(progress(
        &actor(Profile::Enseignant, false, &[3]),
        ProgressAction::Open
    ));
    assert!(progress(
        &actor(Profile::Enseignant, true, &[]),
        ProgressAction::Open
    ));
    assert!(progress(&guardian_of(&[50]), ProgressAction::Open));
    assert!(
        !progress(&guardian_of(&[]), ProgressAction::Open),
        "a guardian without a child here"
    );
    assert!(
        progress(&actor(Profile::Eleve, false, &[3]), ProgressAction::Open),
        "a pupil's own carnet"
    );
    for p in [
        Profile::Atsem,
        Profile::Periscolaire,
        Profile::Commune,
        Profile::Intervenant,
        Profile::Conseiller,
        Profile::Invite,
    ] {
        assert!(
            !progress(&actor(p, false, &[3]), ProgressAction::Open),
            "{p:?}"
        );
    }
}

#[test]
fn a_class_is_kept_by_its_teachers_and_the_director_only() {
    let keep = ProgressAction::KeepClass { class_id: 3 };
    assert!(progress(&actor(Profile::Enseignant, false, &[3]), keep));
    assert!(progress(&actor(Profile::Enseignant, true, &[]), keep));
    assert!(
        !progress(&actor(Profile::Enseignant, false, &[4]), keep),
        "a teacher of another class"
    );
    assert!(
        !progress(&actor(Profile::Atsem, false, &[3]), keep),
        "the class's ATSEM helps, the teacher assesses"
    );
    assert!(!progress(&actor(Profile::Eleve, false, &[3]), keep));
    assert!(!progress(&guardian_of(&[50]), keep));
}

#[test]
fn a_childs_carnet_is_kept_by_the_teachers_of_the_child_and_the_director() {
    let keep = |teaches_pupil| ProgressAction::KeepPupil { teaches_pupil };
    assert!(progress(
        &actor(Profile::Enseignant, false, &[3]),
        keep(true)
    ));
    assert!(progress(
        &actor(Profile::Enseignant, true, &[]),
        keep(false)
    ));
    assert!(
        !progress(&actor(Profile::Enseignant, false, &[4]), keep(false)),
        "a teacher who does not teach the child"
    );
    assert!(!progress(&actor(Profile::Atsem, false, &[3]), keep(true)));
    assert!(!progress(&actor(Profile::Eleve, false, &[3]), keep(true)));
    assert!(
        !progress(&guardian_of(&[50]), keep(true)),
        "the family reads what is shared, it does not keep the carnet"
    );
}

#[test]
fn only_the_childs_guardians_read_what_was_shared_and_acknowledge_it() {
    for action in [
        ProgressAction::ReadShared { pupil_id: 50 },
        ProgressAction::Acknowledge { pupil_id: 50 },
    ] {
        assert!(progress(&guardian_of(&[50, 51]), action));
        assert!(
            !progress(&guardian_of(&[51]), action),
            "the guardian of another child"
        );
        assert!(
            !progress(&actor(Profile::Enseignant, true, &[]), action),
            "the director keeps the carnet, she does not sign for the family"
        );
        let mut pupil = actor(Profile::Eleve, false, &[3]);
        pupil.user_id = 50;
        assert!(!progress(&pupil, action), "the child");
    }
}

#[test]
fn a_child_reads_their_own_carnet_and_nobody_elses() {
    let mut me = actor(Profile::Eleve, false, &[3]);
    me.user_id = 50;
    assert!(progress(&me, ProgressAction::ReadOwn { pupil_id: 50 }));
    assert!(!progress(&me, ProgressAction::ReadOwn { pupil_id: 51 }));
    let mut teacher = actor(Profile::Enseignant, false, &[3]);
    teacher.user_id = 50;
    assert!(
        !progress(&teacher, ProgressAction::ReadOwn { pupil_id: 50 }),
        "only a pupil has a carnet of their own"
    );
}

#[test]
fn the_schools_attendus_are_kept_by_its_teachers() {
    assert!(progress(
        &actor(Profile::Enseignant, false, &[]),
        ProgressAction::KeepAttendus
    ));
    for p in [Profile::Eleve, Profile::Responsable, Profile::Atsem] {
        assert!(
            !progress(&actor(p, false, &[3]), ProgressAction::KeepAttendus),
            "{p:?}"
        );
    }
}
