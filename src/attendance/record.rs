//! Recording the appel: one transaction writes the class's appel, each pupil's slot, the
//! notices to each guardian of a pupil absent without a declaration, and the audit line of
//! a correction. Sending the same appel twice changes nothing and tells nobody twice.

use jiff::civil::Date;

use super::access::ClassAppel;
use super::{slot, Appel, HalfDay, Mark, PupilSlot, APPELS, AWAITING_MOTIF, BY_PUPIL, SLOTS};
use crate::auth::journal::{record_audit, AuditEvent};
use crate::directory::people::People;
use crate::notify::{self, Kind};
use crate::policy::Granted;
use crate::refusal::{Failure, Outcome};
use crate::store::{Store, Tx};

/// What the appel changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recorded {
    /// The appel was new or different from the one recorded.
    pub changed: bool,
    /// Guardians told of an absence.
    pub notified: usize,
}

/// Why the appel of that half-day cannot be taken now, `None` when it can: the same day
/// only, on a half-day with class.
pub fn refusal(store: &Store, day: Date, half: HalfDay, now: i64) -> Outcome<Option<String>> {
    let (today, _) = super::current(now);
    if day != today {
        return Ok(Some(format!(
            "L'appel se fait le jour même : celui du {} ne peut plus être pris ni corrigé.",
            crate::ui::dates::day_label(day)
        )));
    }
    if let Some(why) = crate::school::calendar::closed_because(store, day)? {
        return Ok(Some(format!(
            "Pas d'appel le {} : {why}.",
            crate::ui::dates::day_label(day)
        )));
    }
    if !crate::school::calendar::is_school_half_day(store, day, half)? {
        return Ok(Some(format!(
            "Pas de classe le {} {}.",
            crate::ui::dates::day_label(day),
            half.label()
        )));
    }
    Ok(None)
}

/// Records the appel of a class for a half-day of today. `marks` holds the pupils not
/// « présent »; every other pupil of the class is « présent ».
pub async fn record_appel(
    store: &Store,
    people: &People,
    class: &Granted<ClassAppel>,
    day: Date,
    half: HalfDay,
    marks: &[(u64, Mark)],
    now: i64,
) -> Outcome<Recorded> {
    if let Some(why) = refusal(store, day, half, now)? {
        return Err(Failure::refused(why));
    }
    let by = class.by();
    let class_id = class.object().class;
    let pupils = people.pupils_of_class(class_id);
    let all: Vec<(u64, Mark)> = pupils
        .iter()
        .map(|p| {
            let m = marks
                .iter()
                .find(|(q, _)| q == p)
                .map(|(_, m)| *m)
                .unwrap_or(Mark::Present);
            (*p, m)
        })
        .collect();
    let s = slot(day, half);
    store
        .commit_checked(|tx| record_in(tx, people, class_id, s, half, &all, by, now))
        .await
}

