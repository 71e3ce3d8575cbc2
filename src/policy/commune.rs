//! The rules of the commune's space (`/commune`): who reads the mairie's pages and the
//! school buses, who runs them (the commune's staff, or the director where the commune
//! has no account), who sees which riders of a line, who files a request to the mairie
//! and who follows it. The commune never sees more of the pupils than the riders' names
//! and classes. [`super::may`] delegates [`super::Action::Commune`] here.

use super::{teaches, Actor, Profile};

/// An action of the commune's space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommuneAction {
    /// Read the pages, the bus lines with their times and their exceptional changes:
    /// families and the adults who work in the school (not pupils, guests, visitors).
    Read,
    /// Write the pages, the lines, their riders and their changes, move a request to
    /// « en cours » or « faite »: the commune's staff; the director only while the school
    /// has no commune account (`commune_present`), standing in for the mairie.
    Run { commune_present: bool },
    /// See that a pupil rides a line: who runs the space, the director, the pupil's
    /// class teachers (`teaches_pupil`), the pupil's guardians. Nobody else sees riders.
    SeeRider {
        pupil_id: u64,
        teaches_pupil: bool,
        commune_present: bool,
    },
    /// File a request to the mairie (travaux, chauffage…): the director, the teachers.
    FileRequest,
    /// See the list of requests: who files them, who follows them.
    ListRequests { commune_present: bool },
    /// Read a request and comment on it: its author, the director (the whole school's),
    /// who runs the space (the mairie's). A teacher sees only their own.
    SeeRequest { author: bool, commune_present: bool },
}

/// Whether `actor` may do `action`.
pub fn may(actor: &Actor, action: CommuneAction) -> bool {
    match action {
        CommuneAction::Read => {
            actor.director
                || matches!(
                    actor.profile,
                    Profile::Responsable
                        | Profile::Enseignant
                        | Profile::Atsem
                        | Profile::Periscolaire
                        | Profile::Commune
                )
        }
        CommuneAction::Run { commune_present } => {
            actor.profile == Profile::Commune || (actor.director && !commune_present)
        }
        CommuneAction::SeeRider {
            pupil_id,
            teaches_pupil,
            commune_present,
        } => {
            may(actor, CommuneAction::Run { commune_present })
                || actor.director
                || (teaches_pupil && actor.profile == Profile::Enseignant)
                || actor.children.contains(&pupil_id)
        }
        CommuneAction::FileRequest => actor.director || actor.profile == Profile::Enseignant,
        CommuneAction::ListRequests { commune_present } => {
            may(actor, CommuneAction::FileRequest)
                || may(actor, CommuneAction::Run { commune_present })
        }
        CommuneAction::SeeRequest {
            author,
            commune_present,
        } => {
            (author && may(actor, CommuneAction::FileRequest))
                || actor.director
                || may(actor, CommuneAction::Run { commune_present })
        }
    }
}

/// Whether a teacher teaches that pupil's class (a fact the line's page passes in).
pub fn teaches_any(actor: &Actor, classes: &[u64]) -> bool {
    classes.iter().any(|c| teaches(actor, Some(*c)))
}
