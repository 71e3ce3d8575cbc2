//! Who may write to whom: the communication rules between circles of people (pupils,
//! parents, teachers, direction…), editable by the director, and the emergency switches.
//!
//! A rule says, from one circle to another, « nobody », « the people linked to me » or
//! « everyone ». Two people are linked when they share a class or a group, when one's
//! child is in the other's class or group, or when one is the other's child.

use serde::{Deserialize, Serialize};

use super::Profile;

/// A circle of the communication rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Circle {
    Eleves,
    Parents,
    Enseignants,
    Direction,
    Agents,
    Periscolaire,
    Conseillers,
    Intervenants,
    Invites,
}

impl Circle {
    pub const ALL: [Circle; 9] = [
        Circle::Eleves,
        Circle::Parents,
        Circle::Enseignants,
        Circle::Direction,
        Circle::Agents,
        Circle::Periscolaire,
        Circle::Conseillers,
        Circle::Intervenants,
        Circle::Invites,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Circle::Eleves => "Élèves",
            Circle::Parents => "Parents",
            Circle::Enseignants => "Enseignants",
            Circle::Direction => "Direction",
            Circle::Agents => "ATSEM et agents",
            Circle::Periscolaire => "Périscolaire",
            Circle::Conseillers => "Conseillers, IEN",
            Circle::Intervenants => "Intervenants",
            Circle::Invites => "Invités",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Circle::Eleves => "eleves",
            Circle::Parents => "parents",
            Circle::Enseignants => "enseignants",
            Circle::Direction => "direction",
            Circle::Agents => "agents",
            Circle::Periscolaire => "periscolaire",
            Circle::Conseillers => "conseillers",
            Circle::Intervenants => "intervenants",
            Circle::Invites => "invites",
        }
    }

    pub fn from_slug(text: &str) -> Option<Circle> {
        Circle::ALL.into_iter().find(|c| c.slug() == text)
    }

    /// The circles of a person: a director is both a teacher and the direction.
    pub fn of(profile: Profile, director: bool) -> Vec<Circle> {
        let base = match profile {
            Profile::Eleve => Circle::Eleves,
            Profile::Responsable => Circle::Parents,
            Profile::Enseignant => Circle::Enseignants,
            Profile::Atsem | Profile::Commune => Circle::Agents,
            Profile::Periscolaire => Circle::Periscolaire,
            Profile::Conseiller => Circle::Conseillers,
            Profile::Intervenant => Circle::Intervenants,
            Profile::Invite => Circle::Invites,
        };
        if director {
            vec![base, Circle::Direction]
        } else {
            vec![base]
        }
    }
}

/// How far one circle may write to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    Nobody,
    Linked,
    Everyone,
}

impl Reach {
    pub const ALL: [Reach; 3] = [Reach::Nobody, Reach::Linked, Reach::Everyone];

    pub fn label(self) -> &'static str {
        match self {
            Reach::Nobody => "Personne",
            Reach::Linked => "Ceux qui les concernent",
            Reach::Everyone => "Tous",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Reach::Nobody => "personne",
            Reach::Linked => "lies",
            Reach::Everyone => "tous",
        }
    }

    pub fn from_slug(text: &str) -> Option<Reach> {
        Reach::ALL.into_iter().find(|r| r.slug() == text)
    }
}

/// The rules and the director's switches, as stored by the messagerie.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CommRules {
    /// (from, to, reach); a pair not listed is `Nobody`.
    pub reach: Vec<(Circle, Circle, Reach)>,
    #[serde(default)]
    pub suspend_pupils: bool,
    #[serde(default)]
    pub suspend_parents: bool,
    #[serde(default)]
    pub suspend_everyone: bool,
    /// « Envoyer à toute l'école » for the direction only.
    #[serde(default = "yes")]
    pub whole_school_direction_only: bool,
}

fn yes() -> bool {
    true
}

impl Default for CommRules {
    /// The defaults of the school: pupils ↔ classmates and teachers; parents ↔ their
    /// children's teachers and the direction, not other parents; staff ↔ everyone;
    /// périscolaire ↔ staff and the parents of the pupils in their care.
    fn default() -> Self {
        use Circle::*;
        use Reach::*;
        let staff = [Enseignants, Direction, Agents, Conseillers];
        let mut reach = vec![
            (Eleves, Eleves, Linked),
            (Eleves, Enseignants, Linked),
            (Eleves, Agents, Linked),
            (Parents, Enseignants, Linked),
            (Parents, Direction, Everyone),
            (Parents, Periscolaire, Linked),
            (Periscolaire, Parents, Linked),
            (Intervenants, Enseignants, Everyone),
            (Intervenants, Direction, Everyone),
            (Invites, Direction, Linked),
            (Invites, Enseignants, Linked),
        ];
        for from in staff {
            for to in Circle::ALL {
                reach.push((from, to, Everyone));
            }
        }
        for to in staff.into_iter().chain([Periscolaire]) {
            reach.push((Periscolaire, to, Everyone));
        }
        CommRules {
            reach,
            suspend_pupils: false,
            suspend_parents: false,
            suspend_everyone: false,
            whole_school_direction_only: true,
        }
    }
}

