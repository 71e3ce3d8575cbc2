//! The photo-consent guard of public blogs. A public blog is read without login on the
//! school network, so an article with pictures is shown there only when:
//! - no pupil tagged in it lacks a photo authorisation (`consent.rs`), and
//! - a runner confirmed, against the named list of the blog's pupils without
//!   authorisation, that none of them appears in its pictures (the confirmation covers
//!   those pictures and those pupils: a new picture or a newly unauthorised pupil asks
//!   again).
//!
//! Tags are only ever added by what is written, never lost on a refusal; the guard is
//! applied when an article is published on a public blog, when a blog becomes public
//! (every article is checked again and the failing ones are kept back), and when a
//! visitor without login reads.

use serde::{Deserialize, Serialize};

use super::{consent, Article, BlogRef};
use crate::directory::people::People;
use crate::store::{Result, Store, Table, Tx};

/// article → what the guard knows of it (a runner's confirmation, why it was kept back).
pub const PHOTO_CHECKS: Table<u64, PhotoCheck> = Table::new("blog_photo_checks");

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PhotoCheck {
    #[serde(default)]
    pub confirmed: Option<Confirmation>,
    /// Why the article was taken back from publication (shown to its runners until it is
    /// published again).
    #[serde(default)]
    pub kept_back: Option<String>,
}

/// A runner's word that none of `absent` appears in the pictures `media` (blobs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confirmation {
    pub by: u64,
    pub at: i64,
    pub media: Vec<String>,
    pub absent: Vec<u64>,
}

/// What the guard says of an article on a public blog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Clear,
    /// These tagged pupils have no photo authorisation: never public.
    Tagged(Vec<u64>),
    /// Pictures not yet confirmed free of these pupils without authorisation.
    Unconfirmed(Vec<u64>),
}

/// The blobs of the article's pictures (images and videos show faces; sounds do not).
pub fn pictures(a: &Article) -> Vec<String> {
    a.media
        .iter()
        .filter(|m| m.mime.starts_with("image/") || m.mime.starts_with("video/"))
        .map(|m| m.blob.clone())
        .collect()
}

/// The pupils who may appear in the blog's pictures: its class's, or the school's.
pub fn population(people: &People, blog: BlogRef) -> Vec<u64> {
    match blog {
        BlogRef::Class(c) => people.pupils_of_class(c),
        BlogRef::School => {
            let mut all: Vec<u64> = people
                .classes
                .iter()
                .flat_map(|c| people.pupils_of_class(c.id))
                .collect();
            all.sort_unstable();
            all.dedup();
            all
        }
    }
}

/// Among `pupils`, those without a photo authorisation on record, in the given order.
pub fn without_authorisation(store: &Store, people: &People, pupils: &[u64]) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for p in pupils {
        if !consent::authorised(store, people, *p)? {
            out.push(*p);
        }
    }
    Ok(out)
}

pub fn check_of(store: &Store, article: u64) -> Result<PhotoCheck> {
    Ok(store.get(&PHOTO_CHECKS, &article)?.unwrap_or_default())
}

/// The guard's verdict on `a` with the confirmation on record (read only when needed).
pub fn verdict(store: &Store, people: &People, a: &Article) -> Result<Verdict> {
    verdict_with(store, people, a, |store| {
        Ok(check_of(store, a.id)?.confirmed)
    })
}

/// The verdict, the confirmation given by `confirmation` (asked only when there are
/// pictures and pupils without authorisation).
pub fn verdict_with(
    store: &Store,
    people: &People,
    a: &Article,
    confirmation: impl FnOnce(&Store) -> Result<Option<Confirmation>>,
) -> Result<Verdict> {
    let tagged = without_authorisation(store, people, &a.tagged)?;
    if !tagged.is_empty() {
        return Ok(Verdict::Tagged(tagged));
    }
    let pics = pictures(a);
    if pics.is_empty() {
        return Ok(Verdict::Clear);
    }
    let missing = without_authorisation(store, people, &population(people, a.blog))?;
    if missing.is_empty() {
        return Ok(Verdict::Clear);
    }
    let covered = confirmation(store)?.is_some_and(|c| covers(&c, &pics, &missing));
    Ok(if covered {
        Verdict::Clear
    } else {
        Verdict::Unconfirmed(missing)
    })
}

