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

fn class_key(label: &str, onde_id: Option<&str>) -> String {
    match onde_id {
        Some(id) => format!("id:{id}"),
        None => format!("label:{}", fold(label)),
    }
}

/// Logins chosen during planning, so that two new people never get the same one.
struct LoginPicker<'a> {
    store: &'a Store,
    taken: HashSet<String>,
}

impl LoginPicker<'_> {
    fn pick(&mut self, first: &str, last: &str) -> Result<String> {
        let base = super::suggest_login(self.store, first, last)?;
        let mut candidate = base.clone();
        let mut n = 2;
        while self.taken.contains(&candidate)
            || self.store.get(&super::USER_BY_LOGIN, &candidate)?.is_some()
        {
            let stem = base.trim_end_matches(|c: char| c.is_ascii_digit());
            candidate = format!("{stem}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        Ok(candidate)
    }
}

/// Adds the teachers file to a plan: accounts recognised by e-mail or name, classes by
/// label (existing, or created by the pupils file of the same import).
pub fn plan_teachers(store: &Store, plan: &mut Plan, file: &onde::TeacherFile) -> Result<()> {
    let existing = super::users(store, Some(Profile::Enseignant))?;
    let classes: Vec<Class> = store.scan(&CLASSES)?.into_iter().map(|(_, c)| c).collect();
    let mut picker = LoginPicker {
        store,
        taken: HashSet::new(),
    };
    for p in &plan.pupils {
        if let PupilAction::Create { login } = &p.action {
            picker.taken.insert(login.clone());
        }
    }
    for g in &plan.guardians {
        if let GuardianAction::Create { login } = &g.action {
            picker.taken.insert(login.clone());
        }
    }
    for line in &file.lines {
        let mut warnings = Vec::new();
        if line.status == RowStatus::Error {
            plan.teachers.push(PlannedTeacher {
                source: line.clone(),
                existing: None,
                login: None,
                class_key: None,
                warnings,
            });
            continue;
        }
        let same_email = |u: &User| match (&line.email, &u.email) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        };
        let found = existing.iter().find(|u| {
            same_email(u)
                || (fold(&u.first_name) == fold(&line.first_name)
                    && fold(&u.last_name) == fold(&line.last_name))
        });
        let class_key = if line.class_label.is_empty() {
            None
        } else if let Some(k) = plan
            .classes
            .iter()
            .find(|k| fold(&k.label) == fold(&line.class_label))
        {
            Some(k.key.clone())
        } else if let Some(c) = classes
            .iter()
            .find(|c| fold(&c.label) == fold(&line.class_label))
        {
            let key = class_key(&c.label, c.onde_id.as_deref());
            if !plan.classes.iter().any(|k| k.key == key) {
                plan.classes.push(PlannedClass {
                    key: key.clone(),
                    label: c.label.clone(),
                    onde_id: c.onde_id.clone(),
                    existing: Some(c.id),
                    levels: c.levels.clone(),
                    new_levels: Vec::new(),
                });
            }
            Some(key)
        } else {
            warnings.push(format!(
                "classe « {} » inconnue : enseignant importé sans classe",
                line.class_label
            ));
            None
        };
        if line.director {
            warnings.push("indiqué comme directeur : la fonction de direction n'est pas donnée par un import, elle reste à la direction actuelle".into());
        }
        let login = match found {
            Some(_) => None,
            None => Some(picker.pick(
                &line.first_name,
                line.usage_name.as_deref().unwrap_or(&line.last_name),
            )?),
        };
        plan.teachers.push(PlannedTeacher {
            source: line.clone(),
            existing: found.map(|u| u.id),
            login,
            class_key,
            warnings,
        });
    }
    Ok(())
}

