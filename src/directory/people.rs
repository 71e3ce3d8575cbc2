//! A read-only picture of the school's people: accounts, classes with their members,
//! groups, family links, delegations. Built once from the directory's tables and kept in
//! memory until one of them changes (see `store::derived`): the session layer and every
//! page that reasons about people (who may I write to, who are the parents of this class)
//! read it without touching the store.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::*;
use crate::policy::communication::Party;

pub struct People {
    pub users: BTreeMap<u64, User>,
    /// Every account's id, sorted by last name then first name (folded).
    pub by_name: Vec<u64>,
    pub classes: Vec<Class>,
    /// Class → (person, role), sorted by name.
    pub class_members: HashMap<u64, Vec<(u64, Membership)>>,
    pub groups: Vec<Group>,
    pub group_members: HashMap<u64, Vec<u64>>,
    /// Person → classes, groups, children.
    pub classes_of: HashMap<u64, Vec<u64>>,
    pub groups_of: HashMap<u64, Vec<u64>>,
    pub children_of: HashMap<u64, Vec<u64>>,
    pub parents_of: HashMap<u64, Vec<u64>>,
    /// Each pupil's level, when known.
    pub levels: HashMap<u64, Level>,
    /// Person → (class, end) of the classes they hold for a while (replacements).
    pub delegations: HashMap<u64, Vec<(u64, i64)>>,
    /// Who each class opened the services to (`directory::openings`).
    pub openings: super::openings::Openings,
    /// Each account's « Prénom Nom » folded (case, accents) once per snapshot, in their
    /// order: the search looks for typed words in them (thousands of accounts at a large
    /// school) and shows the first ones found.
    pub folded_names: crate::ui::search::NameList,
}

impl People {
    /// The snapshot of the directory as it stands: the one in memory, or a new one when a
    /// directory table has changed since it was built.
    pub fn load(store: &Store) -> Result<Arc<People>> {
        store.derived(TABLES, People::read)
    }

    /// Reads the whole directory (what [`People::load`] keeps): one pass over each table.
    fn read(store: &Store) -> Result<People> {
        let users: BTreeMap<u64, User> = store.scan(&USERS)?.into_iter().collect();
        let mut by_name: Vec<u64> = users.keys().copied().collect();
        by_name.sort_by_cached_key(|id| {
            users
                .get(id)
                .map(|u| (fold(u.shown_last_name()), fold(&u.first_name)))
        });
        let rank: HashMap<u64, usize> =
            by_name.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut classes: Vec<Class> = store.scan(&CLASSES)?.into_iter().map(|(_, c)| c).collect();
        classes.sort_by(|a, b| (a.levels.first(), &a.label).cmp(&(b.levels.first(), &b.label)));
        let mut class_members: HashMap<u64, Vec<(u64, Membership)>> = HashMap::new();
        for ((class_id, user_id), role) in store.scan(&CLASS_MEMBERS)? {
            if users.contains_key(&user_id) {
                class_members
                    .entry(class_id)
                    .or_default()
                    .push((user_id, role));
            }
        }
        let mut classes_of: HashMap<u64, Vec<u64>> = HashMap::new();
        for c in &classes {
            let Some(list) = class_members.get_mut(&c.id) else {
                continue;
            };
            list.sort_by_key(|(u, _)| rank.get(u).copied());
            for (u, _) in list.iter() {
                classes_of.entry(*u).or_default().push(c.id);
            }
        }
        let mut groups: Vec<Group> = store.scan(&GROUPS)?.into_iter().map(|(_, g)| g).collect();
        groups.sort_by_cached_key(|g| fold(&g.label));
        let mut group_members: HashMap<u64, Vec<u64>> = HashMap::new();
        for ((group_id, user_id), ()) in store.scan(&GROUP_MEMBERS)? {
            group_members.entry(group_id).or_default().push(user_id);
        }
        let mut groups_of: HashMap<u64, Vec<u64>> = HashMap::new();
        for g in &groups {
            for u in group_members.get(&g.id).map(Vec::as_slice).unwrap_or(&[]) {
                groups_of.entry(*u).or_default().push(g.id);
            }
        }
        let mut children_of: HashMap<u64, Vec<u64>> = HashMap::new();
        let mut parents_of: HashMap<u64, Vec<u64>> = HashMap::new();
        for (parent, child) in all_links(store)? {
            children_of.entry(parent).or_default().push(child);
            parents_of.entry(child).or_default().push(parent);
        }
        let folded_names = crate::ui::search::NameList::new(
            users
                .iter()
                .map(|(id, u)| (crate::ui::search::fold(&u.display_name()), *id))
                .collect(),
        );
        Ok(People {
            folded_names,
            users,
            by_name,
            classes,
            class_members,
            groups,
            group_members,
            classes_of,
            groups_of,
            children_of,
            parents_of,
            levels: pupil_levels(store)?,
            delegations: all_delegations(store)?,
            openings: super::openings::Openings::read(store)?,
        })
    }

