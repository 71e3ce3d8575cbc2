//! The canteen: the commune and the director run it, guardians sign their own children
//! up, the périscolaire staff take the lists of the services they work in.

use super::*;

#[test]
fn only_the_commune_and_the_director_run_the_canteen() {
    assert!(may(
        &actor(Profile::Commune, false, &[]),
        Action::ManageCanteen
    ));
    assert!(may(
        &actor(Profile::Enseignant, true, &[]),
        Action::ManageCanteen
    ));
    for p in Profile::ALL.into_iter().filter(|p| *p != Profile::Commune) {
        assert!(!may(&actor(p, false, &[3]), Action::ManageCanteen), "{p:?}");
    }
}

#[test]
fn a_guardian_signs_up_their_own_children_only() {
    let book = Action::BookCanteen { pupil_id: 50 };
    let mut parent = actor(Profile::Responsable, false, &[]);
    assert!(!may(&parent, book), "another family's child");
    parent.children = vec![50];
    assert!(may(&parent, book));
    assert!(may(&actor(Profile::Commune, false, &[]), book));
    let mut pupil = actor(Profile::Eleve, false, &[3]);
    pupil.user_id = 50;
    assert!(!may(&pupil, book), "the pupil sees the menu only");
    for p in [
        Profile::Enseignant,
        Profile::Atsem,
        Profile::Periscolaire,
        Profile::Intervenant,
        Profile::Conseiller,
        Profile::Invite,
    ] {
        assert!(!may(&actor(p, false, &[3]), book), "{p:?}");
    }
}

#[test]
fn the_morning_list_is_for_the_staff_of_the_service() {
    let theirs = Action::TakeCanteenRegister { works_in: true };
    let other = Action::TakeCanteenRegister { works_in: false };
    assert!(may(&actor(Profile::Periscolaire, false, &[]), theirs));
    assert!(!may(&actor(Profile::Periscolaire, false, &[]), other));
    assert!(may(&actor(Profile::Commune, false, &[]), other));
    assert!(may(&actor(Profile::Enseignant, true, &[]), other));
    for p in [
        Profile::Eleve,
        Profile::Responsable,
        Profile::Enseignant,
        Profile::Atsem,
        Profile::Intervenant,
        Profile::Invite,
    ] {
        assert!(!may(&actor(p, false, &[3]), theirs), "{p:?}");
    }
    let class = Action::SeeCanteenClass { class_id: 3 };
    assert!(may(&actor(Profile::Enseignant, false, &[3]), class));
    assert!(!may(&actor(Profile::Enseignant, false, &[4]), class));
    assert!(!may(&actor(Profile::Eleve, false, &[3]), class));
    assert!(!may(&actor(Profile::Responsable, false, &[3]), class));
}

#[test]
fn the_menus_are_written_by_who_runs_the_canteen_and_the_staff_they_name() {
    let named = Action::EditCanteenMenus { named: true };
    let unnamed = Action::EditCanteenMenus { named: false };
    assert!(may(&actor(Profile::Commune, false, &[]), unnamed));
    assert!(may(&actor(Profile::Enseignant, true, &[]), unnamed));
    for p in [Profile::Atsem, Profile::Periscolaire] {
        assert!(!may(&actor(p, false, &[3]), unnamed), "{p:?} not named");
        assert!(may(&actor(p, false, &[3]), named), "{p:?} named");
    }
    // Naming gives nothing to a parent, a pupil, a teacher: only school staff of the commune.
    for p in [
        Profile::Responsable,
        Profile::Eleve,
        Profile::Enseignant,
        Profile::Intervenant,
    ] {
        assert!(!may(&actor(p, false, &[3]), named), "{p:?}");
    }
    // And a named ATSEM still does not run the canteen.
    assert!(!may(
        &actor(Profile::Atsem, false, &[3]),
        Action::ManageCanteen
    ));
}
