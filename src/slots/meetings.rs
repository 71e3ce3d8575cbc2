//! Rencontres parents-enseignants: a teacher opens a grid of slots for a class (one or
//! several dates, from/to hours, 10, 15 or 20 minutes each, a place or « par
//! téléphone »); each family books one slot per child; both guardians see it; a family
//! cancels until 24 h before; the teacher blocks slots, moves or cancels bookings (the
//! family is told); the day before, the guardians are reminded.
//!
//! A grid's slots are numbered once at its opening and never change. A slot's state is a
//! record (booked or blocked; free when absent), a child's booking in a grid another
//! (`CHILD_BOOKINGS`), both written in one transaction after reading them there: the
//! store's transaction makes two families asking for the last slot at once run one after
//! the other, and the second reads it taken.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::access::{ChildInGrid, RunGrid};
use super::{clock, day_key, instant};
use crate::directory::people::People;
use crate::notify::{self, Kind};
use crate::policy::{Actor, Granted};
use crate::refusal::{Failure, Outcome};
use crate::store::{Key, Result, Store, Table, Tx};
use crate::ui::dates;

pub const GRIDS: Table<u64, Grid> = Table::new("meeting_grids");
/// (class, grid): the grids of a class.
pub const GRIDS_BY_CLASS: Table<(u64, u64), ()> = Table::new("meeting_grids_by_class");
/// (grid, slot number) → what the slot holds; a free slot has no record.
pub const SLOTS: Table<(u64, u64), SlotState> = Table::new("meeting_slots");
/// (pupil, grid) → the slot booked for that child: one per child and grid.
pub const CHILD_BOOKINGS: Table<(u64, u64), u64> = Table::new("meeting_bookings_by_child");
/// (day as `yyyymmdd`, grid, slot): the bookings of a day, for the reminders.
pub const BY_DAY: Table<(u64, u64, u64), ()> = Table::new("meeting_bookings_by_day");

/// A family cancels online until this long before the meeting.
pub const CANCEL_BEFORE: i64 = 24 * 3600 * 1_000_000;
/// The slot lengths offered, in minutes.
pub const LENGTHS: [u16; 3] = [10, 15, 20];
/// At most this many dates in one grid, and slots in one of its dates.
pub const MAX_DATES: usize = 3;
pub const MAX_SLOTS_A_DAY: usize = 48;

/// Where the meetings take place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "room")]
pub enum Place {
    Room(String),
    Phone,
}

impl Place {
    pub fn label(&self) -> String {
        match self {
            Place::Room(r) => r.clone(),
            Place::Phone => "par téléphone".into(),
        }
    }
}

/// One date of a grid: from and to, in minutes after midnight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sitting {
    pub day: Date,
    pub from: u16,
    pub to: u16,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Grid {
    pub id: u64,
    pub class_id: u64,
    /// The teacher who opened it (the meetings are with them).
    pub by: u64,
    pub title: String,
    pub place: Place,
    pub sittings: Vec<Sitting>,
    pub minutes: u16,
    pub created_at: i64,
}

/// One slot of a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub n: u64,
    pub day: Date,
    pub from: u16,
    pub to: u16,
}

impl Slot {
    pub fn start(&self) -> i64 {
        instant(self.day, self.from)
    }

    /// « mardi 8 décembre à 17 h 15 ».
    pub fn label(&self) -> String {
        format!("{} à {}", dates::day_label(self.day), clock(self.from))
    }
}

impl Grid {
    /// Every slot, numbered from 0 in the order of the dates and hours.
    pub fn slots(&self) -> Vec<Slot> {
        let mut out = Vec::new();
        for s in &self.sittings {
            let mut from = s.from;
            while from + self.minutes <= s.to {
                out.push(Slot {
                    n: out.len() as u64,
                    day: s.day,
                    from,
                    to: from + self.minutes,
                });
                from += self.minutes;
            }
        }
        out
    }

    pub fn slot(&self, n: u64) -> Option<Slot> {
        self.slots().into_iter().find(|s| s.n == n)
    }

    /// The last date of the grid: a grid is shown until it has passed.
    pub fn last_day(&self) -> Option<Date> {
        self.sittings.iter().map(|s| s.day).max()
    }
}

/// What a slot holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum SlotState {
    Booked(Booking),
    /// Taken out by the teacher (a break, another appointment).
    Blocked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub pupil: u64,
    /// The guardian who booked.
    pub by: u64,
    pub at: i64,
    /// The day-before reminder went out.
    #[serde(default)]
    pub reminded: bool,
}

/// A grid as the teacher typed it, checked by the form.
pub struct NewGrid {
    pub title: String,
    pub place: Place,
    pub sittings: Vec<Sitting>,
    pub minutes: u16,
}

