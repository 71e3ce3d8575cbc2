//! Reading the files ONDE (and the older Base Élèves) export: the pupils file and the
//! responsables file, plus a teachers file. Tolerant of what these exports really look
//! like: `;` separators, optional quotes, Windows-1252 or UTF-8 with or without BOM,
//! CRLF or LF, the `" Cycle"` header with its leading space, typographic apostrophes,
//! dd/mm/yyyy or yyyy-mm-dd dates, trailing `;;;;` lines, repeated child groups.
//! This module only parses and checks; `import` compares with the directory and writes.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::{fold, Level};

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

fn yes_no(text: &str) -> Option<bool> {
    match fold(text).as_str() {
        "oui" | "o" | "yes" | "1" | "vrai" => Some(true),
        "non" | "n" | "no" | "0" | "faux" => Some(false),
        _ => None,
    }
}

/// Columns of the pupils file that Préau reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum PupilColumn {
    LastName,
    UsageName,
    FirstName,
    BirthDate,
    Sex,
    Ine,
    Cycle,
    Level,
    ClassLabel,
    ClassId,
    PhotoConsent,
}

impl PupilColumn {
    pub const ALL: [PupilColumn; 11] = [
        PupilColumn::LastName,
        PupilColumn::UsageName,
        PupilColumn::FirstName,
        PupilColumn::BirthDate,
        PupilColumn::Sex,
        PupilColumn::Ine,
        PupilColumn::Cycle,
        PupilColumn::Level,
        PupilColumn::ClassLabel,
        PupilColumn::ClassId,
        PupilColumn::PhotoConsent,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PupilColumn::LastName => "Nom de l'élève",
            PupilColumn::UsageName => "Nom d'usage de l'élève",
            PupilColumn::FirstName => "Prénom de l'élève",
            PupilColumn::BirthDate => "Date de naissance",
            PupilColumn::Sex => "Sexe",
            PupilColumn::Ine => "INE",
            PupilColumn::Cycle => "Cycle",
            PupilColumn::Level => "Niveau",
            PupilColumn::ClassLabel => "Libellé de la classe",
            PupilColumn::ClassId => "Identifiant de la classe",
            PupilColumn::PhotoConsent => "Autorisation photo",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            PupilColumn::LastName => "nom",
            PupilColumn::UsageName => "nom_usage",
            PupilColumn::FirstName => "prenom",
            PupilColumn::BirthDate => "date_naissance",
            PupilColumn::Sex => "sexe",
            PupilColumn::Ine => "ine",
            PupilColumn::Cycle => "cycle",
            PupilColumn::Level => "niveau",
            PupilColumn::ClassLabel => "classe",
            PupilColumn::ClassId => "identifiant_classe",
            PupilColumn::PhotoConsent => "autorisation_photo",
        }
    }

    pub fn from_slug(s: &str) -> Option<PupilColumn> {
        PupilColumn::ALL.into_iter().find(|c| c.slug() == s)
    }

    /// Normalised header names known for this column (ONDE, BE1D, listings).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            PupilColumn::LastName => &["nomeleve", "nomdefamilleeleve", "nom"],
            PupilColumn::UsageName => &["nomdusageeleve", "nomusageeleve", "nomdusage"],
            PupilColumn::FirstName => &["prenomeleve", "prenom"],
            PupilColumn::BirthDate => &[
                "datenaissance",
                "datedenaissance",
                "ne(e)le",
                "nele",
                "neele",
            ],
            PupilColumn::Sex => &["sexe"],
            PupilColumn::Ine => &["ine", "identifiantnationaleleve"],
            PupilColumn::Cycle => &["cycle"],
            PupilColumn::Level => &["niveau"],
            PupilColumn::ClassLabel => &["libelleclasse", "classe", "classeouregroupement"],
            PupilColumn::ClassId => &["identifiantclasse"],
            PupilColumn::PhotoConsent => &[
                "autorisationphoto",
                "autorisationsphotos",
                "autorisationphotos",
            ],
        }
    }
}

