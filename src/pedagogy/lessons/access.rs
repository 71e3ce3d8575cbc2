//! Who may read a lesson of the classeur, and who may take it out: the proofs the pages
//! and the mutations take.

use super::{Lesson, LESSONS};
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::pedagogy::{pupils, teacher_of, view_pupil};
use crate::policy::Granted;
use crate::store::Store;

fn lesson(store: &Store, id: u64) -> AppResult<Lesson> {
    store.get(&LESSONS, &id)?.ok_or(AppError::NotFound)
}

/// The class's teachers (and the director), or someone who follows a pupil the lesson is
/// for.
pub fn reader(
    store: &Store,
    people: &People,
    member: &Member,
    id: u64,
) -> AppResult<Granted<Lesson>> {
    let l = lesson(store, id)?;
    if let Ok(g) = teacher_of(member, l.class) {
        return Ok(g.on(l));
    }
    let grant = pupils(people, l.class, l.scope)
        .into_iter()
        .find_map(|p| view_pupil(people, member, p).ok())
        .ok_or(AppError::Forbidden)?;
    Ok(grant.on(l))
}

/// The class's teachers and the director.
pub fn author(store: &Store, member: &Member, id: u64) -> AppResult<Granted<Lesson>> {
    let l = lesson(store, id)?;
    Ok(teacher_of(member, l.class)?.on(l))
}
