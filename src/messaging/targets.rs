//! Recipients: a person, a class's pupils, parents or teachers, a group, the whole
//! school. Which ones a sender may choose is decided here with the communication rules
//! of the policy; the server checks again what a form sends.

use serde::{Deserialize, Serialize};

use crate::directory::people::People;
use crate::policy::communication::{may_write, may_write_to_whole_school, CommRules};
use crate::policy::Profile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Target {
    User(u64),
    ClassPupils(u64),
    ClassParents(u64),
    ClassTeachers(u64),
    Group(u64),
    School,
}

impl Target {
    /// The value of the target in a form.
    pub fn code(self) -> String {
        match self {
            Target::User(id) => format!("u{id}"),
            Target::ClassPupils(id) => format!("ce{id}"),
            Target::ClassParents(id) => format!("cp{id}"),
            Target::ClassTeachers(id) => format!("cm{id}"),
            Target::Group(id) => format!("g{id}"),
            Target::School => "ecole".into(),
        }
    }

    pub fn parse(text: &str) -> Option<Target> {
        let t = text.trim();
        if t == "ecole" {
            return Some(Target::School);
        }
        let split = t.find(|c: char| c.is_ascii_digit())?;
        let (kind, id) = t.split_at(split);
        let id: u64 = id.parse().ok()?;
        match kind {
            "u" => Some(Target::User(id)),
            "ce" => Some(Target::ClassPupils(id)),
            "cp" => Some(Target::ClassParents(id)),
            "cm" => Some(Target::ClassTeachers(id)),
            "g" => Some(Target::Group(id)),
            _ => None,
        }
    }

    pub fn label(self, people: &People) -> String {
        let class = |id| {
            people
                .class(id)
                .map(|c| c.label.clone())
                .unwrap_or_else(|| "classe supprimée".into())
        };
        match self {
            Target::User(id) => people
                .user(id)
                .map(|u| u.display_name())
                .unwrap_or_else(|| "compte supprimé".into()),
            Target::ClassPupils(id) => format!("Élèves de la classe {}", class(id)),
            Target::ClassParents(id) => format!("Parents de la classe {}", class(id)),
            Target::ClassTeachers(id) => format!("Enseignants de la classe {}", class(id)),
            Target::Group(id) => format!(
                "Groupe {}",
                people
                    .group(id)
                    .map(|g| g.label.clone())
                    .unwrap_or_else(|| "supprimé".into())
            ),
            Target::School => "Toute l'école".into(),
        }
    }

    /// The active people behind a target.
    pub fn expand(self, people: &People) -> Vec<u64> {
        let mut out: Vec<u64> = match self {
            Target::User(id) => vec![id],
            Target::ClassPupils(id) => people.pupils_of_class(id),
            Target::ClassParents(id) => people.parents_of_class(id),
            Target::ClassTeachers(id) => people.teachers_of_class(id),
            Target::Group(id) => people.group_members(id).to_vec(),
            Target::School => people.users.keys().copied().collect(),
        };
        out.retain(|u| people.active(*u));
        out
    }
}

/// What a sender may choose, in picker order: lists first, then people by name.
pub struct Choices {
    pub lists: Vec<(Target, String)>,
    pub people: Vec<(Target, String)>,
}

impl Choices {
    pub fn contains(&self, t: Target) -> bool {
        self.lists.iter().chain(&self.people).any(|(c, _)| *c == t)
    }
}

/// Every target `sender` may write to under `rules`. A list is offered only when the
/// sender may write to every person in it, so that a list never widens the rules.
pub fn choices(people: &People, rules: &CommRules, sender: u64) -> Choices {
    let me = people.party(sender);
    let reachable: std::collections::HashSet<u64> = people
        .users
        .values()
        .filter(|u| !u.disabled && u.id != sender)
        .filter(|u| may_write(rules, &me, &people.party(u.id)))
        .map(|u| u.id)
        .collect();
    let all_reachable = |t: Target| {
        let members = t.expand(people);
        let others: Vec<&u64> = members.iter().filter(|u| **u != sender).collect();
        !others.is_empty() && others.iter().all(|u| reachable.contains(u))
    };
    let mut lists = Vec::new();
    if may_write_to_whole_school(rules, &me) {
        lists.push((Target::School, Target::School.label(people)));
    }
    for c in &people.classes {
        for t in [
            Target::ClassPupils(c.id),
            Target::ClassParents(c.id),
            Target::ClassTeachers(c.id),
        ] {
            if all_reachable(t) {
                lists.push((t, t.label(people)));
            }
        }
    }
    for g in &people.groups {
        let t = Target::Group(g.id);
        if all_reachable(t) {
            lists.push((t, t.label(people)));
        }
    }
    let mut persons: Vec<&crate::directory::User> =
        reachable.iter().filter_map(|u| people.user(*u)).collect();
    persons.sort_by_key(|u| {
        (
            u.profile == Profile::Eleve || u.profile == Profile::Responsable,
            crate::directory::fold(u.shown_last_name()),
            crate::directory::fold(&u.first_name),
        )
    });
    Choices {
        lists,
        people: persons
            .into_iter()
            .map(|u| (Target::User(u.id), people.describe(u.id)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_junk_is_refused() {
        for t in [
            Target::User(12),
            Target::ClassPupils(3),
            Target::ClassParents(3),
            Target::ClassTeachers(4),
            Target::Group(7),
            Target::School,
        ] {
            assert_eq!(Target::parse(&t.code()), Some(t));
        }
        for junk in [
            "",
            "u",
            "x12",
            "u-1",
            "u1a",
            "externe@example.org",
            "u99999999999999999999999",
        ] {
            assert_eq!(Target::parse(junk), None, "{junk}");
        }
    }
}
