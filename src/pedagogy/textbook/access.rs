//! Who may read an entry of the cahier de textes, author it (copy, delete), or tick it
//! « fait »: the proofs the pages and the mutations take.

use super::{entry, Done, Entry, EntryKind};
use crate::app::App;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::pedagogy::{concerns, pupils, teacher_of, view_pupil};
use crate::policy::Granted;
use crate::store::Store;

fn load(store: &Store, id: u64) -> AppResult<Entry> {
    entry(store, id)?.ok_or(AppError::NotFound)
}

/// The class's teachers (and the director), or, once it is visible, someone who follows
/// a pupil it concerns.
pub fn reader(
    app: &App,
    people: &People,
    member: &Member,
    id: u64,
    now: i64,
) -> AppResult<Granted<Entry>> {
    let e = load(&app.store, id)?;
    if let Ok(g) = teacher_of(member, e.class) {
        return Ok(g.on(e));
    }
    if !e.visible(now) || !app.is_installed() {
        return Err(AppError::Forbidden);
    }
    let grant = pupils(people, e.class, e.scope)
        .into_iter()
        .find_map(|p| view_pupil(people, member, p).ok())
        .ok_or(AppError::Forbidden)?;
    Ok(grant.on(e))
}

/// The class's teachers and the director.
pub fn author(store: &Store, member: &Member, id: u64) -> AppResult<Granted<Entry>> {
    let e = load(store, id)?;
    Ok(teacher_of(member, e.class)?.on(e))
}

/// The pupil a visible piece of work is for, ticking it for themself.
pub fn doer(
    store: &Store,
    people: &People,
    member: &Member,
    id: u64,
    now: i64,
) -> AppResult<Granted<Done>> {
    let e = load(store, id)?;
    let me = member.user().id;
    if e.kind != EntryKind::Work || !e.visible(now) || !concerns(people, e.class, e.scope, me) {
        return Err(AppError::Forbidden);
    }
    Ok(view_pupil(people, member, me)?.on(Done {
        entry: e.id,
        pupil: me,
    }))
}
