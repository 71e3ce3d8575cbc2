//! Who may do what with a blog and its articles: the facts (the blog's settings, the
//! reader's classes, authorship, the article's status) gathered here and asked of the
//! policy; the mutations of `super` take the proof these functions return.

use super::{Article, BlogRef, BlogSettings, CommentMode, Status, Visibility};
use crate::auth::visitor::{SignedIn, Visitor};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::news::Viewer;
use crate::policy::{may, require, Action, Actor, Forbidden, Granted};
use crate::school::Service;
use crate::store::{Result as StoreResult, Store};

/// May this person run the blog (publish, return, moderate, settings)?
pub fn runs(actor: &Actor, blog: BlogRef) -> bool {
    may(
        actor,
        Action::RunBlog {
            class_id: blog.class(),
        },
    )
}

/// May this signed-in person read the blog? Its runners always; the others while it is
/// open, per its visibility.
pub fn reads(actor: &Actor, viewer: &Viewer, blog: BlogRef, s: &BlogSettings) -> bool {
    if runs(actor, blog) {
        return true;
    }
    if !s.enabled {
        return false;
    }
    match (s.visibility, blog) {
        // A class blog shown to the school, while its class opens the blog to the person.
        (Visibility::Public | Visibility::School, BlogRef::Class(c)) => !viewer.shut.contains(&c),
        (Visibility::Public | Visibility::School, BlogRef::School)
        | (Visibility::Class, BlogRef::School) => true,
        (Visibility::Class, BlogRef::Class(c)) => viewer.classes.contains(&c),
    }
}

/// May this person write an article (a draft to propose) in the blog? The class's pupils
/// and the blog's runners.
pub fn writes(actor: &Actor, blog: BlogRef, s: &BlogSettings) -> bool {
    may(actor, write_action(blog, s))
}

fn write_action(blog: BlogRef, s: &BlogSettings) -> Action {
    Action::WriteArticle {
        class_id: blog.class(),
        open: s.enabled,
    }
}

/// May this person comment (the blog's mode allowing): pupils and parents who read it, and
/// the staff.
pub fn comments(actor: &Actor, viewer: &Viewer, blog: BlogRef, s: &BlogSettings) -> bool {
    may(actor, comment_action(actor, viewer, blog, s))
}

fn comment_action(actor: &Actor, viewer: &Viewer, blog: BlogRef, s: &BlogSettings) -> Action {
    Action::CommentArticle {
        reads: reads(actor, viewer, blog, s),
        open: s.comments != CommentMode::Off,
    }
}

/// Who reads: a signed-in person, or someone without login on the school network.
pub enum Reader<'a> {
    Member(&'a SignedIn, Viewer),
    /// Seen as a family would be (a class that keeps its blog from families hides it).
    Anonymous(Viewer),
}

impl<'a> Reader<'a> {
    /// The reader behind a visitor; `None` for someone without login outside the school.
    pub fn of(store: &Store, v: &'a Visitor, from_school: bool) -> AppResult<Option<Self>> {
        let people = People::load(store)?;
        match &v.signed_in {
            Some(me) => Ok(Some(Reader::Member(
                me,
                Viewer::of_actor(store, &me.actor)?.in_service(&people, Service::Blog),
            ))),
            None if from_school => Ok(Some(Reader::Anonymous(Viewer::anonymous(
                &people,
                Service::Blog,
            )))),
            None => Ok(None),
        }
    }

    /// May this reader see the blog? Without login: public blogs only.
    pub fn may_read(&self, blog: BlogRef, s: &BlogSettings) -> bool {
        match self {
            Reader::Member(me, v) => reads(&me.actor, v, blog, s),
            Reader::Anonymous(v) => {
                s.enabled
                    && s.visibility == Visibility::Public
                    && !blog.class().is_some_and(|c| v.shut.contains(&c))
            }
        }
    }

    /// May this reader see this article (drafts: their author and the runners)? Without
    /// login, only what the photo guard clears (even if the consent changed since it was
    /// published, or the blog's settings were written around `save_settings`).
    pub fn may_see(
        &self,
        store: &Store,
        people: &People,
        a: &Article,
        s: &BlogSettings,
        now: i64,
    ) -> AppResult<bool> {
        let seen = self.may_see_facts(&ArticleFacts::of(a), s, now);
        if seen && matches!(self, Reader::Anonymous(_)) {
            return Ok(super::guard::verdict(store, people, a)? == super::guard::Verdict::Clear);
        }
        Ok(seen)
    }

