//! What the slot engine puts in a person's agenda and iCalendar feed: the staff's
//! confirmed resource bookings, the families' booked meetings (each guardian sees their
//! child's). Read from the person's own indexes, so that nobody sees another's.

use crate::agenda::Appointment;
use crate::directory::people::People;
use crate::store::{Key, Result, Store};

use super::meetings::{self, CHILD_BOOKINGS};
use super::resources::{self, Status, BY_AUTHOR};
use super::{clock, instant};

/// The appointments of `user` that start in [from, to).
pub fn appointments(
    store: &Store,
    people: &People,
    user: u64,
    from: i64,
    to: i64,
) -> Result<Vec<Appointment>> {
    let mut out = Vec::new();
    let within = |start: i64| from <= start && start < to;
    for ((_, id), ()) in store.scan_prefix(&BY_AUTHOR, &user.encode())? {
        let Some(b) = resources::booking(store, id)? else {
            continue;
        };
        let start = instant(b.day, b.from);
        if b.status != Status::Confirmee || !within(start) {
            continue;
        }
        let name = resources::resource(store, b.resource)?
            .map(|r| r.name)
            .unwrap_or_default();
        let title = if b.note.is_empty() {
            format!("Réservation : {name}")
        } else {
            format!("Réservation : {name} — {}", b.note)
        };
        out.push(Appointment {
            uid: format!("reservation-{}", b.id),
            title,
            place: name,
            start,
            end: instant(b.day, b.to),
            link: format!("/reservations/ressource/{}?semaine={}", b.resource, b.day),
        });
    }
    for child in people.children_of(user) {
        for ((_, grid), n) in store.scan_prefix(&CHILD_BOOKINGS, &child.encode())? {
            let Some(g) = meetings::grid(store, grid)? else {
                continue;
            };
            let Some(slot) = g.slot(n).filter(|s| within(s.start())) else {
                continue;
            };
            let teacher = people
                .user(g.by)
                .map(|u| u.display_name())
                .unwrap_or_default();
            let first = people
                .user(*child)
                .map(|u| u.first_name.clone())
                .unwrap_or_default();
            out.push(Appointment {
                uid: format!("rendez-vous-{grid}-{n}-{child}"),
                title: format!(
                    "Rendez-vous avec {teacher} pour {first} ({})",
                    clock(slot.from)
                ),
                place: g.place.label(),
                start: slot.start(),
                end: instant(slot.day, slot.to),
                link: format!("/rendez-vous/{grid}"),
            });
        }
    }
    out.sort_by_key(|a| a.start);
    Ok(out)
}
