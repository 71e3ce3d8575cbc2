//! The registre d'appel's pages: pure functions of what the routes read.

pub mod appel;
pub mod director;
pub mod families;

use maud::{html, Markup};

use super::{HalfDay, Motif};

/// The legal motifs as a select, `chosen` preselected.
pub fn motif_select(id: &str, chosen: Option<Motif>) -> Markup {
    html! {
        select id=(id) name="motif" required {
            option value="" { "— choisir —" }
            @for m in Motif::ALL {
                option value=(m.slug()) selected[chosen == Some(m)] { (m.label()) }
            }
        }
    }
}

/// Links to the two half-days of a page, `current` marked.
pub fn half_links(base: &str, current: HalfDay) -> Markup {
    html! {
        nav.halves aria-label="Demi-journée" {
            @for h in HalfDay::ALL {
                @if h == current {
                    a.button aria-current="page" href={ (base) "?demi=" (h.slug()) } { (h.label()) }
                } @else {
                    a.button href={ (base) "?demi=" (h.slug()) } { (h.label()) }
                }
                " "
            }
        }
    }
}
