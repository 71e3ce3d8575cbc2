//! Handlers of /blog: extract, ask `access`, call the module, render a view. Reading works
//! without login for a public blog on the school network.

use maud::{html, Markup};
use poem::web::{Data, Path, Redirect};
use poem::{handler, Request, Response};

use super::access::{self, login_or_refuse, Reader};
use super::forms::SettingsFields;
use super::views::{self, ArticlePage, BlogPage};
use super::{article, articles, comments, comments_of, runs, settings, writes};
use super::{Article, BlogRef, BlogSettings, Comment};
use crate::app::App;
use crate::attachments;
use crate::auth::visitor::Visitor;
use crate::auth::web::{Member, Who};
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::news::Viewer;
use crate::routing::{Access, Object, Routes};
use crate::ui::input::FormInput;

mod article;
mod editor;

use article::{
    add_comment, approve_comment, delete_comment, give_back, photo_check, publish, report,
    report_comment, submit,
};
use editor::{edit_form, edit_submit, new_form, new_submit};

pub fn routes() -> Routes {
    use Access::Member;
    let reader = Access::Object(Object::BlogReader);
    let writer = Access::Object(Object::ArticleWriter);
    let runner = Access::Object(Object::BlogRunner);
    let commenter = Access::Object(Object::ArticleReader);
    Routes::new()
        .get("/", index, Member)
        .get("/article/:id", show, reader)
        .get("/article/:id/media/:n", media_file, reader)
        .get("/article/:id/modifier", edit_form, writer)
        .post("/article/:id/modifier", edit_submit, writer)
        .post("/article/:id/proposer", submit, writer)
        .post("/article/:id/publier", publish, runner)
        .get("/article/:id/photos", photo_check, runner)
        .post("/article/:id/renvoyer", give_back, runner)
        .post("/article/:id/commenter", add_comment, commenter)
        .post(
            "/article/:id/commentaires/:c/valider",
            approve_comment,
            runner,
        )
        .post(
            "/article/:id/commentaires/:c/supprimer",
            delete_comment,
            runner,
        )
        .post("/article/:id/signaler", report, commenter)
        .post(
            "/article/:id/commentaires/:c/signaler",
            report_comment,
            commenter,
        )
        .get("/:blog", blog_page, reader)
        .get(
            "/:blog/ecrire",
            new_form,
            Access::Object(Object::BlogWriter),
        )
        .post(
            "/:blog/ecrire",
            new_submit,
            Access::Object(Object::BlogWriter),
        )
        .post("/:blog/reglages", save_settings, runner)
        .console("/autorisations-photo", super::consent::console())
}

fn render(app: &App, visitor: &Visitor, title: &str, body: Markup) -> AppResult<Markup> {
    app.page(visitor, title, "/blog", body)
}

async fn flash(app: &App, member: &Member, f: Flash) -> AppResult<()> {
    auth::push_flash(&app.store, &member.me.session_key, f).await?;
    Ok(())
}

/// The article behind the path, or 404.
fn stored(app: &App, id: u64) -> AppResult<Article> {
    article(&app.store, id)?.ok_or(AppError::NotFound)
}

fn reader<'a>(app: &App, v: &'a Visitor) -> AppResult<Option<Reader<'a>>> {
    Reader::of(&app.store, v, crate::board::on_school_network(app, v))
}

/// An article this visitor may see, with what its page needs; a refusal otherwise (not
/// found without login, so that a hidden article is not even confirmed to exist).
pub(crate) fn visible_article(
    app: &App,
    v: &Visitor,
    id: u64,
) -> AppResult<(Article, std::sync::Arc<People>, BlogSettings)> {
    let a = stored(app, id)?;
    let people = People::load(&app.store)?;
    let s = settings(&app.store, a.blog)?;
    let r = reader(app, v)?.ok_or(AppError::NotFound)?;
    if !r.may_see(&app.store, &people, &a, &s, auth::now_micros())? {
        return Err(login_or_refuse(v));
    }
    Ok((a, people, s))
}

#[handler]
fn index(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let viewer = Viewer::of_actor(&app.store, member.actor())?
        .in_service(&*People::load(&app.store)?, crate::school::Service::Blog);
    let mut blogs = vec![BlogRef::School];
    blogs.extend(people.classes.iter().map(|c| BlogRef::Class(c.id)));
    let mut readable = Vec::new();
    let mut queue = Vec::new();
    for b in blogs {
        let s = settings(&app.store, b)?;
        if super::reads(member.actor(), &viewer, b, &s) {
            readable.push((b, s.enabled));
        }
        if runs(member.actor(), b) {
            queue.extend(super::submitted(&app.store, b)?);
        }
    }
    let body = html! {
        (crate::ui::heading("Blogs", Some("Le blog de l'école et ceux des classes.")))
        @if !queue.is_empty() {
            section.panel {
                h2 { "Articles proposés par les élèves" }
                ul { @for a in &queue { li { a href=(format!("/blog/article/{}", a.id)) { (a.title) } " — " (people.user(a.author).map(|u| u.display_name()).unwrap_or_default()) } } }
            }
        }
        ul.tiles {
            @for (b, enabled) in &readable {
                li { a.tile href=(format!("/blog/{}", b.code())) { strong { (views::blog_label(&people, *b)) } span { @if *enabled { "ouvert" } @else { "fermé par l'enseignant" } } } }
            }
        }
    };
    render(app, &member.visitor, "Blogs", body)
}

