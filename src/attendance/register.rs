//! The registre d'appel mensuel of a class (half-days × pupils, totals, presence rate,
//! the director's « visé »), its CSV, and the pupils with 4 demi-journées non justifiées
//! or more in a month (the threshold at which the DASEN is informed, L131-8).

use std::collections::HashMap;

use jiff::civil::Date;

use super::{slot, slot_day, HalfDay, Mark, PupilSlot, Visa, VISAS};
use crate::directory::people::People;
use crate::policy::Granted;
use crate::store::{Result, Store};

/// Demi-journées non justifiées in a month from which the DASEN is informed.
pub const THRESHOLD: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub year: i16,
    pub month: i8,
}

impl Month {
    pub fn of(day: Date) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// « 2026-11 ».
    pub fn parse(text: &str) -> Option<Month> {
        let (y, m) = text.trim().split_once('-')?;
        let m = Month {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        m.first().map(|_| m)
    }

    pub fn value(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }

    /// « novembre 2026 ».
    pub fn label(self) -> String {
        format!("{} {}", crate::ui::dates::month_fr(self.month), self.year)
    }

    pub fn key(self) -> u64 {
        self.year as u64 * 100 + self.month as u64
    }

    pub fn first(self) -> Option<Date> {
        Date::new(self.year, self.month, 1).ok()
    }

    pub fn last(self) -> Option<Date> {
        self.first().map(|d| d.last_of_month())
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The slots of the month: (first included, last excluded).
    pub fn slots(self) -> (u64, u64) {
        match (self.first(), self.last()) {
            (Some(f), Some(l)) => (slot(f, HalfDay::Morning), slot(l, HalfDay::Afternoon) + 1),
            _ => (0, 0),
        }
    }
}

/// One square of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// No appel recorded for that half-day.
    NotTaken,
    Present,
    Absent {
        justified: bool,
    },
    Late,
    Amenagement,
}

impl Cell {
    /// The register's code: « · » présent, « A » absence non justifiée, « J » justifiée,
    /// « R » retard, « Am » aménagement, « ? » appel non fait.
    pub fn code(self) -> &'static str {
        match self {
            Cell::NotTaken => "?",
            Cell::Present => "·",
            Cell::Absent { justified: false } => "A",
            Cell::Absent { justified: true } => "J",
            Cell::Late => "R",
            Cell::Amenagement => "Am",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub pupil: u64,
    pub name: String,
    pub cells: Vec<Cell>,
    pub absent: usize,
    pub justified: usize,
    pub late: usize,
    /// Half-days the pupil was expected (an appel taken, no aménagement).
    pub expected: usize,
    /// Of which present (late included).
    pub present: usize,
}

impl Row {
    pub fn unjustified(&self) -> usize {
        self.absent - self.justified
    }
}

#[derive(Debug, Clone)]
pub struct Register {
    pub class: u64,
    pub month: Month,
    pub halves: Vec<(Date, HalfDay)>,
    pub rows: Vec<Row>,
    pub visa: Option<Visa>,
}

/// « 96,5 % », or « — » when nothing was expected.
pub fn rate(present: usize, expected: usize) -> String {
    if expected == 0 {
        return "—".into();
    }
    format!("{:.1} %", present as f64 * 100.0 / expected as f64).replace('.', ",")
}

impl Register {
    pub fn totals(&self) -> (usize, usize) {
        self.rows
            .iter()
            .fold((0, 0), |(p, e), r| (p + r.present, e + r.expected))
    }
}

/// The register of a class for a month, up to `today` (later days have no appel yet).
pub fn month(
    store: &Store,
    people: &People,
    class: u64,
    m: Month,
    today: Date,
) -> Result<Register> {
    let (from, to) = m.slots();
    let appels = super::appels_between(store, class, from, to)?;
    let slots: HashMap<(u64, u64), PupilSlot> = super::slots_between(store, from, to)?
        .into_iter()
        .map(|s| ((s.slot, s.pupil), s))
        .collect();
    let calendar = crate::school::calendar::get(store)?;
    let zone = crate::school::get(store)?
        .map(|s| s.zone)
        .unwrap_or(crate::school::Zone::C);
    let mut halves: Vec<u64> = Vec::new();
    if let (Some(f), Some(l)) = (m.first(), m.last()) {
        for d in calendar.school_days(zone, f, l.min(today)) {
            for h in HalfDay::ALL {
                if calendar.is_school_half_day(zone, d, h) {
                    halves.push(slot(d, h));
                }
            }
        }
    }
    halves.extend(appels.iter().map(|a| a.slot));
    halves.sort_unstable();
    halves.dedup();
    let mut pupils = people.pupils_of_class(class);
    for a in &appels {
        for (p, _) in &a.marks {
            if !pupils.contains(p) {
                pupils.push(*p);
            }
        }
    }
    let by_slot: HashMap<u64, &super::Appel> = appels.iter().map(|a| (a.slot, a)).collect();
    let mut rows = Vec::new();
    for p in pupils {
        let mut row = Row {
            pupil: p,
            name: people
                .user(p)
                .map(|u| u.display_name())
                .unwrap_or_else(|| "ancien élève".into()),
            cells: Vec::new(),
            absent: 0,
            justified: 0,
            late: 0,
            expected: 0,
            present: 0,
        };
        for s in &halves {
            let cell = match by_slot.get(s).map(|a| a.mark_of(p)) {
                None => Cell::NotTaken,
                // Not in the class yet (or any more) that day.
                Some(None) => Cell::NotTaken,
                Some(Some(Mark::Present)) => Cell::Present,
                Some(Some(Mark::Late { .. })) => Cell::Late,
                Some(Some(Mark::Amenagement)) => Cell::Amenagement,
                Some(Some(Mark::Absent)) => Cell::Absent {
                    justified: slots.get(&(*s, p)).is_some_and(|x| !x.unjustified()),
                },
            };
            match cell {
                Cell::Present => row.present += 1,
                Cell::Late => {
                    row.present += 1;
                    row.late += 1;
                }
                Cell::Absent { justified } => {
                    row.absent += 1;
                    row.justified += usize::from(justified);
                }
                Cell::NotTaken | Cell::Amenagement => {}
            }
            if matches!(cell, Cell::Present | Cell::Late | Cell::Absent { .. }) {
                row.expected += 1;
            }
            row.cells.push(cell);
        }
        rows.push(row);
    }
    Ok(Register {
        class,
        month: m,
        halves: halves.iter().filter_map(|s| slot_day(*s)).collect(),
        rows,
        visa: store.get(&VISAS, &(class, m.key()))?,
    })
}

/// A class's figures for a school year (September of `start` to August): each pupil's
/// totals over the months, cells left out.
pub fn year(
    store: &Store,
    people: &People,
    class: u64,
    start: i16,
    today: Date,
) -> Result<Vec<Row>> {
    let mut rows: Vec<Row> = Vec::new();
    for i in 0..12i8 {
        let m = if i < 4 {
            Month {
                year: start,
                month: 9 + i,
            }
        } else {
            Month {
                year: start + 1,
                month: i - 3,
            }
        };
        if m.first().is_none_or(|f| f > today) {
            break;
        }
        for r in month(store, people, class, m, today)?.rows {
            match rows.iter_mut().find(|x| x.pupil == r.pupil) {
                Some(x) => {
                    x.absent += r.absent;
                    x.justified += r.justified;
                    x.late += r.late;
                    x.expected += r.expected;
                    x.present += r.present;
                }
                None => rows.push(Row {
                    cells: Vec::new(),
                    ..r
                }),
            }
        }
    }
    Ok(rows)
}

/// The pupils with at least [`THRESHOLD`] demi-journées non justifiées in the month, with
/// their count, most first.
pub fn flagged(store: &Store, m: Month) -> Result<Vec<(u64, usize)>> {
    let (from, to) = m.slots();
    let mut counts: HashMap<u64, usize> = HashMap::new();
    for s in super::slots_between(store, from, to)? {
        if s.unjustified() {
            *counts.entry(s.pupil).or_default() += 1;
        }
    }
    let mut out: Vec<(u64, usize)> = counts
        .into_iter()
        .filter(|(_, n)| *n >= THRESHOLD)
        .collect();
    out.sort_by_key(|(p, n)| (std::cmp::Reverse(*n), *p));
    Ok(out)
}

/// The director signs (« vise ») a class's register for a month.
pub async fn sign(store: &Store, director: &Granted, class: u64, m: Month, now: i64) -> Result<()> {
    let visa = Visa {
        by: director.by(),
        at: now,
    };
    store
        .commit(|tx| tx.put(&VISAS, &(class, m.key()), &visa))
        .await
}

/// The register as CSV (`;`, UTF-8 with BOM for spreadsheets).
pub fn csv(register: &Register) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    let mut head = vec!["Élève".to_string()];
    head.extend(
        register
            .halves
            .iter()
            .map(|(d, h)| format!("{} {}", d, h.label())),
    );
    head.extend(["Absences", "dont justifiées", "Retards", "Taux de présence"].map(String::from));
    let _ = w.write_record(&head);
    for r in &register.rows {
        let mut line = vec![r.name.clone()];
        line.extend(r.cells.iter().map(|c| c.code().to_string()));
        line.push(r.absent.to_string());
        line.push(r.justified.to_string());
        line.push(r.late.to_string());
        line.push(rate(r.present, r.expected));
        let _ = w.write_record(&line);
    }
    w.into_inner().unwrap_or_default()
}

/// Each class (its label) with its pupils' figures.
pub type ClassFigures = Vec<(String, Vec<Row>)>;

/// The year's figures as CSV: one line per pupil of each class.
pub fn year_csv(classes: &ClassFigures) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record([
        "Classe",
        "Élève",
        "Demi-journées attendues",
        "Absences",
        "dont justifiées",
        "Retards",
        "Taux de présence",
    ]);
    for (label, rows) in classes {
        for r in rows {
            let _ = w.write_record([
                label.clone(),
                r.name.clone(),
                r.expected.to_string(),
                r.absent.to_string(),
                r.justified.to_string(),
                r.late.to_string(),
                rate(r.present, r.expected),
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_step() {
        let m = Month::parse("2026-12").unwrap();
        assert_eq!(m.next(), Month::parse("2027-01").unwrap());
        assert_eq!(m.previous().value(), "2026-11");
        assert_eq!(m.label(), "décembre 2026");
        assert!(Month::parse("2026-13").is_none());
        let (from, to) = m.slots();
        assert_eq!(slot_day(from).unwrap().0.to_string(), "2026-12-01");
        assert_eq!(slot_day(to - 1).unwrap().0.to_string(), "2026-12-31");
        assert_eq!(rate(19, 20), "95,0 %");
        assert_eq!(rate(0, 0), "—");
    }
}
