//! The answers to resource bookings: the director validates a request (with the rest of
//! its series), which refuses the requests overlapping it, or refuses it; the author or
//! the director cancels a booking. Each author concerned is told.

use super::day_key;
use super::resources::{
    overlapping, refusal_for, Booking, Status, BOOKINGS, DAY_PLANS, PENDING, RESOURCES, SERIES,
};
use crate::directory::people::People;
use crate::notify::{self, Kind as NoticeKind};
use crate::policy::Granted;
use crate::refusal::{Failure, Outcome};
use crate::store::{Result, Store, Tx};

/// Takes a booking off its day's plan and the requests, with its new status.
fn close(tx: &mut Tx<'_>, mut b: Booking, status: Status, by: u64, now: i64) -> Result<Booking> {
    let key = (b.resource, day_key(b.day));
    let mut plan = tx.get(&DAY_PLANS, &key)?.unwrap_or_default();
    plan.retain(|id| *id != b.id);
    if plan.is_empty() {
        tx.remove(&DAY_PLANS, &key)?;
    } else {
        tx.put(&DAY_PLANS, &key, &plan)?;
    }
    tx.remove(&PENDING, &b.id)?;
    b.status = status;
    b.decided = Some((now, by));
    tx.put(&BOOKINGS, &b.id, &b)?;
    Ok(b)
}

/// The bookings a decision or a cancellation of `b` reaches: `b` alone, or with `whole`,
/// every live booking of its series from its date on.
fn reached(tx: &Tx<'_>, b: &Booking, whole: bool) -> Result<Vec<Booking>> {
    let Some(series) = b.series.filter(|_| whole) else {
        return Ok(vec![b.clone()]);
    };
    let mut out = Vec::new();
    for id in tx.get(&SERIES, &series)?.unwrap_or_default() {
        if let Some(o) = tx.get(&BOOKINGS, &id)? {
            if o.status == b.status && o.day >= b.day {
                out.push(o);
            }
        }
    }
    Ok(out)
}

/// The director validates a request (with the rest of its series) or refuses it.
/// Validating refuses every request that overlaps it; their authors are told.
pub async fn decide(
    store: &Store,
    granted: &Granted<Booking>,
    accept: bool,
    people: &People,
    now: i64,
) -> Outcome<usize> {
    let id = granted.object().id;
    let by = granted.by();
    store
        .commit_checked(|tx| {
            let b = tx
                .get(&BOOKINGS, &id)?
                .ok_or_else(|| Failure::refused("Cette réservation n'existe plus."))?;
            if b.status != Status::Demandee {
                return Err(Failure::refused(format!(
                    "Cette demande a déjà reçu une réponse : elle est {}.",
                    b.status.label()
                )));
            }
            let resource = tx
                .get(&RESOURCES, &b.resource)?
                .ok_or_else(|| Failure::refused("Cette ressource n'existe plus."))?;
            let targets = reached(tx, &b, true)?;
            let mut refused_others = 0;
            for t in &targets {
                if accept {
                    for other in overlapping(tx, t.resource, t.day, t.from, t.to, t.id)? {
                        if other.status == Status::Confirmee {
                            return Err(refusal_for(&resource, &other, people));
                        }
                        if other.series.is_some() && other.series == t.series {
                            continue;
                        }
                        let o = close(tx, other, Status::Refusee, by, now)?;
                        notify::push(
                            tx,
                            o.by,
                            NoticeKind::RendezVous,
                            &format!(
                                "Votre demande de « {} » le {} est refusée : le créneau a été \
                                 attribué à une autre demande.",
                                resource.name,
                                o.when()
                            ),
                            "/reservations",
                            now,
                        )?;
                        refused_others += 1;
                    }
                    // Confirmed, it stays on the day's plan.
                    let mut c = t.clone();
                    c.status = Status::Confirmee;
                    c.decided = Some((now, by));
                    tx.put(&BOOKINGS, &c.id, &c)?;
                    tx.remove(&PENDING, &c.id)?;
                } else {
                    close(tx, t.clone(), Status::Refusee, by, now)?;
                }
            }
            let dates_text = if targets.len() > 1 {
                format!("{} dates à partir du {}", targets.len(), b.when())
            } else {
                b.when()
            };
            notify::push(
                tx,
                b.by,
                NoticeKind::RendezVous,
                &format!(
                    "Votre demande de « {} » ({dates_text}) est {}.",
                    resource.name,
                    if accept { "validée" } else { "refusée" }
                ),
                "/reservations",
                now,
            )?;
            Ok(refused_others)
        })
        .await
}

/// Cancels a booking (with `whole`, the rest of its series too); the author is told when
/// the director cancels it for them.
pub async fn cancel(
    store: &Store,
    granted: &Granted<Booking>,
    whole: bool,
    now: i64,
) -> Outcome<usize> {
    let id = granted.object().id;
    let by = granted.by();
    store
        .commit_checked(|tx| {
            let b = tx
                .get(&BOOKINGS, &id)?
                .ok_or_else(|| Failure::refused("Cette réservation n'existe plus."))?;
            if !b.status.live() {
                return Err(Failure::refused(format!(
                    "Cette réservation est déjà {}.",
                    b.status.label()
                )));
            }
            let targets = reached(tx, &b, whole)?;
            for t in &targets {
                close(tx, t.clone(), Status::Annulee, by, now)?;
            }
            if b.by != by {
                let name = tx
                    .get(&RESOURCES, &b.resource)?
                    .map(|r| r.name)
                    .unwrap_or_default();
                notify::push(
                    tx,
                    b.by,
                    NoticeKind::RendezVous,
                    &format!(
                        "La direction a annulé votre réservation de « {name} » le {}{}.",
                        b.when(),
                        if targets.len() > 1 {
                            format!(" et les {} suivantes", targets.len() - 1)
                        } else {
                            String::new()
                        }
                    ),
                    "/reservations",
                    now,
                )?;
            }
            Ok(targets.len())
        })
        .await
}
