//! Who may see work given online and a pupil's hand-in, hand it in, or answer it: the
//! proofs the pages and the mutations take.

use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::pedagogy::textbook::{self, Entry, EntryKind};
use crate::pedagogy::{concerns, teacher_of, view_pupil};
use crate::policy::Granted;
use crate::store::Store;

/// One pupil's hand-in of a piece of work.
#[derive(Debug, Clone)]
pub struct HandIn {
    pub work: Entry,
    pub pupil: u64,
}

/// Work of the cahier de textes to hand in online (any other id is not found).
pub fn work(store: &Store, id: u64) -> AppResult<Entry> {
    textbook::entry(store, id)?
        .filter(|e| e.kind == EntryKind::Work && e.online)
        .ok_or(AppError::NotFound)
}

/// What the work's page shows: every pupil's status to the class's teachers, or one
/// pupil's hand-in.
pub enum Shown {
    HandIns(Granted<Entry>),
    Pupil(Granted<HandIn>),
}

/// The page of a piece of work: the class's teachers see the list (unless they ask for a
/// pupil); a pupil it is for, and who follows them, see that pupil's hand-in once the work
/// is visible.
pub fn page(
    store: &Store,
    people: &People,
    member: &Member,
    id: u64,
    asked: Option<u64>,
    now: i64,
) -> AppResult<Shown> {
    let e = work(store, id)?;
    let teacher = teacher_of(member, e.class).ok();
    if let (Some(g), None) = (&teacher, asked) {
        return Ok(Shown::HandIns(g.clone().on(e)));
    }
    let pupil = asked.unwrap_or(member.user().id);
    if !e.visible(now) && teacher.is_none() {
        return Err(AppError::NotFound);
    }
    if !concerns(people, e.class, e.scope, pupil) {
        return Err(AppError::Forbidden);
    }
    let grant = view_pupil(people, member, pupil)?;
    Ok(Shown::Pupil(grant.on(HandIn { work: e, pupil })))
}

/// The pupil the visible work is for, handing in their own work.
pub fn hand_in(
    store: &Store,
    people: &People,
    member: &Member,
    id: u64,
    now: i64,
) -> AppResult<Granted<HandIn>> {
    let e = work(store, id)?;
    let me = member.user().id;
    if !e.visible(now) || !concerns(people, e.class, e.scope, me) {
        return Err(AppError::Forbidden);
    }
    Ok(view_pupil(people, member, me)?.on(HandIn { work: e, pupil: me }))
}

/// The class's teachers and the director, on the hand-in of a pupil the work is for.
pub fn feedback(
    store: &Store,
    people: &People,
    member: &Member,
    id: u64,
    pupil: u64,
) -> AppResult<Granted<HandIn>> {
    let e = work(store, id)?;
    let grant = teacher_of(member, e.class)?;
    if !concerns(people, e.class, e.scope, pupil) {
        return Err(AppError::NotFound);
    }
    Ok(grant.on(HandIn { work: e, pupil }))
}

/// The files of a hand-in: the class's teachers, or who may see the work of the pupil it
/// is for.
pub fn files(
    store: &Store,
    people: &People,
    member: &Member,
    id: u64,
    pupil: u64,
) -> AppResult<Granted<HandIn>> {
    let e = work(store, id)?;
    if let Ok(g) = teacher_of(member, e.class) {
        return Ok(g.on(HandIn { work: e, pupil }));
    }
    if !concerns(people, e.class, e.scope, pupil) {
        return Err(AppError::Forbidden);
    }
    Ok(view_pupil(people, member, pupil)?.on(HandIn { work: e, pupil }))
}
