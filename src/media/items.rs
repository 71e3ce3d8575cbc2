//! Items of the médiathèque: reading a space, its folders and what a person may find, and
//! the changes to items (create, rename, move, copy), each taking the proof of its check.

use std::collections::HashSet;

use super::access::{access, Access, Managed, Place};
use super::{space_code, Content, FileData, Item, Kind, Space, BY_OWNER, BY_SPACE, ITEMS};
use crate::attachments::Attachment;
use crate::policy::{Actor, Granted};
use crate::refusal::{Failure, Outcome};
use crate::store::{Key, Result, Store, Tx};

// ---- reading ----

pub fn item(store: &Store, id: u64) -> Result<Option<Item>> {
    store.get(&ITEMS, &id)
}

pub fn in_space(store: &Store, space: Space) -> Result<Vec<Item>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(
        &BY_SPACE,
        &crate::store::keys::tag_prefix(&space_code(space)),
    )? {
        if let Some(i) = store.get(&ITEMS, &id)? {
            out.push(i);
        }
    }
    Ok(out)
}

/// The items of a folder (or the root), trash excluded, folders first then by name.
pub fn children(store: &Store, space: Space, parent: Option<u64>) -> Result<Vec<Item>> {
    let mut out: Vec<Item> = in_space(store, space)?
        .into_iter()
        .filter(|i| i.parent == parent && i.trashed.is_none())
        .collect();
    out.sort_by_key(|i| (!i.is_folder(), crate::directory::fold(&i.name)));
    Ok(out)
}

/// The folders from the root down to `folder` (for the breadcrumb).
pub fn path(store: &Store, folder: Option<u64>) -> Result<Vec<Item>> {
    let mut out = Vec::new();
    let mut current = folder;
    while let Some(id) = current {
        let Some(i) = store.get(&ITEMS, &id)? else {
            break;
        };
        current = i.parent;
        out.push(i);
        if out.len() > 64 {
            break;
        }
    }
    out.reverse();
    Ok(out)
}

/// Bytes of files a person has put in the médiathèque (trash included until purged).
pub fn usage(store: &Store, owner: u64) -> Result<u64> {
    let mut total = 0;
    for ((_, id), ()) in store.scan_prefix(&BY_OWNER, &owner.encode())? {
        if let Some(Item {
            content: Content::File(f),
            ..
        }) = store.get(&ITEMS, &id)?
        {
            total += f.size;
        }
    }
    Ok(total)
}

/// Every blob an item refers to (original and smaller versions).
pub fn referenced_blobs(store: &Store) -> Result<HashSet<String>> {
    let mut out = HashSet::new();
    for (_, i) in store.scan(&ITEMS)? {
        if let Content::File(f) = i.content {
            out.insert(f.blob);
            out.extend(f.web);
            out.extend(f.thumb);
        }
    }
    Ok(out)
}

/// Search in what a person may read: by name (accents folded) and by kind.
pub fn search(store: &Store, actor: &Actor, query: &str, kind: Option<Kind>) -> Result<Vec<Item>> {
    let words: Vec<String> = crate::directory::fold(query)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut out = Vec::new();
    for (_, i) in store.scan(&ITEMS)? {
        if i.trashed.is_some() || kind.is_some_and(|k| i.kind() != k) {
            continue;
        }
        let name = crate::directory::fold(&i.name);
        if !words.iter().all(|w| name.contains(w.as_str())) {
            continue;
        }
        if access(store, actor, &i)? > Access::None {
            out.push(i);
        }
        if out.len() >= 200 {
            break;
        }
    }
    Ok(out)
}

// ---- writing ----

pub(super) fn index(tx: &mut Tx<'_>, item: &Item) -> Result<()> {
    tx.put(&ITEMS, &item.id, item)?;
    tx.put(&BY_SPACE, &(space_code(item.space), item.id), &())?;
    tx.put(&BY_OWNER, &(item.owner, item.id), &())
}

pub(super) fn unindex(tx: &mut Tx<'_>, item: &Item) -> Result<()> {
    tx.remove(&ITEMS, &item.id)?;
    tx.remove(&BY_SPACE, &(space_code(item.space), item.id))?;
    tx.remove(&BY_OWNER, &(item.owner, item.id))
}

