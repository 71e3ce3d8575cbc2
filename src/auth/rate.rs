//! How many records one person may create in a short time (agenda events, messages, mots,
//! blog articles and comments, médiathèque folders): 30 a minute, 300 an hour. A person
//! types far fewer; a script (or a pupil holding a key down on « Enregistrer ») made
//! thousands in a minute, filling the store and everyone's agenda.
//!
//! Kept in memory like the login throttle: a restart forgets it, which only gives a few
//! more records; nothing is written for each creation.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::app::App;
use crate::refusal::Refusal;
use crate::ui::form::FormState;

/// The message shown beside the form, which keeps what was typed.
pub const TOO_MANY: &str =
    "Vous avez créé beaucoup d'éléments en peu de temps : attendez une minute.";

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// The creations of each person in the last hour.
pub struct CreationLimit {
    recent: Mutex<HashMap<u64, VecDeque<Instant>>>,
    per_minute: usize,
    per_hour: usize,
}

impl Default for CreationLimit {
    fn default() -> CreationLimit {
        CreationLimit::new(30, 300)
    }
}

impl CreationLimit {
    pub fn new(per_minute: usize, per_hour: usize) -> CreationLimit {
        CreationLimit {
            recent: Mutex::new(HashMap::new()),
            per_minute,
            per_hour,
        }
    }

    /// Counts one creation by `person` at `now` if it stays within the limits; `false`
    /// (and nothing counted) otherwise.
    pub fn take(&self, person: u64, now: Instant) -> bool {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        let within = |t: &Instant, span: Duration| now.saturating_duration_since(*t) < span;
        // Someone gone quiet for an hour frees their entry: the map stays the size of the
        // people active in the last hour.
        if recent.len() > 1_000 {
            recent.retain(|_, times| times.back().is_some_and(|t| within(t, HOUR)));
        }
        let times = recent.entry(person).or_default();
        while times.front().is_some_and(|t| !within(t, HOUR)) {
            times.pop_front();
        }
        let last_minute = times.iter().rev().take_while(|t| within(t, MINUTE)).count();
        if last_minute >= self.per_minute || times.len() >= self.per_hour {
            return false;
        }
        times.push_back(now);
        true
    }
}

/// The one check of the creation handlers: `Ok` when `person` may create one more record
/// now (it is counted), else the refusal with the French message.
pub fn allow(app: &App, person: u64) -> Result<(), Refusal> {
    if app.creations.take(person, Instant::now()) {
        Ok(())
    } else {
        tracing::info!(person, "création refusée : trop d'éléments en peu de temps");
        Err(Refusal::new(TOO_MANY))
    }
}

/// For a handler with a form state: the refusal goes beside `field`, so that the form is
/// shown again with everything typed. A form that already has errors is not counted (it
/// creates nothing).
pub fn note(app: &App, person: u64, form: &mut FormState, field: &str) {
    if form.is_ok() {
        if let Err(why) = allow(app, person) {
            form.hold_back(field, why.message());
        }
    }
}

/// For a handler that checks its input as `Result<T, &str>` and says the refusal in a
/// flash on the page of the form: a valid input may still be refused here.
pub fn gate<T>(
    app: &App,
    person: u64,
    checked: Result<T, &'static str>,
) -> Result<T, &'static str> {
    let value = checked?;
    allow(app, person).map_err(|_| TOO_MANY)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_a_minute_then_three_hundred_an_hour() {
        let limit = CreationLimit::default();
        let start = Instant::now();
        let taken = (0..40).filter(|_| limit.take(1, start)).count();
        assert_eq!(taken, 30, "the 31st in the same minute is refused");
        assert!(limit.take(2, start), "another person is not held back");
        let mut taken = 30;
        for minute in 1..=20u64 {
            let at = start + Duration::from_secs(60 * minute);
            taken += (0..30).filter(|_| limit.take(1, at)).count();
        }
        assert_eq!(taken, 300, "no more than 300 within the hour");
        let later = start + Duration::from_secs(3600 + 1);
        assert!(
            limit.take(1, later),
            "an hour later the oldest have expired"
        );
    }
}
