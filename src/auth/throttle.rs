//! Password-guess throttling: per (account, address), per account across all addresses,
//! per address, and the lock of a pupil's picture password.
//!
//! Kept in memory: a restart forgets it, which only lets an attacker try a few more
//! passwords after each restart, while a school's server never fills a table on disk
//! with guesses. Each key allows `free` failures, then imposes a wait that doubles with
//! every further failure, up to its ceiling.
//!
//! An attempt is *reserved* before the password is checked: it counts as a failure at
//! once, under the lock, so that a burst of simultaneous guesses cannot all pass the
//! check « not blocked yet » before any of them is counted. A right password then gives
//! its reservation back ([`Reservation::succeed`]); a wrong one leaves it counted.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    last: Instant,
    blocked_until: Option<Instant>,
}

pub struct Throttle {
    entries: Mutex<HashMap<String, Entry>>,
    free: u32,
    base: Duration,
    max_wait: Duration,
    forget_after: Duration,
}

const MAX_WAIT: Duration = Duration::from_secs(3600);
/// Above this many keys, the ones quiet for `forget_after` are dropped.
const SWEEP_ABOVE: usize = 10_000;

impl Throttle {
    pub fn new(free: u32, base: Duration) -> Throttle {
        Throttle {
            entries: Mutex::new(HashMap::new()),
            free,
            base,
            max_wait: MAX_WAIT,
            forget_after: Duration::from_secs(24 * 3600),
        }
    }

    /// The longest wait this throttle imposes.
    pub fn max_wait(mut self, d: Duration) -> Throttle {
        self.max_wait = d;
        self
    }

    /// A key quiet for this long starts again from zero.
    pub fn forget_after(mut self, d: Duration) -> Throttle {
        self.forget_after = d;
        self
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How long the key must still wait, if at all.
    pub fn wait(&self, key: &str, now: Instant) -> Option<Duration> {
        wait_in(&self.lock(), key, now)
    }

    /// Records a failure; returns the wait it now imposes, if any.
    pub fn fail(&self, key: &str, now: Instant) -> Option<Duration> {
        self.count(&mut self.lock(), key, now)
    }

    /// A success clears the key.
    pub fn succeed(&self, key: &str) {
        self.lock().remove(key);
    }

    /// Forgets every key `forget` says (a lock lifted by a teacher or the director).
    pub fn forget(&self, forget: impl Fn(&str) -> bool) {
        self.lock().retain(|k, _| !forget(k));
    }

    /// Whether some key `of` says is waiting now.
    pub fn any_blocked(&self, of: impl Fn(&str) -> bool, now: Instant) -> bool {
        self.lock()
            .iter()
            .any(|(k, e)| of(k) && e.blocked_until.is_some_and(|u| u > now))
    }

    fn count(
        &self,
        entries: &mut HashMap<String, Entry>,
        key: &str,
        now: Instant,
    ) -> Option<Duration> {
        if entries.len() > SWEEP_ABOVE {
            let forget = self.forget_after;
            entries.retain(|_, e| {
                now.duration_since(e.last) < forget || e.blocked_until.is_some_and(|u| u > now)
            });
        }
        let entry = entries.entry(key.to_string()).or_insert(Entry {
            failures: 0,
            last: now,
            blocked_until: None,
        });
        if now.duration_since(entry.last) > self.forget_after
            && entry.blocked_until.is_none_or(|u| u <= now)
        {
            entry.failures = 0;
            entry.blocked_until = None;
        }
        entry.failures += 1;
        entry.last = now;
        if entry.failures > self.free {
            let extra = (entry.failures - self.free - 1).min(12);
            let wait = (self.base * 2u32.pow(extra)).min(self.max_wait);
            entry.blocked_until = Some(now + wait);
            Some(wait)
        } else {
            None
        }
    }

    /// Gives one reserved attempt back: the count it took, and the wait it set if that
    /// count was what crossed the line.
    fn release(&self, entries: &mut HashMap<String, Entry>, key: &str) {
        if let Some(e) = entries.get_mut(key) {
            e.failures = e.failures.saturating_sub(1);
            if e.failures <= self.free {
                e.blocked_until = None;
            }
            if e.failures == 0 {
                entries.remove(key);
            }
        }
    }
}

fn wait_in(entries: &HashMap<String, Entry>, key: &str, now: Instant) -> Option<Duration> {
    let until = entries.get(key)?.blocked_until?;
    (until > now).then(|| until - now)
}

/// What a right answer does to a key of a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnSuccess {
    /// Forget the key: whoever holds it has shown they know the secret (the pair
    /// account + address, a pupil's pictures).
    Clear,
    /// Give back only this attempt: the key is shared with others who may be guessing
    /// (an account from every address, an address for every account).
    Release,
}

