//! Who may do what with the livrets: the rules of the suivi (`policy/progress.rs`), the
//! livret's facts gathered here. A class's livret is kept by its teachers and the
//! director; a pupil's, by the teachers of the pupil's classes now and the director; the
//! guardians read only what was published, acknowledge and comment. The pupils see
//! nothing of it (the livret is shared with the family).

use crate::directory::people::People;
use crate::policy::{require, Action, Actor, Forbidden, Granted};

pub use crate::progress::access::Reading;

/// The periods of the school year, a setting of the school: the director.
pub fn set_periods(actor: &Actor) -> Result<Granted, Forbidden> {
    require(actor, Action::EditSchool)
}

/// The LSU export (every class's bilans, the pupils' INE): the director.
pub fn export_lsu(actor: &Actor) -> Result<Granted, Forbidden> {
    require(actor, Action::EditSchool)
}

/// A class's livret (grid, publication): its teachers, the director.
pub fn keep_class(actor: &Actor, class_id: u64) -> Result<Granted, Forbidden> {
    crate::progress::access::keep_class(actor, class_id)
}

/// A pupil's livret (every bilan, the bilan de fin de cycle): the teachers of the
/// pupil's classes, the director.
pub fn keep_pupil(actor: &Actor, people: &People, pupil: u64) -> Result<Granted, Forbidden> {
    crate::progress::access::keep_pupil(actor, people, pupil)
}

/// Reading a pupil's livret: as who keeps it, or as the family (published bilans only).
pub fn read_pupil(actor: &Actor, people: &People, pupil: u64) -> Result<Reading, Forbidden> {
    crate::progress::access::read_pupil(actor, people, pupil)
}

/// « J'ai pris connaissance »: the pupil's guardians.
pub fn acknowledge(actor: &Actor, pupil: u64) -> Result<Granted, Forbidden> {
    crate::progress::access::acknowledge(actor, pupil)
}

/// A comment on a published bilan: the family, or who keeps the livret (answering).
pub fn comment(actor: &Actor, people: &People, pupil: u64) -> Result<Granted, Forbidden> {
    crate::progress::access::comment(actor, people, pupil)
}
