//! Writing an article: the big-button editor, pupils' drafts and proposals, the teacher's
//! publication (refused in a public blog while a tagged pupil has no photo authorisation).

use maud::{html, Markup};
use poem::web::{Data, Multipart, Path, Redirect};
use poem::{handler, IntoResponse, Response};

use crate::app::App;
use crate::attachments::Attachment;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::blog::{
    article, runs, settings, writes, Article, BlogRef, Status, Visibility, ARTICLES,
};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::ui::form::{all_values, first_value, Field, FormState};
use crate::ui::{csrf_input, dates};

use super::*;

fn editor(
    app: &App,
    member: &Member,
    people: &People,
    blog: BlogRef,
    action: &str,
    form: &FormState,
    a: Option<&Article>,
) -> AppResult<Markup> {
    let runner = runs(member.actor(), blog);
    let picker = crate::media::picker::offer(app, member.actor())?;
    let pupils: Vec<u64> = blog
        .class()
        .map(|c| people.pupils_of_class(c))
        .unwrap_or_default();
    let tagged: Vec<String> = form
        .value("tags")
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    let body = html! {
        (crate::ui::heading(if a.is_some() { "Modifier l'article" } else { "Écrire un article" }, Some(&blog_label(people, blog))))
        @if let Some(Article { status: Status::Returned { comment, .. }, .. }) = a { div.flash.info role="status" { "Message de l'enseignant : « " (comment) " »" } }
        section.panel.kid-editor {
            (crate::ui::form::error_summary(form))
            form method="post" action=(action) enctype="multipart/form-data" novalidate {
                (csrf_input(&member.visitor))
                (Field::text("title", "Titre").required().render(form))
                div.field.has-error[form.errors.contains_key("body")] {
                    label for="f-body" { "Mon article" abbr title="obligatoire" { " *" } }
                    @if let Some(e) = form.errors.get("body") { p.error { (e) } }
                    textarea #f-body name="body" rows="10" { (form.value("body")) }
                }
                @if let Some(a) = a {
                    @if !a.media.is_empty() {
                        fieldset.field {
                            legend { "Images, sons et vidéos déjà là" }
                            @for (i, m) in a.media.iter().enumerate() {
                                div.check { input type="checkbox" id=(format!("keep-{i}")) name="garder" value=(i) checked; label for=(format!("keep-{i}")) { (m.name) } }
                            }
                        }
                    }
                }
                div.field.has-error[form.errors.contains_key("files")] {
                    label for="f-files" { "Ajouter des images, des sons, des vidéos" }
                    @if let Some(e) = form.errors.get("files") { p.error { (e) } }
                    input #f-files type="file" name="files" multiple accept="image/*,audio/*,video/*";
                }
                @if let Some(p) = picker { (p) }
                @if runner && !pupils.is_empty() {
                    fieldset.field {
                        legend { "Élèves qu'on reconnaît sur les photos" }
                        div.options {
                            @for p in &pupils {
                                div.check { input type="checkbox" id=(format!("tag-{p}")) name="tag" value=(p) checked[tagged.contains(&p.to_string()) || a.is_some_and(|a| a.tagged.contains(p))]; label for=(format!("tag-{p}")) { (people.user(*p).map(|u| u.display_name()).unwrap_or_default()) } }
                            }
                        }
                    }
                }
                div.actions {
                    @if runner {
                        (Field::text("publish_at", "Publier le (facultatif)").kind("date").render(form))
                        button.primary.big type="submit" name="action" value="publier" { "Publier" }
                    } @else {
                        button.primary.big type="submit" name="action" value="proposer" { "Proposer à l'enseignant" }
                    }
                    button.big type="submit" name="action" value="brouillon" { "Garder en brouillon" }
                }
            }
        }
    };
    render(app, &member.visitor, "Écrire un article", body)
}

