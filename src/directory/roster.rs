//! The accounts list of the console (/admin/comptes), ready to filter: every account's
//! folded name and login, profile and state, in name order. Built from the directory
//! snapshot ([`People`]) and the pupils' records, once per snapshot: a page of the list
//! then reads nothing from the store, however large the school.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::people::People;
use super::*;
use crate::ui::pager::Pager;
use crate::ui::search::{fold, Terms};

/// Where an account stands, as the list shows and filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountState {
    Active,
    ToActivate,
    Disabled,
    Leaving,
}

impl AccountState {
    pub const ALL: [AccountState; 4] = [
        AccountState::Active,
        AccountState::ToActivate,
        AccountState::Disabled,
        AccountState::Leaving,
    ];

    /// The word shown, and the value of `?etat=` (links already bookmarked keep working).
    pub fn label(self) -> &'static str {
        match self {
            AccountState::Active => "actif",
            AccountState::ToActivate => "à activer",
            AccountState::Disabled => "désactivé",
            AccountState::Leaving => "partant",
        }
    }

    pub fn from_label(text: &str) -> Option<AccountState> {
        Self::ALL.into_iter().find(|s| s.label() == text)
    }

    /// `pupil`: (leaving, has a picture password) from the pupil's record, if any.
    fn of(user: &User, pupil: Option<(bool, bool)>) -> AccountState {
        if let Some((leaving, picture)) = pupil {
            if leaving {
                return AccountState::Leaving;
            }
            // A pupil who signs in with pictures has no password, and is active.
            if user.password_hash.is_none() && picture && !user.disabled {
                return AccountState::Active;
            }
        }
        if user.leaving.is_some() {
            AccountState::Leaving
        } else if user.disabled {
            AccountState::Disabled
        } else if user.password_hash.is_none() {
            AccountState::ToActivate
        } else {
            AccountState::Active
        }
    }
}

/// One line of the list, without its record (the snapshot holds it).
pub struct Entry {
    pub id: u64,
    pub profile: Profile,
    pub state: AccountState,
    /// Names and login, folded once for every search.
    folded: String,
}

/// What the director asked the list for.
#[derive(Default)]
pub struct Filter {
    pub terms: Terms,
    pub profile: Option<Profile>,
    pub class_id: Option<u64>,
    pub state: Option<AccountState>,
}

pub struct Roster {
    /// Every account, by shown last name, first name, login.
    entries: Vec<Entry>,
}

impl Roster {
    /// The roster of the directory as it stands, kept in memory beside the snapshot and
    /// rebuilt with it (any directory table written, the pupils' records included).
    pub fn of(store: &Store) -> Result<Arc<Roster>> {
        store.derived(TABLES, |store| {
            let people = People::load(store)?;
            let pupils: HashMap<u64, (bool, bool)> = store
                .scan(&PUPILS)?
                .into_iter()
                .map(|(id, p)| (id, (p.leaving.is_some(), p.picture_hash.is_some())))
                .collect();
            Ok(Roster::build(people.users.values(), &pupils))
        })
    }

