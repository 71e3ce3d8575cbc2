//! Importing ONDE files into the directory: a plan first (every line with its status
//! and what will happen), then one transaction that applies it. Re-importing the same
//! file changes nothing; pupils are matched by INE, otherwise by name, first name and
//! birth date; guardians are linked to children by name and class.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::onde::{self, ChildRef, FileError, GuardianFile, PupilFile, PupilLine, RowStatus};
use super::{fold, Class, Level, User, CLASSES};
use crate::policy::Profile;
use crate::store::{Result, Store, Table};

/// Files uploaded and waiting for the director's confirmation (key: random token).
pub const PENDING: Table<String, PendingImport> = Table::new("import_pending");
/// Meta key of the remembered column mapping.
pub const MAPPING_KEY: &str = "onde_column_mapping";
/// RGPD: accounts of pupils who left are deleted 3 months later.
pub const LEAVER_RETENTION_MICROS: i64 = 92 * 86_400 * 1_000_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingImport {
    pub created_at: i64,
    pub pupils: Option<Vec<u8>>,
    pub guardians: Option<Vec<u8>>,
    #[serde(default)]
    pub teachers: Option<Vec<u8>>,
    pub full_school: bool,
    /// Set by the new-year page: confirming also archives the year and opens this one.
    #[serde(default)]
    pub school_year: Option<String>,
}

/// What will happen to one teacher line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlannedTeacher {
    pub source: onde::TeacherLine,
    /// Existing account recognised (by e-mail or name), or the login to create.
    pub existing: Option<u64>,
    pub login: Option<String>,
    /// The class the teacher joins (existing, or created by this import's pupils file).
    pub class_key: Option<String>,
    pub warnings: Vec<String>,
}

/// What will happen to one pupil line.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum PupilAction {
    Create { login: String },
    Update { user_id: u64, changes: Vec<String> },
    Unchanged { user_id: u64 },
    Skip,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlannedPupil {
    pub source: PupilLine,
    pub action: PupilAction,
    /// Key of the class the pupil goes to (see `Plan::classes`).
    pub class_key: String,
}

/// A class of the file: existing (id) or to create.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlannedClass {
    pub key: String,
    pub label: String,
    pub onde_id: Option<String>,
    pub existing: Option<u64>,
    pub levels: Vec<Level>,
    pub new_levels: Vec<Level>,
    /// The label the file gives (« GS-CP M. Lebrun »), when `label` is the directory's.
    #[serde(default)]
    pub file_label: String,
    /// How the existing class was recognised (`None` for a new class).
    #[serde(default)]
    pub matched_by: Option<MatchRule>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum ChildTarget {
    Existing(u64),
    /// Index in `Plan::pupils` of a pupil created by this import.
    Planned(usize),
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum GuardianAction {
    Create { login: String },
    Existing { user_id: u64 },
    Skip,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlannedGuardian {
    pub line: usize,
    pub name: String,
    pub status: RowStatus,
    pub reasons: Vec<String>,
    pub action: GuardianAction,
    pub children: Vec<(ChildTarget, String)>,
    pub source: onde::GuardianLine,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Plan {
    pub pupils: Vec<PlannedPupil>,
    pub classes: Vec<PlannedClass>,
    pub guardians: Vec<PlannedGuardian>,
    /// Pupils absent from a full-school file: (user id, name).
    pub leavers: Vec<(u64, String)>,
    /// Guardians whose children all leave: they leave too (user id, name).
    #[serde(default)]
    pub guardian_leavers: Vec<(u64, String)>,
    /// Pupils absent from a partial file, left untouched.
    pub absent_untouched: usize,
    pub full_school: bool,
    pub pupil_file_unknown_columns: Vec<String>,
    pub guardian_file_unknown_columns: Vec<String>,
    #[serde(default)]
    pub teachers: Vec<PlannedTeacher>,
}

/// Counts for summaries (preview, CLI, result page).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    pub pupils_new: usize,
    pub pupils_updated: usize,
    pub pupils_unchanged: usize,
    pub lines_ok: usize,
    pub lines_warn: usize,
    pub lines_error: usize,
    pub classes_new: usize,
    pub leavers: usize,
    pub guardians_new: usize,
    pub guardians_known: usize,
    pub links: usize,
    pub teachers_new: usize,
}

impl Plan {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for p in &self.pupils {
            match p.action {
                PupilAction::Create { .. } => c.pupils_new += 1,
                PupilAction::Update { .. } => c.pupils_updated += 1,
                PupilAction::Unchanged { .. } => c.pupils_unchanged += 1,
                PupilAction::Skip => {}
            }
            match p.source.status {
                RowStatus::Ok => c.lines_ok += 1,
                RowStatus::Warn => c.lines_warn += 1,
                RowStatus::Error => c.lines_error += 1,
            }
        }
        for g in &self.guardians {
            match g.action {
                GuardianAction::Create { .. } => c.guardians_new += 1,
                GuardianAction::Existing { .. } => c.guardians_known += 1,
                GuardianAction::Skip => {}
            }
            match g.status {
                RowStatus::Ok => c.lines_ok += 1,
                RowStatus::Warn => c.lines_warn += 1,
                RowStatus::Error => c.lines_error += 1,
            }
            c.links += g.children.len();
        }
        for t in &self.teachers {
            if t.source.status == RowStatus::Error {
                c.lines_error += 1;
                continue;
            }
            if t.warnings.is_empty() {
                c.lines_ok += 1;
            } else {
                c.lines_warn += 1;
            }
            if t.existing.is_none() {
                c.teachers_new += 1;
            }
        }
        c.classes_new = self.classes.iter().filter(|k| k.existing.is_none()).count();
        c.leavers = self.leavers.len() + self.guardian_leavers.len();
        c
    }
}

/// The director's remembered column mapping.
pub fn saved_mapping(store: &Store) -> Result<BTreeMap<String, String>> {
    Ok(store.meta(MAPPING_KEY)?.unwrap_or_default())
}

/// The files of an import, each optional.
pub type ReadFiles = (
    Option<PupilFile>,
    Option<GuardianFile>,
    Option<onde::TeacherFile>,
);

/// An existing pupil as the guardian matching sees it: id, folded family and usage
/// names, folded first name, folded class labels.
type KnownPupil = (u64, Vec<String>, String, Vec<String>);

/// Reads the files of a pending import with the remembered mapping.
pub fn read_files(
    store: &Store,
    pending: &PendingImport,
) -> std::result::Result<ReadFiles, (&'static str, FileError)> {
    let mapping = saved_mapping(store).unwrap_or_default();
    let pupils = match &pending.pupils {
        Some(b) => Some(onde::parse_pupils(b, &mapping).map_err(|e| ("élèves", e))?),
        None => None,
    };
    let guardians = match &pending.guardians {
        Some(b) => Some(onde::parse_guardians(b).map_err(|e| ("responsables", e))?),
        None => None,
    };
    let teachers = match &pending.teachers {
        Some(b) => Some(onde::parse_teachers(b).map_err(|e| ("enseignants", e))?),
        None => None,
    };
    Ok((pupils, guardians, teachers))
}

mod classes;
mod matching;
mod plan;
pub use classes::{
    label_similarity, match_classes, parse_class_choices, saved_class_choices, ClassChoice,
    ClassChoices, FileClass, KnownClass, MatchRule, CLASS_CHOICES_KEY,
};
pub use plan::{file_classes, plan, plan_teachers, plan_with};

mod summary;
pub use summary::{summary, Summary};

mod commit;
pub use commit::{commit, commit_with_year, purge_leavers, purge_pending, Outcome};

#[cfg(test)]
mod tests;
