//! Reading the files ONDE (and the older Base Élèves) export: the pupils file and the
//! responsables file, plus a teachers file. Tolerant of what these exports really look
//! like: `;` separators, optional quotes, Windows-1252 or UTF-8 with or without BOM,
//! CRLF or LF, the `" Cycle"` header with its leading space, typographic apostrophes,
//! dd/mm/yyyy or yyyy-mm-dd dates, trailing `;;;;` lines, repeated child groups.
//! This module only parses and checks; `import` compares with the directory and writes.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::{fold, Level};

mod guardians;
mod pupils;
mod teachers;

pub use guardians::*;
pub use pupils::*;
pub use teachers::*;

/// A problem with the whole file (nothing can be imported from it).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileError {
    #[error("Le fichier est vide.")]
    Empty,
    #[error("Ce fichier ne ressemble pas à un export CSV (il contient des données binaires : un fichier Excel ou PDF ?). Dans ONDE, choisissez l'export au format CSV.")]
    NotText,
    #[error("Colonnes obligatoires absentes : {}. Vérifiez qu'il s'agit bien de l'export « {expected} » d'ONDE, ou associez les colonnes à la main.", missing.join(", "))]
    MissingColumns {
        expected: &'static str,
        missing: Vec<&'static str>,
    },
    #[error("Le fichier n'a pas pu être lu comme un tableau CSV (ligne {line}).")]
    Malformed { line: usize },
}

/// The state of one line after checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowStatus {
    Ok,
    Warn,
    Error,
}

/// Turns the file's bytes into text: UTF-8 when there is a BOM or the bytes are valid
/// UTF-8, Windows-1252 otherwise (ONDE's historical encoding, a superset of ISO-8859-1).
pub fn decode(bytes: &[u8]) -> Result<String, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes
        .iter()
        .all(|b| b.is_ascii_whitespace() || *b == b';' || *b == b',')
    {
        return Err(FileError::Empty);
    }
    // NUL bytes or many control characters: a spreadsheet or a PDF, not a CSV.
    let controls = bytes
        .iter()
        .filter(|b| **b < 0x09 || (**b > 0x0d && **b < 0x20))
        .count();
    if bytes.contains(&0) || controls * 50 > bytes.len() {
        return Err(FileError::NotText);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok(text.into_owned())
        }
    }
}

/// Header matching key: lowercase, accents removed, no spaces, apostrophes, `*` or BOM.
pub fn normalize_header(h: &str) -> String {
    fold(h.trim_start_matches('\u{feff}'))
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\'' | '’' | '*' | '_' | '.' | '\u{a0}'))
        .collect()
}

/// A CSV table: header cells and (line number, cells) rows, blank lines dropped.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

fn sniff_separator(first_line: &str) -> u8 {
    let count = |c: char| first_line.matches(c).count();
    if count(';') >= count(',') && count(';') >= count('\t') {
        b';'
    } else if count('\t') > count(',') {
        b'\t'
    } else {
        b','
    }
}

pub fn read_table(text: &str) -> Result<Table, FileError> {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or(FileError::Empty)?;
    let sep = sniff_separator(first);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let mut headers = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut start = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(FileError::Malformed {
                    line: e
                        .position()
                        .map(|p| p.line() as usize)
                        .unwrap_or(rows.len() + 1),
                })
            }
        }
        // After a read, the reader's position is just past that record: the previous
        // position is where it started. Counting newlines up to there gives the line a
        // person sees in a spreadsheet, whether the file ends lines with CRLF or LF.
        let end = (reader.position().byte() as usize).min(text.len());
        let bytes = text.as_bytes();
        let mut first = start.min(end);
        while first < end && matches!(bytes.get(first), Some(b'\r' | b'\n')) {
            first += 1; // the end of the previous line may still be before this record
        }
        let line = bytes.iter().take(first).filter(|b| **b == b'\n').count() + 1;
        start = end;
        let cells: Vec<String> = record.iter().map(|c| c.trim().replace('’', "'")).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue; // blank or `;;;;` lines
        }
        if headers.is_none() {
            headers = Some(record.iter().map(|c| c.to_string()).collect());
        } else {
            rows.push((line, cells));
        }
    }
    Ok(Table {
        headers: headers.ok_or(FileError::Empty)?,
        rows,
    })
}

/// Parses a date as dd/mm/yyyy or yyyy-mm-dd into yyyy-mm-dd.
pub fn parse_date(text: &str) -> Option<String> {
    let t = text.trim();
    let (y, m, d) = if let Some((d, rest)) = t.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        (y, m, d)
    } else {
        let mut parts = t.splitn(3, '-');
        (parts.next()?, parts.next()?, parts.next()?)
    };
    let (y, m, d): (i16, i8, i8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let date = jiff::civil::Date::new(y, m, d).ok()?;
    (1900..=2100).contains(&y).then(|| date.to_string())
}

/// A name as the school writes it: ONDE gives family names in capitals (« LEFÈVRE »,
/// « D'ALMEIDA », « DE LA TOUR »), the wizard and the console in mixed case. One rule for
/// both: a name written all in capitals is put in mixed case (« Lefèvre », « D'Almeida »,
/// « Martin de La Tour » — the particles de, du, des, d' in lower case after the first
/// word);
/// a name already in mixed case is kept as written.
pub fn name_case(text: &str) -> String {
    if !is_all_caps(text) {
        return text.to_string();
    }
    let lower = text.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for (i, word) in lower.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i > 0 && matches!(word, "de" | "du" | "des") {
            out.push_str(word);
            continue;
        }
        let mut start = true;
        let mut chars = word.chars().peekable();
        let mut first = true;
        while let Some(c) = chars.next() {
            // « d' » inside a name after the first word stays lower case: « Le d'Arc ».
            let particle = first && i > 0 && c == 'd' && chars.peek() == Some(&'\'');
            if start && !particle {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            start = matches!(c, '-' | '\'');
            first = false;
        }
    }
    out
}

/// Whether a name has letters and none of them in lower case.
pub fn is_all_caps(text: &str) -> bool {
    text.chars().any(char::is_alphabetic) && !text.chars().any(char::is_lowercase)
}

/// Whether the directory's name and the file's are the same name: equal once folded, and
/// not an old all-capitals name the file now gives in mixed case (that one is updated
/// once). A casing the director corrected by hand (« McDonald ») is kept.
pub fn same_name(stored: &str, incoming: &str) -> bool {
    fold(stored) == fold(incoming) && (!is_all_caps(stored) || is_all_caps(incoming))
}

pub(super) fn yes_no(text: &str) -> Option<bool> {
    match fold(text).as_str() {
        "oui" | "o" | "yes" | "1" | "vrai" => Some(true),
        "non" | "n" | "no" | "0" | "faux" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
