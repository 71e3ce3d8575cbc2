//! The kinds of records the index holds: for each, its table, its service, and the text
//! of a record that is searched.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;

use super::words;
use crate::school::Service;
use crate::store::{Result, Trigger, Tx};
use crate::ui::richtext::plain;

/// Every kind, with its byte in the postings' keys (never changed once given: the index
/// would lie) and its trigger (a plain function: it cannot carry its kind).
macro_rules! kinds {
    ($($kind:ident = $code:literal),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind {
            $($kind),*
        }

        impl Kind {
            pub fn code(self) -> u8 {
                match self {
                    $(Kind::$kind => $code),*
                }
            }
        }

        pub(super) const TRIGGERS: &[(&str, Trigger)] = &[$(
            (Kind::$kind.table(), |tx, key, before, after| on(Kind::$kind, tx, (key, before, after))),
        )*];
    };
}

kinds!(
    Message = 1,
    Mot = 2,
    News = 3,
    Event = 4,
    Article = 5,
    Comment = 6,
    TextbookEntry = 7,
    Lesson = 8,
    Exercise = 9,
    MediaItem = 10,
);

impl Kind {
    /// In the order the results page shows their groups.
    pub const ALL: [Kind; 10] = [
        Kind::Message,
        Kind::Mot,
        Kind::News,
        Kind::Event,
        Kind::TextbookEntry,
        Kind::Lesson,
        Kind::Exercise,
        Kind::Article,
        Kind::Comment,
        Kind::MediaItem,
    ];

    pub fn from_code(code: u8) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub const fn table(self) -> &'static str {
        match self {
            Kind::Message => crate::messaging::MESSAGES.name,
            Kind::Mot => crate::liaison::MOTS.name,
            Kind::News => crate::news::NEWS.name,
            Kind::Event => crate::agenda::EVENTS.name,
            Kind::Article => crate::blog::ARTICLES.name,
            Kind::Comment => crate::blog::COMMENTS.name,
            Kind::TextbookEntry => crate::pedagogy::textbook::ENTRIES.name,
            Kind::Lesson => crate::pedagogy::lessons::LESSONS.name,
            Kind::Exercise => crate::pedagogy::exercises::EXERCISES.name,
            Kind::MediaItem => crate::media::ITEMS.name,
        }
    }

    /// The service whose switch and class openings decide whether it may be found.
    pub fn service(self) -> Service {
        match self {
            Kind::Message => Service::Messagerie,
            Kind::Mot => Service::Carnet,
            Kind::News => Service::Actualites,
            Kind::Event => Service::Agenda,
            Kind::Article | Kind::Comment => Service::Blog,
            Kind::TextbookEntry => Service::CahierDeTextes,
            Kind::Lesson => Service::Classeur,
            Kind::Exercise => Service::Exercices,
            Kind::MediaItem => Service::Mediatheque,
        }
    }

    /// Its name in the address of its own results (`/recherche?q=…&dans=articles`).
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Message => "messages",
            Kind::Mot => "carnet",
            Kind::News => "actualites",
            Kind::Event => "agenda",
            Kind::Article => "articles",
            Kind::Comment => "commentaires",
            Kind::TextbookEntry => "cahier-de-textes",
            Kind::Lesson => "classeur",
            Kind::Exercise => "exercices",
            Kind::MediaItem => "mediatheque",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// The heading of its group of results.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Message => "Messages",
            Kind::Mot => "Mots du carnet de liaison",
            Kind::News => "Actualités",
            Kind::Event => "Agenda",
            Kind::Article => "Articles des blogs",
            Kind::Comment => "Commentaires des blogs",
            Kind::TextbookEntry => "Cahier de textes et devoirs",
            Kind::Lesson => "Leçons du classeur",
            Kind::Exercise => "Exercices",
            Kind::MediaItem => "Médiathèque",
        }
    }

    /// The searched text of a stored record (empty when it cannot be read).
    pub fn text(self, bytes: &[u8]) -> String {
        match self {
            Kind::Message => read(bytes, |m: crate::messaging::Message| {
                format!("{}\n{}", m.subject, plain(&m.body))
            }),
            Kind::Mot => read(bytes, |m: crate::liaison::Mot| {
                format!(
                    "{}\n{}\n{}",
                    m.title,
                    plain(&m.body),
                    m.question.unwrap_or_default()
                )
            }),
            Kind::News => read(bytes, |n: crate::news::News| {
                format!("{}\n{}", n.title, plain(&n.body))
            }),
            Kind::Event => read(bytes, |e: crate::agenda::Event| {
                format!("{}\n{}\n{}", e.title, e.place, e.details)
            }),
            Kind::Article => read(bytes, |a: crate::blog::Article| {
                format!("{}\n{}", a.title, plain(&a.body))
            }),
            Kind::Comment => read(bytes, |c: crate::blog::Comment| c.text),
            Kind::TextbookEntry => read(bytes, |e: crate::pedagogy::textbook::Entry| {
                format!("{}\n{}\n{}", e.subject, e.title, plain(&e.body))
            }),
            Kind::Lesson => read(bytes, |l: crate::pedagogy::lessons::Lesson| {
                format!("{}\n{}\n{}", l.subject, l.title, plain(&l.body))
            }),
            // The title and the instructions only: the questions hold the answers.
            Kind::Exercise => read(bytes, |e: crate::pedagogy::exercises::Exercise| {
                format!("{}\n{}", e.title, plain(&e.instructions))
            }),
            Kind::MediaItem => read(bytes, |i: crate::media::Item| match i.content {
                crate::media::Content::File(f) => format!("{}\n{}", i.name, f.text),
                _ => i.name,
            }),
        }
    }

    pub fn terms(self, bytes: &[u8]) -> BTreeSet<String> {
        words::terms(&self.text(bytes))
    }
}

fn read<T: DeserializeOwned>(bytes: &[u8], text: impl Fn(T) -> String) -> String {
    serde_json::from_slice::<T>(bytes)
        .map(text)
        .unwrap_or_default()
}

type Change<'a> = (&'a [u8], Option<&'a [u8]>, Option<&'a [u8]>);

fn on(kind: Kind, tx: &mut Tx<'_>, (key, before, after): Change<'_>) -> Result<()> {
    super::reindex(tx, kind, key, before, after)
}
