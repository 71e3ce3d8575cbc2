//! The mairie's pages: a short list the commune writes, edits and deletes (horaires,
//! contacts, règlement et tarifs de la cantine et du périscolaire, inscriptions
//! scolaires, PEDT…), each in Markdown, shown through the one sanitiser
//! (`ui::richtext`): the source is stored, the HTML made at display.

use serde::{Deserialize, Serialize};

use super::access::Run;
use crate::policy::Granted;
use crate::store::{Result, Store, Table};

pub const PAGES: Table<u64, Page> = Table::new("commune_pages");

/// The pages a mairie usually has, offered as titles when a page is written.
pub const USUAL_TITLES: [&str; 5] = [
    "Horaires de la mairie",
    "Contacts",
    "Cantine et périscolaire : règlement et tarifs",
    "Inscriptions scolaires",
    "PEDT (projet éducatif territorial)",
];

/// Longest page: a règlement intérieur fits.
pub const MAX_BODY: usize = 20_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page {
    pub id: u64,
    pub title: String,
    /// Markdown source.
    pub body: String,
    /// Place in the list (smallest first).
    pub rank: u16,
    pub updated_at: i64,
    pub updated_by: u64,
}

/// A page as typed.
pub struct NewPage {
    pub title: String,
    pub body: String,
    pub rank: u16,
}

/// Every page, in the commune's order.
pub fn pages(store: &Store) -> Result<Vec<Page>> {
    let mut all: Vec<Page> = store.scan(&PAGES)?.into_iter().map(|(_, p)| p).collect();
    all.sort_by_key(|p| (p.rank, p.id));
    Ok(all)
}

pub fn page(store: &Store, id: u64) -> Result<Option<Page>> {
    store.get(&PAGES, &id)
}

/// The rank a new page takes: after the others.
pub fn next_rank(all: &[Page]) -> u16 {
    all.iter()
        .map(|p| p.rank)
        .max()
        .map_or(1, |r| r.saturating_add(1))
}

/// Writes a new page (`id` None) or a page again; its id.
pub async fn save(
    store: &Store,
    granted: &Granted<Run>,
    id: Option<u64>,
    new: &NewPage,
    now: i64,
) -> Result<u64> {
    let by = granted.by();
    store
        .commit(|tx| {
            let id = match id {
                Some(id) => id,
                None => tx.next_id("commune_page")?,
            };
            let page = Page {
                id,
                title: new.title.clone(),
                body: new.body.clone(),
                rank: new.rank,
                updated_at: now,
                updated_by: by,
            };
            tx.put(&PAGES, &id, &page)?;
            Ok(id)
        })
        .await
}

pub async fn delete(store: &Store, _granted: &Granted<Run>, id: u64) -> Result<()> {
    store.commit(|tx| tx.remove(&PAGES, &id)).await
}
