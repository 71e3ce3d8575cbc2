//! One search across the school (`/recherche`): messages, mots, news, agenda events, blog
//! articles and comments, cahier de textes entries, lessons, exercises, médiathèque items
//! and people.
//!
//! The index is a table of postings (term, kind of record, record key) written by the
//! store's triggers **inside the transaction that writes the record** (`Trigger`): a
//! record and its postings are committed together or not at all, so the index survives a
//! crash without a queue to replay. It is rebuilt by `preau check --reindex` and by the
//! migration that created it.
//!
//! Why not a full-text library (tantivy): it would add several megabytes to a binary
//! already over its budget, keep a second engine's files beside sled's, and could not be
//! written in sled's transaction. A school holds thousands of records, not millions: a
//! sorted table of postings read by prefix answers in milliseconds; the words are cut and
//! stemmed by the Snowball French stemmer (`rust-stemmers`, the one tantivy uses).
//!
//! The index only says where the words are. What a person finds is decided per record
//! by the same access functions as the record's page (`found`), as that page's service
//! sees them (switched on, open to their classes).

mod found;
mod kinds;
mod newest;
pub mod routes;
mod views;
pub mod words;

use crate::store::keys::Key;
use crate::store::{Result, Store, Table, Trigger, Tx};

pub use kinds::Kind;
pub use newest::Found;

/// The postings of one term in the records of one kind whose keys differ only in the
/// last six bits (64 ids in a row): which of them hold the term is a bit each in the
/// value ([`Bits`]). A term's records are read 64 at a time: reading the index one record
/// at a time was half of a search in a large school.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Posting {
    pub term: String,
    pub kind: Kind,
    /// The records' key with the last six bits cleared.
    pub chunk: Vec<u8>,
}

/// Which records of a [`Posting`]'s chunk hold its term: bit `n` for the key whose last
/// byte's low six bits are `n`.
pub type Bits = u64;

/// Between the term and the rest: a byte that never appears in UTF-8.
const SEPARATOR: u8 = 0xff;

/// The low bits of a key's last byte that choose its bit in a chunk.
const IN_CHUNK: u8 = 63;

impl Key for Posting {
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.term.len() + 2 + self.chunk.len());
        out.extend_from_slice(self.term.as_bytes());
        out.push(SEPARATOR);
        out.push(self.kind.code());
        out.extend_from_slice(&self.chunk);
        out
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        let split = bytes.iter().position(|b| *b == SEPARATOR)?;
        let (term, rest) = bytes.split_at(split);
        let kind = Kind::from_code(*rest.get(1)?)?;
        Some(Posting {
            term: String::from_utf8(term.to_vec()).ok()?,
            kind,
            chunk: rest.get(2..)?.to_vec(),
        })
    }
}

/// A record's chunk and its bit in it; `None` for an empty key (no table has one).
fn chunk_of(key: &[u8]) -> Option<(Vec<u8>, Bits)> {
    let (last, _) = key.split_last()?;
    let mut chunk = key.to_vec();
    if let Some(l) = chunk.last_mut() {
        *l = last & !IN_CHUNK;
    }
    Some((chunk, 1 << (last & IN_CHUNK)))
}

/// The records' keys a chunk's bits name, in key order.
fn keys_in(chunk: &[u8], bits: Bits) -> impl DoubleEndedIterator<Item = Vec<u8>> + '_ {
    (0..64u8)
        .filter(move |n| bits & (1 << n) != 0)
        .map(move |n| {
            let mut key = chunk.to_vec();
            if let Some(l) = key.last_mut() {
                *l |= n;
            }
            key
        })
}

pub const POSTINGS: Table<Posting, Bits> = Table::new("search_postings");

pub const TABLES: &[&str] = &[POSTINGS.name];

/// The triggers that keep the index, one per indexed table.
pub fn triggers() -> Vec<(&'static str, Trigger)> {
    kinds::TRIGGERS.to_vec()
}

