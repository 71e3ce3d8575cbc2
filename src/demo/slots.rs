//! The demo's rendez-vous et réservations: a grid of parent-teacher meetings for the
//! class of the demo parent's child on two evenings (some slots already booked by families, one
//! blocked), the « Salle de motricité », the « Chariot de tablettes » and the commune's
//! « Minibus communal » (shared with the school, validated by the commune), the trolley
//! booked by Nadia every Tuesday from 9 h to 10 h until the end of the next period.

use crate::directory::people::People;
use crate::slots::add_days;
use crate::slots::availability::Availability;
use crate::slots::meetings::{self, Booking, NewGrid, Place, Sitting, SlotState};
use crate::slots::resources::{self, Kind, Resource, Wish};
use crate::store::Store;

pub(super) fn meetings_and_resources(
    store: &Store,
    now: i64,
    parent_login: Option<&str>,
) -> anyhow::Result<()> {
    let people = People::load(store)?;
    let Some(nadia) = people
        .users
        .values()
        .find(|u| u.first_name == "Nadia" && u.last_name == "Belkacem")
        .map(|u| u.id)
    else {
        return Ok(());
    };
    // The grid is in the class of the demo parent's child, so that trying the demo as
    // that parent shows a grid to book in; Nadia's class otherwise.
    let parent = match parent_login {
        Some(login) => crate::directory::user_by_login(store, login)?.map(|u| u.id),
        None => None,
    };
    let parents_children = parent
        .map(|p| people.children_of(p).to_vec())
        .unwrap_or_default();
    let parent_class = parents_children
        .first()
        .and_then(|child| people.classes_of(*child).first().copied());
    let Some(class) = parent_class.or_else(|| people.classes_of(nadia).first().copied()) else {
        return Ok(());
    };
    let teacher = people
        .teachers_of_class(class)
        .first()
        .copied()
        .unwrap_or(nadia);
    let today = crate::ui::dates::local_day_and_hour(now).0;
    let calendar = crate::school::calendar::get(store)?;
    let zone = crate::school::get(store)?
        .map(|s| s.zone)
        .unwrap_or(crate::school::Zone::B);
    // Two school evenings, from ten days on.
    let evenings: Vec<_> = calendar
        .school_days(zone, add_days(today, 10), add_days(today, 60))
        .into_iter()
        .take(2)
        .collect();
    let grid = NewGrid {
        title: "Rencontres parents-enseignants du premier trimestre".into(),
        place: Place::Room("Salle de classe".into()),
        sittings: evenings
            .iter()
            .map(|d| Sitting {
                day: *d,
                from: 16 * 60 + 30,
                to: 18 * 60 + 30,
            })
            .collect(),
        minutes: 15,
    };
    // The demo parent's child is left to book.
    let pupils: Vec<u64> = people
        .pupils_of_class(class)
        .into_iter()
        .filter(|p| !parents_children.contains(p))
        .collect();
    store.commit_checked_blocking(|tx| {
        let id = meetings::open_in(tx, class, teacher, &grid, now)?;
        let Some(g) = tx.get(&meetings::GRIDS, &id)? else {
            return Ok(());
        };
        let slots = g.slots();
        // The first families have booked every other slot; the teacher keeps 17 h 15.
        for (pupil, slot) in pupils.iter().take(5).zip(slots.iter().step_by(2)) {
            let Some(by) = people.parents_of(*pupil).first().copied() else {
                continue;
            };
            let booking = Booking {
                pupil: *pupil,
                by,
                at: now,
                reminded: false,
            };
            meetings::book_in(tx, &g, *slot, &booking, "l'élève")?;
        }
        if let Some(s) = slots.get(3) {
            tx.put(&meetings::SLOTS, &(id, s.n), &SlotState::Blocked)?;
        }
        Ok(())
    })?;

    let mut made = Vec::new();
    // The commune's minibus, shared with the school: two days ahead at least (a driver to
    // find), sixty at most, each request validated by the commune.
    let minibus = Availability {
        min_days: 2,
        max_days: Some(60),
        ..Availability::default()
    };
    for (name, kind, commune, rules) in [
        (
            "Salle de motricité",
            Kind::Salle,
            false,
            Availability::default(),
        ),
        (
            "Chariot de tablettes",
            Kind::Materiel,
            false,
            Availability::default(),
        ),
        ("Minibus communal", Kind::Minibus, true, minibus),
    ] {
        let id = store.commit_blocking(|tx| {
            let id = tx.next_id("resource")?;
            tx.put(
                &resources::RESOURCES,
                &id,
                &Resource {
                    id,
                    name: name.into(),
                    kind,
                    validation: commune,
                    retired: false,
                    created_at: now,
                    availability: rules.clone(),
                    commune,
                    shared: commune,
                },
            )?;
            Ok(id)
        })?;
        made.push(id);
    }
    // Nadia's tablets every Tuesday, from next Tuesday for ten weeks.
    if let Some(trolley) = made
        .get(1)
        .and_then(|id| resources::resource(store, *id).ok().flatten())
    {
        let mut tuesday = add_days(today, 1);
        while tuesday.weekday() != jiff::civil::Weekday::Tuesday {
            tuesday = add_days(tuesday, 1);
        }
        let wish = Wish {
            day: tuesday,
            from: 9 * 60,
            to: 10 * 60,
            note: "Tablettes en classe".into(),
            weekly_until: Some(add_days(tuesday, 70)),
        };
        let (days, _) = resources::wish_days(store, &trolley, &wish, today)?;
        store.commit_checked_blocking(|tx| {
            resources::book_in(tx, &trolley, nadia, &wish, &days, &people, now)
        })?;
    }
    Ok(())
}
