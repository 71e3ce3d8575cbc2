//! The permission policy: the one place that answers « may this person do this action
//! on that object ». Every route asks [`may`] (or [`require`]) before it acts; modules add
//! their actions to [`Action`] and their rules to [`may`], with a test of the refusals.

pub mod communication;

use serde::{Deserialize, Serialize};

/// The profile of an account, with its national code (SDET annuaire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    Eleve,
    Responsable,
    Enseignant,
    Atsem,
    Periscolaire,
    Commune,
    Intervenant,
    Conseiller,
    Invite,
}

impl Profile {
    pub const ALL: [Profile; 9] = [
        Profile::Eleve,
        Profile::Responsable,
        Profile::Enseignant,
        Profile::Atsem,
        Profile::Periscolaire,
        Profile::Commune,
        Profile::Intervenant,
        Profile::Conseiller,
        Profile::Invite,
    ];

    /// National profile code (SDET). Staff of the commune (ATSEM, périscolaire, agents)
    /// share National_COL; intervenants and invités have no national profile.
    pub fn national_code(self) -> &'static str {
        match self {
            Profile::Eleve => "National_ELV",
            Profile::Responsable => "National_TUT",
            Profile::Enseignant => "National_ENS",
            Profile::Atsem | Profile::Periscolaire | Profile::Commune => "National_COL",
            Profile::Conseiller => "National_ACA",
            Profile::Intervenant => "Local_INT",
            Profile::Invite => "Local_INV",
        }
    }

    /// Short machine name used in URLs, the CLI and indexes.
    pub fn slug(self) -> &'static str {
        match self {
            Profile::Eleve => "eleve",
            Profile::Responsable => "responsable",
            Profile::Enseignant => "enseignant",
            Profile::Atsem => "atsem",
            Profile::Periscolaire => "periscolaire",
            Profile::Commune => "commune",
            Profile::Intervenant => "intervenant",
            Profile::Conseiller => "conseiller",
            Profile::Invite => "invite",
        }
    }

    pub fn from_slug(text: &str) -> Option<Profile> {
        let t = text.trim().to_lowercase();
        Profile::ALL
            .into_iter()
            .find(|p| p.slug() == t || p.national_code().eq_ignore_ascii_case(&t))
    }

    /// French label for people.
    pub fn label(self) -> &'static str {
        match self {
            Profile::Eleve => "Élève",
            Profile::Responsable => "Responsable légal",
            Profile::Enseignant => "Enseignant",
            Profile::Atsem => "ATSEM",
            Profile::Periscolaire => "Personnel périscolaire",
            Profile::Commune => "Personnel de la commune",
            Profile::Intervenant => "Intervenant",
            Profile::Conseiller => "Conseiller pédagogique / IEN",
            Profile::Invite => "Invité",
        }
    }

    /// Adults working in or for the school (not pupils, parents or guests).
    pub fn is_staff(self) -> bool {
        matches!(
            self,
            Profile::Enseignant
                | Profile::Atsem
                | Profile::Periscolaire
                | Profile::Commune
                | Profile::Conseiller
        )
    }
}

/// The person acting, as the policy needs to see them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: u64,
    pub profile: Profile,
    /// Enseignant with the direction function (directeur / directrice).
    pub director: bool,
    /// Classes the person belongs to (pupil) or teaches (teacher).
    pub class_ids: Vec<u64>,
    /// Pupils this person is a guardian of.
    pub children: Vec<u64>,
    /// Free groups the person belongs to.
    pub group_ids: Vec<u64>,
}

/// A space of the médiathèque.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum SpaceRef {
    /// One person's private space: nobody else opens it, not even the director.
    Personal(u64),
    Class(u64),
    /// The staff room.
    Staff,
    Group(u64),
}

