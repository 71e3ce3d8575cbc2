//! The pupils file: its columns (guessed from the headers, or chosen by hand) and its lines.

use super::*;

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
        let last_name = name_case(&get(PupilColumn::LastName));
        let first_name = name_case(&get(PupilColumn::FirstName));
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
        let usage = name_case(&get(PupilColumn::UsageName));
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
