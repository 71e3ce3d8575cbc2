//! The newest records holding every term, found chunk by chunk: a term's postings are read
//! once (one pass over its words, in the index's order), kept as chunks of 64 records
//! without making each record's key, intersected chunk with chunk between terms, and only
//! the newest chunks of each kind are opened into keys, up to what the page asks. A word
//! found in most records of a large school named thousands of keys, made, sorted and
//! compared one by one, for the five a page shows (issue 15).

use super::{Bits, Kind, MAX_POSTINGS_READ, POSTINGS, PREFIX_FROM, SEPARATOR};
use crate::store::{Result, Store};

/// The chunks a term names in records of `kinds`: (kind, chunk, which of its records),
/// sorted by kind and chunk, each once (the words a term begins may share a chunk).
fn named_by(store: &Store, term: &str, kinds: &[Kind]) -> Result<Vec<Named>> {
    let mut prefix = term.as_bytes().to_vec();
    // A short term matches itself only: « ce1 » should not read every « ce… ».
    if term.chars().count() < PREFIX_FROM {
        prefix.push(SEPARATOR);
    }
    let mut named: Vec<Named> = store
        .scan_prefix_first(&POSTINGS, &prefix, MAX_POSTINGS_READ)?
        .into_iter()
        .filter(|(posting, _)| kinds.contains(&posting.kind))
        .map(|(posting, bits)| Named {
            kind: posting.kind,
            chunk: posting.chunk,
            bits,
        })
        .collect();
    named.sort_unstable_by(|a, b| (a.kind, &a.chunk).cmp(&(b.kind, &b.chunk)));
    named.dedup_by(|later, kept| {
        let same = later.kind == kept.kind && later.chunk == kept.chunk;
        if same {
            kept.bits |= later.bits;
        }
        same
    });
    Ok(named)
}

/// Some records of one chunk of one kind.
#[derive(Debug)]
struct Named {
    kind: Kind,
    chunk: Vec<u8>,
    bits: Bits,
}

/// The records both name: chunk met with chunk (both sorted by kind and chunk).
fn both(first: Vec<Named>, second: &[Named]) -> Vec<Named> {
    let mut others = second.iter().peekable();
    let mut out = Vec::with_capacity(first.len().min(second.len()));
    for mut named in first {
        let place = (named.kind, named.chunk.as_slice());
        while others
            .next_if(|o| (o.kind, o.chunk.as_slice()) < place)
            .is_some()
        {}
        if let Some(o) = others.peek() {
            if (o.kind, o.chunk.as_slice()) == place {
                named.bits &= o.bits;
                if named.bits != 0 {
                    out.push(named);
                }
            }
        }
    }
    out
}

/// The records a query names, as chunks sorted by kind and chunk.
#[derive(Debug, Default)]
pub struct Found {
    named: Vec<Named>,
}

impl Found {
    /// The records of `kinds` holding every term of `query`.
    pub(super) fn read(store: &Store, query: &[String], kinds: &[Kind]) -> Result<Found> {
        let mut common: Option<Vec<Named>> = None;
        for term in query {
            let named = named_by(store, term, kinds)?;
            let kept = match common {
                None => named,
                Some(before) => both(before, &named),
            };
            if kept.is_empty() {
                return Ok(Found::default());
            }
            common = Some(kept);
        }
        Ok(Found {
            named: common.unwrap_or_default(),
        })
    }

    /// The keys of the newest records of `kind`, newest first, made one at a time as they
    /// are asked for: a page that shows five opens only the chunks it reads.
    pub fn newest(&self, kind: Kind) -> impl Iterator<Item = Vec<u8>> + '_ {
        let start = self.named.partition_point(|n| n.kind < kind);
        let end = self.named.partition_point(|n| n.kind <= kind);
        self.named
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .rev()
            .flat_map(|n| super::keys_in(&n.chunk, n.bits).rev())
    }
}