/// Compares the files with the directory. Writes nothing.
pub fn plan(
    store: &Store,
    pupils: Option<&PupilFile>,
    guardians: Option<&GuardianFile>,
    full_school: bool,
) -> Result<Plan> {
    let mut plan = Plan {
        full_school,
        ..Plan::default()
    };
    let mut picker = LoginPicker {
        store,
        taken: HashSet::new(),
    };
    let existing_classes: Vec<Class> = store.scan(&CLASSES)?.into_iter().map(|(_, c)| c).collect();
    let mut class_index: HashMap<String, usize> = HashMap::new();
    if let Some(file) = pupils {
        plan.pupil_file_unknown_columns = file.unknown_columns.clone();
        for line in &file.lines {
            let key = class_key(&line.class_label, line.class_id.as_deref());
            let idx = match class_index.get(&key) {
                Some(i) => *i,
                None => {
                    let existing = existing_classes.iter().find(|c| match &line.class_id {
                        Some(id) => {
                            c.onde_id.as_deref() == Some(id.as_str())
                                || (c.onde_id.is_none()
                                    && fold(&c.label) == fold(&line.class_label))
                        }
                        None => fold(&c.label) == fold(&line.class_label),
                    });
                    plan.classes.push(PlannedClass {
                        key: key.clone(),
                        label: existing
                            .map(|c| c.label.clone())
                            .unwrap_or_else(|| line.class_label.clone()),
                        onde_id: line.class_id.clone(),
                        existing: existing.map(|c| c.id),
                        levels: existing.map(|c| c.levels.clone()).unwrap_or_default(),
                        new_levels: Vec::new(),
                    });
                    class_index.insert(key.clone(), plan.classes.len() - 1);
                    plan.classes.len() - 1
                }
            };
            if line.status != RowStatus::Error {
                if let (Some(level), Some(class)) = (line.level, plan.classes.get_mut(idx)) {
                    if !class.levels.contains(&level) && !class.new_levels.contains(&level) {
                        class.new_levels.push(level);
                    }
                }
            }
            let action = if line.status == RowStatus::Error {
                PupilAction::Skip
            } else {
                let found = match &line.ine {
                    Some(ine) => super::pupil_by_ine(store, ine)?,
                    None => None,
                };
                let found = match (found, &line.birth_date) {
                    (Some(id), _) => Some(id),
                    (None, Some(birth)) => {
                        super::pupil_by_identity(store, &line.last_name, &line.first_name, birth)?
                    }
                    (None, None) => None,
                };
                match found {
                    None => PupilAction::Create {
                        login: picker.pick(
                            &line.first_name,
                            line.usage_name.as_deref().unwrap_or(&line.last_name),
                        )?,
                    },
                    Some(id) => {
                        let changes = pupil_changes(store, id, line, plan.classes.get(idx))?;
                        if changes.is_empty() {
                            PupilAction::Unchanged { user_id: id }
                        } else {
                            PupilAction::Update {
                                user_id: id,
                                changes,
                            }
                        }
                    }
                }
            };
            plan.pupils.push(PlannedPupil {
                source: line.clone(),
                action,
                class_key: key,
            });
        }
        // Pupils of the directory that the file does not list.
        let listed: HashSet<u64> = plan
            .pupils
            .iter()
            .filter_map(|p| match p.action {
                PupilAction::Update { user_id, .. } | PupilAction::Unchanged { user_id } => {
                    Some(user_id)
                }
                _ => None,
            })
            .collect();
        for (id, record) in store.scan(&super::PUPILS)? {
            if listed.contains(&id) || record.leaving.is_some() {
                continue;
            }
            if full_school {
                let name = super::user(store, id)?
                    .map(|u| u.display_name())
                    .unwrap_or_default();
                plan.leavers.push((id, name));
            } else {
                plan.absent_untouched += 1;
            }
        }
        // Guardians whose every child is leaving (or already gone) leave with them.
        let leaving: HashSet<u64> = plan.leavers.iter().map(|(id, _)| *id).collect();
        let mut seen = HashSet::new();
        for (pupil, _) in &plan.leavers {
            for parent in super::parents_of(store, *pupil)? {
                if !seen.insert(parent) {
                    continue;
                }
                let mut all_gone = true;
                for child in super::children_of(store, parent)? {
                    let gone = leaving.contains(&child)
                        || super::pupil(store, child)?
                            .map(|p| p.leaving.is_some())
                            .unwrap_or(true);
                    all_gone &= gone;
                }
                if all_gone {
                    if let Some(u) = super::user(store, parent)? {
                        if u.leaving.is_none() {
                            plan.guardian_leavers.push((parent, u.display_name()));
                        }
                    }
                }
            }
        }
    }
    if let Some(file) = guardians {
        plan.guardian_file_unknown_columns = file.unknown_columns.clone();
        let existing_pupils = pupil_directory(store)?;
        for line in &file.lines {
            let mut reasons = line.reasons.clone();
            let mut status = line.status;
            let mut children = Vec::new();
            if status != RowStatus::Error {
                for child in &line.children {
                    match find_child(&plan, &existing_pupils, child) {
                        Ok(target) => children.push((
                            target,
                            format!(
                                "{} {} ({})",
                                child.first_name, child.last_name, child.class_label
                            ),
                        )),
                        Err(reason) => {
                            reasons.push(reason);
                            status = RowStatus::Warn;
                        }
                    }
                }
                if children.is_empty() {
                    status = RowStatus::Error;
                    reasons.push("aucun enfant reconnu : responsable non importé".into());
                }
            }
            let action = if status == RowStatus::Error {
                GuardianAction::Skip
            } else {
                match find_guardian(store, line, &children)? {
                    Some(id) => GuardianAction::Existing { user_id: id },
                    None => GuardianAction::Create {
                        login: picker.pick(
                            &line.first_name,
                            line.usage_name.as_deref().unwrap_or(&line.last_name),
                        )?,
                    },
                }
            };
            plan.guardians.push(PlannedGuardian {
                line: line.line,
                name: format!(
                    "{} {}",
                    line.first_name,
                    line.usage_name.as_deref().unwrap_or(&line.last_name)
                ),
                status,
                reasons,
                action,
                children,
                source: line.clone(),
            });
        }
    }
    Ok(plan)
}