impl CommRules {
    pub fn get(&self, from: Circle, to: Circle) -> Reach {
        self.reach
            .iter()
            .filter(|(f, t, _)| *f == from && *t == to)
            .map(|(_, _, r)| *r)
            .max()
            .unwrap_or(Reach::Nobody)
    }

    pub fn set(&mut self, from: Circle, to: Circle, reach: Reach) {
        self.reach.retain(|(f, t, _)| !(*f == from && *t == to));
        if reach != Reach::Nobody {
            self.reach.push((from, to, reach));
        }
    }
}

/// A person as the communication rules see them.
#[derive(Debug, Clone, Default)]
pub struct Party {
    pub user_id: u64,
    pub profile: Option<Profile>,
    pub director: bool,
    pub class_ids: Vec<u64>,
    pub group_ids: Vec<u64>,
    pub children: Vec<u64>,
    /// Classes and groups of the person's children.
    pub children_class_ids: Vec<u64>,
    pub children_group_ids: Vec<u64>,
}

fn meet(a: &[u64], b: &[u64]) -> bool {
    a.iter().any(|x| b.contains(x))
}

/// Linked: a class or group in common, a child in the other's class or group, or a child.
pub fn linked(a: &Party, b: &Party) -> bool {
    meet(&a.class_ids, &b.class_ids)
        || meet(&a.group_ids, &b.group_ids)
        || meet(&a.children_class_ids, &b.class_ids)
        || meet(&b.children_class_ids, &a.class_ids)
        || meet(&a.children_group_ids, &b.group_ids)
        || meet(&b.children_group_ids, &a.group_ids)
        || a.children.contains(&b.user_id)
        || b.children.contains(&a.user_id)
}

/// Why a person may not send at all right now (a switch of the director), if so.
pub fn sending_suspended(rules: &CommRules, sender: &Party) -> Option<&'static str> {
    if sender.director {
        return None;
    }
    if rules.suspend_everyone {
        return Some("La direction a suspendu la messagerie pour le moment.");
    }
    match sender.profile {
        Some(Profile::Eleve) if rules.suspend_pupils => {
            Some("La direction a suspendu la messagerie des élèves pour le moment.")
        }
        Some(Profile::Responsable) if rules.suspend_parents => {
            Some("La direction a suspendu la messagerie des parents pour le moment.")
        }
        _ => None,
    }
}

/// May `sender` write to `recipient` (switches included)?
pub fn may_write(rules: &CommRules, sender: &Party, recipient: &Party) -> bool {
    let (Some(from), Some(to)) = (sender.profile, recipient.profile) else {
        return false;
    };
    if sending_suspended(rules, sender).is_some() {
        return false;
    }
    if sender.user_id == recipient.user_id {
        return true;
    }
    let mut best = Reach::Nobody;
    for f in Circle::of(from, sender.director) {
        for t in Circle::of(to, recipient.director) {
            best = best.max(rules.get(f, t));
        }
    }
    match best {
        Reach::Nobody => false,
        Reach::Linked => linked(sender, recipient),
        Reach::Everyone => true,
    }
}

