//! The carnet's inputs, typed: what the forms send, checked, with the French error beside
//! each field and the form state to show again when something is missing.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{Audience, NewMot};
use crate::attachments::Attachment;
use crate::error::AppError;
use crate::ui::dates;
use crate::ui::form::FormState;

/// The text fields of a multipart form (read by `attachments::read_form`), typed like an
/// urlencoded one.
pub fn typed<T: DeserializeOwned>(texts: &[(String, String)]) -> Result<T, AppError> {
    serde_html_form::to_string(texts)
        .ok()
        .and_then(|encoded| serde_html_form::from_str(&encoded).ok())
        .ok_or_else(|| AppError::BadRequest("Formulaire illisible.".into()))
}

/// A mot as typed: to families (`audience`) or from a family (`eleve`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MotFields {
    pub title: String,
    pub body: String,
    pub question: String,
    pub deadline: String,
    /// `ecole`, `c<class>`, `g<group>`, `e<pupil>`: checkboxes and a multiple select.
    pub audience: Vec<String>,
    pub eleve: String,
    /// How many accompagnateurs the mot asks for (empty: none).
    pub accompagnateurs: String,
}

impl MotFields {
    /// The form to show again, with what was typed.
    pub fn state(&self) -> FormState {
        FormState::with_values([
            ("title", self.title.clone()),
            ("body", self.body.clone()),
            ("question", self.question.clone()),
            ("deadline", self.deadline.clone()),
            ("eleve", self.eleve.clone()),
            ("accompagnateurs", self.accompagnateurs.clone()),
        ])
    }

    /// The number of accompagnateurs asked (0: none), the error beside its field.
    pub fn volunteers(&self, form: &mut FormState) -> u16 {
        let text = self.accompagnateurs.trim();
        if text.is_empty() {
            return 0;
        }
        let max = super::volunteers::MAX_WANTED;
        match text.parse::<u16>() {
            Ok(n) if n <= max => n,
            _ => {
                form.error(
                    "accompagnateurs",
                    format!("Indiquez un nombre d'accompagnateurs entre 0 et {max}."),
                );
                0
            }
        }
    }

    /// Title, body, question and deadline checked; errors beside their fields.
    pub fn read_mot(
        &self,
        errors: &[String],
        files: Vec<Attachment>,
        form: &mut FormState,
        now: i64,
    ) -> NewMot {
        let title = form.required("title", "le titre");
        if self.body.trim().is_empty() {
            form.error("body", "Le texte du mot est vide.");
        }
        let question = self.question.trim().to_string();
        let deadline = if self.deadline.trim().is_empty() {
            None
        } else {
            match dates::parse_date(&self.deadline) {
                Some(d) if d < dates::local_day_and_hour(now).0 => {
                    form.error(
                        "deadline",
                        "Cette date est déjà passée : choisissez aujourd'hui ou un jour à venir.",
                    );
                    None
                }
                Some(d) => Some(dates::end_of_day(d)),
                None => {
                    form.error("deadline", "Cette date n'est pas valide.");
                    None
                }
            }
        };
        if deadline.is_some() && question.is_empty() {
            form.error(
                "question",
                "Une date limite n'a de sens qu'avec une question : ajoutez-la ou retirez la date.",
            );
        }
        if !errors.is_empty() {
            form.error("files", errors.join(" "));
        }
        NewMot {
            title: title.chars().take(200).collect(),
            body: self.body.clone(),
            question: (!question.is_empty()).then_some(question),
            deadline,
            attachments: files,
        }
    }
}

pub fn parse_audience(text: &str) -> Option<Audience> {
    if text == "ecole" {
        return Some(Audience::School);
    }
    let kind = text.chars().next()?;
    let id: u64 = text.get(kind.len_utf8()..)?.parse().ok()?;
    match kind {
        'c' => Some(Audience::Class(id)),
        'g' => Some(Audience::Group(id)),
        'e' => Some(Audience::Pupil(id)),
        _ => None,
    }
}

/// `?eleve=` on the family's form: the child chosen beforehand.
#[derive(Debug, Deserialize)]
pub struct ForPupil {
    pub eleve: Option<u64>,
}

/// A guardian's signature for one child, with the Oui / Non answer.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignFields {
    pub eleve: String,
    pub reponse: String,
}

impl SignFields {
    pub fn pupil(&self) -> Result<u64, AppError> {
        self.eleve
            .parse()
            .map_err(|_| AppError::BadRequest("Enfant non précisé.".into()))
    }

    pub fn answer(&self) -> Option<bool> {
        match self.reponse.as_str() {
            "oui" => Some(true),
            "non" => Some(false),
            _ => None,
        }
    }
}

/// A private reply: the text, and for the school the family it answers.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplyFields {
    pub texte: String,
    pub famille: String,
}

impl ReplyFields {
    /// The text, trimmed and cut at 5 000 characters.
    pub fn text(&self) -> String {
        self.texte.trim().chars().take(5000).collect()
    }

    pub fn family(&self) -> Option<u64> {
        self.famille.parse().ok()
    }
}

/// A guardian's offer to accompany: `proposer` or `retirer`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OfferFields {
    pub action: String,
}

/// The author's choice about one volunteer: `confirmer` or `ne-pas-retenir`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChoiceFields {
    pub responsable: u64,
    pub decision: String,
}

/// `?manquants=1`: slips for the families who have not signed only.
#[derive(Debug, Deserialize)]
pub struct SlipQuery {
    pub manquants: Option<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_are_read_and_a_crafted_one_is_refused() {
        assert_eq!(parse_audience("c3"), Some(Audience::Class(3)));
        assert_eq!(parse_audience("ecole"), Some(Audience::School));
        assert_eq!(parse_audience("e12"), Some(Audience::Pupil(12)));
        for bad in ["x3", "c", "", "é1", "cé"] {
            assert_eq!(parse_audience(bad), None, "{bad}");
        }
        let texts = vec![
            ("title".to_string(), "Sortie".to_string()),
            ("audience".to_string(), "c1".to_string()),
            ("audience".to_string(), "g2".to_string()),
        ];
        let f: MotFields = typed(&texts).unwrap();
        assert_eq!(f.title, "Sortie");
        assert_eq!(f.audience, ["c1", "g2"]);
    }
}
