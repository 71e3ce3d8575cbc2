//! The media picker: any module's form can offer the files of the médiathèque that the
//! person may read, and turn the chosen ones into attachments. Without JavaScript it is a
//! list of check boxes (with a filter box when scripts run).
//!
//! Use: put [`field`] in the form, then call [`resolve`] with the values of the field
//! named [`FIELD`]; the result is a list of [`Attachment`]s for the module's record.

use maud::{html, Markup};

use super::{access, Access, Content, Item, Space, ITEMS};
use crate::attachments::Attachment;
use crate::policy::Actor;
use crate::store::{Result, Store};

pub const FIELD: &str = "media";
const SHOWN: usize = 300;

/// The files this person may read, newest first.
pub fn readable_files(store: &Store, actor: &Actor) -> Result<Vec<Item>> {
    let mut out = Vec::new();
    for (_, i) in store.scan(&ITEMS)? {
        if i.trashed.is_none() && i.file().is_some() && access(store, actor, &i)? > Access::None {
            out.push(i);
        }
    }
    out.sort_by_key(|i| std::cmp::Reverse(i.updated_at));
    out.truncate(SHOWN);
    Ok(out)
}

fn place(i: &Item, me: u64) -> &'static str {
    match i.space {
        Space::Personal(u) if u == me => "mon espace",
        Space::Personal(_) => "partagé avec moi",
        Space::Class(_) => "classe",
        Space::Staff => "salle des maîtres",
        Space::Group(_) => "groupe",
    }
}

/// The picker, for a form; `chosen` are the ids already ticked.
pub fn field(store: &Store, actor: &Actor, chosen: &[String]) -> Result<Markup> {
    let files = readable_files(store, actor)?;
    Ok(html! {
        details.picker-media open[!chosen.is_empty()] {
            summary { "Joindre depuis la médiathèque" }
            @if files.is_empty() {
                p.empty { "Votre médiathèque est vide. " a href="/mediatheque" { "Ouvrir la médiathèque" } }
            } @else {
                fieldset.field {
                    legend.sr { "Fichiers de la médiathèque" }
                    div.media-choices data-filter-list="Filtrer les fichiers" {
                        @for i in &files {
                            @let id = format!("pick-{}", i.id);
                            div.check.media-choice {
                                input type="checkbox" id=(id) name=(FIELD) value=(i.id) checked[chosen.contains(&i.id.to_string())];
                                label for=(id) {
                                    @if i.kind() == super::Kind::Image { img src=(format!("/mediatheque/fichier/{}?version=vignette", i.id)) alt="" width="48" height="48" loading="lazy"; " " }
                                    (i.name) " " span.small { "(" (i.kind().label().to_lowercase()) ", " (place(i, actor.user_id)) ")" }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

/// The picker for a form, when the school has the médiathèque switched on.
pub fn offer(app: &crate::app::App, actor: &Actor) -> crate::error::AppResult<Option<Markup>> {
    use crate::school::Service;
    let on = crate::school::get(&app.store)?
        .is_some_and(|s| s.enabled(Service::Mediatheque) && Service::Mediatheque.available());
    Ok(if on {
        Some(field(&app.store, actor, &[])?)
    } else {
        None
    })
}

/// The chosen files as attachments; images go as their web version (no EXIF data).
pub fn resolve(
    store: &Store,
    actor: &Actor,
    ids: &[String],
) -> std::result::Result<Vec<Attachment>, String> {
    let mut out = Vec::new();
    for raw in ids {
        let Ok(id) = raw.trim().parse::<u64>() else {
            return Err("Un fichier choisi dans la médiathèque est inconnu.".into());
        };
        let item = store
            .get(&ITEMS, &id)
            .map_err(|e| e.to_string())?
            .filter(|i| i.trashed.is_none())
            .ok_or("Un fichier choisi dans la médiathèque n'existe plus.")?;
        if access(store, actor, &item).map_err(|e| e.to_string())? == Access::None {
            return Err("Vous n'avez pas accès à l'un des fichiers choisis.".into());
        }
        let Content::File(f) = &item.content else {
            return Err(format!("« {} » n'est pas un fichier.", item.name));
        };
        let (blob, mime, size) = match &f.web {
            Some(web) => (web.clone(), f.web_mime.clone(), f.web_size),
            None => (f.blob.clone(), f.mime.clone(), f.size),
        };
        if !out.iter().any(|a: &Attachment| a.blob == blob) {
            out.push(Attachment {
                blob,
                name: item.name.clone(),
                mime,
                size,
            });
        }
    }
    Ok(out)
}