/// One attempt counted in advance on several throttles; dropped without
/// [`Reservation::succeed`], it stays counted as a failure.
#[must_use = "a reservation is given back with succeed, or kept as a failure"]
pub struct Reservation<'a> {
    parts: Vec<(&'a Throttle, String, OnSuccess)>,
}

impl Reservation<'_> {
    /// The secret was right: give the attempt back.
    pub fn succeed(self) {
        for (throttle, key, on) in &self.parts {
            match on {
                OnSuccess::Clear => throttle.succeed(key),
                OnSuccess::Release => throttle.release(&mut throttle.lock(), key),
            }
        }
    }

    /// The secret was wrong: the attempt stays counted (it already is).
    pub fn fail(self) {}
}

/// Reserves one attempt on every `(throttle, key)` at once, or says how long to wait.
/// The throttles are locked together, always in the order given, and each throttle
/// appears once: callers list them in the order of [`Logins`]' fields, then the
/// addresses' throttle.
pub fn reserve<'a>(
    parts: Vec<(&'a Throttle, String, OnSuccess)>,
    now: Instant,
) -> Result<Reservation<'a>, Duration> {
    let mut guards: Vec<_> = parts.iter().map(|(t, _, _)| t.lock()).collect();
    let wait = parts
        .iter()
        .zip(guards.iter())
        .filter_map(|((_, key, _), g)| wait_in(g, key, now))
        .max();
    if let Some(w) = wait {
        return Err(w);
    }
    for ((throttle, key, _), guard) in parts.iter().zip(guards.iter_mut()) {
        throttle.count(guard, key, now);
    }
    drop(guards);
    Ok(Reservation { parts })
}

/// The throttles of passwords checked for a person: the login page, the class board, the
/// current password of /compte.
pub struct Logins {
    /// One account from one address: progressive waits after 5 failures. The only lock a
    /// stranger's guesses put on an account as seen from elsewhere is [`Logins::accounts`].
    pub pairs: Throttle,
    /// One account from every address: a ceiling (50 failures, then waits of 15 minutes
    /// and more) that bounds a distributed attack without letting one guesser lock the
    /// account out at the first few tries.
    pub accounts: Throttle,
    /// A pupil's picture password: locked after 5 failures until the teacher lifts it (or
    /// a day passes) — the space is small, the class board is the only place it works.
    pub pictures: Throttle,
    /// The class board from one address (a tablet): bounds a sweep across every pupil.
    pub board_addresses: Throttle,
}

/// Failures allowed per account and address before the first wait.
pub const PAIR_FREE: u32 = 5;
/// Failures allowed per account from all addresses before the ceiling's waits.
pub const ACCOUNT_FREE: u32 = 50;
/// Picture sequences checked before a pupil's pictures are locked.
pub const PICTURE_TRIES: u32 = 5;
const DAY: Duration = Duration::from_secs(24 * 3600);

