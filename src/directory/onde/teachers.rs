//! The teachers file (BE1D/ONDE « enseignants »).

use super::*;

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
        let l = name_case(&get(cells, last));
        let u = name_case(&get(cells, usage));
        let f = name_case(&get(cells, first));
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
