//! Views computed from whole tables (the directory, the school's settings), kept in
//! memory until one of their tables changes.
//!
//! Every committed transaction bumps a counter for each table it wrote, before the write
//! returns; a view remembers the sum of its tables' counters when it was built. A reader
//! that finds the sum moved rebuilds the view (one reader at a time: the others wait for
//! it rather than all reading the tables at once) and swaps the new `Arc` in; requests
//! that hold the old one finish with it. So a page served after a change was answered
//! never sees the old view, and a page that changes nothing reads no table at all.

use std::any::{Any, TypeId};
use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use super::{Result, Store};

/// A view, the sum of its tables' counters when it was built, and where those tables are
/// (kept with it so that a reader finds a fresh view without resolving table names).
struct Slot {
    built_at: u64,
    positions: Vec<usize>,
    view: Arc<dyn Any + Send + Sync>,
}

/// The counters and the views of one store (shared by its clones).
#[derive(Default)]
pub(super) struct Views {
    /// One counter per table, in the store's table order.
    generations: Vec<AtomicU64>,
    slots: RwLock<FxHashMap<TypeId, Slot>>,
    /// Per view, held while it is rebuilt (a view may be built from another one).
    building: Mutex<HashMap<TypeId, Arc<Mutex<()>>>>,
}

impl Views {
    pub(super) fn new(tables: usize) -> Views {
        Views {
            generations: (0..tables).map(|_| AtomicU64::new(0)).collect(),
            ..Views::default()
        }
    }

    /// Marks the tables whose bit is set in `written` as changed.
    pub(super) fn bump(&self, written: &[bool]) {
        for (counter, _) in self.generations.iter().zip(written).filter(|(_, w)| **w) {
            counter.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// Marks every table as changed (a restore writes beside transactions).
    pub(super) fn bump_all(&self) {
        for counter in &self.generations {
            counter.fetch_add(1, Ordering::AcqRel);
        }
    }

    fn generation(&self, positions: &[usize]) -> u64 {
        positions
            .iter()
            .filter_map(|i| self.generations.get(*i))
            .map(|c| c.load(Ordering::Acquire))
            .sum()
    }

    /// The view `T` if none of its tables changed since it was built. The counters are
    /// read after the write that bumped them returned, so a change already answered is
    /// always seen here.
    fn fresh<T: Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        let slots = self.slots.read().unwrap_or_else(|e| e.into_inner());
        let slot = slots.get(&TypeId::of::<T>())?;
        if slot.built_at != self.generation(&slot.positions) {
            return None;
        }
        slot.view.clone().downcast::<T>().ok()
    }

    fn current<T: Send + Sync + 'static>(&self, generation: u64) -> Option<Arc<T>> {
        let slots = self.slots.read().unwrap_or_else(|e| e.into_inner());
        let slot = slots.get(&TypeId::of::<T>())?;
        if slot.built_at != generation {
            return None;
        }
        slot.view.clone().downcast::<T>().ok()
    }
}

impl Store {
    /// The view `T` built by `build` from `tables`, rebuilt only when one of them has
    /// changed since. `build` must read nothing but those tables (or views of them).
    pub fn derived<T: Send + Sync + 'static>(
        &self,
        tables: &[&'static str],
        build: impl FnOnce(&Store) -> Result<T>,
    ) -> Result<Arc<T>> {
        // Every page asks for the directory's and the school's views several times: the
        // usual answer costs one map lookup and a sum of counters, with no allocation.
        if let Some(view) = self.views.fresh::<T>() {
            return Ok(view);
        }
        let positions: Vec<usize> = tables
            .iter()
            .map(|t| {
                self.positions
                    .get(t)
                    .copied()
                    .ok_or(super::StoreError::UnknownTable(t))
            })
            .collect::<Result<_>>()?;
        let generation = self.views.generation(&positions);
        if let Some(view) = self.views.current::<T>(generation) {
            return Ok(view);
        }
        let lock = self
            .views
            .building
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(TypeId::of::<T>())
            .or_default()
            .clone();
        let _one_builder = lock.lock().unwrap_or_else(|e| e.into_inner());
        // Read the counters again: another reader may have rebuilt it meanwhile, or a
        // write may have landed. The counters are read before the tables, so a view
        // built while a write lands is labelled with the older sum and rebuilt next time.
        let generation = self.views.generation(&positions);
        if let Some(view) = self.views.current::<T>(generation) {
            return Ok(view);
        }
        let view = Arc::new(build(self)?);
        let erased: Arc<dyn Any + Send + Sync> = view.clone();
        self.views
            .slots
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(
                TypeId::of::<T>(),
                Slot {
                    built_at: generation,
                    positions,
                    view: erased,
                },
            );
        Ok(view)
    }
}
