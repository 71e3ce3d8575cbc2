//! The médiathèque: the one place where documents, images, sounds, videos and links are
//! kept, in spaces (personal, class, staff, group), with folders, a trash, shares and
//! quotas. Files are blobs (content-addressed, stored once); an item is a name and a
//! place for a blob. Any module inserts a file with the picker (`picker.rs`).

pub mod console;
pub mod images;
pub mod picker;
pub mod routes;
pub mod serve;
mod views;

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::policy::{may, Action, Actor, Profile};
use crate::refusal::{Failure, Outcome};
use crate::store::{Key, Result, Store, Table, Tx};

pub use crate::policy::SpaceRef as Space;

pub const ITEMS: Table<u64, Item> = Table::new("media_items");
/// (space code, item) for listing a space.
pub const BY_SPACE: Table<(String, u64), ()> = Table::new("media_by_space");
/// (owner, item) for quotas and « my files ».
pub const BY_OWNER: Table<(u64, u64), ()> = Table::new("media_by_owner");
pub const SETTINGS: Table<String, MediaSettings> = Table::new("media_settings");
/// Classes whose pupils may add files to the class space.
pub const PUPILS_CONTRIBUTE: Table<u64, i64> = Table::new("media_pupils_contribute");

pub const TABLES: &[&str] = &[
    ITEMS.name,
    BY_SPACE.name,
    BY_OWNER.name,
    SETTINGS.name,
    PUPILS_CONTRIBUTE.name,
];

/// Days an item stays in the trash before it is deleted for good.
pub const TRASH_DAYS: i64 = 30;
const MB: u64 = 1024 * 1024;

pub fn space_code(space: Space) -> String {
    match space {
        Space::Personal(u) => format!("perso-{u}"),
        Space::Class(c) => format!("classe-{c}"),
        Space::Staff => "equipe".into(),
        Space::Group(g) => format!("groupe-{g}"),
    }
}

/// The space of a URL segment (« classe-3 », « equipe », « perso » for one's own).
pub fn parse_space(text: &str, me: u64) -> Option<Space> {
    match text {
        "perso" => Some(Space::Personal(me)),
        "equipe" => Some(Space::Staff),
        t => {
            let (kind, id) = t.split_once('-')?;
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || id.len() > 19 {
                return None;
            }
            let id: u64 = id.parse().ok()?;
            match kind {
                "classe" => Some(Space::Class(id)),
                "groupe" => Some(Space::Group(id)),
                "perso" if id == me => Some(Space::Personal(id)),
                _ => None,
            }
        }
    }
}

