//! Handlers of /messagerie: each extracts the request, asks `access.rs` (or the policy)
//! for the proof, calls the module and renders. Writing is in `compose.rs`, the teacher's
//! approval in `moderation.rs`.

mod compose;
mod moderation;

use crate::routing::{Access, Object, Routes};
use maud::Markup;
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, Response};

use super::access::{self};
use super::forms::{FolderQuery, MoveForm, NewFolder, ReportForm};
use super::views::{self, Sidebar, ThreadItem};
use super::{mailbox, Folder, State};
use crate::app::App;
use crate::attachments::{self, range};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{may, Action};
use crate::refusal::{Failure, Outcome};
use crate::ui::input::FormInput;
use crate::ui::{page, Frame};

pub fn routes() -> Routes {
    use compose::{compose_page, compose_submit};
    use moderation::{moderate, moderation_classes, moderation_page};
    use Access::*;
    let entry = Object(self::Object::MailboxEntry);
    Routes::new()
        .get("/", folder_page, Member)
        .get("/ecrire", compose_page, Member)
        .post("/ecrire", compose_submit, Member)
        .post("/dossiers", create_folder, Member)
        .post(
            "/dossiers/:id/supprimer",
            delete_folder,
            Object(self::Object::OwnMailFolder),
        )
        .post("/corbeille/vider", empty_trash, Member)
        .get("/moderation", moderation_page, Teacher)
        .post("/moderation/classes", moderation_classes, Teacher)
        .post(
            "/moderation/:id",
            moderate,
            Object(self::Object::HeldMessage),
        )
        .get("/:id", message_page, entry)
        .post("/:id/deplacer", move_message, entry)
        .post("/:id/supprimer", trash, entry)
        .post("/:id/restaurer", restore, entry)
        .post("/:id/effacer", erase, entry)
        .post("/:id/non-lu", unread, entry)
        .post("/:id/signaler", report, entry)
        .get("/:id/pieces/:n", attachment, entry)
        .console("/communication", super::settings::console())
}

/// The page with the messagerie's side column.
fn frame(
    app: &App,
    member: &Member,
    title: &str,
    current: Option<Folder>,
    query: &str,
    main: Markup,
) -> AppResult<Markup> {
    let me = member.user().id;
    let counts = super::counts(&app.store, me)?;
    let personal = super::personal_folders(&app.store, me)?;
    let moderation = if access::moderated_classes(&app.store, member.actor())?.is_empty() {
        None
    } else {
        let people = People::load(&app.store)?;
        Some(
            super::pending(&app.store, &people, |c| {
                may(member.actor(), Action::ModerateClass { class_id: c })
            })?
            .len(),
        )
    };
    let body = views::layout(
        &member.visitor,
        &Sidebar {
            counts: &counts,
            personal: &personal,
            current,
            moderation,
            query,
        },
        maud::html! { (views::purge_banner(super::purge_plan(&app.store)?.as_ref())) (main) },
    );
    let school = crate::school::get(&app.store)?;
    Ok(page(
        Frame {
            school: school.as_ref(),
            visitor: &member.visitor,
            title,
            section: "/messagerie",
        },
        body,
    ))
}

async fn flash(app: &App, member: &Member, f: Flash) -> AppResult<()> {
    auth::push_flash(&app.store, &member.me.session_key, f).await?;
    Ok(())
}

/// Flashes the outcome of a change (its refusal in French) and goes to `to`.
async fn done(
    app: &App,
    member: &Member,
    result: Outcome<()>,
    text: &str,
    to: String,
) -> AppResult<Redirect> {
    match result {
        Ok(()) => flash(app, member, Flash::success(text)).await?,
        Err(Failure::Refused(why)) => flash(app, member, Flash::error(why)).await?,
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::see_other(to))
}

