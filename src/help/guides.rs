//! The guides of `docs/` (direction, enseignant, familles, commune), embedded in the binary
//! with their screenshots and rendered once: every heading and every item that opens with
//! a word in bold (« **Messagerie** : … ») gets an anchor made of that word, so that the
//! « ? » of a page can lead to its section. The guides are ours, compiled in: they are not
//! people's texts, so they may show images, which `ui::richtext` never lets through.

use std::collections::HashMap;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rust_embed::RustEmbed;

use crate::policy::Profile;
use crate::school::Service;
use crate::ui::search::fold;

#[derive(RustEmbed)]
#[folder = "docs/"]
#[include = "guide-*.md"]
#[include = "img/*.png"]
struct Docs;

/// One guide, for one kind of reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guide {
    Familles,
    Enseignant,
    Direction,
    Commune,
}

impl Guide {
    pub const ALL: [Guide; 4] = [
        Guide::Familles,
        Guide::Enseignant,
        Guide::Direction,
        Guide::Commune,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Guide::Familles => "familles",
            Guide::Enseignant => "enseignant",
            Guide::Direction => "direction",
            Guide::Commune => "commune",
        }
    }

    pub fn from_slug(text: &str) -> Option<Guide> {
        Guide::ALL.into_iter().find(|g| g.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Guide::Familles => "Guide des familles",
            Guide::Enseignant => "Guide de l'enseignant",
            Guide::Direction => "Guide de la direction",
            Guide::Commune => "Guide de la commune et du périscolaire",
        }
    }

    pub fn reader(self) -> &'static str {
        match self {
            Guide::Familles => "pour les parents et responsables légaux",
            Guide::Enseignant => "pour les enseignants et les ATSEM",
            Guide::Direction => "pour la directrice ou le directeur",
            Guide::Commune => "pour la mairie, la cantine et le périscolaire",
        }
    }

    fn file(self) -> &'static str {
        match self {
            Guide::Familles => "guide-parents.md",
            Guide::Enseignant => "guide-enseignant.md",
            Guide::Direction => "guide-direction.md",
            Guide::Commune => "guide-commune.md",
        }
    }

    /// The guide a person reads first (pupils have their teacher).
    pub fn of(profile: Profile, director: bool) -> Option<Guide> {
        if director {
            return Some(Guide::Direction);
        }
        match profile {
            Profile::Responsable | Profile::Invite => Some(Guide::Familles),
            Profile::Enseignant | Profile::Atsem | Profile::Intervenant | Profile::Conseiller => {
                Some(Guide::Enseignant)
            }
            Profile::Periscolaire | Profile::Commune => Some(Guide::Commune),
            Profile::Eleve => None,
        }
    }
}

/// A guide as served: its HTML (the first title left out: the page has its own) and its
/// sections (anchor, title) for the table of contents.
pub struct Rendered {
    pub html: String,
    pub sections: Vec<(String, String)>,
    /// Every anchor of the guide, headings and items.
    pub anchors: Vec<String>,
}

/// The guide, rendered at its first reading.
pub fn rendered(guide: Guide) -> &'static Rendered {
    static ALL: OnceLock<HashMap<&'static str, Rendered>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        Guide::ALL
            .into_iter()
            .map(|g| {
                let text = Docs::get(g.file())
                    .map(|f| String::from_utf8_lossy(&f.data).into_owned())
                    .unwrap_or_default();
                (g.slug(), render(&text))
            })
            .collect()
    });
    // Every guide is rendered above; an unknown one cannot be asked for.
    static EMPTY: Rendered = Rendered {
        html: String::new(),
        sections: Vec::new(),
        anchors: Vec::new(),
    };
    all.get(guide.slug()).unwrap_or(&EMPTY)
}

/// A screenshot of the guides, by its file name.
pub fn image(name: &str) -> Option<std::borrow::Cow<'static, [u8]>> {
    if name.contains('/') || !name.ends_with(".png") {
        return None;
    }
    Docs::get(&format!("img/{name}")).map(|f| f.data)
}

/// The anchor of a words run: « Cahier de textes » → `cahier-de-textes`.
pub fn anchor(words: &str) -> String {
    fold(words).replace(' ', "-")
}

/// Where a service is explained in a guide: the anchor of its name, or else the first
/// that starts with it (« Devoirs en ligne » for the devoirs, « Blog de la classe » for
/// the blog), or else the first that names it (« Appel et absences »).
///
/// Every page's « ? » link asks it: worked out once for every guide and service (it
/// folds a label and compares it with every anchor of the guide).
pub fn section_of(guide: Guide, service: Service) -> Option<&'static str> {
    type Found = (Guide, Service, Option<&'static str>);
    static SECTIONS: OnceLock<Vec<Found>> = OnceLock::new();
    SECTIONS
        .get_or_init(|| {
            Guide::ALL
                .into_iter()
                .flat_map(|g| {
                    Service::ALL
                        .into_iter()
                        .map(move |s| (g, s, find_section(g, s)))
                })
                .collect()
        })
        .iter()
        .find(|(g, s, _)| *g == guide && *s == service)
        .map_or_else(|| find_section(guide, service), |(_, _, found)| *found)
}

