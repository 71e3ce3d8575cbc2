//! Who may do what in the médiathèque: the facts about a person and an item (its space,
//! the shares on it and on the folders above it, its owner) gathered here and answered by
//! the policy. Each answer is a [`Granted`] proof about the object, which the mutations of
//! the médiathèque take, so that a mutation cannot be reached without its check.

use super::{item, pupils_contribute, Grantee, Item, Level, Space, ITEMS};
use crate::error::{AppError, AppResult};
use crate::policy::{may, require, Action, Actor, Granted};
use crate::store::{Result, Store};

/// What a person may do in a place (a space, a folder) or with an item: through its space
/// (the policy) or a share on it or on a folder above it. Ordered: each level includes the
/// ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    None,
    Read,
    /// Read and add (a pupil when the class lets pupils deposit, a share « lecture et
    /// ajout »): one then manages only what one added.
    Add,
    /// Manage everything there, whoever added it (who manages the space by policy).
    Manage,
}

pub fn space_access(store: &Store, actor: &Actor, space: Space) -> Result<Access> {
    let adds = |pupils_contribute| {
        may(
            actor,
            Action::AddMedia {
                space,
                pupils_contribute,
            },
        )
    };
    Ok(if may(actor, Action::ManageMediaSpace { space }) {
        Access::Manage
    } else if match (adds(false), adds(true)) {
        // The class's setting is read only when the answer hangs on it: a search asks
        // this of a space per class, and most people's answer is the same either way.
        (without, with) if without == with => without,
        _ => adds(contribute(store, space)?),
    } {
        Access::Add
    } else if may(actor, Action::ReadMedia { space }) {
        Access::Read
    } else {
        Access::None
    })
}

/// Whether the class teacher lets the pupils add to this space.
fn contribute(store: &Store, space: Space) -> Result<bool> {
    match space {
        Space::Class(c) => pupils_contribute(store, c),
        _ => Ok(false),
    }
}

/// The level a share on `item` gives `actor`: a share never gives more than adding.
pub(super) fn share_level(item: &Item, actor: &Actor) -> Access {
    item.shares
        .iter()
        .filter(|s| match s.to {
            Grantee::User(u) => u == actor.user_id,
            Grantee::Group(g) => actor.group_ids.contains(&g),
        })
        .map(|s| match s.level {
            Level::Read => Access::Read,
            Level::Contribute => Access::Add,
        })
        .max()
        .unwrap_or(Access::None)
}

/// The best share `actor` holds on `item` or on a folder above it.
fn shared(store: &Store, actor: &Actor, item: &Item) -> Result<Access> {
    let mut best = Access::None;
    let mut current = Some(item.clone());
    let mut depth = 0;
    while let Some(i) = current {
        best = best.max(share_level(&i, actor));
        depth += 1;
        current = match i.parent {
            Some(p) if depth < 64 => store.get(&ITEMS, &p)?,
            _ => None,
        };
    }
    Ok(best)
}

/// The access of `actor` to `item`, shares of the folders above included.
pub fn access(store: &Store, actor: &Actor, item: &Item) -> Result<Access> {
    Ok(space_access(store, actor, item.space)?.max(shared(store, actor, item)?))
}

/// Whether `actor` added `item` and, for a folder, everything it holds (trash included):
/// moving or trashing a folder takes its content along, so a folder holding someone
/// else's item is not « one's own ».
fn owns_all(store: &Store, actor: &Actor, item: &Item) -> Result<bool> {
    if item.owner != actor.user_id {
        return Ok(false);
    }
    if !item.is_folder() {
        return Ok(true);
    }
    Ok(super::items::descendants(store, item)?
        .iter()
        .all(|d| d.owner == actor.user_id))
}

/// The facts about a person and an item that the policy weighs.
struct Facts {
    space: Space,
    pupils_contribute: bool,
    shared_contribute: bool,
    own: bool,
}

fn facts(store: &Store, actor: &Actor, item: &Item) -> Result<Facts> {
    Ok(Facts {
        space: item.space,
        pupils_contribute: contribute(store, item.space)?,
        shared_contribute: shared(store, actor, item)? >= Access::Add,
        own: owns_all(store, actor, item)?,
    })
}

impl Facts {
    fn manage(&self) -> Action {
        Action::ManageMediaItem {
            space: self.space,
            pupils_contribute: self.pupils_contribute,
            shared_contribute: self.shared_contribute,
            own: self.own,
        }
    }

