//! The messagerie's typed inputs, with the checks that return the form to show again with
//! a French sentence beside each field.

use serde::Deserialize;

use super::targets::{Choices, Target};
use super::{Draft, Folder, PurgePlan};
use crate::attachments;
use crate::directory::people::People;
use crate::policy::communication::{Circle, CommRules, Reach};
use crate::ui::dates;
use crate::ui::form::FormState;

/// `/messagerie?dossier=…&q=…`
#[derive(Deserialize)]
pub struct FolderQuery {
    pub dossier: Option<String>,
    pub q: Option<String>,
    pub page: Option<String>,
}

/// `/messagerie/ecrire?…`: what the new message starts from.
#[derive(Deserialize, Default)]
pub struct ComposeQuery {
    pub brouillon: Option<u64>,
    pub repondre: Option<u64>,
    #[serde(rename = "repondre-a-tous")]
    pub repondre_a_tous: Option<u64>,
    pub transferer: Option<u64>,
    pub a: Option<String>,
}

/// The texts of the compose form (its files come through `attachments::read_form`).
/// Numbers and recipients stay text here: a stale or junk value is answered beside its
/// field, not by refusing the whole form.
#[derive(Deserialize, Default)]
pub struct ComposeForm {
    #[serde(default)]
    pub brouillon: String,
    #[serde(default)]
    pub en_reponse_a: String,
    /// Blobs of the carried attachments to keep.
    #[serde(default)]
    pub garder: Vec<String>,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub cc: Vec<String>,
    #[serde(default)]
    pub bcc: Vec<String>,
    /// « envoyer » or « brouillon ».
    #[serde(default)]
    pub action: String,
}

/// The recipients chosen, each field's list without repeats, and the codes naming nobody
/// of the school (field, code).
pub struct Chosen {
    pub to: Vec<Target>,
    pub cc: Vec<Target>,
    pub bcc: Vec<Target>,
    pub unknown: Vec<(&'static str, String)>,
}

impl ComposeForm {
    /// The texts of a multipart form, read as the typed form.
    pub fn from_texts(texts: &[(String, String)]) -> ComposeForm {
        // Every field is text with a default, so only a form that is not one at all (a
        // body that does not encode) fails: it is then an empty message, refused below.
        serde_urlencoded::to_string(texts)
            .ok()
            .and_then(|encoded| serde_html_form::from_str(&encoded).ok())
            .unwrap_or_default()
    }

    pub fn draft_id(&self) -> Option<u64> {
        self.brouillon.parse().ok()
    }

    pub fn in_reply_to(&self) -> Option<u64> {
        self.en_reponse_a.parse().ok()
    }

    pub fn saves_draft(&self) -> bool {
        self.action == "brouillon"
    }

    pub fn chosen(&self) -> Chosen {
        let mut unknown = Vec::new();
        let mut parse = |field: &'static str, values: &[String]| -> Vec<Target> {
            let mut out = Vec::new();
            for v in values {
                match Target::parse(v) {
                    Some(t) if !out.contains(&t) => out.push(t),
                    Some(_) => {}
                    None => unknown.push((field, v.clone())),
                }
            }
            out
        };
        let to = parse("to", &self.to);
        let cc = parse("cc", &self.cc);
        let bcc = parse("bcc", &self.bcc);
        Chosen {
            to,
            cc,
            bcc,
            unknown,
        }
    }

    /// The subject as stored: trimmed, cut to its limit.
    pub fn subject(&self) -> String {
        self.subject
            .trim()
            .chars()
            .take(super::MAX_SUBJECT)
            .collect()
    }

    /// The form as typed, to show again.
    pub fn state(&self) -> FormState {
        FormState::with_values([
            ("subject", self.subject.clone()),
            ("body", self.body.clone()),
        ])
    }
}

/// What sending a message is checked against, besides the message itself.
pub struct SendChecks<'a> {
    pub people: &'a People,
    pub sender: u64,
    /// Whom the rules let the sender write to.
    pub options: &'a Choices,
    /// Why the sender's messagerie is suspended, if it is.
    pub suspended: Option<&'a str>,
    /// Codes naming nobody of the school (field, code).
    pub unknown: &'a [(&'static str, String)],
    /// The upload's refusals (type, size).
    pub upload_errors: &'a [String],
    /// Bytes of every attachment, kept and new.
    pub attachments_total: u64,
}

