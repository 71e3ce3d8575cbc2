//! Who may do what with a mot: the facts about the person and the mot (author, signer,
//! recipient, director) gathered here, the answer asked of the policy, and the mot
//! attached to the proof that the mutations of `super` take.

use super::{Audience, Direction, Mot};
use crate::directory::people::People;
use crate::policy::{require, Action, Actor, Forbidden, Granted, Profile};

/// Which side of the exchange a reader is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The author of a school mot, a recipient of a family's, or the director.
    Staff,
    /// A guardian expected to sign, or the author of a family's mot.
    Family,
}

/// A mot as one of its readers sees it.
#[derive(Debug, Clone)]
pub struct Reading {
    pub mot: Mot,
    pub side: Side,
}

/// The side this person reads the mot from; `None` for a stranger to it.
fn side(actor: &Actor, m: &Mot) -> Option<Side> {
    let me = actor.user_id;
    if m.staff_side(me) || (actor.director && m.is_school()) {
        Some(Side::Staff)
    } else if m.is_signer(me) || (!m.is_school() && m.author == me) {
        Some(Side::Family)
    } else if actor.director {
        Some(Side::Staff)
    } else {
        None
    }
}

/// Whether this person is a party to the mot: its author, a guardian fixed as a signer,
/// a teacher a family's mot went to.
fn party(actor: &Actor, m: &Mot) -> bool {
    let me = actor.user_id;
    m.author == me || m.staff_side(me) || m.is_signer(me)
}

/// Reading a mot: its parties, the director.
pub fn read(actor: &Actor, mot: Mot) -> Result<Granted<Reading>, Forbidden> {
    let (granted, side) = reading_side(actor, &mot)?;
    Ok(granted.on(Reading { mot, side }))
}

/// The side this person may read the mot from, asked of the mot where it lies: the
/// search goes through many mots a person may not read, and copied each before asking.
pub fn reading_side(actor: &Actor, mot: &Mot) -> Result<(Granted, Side), Forbidden> {
    let granted = require(
        actor,
        Action::ReadMot {
            party: party(actor, mot),
        },
    )?;
    let side = side(actor, mot).ok_or(Forbidden)?;
    Ok((granted, side))
}

/// Following a school mot up (table, reminders, slips, proof, CSV): its author, the
/// director.
pub fn follow(actor: &Actor, mot: Mot) -> Result<Granted<Mot>, Forbidden> {
    let granted = require(
        actor,
        Action::FollowMot {
            author: mot.author == actor.user_id,
            school_mot: mot.is_school(),
        },
    )?;
    Ok(granted.on(mot))
}

/// One guardian's signature for one child.
#[derive(Debug, Clone, Copy)]
pub struct Signing {
    pub mot: u64,
    pub pupil: u64,
}

/// Signing for `pupil`: only the guardians fixed with that child at publication.
pub fn sign(actor: &Actor, mot: &Mot, pupil: u64) -> Result<Granted<Signing>, Forbidden> {
    let signer = mot.signers.contains(&(pupil, actor.user_id));
    let granted = require(actor, Action::SignMot { signer })?;
    Ok(granted.on(Signing { mot: mot.id, pupil }))
}

/// A private exchange of a mot: the family side it belongs to, and who hears of a reply.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub mot: Mot,
    pub guardian: u64,
    pub notify_to: Vec<u64>,
}

/// A reply in one private exchange of the mot. A family replies in its own exchange, to
/// the author of a school mot or to the teachers its own mot went to; the school answers
/// the family `to` (the staff on the school side only: the director reads, the teacher
/// answers), a family that is part of this mot. `None` when the school did not say which
/// family it answers.
pub fn reply(
    actor: &Actor,
    reading: Reading,
    to: Option<u64>,
) -> Result<Option<Granted<Exchange>>, Forbidden> {
    let Reading { mot, side } = reading;
    match side {
        Side::Family => {
            let granted = require(
                actor,
                Action::ReadMot {
                    party: party(actor, &mot),
                },
            )?;
            let notify_to = match &mot.direction {
                Direction::School { .. } => vec![mot.author],
                Direction::Family { to } => to.clone(),
            };
            Ok(Some(granted.on(Exchange {
                mot,
                guardian: actor.user_id,
                notify_to,
            })))
        }
        Side::Staff => {
            let granted = require(
                actor,
                Action::AnswerMot {
                    school_side: mot.staff_side(actor.user_id),
                },
            )?;
            let Some(guardian) = to else {
                return Ok(None);
            };
            if !(mot.is_signer(guardian) || (!mot.is_school() && mot.author == guardian)) {
                return Err(Forbidden);
            }
            Ok(Some(granted.on(Exchange {
                mot,
                guardian,
                notify_to: vec![guardian],
            })))
        }
    }
}

/// Marking a family's mot read: the teachers it went to.
pub fn receive(actor: &Actor, mot: Mot) -> Result<Granted<Mot>, Forbidden> {
    let granted = require(
        actor,
        Action::AnswerMot {
            school_side: !mot.is_school() && mot.staff_side(actor.user_id),
        },
    )?;
    Ok(granted.on(mot))
}