    fn share(&self, contribute: bool) -> Action {
        Action::ShareMediaItem {
            space: self.space,
            own: self.own,
            contribute,
        }
    }
}

/// What a person may do with one item, for the page to offer only that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rights {
    pub access: Access,
    /// Rename, move, copy, trash, restore.
    pub manage: bool,
    /// Share for reading, withdraw shares.
    pub share: bool,
    /// Share « lecture et ajout » (a folder).
    pub share_contribute: bool,
}

/// The rights of `actor` on `item`, as the checks below answer them.
pub fn rights(store: &Store, actor: &Actor, item: &Item) -> Result<Rights> {
    let access = access(store, actor, item)?;
    if access == Access::None {
        return Ok(Rights {
            access,
            manage: false,
            share: false,
            share_contribute: false,
        });
    }
    let f = facts(store, actor, item)?;
    Ok(Rights {
        access,
        manage: may(actor, f.manage()),
        share: may(actor, f.share(false)),
        share_contribute: item.is_folder() && may(actor, f.share(true)),
    })
}

/// An item someone may rename, move, copy, trash or restore.
#[derive(Debug, Clone)]
pub struct Managed(Item);

impl Managed {
    pub fn item(&self) -> &Item {
        &self.0
    }
}

/// An item whose shares someone may change, and the level they may give.
#[derive(Debug, Clone)]
pub struct Sharing(Item, Level);

impl Sharing {
    pub fn item(&self) -> &Item {
        &self.0
    }

    /// The level the new share gives (« lecture et ajout » only for a folder, when granted).
    pub fn level(&self) -> Level {
        self.1
    }
}

/// A place (a space, a live folder of it or its root) where someone may add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub space: Space,
    pub folder: Option<u64>,
}

/// A class space whose setting (pupils contribute) someone may change.
#[derive(Debug, Clone, Copy)]
pub struct ClassSpace(u64);

impl ClassSpace {
    pub fn class_id(self) -> u64 {
        self.0
    }
}

/// The quotas and file-size limits per profile, for the director.
#[derive(Debug, Clone, Copy)]
pub struct Quotas;

/// The folder of a space, checked to be a live folder of it (404 otherwise).
pub fn folder_of(store: &Store, space: Space, id: Option<u64>) -> AppResult<Option<Item>> {
    match id {
        None => Ok(None),
        Some(f) => match item(store, f)? {
            Some(i) if i.space == space && i.is_folder() && i.trashed.is_none() => Ok(Some(i)),
            _ => Err(AppError::NotFound),
        },
    }
}

fn existing(store: &Store, id: u64) -> AppResult<Item> {
    item(store, id)?.ok_or(AppError::NotFound)
}

/// To see an item: its space's readers, and those it (or a folder above) is shared with.
/// With the rights the person has, for the page to offer what they may do.
pub fn read_item(store: &Store, actor: &Actor, id: u64) -> AppResult<(Granted<Item>, Rights)> {
    let item = existing(store, id)?;
    let shared = shared(store, actor, &item)? > Access::None;
    let granted = require(
        actor,
        Action::ReadMediaItem {
            space: item.space,
            shared,
        },
    )?;
    let rights = rights(store, actor, &item)?;
    Ok((granted.on(item), rights))
}

/// To open a folder of a space (or its root): the space's readers, and those the folder
/// is shared with. With the access the person has there.
pub fn read_place(
    store: &Store,
    actor: &Actor,
    space: Space,
    folder: Option<u64>,
) -> AppResult<(Granted<Place>, Access)> {
    let folder = folder_of(store, space, folder)?;
    let mut level = space_access(store, actor, space)?;
    let mut via_share = false;
    if let Some(f) = &folder {
        let shared = shared(store, actor, f)?;
        via_share = shared > Access::None;
        level = level.max(shared);
    }
    let granted = require(
        actor,
        Action::ReadMediaItem {
            space,
            shared: via_share,
        },
    )?;
    let place = Place {
        space,
        folder: folder.map(|f| f.id),
    };
    Ok((granted.on(place), level))
}

/// To manage an item: who manages its space, or who added it (and all a folder holds)
/// while they may still add there (pupils' deposits, a share « lecture et ajout »).
pub fn manage_item(store: &Store, actor: &Actor, id: u64) -> AppResult<Granted<Managed>> {
    // An item one may not even see is « forbidden » as a whole, as on its page.
    let (seen, _) = read_item(store, actor, id)?;
    let item = seen.into_object();
    let granted = require(actor, facts(store, actor, &item)?.manage())?;
    Ok(granted.on(Managed(item)))
}

