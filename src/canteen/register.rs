//! The morning pointage: a service's expected list for the day (its bookings minus the
//! pupils marked absent at the appel, with the reason), the staff's confirmation of who is
//! there, the effectifs du jour for the commune, and the monthly count per child and
//! service the mairie invoices from.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::services::{self, PeriService, BOOKINGS};
use super::{add_days, audit, day_key};
use crate::policy::Granted;
use crate::store::{Result, Store, Table};

/// (service, day) → who the staff found there.
pub const REGISTERS: Table<(u64, u64), Register> = Table::new("canteen_registers");

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Register {
    pub present: Vec<u64>,
    pub by: u64,
    pub at: i64,
}

/// A pupil marked absent, as the appel gives it (the attendance service's `AbsentPupil`,
/// mirrored here until both are merged): the half-day and the reason in French.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absent {
    pub pupil: u64,
    pub afternoon: bool,
    pub reason: String,
}

/// The pupils marked absent on `day` in the appel (or declared absent by their family
/// before it): a pupil who arrived late is there for lunch and the evening, and stays.
pub fn absent_on(store: &Store, day: Date) -> Result<Vec<Absent>> {
    Ok(crate::attendance::absent_on(store, day)?
        .into_iter()
        .filter(|a| !a.late)
        .map(|a| Absent {
            pupil: a.pupil.0,
            afternoon: a.half == crate::attendance::HalfDay::Afternoon,
            reason: a.reason,
        })
        .collect())
}

/// A service's list for the day: the booked pupils expected, and those absent with the
/// reason. A morning service loses the pupils absent in the morning; an evening service
/// (garderie du soir, étude) those absent in the afternoon.
pub fn expected(
    service: &PeriService,
    booked: &[u64],
    absent: &[Absent],
) -> (Vec<u64>, Vec<(u64, String)>) {
    let mut here = Vec::new();
    let mut away = Vec::new();
    for p in booked {
        match absent
            .iter()
            .find(|a| a.pupil == *p && a.afternoon == service.kind.afternoon())
        {
            Some(a) => away.push((*p, a.reason.clone())),
            None => here.push(*p),
        }
    }
    (here, away)
}

pub fn register(store: &Store, service: u64, day: Date) -> Result<Option<Register>> {
    store.get(&REGISTERS, &(service, day_key(day)))
}

/// The staff confirm who is there (only pupils booked that day count).
pub async fn save(
    store: &Store,
    granted: &Granted<PeriService>,
    day: Date,
    present: &[u64],
    now: i64,
) -> Result<usize> {
    let s = granted.object();
    let booked: Vec<u64> = services::booked_on(store, s.id, day)?
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let present: Vec<u64> = present
        .iter()
        .copied()
        .filter(|p| booked.contains(p))
        .collect();
    let login = super::login_of(store, granted.by())?;
    store
        .commit(|tx| {
            tx.put(
                &REGISTERS,
                &(s.id, day_key(day)),
                &Register {
                    present: present.clone(),
                    by: granted.by(),
                    at: now,
                },
            )?;
            audit(
                tx,
                (granted.by(), &login),
                now,
                format!(
                    "Périscolaire : pointage du service « {} » le {day} ({} présents)",
                    s.name,
                    present.len()
                ),
            )
        })
        .await?;
    Ok(present.len())
}

/// One line of the effectifs du jour.
pub struct Headcount {
    pub service: PeriService,
    pub booked: usize,
    pub absent: usize,
    pub expected: usize,
    /// Counted by the staff, once they confirmed.
    pub present: Option<usize>,
    /// Not counted yet, and past the hour the commune set.
    pub late: bool,
}

/// The pupils booked for a service on `day` if it is open then: a day the school or the
/// service closed after families had booked (journée pédagogique, grève) expects nobody,
/// shows nobody eating and is not counted for the mairie.
pub fn booked_if_open(
    store: &Store,
    service: &PeriService,
    closures: &services::SchoolClosures,
    day: Date,
) -> Result<Vec<u64>> {
    if service.closed_on(closures, day).is_some() {
        return Ok(Vec::new());
    }
    Ok(services::booked_on(store, service.id, day)?
        .into_iter()
        .map(|(p, _)| p)
        .collect())
}

/// The effectifs of `day`, as of `now` (to say which pointage is late).
pub fn headcounts(store: &Store, day: Date, now: i64) -> Result<Vec<Headcount>> {
    let absent = absent_on(store, day)?;
    let closures = services::SchoolClosures::of(store)?;
    let mut out = Vec::new();
    for s in services::services(store)? {
        if !s.weekdays.contains(&super::weekday_number(day)) {
            continue;
        }
        let booked = booked_if_open(store, &s, &closures, day)?;
        let (here, away) = expected(&s, &booked, &absent);
        let present = register(store, s.id, day)?.map(|r| r.present.len());
        let late = present.is_none()
            && s.report_by.is_some_and(|h| {
                now > crate::ui::dates::start_of_day(day) + i64::from(h) * 3_600_000_000
            });
        out.push(Headcount {
            late,
            booked: booked.len(),
            absent: away.len(),
            expected: here.len(),
            present,
            service: s,
        });
    }
    Ok(out)
}

/// The month's count: (pupil, service) → days booked, read from the bookings themselves.
pub fn month_count(store: &Store, first: Date) -> Result<Vec<(u64, u64, u64)>> {
    let next = first
        .checked_add(jiff::Span::new().months(1))
        .unwrap_or(add_days(first, 31));
    let mut counts: std::collections::BTreeMap<(u64, u64), u64> = Default::default();
    let closures = services::SchoolClosures::of(store)?;
    for s in services::services(store)? {
        for ((_, day, pupil), _) in store.scan_range(
            &BOOKINGS,
            &(s.id, day_key(first), 0),
            &(s.id, day_key(next), 0),
        )? {
            // A day closed after it was booked is not a meal to pay.
            if super::key_day(day).is_some_and(|d| s.closed_on(&closures, d).is_some()) {
                continue;
            }
            *counts.entry((pupil, s.id)).or_default() += 1;
        }
    }
    Ok(counts.into_iter().map(|((p, s), n)| (p, s, n)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canteen::services::ServiceKind;

    fn service(kind: ServiceKind) -> PeriService {
        PeriService {
            id: 1,
            kind,
            name: kind.label().into(),
            weekdays: vec![1, 2, 4, 5],
            capacity: 0,
            cutoff_weekday: 4,
            cutoff_hour: 9,
            cancel_until: None,
            classes: Vec::new(),
            staff: Vec::new(),
            closed: Vec::new(),
            report_by: None,
        }
    }

    #[test]
    fn the_list_subtracts_the_pupils_absent_at_the_appel_with_the_reason() {
        let absent = vec![
            Absent {
                pupil: 2,
                afternoon: false,
                reason: "absent (maladie)".into(),
            },
            Absent {
                pupil: 3,
                afternoon: true,
                reason: "absent l'après-midi (rendez-vous)".into(),
            },
        ];
        let (here, away) = expected(&service(ServiceKind::Cantine), &[1, 2, 3], &absent);
        assert_eq!(here, vec![1, 3]);
        assert_eq!(away, vec![(2, "absent (maladie)".to_string())]);
        // The étude is in the evening: the afternoon's absence counts, not the morning's.
        let (here, away) = expected(&service(ServiceKind::Etude), &[1, 2, 3], &absent);
        assert_eq!(here, vec![1, 2]);
        assert_eq!(away.len(), 1);
        assert_eq!(away[0].0, 3);
    }
}
