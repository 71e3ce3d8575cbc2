//! The permission policy: the one place that answers « may this person do this action
//! on that object ». Every route asks [`may`] (or [`require`]) before it acts; modules add
//! their actions to [`Action`] and their rules to [`may`], with a test of the refusals.

pub mod commune;
pub mod communication;
mod granted;
pub mod openings;
pub mod progress;
pub mod slots;

pub use commune::CommuneAction;
pub use granted::Granted;
pub use progress::ProgressAction;
pub use slots::SlotAction;

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
    /// Choose who may use each service the school offers in a class: its teachers, the
    /// director.
    OpenClassServices { class_id: u64 },
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
    /// See a class's roster: its pupils' logins, account states and guardians (not for
    /// classmates: a login is half of what a guesser needs).
    ViewClassRoster { class_id: u64 },
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
    /// Read, file, trash or erase what a mailbox of the messagerie holds (its entries, its
    /// personal folders): `holder` is the person whose mailbox it is.
    KeepMail { holder: u64 },
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
    /// Read a mot of the carnet: a party to it (its author, a guardian fixed as a signer,
    /// a teacher a family's mot went to), or the director.
    ReadMot { party: bool },
    /// Sign a mot for a child: only a guardian fixed as its signer at publication.
    SignMot { signer: bool },
    /// Follow a school mot up (signatures, reminders, slips, proof, CSV): its author, the
    /// director.
    FollowMot { author: bool, school_mot: bool },
    /// Answer a mot for the school (reply to a family, mark a family's mot read): the
    /// staff on the school side of it only; the director reads, the teacher answers.
    AnswerMot { school_side: bool },
    /// Open a space of the médiathèque.
    ReadMedia { space: SpaceRef },
    /// Add files, folders and links to a space (`pupils_contribute`: the class teacher lets
    /// the pupils deposit in the class space). Adding is not managing what others added:
    /// see [`Action::ManageMediaItem`].
    AddMedia {
        space: SpaceRef,
        pupils_contribute: bool,
    },
    /// Manage every item of a space, whoever added it: the owner of a personal space; in a
    /// class space its teachers and ATSEM and the director; in the staff room the staff; in
    /// a group its adults.
    ManageMediaSpace { space: SpaceRef },
    /// Let the pupils of a class contribute to its space.
    ManageClassSpace { class_id: u64 },
    /// Set the médiathèque's quotas and see its disk usage.
    ManageMedia,
    /// See an item of the médiathèque (or open a folder): through its space, or a share on
    /// it or on a folder above it (`shared`).
    ReadMediaItem { space: SpaceRef, shared: bool },
    /// Add into a folder of a space (or its root): who may add to the space, or holds a
    /// share « lecture et ajout » on that folder or one above it (`shared_contribute`).
    AddMediaItem {
        space: SpaceRef,
        pupils_contribute: bool,
        shared_contribute: bool,
    },
    /// Rename, move, copy, trash or restore an item: who manages its space; otherwise only
    /// who added it (`own`: the item, and all a folder holds, are theirs) while they may
    /// still add there (a pupil while the class lets pupils deposit, the holder of a share
    /// « lecture et ajout »). A right to add never reaches what others added.
    ManageMediaItem {
        space: SpaceRef,
        pupils_contribute: bool,
        shared_contribute: bool,
        own: bool,
    },
    /// Share an item or withdraw a share: who manages its space, or who added it (`own`),
    /// for reading. A share « lecture et ajout » (`contribute`) lets others add to the
    /// space: only who manages the space gives it.
    ShareMediaItem {
        space: SpaceRef,
        own: bool,
        contribute: bool,
    },
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
    /// Write an article in a blog: its runners; the class's pupils while it is open.
    WriteArticle { class_id: Option<u64>, open: bool },
    /// Change an article: the blog's runners; its author while it is a draft or returned.
    EditArticle {
        class_id: Option<u64>,
        own_draft: bool,
    },
    /// Propose an article to the teacher: its author, while it is a draft or returned.
    ProposeArticle { own_draft: bool },
    /// Comment an article one reads (`reads`) in a blog that takes comments (`open`):
    /// pupils, parents, teachers and ATSEM.
    CommentArticle { reads: bool, open: bool },
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
    /// Publish the canteen's menus, configure the périscolaire services, answer changes
    /// asked after the cut-off, see the effectifs and the monthly count: the commune's
    /// staff and the director.
    ManageCanteen,
    /// Sign a pupil up to the canteen and the périscolaire: their guardians only (and who
    /// manages the canteen, for a family without access).
    BookCanteen { pupil_id: u64 },
    /// Take a service's list in the morning (pointage): the périscolaire staff who work in
    /// it (`works_in`), who manages the canteen.
    TakeCanteenRegister { works_in: bool },
    /// See who eats at the canteen today in a class: its teachers, the director.
    SeeCanteenClass { class_id: u64 },
    /// Take or correct the appel of a class, enter its aménagements: its teachers (a
    /// replacement while the delegation runs), the director.
    TakeAppel { class_id: u64 },
    /// See a pupil's absences: their guardians, their class's teachers, the director.
    ViewAbsences {
        pupil_id: u64,
        class_id: Option<u64>,
    },
    /// Declare an absence ahead or give its motif: the pupil's guardians.
    DeclareAbsence { pupil_id: u64 },
    /// Follow the school's attendance (school view, registers, visa, signalements,
    /// calendar): the director.
    FollowAttendance,
    /// Write and publish the canteen's menus: who manages the canteen, and the school
    /// staff they named for it (`named`: an ATSEM, a périscolaire agent).
    EditCanteenMenus { named: bool },
    /// Meetings and resource bookings: the rules live in `slots.rs`.
    Slots(SlotAction),
    /// The commune's space (pages, school buses, requests to the mairie): the rules live
    /// in `commune.rs`.
    Commune(CommuneAction),
    /// The suivi des apprentissages (carnet de suivi): the rules live in `progress.rs`.
    Progress(ProgressAction),
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
        // The adults who look after the class's pupils; a pupil sees classmates' names only.
        Action::ViewClassRoster { class_id } => {
            actor.director
                || (matches!(actor.profile, Profile::Enseignant | Profile::Atsem)
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
        Action::OpenClassServices { class_id } => actor.director || teaches(actor, Some(class_id)),
        Action::ManagePupil { class_id } | Action::WriteMot { class_id } => {
            actor.director || teaches(actor, class_id)
        }
        Action::ManageCommunication | Action::ReadReports => actor.director,
        Action::ModerateClass { class_id } => actor.director || teaches(actor, Some(class_id)),
        // A mailbox is its holder's alone: not even the director reads or files in another's.
        Action::KeepMail { holder } => holder == actor.user_id,
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
        Action::ReadMot { party } => party || actor.director,
        Action::SignMot { signer } => signer,
        Action::FollowMot { author, school_mot } => school_mot && (author || actor.director),
        Action::AnswerMot { school_side } => school_side,
        Action::ReadMedia { space } => match space {
            SpaceRef::Personal(owner) => owner == actor.user_id,
            SpaceRef::Class(c) => actor.director || actor.class_ids.contains(&c),
            SpaceRef::Staff => actor.director || actor.profile.is_staff(),
            SpaceRef::Group(g) => actor.group_ids.contains(&g),
        },
        Action::AddMedia {
            space,
            pupils_contribute,
        } => {
            may(actor, Action::ManageMediaSpace { space })
                || matches!(space, SpaceRef::Class(c) if pupils_contribute
                    && actor.profile == Profile::Eleve
                    && actor.class_ids.contains(&c))
        }
        Action::ManageMediaSpace { space } => match space {
            SpaceRef::Personal(owner) => owner == actor.user_id,
            SpaceRef::Class(c) => {
                actor.director
                    || teaches(actor, Some(c))
                    || (actor.profile == Profile::Atsem && actor.class_ids.contains(&c))
            }
            SpaceRef::Staff => actor.director || actor.profile.is_staff(),
            SpaceRef::Group(g) => {
                actor.group_ids.contains(&g)
                    && (actor.profile.is_staff() || actor.profile == Profile::Intervenant)
            }
        },
        Action::ManageClassSpace { class_id } => actor.director || teaches(actor, Some(class_id)),
        Action::ManageMedia => actor.director,
        // Whoever may write in a space may read it, so the space's reading rule suffices.
        Action::ReadMediaItem { space, shared } => {
            shared || may(actor, Action::ReadMedia { space })
        }
        Action::AddMediaItem {
            space,
            pupils_contribute,
            shared_contribute,
        } => {
            shared_contribute
                || may(
                    actor,
                    Action::AddMedia {
                        space,
                        pupils_contribute,
                    },
                )
        }
        Action::ManageMediaItem {
            space,
            pupils_contribute,
            shared_contribute,
            own,
        } => {
            may(actor, Action::ManageMediaSpace { space })
                || (own
                    && may(
                        actor,
                        Action::AddMediaItem {
                            space,
                            pupils_contribute,
                            shared_contribute,
                        },
                    ))
        }
        Action::ShareMediaItem {
            space,
            own,
            contribute,
        } => may(actor, Action::ManageMediaSpace { space }) || (own && !contribute),
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
        Action::WriteArticle { class_id, open } => {
            actor.director
                || teaches(actor, class_id)
                || (open
                    && actor.profile == Profile::Eleve
                    && class_id.is_some_and(|c| actor.class_ids.contains(&c)))
        }
        Action::EditArticle {
            class_id,
            own_draft,
        } => own_draft || actor.director || teaches(actor, class_id),
        Action::ProposeArticle { own_draft } => own_draft,
        Action::CommentArticle { reads, open } => {
            open && reads
                && matches!(
                    actor.profile,
                    Profile::Eleve | Profile::Responsable | Profile::Enseignant | Profile::Atsem
                )
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
        // The canteen is the commune's: its staff and the director run it.
        Action::ManageCanteen => actor.director || actor.profile == Profile::Commune,
        Action::BookCanteen { pupil_id } => {
            actor.children.contains(&pupil_id) || may(actor, Action::ManageCanteen)
        }
        Action::TakeCanteenRegister { works_in } => {
            (works_in && actor.profile == Profile::Periscolaire)
                || may(actor, Action::ManageCanteen)
        }
        Action::SeeCanteenClass { class_id } => actor.director || teaches(actor, Some(class_id)),
        // Registre d'appel: pupils see nothing of it; parents only their children.
        Action::TakeAppel { class_id } => actor.director || teaches(actor, Some(class_id)),
        Action::ViewAbsences { pupil_id, class_id } => {
            actor.director || actor.children.contains(&pupil_id) || teaches(actor, class_id)
        }
        Action::DeclareAbsence { pupil_id } => actor.children.contains(&pupil_id),
        Action::FollowAttendance => actor.director,
        Action::EditCanteenMenus { named } => {
            may(actor, Action::ManageCanteen)
                || (named && matches!(actor.profile, Profile::Atsem | Profile::Periscolaire))
        }
        Action::Slots(a) => slots::may(actor, a),
        Action::Commune(a) => commune::may(actor, a),
        Action::Progress(a) => progress::may(actor, a),
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

/// [`may`] as a `Result`, for `?` in handlers: the proof that the action was granted, which
/// the feature's mutations take (a forgotten check does not compile).
pub fn require(actor: &Actor, action: Action) -> Result<Granted, Forbidden> {
    if may(actor, action) {
        Ok(Granted {
            action,
            by: actor.user_id,
            object: (),
        })
    } else {
        Err(Forbidden)
    }
}

#[cfg(test)]
mod tests;