    fn build<'a>(
        users: impl Iterator<Item = &'a User>,
        pupils: &HashMap<u64, (bool, bool)>,
    ) -> Roster {
        let mut keyed: Vec<((String, String, &str), Entry)> = users
            .map(|u| {
                let key = (
                    fold(u.shown_last_name()),
                    fold(&u.first_name),
                    u.login.as_str(),
                );
                let usage = u.usage_name.as_deref().unwrap_or_default();
                let entry = Entry {
                    id: u.id,
                    profile: u.profile,
                    state: AccountState::of(u, pupils.get(&u.id).copied()),
                    folded: fold(&format!(
                        "{} {} {} {}",
                        u.first_name, u.last_name, usage, u.login
                    )),
                };
                (key, entry)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        Roster {
            entries: keyed.into_iter().map(|(_, e)| e).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many accounts stand in `state`, as the console's list filter counts them.
    pub fn count(&self, state: AccountState) -> usize {
        self.entries.iter().filter(|e| e.state == state).count()
    }

    /// The accounts the filter keeps, in list order. A class keeps its members and the
    /// guardians of its pupils.
    pub fn find(&self, people: &People, filter: &Filter) -> Vec<&Entry> {
        let in_class: Option<HashSet<u64>> = filter.class_id.map(|c| {
            let members: Vec<u64> = people
                .class_members
                .get(&c)
                .map(|l| l.iter().map(|(u, _)| *u).collect())
                .unwrap_or_default();
            let parents: Vec<u64> = members
                .iter()
                .flat_map(|m| people.parents_of(*m).iter().copied())
                .collect();
            members.into_iter().chain(parents).collect()
        });
        self.find_in(filter, in_class.as_ref())
    }

    /// One page of the accounts the filter keeps (the `asked` page, or the last one), and
    /// where it stands. With nothing asked the list is the roster itself, whose length is
    /// known: the page is a slice of it, so the list's first page looks at its own rows
    /// and not at every account of the school.
    pub fn find_page(
        &self,
        people: &People,
        filter: &Filter,
        asked: usize,
        per_page: usize,
    ) -> (Pager, Vec<&Entry>) {
        let everyone = filter.terms.is_empty()
            && filter.profile.is_none()
            && filter.class_id.is_none()
            && filter.state.is_none();
        if everyone {
            return self.everyone_page(asked, per_page);
        }
        let found = self.find(people, filter);
        let pager = Pager::counted(asked, found.len(), per_page);
        let rows = pager.slice(&found).to_vec();
        (pager, rows)
    }

    /// A page of the whole list, sliced from the roster.
    fn everyone_page(&self, asked: usize, per_page: usize) -> (Pager, Vec<&Entry>) {
        let pager = Pager::counted(asked, self.entries.len(), per_page);
        let rows = pager.slice(&self.entries).iter().collect();
        (pager, rows)
    }

    /// [`Roster::find`] with the class's people (`in_class`) already gathered.
    fn find_in(&self, filter: &Filter, in_class: Option<&HashSet<u64>>) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| filter.profile.is_none_or(|p| e.profile == p))
            .filter(|e| filter.state.is_none_or(|s| e.state == s))
            .filter(|e| in_class.is_none_or(|ids| ids.contains(&e.id)))
            .filter(|e| filter.terms.matches(&e.folded))
            .collect()
    }
}

/// People one may add somewhere (a class, a group), found by name: at most `max` of
/// them as (value, label) for a select, in name order, and how many match in all.
pub struct Candidates {
    pub options: Vec<(String, String)>,
    pub matching: usize,
}

impl Roster {
    /// The accounts `keep` accepts whose names hold every word of `terms`.
    pub fn candidates(
        &self,
        people: &People,
        terms: &Terms,
        keep: impl Fn(&User) -> bool,
        max: usize,
    ) -> Candidates {
        let mut matching = 0;
        let mut options = Vec::new();
        let found = self
            .entries
            .iter()
            .filter(|e| terms.matches(&e.folded))
            .filter_map(|e| people.user(e.id))
            .filter(|u| keep(u));
        for u in found {
            matching += 1;
            if options.len() < max {
                options.push((
                    u.id.to_string(),
                    format!(
                        "{} {} — {}",
                        u.shown_last_name(),
                        u.first_name,
                        u.role_label()
                    ),
                ));
            }
        }
        Candidates { options, matching }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: u64, first: &str, last: &str, profile: Profile) -> User {
        User {
            id,
            login: format!("{}.{}", fold(first), fold(last)).replace(' ', ""),
            first_name: first.into(),
            last_name: last.into(),
            usage_name: None,
            profile,
            functions: vec![],
            email: None,
            phone: None,
            password_hash: Some("x".into()),
            disabled: false,
            must_change_password: false,
            charter_version: 0,
            leaving: None,
            created_at: 0,
            reading: Default::default(),
            welcomed: false,
        }
    }

    #[test]
    fn sorted_by_name_and_filtered_together() {
        let mut no_password = user(4, "Hélène", "Durand", Profile::Responsable);
        no_password.password_hash = None;
        let users = [
            user(1, "Zoé", "Martin", Profile::Enseignant),
            user(2, "Lou", "Ébrard", Profile::Eleve),
            user(3, "Hélène", "Ébrard", Profile::Responsable),
            no_password,
        ];
        let roster = Roster::build(users.iter(), &HashMap::from([(2, (false, false))]));
        // Class 7 holds Lou, whose guardian is Hélène Ébrard (3).
        let class = HashSet::from([2, 3]);
        let ids = |f: &Filter| -> Vec<u64> {
            let in_class = f.class_id.map(|_| &class);
            roster.find_in(f, in_class).iter().map(|e| e.id).collect()
        };
        assert_eq!(
            ids(&Filter::default()),
            vec![4, 3, 2, 1],
            "Durand, Ébrard ×2, Martin"
        );
        let helene = Filter {
            terms: Terms::parse("helene"),
            ..Filter::default()
        };
        assert_eq!(ids(&helene), vec![4, 3]);
        let in_class = Filter {
            terms: Terms::parse("helene"),
            class_id: Some(7),
            ..Filter::default()
        };
        assert_eq!(
            ids(&in_class),
            vec![3],
            "the guardian of a pupil of the class"
        );
        let to_activate = Filter {
            profile: Some(Profile::Responsable),
            state: Some(AccountState::ToActivate),
            ..Filter::default()
        };
        assert_eq!(ids(&to_activate), vec![4]);
    }

    #[test]
    fn a_page_of_the_whole_list_is_the_page_of_the_unfiltered_search() {
        let users: Vec<User> = (1..=7)
            .map(|i| user(i, "Lou", &format!("Nom{}", 8 - i), Profile::Eleve))
            .collect();
        let roster = Roster::build(users.iter(), &HashMap::new());
        let all = roster.find_in(&Filter::default(), None);
        for asked in [0, 1, 2, 3, 4, 9] {
            let (pager, rows) = roster.everyone_page(asked, 3);
            assert_eq!(pager, Pager::counted(asked, all.len(), 3), "page {asked}");
            let ids: Vec<u64> = rows.iter().map(|e| e.id).collect();
            let expected: Vec<u64> = pager.slice(&all).iter().map(|e| e.id).collect();
            assert!(!ids.is_empty(), "page {asked} shows rows");
            assert_eq!(ids, expected, "page {asked}");
        }
    }

    #[test]
    fn a_pupil_with_pictures_is_active_and_a_leaving_pupil_is_leaving() {
        let mut lou = user(2, "Lou", "Petit", Profile::Eleve);
        lou.password_hash = None;
        assert_eq!(
            AccountState::of(&lou, Some((false, true))),
            AccountState::Active
        );
        assert_eq!(
            AccountState::of(&lou, Some((true, true))),
            AccountState::Leaving
        );
        assert_eq!(AccountState::of(&lou, None), AccountState::ToActivate);
        for s in AccountState::ALL {
            assert_eq!(AccountState::from_label(s.label()), Some(s));
        }
    }
}
