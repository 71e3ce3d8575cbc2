//! What goes in the archive: one record type per part, serialised as is to the JSON file
//! and rendered to the HTML file (French, plain: the HTML is read offline, in any
//! browser). Names are resolved when the records are gathered; plain text is shown as
//! typed (escaped); rich text (messages, mots, articles) goes through the one sanitiser,
//! as the application shows it.

use std::collections::HashSet;

use maud::{html, Markup};
use serde::Serialize;

use crate::ui::dates;

/// One record of a part: its data (JSON), its block of the HTML page, its files.
pub trait Record: Serialize {
    fn html(&self, missing: &HashSet<String>) -> Markup;
    fn files(&self) -> Vec<&FileOut> {
        Vec::new()
    }
}

/// A file copied into the archive (`path` inside it).
#[derive(Debug, Clone, Serialize)]
pub struct FileOut {
    pub name: String,
    pub mime: String,
    pub size: u64,
    pub path: String,
    /// The stored content (by its hash): never a name from a form.
    #[serde(skip)]
    pub blob: String,
    /// The person's own file: sent as stored. Anyone else's goes through the publishing
    /// step, as it would in the application.
    #[serde(skip)]
    pub own: bool,
}

/// An instant for the JSON (RFC 3339, UTC).
pub fn iso(micros: i64) -> String {
    jiff::Timestamp::from_microsecond(micros)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

fn when(micros: i64) -> String {
    dates::short_datetime(micros)
}

/// An instant of the JSON as the HTML shows it (« 30/11/2026 08:20 », Paris time).
fn fr(iso: &str) -> String {
    iso.parse::<jiff::Timestamp>()
        .map(|t| when(t.as_microsecond()))
        .unwrap_or_else(|_| iso.to_string())
}

fn text(t: &str) -> Markup {
    html! { div.text { (t) } }
}

/// A text written in the light Markdown of the ENT, as the application shows it.
fn rich(t: &str) -> Markup {
    html! { div.richtext { (crate::ui::richtext::render(t)) } }
}

/// A calendar date of the JSON (« 2018-10-22 ») as the HTML shows it (« 22 octobre
/// 2018 », 1er for the first day), as is when it is not a date.
fn day(iso: &str) -> String {
    match iso.trim().parse::<jiff::civil::Date>() {
        Ok(d) => dates::calendar_date(d),
        Err(_) => iso.to_string(),
    }
}

fn files(list: &[FileOut], missing: &HashSet<String>) -> Markup {
    html! {
        @if !list.is_empty() {
            ul.files {
                @for f in list {
                    li {
                        @if missing.contains(&f.path) {
                            (f.name) " (fichier introuvable)"
                        } @else {
                            a href=(f.path) { (f.name) }
                        }
                        " — " (crate::attachments::size_text(f.size))
                    }
                }
            }
        }
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "—".into()
    } else {
        items.join(", ")
    }
}

#[derive(Serialize)]
pub struct Profile {
    pub id: u64,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub usage_name: Option<String>,
    pub profile: String,
    /// For the JSON only: the page shows the French name.
    pub national_code: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: String,
    pub charter_version_accepted: u32,
    pub disabled: bool,
    pub classes: Vec<String>,
    pub groups: Vec<String>,
    pub children: Vec<String>,
    pub guardians: Vec<String>,
    pub pupil: Option<PupilRecord>,
    pub guardian: Option<GuardianRecord>,
}

#[derive(Serialize)]
pub struct PupilRecord {
    pub birth_date: String,
    pub ine: Option<String>,
    pub sex: Option<String>,
    pub level: Option<String>,
    pub cycle: Option<String>,
    pub photo_consent_declared: Option<bool>,
}

#[derive(Serialize)]
pub struct GuardianRecord {
    pub civility: Option<String>,
    pub address: Option<String>,
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "Oui",
        Some(false) => "Non",
        None => "—",
    }
}

