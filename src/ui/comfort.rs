//! Reading comfort (« Mon compte » → Affichage): text size, line spacing, a legible font and
//! high contrast, chosen per account and applied to every page by classes on `<html>`
//! (`assets/css/preau.css`), so it works without JavaScript and on every device the person
//! signs in from. Kept on the account (the directory's snapshot): no read per page.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSize {
    #[default]
    Normal,
    Large,
    Larger,
}

impl TextSize {
    pub const ALL: [TextSize; 3] = [TextSize::Normal, TextSize::Large, TextSize::Larger];

    /// The value of the form's radio button.
    pub fn slug(self) -> &'static str {
        match self {
            TextSize::Normal => "normal",
            TextSize::Large => "grand",
            TextSize::Larger => "tres-grand",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TextSize::Normal => "Normal",
            TextSize::Large => "Grand",
            TextSize::Larger => "Très grand",
        }
    }

    pub fn parse(slug: &str) -> Option<TextSize> {
        TextSize::ALL.into_iter().find(|t| t.slug() == slug)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingComfort {
    #[serde(default)]
    pub text: TextSize,
    #[serde(default)]
    pub wide_spacing: bool,
    /// Atkinson Hyperlegible (Braille Institute, SIL OFL 1.1), embedded with its licence.
    #[serde(default)]
    pub legible_font: bool,
    #[serde(default)]
    pub high_contrast: bool,
}

impl ReadingComfort {
    /// The classes of `<html>`; empty for the default display.
    pub fn classes(&self) -> String {
        let mut out = Vec::new();
        match self.text {
            TextSize::Normal => {}
            TextSize::Large => out.push("texte-grand"),
            TextSize::Larger => out.push("texte-tres-grand"),
        }
        if self.wide_spacing {
            out.push("interligne");
        }
        if self.legible_font {
            out.push("police-lisible");
        }
        if self.high_contrast {
            out.push("contraste");
        }
        out.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_choice_gives_its_class_and_the_default_none() {
        assert_eq!(ReadingComfort::default().classes(), "");
        let all = ReadingComfort {
            text: TextSize::Larger,
            wide_spacing: true,
            legible_font: true,
            high_contrast: true,
        };
        assert_eq!(
            all.classes(),
            "texte-tres-grand interligne police-lisible contraste"
        );
        for t in TextSize::ALL {
            assert_eq!(TextSize::parse(t.slug()), Some(t));
        }
        assert_eq!(TextSize::parse("énorme"), None);
    }
}
