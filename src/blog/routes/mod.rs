//! Handlers of /blog. Reading works without login for a public blog on the school network.

use crate::routing::{Access, Object, Routes};
use maud::{html, Markup};
use poem::web::{Data, Form, Path, Redirect};
use poem::{handler, Request, Response};

use super::{
    article, articles, comments, comments_of, reads, runs, settings, writes, Article, BlogRef,
    BlogSettings, Comment, CommentMode, Status, Visibility, ARTICLES, BLOGS, COMMENTS,
};
use crate::app::App;
use crate::attachments::{self};
use crate::auth::visitor::{SignedIn, Visitor};
use crate::auth::web::{Member, Who};
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::news::Viewer;
use crate::ui::form::first_value;
use crate::ui::{csrf_input, dates, richtext};

type Pairs = Vec<(String, String)>;

mod editor;

use editor::{edit_form, edit_submit, new_form, new_submit, store_article};

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

fn blog_label(people: &People, b: BlogRef) -> String {
    match b {
        BlogRef::School => "Blog de l'école".into(),
        BlogRef::Class(c) => format!(
            "Blog de la classe {}",
            people.class(c).map(|c| c.label.clone()).unwrap_or_default()
        ),
    }
}

/// Who reads: a signed-in person, or someone without login on the school network.
enum Reader<'a> {
    Member(&'a SignedIn, Viewer),
    Anonymous,
}

fn reader<'a>(app: &App, v: &'a Visitor) -> AppResult<Option<Reader<'a>>> {
    match &v.signed_in {
        Some(me) => Ok(Some(Reader::Member(
            me,
            Viewer::of_actor(&app.store, &me.actor)?,
        ))),
        None if crate::board::from_school(app, &v.address) => Ok(Some(Reader::Anonymous)),
        None => Ok(None),
    }
}

/// May this reader see the blog? Anonymous readers: public blogs only.
fn may_read(r: &Reader<'_>, blog: BlogRef, s: &BlogSettings) -> bool {
    match r {
        Reader::Member(me, v) => reads(&me.actor, v, blog, s),
        Reader::Anonymous => s.enabled && s.visibility == Visibility::Public,
    }
}

/// May this reader see this article (drafts: their author and the runners)?
fn may_see_article(
    app: &App,
    people: &People,
    r: &Reader<'_>,
    a: &Article,
    s: &BlogSettings,
) -> AppResult<bool> {
    if let Reader::Member(me, _) = r {
        if runs(&me.actor, a.blog) || (a.author == me.user.id && a.status != Status::Published) {
            return Ok(true);
        }
    }
    if !may_read(r, a.blog, s) || !a.published(auth::now_micros()) {
        return Ok(false);
    }
    // Without login, nothing with a pupil whose photo is not authorised.
    if matches!(r, Reader::Anonymous) {
        return Ok(super::unauthorised(&app.store, people, a)?.is_empty());
    }
    Ok(true)
}

/// An article this visitor may see, with what its page needs; a refusal otherwise (not
/// found without login, so that a hidden article is not even confirmed to exist).
fn visible_article(app: &App, v: &Visitor, id: u64) -> AppResult<(Article, People, BlogSettings)> {
    let a = article(&app.store, id)?.ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    let s = settings(&app.store, a.blog)?;
    let r = reader(app, v)?.ok_or(AppError::NotFound)?;
    if !may_see_article(app, &people, &r, &a, &s)? {
        return Err(login_or_refuse(v));
    }
    Ok((a, people, s))
}

fn login_or_refuse(v: &Visitor) -> AppError {
    if v.signed_in.is_none() {
        AppError::NotFound
    } else {
        AppError::Forbidden
    }
}

#[handler]
fn index(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let viewer = Viewer::of_actor(&app.store, member.actor())?;
    let mut blogs = vec![BlogRef::School];
    blogs.extend(people.classes.iter().map(|c| BlogRef::Class(c.id)));
    let mut readable = Vec::new();
    let mut queue = Vec::new();
    for b in blogs {
        let s = settings(&app.store, b)?;
        if reads(member.actor(), &viewer, b, &s) {
            readable.push((b, s.enabled));
        }
        if runs(member.actor(), b) {
            queue.extend(
                articles(&app.store, b)?
                    .into_iter()
                    .filter(|a| a.status == Status::Submitted),
            );
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
                li { a.tile href=(format!("/blog/{}", b.code())) { strong { (blog_label(&people, *b)) } span { @if *enabled { "ouvert" } @else { "fermé par l'enseignant" } } } }
            }
        }
    };
    render(app, &member.visitor, "Blogs", body)
}

