//! The rules of the suivi des apprentissages (`/suivi`): who keeps a child's carnet de
//! suivi (the teachers of one of the child's classes, the director), who reads it (those,
//! and the child's guardians, who see only what the teacher shared), who acknowledges and
//! comments on a share. The carnet follows the child from class to class: the facts are
//! the child's classes now, never the class an entry was written in.
//! [`super::may`] delegates [`super::Action::Progress`] here.

use super::{teaches, Actor, Profile};

/// An action of the suivi des apprentissages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressAction {
    /// Open the service's home: the teachers (their classes), the guardians (their
    /// children), the pupils (their own carnet, in big pictures). Not the other staff.
    Open,
    /// Keep a class's carnets: add a réussite for some of its children at once, share
    /// the class's carnets with the families: the class's teachers, the director.
    KeepClass { class_id: u64 },
    /// Keep one child's carnet (every entry, shared or not; write, change, delete a
    /// réussite; share it; answer the family): a teacher of one of the child's classes
    /// (`teaches_pupil`), the director.
    KeepPupil { teaches_pupil: bool },
    /// Read a child's carnet as the family: what the teacher shared; their guardians.
    ReadShared { pupil_id: u64 },
    /// Acknowledge a share (« J'ai vu ») and comment on it: the child's guardians.
    Acknowledge { pupil_id: u64 },
    /// Look at one's own carnet (every réussite, with its photo, sound or video): the
    /// child themself.
    ReadOwn { pupil_id: u64 },
    /// Keep the school's own list of attendus: its teachers, the director.
    KeepAttendus,
}

/// Whether `actor` may do `action`.
pub fn may(actor: &Actor, action: ProgressAction) -> bool {
    match action {
        ProgressAction::Open => {
            actor.director
                || actor.profile == Profile::Enseignant
                || (actor.profile == Profile::Responsable && !actor.children.is_empty())
                || actor.profile == Profile::Eleve
        }
        ProgressAction::KeepClass { class_id } => actor.director || teaches(actor, Some(class_id)),
        ProgressAction::KeepPupil { teaches_pupil } => {
            actor.director || (teaches_pupil && actor.profile == Profile::Enseignant)
        }
        ProgressAction::ReadShared { pupil_id } | ProgressAction::Acknowledge { pupil_id } => {
            actor.profile == Profile::Responsable && actor.children.contains(&pupil_id)
        }
        ProgressAction::KeepAttendus => actor.director || actor.profile == Profile::Enseignant,
        ProgressAction::ReadOwn { pupil_id } => {
            actor.profile == Profile::Eleve && actor.user_id == pupil_id
        }
    }
}

/// Whether a teacher teaches one of the pupil's classes (a fact the pages pass in).
pub fn teaches_one_of(actor: &Actor, classes: &[u64]) -> bool {
    classes.iter().any(|c| teaches(actor, Some(*c)))
}