/// Opens a grid for the class of the proof.
pub async fn open(
    store: &Store,
    granted: &Granted<super::access::RunClass>,
    new: &NewGrid,
    now: i64,
) -> Result<u64> {
    let class_id = granted.object().class_id;
    store
        .commit(|tx| open_in(tx, class_id, granted.by(), new, now))
        .await
}

/// Opens a grid inside a transaction (the page's, or the demo's).
pub(crate) fn open_in(
    tx: &mut Tx<'_>,
    class_id: u64,
    by: u64,
    new: &NewGrid,
    now: i64,
) -> Result<u64> {
    let mut sittings = new.sittings.clone();
    sittings.sort_by_key(|s| (s.day, s.from));
    let id = tx.next_id("meeting_grid")?;
    let grid = Grid {
        id,
        class_id,
        by,
        title: new.title.clone(),
        place: new.place.clone(),
        sittings,
        minutes: new.minutes,
        created_at: now,
    };
    tx.put(&GRIDS, &id, &grid)?;
    tx.put(&GRIDS_BY_CLASS, &(class_id, id), &())?;
    Ok(id)
}

pub fn grid(store: &Store, id: u64) -> Result<Option<Grid>> {
    store.get(&GRIDS, &id)
}

/// The grids of a class, the newest first.
pub fn grids_of_class(store: &Store, class_id: u64) -> Result<Vec<Grid>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(&GRIDS_BY_CLASS, &class_id.encode())? {
        if let Some(g) = grid(store, id)? {
            out.push(g);
        }
    }
    out.reverse();
    Ok(out)
}

/// What each taken slot of a grid holds.
pub fn states(store: &Store, grid: u64) -> Result<BTreeMap<u64, SlotState>> {
    Ok(store
        .scan_prefix(&SLOTS, &grid.encode())?
        .into_iter()
        .map(|((_, n), s)| (n, s))
        .collect())
}

/// The slot booked for a child in a grid.
pub fn booked_for(store: &Store, grid: u64, pupil: u64) -> Result<Option<u64>> {
    store.get(&CHILD_BOOKINGS, &(pupil, grid))
}

fn slot_of(grid: &Grid, n: u64) -> Outcome<Slot> {
    grid.slot(n)
        .ok_or_else(|| Failure::refused("Ce créneau n'existe pas dans la grille."))
}

/// Books slot `n` for the child of the proof: the slot must be free and to come, the
/// child without a booking in this grid. Checked and written in one transaction.
pub async fn book(
    store: &Store,
    granted: &Granted<ChildInGrid>,
    n: u64,
    child_name: &str,
    now: i64,
) -> Outcome<Slot> {
    let ChildInGrid { grid, pupil } = granted.object();
    let slot = slot_of(grid, n)?;
    if slot.start() <= now {
        return Err(Failure::refused(
            "Ce créneau est passé : choisissez-en un autre.",
        ));
    }
    let booking = Booking {
        pupil: *pupil,
        by: granted.by(),
        at: now,
        reminded: false,
    };
    store
        .commit_checked(|tx| book_in(tx, grid, slot, &booking, child_name))
        .await?;
    Ok(slot)
}

/// Books `slot` inside a transaction (the page's, or the demo's): refused when the child
/// has a meeting in the grid already or the slot is not free.
pub(crate) fn book_in(
    tx: &mut Tx<'_>,
    grid: &Grid,
    slot: Slot,
    booking: &Booking,
    child_name: &str,
) -> Outcome<()> {
    if let Some(had) = tx.get(&CHILD_BOOKINGS, &(booking.pupil, grid.id))? {
        let when = grid.slot(had).map(|s| s.label()).unwrap_or_default();
        return Err(Failure::refused(format!(
            "{child_name} a déjà un rendez-vous dans cette grille ({when}) : un seul \
             rendez-vous par enfant. Annulez-le d'abord pour en choisir un autre."
        )));
    }
    match tx.get(&SLOTS, &(grid.id, slot.n))? {
        Some(SlotState::Booked(_)) => Err(Failure::refused(format!(
            "Le créneau du {} vient d'être réservé par une autre famille : choisissez-en \
             un autre.",
            slot.label()
        ))),
        Some(SlotState::Blocked) => Err(Failure::refused(format!(
            "Le créneau du {} n'est pas proposé : choisissez-en un autre.",
            slot.label()
        ))),
        None => Ok(put_booking(tx, grid, slot, booking)?),
    }
}

fn put_booking(tx: &mut Tx<'_>, grid: &Grid, slot: Slot, b: &Booking) -> Result<()> {
    tx.put(&SLOTS, &(grid.id, slot.n), &SlotState::Booked(b.clone()))?;
    tx.put(&CHILD_BOOKINGS, &(b.pupil, grid.id), &slot.n)?;
    tx.put(&BY_DAY, &(day_key(slot.day), grid.id, slot.n), &())
}