/// May `sender` address the whole school at once?
pub fn may_write_to_whole_school(rules: &CommRules, sender: &Party) -> bool {
    sending_suspended(rules, sender).is_none()
        && (sender.director
            || (!rules.whole_school_direction_only
                && sender.profile.is_some_and(|p| p.is_staff())
                && sender.profile != Some(Profile::Periscolaire)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(id: u64, profile: Profile, classes: &[u64]) -> Party {
        Party {
            user_id: id,
            profile: Some(profile),
            class_ids: classes.to_vec(),
            ..Party::default()
        }
    }

    fn parent_of(id: u64, child: &Party) -> Party {
        Party {
            user_id: id,
            profile: Some(Profile::Responsable),
            children: vec![child.user_id],
            children_class_ids: child.class_ids.clone(),
            children_group_ids: child.group_ids.clone(),
            ..Party::default()
        }
    }

    #[test]
    fn defaults_follow_the_school_rules() {
        let rules = CommRules::default();
        let lou = party(1, Profile::Eleve, &[10]);
        let tom = party(2, Profile::Eleve, &[10]);
        let zoe = party(3, Profile::Eleve, &[11]);
        let teacher = party(4, Profile::Enseignant, &[10]);
        let other_teacher = party(5, Profile::Enseignant, &[11]);
        let mut director = party(6, Profile::Enseignant, &[]);
        director.director = true;
        let marc = parent_of(7, &lou);
        let ines = parent_of(8, &zoe);
        // Pupils: classmates and their teachers only.
        assert!(may_write(&rules, &lou, &tom));
        assert!(may_write(&rules, &lou, &teacher));
        assert!(!may_write(&rules, &lou, &zoe), "a pupil of another class");
        assert!(!may_write(&rules, &lou, &other_teacher));
        assert!(!may_write(&rules, &lou, &marc), "a parent");
        assert!(!may_write(&rules, &lou, &director));
        // Parents: their children's teachers and the direction, not other parents.
        assert!(may_write(&rules, &marc, &teacher));
        assert!(may_write(&rules, &marc, &director));
        assert!(!may_write(&rules, &marc, &other_teacher));
        assert!(!may_write(&rules, &marc, &ines), "parent to parent");
        assert!(!may_write(&rules, &marc, &tom), "another pupil");
        // Staff: everyone.
        for target in [&lou, &zoe, &marc, &ines, &other_teacher, &director] {
            assert!(may_write(&rules, &teacher, target));
        }
        // Périscolaire: staff and the parents of the pupils in their care (a group).
        let mut etude = party(9, Profile::Periscolaire, &[]);
        etude.group_ids = vec![50];
        let mut in_care = party(12, Profile::Eleve, &[10]);
        in_care.group_ids = vec![50];
        let parent_in_care = parent_of(13, &in_care);
        assert!(may_write(&rules, &etude, &teacher));
        assert!(may_write(&rules, &etude, &parent_in_care));
        assert!(!may_write(&rules, &etude, &marc));
        assert!(may_write(&rules, &parent_in_care, &etude));
        assert!(!may_write(&rules, &marc, &etude));
        // Nobody without a profile.
        assert!(!may_write(&rules, &teacher, &Party::default()));
    }

    #[test]
    fn switches_stop_the_senders_they_name() {
        let mut rules = CommRules::default();
        let lou = party(1, Profile::Eleve, &[10]);
        let tom = party(2, Profile::Eleve, &[10]);
        let teacher = party(4, Profile::Enseignant, &[10]);
        let marc = parent_of(7, &lou);
        let mut director = party(6, Profile::Enseignant, &[]);
        director.director = true;
        rules.suspend_pupils = true;
        assert!(!may_write(&rules, &lou, &tom));
        assert!(may_write(&rules, &marc, &teacher));
        rules.suspend_pupils = false;
        rules.suspend_parents = true;
        assert!(!may_write(&rules, &marc, &teacher));
        assert!(may_write(&rules, &lou, &tom));
        rules.suspend_parents = false;
        rules.suspend_everyone = true;
        assert!(!may_write(&rules, &teacher, &lou));
        assert!(
            may_write(&rules, &director, &lou),
            "the direction keeps a voice"
        );
    }

    #[test]
    fn the_whole_school_is_for_the_direction_unless_opened() {
        let mut rules = CommRules::default();
        let teacher = party(4, Profile::Enseignant, &[10]);
        let mut director = party(6, Profile::Enseignant, &[]);
        director.director = true;
        let marc = party(7, Profile::Responsable, &[]);
        assert!(may_write_to_whole_school(&rules, &director));
        assert!(!may_write_to_whole_school(&rules, &teacher));
        rules.whole_school_direction_only = false;
        assert!(may_write_to_whole_school(&rules, &teacher));
        assert!(!may_write_to_whole_school(&rules, &marc));
    }

    #[test]
    fn edited_rules_apply() {
        let mut rules = CommRules::default();
        let lou = party(1, Profile::Eleve, &[10]);
        let marc = parent_of(7, &lou);
        let ines = party(8, Profile::Responsable, &[]);
        rules.set(Circle::Parents, Circle::Parents, Reach::Everyone);
        assert!(may_write(&rules, &marc, &ines));
        rules.set(Circle::Parents, Circle::Parents, Reach::Nobody);
        assert!(!may_write(&rules, &marc, &ines));
        assert_eq!(rules.get(Circle::Parents, Circle::Parents), Reach::Nobody);
    }
}
