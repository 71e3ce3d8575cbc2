//! The page of one item, the changes to it, and its file.

use maud::Markup;
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, Request, Response};

use super::{back, done, frame, label, my_spaces};
use crate::app::App;
use crate::attachments;
use crate::auth;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::media::access;
use crate::media::forms::{Destination, FileQuery, MoveOrCopy, Rename, ShareWith, Unshare};
use crate::media::views::{self, InheritedShare, ItemPage};
use crate::media::{self as media, shares, Access, Content, Grantee, Level};
use crate::messaging::Target;
use crate::refusal::Failure;
use crate::ui::input::FormInput;

/// Where an item may go: the folders of the spaces where this person may add.
fn destinations(app: &App, member: &Member, people: &People) -> AppResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (s, l, a) in my_spaces(app, member, people)? {
        if a < Access::Add {
            continue;
        }
        out.push((format!("{}:", media::space_code(s)), l.clone()));
        for f in media::in_space(&app.store, s)?
            .into_iter()
            .filter(|i| i.is_folder() && i.trashed.is_none())
        {
            let names: Vec<String> = media::path(&app.store, Some(f.id))?
                .into_iter()
                .map(|p| p.name)
                .collect();
            out.push((
                format!("{}:{}", media::space_code(s), f.id),
                format!("{l} / {}", names.join(" / ")),
            ));
        }
    }
    Ok(out)
}

/// Whom this person may share with: the people and groups they may write to.
fn share_choices(app: &App, people: &People, me: u64) -> AppResult<Vec<(String, String)>> {
    let rules = crate::messaging::rules(&app.store)?;
    let c = crate::messaging::targets::choices(people, &rules, me);
    Ok(c.lists
        .iter()
        .chain(&c.people)
        .filter_map(|(t, l)| match t {
            Target::User(u) => Some((format!("u{u}"), l.clone())),
            Target::Group(g) => Some((format!("g{g}"), l.clone())),
            _ => None,
        })
        .collect())
}

fn grantee(people: &People, g: &Grantee) -> String {
    match g {
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
    }
}

