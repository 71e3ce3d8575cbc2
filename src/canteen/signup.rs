//! Sign-ups and their changes: before the cut-off done at once, after it a request the
//! commune accepts or refuses; a full day refuses the whole change; every change kept in
//! the child's history and audited.

use jiff::civil::Date;

use super::audit;
use super::key_day;
use super::services::Change;
use super::services::{
    service, Booking, ChangeOutcome, Diet, Family, Pattern, PeriService, Request, Status, BOOKINGS,
    BY_PUPIL, CHANGES, COUNTS, FAMILIES, REQUESTS,
};
use super::weekday_number;
use super::{add_days, day_key};
use crate::notify::{self, Kind};
use crate::policy::Granted;
use crate::refusal::{Failure, Outcome};
use crate::store::{Result, Store};
use crate::ui::dates;

/// The days of a recurring pattern: every day the service runs from `from` to `until`,
/// signed up on `weekdays`, cancelled on the others.
pub fn pattern_days(
    service: &PeriService,
    weekdays: &[u8],
    from: Date,
    until: Date,
) -> Vec<(Date, bool)> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= until && out.len() < 400 {
        if service.weekdays.contains(&weekday_number(d)) {
            out.push((d, weekdays.contains(&weekday_number(d))));
        }
        d = add_days(d, 1);
    }
    out
}

/// What a change did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Days signed up or cancelled at once.
    pub done: usize,
    /// Days sent to the commune as a request (after the cut-off).
    pub asked: usize,
    /// Days skipped: holidays, closed days, past days.
    pub skipped: usize,
}

/// Who acts and for whom: the child (the proof names them), the acting person's login for
/// the audit, the child's name for the messages, the people to tell about a request.
pub struct Context<'a> {
    pub closures: &'a super::services::SchoolClosures,
    pub login: &'a str,
    pub child_name: &'a str,
    pub classes: &'a [u64],
    pub managers: &'a [u64],
    pub now: i64,
}

/// Signs the child up or cancels, day by day, in one transaction: a full day refuses the
/// whole change (nothing half-written); a day after the cut-off becomes a request.
pub async fn change(
    store: &Store,
    granted: &Granted<super::access::Child>,
    service: &PeriService,
    wanted: &[(Date, bool)],
    cx: &Context<'_>,
) -> Outcome<Summary> {
    let pupil = granted.object().pupil;
    let by = granted.by();
    if !service.open_to(cx.classes) {
        return Err(Failure::refused(format!(
            "Le service « {} » n'est pas ouvert à la classe de {}.",
            service.name, cx.child_name
        )));
    }
    let today = dates::local_day_and_hour(cx.now).0;
    store
        .commit_checked(|tx| {
            let mut sum = Summary::default();
            for (d, want) in wanted {
                let key = (service.id, day_key(*d), pupil);
                let have = tx.get(&BOOKINGS, &key)?.is_some();
                if have == *want {
                    continue;
                }
                if *d < today || (*want && service.closed_on(cx.closures, *d).is_some()) {
                    sum.skipped += 1;
                    continue;
                }
                let cancel_in_time = !*want
                    && service
                        .cancel_deadline(*d)
                        .is_some_and(|limit| cx.now <= limit);
                let outcome = if cx.now > service.deadline(*d) && !cancel_in_time {
                    ask(tx, service, pupil, *d, *want, by, cx)?;
                    sum.asked += 1;
                    ChangeOutcome::Asked
                } else {
                    set(tx, service, pupil, *d, *want, by, cx.now)?;
                    sum.done += 1;
                    ChangeOutcome::Done
                };
                log(tx, pupil, service.id, *d, *want, by, outcome, cx.now)?;
                audit(
                    tx,
                    (by, cx.login),
                    cx.now,
                    format!(
                        "Cantine : {} de {} au service « {} » le {} ({})",
                        if *want {
                            "inscription"
                        } else {
                            "désinscription"
                        },
                        cx.child_name,
                        service.name,
                        d,
                        outcome.label()
                    ),
                )?;
            }
            Ok(sum)
        })
        .await
}

