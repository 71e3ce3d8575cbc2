//! The responsables file: one line per guardian, with their children in repeated groups.

use super::*;

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
    // The child groups the header really has (« enfant 2 », or fields seen again), in
    // order: a header numbered « enfant601020304 » makes one group, not 601 million.
    let groups: std::collections::BTreeSet<usize> = cols
        .iter()
        .filter_map(|c| match c {
            GCol::ChildUsage(g)
            | GCol::ChildLast(g)
            | GCol::ChildFirst(g)
            | GCol::ChildClass(g) => Some(*g),
            _ => None,
        })
        .collect();
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
        for &g in &groups {
            let first = name_case(&find(GCol::ChildFirst(g)));
            let last = name_case(&find(GCol::ChildLast(g)));
            let usage = name_case(&find(GCol::ChildUsage(g)));
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
        let last_name = name_case(&find(GCol::LastName));
        let usage = name_case(&find(GCol::UsageName));
        let first_name = name_case(&find(GCol::FirstName));
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