fn article_card(people: &People, a: &Article) -> Markup {
    html! {
        article.panel.post {
            h2 { a href=(format!("/blog/article/{}", a.id)) { (a.title) } }
            p.small { "Par " (people.user(a.author).map(|u| u.display_name()).unwrap_or_default()) " — " (dates::long_date(a.publish_at)) }
            @if let Some((i, m)) = a.media.iter().enumerate().find(|(_, m)| m.mime.starts_with("image/")) { img.preview src=(format!("/blog/article/{}/media/{i}", a.id)) alt=(m.name) loading="lazy"; }
            p { (richtext::preview(&a.body, 300)) }
        }
    }
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
    if !may_read(&r, blog, &s) {
        return Err(login_or_refuse(&v));
    }
    let mut visible = Vec::new();
    let mut drafts = Vec::new();
    for a in articles(&app.store, blog)? {
        if a.published(auth::now_micros()) {
            if may_see_article(app, &people, &r, &a, &s)? {
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
        Reader::Anonymous => (false, false),
    };
    let body = html! {
        (crate::ui::heading(&blog_label(&people, blog), None))
        @if !s.enabled { div.flash.info role="status" { "Ce blog est fermé : seuls ses enseignants le voient." } }
        @if writer { p { a.button.primary.big href=(format!("/blog/{code}/ecrire")) { "Écrire un article" } } }
        @if !drafts.is_empty() {
            section.panel {
                h2 { "Brouillons, propositions, à venir" }
                ul { @for a in &drafts { li {
                    a href=(format!("/blog/article/{}", a.id)) { (a.title) } " — " (people.user(a.author).map(|u| u.display_name()).unwrap_or_default()) " — "
                    @match &a.status { Status::Draft => { "brouillon" } Status::Submitted => { span.badge { "proposé" } } Status::Returned { .. } => { "renvoyé à l'élève" } Status::Published => { "publié le " (dates::long_datetime(a.publish_at)) } }
                } } }
            }
        }
        @if visible.is_empty() { p.empty { "Aucun article pour le moment." } }
        @for a in &visible { (article_card(&people, a)) }
        @if runner {
            section.panel {
                h2 { "Réglages du blog" }
                form method="post" action=(format!("/blog/{code}/reglages")) {
                    (csrf_input(&v))
                    @if blog != BlogRef::School {
                        div.check { input #f-enabled type="checkbox" name="enabled" value="1" checked[s.enabled]; label for="f-enabled" { "Blog ouvert" } }
                    } @else { input type="hidden" name="enabled" value="1"; }
                    fieldset.field {
                        legend { "Commentaires" }
                        @for (val, label, m) in [("off", "Pas de commentaires", CommentMode::Off), ("open", "Publiés tout de suite", CommentMode::Open), ("moderated", "Lus par l'enseignant avant publication", CommentMode::Moderated)] {
                            div.check { input type="radio" id=(format!("c-{val}")) name="comments" value=(val) checked[s.comments == m]; label for=(format!("c-{val}")) { (label) } }
                        }
                    }
                    fieldset.field {
                        legend { "Qui peut lire" }
                        @for (val, label, vis) in [("classe", if blog == BlogRef::School { "Toute l'école" } else { "La classe et ses familles" }, Visibility::Class), ("ecole", "Toute l'école", Visibility::School), ("public", "Public, sans connexion, sur le réseau de l'école", Visibility::Public)] {
                            @if !(blog == BlogRef::School && vis == Visibility::Class) {
                                div.check { input type="radio" id=(format!("v-{val}")) name="visibility" value=(val) checked[s.visibility == vis]; label for=(format!("v-{val}")) { (label) } }
                            }
                        }
                    }
                    p.small { "Un article où figure un élève sans autorisation photo n'est jamais montré sans connexion." }
                    button type="submit" { "Enregistrer" }
                }
            }
        }
    };
    render(app, &v, &blog_label(&people, blog), body)
}

#[handler]
async fn save_settings(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let blog = BlogRef::parse(&code).ok_or(AppError::NotFound)?;
    if !runs(member.actor(), blog) {
        return Err(AppError::Forbidden);
    }
    let s = BlogSettings {
        enabled: blog == BlogRef::School || first_value(&f, "enabled") == "1",
        comments: match first_value(&f, "comments").as_str() {
            "off" => CommentMode::Off,
            "open" => CommentMode::Open,
            _ => CommentMode::Moderated,
        },
        visibility: match first_value(&f, "visibility").as_str() {
            "ecole" => Visibility::School,
            "public" => Visibility::Public,
            _ if blog == BlogRef::School => Visibility::School,
            _ => Visibility::Class,
        },
    };
    app.store
        .commit(|tx| tx.put(&BLOGS, &blog.code(), &s))
        .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Réglages du blog enregistrés."),
    )
    .await?;
    Ok(Redirect::see_other(format!("/blog/{code}")))
}

// ---- reading an article ----

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
        Reader::Anonymous => (false, false, None),
    };
    let all_comments: Vec<Comment> = comments_of(&app.store, id)?
        .into_iter()
        .filter(|c| !c.pending || runner || Some(c.author) == me)
        .collect();
    let missing = if runner {
        super::unauthorised(&app.store, &people, &a)?
    } else {
        Vec::new()
    };
    let body = html! {
        p.small { a href=(format!("/blog/{}", a.blog.code())) { "← " (blog_label(&people, a.blog)) } }
        article.post {
            h1 { (a.title) }
            p.small { "Par " (people.user(a.author).map(|u| u.display_name()).unwrap_or_default()) " — " (dates::long_datetime(a.publish_at)) }
            @match &a.status {
                Status::Draft => { p { span.badge { "brouillon" } } }
                Status::Submitted => { p { span.badge { "proposé, en attente de l'enseignant" } } }
                Status::Returned { comment, .. } => { div.flash.info role="status" { "Renvoyé par l'enseignant : « " (comment) " »" } }
                Status::Published if a.publish_at > auth::now_micros() => { p { span.badge { "publication prévue le " (dates::long_datetime(a.publish_at)) } } }
                Status::Published => {}
            }
            @if !missing.is_empty() {
                div.flash.error role="alert" { "Autorisation photo manquante pour : " (missing.iter().map(|p| people.user(*p).map(|u| u.display_name()).unwrap_or_default()).collect::<Vec<_>>().join(", ")) ". Cet article ne sera jamais montré sans connexion." }
            }
            div.richtext { (richtext::render(&a.body)) }
            @for (i, m) in a.media.iter().enumerate() {
                @let url = format!("/blog/article/{id}/media/{i}");
                @if m.mime.starts_with("image/") { p { img.preview src=(url) alt=(m.name); } }
                @else if m.mime.starts_with("audio/") { p { audio controls preload="none" src=(url) {} } }
                @else { p { video controls preload="metadata" src=(url) {} } }
            }
        }
        @if let Some(me_id) = me {
            div.actions {
                @if a.author == me_id && matches!(a.status, Status::Draft | Status::Returned { .. }) {
                    a.button href=(format!("/blog/article/{id}/modifier")) { "Modifier" }
                    form method="post" action=(format!("/blog/article/{id}/proposer")) { (csrf_input(&v)) button.primary.big type="submit" { "Proposer à l'enseignant" } }
                }
                @if runner {
                    a.button href=(format!("/blog/article/{id}/modifier")) { "Modifier" }
                    @if a.status != Status::Published {
                        form method="post" action=(format!("/blog/article/{id}/publier")) { (csrf_input(&v)) button.primary type="submit" { "Publier" } }
                        form.inline method="post" action=(format!("/blog/article/{id}/renvoyer")) {
                            (csrf_input(&v))
                            div.field { label for="f-return" { "Renvoyer à l'élève avec un mot" } input #f-return type="text" name="comment" required; }
                            button type="submit" { "Renvoyer" }
                        }
                    }
                }
            }
        }
        @if a.published(auth::now_micros()) {
            section.panel.comments {
                h2 { "Commentaires" }
                @if all_comments.is_empty() { p.empty { "Aucun commentaire." } }
                @for c in &all_comments {
                    div.comment {
                        p { strong { (people.user(c.author).map(|u| u.display_name()).unwrap_or_default()) } " — " span.small { (dates::long_datetime(c.at)) } @if c.pending { " " span.badge { "en attente de l'enseignant" } } }
                        p { (c.text) }
                        @if me.is_some_and(|m| m != c.author) && !c.pending {
                            form.inline method="post" action=(format!("/blog/article/{id}/commentaires/{}/signaler", c.id)) { (csrf_input(&v)) button.link type="submit" { "Signaler ce commentaire" } }
                        }
                        @if runner {
                            div.actions {
                                @if c.pending { form method="post" action=(format!("/blog/article/{id}/commentaires/{}/valider", c.id)) { (csrf_input(&v)) button type="submit" { "Publier le commentaire" } } }
                                form method="post" action=(format!("/blog/article/{id}/commentaires/{}/supprimer", c.id)) { (csrf_input(&v)) button.link type="submit" { "Supprimer" } }
                            }
                        }
                    }
                }
                @if can_comment {
                    form method="post" action=(format!("/blog/article/{id}/commenter")) {
                        (csrf_input(&v))
                        div.field { label for="f-comment" { "Mon commentaire" } textarea #f-comment name="text" rows="3" maxlength="2000" {} }
                        @if s.comments == CommentMode::Moderated { p.small { "L'enseignant lira ton commentaire avant de le publier." } }
                        button.primary type="submit" { "Commenter" }
                    }
                }
            }
            @if me.is_some_and(|m| m != a.author) {
                details.report {
                    summary { "Signaler cet article à la direction" }
                    form method="post" action=(format!("/blog/article/{id}/signaler")) {
                        (csrf_input(&v))
                        div.field { label for="f-reason" { "Pourquoi ? (facultatif)" } textarea #f-reason name="motif" rows="2" {} }
                        button type="submit" { "Signaler" }
                    }
                }
            }
        }
    };
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

// ---- the teacher's actions ----

fn runner_of(app: &App, member: &Member, id: u64) -> AppResult<Article> {
    let a = article(&app.store, id)?.ok_or(AppError::NotFound)?;
    if !runs(member.actor(), a.blog) {
        return Err(AppError::Forbidden);
    }
    Ok(a)
}

#[handler]
async fn submit(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let a = article(&app.store, id)?.ok_or(AppError::NotFound)?;
    if a.author != member.user().id || !matches!(a.status, Status::Draft | Status::Returned { .. })
    {
        return Err(AppError::Forbidden);
    }
    let people = People::load(&app.store)?;
    store_article(app, &member, &people, a, "proposer")
        .await?
        .ok();
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Ton article est proposé à l'enseignant."),
    )
    .await?;
    Ok(Redirect::see_other(format!("/blog/article/{id}")))
}

#[handler]
async fn publish(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let a = runner_of(app, &member, id)?;
    let people = People::load(&app.store)?;
    let author = a.author;
    let title = a.title.clone();
    let flash = match store_article(app, &member, &people, a, "publier").await? {
        Ok(_) => {
            if author != member.user().id {
                let now = auth::now_micros();
                app.store
                    .commit(|tx| {
                        crate::notify::push(
                            tx,
                            author,
                            crate::notify::Kind::Article,
                            &format!("Ton article « {title} » est publié !"),
                            &format!("/blog/article/{id}"),
                            now,
                        )
                    })
                    .await?;
            }
            Flash::success("Article publié.")
        }
        Err(why) => Flash::error(why),
    };
    auth::push_flash(&app.store, &member.me.session_key, flash).await?;
    Ok(Redirect::see_other(format!("/blog/article/{id}")))
}

#[handler]
async fn give_back(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let mut a = runner_of(app, &member, id)?;
    let comment = first_value(&f, "comment").trim().to_string();
    if comment.is_empty() {
        auth::push_flash(
            &app.store,
            &member.me.session_key,
            Flash::error("Écrivez un mot pour l'élève."),
        )
        .await?;
        return Ok(Redirect::see_other(format!("/blog/article/{id}")));
    }
    a.status = Status::Returned {
        by: member.user().id,
        comment: comment.clone(),
    };
    let now = auth::now_micros();
    app.store
        .commit(|tx| {
            tx.put(&ARTICLES, &id, &a)?;
            crate::notify::push(
                tx,
                a.author,
                crate::notify::Kind::Article,
                &format!(
                    "Ton article « {} » revient avec un mot de l'enseignant",
                    a.title
                ),
                &format!("/blog/article/{id}"),
                now,
            )
        })
        .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Article renvoyé à l'élève."),
    )
    .await?;
    Ok(Redirect::see_other(format!("/blog/article/{id}")))
}

#[handler]
async fn add_comment(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let a = article(&app.store, id)?.ok_or(AppError::NotFound)?;
    let s = settings(&app.store, a.blog)?;
    let viewer = Viewer::of_actor(&app.store, member.actor())?;
    // Off means refused here too, whatever the form says.
    if !a.published(auth::now_micros()) || !comments(member.actor(), &viewer, a.blog, &s) {
        return Err(AppError::Forbidden);
    }
    let text: String = first_value(&f, "text").trim().chars().take(2000).collect();
    if text.is_empty() {
        auth::push_flash(
            &app.store,
            &member.me.session_key,
            Flash::error("Le commentaire est vide."),
        )
        .await?;
        return Ok(Redirect::see_other(format!("/blog/article/{id}")));
    }
    let pending = s.comments == CommentMode::Moderated && !runs(member.actor(), a.blog);
    let people = People::load(&app.store)?;
    let teachers: Vec<u64> = a
        .blog
        .class()
        .map(|c| people.teachers_of_class(c))
        .unwrap_or_default();
    let me = member.user().id;
    let now = auth::now_micros();
    app.store
        .commit(|tx| {
            let cid = tx.next_id("blog_comment")?;
            tx.put(
                &COMMENTS,
                &(id, cid),
                &Comment {
                    id: cid,
                    author: me,
                    text: text.clone(),
                    at: now,
                    pending,
                },
            )?;
            if pending {
                for t in &teachers {
                    crate::notify::push(
                        tx,
                        *t,
                        crate::notify::Kind::Moderation,
                        &format!("Commentaire à lire sur « {} »", a.title),
                        &format!("/blog/article/{id}"),
                        now,
                    )?;
                }
            }
            Ok(())
        })
        .await?;
    let text = if pending {
        "Merci ! Ton commentaire sera publié quand l'enseignant l'aura lu."
    } else {
        "Commentaire publié."
    };
    auth::push_flash(&app.store, &member.me.session_key, Flash::success(text)).await?;
    Ok(Redirect::see_other(format!("/blog/article/{id}")))
}

#[handler]
async fn approve_comment(
    Data(app): Data<&App>,
    member: Member,
    Path((id, c)): Path<(u64, u64)>,
) -> AppResult<Redirect> {
    runner_of(app, &member, id)?;
    let found = app
        .store
        .commit(|tx| match tx.get(&COMMENTS, &(id, c))? {
            Some(mut com) => {
                com.pending = false;
                tx.put(&COMMENTS, &(id, c), &com)?;
                Ok(true)
            }
            None => Ok(false),
        })
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::see_other(format!("/blog/article/{id}")))
}

#[handler]
async fn delete_comment(
    Data(app): Data<&App>,
    member: Member,
    Path((id, c)): Path<(u64, u64)>,
) -> AppResult<Redirect> {
    runner_of(app, &member, id)?;
    app.store
        .commit(|tx| tx.remove(&COMMENTS, &(id, c)))
        .await?;
    Ok(Redirect::see_other(format!("/blog/article/{id}")))
}

#[handler]
async fn report(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let (a, people, _) = visible_article(app, &member.visitor, id)?;
    let item = crate::reports::Reported {
        kind: "Article",
        title: a.title.clone(),
        body: a.body.clone(),
        author: a.author,
    };
    crate::reports::signal(app, &member, &people, item, &first_value(&f, "motif")).await?;
    Ok(Redirect::see_other(format!("/blog/article/{id}")))
}

#[handler]
async fn report_comment(
    Data(app): Data<&App>,
    member: Member,
    Path((id, c)): Path<(u64, u64)>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let (a, people, _) = visible_article(app, &member.visitor, id)?;
    let com = app
        .store
        .get(&COMMENTS, &(id, c))?
        .ok_or(AppError::NotFound)?;
    if com.pending && !runs(member.actor(), a.blog) && com.author != member.user().id {
        return Err(AppError::NotFound);
    }
    let item = crate::reports::Reported {
        kind: "Commentaire",
        title: format!("sur « {} »", a.title),
        body: com.text.clone(),
        author: com.author,
    };
    crate::reports::signal(app, &member, &people, item, &first_value(&f, "motif")).await?;
    Ok(Redirect::see_other(format!("/blog/article/{id}")))
}
