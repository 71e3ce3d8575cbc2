//! Handlers of /mediatheque and of its console page /admin/mediatheque.

use crate::routing::{Access as Rule, Object, Routes};
use maud::{html, Markup};
use poem::web::{Data, Form, Multipart, Path, Query, Redirect};
use poem::{handler, Request, Response};
use serde::Deserialize;

use super::views::{self, space_label};
use super::{
    access, space_access, space_slug, Access, Content, FileData, Grantee, Item, Kind, Level,
    NewItem, Share, Space,
};
use crate::app::App;
use crate::attachments::{self, size_text};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{may, require, Action};
use crate::refusal::{Failure, Outcome};
use crate::ui::form::first_value;
use crate::ui::{csrf_input, dates};

type Pairs = Vec<(String, String)>;

pub fn routes() -> Routes {
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

#[handler]
fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let me = member.user().id;
    let spaces = my_spaces(app, &member, &people)?;
    let settings = super::settings(&app.store)?;
    let used = super::usage(&app.store, me)?;
    let body = html! {
        (crate::ui::heading("Médiathèque", Some("Vos documents, photos, sons, vidéos et liens, et ceux de vos classes et groupes.")))
        section.panel {
            (views::usage_bar(used, settings.quota(member.user().profile)))
            form.inline method="get" action="/mediatheque/recherche" role="search" {
                div.field { label for="f-q" { "Rechercher un fichier" } input #f-q type="search" name="q"; }
                div.field {
                    label for="f-type" { "Type" }
                    select #f-type name="type" { option value="" { "Tous" } @for k in Kind::ALL { option value=(k.slug()) { (k.label()) } } }
                }
                button type="submit" { "Rechercher" }
            }
        }
        section.panel {
            h2 { "Mes espaces" }
            ul.tiles {
                @for (s, l, a) in &spaces {
                    li { a.tile href=(format!("/mediatheque/espace/{}", space_slug(*s, me))) { strong { (l) } span { @if *a == Access::Write { "lecture et ajout" } @else { "lecture" } } } }
                }
                li { a.tile href="/mediatheque/partages" { strong { "Partagés avec moi" } span { "les fichiers et dossiers que l'on vous a confiés" } } }
                li { a.tile href="/mediatheque/corbeille" { strong { "Corbeille" } span { "restaurer pendant " (super::TRASH_DAYS) " jours" } } }
            }
        }
    };
    frame(app, &member, "Médiathèque", body)
}

#[derive(Deserialize)]
struct FolderQuery {
    dossier: Option<u64>,
    tri: Option<String>,
}

fn parse(member: &Member, text: &str) -> AppResult<Space> {
    super::parse_space(text, member.user().id).ok_or(AppError::NotFound)
}

/// The folder of a space from the query, checked to belong to it.
fn folder_of(app: &App, space: Space, id: Option<u64>) -> AppResult<Option<u64>> {
    match id {
        None => Ok(None),
        Some(f) => match super::item(&app.store, f)? {
            Some(i) if i.space == space && i.is_folder() && i.trashed.is_none() => Ok(Some(f)),
            _ => Err(AppError::NotFound),
        },
    }
}

#[handler]
fn space_page(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    Query(q): Query<FolderQuery>,
) -> AppResult<Markup> {
    let space = parse(&member, &code)?;
    let me = member.user().id;
    let level = space_access(&app.store, member.actor(), space)?;
    let folder = folder_of(app, space, q.dossier)?;
    // A folder shared with someone opens even without access to its space.
    let via_share = match folder {
        Some(f) => super::item(&app.store, f)?
            .map(|i| access(&app.store, member.actor(), &i))
            .transpose()?
            .unwrap_or(Access::None),
        None => Access::None,
    };
    let level = level.max(via_share);
    if level == Access::None {
        return Err(AppError::Forbidden);
    }
    let people = People::load(&app.store)?;
    let mut list = super::children(&app.store, space, folder)?;
    match q.tri.as_deref() {
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
    let path = super::path(&app.store, folder)?;
    let slug = space_slug(space, me);
    let settings = super::settings(&app.store)?;
    let contribute_toggle = match space {
        Space::Class(c) if may(member.actor(), Action::ManageClassSpace { class_id: c }) => {
            Some((c, super::pupils_contribute(&app.store, c)?))
        }
        _ => None,
    };
    let here = folder.map(|f| format!("dossier={f}&")).unwrap_or_default();
    let body = html! {
        (views::breadcrumb(&label(&people, me, space), &slug, &path))
        h1 { (path.last().map(|f| f.name.clone()).unwrap_or_else(|| label(&people, me, space))) }
        p.small {
            "Trier par : "
            a href=(format!("/mediatheque/espace/{slug}?{here}tri=nom")) { "nom" } " · "
            a href=(format!("/mediatheque/espace/{slug}?{here}tri=date")) { "date" } " · "
            a href=(format!("/mediatheque/espace/{slug}?{here}tri=type")) { "type" } " · "
            a href=(format!("/mediatheque/espace/{slug}?{here}tri=taille")) { "taille" }
        }
        section.panel { (views::items(&list, |_| slug.clone(), None)) }
        @if level == Access::Write { (views::add_forms(&member.visitor, &slug, folder, settings.file_limit(member.user().profile))) }
        @if let Some((c, on)) = contribute_toggle {
            section.panel {
                form method="post" action=(format!("/mediatheque/espace/classe-{c}/eleves")) {
                    (csrf_input(&member.visitor))
                    div.check {
                        input #f-contribute type="checkbox" name="on" value="1" checked[on];
                        label for="f-contribute" { "Les élèves de la classe peuvent ajouter des fichiers (sinon ils les consultent)" }
                    }
                    button type="submit" { "Enregistrer" }
                }
            }
        }
    };
    frame(app, &member, "Médiathèque", body)
}

// ---- adding ----

fn back(space: Space, me: u64, folder: Option<u64>) -> String {
    match folder {
        Some(f) => format!("/mediatheque/espace/{}?dossier={f}", space_slug(space, me)),
        None => format!("/mediatheque/espace/{}", space_slug(space, me)),
    }
}

/// Write access to a space, or to the folder (shared for contribution) where one adds.
fn may_add(app: &App, member: &Member, space: Space, folder: Option<u64>) -> AppResult<()> {
    if space_access(&app.store, member.actor(), space)? == Access::Write {
        return Ok(());
    }
    if let Some(f) = folder.and_then(|f| super::item(&app.store, f).ok().flatten()) {
        if access(&app.store, member.actor(), &f)? == Access::Write {
            return Ok(());
        }
    }
    Err(AppError::Forbidden)
}

#[handler]
async fn upload(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    Query(q): Query<FolderQuery>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Redirect> {
    let space = parse(&member, &code)?;
    let folder = folder_of(app, space, q.dossier)?;
    may_add(app, &member, space, folder)?;
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let me = member.user();
    let settings = super::settings(&app.store)?;
    let quota = settings.quota(me.profile);
    let file_limit = settings.file_limit(me.profile);
    let used = super::usage(&app.store, me.id)?;
    let up = attachments::read_originals(
        &app.store,
        &mut multipart,
        attachments::Limits::quota(file_limit, used, quota),
    )
    .await;
    let mut added = Vec::new();
    let mut refused = up.errors;
    let now = auth::now_micros();
    for a in up.files {
        let mut data = FileData {
            blob: a.blob.clone(),
            mime: a.mime.clone(),
            size: a.size,
            web: None,
            thumb: None,
            web_size: 0,
            web_mime: String::new(),
        };
        if a.mime.starts_with("image/") && a.size <= 60 * 1024 * 1024 {
            let path = crate::store::BlobId::parse(&a.blob).map(|id| app.store.blobs().path(&id));
            let store = app.store.clone();
            let derived = tokio::task::spawn_blocking(move || {
                let d = super::images::derive(&path?)?;
                let web = store.blobs().put_bytes(&d.web).ok()?;
                let thumb = store.blobs().put_bytes(&d.thumb).ok()?;
                Some((web, thumb, d.web.len() as u64, d.mime))
            })
            .await
            .ok()
            .flatten();
            if let Some((web, thumb, web_size, mime)) = derived {
                data.web = Some(web.as_str().to_string());
                data.thumb = Some(thumb.as_str().to_string());
                data.web_size = web_size;
                data.web_mime = mime.to_string();
            }
        }
        // A photo too large to decode here still loses its metadata for others.
        if data.web.is_none() {
            let clean = super::images::publish(&app.store, a.clone()).await;
            if clean.blob != a.blob {
                data.web = Some(clean.blob);
                data.web_size = clean.size;
                data.web_mime = clean.mime;
            }
        }
        match super::create(
            &app.store,
            NewItem {
                space,
                parent: folder,
                name: a.name.clone(),
                content: Content::File(data),
                owner: me.id,
            },
            now,
        )
        .await
        {
            Ok(_) => added.push(a.name),
            Err(Failure::Refused(why)) => refused.push(why.into()),
            Err(e) => return Err(e.into()),
        }
    }
    if !added.is_empty() {
        flash(
            app,
            &member,
            Flash::success(format!("Ajouté : {}.", added.join(", "))),
        )
        .await?;
    }
    if !refused.is_empty() {
        flash(app, &member, Flash::error(refused.join(" "))).await?;
    }
    if added.is_empty() && refused.is_empty() {
        flash(
            app,
            &member,
            Flash::error("Choisissez au moins un fichier."),
        )
        .await?;
    }
    Ok(Redirect::see_other(back(space, me.id, folder)))
}

/// Adds a folder or a link where the form says, once `make` has read it; a French
/// sentence when the form is incomplete.
async fn add_item(
    app: &App,
    member: &Member,
    code: &str,
    f: &Pairs,
    make: impl FnOnce(&Pairs) -> Result<(String, Content), &'static str>,
    done: &str,
) -> AppResult<Redirect> {
    let space = parse(member, code)?;
    let folder = folder_of(app, space, first_value(f, "dossier").parse().ok())?;
    may_add(app, member, space, folder)?;
    match make(f) {
        Err(why) => flash(app, member, Flash::error(why)).await?,
        Ok((name, content)) => {
            let owner = member.user().id;
            let item = NewItem {
                space,
                parent: folder,
                name,
                content,
                owner,
            };
            super::create(&app.store, item, auth::now_micros()).await?;
            flash(app, member, Flash::success(done)).await?;
        }
    }
    Ok(Redirect::see_other(back(space, member.user().id, folder)))
}

#[handler]
async fn new_folder(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let make = |f: &Pairs| {
        let name = first_value(f, "name").trim().to_string();
        if name.is_empty() {
            Err("Donnez un nom au dossier.")
        } else {
            Ok((name, Content::Folder))
        }
    };
    add_item(app, &member, &code, &f, make, "Dossier créé.").await
}

#[handler]
async fn new_link(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let make = |f: &Pairs| {
        let title = first_value(f, "title").trim().to_string();
        let url = first_value(f, "url").trim().to_string();
        let valid = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() < 2000
            && !url
                .chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '<');
        if title.is_empty() || !valid {
            Err("Un lien a besoin d'un titre et d'une adresse commençant par https:// ou http://.")
        } else {
            Ok((title, Content::Link { url }))
        }
    };
    add_item(app, &member, &code, &f, make, "Lien ajouté.").await
}

#[handler]
async fn pupils_contribute(
    Data(app): Data<&App>,
    member: Member,
    Path(code): Path<String>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let Space::Class(c) = parse(&member, &code)? else {
        return Err(AppError::NotFound);
    };
    require(member.actor(), Action::ManageClassSpace { class_id: c })?;
    let on = first_value(&f, "on") == "1";
    super::set_pupils_contribute(&app.store, c, on, auth::now_micros()).await?;
    flash(
        app,
        &member,
        Flash::success(if on {
            "Les élèves peuvent ajouter des fichiers."
        } else {
            "Les élèves consultent l'espace de la classe."
        }),
    )
    .await?;
    Ok(Redirect::see_other(format!(
        "/mediatheque/espace/classe-{c}"
    )))
}

// ---- one item ----

fn load(app: &App, member: &Member, id: u64) -> AppResult<(Item, Access)> {
    let item = super::item(&app.store, id)?.ok_or(AppError::NotFound)?;
    let level = access(&app.store, member.actor(), &item)?;
    if level == Access::None {
        return Err(AppError::Forbidden);
    }
    Ok((item, level))
}

/// Where an item may go: the folders of the spaces where this person may add.
fn destinations(app: &App, member: &Member, people: &People) -> AppResult<Vec<(String, String)>> {
    let me = member.user().id;
    let mut out = Vec::new();
    for (s, l, a) in my_spaces(app, member, people)? {
        if a != Access::Write {
            continue;
        }
        out.push((format!("{}:", super::space_code(s)), l.clone()));
        for f in super::in_space(&app.store, s)?
            .into_iter()
            .filter(|i| i.is_folder() && i.trashed.is_none())
        {
            let names: Vec<String> = super::path(&app.store, Some(f.id))?
                .into_iter()
                .map(|p| p.name)
                .collect();
            out.push((
                format!("{}:{}", super::space_code(s), f.id),
                format!("{l} / {}", names.join(" / ")),
            ));
        }
    }
    let _ = me;
    Ok(out)
}

#[handler]
fn item_page(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let (item, level) = load(app, &member, id)?;
    let me = member.user().id;
    let people = People::load(&app.store)?;
    let slug = space_slug(item.space, me);
    let path = super::path(&app.store, item.parent)?;
    let file_url = format!("/mediatheque/fichier/{id}");
    let owner = people
        .user(item.owner)
        .map(|u| u.display_name())
        .unwrap_or_else(|| "compte supprimé".into());
    let may_share = item.owner == me || level == Access::Write;
    let share_choices: Vec<(String, String)> = if may_share {
        let rules = crate::messaging::rules(&app.store)?;
        let c = crate::messaging::targets::choices(&people, &rules, me);
        c.lists
            .iter()
            .chain(&c.people)
            .filter_map(|(t, l)| match t {
                crate::messaging::Target::User(u) => Some((format!("u{u}"), l.clone())),
                crate::messaging::Target::Group(g) => Some((format!("g{g}"), l.clone())),
                _ => None,
            })
            .collect()
    } else {
        Vec::new()
    };
    let grantee = |g: &Grantee| match g {
        Grantee::User(u) => people
            .user(*u)
            .map(|u| u.display_name())
            .unwrap_or_else(|| "compte supprimé".into()),
        Grantee::Group(g) => format!(
            "groupe {}",
            people
                .group(*g)
                .map(|g| g.label.clone())
                .unwrap_or_default()
        ),
    };
    let body = html! {
        @if space_access(&app.store, member.actor(), item.space)? > Access::None { (views::breadcrumb(&label(&people, me, item.space), &slug, &path)) }
        h1 { (item.name) }
        @if let Some((at, _)) = item.trashed { div.flash.info role="status" { "Dans la corbeille depuis le " (dates::long_datetime(at)) "." } }
        section.panel {
            p.small { (item.kind().label()) " ajouté par " (owner) " le " (dates::long_datetime(item.created_at)) @if let Some(f) = item.file() { " — " (size_text(f.size)) } }
            @match &item.content {
                Content::File(f) if item.kind() == Kind::Image => { img.preview src=(file_url.clone()) alt=(item.name); @let _ = f; }
                Content::File(f) if item.kind() == Kind::Audio => { audio controls preload="metadata" src=(file_url.clone()) { } @let _ = f; }
                Content::File(f) if item.kind() == Kind::Video => { video controls preload="metadata" src=(file_url.clone()) width="640" { } @let _ = f; }
                Content::Link { url } => { p { a href=(url) rel="noopener noreferrer nofollow" { (url) } } }
                _ => {}
            }
            @if item.file().is_some() {
                p.actions {
                    a.button href=(format!("{file_url}?telecharger=1")) { "Télécharger" }
                    @if item.owner == me && item.kind() == Kind::Image { a.button href=(format!("{file_url}?version=original&telecharger=1")) { "Télécharger l'original" } }
                }
            }
        }
        @if level == Access::Write {
            section.panel {
                h2 { "Modifier" }
                @if item.trashed.is_some() {
                    form method="post" action=(format!("/mediatheque/element/{id}/restaurer")) { (csrf_input(&member.visitor)) button.primary type="submit" { "Restaurer" } }
                } @else {
                    form.inline method="post" action=(format!("/mediatheque/element/{id}/renommer")) {
                        (csrf_input(&member.visitor))
                        div.field { label for="f-name" { "Nom" } input #f-name type="text" name="name" value=(item.name) maxlength="120" required; }
                        button type="submit" { "Renommer" }
                    }
                    form.inline method="post" action=(format!("/mediatheque/element/{id}/deplacer")) {
                        (csrf_input(&member.visitor))
                        div.field {
                            label for="f-dest" { "Vers" }
                            select #f-dest name="destination" { @for (v, l) in destinations(app, &member, &people)? { option value=(v) { (l) } } }
                        }
                        button type="submit" name="action" value="deplacer" { "Déplacer" }
                        @if !item.is_folder() { button type="submit" name="action" value="copier" { "Copier" } }
                    }
                    form method="post" action=(format!("/mediatheque/element/{id}/supprimer")) { (csrf_input(&member.visitor)) button.danger type="submit" { "Mettre à la corbeille" } }
                }
            }
        }
        @if may_share && item.trashed.is_none() {
            section.panel {
                h2 { "Partage" }
                @if item.shares.is_empty() { p.empty { "Partagé avec personne d'autre que les membres de l'espace." } }
                ul {
                    @for (n, s) in item.shares.iter().enumerate() {
                        li {
                            (grantee(&s.to)) " — " @if s.level == Level::Contribute { "peut ajouter" } @else { "lecture" }
                            form.inline method="post" action=(format!("/mediatheque/element/{id}/partage/retirer")) { (csrf_input(&member.visitor)) input type="hidden" name="n" value=(n); button.link type="submit" { "retirer" } }
                        }
                    }
                }
                @if !share_choices.is_empty() {
                    form.inline method="post" action=(format!("/mediatheque/element/{id}/partager")) {
                        (csrf_input(&member.visitor))
                        div.field {
                            label for="f-share" { "Partager avec" }
                            select #f-share name="avec" data-filter="Filtrer" { @for (v, l) in &share_choices { option value=(v) { (l) } } }
                        }
                        div.field {
                            label for="f-level" { "Droit" }
                            select #f-level name="droit" { option value="lecture" { "Lecture" } @if item.is_folder() { option value="ajout" { "Lecture et ajout" } } }
                        }
                        button type="submit" { "Partager" }
                    }
                }
            }
        }
    };
    frame(app, &member, &item.name, body)
}

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

fn writable(app: &App, member: &Member, id: u64) -> AppResult<Item> {
    let (item, level) = load(app, member, id)?;
    if level != Access::Write {
        return Err(AppError::Forbidden);
    }
    Ok(item)
}

#[handler]
async fn rename(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    writable(app, &member, id)?;
    let name = first_value(&f, "name");
    if name.trim().is_empty() {
        return done(
            app,
            &member,
            Err(Failure::refused("Le nom ne peut pas être vide.")),
            "",
            format!("/mediatheque/element/{id}"),
        )
        .await;
    }
    let r = super::rename(&app.store, id, &name, auth::now_micros()).await;
    done(
        app,
        &member,
        r,
        "Renommé.",
        format!("/mediatheque/element/{id}"),
    )
    .await
}

#[handler]
async fn move_or_copy(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    writable(app, &member, id)?;
    let me = member.user().id;
    let dest = first_value(&f, "destination");
    let (code, folder) = dest
        .split_once(':')
        .ok_or(AppError::BadRequest("Destination inconnue.".into()))?;
    let space = super::parse_space(code, me).ok_or(AppError::NotFound)?;
    let folder: Option<u64> = if folder.is_empty() {
        None
    } else {
        Some(folder.parse().map_err(|_| AppError::NotFound)?)
    };
    let folder = folder_of(app, space, folder)?;
    may_add(app, &member, space, folder)?;
    let now = auth::now_micros();
    if first_value(&f, "action") == "copier" {
        match super::copy(&app.store, id, space, folder, me, now).await {
            Ok(new) => {
                done(
                    app,
                    &member,
                    Ok(()),
                    "Copié.",
                    format!("/mediatheque/element/{new}"),
                )
                .await
            }
            Err(e) => {
                done(
                    app,
                    &member,
                    Err(e),
                    "",
                    format!("/mediatheque/element/{id}"),
                )
                .await
            }
        }
    } else {
        let r = super::move_to(&app.store, id, space, folder, now).await;
        done(
            app,
            &member,
            r,
            "Déplacé.",
            format!("/mediatheque/element/{id}"),
        )
        .await
    }
}

#[handler]
async fn trash(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let item = writable(app, &member, id)?;
    let r = super::trash_item(&app.store, id, member.user().id, auth::now_micros()).await;
    done(
        app,
        &member,
        r,
        &format!(
            "Mis à la corbeille : vous pouvez le restaurer pendant {} jours.",
            super::TRASH_DAYS
        ),
        back(item.space, member.user().id, item.parent),
    )
    .await
}

#[handler]
async fn restore(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    writable(app, &member, id)?;
    let r = super::restore(&app.store, id, auth::now_micros()).await;
    done(
        app,
        &member,
        r,
        "Restauré.",
        format!("/mediatheque/element/{id}"),
    )
    .await
}

#[handler]
async fn share(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let (item, level) = load(app, &member, id)?;
    let me = member.user().id;
    if item.owner != me && level != Access::Write {
        return Err(AppError::Forbidden);
    }
    let people = People::load(&app.store)?;
    let rules = crate::messaging::rules(&app.store)?;
    let wanted = first_value(&f, "avec");
    let target = crate::messaging::Target::parse(&wanted)
        .ok_or(AppError::BadRequest("Destinataire inconnu.".into()))?;
    // Shares follow the communication rules: only to whom one may write.
    if !crate::messaging::targets::choices(&people, &rules, me).contains(target) {
        return Err(AppError::Forbidden);
    }
    let to = match target {
        crate::messaging::Target::User(u) => Grantee::User(u),
        crate::messaging::Target::Group(g) => Grantee::Group(g),
        _ => {
            return Err(AppError::BadRequest(
                "On partage avec une personne ou un groupe.".into(),
            ))
        }
    };
    let level = if first_value(&f, "droit") == "ajout" && item.is_folder() {
        Level::Contribute
    } else {
        Level::Read
    };
    let mut shares: Vec<Share> = item.shares.into_iter().filter(|s| s.to != to).collect();
    shares.push(Share { to, level });
    let r = super::set_shares(&app.store, id, shares, auth::now_micros()).await;
    done(
        app,
        &member,
        r,
        "Partagé.",
        format!("/mediatheque/element/{id}"),
    )
    .await
}

#[handler]
async fn unshare(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let (item, level) = load(app, &member, id)?;
    if item.owner != member.user().id && level != Access::Write {
        return Err(AppError::Forbidden);
    }
    let n: usize = first_value(&f, "n")
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let mut shares = item.shares;
    if n >= shares.len() {
        return Err(AppError::NotFound);
    }
    shares.remove(n);
    let r = super::set_shares(&app.store, id, shares, auth::now_micros()).await;
    done(
        app,
        &member,
        r,
        "Partage retiré.",
        format!("/mediatheque/element/{id}"),
    )
    .await
}

#[derive(Deserialize)]
struct FileQuery {
    version: Option<String>,
    telecharger: Option<u8>,
}

#[handler]
async fn file(
    req: &Request,
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<FileQuery>,
) -> AppResult<Response> {
    let (item, _) = load(app, &member, id)?;
    let Content::File(f) = &item.content else {
        return Err(AppError::NotFound);
    };
    // Images are served in their web size (no EXIF); the original only to its owner.
    let (blob, mime) = match q.version.as_deref() {
        Some("vignette") => (
            f.thumb.clone().or(f.web.clone()).unwrap_or(f.blob.clone()),
            if f.thumb.is_some() {
                f.web_mime.clone()
            } else {
                f.mime.clone()
            },
        ),
        Some("original") if item.owner == member.user().id => (f.blob.clone(), f.mime.clone()),
        Some("original") => return Err(AppError::Forbidden),
        _ => match &f.web {
            Some(w) => (w.clone(), f.web_mime.clone()),
            None => (f.blob.clone(), f.mime.clone()),
        },
    };
    // What others receive goes through the publishing step (a file whose web version
    // could not be made, stored before PNGs were cleaned, is cleaned when sent).
    let sent = attachments::Attachment {
        blob,
        name: item.name.clone(),
        mime,
        size: 0,
    };
    let sent = if q.version.as_deref() == Some("original") {
        sent
    } else {
        super::images::published(&app.store, &sent).await
    };
    Ok(super::serve::blob(
        &app.store,
        &sent.blob,
        &sent.mime,
        &sent.name,
        q.telecharger.is_some(),
        attachments::range(req),
    )
    .await)
}

// ---- lists ----

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[handler]
fn search(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<SearchQuery>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let me = member.user().id;
    let kind = q
        .kind
        .as_deref()
        .and_then(|k| Kind::ALL.into_iter().find(|x| x.slug() == k));
    let text = q.q.unwrap_or_default();
    let found = super::search(&app.store, member.actor(), &text, kind)?;
    let place = |i: &Item| label(&people, me, i.space);
    let body = html! {
        (crate::ui::heading(&format!("Recherche « {} »", text.trim()), Some(&format!("{} résultat(s)", found.len()))))
        section.panel { (views::items(&found, |i| space_slug(i.space, me), Some(&place))) }
    };
    frame(app, &member, "Recherche", body)
}

#[handler]
fn trash_page(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let me = member.user().id;
    let items = super::trash(&app.store, member.actor())?;
    let place = |i: &Item| label(&people, me, i.space);
    let body = html! {
        (crate::ui::heading("Corbeille", Some(&format!("Ouvrez un élément pour le restaurer. Après {} jours, il est supprimé pour de bon.", super::TRASH_DAYS))))
        section.panel { (views::items(&items, |i| space_slug(i.space, me), Some(&place))) }
    };
    frame(app, &member, "Corbeille", body)
}

#[handler]
fn shared_page(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let me = member.user().id;
    let items = super::shared_with(&app.store, member.actor())?;
    let owner = |i: &Item| {
        people
            .user(i.owner)
            .map(|u| format!("de {}", u.display_name()))
            .unwrap_or_default()
    };
    let body = html! {
        (crate::ui::heading("Partagés avec moi", None))
        section.panel { (views::items(&items, |i| space_slug(i.space, me), Some(&owner))) }
    };
    frame(app, &member, "Partagés avec moi", body)
}
