//! Who reads what is published: the viewer an audience is checked against, with the
//! classes that opened the service being read to them (`policy::openings`).

use crate::directory::people::People;
use crate::policy::Profile;
use crate::store::{Result, Store};

/// What an audience needs to know of a person: cheap to build for one request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub director: bool,
    pub profile: Profile,
    /// The person's classes and their children's.
    pub classes: Vec<u64>,
    /// The classes whose part of the service being read is closed to this person (set by
    /// [`Viewer::in_service`]): their class blogs, for instance, even when the school may
    /// read them.
    pub shut: Vec<u64>,
}

impl Viewer {
    pub fn of(people: &People, user: u64) -> Option<Viewer> {
        let u = people.user(user)?;
        let mut classes = people.classes_of(user).to_vec();
        for k in people.children_of(user) {
            classes.extend_from_slice(people.classes_of(*k));
        }
        Some(Viewer {
            director: u.is_director(),
            profile: u.profile,
            classes,
            shut: Vec::new(),
        })
    }

    /// The viewer as `service` sees them: only their classes (and their children's) that
    /// opened it to people like them, and the school's classes that did not in `shut`.
    pub fn in_service(mut self, people: &People, service: crate::school::Service) -> Viewer {
        if people.openings.is_empty() {
            return self;
        }
        let (profile, director) = (self.profile, self.director);
        let lets_in = |class: u64| {
            crate::policy::openings::opens_to(profile, director, people.openings.of(class, service))
        };
        self.classes.retain(|c| lets_in(*c));
        self.shut = people
            .classes
            .iter()
            .map(|c| c.id)
            .filter(|c| !lets_in(*c))
            .collect();
        self
    }

    /// Someone without login reading what the school shows on its network (a public
    /// blog): a family's rights, no class.
    pub fn anonymous(people: &People, service: crate::school::Service) -> Viewer {
        Viewer {
            director: false,
            profile: Profile::Invite,
            classes: Vec::new(),
            shut: Vec::new(),
        }
        .in_service(people, service)
    }

    /// From the signed-in person (their classes are known; their children's are read).
    pub fn of_actor(store: &Store, actor: &crate::policy::Actor) -> Result<Viewer> {
        let mut classes = actor.class_ids.clone();
        for k in &actor.children {
            classes.extend(crate::directory::classes_of(store, *k)?);
        }
        Ok(Viewer {
            director: actor.director,
            profile: actor.profile,
            classes,
            shut: Vec::new(),
        })
    }
}
