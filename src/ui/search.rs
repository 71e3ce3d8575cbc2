//! Searching lists by name: text folded to lowercase ASCII words, so that « helene »
//! finds « Hélène », « coeur » finds « Cœur » and « zoe.lefevre » finds « Zoé LEFÈVRE ».
//!
//! Not `directory::fold`: that one makes the keys of a stored index (identities of
//! pupils) and must never change; this one only compares words, so it may learn letters.

/// Lowercase, without accents, every run of separators (spaces, hyphens, apostrophes,
/// dots, `@`, `_`) made one space, trimmed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let plain: &str = match c {
            'a'..='z' | '0'..='9' => {
                push(&mut out, &mut gap, c);
                continue;
            }
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
            'ď' | 'đ' | 'ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
            'ğ' | 'ĝ' | 'ġ' | 'ģ' => "g",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'į' | 'ı' => "i",
            'ł' | 'ľ' | 'ĺ' | 'ļ' => "l",
            'ñ' | 'ń' | 'ň' | 'ņ' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
            'œ' => "oe",
            'ř' | 'ŕ' => "r",
            'ś' | 'š' | 'ş' | 'ș' => "s",
            'ß' => "ss",
            'ť' | 'ţ' | 'ț' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            c if c.is_alphanumeric() => {
                push(&mut out, &mut gap, c);
                continue;
            }
            // Combining accents (a name typed as « e » + « ́ ») add nothing.
            '\u{300}'..='\u{36f}' => continue,
            _ => {
                gap = true;
                continue;
            }
        };
        for p in plain.chars() {
            push(&mut out, &mut gap, p);
        }
    }
    out
}

fn push(out: &mut String, gap: &mut bool, c: char) {
    if *gap && !out.is_empty() {
        out.push(' ');
    }
    *gap = false;
    out.push(c);
}

/// The words typed in a search box: a text matches when it holds every one of them.
#[derive(Debug, Clone, Default)]
pub struct Terms(Vec<String>);

impl Terms {
    pub fn parse(query: &str) -> Terms {
        Terms(
            fold(query)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `folded` is a text already passed through [`fold`] (kept so, to fold once).
    pub fn matches(&self, folded: &str) -> bool {
        self.0.iter().all(|w| folded.contains(w.as_str()))
    }

    /// [`Terms::matches`] for many texts: each word's searcher is built once, where
    /// `str::contains` builds one per text (most of the cost for a short name).
    pub fn matcher(&self) -> Matcher {
        Matcher(
            self.0
                .iter()
                .map(|w| memchr::memmem::Finder::new(w.as_bytes()).into_owned())
                .collect(),
        )
    }
}

/// The words of [`Terms`], ready to be looked for in many folded texts.
pub struct Matcher(Vec<memchr::memmem::Finder<'static>>);

/// Folded names with their ids, in the names' order, held as one text: a word is looked
/// for once through the whole text (thousands of names at a large school) rather than in
/// each name in turn.
#[derive(Debug, Clone, Default)]
pub struct NameList {
    /// The names, each followed by a line break (which no folded word holds, so that no
    /// word found runs from one name into the next).
    text: String,
    /// Where each name begins in `text`, and its id.
    names: Vec<(usize, u64)>,
}

impl NameList {
    /// From names already passed through [`fold`].
    pub fn new(mut folded: Vec<(String, u64)>) -> NameList {
        folded.sort_unstable();
        let mut list = NameList {
            text: String::with_capacity(folded.iter().map(|(n, _)| n.len() + 1).sum()),
            names: Vec::with_capacity(folded.len()),
        };
        for (name, id) in folded {
            list.names.push((list.text.len(), id));
            list.text.push_str(&name);
            list.text.push('\n');
        }
        list
    }

    /// The ids of the names holding every word, in the names' order.
    pub fn matching<'a>(&'a self, words: &'a Matcher) -> impl Iterator<Item = u64> + 'a {
        let mut last = None;
        let first = words.0.first();
        let found: Box<dyn Iterator<Item = usize> + 'a> = match first {
            Some(f) => Box::new(f.find_iter(self.text.as_bytes()).filter_map(move |at| {
                // The name the word was found in, once however often it holds it.
                let index = self
                    .names
                    .partition_point(|(start, _)| *start <= at)
                    .saturating_sub(1);
                (last.replace(index) != Some(index)).then_some(index)
            })),
            None => Box::new(0..self.names.len()),
        };
        found.filter_map(move |index| {
            let (start, id) = *self.names.get(index)?;
            let end = self.names.get(index + 1).map_or(self.text.len(), |n| n.0);
            let name = self.text.as_bytes().get(start..end)?;
            words
                .0
                .iter()
                .skip(1)
                .all(|w| w.find(name).is_some())
                .then_some(id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_fold_away() {
        assert_eq!(fold("Hélène"), "helene");
        assert_eq!(fold("  ÉLOÏSE  "), "eloise");
        assert_eq!(fold("Cœur Lætitia"), "coeur laetitia");
        assert_eq!(fold("Nuñez Øster Straße"), "nunez oster strasse");
        assert_eq!(fold("Ç'est ça"), "c est ca");
        // A decomposed « é » (e + combining acute) folds like the composed one.
        assert_eq!(fold("he\u{301}le\u{300}ne"), "helene");
    }

    #[test]
    fn the_name_list_finds_the_names_holding_every_word_in_order() {
        let list = NameList::new(vec![
            (fold("Zoé Lefèvre"), 1),
            (fold("Hélène Martin"), 2),
            (fold("Hélène Lefèvre"), 3),
            (fold("Anna Helene"), 4),
        ]);
        let found = |q: &str| -> Vec<u64> {
            let m = Terms::parse(q).matcher();
            list.matching(&m).collect()
        };
        assert_eq!(found("hel"), vec![4, 3, 2]);
        assert_eq!(found("lefevre hel"), vec![3]);
        // Once per name, even when the word is there twice.
        assert_eq!(found("e"), vec![4, 3, 2, 1]);
        // No word runs from a name into the next one.
        assert_eq!(found("nelefevre"), Vec::<u64>::new());
        assert_eq!(found("martin zoe"), Vec::<u64>::new());
        assert_eq!(found(""), vec![4, 3, 2, 1]);
        assert_eq!(
            NameList::default()
                .matching(&Terms::parse("a").matcher())
                .count(),
            0
        );
    }

    #[test]
    fn separators_become_one_space() {
        assert_eq!(fold("Jean-Pierre  d’Arc"), "jean pierre d arc");
        assert_eq!(fold("zoe.lefevre2"), "zoe lefevre2");
        assert_eq!(fold("--"), "");
    }

    #[test]
    fn every_word_must_be_found() {
        let hay = fold("Hélène LEFÈVRE helene.lefevre");
        assert!(Terms::parse("helene").matches(&hay));
        assert!(Terms::parse("HÉLÈNE").matches(&hay));
        assert!(
            Terms::parse("lef hel").matches(&hay),
            "word starts, any order"
        );
        assert!(
            Terms::parse("helene.lefevre").matches(&hay),
            "a login typed whole"
        );
        assert!(!Terms::parse("helene martin").matches(&hay));
        assert!(Terms::parse("  ").is_empty());
        assert!(
            Terms::parse("").matches(&hay),
            "no words: everything matches"
        );
    }
}