/// Whether this person writes mots to families at all (a teacher of a class, the
/// director): the new-mot page and the link to it.
pub fn writes_mots(actor: &Actor) -> bool {
    require(actor, Action::WriteMot { class_id: None }).is_ok()
        || actor
            .class_ids
            .iter()
            .any(|c| require(actor, Action::WriteMot { class_id: Some(*c) }).is_ok())
}

/// Writing to one audience, asked of the policy target by target; a class, group or pupil
/// that does not exist is refused like a forbidden one.
pub fn address(actor: &Actor, people: &People, a: Audience) -> Result<Granted, Forbidden> {
    match a {
        Audience::School => require(actor, Action::WriteMot { class_id: None }),
        Audience::Class(c) => {
            people.class(c).ok_or(Forbidden)?;
            require(actor, Action::WriteMot { class_id: Some(c) })
        }
        Audience::Group(g) => {
            people.group(g).ok_or(Forbidden)?;
            require(actor, Action::WriteMotToGroup { group_id: g })
        }
        Audience::Pupil(p) => {
            if people.user(p).is_none_or(|u| u.profile != Profile::Eleve) {
                return Err(Forbidden);
            }
            // The director (a mot to the whole school), or a teacher of one of the pupil's
            // classes.
            require(actor, Action::WriteMot { class_id: None }).or_else(|_| {
                people
                    .classes_of(p)
                    .iter()
                    .find_map(|c| require(actor, Action::WriteMot { class_id: Some(*c) }).ok())
                    .ok_or(Forbidden)
            })
        }
    }
}

/// Publishing to every one of `chosen` (none may be refused, and there is at least one).
pub fn publish_to(
    actor: &Actor,
    people: &People,
    chosen: Vec<Audience>,
) -> Result<Granted<Vec<Audience>>, Forbidden> {
    let mut last = None;
    for a in &chosen {
        last = Some(address(actor, people, *a)?);
    }
    Ok(last.ok_or(Forbidden)?.on(chosen))
}

/// A family's mot about `pupil` to the pupil's teachers: the pupil's guardians.
pub fn write_from_family(actor: &Actor, pupil: u64) -> Result<Granted<u64>, Forbidden> {
    Ok(require(actor, Action::WriteFamilyMot { pupil_id: pupil })?.on(pupil))
}

/// The children this guardian may write about.
pub fn family_children(actor: &Actor) -> Vec<u64> {
    actor
        .children
        .iter()
        .copied()
        .filter(|c| write_from_family(actor, *c).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: u64, profile: Profile, director: bool) -> Actor {
        Actor {
            user_id: id,
            profile,
            director,
            class_ids: vec![1],
            children: Vec::new(),
            group_ids: Vec::new(),
        }
    }

    fn school_mot() -> Mot {
        Mot {
            id: 7,
            author: 1,
            at: 0,
            direction: Direction::School {
                audience: vec![Audience::Class(1)],
            },
            title: "Sortie".into(),
            body: String::new(),
            question: None,
            deadline: None,
            attachments: Vec::new(),
            pupils: vec![50],
            signers: vec![(50, 2)],
            reminders: Vec::new(),
            read_by_staff: None,
        }
    }

    #[test]
    fn a_mot_is_read_by_its_parties_and_the_director_only() {
        let m = school_mot();
        let author = actor(1, Profile::Enseignant, false);
        let guardian = actor(2, Profile::Responsable, false);
        let other_parent = actor(3, Profile::Responsable, false);
        let colleague = actor(4, Profile::Enseignant, false);
        let director = actor(5, Profile::Enseignant, true);
        assert_eq!(
            read(&author, m.clone()).map(|g| g.object().side).ok(),
            Some(Side::Staff)
        );
        assert_eq!(
            read(&guardian, m.clone()).map(|g| g.object().side).ok(),
            Some(Side::Family)
        );
        assert_eq!(
            read(&director, m.clone()).map(|g| g.object().side).ok(),
            Some(Side::Staff)
        );
        assert!(read(&other_parent, m.clone()).is_err());
        assert!(read(&colleague, m.clone()).is_err());
        assert!(follow(&author, m.clone()).is_ok() && follow(&director, m.clone()).is_ok());
        assert!(follow(&guardian, m.clone()).is_err() && follow(&colleague, m.clone()).is_err());
        assert!(sign(&guardian, &m, 50).is_ok());
        assert!(sign(&guardian, &m, 51).is_err() && sign(&director, &m, 50).is_err());
        let staff = |m: &Mot| Reading {
            mot: m.clone(),
            side: Side::Staff,
        };
        assert!(reply(&author, staff(&m), Some(2)).is_ok_and(|g| g.is_some()));
        assert!(reply(&author, staff(&m), Some(3)).is_err());
        assert!(reply(&director, staff(&m), Some(2)).is_err());
        assert!(
            receive(&author, m).is_err(),
            "only a family's mot is marked read"
        );
    }
}