/// What someone wants to do, with the object it concerns.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    /// Open the administration console.
    OpenConsole,
    /// Change the school's identity and settings.
    EditSchool,
    /// Switch services on or off.
    ManageServices,
    /// Create, edit, delete classes.
    ManageClasses,
    /// Create groups and choose their members.
    ManageGroups,
    /// Create accounts, list them.
    ManageAccounts,
    /// Reset another person's password or disable their account.
    AdministerAccount {
        target_user: u64,
        target_is_director: bool,
    },
    /// Read the connection and audit logs.
    ReadLogs,
    /// See a class (its page, its list of pupils).
    ViewClass { class_id: u64 },
    /// Change one's own password, end one's own sessions.
    ManageOwnAccount,
    /// See a pupil's page (identity, class, guardians).
    ViewPupil {
        pupil_id: u64,
        class_id: Option<u64>,
    },
    /// Reset a pupil's password, print the class's login cards.
    ManagePupil { class_id: Option<u64> },
    /// Edit the communication rules, the emergency switches and the messages' purge.
    ManageCommunication,
    /// Read the moderation inbox (reported messages, comments, articles).
    ReadReports,
    /// Hold a class's pupils' messages for approval, approve or refuse them.
    ModerateClass { class_id: u64 },
    /// Write a mot of the carnet de liaison to the families of a class (`Some`), or of a
    /// group or the whole school (`None`).
    WriteMot { class_id: Option<u64> },
    /// Write a mot to the families of a group's pupils.
    WriteMotToGroup { group_id: u64 },
    /// Read the carnet de liaison of a pupil (the exchange between school and family).
    ViewCarnet {
        pupil_id: u64,
        class_id: Option<u64>,
    },
    /// Write a mot from the family about this pupil to the pupil's teachers.
    WriteFamilyMot { pupil_id: u64 },
    /// Open a space of the médiathèque.
    ReadMedia { space: SpaceRef },
    /// Add, rename, move, delete in a space (`pupils_contribute`: the class teacher lets
    /// the pupils add files to the class space).
    WriteMedia {
        space: SpaceRef,
        pupils_contribute: bool,
    },
    /// Let the pupils of a class contribute to its space.
    ManageClassSpace { class_id: u64 },
    /// Set the médiathèque's quotas and see its disk usage.
    ManageMedia,
    /// Write the cahier de textes, give work, lessons and exercises to a class; see its
    /// pupils' hand-ins and results.
    Teach { class_id: u64 },
    /// Publish news: of the school (`class_id` None, not `commune`), of a class, or of the
    /// collectivité (`commune`).
    PublishNews {
        class_id: Option<u64>,
        commune: bool,
    },
    /// Put events in the school calendar (None) or a class's calendar, import .ics files.
    EditCalendar { class_id: Option<u64> },
    /// Run a blog: the school's (None) or a class's; publish, return, moderate comments.
    RunBlog { class_id: Option<u64> },
    /// Record the project-level photo authorisations signed by parents.
    ManagePhotoConsent,
    /// See a pupil's work (homework, hand-ins, feedback): the pupil, their guardians, the
    /// class's teachers and ATSEM, the director, and the périscolaire staff who have the
    /// pupil in their care (a group in common, e.g. the étude du soir).
    ViewPupilWork {
        pupil_id: u64,
        class_id: Option<u64>,
        in_care: bool,
    },
}

