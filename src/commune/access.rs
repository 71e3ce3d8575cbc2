//! Who may do what in the commune's space: the facts (whether the commune has an account,
//! whether the person wrote the request, teaches the rider) gathered here, the answer
//! asked of the policy (`policy/commune.rs`), the record attached to the proof the
//! mutations take.

use super::commune_present;
use super::requests::Request;
use crate::directory::people::People;
use crate::policy::commune::teaches_any;
use crate::policy::{may, require, Action, Actor, CommuneAction, Forbidden, Granted};

fn commune(actor: &Actor, action: CommuneAction) -> Result<Granted, Forbidden> {
    require(actor, Action::Commune(action))
}

/// The proof of running the space (pages, lines, riders, changes).
#[derive(Debug, Clone, Copy)]
pub struct Run;

/// Reading the pages, the lines and their changes.
pub fn read(actor: &Actor) -> Result<Granted, Forbidden> {
    commune(actor, CommuneAction::Read)
}

/// Running the space: the commune, or the director where it has no account.
pub fn run(actor: &Actor, people: &People) -> Result<Granted<Run>, Forbidden> {
    let commune_present = commune_present(people);
    Ok(commune(actor, CommuneAction::Run { commune_present })?.on(Run))
}

/// Whether the person runs the space (for what a page offers).
pub fn runs(actor: &Actor, people: &People) -> bool {
    run(actor, people).is_ok()
}

/// Whether the person may see that a pupil rides a line: one question per rider, with
/// whether the commune has an account looked up once (it reads every account).
pub fn sees_rider<'a>(actor: &'a Actor, people: &'a People) -> impl Fn(u64) -> bool + 'a {
    let commune_present = commune_present(people);
    move |pupil| {
        may(
            actor,
            Action::Commune(CommuneAction::SeeRider {
                pupil_id: pupil,
                teaches_pupil: teaches_any(actor, people.classes_of(pupil)),
                commune_present,
            }),
        )
    }
}

/// Filing a request: the director, the teachers.
pub fn file(actor: &Actor) -> Result<Granted, Forbidden> {
    commune(actor, CommuneAction::FileRequest)
}

/// The list of requests: who files them, who follows them.
pub fn list(actor: &Actor, people: &People) -> Result<Granted, Forbidden> {
    let commune_present = commune_present(people);
    commune(actor, CommuneAction::ListRequests { commune_present })
}

/// Whether the person sees this request (the list's filter and the page's check).
pub fn sees_request(actor: &Actor, commune_present: bool, r: &Request) -> bool {
    may(
        actor,
        Action::Commune(CommuneAction::SeeRequest {
            author: r.author == actor.user_id,
            commune_present,
        }),
    )
}

/// Reading a request, its photos, commenting on it.
pub fn see_request(
    actor: &Actor,
    people: &People,
    r: Request,
) -> Result<Granted<Request>, Forbidden> {
    let commune_present = commune_present(people);
    Ok(commune(
        actor,
        CommuneAction::SeeRequest {
            author: r.author == actor.user_id,
            commune_present,
        },
    )?
    .on(r))
}

/// Moving a request on (en cours, faite): who runs the space.
pub fn follow(actor: &Actor, people: &People, r: Request) -> Result<Granted<Request>, Forbidden> {
    let commune_present = commune_present(people);
    Ok(commune(actor, CommuneAction::Run { commune_present })?.on(r))
}
