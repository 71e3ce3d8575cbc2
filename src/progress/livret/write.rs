//! The livret's writes: the periods, a class grid (one subject, or the general
//! appréciations and aides), the publication of a period for a class, a bilan de fin de
//! cycle, the family's « J'ai pris connaissance » and comments. Each takes the proof of
//! the rule asked in `access.rs`.

use jiff::civil::Date;

use super::reference::LIVRET_VERSION;
use super::{
    Bilan, CycleBilan, Period, PeriodKind, Stamp, SubjectEntry, BILANS, CLASS_PERIODS,
    CYCLE_BILANS, PERIODS,
};
use crate::directory::people::People;
use crate::notify::{self, Kind as NoticeKind};
use crate::policy::Granted;
use crate::progress::carnet::{Comment, Seen};
use crate::store::{Result, Store, Tx};

/// Sets the periods of `year`: the same division keeps its periods (their ids, and the
/// bilans written in them), with new dates; another division replaces them (the caller
/// has checked no bilan was written in them). `_granted`: the proof that the director
/// asked.
pub async fn save_periods(
    store: &Store,
    _granted: &Granted,
    year: &str,
    kind: PeriodKind,
    dates: &[(Date, Date)],
) -> Result<()> {
    let existing = super::periods(store, year)?;
    store
        .commit(|tx| {
            for (n, (start, end)) in dates.iter().enumerate() {
                let number = n as u8 + 1;
                let id = match existing
                    .iter()
                    .find(|p| p.kind == kind && p.number == number)
                {
                    Some(p) => p.id,
                    None => tx.next_id("livret_periode")?,
                };
                let period = Period {
                    id,
                    year: year.to_string(),
                    kind,
                    number,
                    start: *start,
                    end: *end,
                };
                tx.put(&PERIODS, &id, &period)?;
            }
            for p in &existing {
                if p.kind != kind || usize::from(p.number) > dates.len() {
                    tx.remove(&PERIODS, &p.id)?;
                }
            }
            Ok(())
        })
        .await
}

/// A pupil's row of a subject's grid, as checked.
pub struct SubjectRow {
    pub pupil: u64,
    pub positionnement: Option<u8>,
    pub appreciation: String,
}

/// A pupil's row of the general grid, as checked.
pub struct GeneralRow {
    pub pupil: u64,
    pub general: String,
    pub aides: Vec<String>,
}

fn fresh(pupil: u64, period: u64, class_id: u64, people: &People, stamp: &Stamp) -> Bilan {
    Bilan {
        pupil,
        period,
        class_id,
        level: people.levels.get(&pupil).copied(),
        reference: LIVRET_VERSION.to_string(),
        subjects: Vec::new(),
        general: String::new(),
        aides: Vec::new(),
        updated: stamp.clone(),
        published: None,
        seen: Vec::new(),
        comments: Vec::new(),
    }
}

/// Changes each pupil's bilan with `change`: a bilan is written once it says something,
/// in the class and level the pupil is in now, under the current lists.
fn each_bilan(
    tx: &mut Tx<'_>,
    people: &People,
    class_id: u64,
    period: u64,
    pupils: impl Iterator<Item = u64>,
    stamp: &Stamp,
    mut change: impl FnMut(u64, &mut Bilan) -> bool,
) -> Result<()> {
    for pupil in pupils {
        let existed = tx.get(&BILANS, &(pupil, period))?;
        let had = existed.is_some();
        let mut b = existed.unwrap_or_else(|| fresh(pupil, period, class_id, people, stamp));
        let changed = change(pupil, &mut b);
        if !changed && !had {
            continue;
        }
        if changed {
            b.class_id = class_id;
            b.reference = LIVRET_VERSION.to_string();
            b.updated = stamp.clone();
        }
        tx.put(&BILANS, &(pupil, period), &b)?;
    }
    Ok(())
}

/// Saves one subject of a class's period: the éléments du programme worked on, and each
/// pupil's positionnement and appréciation.
#[allow(clippy::too_many_arguments)]
pub async fn save_subject(
    store: &Store,
    granted: &Granted,
    people: &People,
    class_id: u64,
    period: u64,
    subject: &str,
    elements: &[String],
    rows: &[SubjectRow],
    now: i64,
) -> Result<()> {
    let stamp = Stamp {
        by: granted.by(),
        at: now,
    };
    let mut class = super::class_period(store, class_id, period)?;
    if elements.is_empty() {
        class.elements.remove(subject);
    } else {
        class
            .elements
            .insert(subject.to_string(), elements.to_vec());
    }
    store
        .commit(|tx| {
            tx.put(&CLASS_PERIODS, &(class_id, period), &class)?;
            each_bilan(
                tx,
                people,
                class_id,
                period,
                rows.iter().map(|r| r.pupil),
                &stamp,
                |pupil, b| {
                    let Some(row) = rows.iter().find(|r| r.pupil == pupil) else {
                        return false;
                    };
                    let entry = SubjectEntry {
                        subject: subject.to_string(),
                        positionnement: row.positionnement,
                        appreciation: row.appreciation.clone(),
                    };
                    let empty = entry.positionnement.is_none() && entry.appreciation.is_empty();
                    let before = b.entry(subject).cloned();
                    if before.as_ref() == Some(&entry) || (before.is_none() && empty) {
                        return false;
                    }
                    b.subjects.retain(|e| e.subject != subject);
                    if !empty {
                        b.subjects.push(entry);
                    }
                    true
                },
            )
        })
        .await
}

