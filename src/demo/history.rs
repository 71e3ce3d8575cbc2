//! The demo's past: a year of connections, archives of previous years.

use super::*;

/// A school year of connections (×scale), and archives of past years for scale > 1.
pub(super) fn history(
    store: &Store,
    rng: &mut StdRng,
    scale: u32,
    now: i64,
) -> anyhow::Result<usize> {
    use crate::auth::journal::{ConnectionEvent, ConnectionKind, CONNECTIONS};
    let users: Vec<(u64, String)> = directory::users(store, None)?
        .into_iter()
        .map(|u| (u.id, u.login))
        .collect();
    let day = 86_400_000_000i64;
    let mut total = 0;
    // 36 school weeks of 4 days; about 40 connections a day, times the scale.
    for d in 0..144i64 {
        let at_day = now - (144 - d) * day * 7 / 4;
        let per_day = 40 * scale as usize;
        let events: Vec<ConnectionEvent> = (0..per_day)
            .map(|k| {
                let (id, login) = &users[rng.random_range(0..users.len())];
                ConnectionEvent {
                    at: at_day + (k as i64) * 60_000_000,
                    kind: if rng.random_bool(0.05) {
                        ConnectionKind::Failure
                    } else {
                        ConnectionKind::Login
                    },
                    login: login.clone(),
                    user_id: Some(*id),
                    address: format!("192.168.1.{}", rng.random_range(10..250)),
                }
            })
            .collect();
        store.write(|tx| {
            for e in &events {
                let seq = tx.next_id("connection_log")?;
                tx.put(&CONNECTIONS, &(e.at.max(0) as u64, seq), e)?;
            }
            Ok(())
        })?;
        total += events.len();
    }
    for y in 1..scale {
        let year = format!("{}-{}", 2026 - y as i32, 2027 - y as i32);
        let archive = crate::directory::rollover::snapshot(store, &year, now)?;
        let current = crate::directory::rollover::current_year(store)?;
        store
            .commit_blocking(|tx| crate::directory::rollover::close_year(tx, &archive, &current))?;
    }
    Ok(total)
}
