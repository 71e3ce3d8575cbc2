//! Each class's choice of who may use the services the school offers (the levels and
//! their meaning are the policy's: `policy::openings`). Owns the `class_openings` table:
//! class → the services whose opening its teacher chose; a service not listed follows the
//! school (« élèves et familles » once the director offers it). Part of the directory's
//! snapshot, so that the session layer and the service gates read it without the store.

use std::collections::HashMap;

use crate::policy::openings::{within, Opening, Within};
use crate::policy::{Actor, Granted};
use crate::school::Service;
use crate::store::{Result, Store, Table, Tx};

use super::people::People;

pub const CLASS_OPENINGS: Table<u64, Vec<(Service, Opening)>> = Table::new("class_openings");

/// Every class's choices, as kept in the directory's snapshot.
#[derive(Debug, Clone, Default)]
pub struct Openings {
    by_class: HashMap<u64, Vec<(Service, Opening)>>,
}

impl Openings {
    pub(super) fn read(store: &Store) -> Result<Openings> {
        Ok(Openings {
            by_class: store.scan(&CLASS_OPENINGS)?.into_iter().collect(),
        })
    }

    /// No class has chosen anything: every service the school offers is open to all.
    pub fn is_empty(&self) -> bool {
        self.by_class.is_empty()
    }

    /// What the class's teacher chose for the service, if anything.
    pub fn chosen(&self, class: u64, service: Service) -> Option<Opening> {
        self.by_class
            .get(&class)?
            .iter()
            .find(|(s, _)| *s == service)
            .map(|(_, o)| *o)
    }

    /// Who the class opened the service to: the teacher's choice, otherwise the school's
    /// default. A service the classes do not set (the canteen, the absences) is the
    /// school's alone.
    pub fn of(&self, class: u64, service: Service) -> Opening {
        if !service.per_class() {
            return Opening::Familles;
        }
        self.chosen(class, service).unwrap_or(Opening::Familles)
    }
}

impl People {
    /// The person as `service` sees them (see [`crate::policy::openings::within`]).
    /// A service with a part that is the school's (its blog, news, calendar) is never
    /// closed to anyone by their classes: only the classes' parts are left out.
    pub fn within(&self, actor: &Actor, service: Service) -> Within {
        let w = within(
            actor,
            |class| self.openings.of(class, service),
            |child| self.classes_of(child).to_vec(),
        );
        Within {
            shut_out: w.shut_out && !service.has_school_part(),
            actor: w.actor,
        }
    }

    /// The services closed to this person by their classes' choices (their menu, home
    /// tiles and the services' gates leave them out). Nothing to work out while no class
    /// has chosen.
    pub fn closed_services(&self, actor: &Actor) -> Vec<Service> {
        if self.openings.is_empty() {
            return Vec::new();
        }
        Service::ALL
            .into_iter()
            .filter(|s| s.per_class() && self.within(actor, *s).shut_out)
            .collect()
    }

    /// Whether `user` is told (notified, e-mailed) of what `class` holds in `service`: the
    /// class opened it to people like them. What they could not open, they are not told.
    pub fn told(&self, user: u64, class: u64, service: Service) -> bool {
        self.user(user).is_some_and(|u| {
            crate::policy::openings::opens_to(
                u.profile,
                u.is_director(),
                self.openings.of(class, service),
            )
        })
    }

    /// [`People::told`] about a pupil's item: through any of the pupil's classes.
    pub fn told_about(&self, user: u64, pupil: u64, service: Service) -> bool {
        self.classes_of(pupil)
            .iter()
            .any(|c| self.told(user, *c, service))
    }
}

/// Records the class's choice for a service (`None`: follow the school again), once the
/// policy granted `Action::OpenClassServices`.
pub fn choose(
    tx: &mut Tx<'_>,
    _granted: &Granted,
    class: u64,
    service: Service,
    opening: Option<Opening>,
) -> Result<()> {
    let mut list = tx.get(&CLASS_OPENINGS, &class)?.unwrap_or_default();
    list.retain(|(s, _)| *s != service);
    if let Some(o) = opening {
        list.push((service, o));
        list.sort_by_key(|(s, _)| Service::ALL.iter().position(|x| x == s));
    }
    if list.is_empty() {
        tx.remove(&CLASS_OPENINGS, &class)
    } else {
        tx.put(&CLASS_OPENINGS, &class, &list)
    }
}

/// A deleted class's choices go with it.
pub fn forget_class(tx: &mut Tx<'_>, class: u64) -> Result<()> {
    tx.remove(&CLASS_OPENINGS, &class)
}
