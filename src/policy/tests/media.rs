//! The médiathèque: personal, class, staff and group spaces, then items read, added,
//! managed and shared through their space or a share.

use super::*;

#[test]
fn a_personal_space_is_its_owners_only_even_for_the_director() {
    let space = SpaceRef::Personal(10);
    let owner = actor(Profile::Eleve, false, &[3]);
    assert!(may(&owner, Action::ReadMedia { space }));
    assert!(may(
        &owner,
        Action::AddMedia {
            space,
            pupils_contribute: false
        }
    ));
    assert!(may(&owner, Action::ManageMediaSpace { space }));
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
    let write = |c| Action::AddMedia {
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
    assert!(
        !may(&pupil, Action::ManageMediaSpace { space }),
        "adding is not managing"
    );
    assert!(may(&teacher, Action::ManageMediaSpace { space }));
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
        Action::AddMedia {
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
fn a_media_item_is_read_managed_and_shared_through_its_space_or_a_share() {
    let space = SpaceRef::Personal(1);
    let read = |shared| Action::ReadMediaItem { space, shared };
    let add = |shared_contribute| Action::AddMediaItem {
        space,
        pupils_contribute: false,
        shared_contribute,
    };
    let manage = |shared_contribute, own| Action::ManageMediaItem {
        space,
        pupils_contribute: false,
        shared_contribute,
        own,
    };
    let share = |own, contribute| Action::ShareMediaItem {
        space,
        own,
        contribute,
    };
    let outsider = actor(Profile::Responsable, false, &[]);
    assert!(!may(&outsider, read(false)), "no space, no share");
    assert!(may(&outsider, read(true)), "a share opens the item");
    assert!(!may(&outsider, add(false)));
    assert!(
        may(&outsider, add(true)),
        "a share « lecture et ajout » adds"
    );
    // The grantee of a share « lecture et ajout » manages only what they added.
    assert!(!may(&outsider, manage(false, false)));
    assert!(
        !may(&outsider, manage(true, false)),
        "not the owner's items"
    );
    assert!(may(&outsider, manage(true, true)), "their own additions");
    assert!(
        !may(&outsider, manage(false, true)),
        "nor their own once the share is gone"
    );
    assert!(!may(&outsider, share(false, false)), "no re-sharing");
    assert!(!may(&outsider, share(false, true)));
    assert!(may(&outsider, share(true, false)), "their own, to read");
    assert!(
        !may(&outsider, share(true, true)),
        "letting others add to the space is its manager's"
    );
    // The owner of the personal space manages and shares everything in it.
    let mut owner = actor(Profile::Enseignant, false, &[]);
    owner.user_id = 1;
    assert!(may(&owner, manage(false, false)));
    assert!(may(&owner, share(false, true)));
    // Not even the director, holding a share « lecture et ajout ».
    let director = actor(Profile::Enseignant, true, &[]);
    assert!(!may(&director, manage(true, false)));
    assert!(!may(&director, share(false, false)));
}

#[test]
fn pupils_who_deposit_in_the_class_space_manage_only_their_own() {
    let space = SpaceRef::Class(3);
    let manage = |pupils_contribute, own| Action::ManageMediaItem {
        space,
        pupils_contribute,
        shared_contribute: false,
        own,
    };
    let share = |own| Action::ShareMediaItem {
        space,
        own,
        contribute: false,
    };
    let pupil = actor(Profile::Eleve, false, &[3]);
    assert!(
        !may(&pupil, manage(true, false)),
        "the teacher's or a classmate's file"
    );
    assert!(may(&pupil, manage(true, true)), "their own deposit");
    assert!(
        !may(&pupil, manage(false, true)),
        "not once deposits are closed"
    );
    assert!(!may(&pupil, share(false)));
    let other_class = actor(Profile::Eleve, false, &[4]);
    assert!(!may(&other_class, manage(true, true)));
    for staff in [
        actor(Profile::Enseignant, false, &[3]),
        actor(Profile::Atsem, false, &[3]),
        actor(Profile::Enseignant, true, &[]),
    ] {
        assert!(may(&staff, manage(true, false)), "{staff:?}");
        assert!(may(&staff, manage(false, false)), "{staff:?}");
        assert!(may(&staff, share(false)), "{staff:?}");
    }
    let stranger = actor(Profile::Enseignant, false, &[4]);
    assert!(!may(
        &stranger,
        Action::ReadMediaItem {
            space,
            shared: false
        }
    ));
    assert!(!may(&stranger, manage(true, false)));
    assert!(!may(&stranger, share(false)));
}