/// Which column of the file feeds which field. `overrides` maps a normalised header to
/// a column slug (or "" to ignore it): the director's remapping, remembered per school.
pub fn map_pupil_columns(
    headers: &[String],
    overrides: &BTreeMap<String, String>,
) -> HashMap<PupilColumn, usize> {
    let mut map = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let key = normalize_header(h);
        let column = match overrides.get(&key) {
            Some(slug) => PupilColumn::from_slug(slug),
            None => PupilColumn::ALL
                .into_iter()
                .find(|c| c.aliases().contains(&key.as_str())),
        };
        if let Some(c) = column {
            map.entry(c).or_insert(i);
        }
    }
    map
}

/// A pupil as read from one line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PupilLine {
    pub line: usize,
    pub status: RowStatus,
    pub reasons: Vec<String>,
    pub last_name: String,
    pub usage_name: Option<String>,
    pub first_name: String,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub ine: Option<String>,
    pub cycle: Option<String>,
    pub level: Option<Level>,
    pub level_text: String,
    pub class_label: String,
    pub class_id: Option<String>,
    pub photo_consent: Option<bool>,
}

/// The pupils file, read and checked line by line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PupilFile {
    pub headers: Vec<String>,
    /// Column index per field (by slug), for the mapping screen.
    pub mapping: BTreeMap<String, usize>,
    pub unknown_columns: Vec<String>,
    pub lines: Vec<PupilLine>,
}

fn cell(cells: &[String], map: &HashMap<PupilColumn, usize>, c: PupilColumn) -> String {
    map.get(&c)
        .and_then(|i| cells.get(*i))
        .cloned()
        .unwrap_or_default()
}

fn level_from(text: &str) -> Option<Level> {
    let t = fold(text).to_uppercase().replace(['-', ' '], "");
    match t.as_str() {
        "CLIS" => Some(Level::ULIS),
        _ => Level::from_code(&t),
    }
}