/// The appel's writes inside a transaction (the demo writes a term of them this way):
/// `all` holds every pupil's mark.
#[allow(clippy::too_many_arguments)]
pub fn record_in(
    tx: &mut Tx<'_>,
    people: &People,
    class_id: u64,
    s: u64,
    half: HalfDay,
    all: &[(u64, Mark)],
    by: u64,
    now: i64,
) -> Outcome<Recorded> {
    let before = tx.get(&APPELS, &(class_id, s))?;
    if before.as_ref().is_some_and(|a| a.marks == all) {
        return Ok(Recorded::default());
    }
    let mut notified = 0;
    let mut changes = Vec::new();
    for (pupil, mark) in all {
        let old = before.as_ref().and_then(|a| a.mark_of(*pupil));
        if before.is_some() && old != Some(*mark) {
            let name = people
                .user(*pupil)
                .map(|u| u.display_name())
                .unwrap_or_default();
            changes.push(format!(
                "{name} : {} → {}",
                old.map(Mark::label).unwrap_or_else(|| "—".into()),
                mark.label()
            ));
        }
        notified += mark_pupil(tx, people, class_id, s, half, *pupil, *mark, now)?;
    }
    let appel = Appel {
        class: class_id,
        slot: s,
        by,
        at: now,
        first_at: before.as_ref().map(|a| a.first_at).unwrap_or(now),
        marks: all.to_vec(),
    };
    tx.put(&APPELS, &(class_id, s), &appel)?;
    if before.is_some() {
        let class_label = people
            .class(class_id)
            .map(|c| c.label.clone())
            .unwrap_or_default();
        record_audit(
            tx,
            &AuditEvent {
                at: now,
                actor_id: Some(by),
                actor_login: people.user(by).map(|u| u.login.clone()).unwrap_or_default(),
                action: format!(
                    "Appel corrigé ({class_label}, {}) : {}",
                    super::slot_label(s),
                    changes.join(", ")
                ),
            },
        )?;
    }
    Ok(Recorded {
        changed: true,
        notified,
    })
}

/// One pupil's mark into their slot; returns how many guardians were told.
#[allow(clippy::too_many_arguments)]
fn mark_pupil(
    tx: &mut Tx<'_>,
    people: &People,
    class: u64,
    s: u64,
    half: HalfDay,
    pupil: u64,
    mark: Mark,
    now: i64,
) -> Result<usize, Failure> {
    let old: Option<PupilSlot> = tx.get(&SLOTS, &(s, pupil))?;
    let first = people
        .user(pupil)
        .map(|u| u.first_name.clone())
        .unwrap_or_default();
    let guardians: Vec<u64> = people
        .parents_of(pupil)
        .iter()
        .copied()
        .filter(|g| people.active(*g))
        .collect();
    match mark {
        Mark::Absent | Mark::Late { .. } => {
            let mut slot = old.unwrap_or_else(|| PupilSlot::new(pupil, class, s));
            slot.mark = Some(mark);
            slot.class = class;
            let mut told = 0;
            if mark == Mark::Absent && slot.justification.is_none() && slot.notified_at.is_none() {
                // L131-8: the family is told at once, each guardian on their own.
                for g in &guardians {
                    notify::push(
                        tx,
                        *g,
                        Kind::Absence,
                        &format!(
                            "{first} n'est pas en classe {}. Merci d'indiquer le motif de l'absence sous 48 h.",
                            half.this()
                        ),
                        "/absences",
                        now,
                    )?;
                    told += 1;
                }
                slot.notified_at = Some(now);
                tx.put(&AWAITING_MOTIF, &(pupil, s), &now)?;
            }
            if mark != Mark::Absent {
                tx.remove(&AWAITING_MOTIF, &(pupil, s))?;
            }
            tx.put(&SLOTS, &(s, pupil), &slot)?;
            tx.put(&BY_PUPIL, &(pupil, s), &())?;
            Ok(told)
        }
        Mark::Present | Mark::Amenagement => {
            let Some(mut slot) = old else {
                return Ok(0);
            };
            tx.remove(&AWAITING_MOTIF, &(pupil, s))?;
            if slot.notified_at.is_some() && slot.mark == Some(Mark::Absent) {
                for g in &guardians {
                    notify::push(
                        tx,
                        *g,
                        Kind::Absence,
                        &format!(
                            "Correction de l'appel : {first} est bien en classe {}.",
                            half.this()
                        ),
                        "/absences",
                        now,
                    )?;
                }
            }
            if slot.justification.is_some() {
                // A declared absence stays on record: the child came after all.
                slot.mark = Some(mark);
                slot.notified_at = None;
                tx.put(&SLOTS, &(s, pupil), &slot)?;
            } else {
                tx.remove(&SLOTS, &(s, pupil))?;
                tx.remove(&BY_PUPIL, &(pupil, s))?;
            }
            Ok(0)
        }
    }
}
