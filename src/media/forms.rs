//! The typed inputs of the médiathèque's forms and queries, with the field names the pages
//! send, and their checks (French sentences shown to the person).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Content, Kind, MediaSettings, Space};
use crate::messaging::Target;
use crate::policy::Profile;

/// The folder shown or added to, and the order of a listing.
#[derive(Deserialize)]
pub struct FolderQuery {
    pub dossier: Option<u64>,
    pub tri: Option<String>,
}

/// The folder a form adds to (hidden field; anything but a number means the root).
fn folder(text: &str) -> Option<u64> {
    text.parse().ok()
}

#[derive(Deserialize)]
pub struct NewFolder {
    #[serde(default)]
    pub dossier: String,
    #[serde(default)]
    pub name: String,
}

impl NewFolder {
    pub fn folder(&self) -> Option<u64> {
        folder(&self.dossier)
    }

    pub fn check(&self) -> Result<(String, Content), &'static str> {
        let name = self.name.trim().to_string();
        if name.is_empty() {
            Err("Donnez un nom au dossier.")
        } else {
            Ok((name, Content::Folder))
        }
    }
}

#[derive(Deserialize)]
pub struct NewLink {
    #[serde(default)]
    pub dossier: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: String,
}

impl NewLink {
    pub fn folder(&self) -> Option<u64> {
        folder(&self.dossier)
    }

    /// A title and a web address without characters that would break out of a link.
    pub fn check(&self) -> Result<(String, Content), &'static str> {
        let title = self.title.trim().to_string();
        let url = self.url.trim().to_string();
        let valid = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() < 2000
            && !url
                .chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '<');
        if title.is_empty() || !valid {
            Err("Un lien a besoin d'un titre et d'une adresse commençant par https:// ou http://.")
        } else {
            Ok((title, Content::Link { url }))
        }
    }
}

/// The class space's setting: the box is sent (`on=1`) only when ticked.
#[derive(Deserialize)]
pub struct PupilsContribute {
    #[serde(default)]
    pub on: String,
}

impl PupilsContribute {
    pub fn on(&self) -> bool {
        self.on == "1"
    }
}

#[derive(Deserialize)]
pub struct Rename {
    #[serde(default)]
    pub name: String,
}

impl Rename {
    pub fn check(&self) -> Result<&str, &'static str> {
        if self.name.trim().is_empty() {
            Err("Le nom ne peut pas être vide.")
        } else {
            Ok(&self.name)
        }
    }
}

/// « Déplacer » or « Copier » to `space:folder` (`equipe:` for the root of a space).
#[derive(Deserialize)]
pub struct MoveOrCopy {
    #[serde(default)]
    pub destination: String,
    #[serde(default)]
    pub action: String,
}

/// Where a move or a copy goes, as the form named it.
pub enum Destination {
    /// Not of the form `space:folder`.
    Unknown,
    /// A space or folder that has no URL for this person.
    NotFound,
    Place(Space, Option<u64>),
}

impl MoveOrCopy {
    pub fn copy(&self) -> bool {
        self.action == "copier"
    }

    pub fn destination(&self, me: u64) -> Destination {
        let Some((code, folder)) = self.destination.split_once(':') else {
            return Destination::Unknown;
        };
        let Some(space) = super::parse_space(code, me) else {
            return Destination::NotFound;
        };
        if folder.is_empty() {
            return Destination::Place(space, None);
        }
        match folder.parse() {
            Ok(f) => Destination::Place(space, Some(f)),
            Err(_) => Destination::NotFound,
        }
    }
}

/// A share: with whom (`u12`, `g3`), and « lecture » or « ajout ».
#[derive(Deserialize)]
pub struct ShareWith {
    #[serde(default)]
    pub avec: String,
    #[serde(default)]
    pub droit: String,
}

impl ShareWith {
    pub fn target(&self) -> Option<Target> {
        Target::parse(&self.avec)
    }

    pub fn contribute(&self) -> bool {
        self.droit == "ajout"
    }
}

/// The share to withdraw, by its place in the list shown.
#[derive(Deserialize)]
pub struct Unshare {
    #[serde(default)]
    pub n: String,
}

impl Unshare {
    pub fn index(&self) -> Option<usize> {
        self.n.parse().ok()
    }
}

#[derive(Deserialize)]
pub struct FileQuery {
    pub version: Option<String>,
    pub telecharger: Option<u8>,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

impl SearchQuery {
    pub fn kind(&self) -> Option<Kind> {
        self.kind
            .as_deref()
            .and_then(|k| Kind::ALL.into_iter().find(|x| x.slug() == k))
    }
}

/// The console's quotas: `q-<profile>` (place in Mo) and `f-<profile>` (a file, in Mo).
#[derive(Deserialize)]
#[serde(transparent)]
pub struct Quotas(BTreeMap<String, String>);

impl Quotas {
    /// The settings with the numbers given (an empty box keeps its value), or the labels
    /// of the profiles whose number is not one.
    pub fn apply(&self, mut s: MediaSettings) -> Result<MediaSettings, Vec<&'static str>> {
        let mut bad = Vec::new();
        for p in Profile::ALL {
            for (prefix, map) in [("q", &mut s.quota_mb), ("f", &mut s.file_mb)] {
                let v = self
                    .0
                    .get(&format!("{prefix}-{}", p.slug()))
                    .map(String::as_str)
                    .unwrap_or_default();
                if v.is_empty() {
                    continue;
                }
                match v.trim().parse::<u64>() {
                    Ok(n) if n <= 1_000_000 => {
                        map.insert(p, n);
                    }
                    _ => bad.push(p.label()),
                }
            }
        }
        if bad.is_empty() {
            Ok(s)
        } else {
            Err(bad)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_need_a_title_and_a_web_address_and_destinations_name_a_place() {
        let link = |title: &str, url: &str| NewLink {
            dossier: "x".into(),
            title: title.into(),
            url: url.into(),
        };
        assert!(link("Musée", "https://musee.fr").check().is_ok());
        assert!(link("", "https://musee.fr").check().is_err());
        assert!(link("Musée", "javascript:alert(1)").check().is_err());
        assert!(link("Musée", "https://a.fr/\"<b>").check().is_err());
        assert_eq!(link("", "").folder(), None, "junk means the root");
        let to = |d: &str| MoveOrCopy {
            destination: d.into(),
            action: "copier".into(),
        };
        assert!(matches!(
            to("equipe:").destination(7),
            Destination::Place(Space::Staff, None)
        ));
        assert!(matches!(
            to("classe-3:12").destination(7),
            Destination::Place(Space::Class(3), Some(12))
        ));
        assert!(matches!(
            to("perso-8:").destination(7),
            Destination::NotFound
        ));
        assert!(matches!(
            to("equipe:x").destination(7),
            Destination::NotFound
        ));
        assert!(matches!(to("equipe").destination(7), Destination::Unknown));
        assert!(to("").copy());
    }
}
