//! The carnet de suivi des apprentissages of one child: réussites (a day, a photo, a
//! sentence, a domain of cycle 1), kept by the child's teachers from class to class, and
//! the shares that make them visible to the family — each with the « J'ai vu » of each
//! guardian and the comments of the family and the teacher. Keyed by pupil, never by
//! class: the carnet follows the child from PS to GS.

use std::collections::HashMap;

use jiff::civil::Date;

use serde::{Deserialize, Serialize};

use super::reference::{Domain, CYCLE1_VERSION};
use crate::attachments::Attachment;
use crate::directory::people::People;
use crate::notify::{self, Kind as NoticeKind};
use crate::policy::Granted;
use crate::store::{Key, Result, Store, Table, Tx};

pub const REUSSITES: Table<u64, Reussite> = Table::new("suivi_reussites");
/// (pupil, réussite): a child's réussites.
pub const BY_PUPIL: Table<(u64, u64), ()> = Table::new("suivi_reussites_par_eleve");
/// (pupil, share): a child's shares with the family.
pub const SHARES: Table<(u64, u64), Share> = Table::new("suivi_partages");

/// Longest sentence of a réussite (« Je sais enfiler mes chaussures tout seul »).
pub const MAX_SENTENCE: usize = 300;
/// Longest comment on a share.
pub const MAX_COMMENT: usize = 2_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reussite {
    pub id: u64,
    pub pupil: u64,
    pub day: Date,
    pub domain: Domain,
    /// The version of the list of domains the réussite was filed under.
    pub reference: String,
    pub sentence: String,
    /// The attendu picked from the lists (`attendus.rs`), as it read then.
    #[serde(default)]
    pub attendu: Option<String>,
    /// A photo, a sound or a video, published by the one upload reader (a photo at web
    /// size without its metadata), or picked from the médiathèque.
    #[serde(default)]
    pub photo: Option<Attachment>,
    pub author: u64,
    pub at: i64,
    /// The share that made it visible to the family; `None` while it is the teacher's.
    #[serde(default)]
    pub shared: Option<u64>,
}

/// A guardian's « J'ai vu ».
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Seen {
    pub by: u64,
    pub at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Comment {
    pub by: u64,
    pub at: i64,
    pub text: String,
}

/// The teacher shared the carnet with the family: the réussites not yet shared became
/// visible.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Share {
    pub id: u64,
    pub pupil: u64,
    pub by: u64,
    pub at: i64,
    pub entries: Vec<u64>,
    #[serde(default)]
    pub seen: Vec<Seen>,
    #[serde(default)]
    pub comments: Vec<Comment>,
    /// The share of the synthèse des acquis (`synthese.rs`): its « J'ai vu » are the
    /// guardians' signatures.
    #[serde(default)]
    pub synthese: bool,
}

impl Share {
    pub fn seen_by(&self, guardian: u64) -> Option<&Seen> {
        self.seen.iter().find(|s| s.by == guardian)
    }
}

/// A réussite as typed, for one child or several at once.
#[derive(Debug, Clone)]
pub struct NewReussite {
    pub day: Date,
    pub domain: Domain,
    pub sentence: String,
    pub attendu: Option<String>,
    pub photo: Option<Attachment>,
}

pub fn reussite(store: &Store, id: u64) -> Result<Option<Reussite>> {
    store.get(&REUSSITES, &id)
}

/// A child's réussites, the most recent day first.
pub fn of_pupil(store: &Store, pupil: u64) -> Result<Vec<Reussite>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(&BY_PUPIL, &pupil.encode())? {
        if let Some(r) = store.get(&REUSSITES, &id)? {
            out.push(r);
        }
    }
    out.sort_by_key(|r| (std::cmp::Reverse(r.day), std::cmp::Reverse(r.id)));
    Ok(out)
}

/// What the class page shows of one child's carnet.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    pub entries: usize,
    /// Réussites not shared with the family yet.
    pub unshared: usize,
    /// The last share: when, and how many guardians said « J'ai vu ».
    pub last_share: Option<(i64, usize)>,
}

