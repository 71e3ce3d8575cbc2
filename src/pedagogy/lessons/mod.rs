//! The classeur (/classeur): lessons by subject and period that the teacher publishes for a
//! class, a level or a group, for pupils to revise at home and parents to follow.

use serde::{Deserialize, Serialize};

use super::{Scope, TaughtClass, SUBJECTS};
use crate::attachments::Attachment;
use crate::policy::Granted;
use crate::store::{Key, Result, Store, Table};

pub mod access;
mod forms;
mod routes;
mod views;

pub use routes::routes;

pub const LESSONS: Table<u64, Lesson> = Table::new("lessons");
pub const BY_CLASS: Table<(u64, u64), ()> = Table::new("lessons_by_class");
pub const TABLES: &[&str] = &[LESSONS.name, BY_CLASS.name];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Lesson {
    pub id: u64,
    pub class: u64,
    pub scope: Scope,
    pub subject: String,
    /// Period of the school year, 1 to 5 (between two holidays).
    pub period: u8,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub author: u64,
    pub created_at: i64,
}

pub fn of_class(store: &Store, class: u64) -> Result<Vec<Lesson>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(&BY_CLASS, &class.encode())? {
        if let Some(l) = store.get(&LESSONS, &id)? {
            out.push(l);
        }
    }
    out.sort_by(|a, b| {
        (
            SUBJECTS.iter().position(|s| *s == a.subject),
            a.period,
            a.created_at,
        )
            .cmp(&(
                SUBJECTS.iter().position(|s| *s == b.subject),
                b.period,
                b.created_at,
            ))
    });
    Ok(out)
}

/// Publishes a lesson for the class the proof is about; returns its id.
pub async fn create(store: &Store, granted: &Granted<TaughtClass>, lesson: Lesson) -> Result<u64> {
    let class = granted.object().0;
    publish(store, &Lesson { class, ..lesson }).await
}

/// Takes a lesson out of the classeur.
pub async fn delete(store: &Store, granted: &Granted<Lesson>) -> Result<()> {
    let l = granted.object();
    store
        .commit(|tx| {
            tx.remove(&BY_CLASS, &(l.class, l.id))?;
            tx.remove(&LESSONS, &l.id)
        })
        .await
}

/// Stores a lesson as given (the demo's seeding; requests go through [`create`]); returns
/// its id.
pub(crate) async fn publish(store: &Store, lesson: &Lesson) -> Result<u64> {
    store
        .commit(|tx| {
            let id = tx.next_id("lesson")?;
            tx.put(
                &LESSONS,
                &id,
                &Lesson {
                    id,
                    ..lesson.clone()
                },
            )?;
            tx.put(&BY_CLASS, &(lesson.class, id), &())?;
            Ok(id)
        })
        .await
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    Ok(store
        .scan(&LESSONS)?
        .into_iter()
        .flat_map(|(_, l)| l.attachments.into_iter().map(|a| a.blob))
        .collect())
}
