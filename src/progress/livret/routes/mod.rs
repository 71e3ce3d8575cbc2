//! The routes of the livret scolaire (`/suivi/livret`), each with its rule: extract, ask
//! `access.rs` for the proof, call the model, answer with a view. The class's pages take
//! the rules of the class's carnets (its teachers, the director), the pupil's those of the
//! pupil's carnet (their teachers and the director; the family for what was published).

use maud::{html, Markup};

use super::reference::ends_cycle;
use crate::directory::people::People;
use crate::error::AppResult;
use crate::policy::Actor;
use crate::routing::{Access, Object, Routes};
use crate::store::Store;

mod class;
mod lsu;
mod pupil;

pub fn routes() -> Routes {
    use Access::Object as On;
    let class = On(Object::ProgressClass);
    let pupil = On(Object::ProgressPupil);
    Routes::new()
        .get(
            "/suivi/livret/periodes",
            class::periods_form,
            Access::Director,
        )
        .post(
            "/suivi/livret/periodes",
            class::save_periods,
            Access::Director,
        )
        .get("/suivi/livret/lsu", lsu::choose, Access::Director)
        .get("/suivi/livret/lsu/fichier", lsu::file, Access::Director)
        .get("/suivi/livret/classe/:id", class::show, class)
        .get("/suivi/livret/classe/:id/grille", class::grid, class)
        .post("/suivi/livret/classe/:id/grille", class::save_grid, class)
        .post("/suivi/livret/classe/:id/publier", class::publish, class)
        .get("/suivi/livret/eleve/:id", pupil::show, pupil)
        .get("/suivi/livret/eleve/:id/imprimer", pupil::print, pupil)
        .post(
            "/suivi/livret/eleve/:id/vu",
            pupil::seen,
            On(Object::ProgressFamily),
        )
        // The family's comment, or the teacher's answer.
        .post("/suivi/livret/eleve/:id/commentaire", pupil::comment, pupil)
        .get(
            "/suivi/livret/eleve/:id/cycle",
            pupil::cycle_form,
            On(Object::ProgressPupilKeep),
        )
        .post(
            "/suivi/livret/eleve/:id/cycle",
            pupil::save_cycle,
            On(Object::ProgressPupilKeep),
        )
}

use crate::progress::routes::{flash, name, now, page, today};

fn year(store: &Store) -> AppResult<String> {
    Ok(crate::directory::rollover::current_year(store)?)
}

/// The cycle a pupil ends this year (CE2, CM2): by their level, or, unknown, by their
/// class's levels when the class has only one that ends a cycle.
fn cycle_ending(people: &People, pupil: u64) -> Option<u8> {
    if let Some(level) = people.levels.get(&pupil) {
        return ends_cycle(*level);
    }
    let mut ends: Vec<u8> = people
        .classes_of(pupil)
        .iter()
        .filter_map(|c| people.class(*c))
        .flat_map(|c| c.levels.iter().filter_map(|l| ends_cycle(*l)))
        .collect();
    ends.dedup();
    match ends.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The livret's part of `/suivi`: the élémentaire classes one keeps, the children whose
/// livret one reads, the periods for the director.
pub fn home_section(actor: &Actor, people: &People) -> Markup {
    let classes: Vec<(u64, String)> = people
        .classes
        .iter()
        .filter(|c| {
            c.levels
                .iter()
                .any(|l| super::reference::cycle_of(*l).is_some())
        })
        .filter(|c| super::access::keep_class(actor, c.id).is_ok())
        .map(|c| (c.id, c.label.clone()))
        .collect();
    let children: Vec<(u64, String)> = actor
        .children
        .iter()
        // The child's own level when known (a GS child of a GS-CP class has no livret),
        // else their classes'.
        .filter(|c| match people.levels.get(c) {
            Some(level) => super::reference::cycle_of(*level).is_some(),
            None => people
                .classes_of(**c)
                .iter()
                .filter_map(|k| people.class(*k))
                .any(|k| {
                    k.levels
                        .iter()
                        .any(|l| super::reference::cycle_of(*l).is_some())
                }),
        })
        .map(|c| (*c, name(people, *c)))
        .collect();
    html! {
        @if !classes.is_empty() || !children.is_empty() || actor.director {
            section.panel aria-labelledby="livret" {
                h2 #livret { "Livret scolaire (élémentaire)" }
                ul {
                    @for (id, label) in &classes {
                        li { a href=(format!("/suivi/livret/classe/{id}")) { "Bilans périodiques — " (label) } }
                    }
                    @for (id, n) in &children {
                        li { a href=(format!("/suivi/livret/eleve/{id}")) { "Livret scolaire " (crate::ui::de(n)) } }
                    }
                    @if actor.director { li { a href="/suivi/livret/periodes" { "Périodes de l'année (trimestres ou semestres)" } } }
                }
            }
        }
    }
}
