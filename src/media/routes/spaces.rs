//! The pages of spaces and lists, and what one adds to a space.

use maud::Markup;
use poem::handler;
use poem::web::{Data, Multipart, Path, Query, Redirect};

use super::{back, flash, frame, label, my_spaces, parse};
use crate::app::App;
use crate::attachments;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::media::access::{self, Place};
use crate::media::forms::{FolderQuery, NewFolder, NewLink, PupilsContribute, SearchQuery};
use crate::media::views::{self, FolderPage};
use crate::media::{self as media, Access, Content, Item, Space};
use crate::policy::{may, Action, Granted};
use crate::refusal::Failure;
use crate::ui::input::FormInput;

#[handler]
pub(super) fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let me = member.user().id;
    let spaces = my_spaces(app, &member, &people)?;
    let quota = media::settings(&app.store)?.quota(member.user().profile);
    let used = media::usage(&app.store, me)?;
    frame(
        app,
        &member,
        "Médiathèque",
        views::home(me, used, quota, &spaces),
    )
}

/// Items in the order the person asked for (by name otherwise, folders first).
fn sort(list: &mut [Item], order: Option<&str>) {
    match order {
        Some("date") => list.sort_by_key(|i| (!i.is_folder(), std::cmp::Reverse(i.updated_at))),
        Some("taille") => list.sort_by_key(|i| {
            (
                !i.is_folder(),
                std::cmp::Reverse(i.file().map(|f| f.size).unwrap_or(0)),
            )
        }),
        Some("type") => list.sort_by_key(|i| {
            (
                !i.is_folder(),
                i.kind().slug(),
                crate::directory::fold(&i.name),
            )
        }),
        _ => {}
    }
}

#[handler]
pub(super) fn space_page(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    Query(q): Query<FolderQuery>,
) -> AppResult<Markup> {
    let space = parse(&member, &code, q.dossier)?;
    let me = member.user().id;
    // A folder shared with someone opens even without access to its space.
    let (place, level) = access::read_place(&app.store, member.actor(), space, q.dossier)?;
    let folder = place.object().folder;
    let people = People::load(&app.store)?;
    let mut list = media::children(&app.store, space, folder)?;
    sort(&mut list, q.tri.as_deref());
    let contribute_toggle = match space {
        Space::Class(c) if may(member.actor(), Action::ManageClassSpace { class_id: c }) => {
            Some((c, media::pupils_contribute(&app.store, c)?))
        }
        _ => None,
    };
    let limit = media::settings(&app.store)?.file_limit(member.user().profile);
    // Through a share only, the way back shows the folders shared, not those above them.
    let mut path = media::path(&app.store, folder)?;
    let via_share = media::space_access(&app.store, member.actor(), space)? == Access::None;
    if via_share {
        let mut shown = Vec::new();
        for f in path {
            if !shown.is_empty() || media::access(&app.store, member.actor(), &f)? > Access::None {
                shown.push(f);
            }
        }
        path = shown;
    }
    let page = FolderPage {
        visitor: &member.visitor,
        space_label: label(&people, me, space),
        slug: media::space_slug(space, me),
        path,
        via_share,
        folder,
        list,
        add: (level >= Access::Add).then_some(limit),
        contribute_toggle,
    };
    frame(app, &member, "Médiathèque", views::folder_page(&page))
}

/// The place of the path and the form's folder, where this person may add.
fn place(app: &App, member: &Member, code: &str, folder: Option<u64>) -> AppResult<Granted<Place>> {
    let space = parse(member, code, folder)?;
    access::add_to(&app.store, member.actor(), space, folder)
}