/// The proof that message `id` is in the person's mailbox, or the refusal the filing
/// routes flash (they answer with a redirection, not a 404).
#[handler]
fn folder_page(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<FolderQuery>,
) -> AppResult<Markup> {
    let me = member.user().id;
    let people = People::load(&app.store)?;
    let personal = super::personal_folders(&app.store, me)?;
    let query = q.q.unwrap_or_default();
    if !query.trim().is_empty() {
        let found = super::search(&app.store, &people, me, &query)?;
        let asked = crate::ui::pager::asked(q.page.as_deref());
        let pager =
            crate::ui::pager::Pager::counted(asked, found.len(), crate::ui::pager::PER_PAGE);
        let shown: Vec<_> = pager
            .slice(&found)
            .iter()
            .map(|(m, e)| (super::heads::Head::of(m), e.clone()))
            .collect();
        let list = views::list(
            &people,
            me,
            &format!("Recherche « {} »", query.trim()),
            &shown,
            Some(&personal),
            "Aucun message ne correspond.",
        );
        let kept = [("q", query.as_str())];
        let links = crate::ui::pager::Links {
            path: "/messagerie",
            keep: &kept,
            param: "page",
            label: "Pages des résultats",
        };
        let main = maud::html! {
            (crate::ui::pager::past_end_notice(&pager))
            (list)
            (crate::ui::pager::nav(&pager, &links))
        };
        return frame(app, &member, "Recherche", None, &query, main);
    }
    let folder = q
        .dossier
        .as_deref()
        .and_then(Folder::parse)
        .unwrap_or(Folder::Inbox);
    if let Folder::Personal(id) = folder {
        access::own_folder(&app.store, member.actor(), id)?;
    }
    let asked = crate::ui::pager::asked(q.page.as_deref());
    let (items, pager) = super::folder_page(&app.store, me, folder, asked)?;
    let title = views::folder_label(folder, &personal);
    let list = views::list(
        &people,
        me,
        &title,
        &items,
        None,
        "Aucun message dans ce dossier.",
    );
    let slug = folder.slug();
    let kept = [(
        "dossier",
        if folder == Folder::Inbox {
            ""
        } else {
            slug.as_str()
        },
    )];
    let links = crate::ui::pager::Links {
        path: "/messagerie",
        keep: &kept,
        param: "page",
        label: "Pages du dossier",
    };
    let list = maud::html! {
        (crate::ui::pager::past_end_notice(&pager))
        (list)
        (crate::ui::pager::nav(&pager, &links))
    };
    let main = views::folder_actions(&member.visitor, folder, !items.is_empty(), list);
    frame(app, &member, &title, Some(folder), "", main)
}

#[handler]
async fn message_page(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let me = member.user().id;
    // Only one's own mailbox: no entry, no message (whatever the role).
    access::held_entry(&app.store, member.actor(), id)?;
    let m = super::message(&app.store, id)?.ok_or(AppError::NotFound)?;
    if m.state == State::Draft {
        return Err(AppError::NotFound);
    }
    let mine = access::own_mailbox(member.actor())?;
    let items = super::thread(&app.store, me, m.thread)?;
    for (t, e) in &items {
        if !e.read {
            mailbox::mark_read(&app.store, &mine, t.id).await?;
        }
    }
    let links: Vec<String> = items
        .iter()
        .map(|(t, _)| format!("/messagerie/{}", t.id))
        .collect();
    let links: Vec<&str> = links.iter().map(String::as_str).collect();
    crate::notify::seen_any(&app.store, me, &links).await?;
    let people = People::load(&app.store)?;
    let personal = super::personal_folders(&app.store, me)?;
    let thread_items: Vec<ThreadItem<'_>> = items
        .iter()
        .map(|(m, e)| ThreadItem {
            message: m,
            entry: e,
        })
        .collect();
    let main = views::thread(&member.visitor, &people, me, &thread_items, &personal);
    let current = items
        .iter()
        .find(|(t, _)| t.id == id)
        .map(|(_, e)| e.folder);
    frame(app, &member, &m.subject, current, "", main)
}

#[handler]
async fn attachment(
    req: &poem::Request,
    Data(app): Data<&App>,
    member: Member,
    Path((id, n)): Path<(u64, usize)>,
) -> AppResult<Response> {
    let m = access::attachments_of(&app.store, member.actor(), id)?;
    let a = m.object().attachments.get(n).ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, a, range(req)).await)
}