fn remove_booking(tx: &mut Tx<'_>, grid: &Grid, slot: Slot, pupil: u64) -> Result<()> {
    tx.remove(&SLOTS, &(grid.id, slot.n))?;
    tx.remove(&CHILD_BOOKINGS, &(pupil, grid.id))?;
    tx.remove(&BY_DAY, &(day_key(slot.day), grid.id, slot.n))
}

/// The family cancels its child's meeting, until 24 h before it.
pub async fn cancel_by_family(
    store: &Store,
    granted: &Granted<ChildInGrid>,
    now: i64,
) -> Outcome<Slot> {
    let ChildInGrid { grid, pupil } = granted.object();
    store
        .commit_checked(|tx| {
            let n = tx
                .get(&CHILD_BOOKINGS, &(*pupil, grid.id))?
                .ok_or_else(|| Failure::refused("Il n'y a pas de rendez-vous à annuler."))?;
            let slot = slot_of(grid, n)?;
            if now > slot.start() - CANCEL_BEFORE {
                return Err(Failure::refused(format!(
                    "Le rendez-vous du {} a lieu dans moins de 24 heures : il ne peut plus \
                     être annulé en ligne. Prévenez l'enseignant par le carnet ou la messagerie.",
                    slot.label()
                )));
            }
            remove_booking(tx, grid, slot, *pupil)?;
            Ok(slot)
        })
        .await
}

/// What the teacher does to a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeacherChange {
    Block,
    Free,
    Cancel,
    MoveTo(u64),
}

/// Who is told of a change, and how the people are named.
pub struct Told<'a> {
    pub people: &'a People,
    pub teacher_name: &'a str,
}

/// The teacher blocks or frees a free slot, cancels a booking or moves it to a free slot;
/// the child's guardians are told of a cancellation or a move.
pub async fn change_slot(
    store: &Store,
    granted: &Granted<RunGrid>,
    n: u64,
    change: TeacherChange,
    told: &Told<'_>,
    now: i64,
) -> Outcome<String> {
    let grid = &granted.object().grid;
    let slot = slot_of(grid, n)?;
    let link = format!("/rendez-vous/{}", grid.id);
    store
        .commit_checked(|tx| {
            let state = tx.get(&SLOTS, &(grid.id, n))?;
            match (change, state) {
                (TeacherChange::Block, None) => {
                    tx.put(&SLOTS, &(grid.id, n), &SlotState::Blocked)?;
                    Ok(format!("Le créneau du {} est bloqué.", slot.label()))
                }
                (TeacherChange::Free, Some(SlotState::Blocked)) => {
                    tx.remove(&SLOTS, &(grid.id, n))?;
                    Ok(format!(
                        "Le créneau du {} est de nouveau proposé.",
                        slot.label()
                    ))
                }
                (TeacherChange::Block, Some(SlotState::Booked(_))) => Err(Failure::refused(
                    "Ce créneau est réservé : déplacez ou annulez d'abord le rendez-vous.",
                )),
                (TeacherChange::Cancel, Some(SlotState::Booked(b))) => {
                    remove_booking(tx, grid, slot, b.pupil)?;
                    let child = first_name(told.people, b.pupil);
                    let text = format!(
                        "{} a annulé le rendez-vous de {child} du {} : vous pouvez choisir \
                         un autre créneau.",
                        told.teacher_name,
                        slot.label()
                    );
                    tell_guardians(tx, told.people, b.pupil, &text, &link, now)?;
                    Ok(format!(
                        "Le rendez-vous de {child} est annulé ; sa famille est prévenue."
                    ))
                }
                (TeacherChange::MoveTo(m), Some(SlotState::Booked(b))) => {
                    let to = slot_of(grid, m)?;
                    if to.start() <= now {
                        return Err(Failure::refused("Ce créneau est passé."));
                    }
                    if tx.get(&SLOTS, &(grid.id, m))?.is_some() {
                        return Err(Failure::refused(format!(
                            "Le créneau du {} n'est pas libre : choisissez un créneau libre.",
                            to.label()
                        )));
                    }
                    remove_booking(tx, grid, slot, b.pupil)?;
                    let moved = Booking {
                        reminded: false,
                        ..b.clone()
                    };
                    put_booking(tx, grid, to, &moved)?;
                    let child = first_name(told.people, b.pupil);
                    let text = format!(
                        "Le rendez-vous de {child} avec {} est déplacé du {} au {} ({}).",
                        told.teacher_name,
                        slot.label(),
                        to.label(),
                        grid.place.label()
                    );
                    tell_guardians(tx, told.people, b.pupil, &text, &link, now)?;
                    Ok(format!(
                        "Le rendez-vous de {child} est déplacé au {} ; sa famille est prévenue.",
                        to.label()
                    ))
                }
                (_, None) => Err(Failure::refused("Ce créneau est libre.")),
                (_, Some(SlotState::Blocked)) => Err(Failure::refused(
                    "Ce créneau est bloqué : libérez-le d'abord.",
                )),
                (TeacherChange::Free, Some(SlotState::Booked(_))) => Err(Failure::refused(
                    "Ce créneau est réservé : annulez d'abord le rendez-vous.",
                )),
            }
        })
        .await
}

