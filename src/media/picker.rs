//! The media picker: any module's form can offer the files of the médiathèque that the
//! person may read, and turn the chosen ones into attachments. Without JavaScript it is a
//! list of check boxes (with a filter box when scripts run).
//!
//! Use: put [`field`] in the form, then call [`resolve`] with the values of the field
//! named [`FIELD`]; the result is a list of [`Attachment`]s for the module's record.

use maud::{html, Markup};

use super::kept::{kept_files, KeptFiles};
use super::{access, Access, Content, Item, Space, ITEMS};
use crate::attachments::Attachment;
use crate::policy::Actor;
use crate::store::{Result, Store};

pub const FIELD: &str = "media";
const SHOWN: usize = 300;

/// The files this person may read, newest first (at most [`SHOWN`]).
fn readable_files(store: &Store, actor: &Actor) -> Result<ReadableFiles> {
    let kept = kept_files(store)?;
    let mut shown = Vec::new();
    // The access by space is the same for every item of a space: asked once per space.
    let mut spaces = Vec::new();
    for id in &kept.files {
        if shown.len() == SHOWN {
            break;
        }
        let Some(i) = kept.items.get(id) else {
            continue;
        };
        if kept.access(store, actor, i, &mut spaces)? > Access::None {
            shown.push(*id);
        }
    }
    Ok(ReadableFiles { kept, shown })
}

/// The files a person may read (their ids, in the kept items).
struct ReadableFiles {
    kept: std::sync::Arc<KeptFiles>,
    shown: Vec<u64>,
}

impl ReadableFiles {
    fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    fn iter(&self) -> impl Iterator<Item = &Item> {
        self.shown.iter().filter_map(|id| self.kept.items.get(id))
    }
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
                        @for i in files.iter() {
                            div.check.media-choice {
                                input type="checkbox" id={ "pick-" (i.id) } name=(FIELD) value=(i.id) checked[!chosen.is_empty() && chosen.contains(&i.id.to_string())];
                                label for={ "pick-" (i.id) } {
                                    @if i.kind() == super::Kind::Image { img src={ "/mediatheque/fichier/" (i.id) "?version=vignette" } alt="" width="48" height="48" loading="lazy"; " " }
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