fn find_section(guide: Guide, service: Service) -> Option<&'static str> {
    let slug = service.slug();
    let label = anchor(service.label());
    let opening = format!("{slug}-");
    let anchors = &rendered(guide).anchors;
    // The service's own item first, then the first that opens with its name.
    anchors
        .iter()
        .find(|a| **a == label || **a == slug)
        .or_else(|| anchors.iter().find(|a| a.starts_with(&opening)))
        .or_else(|| anchors.iter().find(|a| a.split('-').any(|w| w == slug)))
        .map(String::as_str)
}

/// Where the page at `section` (« /messagerie », « /admin/comptes », « /appel ») is
/// explained: its service's section, or else the anchor of its last word (« comptes »,
/// « appel-et-absences »).
pub fn section_for_path(guide: Guide, section: &str) -> Option<&'static str> {
    let path = section.trim_matches('/');
    if let Some(s) = Service::from_slug(path) {
        if let Some(a) = section_of(guide, s) {
            return Some(a);
        }
    }
    let last = path
        .rsplit('/')
        .next()
        .filter(|w| !w.is_empty() && *w != "admin")?;
    let anchors = &rendered(guide).anchors;
    anchors
        .iter()
        .find(|a| a.as_str() == last)
        .or_else(|| {
            anchors.iter().find(|a| {
                a.strip_prefix(last)
                    .is_some_and(|rest| rest.starts_with('-'))
            })
        })
        .map(String::as_str)
}

fn render(text: &str) -> Rendered {
    let events: Vec<Event<'_>> = Parser::new_ext(text, Options::empty()).collect();
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut sections = Vec::new();
    let mut anchors: Vec<String> = Vec::new();
    let mut skipping_title = false;
    for (i, event) in events.iter().enumerate() {
        let after = events.get(i + 1..).unwrap_or_default();
        match event {
            // The page shows the guide's name as its h1.
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => skipping_title = true,
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => skipping_title = false,
            _ if skipping_title => {}
            Event::Start(Tag::Heading { level, .. }) => {
                let title = text_until_end(after);
                let id = unique(anchor(&title), &anchors);
                if *level == HeadingLevel::H2 {
                    sections.push((id.clone(), title));
                }
                anchors.push(id.clone());
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(id)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::Start(Tag::Item) => match bold_lead(after) {
                Some(lead) => {
                    let id = unique(anchor(&lead), &anchors);
                    out.push(Event::Html(CowStr::from(format!("<li id=\"{id}\">"))));
                    anchors.push(id);
                }
                None => out.push(event.clone()),
            },
            // The screenshots are served beside the guides.
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => out.push(Event::Start(Tag::Image {
                link_type: *link_type,
                dest_url: CowStr::from(format!("/aide/{}", dest_url.trim_start_matches("./"))),
                title: title.clone(),
                id: id.clone(),
            })),
            other => out.push(other.clone()),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    Rendered {
        html,
        sections,
        anchors,
    }
}

/// The text of a heading, up to its end.
fn text_until_end(events: &[Event<'_>]) -> String {
    let mut out = String::new();
    for e in events {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            _ => {}
        }
    }
    out
}

/// The bold words an item opens with (directly or in its first paragraph).
fn bold_lead(events: &[Event<'_>]) -> Option<String> {
    let mut rest = events.iter();
    let mut next = rest.next()?;
    if matches!(next, Event::Start(Tag::Paragraph)) {
        next = rest.next()?;
    }
    if !matches!(next, Event::Start(Tag::Strong)) {
        return None;
    }
    let mut lead = String::new();
    for e in rest {
        match e {
            Event::End(TagEnd::Strong) => break,
            Event::Text(t) => lead.push_str(t),
            _ => {}
        }
    }
    (!lead.is_empty()).then_some(lead)
}

/// An anchor not yet used in the guide (a second « Services » becomes `services-2`).
fn unique(id: String, taken: &[String]) -> String {
    if !taken.contains(&id) {
        return id;
    }
    (2..)
        .map(|n| format!("{id}-{n}"))
        .find(|c| !taken.contains(c))
        .unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_and_headings_get_anchors_and_images_their_address() {
        let r = render("# Titre\n\n## Au quotidien\n\n- **Cahier de textes** : le travail.\n- **Messagerie** : écrire.\n\n  ![Un message](img/message-read.png)\n\n## Au quotidien\n");
        assert!(!r.html.contains("Titre"), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="au-quotidien">"#), "{}", r.html);
        assert!(
            r.html.contains(r#"<li id="cahier-de-textes">"#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"<li id="messagerie">"#), "{}", r.html);
        assert!(
            r.html.contains(r#"src="/aide/img/message-read.png""#),
            "{}",
            r.html
        );
        assert_eq!(r.sections.len(), 2);
        assert_eq!(r.sections[1].0, "au-quotidien-2");
    }

    #[test]
    fn each_guide_explains_the_services_its_readers_use() {
        use Service::*;
        for (guide, services) in [
            (
                Guide::Familles,
                &[Messagerie, Carnet, CahierDeTextes, Devoirs, Absences][..],
            ),
            (
                Guide::Enseignant,
                &[
                    Messagerie,
                    Carnet,
                    Mediatheque,
                    CahierDeTextes,
                    Devoirs,
                    Classeur,
                    Exercices,
                    Actualites,
                    Agenda,
                    Blog,
                ][..],
            ),
        ] {
            for s in services {
                assert!(
                    section_of(guide, *s).is_some(),
                    "{guide:?} has no section for {s:?}: {:?}",
                    rendered(guide).anchors
                );
            }
        }
        assert!(image("board.png").is_some());
        assert!(image("../Cargo.toml").is_none());
    }
}
