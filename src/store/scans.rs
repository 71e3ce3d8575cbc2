//! Reading a table from its end or one record at a time: the newest rows of a list that
//! grows with the years, and the periodic jobs' walks through whole tables.

use serde::de::DeserializeOwned;

use super::{decode, key_of, Key, Result, Store, Table};

impl Store {
    /// The last `limit` records, newest key first.
    pub fn scan_last<K: Key, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        limit: usize,
    ) -> Result<Vec<(K, V)>> {
        self.collect(table, self.tree(table.name)?.iter().rev().take(limit))
    }

    /// The last `limit` records whose encoded key starts with `prefix`, last key first
    /// (a person's newest notifications).
    pub fn scan_prefix_last<K: Key, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        prefix: &[u8],
        limit: usize,
    ) -> Result<Vec<(K, V)>> {
        self.collect(
            table,
            self.tree(table.name)?.scan_prefix(prefix).rev().take(limit),
        )
    }

    /// The newest `limit` records that `keep` accepts, newest key first: read backwards
    /// and stopped as soon as enough are found (a page of a list that grows with the years).
    pub fn newest_matching<K: Key, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        limit: usize,
        keep: impl Fn(&V) -> bool,
    ) -> Result<Vec<(K, V)>> {
        let mut out = Vec::new();
        for item in self.tree(table.name)?.iter().rev() {
            if out.len() >= limit {
                break;
            }
            let (k, v) = item?;
            self.count_read();
            let value: V = decode(table.name, &v)?;
            if keep(&value) {
                out.push((key_of(table, &k)?, value));
            }
        }
        Ok(out)
    }

    /// Every record of a table, in key order, handed to `visit` one at a time: the
    /// periodic jobs go through whole tables without holding them in memory.
    pub fn visit<K: Key, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        visit: impl FnMut(K, V),
    ) -> Result<()> {
        self.visit_part(table, visit)
    }

    /// [`Store::visit`], some fields of each record only: `P` names a part of `V`'s
    /// fields, serde passing over the others without building them. A view kept in
    /// memory of what a check needs of every record is built so without their texts.
    pub fn visit_part<K: Key, V, P: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        mut visit: impl FnMut(K, P),
    ) -> Result<()> {
        for item in self.tree(table.name)?.iter() {
            let (key, value) = self.row(table, item)?;
            visit(key, value);
        }
        Ok(())
    }

    /// Up to `limit` keys of `from <= key <= to`, in key order, values left unread.
    pub fn keys_between<K: Key, V>(
        &self,
        table: &Table<K, V>,
        from: &K,
        to: &K,
        limit: usize,
    ) -> Result<Vec<K>> {
        self.keys_of(
            table,
            self.tree(table.name)?
                .range(from.encode()..=to.encode())
                .take(limit),
        )
    }

    /// The keys of `from <= key < to`, last first, handed to `visit` until it returns
    /// `false`: the newest rows of an index that match a test the keys alone cannot
    /// answer (a pupil's last séances), without reading the years before them.
    pub fn visit_range_back<K: Key, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        from: &K,
        to: &K,
        mut visit: impl FnMut(K, V) -> Result<bool>,
    ) -> Result<()> {
        for item in self
            .tree(table.name)?
            .range(from.encode()..to.encode())
            .rev()
        {
            let (key, value) = self.row(table, item)?;
            if !visit(key, value)? {
                break;
            }
        }
        Ok(())
    }

    /// The first `limit` records whose encoded key starts with `prefix`, in key order.
    pub fn scan_prefix_first<K: Key, V: DeserializeOwned>(
        &self,
        table: &Table<K, V>,
        prefix: &[u8],
        limit: usize,
    ) -> Result<Vec<(K, V)>> {
        self.collect(
            table,
            self.tree(table.name)?.scan_prefix(prefix).take(limit),
        )
    }

    /// The first `limit` keys starting with `prefix`, in key order, values left unread
    /// (an index's postings).
    pub fn scan_keys_prefix<K: Key, V>(
        &self,
        table: &Table<K, V>,
        prefix: &[u8],
        limit: usize,
    ) -> Result<Vec<K>> {
        self.keys_of(
            table,
            self.tree(table.name)?.scan_prefix(prefix).take(limit),
        )
    }

    fn keys_of<K: Key, V>(
        &self,
        table: &Table<K, V>,
        iter: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
    ) -> Result<Vec<K>> {
        iter.map(|item| {
            let (k, _) = item?;
            self.count_read();
            key_of(table, &k)
        })
        .collect()
    }

    /// Up to `limit` records of a table by name, as stored (encoded key, JSON bytes),
    /// after the key `after`: what a trigger is given, to build again page by page what it
    /// derives from the records, without holding the table in memory.
    pub fn raw_page(
        &self,
        table: &'static str,
        after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        use std::ops::Bound;
        let tree = self.tree(table)?;
        let iter = match after {
            Some(key) => tree.range((Bound::Excluded(key.to_vec()), Bound::Unbounded)),
            None => tree.range::<Vec<u8>, _>(..),
        };
        iter.take(limit)
            .map(|item| {
                let (k, v) = item?;
                Ok((k.to_vec(), v.to_vec()))
            })
            .collect()
    }
}
