//! The liaison: class moderation and mots, the carnet, and who reads, signs, answers and
//! follows a mot.

use super::*;

#[test]
fn class_moderation_and_mots_are_for_the_class_teacher() {
    for a in [
        Action::ModerateClass { class_id: 3 },
        Action::WriteMot { class_id: Some(3) },
    ] {
        assert!(may(&actor(Profile::Enseignant, false, &[3]), a));
        assert!(may(&actor(Profile::Enseignant, true, &[]), a));
        assert!(!may(&actor(Profile::Enseignant, false, &[4]), a), "{a:?}");
        for p in Profile::ALL
            .into_iter()
            .filter(|p| *p != Profile::Enseignant)
        {
            assert!(!may(&actor(p, false, &[3]), a), "{p:?} {a:?}");
        }
    }
    let school_wide = Action::WriteMot { class_id: None };
    assert!(may(&actor(Profile::Enseignant, true, &[]), school_wide));
    assert!(!may(&actor(Profile::Enseignant, false, &[3]), school_wide));
    let group = Action::WriteMotToGroup { group_id: 7 };
    let mut teacher = actor(Profile::Enseignant, false, &[]);
    assert!(!may(&teacher, group));
    teacher.group_ids = vec![7];
    assert!(may(&teacher, group));
    let mut atsem = actor(Profile::Atsem, false, &[]);
    atsem.group_ids = vec![7];
    assert!(!may(&atsem, group));
}

#[test]
fn a_carnet_is_read_by_the_family_the_teachers_and_the_director() {
    let view = Action::ViewCarnet {
        pupil_id: 50,
        class_id: Some(3),
    };
    let write = Action::WriteFamilyMot { pupil_id: 50 };
    let mut parent = actor(Profile::Responsable, false, &[]);
    assert!(!may(&parent, view), "another family");
    assert!(!may(&parent, write));
    parent.children = vec![50];
    assert!(may(&parent, view));
    assert!(may(&parent, write));
    assert!(may(&actor(Profile::Enseignant, false, &[3]), view));
    assert!(!may(&actor(Profile::Enseignant, false, &[4]), view));
    assert!(!may(&actor(Profile::Atsem, false, &[3]), view));
    let mut pupil = actor(Profile::Eleve, false, &[3]);
    pupil.user_id = 50;
    assert!(!may(&pupil, view), "the carnet is the families'");
    assert!(!may(&actor(Profile::Enseignant, false, &[3]), write));
}

#[test]
fn a_mot_is_read_by_its_parties_and_followed_by_its_author_or_the_director() {
    let teacher = actor(Profile::Enseignant, false, &[1]);
    let director = actor(Profile::Enseignant, true, &[]);
    for p in Profile::ALL {
        let someone = actor(p, false, &[1]);
        assert!(!may(&someone, Action::ReadMot { party: false }), "{p:?}");
        assert!(!may(&someone, Action::SignMot { signer: false }), "{p:?}");
        assert!(
            !may(&someone, Action::AnswerMot { school_side: false }),
            "{p:?}"
        );
        let follow = Action::FollowMot {
            author: false,
            school_mot: true,
        };
        assert!(!may(&someone, follow), "{p:?}");
    }
    assert!(may(&teacher, Action::ReadMot { party: true }));
    assert!(may(&director, Action::ReadMot { party: false }));
    let others = Action::FollowMot {
        author: false,
        school_mot: true,
    };
    assert!(may(&director, others));
    // A family's mot has no signatures to follow, not even for the director.
    let family = Action::FollowMot {
        author: true,
        school_mot: false,
    };
    assert!(!may(&director, family) && !may(&teacher, family));
    // The director reads over the teacher's shoulder but does not answer in their name.
    assert!(!may(&director, Action::AnswerMot { school_side: false }));
    assert!(!may(&director, Action::SignMot { signer: false }));
}
