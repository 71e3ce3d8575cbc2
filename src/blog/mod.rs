//! The blogs (/blog): the school's blog (director) and one per class (its teacher may switch
//! it off). Pupils write drafts and propose them; the teacher publishes (now or at a date),
//! returns them with a comment, or edits. Comments per blog: off, published at once, or
//! held for the teacher; every article and comment shows its author and date; no likes.
//! Visibility per blog: the class and its families, the whole school, or public without
//! login on the school network. The photo-consent guard (`consent.rs`): a pupil tagged in an
//! article without a photo authorisation on record warns the teacher and keeps the article
//! from being public.

pub mod access;
pub mod consent;
mod forms;
pub mod routes;
mod views;

pub use access::{comments, reads, runs, writes};

use serde::{Deserialize, Serialize};

use crate::attachments::Attachment;
use crate::directory::people::People;
use crate::notify::{self, Kind};
use crate::policy::Granted;
use crate::store::{Key, Result, Store, Table};
use access::{Commenting, Writing};

pub const BLOGS: Table<String, BlogSettings> = Table::new("blogs");
pub const ARTICLES: Table<u64, Article> = Table::new("blog_articles");
/// (article, comment id) → comment.
pub const COMMENTS: Table<(u64, u64), Comment> = Table::new("blog_comments");
/// (blog, article): a blog's page reads its own articles, not every blog's (schema 4).
pub const BY_BLOG: Table<(u64, u64), ()> = Table::new("blog_articles_by_blog");
/// (blog, article) of the articles proposed by pupils, waiting for their teacher.
pub const SUBMITTED: Table<(u64, u64), ()> = Table::new("blog_articles_submitted");
pub const TABLES: &[&str] = &[
    BLOGS.name,
    ARTICLES.name,
    BY_BLOG.name,
    SUBMITTED.name,
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

pub fn article(store: &Store, id: u64) -> Result<Option<Article>> {
    store.get(&ARTICLES, &id)
}

/// The blog's number in the index: the school 0, a class by its id with the top bit.
fn blog_number(blog: BlogRef) -> u64 {
    match blog {
        BlogRef::School => 0,
        BlogRef::Class(c) => (1 << 63) | c,
    }
}

/// Writes an article (new or changed) with its index entry, in the caller's transaction.
pub fn insert(tx: &mut crate::store::Tx<'_>, a: &Article) -> Result<()> {
    if let Some(old) = tx.get(&ARTICLES, &a.id)? {
        tx.remove(&BY_BLOG, &(blog_number(old.blog), a.id))?;
        tx.remove(&SUBMITTED, &(blog_number(old.blog), a.id))?;
    }
    tx.put(&ARTICLES, &a.id, a)?;
    index(tx, a)
}

fn index(tx: &mut crate::store::Tx<'_>, a: &Article) -> Result<()> {
    tx.put(&BY_BLOG, &(blog_number(a.blog), a.id), &())?;
    if a.status == Status::Submitted {
        tx.put(&SUBMITTED, &(blog_number(a.blog), a.id), &())?;
    }
    Ok(())
}

/// The articles of the blog waiting for their teacher.
pub fn submitted(store: &Store, blog: BlogRef) -> Result<Vec<Article>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(&SUBMITTED, &blog_number(blog).encode())? {
        if let Some(a) = store.get(&ARTICLES, &id)? {
            out.push(a);
        }
    }
    Ok(out)
}

/// Schema 4: the index of the articles written before it.
pub fn migrate_v4_index_by_blog(store: &Store) -> Result<()> {
    let all = store.scan(&ARTICLES)?;
    store.commit_blocking(|tx| {
        for (_, a) in &all {
            index(tx, a)?;
        }
        Ok(())
    })
}

pub fn articles(store: &Store, blog: BlogRef) -> Result<Vec<Article>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(&BY_BLOG, &blog_number(blog).encode())? {
        if let Some(a) = store.get(&ARTICLES, &id)? {
            out.push(a);
        }
    }
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
pub fn unauthorised(store: &Store, people: &People, a: &Article) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for p in &a.tagged {
        if !consent::authorised(store, people, *p)? {
            out.push(*p);
        }
    }
    Ok(out)
}

/// A blog's settings, saved by one of its runners.
pub async fn save_settings(store: &Store, blog: &Granted<BlogRef>, s: &BlogSettings) -> Result<()> {
    store
        .commit(|tx| tx.put(&BLOGS, &blog.object().code(), s))
        .await
}

