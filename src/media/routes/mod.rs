//! Handlers of /mediatheque (its console page is `console.rs`): each reads its input,
//! asks `access.rs` for the proof, calls the médiathèque, and answers.

mod items;
mod spaces;

use crate::routing::{Access as Rule, Object, Routes};
use maud::Markup;
use poem::web::Redirect;

use super::views::space_label;
use super::{space_access, space_slug, Access, Space};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::refusal::{Failure, Outcome};

pub fn routes() -> Routes {
    use items::{file, item_page, move_or_copy, rename, restore, share, trash, unshare};
    use spaces::{
        home, new_folder, new_link, pupils_contribute, search, shared_page, space_page, trash_page,
        upload,
    };
    use Rule::Member;
    let read_space = Rule::Object(Object::MediaSpaceRead);
    let write_space = Rule::Object(Object::MediaSpaceWrite);
    let read_item = Rule::Object(Object::MediaItemRead);
    let manage_item = Rule::Object(Object::MediaItemManage);
    Routes::new()
        .get("/", home, Member)
        .get("/recherche", search, Member)
        .get("/corbeille", trash_page, Member)
        .get("/partages", shared_page, Member)
        .get("/espace/:space", space_page, read_space)
        .post("/espace/:space/envoyer", upload, write_space)
        .post("/espace/:space/dossier", new_folder, write_space)
        .post("/espace/:space/lien", new_link, write_space)
        .post(
            "/espace/:space/eleves",
            pupils_contribute,
            Rule::Object(Object::MediaSpaceManage),
        )
        .get("/element/:id", item_page, read_item)
        .post("/element/:id/renommer", rename, manage_item)
        .post("/element/:id/deplacer", move_or_copy, manage_item)
        .post("/element/:id/supprimer", trash, manage_item)
        .post("/element/:id/restaurer", restore, manage_item)
        .post("/element/:id/partager", share, manage_item)
        .post("/element/:id/partage/retirer", unshare, manage_item)
        .get("/fichier/:id", file, read_item)
        .console("/mediatheque", super::console::console())
}

fn frame(app: &App, member: &Member, title: &str, body: Markup) -> AppResult<Markup> {
    app.page(&member.visitor, title, "/mediatheque", body)
}

pub(super) async fn flash(app: &App, member: &Member, f: Flash) -> AppResult<()> {
    auth::push_flash(&app.store, &member.me.session_key, f).await?;
    Ok(())
}

/// The outcome of a change as a flash message, then to `to`.
async fn done(
    app: &App,
    member: &Member,
    r: Outcome<()>,
    ok: &str,
    to: String,
) -> AppResult<Redirect> {
    match r {
        Ok(()) => flash(app, member, Flash::success(ok)).await?,
        Err(Failure::Refused(why)) => flash(app, member, Flash::error(why)).await?,
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::see_other(to))
}

/// The spaces this person may open, with their names.
fn my_spaces(
    app: &App,
    member: &Member,
    people: &People,
) -> AppResult<Vec<(Space, String, Access)>> {
    let me = member.user().id;
    let mut candidates = vec![Space::Personal(me)];
    let classes: Vec<u64> = if member.actor().director {
        people.classes.iter().map(|c| c.id).collect()
    } else {
        member.actor().class_ids.clone()
    };
    candidates.extend(classes.into_iter().map(Space::Class));
    candidates.push(Space::Staff);
    candidates.extend(member.actor().group_ids.iter().map(|g| Space::Group(*g)));
    let mut out = Vec::new();
    for s in candidates {
        let a = space_access(&app.store, member.actor(), s)?;
        if a > Access::None {
            out.push((s, label(people, me, s), a));
        }
    }
    Ok(out)
}

pub(super) fn label(people: &People, me: u64, s: Space) -> String {
    space_label(
        s,
        me,
        |c| people.class(c).map(|c| c.label.clone()).unwrap_or_default(),
        |g| people.group(g).map(|g| g.label.clone()).unwrap_or_default(),
    )
}

/// The space of the path, with the folder asked in it (404 when it has no URL for this
/// person).
fn parse(member: &Member, text: &str, folder: Option<u64>) -> AppResult<Space> {
    super::parse_space_at(text, member.user().id, folder).ok_or(AppError::NotFound)
}

fn back(space: Space, me: u64, folder: Option<u64>) -> String {
    match folder {
        Some(f) => format!("/mediatheque/espace/{}?dossier={f}", space_slug(space, me)),
        None => format!("/mediatheque/espace/{}", space_slug(space, me)),
    }
}
