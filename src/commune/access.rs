//! Who may do what in the commune's space: the facts (whether the commune has an account,
//! whether the person wrote the request, teaches the rider) gathered here, the answer
//! asked of the policy (`policy/commune.rs`), the record attached to the proof the
//! mutations take.

use super::requests::Request;
use super::Presence;
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
pub fn run(actor: &Actor, presence: Presence) -> Result<Granted<Run>, Forbidden> {
    let commune_present = presence.commune_present;
    Ok(commune(actor, CommuneAction::Run { commune_present })?.on(Run))
}

/// Whether the person runs the space (for what a page offers).
pub fn runs(actor: &Actor, presence: Presence) -> bool {
    run(actor, presence).is_ok()
}

/// Whether the person may see that a pupil rides a line: one question per rider.
pub fn sees_rider<'a>(
    actor: &'a Actor,
    people: &'a People,
    presence: Presence,
) -> impl Fn(u64) -> bool + 'a {
    let commune_present = presence.commune_present;
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

/// The riders of a line the person may see, each asked of the policy. Who runs the space
/// and the director see every rider; anyone else only their children and the members of
/// the classes they teach (`policy::commune`, `SeeRider`), so only those are asked about:
/// a family's page looks at its children, not at every rider of a line across the commune.
pub fn riders_seen(actor: &Actor, people: &People, presence: Presence, riders: &[u64]) -> Vec<u64> {
    let sees = sees_rider(actor, people, presence);
    if runs(actor, presence) || actor.director {
        return riders.iter().copied().filter(|p| sees(*p)).collect();
    }
    let mut near: Vec<u64> = actor
        .children
        .iter()
        .copied()
        .chain(
            actor
                .class_ids
                .iter()
                .flat_map(|c| people.class_members.get(c).into_iter().flatten())
                .map(|(member, _)| *member),
        )
        .filter(|p| riders.contains(p))
        .collect();
    near.sort_unstable();
    near.dedup();
    near.retain(|p| sees(*p));
    near
}

/// Filing a request: the director, the teachers.
pub fn file(actor: &Actor) -> Result<Granted, Forbidden> {
    commune(actor, CommuneAction::FileRequest)
}

/// The list of requests: who files them, who follows them.
pub fn list(actor: &Actor, presence: Presence) -> Result<Granted, Forbidden> {
    let commune_present = presence.commune_present;
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
    presence: Presence,
    r: Request,
) -> Result<Granted<Request>, Forbidden> {
    let commune_present = presence.commune_present;
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
pub fn follow(
    actor: &Actor,
    presence: Presence,
    r: Request,
) -> Result<Granted<Request>, Forbidden> {
    let commune_present = presence.commune_present;
    Ok(commune(actor, CommuneAction::Run { commune_present })?.on(r))
}