/// Every child's [`Summary`], made once per change of the carnets and kept in memory: the
/// class page lists 25 children, and must not decode each one's every réussite each time.
pub fn summaries(store: &Store) -> Result<std::sync::Arc<HashMap<u64, Summary>>> {
    store.derived(&[REUSSITES.name, SHARES.name], |s| {
        let mut out: HashMap<u64, Summary> = HashMap::new();
        s.visit(&REUSSITES, |_, r| {
            let one = out.entry(r.pupil).or_default();
            one.entries += 1;
            one.unshared += usize::from(r.shared.is_none());
        })?;
        // Keys are (child, share id): the last one seen per child is their newest.
        s.visit(&SHARES, |(pupil, _), share| {
            out.entry(pupil).or_default().last_share = Some((share.at, share.seen.len()));
        })?;
        Ok(out)
    })
}

/// A child's shares, the most recent first.
pub fn shares_of(store: &Store, pupil: u64) -> Result<Vec<Share>> {
    let mut out: Vec<Share> = store
        .scan_prefix(&SHARES, &pupil.encode())?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    out.reverse();
    Ok(out)
}

fn put(tx: &mut Tx<'_>, r: &Reussite) -> Result<()> {
    tx.put(&REUSSITES, &r.id, r)?;
    tx.put(&BY_PUPIL, &(r.pupil, r.id), &())
}

/// Files the same réussite (a group activity, one photo) for each of `pupils`, in one
/// write: each child gets an entry of their own, to be changed on its own afterwards.
pub async fn add(
    store: &Store,
    granted: &Granted,
    pupils: &[u64],
    new: &NewReussite,
    now: i64,
) -> Result<Vec<u64>> {
    let by = granted.by();
    store
        .commit(|tx| {
            let mut ids = Vec::new();
            for pupil in pupils {
                let id = tx.next_id("suivi_reussite")?;
                put(
                    tx,
                    &Reussite {
                        id,
                        pupil: *pupil,
                        day: new.day,
                        domain: new.domain,
                        reference: CYCLE1_VERSION.to_string(),
                        sentence: new.sentence.clone(),
                        attendu: new.attendu.clone(),
                        photo: new.photo.clone(),
                        author: by,
                        at: now,
                        shared: None,
                    },
                )?;
                ids.push(id);
            }
            Ok(ids)
        })
        .await
}

/// What a change of a réussite may bring: its fields, and its photo (or sound, or video)
/// kept, replaced or removed.
pub struct Change {
    pub day: Date,
    pub domain: Domain,
    pub sentence: String,
    pub attendu: Option<String>,
    pub photo: PhotoChange,
}

pub enum PhotoChange {
    Keep,
    Replace(Attachment),
    Remove,
}

/// Changes one child's réussite (the others filed with it stay as they are).
pub async fn change(store: &Store, granted: &Granted<Reussite>, change: Change) -> Result<()> {
    let id = granted.object().id;
    store
        .commit(|tx| {
            let Some(mut r) = tx.get(&REUSSITES, &id)? else {
                return Ok(());
            };
            r.day = change.day;
            if r.domain != change.domain {
                r.domain = change.domain;
                r.reference = CYCLE1_VERSION.to_string();
            }
            r.sentence = change.sentence.clone();
            r.attendu = change.attendu.clone();
            match &change.photo {
                PhotoChange::Keep => {}
                PhotoChange::Replace(a) => r.photo = Some(a.clone()),
                PhotoChange::Remove => r.photo = None,
            }
            put(tx, &r)
        })
        .await
}

pub async fn delete(store: &Store, granted: &Granted<Reussite>) -> Result<()> {
    let r = granted.object();
    store
        .commit(|tx| {
            tx.remove(&REUSSITES, &r.id)?;
            tx.remove(&BY_PUPIL, &(r.pupil, r.id))
        })
        .await
}

fn first_name(people: &People, id: u64) -> String {
    people
        .user(id)
        .map(|u| u.first_name.clone())
        .unwrap_or_else(|| "votre enfant".into())
}