impl Record for Profile {
    fn html(&self, _: &HashSet<String>) -> Markup {
        html! {
            dl {
                dt { "Prénom" } dd { (self.first_name) }
                dt { "Nom" } dd { (self.last_name) }
                @if let Some(u) = &self.usage_name { dt { "Nom d'usage" } dd { (u) } }
                dt { "Identifiant" } dd { (self.login) }
                dt { "Profil" } dd { (self.profile) }
                dt { "Courriel" } dd { (self.email.as_deref().unwrap_or("—")) }
                dt { "Téléphone" } dd { (self.phone.as_deref().unwrap_or("—")) }
                dt { "Compte créé le" } dd { (fr(&self.created_at)) }
                dt { "Version de la charte acceptée" } dd { (self.charter_version_accepted) }
                dt { "Compte désactivé" } dd { (if self.disabled { "Oui" } else { "Non" }) }
                dt { "Classes" } dd { (list(&self.classes)) }
                dt { "Groupes" } dd { (list(&self.groups)) }
                @if !self.children.is_empty() { dt { "Enfants" } dd { (list(&self.children)) } }
                @if !self.guardians.is_empty() { dt { "Responsables légaux" } dd { (list(&self.guardians)) } }
                @if let Some(p) = &self.pupil {
                    dt { "Date de naissance" } dd { (day(&p.birth_date)) }
                    dt { "INE" } dd { (p.ine.as_deref().unwrap_or("—")) }
                    dt { "Niveau" } dd { (p.level.as_deref().unwrap_or("—")) }
                    dt { "Autorisation photo déclarée à l'inscription" } dd { (yes_no(p.photo_consent_declared)) }
                }
                @if let Some(g) = &self.guardian {
                    dt { "Civilité" } dd { (g.civility.as_deref().unwrap_or("—")) }
                    dt { "Adresse" } dd { (g.address.as_deref().unwrap_or("—")) }
                }
            }
        }
    }
}

#[derive(Serialize)]
pub struct Connection {
    pub at: String,
    #[serde(skip)]
    pub at_us: i64,
    pub kind: String,
    pub login: String,
    pub address: String,
}

impl Record for Connection {
    fn html(&self, _: &HashSet<String>) -> Markup {
        html! { p.row { (when(self.at_us)) " — " (self.kind) " — " (self.login) " — " (self.address) } }
    }
}

#[derive(Serialize)]
pub struct Message {
    pub id: u64,
    pub thread: u64,
    pub folder: String,
    pub read: bool,
    pub from: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// Only in the author's own archive, as in the application.
    pub bcc: Vec<String>,
    pub subject: String,
    pub body: String,
    /// « brouillon », « envoyé », « reçu »…
    pub state: String,
    /// Written by the person (sent or draft) rather than received.
    #[serde(skip)]
    pub own: bool,
    pub created_at: String,
    #[serde(skip)]
    pub date_us: i64,
    pub attachments: Vec<FileOut>,
}

impl Record for Message {
    fn html(&self, missing: &HashSet<String>) -> Markup {
        html! {
            article {
                h2 { (self.subject) }
                p.meta {
                    "De : " (self.from) br;
                    "À : " (list(&self.to))
                    @if !self.cc.is_empty() { br; "Copie : " (list(&self.cc)) }
                    @if !self.bcc.is_empty() { br; "Copie cachée : " (list(&self.bcc)) }
                    br; (when(self.date_us)) " — dossier « " (self.folder) " » — " (self.direction())
                }
                (rich(&self.body))
                (files(&self.attachments, missing))
            }
        }
    }
    fn files(&self) -> Vec<&FileOut> {
        self.attachments.iter().collect()
    }
}

impl Message {
    /// « reçu de X », « envoyé à Y », or the state of one's own unsent message.
    fn direction(&self) -> String {
        match self.state.as_str() {
            "envoyé" | "reçu" if self.own => format!("envoyé à {}", list(&self.to)),
            "envoyé" | "reçu" => format!("reçu de {}", self.from),
            other => other.to_string(),
        }
    }
}