fn pupil_changes(
    store: &Store,
    id: u64,
    line: &PupilLine,
    class: Option<&PlannedClass>,
) -> Result<Vec<String>> {
    let mut changes = Vec::new();
    let user = super::user(store, id)?;
    let record = super::pupil(store, id)?;
    if let (Some(u), Some(r)) = (&user, &record) {
        if u.first_name != line.first_name
            || u.last_name != line.last_name
            || u.usage_name != line.usage_name
        {
            changes.push("nom".to_string());
        }
        if r.level != line.level {
            changes.push("niveau".to_string());
        }
        if r.ine != line.ine && line.ine.is_some() {
            changes.push("INE".to_string());
        }
        if r.photo_consent_declared != line.photo_consent {
            changes.push("autorisation photo".to_string());
        }
        if r.leaving.is_some() {
            changes.push("de retour dans l'école".to_string());
        }
        let classes = super::classes_of(store, id)?;
        let same_class = match class.and_then(|c| c.existing) {
            Some(cid) => classes.contains(&cid),
            None => false,
        };
        if !same_class {
            changes.push("classe".to_string());
        }
    } else {
        changes.push("fiche complétée".to_string());
    }
    Ok(changes)
}

/// Existing pupils as (user id, folded names, folded class labels).
fn pupil_directory(store: &Store) -> Result<Vec<KnownPupil>> {
    let mut out = Vec::new();
    for (id, _) in store.scan(&super::PUPILS)? {
        if let Some(u) = super::user(store, id)? {
            let mut names = vec![fold(&u.last_name)];
            if let Some(us) = &u.usage_name {
                names.push(fold(us));
            }
            let classes = super::classes_of(store, id)?
                .into_iter()
                .filter_map(|c| {
                    super::class(store, c)
                        .ok()
                        .flatten()
                        .map(|c| fold(&c.label))
                })
                .collect();
            out.push((id, names, fold(&u.first_name), classes));
        }
    }
    Ok(out)
}