pub fn parse_pupils(
    bytes: &[u8],
    overrides: &BTreeMap<String, String>,
) -> Result<PupilFile, FileError> {
    let table = read_table(&decode(bytes)?)?;
    let map = map_pupil_columns(&table.headers, overrides);
    let mut missing = Vec::new();
    for (c, label) in [
        (PupilColumn::LastName, "Nom élève"),
        (PupilColumn::FirstName, "Prénom élève"),
        (PupilColumn::BirthDate, "Date naissance"),
    ] {
        if !map.contains_key(&c) {
            missing.push(label);
        }
    }
    if !map.contains_key(&PupilColumn::ClassLabel) && !map.contains_key(&PupilColumn::ClassId) {
        missing.push("Libellé classe (ou Classe)");
    }
    if !missing.is_empty() {
        return Err(FileError::MissingColumns {
            expected: "Élèves",
            missing,
        });
    }
    let used: Vec<usize> = map.values().copied().collect();
    let unknown_columns = table
        .headers
        .iter()
        .enumerate()
        .filter(|(i, h)| !used.contains(i) && !h.trim().is_empty())
        .map(|(_, h)| h.trim().to_string())
        .collect();
    let mut seen_ine: HashMap<String, usize> = HashMap::new();
    let mut lines = Vec::new();
    for (line, cells) in &table.rows {
        let get = |c| cell(cells, &map, c);
        let mut reasons = Vec::new();
        let mut status = RowStatus::Ok;
        let last_name = get(PupilColumn::LastName);
        let first_name = get(PupilColumn::FirstName);
        if last_name.is_empty() || first_name.is_empty() {
            reasons.push("nom ou prénom manquant".to_string());
            status = RowStatus::Error;
        }
        let birth_text = get(PupilColumn::BirthDate);
        let birth_date = parse_date(&birth_text);
        if birth_date.is_none() {
            reasons.push(if birth_text.is_empty() {
                "date de naissance manquante".to_string()
            } else {
                format!("date de naissance illisible « {birth_text} » (attendu jj/mm/aaaa)")
            });
            status = RowStatus::Error;
        }
        let class_label = get(PupilColumn::ClassLabel);
        let class_id = Some(get(PupilColumn::ClassId)).filter(|s| !s.is_empty());
        if class_label.is_empty() && class_id.is_none() {
            reasons.push("classe manquante".to_string());
            status = RowStatus::Error;
        }
        let ine = Some(get(PupilColumn::Ine).to_uppercase()).filter(|s| !s.is_empty());
        if let Some(i) = &ine {
            if let Some(first) = seen_ine.get(i) {
                reasons.push(format!("INE {i} déjà présent ligne {first}"));
                status = RowStatus::Error;
            } else {
                seen_ine.insert(i.clone(), *line);
            }
            if i.len() != 11 {
                reasons.push(format!("INE « {i} » inhabituel (11 caractères attendus)"));
                if status == RowStatus::Ok {
                    status = RowStatus::Warn;
                }
            }
        } else if status == RowStatus::Ok {
            reasons.push("sans INE : reconnu par nom, prénom et date de naissance".to_string());
            status = RowStatus::Warn;
        }
        let level_text = get(PupilColumn::Level);
        let level = level_from(&level_text);
        if level.is_none() && !level_text.is_empty() && status != RowStatus::Error {
            reasons.push(format!("niveau « {level_text} » inconnu"));
            status = RowStatus::Warn;
        }
        let usage = get(PupilColumn::UsageName);
        lines.push(PupilLine {
            line: *line,
            status,
            reasons,
            usage_name: (!usage.is_empty() && !usage.eq_ignore_ascii_case(&last_name))
                .then_some(usage),
            last_name,
            first_name,
            birth_date,
            sex: Some(get(PupilColumn::Sex).to_uppercase()).filter(|s| !s.is_empty()),
            ine,
            cycle: Some(get(PupilColumn::Cycle)).filter(|s| !s.is_empty()),
            level,
            level_text,
            class_label: if class_label.is_empty() {
                class_id.clone().unwrap_or_default()
            } else {
                class_label
            },
            class_id,
            photo_consent: yes_no(&get(PupilColumn::PhotoConsent)),
        });
    }
    Ok(PupilFile {
        headers: table.headers.iter().map(|h| h.trim().to_string()).collect(),
        mapping: map
            .iter()
            .map(|(c, i)| (c.slug().to_string(), *i))
            .collect(),
        unknown_columns,
        lines,
    })
}

/// A child named in the responsables file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildRef {
    pub last_name: String,
    pub usage_name: Option<String>,
    pub first_name: String,
    pub class_label: String,
}

