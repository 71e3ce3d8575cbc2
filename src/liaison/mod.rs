//! The carnet de liaison: « mots » from the school to families (of a class, a group,
//! chosen pupils or the whole school), each guardian acknowledging and answering on their
//! own; mots from a family to the teachers; private replies. The signatures are fixed at
//! publication (which pupils, which guardians), so that the author's table is a proof.

pub mod access;
mod follow;
mod forms;
pub mod kept;
pub mod pending;
mod publish;
pub mod routes;
mod views;
pub mod volunteers;

pub use follow::{
    count_signature, csv, late_guardians, migrate_v4_signed_counts, remind, signed_count,
    split_answers, status, summary, StatusRow, SIGNED,
};
pub use publish::{publish, publish_calling, write_from_family};

use serde::{Deserialize, Serialize};

use crate::attachments::Attachment;
use crate::directory::people::People;
use crate::ids::{MotId, UserId};
use crate::notify::{self, Kind};
use crate::policy::Granted;
use crate::refusal::{Failure, Outcome};
use crate::store::{Key, Result, Store, Table};
use access::{Exchange, Reading, Signing};

pub const MOTS: Table<u64, Mot> = Table::new("mots");
/// (mot, pupil, guardian) → that guardian's acknowledgement for that pupil.
pub const ACKS: Table<(u64, u64, u64), Ack> = Table::new("mot_acks");
/// (pupil, mot): the carnet of each pupil.
pub const BY_PUPIL: Table<(u64, u64), ()> = Table::new("mots_by_pupil");
/// (person, mot): mots a person wrote or received as a teacher.
pub const BY_STAFF: Table<(u64, u64), ()> = Table::new("mots_by_staff");
/// (mot, reply id) → a private reply.
pub const REPLIES: Table<(u64, u64), Reply> = Table::new("mot_replies");

pub const TABLES: &[&str] = &[
    MOTS.name,
    ACKS.name,
    BY_PUPIL.name,
    BY_STAFF.name,
    REPLIES.name,
    SIGNED.name,
    pending::TO_SIGN.name,
    volunteers::CALLS.name,
];