/// Saves the general part of a class's period: the class's parcours and projects, each
/// pupil's general appréciation and aides.
#[allow(clippy::too_many_arguments)]
pub async fn save_general(
    store: &Store,
    granted: &Granted,
    people: &People,
    class_id: u64,
    period: u64,
    projects: &str,
    rows: &[GeneralRow],
    now: i64,
) -> Result<()> {
    let stamp = Stamp {
        by: granted.by(),
        at: now,
    };
    let mut class = super::class_period(store, class_id, period)?;
    class.projects = projects.to_string();
    store
        .commit(|tx| {
            tx.put(&CLASS_PERIODS, &(class_id, period), &class)?;
            each_bilan(
                tx,
                people,
                class_id,
                period,
                rows.iter().map(|r| r.pupil),
                &stamp,
                |pupil, b| {
                    let Some(row) = rows.iter().find(|r| r.pupil == pupil) else {
                        return false;
                    };
                    if b.general == row.general && b.aides == row.aides {
                        return false;
                    }
                    b.general = row.general.clone();
                    b.aides = row.aides.clone();
                    true
                },
            )
        })
        .await
}

/// Publishes a period's bilans for the pupils of a class (and the bilans de fin de cycle
/// filed with that period): each guardian of a pupil whose bilan becomes visible is told.
/// How many pupils' bilans became visible.
pub async fn publish(
    store: &Store,
    granted: &Granted,
    people: &People,
    class_id: u64,
    period: &Period,
    now: i64,
) -> Result<usize> {
    let stamp = Stamp {
        by: granted.by(),
        at: now,
    };
    let pupils = people.pupils_of_class(class_id);
    let mut class = super::class_period(store, class_id, period.id)?;
    class.published = Some(stamp.clone());
    class.teachers = people.teachers_of_class(class_id);
    let label = period.label();
    store
        .commit(|tx| {
            tx.put(&CLASS_PERIODS, &(class_id, period.id), &class)?;
            let mut told = 0;
            for pupil in &pupils {
                let mut news = false;
                if let Some(mut b) = tx.get(&BILANS, &(*pupil, period.id))? {
                    if b.published.is_none() {
                        b.published = Some(stamp.clone());
                        tx.put(&BILANS, &(*pupil, period.id), &b)?;
                        news = true;
                    }
                }
                for cycle in [2u64, 3] {
                    if let Some(mut c) = tx.get(&CYCLE_BILANS, &(*pupil, cycle))? {
                        if c.period == period.id && c.published.is_none() {
                            c.published = Some(stamp.clone());
                            tx.put(&CYCLE_BILANS, &(*pupil, cycle), &c)?;
                            news = true;
                        }
                    }
                }
                if !news {
                    continue;
                }
                told += 1;
                let first = people
                    .user(*pupil)
                    .map(|u| u.first_name.clone())
                    .unwrap_or_default();
                let text = format!(
                    "Livret scolaire {} : le bilan du {label} est publié",
                    crate::ui::de(&first)
                );
                let link = format!("/suivi/livret/eleve/{pupil}?periode={}", period.id);
                for g in people.parents_of(*pupil) {
                    if people.active(*g) {
                        notify::push(tx, *g, NoticeKind::Suivi, &text, &link, now)?;
                    }
                }
            }
            Ok(told)
        })
        .await
}

/// A pupil's bilan de fin de cycle, as the form gave it.
pub struct NewCycleBilan {
    pub cycle: u8,
    pub class_id: u64,
    pub period: u64,
    pub components: Vec<(String, u8)>,
    pub appreciation: String,
}

