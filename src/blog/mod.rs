//! The blogs (/blog): the school's blog (director) and one per class (its teacher may switch
//! it off). Pupils write drafts and propose them; the teacher publishes (now or at a date),
//! returns them with a comment, or edits. Comments per blog: off, published at once, or
//! held for the teacher; every article and comment shows its author and date; no likes.
//! Visibility per blog: the class and its families, the whole school, or public without
//! login on the school network. The photo-consent guard (`guard.rs`, over the registry of
//! `consent.rs`): tags are always kept; an article with pictures reaches a public blog only
//! once its runner confirmed that no pupil without authorisation appears, never with one
//! tagged; a blog becoming public keeps back the articles that fail.

pub mod access;
pub mod consent;
mod forms;
pub mod guard;
mod remarks;
pub mod routes;
mod views;

pub use access::{comments, reads, runs, writes};
pub use remarks::{add_comment, approve_comment, comments_of, delete_comment};

use serde::{Deserialize, Serialize};

use crate::attachments::Attachment;
use crate::directory::people::People;
use crate::notify::{self, Kind};
use crate::policy::Granted;
use crate::store::{Key, Result, Store, Table};
use access::Writing;
use guard::Verdict;

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
    guard::PHOTO_CHECKS.name,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    Ok(access::stored_settings(store, blog)?.unwrap_or_else(|| BlogSettings::default_for(blog)))
}

impl BlogSettings {
    /// A blog never set: open, comments moderated, seen by its class (the school's by all).
    pub fn default_for(blog: BlogRef) -> BlogSettings {
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
        access::published(&self.status, self.publish_at, now)
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

/// The newest articles of a blog that `keep` accepts (the published ones, for a reader),
/// newest written first, at most `limit`: read backwards through the blog's index and
/// stopped once found, so that a home page does not read the blog's years. Whether the
/// reader may see them is still the caller's to ask (`access::Reader::may_see`).
pub fn newest_articles(
    store: &Store,
    blog: BlogRef,
    limit: usize,
    keep: impl Fn(&Article) -> bool,
) -> Result<Vec<Article>> {
    let n = blog_number(blog);
    let mut out = Vec::new();
    if limit == 0 {
        return Ok(out);
    }
    store.visit_range_back(&BY_BLOG, &(n, 0), &(n, u64::MAX), |(_, id), ()| {
        if let Some(a) = store.get(&ARTICLES, &id)? {
            if keep(&a) {
                out.push(a);
            }
        }
        Ok(out.len() < limit)
    })?;
    Ok(out)
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

/// A blog's settings, saved by one of its runners. A public blog checks again every
/// article it publishes: those the photo guard refuses are kept back (drafts again, with
/// the reason for their runners), and returned with that reason.
pub async fn save_settings(
    store: &Store,
    people: &People,
    blog: &Granted<BlogRef>,
    s: &BlogSettings,
) -> Result<Vec<(Article, String)>> {
    let mut held = Vec::new();
    if s.visibility == Visibility::Public {
        for a in articles(store, *blog.object())? {
            if a.status == Status::Published {
                if let Some(why) = guard::reason(people, &guard::verdict(store, people, &a)?) {
                    held.push((a, why));
                }
            }
        }
    }
    store
        .commit(|tx| {
            tx.put(&BLOGS, &blog.object().code(), s)?;
            for (a, why) in &held {
                let mut check = tx.get(&guard::PHOTO_CHECKS, &a.id)?.unwrap_or_default();
                check.kept_back = Some(why.clone());
                guard::put(tx, a.id, &check)?;
                insert(
                    tx,
                    &Article {
                        status: Status::Draft,
                        ..a.clone()
                    },
                )?;
            }
            Ok(())
        })
        .await?;
    Ok(held)
}

/// What became of an article the editor or the « Publier » button saved. It is saved in
/// every case (its tags, pictures and text are never lost); a publication the photo guard
/// stops leaves it as it was before (a draft, a proposal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    Done(u64),
    /// Not published on the public blog: the reason, for the teacher.
    Refused {
        id: u64,
        why: String,
    },
    /// Published once a runner confirms that none of `absent` appears in the pictures.
    Confirm {
        id: u64,
        absent: Vec<u64>,
    },
}

/// Applies the editor's button (`publier`, `proposer`, else a draft) and saves the article
/// in the blog the proof is about. On a public blog, the photo guard decides: a tagged
/// pupil without authorisation refuses it; pictures ask a runner's confirmation, given as
/// `confirmed` (the pupils listed to them), before it is published.
pub async fn save_article(
    store: &Store,
    people: &People,
    writing: &Granted<Writing>,
    a: Article,
    step: &str,
    confirmed: Option<&[u64]>,
    now: i64,
) -> Result<Saved> {
    let Writing { blog, runner } = *writing.object();
    let mut a = Article { blog, ..a };
    let s = settings(store, blog)?;
    let prior = a.status.clone();
    match step {
        "publier" if runner => a.status = Status::Published,
        "proposer" => a.status = Status::Submitted,
        _ => {
            if a.status != Status::Published {
                a.status = Status::Draft;
            }
        }
    }
    let mut check = match a.id {
        0 => guard::PhotoCheck::default(),
        id => guard::check_of(store, id)?,
    };
    let mut stopped: Option<Verdict> = None;
    // A public blog checks every publication; another records a confirmation given for
    // the pictures to leave the class (the year's memory).
    let public = s.visibility == Visibility::Public;
    if a.status == Status::Published && (public || confirmed.is_some()) {
        let recorded = check.confirmed.clone();
        let v = guard::verdict_with(store, people, &a, |_| Ok(recorded))?;
        let given = match (&v, confirmed) {
            (Verdict::Unconfirmed(missing), Some(c)) if runner && step == "publier" => {
                guard::confirm(&a, writing.by(), c, missing, now)
            }
            _ => None,
        };
        match given {
            Some(c) => check.confirmed = Some(c),
            None if v != Verdict::Clear && public => {
                check.kept_back = guard::reason(people, &v);
                // Back to what it was: a pupil's proposal stays in the teacher's queue.
                a.status = match prior {
                    Status::Submitted | Status::Returned { .. } => prior,
                    _ => Status::Draft,
                };
                stopped = Some(v);
            }
            None => {}
        }
    }
    if a.status == Status::Published {
        check.kept_back = None;
    }
    let teachers: Vec<u64> = match blog {
        BlogRef::Class(c) => people.teachers_of_class(c),
        BlogRef::School => Vec::new(),
    };
    let readers: Vec<u64> = match (a.status == Status::Published, blog) {
        (true, BlogRef::Class(c)) => {
            let mut r = people.pupils_of_class(c);
            r.extend(people.parents_of_class(c));
            // Only those the class opened its blog to.
            r.retain(|u| people.told(*u, c, crate::school::Service::Blog));
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
            guard::put(tx, id, &check)?;
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
                crate::stats::count_by(tx, crate::stats::Created::Article, people, a.author, now)?;
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
    Ok(match stopped {
        None => Saved::Done(id),
        Some(Verdict::Unconfirmed(absent)) => Saved::Confirm { id, absent },
        Some(v) => Saved::Refused {
            id,
            why: format!(
                "Ce blog est public : l'article n'y est pas publié, car {}. L'article, ses photos et ses identifications sont gardés.",
                guard::reason(people, &v).unwrap_or_default()
            ),
        },
    })
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
            shut: Vec::new(),
        }
    }

    #[test]
    fn a_class_blog_is_read_by_its_class_and_families_unless_opened() {
        let blog = BlogRef::Class(3);
        let mut s = BlogSettings::default_for(blog);
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
}