/// An account's deletion: the signatures still expected from the person and their offers
/// to accompany go; the mots and the signatures given stay (see `schema::FORGET`).
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let (pending, offers) = (
        pending::forget(store, user)?,
        volunteers::forget(store, user)?,
    );
    Ok(Box::new(move |tx| {
        pending(tx)?;
        offers(tx)
    }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Audience {
    Class(u64),
    Group(u64),
    Pupil(u64),
    School,
}

impl Audience {
    pub fn label(self, people: &People) -> String {
        match self {
            Audience::Class(id) => format!(
                "familles de la classe {}",
                people
                    .class(id)
                    .map(|c| c.label.as_str())
                    .unwrap_or("supprimée")
            ),
            Audience::Group(id) => format!(
                "familles du groupe {}",
                people
                    .group(id)
                    .map(|g| g.label.as_str())
                    .unwrap_or("supprimé")
            ),
            Audience::Pupil(id) => format!(
                "famille de {}",
                people
                    .user(id)
                    .map(|u| u.display_name())
                    .unwrap_or_default()
            ),
            Audience::School => "toutes les familles de l'école".into(),
        }
    }

    /// The pupils concerned.
    pub fn pupils(self, people: &People) -> Vec<u64> {
        let pupil = |u: &u64| {
            people
                .user(*u)
                .is_some_and(|u| u.profile == crate::policy::Profile::Eleve && !u.disabled)
        };
        match self {
            Audience::Class(id) => people.pupils_of_class(id),
            Audience::Group(id) => people
                .group_members(id)
                .iter()
                .copied()
                .filter(pupil)
                .collect(),
            Audience::Pupil(id) => vec![id].into_iter().filter(pupil).collect(),
            Audience::School => people.users.keys().copied().filter(pupil).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case", tag = "from")]
pub enum Direction {
    /// From a teacher or the director to families.
    School { audience: Vec<Audience> },
    /// From a guardian about their child, to the child's teachers.
    Family { to: Vec<u64> },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Mot {
    pub id: u64,
    pub author: u64,
    pub at: i64,
    pub direction: Direction,
    pub title: String,
    pub body: String,
    /// A question answered Oui / Non (sortie scolaire…).
    #[serde(default)]
    pub question: Option<String>,
    /// Answers close after this instant (end of the chosen day, Paris time).
    #[serde(default)]
    pub deadline: Option<i64>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// The pupils concerned, fixed at publication.
    pub pupils: Vec<u64>,
    /// (pupil, guardian) pairs expected to sign, fixed at publication.
    #[serde(default)]
    pub signers: Vec<(u64, u64)>,
    #[serde(default)]
    pub reminders: Vec<i64>,
    /// For a family's mot: when a teacher marked it read.
    #[serde(default)]
    pub read_by_staff: Option<(u64, i64)>,
}

impl Mot {
    pub fn is_school(&self) -> bool {
        matches!(self.direction, Direction::School { .. })
    }

    pub fn answers_closed(&self, now: i64) -> bool {
        self.deadline.is_some_and(|d| now > d)
    }

    pub fn is_signer(&self, guardian: u64) -> bool {
        self.signers.iter().any(|(_, g)| *g == guardian)
    }

    /// Staff on the school side of the exchange: the author of a school mot, the
    /// recipients of a family's mot.
    pub fn staff_side(&self, user: u64) -> bool {
        match &self.direction {
            Direction::School { .. } => self.author == user,
            Direction::Family { to } => to.contains(&user),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Ack {
    #[serde(default)]
    pub read_at: Option<i64>,
    #[serde(default)]
    pub signed_at: Option<i64>,
    #[serde(default)]
    pub answer: Option<bool>,
    #[serde(default)]
    pub answered_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reply {
    pub id: u64,
    pub author: u64,
    /// The family side of this private exchange (the guardian who sees it).
    pub guardian: u64,
    pub text: String,
    pub at: i64,
}

/// What the author typed, checked by the routes.
#[derive(Debug, Clone, Default)]
pub struct NewMot {
    pub title: String,
    pub body: String,
    pub question: Option<String>,
    pub deadline: Option<i64>,
    pub attachments: Vec<Attachment>,
}

pub fn mot(store: &Store, id: u64) -> Result<Option<Mot>> {
    Ok(kept::mots(store)?.get(id).cloned())
}

pub fn acks(store: &Store, id: u64) -> Result<Vec<((u64, u64), Ack)>> {
    Ok(store
        .scan_prefix(&ACKS, &id.encode())?
        .into_iter()
        .map(|((_, p, g), a)| ((p, g), a))
        .collect())
}

/// A guardian's acknowledgement of a mot for one child (empty until they read it).
pub fn ack(store: &Store, id: MotId, pupil: UserId, guardian: UserId) -> Result<Ack> {
    Ok(store
        .get(&ACKS, &(id.0, pupil.0, guardian.0))?
        .unwrap_or_default())
}

pub fn replies(store: &Store, id: u64) -> Result<Vec<Reply>> {
    Ok(store
        .scan_prefix(&REPLIES, &id.encode())?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

fn ids_to_mots(store: &Store, ids: impl Iterator<Item = u64>) -> Result<Vec<Mot>> {
    let kept = kept::mots(store)?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(m) = kept.get(id) {
            out.push(m.clone());
        }
    }
    out.sort_by_key(|m| std::cmp::Reverse(m.at));
    Ok(out)
}

/// The mots of a pupil's carnet, newest first.
pub fn of_pupil(store: &Store, pupil: u64) -> Result<Vec<Mot>> {
    let ids = store
        .scan_prefix(&BY_PUPIL, &pupil.encode())?
        .into_iter()
        .map(|((_, m), ())| m);
    ids_to_mots(store, ids)
}

/// Mots a staff member wrote or received, newest first.
pub fn of_staff(store: &Store, user: u64) -> Result<Vec<Mot>> {
    let ids = store
        .scan_prefix(&BY_STAFF, &user.encode())?
        .into_iter()
        .map(|((_, m), ())| m);
    ids_to_mots(store, ids)
}

/// The mots a guardian still has to sign, with the child each is for, newest first: read
/// from the guardian's pending signatures, not from every mot of each child's carnet.
pub fn to_sign(
    store: &Store,
    guardian: u64,
    children: &[u64],
    now: i64,
) -> Result<Vec<(Mot, u64)>> {
    let mut out = Vec::new();
    let kept = kept::mots(store)?;
    for (id, child) in pending::of_guardian(store, guardian)? {
        if !children.contains(&child) {
            continue;
        }
        if let Some(m) = kept.get(id) {
            if !(m.question.is_some() && m.answers_closed(now)) {
                out.push((m.clone(), child));
            }
        }
    }
    out.sort_by_key(|(m, _)| std::cmp::Reverse(m.at));
    Ok(out)
}

/// How many mots from families this staff member has not marked read.
pub fn unread_from_families(store: &Store, user: u64) -> Result<usize> {
    let kept = kept::mots(store)?;
    Ok(store
        .scan_prefix(&BY_STAFF, &user.encode())?
        .into_iter()
        .filter_map(|((_, id), ())| kept.get(id))
        .filter(|m| !m.is_school() && m.read_by_staff.is_none())
        .count())
}

/// Every school mot (the director's overview).
/// The newest `limit` mots that `keep` accepts, newest first (read backwards: mot ids grow
/// with time).
pub fn newest(store: &Store, limit: usize, keep: impl Fn(&Mot) -> bool) -> Result<Vec<Mot>> {
    Ok(store
        .newest_matching(&MOTS, limit, keep)?
        .into_iter()
        .map(|(_, m)| m)
        .collect())
}

pub fn all(store: &Store) -> Result<Vec<Mot>> {
    let mut list: Vec<Mot> = store.scan(&MOTS)?.into_iter().map(|(_, m)| m).collect();
    list.sort_by_key(|m| std::cmp::Reverse(m.at));
    Ok(list)
}

/// Records that a guardian opened the mot (for each of their children concerned).
pub async fn mark_read(store: &Store, reading: &Granted<Reading>, now: i64) -> Result<()> {
    let (mot, guardian) = (&reading.object().mot, reading.by());
    let mine: Vec<u64> = mot
        .signers
        .iter()
        .filter(|(_, g)| *g == guardian)
        .map(|(p, _)| *p)
        .collect();
    let unread: Vec<u64> = mine
        .into_iter()
        .filter(|p| {
            ack(store, MotId(mot.id), UserId(*p), UserId(guardian))
                .map(|a| a.read_at.is_none())
                .unwrap_or(false)
        })
        .collect();
    if unread.is_empty() {
        return Ok(());
    }
    store
        .commit(|tx| {
            for p in &unread {
                let mut a: Ack = tx.get(&ACKS, &(mot.id, *p, guardian))?.unwrap_or_default();
                a.read_at.get_or_insert(now);
                tx.put(&ACKS, &(mot.id, *p, guardian), &a)?;
            }
            Ok(())
        })
        .await
}

/// A guardian signs for one child, with the answer to the question when there is one.
pub async fn sign(
    store: &Store,
    signing: &Granted<Signing>,
    answer: Option<bool>,
    now: i64,
) -> Outcome<()> {
    let (&Signing { mot: id, pupil }, guardian) = (signing.object(), signing.by());
    store
        .commit_checked(|tx| {
            let m = tx
                .get(&MOTS, &id)?
                .ok_or_else(|| Failure::refused("Ce mot n'existe plus."))?;
            if !m.signers.contains(&(pupil, guardian)) {
                return Err(Failure::refused(
                    "Ce mot ne vous est pas adressé pour cet enfant.",
                ));
            }
            let mut a: Ack = tx.get(&ACKS, &(id, pupil, guardian))?.unwrap_or_default();
            if let Some(answer) = answer {
                if m.question.is_none() {
                    return Err(Failure::refused("Ce mot ne pose pas de question."));
                }
                if m.answers_closed(now) {
                    return Err(Failure::refused(format!(
                        "Les réponses à ce mot sont closes depuis le {} : contactez l'enseignant.",
                        crate::ui::dates::long_date(m.deadline.unwrap_or(now))
                    )));
                }
                a.answer = Some(answer);
                a.answered_at = Some(now);
            } else if m.question.is_some() && a.answer.is_none() && !m.answers_closed(now) {
                return Err(Failure::refused(
                    "Répondez Oui ou Non à la question avant de signer.",
                ));
            }
            a.read_at.get_or_insert(now);
            if a.signed_at.is_none() {
                pending::record_signature(tx, id, pupil, guardian)?;
            }
            a.signed_at.get_or_insert(now);
            Ok(tx.put(&ACKS, &(id, pupil, guardian), &a)?)
        })
        .await
}

/// A private reply in a mot's exchange; the other side is notified (`author_name` is the
/// name shown in the notice).
pub async fn reply(
    store: &Store,
    exchange: &Granted<Exchange>,
    author_name: &str,
    text: &str,
    now: i64,
) -> Result<()> {
    let author = exchange.by();
    let Exchange {
        mot,
        guardian,
        notify_to,
    } = exchange.object();
    store
        .commit(|tx| {
            let rid = tx.next_id("mot_reply")?;
            tx.put(
                &REPLIES,
                &(mot.id, rid),
                &Reply {
                    id: rid,
                    author,
                    guardian: *guardian,
                    text: text.to_string(),
                    at: now,
                },
            )?;
            for u in notify_to {
                notify::push(
                    tx,
                    *u,
                    Kind::MotReply,
                    &format!("Réponse de {author_name} au mot « {} »", mot.title),
                    &format!("/carnet/{}", mot.id),
                    now,
                )?;
            }
            Ok(())
        })
        .await
}

/// A teacher marks a family's mot read.
pub async fn mark_read_by_staff(store: &Store, received: &Granted<Mot>, now: i64) -> Result<()> {
    let (id, by) = (received.object().id, received.by());
    store
        .commit(|tx| {
            if let Some(mut m) = tx.get(&MOTS, &id)? {
                if m.read_by_staff.is_none() {
                    m.read_by_staff = Some((by, now));
                    tx.put(&MOTS, &id, &m)?;
                }
            }
            Ok(())
        })
        .await
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    let mut blobs = std::collections::HashSet::new();
    store.visit(&MOTS, |_, m| {
        blobs.extend(m.attachments.into_iter().map(|a| a.blob));
    })?;
    Ok(blobs)
}
