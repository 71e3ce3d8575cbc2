//! The teacher's forms of the exercises: a new exercise (typed) and a question (the texts
//! of a multipart form), checked, with the French error to show.

use serde::Deserialize;

use super::{blanks, QuestionKind};
use crate::directory::people::People;
use crate::pedagogy::{scope_choices, Scope};
use crate::ui::form::{all_values, first_value, FormState};

/// The new exercise form.
#[derive(Deserialize)]
pub struct NewExercise {
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub instructions: String,
}

/// A new exercise that passed its checks: for whom, title, instructions.
pub struct Draft {
    pub scope: Scope,
    pub title: String,
    pub instructions: String,
}

impl NewExercise {
    /// Checks the form for `class`, or gives it back with its errors.
    pub fn check(self, people: &People, class: u64) -> Result<Draft, FormState> {
        let mut form = FormState::with_values([
            ("scope", self.scope),
            ("title", self.title),
            ("instructions", self.instructions),
        ]);
        let scope = Scope::parse(form.value("scope")).filter(|s| {
            scope_choices(people, class)
                .iter()
                .any(|(c, _)| *c == s.code())
        });
        if scope.is_none() {
            form.error("scope", "Choisissez pour qui.");
        }
        let title = form.required("title", "le titre");
        match scope {
            Some(scope) if form.is_ok() => Ok(Draft {
                scope,
                title,
                instructions: form.value("instructions").trim().to_string(),
            }),
            _ => Err(form),
        }
    }
}

/// Builds a question from the teacher's form; the error says what is missing.
pub fn build_question(
    kind: &str,
    texts: &[(String, String)],
) -> std::result::Result<(String, QuestionKind), String> {
    let prompt = first_value(texts, "prompt").trim().to_string();
    if prompt.is_empty() {
        return Err("Écrivez la question ou la consigne.".into());
    }
    let lines = |name: &str| -> Vec<String> {
        first_value(texts, name)
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let kind = match kind {
        "choix" => {
            let mut options = Vec::new();
            let mut correct = Vec::new();
            let ticked = all_values(texts, "bonne");
            for i in 0..5 {
                let o = first_value(texts, &format!("option{i}")).trim().to_string();
                if !o.is_empty() {
                    if ticked.contains(&i.to_string()) {
                        correct.push(options.len());
                    }
                    options.push(o);
                }
            }
            if options.len() < 2 {
                return Err("Écrivez au moins deux réponses possibles.".into());
            }
            if correct.is_empty() {
                return Err("Cochez au moins une bonne réponse : sans elle, l'exercice ne peut pas être corrigé.".into());
            }
            QuestionKind::Choice { options, correct }
        }
        "trous" => {
            let text = first_value(texts, "text").trim().to_string();
            let (words, _) = blanks(&text);
            if words.is_empty() || words.iter().any(|w| w.is_empty()) {
                return Err(
                    "Mettez au moins un mot à trouver entre crochets, par ex. « Le [chat] dort. »"
                        .into(),
                );
            }
            QuestionKind::Blanks { text }
        }
        "ordre" => {
            let items = lines("items");
            if items.len() < 2 {
                return Err(
                    "Écrivez au moins deux éléments à remettre dans l'ordre, un par ligne.".into(),
                );
            }
            QuestionKind::Order { items }
        }
        "paires" => {
            let mut pairs = Vec::new();
            for l in lines("pairs") {
                let Some((a, b)) = l.split_once('=') else {
                    return Err(format!(
                        "La ligne « {l} » n'a pas de signe « = » entre les deux éléments."
                    ));
                };
                if a.trim().is_empty() || b.trim().is_empty() {
                    return Err(format!("La ligne « {l} » a un côté vide."));
                }
                pairs.push((a.trim().to_string(), b.trim().to_string()));
            }
            if pairs.len() < 2 {
                return Err(
                    "Écrivez au moins deux paires, une par ligne : gauche = droite.".into(),
                );
            }
            QuestionKind::Pairs { pairs }
        }
        _ => return Err("Type de question inconnu.".into()),
    };
    Ok((prompt, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_without_a_right_answer_are_refused() {
        let f = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        assert!(build_question(
            "choix",
            &f(&[("prompt", "Q"), ("option0", "a"), ("option1", "b")])
        )
        .unwrap_err()
        .contains("Cochez"));
        assert!(build_question(
            "choix",
            &f(&[
                ("prompt", "Q"),
                ("option0", "a"),
                ("option1", "b"),
                ("bonne", "1")
            ])
        )
        .is_ok());
        assert!(
            build_question("trous", &f(&[("prompt", "Q"), ("text", "sans crochets")]))
                .unwrap_err()
                .contains("crochets")
        );
        assert!(build_question("trous", &f(&[("prompt", "Q"), ("text", "vide []")])).is_err());
        assert!(build_question("ordre", &f(&[("prompt", "Q"), ("items", "seul")])).is_err());
        assert!(
            build_question("paires", &f(&[("prompt", "Q"), ("pairs", "a = b\nc d")]))
                .unwrap_err()
                .contains("« = »")
        );
        assert!(
            build_question("paires", &f(&[("prompt", ""), ("pairs", "a = b\nc = d")])).is_err(),
            "no prompt"
        );
        let (_, k) =
            build_question("paires", &f(&[("prompt", "Q"), ("pairs", "a = b\nc = d")])).unwrap();
        assert_eq!(
            k,
            QuestionKind::Pairs {
                pairs: vec![("a".into(), "b".into()), ("c".into(), "d".into())]
            }
        );
    }
}