/// The answer to « may this actor do that ».
pub fn may(actor: &Actor, action: Action) -> bool {
    match action {
        Action::OpenConsole
        | Action::EditSchool
        | Action::ManageServices
        | Action::ManageClasses
        | Action::ManageGroups
        | Action::ManageAccounts
        | Action::ReadLogs => actor.director,
        // A director may act on any account but their own (they would lock themselves
        // out) and not on another director's (co-direction is settled between them, not
        // by one disabling the other).
        Action::AdministerAccount {
            target_user,
            target_is_director,
        } => actor.director && target_user != actor.user_id && !target_is_director,
        Action::ViewClass { class_id } => {
            actor.director
                || actor.profile == Profile::Conseiller
                || ((actor.profile == Profile::Enseignant
                    || actor.profile == Profile::Eleve
                    || actor.profile == Profile::Atsem)
                    && actor.class_ids.contains(&class_id))
        }
        Action::ManageOwnAccount => true,
        // Need to know (arrêté 2006, art. 4): the director, the pupil's teachers and
        // ATSEM, the pupil's own guardians, the pupil themself.
        Action::ViewPupil { pupil_id, class_id } => {
            actor.director
                || actor.user_id == pupil_id
                || actor.children.contains(&pupil_id)
                || (matches!(actor.profile, Profile::Enseignant | Profile::Atsem)
                    && class_id
                        .map(|c| actor.class_ids.contains(&c))
                        .unwrap_or(false))
        }
        Action::ManagePupil { class_id } | Action::WriteMot { class_id } => {
            actor.director || teaches(actor, class_id)
        }
        Action::ManageCommunication | Action::ReadReports => actor.director,
        Action::ModerateClass { class_id } => actor.director || teaches(actor, Some(class_id)),
        Action::WriteMotToGroup { group_id } => {
            actor.director
                || (actor.profile == Profile::Enseignant && actor.group_ids.contains(&group_id))
        }
        // The carnet is between the school and the family: the pupil's guardians, the
        // class's teachers and the director (not ATSEM, not classmates' parents).
        Action::ViewCarnet { pupil_id, class_id } => {
            actor.director || actor.children.contains(&pupil_id) || teaches(actor, class_id)
        }
        Action::WriteFamilyMot { pupil_id } => actor.children.contains(&pupil_id),
        Action::ReadMedia { space } => match space {
            SpaceRef::Personal(owner) => owner == actor.user_id,
            SpaceRef::Class(c) => actor.director || actor.class_ids.contains(&c),
            SpaceRef::Staff => actor.director || actor.profile.is_staff(),
            SpaceRef::Group(g) => actor.group_ids.contains(&g),
        },
        Action::WriteMedia {
            space,
            pupils_contribute,
        } => match space {
            SpaceRef::Personal(owner) => owner == actor.user_id,
            SpaceRef::Class(c) => {
                actor.director
                    || teaches(actor, Some(c))
                    || (actor.class_ids.contains(&c)
                        && (actor.profile == Profile::Atsem
                            || (pupils_contribute && actor.profile == Profile::Eleve)))
            }
            SpaceRef::Staff => actor.director || actor.profile.is_staff(),
            SpaceRef::Group(g) => {
                actor.group_ids.contains(&g)
                    && (actor.profile.is_staff() || actor.profile == Profile::Intervenant)
            }
        },
        Action::ManageClassSpace { class_id } => actor.director || teaches(actor, Some(class_id)),
        Action::ManageMedia => actor.director,
        Action::Teach { class_id } => actor.director || teaches(actor, Some(class_id)),
        Action::PublishNews { class_id, commune } => {
            if commune {
                actor.director || actor.profile == Profile::Commune
            } else {
                actor.director || teaches(actor, class_id)
            }
        }
        Action::EditCalendar { class_id } | Action::RunBlog { class_id } => {
            actor.director || teaches(actor, class_id)
        }
        Action::ManagePhotoConsent => actor.director,
        Action::ViewPupilWork {
            pupil_id,
            class_id,
            in_care,
        } => {
            actor.director
                || actor.user_id == pupil_id
                || actor.children.contains(&pupil_id)
                || teaches(actor, class_id)
                || (actor.profile == Profile::Atsem
                    && class_id.is_some_and(|c| actor.class_ids.contains(&c)))
                || (actor.profile == Profile::Periscolaire && in_care)
        }
    }
}

/// A teacher (not ATSEM) of that class.
fn teaches(actor: &Actor, class_id: Option<u64>) -> bool {
    actor.profile == Profile::Enseignant
        && class_id
            .map(|c| actor.class_ids.contains(&c))
            .unwrap_or(false)
}

/// Refusal of the policy, rendered as a French 403 page.
#[derive(Debug, thiserror::Error)]
#[error("Vous n'avez pas accès à cette page.")]
pub struct Forbidden;

/// [`may`] as a `Result`, for `?` in handlers.
pub fn require(actor: &Actor, action: Action) -> Result<(), Forbidden> {
    if may(actor, action) {
        Ok(())
    } else {
        Err(Forbidden)
    }
}

#[cfg(test)]
mod tests {
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
}