fn first_name(people: &People, id: u64) -> String {
    people
        .user(id)
        .map(|u| u.first_name.clone())
        .unwrap_or_else(|| "l'élève".into())
}

fn name(people: &People, id: u64) -> String {
    people
        .user(id)
        .map(|u| u.display_name())
        .unwrap_or_else(|| "l'enseignant".into())
}

fn tell_guardians(
    tx: &mut Tx<'_>,
    people: &People,
    pupil: u64,
    text: &str,
    link: &str,
    now: i64,
) -> Result<()> {
    for g in people.parents_of(pupil) {
        notify::push(tx, *g, Kind::RendezVous, text, link, now)?;
    }
    Ok(())
}

/// The periodic job: the guardians of each child with a meeting tomorrow (or later today,
/// if the reminder has not gone yet) are reminded once.
pub fn remind(store: &Store, people: &People, now: i64) -> Result<usize> {
    let today = dates::local_day_and_hour(now).0;
    let after = super::add_days(today, 2);
    let due = store.scan_range(&BY_DAY, &(day_key(today), 0, 0), &(day_key(after), 0, 0))?;
    let mut sent = 0;
    for ((_, grid_id, n), ()) in due {
        let Some(grid) = grid(store, grid_id)? else {
            continue;
        };
        let Some(slot) = grid.slot(n) else { continue };
        if slot.start() <= now {
            continue;
        }
        let teacher = name(people, grid.by);
        let link = format!("/rendez-vous/{grid_id}");
        let reminded = store.commit_blocking(|tx| {
            let Some(SlotState::Booked(b)) = tx.get(&SLOTS, &(grid_id, n))? else {
                return Ok(false);
            };
            if b.reminded {
                return Ok(false);
            }
            let text = format!(
                "Rappel : rendez-vous avec {teacher} pour {} le {} ({}).",
                first_name(people, b.pupil),
                slot.label(),
                grid.place.label()
            );
            tell_guardians(tx, people, b.pupil, &text, &link, now)?;
            let done = Booking {
                reminded: true,
                ..b
            };
            tx.put(&SLOTS, &(grid_id, n), &SlotState::Booked(done))?;
            Ok(true)
        })?;
        sent += usize::from(reminded);
    }
    Ok(sent)
}

/// A meeting to come, as the home page lists it.
pub struct Upcoming {
    pub grid: u64,
    pub start: i64,
    pub slot: Slot,
    /// The child (for a guardian) or the family (for the teacher).
    pub with: String,
    pub teacher: String,
    pub place: String,
}

/// A guardian's children's meetings to come; a teacher's next meetings in the grids of
/// their classes (at most 5).
pub fn upcoming_for(
    store: &Store,
    people: &People,
    actor: &Actor,
    now: i64,
) -> Result<Vec<Upcoming>> {
    let mut out = Vec::new();
    for child in &actor.children {
        for ((_, grid_id), n) in store.scan_prefix(&CHILD_BOOKINGS, &child.encode())? {
            let Some(g) = grid(store, grid_id)? else {
                continue;
            };
            let Some(slot) = g.slot(n).filter(|s| s.start() > now) else {
                continue;
            };
            out.push(Upcoming {
                grid: grid_id,
                start: slot.start(),
                slot,
                with: first_name(people, *child),
                teacher: name(people, g.by),
                place: g.place.label(),
            });
        }
    }
    if actor.profile == crate::policy::Profile::Enseignant {
        let today = dates::local_day_and_hour(now).0;
        for class in &actor.class_ids {
            for g in grids_of_class(store, *class)? {
                if g.last_day().is_none_or(|d| d < today) {
                    continue;
                }
                let all = g.slots();
                for (n, state) in states(store, g.id)? {
                    let (SlotState::Booked(b), Some(slot)) = (state, all.get(n as usize)) else {
                        continue;
                    };
                    if slot.start() <= now {
                        continue;
                    }
                    out.push(Upcoming {
                        grid: g.id,
                        start: slot.start(),
                        slot: *slot,
                        with: format!("famille de {}", name(people, b.pupil)),
                        teacher: name(people, g.by),
                        place: g.place.label(),
                    });
                }
            }
        }
    }
    out.sort_by_key(|u| u.start);
    if actor.children.is_empty() {
        out.truncate(5);
    }
    Ok(out)
}
