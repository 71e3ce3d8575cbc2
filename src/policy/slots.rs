//! The rules of the slot engine (`/rendez-vous`, `/reservations`): who opens a grid of
//! parent-teacher meetings, who sees it and books in it, who books the school's
//! resources, who runs them and validates the requests. [`super::may`] delegates
//! [`super::Action::Slots`] here.

use super::{teaches, Actor, Profile};

/// An action of the slot engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotAction {
    /// Open a grid of meetings for a class, block its slots, move or cancel its
    /// bookings, print its day sheet: the class's teachers, the director.
    RunMeetings { class_id: u64 },
    /// See a grid of meetings: who runs it, and the families of the class's pupils
    /// (`family_in_class`: a child of the person is in the class).
    SeeMeetings {
        class_id: u64,
        family_in_class: bool,
    },
    /// Book or cancel a meeting for a child: the child's guardians, the child being a
    /// pupil of the grid's class (`in_class`). Not the director nor the teacher: a family
    /// chooses its own time.
    BookMeeting { pupil_id: u64, in_class: bool },
    /// Book the school's resources (salles, matériel, minibus) and see their week: the
    /// adults who work in the school (teachers, ATSEM, périscolaire, the commune).
    BookResources,
    /// Create and change the resources, validate or refuse the requests: the director.
    RunResources,
    /// Cancel a resource booking: its author while they may still book, the director.
    CancelResourceBooking { author: bool },
    /// See and book one resource: who books resources; a commune's resource only once the
    /// commune shares it with the school, or for who runs the commune's resources.
    BookResource {
        commune_owned: bool,
        shared: bool,
        commune_has_account: bool,
    },
    /// Create and change the commune's resources (minibus, salle des fêtes), share them
    /// with the school, validate their requests: the commune's staff, or the director
    /// while the commune has no account.
    RunCommuneResources { commune_has_account: bool },
    /// Validate or refuse a request: the director for the school's resources, who runs
    /// the commune's for the commune's.
    DecideRequest {
        commune_owned: bool,
        commune_has_account: bool,
    },
    /// Offer oneself (or withdraw) as an accompagnateur on a mot asking for volunteers: a
    /// guardian the mot is addressed to (`addressed`: a signer of it).
    OfferToAccompany { addressed: bool },
    /// Confirm the volunteers of a mot, or not retain one: its author, the director.
    ChooseVolunteers { author: bool },
}

/// Whether `actor` may do `action`.
pub fn may(actor: &Actor, action: SlotAction) -> bool {
    match action {
        SlotAction::RunMeetings { class_id } => actor.director || teaches(actor, Some(class_id)),
        SlotAction::SeeMeetings {
            class_id,
            family_in_class,
        } => {
            may(actor, SlotAction::RunMeetings { class_id })
                || (family_in_class && actor.profile == Profile::Responsable)
        }
        SlotAction::BookMeeting { pupil_id, in_class } => {
            in_class && actor.children.contains(&pupil_id)
        }
        SlotAction::BookResources => {
            actor.director
                || matches!(
                    actor.profile,
                    Profile::Enseignant | Profile::Atsem | Profile::Periscolaire | Profile::Commune
                )
        }
        SlotAction::RunResources => actor.director,
        SlotAction::CancelResourceBooking { author } => {
            actor.director || (author && may(actor, SlotAction::BookResources))
        }
        SlotAction::BookResource {
            commune_owned,
            shared,
            commune_has_account,
        } => {
            may(actor, SlotAction::BookResources)
                && (!commune_owned
                    || shared
                    || may(
                        actor,
                        SlotAction::RunCommuneResources {
                            commune_has_account,
                        },
                    ))
        }
        SlotAction::RunCommuneResources {
            commune_has_account,
        } => actor.profile == Profile::Commune || (actor.director && !commune_has_account),
        SlotAction::DecideRequest {
            commune_owned,
            commune_has_account,
        } => {
            if commune_owned {
                may(
                    actor,
                    SlotAction::RunCommuneResources {
                        commune_has_account,
                    },
                )
            } else {
                may(actor, SlotAction::RunResources)
            }
        }
        SlotAction::OfferToAccompany { addressed } => {
            addressed && actor.profile == Profile::Responsable
        }
        SlotAction::ChooseVolunteers { author } => actor.director || author,
    }
}