/// The item as it is now in the transaction (it may have gone since the check).
pub(super) fn current(tx: &Tx<'_>, id: u64) -> Outcome<Item> {
    tx.get(&ITEMS, &id)?
        .ok_or_else(|| Failure::refused("Cet élément n'existe plus."))
}

/// Checks that `parent` is a live folder of `space`.
fn check_parent(tx: &Tx<'_>, space: Space, parent: Option<u64>) -> Outcome<()> {
    if let Some(p) = parent {
        match tx.get(&ITEMS, &p)? {
            Some(f) if f.is_folder() && f.space == space && f.trashed.is_none() => {}
            _ => return Err(Failure::refused("Ce dossier n'existe plus.")),
        }
    }
    Ok(())
}

/// A name for a new item: trimmed, no control characters, unique in its folder
/// (« photo (2).jpg »).
pub(super) fn unique_name(siblings: &[Item], wanted: &str) -> String {
    let clean = crate::attachments::clean_name(wanted);
    let taken = |n: &str| {
        siblings.iter().any(|s| {
            s.trashed.is_none() && crate::directory::fold(&s.name) == crate::directory::fold(n)
        })
    };
    if !taken(&clean) {
        return clean;
    }
    let (stem, ext) = match clean.rfind('.') {
        Some(i) if i > 0 => (&clean[..i], &clean[i..]),
        _ => (clean.as_str(), ""),
    };
    (2..)
        .map(|n| format!("{stem} ({n}){ext}"))
        .find(|c| !taken(c))
        .unwrap_or(clean.clone())
}

/// The file of an upload as the médiathèque keeps it: for an image, its web size and
/// thumbnail without EXIF; a photo too large to decode here still loses its metadata
/// for others through the publishing step.
pub async fn file_data(store: &Store, a: &Attachment) -> FileData {
    let mut data = FileData {
        blob: a.blob.clone(),
        mime: a.mime.clone(),
        size: a.size,
        web: None,
        thumb: None,
        web_size: 0,
        web_mime: String::new(),
        text: String::new(),
    };
    if a.mime.starts_with("text/") {
        data.text = text_of(store, &a.blob).await;
    }
    if a.mime.starts_with("image/") && a.size <= 60 * 1024 * 1024 {
        let path = crate::store::BlobId::parse(&a.blob).map(|id| store.blobs().path(&id));
        let store = store.clone();
        let derived = tokio::task::spawn_blocking(move || {
            let d = super::images::derive(&path?)?;
            let web = store.blobs().put_bytes(&d.web).ok()?;
            let thumb = store.blobs().put_bytes(&d.thumb).ok()?;
            Some((web, thumb, d.web.len() as u64, d.mime))
        })
        .await
        .ok()
        .flatten();
        if let Some((web, thumb, web_size, mime)) = derived {
            data.web = Some(web.as_str().to_string());
            data.thumb = Some(thumb.as_str().to_string());
            data.web_size = web_size;
            data.web_mime = mime.to_string();
        }
    }
    if data.web.is_none() {
        let clean = super::images::publish(store, a.clone()).await;
        if clean.blob != a.blob {
            data.web = Some(clean.blob);
            data.web_size = clean.size;
            data.web_mime = clean.mime;
        }
    }
    data
}

/// What the search reads of a text document: its first [`TEXT_KEPT`] bytes, cut at a
/// character, or nothing when it is not UTF-8 text.
const TEXT_KEPT: u64 = 16 * 1024;

async fn text_of(store: &Store, blob: &str) -> String {
    use std::io::Read;
    let Some(path) = crate::store::BlobId::parse(blob).map(|id| store.blobs().path(&id)) else {
        return String::new();
    };
    tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(TEXT_KEPT).read_to_end(&mut bytes))
            .ok()?;
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t,
            // Cut inside a character: keep what is whole.
            Err(e) if e.error_len().is_none() => {
                std::str::from_utf8(bytes.get(..e.valid_up_to())?).ok()?
            }
            Err(_) => return None,
        };
        Some(text.to_string())
    })
    .await
    .ok()
    .flatten()
    .unwrap_or_default()
}

