//! The registre d'appel (issue 17): the appel on a school day and not on a day off, the
//! same-morning notice to each guardian once, a declaration that pre-fills the appel, the
//! motif and its one reminder, the 4-half-day threshold, PS afternoons not counted, the
//! monthly register's grid and totals, every refusal.

mod appel;
mod calendar_page;
mod families;
mod register;

use jiff::civil::Date;
use preau::attendance::{HalfDay, Mark};
use preau::directory::people::People;
use preau::school::calendar::{self, Calendar, NamedDay};
use preau::store::Store;

/// The school's day today, made a day with class whatever the date the tests run
/// (a worked day wins over weekends and holidays), as the director's calendar allows.
pub(crate) fn school_today(store: &Store) -> Date {
    let today = preau::attendance::current(preau::auth::now_micros()).0;
    school_days(store, &[today]);
    today
}

/// These days have class; nothing else changes in the calendar.
pub(crate) fn school_days(store: &Store, days: &[Date]) {
    let c = Calendar {
        worked_days: days
            .iter()
            .map(|d| NamedDay {
                day: *d,
                label: "Jour de test".into(),
            })
            .collect(),
        ..Calendar::default()
    };
    store.commit_blocking(|tx| calendar::save(tx, &c)).unwrap();
}

/// The director makes `day` a day off.
pub(crate) fn day_off(store: &Store, day: Date) {
    let c = Calendar {
        days_off: vec![NamedDay {
            day,
            label: "Journée pédagogique".into(),
        }],
        ..Calendar::default()
    };
    store.commit_blocking(|tx| calendar::save(tx, &c)).unwrap();
}

/// The absence notices a person received.
pub(crate) fn absence_notices(store: &Store, user: u64) -> Vec<String> {
    preau::notify::list(store, user)
        .unwrap()
        .into_iter()
        .filter(|n| n.kind == preau::notify::Kind::Absence)
        .map(|n| n.text)
        .collect()
}

/// 10 h in the school's time zone on `day` (morning) or 15 h (afternoon), in micros.
pub(crate) fn at(day: Date, half: HalfDay) -> i64 {
    let hour = if half == HalfDay::Morning { 10 } else { 15 };
    preau::ui::dates::start_of_day(day) + hour * 3_600_000_000
}

/// Records an appel of CM1-CM2 as Paul at `day`/`half` through the module (as if it
/// were that day), the marks given, everyone else present.
pub(crate) async fn appel_as_paul(
    store: &Store,
    folks: &crate::common::Folks,
    day: Date,
    half: HalfDay,
    marks: &[(u64, Mark)],
) -> preau::attendance::record::Recorded {
    let now = at(day, half);
    let people = People::load(store).unwrap();
    let actor = people.actor_of(folks.paul, now).unwrap();
    let granted = preau::attendance::access::appel(&actor, folks.cm).unwrap();
    preau::attendance::record::record_appel(store, &people, &granted, day, half, marks, now)
        .await
        .unwrap()
}
