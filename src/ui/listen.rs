//! « Écouter »: a button beside a text that a pupil or a parent reads, which reads it
//! aloud with the browser's speech synthesis in a French voice (on-device voices work
//! offline; the school's box does no work). The button is `hidden` until the script has
//! found a French voice, so that nobody meets a button that does nothing; where the teacher
//! recorded the text (a consigne), the recording plays instead.
//!
//! The convention shared with `assets/js/preau.js`: `data-ecouter` names the id of the
//! element whose text is read, or several ids separated by spaces (a title and its text,
//! read in that order, with a pause between them); `data-ecouter-audio` the recording to
//! play instead. The button stands outside the text it reads (else it would read itself).

use maud::{html, Markup, PreEscaped};

/// A loudspeaker drawn in SVG: an emoji needs a colour font that a Pi or a school tablet
/// may not have (it would show an empty box). The label stays the button's last text, which
/// the script changes to « Arrêter » while reading.
/// Written once: the button is on every card of a list.
fn speaker() -> PreEscaped<&'static str> {
    static SPEAKER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PreEscaped(SPEAKER.get_or_init(|| {
        html! {
            svg.speaker width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false" {
                path fill="currentColor" d="M3 9v6h4l5 4V5L7 9H3zm13.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z" {}
            }
        }
        .into_string()
    }))
}

/// The « Écouter » button for the element `#target_id` (its visible text is read), or for
/// the elements of several space-separated ids.
pub fn button(target_id: &str) -> Markup {
    html! {
        button.ecouter type="button" hidden data-ecouter=(target_id) aria-pressed="false" {
            (speaker()) "Écouter"
        }
    }
}

/// The « Écouter » button that plays the teacher's recording of the text `#target_id`
/// (a file served at `audio_url`), shown even without a French voice.
pub fn recording(target_id: &str, audio_url: &str) -> Markup {
    html! {
        button.ecouter type="button" hidden data-ecouter=(target_id) data-ecouter-audio=(audio_url) aria-pressed="false" {
            (speaker()) "Écouter"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_button_names_its_text_and_waits_for_the_script() {
        let b = button("mot-12").into_string();
        assert!(b.contains(r#"data-ecouter="mot-12""#), "{b}");
        assert!(b.contains("hidden"), "{b}");
        assert!(b.contains(r#"type="button""#), "{b}");
        let r = recording("consigne-3", "/x/son.ogg").into_string();
        assert!(r.contains(r#"data-ecouter-audio="/x/son.ogg""#), "{r}");
    }
}