/// Checks a message before sending, each refusal beside the field it concerns.
pub fn check_message(form: &mut FormState, draft: &Draft, c: &SendChecks<'_>) {
    if let Some(why) = c.suspended {
        form.error("to", why);
    }
    for (field, value) in c.unknown {
        form.error(field, format!("« {value} » n'est pas un destinataire de l'école : la messagerie est fermée aux adresses extérieures."));
    }
    check_recipients(form, draft, c);
    if draft.subject.is_empty() {
        form.error("subject", "Donnez un objet à votre message.");
    }
    if draft.body.trim().is_empty() {
        form.error("body", "Le message est vide.");
    } else if draft.body.chars().count() > super::MAX_BODY {
        form.error(
            "body",
            format!(
                "Le message est trop long ({} caractères au plus).",
                super::MAX_BODY
            ),
        );
    }
    if !c.upload_errors.is_empty() {
        form.error("files", c.upload_errors.join(" "));
    }
    if c.attachments_total > attachments::TOTAL_LIMIT {
        form.error(
            "files",
            format!(
                "Les pièces jointes dépassent {} au total.",
                attachments::size_text(attachments::TOTAL_LIMIT)
            ),
        );
    }
}

/// At least one recipient, not too many, each within the rules, and someone behind them.
fn check_recipients(form: &mut FormState, draft: &Draft, c: &SendChecks<'_>) {
    if draft.to.is_empty() && draft.cc.is_empty() && draft.bcc.is_empty() {
        form.error("to", "Choisissez au moins un destinataire.");
    }
    let chosen = draft.to.len() + draft.cc.len() + draft.bcc.len();
    if chosen > super::MAX_TARGETS {
        form.error("to", format!("Trop de destinataires ({chosen}) : {} au plus. Utilisez les listes (une classe, un groupe).", super::MAX_TARGETS));
        return;
    }
    for (field, list) in [("to", &draft.to), ("cc", &draft.cc), ("bcc", &draft.bcc)] {
        let refused: Vec<String> = list
            .iter()
            .filter(|t| !c.options.contains(**t))
            .map(|t| t.label(c.people))
            .collect();
        if !refused.is_empty() {
            form.error(
                field,
                format!(
                    "Les règles de l'école ne vous permettent pas d'écrire à : {}.",
                    refused.join(", ")
                ),
            );
        }
    }
    let (all, _) = super::sending::recipients(c.people, c.sender, draft);
    if all.len() > super::MAX_RECIPIENTS {
        form.error(
            "to",
            format!(
                "Ce message irait à {} personnes : {} au plus.",
                all.len(),
                super::MAX_RECIPIENTS
            ),
        );
    } else if all.is_empty() && !form.errors.contains_key("to") {
        form.error(
            "to",
            "Les listes choisies ne contiennent personne pour le moment.",
        );
    }
}

/// `/messagerie/:id/deplacer`
#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    pub dossier: String,
}

impl MoveForm {
    /// A folder one files into (not the trash nor the drafts: they have their own ways).
    pub fn folder(&self) -> Option<Folder> {
        Folder::parse(&self.dossier).filter(|f| !matches!(f, Folder::Trash | Folder::Drafts))
    }
}

/// `/messagerie/dossiers`
#[derive(Deserialize)]
pub struct NewFolder {
    #[serde(default)]
    pub name: String,
}

impl NewFolder {
    pub fn name(&self) -> String {
        self.name.trim().chars().take(60).collect()
    }
}

/// `/messagerie/:id/signaler`
#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub motif: String,
}

/// `/messagerie/moderation/classes`: the classes shown, and those ticked.
#[derive(Deserialize)]
pub struct ModerationClasses {
    /// The classes the page listed, comma-separated: unticked ones are let go.
    #[serde(default)]
    pub vues: String,
    #[serde(default)]
    pub classe: Vec<String>,
}

impl ModerationClasses {
    pub fn shown(&self) -> Vec<u64> {
        self.vues
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect()
    }

    pub fn ticked(&self) -> Vec<u64> {
        self.classe.iter().filter_map(|s| s.parse().ok()).collect()
    }
}

