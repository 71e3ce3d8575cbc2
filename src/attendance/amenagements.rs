//! Aménagements, entered once by the class's teacher or the director: a PS pupil's
//! afternoons agreed with the family (« aménagement du temps en petite section »), a
//! recurring care outside the class (RASED, orthophoniste on Tuesday at 10 h). A pupil
//! not expected in class that half-day is marked « aménagement » by the appel and never
//! counted absent; a care during the half-day is only shown beside the name.

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use super::{HalfDay, AMENAGEMENTS};
use crate::policy::Granted;
use crate::store::{Key, Result, Store};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Amenagement {
    pub id: u64,
    pub pupil: u64,
    /// « Aménagement du temps en petite section », « Orthophoniste (10 h – 10 h 45) ».
    pub label: String,
    /// Days of the week concerned, 1 (Monday) to 5 (Friday).
    pub weekdays: Vec<i8>,
    pub half: HalfDay,
    /// The pupil is not expected in class the whole half-day (not counted absent);
    /// otherwise the care only takes part of it and the pupil is « présent ».
    pub whole: bool,
    pub by: u64,
    pub at: i64,
}

impl Amenagement {
    pub fn applies(&self, day: Date, half: HalfDay) -> bool {
        self.half == half
            && self
                .weekdays
                .contains(&day.weekday().to_monday_one_offset())
    }

    /// « les lundi, mardi après-midi ».
    pub fn when(&self) -> String {
        let days: Vec<&str> = self
            .weekdays
            .iter()
            .filter_map(|d| Weekday::from_monday_one_offset(*d).ok())
            .map(crate::ui::dates::weekday_fr)
            .collect();
        format!("{} {}", days.join(", "), self.half.label())
    }
}

/// Every aménagement of a pupil.
pub fn of_pupil(store: &Store, pupil: u64) -> Result<Vec<Amenagement>> {
    Ok(store
        .scan_prefix(&AMENAGEMENTS, &pupil.encode())?
        .into_iter()
        .map(|(_, a)| a)
        .collect())
}

/// The aménagements of these pupils that apply to a half-day.
pub fn applying(
    store: &Store,
    pupils: &[u64],
    day: Date,
    half: HalfDay,
) -> Result<Vec<Amenagement>> {
    let mut out = Vec::new();
    for p in pupils {
        out.extend(
            of_pupil(store, *p)?
                .into_iter()
                .filter(|a| a.applies(day, half)),
        );
    }
    Ok(out)
}

/// What the teacher typed.
#[derive(Debug, Clone)]
pub struct NewAmenagement {
    pub pupil: u64,
    pub label: String,
    pub weekdays: Vec<i8>,
    pub half: HalfDay,
    pub whole: bool,
}

/// Adds an aménagement for a pupil of the class the proof is about.
pub async fn add(
    store: &Store,
    class: &Granted<super::access::ClassAppel>,
    new: &NewAmenagement,
    now: i64,
) -> Result<u64> {
    let by = class.by();
    store
        .commit(|tx| {
            let id = tx.next_id("amenagement")?;
            tx.put(
                &AMENAGEMENTS,
                &(new.pupil, id),
                &Amenagement {
                    id,
                    pupil: new.pupil,
                    label: new.label.clone(),
                    weekdays: new.weekdays.clone(),
                    half: new.half,
                    whole: new.whole,
                    by,
                    at: now,
                },
            )?;
            Ok(id)
        })
        .await
}

/// Ends an aménagement of a pupil of the class the proof is about.
pub async fn remove(
    store: &Store,
    _class: &Granted<super::access::ClassAppel>,
    pupil: u64,
    id: u64,
) -> Result<()> {
    store
        .commit(|tx| tx.remove(&AMENAGEMENTS, &(pupil, id)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amenagement_applies_on_its_days_and_half_day() {
        let a = Amenagement {
            id: 1,
            pupil: 2,
            label: "Aménagement du temps en petite section".into(),
            weekdays: vec![1, 2, 4, 5],
            half: HalfDay::Afternoon,
            whole: true,
            by: 3,
            at: 0,
        };
        let monday: Date = "2026-11-30".parse().unwrap();
        assert!(a.applies(monday, HalfDay::Afternoon));
        assert!(!a.applies(monday, HalfDay::Morning));
        assert!(!a.applies("2026-12-02".parse().unwrap(), HalfDay::Afternoon));
        assert_eq!(a.when(), "lundi, mardi, jeudi, vendredi après-midi");
    }
}