/// Applies the editor's button (`publier`, `proposer`, else a draft) and saves the article
/// in the blog the proof is about; a publication the photo-consent guard refuses is
/// `Err` with the reason shown to the teacher.
pub async fn save_article(
    store: &Store,
    people: &People,
    writing: &Granted<Writing>,
    a: Article,
    step: &str,
    now: i64,
) -> Result<std::result::Result<u64, String>> {
    let Writing { blog, runner } = *writing.object();
    let mut a = Article { blog, ..a };
    let s = settings(store, blog)?;
    match step {
        "publier" if runner => {
            let missing = unauthorised(store, people, &a)?;
            if s.visibility == Visibility::Public && !missing.is_empty() {
                return Ok(Err(format!(
                    "Ce blog est public : l'article ne peut pas y être publié, car {} n'{} pas d'autorisation photo enregistrée. Retirez la photo ou l'identification, ou enregistrez l'autorisation.",
                    missing.iter().map(|p| people.user(*p).map(|u| u.display_name()).unwrap_or_default()).collect::<Vec<_>>().join(", "),
                    if missing.len() > 1 { "ont" } else { "a" }
                )));
            }
            a.status = Status::Published;
        }
        "proposer" => a.status = Status::Submitted,
        _ => {
            if a.status != Status::Published {
                a.status = Status::Draft;
            }
        }
    }
    let teachers: Vec<u64> = match blog {
        BlogRef::Class(c) => people.teachers_of_class(c),
        BlogRef::School => Vec::new(),
    };
    let readers: Vec<u64> = match (a.status == Status::Published, blog) {
        (true, BlogRef::Class(c)) => {
            let mut r = people.pupils_of_class(c);
            r.extend(people.parents_of_class(c));
            r
        }
        _ => Vec::new(),
    };
    let id = store
        .commit(|tx| {
            let id = if a.id == 0 {
                tx.next_id("blog_article")?
            } else {
                a.id
            };
            let before: Option<Article> = tx.get(&ARTICLES, &id)?;
            insert(tx, &Article { id, ..a.clone() })?;
            let was = |status: &Status| before.as_ref().map(|b| &b.status) == Some(status);
            if a.status == Status::Submitted && !was(&Status::Submitted) {
                for t in &teachers {
                    notify::push(
                        tx,
                        *t,
                        Kind::Moderation,
                        &format!("Article proposé : « {} »", a.title),
                        &format!("/blog/article/{id}"),
                        now,
                    )?;
                }
            }
            if a.status == Status::Published && !was(&Status::Published) {
                for r in &readers {
                    notify::push(
                        tx,
                        *r,
                        Kind::Article,
                        &format!("Nouvel article : « {} »", a.title),
                        &format!("/blog/article/{id}"),
                        a.publish_at.max(now),
                    )?;
                }
            }
            Ok(id)
        })
        .await?;
    Ok(Ok(id))
}

/// Tells a pupil that the teacher published their article (not the teacher's own).
pub async fn tell_author(
    store: &Store,
    published: &Granted<Writing>,
    a: &Article,
    now: i64,
) -> Result<()> {
    if a.author == published.by() {
        return Ok(());
    }
    store
        .commit(|tx| {
            notify::push(
                tx,
                a.author,
                Kind::Article,
                &format!("Ton article « {} » est publié !", a.title),
                &format!("/blog/article/{}", a.id),
                now,
            )
        })
        .await
}

/// Returns an article to its author with the teacher's comment.
pub async fn give_back(
    store: &Store,
    run: &Granted<Article>,
    comment: &str,
    now: i64,
) -> Result<()> {
    let a = Article {
        status: Status::Returned {
            by: run.by(),
            comment: comment.to_string(),
        },
        ..run.object().clone()
    };
    store
        .commit(|tx| {
            insert(tx, &a)?;
            notify::push(
                tx,
                a.author,
                Kind::Article,
                &format!(
                    "Ton article « {} » revient avec un mot de l'enseignant",
                    a.title
                ),
                &format!("/blog/article/{}", a.id),
                now,
            )
        })
        .await
}

/// A comment, published or held for the class's teachers (who are told).
pub async fn add_comment(
    store: &Store,
    people: &People,
    commenting: &Granted<Commenting>,
    text: &str,
    now: i64,
) -> Result<()> {
    let Commenting {
        article: a,
        pending,
    } = commenting.object();
    let teachers: Vec<u64> = a
        .blog
        .class()
        .map(|c| people.teachers_of_class(c))
        .unwrap_or_default();
    store
        .commit(|tx| {
            let cid = tx.next_id("blog_comment")?;
            let comment = Comment {
                id: cid,
                author: commenting.by(),
                text: text.to_string(),
                at: now,
                pending: *pending,
            };
            tx.put(&COMMENTS, &(a.id, cid), &comment)?;
            if *pending {
                for t in &teachers {
                    notify::push(
                        tx,
                        *t,
                        Kind::Moderation,
                        &format!("Commentaire à lire sur « {} »", a.title),
                        &format!("/blog/article/{}", a.id),
                        now,
                    )?;
                }
            }
            Ok(())
        })
        .await
}

/// Publishes a held comment; `false` when there is no such comment.
pub async fn approve_comment(store: &Store, run: &Granted<Article>, c: u64) -> Result<bool> {
    let id = run.object().id;
    store
        .commit(|tx| match tx.get(&COMMENTS, &(id, c))? {
            Some(mut com) => {
                com.pending = false;
                tx.put(&COMMENTS, &(id, c), &com)?;
                Ok(true)
            }
            None => Ok(false),
        })
        .await
}

pub async fn delete_comment(store: &Store, run: &Granted<Article>, c: u64) -> Result<()> {
    let id = run.object().id;
    store.commit(|tx| tx.remove(&COMMENTS, &(id, c))).await
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
    use crate::news::Viewer;
    use crate::policy::{Actor, Profile};

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