/// Writes or changes a pupil's bilan de fin de cycle (published with its period).
pub async fn save_cycle(
    store: &Store,
    granted: &Granted,
    pupil: u64,
    new: NewCycleBilan,
    now: i64,
) -> Result<()> {
    let stamp = Stamp {
        by: granted.by(),
        at: now,
    };
    let key = (pupil, u64::from(new.cycle));
    store
        .commit(|tx| {
            let before = tx.get(&CYCLE_BILANS, &key)?;
            let (published, seen, comments) = match before {
                Some(b) if b.period == new.period => (b.published, b.seen, b.comments),
                _ => (None, Vec::new(), Vec::new()),
            };
            let bilan = CycleBilan {
                pupil,
                cycle: new.cycle,
                class_id: new.class_id,
                period: new.period,
                reference: LIVRET_VERSION.to_string(),
                components: new.components.clone(),
                appreciation: new.appreciation.clone(),
                updated: stamp.clone(),
                published,
                seen,
                comments,
            };
            tx.put(&CYCLE_BILANS, &key, &bilan)
        })
        .await
}

/// Which of a pupil's bilans the family answers.
#[derive(Debug, Clone, Copy)]
pub enum Which {
    Period(u64),
    Cycle(u8),
}

/// Adds the family's answer to a bilan's « vu » and comments; whether anything changed.
fn add_answer(
    seen: &mut Vec<Seen>,
    comments: &mut Vec<Comment>,
    by: u64,
    comment: Option<&str>,
    now: i64,
) -> bool {
    match comment {
        Some(text) => {
            comments.push(Comment {
                by,
                at: now,
                text: text.to_string(),
            });
            true
        }
        None if seen.iter().any(|s| s.by == by) => false,
        None => {
            seen.push(Seen { by, at: now });
            true
        }
    }
}

/// A guardian's « J'ai pris connaissance » (once), or a comment (the family's, or the
/// teacher's answer); false when the bilan is not published: it does not exist for the
/// family, and nobody comments on a draft.
pub async fn answer(
    store: &Store,
    granted: &Granted,
    people: &People,
    pupil: u64,
    which: Which,
    comment: Option<&str>,
    now: i64,
) -> Result<bool> {
    let by = granted.by();
    let told = comment
        .map(|_| comment_notice(people, pupil, which, by))
        .unwrap_or_default();
    store
        .commit(|tx| {
            let found = add_to(tx, pupil, which, by, comment, now)?;
            if found {
                for (to, text, link) in &told {
                    notify::push(tx, *to, NoticeKind::Suivi, text, link, now)?;
                }
            }
            Ok(found)
        })
        .await
}

/// Who is told of a comment: the family's goes to the pupil's teachers, the teacher's
/// to the guardians; (person, text, link).
fn comment_notice(
    people: &People,
    pupil: u64,
    which: Which,
    by: u64,
) -> Vec<(u64, String, String)> {
    let from_family = people.parents_of(pupil).contains(&by);
    let mut to: Vec<u64> = if from_family {
        people
            .classes_of(pupil)
            .iter()
            .flat_map(|c| people.teachers_of_class(*c))
            .collect()
    } else {
        people.parents_of(pupil).to_vec()
    };
    to.sort_unstable();
    to.dedup();
    let first = people
        .user(pupil)
        .map(|u| u.first_name.clone())
        .unwrap_or_default();
    let who = people
        .user(by)
        .map(|u| u.display_name())
        .unwrap_or_default();
    let text = format!(
        "Livret scolaire {} : commentaire {}",
        crate::ui::de(&first),
        crate::ui::de(&who)
    );
    let link = match which {
        Which::Period(p) => format!("/suivi/livret/eleve/{pupil}?periode={p}"),
        Which::Cycle(_) => format!("/suivi/livret/eleve/{pupil}"),
    };
    to.into_iter()
        .filter(|p| *p != by && people.active(*p))
        .map(|p| (p, text.clone(), link.clone()))
        .collect()
}

/// The answer added to the published bilan; false when there is none.
fn add_to(
    tx: &mut Tx<'_>,
    pupil: u64,
    which: Which,
    by: u64,
    comment: Option<&str>,
    now: i64,
) -> Result<bool> {
    match which {
        Which::Period(p) => match tx.get(&BILANS, &(pupil, p))? {
            Some(mut b) if b.published.is_some() => {
                if add_answer(&mut b.seen, &mut b.comments, by, comment, now) {
                    tx.put(&BILANS, &(pupil, p), &b)?;
                }
                Ok(true)
            }
            _ => Ok(false),
        },
        Which::Cycle(c) => match tx.get(&CYCLE_BILANS, &(pupil, u64::from(c)))? {
            Some(mut b) if b.published.is_some() => {
                if add_answer(&mut b.seen, &mut b.comments, by, comment, now) {
                    tx.put(&CYCLE_BILANS, &(pupil, u64::from(c)), &b)?;
                }
                Ok(true)
            }
            _ => Ok(false),
        },
    }
}