fn covers(c: &Confirmation, pictures: &[String], missing: &[u64]) -> bool {
    pictures.iter().all(|p| c.media.contains(p)) && missing.iter().all(|m| c.absent.contains(m))
}

/// A confirmation given now over `a`'s pictures, if `confirmed` (the pupils the runner saw
/// listed) names every one of `missing`; `None` when the list shown was not the current one.
pub fn confirm(
    a: &Article,
    by: u64,
    confirmed: &[u64],
    missing: &[u64],
    now: i64,
) -> Option<Confirmation> {
    missing
        .iter()
        .all(|m| confirmed.contains(m))
        .then(|| Confirmation {
            by,
            at: now,
            media: pictures(a),
            absent: missing.to_vec(),
        })
}

/// Writes the guard's record of an article (removed when there is nothing to keep).
pub fn put(tx: &mut Tx<'_>, article: u64, c: &PhotoCheck) -> Result<()> {
    if *c == PhotoCheck::default() {
        tx.remove(&PHOTO_CHECKS, &article)
    } else {
        tx.put(&PHOTO_CHECKS, &article, c)
    }
}

/// Names, in French, for a sentence.
pub fn names(people: &People, ids: &[u64]) -> String {
    ids.iter()
        .map(|p| {
            people
                .user(*p)
                .map(|u| u.display_name())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why the verdict keeps an article from a public blog, for its runners.
pub fn reason(people: &People, v: &Verdict) -> Option<String> {
    match v {
        Verdict::Clear => None,
        Verdict::Tagged(t) => Some(format!(
            "{} {} pas d'autorisation photo enregistrée : retirez la photo ou l'identification, ou faites enregistrer l'autorisation",
            names(people, t),
            if t.len() > 1 { "n'ont" } else { "n'a" }
        )),
        Verdict::Unconfirmed(m) => Some(format!(
            "ses photos n'ont pas été vérifiées : confirmez qu'aucun de ces élèves sans autorisation photo n'y apparaît ({}) en le publiant à nouveau",
            names(people, m)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attachments::Attachment;
    use crate::blog::Status;

    fn with_media(mimes: &[(&str, &str)]) -> Article {
        Article {
            id: 1,
            blog: BlogRef::Class(3),
            author: 20,
            title: "Sortie".into(),
            body: String::new(),
            media: mimes
                .iter()
                .map(|(blob, mime)| Attachment {
                    blob: (*blob).into(),
                    name: "f".into(),
                    mime: (*mime).into(),
                    size: 1,
                })
                .collect(),
            status: Status::Draft,
            publish_at: 0,
            tagged: Vec::new(),
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn a_confirmation_covers_the_pictures_and_the_pupils_it_was_given_for() {
        let a = with_media(&[("a", "image/png"), ("b", "audio/ogg"), ("c", "video/mp4")]);
        assert_eq!(
            pictures(&a),
            vec!["a".to_string(), "c".to_string()],
            "sounds show no face"
        );
        // The list shown must name every pupil still without authorisation.
        assert!(confirm(&a, 30, &[7], &[7, 8], 1).is_none());
        let c = confirm(&a, 30, &[7, 8], &[7, 8], 1).expect("the whole list");
        assert!(covers(&c, &pictures(&a), &[8]));
        assert!(
            !covers(&c, &pictures(&a), &[8, 9]),
            "a pupil newly without authorisation"
        );
        let more = with_media(&[("a", "image/png"), ("d", "image/jpeg")]);
        assert!(!covers(&c, &pictures(&more), &[7]), "a new picture");
    }
}
