//! The médiathèque's items kept decoded until it changes (`store::derived`), and the
//! access to one of them computed from the kept items rather than the store: the picker
//! lists the files a person may read, the search checks the items its index names.

use super::{Access, Item, Space, ITEMS};
use crate::policy::Actor;
use crate::store::{Result, Store};

/// Every item of the médiathèque, and its files out of the trash newest first, kept
/// decoded until the médiathèque changes (see `store::derived`): a form offering the
/// picker decoded every item of the school, and every folder above each, on each view
/// (half of a maternelle teacher's « réussite » form).
pub(crate) struct KeptFiles {
    pub(crate) items: std::collections::HashMap<u64, Item>,
    /// The files out of the trash, newest first.
    pub(crate) files: Vec<u64>,
}

pub(crate) fn kept_files(store: &Store) -> Result<std::sync::Arc<KeptFiles>> {
    store.derived(&[ITEMS.name], |store| {
        let items: std::collections::HashMap<u64, Item> = store.scan(&ITEMS)?.into_iter().collect();
        let mut files: Vec<&Item> = items
            .values()
            .filter(|i| i.trashed.is_none() && i.file().is_some())
            .collect();
        // In key order first, as the store reads them, so that files changed at the same
        // moment keep that order (the sort is stable).
        files.sort_by_key(|i| i.id);
        files.sort_by_key(|i| std::cmp::Reverse(i.updated_at));
        let files = files.iter().map(|i| i.id).collect();
        Ok(KeptFiles { items, files })
    })
}

impl KeptFiles {
    /// [`super::access`], its shares read from the kept items rather than the store: the
    /// best of the access by the item's space and of the shares on the item and on each
    /// folder above it (64 at most, as there).
    pub(crate) fn access(
        &self,
        store: &Store,
        actor: &Actor,
        item: &Item,
        spaces: &mut Vec<(Space, Access)>,
    ) -> Result<Access> {
        let by_space = match spaces.iter().find(|(s, _)| *s == item.space) {
            Some((_, a)) => *a,
            None => {
                let a = super::space_access(store, actor, item.space)?;
                spaces.push((item.space, a));
                a
            }
        };
        let mut best = by_space;
        let mut current = Some(item);
        let mut depth = 0;
        while let Some(i) = current {
            best = best.max(super::access::share_level(i, actor));
            depth += 1;
            current = match i.parent {
                Some(p) if depth < 64 => self.items.get(&p),
                _ => None,
            };
        }
        Ok(best)
    }
}

/// The item `id` if `actor` may read it and it is out of the trash, as
/// [`super::access::read_item`] would let them (the best of the access by its space and
/// of the shares above it): the search asks it of every item its index names, most of
/// which a family may not read, and decoding each was its médiathèque's whole cost.
/// `spaces` keeps the access by space already asked, from one item to the next.
pub fn readable_item(
    store: &Store,
    actor: &Actor,
    id: u64,
    spaces: &mut Vec<(Space, Access)>,
) -> Result<Option<Item>> {
    let kept = kept_files(store)?;
    let Some(item) = kept.items.get(&id) else {
        return Ok(None);
    };
    if item.trashed.is_some() || kept.access(store, actor, item, spaces)? == Access::None {
        return Ok(None);
    }
    Ok(Some(item.clone()))
}