    /// The classes the person holds for a while (a replacement) that have not ended.
    pub fn delegated_classes(&self, id: u64, now: i64) -> Vec<u64> {
        self.delegations
            .get(&id)
            .map(|l| {
                l.iter()
                    .filter(|(_, until)| *until > now)
                    .map(|(c, _)| *c)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// What the policy knows of the person at `now`: their classes (held ones included),
    /// children and groups. `None` for an unknown or disabled account.
    pub fn actor_of(&self, id: u64, now: i64) -> Option<Actor> {
        let user = self.users.get(&id).filter(|u| !u.disabled)?;
        // In id order, as the store's per-person indexes list them.
        let mut classes = self.classes_of(id).to_vec();
        classes.sort_unstable();
        for c in self.delegated_classes(id, now) {
            if !classes.contains(&c) {
                classes.push(c);
            }
        }
        let mut children = self.children_of(id).to_vec();
        children.sort_unstable();
        let mut groups = self.groups_of(id).to_vec();
        groups.sort_unstable();
        Some(user.actor(classes, children, groups))
    }

    pub fn user(&self, id: u64) -> Option<&User> {
        self.users.get(&id)
    }

    /// Active accounts only (a disabled account receives nothing).
    pub fn active(&self, id: u64) -> bool {
        self.users.get(&id).is_some_and(|u| !u.disabled)
    }

    pub fn class(&self, id: u64) -> Option<&Class> {
        self.classes.iter().find(|c| c.id == id)
    }

    pub fn group(&self, id: u64) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    fn list(map: &HashMap<u64, Vec<u64>>, id: u64) -> &[u64] {
        map.get(&id).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn classes_of(&self, id: u64) -> &[u64] {
        Self::list(&self.classes_of, id)
    }

    pub fn groups_of(&self, id: u64) -> &[u64] {
        Self::list(&self.groups_of, id)
    }

    pub fn children_of(&self, id: u64) -> &[u64] {
        Self::list(&self.children_of, id)
    }

    pub fn parents_of(&self, id: u64) -> &[u64] {
        Self::list(&self.parents_of, id)
    }

    pub fn class_with(&self, class_id: u64, role: Membership) -> Vec<u64> {
        self.class_members
            .get(&class_id)
            .map(|l| {
                l.iter()
                    .filter(|(_, r)| *r == role)
                    .map(|(u, _)| *u)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The pupils of a class.
    pub fn pupils_of_class(&self, class_id: u64) -> Vec<u64> {
        self.class_with(class_id, Membership::Pupil)
    }

    /// The teachers of a class.
    pub fn teachers_of_class(&self, class_id: u64) -> Vec<u64> {
        self.class_with(class_id, Membership::Teacher)
    }

    /// The guardians of a class's pupils, each once.
    pub fn parents_of_class(&self, class_id: u64) -> Vec<u64> {
        let mut out: Vec<u64> = self
            .pupils_of_class(class_id)
            .into_iter()
            .flat_map(|p| self.parents_of(p).to_vec())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn group_members(&self, group_id: u64) -> &[u64] {
        Self::list(&self.group_members, group_id)
    }

    /// The pupils who share a group with this person (périscolaire staff: the pupils in
    /// their care).
    pub fn in_care_of(&self, id: u64) -> Vec<u64> {
        let mut out: Vec<u64> = self
            .groups_of(id)
            .iter()
            .flat_map(|g| self.group_members(*g).to_vec())
            .filter(|u| {
                self.user(*u)
                    .is_some_and(|u| u.profile == crate::policy::Profile::Eleve)
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The person as the communication rules see them.
    pub fn party(&self, id: u64) -> Party {
        let Some(u) = self.users.get(&id) else {
            return Party::default();
        };
        let children = self.children_of(id).to_vec();
        let mut children_class_ids = Vec::new();
        let mut children_group_ids = Vec::new();
        for c in &children {
            children_class_ids.extend_from_slice(self.classes_of(*c));
            children_group_ids.extend_from_slice(self.groups_of(*c));
        }
        Party {
            user_id: id,
            profile: Some(u.profile),
            director: u.is_director(),
            class_ids: self.classes_of(id).to_vec(),
            group_ids: self.groups_of(id).to_vec(),
            children,
            children_class_ids,
            children_group_ids,
        }
    }

    /// « Paul Durand » with a hint of who they are for pickers: « (enseignant, CM1-CM2) »,
    /// « (parent de Lou) », « (élève, CP-CE1) ».
    pub fn describe(&self, id: u64) -> String {
        let Some(u) = self.users.get(&id) else {
            return "compte supprimé".into();
        };
        format!(
            "{} {} ({})",
            u.first_name,
            u.shown_last_name(),
            self.hint(id)
        )
    }

    /// Who a person is to the school, without their name: « parent de Zoé », « enseignant,
    /// CE1 ».
    pub fn hint(&self, id: u64) -> String {
        let Some(u) = self.users.get(&id) else {
            return "compte supprimé".into();
        };
        let classes: Vec<&str> = self
            .classes_of(id)
            .iter()
            .filter_map(|c| self.class(*c))
            .map(|c| c.label.as_str())
            .collect();
        match u.profile {
            crate::policy::Profile::Responsable => {
                let kids: Vec<String> = self
                    .children_of(id)
                    .iter()
                    .filter_map(|c| self.users.get(c))
                    .map(|c| c.first_name.clone())
                    .collect();
                if kids.is_empty() {
                    "parent".to_string()
                } else {
                    format!("parent de {}", kids.join(", "))
                }
            }
            _ if classes.is_empty() => u.role_label().to_lowercase(),
            _ => format!("{}, {}", u.role_label().to_lowercase(), classes.join(", ")),
        }
    }
}