impl Default for Logins {
    fn default() -> Logins {
        Logins {
            pairs: Throttle::new(PAIR_FREE, Duration::from_secs(30)),
            accounts: Throttle::new(ACCOUNT_FREE, Duration::from_secs(15 * 60))
                .forget_after(Duration::from_secs(3600)),
            // The attempt that reaches PICTURE_TRIES sets the lock.
            pictures: Throttle::new(PICTURE_TRIES - 1, DAY).max_wait(DAY),
            // Young children mistype: a whole class may fail a few times a morning.
            board_addresses: Throttle::new(30, Duration::from_secs(30))
                .forget_after(Duration::from_secs(15 * 60)),
        }
    }
}

fn pair_key(login: &str, address: &str, what: &str) -> String {
    // A login never holds a line break (the forms trim and the directory checks it).
    format!("{login}\n{address}\n{what}")
}

impl Logins {
    /// A password typed on the login page.
    pub fn login<'a>(
        &'a self,
        addresses: &'a Throttle,
        login: &str,
        address: &str,
        now: Instant,
    ) -> Result<Reservation<'a>, Duration> {
        reserve(
            vec![
                (
                    &self.pairs,
                    pair_key(login, address, "connexion"),
                    OnSuccess::Clear,
                ),
                (&self.accounts, login.to_string(), OnSuccess::Release),
                (addresses, format!("adresse:{address}"), OnSuccess::Release),
            ],
            now,
        )
    }

    /// The current password asked before a change (/compte): a stolen session must not
    /// become a way to guess it.
    pub fn current_password<'a>(
        &'a self,
        login: &str,
        address: &str,
        now: Instant,
    ) -> Result<Reservation<'a>, Duration> {
        reserve(
            vec![
                (
                    &self.pairs,
                    pair_key(login, address, "compte"),
                    OnSuccess::Clear,
                ),
                (&self.accounts, login.to_string(), OnSuccess::Release),
            ],
            now,
        )
    }

    /// A picture sequence on the class board.
    pub fn pictures<'a>(
        &'a self,
        pupil_id: u64,
        address: &str,
        now: Instant,
    ) -> Result<Reservation<'a>, Duration> {
        reserve(
            vec![
                (&self.pictures, pupil_id.to_string(), OnSuccess::Clear),
                (
                    &self.board_addresses,
                    address.to_string(),
                    OnSuccess::Release,
                ),
            ],
            now,
        )
    }

    /// Whether the person's login, current password or pictures wait now, from anywhere.
    pub fn locked(&self, login: &str, pupil_id: Option<u64>, now: Instant) -> bool {
        let prefix = format!("{login}\n");
        self.pairs.any_blocked(|k| k.starts_with(&prefix), now)
            || self.accounts.wait(login, now).is_some()
            || pupil_id.is_some_and(|id| self.pictures.wait(&id.to_string(), now).is_some())
    }

    /// Lifts every wait and lock of a person (a teacher for a pupil, the director).
    pub fn lift(&self, login: &str, pupil_id: Option<u64>) {
        let prefix = format!("{login}\n");
        self.pairs.forget(|k| k.starts_with(&prefix));
        self.accounts.succeed(login);
        if let Some(id) = pupil_id {
            self.pictures.succeed(&id.to_string());
        }
    }
}

