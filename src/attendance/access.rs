//! Who may do what with the registre d'appel: the facts about the person (the class they
//! teach or replace in, the children they are guardian of) gathered here, the answer asked
//! of the policy, and the object attached to the proof the mutations take.

use crate::policy::{require, Action, Actor, Forbidden, Granted};

/// A class whose appel is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassAppel {
    pub class: u64,
}

/// Taking, correcting or printing a class's appel, entering its aménagements: the
/// class's teachers (a replacement while the delegation runs: the actor carries it), the
/// director.
pub fn appel(actor: &Actor, class: u64) -> Result<Granted<ClassAppel>, Forbidden> {
    Ok(require(actor, Action::TakeAppel { class_id: class })?.on(ClassAppel { class }))
}

/// Declaring an absence ahead or giving a motif for a child: the child's guardians.
pub fn declare(actor: &Actor, pupil: u64) -> Result<Granted<u64>, Forbidden> {
    Ok(require(actor, Action::DeclareAbsence { pupil_id: pupil })?.on(pupil))
}

/// Seeing a pupil's absences: their guardians, their class's teachers, the director.
pub fn view(actor: &Actor, pupil: u64, class: Option<u64>) -> Result<Granted<u64>, Forbidden> {
    Ok(require(
        actor,
        Action::ViewAbsences {
            pupil_id: pupil,
            class_id: class,
        },
    )?
    .on(pupil))
}

/// The school's attendance (school view, registers and their visa, signalements, the
/// calendar): the director.
pub fn follow(actor: &Actor) -> Result<Granted, Forbidden> {
    require(actor, Action::FollowAttendance)
}