// ---- filing ----

#[handler]
async fn move_message(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<MoveForm>,
) -> AppResult<Redirect> {
    // Another person's message is not there at all (404), whatever the form says.
    let held = access::held_entry(&app.store, member.actor(), id)?;
    let folder = f
        .folder()
        .ok_or_else(|| AppError::BadRequest("Dossier inconnu.".into()))?;
    let r = mailbox::move_to(&app.store, &held, folder).await;
    let to = format!("/messagerie?dossier={}", folder.slug());
    done(app, &member, r, "Message rangé.", to).await
}

#[handler]
async fn trash(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let held = access::held_entry(&app.store, member.actor(), id)?;
    let r = mailbox::move_to(&app.store, &held, Folder::Trash).await;
    let text = "Message mis à la corbeille (vous pouvez le restaurer).";
    done(app, &member, r, text, "/messagerie".into()).await
}

#[handler]
async fn restore(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let held = access::held_entry(&app.store, member.actor(), id)?;
    let r = mailbox::restore(&app.store, &held).await;
    let to = format!("/messagerie/{id}");
    done(app, &member, r, "Message restauré.", to).await
}

#[handler]
async fn erase(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let held = access::held_entry(&app.store, member.actor(), id)?;
    let n = mailbox::erase(&app.store, &held).await?;
    let text = if n == 0 {
        "Ce message n'est pas dans la corbeille."
    } else {
        "Message supprimé définitivement."
    };
    let to = "/messagerie?dossier=corbeille".into();
    done(app, &member, Ok(()), text, to).await
}

#[handler]
async fn empty_trash(Data(app): Data<&App>, member: Member) -> AppResult<Redirect> {
    let mine = access::own_mailbox(member.actor())?;
    let n = mailbox::empty_trash(&app.store, &mine).await?;
    let text = format!("Corbeille vidée ({n} message(s)).");
    let to = "/messagerie?dossier=corbeille".into();
    done(app, &member, Ok(()), &text, to).await
}

#[handler]
async fn unread(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let held = access::held_entry(&app.store, member.actor(), id)?;
    mailbox::mark_unread(&app.store, &held).await?;
    Ok(Redirect::see_other("/messagerie"))
}

#[handler]
async fn create_folder(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<NewFolder>,
) -> AppResult<Redirect> {
    let name = f.name();
    if name.is_empty() {
        flash(app, &member, Flash::error("Donnez un nom au dossier.")).await?;
        return Ok(Redirect::see_other("/messagerie"));
    }
    let mine = access::own_mailbox(member.actor())?;
    if super::personal_folders(&app.store, mine.object().owner)?
        .iter()
        .any(|(_, n)| crate::directory::fold(n) == crate::directory::fold(&name))
    {
        let text = format!("Vous avez déjà un dossier « {name} ».");
        flash(app, &member, Flash::error(text)).await?;
        return Ok(Redirect::see_other("/messagerie"));
    }
    let id = mailbox::create_folder(&app.store, &mine, &name).await?;
    let text = format!("Dossier « {name} » créé.");
    flash(app, &member, Flash::success(text)).await?;
    Ok(Redirect::see_other(format!(
        "/messagerie?dossier={}",
        Folder::Personal(id).slug()
    )))
}

#[handler]
async fn delete_folder(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let folder = access::own_folder(&app.store, member.actor(), id)?;
    mailbox::delete_folder(&app.store, &folder).await?;
    let text = "Dossier supprimé ; ses messages sont dans la boîte de réception.";
    done(app, &member, Ok(()), text, "/messagerie".into()).await
}

#[handler]
async fn report(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<ReportForm>,
) -> AppResult<Redirect> {
    let held = access::held_entry(&app.store, member.actor(), id)?;
    let m = super::message(&app.store, id)?.ok_or(AppError::NotFound)?;
    let item = mailbox::report(&held, &m)?;
    let people = People::load(&app.store)?;
    crate::reports::signal(app, &member, &people, item, &f.motif).await?;
    Ok(Redirect::see_other(format!("/messagerie/{id}")))
}