/// Rewrites a record's postings: the terms it lost go, the terms it gained come.
fn reindex(
    tx: &mut Tx<'_>,
    kind: Kind,
    key: &[u8],
    before: Option<&[u8]>,
    after: Option<&[u8]>,
) -> Result<()> {
    let old = before.map(|b| kind.terms(b)).unwrap_or_default();
    let new = after.map(|a| kind.terms(a)).unwrap_or_default();
    let Some((chunk, bit)) = chunk_of(key) else {
        return Ok(());
    };
    for term in old.difference(&new) {
        let posting = posting(term, kind, &chunk);
        match tx.get(&POSTINGS, &posting)?.map(|bits| bits & !bit) {
            Some(0) | None => tx.remove(&POSTINGS, &posting)?,
            Some(left) => tx.put(&POSTINGS, &posting, &left)?,
        }
    }
    for term in new.difference(&old) {
        let posting = posting(term, kind, &chunk);
        let bits = tx.get(&POSTINGS, &posting)?.unwrap_or(0) | bit;
        tx.put(&POSTINGS, &posting, &bits)?;
    }
    Ok(())
}

fn posting(term: &str, kind: Kind, chunk: &[u8]) -> Posting {
    Posting {
        term: term.to_string(),
        kind,
        chunk: chunk.to_vec(),
    }
}

/// Records per transaction while the index is rebuilt.
const REBUILD_BATCH: usize = 200;

/// Builds the index again from the records: every posting goes, every indexed table is
/// read again. Returns the number of postings written.
pub fn rebuild(store: &Store) -> Result<usize> {
    loop {
        let stale = store.scan_keys_prefix(&POSTINGS, &[], 5_000)?;
        if stale.is_empty() {
            break;
        }
        store.write(|tx| {
            for p in &stale {
                tx.remove(&POSTINGS, p)?;
            }
            Ok(())
        })?;
    }
    for kind in Kind::ALL {
        let mut after: Option<Vec<u8>> = None;
        loop {
            let batch = store.raw_page(kind.table(), after.as_deref(), REBUILD_BATCH)?;
            let Some((last, _)) = batch.last() else {
                break;
            };
            after = Some(last.clone());
            store.write(|tx| {
                for (key, value) in &batch {
                    reindex(tx, kind, key, None, Some(value))?;
                }
                Ok(())
            })?;
        }
    }
    store.flush_blocking()?;
    store.count(POSTINGS.name)
}

/// Terms shorter than this match whole words only; longer ones also begin longer words.
const PREFIX_FROM: usize = 3;

/// Postings (chunks of 64 records) read for one term of a query at most: what a search
/// holds in memory stays bounded (a few megabytes) whatever the school's size.
const MAX_POSTINGS_READ: usize = 50_000;

/// The records holding every term of the query (a term of three letters or more also
/// matches the longer words it begins: « math » finds « mathématiques »), by kind, newest
/// key first: at most `cap` per kind.
pub fn candidates(store: &Store, query: &[String], cap: usize) -> Result<Vec<(Kind, Vec<u8>)>> {
    candidates_in(store, query, cap, &Kind::ALL)
}

/// [`candidates`] of `kinds` only, in their order.
pub fn candidates_in(
    store: &Store,
    query: &[String],
    cap: usize,
    kinds: &[Kind],
) -> Result<Vec<(Kind, Vec<u8>)>> {
    let found = find(store, query, kinds)?;
    Ok(kinds
        .iter()
        .flat_map(|&kind| found.newest(kind).take(cap).map(move |key| (kind, key)))
        .collect())
}

/// The records of `kinds` holding every term of the query, read from the index as chunks
/// ([`newest`]): the page then takes each kind's newest, as many as it needs to find the
/// ones the person may see.
pub fn find(store: &Store, query: &[String], kinds: &[Kind]) -> Result<Found> {
    Found::read(store, query, kinds)
}

#[cfg(test)]
mod tests;
