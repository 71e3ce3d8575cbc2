//! The demo's registre d'appel: a term of appels (the twelve weeks of school before
//! `now`), a few absences and late arrivals drawn from a seeded generator, most motifs
//! given by the families, two pupils past the monthly threshold for the director's view,
//! a PS class's afternoons under « aménagement du temps ».

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::attendance::amenagements::Amenagement;
use crate::attendance::{
    record, slot, HalfDay, Justification, Mark, Motif, AMENAGEMENTS, AWAITING_MOTIF, SLOTS,
};
use crate::directory::people::People;
use crate::directory::Level;
use crate::store::Store;

const WEEKS: i64 = 12;

/// One appel to write: class, teacher, half-day, every pupil's mark.
type Planned = (u64, u64, HalfDay, Vec<(u64, Mark)>);

pub(super) fn term_of_appels(store: &Store, now: i64) -> anyhow::Result<usize> {
    let people = People::load(store)?;
    let calendar = crate::school::calendar::get(store)?;
    let zone = crate::school::get(store)?
        .map(|s| s.zone)
        .unwrap_or(crate::school::Zone::B);
    let (today, current) = crate::attendance::current(now);
    let first = today
        .checked_sub(jiff::Span::new().days(WEEKS * 7))
        .unwrap_or(today);
    let mut rng = StdRng::seed_from_u64(17);
    // The PS pupils' afternoons at home, agreed with the families (entered once).
    let ps: Vec<u64> = people
        .classes
        .iter()
        .filter(|c| c.levels.contains(&Level::PS))
        .flat_map(|c| people.pupils_of_class(c.id))
        .take(3)
        .collect();
    let director = people
        .users
        .values()
        .find(|u| u.is_director())
        .map(|u| u.id)
        .unwrap_or(1);
    store.write(|tx| {
        for (i, p) in ps.iter().enumerate() {
            tx.put(
                &AMENAGEMENTS,
                &(*p, i as u64 + 1),
                &Amenagement {
                    id: i as u64 + 1,
                    pupil: *p,
                    label: "Aménagement du temps en petite section".into(),
                    weekdays: vec![1, 2, 4, 5],
                    half: HalfDay::Afternoon,
                    whole: true,
                    by: director,
                    at: now,
                },
            )?;
        }
        Ok(())
    })?;
    // Two pupils who miss school often: past the threshold this month.
    let often: Vec<u64> = people
        .classes
        .iter()
        .filter_map(|c| people.pupils_of_class(c.id).get(7).copied())
        .take(2)
        .collect();
    let mut appels = 0;
    for day in calendar.school_days(zone, first, today) {
        let weekday = day.weekday().to_monday_one_offset();
        // Drawn before the transaction, which may run more than once.
        let mut plan: Vec<Planned> = Vec::new();
        for c in &people.classes {
            let Some(teacher) = people.teachers_of_class(c.id).first().copied() else {
                continue;
            };
            for half in HalfDay::ALL {
                if !calendar.is_school_half_day(zone, day, half) || (day == today && half > current)
                {
                    continue;
                }
                let marks: Vec<(u64, Mark)> = people
                    .pupils_of_class(c.id)
                    .into_iter()
                    .map(|p| {
                        let roll: u32 = rng.random_range(0..1000);
                        let mark = if half == HalfDay::Afternoon && ps.contains(&p) && weekday != 3
                        {
                            Mark::Amenagement
                        } else if (often.contains(&p) && roll < 400) || roll < 30 {
                            Mark::Absent
                        } else if roll < 40 {
                            Mark::Late {
                                hour: if half == HalfDay::Morning { 8 } else { 13 },
                                minute: 40 + (roll % 20) as i8,
                            }
                        } else {
                            Mark::Present
                        };
                        (p, mark)
                    })
                    .collect();
                plan.push((c.id, teacher, half, marks));
            }
        }
        store
            .write_with(|tx| {
                for (class, teacher, half, marks) in &plan {
                    let s = slot(day, *half);
                    let hour = if *half == HalfDay::Morning { 8 } else { 13 };
                    let at = crate::ui::dates::start_of_day(day)
                        + hour * 3_600_000_000
                        + 45 * 60_000_000;
                    record::record_in(tx, &people, *class, s, *half, marks, *teacher, at)?;
                    // The families give most motifs within the day; the frequent absentees
                    // and a few others give none (and were reminded once).
                    for (p, _) in marks.iter().filter(|(_, m)| *m == Mark::Absent) {
                        let Some(mut ps) = tx.get(&SLOTS, &(s, *p))? else {
                            continue;
                        };
                        let told = ps.notified_at.unwrap_or(at);
                        if !often.contains(p) && (p + s) % 10 != 0 {
                            ps.justification = Some(Justification {
                                motif: if (p + s) % 7 == 0 {
                                    Motif::ReunionFamille
                                } else {
                                    Motif::Maladie
                                },
                                comment: String::new(),
                                by: people.parents_of(*p).first().copied().unwrap_or(0),
                                at: told + 3_600_000_000,
                                ahead: false,
                            });
                            tx.remove(&AWAITING_MOTIF, &(*p, s))?;
                        } else if day < today {
                            ps.reminded_at = Some(told + 86_400_000_000);
                            tx.remove(&AWAITING_MOTIF, &(*p, s))?;
                        }
                        tx.put(&SLOTS, &(s, *p), &ps)?;
                    }
                }
                Ok::<(), crate::refusal::Failure>(())
            })
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        appels += plan.len();
    }
    Ok(appels)
}