/// « 3 minutes », « 40 secondes » for the French message.
pub fn french_wait(d: Duration) -> String {
    let secs = d.as_secs().max(1);
    if secs < 60 {
        format!("{secs} seconde{}", if secs > 1 { "s" } else { "" })
    } else {
        let mins = secs.div_ceil(60);
        format!("{mins} minute{}", if mins > 1 { "s" } else { "" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_after_the_free_failures_and_success_clears() {
        let t = Throttle::new(3, Duration::from_secs(30));
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(t.fail("a", now), None);
        }
        assert_eq!(t.wait("a", now), None);
        assert_eq!(t.fail("a", now), Some(Duration::from_secs(30)));
        assert_eq!(t.fail("a", now), Some(Duration::from_secs(60)));
        assert!(t.wait("a", now).is_some());
        assert_eq!(t.wait("a", now + Duration::from_secs(61)), None);
        assert_eq!(t.wait("b", now), None);
        t.succeed("a");
        assert_eq!(t.wait("a", now), None);
    }

    #[test]
    fn simultaneous_reservations_are_counted_before_any_check() {
        let logins = Logins::default();
        let addresses = Throttle::new(20, Duration::from_secs(30));
        let now = Instant::now();
        let granted = std::sync::atomic::AtomicU32::new(0);
        std::thread::scope(|s| {
            for _ in 0..40 {
                s.spawn(|| {
                    if let Ok(r) = logins.login(&addresses, "lea", "10.0.0.1", now) {
                        granted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        r.fail();
                    }
                });
            }
        });
        assert_eq!(granted.into_inner(), PAIR_FREE + 1);
        // The lock of one address is not the account's lock elsewhere.
        assert!(logins.login(&addresses, "lea", "10.0.0.1", now).is_err());
        let r = logins.login(&addresses, "lea", "10.0.0.2", now);
        assert!(r.is_ok());
        if let Ok(r) = r {
            r.succeed();
        }
    }

    #[test]
    fn a_distributed_attack_meets_the_accounts_ceiling_and_a_lift_ends_it() {
        let logins = Logins::default();
        let addresses = Throttle::new(20, Duration::from_secs(30));
        let now = Instant::now();
        let mut checked = 0;
        for i in 0..200u32 {
            let address = format!("10.0.{}.{}", i / 250, i % 250);
            for _ in 0..3 {
                if let Ok(r) = logins.login(&addresses, "lea", &address, now) {
                    checked += 1;
                    r.fail();
                }
            }
        }
        assert_eq!(checked, ACCOUNT_FREE + 1);
        assert!(logins.login(&addresses, "lea", "192.168.1.9", now).is_err());
        assert!(logins.locked("lea", None, now));
        logins.lift("lea", None);
        assert!(!logins.locked("lea", None, now));
        assert!(logins.login(&addresses, "lea", "10.0.0.1", now).is_ok());
    }

    #[test]
    fn a_right_answer_gives_back_what_it_reserved() {
        let logins = Logins::default();
        let addresses = Throttle::new(2, Duration::from_secs(30));
        let now = Instant::now();
        for login in ["a", "b"] {
            if let Ok(r) = logins.login(&addresses, login, "10.0.0.1", now) {
                r.fail();
            }
        }
        // The third attempt from the address crosses its line, then is given back.
        if let Ok(r) = logins.login(&addresses, "c", "10.0.0.1", now) {
            r.succeed();
        }
        assert_eq!(addresses.wait("adresse:10.0.0.1", now), None);
        assert!(logins.login(&addresses, "d", "10.0.0.1", now).is_ok());
    }

    #[test]
    fn pictures_lock_after_five_tries_until_lifted() {
        let logins = Logins::default();
        let now = Instant::now();
        let mut checked = 0;
        for _ in 0..60 {
            if let Ok(r) = logins.pictures(7, "10.0.0.5", now) {
                checked += 1;
                r.fail();
            }
        }
        assert_eq!(checked, PICTURE_TRIES);
        // From another tablet, an hour later: still locked.
        let later = now + Duration::from_secs(3600);
        assert!(logins.pictures(7, "10.0.0.6", later).is_err());
        assert!(logins.locked("lou", Some(7), later));
        assert!(logins.pictures(8, "10.0.0.6", later).is_ok());
        logins.lift("lou", Some(7));
        assert!(logins.pictures(7, "10.0.0.6", later).is_ok());
    }

    #[test]
    fn french_waits() {
        assert_eq!(french_wait(Duration::from_secs(1)), "1 seconde");
        assert_eq!(french_wait(Duration::from_secs(61)), "2 minutes");
    }
}
