//! `/suivi` for a pupil: their own carnet in kid mode — each réussite a big picture (or
//! its sound, its video), its sentence in large letters with the « Écouter » button that
//! reads it aloud (the browser's voice, `ui/listen.rs`); without JavaScript the large
//! sentence alone.

use maud::{html, Markup};

use super::super::carnet::Reussite;
use super::medium;
use crate::ui::{dates, listen};

pub fn own_carnet(first_name: &str, entries: &[Reussite]) -> Markup {
    html! {
        div.kid.kid-carnet {
            div.kid-hello {
                div {
                    h1 #titre { "Mes réussites" }
                    p.kid-none { "Bravo " (first_name) " ! Voici tout ce que tu sais faire." }
                }
            }
            @if entries.is_empty() {
                p.kid-none { "Ton carnet est encore vide : ta maîtresse ou ton maître y mettra tes réussites." }
            } @else {
                ul.kid-reussites {
                    @for r in entries {
                        li {
                            (medium(r, "kid-picture"))
                            p.kid-sentence id=(format!("reussite-{}", r.id)) { (r.sentence) }
                            (listen::button(&format!("reussite-{}", r.id)))
                            p.kid-when { (dates::calendar_date(r.day)) " · " (r.domain.short()) }
                        }
                    }
                }
            }
        }
    }
}
