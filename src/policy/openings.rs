//! Services per class: for each service the school offers, each class's teacher decides
//! who may use it in their class — nobody yet, its adults, its pupils, its pupils and
//! their families. The levels and what they let each person do live here, with the rest
//! of the policy; the choices themselves are the directory's (`directory::openings`).
//!
//! A person reaches a class's part of a service when the class opened it to people like
//! them; a pupil or a guardian linked to several classes gets the union, child by child
//! ([`within`]): the service's pages see them with only the classes and children that
//! opened it to them, so every rule of the policy that reads their classes follows.

use serde::{Deserialize, Serialize};

use super::{Actor, Profile};

/// Who a class opened a service to, from the narrowest to the widest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Opening {
    /// Closed: the class does not use it (its content is kept, hidden).
    Ferme,
    /// Its teachers and the other adults of the class only (to prepare it).
    Enseignants,
    /// Its pupils too, not the families.
    Eleves,
    /// Its pupils and their families: the school's default for a service it offers.
    Familles,
}

impl Opening {
    pub const ALL: [Opening; 4] = [
        Opening::Ferme,
        Opening::Enseignants,
        Opening::Eleves,
        Opening::Familles,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Opening::Ferme => "ferme",
            Opening::Enseignants => "enseignants",
            Opening::Eleves => "eleves",
            Opening::Familles => "familles",
        }
    }

    pub fn from_slug(text: &str) -> Option<Opening> {
        Opening::ALL.into_iter().find(|o| o.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Opening::Ferme => "Fermé",
            Opening::Enseignants => "Enseignants seulement",
            Opening::Eleves => "Élèves",
            Opening::Familles => "Élèves et familles",
        }
    }

    /// Who that is, in words for the teacher choosing.
    pub fn meaning(self) -> &'static str {
        match self {
            Opening::Ferme => "personne dans la classe ; ce qui existe est gardé, caché",
            Opening::Enseignants => "les adultes de la classe, pour préparer",
            Opening::Eleves => "les élèves de la classe, pas encore les familles",
            Opening::Familles => "les élèves et leurs familles",
        }
    }
}

/// Whether a class's service opened at `opening` lets this person in. The director always
/// (they answer for the school and can reopen it); a pupil from « élèves »; a guardian or a
/// guest only from « élèves et familles »; the other adults from « enseignants ».
pub fn opens_to(profile: Profile, director: bool, opening: Opening) -> bool {
    if director {
        return true;
    }
    let needed = match profile {
        Profile::Eleve => Opening::Eleves,
        Profile::Responsable | Profile::Invite => Opening::Familles,
        Profile::Enseignant
        | Profile::Atsem
        | Profile::Periscolaire
        | Profile::Commune
        | Profile::Intervenant
        | Profile::Conseiller => Opening::Enseignants,
    };
    opening >= needed
}

/// The person as one service sees them: only their classes that opened it to them, only
/// their children one of whose classes opened it to families. `shut_out` when a pupil or
/// a guardian had classes (or children) and none of them opened it: the service is closed
/// to them. Staff keep the school-wide parts of a service, so they are never shut out.
pub struct Within {
    pub actor: Actor,
    pub shut_out: bool,
}

/// [`Within`] for `actor`: `opening(class)` is the class's choice for the service,
/// `classes_of(child)` a child's classes.
pub fn within(
    actor: &Actor,
    opening: impl Fn(u64) -> Opening,
    classes_of: impl Fn(u64) -> Vec<u64>,
) -> Within {
    let mut narrowed = actor.clone();
    if actor.director {
        return Within {
            actor: narrowed,
            shut_out: false,
        };
    }
    let lets_in = |class: u64| opens_to(actor.profile, false, opening(class));
    narrowed.class_ids.retain(|c| lets_in(*c));
    narrowed
        .children
        .retain(|child| classes_of(*child).into_iter().any(&lets_in));
    let bound = matches!(actor.profile, Profile::Eleve | Profile::Responsable);
    let had = !actor.class_ids.is_empty() || !actor.children.is_empty();
    let has = !narrowed.class_ids.is_empty() || !narrowed.children.is_empty();
    Within {
        actor: narrowed,
        shut_out: bound && had && !has,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(profile: Profile, classes: &[u64], children: &[u64]) -> Actor {
        Actor {
            user_id: 9,
            profile,
            director: false,
            class_ids: classes.to_vec(),
            children: children.to_vec(),
            group_ids: Vec::new(),
        }
    }

    /// Class 1 opened to pupils only, class 2 to families, class 3 to its adults, 4 closed.
    fn opening(class: u64) -> Opening {
        match class {
            1 => Opening::Eleves,
            2 => Opening::Familles,
            3 => Opening::Enseignants,
            _ => Opening::Ferme,
        }
    }

    /// Child 10 is in class 1, child 20 in class 2, child 30 in classes 3 and 2.
    fn classes_of(child: u64) -> Vec<u64> {
        match child {
            10 => vec![1],
            20 => vec![2],
            30 => vec![3, 2],
            _ => Vec::new(),
        }
    }

    #[test]
    fn each_level_lets_in_whom_it_names() {
        use Opening::*;
        let who = [
            (Profile::Eleve, [false, false, true, true]),
            (Profile::Responsable, [false, false, false, true]),
            (Profile::Invite, [false, false, false, true]),
            (Profile::Enseignant, [false, true, true, true]),
            (Profile::Atsem, [false, true, true, true]),
        ];
        for (profile, expected) in who {
            for (o, e) in [Ferme, Enseignants, Eleves, Familles]
                .into_iter()
                .zip(expected)
            {
                assert_eq!(opens_to(profile, false, o), e, "{profile:?} {o:?}");
            }
        }
        assert!(opens_to(Profile::Enseignant, true, Ferme), "the director");
    }

    #[test]
    fn a_guardian_keeps_the_children_whose_class_opened_it_to_families() {
        let parent = person(Profile::Responsable, &[], &[10, 20, 30]);
        let w = within(&parent, opening, classes_of);
        assert_eq!(w.actor.children, vec![20, 30]);
        assert!(!w.shut_out);
        let only_first = person(Profile::Responsable, &[], &[10]);
        assert!(within(&only_first, opening, classes_of).shut_out);
    }

    #[test]
    fn a_pupil_is_shut_out_below_pupils_and_adults_keep_the_school() {
        assert!(!within(&person(Profile::Eleve, &[1], &[]), opening, classes_of).shut_out);
        assert!(within(&person(Profile::Eleve, &[3], &[]), opening, classes_of).shut_out);
        let teacher = within(
            &person(Profile::Enseignant, &[3, 4], &[]),
            opening,
            classes_of,
        );
        assert_eq!(teacher.actor.class_ids, vec![3]);
        let closed = within(&person(Profile::Enseignant, &[4], &[]), opening, classes_of);
        assert!(closed.actor.class_ids.is_empty() && !closed.shut_out);
        // A guardian without any child linked yet still reads what the school publishes.
        assert!(!within(&person(Profile::Responsable, &[], &[]), opening, classes_of).shut_out);
    }
}
