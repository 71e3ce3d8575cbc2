//! The cahier de textes (/cahier-de-textes): per class, séances (what was done in class)
//! and travail à faire (given on a day, due on a day, with instructions and an estimated
//! time), for the whole class, a level or a group; planned ahead (visible from a date);
//! ticked « fait » by pupils; a workload warning per day for the teacher. Work marked « à
//! rendre en ligne » is also an assignment of the devoirs (`homework.rs`).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{concerns, pupils, Scope, TaughtClass};
use crate::attachments::Attachment;
use crate::directory::people::People;
use crate::notify::{self, Kind};
use crate::policy::Granted;
use crate::store::{Key, Result, Store, Table};
use crate::ui::dates;

pub mod access;
mod forms;
mod recent;
mod routes;
mod views;

pub use routes::routes;

pub const ENTRIES: Table<u64, Entry> = Table::new("textbook_entries");
pub const BY_CLASS: Table<(u64, u64), ()> = Table::new("textbook_by_class");
/// (class, day as 20261124, entry): a week of a class is one range of keys, so that its
/// page reads that week and not the years before it (schema 4).
pub const BY_CLASS_DAY: Table<(u64, u64, u64), ()> = Table::new("textbook_by_class_day");
/// (entry, pupil) → when the pupil ticked « fait ».
pub const DONE: Table<(u64, u64), i64> = Table::new("textbook_done");
/// (class, entry) of the work to hand in online: the devoirs read these only (schema 4).
pub const ONLINE: Table<(u64, u64), ()> = Table::new("textbook_online_by_class");
pub const TABLES: &[&str] = &[
    ENTRIES.name,
    BY_CLASS.name,
    BY_CLASS_DAY.name,
    ONLINE.name,
    DONE.name,
];

/// Minutes of work due on one day above which the teacher is warned.
pub const HEAVY_MINUTES: u32 = 45;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Session,
    Work,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub id: u64,
    pub class: u64,
    pub scope: Scope,
    pub kind: EntryKind,
    pub subject: String,
    pub title: String,
    pub body: String,
    /// Day of the séance, or day the work is due (« 2026-11-24 »).
    pub day: String,
    /// Day the work is given.
    #[serde(default)]
    pub given: String,
    #[serde(default)]
    pub minutes: u32,
    /// To hand in online (an assignment of the devoirs).
    #[serde(default)]
    pub online: bool,
    /// Shown in the cahier de textes (an online assignment may stand alone).
    #[serde(default = "shown")]
    pub listed: bool,
    /// Pupils and parents see it from this instant (planned ahead).
    pub visible_from: i64,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub author: u64,
    pub created_at: i64,
    /// Pupils and parents have been notified (at publication).
    #[serde(default)]
    pub notified: bool,
}

/// An entry's line in a list (the family's « Pour vous »): the entry without its text
/// and files, read through [`HEADS`].
#[derive(Debug, Clone, Deserialize)]
pub struct EntryHead {
    pub id: u64,
    pub class: u64,
    pub scope: Scope,
    pub kind: EntryKind,
    pub subject: String,
    pub title: String,
    pub day: String,
    #[serde(default)]
    pub minutes: u32,
    #[serde(default)]
    pub online: bool,
    #[serde(default = "shown")]
    pub listed: bool,
    pub visible_from: i64,
}

impl EntryHead {
    fn of(e: &Entry) -> EntryHead {
        EntryHead {
            id: e.id,
            class: e.class,
            scope: e.scope,
            kind: e.kind,
            subject: e.subject.clone(),
            title: e.title.clone(),
            day: e.day.clone(),
            minutes: e.minutes,
            online: e.online,
            listed: e.listed,
            visible_from: e.visible_from,
        }
    }
    pub fn date(&self) -> Option<Date> {
        dates::parse_date(&self.day)
    }
    pub fn visible(&self, now: i64) -> bool {
        self.visible_from <= now
    }
}

/// [`ENTRIES`] read as [`EntryHead`]s.
pub const HEADS: Table<u64, EntryHead> = ENTRIES.read_as();

