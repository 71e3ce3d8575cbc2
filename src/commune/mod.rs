//! L'espace de la commune (`/commune`): what the mairie of a rural school shares with the
//! families and the staff, and what the school asks of it. Three parts:
//! - the mairie's pages (horaires, contacts, règlement et tarifs de la cantine et du
//!   périscolaire, inscriptions scolaires, PEDT…), Markdown through the one sanitiser, in
//!   `pages.rs`;
//! - the school buses (`transport.rs`): lines with their stops and times per direction
//!   and per day (the RPI's shuttles included), the pupils who ride each line, and the
//!   exceptional changes (« car supprimé jeudi — neige ») told at once to the riders'
//!   families only and shown on their home page until they pass;
//! - the requests to the mairie (`requests.rs`): travaux, chauffage, informatique,
//!   ménage, achat, with photos, followed reçue → en cours → faite with comments.
//!
//! The space is run by the commune's staff, or by the director where the commune has no
//! account. The commune sees of the pupils only the riders' names and classes.

use jiff::civil::Date;
use maud::Markup;

use crate::directory::people::People;
use crate::error::AppResult;
use crate::policy::{Actor, Profile};
use crate::store::{Result, Store};

pub mod access;
mod forms;
pub mod pages;
pub mod requests;
pub mod routes;
pub mod transport;
mod views;

pub const TABLES: &[&str] = &[
    pages::PAGES.name,
    transport::LINES.name,
    transport::CHANGES.name,
    requests::REQUESTS.name,
];

/// An active « Personnel de la commune » account: the commune has an account of its own,
/// so it runs its space, and the director no longer does.
pub(crate) fn commune_staff(u: &crate::directory::User) -> bool {
    u.profile == Profile::Commune && !u.disabled
}

/// Whether the commune has an account of its own, kept beside the directory's snapshot
/// until a directory table changes: every commune page asks it (who runs the space, who
/// sees a rider or a request), and the answer is a look at every account of the school.
#[derive(Debug, Clone, Copy)]
pub struct Presence {
    pub commune_present: bool,
}

impl Presence {
    pub fn of(store: &Store) -> Result<Presence> {
        let kept = store.derived(crate::directory::TABLES, |s| {
            let people = People::load(s)?;
            Ok(Presence {
                commune_present: people.users.values().any(commune_staff),
            })
        })?;
        Ok(*kept)
    }
}

/// Who runs the space and is told of new requests: the commune's active accounts, or the
/// directors where there is none.
pub fn runners(people: &People) -> Vec<u64> {
    let commune: Vec<u64> = people
        .users
        .values()
        .filter(|u| commune_staff(u))
        .map(|u| u.id)
        .collect();
    if !commune.is_empty() {
        return commune;
    }
    people
        .users
        .values()
        .filter(|u| u.is_director() && !u.disabled)
        .map(|u| u.id)
        .collect()
}

fn today(now: i64) -> Date {
    crate::ui::dates::local_day_and_hour(now).0
}

/// The home page's block for a family: the exceptional changes of the lines their
/// children ride, until each change's last day has passed.
pub fn home_box(store: &Store, actor: &Actor, enabled: bool, now: i64) -> AppResult<Markup> {
    if !enabled || actor.children.is_empty() {
        return Ok(maud::html! {});
    }
    let changes = transport::changes_for_family(store, &actor.children, today(now))?;
    Ok(views::home_box(&changes))
}

/// An account's deletion: a pupil leaves the lines they rode; the pages, the changes and
/// the requests are the commune's and the school's and stay (an author who left names
/// nobody).
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let lines: Vec<u64> = store
        .scan(&transport::LINES)?
        .into_iter()
        .filter(|(_, l)| l.riders.contains(&user))
        .map(|(id, _)| id)
        .collect();
    Ok(Box::new(move |tx| {
        for id in &lines {
            if let Some(mut line) = tx.get(&transport::LINES, id)? {
                line.riders.retain(|r| *r != user);
                tx.put(&transport::LINES, id, &line)?;
            }
        }
        Ok(())
    }))
}
