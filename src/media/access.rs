//! Who may do what in the médiathèque: the facts about a person and an item (its space,
//! the shares on it and on the folders above it, its owner) gathered here and answered by
//! the policy. Each answer is a [`Granted`] proof about the object, which the mutations of
//! the médiathèque take, so that a mutation cannot be reached without its check.

use super::{item, pupils_contribute, Grantee, Item, Level, Space, ITEMS};
use crate::error::{AppError, AppResult};
use crate::policy::{may, require, Action, Actor, Granted};
use crate::store::{Result, Store};

/// What a person may do with an item: through its space (the policy) or a share on it
/// or on a folder above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    None,
    Read,
    Write,
}

pub fn space_access(store: &Store, actor: &Actor, space: Space) -> Result<Access> {
    let contribute = contribute(store, space)?;
    Ok(
        if may(
            actor,
            Action::WriteMedia {
                space,
                pupils_contribute: contribute,
            },
        ) {
            Access::Write
        } else if may(actor, Action::ReadMedia { space }) {
            Access::Read
        } else {
            Access::None
        },
    )
}

/// Whether the class teacher lets the pupils add to this space.
fn contribute(store: &Store, space: Space) -> Result<bool> {
    match space {
        Space::Class(c) => pupils_contribute(store, c),
        _ => Ok(false),
    }
}

pub(super) fn share_level(item: &Item, actor: &Actor) -> Access {
    item.shares
        .iter()
        .filter(|s| match s.to {
            Grantee::User(u) => u == actor.user_id,
            Grantee::Group(g) => actor.group_ids.contains(&g),
        })
        .map(|s| match s.level {
            Level::Read => Access::Read,
            Level::Contribute => Access::Write,
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

/// An item someone may rename, move, copy, trash or restore.
#[derive(Debug, Clone)]
pub struct Managed(Item);

impl Managed {
    pub fn item(&self) -> &Item {
        &self.0
    }
}

/// An item whose shares someone may change.
#[derive(Debug, Clone)]
pub struct Sharing(Item);

impl Sharing {
    pub fn item(&self) -> &Item {
        &self.0
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
/// With the access the person has, for the page to offer what they may do.
pub fn read_item(store: &Store, actor: &Actor, id: u64) -> AppResult<(Granted<Item>, Access)> {
    let item = existing(store, id)?;
    let level = access(store, actor, &item)?;
    let shared = shared(store, actor, &item)? > Access::None;
    let granted = require(
        actor,
        Action::ReadMediaItem {
            space: item.space,
            shared,
        },
    )?;
    Ok((granted.on(item), level))
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

/// To manage an item: who may write in its space, or holds a share « lecture et ajout »
/// on it or on a folder above it.
pub fn manage_item(store: &Store, actor: &Actor, id: u64) -> AppResult<Granted<Managed>> {
    let item = existing(store, id)?;
    // An item one may not even see is « forbidden » as a whole, as on its page.
    read_item(store, actor, id)?;
    let granted = require(
        actor,
        Action::ManageMediaItem {
            space: item.space,
            pupils_contribute: contribute(store, item.space)?,
            shared_contribute: shared(store, actor, &item)? == Access::Write,
        },
    )?;
    Ok(granted.on(Managed(item)))
}

/// To share an item or withdraw a share: its owner, or who manages it.
pub fn share_item(store: &Store, actor: &Actor, id: u64) -> AppResult<Granted<Sharing>> {
    let (seen, _) = read_item(store, actor, id)?;
    let item = seen.into_object();
    let granted = require(
        actor,
        Action::ShareMediaItem {
            space: item.space,
            pupils_contribute: contribute(store, item.space)?,
            shared_contribute: shared(store, actor, &item)? == Access::Write,
            owner: item.owner == actor.user_id,
        },
    )?;
    Ok(granted.on(Sharing(item)))
}

/// To add to a folder of a space (or its root): who may write in the space, or holds a
/// share « lecture et ajout » on the folder.
pub fn add_to(
    store: &Store,
    actor: &Actor,
    space: Space,
    folder: Option<u64>,
) -> AppResult<Granted<Place>> {
    let folder = folder_of(store, space, folder)?;
    let shared_contribute = match &folder {
        Some(f) => shared(store, actor, f)? == Access::Write,
        None => false,
    };
    let granted = require(
        actor,
        Action::ManageMediaItem {
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
            Access::Write,
            "through the group"
        );
        let mut outsider = person(22, Profile::Responsable, &[]);
        outsider.group_ids.clear();
        assert_eq!(share_level(&f, &outsider), Access::None);
    }
}