/// `/messagerie/moderation/:id`: approve, or refuse with a word for the pupil.
#[derive(Deserialize)]
pub struct Decision {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub mot: String,
}

impl Decision {
    pub fn approves(&self) -> bool {
        self.action == "valider"
    }

    pub fn note(&self) -> &str {
        self.mot.trim()
    }
}

/// `/admin/communication`: the rules circle by circle (`r-<from>-<to>` = a reach), the
/// switches, the purge.
#[derive(Deserialize)]
pub struct CommunicationForm {
    /// « 1 »: back to the school's default rules.
    #[serde(default)]
    pub defaults: String,
    #[serde(default)]
    pub suspend_pupils: String,
    #[serde(default)]
    pub suspend_parents: String,
    #[serde(default)]
    pub suspend_everyone: String,
    #[serde(default)]
    pub whole_school_direction_only: String,
    #[serde(default)]
    pub purge_cancel: String,
    #[serde(default)]
    pub purge_day: String,
    #[serde(default)]
    pub purge_before: String,
    /// The other fields: the reaches, named by their two circles.
    #[serde(flatten)]
    pub reaches: std::collections::BTreeMap<String, String>,
}

impl CommunicationForm {
    /// The rules asked for, from those in force.
    pub fn rules(&self, before: &CommRules) -> CommRules {
        let mut rules = if self.defaults == "1" {
            CommRules::default()
        } else {
            let mut r = before.clone();
            for from in Circle::ALL {
                for to in Circle::ALL {
                    let field = format!("r-{}-{}", from.slug(), to.slug());
                    if let Some(reach) = self.reaches.get(&field).and_then(|v| Reach::from_slug(v))
                    {
                        r.set(from, to, reach);
                    }
                }
            }
            r
        };
        rules.suspend_pupils = self.suspend_pupils == "1";
        rules.suspend_parents = self.suspend_parents == "1";
        rules.suspend_everyone = self.suspend_everyone == "1";
        rules.whole_school_direction_only = self.whole_school_direction_only == "1";
        rules
    }

    /// The purge asked for, from the one announced: the plan kept when the dates are
    /// refused, with the reason.
    pub fn purge(
        &self,
        announced: Option<&PurgePlan>,
        now: i64,
    ) -> (Option<PurgePlan>, Option<&'static str>) {
        if self.purge_cancel == "1" {
            return (None, None);
        }
        let (day, cutoff) = (&self.purge_day, &self.purge_before);
        match (dates::parse_date(day), dates::parse_date(cutoff)) {
            (Some(d), Some(c)) => {
                let (today, _) = dates::local_day_and_hour(now);
                if d <= today {
                    (announced.cloned(), Some("La purge doit être annoncée à l'avance : choisissez une date à venir."))
                } else if c > d {
                    (announced.cloned(), Some("La date limite des messages à supprimer doit précéder le jour de la purge."))
                } else {
                    let plan = PurgePlan {
                        day: d.to_string(),
                        before: dates::start_of_day(c),
                        announced_at: announced.map(|p| p.announced_at).unwrap_or(now),
                    };
                    (Some(plan), None)
                }
            }
            (None, None) if day.is_empty() && cutoff.is_empty() => (announced.cloned(), None),
            _ => (announced.cloned(), Some("Indiquez les deux dates de la purge (jour de la purge et date limite des messages).")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_communication_form_reads_reaches_switches_and_a_purge() {
        let form: CommunicationForm = serde_html_form::from_str(
            "csrf=x&r-parents-parents=tous&whole_school_direction_only=1&purge_day=&purge_before=",
        )
        .unwrap();
        let rules = form.rules(&CommRules::default());
        let parents = Circle::from_slug("parents").unwrap();
        assert_eq!(
            rules.get(parents, parents),
            Reach::from_slug("tous").unwrap()
        );
        assert!(rules.whole_school_direction_only && !rules.suspend_everyone);
        assert_eq!(form.purge(None, 0), (None, None));
    }

    #[test]
    fn compose_texts_keep_repeated_recipients() {
        let texts: Vec<(String, String)> = [("to", "u1"), ("to", "u2"), ("subject", "Sortie")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .to_vec();
        let form = ComposeForm::from_texts(&texts);
        assert_eq!(form.to, ["u1", "u2"]);
        assert_eq!(form.subject(), "Sortie");
    }
}
