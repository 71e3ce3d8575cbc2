//! The médiathèque: the one place where documents, images, sounds, videos and links are
//! kept, in spaces (personal, class, staff, group), with folders, a trash, shares and
//! quotas. Files are blobs (content-addressed, stored once); an item is a name and a
//! place for a blob. Any module inserts a file with the picker (`picker.rs`).
//!
//! Here the model, the tables and the settings; `items.rs`, `shares.rs` and `trash.rs`
//! the service functions (taking `now`); `access.rs` who may read a space or an item, manage
//! an item, add to a place, manage a class space or the quotas, each answer a [`Granted`]
//! proof that the changes take; `forms.rs` the typed inputs; `routes/` the handlers;
//! `views.rs` the pages; `images.rs` the publishing step; `serve.rs` Range requests.

pub mod access;
pub mod console;
mod forms;
pub mod images;
mod items;
pub mod kept;
pub mod picker;
pub mod routes;
pub mod serve;
pub mod shares;
mod trash;
mod views;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::policy::{Granted, Profile};
use crate::store::{Result, Store, Table, Tx};

pub use crate::policy::SpaceRef as Space;
pub use access::{access, rights, space_access, Access, Rights};
pub use items::{
    children, copy, create, file_data, in_space, item, move_to, path, referenced_blobs, rename,
    search, usage,
};
pub use shares::{set_shares, shared_with};
pub use trash::{forget, purge_trash, restore, trash, trash_item};
pub use views::space_label;

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

/// The space of a URL segment with the folder asked in it: someone else's personal space
/// has a URL only down to a folder of it (« perso-7?dossier=12 »), for a folder shared
/// with `me` (the access check decides); its root stays without one.
pub fn parse_space_at(text: &str, me: u64, folder: Option<u64>) -> Option<Space> {
    if let Some(space) = parse_space(text, me) {
        return Some(space);
    }
    folder?;
    let id = text.strip_prefix("perso-")?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || id.len() > 19 {
        return None;
    }
    Some(Space::Personal(id.parse().ok()?))
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
    /// The beginning of a text document (plain text, Markdown, CSV), for the search.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
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

/// Saves the quotas, inside the caller's transaction (with its audit line).
pub fn save_settings(
    tx: &mut Tx<'_>,
    _granted: &Granted<access::Quotas>,
    s: &MediaSettings,
) -> Result<()> {
    tx.put(&SETTINGS, &"limits".to_string(), s)
}

pub fn pupils_contribute(store: &Store, class: u64) -> Result<bool> {
    Ok(store.get(&PUPILS_CONTRIBUTE, &class)?.is_some())
}

pub async fn set_pupils_contribute(
    store: &Store,
    granted: &Granted<access::ClassSpace>,
    on: bool,
    now: i64,
) -> Result<()> {
    let class = granted.object().class_id();
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
        assert_eq!(
            parse_space_at("perso-8", 7, Some(12)),
            Some(Space::Personal(8)),
            "down to a folder, for its shares to decide"
        );
        assert_eq!(parse_space_at("perso-8", 7, None), None, "never its root");
        assert_eq!(parse_space_at("perso-8x", 7, Some(12)), None);
        assert_eq!(parse_space_at("perso-", 7, Some(12)), None);
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
        use super::items::unique_name;
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