/// To share an item or withdraw a share (`level`: what the new share would give; `Read`
/// to withdraw): who manages its space, or who added it for reading.
pub fn share_item(
    store: &Store,
    actor: &Actor,
    id: u64,
    level: Level,
) -> AppResult<Granted<Sharing>> {
    let (seen, _) = read_item(store, actor, id)?;
    let item = seen.into_object();
    // Only a folder is shared for contribution: a file asked « ajout » is shared to read.
    let level = if item.is_folder() { level } else { Level::Read };
    let contribute = level == Level::Contribute;
    let granted = require(actor, facts(store, actor, &item)?.share(contribute))?;
    Ok(granted.on(Sharing(item, level)))
}

/// To add to a folder of a space (or its root): who may add to the space, or holds a
/// share « lecture et ajout » on the folder.
pub fn add_to(
    store: &Store,
    actor: &Actor,
    space: Space,
    folder: Option<u64>,
) -> AppResult<Granted<Place>> {
    let folder = folder_of(store, space, folder)?;
    let shared_contribute = match &folder {
        Some(f) => shared(store, actor, f)? >= Access::Add,
        None => false,
    };
    let granted = require(
        actor,
        Action::AddMediaItem {
            space,
            pupils_contribute: contribute(store, space)?,
            shared_contribute,
        },
    )?;
    Ok(granted.on(Place {
        space,
        folder: folder.map(|f| f.id),
    }))
}

/// To let the pupils of a class add to its space: its teachers, the director.
pub fn manage_class_space(actor: &Actor, class_id: u64) -> AppResult<Granted<ClassSpace>> {
    Ok(require(actor, Action::ManageClassSpace { class_id })?.on(ClassSpace(class_id)))
}

