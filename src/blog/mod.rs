//! The blogs (/blog): the school's blog (director) and one per class (its teacher may switch
//! it off). Pupils write drafts and propose them; the teacher publishes (now or at a date),
//! returns them with a comment, or edits. Comments per blog: off, published at once, or
//! held for the teacher; every article and comment shows its author and date; no likes.
//! Visibility per blog: the class and its families, the whole school, or public without
//! login on the school network. The photo-consent guard (`consent.rs`): a pupil tagged in an
//! article without a photo authorisation on record warns the teacher and keeps the article
//! from being public.

pub mod consent;
pub mod routes;

use serde::{Deserialize, Serialize};

use crate::attachments::Attachment;
use crate::news::Viewer;
use crate::policy::{may, Action, Actor, Profile};
use crate::store::{Key, Result, Store, Table};

pub const BLOGS: Table<String, BlogSettings> = Table::new("blogs");
pub const ARTICLES: Table<u64, Article> = Table::new("blog_articles");
/// (article, comment id) → comment.
pub const COMMENTS: Table<(u64, u64), Comment> = Table::new("blog_comments");
pub const TABLES: &[&str] = &[
    BLOGS.name,
    ARTICLES.name,
    COMMENTS.name,
    consent::PROJECTS.name,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum BlogRef {
    School,
    Class(u64),
}

impl BlogRef {
    pub fn code(self) -> String {
        match self {
            BlogRef::School => "ecole".into(),
            BlogRef::Class(c) => format!("classe-{c}"),
        }
    }

    pub fn parse(text: &str) -> Option<BlogRef> {
        if text == "ecole" {
            return Some(BlogRef::School);
        }
        let id = text.strip_prefix("classe-")?;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        id.parse().ok().map(BlogRef::Class)
    }

    pub fn class(self) -> Option<u64> {
        match self {
            BlogRef::School => None,
            BlogRef::Class(c) => Some(c),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentMode {
    Off,
    Open,
    Moderated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// The class's members and the families of its pupils (the school blog: the school).
    Class,
    School,
    /// Readable without login from the school network.
    Public,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BlogSettings {
    pub enabled: bool,
    pub comments: CommentMode,
    pub visibility: Visibility,
}

pub fn settings(store: &Store, blog: BlogRef) -> Result<BlogSettings> {
    Ok(store.get(&BLOGS, &blog.code())?.unwrap_or(BlogSettings {
        enabled: true,
        comments: CommentMode::Moderated,
        visibility: if blog == BlogRef::School {
            Visibility::School
        } else {
            Visibility::Class
        },
    }))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    Draft,
    /// Proposed by a pupil, waiting for the teacher.
    Submitted,
    Returned {
        by: u64,
        comment: String,
    },
    Published,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Article {
    pub id: u64,
    pub blog: BlogRef,
    pub author: u64,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub media: Vec<Attachment>,
    pub status: Status,
    /// Visible from this instant once published (scheduled publication).
    pub publish_at: i64,
    /// Pupils who appear in the pictures.
    #[serde(default)]
    pub tagged: Vec<u64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Article {
    pub fn published(&self, now: i64) -> bool {
        self.status == Status::Published && self.publish_at <= now
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Comment {
    pub id: u64,
    pub author: u64,
    pub text: String,
    pub at: i64,
    /// Waiting for the teacher (pre-moderated blog).
    pub pending: bool,
}

/// May this person run the blog (publish, return, moderate, settings)?
pub fn runs(actor: &Actor, blog: BlogRef) -> bool {
    may(
        actor,
        Action::RunBlog {
            class_id: blog.class(),
        },
    )
}

/// May this signed-in person read the blog?
pub fn reads(actor: &Actor, viewer: &Viewer, blog: BlogRef, s: &BlogSettings) -> bool {
    if runs(actor, blog) {
        return true;
    }
    if !s.enabled {
        return false;
    }
    match (s.visibility, blog) {
        (Visibility::Public | Visibility::School, _) | (Visibility::Class, BlogRef::School) => true,
        (Visibility::Class, BlogRef::Class(c)) => viewer.classes.contains(&c),
    }
}

/// May this person write an article (a draft to propose) in the blog? The class's pupils
/// and the blog's runners.
pub fn writes(actor: &Actor, blog: BlogRef, s: &BlogSettings) -> bool {
    runs(actor, blog)
        || (s.enabled
            && actor.profile == Profile::Eleve
            && blog.class().is_some_and(|c| actor.class_ids.contains(&c)))
}

/// May this person comment (the blog's mode allowing): pupils and parents who read it, and
/// the staff.
pub fn comments(actor: &Actor, viewer: &Viewer, blog: BlogRef, s: &BlogSettings) -> bool {
    s.comments != CommentMode::Off
        && reads(actor, viewer, blog, s)
        && matches!(
            actor.profile,
            Profile::Eleve | Profile::Responsable | Profile::Enseignant | Profile::Atsem
        )
}

pub fn article(store: &Store, id: u64) -> Result<Option<Article>> {
    store.get(&ARTICLES, &id)
}

pub fn articles(store: &Store, blog: BlogRef) -> Result<Vec<Article>> {
    let mut out: Vec<Article> = store
        .scan(&ARTICLES)?
        .into_iter()
        .map(|(_, a)| a)
        .filter(|a| a.blog == blog)
        .collect();
    out.sort_by_key(|a| std::cmp::Reverse((a.publish_at, a.id)));
    Ok(out)
}

pub fn comments_of(store: &Store, article: u64) -> Result<Vec<Comment>> {
    Ok(store
        .scan_prefix(&COMMENTS, &article.encode())?
        .into_iter()
        .map(|(_, c)| c)
        .collect())
}

/// The tagged pupils without a photo authorisation.
pub fn unauthorised(
    store: &Store,
    people: &crate::directory::people::People,
    a: &Article,
) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for p in &a.tagged {
        if !consent::authorised(store, people, *p)? {
            out.push(*p);
        }
    }
    Ok(out)
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    Ok(store
        .scan(&ARTICLES)?
        .into_iter()
        .flat_map(|(_, a)| a.media.into_iter().map(|m| m.blob))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(profile: Profile, classes: &[u64]) -> Actor {
        Actor {
            user_id: 9,
            profile,
            director: false,
            class_ids: classes.to_vec(),
            children: vec![],
            group_ids: vec![],
        }
    }

    fn viewer(profile: Profile, classes: &[u64]) -> Viewer {
        Viewer {
            director: false,
            profile,
            classes: classes.to_vec(),
        }
    }

    #[test]
    fn a_class_blog_is_read_by_its_class_and_families_unless_opened() {
        let blog = BlogRef::Class(3);
        let mut s = settings_default(blog);
        let parent_here = (
            actor(Profile::Responsable, &[]),
            viewer(Profile::Responsable, &[3]),
        );
        let parent_there = (
            actor(Profile::Responsable, &[]),
            viewer(Profile::Responsable, &[4]),
        );
        assert!(reads(&parent_here.0, &parent_here.1, blog, &s));
        assert!(
            !reads(&parent_there.0, &parent_there.1, blog, &s),
            "a parent of another class"
        );
        s.visibility = Visibility::School;
        assert!(reads(&parent_there.0, &parent_there.1, blog, &s));
        s.enabled = false;
        assert!(
            !reads(&parent_here.0, &parent_here.1, blog, &s),
            "switched off"
        );
        assert!(
            reads(
                &actor(Profile::Enseignant, &[3]),
                &viewer(Profile::Enseignant, &[3]),
                blog,
                &s
            ),
            "its teacher still"
        );
        s.enabled = true;
        assert!(writes(&actor(Profile::Eleve, &[3]), blog, &s));
        assert!(!writes(&actor(Profile::Eleve, &[4]), blog, &s));
        assert!(!writes(&actor(Profile::Responsable, &[3]), blog, &s));
        s.comments = CommentMode::Off;
        assert!(!comments(&parent_here.0, &parent_here.1, blog, &s));
        assert_eq!(BlogRef::parse("classe-3"), Some(blog));
        assert_eq!(BlogRef::parse("classe-../x"), None);
    }

    fn settings_default(blog: BlogRef) -> BlogSettings {
        BlogSettings {
            enabled: true,
            comments: CommentMode::Moderated,
            visibility: if blog == BlogRef::School {
                Visibility::School
            } else {
                Visibility::Class
            },
        }
    }
}