#[derive(Serialize)]
pub struct Signature {
    pub child: String,
    pub guardian: String,
    pub read_at: Option<String>,
    pub signed_at: Option<String>,
    pub answer: Option<bool>,
}

#[derive(Serialize)]
pub struct Reply {
    pub from: String,
    pub text: String,
    pub at: String,
}

#[derive(Serialize)]
pub struct Mot {
    pub id: u64,
    pub at: String,
    #[serde(skip)]
    pub at_us: i64,
    pub from: String,
    pub kind: String,
    pub to: Vec<String>,
    pub children: Vec<String>,
    pub title: String,
    pub body: String,
    pub question: Option<String>,
    pub deadline: Option<String>,
    pub attachments: Vec<FileOut>,
    pub signatures: Vec<Signature>,
    pub replies: Vec<Reply>,
}

impl Record for Mot {
    fn html(&self, missing: &HashSet<String>) -> Markup {
        html! {
            article {
                h2 { (self.title) }
                p.meta {
                    (self.kind) " — de : " (self.from) br;
                    "À : " (list(&self.to)) br;
                    "Élève(s) : " (list(&self.children)) br;
                    (when(self.at_us))
                }
                (rich(&self.body))
                @if let Some(q) = &self.question {
                    p { "Question : " (q) @if let Some(d) = &self.deadline { " (réponse jusqu'au " (fr(d)) ")" } }
                }
                (files(&self.attachments, missing))
                @for s in &self.signatures {
                    p.meta {
                        (s.guardian) " pour " (s.child) " : "
                        @if s.signed_at.is_some() { "signé" } @else if s.read_at.is_some() { "lu, non signé" } @else { "non lu" }
                        @if s.answer.is_some() { ", réponse : " (yes_no(s.answer)) }
                    }
                }
                @for r in &self.replies {
                    blockquote { p.meta { (r.from) " — " (fr(&r.at)) } (text(&r.text)) }
                }
            }
        }
    }
    fn files(&self) -> Vec<&FileOut> {
        self.attachments.iter().collect()
    }
}

#[derive(Serialize)]
pub struct MediaItem {
    pub id: u64,
    pub space: String,
    pub folder: Option<u64>,
    pub name: String,
    pub kind: String,
    pub link: Option<String>,
    pub created_at: String,
    pub in_trash: bool,
    pub file: Option<FileOut>,
}

impl Record for MediaItem {
    fn html(&self, missing: &HashSet<String>) -> Markup {
        html! {
            article {
                h2 { (self.name) }
                p.meta { (self.kind) " — espace « " (self.space) " » — ajouté le " (fr(&self.created_at)) @if self.in_trash { " — dans la corbeille" } }
                @if let Some(l) = &self.link { p { "Lien : " (l) } }
                @if let Some(f) = &self.file { (files(std::slice::from_ref(f), missing)) }
            }
        }
    }
    fn files(&self) -> Vec<&FileOut> {
        self.file.iter().collect()
    }
}

#[derive(Serialize)]
pub struct Version {
    pub at: String,
    pub text: String,
    pub files: Vec<FileOut>,
}

#[derive(Serialize)]
pub struct Feedback {
    pub at: String,
    pub from: String,
    pub text: String,
    pub files: Vec<FileOut>,
}

#[derive(Serialize)]
pub struct HandIn {
    pub work: u64,
    pub title: String,
    pub subject: String,
    pub due: String,
    pub status: String,
    pub versions: Vec<Version>,
    pub feedback: Vec<Feedback>,
}