/// Books or cancels one day, keeping the index and the day's count; refuses a full day.
fn set(
    tx: &mut crate::store::Tx<'_>,
    service: &PeriService,
    pupil: u64,
    d: Date,
    want: bool,
    by: u64,
    now: i64,
) -> Outcome<()> {
    let day = day_key(d);
    let count: u64 = tx.get(&COUNTS, &(service.id, day))?.unwrap_or(0);
    if want {
        if service.capacity > 0 && count >= service.capacity {
            return Err(Failure::refused(format!(
                "Le service « {} » est complet le {} ({} places) : rien n'a été changé.",
                service.name,
                dates::day_label(d),
                service.capacity
            )));
        }
        tx.put(
            &BOOKINGS,
            &(service.id, day, pupil),
            &Booking { by, at: now },
        )?;
        tx.put(&BY_PUPIL, &(pupil, day, service.id), &by)?;
        tx.put(&COUNTS, &(service.id, day), &(count + 1))?;
    } else {
        tx.remove(&BOOKINGS, &(service.id, day, pupil))?;
        tx.remove(&BY_PUPIL, &(pupil, day, service.id))?;
        tx.put(&COUNTS, &(service.id, day), &count.saturating_sub(1))?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn log(
    tx: &mut crate::store::Tx<'_>,
    pupil: u64,
    service: u64,
    d: Date,
    add: bool,
    by: u64,
    outcome: ChangeOutcome,
    at: i64,
) -> Result<()> {
    let seq = tx.next_id("canteen_change")?;
    tx.put(
        &CHANGES,
        &(pupil, seq),
        &Change {
            at,
            by,
            service,
            day: day_key(d),
            add,
            outcome,
        },
    )
}

fn ask(
    tx: &mut crate::store::Tx<'_>,
    service: &PeriService,
    pupil: u64,
    d: Date,
    add: bool,
    by: u64,
    cx: &Context<'_>,
) -> Result<()> {
    let request = Request {
        service: service.id,
        pupil,
        day: day_key(d),
        add,
        by,
        at: cx.now,
        status: Status::Pending,
        decided: None,
    };
    tx.put(&REQUESTS, &(service.id, day_key(d), pupil), &request)?;
    let text = format!(
        "Demande après la date limite : {} de {} au service « {} » le {}",
        if add {
            "inscription"
        } else {
            "désinscription"
        },
        cx.child_name,
        service.name,
        dates::day_label(d)
    );
    for m in cx.managers {
        notify::push(tx, *m, Kind::Cantine, &text, "/cantine/gestion", cx.now)?;
    }
    Ok(())
}

/// The commune accepts or refuses a request made after the cut-off; the guardian who asked
/// is told. Accepting books (or cancels) the day, still within the capacity.
pub async fn decide(
    store: &Store,
    granted: &Granted,
    key: (u64, u64, u64),
    accept: bool,
    now: i64,
) -> Outcome<Request> {
    let by = granted.by();
    let login = super::login_of(store, by)?;
    let service =
        service(store, key.0)?.ok_or_else(|| Failure::refused("Ce service n'existe plus."))?;
    let day = key_day(key.1).ok_or_else(|| Failure::refused("Cette demande n'existe plus."))?;
    store
        .commit_checked(|tx| {
            let mut r: Request = tx
                .get(&REQUESTS, &key)?
                .ok_or_else(|| Failure::refused("Cette demande n'existe plus."))?;
            if r.status != Status::Pending {
                return Err(Failure::refused("Cette demande a déjà reçu une réponse."));
            }
            let outcome = if accept {
                let have = tx.get(&BOOKINGS, &key)?.is_some();
                if have != r.add {
                    set(tx, &service, r.pupil, day, r.add, r.by, now)?;
                }
                ChangeOutcome::Accepted
            } else {
                ChangeOutcome::Refused
            };
            r.status = if accept {
                Status::Accepted
            } else {
                Status::Refused
            };
            r.decided = Some((now, by));
            tx.put(&REQUESTS, &key, &r)?;
            log(tx, r.pupil, service.id, day, r.add, by, outcome, now)?;
            let text = format!(
                "La commune a {} votre demande pour le service « {} » le {}",
                if accept { "accepté" } else { "refusé" },
                service.name,
                dates::day_label(day)
            );
            notify::push(
                tx,
                r.by,
                Kind::Cantine,
                &text,
                &format!("/cantine/inscriptions/{}", r.pupil),
                now,
            )?;
            audit(
                tx,
                (by, &login),
                now,
                format!(
                    "Cantine : demande pour l'élève n° {} au service « {} » le {} {}",
                    r.pupil,
                    service.name,
                    day,
                    if accept { "acceptée" } else { "refusée" }
                ),
            )?;
            Ok(r)
        })
        .await
}

/// Saves the child's diet, PAI and (when given) a recurring pattern.
pub async fn save_family(
    store: &Store,
    granted: &Granted<super::access::Child>,
    diet: Diet,
    pai: bool,
    pattern: Option<Pattern>,
    login: &str,
    now: i64,
) -> Result<()> {
    let pupil = granted.object().pupil;
    store
        .commit(|tx| {
            let mut f: Family = tx.get(&FAMILIES, &pupil)?.unwrap_or_default();
            let changed = f.diet != diet || f.pai != pai;
            f.diet = diet;
            f.pai = pai;
            if let Some(p) = &pattern {
                f.patterns.retain(|q| q.service != p.service);
                f.patterns.push(p.clone());
            }
            f.updated = Some((now, granted.by()));
            tx.put(&FAMILIES, &pupil, &f)?;
            if changed {
                audit(
                    tx,
                    (granted.by(), login),
                    now,
                    format!(
                        "Cantine : régime de l'élève n° {pupil} : {}, PAI : {}",
                        diet.label(),
                        if pai { "oui" } else { "non" }
                    ),
                )?;
            }
            Ok(())
        })
        .await
}

/// A booking written inside a bigger transaction (the demo's term of sign-ups), with the
/// child's history; the capacity is still checked.
pub(crate) fn book_in(
    tx: &mut crate::store::Tx<'_>,
    service: &PeriService,
    pupil: u64,
    d: Date,
    by: u64,
    now: i64,
) -> Outcome<()> {
    if tx
        .get(&BOOKINGS, &(service.id, day_key(d), pupil))?
        .is_some()
    {
        return Ok(());
    }
    set(tx, service, pupil, d, true, by, now)?;
    log(tx, pupil, service.id, d, true, by, ChangeOutcome::Done, now)?;
    Ok(())
}