#[handler]
pub(super) fn new_form(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
) -> AppResult<Markup> {
    let blog = BlogRef::parse(&code).ok_or(AppError::NotFound)?;
    if !writes(member.actor(), blog, &settings(&app.store, blog)?) {
        return Err(AppError::Forbidden);
    }
    let people = People::load(&app.store)?;
    let action = format!(
        "/blog/{code}/ecrire?{}={}",
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    editor(
        app,
        &member,
        &people,
        blog,
        &action,
        &FormState::new(),
        None,
    )
}

/// Reads the editor's form into an article (new or changed); `None` with errors in `form`.
async fn read_editor(
    app: &App,
    member: &Member,
    people: &People,
    blog: BlogRef,
    multipart: &mut Multipart,
    existing: Option<&Article>,
) -> AppResult<(FormState, Pairs, Option<Article>)> {
    let limits = crate::attachments::Limits::profile(&app.store, member.user().profile)?;
    let (texts, files, errors) =
        crate::attachments::read_form(&app.store, member.actor(), multipart, limits)
            .await
            .parts();
    let mut form = FormState::with_values(
        ["title", "body", "publish_at"].map(|k| (k, first_value(&texts, k))),
    );
    form.set("tags", all_values(&texts, "tag").join(","));
    let title = form.required("title", "le titre");
    if form.value("body").trim().is_empty() {
        form.error("body", "L'article est vide : écris quelque chose.");
    }
    let mut media: Vec<Attachment> = match existing {
        Some(a) => {
            let keep = all_values(&texts, "garder");
            a.media
                .iter()
                .enumerate()
                .filter(|(i, _)| keep.contains(&i.to_string()))
                .map(|(_, m)| m.clone())
                .collect()
        }
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
    let tagged: Vec<u64> = if runs(member.actor(), blog) {
        all_values(&texts, "tag")
            .iter()
            .filter_map(|t| t.parse().ok())
            .filter(|p| pupils.contains(p))
            .collect()
    } else {
        existing.map(|a| a.tagged.clone()).unwrap_or_default()
    };
    let now = auth::now_micros();
    let publish_at = match form.value("publish_at").trim() {
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
        return Ok((form, texts, None));
    }
    let a = Article {
        id: existing.map(|a| a.id).unwrap_or(0),
        blog,
        author: existing.map(|a| a.author).unwrap_or(member.user().id),
        title,
        body: form.value("body").to_string(),
        media,
        status: existing.map(|a| a.status.clone()).unwrap_or(Status::Draft),
        publish_at,
        tagged,
        created_at: existing.map(|a| a.created_at).unwrap_or(now),
        updated_at: now,
    };
    Ok((form, texts, Some(a)))
}

/// Applies the button pressed (draft, propose, publish) and saves.
pub(super) async fn store_article(
    app: &App,
    member: &Member,
    people: &People,
    mut a: Article,
    action: &str,
) -> AppResult<Result<u64, String>> {
    let s = settings(&app.store, a.blog)?;
    match action {
        "publier" if runs(member.actor(), a.blog) => {
            let missing = crate::blog::unauthorised(&app.store, people, &a)?;
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
    let teachers: Vec<u64> = match a.blog {
        BlogRef::Class(c) => people.teachers_of_class(c),
        BlogRef::School => Vec::new(),
    };
    let now = auth::now_micros();
    let readers: Vec<u64> = if a.status == Status::Published {
        match a.blog {
            BlogRef::Class(c) => {
                let mut r = people.pupils_of_class(c);
                r.extend(people.parents_of_class(c));
                r
            }
            BlogRef::School => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let id = app
        .store
        .commit(|tx| {
            let id = if a.id == 0 {
                tx.next_id("blog_article")?
            } else {
                a.id
            };
            let before: Option<Article> = tx.get(&ARTICLES, &id)?;
            tx.put(&ARTICLES, &id, &Article { id, ..a.clone() })?;
            if a.status == Status::Submitted
                && before.as_ref().map(|b| &b.status) != Some(&Status::Submitted)
            {
                for t in &teachers {
                    crate::notify::push(
                        tx,
                        *t,
                        crate::notify::Kind::Moderation,
                        &format!("Article proposé : « {} »", a.title),
                        &format!("/blog/article/{id}"),
                        now,
                    )?;
                }
            }
            if a.status == Status::Published
                && before.as_ref().map(|b| &b.status) != Some(&Status::Published)
            {
                for r in &readers {
                    crate::notify::push(
                        tx,
                        *r,
                        crate::notify::Kind::Article,
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

#[handler]
pub(super) async fn new_submit(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let blog = BlogRef::parse(&code).ok_or(AppError::NotFound)?;
    if !writes(member.actor(), blog, &settings(&app.store, blog)?) {
        return Err(AppError::Forbidden);
    }
    let people = People::load(&app.store)?;
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let (mut form, texts, a) =
        read_editor(app, &member, &people, blog, &mut multipart, None).await?;
    let action = format!(
        "/blog/{code}/ecrire?{}={}",
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    if let Some(a) = a {
        match store_article(
            app,
            &member,
            &people,
            a.clone(),
            &first_value(&texts, "action"),
        )
        .await?
        {
            Ok(id) => {
                auth::push_flash(
                    &app.store,
                    &member.me.session_key,
                    Flash::success("Article enregistré."),
                )
                .await?;
                return Ok(Redirect::see_other(format!("/blog/article/{id}")).into_response());
            }
            Err(why) => {
                // Kept as a draft so that nothing is lost, then shown again with the reason.
                let mut draft = a;
                draft.status = Status::Draft;
                store_article(app, &member, &people, draft, "brouillon")
                    .await?
                    .ok();
                form.error("files", why);
            }
        }
    }
    Ok((
        poem::http::StatusCode::BAD_REQUEST,
        editor(app, &member, &people, blog, &action, &form, None)?,
    )
        .into_response())
}

pub(super) fn may_edit(member: &Member, a: &Article) -> bool {
    runs(member.actor(), a.blog)
        || (a.author == member.user().id
            && matches!(a.status, Status::Draft | Status::Returned { .. }))
}

#[handler]
pub(super) fn edit_form(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let a = article(&app.store, id)?.ok_or(AppError::NotFound)?;
    if !may_edit(&member, &a) {
        return Err(AppError::Forbidden);
    }
    let people = People::load(&app.store)?;
    let mut form = FormState::new();
    form.set("title", a.title.clone());
    form.set("body", a.body.clone());
    let action = format!(
        "/blog/article/{id}/modifier?{}={}",
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    editor(app, &member, &people, a.blog, &action, &form, Some(&a))
}

#[handler]
pub(super) async fn edit_submit(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let existing = article(&app.store, id)?.ok_or(AppError::NotFound)?;
    if !may_edit(&member, &existing) {
        return Err(AppError::Forbidden);
    }
    let people = People::load(&app.store)?;
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let (mut form, texts, a) = read_editor(
        app,
        &member,
        &people,
        existing.blog,
        &mut multipart,
        Some(&existing),
    )
    .await?;
    if let Some(a) = a {
        match store_article(app, &member, &people, a, &first_value(&texts, "action")).await? {
            Ok(id) => {
                auth::push_flash(
                    &app.store,
                    &member.me.session_key,
                    Flash::success("Article enregistré."),
                )
                .await?;
                return Ok(Redirect::see_other(format!("/blog/article/{id}")).into_response());
            }
            Err(why) => form.error("files", why),
        }
    }
    let action = format!(
        "/blog/article/{id}/modifier?{}={}",
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    Ok((
        poem::http::StatusCode::BAD_REQUEST,
        editor(
            app,
            &member,
            &people,
            existing.blog,
            &action,
            &form,
            Some(&existing),
        )?,
    )
        .into_response())
}