impl Record for HandIn {
    fn html(&self, missing: &HashSet<String>) -> Markup {
        html! {
            article {
                h2 { (self.subject) " — " (self.title) }
                p.meta { "Pour le " (self.due) " — " (self.status) }
                @for (i, v) in self.versions.iter().enumerate() {
                    h3 { "Version " (i + 1) " (" (fr(&v.at)) ")" }
                    (text(&v.text))
                    (files(&v.files, missing))
                }
                @for f in &self.feedback {
                    h3 { "Retour de " (f.from) " (" (fr(&f.at)) ")" }
                    (text(&f.text))
                    (files(&f.files, missing))
                }
            }
        }
    }
    fn files(&self) -> Vec<&FileOut> {
        self.versions
            .iter()
            .flat_map(|v| v.files.iter())
            .chain(self.feedback.iter().flat_map(|f| f.files.iter()))
            .collect()
    }
}

#[derive(Serialize)]
pub struct Attempt {
    pub at: String,
    pub correct: usize,
    pub questions: usize,
}

#[derive(Serialize)]
pub struct ExerciseResult {
    pub exercise: u64,
    pub title: String,
    pub attempts: Vec<Attempt>,
}

impl Record for ExerciseResult {
    fn html(&self, _: &HashSet<String>) -> Markup {
        html! {
            article {
                h2 { (self.title) }
                ul { @for a in &self.attempts { li { (fr(&a.at)) " : " (a.correct) " / " (a.questions) } } }
            }
        }
    }
}

#[derive(Serialize)]
pub struct Article {
    pub id: u64,
    pub blog: String,
    pub title: String,
    pub body: String,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
    pub media: Vec<FileOut>,
}

impl Record for Article {
    fn html(&self, missing: &HashSet<String>) -> Markup {
        html! {
            article {
                h2 { (self.title) }
                p.meta { "Blog « " (self.blog) " » — " (self.status) " — écrit le " (fr(&self.created_at)) }
                (rich(&self.body))
                (files(&self.media, missing))
            }
        }
    }
    fn files(&self) -> Vec<&FileOut> {
        self.media.iter().collect()
    }
}

#[derive(Serialize)]
pub struct Comment {
    pub id: u64,
    pub article: u64,
    pub article_title: String,
    pub text: String,
    pub at: String,
    pub pending: bool,
}

impl Record for Comment {
    fn html(&self, _: &HashSet<String>) -> Markup {
        html! {
            article {
                p.meta { "Sur « " (self.article_title) " », le " (fr(&self.at)) @if self.pending { " (en attente de validation)" } }
                (text(&self.text))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_rfc_3339_in_the_json_and_french_in_the_page() {
        let at = 1_764_489_600_000_000; // 2025-11-30 08:00 UTC
        assert_eq!(iso(at), "2025-11-30T08:00:00Z");
        assert_eq!(fr(&iso(at)), dates::short_datetime(at));
        assert_eq!(fr("pas une date"), "pas une date");
        assert_eq!(day("2018-10-22"), "22 octobre 2018");
        assert_eq!(day("2019-03-01"), "1er mars 2019");
        assert_eq!(day("inconnue"), "inconnue");
    }

    fn message(state: &str, own: bool) -> Message {
        Message {
            id: 1,
            thread: 1,
            folder: "Réception".into(),
            read: true,
            from: "Claire Martin".into(),
            to: vec!["Marc Petit".into()],
            cc: vec![],
            bcc: vec![],
            subject: "Bienvenue".into(),
            body: "Voici la **messagerie**.".into(),
            state: state.into(),
            own,
            created_at: iso(0),
            date_us: 0,
            attachments: vec![],
        }
    }

    #[test]
    fn a_message_reads_as_in_the_messagerie() {
        let got = message("reçu", false).html(&HashSet::new()).into_string();
        assert!(got.contains("<strong>messagerie</strong>"), "{got}");
        assert!(!got.contains("**"), "{got}");
        assert!(got.contains("reçu de Claire Martin"), "{got}");
        let sent = message("envoyé", true).html(&HashSet::new()).into_string();
        assert!(sent.contains("envoyé à Marc Petit"), "{sent}");
        let draft = message("brouillon", true)
            .html(&HashSet::new())
            .into_string();
        assert!(draft.contains("— brouillon"), "{draft}");
    }
}