#[handler]
pub(super) async fn upload(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    Query(q): Query<FolderQuery>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Redirect> {
    let to = place(app, &member, &code, q.dossier)?;
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let me = member.user();
    let settings = media::settings(&app.store)?;
    let limits = attachments::Limits::quota(
        settings.file_limit(me.profile),
        media::usage(&app.store, me.id)?,
        settings.quota(me.profile),
    );
    let up = attachments::read_originals(&app.store, &mut multipart, limits).await?;
    let mut added = Vec::new();
    let mut refused = up.errors;
    let now = auth::now_micros();
    for a in up.files {
        let data = media::file_data(&app.store, &a).await;
        match media::create(&app.store, &to, &a.name, Content::File(data), now).await {
            Ok(_) => added.push(a.name),
            Err(Failure::Refused(why)) => refused.push(why.into()),
            Err(e) => return Err(e.into()),
        }
    }
    if !added.is_empty() {
        let text = format!("Ajouté : {}.", added.join(", "));
        flash(app, &member, Flash::success(text)).await?;
    }
    if !refused.is_empty() {
        flash(app, &member, Flash::error(refused.join(" "))).await?;
    }
    if added.is_empty() && refused.is_empty() {
        let text = "Choisissez au moins un fichier.";
        flash(app, &member, Flash::error(text)).await?;
    }
    let Place { space, folder } = *to.object();
    Ok(Redirect::see_other(back(space, me.id, folder)))
}

/// Adds a folder or a link where the form says, once checked; a French sentence when the
/// form is incomplete.
async fn add_item(
    app: &App,
    member: &Member,
    to: Granted<Place>,
    checked: Result<(String, Content), &'static str>,
    done: &str,
) -> AppResult<Redirect> {
    match checked {
        Err(why) => flash(app, member, Flash::error(why)).await?,
        Ok((name, content)) => {
            media::create(&app.store, &to, &name, content, auth::now_micros()).await?;
            flash(app, member, Flash::success(done)).await?;
        }
    }
    let Place { space, folder } = *to.object();
    Ok(Redirect::see_other(back(space, member.user().id, folder)))
}

#[handler]
pub(super) async fn new_folder(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    FormInput(f): FormInput<NewFolder>,
) -> AppResult<Redirect> {
    let to = place(app, &member, &code, f.folder())?;
    let checked = crate::auth::rate::gate(app, member.user().id, f.check());
    add_item(app, &member, to, checked, "Dossier créé.").await
}

#[handler]
pub(super) async fn new_link(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    FormInput(f): FormInput<NewLink>,
) -> AppResult<Redirect> {
    let to = place(app, &member, &code, f.folder())?;
    add_item(app, &member, to, f.check(), "Lien ajouté.").await
}

#[handler]
pub(super) async fn pupils_contribute(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    FormInput(f): FormInput<PupilsContribute>,
) -> AppResult<Redirect> {
    let Space::Class(c) = parse(&member, &code, None)? else {
        return Err(AppError::NotFound);
    };
    let granted = access::manage_class_space(member.actor(), c)?;
    let on = f.on();
    media::set_pupils_contribute(&app.store, &granted, on, auth::now_micros()).await?;
    let text = if on {
        "Les élèves peuvent ajouter des fichiers."
    } else {
        "Les élèves consultent l'espace de la classe."
    };
    flash(app, &member, Flash::success(text)).await?;
    Ok(Redirect::see_other(format!(
        "/mediatheque/espace/classe-{c}"
    )))
}

#[handler]
pub(super) fn search(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<SearchQuery>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let me = member.user().id;
    let kind = q.kind();
    let text = q.q.unwrap_or_default();
    let found = media::search(&app.store, member.actor(), &text, kind)?;
    let place = |i: &Item| label(&people, me, i.space);
    let title = format!("Recherche « {} »", text.trim());
    let count = format!("{} résultat(s)", found.len());
    let body = views::list_page(&title, Some(&count), &found, me, &place);
    frame(app, &member, "Recherche", body)
}

#[handler]
pub(super) fn trash_page(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let me = member.user().id;
    let items = media::trash(&app.store, member.actor())?;
    let place = |i: &Item| label(&people, me, i.space);
    let hint = format!(
        "Ouvrez un élément pour le restaurer. Après {} jours, il est supprimé pour de bon.",
        media::TRASH_DAYS
    );
    let body = views::list_page("Corbeille", Some(&hint), &items, me, &place);
    frame(app, &member, "Corbeille", body)
}

#[handler]
pub(super) fn shared_page(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let me = member.user().id;
    let items = media::shared_with(&app.store, member.actor())?;
    let owner = |i: &Item| {
        people
            .user(i.owner)
            .map(|u| format!("de {}", u.display_name()))
            .unwrap_or_default()
    };
    let body = views::list_page("Partagés avec moi", None, &items, me, &owner);
    frame(app, &member, "Partagés avec moi", body)
}