/// The heads of a class's entries from day `from` (included) to `to` (excluded), by day.
pub fn heads_of_class_between(
    store: &Store,
    class: u64,
    from: &str,
    to: &str,
) -> Result<Vec<EntryHead>> {
    if let Some(found) = recent::between(store, class, day_number(from), day_number(to))? {
        return Ok(found.iter().map(|e| EntryHead::of(e)).collect());
    }
    let mut out = class_between(store, &HEADS, class, from, to)?;
    out.sort_by(|a, b| a.day.cmp(&b.day).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// The records of `table` (the entries, or their heads) of a class between two days, in
/// the index's order.
fn class_between<V: serde::de::DeserializeOwned>(
    store: &Store,
    table: &Table<u64, V>,
    class: u64,
    from: &str,
    to: &str,
) -> Result<Vec<V>> {
    let mut out = Vec::new();
    let keys = store.scan_range(
        &BY_CLASS_DAY,
        &(class, day_number(from), 0),
        &(class, day_number(to), 0),
    )?;
    for ((_, _, id), ()) in keys {
        if let Some(e) = store.get(table, &id)? {
            out.push(e);
        }
    }
    Ok(out)
}

impl Entry {
    pub fn date(&self) -> Option<Date> {
        dates::parse_date(&self.day)
    }
    pub fn visible(&self, now: i64) -> bool {
        self.visible_from <= now
    }
    /// Which document is the teacher's recording of the consigne, which « Écouter » plays
    /// instead of the browser's voice: the first sound whose name starts with « consigne »
    /// (the form's recorder names it so), so that a song given to learn is not taken for it.
    pub fn recorded_consigne(&self) -> Option<usize> {
        self.attachments.iter().position(|a| {
            a.mime.starts_with("audio/") && a.name.to_lowercase().starts_with(CONSIGNE_RECORDING)
        })
    }
}

/// How the recording of a consigne is named (by the entry form's recorder).
pub const CONSIGNE_RECORDING: &str = "consigne";

fn shown() -> bool {
    true
}

pub fn entry(store: &Store, id: u64) -> Result<Option<Entry>> {
    store.get(&ENTRIES, &id)
}

pub fn of_class(store: &Store, class: u64) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(&BY_CLASS, &class.encode())? {
        if let Some(e) = store.get(&ENTRIES, &id)? {
            out.push(e);
        }
    }
    out.sort_by(|a, b| a.day.cmp(&b.day).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// A day « 2026-11-24 » as the number 20261124 that orders the index (0 if unreadable).
fn day_number(day: &str) -> u64 {
    dates::parse_date(day)
        .map(|d| {
            u64::try_from(d.year()).unwrap_or(0) * 10_000
                + u64::try_from(d.month()).unwrap_or(0) * 100
                + u64::try_from(d.day()).unwrap_or(0)
        })
        .unwrap_or(0)
}

/// The entries of a class whose day is in [`from`, `to`) (days « 2026-11-24 »), by day.
pub fn of_class_between(store: &Store, class: u64, from: &str, to: &str) -> Result<Vec<Entry>> {
    if let Some(found) = recent::between(store, class, day_number(from), day_number(to))? {
        return Ok(found.iter().map(|e| Entry::clone(e)).collect());
    }
    let mut out = class_between(store, &ENTRIES, class, from, to)?;
    out.sort_by(|a, b| a.day.cmp(&b.day).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// The work of a class to hand in online.
pub fn online_of_class(store: &Store, class: u64) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(&ONLINE, &class.encode())? {
        if let Some(e) = store.get(&ENTRIES, &id)? {
            out.push(e);
        }
    }
    Ok(out)
}

/// The work to hand in online that a pupil and their parents may see now.
pub fn online_for_pupil(
    store: &Store,
    people: &People,
    pupil: u64,
    now: i64,
) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for c in people.classes_of(pupil) {
        for e in online_of_class(store, *c)? {
            if e.visible(now) && concerns(people, e.class, e.scope, pupil) {
                out.push(e);
            }
        }
    }
    Ok(out)
}

/// [`for_pupil`] limited to the entries of day `from` or later.
pub fn for_pupil_from(
    store: &Store,
    people: &People,
    pupil: u64,
    now: i64,
    from: &str,
) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for c in people.classes_of(pupil) {
        for e in of_class_between(store, *c, from, "9999-12-31")? {
            if e.visible(now) && concerns(people, e.class, e.scope, pupil) {
                out.push(e);
            }
        }
    }
    Ok(out)
}

/// The last `limit` séances up to `today` (included) that a pupil and their parents may
/// see now and that the cahier lists, newest first: each class's day index read backwards
/// from today and stopped once enough are found, not the years before.
pub fn last_sessions_for_pupil(
    store: &Store,
    people: &People,
    pupil: u64,
    now: i64,
    today: &str,
    limit: usize,
) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    let end = day_number(today).saturating_add(1);
    for c in people.classes_of(pupil) {
        let mut found = 0;
        store.visit_range_back(
            &BY_CLASS_DAY,
            &(*c, 0, 0),
            &(*c, end, 0),
            |(_, _, id), ()| {
                if let Some(e) = store.get(&ENTRIES, &id)? {
                    if e.kind == EntryKind::Session
                        && e.listed
                        && e.visible(now)
                        && concerns(people, e.class, e.scope, pupil)
                    {
                        out.push(e);
                        found += 1;
                    }
                }
                Ok(found < limit)
            },
        )?;
    }
    out.sort_by(|a, b| b.day.cmp(&a.day).then(b.id.cmp(&a.id)));
    out.truncate(limit);
    Ok(out)
}

pub fn done_by(store: &Store, entry: u64) -> Result<Vec<u64>> {
    Ok(store
        .scan_prefix(&DONE, &entry.encode())?
        .into_iter()
        .map(|((_, p), _)| p)
        .collect())
}

pub fn is_done(store: &Store, entry: u64, pupil: u64) -> Result<bool> {
    Ok(store.get(&DONE, &(entry, pupil))?.is_some())
}

/// Tells pupils and guardians about new work, once it is visible.
fn notify_work(tx: &mut crate::store::Tx<'_>, people: &People, e: &Entry, now: i64) -> Result<()> {
    if e.kind != EntryKind::Work {
        return Ok(());
    }
    let due = e.date().map(dates::day_label).unwrap_or_default();
    // Told where the class opened that service to them: the devoirs for work handed in
    // online, the cahier de textes otherwise.
    let service = if e.online {
        crate::school::Service::Devoirs
    } else {
        crate::school::Service::CahierDeTextes
    };
    for p in pupils(people, e.class, e.scope) {
        if !people.told(p, e.class, service) {
            continue;
        }
        let text = format!("Travail pour le {due} ({}) : « {} »", e.subject, e.title);
        let link = if e.online {
            format!("/devoirs/{}", e.id)
        } else {
            format!("/cahier-de-textes/{}", e.id)
        };
        notify::push(tx, p, Kind::Homework, &text, &link, now)?;
        for g in people.parents_of(p) {
            if !people.told(*g, e.class, service) {
                continue;
            }
            let child = people
                .user(p)
                .map(|u| u.first_name.clone())
                .unwrap_or_default();
            notify::push(
                tx,
                *g,
                Kind::Homework,
                &format!("{child} : {text}"),
                &link,
                now,
            )?;
        }
    }
    Ok(())
}

/// Writes a new entry for the class the proof is about; returns its id.
pub async fn create(
    store: &Store,
    people: &People,
    granted: &Granted<TaughtClass>,
    e: Entry,
    now: i64,
) -> Result<u64> {
    let class = granted.object().0;
    save(store, people, Entry { id: 0, class, ..e }, now).await
}

/// Copies an entry (`from`, its author's proof) for `day` in the class of `to`, visible
/// no earlier than the original; returns the copy's id.
pub async fn copy(
    store: &Store,
    people: &People,
    from: &Granted<Entry>,
    to: &Granted<TaughtClass>,
    day: Date,
    now: i64,
) -> Result<u64> {
    let e = from.object();
    let class = to.object().0;
    let mut copy = e.clone();
    copy.id = 0;
    copy.class = class;
    // A group or level of another class may not exist there: the copy is for the class.
    if class != e.class {
        copy.scope = Scope::Class;
    }
    copy.day = day.to_string();
    if copy.kind == EntryKind::Work && copy.given.as_str() > copy.day.as_str() {
        copy.given = copy.day.clone();
    }
    copy.created_at = now;
    copy.notified = false;
    copy.visible_from = now.max(e.visible_from);
    save(store, people, copy, now).await
}

/// Ticks « fait » for the pupil the proof is about, or unticks it.
pub async fn toggle_done(store: &Store, granted: &Granted<Done>, now: i64) -> Result<()> {
    let Done { entry, pupil } = *granted.object();
    let done = is_done(store, entry, pupil)?;
    store
        .commit(|tx| {
            if done {
                tx.remove(&DONE, &(entry, pupil))
            } else {
                tx.put(&DONE, &(entry, pupil), &now)
            }
        })
        .await
}

/// A piece of work, and the pupil it is for who ticks it « fait ».
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Done {
    pub entry: u64,
    pub pupil: u64,
}

/// Writes an entry as given, new (`id` 0) or changed: the demo's seeding and the step
/// under [`create`] and [`copy`]; notifies once it is visible.
pub(crate) async fn save(store: &Store, people: &People, e: Entry, now: i64) -> Result<u64> {
    store
        .commit(|tx| {
            let mut e = e.clone();
            if e.id == 0 {
                e.id = tx.next_id("textbook")?;
            }
            if e.visible(now) && !e.notified {
                notify_work(tx, people, &e, now)?;
                e.notified = true;
            }
            insert(tx, &e)?;
            Ok(e.id)
        })
        .await
}

/// Writes an entry (new or changed) with its indexes, in the caller's transaction: a
/// changed day or class moves its index keys.
pub fn insert(tx: &mut crate::store::Tx<'_>, e: &Entry) -> Result<()> {
    if let Some(old) = tx.get(&ENTRIES, &e.id)? {
        unindex(tx, &old)?;
    }
    tx.put(&ENTRIES, &e.id, e)?;
    tx.put(&BY_CLASS, &(e.class, e.id), &())?;
    index(tx, e)
}

/// The schema 4 index entries of an entry.
fn index(tx: &mut crate::store::Tx<'_>, e: &Entry) -> Result<()> {
    if e.kind == EntryKind::Work && e.online {
        tx.put(&ONLINE, &(e.class, e.id), &())?;
    }
    tx.put(&BY_CLASS_DAY, &(e.class, day_number(&e.day), e.id), &())
}

fn unindex(tx: &mut crate::store::Tx<'_>, e: &Entry) -> Result<()> {
    tx.remove(&BY_CLASS, &(e.class, e.id))?;
    tx.remove(&ONLINE, &(e.class, e.id))?;
    tx.remove(&BY_CLASS_DAY, &(e.class, day_number(&e.day), e.id))
}

/// Schema 4: the index by class and day of the entries written before it.
pub fn migrate_v4_index_by_day(store: &Store) -> Result<()> {
    let all = store.scan(&ENTRIES)?;
    store.commit_blocking(|tx| {
        for (_, e) in &all {
            index(tx, e)?;
        }
        Ok(())
    })
}

/// Deletes an entry with its « fait » ticks.
pub async fn delete(store: &Store, granted: &Granted<Entry>) -> Result<()> {
    let e = granted.object();
    let done: Vec<u64> = done_by(store, e.id)?;
    store
        .commit(|tx| {
            for p in &done {
                tx.remove(&DONE, &(e.id, *p))?;
            }
            unindex(tx, e)?;
            tx.remove(&ENTRIES, &e.id)
        })
        .await
}

/// Planned entries that became visible: notify now (called by the periodic job).
pub fn publish_due(store: &Store, people: &People, now: i64) -> Result<usize> {
    let due: Vec<Entry> = store
        .scan(&ENTRIES)?
        .into_iter()
        .map(|(_, e)| e)
        .filter(|e| !e.notified && e.visible(now))
        .collect();
    store.commit_blocking(|tx| {
        for e in &due {
            let mut e = e.clone();
            notify_work(tx, people, &e, now)?;
            e.notified = true;
            tx.put(&ENTRIES, &e.id, &e)?;
        }
        Ok(())
    })?;
    Ok(due.len())
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    Ok(store
        .scan(&ENTRIES)?
        .into_iter()
        .flat_map(|(_, e)| e.attachments.into_iter().map(|a| a.blob))
        .collect())
}

/// Minutes of work due on `day` for the most loaded pupil of the class.
pub fn load_of_day(people: &People, entries: &[Entry], class: u64, day: &str) -> u32 {
    people
        .pupils_of_class(class)
        .iter()
        .map(|p| {
            entries
                .iter()
                .filter(|e| {
                    e.kind == EntryKind::Work
                        && e.day == day
                        && concerns(people, class, e.scope, *p)
                })
                .map(|e| e.minutes)
                .sum::<u32>()
        })
        .max()
        .unwrap_or(0)
}
