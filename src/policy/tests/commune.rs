//! The commune's space: the commune runs it (the director only where the commune has no
//! account), families and staff read it, riders are seen by few, requests by their
//! author, the director and the mairie.

use super::*;

fn commune(a: &Actor, action: CommuneAction) -> bool {
    may(a, Action::Commune(action))
}

#[test]
fn the_space_is_read_by_families_and_staff_not_by_pupils_or_guests() {
    for p in [
        Profile::Responsable,
        Profile::Enseignant,
        Profile::Atsem,
        Profile::Periscolaire,
        Profile::Commune,
    ] {
        assert!(commune(&actor(p, false, &[]), CommuneAction::Read), "{p:?}");
    }
    for p in [
        Profile::Eleve,
        Profile::Intervenant,
        Profile::Conseiller,
        Profile::Invite,
    ] {
        assert!(
            !commune(&actor(p, false, &[3]), CommuneAction::Read),
            "{p:?}"
        );
    }
}

#[test]
fn the_commune_runs_the_space_and_the_director_only_without_a_commune_account() {
    let run = |present| CommuneAction::Run {
        commune_present: present,
    };
    assert!(commune(&actor(Profile::Commune, false, &[]), run(true)));
    assert!(commune(&actor(Profile::Commune, false, &[]), run(false)));
    let director = actor(Profile::Enseignant, true, &[]);
    assert!(commune(&director, run(false)), "no commune account");
    assert!(
        !commune(&director, run(true)),
        "the mairie has its own account: the director leaves it its space"
    );
    for p in Profile::ALL.into_iter().filter(|p| *p != Profile::Commune) {
        assert!(!commune(&actor(p, false, &[3]), run(false)), "{p:?}");
    }
}

#[test]
fn a_rider_is_seen_by_the_commune_the_director_the_class_teacher_and_the_family_only() {
    let see = |teaches_pupil| CommuneAction::SeeRider {
        pupil_id: 50,
        teaches_pupil,
        commune_present: true,
    };
    assert!(commune(&actor(Profile::Commune, false, &[]), see(false)));
    assert!(commune(&actor(Profile::Enseignant, true, &[]), see(false)));
    assert!(commune(&actor(Profile::Enseignant, false, &[3]), see(true)));
    assert!(
        !commune(&actor(Profile::Enseignant, false, &[4]), see(false)),
        "a teacher of another class"
    );
    let mut parent = actor(Profile::Responsable, false, &[]);
    assert!(!commune(&parent, see(false)), "another family");
    parent.children = vec![50];
    assert!(commune(&parent, see(false)));
    for p in [Profile::Atsem, Profile::Periscolaire, Profile::Eleve] {
        assert!(!commune(&actor(p, false, &[3]), see(true)), "{p:?}");
    }
}

#[test]
fn requests_are_filed_by_the_director_and_teachers_only() {
    assert!(commune(
        &actor(Profile::Enseignant, false, &[3]),
        CommuneAction::FileRequest
    ));
    assert!(commune(
        &actor(Profile::Enseignant, true, &[]),
        CommuneAction::FileRequest
    ));
    for p in Profile::ALL
        .into_iter()
        .filter(|p| *p != Profile::Enseignant)
    {
        assert!(
            !commune(&actor(p, false, &[3]), CommuneAction::FileRequest),
            "{p:?}"
        );
    }
    let list = CommuneAction::ListRequests {
        commune_present: true,
    };
    assert!(commune(&actor(Profile::Commune, false, &[]), list));
    assert!(!commune(&actor(Profile::Atsem, false, &[3]), list));
    assert!(!commune(&actor(Profile::Responsable, false, &[]), list));
}

#[test]
fn a_request_is_seen_by_its_author_the_director_and_the_mairie_not_by_other_teachers() {
    let see = |author| CommuneAction::SeeRequest {
        author,
        commune_present: true,
    };
    assert!(commune(&actor(Profile::Enseignant, false, &[3]), see(true)));
    assert!(
        !commune(&actor(Profile::Enseignant, false, &[3]), see(false)),
        "another teacher's request"
    );
    assert!(commune(&actor(Profile::Enseignant, true, &[]), see(false)));
    assert!(commune(&actor(Profile::Commune, false, &[]), see(false)));
    for p in [
        Profile::Atsem,
        Profile::Periscolaire,
        Profile::Responsable,
        Profile::Eleve,
    ] {
        assert!(!commune(&actor(p, false, &[3]), see(true)), "{p:?}");
    }
}