/// The URL segment of a space, as seen by `me`.
pub fn space_slug(space: Space, me: u64) -> String {
    match space {
        Space::Personal(u) if u == me => "perso".into(),
        other => space_code(other),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Read,
    Contribute,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Grantee {
    User(u64),
    Group(u64),
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Share {
    pub to: Grantee,
    pub level: Level,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileData {
    pub blob: String,
    pub mime: String,
    pub size: u64,
    /// Smaller versions of an image (EXIF removed, orientation applied).
    #[serde(default)]
    pub web: Option<String>,
    #[serde(default)]
    pub thumb: Option<String>,
    #[serde(default)]
    pub web_size: u64,
    #[serde(default)]
    pub web_mime: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Content {
    Folder,
    File(FileData),
    Link { url: String },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item {
    pub id: u64,
    pub space: Space,
    /// The folder it is in (`None`: the root of the space).
    pub parent: Option<u64>,
    pub name: String,
    pub content: Content,
    pub owner: u64,
    pub created_at: i64,
    pub updated_at: i64,
    /// When (and by whom) it went to the trash.
    #[serde(default)]
    pub trashed: Option<(i64, u64)>,
    #[serde(default)]
    pub shares: Vec<Share>,
}

/// What kind of file, for icons, search by type and the player to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Folder,
    Image,
    Audio,
    Video,
    Document,
    Link,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Folder => "Dossier",
            Kind::Image => "Image",
            Kind::Audio => "Son",
            Kind::Video => "Vidéo",
            Kind::Document => "Document",
            Kind::Link => "Lien",
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Folder => "dossier",
            Kind::Image => "image",
            Kind::Audio => "son",
            Kind::Video => "video",
            Kind::Document => "document",
            Kind::Link => "lien",
        }
    }
    pub const ALL: [Kind; 6] = [
        Kind::Folder,
        Kind::Image,
        Kind::Audio,
        Kind::Video,
        Kind::Document,
        Kind::Link,
    ];
}

impl Item {
    pub fn kind(&self) -> Kind {
        match &self.content {
            Content::Folder => Kind::Folder,
            Content::Link { .. } => Kind::Link,
            Content::File(f) if f.mime.starts_with("image/") => Kind::Image,
            Content::File(f) if f.mime.starts_with("audio/") => Kind::Audio,
            Content::File(f) if f.mime.starts_with("video/") => Kind::Video,
            Content::File(_) => Kind::Document,
        }
    }

    pub fn file(&self) -> Option<&FileData> {
        match &self.content {
            Content::File(f) => Some(f),
            _ => None,
        }
    }

    pub fn is_folder(&self) -> bool {
        self.content == Content::Folder
    }
}

/// Quotas and file-size limits per profile, set by the director (in Mo).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MediaSettings {
    pub quota_mb: BTreeMap<Profile, u64>,
    pub file_mb: BTreeMap<Profile, u64>,
}

impl Default for MediaSettings {
    fn default() -> Self {
        let mut quota_mb = BTreeMap::new();
        let mut file_mb = BTreeMap::new();
        for p in Profile::ALL {
            let (q, f) = match p {
                Profile::Enseignant => (5000, 500),
                Profile::Atsem | Profile::Periscolaire | Profile::Commune | Profile::Conseiller => {
                    (1000, 200)
                }
                Profile::Eleve => (200, 50),
                Profile::Responsable => (100, 20),
                Profile::Intervenant | Profile::Invite => (200, 50),
            };
            quota_mb.insert(p, q);
            file_mb.insert(p, f);
        }
        MediaSettings { quota_mb, file_mb }
    }
}

impl MediaSettings {
    pub fn quota(&self, p: Profile) -> u64 {
        self.quota_mb.get(&p).copied().unwrap_or(100) * MB
    }
    pub fn file_limit(&self, p: Profile) -> u64 {
        self.file_mb.get(&p).copied().unwrap_or(20) * MB
    }
}

pub fn settings(store: &Store) -> Result<MediaSettings> {
    Ok(store
        .get(&SETTINGS, &"limits".to_string())?
        .unwrap_or_default())
}

pub fn save_settings(tx: &mut Tx<'_>, s: &MediaSettings) -> Result<()> {
    tx.put(&SETTINGS, &"limits".to_string(), s)
}

pub fn pupils_contribute(store: &Store, class: u64) -> Result<bool> {
    Ok(store.get(&PUPILS_CONTRIBUTE, &class)?.is_some())
}

pub async fn set_pupils_contribute(store: &Store, class: u64, on: bool, now: i64) -> Result<()> {
    store
        .commit(|tx| {
            if on {
                tx.put(&PUPILS_CONTRIBUTE, &class, &now)
            } else {
                tx.remove(&PUPILS_CONTRIBUTE, &class)
            }
        })
        .await
}

// ---- access ----

/// What a person may do with an item: through its space (the policy) or a share on it
/// or on a folder above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    None,
    Read,
    Write,
}

pub fn space_access(store: &Store, actor: &Actor, space: Space) -> Result<Access> {
    let contribute = match space {
        Space::Class(c) => pupils_contribute(store, c)?,
        _ => false,
    };
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

fn share_level(item: &Item, actor: &Actor) -> Access {
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

/// The access of `actor` to `item`, shares of the folders above included.
pub fn access(store: &Store, actor: &Actor, item: &Item) -> Result<Access> {
    let mut best = space_access(store, actor, item.space)?;
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

/// Items shared with this person (directly or through a group), not trashed.
pub fn shared_with(store: &Store, actor: &Actor) -> Result<Vec<Item>> {
    Ok(store
        .scan(&ITEMS)?
        .into_iter()
        .map(|(_, i)| i)
        .filter(|i| {
            i.trashed.is_none() && i.owner != actor.user_id && share_level(i, actor) > Access::None
        })
        .collect())
}

/// Trashed items the person may restore (they may write in their space).
pub fn trash(store: &Store, actor: &Actor) -> Result<Vec<Item>> {
    let mut out = Vec::new();
    for (_, i) in store.scan(&ITEMS)? {
        if i.trashed.is_some() && access(store, actor, &i)? == Access::Write {
            out.push(i);
        }
    }
    out.sort_by_key(|i| std::cmp::Reverse(i.trashed.map(|t| t.0).unwrap_or(0)));
    Ok(out)
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

// ---- writing ----

fn index(tx: &mut Tx<'_>, item: &Item) -> Result<()> {
    tx.put(&ITEMS, &item.id, item)?;
    tx.put(&BY_SPACE, &(space_code(item.space), item.id), &())?;
    tx.put(&BY_OWNER, &(item.owner, item.id), &())
}

fn unindex(tx: &mut Tx<'_>, item: &Item) -> Result<()> {
    tx.remove(&ITEMS, &item.id)?;
    tx.remove(&BY_SPACE, &(space_code(item.space), item.id))?;
    tx.remove(&BY_OWNER, &(item.owner, item.id))
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
fn unique_name(siblings: &[Item], wanted: &str) -> String {
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

pub struct NewItem {
    pub space: Space,
    pub parent: Option<u64>,
    pub name: String,
    pub content: Content,
    pub owner: u64,
}

pub async fn create(store: &Store, new: NewItem, now: i64) -> Outcome<u64> {
    let siblings = children(store, new.space, new.parent)?;
    let name = unique_name(&siblings, &new.name);
    store
        .commit_checked(|tx| {
            check_parent(tx, new.space, new.parent)?;
            let id = tx.next_id("media")?;
            index(
                tx,
                &Item {
                    id,
                    space: new.space,
                    parent: new.parent,
                    name: name.clone(),
                    content: new.content.clone(),
                    owner: new.owner,
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

pub async fn rename(store: &Store, id: u64, name: &str, now: i64) -> Outcome<()> {
    let Some(current) = item(store, id)? else {
        return Err(Failure::refused("Cet élément n'existe plus."));
    };
    let siblings: Vec<Item> = children(store, current.space, current.parent)?
        .into_iter()
        .filter(|i| i.id != id)
        .collect();
    let name = unique_name(&siblings, name);
    store
        .commit_checked(|tx| {
            let mut i = tx
                .get(&ITEMS, &id)?
                .ok_or_else(|| Failure::refused("Cet élément n'existe plus."))?;
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
fn descendants(store: &Store, folder: &Item) -> Result<Vec<Item>> {
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

/// Moves an item (with what it contains) to a folder of a space.
pub async fn move_to(
    store: &Store,
    id: u64,
    space: Space,
    parent: Option<u64>,
    now: i64,
) -> Outcome<()> {
    let Some(current) = item(store, id)? else {
        return Err(Failure::refused("Cet élément n'existe plus."));
    };
    if current.is_folder() && inside(store, parent, id)? {
        return Err(Failure::refused(
            "Un dossier ne peut pas aller dans lui-même.",
        ));
    }
    let below = if current.is_folder() {
        descendants(store, &current)?
    } else {
        Vec::new()
    };
    let siblings = children(store, space, parent)?;
    let name = unique_name(
        &siblings
            .into_iter()
            .filter(|s| s.id != id)
            .collect::<Vec<_>>(),
        &current.name,
    );
    store
        .commit_checked(|tx| {
            check_parent(tx, space, parent)?;
            let mut i = tx
                .get(&ITEMS, &id)?
                .ok_or_else(|| Failure::refused("Cet élément n'existe plus."))?;
            unindex(tx, &i)?;
            i.space = space;
            i.parent = parent;
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
    id: u64,
    space: Space,
    parent: Option<u64>,
    owner: u64,
    now: i64,
) -> Outcome<u64> {
    let Some(current) = item(store, id)? else {
        return Err(Failure::refused("Cet élément n'existe plus."));
    };
    if current.is_folder() {
        return Err(Failure::refused(
            "Copiez les fichiers un par un : les dossiers ne se copient pas.",
        ));
    }
    create(
        store,
        NewItem {
            space,
            parent,
            name: current.name.clone(),
            content: current.content.clone(),
            owner,
        },
        now,
    )
    .await
}

/// To the trash (with what a folder contains); restored or purged later.
pub async fn trash_item(store: &Store, id: u64, by: u64, now: i64) -> Outcome<()> {
    store
        .commit_checked(|tx| {
            let mut i = tx
                .get(&ITEMS, &id)?
                .ok_or_else(|| Failure::refused("Cet élément n'existe plus."))?;
            i.trashed = Some((now, by));
            Ok(tx.put(&ITEMS, &id, &i)?)
        })
        .await
}

/// Back from the trash; to the root of its space if its folder is gone.
pub async fn restore(store: &Store, id: u64, now: i64) -> Outcome<()> {
    let Some(current) = item(store, id)? else {
        return Err(Failure::refused("Cet élément n'existe plus."));
    };
    let parent_ok = match current.parent {
        Some(p) => item(store, p)?.is_some_and(|f| f.trashed.is_none()),
        None => true,
    };
    let parent = if parent_ok { current.parent } else { None };
    let siblings = children(store, current.space, parent)?;
    let name = unique_name(&siblings, &current.name);
    store
        .commit_checked(|tx| {
            let mut i = tx
                .get(&ITEMS, &id)?
                .ok_or_else(|| Failure::refused("Cet élément n'existe plus."))?;
            i.trashed = None;
            i.parent = parent;
            i.name = name.clone();
            i.updated_at = now;
            Ok(tx.put(&ITEMS, &id, &i)?)
        })
        .await
}

/// Deletes for good what has been in the trash longer than [`TRASH_DAYS`] (folders with
/// their content). Blobs no record references any more go with the next blob sweep.
pub fn purge_trash(store: &Store, now: i64) -> Result<usize> {
    let cutoff = now - TRASH_DAYS * 86_400 * 1_000_000;
    let mut doomed: Vec<Item> = Vec::new();
    for (_, i) in store.scan(&ITEMS)? {
        if i.trashed.is_some_and(|(at, _)| at < cutoff) {
            if i.is_folder() {
                doomed.extend(descendants(store, &i)?);
            }
            doomed.push(i);
        }
    }
    if doomed.is_empty() {
        return Ok(0);
    }
    store.commit_blocking(|tx| {
        for i in &doomed {
            unindex(tx, i)?;
        }
        Ok(())
    })?;
    Ok(doomed.len())
}

pub async fn set_shares(store: &Store, id: u64, shares: Vec<Share>, now: i64) -> Outcome<()> {
    store
        .commit_checked(|tx| {
            let mut i = tx
                .get(&ITEMS, &id)?
                .ok_or_else(|| Failure::refused("Cet élément n'existe plus."))?;
            i.shares = shares.clone();
            i.updated_at = now;
            Ok(tx.put(&ITEMS, &id, &i)?)
        })
        .await
}

/// Removes the personal space of a deleted account (its files are nobody else's).
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let items = in_space(store, Space::Personal(user))?;
    Ok(Box::new(move |tx| {
        for i in &items {
            unindex(tx, i)?;
        }
        Ok(())
    }))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_parse_from_urls_and_refuse_junk() {
        assert_eq!(parse_space("perso", 7), Some(Space::Personal(7)));
        assert_eq!(parse_space("perso-7", 7), Some(Space::Personal(7)));
        assert_eq!(
            parse_space("perso-8", 7),
            None,
            "someone else's personal space has no URL"
        );
        assert_eq!(parse_space("classe-3", 7), Some(Space::Class(3)));
        assert_eq!(parse_space("groupe-4", 7), Some(Space::Group(4)));
        assert_eq!(parse_space("equipe", 7), Some(Space::Staff));
        for junk in [
            "classe-",
            "classe-../../etc",
            "classe--1",
            "classe-1/2",
            "../perso",
            "classe-99999999999999999999",
            "",
        ] {
            assert_eq!(parse_space(junk, 7), None, "{junk}");
        }
        for s in [
            Space::Class(3),
            Space::Staff,
            Space::Group(2),
            Space::Personal(7),
        ] {
            assert_eq!(parse_space(&space_slug(s, 7), 7), Some(s));
        }
    }

    #[test]
    fn names_are_made_unique_in_a_folder() {
        let sibling = |name: &str| Item {
            id: 1,
            space: Space::Staff,
            parent: None,
            name: name.into(),
            content: Content::Folder,
            owner: 1,
            created_at: 0,
            updated_at: 0,
            trashed: None,
            shares: vec![],
        };
        let s = vec![sibling("photo.jpg"), sibling("Photo (2).jpg")];
        assert_eq!(unique_name(&s, "photo.jpg"), "photo (3).jpg");
        assert_eq!(unique_name(&s, "autre.jpg"), "autre.jpg");
        assert_eq!(unique_name(&s, "../../secret"), "secret");
    }
}
