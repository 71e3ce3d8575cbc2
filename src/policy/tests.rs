//! Refusal tests of the policy: every rule has a forbidden profile refused.

use super::*;

fn actor(profile: Profile, director: bool, classes: &[u64]) -> Actor {
    Actor {
        user_id: 10,
        profile,
        director,
        class_ids: classes.to_vec(),
        children: Vec::new(),
        group_ids: Vec::new(),
    }
}

#[test]
fn only_the_director_administers_the_school() {
    let director = actor(Profile::Enseignant, true, &[]);
    for a in [
        Action::OpenConsole,
        Action::EditSchool,
        Action::ManageServices,
        Action::ManageClasses,
        Action::ManageGroups,
        Action::ManageAccounts,
        Action::ReadLogs,
    ] {
        assert!(may(&director, a), "{a:?}");
        for p in Profile::ALL {
            assert!(
                !may(&actor(p, false, &[1]), a),
                "{p:?} must be refused {a:?}"
            );
        }
    }
}

#[test]
fn a_director_cannot_disable_themselves_or_another_director() {
    let director = actor(Profile::Enseignant, true, &[]);
    assert!(may(
        &director,
        Action::AdministerAccount {
            target_user: 11,
            target_is_director: false
        }
    ));
    assert!(!may(
        &director,
        Action::AdministerAccount {
            target_user: 10,
            target_is_director: true
        }
    ));
    assert!(!may(
        &director,
        Action::AdministerAccount {
            target_user: 12,
            target_is_director: true
        }
    ));
    let teacher = actor(Profile::Enseignant, false, &[]);
    assert!(!may(
        &teacher,
        Action::AdministerAccount {
            target_user: 11,
            target_is_director: false
        }
    ));
}

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
fn communication_settings_and_reports_are_the_directors() {
    for a in [Action::ManageCommunication, Action::ReadReports] {
        assert!(may(&actor(Profile::Enseignant, true, &[]), a));
        for p in Profile::ALL {
            assert!(!may(&actor(p, false, &[1]), a), "{p:?} {a:?}");
        }
    }
}

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

#[test]
fn a_personal_space_is_its_owners_only_even_for_the_director() {
    let space = SpaceRef::Personal(10);
    let owner = actor(Profile::Eleve, false, &[3]);
    assert!(may(&owner, Action::ReadMedia { space }));
    assert!(may(
        &owner,
        Action::WriteMedia {
            space,
            pupils_contribute: false
        }
    ));
    let mut other = actor(Profile::Eleve, false, &[3]);
    other.user_id = 11;
    assert!(!may(&other, Action::ReadMedia { space }), "a classmate");
    let mut director = actor(Profile::Enseignant, true, &[]);
    director.user_id = 1;
    assert!(
        !may(&director, Action::ReadMedia { space }),
        "not even the director"
    );
    let mut parent = actor(Profile::Responsable, false, &[]);
    parent.user_id = 12;
    parent.children = vec![10];
    assert!(
        !may(&parent, Action::ReadMedia { space }),
        "not even a parent"
    );
}

