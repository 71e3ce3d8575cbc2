//! Acting on an article: its author proposes it; the blog's runners publish, return it and
//! moderate its comments; its readers comment and report.

use poem::web::{Data, Path, Redirect};
use poem::{handler, IntoResponse, Response};

use super::super::access;
use super::super::forms::{CommentFields, GiveBackFields, PublishFields, ReportFields};
use super::super::views;
use super::super::{settings, Article, Saved, COMMENTS};
use super::{flash, render, stored, visible_article};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::news::Viewer;
use crate::ui::input::FormInput;

fn back(id: u64) -> Redirect {
    Redirect::see_other(format!("/blog/article/{id}"))
}

#[handler]
pub(super) async fn submit(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let a = stored(app, id)?;
    let writing = access::propose(member.actor(), &a)?;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    super::super::save_article(&app.store, &people, &writing, a, "proposer", None, now).await?;
    let done = Flash::success("Ton article est proposé à l'enseignant.");
    flash(app, &member, done).await?;
    Ok(back(id))
}

/// « Publier » (an article, a pupil's proposal) and the confirmation step of the photo
/// guard, which posts here again with the pupils it listed.
#[handler]
pub(super) async fn publish(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<PublishFields>,
) -> AppResult<Response> {
    let a = stored(app, id)?;
    let writing = access::publish(member.actor(), &a)?;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let confirmed = f.confirmed();
    let saved = super::super::save_article(
        &app.store,
        &people,
        &writing,
        a.clone(),
        "publier",
        confirmed.as_deref(),
        now,
    )
    .await?;
    let done = match saved {
        Saved::Done(_) => {
            super::super::tell_author(&app.store, &writing, &a, auth::now_micros()).await?;
            Flash::success("Article publié.")
        }
        Saved::Refused { why, .. } => Flash::error(why),
        Saved::Confirm { absent, .. } => {
            let a = stored(app, id)?;
            return confirm(app, &member, &people, &a, &absent, f.answers_the_step());
        }
    };
    flash(app, &member, done).await?;
    Ok(back(id).into_response())
}

/// The photo check of a published article, asked from outside the publishing (the year's
/// memory): the confirmation step when a pupil without authorisation may appear on its
/// pictures, the article otherwise.
#[handler]
pub(super) async fn photo_check(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let a = access::run(member.actor(), stored(app, id)?)?.into_object();
    let people = People::load(&app.store)?;
    match super::super::guard::verdict(&app.store, &people, &a)? {
        super::super::guard::Verdict::Unconfirmed(absent) => {
            confirm(app, &member, &people, &a, &absent, false)
        }
        _ => {
            let done = Flash::success("Les photos de cet article peuvent quitter la classe.");
            flash(app, &member, done).await?;
            Ok(back(id).into_response())
        }
    }
}

/// The confirmation step, answered to the request that asked to publish.
pub(super) fn confirm(
    app: &App,
    member: &Member,
    people: &People,
    a: &Article,
    absent: &[u64],
    again: bool,
) -> AppResult<Response> {
    let body = views::confirm_page(&member.visitor, people, a, absent, again);
    Ok(render(app, &member.visitor, "Vérifier les photos", body)?.into_response())
}

#[handler]
pub(super) async fn give_back(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<GiveBackFields>,
) -> AppResult<Redirect> {
    let run = access::run(member.actor(), stored(app, id)?)?;
    let comment = f.comment.trim();
    if comment.is_empty() {
        flash(app, &member, Flash::error("Écrivez un mot pour l'élève.")).await?;
        return Ok(back(id));
    }
    super::super::give_back(&app.store, &run, comment, auth::now_micros()).await?;
    flash(app, &member, Flash::success("Article renvoyé à l'élève.")).await?;
    Ok(back(id))
}

#[handler]
pub(super) async fn add_comment(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<CommentFields>,
) -> AppResult<Redirect> {
    let a = stored(app, id)?;
    let s = settings(&app.store, a.blog)?;
    let viewer = Viewer::of_actor(&app.store, member.actor())?
        .in_service(&*People::load(&app.store)?, crate::school::Service::Blog);
    let now = auth::now_micros();
    let commenting = access::comment(member.actor(), &viewer, a, &s, now)?;
    let text = f.text();
    if text.is_empty() {
        flash(app, &member, Flash::error("Le commentaire est vide.")).await?;
        return Ok(back(id));
    }
    crate::auth::rate::allow(app, member.user().id)?;
    let people = People::load(&app.store)?;
    super::super::add_comment(&app.store, &people, &commenting, &text, now).await?;
    let text = if !commenting.object().pending {
        "Commentaire publié."
    } else if views::is_pupil(&member.visitor) {
        "Merci ! Ton commentaire sera publié quand l'enseignant l'aura lu."
    } else {
        "Merci ! Votre commentaire sera publié quand l'enseignant l'aura lu."
    };
    flash(app, &member, Flash::success(text)).await?;
    Ok(back(id))
}

#[handler]
pub(super) async fn approve_comment(
    Data(app): Data<&App>,
    member: Member,
    Path((id, c)): Path<(u64, u64)>,
) -> AppResult<Redirect> {
    let run = access::run(member.actor(), stored(app, id)?)?;
    if !super::super::approve_comment(&app.store, &run, c).await? {
        return Err(AppError::NotFound);
    }
    Ok(back(id))
}

#[handler]
pub(super) async fn delete_comment(
    Data(app): Data<&App>,
    member: Member,
    Path((id, c)): Path<(u64, u64)>,
) -> AppResult<Redirect> {
    let run = access::run(member.actor(), stored(app, id)?)?;
    super::super::delete_comment(&app.store, &run, c).await?;
    Ok(back(id))
}

#[handler]
pub(super) async fn report(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<ReportFields>,
) -> AppResult<Redirect> {
    let (a, people, _) = visible_article(app, &member.visitor, id)?;
    let item = crate::reports::Reported {
        kind: "Article",
        title: a.title.clone(),
        body: a.body.clone(),
        author: a.author,
    };
    crate::reports::signal(app, &member, &people, item, &f.motif).await?;
    Ok(back(id))
}

#[handler]
pub(super) async fn report_comment(
    Data(app): Data<&App>,
    member: Member,
    Path((id, c)): Path<(u64, u64)>,
    FormInput(f): FormInput<ReportFields>,
) -> AppResult<Redirect> {
    let (a, people, _) = visible_article(app, &member.visitor, id)?;
    let com = app
        .store
        .get(&COMMENTS, &(id, c))?
        .ok_or(AppError::NotFound)?;
    // A held comment is seen by its author and the runners only: not even confirmed to exist.
    if com.pending && !super::runs(member.actor(), a.blog) && com.author != member.user().id {
        return Err(AppError::NotFound);
    }
    let item = crate::reports::Reported {
        kind: "Commentaire",
        title: format!("sur « {} »", a.title),
        body: com.text.clone(),
        author: com.author,
    };
    crate::reports::signal(app, &member, &people, item, &f.motif).await?;
    Ok(back(id))
}
