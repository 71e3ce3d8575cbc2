//! From a text to the words the index keeps: French words cut at every separator, folded
//! (no accents, lowercase: « ecole » finds « École »), common little words left out, each
//! reduced to its stem by the Snowball French stemmer (so « sorties » finds « sortie »,
//! « manger » finds « mangeons »).
//!
//! The same steps make the index's terms and the query's: changing them means rebuilding
//! the index (`preau check --reindex`, or a migration).

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// Words a French text is full of, which would make every record match.
const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "en",
    "est", "et", "il", "ils", "je", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me",
    "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu",
    "que", "qui", "sa", "se", "ses", "son", "sont", "sur", "ta", "te", "tes", "toi", "ton", "tu",
    "un", "une", "vos", "votre", "vous", "y", "l", "d", "j", "n", "s", "c", "m", "t",
];

/// Words of one record beyond which the rest of a long text is not indexed: the index of
/// a Raspberry Pi stays bounded whatever is pasted into a message.
const MAX_WORDS: usize = 4_000;

/// Longest term kept (a pasted link or a long number is not a word to look for).
const MAX_TERM: usize = 40;

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::French))
}

/// The words of a text, lowercase, as they were written (accents kept).
fn raw_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// One word as the index knows it; `None` for a little word or an overlong one.
///
/// Folded before it is stemmed: « musee » typed without its accent must meet « musée »,
/// and the stemmer treats an accented ending differently from a plain one (« musée » and
/// « musee » would part).
pub fn term(word: &str) -> Option<String> {
    let folded = crate::ui::search::fold(word).replace(' ', "");
    if folded.is_empty() || STOP_WORDS.contains(&folded.as_str()) {
        return None;
    }
    let stem = stemmer().stem(&folded);
    (!stem.is_empty() && stem.len() <= MAX_TERM).then(|| stem.into_owned())
}

/// Every distinct term of a text (its first [`MAX_WORDS`] words).
pub fn terms(text: &str) -> BTreeSet<String> {
    raw_words(text)
        .take(MAX_WORDS)
        .filter_map(|w| term(&w))
        .collect()
}

/// The terms of what someone typed, in their order, without repeats.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in raw_words(query).take(12).filter_map(|w| term(&w)) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// The query's terms, and what was already told of the words shown: a results page marks
/// the same words again from one result to the next (« sortie », a class's name, a
/// teacher's), and telling one is folding and stemming it (thousands of instructions).
pub struct Marker<'q> {
    query: &'q [String],
    told: RefCell<FxHashMap<String, bool>>,
}

/// Words remembered by one page at most (a page shows a few dozen excerpts).
const MAX_TOLD: usize = 4_096;