#[test]
fn class_spaces_are_read_by_members_and_written_by_teachers() {
    let space = SpaceRef::Class(3);
    let write = |c| Action::WriteMedia {
        space,
        pupils_contribute: c,
    };
    let teacher = actor(Profile::Enseignant, false, &[3]);
    let pupil = actor(Profile::Eleve, false, &[3]);
    assert!(may(&teacher, write(false)));
    assert!(may(&pupil, Action::ReadMedia { space }));
    assert!(!may(&pupil, write(false)), "pupils read");
    assert!(
        may(&pupil, write(true)),
        "or contribute when the teacher allows"
    );
    for outsider in [
        actor(Profile::Eleve, false, &[4]),
        actor(Profile::Enseignant, false, &[4]),
        actor(Profile::Responsable, false, &[]),
        actor(Profile::Invite, false, &[]),
    ] {
        assert!(!may(&outsider, Action::ReadMedia { space }), "{outsider:?}");
        assert!(!may(&outsider, write(true)), "{outsider:?}");
    }
    assert!(may(
        &actor(Profile::Enseignant, false, &[3]),
        Action::ManageClassSpace { class_id: 3 }
    ));
    assert!(!may(&pupil, Action::ManageClassSpace { class_id: 3 }));
    // The staff room and groups.
    assert!(may(
        &teacher,
        Action::ReadMedia {
            space: SpaceRef::Staff
        }
    ));
    assert!(!may(
        &pupil,
        Action::ReadMedia {
            space: SpaceRef::Staff
        }
    ));
    assert!(!may(
        &actor(Profile::Responsable, false, &[]),
        Action::ReadMedia {
            space: SpaceRef::Staff
        }
    ));
    let mut member = actor(Profile::Eleve, false, &[]);
    member.group_ids = vec![5];
    assert!(may(
        &member,
        Action::ReadMedia {
            space: SpaceRef::Group(5)
        }
    ));
    assert!(!may(
        &member,
        Action::WriteMedia {
            space: SpaceRef::Group(5),
            pupils_contribute: true
        }
    ));
    assert!(!may(
        &member,
        Action::ReadMedia {
            space: SpaceRef::Group(6)
        }
    ));
    assert!(!may(&teacher, Action::ManageMedia));
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

#[test]
fn publishing_is_for_the_director_the_class_teacher_and_the_commune() {
    let teacher = actor(Profile::Enseignant, false, &[3]);
    let director = actor(Profile::Enseignant, true, &[]);
    let agent = actor(Profile::Commune, false, &[]);
    for a in [
        Action::PublishNews {
            class_id: Some(3),
            commune: false,
        },
        Action::EditCalendar { class_id: Some(3) },
        Action::RunBlog { class_id: Some(3) },
    ] {
        assert!(may(&teacher, a) && may(&director, a), "{a:?}");
        assert!(!may(&actor(Profile::Enseignant, false, &[4]), a), "{a:?}");
        for p in [
            Profile::Eleve,
            Profile::Responsable,
            Profile::Atsem,
            Profile::Invite,
            Profile::Commune,
        ] {
            assert!(!may(&actor(p, false, &[3]), a), "{p:?} {a:?}");
        }
    }
    for a in [
        Action::PublishNews {
            class_id: None,
            commune: false,
        },
        Action::EditCalendar { class_id: None },
        Action::RunBlog { class_id: None },
        Action::ManagePhotoConsent,
    ] {
        assert!(may(&director, a));
        assert!(!may(&teacher, a), "{a:?}");
    }
    let commune = Action::PublishNews {
        class_id: None,
        commune: true,
    };
    assert!(may(&agent, commune) && may(&director, commune));
    assert!(!may(&teacher, commune) && !may(&actor(Profile::Responsable, false, &[]), commune));
}

#[test]
fn a_mailbox_is_kept_by_its_holder_only() {
    for p in Profile::ALL {
        assert!(may(&actor(p, false, &[1]), Action::KeepMail { holder: 10 }));
        assert!(
            !may(&actor(p, true, &[1]), Action::KeepMail { holder: 11 }),
            "{p:?} must be refused another's mailbox"
        );
    }
}

#[test]
fn articles_are_written_by_the_class_and_changed_by_their_author_or_the_runners() {
    let pupil = actor(Profile::Eleve, false, &[3]);
    let teacher = actor(Profile::Enseignant, false, &[3]);
    let write = |open| Action::WriteArticle {
        class_id: Some(3),
        open,
    };
    assert!(may(&pupil, write(true)) && may(&teacher, write(false)));
    assert!(!may(&pupil, write(false)), "a blog switched off");
    for p in Profile::ALL {
        if p != Profile::Eleve {
            assert!(!may(&actor(p, false, &[4]), write(true)), "{p:?}");
        }
        let other = actor(p, false, &[4]);
        let edit = Action::EditArticle {
            class_id: Some(3),
            own_draft: false,
        };
        assert!(!may(&other, edit), "{p:?}");
        assert!(!may(&other, Action::ProposeArticle { own_draft: false }));
        let comment = Action::CommentArticle {
            reads: true,
            open: false,
        };
        assert!(!may(&actor(p, true, &[3]), comment), "comments off: {p:?}");
        let not_read = Action::CommentArticle {
            reads: false,
            open: true,
        };
        assert!(!may(&actor(p, true, &[3]), not_read), "{p:?}");
    }
    let comment = Action::CommentArticle {
        reads: true,
        open: true,
    };
    assert!(may(&pupil, comment));
    for p in [Profile::Periscolaire, Profile::Commune, Profile::Invite] {
        assert!(!may(&actor(p, false, &[3]), comment), "{p:?}");
    }
}

#[test]
fn everyone_manages_their_own_account() {
    for p in Profile::ALL {
        assert!(may(&actor(p, false, &[]), Action::ManageOwnAccount));
    }
}

#[test]
fn profiles_round_trip_through_slugs_and_codes() {
    for p in Profile::ALL {
        assert_eq!(Profile::from_slug(p.slug()), Some(p));
    }
    assert_eq!(Profile::from_slug("National_ELV"), Some(Profile::Eleve));
    assert_eq!(Profile::from_slug("pirate"), None);
}

#[test]
fn a_media_item_is_read_managed_and_shared_through_its_space_or_a_share() {
    let space = SpaceRef::Class(3);
    let read = |shared| Action::ReadMediaItem { space, shared };
    let manage = |shared_contribute| Action::ManageMediaItem {
        space,
        pupils_contribute: false,
        shared_contribute,
    };
    let share = |owner| Action::ShareMediaItem {
        space,
        pupils_contribute: false,
        shared_contribute: false,
        owner,
    };
    let outsider = actor(Profile::Responsable, false, &[]);
    assert!(!may(&outsider, read(false)), "no space, no share");
    assert!(may(&outsider, read(true)), "a share opens the item");
    assert!(!may(&outsider, manage(false)));
    assert!(may(&outsider, manage(true)), "a share for contribution");
    assert!(!may(&outsider, share(false)));
    assert!(may(&outsider, share(true)), "the owner shares");
    let pupil = actor(Profile::Eleve, false, &[3]);
    assert!(may(&pupil, read(false)));
    assert!(!may(&pupil, manage(false)), "pupils read the class space");
    assert!(!may(&pupil, share(false)));
    let teacher = actor(Profile::Enseignant, false, &[3]);
    assert!(may(&teacher, manage(false)));
    assert!(may(&teacher, share(false)));
    let stranger = actor(Profile::Enseignant, false, &[4]);
    assert!(!may(&stranger, read(false)), "another class's teacher");
    assert!(!may(&stranger, manage(false)));
}
