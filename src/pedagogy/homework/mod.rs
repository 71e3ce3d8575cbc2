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
use crate::store::{Key, Result, Store, Table};
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
pub const TABLES: &[&str] = &[SUBMISSIONS.name, KEPT_FILES.name];

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

/// The status as a sentence, the same for pupil, parent and teacher.
pub fn status_text(s: Option<&Submission>, e: &Entry, today: &str) -> String {
    match s.map(|s| s.status) {
        None if e.day.as_str() < today => "Non rendu".into(),
        None => "À rendre".into(),
        Some(Status::HandedIn) => format!(
            "Rendu le {}",
            s.and_then(|s| s.versions.last())
                .map(|v| dates::short_datetime(v.at))
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
            tx.put(&SUBMISSIONS, &(e.id, pupil), &s)?;
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
            tx.put(&SUBMISSIONS, &(e.id, pupil), &s)?;
            let text = if redo {
                format!("Nouvelle version demandée pour « {} »", e.title)
            } else {
                format!("Travail corrigé : « {} »", e.title)
            };
            let link = format!("/devoirs/{}", e.id);
            notify::push(tx, pupil, Kind::Homework, &text, &link, f.at)?;
            for g in people.parents_of(pupil) {
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
