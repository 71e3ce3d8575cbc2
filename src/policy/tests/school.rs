//! The school's administration and one's account: the director's console, accounts,
//! communication settings, one's own mailbox and account, profile slugs.

use super::*;

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
fn communication_settings_and_reports_are_the_directors() {
    for a in [Action::ManageCommunication, Action::ReadReports] {
        assert!(may(&actor(Profile::Enseignant, true, &[]), a));
        for p in Profile::ALL {
            assert!(!may(&actor(p, false, &[1]), a), "{p:?} {a:?}");
        }
    }
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
