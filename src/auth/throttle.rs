//! Login throttling per account and per client address.
//!
//! Kept in memory: a restart forgets it, which only lets an attacker try a few more
//! passwords after each restart, while a school's server never fills a table on disk
//! with guesses. Each key allows `free` failures, then imposes a wait that doubles with
//! every further failure, up to one hour.

use std::collections::HashMap;
use std::sync::Mutex;
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
    forget_after: Duration,
}

const MAX_WAIT: Duration = Duration::from_secs(3600);

impl Throttle {
    pub fn new(free: u32, base: Duration) -> Throttle {
        Throttle {
            entries: Mutex::new(HashMap::new()),
            free,
            base,
            forget_after: Duration::from_secs(24 * 3600),
        }
    }

    /// How long the key must still wait, if at all.
    pub fn wait(&self, key: &str, now: Instant) -> Option<Duration> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(key)?;
        let until = entry.blocked_until?;
        (until > now).then(|| until - now)
    }

    /// Records a failure; returns the wait it now imposes, if any.
    pub fn fail(&self, key: &str, now: Instant) -> Option<Duration> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() > 10_000 {
            let forget = self.forget_after;
            entries.retain(|_, e| now.duration_since(e.last) < forget);
        }
        let entry = entries.entry(key.to_string()).or_insert(Entry {
            failures: 0,
            last: now,
            blocked_until: None,
        });
        if now.duration_since(entry.last) > self.forget_after {
            entry.failures = 0;
        }
        entry.failures += 1;
        entry.last = now;
        if entry.failures > self.free {
            let extra = (entry.failures - self.free - 1).min(12);
            let wait = (self.base * 2u32.pow(extra)).min(MAX_WAIT);
            entry.blocked_until = Some(now + wait);
            Some(wait)
        } else {
            None
        }
    }

    /// A success clears the key.
    pub fn succeed(&self, key: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.remove(key);
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
    fn french_waits() {
        assert_eq!(french_wait(Duration::from_secs(1)), "1 seconde");
        assert_eq!(french_wait(Duration::from_secs(61)), "2 minutes");
    }
}
