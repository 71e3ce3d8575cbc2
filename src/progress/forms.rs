//! The forms of the carnet de suivi, read into what the model takes, each refusal in
//! French beside its field, what was typed kept.

use jiff::civil::Date;

use super::attendus::domain_of;
use super::carnet::{MAX_COMMENT, MAX_SENTENCE};
use super::reference::Domain;
use crate::attachments::Attachment;
use crate::ui::form::{all_values, first_value, FormState};

/// A réussite's fields, as checked.
pub struct Fields {
    pub day: Option<Date>,
    pub domain: Option<Domain>,
    pub sentence: String,
    pub attendu: Option<String>,
}

/// The fields every réussite form has (date, domain, sentence, the attendu picked if
/// any, among `attendus`); `today` bounds the date. An attendu picked without a domain
/// gives its own.
pub fn check_reussite(
    texts: &[(String, String)],
    today: Date,
    attendus: &[(Domain, Vec<String>)],
) -> (FormState, Fields) {
    let mut form = FormState::new();
    for name in ["date", "domaine", "phrase", "attendu"] {
        form.set(name, first_value(texts, name));
    }
    let picked = form.value("attendu").trim().to_string();
    let (attendu, attendu_domain) = if picked.is_empty() {
        (None, None)
    } else {
        match domain_of(attendus, &picked) {
            Some(d) => (Some(picked), Some(d)),
            None => {
                form.error(
                    "attendu",
                    "Cet attendu n'est plus dans la liste de l'école : choisissez-en un autre, ou aucun.",
                );
                (None, None)
            }
        }
    };
    let day = crate::ui::dates::parse_date(form.value("date"));
    match day {
        None => form.error("date", "Indiquez le jour de la réussite."),
        Some(d) if d > today => form.error(
            "date",
            "Ce jour n'est pas encore arrivé : une réussite se note le jour même ou après.",
        ),
        Some(_) => {}
    }
    let domain = Domain::from_slug(form.value("domaine")).or(attendu_domain);
    match (domain, attendu_domain) {
        (None, _) => form.error("domaine", "Choisissez le domaine d'apprentissage."),
        (Some(d), Some(a)) if d != a => form.error(
            "attendu",
            format!(
                "Cet attendu est du domaine « {} » : choisissez ce domaine, ou un autre attendu.",
                a.label()
            ),
        ),
        _ => {}
    }
    if let Some(d) = domain {
        form.set("domaine", d.slug());
    }
    let sentence = form.required("phrase", "ce que l'enfant a réussi");
    if sentence.chars().count() > MAX_SENTENCE {
        form.error(
            "phrase",
            format!("La phrase est trop longue ({MAX_SENTENCE} caractères au plus) : une phrase courte, que l'enfant comprend."),
        );
    }
    (
        form,
        Fields {
            day,
            domain,
            sentence,
            attendu,
        },
    )
}

/// The children ticked, among those of the class (anything else is ignored).
pub fn ticked(texts: &[(String, String)], pupils: &[u64], form: &mut FormState) -> Vec<u64> {
    let chosen: Vec<u64> = all_values(texts, "eleves")
        .iter()
        .filter_map(|v| v.parse().ok())
        .filter(|id| pupils.contains(id))
        .collect();
    if chosen.is_empty() {
        form.error(
            "eleves",
            "Cochez au moins un enfant : ceux qui ont réussi ensemble reçoivent chacun la réussite.",
        );
    }
    form.set(
        "eleves",
        chosen
            .iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
            .join(","),
    );
    chosen
}

/// The photo, sound or video sent with the form (taken on the tablet or picked from the
/// médiathèque): one at most; the refusals beside the field.
pub fn photo(
    files: Vec<Attachment>,
    errors: &[String],
    form: &mut FormState,
) -> Option<Attachment> {
    if let Some(e) = errors.first() {
        form.error("photo", e.clone());
        return None;
    }
    let mut files = files.into_iter();
    let first = files.next()?;
    if !["image/", "audio/", "video/"]
        .iter()
        .any(|k| first.mime.starts_with(k))
    {
        form.error(
            "photo",
            format!(
                "« {} » n'est ni une photo, ni un son, ni une vidéo.",
                first.name
            ),
        );
        return None;
    }
    if files.next().is_some() {
        form.error(
            "photo",
            "Une seule photo, un seul son ou une seule vidéo par réussite.",
        );
        return None;
    }
    Some(first)
}

/// A comment on a share: its text, or the refusal beside the field.
pub fn check_comment(text: &str) -> Result<String, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        Err("Écrivez votre commentaire.")
    } else if text.chars().count() > MAX_COMMENT {
        Err("Le commentaire est trop long (2 000 caractères au plus).")
    } else {
        Ok(text.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_reussite_is_refused_field_by_field_and_keeps_what_was_typed() {
        let today: Date = "2026-03-10".parse().unwrap();
        let (form, f) = check_reussite(
            &texts(&[("date", "2026-03-11"), ("domaine", "x"), ("phrase", " ")]),
            today,
            &[],
        );
        assert!(form.errors.contains_key("date"), "a day to come");
        assert!(form.errors.contains_key("domaine"));
        assert!(form.errors.contains_key("phrase"));
        assert_eq!(form.value("date"), "2026-03-11", "what was typed stays");
        assert!(f.domain.is_none());
        let (form, f) = check_reussite(
            &texts(&[
                ("date", "2026-03-10"),
                ("domaine", "explorer-le-monde"),
                ("phrase", "Je sais planter une graine"),
            ]),
            today,
            &[],
        );
        assert!(form.is_ok());
        assert_eq!(f.domain, Some(Domain::ExplorerMonde));
        assert_eq!(f.attendu, None);
    }

    #[test]
    fn an_attendu_gives_its_domain_and_must_be_of_the_lists() {
        let today: Date = "2026-03-10".parse().unwrap();
        let lists = vec![(Domain::Langage, vec!["Dire une comptine".to_string()])];
        let typed = |domain: &str, attendu: &str| {
            check_reussite(
                &texts(&[
                    ("date", "2026-03-10"),
                    ("domaine", domain),
                    ("phrase", "Je sais dire Une souris verte"),
                    ("attendu", attendu),
                ]),
                today,
                &lists,
            )
        };
        let (form, f) = typed("", "Dire une comptine");
        assert!(form.is_ok());
        assert_eq!(f.domain, Some(Domain::Langage));
        assert_eq!(f.attendu.as_deref(), Some("Dire une comptine"));
        let (form, _) = typed("explorer-le-monde", "Dire une comptine");
        assert!(form.errors.contains_key("attendu"), "another domain");
        let (form, _) = typed("langage", "Savoir voler");
        assert!(form.errors.contains_key("attendu"), "not in the lists");
    }

    #[test]
    fn only_children_of_the_class_are_taken_and_one_is_needed() {
        let mut form = FormState::new();
        let chosen = ticked(
            &texts(&[("eleves", "4"), ("eleves", "99"), ("eleves", "5")]),
            &[4, 5, 6],
            &mut form,
        );
        assert_eq!(chosen, vec![4, 5]);
        assert!(form.is_ok());
        let mut form = FormState::new();
        assert!(ticked(&texts(&[("eleves", "99")]), &[4], &mut form).is_empty());
        assert!(form.errors.contains_key("eleves"));
    }
}