    /// [`Reader::may_see`] from an article's facts only: the whole answer for a signed-in
    /// reader; without login, the photo guard must clear the article as well.
    pub fn may_see_facts(&self, a: &ArticleFacts, s: &BlogSettings, now: i64) -> bool {
        if let Reader::Member(me, _) = self {
            if runs(&me.actor, a.blog) || (a.author == me.user.id && a.status != Status::Published)
            {
                return true;
            }
        }
        self.may_read(a.blog, s) && published(&a.status, a.publish_at, now)
    }
}

/// The blogs' settings as stored (a blog never set has none), kept until one changes
/// (`store::derived`): each article's page asks them, and a search at a school of sixty
/// classes asks those of sixty blogs. Found by the blog itself rather than by its stored
/// code, so that a lookup does not write the code out each time.
struct KeptSettings(std::collections::HashMap<BlogRef, BlogSettings>);

pub(super) fn stored_settings(store: &Store, blog: BlogRef) -> StoreResult<Option<BlogSettings>> {
    let kept = store.derived(&[super::BLOGS.name], |store| {
        Ok(KeptSettings(
            store
                .scan(&super::BLOGS)?
                .into_iter()
                .filter_map(|(code, settings)| Some((BlogRef::parse(&code)?, settings)))
                .collect(),
        ))
    })?;
    Ok(kept.0.get(&blog).cloned())
}

/// Every article's facts, kept until an article changes (`store::derived`; built from
/// the facts alone, without the texts): the search asks them of every article its index
/// names, most of which a family may not see.
struct KeptFacts(std::collections::HashMap<u64, ArticleFacts>);

pub fn article_facts(store: &Store, id: u64) -> StoreResult<Option<ArticleFacts>> {
    let kept = store.derived(&[super::ARTICLES.name], |store| {
        let mut facts = std::collections::HashMap::new();
        store.visit_part(&super::ARTICLES, |id, f: ArticleFacts| {
            facts.insert(id, f);
        })?;
        Ok(KeptFacts(facts))
    })?;
    Ok(kept.0.get(&id).cloned())
}

/// Published, and its publication time come (scheduled publication).
pub(super) fn published(status: &Status, publish_at: i64, now: i64) -> bool {
    *status == Status::Published && publish_at <= now
}

/// What deciding who sees an article needs of it, read from the stored article without
/// its text: the search asks it of every article its index names.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ArticleFacts {
    pub blog: BlogRef,
    pub author: u64,
    pub status: Status,
    pub publish_at: i64,
}

impl ArticleFacts {
    pub fn of(a: &Article) -> ArticleFacts {
        ArticleFacts {
            blog: a.blog,
            author: a.author,
            status: a.status.clone(),
            publish_at: a.publish_at,
        }
    }
}

/// A refusal that does not confirm, without login, that a hidden thing exists.
pub fn login_or_refuse(v: &Visitor) -> AppError {
    if v.signed_in.is_none() {
        AppError::NotFound
    } else {
        AppError::Forbidden
    }
}

/// Saving an article in a blog, and whether the person may publish it there.
#[derive(Debug, Clone, Copy)]
pub struct Writing {
    pub blog: BlogRef,
    pub runner: bool,
}

fn writing(actor: &Actor, granted: Granted, blog: BlogRef) -> Granted<Writing> {
    granted.on(Writing {
        blog,
        runner: runs(actor, blog),
    })
}

/// A new article: the class's pupils while the blog is open, its runners.
pub fn write(
    actor: &Actor,
    blog: BlogRef,
    s: &BlogSettings,
) -> Result<Granted<Writing>, Forbidden> {
    let granted = require(actor, write_action(blog, s))?;
    Ok(writing(actor, granted, blog))
}

/// Whether `a` is its author's own draft (or returned to them).
fn own_draft(actor: &Actor, a: &Article) -> bool {
    a.author == actor.user_id && matches!(a.status, Status::Draft | Status::Returned { .. })
}

/// Changing an article: the blog's runners, its author while it is a draft or returned.
pub fn edit(actor: &Actor, a: &Article) -> Result<Granted<Writing>, Forbidden> {
    let granted = require(
        actor,
        Action::EditArticle {
            class_id: a.blog.class(),
            own_draft: own_draft(actor, a),
        },
    )?;
    Ok(writing(actor, granted, a.blog))
}

/// Proposing one's own draft to the teacher.
pub fn propose(actor: &Actor, a: &Article) -> Result<Granted<Writing>, Forbidden> {
    let granted = require(
        actor,
        Action::ProposeArticle {
            own_draft: own_draft(actor, a),
        },
    )?;
    Ok(writing(actor, granted, a.blog))
}

