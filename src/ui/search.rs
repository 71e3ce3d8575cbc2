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
