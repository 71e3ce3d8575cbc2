//! Who may build an exercise and see its results, do it, see a pupil's attempts, or see
//! its pictures and sounds: the proofs the pages and the mutations take.

use super::{exercise, Exercise};
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::pedagogy::{concerns, pupils, teacher_of, view_pupil};
use crate::policy::Granted;
use crate::store::Store;

/// A published exercise and the pupil doing it (or whose attempts are looked at).
#[derive(Debug, Clone)]
pub struct Doing {
    pub exercise: Exercise,
    pub pupil: u64,
}

fn published(store: &Store, id: u64) -> AppResult<Exercise> {
    exercise(store, id)?
        .filter(|e| e.published)
        .ok_or(AppError::NotFound)
}

/// The class's teachers and the director.
pub fn author(store: &Store, member: &Member, id: u64) -> AppResult<Granted<Exercise>> {
    let ex = exercise(store, id)?.ok_or(AppError::NotFound)?;
    Ok(teacher_of(member, ex.class)?.on(ex))
}

/// A pupil the published exercise is for, answering it themself.
pub fn doer(store: &Store, people: &People, member: &Member, id: u64) -> AppResult<Granted<Doing>> {
    let ex = published(store, id)?;
    let me = member.user().id;
    if !concerns(people, ex.class, ex.scope, me) {
        return Err(AppError::Forbidden);
    }
    Ok(view_pupil(people, member, me)?.on(Doing {
        exercise: ex,
        pupil: me,
    }))
}

/// The published exercise as `asked` (or oneself) does it: the class's teachers, or who
/// may see that pupil's work, when the exercise is for that pupil.
pub fn viewer(
    store: &Store,
    people: &People,
    member: &Member,
    id: u64,
    asked: Option<u64>,
) -> AppResult<Granted<Doing>> {
    let ex = published(store, id)?;
    let pupil = asked.unwrap_or(member.user().id);
    if !concerns(people, ex.class, ex.scope, pupil) {
        return Err(AppError::Forbidden);
    }
    let grant = teacher_of(member, ex.class).or_else(|_| view_pupil(people, member, pupil))?;
    Ok(grant.on(Doing {
        exercise: ex,
        pupil,
    }))
}

/// A question's picture or sound: the class's teachers, or, once published, who follows a
/// pupil it is for.
pub fn media(
    store: &Store,
    people: &People,
    member: &Member,
    id: u64,
) -> AppResult<Granted<Exercise>> {
    let ex = exercise(store, id)?.ok_or(AppError::NotFound)?;
    if let Ok(g) = teacher_of(member, ex.class) {
        return Ok(g.on(ex));
    }
    if !ex.published {
        return Err(AppError::Forbidden);
    }
    let grant = pupils(people, ex.class, ex.scope)
        .into_iter()
        .find_map(|p| view_pupil(people, member, p).ok())
        .ok_or(AppError::Forbidden)?;
    Ok(grant.on(ex))
}
