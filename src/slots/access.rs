//! Who may do what with the meetings and the resources: the facts about the person (the
//! children they have in the grid's class, the booking they made) gathered here, the
//! answer asked of the policy (`policy/slots.rs`), the record attached to the proof the
//! mutations take.

use super::meetings::Grid;
use super::resources::{Booking, Resource};
use crate::commune::Presence;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Actor, Forbidden, Granted, Profile, SlotAction};

fn slots(actor: &Actor, action: SlotAction) -> Result<Granted, Forbidden> {
    require(actor, Action::Slots(action))
}

/// A class whose meetings are run.
#[derive(Debug, Clone, Copy)]
pub struct RunClass {
    pub class_id: u64,
}

/// A grid run by this person.
#[derive(Debug, Clone)]
pub struct RunGrid {
    pub grid: Grid,
}

/// A child of the person, in the grid's class.
#[derive(Debug, Clone)]
pub struct ChildInGrid {
    pub grid: Grid,
    pub pupil: u64,
}

/// Opening a grid for a class: its teachers, the director.
pub fn run_class(actor: &Actor, class_id: u64) -> Result<Granted<RunClass>, Forbidden> {
    Ok(slots(actor, SlotAction::RunMeetings { class_id })?.on(RunClass { class_id }))
}

/// The person's children who are pupils of the grid's class.
pub fn children_in(people: &People, actor: &Actor, grid: &Grid) -> Vec<u64> {
    actor
        .children
        .iter()
        .copied()
        .filter(|c| people.classes_of(*c).contains(&grid.class_id))
        .collect()
}

/// Seeing a grid: who runs it, the families of the class.
pub fn see(people: &People, actor: &Actor, grid: &Grid) -> Result<Granted<Grid>, Forbidden> {
    let family_in_class = !children_in(people, actor, grid).is_empty();
    Ok(slots(
        actor,
        SlotAction::SeeMeetings {
            class_id: grid.class_id,
            family_in_class,
        },
    )?
    .on(grid.clone()))
}

/// Running a grid (blocking, moving, cancelling, the day sheet).
pub fn run(actor: &Actor, grid: &Grid) -> Result<Granted<RunGrid>, Forbidden> {
    Ok(slots(
        actor,
        SlotAction::RunMeetings {
            class_id: grid.class_id,
        },
    )?
    .on(RunGrid { grid: grid.clone() }))
}

/// Booking for one child: a guardian of that child, a pupil of the grid's class. Asked
/// first for any child of the person in the class (before the form is read), then for the
/// child the form names.
pub fn child(
    people: &People,
    actor: &Actor,
    grid: &Grid,
    pupil: Option<u64>,
) -> Result<Granted<ChildInGrid>, Forbidden> {
    let mine = children_in(people, actor, grid);
    let pupil = match pupil {
        Some(p) => p,
        None => mine.first().copied().unwrap_or(0),
    };
    Ok(slots(
        actor,
        SlotAction::BookMeeting {
            pupil_id: pupil,
            in_class: mine.contains(&pupil),
        },
    )?
    .on(ChildInGrid {
        grid: grid.clone(),
        pupil,
    }))
}

/// The resources, their week and their bookings: the school's staff.
pub fn book_resources(actor: &Actor) -> Result<Granted, Forbidden> {
    slots(actor, SlotAction::BookResources)
}

// Whether the commune has an account of its own (until it has, the director runs its
// resources) is `Presence`: kept beside the directory's snapshot, not a look at every
// account for each resource of the list.

/// Seeing and booking one resource: the staff; a commune's resource once shared with the
/// school, or for who runs the commune's resources.
pub fn book(
    presence: Presence,
    actor: &Actor,
    resource: Resource,
) -> Result<Granted<Resource>, Forbidden> {
    Ok(slots(
        actor,
        SlotAction::BookResource {
            commune_owned: resource.commune,
            shared: resource.shared,
            commune_has_account: presence.commune_present,
        },
    )?
    .on(resource))
}

/// Whether the person sees the resource in the list.
pub fn sees(presence: Presence, actor: &Actor, resource: &Resource) -> bool {
    book(presence, actor, resource.clone()).is_ok()
}

/// The commune's resources (create, change, share, validate their requests): the
/// commune's staff, the director while the commune has no account.
pub fn run_commune(presence: Presence, actor: &Actor) -> Result<Granted, Forbidden> {
    slots(
        actor,
        SlotAction::RunCommuneResources {
            commune_has_account: presence.commune_present,
        },
    )
}

/// Who validates the requests of a resource: the directors for the school's, the
/// commune's staff for the commune's (the directors while it has no account).
pub fn deciders(people: &People, resource: &Resource) -> Vec<u64> {
    // A write, not a page: it looks at every account anyway.
    let commune = resource.commune && people.users.values().any(crate::commune::commune_staff);
    people
        .users
        .values()
        .filter(|u| !u.disabled)
        .filter(|u| {
            if commune {
                u.profile == Profile::Commune
            } else {
                u.is_director()
            }
        })
        .map(|u| u.id)
        .collect()
}

/// The resources' settings and the requests' validation: the director.
pub fn run_resources(actor: &Actor) -> Result<Granted, Forbidden> {
    slots(actor, SlotAction::RunResources)
}

/// Cancelling a booking: its author, the director.
pub fn cancel(actor: &Actor, booking: Booking) -> Result<Granted<Booking>, Forbidden> {
    let author = booking.by == actor.user_id;
    Ok(slots(actor, SlotAction::CancelResourceBooking { author })?.on(booking))
}

/// Deciding on a request: the director for the school's resources, the commune for its
/// own.
pub fn decide(
    presence: Presence,
    actor: &Actor,
    resource: &Resource,
    booking: Booking,
) -> Result<Granted<Booking>, Forbidden> {
    Ok(slots(
        actor,
        SlotAction::DecideRequest {
            commune_owned: resource.commune,
            commune_has_account: presence.commune_present,
        },
    )?
    .on(booking))
}

/// Whether the person decides on the requests of this resource.
pub fn decides(presence: Presence, actor: &Actor, resource: &Resource) -> bool {
    slots(
        actor,
        SlotAction::DecideRequest {
            commune_owned: resource.commune,
            commune_has_account: presence.commune_present,
        },
    )
    .is_ok()
}

/// A grid behind a path, or 404.
pub fn grid_or_404(store: &crate::store::Store, id: u64) -> AppResult<Grid> {
    super::meetings::grid(store, id)?.ok_or(AppError::NotFound)
}