/// The shares on the folders above an item, which open it too.
fn inherited(app: &App, people: &People, parent: Option<u64>) -> AppResult<Vec<InheritedShare>> {
    Ok(media::path(&app.store, parent)?
        .into_iter()
        .flat_map(|f| {
            f.shares
                .iter()
                .map(|s| InheritedShare {
                    to: grantee(people, &s.to),
                    level: s.level,
                    folder: f.id,
                    folder_name: f.name.clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect())
}

#[handler]
pub(super) fn item_page(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let (seen, rights) = access::read_item(&app.store, member.actor(), id)?;
    let item = seen.object();
    let me = member.user().id;
    let people = People::load(&app.store)?;
    let breadcrumb = if media::space_access(&app.store, member.actor(), item.space)? > Access::None
    {
        let path = media::path(&app.store, item.parent)?;
        let slug = media::space_slug(item.space, me);
        Some((label(&people, me, item.space), slug, path))
    } else {
        None
    };
    let may_share = rights.share;
    let page = ItemPage {
        visitor: &member.visitor,
        item,
        me,
        breadcrumb,
        owner: people
            .user(item.owner)
            .map(|u| u.display_name())
            .unwrap_or_else(|| "compte supprimé".into()),
        manage: rights.manage,
        destinations: if rights.manage && item.trashed.is_none() {
            destinations(app, &member, &people)?
        } else {
            Vec::new()
        },
        shares: may_share.then(|| {
            item.shares
                .iter()
                .map(|s| grantee(&people, &s.to))
                .collect()
        }),
        inherited: if may_share {
            inherited(app, &people, item.parent)?
        } else {
            Vec::new()
        },
        share_choices: if may_share {
            share_choices(app, &people, me)?
        } else {
            Vec::new()
        },
        share_contribute: rights.share_contribute,
    };
    frame(app, &member, &item.name, views::item_page(&page))
}

fn item_url(id: u64) -> String {
    format!("/mediatheque/element/{id}")
}

#[handler]
pub(super) async fn rename(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<Rename>,
) -> AppResult<Redirect> {
    let granted = access::manage_item(&app.store, member.actor(), id)?;
    let r = match f.check() {
        Ok(name) => media::rename(&app.store, &granted, name, auth::now_micros()).await,
        Err(why) => Err(Failure::refused(why)),
    };
    done(app, &member, r, "Renommé.", item_url(id)).await
}

#[handler]
pub(super) async fn move_or_copy(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<MoveOrCopy>,
) -> AppResult<Redirect> {
    let granted = access::manage_item(&app.store, member.actor(), id)?;
    let (space, folder) = match f.destination(member.user().id) {
        Destination::Place(space, folder) => (space, folder),
        Destination::NotFound => return Err(AppError::NotFound),
        Destination::Unknown => {
            return Err(AppError::BadRequest("Destination inconnue.".into()));
        }
    };
    let to = access::add_to(&app.store, member.actor(), space, folder)?;
    let now = auth::now_micros();
    if f.copy() {
        match media::copy(&app.store, &granted, &to, now).await {
            Ok(new) => done(app, &member, Ok(()), "Copié.", item_url(new)).await,
            Err(e) => done(app, &member, Err(e), "", item_url(id)).await,
        }
    } else {
        let r = media::move_to(&app.store, &granted, &to, now).await;
        done(app, &member, r, "Déplacé.", item_url(id)).await
    }
}

#[handler]
pub(super) async fn trash(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let granted = access::manage_item(&app.store, member.actor(), id)?;
    let r = media::trash_item(&app.store, &granted, auth::now_micros()).await;
    let item = granted.object().item();
    let text = format!(
        "Mis à la corbeille : vous pouvez le restaurer pendant {} jours.",
        media::TRASH_DAYS
    );
    let to = back(item.space, member.user().id, item.parent);
    done(app, &member, r, &text, to).await
}

#[handler]
pub(super) async fn restore(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let granted = access::manage_item(&app.store, member.actor(), id)?;
    let r = media::restore(&app.store, &granted, auth::now_micros()).await;
    done(app, &member, r, "Restauré.", item_url(id)).await
}

#[handler]
pub(super) async fn share(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<ShareWith>,
) -> AppResult<Redirect> {
    let level = if f.contribute() {
        Level::Contribute
    } else {
        Level::Read
    };
    let granted = access::share_item(&app.store, member.actor(), id, level)?;
    let me = member.user().id;
    let people = People::load(&app.store)?;
    let rules = crate::messaging::rules(&app.store)?;
    let target = f
        .target()
        .ok_or(AppError::BadRequest("Destinataire inconnu.".into()))?;
    // Shares follow the communication rules: only to whom one may write.
    if !crate::messaging::targets::choices(&people, &rules, me).contains(target) {
        return Err(AppError::Forbidden);
    }
    let to = match target {
        Target::User(u) => Grantee::User(u),
        Target::Group(g) => Grantee::Group(g),
        _ => {
            return Err(AppError::BadRequest(
                "On partage avec une personne ou un groupe.".into(),
            ))
        }
    };
    let r = shares::share(&app.store, &granted, to, auth::now_micros()).await;
    done(app, &member, r, "Partagé.", item_url(id)).await
}

#[handler]
pub(super) async fn unshare(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<Unshare>,
) -> AppResult<Redirect> {
    let granted = access::share_item(&app.store, member.actor(), id, Level::Read)?;
    let n = f.index().ok_or(AppError::NotFound)?;
    let r = shares::unshare(&app.store, &granted, n, auth::now_micros())
        .await
        .ok_or(AppError::NotFound)?;
    done(app, &member, r, "Partage retiré.", item_url(id)).await
}

#[handler]
pub(super) async fn file(
    req: &Request,
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<FileQuery>,
) -> AppResult<Response> {
    let (seen, _) = access::read_item(&app.store, member.actor(), id)?;
    let item = seen.object();
    let Content::File(f) = &item.content else {
        return Err(AppError::NotFound);
    };
    // Images are served in their web size (no EXIF); the original only to its owner.
    let original = q.version.as_deref() == Some("original");
    if original && item.owner != member.user().id {
        return Err(AppError::Forbidden);
    }
    let (blob, mime) = match q.version.as_deref() {
        Some("vignette") => (
            f.thumb.clone().or(f.web.clone()).unwrap_or(f.blob.clone()),
            if f.thumb.is_some() {
                f.web_mime.clone()
            } else {
                f.mime.clone()
            },
        ),
        Some("original") => (f.blob.clone(), f.mime.clone()),
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
    let sent = if original {
        sent
    } else {
        media::images::published(&app.store, &sent).await
    };
    let download = q.telecharger.is_some();
    let range = attachments::range(req);
    let blob = &sent.blob;
    Ok(media::serve::blob(&app.store, blob, &sent.mime, &sent.name, download, range).await)
}
