//! The blogs' inputs, typed: the editor (its text fields read from the multipart form),
//! the settings, comments, a teacher's word when returning an article, a report's reason.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{Article, BlogRef, BlogSettings, CommentMode, Status, Visibility};
use crate::attachments::Attachment;
use crate::directory::people::People;
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

/// The editor's text fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditorFields {
    pub title: String,
    pub body: String,
    pub publish_at: String,
    /// Pupils recognised in the pictures (their classmates and the runners tag them).
    pub tag: Vec<String>,
    /// The media already there that are kept, by position.
    pub garder: Vec<String>,
    /// The button pressed: `brouillon`, `proposer`, `publier`.
    pub action: String,
}

/// What the editor's form says of the article, beside what it was.
pub struct Edited<'a> {
    pub blog: BlogRef,
    pub author: u64,
    pub runner: bool,
    pub existing: Option<&'a Article>,
}

impl EditorFields {
    /// The article as written (new or changed); `None` with the errors in the form state.
    pub fn read(
        &self,
        people: &People,
        edited: &Edited<'_>,
        files: Vec<Attachment>,
        errors: Vec<String>,
        now: i64,
    ) -> (FormState, Option<Article>) {
        let Edited {
            blog,
            author,
            runner,
            existing,
        } = *edited;
        let mut form = FormState::with_values([
            ("title", self.title.clone()),
            ("body", self.body.clone()),
            ("publish_at", self.publish_at.clone()),
        ]);
        form.set("tags", self.tag.join(","));
        let title = form.required("title", "le titre");
        if self.body.trim().is_empty() {
            form.error("body", "L'article est vide : écris quelque chose.");
        }
        let mut media: Vec<Attachment> = match existing {
            Some(a) => a
                .media
                .iter()
                .enumerate()
                .filter(|(i, _)| self.garder.contains(&i.to_string()))
                .map(|(_, m)| m.clone())
                .collect(),
            None => Vec::new(),
        };
        let mut bad = errors;
        for f in files {
            if f.mime.starts_with("image/")
                || f.mime.starts_with("audio/")
                || f.mime.starts_with("video/")
            {
                // Published pictures carry no EXIF (the reader published them).
                if !media.iter().any(|m| m.blob == f.blob) {
                    media.push(f);
                }
            } else {
                bad.push(format!(
                    "« {} » n'est ni une image, ni un son, ni une vidéo.",
                    f.name
                ));
            }
        }
        if !bad.is_empty() {
            form.error("files", bad.join(" "));
        }
        let pupils: Vec<u64> = blog
            .class()
            .map(|c| people.pupils_of_class(c))
            .unwrap_or_default();
        let sent = self
            .tag
            .iter()
            .filter_map(|t| t.parse::<u64>().ok())
            .filter(|p| pupils.contains(p));
        // Everyone who writes tags who appears; only a runner takes a tag off (a pupil's
        // edit never unlocks a picture the teacher marked).
        let mut tagged: Vec<u64> = if runner {
            Vec::new()
        } else {
            existing.map(|a| a.tagged.clone()).unwrap_or_default()
        };
        for p in sent {
            if !tagged.contains(&p) {
                tagged.push(p);
            }
        }
        let publish_at = match self.publish_at.trim() {
            "" => now,
            v => match dates::parse_date(v) {
                Some(d) => dates::start_of_day(d),
                None => {
                    form.error("publish_at", "Cette date n'est pas valide.");
                    now
                }
            },
        };
        if !form.is_ok() {
            return (form, None);
        }
        let a = Article {
            id: existing.map(|a| a.id).unwrap_or(0),
            blog,
            author: existing.map(|a| a.author).unwrap_or(author),
            title,
            body: self.body.clone(),
            media,
            status: existing.map(|a| a.status.clone()).unwrap_or(Status::Draft),
            publish_at,
            tagged,
            created_at: existing.map(|a| a.created_at).unwrap_or(now),
            updated_at: now,
        };
        (form, Some(a))
    }
}

/// A blog's settings as the runner chose them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsFields {
    pub enabled: String,
    pub comments: String,
    pub visibility: String,
}

impl SettingsFields {
    /// The school's blog is always open and read by the whole school at least.
    pub fn settings(&self, blog: BlogRef) -> BlogSettings {
        BlogSettings {
            enabled: blog == BlogRef::School || self.enabled == "1",
            comments: match self.comments.as_str() {
                "off" => CommentMode::Off,
                "open" => CommentMode::Open,
                _ => CommentMode::Moderated,
            },
            visibility: match self.visibility.as_str() {
                "ecole" => Visibility::School,
                "public" => Visibility::Public,
                _ if blog == BlogRef::School => Visibility::School,
                _ => Visibility::Class,
            },
        }
    }
}

/// A comment's text, trimmed and cut at 2 000 characters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CommentFields {
    pub text: String,
}

impl CommentFields {
    pub fn text(&self) -> String {
        self.text.trim().chars().take(2000).collect()
    }
}

/// The teacher's word to the pupil when returning an article.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GiveBackFields {
    pub comment: String,
}

/// Why an article or a comment is reported (optional).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportFields {
    pub motif: String,
}

/// « Publier » on an article's page, and the photo guard's confirmation step: the pupils
/// without authorisation the runner saw listed, and the box they ticked.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PublishFields {
    pub confirme: String,
    pub absent: Vec<String>,
}

impl PublishFields {
    /// The pupils the runner confirmed absent from the pictures, if they ticked the box.
    pub fn confirmed(&self) -> Option<Vec<u64>> {
        (self.confirme == "1").then(|| self.absent.iter().filter_map(|t| t.parse().ok()).collect())
    }

    /// Sent from the confirmation step (not the plain « Publier » button).
    pub fn answers_the_step(&self) -> bool {
        !self.absent.is_empty() || !self.confirme.is_empty()
    }
}