impl<'q> Marker<'q> {
    pub fn new(query: &'q [String]) -> Marker<'q> {
        Marker {
            query,
            told: RefCell::new(FxHashMap::default()),
        }
    }

    /// [`matches`], each word told once per page.
    pub fn matches(&self, word: &str) -> bool {
        if !may_match(word, self.query) {
            return false;
        }
        if let Some(known) = self.told.borrow().get(word) {
            return *known;
        }
        let found = stem_matches(word, self.query);
        let mut told = self.told.borrow_mut();
        if told.len() < MAX_TOLD {
            told.insert(word.to_string(), found);
        }
        found
    }
}

/// Whether a word of a shown text is one of the query's (to highlight it): its term starts
/// with a query term, as the search itself matches. Pages ask through a [`Marker`]; the
/// tests ask the words one at a time.
#[cfg(test)]
fn matches(word: &str, query: &[String]) -> bool {
    may_match(word, query) && stem_matches(word, query)
}

/// Whether a word may match: its first letters are those of a query term (a stem keeps the
/// beginning of its word). Most words of a shown text fail here and are never stemmed.
fn may_match(word: &str, query: &[String]) -> bool {
    // Most words of a text begin with a plain letter that begins no query term: folding
    // leaves an ASCII letter as its lowercase, so they are told apart without folding.
    if let Some(first) = word.chars().next().filter(char::is_ascii) {
        let first = first.to_ascii_lowercase() as u8;
        if !query.iter().any(|q| q.as_bytes().first() == Some(&first)) {
            return false;
        }
    }
    // Only the first letters are folded for that test: a shown text has many words, and
    // folding each whole word was most of a results page's time.
    let first = word
        .char_indices()
        .nth(3)
        .map_or(word, |(end, _)| &word[..end]);
    let head: String = crate::ui::search::fold(first).chars().take(3).collect();
    query
        .iter()
        .any(|q| q.starts_with(head.as_str()) || head.starts_with(q.as_str()))
}

/// Whether the word's term begins with a query term (the test itself, after [`may_match`]).
fn stem_matches(word: &str, query: &[String]) -> bool {
    term(word).is_some_and(|t| {
        query.iter().any(|q| {
            // As the search: a short term is a whole word, not the start of longer ones.
            if q.chars().count() < super::PREFIX_FROM {
                t == *q
            } else {
                t.starts_with(q.as_str())
            }
        })
    })
}

/// A text cut into runs, each marked when it is a matched word: what the results page
/// shows, around the first match, at most about `width` characters (every run of spaces
/// and line breaks shown as one space).
///
/// The text is read up to the end of the excerpt only, and each word is tested once at most
/// (`matches`): an article is long, the excerpt a line of it (issue 15).
pub fn excerpt(text: &str, marker: &Marker<'_>, width: usize) -> Vec<(String, bool)> {
    // Start a few pieces before the first match, so it reads in its sentence.
    const BEFORE: usize = 12;
    let text = text.trim();
    let mut before: std::collections::VecDeque<(&str, bool)> =
        std::collections::VecDeque::with_capacity(BEFORE);
    let mut skipped = false;
    let mut rest = Pieces::new(text);
    let mut first = None;
    for piece in rest.by_ref() {
        if piece.1 && marker.matches(piece.0) {
            first = Some(piece.0);
            break;
        }
        if before.len() == BEFORE {
            before.pop_front();
            skipped = true;
        }
        before.push_back(piece);
    }
    // A long word or sentence before the match must not fill the excerpt: half of it at
    // most comes before.
    let mut before_length: usize = before.iter().map(|(p, w)| shown_length(p, *w)).sum();
    while before_length > width / 2 {
        let Some((piece, word)) = before.pop_front() else {
            break;
        };
        before_length -= shown_length(piece, word);
        skipped = true;
    }
    let mut out = Runs::default();
    let Some(first) = first else {
        // Matched by the title alone: the start of the text.
        out.follow(Pieces::new(text), marker, width);
        return out.runs;
    };
    if skipped {
        out.runs.push(("… ".to_string(), false));
        // Never begin on a separator.
        while before.front().is_some_and(|(_, word)| !*word) {
            before.pop_front();
        }
    }
    // The pieces before the first match hold no match.
    let known = before.into_iter().map(|(piece, word)| (piece, word, false));
    let mut pieces = known.chain([(first, true, true)]);
    if out.within(&mut pieces, width) {
        out.follow(rest, marker, width);
    }
    out.runs
}

/// An excerpt as it is made: its runs and its length in characters.
#[derive(Default)]
struct Runs {
    runs: Vec<(String, bool)>,
    length: usize,
}

impl Runs {
    /// Appends a piece: to the last run when neither is a match, as a run of its own
    /// otherwise; written in place (no copy of each piece first).
    fn add(&mut self, piece: &str, word: bool, hit: bool) {
        if hit || !matches!(self.runs.last(), Some((_, false))) {
            self.runs.push((String::new(), hit));
        }
        let Some((text, _)) = self.runs.last_mut() else {
            return;
        };
        let before = text.len();
        if word {
            text.push_str(piece);
        } else {
            push_one_space(text, piece);
        }
        self.length += text.get(before..).map_or(0, |added| added.chars().count());
    }

    /// « … » at the end of a cut text, without a second space when the excerpt ended on one.
    fn close(&mut self) {
        if let Some((text, false)) = self.runs.last_mut() {
            text.truncate(text.trim_end().len());
        }
        // A no-break space: the « … » never starts a line of its own.
        self.runs.push(("\u{a0}…".to_string(), false));
    }

    /// The pieces, already marked, while the excerpt is under `width` characters; false
    /// (and « … ») when it is full.
    fn within<'a>(
        &mut self,
        pieces: &mut impl Iterator<Item = (&'a str, bool, bool)>,
        width: usize,
    ) -> bool {
        for (piece, word, hit) in pieces {
            if self.length >= width {
                self.close();
                return false;
            }
            self.add(piece, word, hit);
        }
        true
    }