fn find_child(
    plan: &Plan,
    existing: &[KnownPupil],
    child: &ChildRef,
) -> std::result::Result<ChildTarget, String> {
    let names: Vec<String> = [Some(&child.last_name), child.usage_name.as_ref()]
        .into_iter()
        .flatten()
        .map(|n| fold(n))
        .filter(|n| !n.is_empty())
        .collect();
    let first = fold(&child.first_name);
    let class = fold(&child.class_label);
    let mut candidates: Vec<(ChildTarget, String)> = Vec::new();
    for (i, p) in plan.pupils.iter().enumerate() {
        let s = &p.source;
        let mut their = vec![fold(&s.last_name)];
        if let Some(u) = &s.usage_name {
            their.push(fold(u));
        }
        if fold(&s.first_name) == first && their.iter().any(|n| names.contains(n)) {
            let target = match p.action {
                PupilAction::Create { .. } => ChildTarget::Planned(i),
                PupilAction::Update { user_id, .. } | PupilAction::Unchanged { user_id } => {
                    ChildTarget::Existing(user_id)
                }
                PupilAction::Skip => continue,
            };
            candidates.push((target, fold(&s.class_label)));
        }
    }
    for (id, their, f, classes) in existing {
        if *f == first
            && their.iter().any(|n| names.contains(n))
            && !candidates
                .iter()
                .any(|(t, _)| *t == ChildTarget::Existing(*id))
        {
            candidates.push((
                ChildTarget::Existing(*id),
                classes.first().cloned().unwrap_or_default(),
            ));
        }
    }
    let who = format!("{} {}", child.first_name, child.last_name);
    match candidates.len() {
        0 => Err(format!(
            "enfant {who} ({}) introuvable parmi les élèves",
            child.class_label
        )),
        1 => Ok(candidates.remove(0).0),
        _ => {
            let same_class: Vec<_> = candidates
                .into_iter()
                .filter(|(_, c)| {
                    !class.is_empty() && (c.contains(&class) || class.contains(c.as_str()))
                })
                .collect();
            if same_class.len() == 1 {
                Ok(same_class
                    .into_iter()
                    .next()
                    .map(|(t, _)| t)
                    .unwrap_or(ChildTarget::Planned(0)))
            } else {
                Err(format!("enfant {who} ambigu : plusieurs élèves portent ce nom, la classe « {} » ne suffit pas à choisir", child.class_label))
            }
        }
    }
}

/// An existing guardian with the same name already linked to one of these children, or
/// with the same e-mail address.
fn find_guardian(
    store: &Store,
    line: &onde::GuardianLine,
    children: &[(ChildTarget, String)],
) -> Result<Option<u64>> {
    let last = fold(&line.last_name);
    let first = fold(&line.first_name);
    for (target, _) in children {
        if let ChildTarget::Existing(child) = target {
            for parent in super::parents_of(store, *child)? {
                if let Some(u) = super::user(store, parent)? {
                    if fold(&u.first_name) == first
                        && (fold(&u.last_name) == last
                            || u.usage_name.as_deref().map(fold) == Some(last.clone()))
                    {
                        return Ok(Some(parent));
                    }
                }
            }
        }
    }
    if let Some(email) = &line.email {
        for u in super::users(store, Some(Profile::Responsable))? {
            if u.email
                .as_deref()
                .map(|e| e.eq_ignore_ascii_case(email))
                .unwrap_or(false)
                && fold(&u.first_name) == first
            {
                return Ok(Some(u.id));
            }
        }
    }
    Ok(None)
}

mod commit;
pub use commit::{commit, commit_with_year, purge_leavers, purge_pending, Outcome};

#[cfg(test)]
mod tests;
