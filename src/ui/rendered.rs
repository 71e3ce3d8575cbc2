//! Rich texts already rendered, kept in memory by their source.
//!
//! A message, a mot or an article is stored as its Markdown source and made into clean
//! HTML each time it is shown (so that a tighter allow-list applies to old texts too).
//! Rendering and cleaning one text cost more than the rest of its page (issue 15); the
//! same texts are read again and again (a mot by every family of a class, a message in
//! every reply of its thread). So the HTML is kept here, found by the source itself: a
//! text that changes is a new source, and nothing needs to be told of a change. The
//! allow-list is the program's, so a new version (a new process) starts with an empty
//! store.
//!
//! The plain text of a rich text (what the search's excerpts are cut from) is kept the
//! same way, on a shelf of its own.
//!
//! Bounded: about [`MAX_BYTES`] of sources and what was made of them per shelf, the oldest
//! kept first out; a text longer than [`MAX_SOURCE`] is made each time rather than pushing
//! the others out.

use std::collections::VecDeque;
use std::hash::{BuildHasher, BuildHasherDefault};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::{FxHashMap, FxHasher};

/// What the kept texts may weigh together (sources and HTML).
const MAX_BYTES: usize = 1 << 20;

/// Longest source kept.
const MAX_SOURCE: usize = 16 * 1024;

#[derive(Default)]
struct Kept {
    /// By the hash of the source: the source itself, to tell two texts of the same hash
    /// apart, and its HTML.
    texts: FxHashMap<u64, (Box<str>, Arc<str>)>,
    /// The hashes in the order they were kept, oldest first.
    order: VecDeque<u64>,
    bytes: usize,
}

impl Kept {
    fn find(&self, hash: u64, source: &str) -> Option<Arc<str>> {
        self.texts
            .get(&hash)
            .filter(|(kept, _)| &**kept == source)
            .map(|(_, html)| html.clone())
    }

    fn keep(&mut self, hash: u64, source: &str, html: Arc<str>) {
        let weight = source.len() + html.len();
        if let Some((old_source, old_html)) = self.texts.insert(hash, (source.into(), html)) {
            // Another text of the same hash gives way: its place in the order stays.
            self.bytes = self.bytes.saturating_sub(old_source.len() + old_html.len());
        } else {
            self.order.push_back(hash);
        }
        self.bytes += weight;
        while self.bytes > MAX_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some((s, h)) = self.texts.remove(&oldest) {
                self.bytes = self.bytes.saturating_sub(s.len() + h.len());
            }
        }
    }
}

/// Texts made from sources one way: HTML for a page, plain text for an excerpt. Each way
/// has its shelf, so that a source's HTML is never taken for its plain text.
pub struct Shelf(OnceLock<Mutex<Kept>>);

/// The sanitised HTML of rich texts (`richtext::to_html`).
pub static HTML: Shelf = Shelf::new();

/// Rich texts without their markup (`richtext::plain`: the search's excerpts).
pub static PLAIN: Shelf = Shelf::new();

fn hash_of(source: &str) -> u64 {
    BuildHasherDefault::<FxHasher>::default().hash_one(source)
}

impl Shelf {
    const fn new() -> Shelf {
        Shelf(OnceLock::new())
    }

    fn kept(&self) -> &Mutex<Kept> {
        self.0.get_or_init(Mutex::default)
    }

    /// What `make` makes of `source`: kept from an earlier call, or made and kept.
    pub fn get_or_make(&self, source: &str, make: impl FnOnce(&str) -> String) -> String {
        if source.len() > MAX_SOURCE {
            return make(source);
        }
        let hash = hash_of(source);
        if let Some(made) = self.kept().lock().ok().and_then(|k| k.find(hash, source)) {
            return made.to_string();
        }
        let made = make(source);
        if let Ok(mut k) = self.kept().lock() {
            k.keep(hash, source, Arc::from(made.as_str()));
        }
        made
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_rendered_once_and_then_found_by_its_source() {
        let renders = std::cell::Cell::new(0);
        let render = |s: &str| {
            renders.set(renders.get() + 1);
            format!("<p>{s}</p>")
        };
        let source = "Texte **rendu une fois** (test de rendered.rs, 7f3a)";
        let shelf = Shelf::new();
        let first = shelf.get_or_make(source, render);
        let second = shelf.get_or_make(source, render);
        assert_eq!(first, second);
        assert_eq!(renders.get(), 1);
        // Another source is another text.
        let other = shelf.get_or_make("Un autre texte (7f3a)", render);
        assert_eq!(other, "<p>Un autre texte (7f3a)</p>");
        assert_eq!(renders.get(), 2);
    }

    #[test]
    fn two_texts_of_one_hash_are_told_apart_and_the_store_stays_bounded() {
        let mut k = Kept::default();
        k.keep(1, "premier", Arc::from("<p>premier</p>"));
        assert_eq!(k.find(1, "second"), None, "same hash, another source");
        k.keep(1, "second", Arc::from("<p>second</p>"));
        assert_eq!(k.find(1, "premier"), None);
        assert_eq!(k.find(1, "second").as_deref(), Some("<p>second</p>"));
        assert_eq!(k.bytes, "second".len() + "<p>second</p>".len());
        let big = "x".repeat(MAX_SOURCE);
        for n in 0..200u64 {
            k.keep(100 + n, &big, Arc::from(big.as_str()));
            assert!(k.bytes <= MAX_BYTES, "{} bytes", k.bytes);
        }
        assert!(k.find(100, &big).is_none(), "the oldest went first");
        assert!(k.find(299, &big).is_some(), "the newest stays");
        assert_eq!(k.order.len(), k.texts.len());
    }

    #[test]
    fn a_long_text_is_rendered_each_time() {
        let long = "mot ".repeat(MAX_SOURCE / 4 + 1);
        let mut renders = 0;
        for _ in 0..2 {
            PLAIN.get_or_make(&long, |s| {
                renders += 1;
                s.to_string()
            });
        }
        assert_eq!(renders, 2);
    }
}
