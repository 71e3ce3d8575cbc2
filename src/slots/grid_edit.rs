//! Changing a grid of meetings once opened: a date added after its last one (the slots
//! already numbered keep their number, so no booking moves), the place changed (the
//! families who booked are told), the grid deleted (its booked meetings cancelled, the
//! families told).

use super::access::RunGrid;
use super::meetings::{
    Place, Sitting, SlotState, BY_DAY, CHILD_BOOKINGS, GRIDS, GRIDS_BY_CLASS, SLOTS,
};
use super::{clock, day_key};
use crate::directory::people::People;
use crate::notify::{self, Kind};
use crate::policy::Granted;
use crate::refusal::{Failure, Outcome};
use crate::store::{Result, Store, Tx};
use crate::ui::dates;

/// At most this many dates in a grid, the added ones included.
pub const MAX_DATES_EDITED: usize = 5;

/// The booked slots of a grid, read in the transaction: (slot, pupil).
fn booked(tx: &Tx<'_>, grid: &super::meetings::Grid) -> Result<Vec<(u64, u64)>> {
    let mut out = Vec::new();
    for s in grid.slots() {
        if let Some(SlotState::Booked(b)) = tx.get(&SLOTS, &(grid.id, s.n))? {
            out.push((s.n, b.pupil));
        }
    }
    Ok(out)
}

/// Tells the guardians of each booked pupil; how many families were told.
fn tell(
    tx: &mut Tx<'_>,
    people: &People,
    grid: &super::meetings::Grid,
    booked: &[(u64, u64)],
    text: impl Fn(&str, &str) -> String,
    link: &str,
    now: i64,
) -> Result<usize> {
    for (n, pupil) in booked {
        let child = people
            .user(*pupil)
            .map(|u| u.first_name.clone())
            .unwrap_or_default();
        let when = grid.slot(*n).map(|s| s.label()).unwrap_or_default();
        for g in people.parents_of(*pupil) {
            notify::push(tx, *g, Kind::RendezVous, &text(&child, &when), link, now)?;
        }
    }
    Ok(booked.len())
}

/// Adds a date after the grid's last one.
pub async fn add_date(store: &Store, granted: &Granted<RunGrid>, s: Sitting) -> Outcome<()> {
    let id = granted.object().grid.id;
    store
        .commit_checked(|tx| {
            let mut g = tx
                .get(&GRIDS, &id)?
                .ok_or_else(|| Failure::refused("Cette grille n'existe plus."))?;
            if g.sittings.len() >= MAX_DATES_EDITED {
                return Err(Failure::refused(format!(
                    "Une grille compte au plus {MAX_DATES_EDITED} dates : ouvrez-en une autre."
                )));
            }
            if let Some(last) = g.last_day().filter(|l| s.day <= *l) {
                return Err(Failure::refused(format!(
                    "Ajoutez une date après la dernière de la grille ({}) : les créneaux déjà \
                     réservés gardent ainsi leur place.",
                    dates::day_label(last)
                )));
            }
            g.sittings.push(s.clone());
            tx.put(&GRIDS, &id, &g)?;
            Ok(())
        })
        .await
}

/// Changes the place; the families who booked are told. How many were told.
pub async fn set_place(
    store: &Store,
    granted: &Granted<RunGrid>,
    place: Place,
    people: &People,
    now: i64,
) -> Outcome<usize> {
    let id = granted.object().grid.id;
    store
        .commit_checked(|tx| {
            let mut g = tx
                .get(&GRIDS, &id)?
                .ok_or_else(|| Failure::refused("Cette grille n'existe plus."))?;
            g.place = place.clone();
            tx.put(&GRIDS, &id, &g)?;
            let booked = booked(tx, &g)?;
            let label = place.label();
            let link = format!("/rendez-vous/{id}");
            Ok(tell(
                tx,
                people,
                &g,
                &booked,
                |child, when| {
                    format!("Le rendez-vous de {child} le {when} a changé de lieu : {label}.")
                },
                &link,
                now,
            )?)
        })
        .await
}

/// Deletes the grid: its booked meetings are cancelled and the families told. How many
/// were told.
pub async fn delete(
    store: &Store,
    granted: &Granted<RunGrid>,
    people: &People,
    now: i64,
) -> Outcome<usize> {
    let id = granted.object().grid.id;
    let teacher = people
        .user(granted.object().grid.by)
        .map(|u| u.display_name())
        .unwrap_or_else(|| "l'enseignant".into());
    store
        .commit_checked(|tx| {
            let g = tx
                .get(&GRIDS, &id)?
                .ok_or_else(|| Failure::refused("Cette grille n'existe plus."))?;
            let booked = booked(tx, &g)?;
            let told = tell(
                tx,
                people,
                &g,
                &booked,
                |child, when| {
                    format!(
                        "{teacher} a supprimé les rencontres « {} » : le rendez-vous de {child} \
                         le {when} est annulé.",
                        g.title
                    )
                },
                "/rendez-vous",
                now,
            )?;
            for s in g.slots() {
                tx.remove(&SLOTS, &(id, s.n))?;
            }
            for (n, pupil) in &booked {
                tx.remove(&CHILD_BOOKINGS, &(*pupil, id))?;
                if let Some(s) = g.slot(*n) {
                    tx.remove(&BY_DAY, &(day_key(s.day), id, *n))?;
                }
            }
            tx.remove(&GRIDS_BY_CLASS, &(g.class_id, id))?;
            tx.remove(&GRIDS, &id)?;
            Ok(told)
        })
        .await
}

/// « jeudi 10 décembre de 16 h 30 à 18 h ».
pub fn sitting_label(s: &Sitting) -> String {
    format!(
        "{} de {} à {}",
        dates::day_label(s.day),
        clock(s.from),
        clock(s.to)
    )
}
