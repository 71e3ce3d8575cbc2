//! The slot engine: a class's teachers and the director run its meetings, its families
//! book for their own children only; the staff book resources, the director runs them.

use super::*;

fn slots(a: &Actor, action: SlotAction) -> bool {
    may(a, Action::Slots(action))
}

#[test]
fn a_grid_is_run_by_the_class_teachers_and_the_director_only() {
    let run = SlotAction::RunMeetings { class_id: 3 };
    assert!(slots(&actor(Profile::Enseignant, false, &[3]), run));
    assert!(slots(&actor(Profile::Enseignant, true, &[]), run));
    assert!(
        !slots(&actor(Profile::Enseignant, false, &[4]), run),
        "another class's teacher"
    );
    for p in Profile::ALL
        .into_iter()
        .filter(|p| *p != Profile::Enseignant)
    {
        assert!(!slots(&actor(p, false, &[3]), run), "{p:?}");
    }
}

#[test]
fn a_grid_is_seen_by_the_families_of_the_class_and_not_by_pupils_or_other_staff() {
    let see = |family| SlotAction::SeeMeetings {
        class_id: 3,
        family_in_class: family,
    };
    assert!(slots(&actor(Profile::Responsable, false, &[]), see(true)));
    assert!(
        !slots(&actor(Profile::Responsable, false, &[]), see(false)),
        "a family of another class"
    );
    for p in [
        Profile::Eleve,
        Profile::Atsem,
        Profile::Periscolaire,
        Profile::Commune,
        Profile::Intervenant,
        Profile::Conseiller,
        Profile::Invite,
    ] {
        assert!(!slots(&actor(p, false, &[3]), see(true)), "{p:?}");
    }
}

#[test]
fn a_meeting_is_booked_by_the_childs_guardian_for_a_child_of_the_class() {
    let mut parent = actor(Profile::Responsable, false, &[]);
    let book = |in_class| SlotAction::BookMeeting {
        pupil_id: 50,
        in_class,
    };
    assert!(!slots(&parent, book(true)), "another family's child");
    parent.children = vec![50];
    assert!(slots(&parent, book(true)));
    assert!(
        !slots(&parent, book(false)),
        "the child is not in the grid's class"
    );
    assert!(
        !slots(&actor(Profile::Enseignant, true, &[3]), book(true)),
        "not even the director books for a family"
    );
    let mut pupil = actor(Profile::Eleve, false, &[3]);
    pupil.user_id = 50;
    assert!(!slots(&pupil, book(true)));
}

#[test]
fn resources_are_booked_by_the_staff_and_run_by_the_director() {
    for p in [
        Profile::Enseignant,
        Profile::Atsem,
        Profile::Periscolaire,
        Profile::Commune,
    ] {
        assert!(
            slots(&actor(p, false, &[]), SlotAction::BookResources),
            "{p:?}"
        );
        assert!(
            !slots(&actor(p, false, &[3]), SlotAction::RunResources),
            "{p:?}"
        );
    }
    for p in [
        Profile::Eleve,
        Profile::Responsable,
        Profile::Intervenant,
        Profile::Conseiller,
        Profile::Invite,
    ] {
        assert!(
            !slots(&actor(p, false, &[3]), SlotAction::BookResources),
            "{p:?}"
        );
    }
    assert!(slots(
        &actor(Profile::Enseignant, true, &[]),
        SlotAction::RunResources
    ));
}

#[test]
fn a_resource_booking_is_cancelled_by_its_author_or_the_director() {
    let cancel = |author| SlotAction::CancelResourceBooking { author };
    assert!(slots(&actor(Profile::Atsem, false, &[]), cancel(true)));
    assert!(!slots(&actor(Profile::Atsem, false, &[]), cancel(false)));
    assert!(!slots(
        &actor(Profile::Enseignant, false, &[3]),
        cancel(false)
    ));
    assert!(slots(&actor(Profile::Enseignant, true, &[]), cancel(false)));
    assert!(
        !slots(&actor(Profile::Responsable, false, &[]), cancel(true)),
        "a parent never holds a booking"
    );
}

#[test]
fn a_communes_resource_is_seen_by_the_school_once_shared_and_run_by_the_commune() {
    let book = |shared, account| SlotAction::BookResource {
        commune_owned: true,
        shared,
        commune_has_account: account,
    };
    let teacher = actor(Profile::Enseignant, false, &[3]);
    let director = actor(Profile::Enseignant, true, &[]);
    let commune = actor(Profile::Commune, false, &[]);
    assert!(!slots(&teacher, book(false, true)), "not shared yet");
    assert!(slots(&teacher, book(true, true)));
    assert!(slots(&commune, book(false, true)), "the commune's own");
    assert!(!slots(&director, book(false, true)));
    assert!(
        slots(&director, book(false, false)),
        "the director runs them while the commune has no account"
    );
    assert!(
        !slots(&actor(Profile::Responsable, false, &[]), book(true, true)),
        "never a family"
    );
    let school = SlotAction::BookResource {
        commune_owned: false,
        shared: false,
        commune_has_account: true,
    };
    assert!(slots(&teacher, school));
}

#[test]
fn a_communes_request_is_decided_by_the_commune_and_a_schools_by_the_director() {
    let decide = |commune_owned, account| SlotAction::DecideRequest {
        commune_owned,
        commune_has_account: account,
    };
    let director = actor(Profile::Enseignant, true, &[]);
    let commune = actor(Profile::Commune, false, &[]);
    assert!(slots(&commune, decide(true, true)));
    assert!(!slots(&director, decide(true, true)), "the commune's call");
    assert!(slots(&director, decide(true, false)));
    assert!(slots(&director, decide(false, true)));
    assert!(!slots(&commune, decide(false, true)), "the school's call");
    assert!(!slots(
        &actor(Profile::Enseignant, false, &[3]),
        decide(true, false)
    ));
    assert!(!slots(
        &actor(Profile::Enseignant, false, &[3]),
        SlotAction::RunCommuneResources {
            commune_has_account: false
        }
    ));
}

#[test]
fn guardians_the_mot_is_for_offer_to_accompany_and_its_author_chooses() {
    let offer = |addressed| SlotAction::OfferToAccompany { addressed };
    let parent = actor(Profile::Responsable, false, &[]);
    assert!(slots(&parent, offer(true)));
    assert!(!slots(&parent, offer(false)), "a mot for another family");
    for p in Profile::ALL
        .into_iter()
        .filter(|p| *p != Profile::Responsable)
    {
        assert!(!slots(&actor(p, false, &[3]), offer(true)), "{p:?}");
    }
    let choose = |author| SlotAction::ChooseVolunteers { author };
    assert!(slots(
        &actor(Profile::Enseignant, false, &[3]),
        choose(true)
    ));
    assert!(!slots(
        &actor(Profile::Enseignant, false, &[3]),
        choose(false)
    ));
    assert!(slots(&actor(Profile::Enseignant, true, &[]), choose(false)));
    assert!(!slots(&parent, choose(false)));
}
