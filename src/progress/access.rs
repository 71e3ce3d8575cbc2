//! Who may do what with the carnets de suivi: the facts (the child's classes now, whether
//! a réussite is shared) gathered here, the answer asked of the policy
//! (`policy/progress.rs`), the record attached to the proof the mutations take.

use super::carnet::Reussite;
use crate::directory::people::People;
use crate::error::AppError;
use crate::policy::progress::teaches_one_of;
use crate::policy::{require, Action, Actor, Forbidden, Granted, ProgressAction};

fn progress(actor: &Actor, action: ProgressAction) -> Result<Granted, Forbidden> {
    require(actor, Action::Progress(action))
}

/// The service's home.
pub fn open(actor: &Actor) -> Result<Granted, Forbidden> {
    progress(actor, ProgressAction::Open)
}

/// A class's carnets: its teachers, the director.
pub fn keep_class(actor: &Actor, class_id: u64) -> Result<Granted, Forbidden> {
    progress(actor, ProgressAction::KeepClass { class_id })
}

/// A child's whole carnet: the teachers of the child's classes now, the director.
pub fn keep_pupil(actor: &Actor, people: &People, pupil: u64) -> Result<Granted, Forbidden> {
    let teaches_pupil = teaches_one_of(actor, people.classes_of(pupil));
    progress(actor, ProgressAction::KeepPupil { teaches_pupil })
}

/// How a person reads a child's carnet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Every entry, to change them and share them.
    Keeper,
    /// What was shared, to say « J'ai vu » and comment.
    Family,
}

/// Reading a child's carnet: as who keeps it, or as the family; refused otherwise.
pub fn read_pupil(actor: &Actor, people: &People, pupil: u64) -> Result<Reading, Forbidden> {
    if keep_pupil(actor, people, pupil).is_ok() {
        return Ok(Reading::Keeper);
    }
    progress(actor, ProgressAction::ReadShared { pupil_id: pupil })?;
    Ok(Reading::Family)
}

/// A guardian's « J'ai vu ».
pub fn acknowledge(actor: &Actor, pupil: u64) -> Result<Granted, Forbidden> {
    progress(actor, ProgressAction::Acknowledge { pupil_id: pupil })
}

/// Commenting on a share: the family, or who keeps the carnet (answering).
pub fn comment(actor: &Actor, people: &People, pupil: u64) -> Result<Granted, Forbidden> {
    keep_pupil(actor, people, pupil).or_else(|_| acknowledge(actor, pupil))
}

/// Changing or deleting a réussite: who keeps the child's carnet.
pub fn change(actor: &Actor, people: &People, r: Reussite) -> Result<Granted<Reussite>, Forbidden> {
    Ok(keep_pupil(actor, people, r.pupil)?.on(r))
}

/// The school's list of attendus: its teachers, the director.
pub fn keep_attendus(actor: &Actor) -> Result<Granted, Forbidden> {
    progress(actor, ProgressAction::KeepAttendus)
}

/// One's own carnet, as a child.
pub fn read_own(actor: &Actor) -> Result<Granted, Forbidden> {
    progress(
        actor,
        ProgressAction::ReadOwn {
            pupil_id: actor.user_id,
        },
    )
}

/// A réussite's photo, sound or video: who keeps the carnet; the child; the family once
/// it is shared. Before, the réussite does not exist for the family (404).
pub fn see_photo(actor: &Actor, people: &People, r: &Reussite) -> Result<(), AppError> {
    if actor.user_id == r.pupil && read_own(actor).is_ok() {
        return Ok(());
    }
    match read_pupil(actor, people, r.pupil)? {
        Reading::Keeper => Ok(()),
        Reading::Family if r.shared.is_some() => Ok(()),
        Reading::Family => Err(AppError::NotFound),
    }
}
