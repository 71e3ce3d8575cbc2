//! Devoirs en ligne (/devoirs): work of the cahier de textes marked « à rendre en ligne ».
//! The pupil hands in text, files and sound recordings, and may hand in again until the
//! teacher returns it; the teacher answers with text and sound, returns the work
//! (« corrigé ») or asks for a new version. Pupil, parents and teacher see the same status.

use serde::{Deserialize, Serialize};

use super::textbook::Entry;
use crate::attachments::Attachment;
use crate::directory::people::People;
use crate::notify::{self, Kind};
use crate::policy::Granted;
use crate::refusal::{Failure, Outcome};
use crate::store::{Key, Result, Store, Table, Tx};
use crate::ui::dates;

pub mod access;
mod forms;
mod routes;
mod views;

pub use access::HandIn;
pub use routes::routes;

/// (work, pupil) → the pupil's hand-ins and the teacher's answers.
pub const SUBMISSIONS: Table<(u64, u64), Submission> = Table::new("homework_submissions");
/// (work, pupil) → files already received with a hand-in that had an error: shown again
/// in the form, so that nothing the pupil recorded is lost.
pub const KEPT_FILES: Table<(u64, u64), Vec<Attachment>> = Table::new("homework_kept_files");
/// (work, pupil) → where the pupil's work stands, written with the submission (schema 7):
/// the lists (the pupil's, a family's, the teacher's) read this small record, not every
/// version handed in with its text.
pub const PROGRESS: Table<(u64, u64), Progress> = Table::new("homework_progress");
pub const TABLES: &[&str] = &[SUBMISSIONS.name, KEPT_FILES.name, PROGRESS.name];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Handed in; the pupil may hand in again until the teacher answers.
    HandedIn,
    /// The teacher asks for a new version.
    Redo,
    /// Returned with the teacher's feedback: done.
    Returned,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Version {
    pub at: i64,
    pub text: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Feedback {
    pub at: i64,
    pub by: u64,
    pub text: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Submission {
    pub status: Status,
    pub versions: Vec<Version>,
    #[serde(default)]
    pub feedback: Vec<Feedback>,
}

/// What a list shows of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub status: Status,
    /// When the last version was handed in.
    pub handed_in_at: Option<i64>,
    pub versions: usize,
}

impl Progress {
    pub fn of(s: &Submission) -> Progress {
        Progress {
            status: s.status,
            handed_in_at: s.versions.last().map(|v| v.at),
            versions: s.versions.len(),
        }
    }
}

/// Writes a submission with its progress.
pub fn save(tx: &mut Tx<'_>, work: u64, pupil: u64, s: &Submission) -> Result<()> {
    tx.put(&SUBMISSIONS, &(work, pupil), s)?;
    tx.put(&PROGRESS, &(work, pupil), &Progress::of(s))
}

/// Where a pupil's work stands (none: nothing handed in).
pub fn progress(store: &Store, work: u64, pupil: u64) -> Result<Option<Progress>> {
    if let Some(p) = store.get(&PROGRESS, &(work, pupil))? {
        return Ok(Some(p));
    }
    // Cannot happen after schema 7's migration; the list still tells the truth.
    Ok(submission(store, work, pupil)?.map(|s| Progress::of(&s)))
}

/// How many pupils handed in something for a work.
pub fn handed_in_count(store: &Store, work: u64) -> Result<usize> {
    Ok(store.scan_prefix(&PROGRESS, &work.encode())?.len())
}

/// Schema 7: every submission kept before gets its progress.
pub fn migrate_v7(store: &Store) -> Result<()> {
    let keys: Vec<(u64, u64)> = store
        .scan(&SUBMISSION_KEYS)?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    crate::store::migrate::in_batches(store, &keys, 200, |tx, key| {
        match tx.get(&SUBMISSIONS, key)? {
            Some(s) => tx.put(&PROGRESS, key, &Progress::of(&s)),
            None => Ok(()),
        }
    })
}

/// The submissions again, for their keys only (the values are skipped, not decoded).
const SUBMISSION_KEYS: Table<(u64, u64), serde::de::IgnoredAny> =
    Table::new("homework_submissions");

/// The status as a sentence, the same for pupil, parent and teacher.
pub fn status_text(p: Option<&Progress>, e: &Entry, today: &str) -> String {
    match p.map(|p| p.status) {
        None if e.day.as_str() < today => "Non rendu".into(),
        None => "À rendre".into(),
        Some(Status::HandedIn) => format!(
            "Rendu le {}",
            p.and_then(|p| p.handed_in_at)
                .map(dates::short_datetime)
                .unwrap_or_default()
        ),
        Some(Status::Redo) => "Nouvelle version demandée".into(),
        Some(Status::Returned) => "Corrigé".into(),
    }
}

pub fn submission(store: &Store, work: u64, pupil: u64) -> Result<Option<Submission>> {
    store.get(&SUBMISSIONS, &(work, pupil))
}

pub fn submissions(store: &Store, work: u64) -> Result<Vec<(u64, Submission)>> {
    Ok(store
        .scan_prefix(&SUBMISSIONS, &work.encode())?
        .into_iter()
        .map(|((_, p), s)| (p, s))
        .collect())
}

/// Files received with an attempt that had an error, offered again to the pupil.
pub fn kept_files(store: &Store, granted: &Granted<HandIn>) -> Result<Vec<Attachment>> {
    let h = granted.object();
    Ok(store
        .get(&KEPT_FILES, &(h.work.id, h.pupil))?
        .unwrap_or_default())
}

/// Keeps the files that arrived with an attempt that had an error (none: forgets them).
pub async fn keep_files(
    store: &Store,
    granted: &Granted<HandIn>,
    files: &[Attachment],
) -> Result<()> {
    let key = (granted.object().work.id, granted.object().pupil);
    store
        .commit(|tx| {
            if files.is_empty() {
                tx.remove(&KEPT_FILES, &key)
            } else {
                tx.put(&KEPT_FILES, &key, &files.to_vec())
            }
        })
        .await
}

/// Hands in a version (refused once the work is returned).
pub async fn hand_in(
    store: &Store,
    people: &People,
    granted: &Granted<HandIn>,
    v: Version,
) -> Outcome<()> {
    let HandIn { work: e, pupil } = granted.object();
    let pupil = *pupil;
    let teachers = people.teachers_of_class(e.class);
    let name = people
        .user(pupil)
        .map(|u| u.display_name())
        .unwrap_or_default();
    store
        .commit_checked(|tx| {
            let mut s = tx.get(&SUBMISSIONS, &(e.id, pupil))?.unwrap_or(Submission {
                status: Status::HandedIn,
                versions: Vec::new(),
                feedback: Vec::new(),
            });
            if s.status == Status::Returned {
                return Err(Failure::refused(
                    "Ce travail a déjà été corrigé : il ne peut plus être rendu.",
                ));
            }
            s.status = Status::HandedIn;
            s.versions.push(v.clone());
            save(tx, e.id, pupil, &s)?;
            crate::stats::count(
                tx,
                crate::stats::Created::HandIn,
                crate::policy::Profile::Eleve,
                v.at,
            )?;
            for t in &teachers {
                notify::push(
                    tx,
                    *t,
                    Kind::Homework,
                    &format!("{name} a rendu « {} »", e.title),
                    &format!("/devoirs/{}/eleve/{pupil}", e.id),
                    v.at,
                )?;
            }
            Ok(())
        })
        .await
}

/// The teacher's answer: returned (done) or a new version asked.
pub async fn answer(
    store: &Store,
    people: &People,
    granted: &Granted<HandIn>,
    f: Feedback,
    redo: bool,
) -> Outcome<()> {
    let HandIn { work: e, pupil } = granted.object();
    let pupil = *pupil;
    store
        .commit_checked(|tx| {
            let Some(mut s) = tx.get(&SUBMISSIONS, &(e.id, pupil))? else {
                return Err(Failure::refused("Cet élève n'a encore rien rendu."));
            };
            s.status = if redo { Status::Redo } else { Status::Returned };
            s.feedback.push(f.clone());
            save(tx, e.id, pupil, &s)?;
            let text = if redo {
                format!("Nouvelle version demandée pour « {} »", e.title)
            } else {
                format!("Travail corrigé : « {} »", e.title)
            };
            let link = format!("/devoirs/{}", e.id);
            let devoirs = crate::school::Service::Devoirs;
            if people.told(pupil, e.class, devoirs) {
                notify::push(tx, pupil, Kind::Homework, &text, &link, f.at)?;
            }
            for g in people.parents_of(pupil) {
                if !people.told(*g, e.class, devoirs) {
                    continue;
                }
                notify::push(
                    tx,
                    *g,
                    Kind::Homework,
                    &text,
                    &format!("{link}?eleve={pupil}"),
                    f.at,
                )?;
            }
            Ok(())
        })
        .await
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    let mut out = std::collections::HashSet::new();
    for (_, kept) in store.scan(&KEPT_FILES)? {
        out.extend(kept.into_iter().map(|a| a.blob));
    }
    for (_, s) in store.scan(&SUBMISSIONS)? {
        for v in s.versions {
            out.extend(v.attachments.into_iter().map(|a| a.blob));
        }
        for f in s.feedback {
            out.extend(f.attachments.into_iter().map(|a| a.blob));
        }
    }
    Ok(out)
}