    /// The pieces of `rest` until the excerpt is `width` characters long, « … » if the text
    /// goes on.
    fn follow<'a>(
        &mut self,
        rest: impl Iterator<Item = (&'a str, bool)>,
        marker: &Marker<'_>,
        width: usize,
    ) {
        for (piece, word) in rest {
            if self.length >= width {
                self.close();
                break;
            }
            let hit = word && marker.matches(piece);
            self.add(piece, word, hit);
        }
    }
}

/// Characters a piece takes in an excerpt (a separator's spaces made one).
fn shown_length(piece: &str, word: bool) -> usize {
    if word {
        return piece.chars().count();
    }
    let mut shown = String::new();
    push_one_space(&mut shown, piece);
    shown.chars().count()
}

/// A separator as shown in an excerpt, written at the end of `out`: each run of spaces and
/// line breaks one space.
fn push_one_space(out: &mut String, separator: &str) {
    if separator == " " || !separator.contains(char::is_whitespace) {
        out.push_str(separator);
        return;
    }
    let mut in_space = false;
    for c in separator.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
}

/// The text as alternating runs of word characters and of the rest, one after the other
/// (slices of it: only the runs shown are copied).
struct Pieces<'a> {
    text: &'a str,
}

impl<'a> Pieces<'a> {
    fn new(text: &'a str) -> Pieces<'a> {
        Pieces { text }
    }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = (&'a str, bool);

    fn next(&mut self) -> Option<(&'a str, bool)> {
        let word = self.text.chars().next()?.is_alphanumeric();
        // Byte by byte while the text is ASCII (most of a French text), a character at a
        // time otherwise.
        let bytes = self.text.as_bytes();
        let mut end = 0;
        while let Some(&b) = bytes.get(end) {
            let step = if b.is_ascii() {
                (b.is_ascii_alphanumeric() == word).then_some(1)
            } else {
                self.text
                    .get(end..)
                    .and_then(|rest| rest.chars().next())
                    .filter(|c| c.is_alphanumeric() == word)
                    .map(char::len_utf8)
            };
            match step {
                Some(n) => end += n,
                None => break,
            }
        }
        let (piece, rest) = self.text.split_at(end);
        self.text = rest;
        Some((piece, word))
    }
}

/// A whole text (a title) as runs, each marked when it is a matched word.
pub fn mark(text: &str, marker: &Marker<'_>) -> Vec<(String, bool)> {
    Pieces::new(text)
        .map(|(run, word)| (run.to_string(), word && marker.matches(run)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_conjugated_and_accented_forms_meet() {
        assert_eq!(term("sorties"), term("Sortie"));
        assert_eq!(term("École"), term("ecole"));
        assert_eq!(term("musée"), term("musee"));
        assert_eq!(term("MUSÉES"), term("musee"));
        assert_eq!(term("théâtre"), term("theatre"));
        assert_eq!(term("piscines"), term("piscine"));
        // « manger » finds « mangeons »: the query's term begins the text's.
        assert!(matches("mangeons", &query_terms("manger")));
        // A word begun is not a shorter word: « théât » is not « the ».
        assert!(!matches("The", &query_terms("théât")));
        assert!(matches("théâtre", &query_terms("theat")));
        assert_eq!(term("les"), None);
        assert_eq!(term("L"), None);
    }

    #[test]
    fn the_marker_tells_each_word_as_matches_does_and_remembers_a_bounded_number() {
        let q = query_terms("sortie théâtre 65");
        let marker = Marker::new(&q);
        let words = [
            "sorties",
            "Sortie",
            "SORTIES",
            "sort",
            "théâtre",
            "theatres",
            "The",
            "65",
            "650",
            "6",
            "école",
            "Écoles",
            "la",
            "",
            "sortie",
            "sorties",
        ];
        for _ in 0..2 {
            for w in words {
                assert_eq!(marker.matches(w), matches(w, &q), "{w:?}");
            }
        }
        for i in 0..2 * MAX_TOLD {
            let w = format!("sortie{i}");
            assert_eq!(marker.matches(&w), matches(&w, &q), "{w:?}");
        }
        assert_eq!(marker.told.borrow().len(), MAX_TOLD);
    }

    #[test]
    fn a_text_gives_its_distinct_terms_without_little_words() {
        let t = terms("La sortie à la piscine : les sorties du jeudi !");
        assert!(t.contains(&term("piscine").unwrap()));
        assert!(t.contains(&term("jeudi").unwrap()));
        assert!(!t.iter().any(|w| w == "la" || w == "a"));
        assert_eq!(
            t.iter().filter(|w| **w == term("sortie").unwrap()).count(),
            1
        );
    }

    #[test]
    fn long_texts_stop_at_the_bound() {
        let text = (0..10_000).map(|i| format!("mot{i} ")).collect::<String>();
        assert_eq!(terms(&text).len(), MAX_WORDS);
    }

    /// The runs of a text cut all at once, as the excerpt cut them before it read lazily.
    fn split_keeping(text: &str) -> Vec<(&str, bool)> {
        let mut out: Vec<(&str, bool)> = Vec::new();
        let mut start = 0;
        let mut current: Option<bool> = None;
        for (i, c) in text.char_indices() {
            let word = c.is_alphanumeric();
            match current {
                Some(w) if w == word => {}
                Some(w) => {
                    out.push((&text[start..i], w));
                    start = i;
                    current = Some(word);
                }
                None => current = Some(word),
            }
        }
        if let Some(w) = current {
            out.push((&text[start..], w));
        }
        out
    }

    /// The excerpt as it was made before it was read lazily: the whole text flattened and
    /// cut, then the runs around the first match.
    fn excerpt_read_whole(text: &str, query: &[String], width: usize) -> Vec<(String, bool)> {
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let pieces = split_keeping(&flat);
        let first = pieces
            .iter()
            .position(|(p, word)| *word && matches(p, query))
            .unwrap_or(0);
        let mut start = first.saturating_sub(12);
        let length_of = |pieces: &[(&str, bool)]| -> usize {
            pieces.iter().map(|(p, _)| p.chars().count()).sum()
        };
        while length_of(pieces.get(start..first).unwrap_or(&[])) > width / 2 {
            start += 1;
        }
        let mut out = Vec::new();
        if start > 0 {
            out.push(("… ".to_string(), false));
            while pieces.get(start).is_some_and(|(_, w)| !*w) {
                start += 1;
            }
        }
        let mut length = 0;
        for (piece, word) in pieces.iter().skip(start) {
            if length >= width {
                // As `Runs::close`: no second space before the « … ».
                if let Some((text, false)) = out.last_mut() {
                    text.truncate(text.trim_end().len());
                }
                out.push(("\u{a0}…".to_string(), false));
                break;
            }
            length += piece.chars().count();
            let hit = *word && matches(piece, query);
            match out.last_mut() {
                Some((text, false)) if !hit => text.push_str(piece),
                _ => out.push((piece.to_string(), hit)),
            }
        }
        out
    }

    #[test]
    fn the_excerpt_read_up_to_its_end_is_the_one_read_whole() {
        let long =
            "Bonjour à tous,\n\nla sortie  au musée  est jeudi ; « prévoir » un pique-nique.\t\n"
                .repeat(30);
        let texts = [
            "",
            "   ",
            "sortie",
            "  Sortie !  ",
            "Rien ici ne correspond, rien du tout.",
            "Un deux trois quatre cinq six sept huit neuf dix onze douze treize sortie fin.",
            "Un deux trois quatre cinq six sortie fin.",
            "- - - … sortie",
            "Noël à l’école : les élèves de 3ᵉ, ça va ? Œuvre—sortie…\u{a0}ÉTÉ 2026 sortieś",
            long.as_str(),
        ];
        let long_word = format!("Aujourd’hui {} sortie fin", "é".repeat(200));
        let texts: Vec<&str> = texts.into_iter().chain([long_word.as_str()]).collect();
        for query in ["sortie", "musée pique", "absent", "jeudi"] {
            let q = query_terms(query);
            for text in texts.iter().copied() {
                assert_eq!(Pieces::new(text).collect::<Vec<_>>(), split_keeping(text));
                for width in [0, 10, 60, 180] {
                    assert_eq!(
                        excerpt(text, &Marker::new(&q), width),
                        excerpt_read_whole(text, &q, width),
                        "{query:?} in {text:?} ({width})"
                    );
                }
            }
        }
    }

    #[test]
    fn the_excerpt_marks_the_matched_words_around_the_first() {
        let q = query_terms("piscines");
        let text = "Un long début qui ne parle de rien du tout avant la chose importante : \
                    la piscine commence jeudi, apportez un bonnet de bain.";
        let runs = excerpt(text, &Marker::new(&q), 60);
        let marked: Vec<&str> = runs.iter().filter(|r| r.1).map(|r| r.0.as_str()).collect();
        assert_eq!(marked, vec!["piscine"]);
        assert!(runs.first().is_some_and(|r| r.0.starts_with('…')));
        assert!(runs.last().is_some_and(|r| r.0.ends_with('…')));
        // A long word before the match: the match is still shown.
        let after_long = excerpt(
            &format!("Début {} piscine fin", "x".repeat(300)),
            &Marker::new(&q),
            60,
        );
        assert!(
            after_long.iter().any(|r| r.1 && r.0 == "piscine"),
            "{after_long:?}"
        );
        // A one-letter query marks that word, not every word it begins (as the search).
        let b = query_terms("b");
        assert!(matches("B", &b) && !matches("Bonjour", &b));
        // Cut just after a space: one space before the « … », not two.
        let cut = excerpt("la piscine est ouverte demain matin", &Marker::new(&q), 15);
        let shown: String = cut.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(shown, "la piscine est\u{a0}…");
    }
}