/// Shares with their families the réussites of `pupils` not shared yet: one share per
/// child who has some, told to each guardian. The number of children whose carnet had
/// something new.
pub async fn share(
    store: &Store,
    granted: &Granted,
    people: &People,
    pupils: &[u64],
    now: i64,
) -> Result<usize> {
    let by = granted.by();
    let mut waiting: Vec<(u64, Vec<u64>)> = Vec::new();
    for pupil in pupils {
        let ids: Vec<u64> = of_pupil(store, *pupil)?
            .into_iter()
            .filter(|r| r.shared.is_none())
            .map(|r| r.id)
            .collect();
        if !ids.is_empty() {
            waiting.push((*pupil, ids));
        }
    }
    store
        .commit(|tx| {
            for (pupil, ids) in &waiting {
                let id = tx.next_id("suivi_partage")?;
                let mut entries = Vec::new();
                for rid in ids {
                    if let Some(mut r) = tx.get(&REUSSITES, rid)? {
                        if r.shared.is_none() {
                            r.shared = Some(id);
                            put(tx, &r)?;
                            entries.push(*rid);
                        }
                    }
                }
                if entries.is_empty() {
                    continue;
                }
                let text = match entries.len() {
                    1 => format!(
                        "Carnet de suivi {} : une nouvelle réussite partagée",
                        crate::ui::de(&first_name(people, *pupil))
                    ),
                    n => format!(
                        "Carnet de suivi {} : {n} nouvelles réussites partagées",
                        crate::ui::de(&first_name(people, *pupil))
                    ),
                };
                let share = Share {
                    id,
                    pupil: *pupil,
                    by,
                    at: now,
                    entries,
                    seen: Vec::new(),
                    comments: Vec::new(),
                    synthese: false,
                };
                tx.put(&SHARES, &(*pupil, id), &share)?;
                let link = format!("/suivi/eleve/{pupil}");
                for g in people.parents_of(*pupil) {
                    if people.active(*g) {
                        notify::push(tx, *g, NoticeKind::Suivi, &text, &link, now)?;
                    }
                }
            }
            Ok(waiting.len())
        })
        .await
}

/// A guardian's « J'ai vu » on a share (once: the first date stays).
pub async fn acknowledge(
    store: &Store,
    granted: &Granted,
    pupil: u64,
    share: u64,
    now: i64,
) -> Result<bool> {
    let by = granted.by();
    store
        .commit(|tx| {
            let Some(mut s) = tx.get(&SHARES, &(pupil, share))? else {
                return Ok(false);
            };
            if s.seen_by(by).is_none() {
                s.seen.push(Seen { by, at: now });
                tx.put(&SHARES, &(pupil, share), &s)?;
            }
            Ok(true)
        })
        .await
}

/// A comment on a share, told to the other side: the family's to the child's teachers,
/// the teacher's to the guardians.
pub async fn comment(
    store: &Store,
    granted: &Granted,
    people: &People,
    pupil: u64,
    share: u64,
    text: &str,
    now: i64,
) -> Result<bool> {
    let by = granted.by();
    let from_family = people.parents_of(pupil).contains(&by);
    let mut to: Vec<u64> = if from_family {
        people
            .classes_of(pupil)
            .iter()
            .flat_map(|c| people.teachers_of_class(*c))
            .collect()
    } else {
        people.parents_of(pupil).to_vec()
    };
    to.sort_unstable();
    to.dedup();
    let who = people
        .user(by)
        .map(|u| u.display_name())
        .unwrap_or_default();
    let notice = format!(
        "Carnet de suivi {} : commentaire {}",
        crate::ui::de(&first_name(people, pupil)),
        crate::ui::de(&who)
    );
    let link = format!("/suivi/eleve/{pupil}");
    store
        .commit(|tx| {
            let Some(mut s) = tx.get(&SHARES, &(pupil, share))? else {
                return Ok(false);
            };
            s.comments.push(Comment {
                by,
                at: now,
                text: text.to_string(),
            });
            tx.put(&SHARES, &(pupil, share), &s)?;
            for p in to.iter().filter(|p| **p != by && people.active(**p)) {
                notify::push(tx, *p, NoticeKind::Suivi, &notice, &link, now)?;
            }
            Ok(true)
        })
        .await
}