/// A responsable as read from one line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardianLine {
    pub line: usize,
    pub status: RowStatus,
    pub reasons: Vec<String>,
    pub civility: Option<String>,
    pub last_name: String,
    pub usage_name: Option<String>,
    pub first_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub children: Vec<ChildRef>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GuardianFile {
    pub headers: Vec<String>,
    pub unknown_columns: Vec<String>,
    pub lines: Vec<GuardianLine>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum GCol {
    Civility,
    UsageName,
    LastName,
    FirstName,
    Address,
    Postcode,
    Commune,
    Email,
    PhoneHome,
    PhoneWork,
    PhoneMobile,
    ChildUsage(usize),
    ChildLast(usize),
    ChildFirst(usize),
    ChildClass(usize),
    Ignored,
}

fn guardian_column(key: &str, child_group: &mut usize, last_child_field: &mut Vec<u8>) -> GCol {
    // Numbered variants: « Nom de famille élève 2 ».
    let (base, number) = match key.trim_end_matches(|c: char| c.is_ascii_digit()) {
        b if b.len() < key.len() => (b, key[b.len()..].parse::<usize>().ok()),
        b => (b, None),
    };
    // In the repeated groups, a field seen again starts the next child.
    let mut group = |field: u8| -> usize {
        if let Some(n) = number {
            return n.saturating_sub(1);
        }
        if last_child_field.contains(&field) {
            *child_group += 1;
            last_child_field.clear();
        }
        last_child_field.push(field);
        *child_group
    };
    match base {
        "civiliteresponsable" | "civilite" => GCol::Civility,
        "nomusageresponsable" | "nomdusageresponsable" => GCol::UsageName,
        "nomresponsable" | "nomdefamilleresponsable" => GCol::LastName,
        "prenomresponsable" => GCol::FirstName,
        "adresseresponsable" => GCol::Address,
        "cpresponsable" | "codepostalresponsable" => GCol::Postcode,
        "communeresponsable" => GCol::Commune,
        "courriel" | "courrielresponsable" | "email" => GCol::Email,
        "telephonedomicile" => GCol::PhoneHome,
        "telephonetravail" => GCol::PhoneWork,
        "telephoneportable" => GCol::PhoneMobile,
        "nomdusageenfant" | "nomusageenfant" | "nomdusageeleve" => GCol::ChildUsage(group(0)),
        "nomdefamilleenfant" | "nomenfant" | "nomdefamilleeleve" | "nomeleve" => {
            GCol::ChildLast(group(1))
        }
        "prenomenfant" | "prenomeleve" => GCol::ChildFirst(group(2)),
        "classesenfants" | "classeenfant" | "classeeleve" | "classe" => GCol::ChildClass(group(3)),
        _ => GCol::Ignored,
    }
}

pub fn parse_guardians(bytes: &[u8]) -> Result<GuardianFile, FileError> {
    let table = read_table(&decode(bytes)?)?;
    let mut child_group = 0;
    let mut seen = Vec::new();
    let cols: Vec<GCol> = table
        .headers
        .iter()
        .map(|h| guardian_column(&normalize_header(h), &mut child_group, &mut seen))
        .collect();
    let has = |f: &dyn Fn(&GCol) -> bool| cols.iter().any(f);
    let mut missing = Vec::new();
    if !has(&|c| *c == GCol::LastName) {
        missing.push("Nom responsable");
    }
    if !has(&|c| *c == GCol::FirstName) {
        missing.push("Prénom responsable");
    }
    if !has(&|c| matches!(c, GCol::ChildFirst(_))) {
        missing.push("Prénom enfant");
    }
    if !missing.is_empty() {
        return Err(FileError::MissingColumns {
            expected: "Responsables",
            missing,
        });
    }
    let unknown_columns = table
        .headers
        .iter()
        .zip(&cols)
        .filter(|(h, c)| **c == GCol::Ignored && !h.trim().is_empty())
        .map(|(h, _)| h.trim().to_string())
        .collect();
    let groups = cols
        .iter()
        .filter_map(|c| match c {
            GCol::ChildUsage(g)
            | GCol::ChildLast(g)
            | GCol::ChildFirst(g)
            | GCol::ChildClass(g) => Some(*g + 1),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    for (line, cells) in &table.rows {
        let find = |want: GCol| -> String {
            cols.iter()
                .position(|c| *c == want)
                .and_then(|i| cells.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let mut children = Vec::new();
        for g in 0..groups {
            let first = find(GCol::ChildFirst(g));
            let last = find(GCol::ChildLast(g));
            let usage = find(GCol::ChildUsage(g));
            if first.is_empty() && last.is_empty() && usage.is_empty() {
                continue;
            }
            children.push(ChildRef {
                last_name: if last.is_empty() { usage.clone() } else { last },
                usage_name: Some(usage).filter(|u| !u.is_empty()),
                first_name: first,
                class_label: find(GCol::ChildClass(g)),
            });
        }
        let mut reasons = Vec::new();
        let mut status = RowStatus::Ok;
        let last_name = find(GCol::LastName);
        let usage = find(GCol::UsageName);
        let first_name = find(GCol::FirstName);
        if (last_name.is_empty() && usage.is_empty()) || first_name.is_empty() {
            reasons.push("nom ou prénom du responsable manquant".into());
            status = RowStatus::Error;
        }
        if children.is_empty() {
            reasons.push("aucun enfant indiqué".into());
            status = RowStatus::Error;
        }
        let email = Some(find(GCol::Email)).filter(|e| !e.is_empty());
        if let Some(e) = &email {
            if !e.contains('@') && status == RowStatus::Ok {
                reasons.push(format!("courriel « {e} » invalide, ignoré"));
                status = RowStatus::Warn;
            }
        }
        let phone = [GCol::PhoneMobile, GCol::PhoneHome, GCol::PhoneWork]
            .into_iter()
            .map(&find)
            .find(|p| !p.is_empty());
        let address = [
            find(GCol::Address),
            find(GCol::Postcode),
            find(GCol::Commune),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        lines.push(GuardianLine {
            line: *line,
            status,
            reasons,
            civility: Some(find(GCol::Civility)).filter(|c| !c.is_empty()),
            last_name: if last_name.is_empty() {
                usage.clone()
            } else {
                last_name.clone()
            },
            usage_name: (!usage.is_empty() && !usage.eq_ignore_ascii_case(&last_name))
                .then_some(usage),
            first_name,
            email: email.filter(|e| e.contains('@')),
            phone,
            address: Some(address).filter(|a| !a.is_empty()),
            children,
        });
    }
    Ok(GuardianFile {
        headers: table.headers.iter().map(|h| h.trim().to_string()).collect(),
        unknown_columns,
        lines,
    })
}

/// A teacher as read from the teachers file (BE1D/ONDE « enseignants »).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeacherLine {
    pub line: usize,
    pub status: RowStatus,
    pub reasons: Vec<String>,
    pub last_name: String,
    pub usage_name: Option<String>,
    pub first_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub director: bool,
    pub class_label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TeacherFile {
    pub lines: Vec<TeacherLine>,
}

pub fn parse_teachers(bytes: &[u8]) -> Result<TeacherFile, FileError> {
    let table = read_table(&decode(bytes)?)?;
    let keys: Vec<String> = table.headers.iter().map(|h| normalize_header(h)).collect();
    let find = |names: &[&str]| keys.iter().position(|k| names.contains(&k.as_str()));
    let last = find(&["nom", "nomdefamille", "nomenseignant"]);
    let usage = find(&["nomusage", "nomdusage"]);
    let first = find(&["prenom", "prenomenseignant"]);
    let mut missing = Vec::new();
    if last.is_none() && usage.is_none() {
        missing.push("Nom");
    }
    if first.is_none() {
        missing.push("Prénom");
    }
    if !missing.is_empty() {
        return Err(FileError::MissingColumns {
            expected: "Enseignants",
            missing,
        });
    }
    let email = find(&["courriel", "email", "mel"]);
    let phone = find(&["telephoneportable", "telephonedomicile", "telephone"]);
    let director = find(&["directeur", "direction"]);
    let class = find(&["classe", "classes", "libelleclasse"]);
    let get = |cells: &[String], i: Option<usize>| {
        i.and_then(|i| cells.get(i)).cloned().unwrap_or_default()
    };
    let mut lines = Vec::new();
    for (line, cells) in &table.rows {
        let l = get(cells, last);
        let u = get(cells, usage);
        let f = get(cells, first);
        let mut reasons = Vec::new();
        let mut status = RowStatus::Ok;
        if (l.is_empty() && u.is_empty()) || f.is_empty() {
            reasons.push("nom ou prénom manquant".to_string());
            status = RowStatus::Error;
        }
        let e = get(cells, email);
        lines.push(TeacherLine {
            line: *line,
            status,
            reasons,
            last_name: if l.is_empty() { u.clone() } else { l.clone() },
            usage_name: (!u.is_empty() && !u.eq_ignore_ascii_case(&l)).then_some(u),
            first_name: f,
            email: Some(e).filter(|e| e.contains('@')),
            phone: Some(get(cells, phone)).filter(|p| !p.is_empty()),
            director: yes_no(&get(cells, director)).unwrap_or(false),
            class_label: get(cells, class),
        });
    }
    Ok(TeacherFile { lines })
}

#[cfg(test)]
mod tests;
