//! Who runs the canteen, signs a child up, takes a service's list: the proofs the pages
//! and the mutations take.

use super::services::{self, PeriService};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Actor, Granted, Profile};
use crate::store::Store;

/// A pupil whose sign-ups are changed.
#[derive(Debug, Clone)]
pub struct Child {
    pub pupil: u64,
}

/// The commune's staff and the director: menus, services, requests, effectifs, counts.
pub fn manage(actor: &Actor) -> AppResult<Granted> {
    Ok(require(actor, Action::ManageCanteen)?)
}

/// The menus: who manages the canteen, and the staff named to write them.
pub fn menus(store: &Store, actor: &Actor) -> AppResult<Granted> {
    let named = super::editors::is_editor(store, actor.user_id)?;
    Ok(require(actor, Action::EditCanteenMenus { named })?)
}

/// A pupil's sign-ups: their guardians (and who runs the canteen). Anything but a pupil
/// is not found.
pub fn child(people: &People, actor: &Actor, pupil: u64) -> AppResult<Granted<Child>> {
    let user = people.user(pupil).ok_or(AppError::NotFound)?;
    if user.profile != Profile::Eleve {
        return Err(AppError::NotFound);
    }
    Ok(require(actor, Action::BookCanteen { pupil_id: pupil })?.on(Child { pupil }))
}

/// A service's lists and pointage: the périscolaire staff who work in it, who runs the
/// canteen.
pub fn staff(store: &Store, actor: &Actor, id: u64) -> AppResult<Granted<PeriService>> {
    let s = services::service(store, id)?.ok_or(AppError::NotFound)?;
    let works_in = s.staff.contains(&actor.user_id);
    Ok(require(actor, Action::TakeCanteenRegister { works_in })?.on(s))
}

/// The services whose lists this person takes.
pub fn my_services(store: &Store, actor: &Actor) -> AppResult<Vec<PeriService>> {
    let all = services::services(store)?;
    if crate::policy::may(actor, Action::ManageCanteen) {
        return Ok(all);
    }
    Ok(all
        .into_iter()
        .filter(|s| {
            crate::policy::may(
                actor,
                Action::TakeCanteenRegister {
                    works_in: s.staff.contains(&actor.user_id),
                },
            )
        })
        .collect())
}

/// The commune's staff and the directors, told of a request made after the cut-off.
pub fn managers(people: &People) -> Vec<u64> {
    people
        .users
        .values()
        .filter(|u| u.profile == Profile::Commune || u.is_director())
        .map(|u| u.id)
        .collect()
}