/// Adds an item where the proof allows, owned by the person granted.
pub async fn create(
    store: &Store,
    to: &Granted<Place>,
    name: &str,
    content: Content,
    now: i64,
) -> Outcome<u64> {
    let Place { space, folder } = *to.object();
    let siblings = children(store, space, folder)?;
    let name = unique_name(&siblings, name);
    let owner = to.by();
    store
        .commit_checked(|tx| {
            check_parent(tx, space, folder)?;
            let id = tx.next_id("media")?;
            index(
                tx,
                &Item {
                    id,
                    space,
                    parent: folder,
                    name: name.clone(),
                    content: content.clone(),
                    owner,
                    created_at: now,
                    updated_at: now,
                    trashed: None,
                    shares: Vec::new(),
                },
            )?;
            Ok(id)
        })
        .await
}

pub async fn rename(
    store: &Store,
    granted: &Granted<Managed>,
    name: &str,
    now: i64,
) -> Outcome<()> {
    let target = granted.object().item();
    let id = target.id;
    let siblings: Vec<Item> = children(store, target.space, target.parent)?
        .into_iter()
        .filter(|i| i.id != id)
        .collect();
    let name = unique_name(&siblings, name);
    store
        .commit_checked(|tx| {
            let mut i = current(tx, id)?;
            i.name = name.clone();
            i.updated_at = now;
            Ok(tx.put(&ITEMS, &id, &i)?)
        })
        .await
}

/// Whether `folder` is `id` itself or inside it (a folder cannot go into itself).
fn inside(store: &Store, folder: Option<u64>, id: u64) -> Result<bool> {
    Ok(path(store, folder)?.iter().any(|f| f.id == id))
}

/// Every item below a folder (not the folder itself).
pub(super) fn descendants(store: &Store, folder: &Item) -> Result<Vec<Item>> {
    let all = in_space(store, folder.space)?;
    let mut out = Vec::new();
    let mut frontier = vec![folder.id];
    while let Some(f) = frontier.pop() {
        for i in all.iter().filter(|i| i.parent == Some(f)) {
            if i.is_folder() {
                frontier.push(i.id);
            }
            out.push(i.clone());
        }
    }
    Ok(out)
}

/// Moves an item (with what it contains) to a folder of a space where one may add.
pub async fn move_to(
    store: &Store,
    granted: &Granted<Managed>,
    to: &Granted<Place>,
    now: i64,
) -> Outcome<()> {
    let id = granted.object().item().id;
    let Place { space, folder } = *to.object();
    let Some(moved) = item(store, id)? else {
        return Err(Failure::refused("Cet élément n'existe plus."));
    };
    if moved.is_folder() && inside(store, folder, id)? {
        return Err(Failure::refused(
            "Un dossier ne peut pas aller dans lui-même.",
        ));
    }
    let below = if moved.is_folder() {
        descendants(store, &moved)?
    } else {
        Vec::new()
    };
    let siblings: Vec<Item> = children(store, space, folder)?
        .into_iter()
        .filter(|s| s.id != id)
        .collect();
    let name = unique_name(&siblings, &moved.name);
    store
        .commit_checked(|tx| {
            check_parent(tx, space, folder)?;
            let mut i = current(tx, id)?;
            unindex(tx, &i)?;
            i.space = space;
            i.parent = folder;
            i.name = name.clone();
            i.updated_at = now;
            index(tx, &i)?;
            for b in &below {
                if let Some(mut d) = tx.get(&ITEMS, &b.id)? {
                    unindex(tx, &d)?;
                    d.space = space;
                    index(tx, &d)?;
                }
            }
            Ok(())
        })
        .await
}

/// Copies a file or a link (not a folder) to a folder; the blob is shared, not copied.
pub async fn copy(
    store: &Store,
    granted: &Granted<Managed>,
    to: &Granted<Place>,
    now: i64,
) -> Outcome<u64> {
    let Some(source) = item(store, granted.object().item().id)? else {
        return Err(Failure::refused("Cet élément n'existe plus."));
    };
    if source.is_folder() {
        return Err(Failure::refused(
            "Copiez les fichiers un par un : les dossiers ne se copient pas.",
        ));
    }
    create(store, to, &source.name, source.content, now).await
}