/// Running the blog of `a`: publishing, returning, moderating its comments.
pub fn run(actor: &Actor, a: Article) -> Result<Granted<Article>, Forbidden> {
    let granted = require(
        actor,
        Action::RunBlog {
            class_id: a.blog.class(),
        },
    )?;
    Ok(granted.on(a))
}

/// Publishing `a` from the article's page: the proof to save it as a runner.
pub fn publish(actor: &Actor, a: &Article) -> Result<Granted<Writing>, Forbidden> {
    let granted = require(
        actor,
        Action::RunBlog {
            class_id: a.blog.class(),
        },
    )?;
    Ok(writing(actor, granted, a.blog))
}

/// A blog's settings: its runners.
pub fn settle(actor: &Actor, blog: BlogRef) -> Result<Granted<BlogRef>, Forbidden> {
    Ok(require(
        actor,
        Action::RunBlog {
            class_id: blog.class(),
        },
    )?
    .on(blog))
}

/// A comment on a published article, and whether it waits for the teacher.
#[derive(Debug, Clone)]
pub struct Commenting {
    pub article: Article,
    pub pending: bool,
}

/// Commenting `a`: who reads it, while the blog takes comments (off is refused here too,
/// whatever the form says).
pub fn comment(
    actor: &Actor,
    viewer: &Viewer,
    a: Article,
    s: &BlogSettings,
    now: i64,
) -> Result<Granted<Commenting>, Forbidden> {
    if !a.published(now) {
        return Err(Forbidden);
    }
    let granted = require(actor, comment_action(actor, viewer, a.blog, s))?;
    let pending = s.comments == CommentMode::Moderated && !runs(actor, a.blog);
    Ok(granted.on(Commenting {
        article: a,
        pending,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Profile;

    fn actor(id: u64, profile: Profile, classes: &[u64]) -> Actor {
        Actor {
            user_id: id,
            profile,
            director: false,
            class_ids: classes.to_vec(),
            children: Vec::new(),
            group_ids: Vec::new(),
        }
    }

    fn draft(author: u64, status: Status) -> Article {
        Article {
            id: 1,
            blog: BlogRef::Class(3),
            author,
            title: "Notre sortie".into(),
            body: String::new(),
            media: Vec::new(),
            status,
            publish_at: 0,
            tagged: Vec::new(),
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn an_article_is_changed_by_its_author_while_a_draft_and_by_the_runners() {
        let pupil = actor(20, Profile::Eleve, &[3]);
        let classmate = actor(21, Profile::Eleve, &[3]);
        let teacher = actor(30, Profile::Enseignant, &[3]);
        let other_teacher = actor(31, Profile::Enseignant, &[4]);
        let mine = draft(20, Status::Draft);
        assert!(edit(&pupil, &mine).is_ok() && propose(&pupil, &mine).is_ok());
        assert!(edit(&classmate, &mine).is_err() && propose(&classmate, &mine).is_err());
        assert!(edit(&other_teacher, &mine).is_err());
        let w = edit(&teacher, &mine).map(|g| *g.object());
        assert!(w.is_ok_and(|w| w.runner && w.blog == BlogRef::Class(3)));
        assert!(
            propose(&teacher, &mine).is_err(),
            "not the teacher's own draft"
        );
        let proposed = draft(20, Status::Submitted);
        assert!(edit(&pupil, &proposed).is_err(), "waiting for the teacher");
        assert!(run(&teacher, proposed.clone()).is_ok());
        assert!(run(&pupil, proposed).is_err());
        assert!(settle(&other_teacher, BlogRef::Class(3)).is_err());
        let mut s = BlogSettings {
            enabled: true,
            comments: CommentMode::Open,
            visibility: Visibility::Class,
        };
        let w = write(&pupil, BlogRef::Class(3), &s).map(|g| g.object().runner);
        assert_eq!(w.ok(), Some(false));
        s.enabled = false;
        assert!(
            write(&pupil, BlogRef::Class(3), &s).is_err(),
            "switched off"
        );
        let viewer = Viewer {
            director: false,
            profile: Profile::Eleve,
            classes: vec![3],
            shut: Vec::new(),
        };
        let published = draft(20, Status::Published);
        s.enabled = true;
        let c = comment(&classmate, &viewer, published.clone(), &s, 1);
        assert!(c.is_ok_and(|c| !c.object().pending));
        s.comments = CommentMode::Off;
        assert!(comment(&classmate, &viewer, published, &s, 1).is_err());
    }
}
