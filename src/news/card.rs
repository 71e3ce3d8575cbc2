//! A news item as a card (the home page, the list) and the labels it shows.

use maud::{html, Markup};

use super::{News, Source, NEWS};
use crate::directory::people::People;
use crate::store::Store;
use crate::ui::text::text;
use crate::ui::{dates, richtext};

pub(super) fn source_label(people: &People, s: &Source) -> String {
    match s {
        Source::School => "L'école".into(),
        Source::Class(c) => format!(
            "Classe {}",
            people
                .class(*c)
                .map(|c| c.label.as_str())
                .unwrap_or_default()
        ),
        Source::Commune => "La commune".into(),
    }
}

pub(super) fn author_name(people: &People, id: u64) -> String {
    people
        .user(id)
        .map(|u| u.display_name())
        .unwrap_or_default()
}

/// The previews of the news' texts, made once per change of the news rather than once per
/// card shown (a preview runs the Markdown reader over the whole text).
struct Previews(std::collections::HashMap<u64, String>);

fn previews(store: &Store) -> Option<std::sync::Arc<Previews>> {
    store
        .derived(&[NEWS.name], |store| {
            let mut all = std::collections::HashMap::new();
            store.visit(&NEWS, |id, n| {
                all.insert(id, richtext::preview(&n.body, PREVIEW_CHARS));
            })?;
            Ok(Previews(all))
        })
        .ok()
}

const PREVIEW_CHARS: usize = 400;

/// News as a card, for the home page and the list.
pub fn card(store: &Store, people: &People, n: &News) -> Markup {
    let kept = previews(store);
    let made;
    let preview: &str = match kept.as_ref().and_then(|p| p.0.get(&n.id)) {
        Some(text) => text,
        None => {
            made = richtext::preview(&n.body, PREVIEW_CHARS);
            &made
        }
    };
    let author = people.user(n.author);
    html! {
        article.news.panel {
            @if n.pinned { p.small { span.badge { "épinglé" } } }
            h3 id={ "actualite-" (n.id) "-titre" } { a href={ "/actualites/" (n.id) } { (text(&n.title)) } }
            p.small {
                @match &n.source {
                    Source::School => { "L'école" }
                    Source::Class(c) => { "Classe " (people.class(*c).map(|c| c.label.as_str()).unwrap_or_default()) }
                    Source::Commune => { "La commune" }
                }
                " — " (dates::long_date(n.publish_at)) " — par "
                @if let Some(u) = author { (text(&u.display_name())) }
            }
            @if n.image.is_some() { img.preview src={ "/actualites/" (n.id) "/image" } alt="" loading="lazy"; }
            (crate::ui::listen::button(&format!("actualite-{0}-titre actualite-{0}-apercu", n.id)))
            p id={ "actualite-" (n.id) "-apercu" } { (text(preview)) }
        }
    }
}
