//! The families' side: an absence declared ahead (it pre-fills the appel), the motif
//! given afterwards, the reminder once when no motif came, and the director's judgement
//! of a motif that is not legitimate.

use jiff::civil::Date;

use super::{
    slot, slot_day, HalfDay, Justification, Mark, Motif, PupilSlot, AWAITING_MOTIF, BY_PUPIL, SLOTS,
};
use crate::directory::people::People;
use crate::notify::{self, Kind};
use crate::policy::Granted;
use crate::refusal::{Failure, Outcome};
use crate::store::{Result, Store};

/// The reminder goes once, a day after the notice, so that the motif comes within 48 h.
pub const REMIND_AFTER: i64 = 24 * 3_600_000_000;
/// A declaration covers at most this many days.
pub const MAX_DAYS: i64 = 31;

/// Which half-days of the chosen days a declaration covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Halves {
    Both,
    Only(HalfDay),
}

/// What the guardian typed.
#[derive(Debug, Clone)]
pub struct Declaration {
    pub from: Date,
    pub to: Date,
    pub halves: Halves,
    pub motif: Motif,
    pub comment: String,
}

/// Declares a child's absence ahead (today included): each half-day with class of the
/// chosen days gets the motif; the appel shows it and leaves the child « absent ». Returns
/// how many half-days are covered.
pub async fn declare(
    store: &Store,
    people: &People,
    child: &Granted<u64>,
    d: &Declaration,
    now: i64,
) -> Outcome<usize> {
    let pupil = *child.object();
    let (today, _) = super::current(now);
    if d.from < today {
        return Err(Failure::refused(
            "Une absence passée se justifie depuis la liste des absences, avec « Donner le motif ».",
        ));
    }
    if d.to < d.from {
        return Err(Failure::refused(
            "La date de fin est avant la date de début.",
        ));
    }
    if (d.to - d.from).get_days() as i64 >= MAX_DAYS {
        return Err(Failure::refused(
            "Une déclaration couvre au plus 31 jours : faites-en plusieurs, ou prévenez la direction.",
        ));
    }
    let calendar = crate::school::calendar::get(store)?;
    let zone = crate::school::get(store)?
        .map(|s| s.zone)
        .unwrap_or(crate::school::Zone::C);
    let class = people.classes_of(pupil).first().copied().unwrap_or(0);
    let mut slots = Vec::new();
    for day in calendar.school_days(zone, d.from, d.to) {
        for half in HalfDay::ALL {
            let wanted = match d.halves {
                Halves::Both => true,
                Halves::Only(h) => h == half,
            };
            if wanted && calendar.is_school_half_day(zone, day, half) {
                slots.push(slot(day, half));
            }
        }
    }
    if slots.is_empty() {
        return Err(Failure::refused(
            "Il n'y a pas classe les jours choisis : rien à déclarer.",
        ));
    }
    let by = child.by();
    store
        .commit_checked(|tx| {
            for s in &slots {
                let mut ps: PupilSlot = tx
                    .get(&SLOTS, &(*s, pupil))?
                    .unwrap_or_else(|| PupilSlot::new(pupil, class, *s));
                ps.justification = Some(Justification {
                    motif: d.motif,
                    comment: d.comment.clone(),
                    by,
                    at: now,
                    ahead: ps.mark.is_none(),
                });
                tx.put(&SLOTS, &(*s, pupil), &ps)?;
                tx.put(&BY_PUPIL, &(pupil, *s), &())?;
                tx.remove(&AWAITING_MOTIF, &(pupil, *s))?;
            }
            Ok(slots.len())
        })
        .await
}

/// Gives the motif of a recorded absence or late arrival of the child.
pub async fn give_motif(
    store: &Store,
    child: &Granted<u64>,
    at: u64,
    motif: Motif,
    comment: &str,
    now: i64,
) -> Outcome<()> {
    let pupil = *child.object();
    let by = child.by();
    store
        .commit_checked(|tx| {
            let mut ps = tx
                .get(&SLOTS, &(at, pupil))?
                .filter(|s| matches!(s.mark, Some(Mark::Absent) | Some(Mark::Late { .. })))
                .ok_or_else(|| Failure::refused("Aucune absence n'est enregistrée ce jour-là."))?;
            ps.justification = Some(Justification {
                motif,
                comment: comment.to_string(),
                by,
                at: now,
                ahead: false,
            });
            ps.not_legitimate = false;
            tx.put(&SLOTS, &(at, pupil), &ps)?;
            Ok(tx.remove(&AWAITING_MOTIF, &(pupil, at))?)
        })
        .await
}

/// The director judges a motif not legitimate (or legitimate again): the absence counts as
/// non justifiée and a « demande d'autorisation d'absence » is offered.
pub async fn judge(
    store: &Store,
    _director: &Granted,
    pupil: u64,
    at: u64,
    not_legitimate: bool,
) -> Outcome<()> {
    store
        .commit_checked(|tx| {
            let mut ps = tx
                .get(&SLOTS, &(at, pupil))?
                .filter(|s| s.justification.is_some())
                .ok_or_else(|| Failure::refused("Aucun motif n'est donné pour cette absence."))?;
            ps.not_legitimate = not_legitimate;
            Ok(tx.put(&SLOTS, &(at, pupil), &ps)?)
        })
        .await
}

/// The periodic job: absences told to the families a day ago still without a motif get
/// one reminder to each guardian. Returns how many absences were reminded.
pub fn remind_motifs(store: &Store, now: i64) -> Result<usize> {
    let mut due = Vec::new();
    store.visit(&AWAITING_MOTIF, |(pupil, s), told: i64| {
        if now - told >= REMIND_AFTER {
            due.push((pupil, s));
        }
    })?;
    if due.is_empty() {
        return Ok(0);
    }
    let people = People::load(store)?;
    let mut reminded = 0;
    for (pupil, s) in due {
        let first = people
            .user(pupil)
            .map(|u| u.first_name.clone())
            .unwrap_or_default();
        let when = slot_day(s)
            .map(|(d, h)| format!("du {} {}", crate::ui::dates::day_label(d), h.label()))
            .unwrap_or_default();
        let guardians: Vec<u64> = people
            .parents_of(pupil)
            .iter()
            .copied()
            .filter(|g| people.active(*g))
            .collect();
        let done = store.commit_blocking(|tx| {
            tx.remove(&AWAITING_MOTIF, &(pupil, s))?;
            let Some(mut ps) = tx.get(&SLOTS, &(s, pupil))? else {
                return Ok(false);
            };
            if ps.reminded_at.is_some() || ps.justification.is_some() {
                return Ok(false);
            }
            ps.reminded_at = Some(now);
            tx.put(&SLOTS, &(s, pupil), &ps)?;
            for g in &guardians {
                notify::push(
                    tx,
                    *g,
                    Kind::Absence,
                    &format!(
                        "Rappel : le motif de l'absence de {first} {when} n'est pas encore donné."
                    ),
                    "/absences",
                    now,
                )?;
            }
            Ok(true)
        })?;
        reminded += usize::from(done);
    }
    Ok(reminded)
}
