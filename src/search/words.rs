//! From a text to the words the index keeps: French words cut at every separator, folded
//! (no accents, lowercase: « ecole » finds « École »), common little words left out, each
//! reduced to its stem by the Snowball French stemmer (so « sorties » finds « sortie »,
//! « manger » finds « mangeons »).
//!
//! The same steps make the index's terms and the query's: changing them means rebuilding
//! the index (`preau check --reindex`, or a migration).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

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

/// Whether a word of a shown text is one of the query's (to highlight it): its term starts
/// with a query term, as the search itself matches.
pub fn matches(word: &str, query: &[String]) -> bool {
    // Most words of a text begin with a plain letter that begins no query term: folding
    // leaves an ASCII letter as its lowercase, so they are told apart without folding.
    if let Some(first) = word.chars().next().filter(char::is_ascii) {
        let first = first.to_ascii_lowercase() as u8;
        if !query.iter().any(|q| q.as_bytes().first() == Some(&first)) {
            return false;
        }
    }
    // A stem keeps the beginning of its word: a word whose first letters no query term
    // shares is not stemmed at all (most words of a shown text).
    // Only the first letters are folded for that test: a shown text has many words, and
    // folding each whole word was most of a results page's time.
    let first = word
        .char_indices()
        .nth(3)
        .map_or(word, |(end, _)| &word[..end]);
    let head: String = crate::ui::search::fold(first).chars().take(3).collect();
    let may = query
        .iter()
        .any(|q| q.starts_with(head.as_str()) || head.starts_with(q.as_str()));
    may && term(word).is_some_and(|t| query.iter().any(|q| t.starts_with(q.as_str())))
}

/// A text cut into runs, each marked when it is a matched word: what the results page
/// shows, around the first match, at most about `width` characters.
pub fn excerpt(text: &str, query: &[String], width: usize) -> Vec<(String, bool)> {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let pieces = split_keeping(&flat);
    let first = pieces
        .iter()
        .position(|(p, word)| *word && matches(p, query))
        .unwrap_or(0);
    // Start a few pieces before the first match, so it reads in its sentence.
    let mut start = first.saturating_sub(12);
    let mut out = Vec::new();
    if start > 0 {
        out.push(("… ".to_string(), false));
        // Never begin on a separator.
        while pieces.get(start).is_some_and(|(_, w)| !*w) {
            start += 1;
        }
    }
    let mut length = 0;
    for (piece, word) in pieces.iter().skip(start) {
        if length >= width {
            out.push((" …".to_string(), false));
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

/// A whole text (a title) as runs, each marked when it is a matched word.
pub fn mark(text: &str, query: &[String]) -> Vec<(String, bool)> {
    split_keeping(text)
        .into_iter()
        .map(|(run, word)| (run.to_string(), word && matches(run, query)))
        .collect()
}

/// The text as alternating runs of word characters and of the rest (slices of it: only
/// the runs shown are copied).
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

    #[test]
    fn the_excerpt_marks_the_matched_words_around_the_first() {
        let q = query_terms("piscines");
        let text = "Un long début qui ne parle de rien du tout avant la chose importante : \
                    la piscine commence jeudi, apportez un bonnet de bain.";
        let runs = excerpt(text, &q, 60);
        let marked: Vec<&str> = runs.iter().filter(|r| r.1).map(|r| r.0.as_str()).collect();
        assert_eq!(marked, vec!["piscine"]);
        assert!(runs.first().is_some_and(|r| r.0.starts_with('…')));
        assert!(runs.last().is_some_and(|r| r.0.ends_with('…')));
    }
}