#[handler]
fn blog_page(Data(app): Data<&App>, Who(v): Who, Path(code): Path<String>) -> AppResult<Markup> {
    let blog = BlogRef::parse(&code).ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    if let BlogRef::Class(c) = blog {
        people.class(c).ok_or(AppError::NotFound)?;
    }
    let s = settings(&app.store, blog)?;
    let r = reader(app, &v)?.ok_or(AppError::NotFound)?;
    if !r.may_read(blog, &s) {
        return Err(login_or_refuse(&v));
    }
    let now = auth::now_micros();
    let mut visible = Vec::new();
    let mut drafts = Vec::new();
    for a in articles(&app.store, blog)? {
        if a.published(now) {
            if r.may_see(&app.store, &people, &a, &s, now)? {
                visible.push(a);
            }
        } else if let Reader::Member(me, _) = &r {
            if runs(&me.actor, blog) || a.author == me.user.id {
                drafts.push(a);
            }
        }
    }
    let (runner, writer) = match &r {
        Reader::Member(me, _) => (runs(&me.actor, blog), writes(&me.actor, blog, &s)),
        Reader::Anonymous(_) => (false, false),
    };
    // The runners see which drafts the photo guard took back from the public blog.
    let mut kept_back = Vec::new();
    if runner {
        for a in drafts.iter().filter(|a| a.status == super::Status::Draft) {
            if super::guard::check_of(&app.store, a.id)?
                .kept_back
                .is_some()
            {
                kept_back.push(a.id);
            }
        }
    }
    let page = BlogPage {
        blog,
        code: &code,
        settings: &s,
        writer,
        runner,
        drafts: &drafts,
        kept_back: &kept_back,
        visible: &visible,
    };
    let body = views::blog_page(&v, &people, &page);
    render(app, &v, &views::blog_label(&people, blog), body)
}

#[handler]
async fn save_settings(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    FormInput(f): FormInput<SettingsFields>,
) -> AppResult<Redirect> {
    let blog = BlogRef::parse(&code).ok_or(AppError::NotFound)?;
    let granted = access::settle(member.actor(), blog)?;
    let people = People::load(&app.store)?;
    let held = super::save_settings(&app.store, &people, &granted, &f.settings(blog)).await?;
    let done = if held.is_empty() {
        Flash::success("Réglages du blog enregistrés.")
    } else {
        // The teacher is told which articles left the public blog, and why.
        let list: Vec<String> = held
            .iter()
            .map(|(a, why)| format!("« {} » : {why}", a.title))
            .collect();
        Flash::error(format!(
            "Réglages enregistrés. Le blog est public : {} article{} retenu{} (redevenu{} brouillon{}). {}.",
            held.len(),
            plural(held.len()),
            plural(held.len()),
            plural(held.len()),
            plural(held.len()),
            list.join(" ; ")
        ))
    };
    flash(app, &member, done).await?;
    Ok(Redirect::see_other(format!("/blog/{code}")))
}

fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

#[handler]
fn show(Data(app): Data<&App>, Who(v): Who, Path(id): Path<u64>) -> AppResult<Markup> {
    let (a, people, s) = visible_article(app, &v, id)?;
    let r = reader(app, &v)?.ok_or(AppError::NotFound)?;
    let (runner, can_comment, me) = match &r {
        Reader::Member(m, view) => (
            runs(&m.actor, a.blog),
            comments(&m.actor, view, a.blog, &s),
            Some(m.user.id),
        ),
        Reader::Anonymous(_) => (false, false, None),
    };
    let all_comments: Vec<Comment> = comments_of(&app.store, id)?
        .into_iter()
        .filter(|c| !c.pending || runner || Some(c.author) == me)
        .collect();
    let (missing, check) = if runner {
        (
            super::unauthorised(&app.store, &people, &a)?,
            super::guard::check_of(&app.store, a.id)?,
        )
    } else {
        (Vec::new(), Default::default())
    };
    let page = ArticlePage {
        article: &a,
        settings: &s,
        runner,
        can_comment,
        me,
        comments: &all_comments,
        missing: &missing,
        kept_back: check.kept_back.as_deref(),
        now: auth::now_micros(),
    };
    let body = views::article_page(&v, &people, &page);
    render(app, &v, &a.title, body)
}

#[handler]
async fn media_file(
    req: &Request,
    Data(app): Data<&App>,
    Who(v): Who,
    Path((id, n)): Path<(u64, usize)>,
) -> AppResult<Response> {
    let (a, _, _) = visible_article(app, &v, id)?;
    let m = a.media.get(n).ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, m, attachments::range(req)).await)
}
