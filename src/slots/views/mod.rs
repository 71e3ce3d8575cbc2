//! The pages of the slot engine: pure functions of what the routes gathered (a view never
//! sees the store).

pub mod grid_edit;
pub mod meetings;
pub mod resources;

use maud::{html, Markup};

use super::meetings::Upcoming;

/// The home page's block: « Vos rendez-vous » for a guardian (date, time, teacher,
/// place), « Vos prochains rendez-vous » for a teacher.
pub fn home_box(lines: &[Upcoming], guardian: bool) -> Markup {
    html! {
        @if !lines.is_empty() {
            section.panel #rendez-vous aria-labelledby="rendez-vous-titre" {
                h2 #rendez-vous-titre { @if guardian { "Vos rendez-vous" } @else { "Vos prochains rendez-vous" } }
                ul {
                    @for u in lines {
                        li {
                            a href=(format!("/rendez-vous/{}", u.grid)) { (u.slot.label()) }
                            @if guardian {
                                " — " (u.with) " avec " (u.teacher) ", " (u.place)
                            } @else {
                                " — " (u.with) ", " (u.place)
                            }
                        }
                    }
                }
            }
        }
    }
}