/// To set the quotas: the director.
pub fn manage_quotas(actor: &Actor) -> AppResult<Granted<Quotas>> {
    Ok(require(actor, Action::ManageMedia)?.on(Quotas))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::Content;
    use crate::media::Share;
    use crate::policy::Profile;

    fn person(id: u64, profile: Profile, classes: &[u64]) -> Actor {
        Actor {
            user_id: id,
            profile,
            director: false,
            class_ids: classes.to_vec(),
            children: Vec::new(),
            group_ids: vec![9],
        }
    }

    fn folder(shares: Vec<Share>) -> Item {
        Item {
            id: 1,
            space: Space::Class(3),
            parent: None,
            name: "Sorties".into(),
            content: Content::Folder,
            owner: 1,
            created_at: 0,
            updated_at: 0,
            trashed: None,
            shares,
        }
    }

    #[test]
    fn a_share_gives_its_level_to_its_grantee_only() {
        let f = folder(vec![
            Share {
                to: Grantee::User(20),
                level: Level::Read,
            },
            Share {
                to: Grantee::Group(9),
                level: Level::Contribute,
            },
        ]);
        let mut parent = person(20, Profile::Responsable, &[]);
        parent.group_ids.clear();
        assert_eq!(share_level(&f, &parent), Access::Read);
        assert_eq!(
            share_level(&f, &person(21, Profile::Eleve, &[])),
            Access::Add,
            "through the group"
        );
        let mut outsider = person(22, Profile::Responsable, &[]);
        outsider.group_ids.clear();
        assert_eq!(share_level(&f, &outsider), Access::None);
    }

    fn put(
        store: &Store,
        id: u64,
        space: Space,
        parent: Option<u64>,
        owner: u64,
        shares: Vec<Share>,
    ) {
        let content = if id < 10 {
            Content::Folder
        } else {
            Content::Link {
                url: "https://example.org".into(),
            }
        };
        let i = Item {
            id,
            space,
            parent,
            name: format!("n{id}"),
            content,
            owner,
            created_at: 0,
            updated_at: 0,
            trashed: None,
            shares,
        };
        store
            .commit_blocking(|tx| super::super::items::index(tx, &i))
            .unwrap();
    }

    fn rights_of(store: &Store, actor: &Actor, id: u64) -> Rights {
        let i = item(store, id).unwrap().unwrap();
        rights(store, actor, &i).unwrap()
    }

    fn open() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let tables = crate::schema::tables();
        let store =
            Store::open_raw(dir.path(), &crate::store::StoreOptions::default(), &tables).unwrap();
        (dir, store)
    }

    /// Alice (1) shares her personal folder 1 « lecture et ajout » with Bob (2), who adds
    /// file 11 and folder 2 (where Alice then puts file 12); her own file 10 is in 1.
    #[test]
    fn a_share_to_add_manages_only_ones_own_additions() {
        let (_dir, store) = open();
        let alice = person(1, Profile::Enseignant, &[]);
        let mut bob = person(2, Profile::Enseignant, &[]);
        bob.director = true;
        let space = Space::Personal(1);
        let to_bob = Share {
            to: Grantee::User(2),
            level: Level::Contribute,
        };
        put(&store, 1, space, None, 1, vec![to_bob]);
        put(&store, 10, space, Some(1), 1, vec![]);
        put(&store, 11, space, Some(1), 2, vec![]);
        put(&store, 2, space, Some(1), 2, vec![]);
        put(&store, 12, space, Some(2), 1, vec![]);
        put(&store, 3, space, Some(1), 2, vec![]);
        let none = Rights {
            access: Access::Add,
            manage: false,
            share: false,
            share_contribute: false,
        };
        // Even a director: the owner's folder and files stay hers.
        assert_eq!(rights_of(&store, &bob, 1), none, "her folder");
        assert_eq!(rights_of(&store, &bob, 10), none, "her file");
        assert_eq!(
            rights_of(&store, &bob, 2),
            none,
            "his folder holding her file goes with it: not his alone"
        );
        let own_file = rights_of(&store, &bob, 11);
        assert!(own_file.manage && own_file.share && !own_file.share_contribute);
        let own_folder = rights_of(&store, &bob, 3);
        assert!(own_folder.manage && own_folder.share);
        assert!(
            !own_folder.share_contribute,
            "letting others add to her space is hers"
        );
        for id in [1, 2, 3, 10, 11, 12] {
            let r = rights_of(&store, &alice, id);
            assert_eq!(r.access, Access::Manage, "{id}");
            assert!(r.manage && r.share, "{id}");
        }
        assert!(rights_of(&store, &alice, 1).share_contribute);
        // Someone else: nothing at all.
        let carol = person(3, Profile::Responsable, &[]);
        let r = rights_of(&store, &carol, 10);
        assert_eq!(r.access, Access::None);
        assert!(!r.manage && !r.share);
        // The proofs agree with the rights.
        assert!(manage_item(&store, &bob, 10).is_err());
        assert!(manage_item(&store, &bob, 11).is_ok());
        assert!(share_item(&store, &bob, 1, Level::Read).is_err());
        assert!(share_item(&store, &bob, 3, Level::Contribute).is_err());
        assert!(share_item(&store, &bob, 3, Level::Read).is_ok());
        assert!(add_to(&store, &bob, space, Some(1)).is_ok());
        assert!(add_to(&store, &bob, space, None).is_err(), "not her root");
        assert!(add_to(&store, &carol, space, Some(1)).is_err());
    }

    /// A class space (3) where pupils may deposit: pupil 20 deposits 11, classmate 21
    /// deposits 12, the teacher (30) put 10.
    #[test]
    fn pupils_manage_their_deposits_and_the_teacher_everything() {
        let (_dir, store) = open();
        let space = Space::Class(3);
        store
            .commit_blocking(|tx| tx.put(&crate::media::PUPILS_CONTRIBUTE, &3, &0))
            .unwrap();
        put(&store, 10, space, None, 30, vec![]);
        put(&store, 11, space, None, 20, vec![]);
        put(&store, 12, space, None, 21, vec![]);
        let pupil = person(20, Profile::Eleve, &[3]);
        let teacher = person(30, Profile::Enseignant, &[3]);
        for theirs in [10, 12] {
            let r = rights_of(&store, &pupil, theirs);
            assert_eq!(r.access, Access::Add);
            assert!(!r.manage && !r.share, "{theirs}");
            assert!(manage_item(&store, &pupil, theirs).is_err());
        }
        assert!(rights_of(&store, &pupil, 11).manage);
        for id in [10, 11, 12] {
            assert!(rights_of(&store, &teacher, id).manage, "{id}");
        }
        // Deposits closed: the pupil reads, her deposit included.
        store
            .commit_blocking(|tx| tx.remove(&crate::media::PUPILS_CONTRIBUTE, &3))
            .unwrap();
        let r = rights_of(&store, &pupil, 11);
        assert_eq!(r.access, Access::Read);
        assert!(!r.manage);
        assert!(r.share, "her own file, to read");
    }
}
