//! Importing ONDE files into the directory: a plan first (every line with its status
//! and what will happen), then one transaction that applies it. Re-importing the same
//! file changes nothing; pupils are matched by INE, otherwise by name, first name and
//! birth date; guardians are linked to children by name and class.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::onde::{self, ChildRef, FileError, GuardianFile, PupilFile, PupilLine, RowStatus};
use super::{
    fold, Class, GuardianRecord, Leaving, Level, Membership, NewUser, PupilRecord, User, CLASSES,
};
use crate::auth::journal::{record_audit, AuditEvent};
use crate::policy::Profile;
use crate::store::{Result, Store, StoreError, Table};

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

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    pub counts: Counts,
    pub created_accounts: Vec<u64>,
}

/// Applies a plan in one transaction; `actor` is recorded in the audit log.
pub fn commit(store: &Store, plan: &Plan, now: i64, actor: (Option<u64>, &str)) -> Result<Outcome> {
    commit_with_year(store, plan, now, actor, None)
}

/// [`commit`], and at the new school year: the archive of the year that ends and the
/// label of the one that starts, written in the same transaction.
pub fn commit_with_year(
    store: &Store,
    plan: &Plan,
    now: i64,
    actor: (Option<u64>, &str),
    year: Option<(&super::rollover::YearArchive, &str)>,
) -> Result<Outcome> {
    // Current class memberships of updated pupils, read before the transaction (a
    // transaction cannot scan).
    let mut current_classes: HashMap<u64, Vec<u64>> = HashMap::new();
    for p in &plan.pupils {
        if let PupilAction::Update { user_id, .. } = p.action {
            current_classes.insert(user_id, super::classes_of(store, user_id)?);
        }
    }
    let counts = plan.counts();
    let created = store.commit_blocking(|tx| {
        let mut created = Vec::new();
        let mut class_ids: HashMap<String, u64> = HashMap::new();
        for c in &plan.classes {
            let id = match c.existing {
                Some(id) => {
                    if let Some(mut class) = tx.get(&CLASSES, &id)? {
                        let mut changed = false;
                        for l in &c.new_levels {
                            if !class.levels.contains(l) {
                                class.levels.push(*l);
                                changed = true;
                            }
                        }
                        if class.onde_id.is_none() && c.onde_id.is_some() {
                            class.onde_id = c.onde_id.clone();
                            changed = true;
                        }
                        if changed {
                            class.levels.sort();
                            super::save_class(tx, &class)?;
                        }
                    }
                    id
                }
                None => {
                    let mut levels = c.new_levels.clone();
                    levels.sort();
                    let id = super::create_class(tx, &c.label, &levels)?;
                    if let Some(mut class) = tx.get(&CLASSES, &id)? {
                        class.onde_id = c.onde_id.clone();
                        super::save_class(tx, &class)?;
                    }
                    id
                }
            };
            class_ids.insert(c.key.clone(), id);
        }
        let mut planned_ids: HashMap<usize, u64> = HashMap::new();
        for (i, p) in plan.pupils.iter().enumerate() {
            let s = &p.source;
            let Some(birth) = s.birth_date.clone() else { continue };
            let class_id = class_ids.get(&p.class_key).copied();
            let user_id = match &p.action {
                PupilAction::Skip | PupilAction::Unchanged { .. } => continue,
                PupilAction::Create { login } => {
                    let id = super::create_user(
                        tx,
                        &NewUser {
                            login: login.clone(),
                            first_name: s.first_name.clone(),
                            last_name: s.last_name.clone(),
                            profile: Profile::Eleve,
                            functions: Vec::new(),
                            email: None,
                            password_hash: None,
                            must_change_password: false,
                            created_at: now,
                        },
                    )?;
                    created.push(id);
                    planned_ids.insert(i, id);
                    id
                }
                PupilAction::Update { user_id, .. } => {
                    for old in current_classes.get(user_id).map(Vec::as_slice).unwrap_or(&[]) {
                        if Some(*old) != class_id {
                            super::remove_member(tx, *old, *user_id)?;
                        }
                    }
                    *user_id
                }
            };
            let mut user: User = tx
                .get(&super::USERS, &user_id)?
                .ok_or_else(|| StoreError::Rejected("compte d'élève disparu pendant l'import".into()))?;
            user.first_name = s.first_name.clone();
            user.last_name = s.last_name.clone();
            user.usage_name = s.usage_name.clone();
            let previous = tx.get(&super::PUPILS, &user_id)?;
            if previous.as_ref().and_then(|p| p.leaving.as_ref()).is_some() {
                user.disabled = false;
            }
            super::save_pupil(
                tx,
                &user,
                &PupilRecord {
                    user_id,
                    ine: s.ine.clone().or_else(|| previous.as_ref().and_then(|p| p.ine.clone())),
                    birth_date: birth,
                    sex: s.sex.clone(),
                    level: s.level,
                    cycle: s.cycle.clone(),
                    onde_class_id: s.class_id.clone(),
                    photo_consent_declared: s.photo_consent,
                    leaving: None,
                    avatar: previous.as_ref().and_then(|p| p.avatar),
                    picture_hash: previous.as_ref().and_then(|p| p.picture_hash.clone()),
                    card_token_hash: previous.as_ref().and_then(|p| p.card_token_hash.clone()),
                },
            )?;
            super::save_user(tx, &user)?;
            if let Some(cid) = class_id {
                super::put_member(tx, cid, user_id, Membership::Pupil)?;
            }
        }
        for (id, _) in &plan.guardian_leavers {
            if let Some(mut u) = tx.get(&super::USERS, id)? {
                u.disabled = true;
                u.leaving = Some(Leaving {
                    since: now,
                    delete_after: now + LEAVER_RETENTION_MICROS,
                });
                super::save_user(tx, &u)?;
            }
        }
        for (id, _) in &plan.leavers {
            if let Some(mut record) = tx.get(&super::PUPILS, id)? {
                record.leaving = Some(Leaving {
                    since: now,
                    delete_after: now + LEAVER_RETENTION_MICROS,
                });
                tx.put(&super::PUPILS, id, &record)?;
            }
            if let Some(mut u) = tx.get(&super::USERS, id)? {
                u.disabled = true;
                super::save_user(tx, &u)?;
            }
        }
        for g in &plan.guardians {
            let s = &g.source;
            let parent = match &g.action {
                GuardianAction::Skip => continue,
                GuardianAction::Existing { user_id } => *user_id,
                GuardianAction::Create { login } => {
                    let id = super::create_user(
                        tx,
                        &NewUser {
                            login: login.clone(),
                            first_name: s.first_name.clone(),
                            last_name: s.last_name.clone(),
                            profile: Profile::Responsable,
                            functions: Vec::new(),
                            email: s.email.clone(),
                            password_hash: None,
                            must_change_password: false,
                            created_at: now,
                        },
                    )?;
                    if let Some(mut u) = tx.get(&super::USERS, &id)? {
                        u.usage_name = s.usage_name.clone();
                        u.phone = s.phone.clone();
                        super::save_user(tx, &u)?;
                    }
                    created.push(id);
                    id
                }
            };
            if let Some(mut u) = tx.get(&super::USERS, &parent)? {
                if u.leaving.is_some() {
                    u.leaving = None;
                    u.disabled = false;
                    super::save_user(tx, &u)?;
                }
            }
            super::save_guardian(
                tx,
                &GuardianRecord {
                    user_id: parent,
                    civility: s.civility.clone(),
                    address: s.address.clone(),
                },
            )?;
            for (target, _) in &g.children {
                let child = match target {
                    ChildTarget::Existing(id) => Some(*id),
                    ChildTarget::Planned(i) => planned_ids.get(i).copied(),
                };
                if let Some(child) = child {
                    super::link_parent(tx, parent, child)?;
                }
            }
        }
        for t in &plan.teachers {
            let s = &t.source;
            if s.status == RowStatus::Error {
                continue;
            }
            let id = match (t.existing, &t.login) {
                (Some(id), _) => id,
                (None, Some(login)) => {
                    let id = super::create_user(
                        tx,
                        &NewUser {
                            login: login.clone(),
                            first_name: s.first_name.clone(),
                            last_name: s.last_name.clone(),
                            profile: Profile::Enseignant,
                            functions: Vec::new(),
                            email: s.email.clone(),
                            password_hash: None,
                            must_change_password: false,
                            created_at: now,
                        },
                    )?;
                    if let Some(mut u) = tx.get(&super::USERS, &id)? {
                        u.usage_name = s.usage_name.clone();
                        u.phone = s.phone.clone();
                        super::save_user(tx, &u)?;
                    }
                    created.push(id);
                    id
                }
                (None, None) => continue,
            };
            if let Some(cid) = t.class_key.as_ref().and_then(|k| class_ids.get(k)) {
                super::put_member(tx, *cid, id, Membership::Teacher)?;
            }
        }
        if let Some((archive, new_year)) = year {
            super::rollover::close_year(tx, archive, new_year)?;
            record_audit(
                tx,
                &AuditEvent {
                    at: now,
                    actor_id: actor.0,
                    actor_login: actor.1.to_string(),
                    action: format!("Rentrée : année {} archivée, année {new_year} ouverte", archive.year),
                },
            )?;
        }
        let c = &counts;
        record_audit(
            tx,
            &AuditEvent {
                at: now,
                actor_id: actor.0,
                actor_login: actor.1.to_string(),
                action: format!(
                    "Import ONDE : {} élève(s) créé(s), {} mis à jour, {} partant(s), {} responsable(s) créé(s), {} lien(s), {} enseignant(s) créé(s)",
                    c.pupils_new, c.pupils_updated, c.leavers, c.guardians_new, c.links, c.teachers_new
                ),
            },
        )?;
        Ok(created)
    })?;
    Ok(Outcome {
        counts,
        created_accounts: created,
    })
}

/// Forgets uploaded files never confirmed (they hold personal data): after one day.
pub fn purge_pending(store: &Store, now: i64) -> Result<usize> {
    let stale: Vec<String> = store
        .scan(&PENDING)?
        .into_iter()
        .filter(|(_, p)| now - p.created_at > 86_400 * 1_000_000)
        .map(|(k, _)| k)
        .collect();
    if !stale.is_empty() {
        store.commit_blocking(|tx| {
            for k in &stale {
                tx.remove(&PENDING, k)?;
            }
            Ok(())
        })?;
    }
    Ok(stale.len())
}

/// Deletes the accounts of pupils whose scheduled deletion date has passed (RGPD).
pub fn purge_leavers(store: &Store, now: i64) -> Result<usize> {
    let due: Vec<u64> = store
        .scan(&super::PUPILS)?
        .into_iter()
        .filter(|(_, p)| {
            p.leaving
                .as_ref()
                .map(|l| l.delete_after <= now)
                .unwrap_or(false)
        })
        .map(|(id, _)| id)
        .collect();
    let adults: Vec<u64> = store
        .scan(&super::USERS)?
        .into_iter()
        .filter(|(_, u)| {
            u.leaving
                .as_ref()
                .map(|l| l.delete_after <= now)
                .unwrap_or(false)
        })
        .map(|(id, _)| id)
        .collect();
    let due: Vec<u64> = due.into_iter().chain(adults).collect();
    for id in &due {
        super::delete_account(store, *id)?;
    }
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreOptions;

    const HEADER: &str = "Nom élève;Nom d'usage élève;Prénom élève;Date naissance;Sexe;INE; Cycle;Niveau;Libellé classe;Identifiant classe;Autorisation photo";

    fn store(dir: &std::path::Path) -> Store {
        let mut tables = crate::schema::tables();
        tables.dedup();
        Store::open_raw(dir, &StoreOptions::default(), &tables).unwrap()
    }

    fn pupils(text: &str) -> PupilFile {
        onde::parse_pupils(text.as_bytes(), &BTreeMap::new()).unwrap()
    }

    fn school_file() -> String {
        format!(
            "{HEADER}\nLEFÈVRE;;Zoé;14/03/2017;F;0123456789A;CYCLE II;CE1;CE1-CE2 Mme Durand;40123;Oui\n\
             NGUYEN;MARTIN;Loïc;02/11/2016;M;0123456790B;CYCLE II;CE2;CE1-CE2 Mme Durand;40123;Non\n\
             PETIT;;Lou;05/06/2019;F;;CYCLE II;CP;CP M. Roux;40124;Oui\n\
             PETIT;;Max;05/06/2016;M;0123456791C;CYCLE III;CM1;CM1-CM2;40125;Oui\n"
        )
    }

    #[test]
    fn import_creates_classes_pupils_and_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        let file = pupils(&school_file());
        let p = plan(&s, Some(&file), None, true).unwrap();
        let c = p.counts();
        assert_eq!(
            (c.pupils_new, c.classes_new, c.lines_warn),
            (4, 3, 1),
            "{c:?}"
        );
        commit(&s, &p, 1, (None, "test")).unwrap();
        let classes = super::super::classes(&s).unwrap();
        assert_eq!(classes.len(), 3);
        let multi = classes
            .iter()
            .find(|c| c.label == "CE1-CE2 Mme Durand")
            .unwrap();
        assert_eq!(
            multi.levels,
            vec![Level::CE1, Level::CE2],
            "one class with two levels"
        );
        assert_eq!(multi.onde_id.as_deref(), Some("40123"));
        assert_eq!(super::super::members(&s, multi.id).unwrap().len(), 2);
        let loic = super::super::user_by_login(&s, "loic.martin")
            .unwrap()
            .expect("login from the nom d'usage");
        assert_eq!(loic.display_name(), "Loïc MARTIN");
        assert!(super::super::check(&s).unwrap().is_empty());

        // The same file again changes nothing.
        let again = plan(&s, Some(&file), None, true).unwrap();
        let c = again.counts();
        assert_eq!(
            (
                c.pupils_new,
                c.pupils_updated,
                c.pupils_unchanged,
                c.classes_new,
                c.leavers
            ),
            (0, 0, 4, 0, 0),
            "{c:?}"
        );
        commit(&s, &again, 2, (None, "test")).unwrap();
        assert_eq!(
            super::super::users(&s, Some(Profile::Eleve)).unwrap().len(),
            4
        );
    }

    #[test]
    fn leavers_only_from_a_full_school_file() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        commit(
            &s,
            &plan(&s, Some(&pupils(&school_file())), None, true).unwrap(),
            1,
            (None, "t"),
        )
        .unwrap();
        let one_class = pupils(&format!(
            "{HEADER}\nPETIT;;Lou;05/06/2019;F;;CYCLE II;CP;CP M. Roux;40124;Oui\n"
        ));
        let partial = plan(&s, Some(&one_class), None, false).unwrap();
        assert!(partial.leavers.is_empty());
        assert_eq!(partial.absent_untouched, 3);
        let full = plan(&s, Some(&one_class), None, true).unwrap();
        assert_eq!(full.leavers.len(), 3);
        commit(&s, &full, 10, (None, "t")).unwrap();
        let zoe = super::super::pupil_by_ine(&s, "0123456789A")
            .unwrap()
            .unwrap();
        let rec = super::super::pupil(&s, zoe).unwrap().unwrap();
        assert_eq!(
            rec.leaving.as_ref().unwrap().delete_after,
            10 + LEAVER_RETENTION_MICROS
        );
        assert!(super::super::user(&s, zoe).unwrap().unwrap().disabled);
        // Not deleted before the date, deleted after it.
        assert_eq!(purge_leavers(&s, 11).unwrap(), 0);
        assert_eq!(purge_leavers(&s, 11 + LEAVER_RETENTION_MICROS).unwrap(), 3);
        assert!(super::super::user(&s, zoe).unwrap().is_none());
        assert!(super::super::pupil_by_ine(&s, "0123456789A")
            .unwrap()
            .is_none());
        assert!(super::super::check(&s).unwrap().is_empty());
    }

    #[test]
    fn guardians_leave_with_their_last_child() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        let p = pupils(&school_file());
        let g = onde::parse_guardians(
            "Nom responsable;Prénom responsable;Nom de famille enfant;Prénom enfant;Classes enfants;Nom de famille enfant;Prénom enfant;Classes enfants\nPETIT;Sophie;PETIT;Lou;CP M. Roux;PETIT;Max;CM1-CM2\nNGUYEN;Anh;NGUYEN;Loïc;CE1-CE2 Mme Durand;;;\n".as_bytes(),
        )
        .unwrap();
        commit(
            &s,
            &plan(&s, Some(&p), Some(&g), true).unwrap(),
            1,
            (None, "t"),
        )
        .unwrap();
        // Loïc and Max leave; Lou stays: her mother stays, Loïc's father leaves.
        let next = pupils(&format!(
            "{HEADER}\nLEFÈVRE;;Zoé;14/03/2017;F;0123456789A;CYCLE II;CE1;CE1-CE2 Mme Durand;40123;Oui\nPETIT;;Lou;05/06/2019;F;;CYCLE II;CP;CP M. Roux;40124;Oui\n"
        ));
        let pl = plan(&s, Some(&next), None, true).unwrap();
        assert_eq!(pl.leavers.len(), 2);
        let names: Vec<&str> = pl
            .guardian_leavers
            .iter()
            .map(|(_, n)| n.as_str())
            .collect();
        assert_eq!(names, vec!["Anh NGUYEN"]);
        commit(&s, &pl, 10, (None, "t")).unwrap();
        let anh = super::super::user_by_login(&s, "anh.nguyen")
            .unwrap()
            .unwrap();
        assert!(anh.disabled && anh.leaving.is_some());
        assert_eq!(purge_leavers(&s, 11 + LEAVER_RETENTION_MICROS).unwrap(), 3);
        assert!(super::super::user_by_login(&s, "anh.nguyen")
            .unwrap()
            .is_none());
        assert!(super::super::user_by_login(&s, "sophie.petit")
            .unwrap()
            .is_some());
        assert!(super::super::check(&s).unwrap().is_empty());
    }

    #[test]
    fn guardians_are_linked_by_name_and_class_and_ambiguities_reported() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        let p = pupils(&school_file());
        let g = onde::parse_guardians(
            "Civilité Responsable;Nom responsable;Prénom responsable;Courriel;Nom d'usage enfant;Nom de famille enfant;Prénom enfant;Classes enfants;Nom d'usage enfant;Nom de famille enfant;Prénom enfant;Classes enfants;Nom d'usage enfant;Nom de famille enfant;Prénom enfant;Classes enfants\n\
             MME;PETIT;Sophie;sophie@example.fr;;PETIT;Lou;CP M. Roux;;PETIT;Max;CM1-CM2;;LEFÈVRE;Zoé;CE1-CE2 Mme Durand\n\
             M.;DUVAL;Jean;;;DUVAL;Paul;CP;;;;;;;;\n"
                .as_bytes(),
        )
        .unwrap();
        let pl = plan(&s, Some(&p), Some(&g), true).unwrap();
        let sophie = &pl.guardians[0];
        assert_eq!(sophie.children.len(), 3, "{:?}", sophie.reasons);
        let jean = &pl.guardians[1];
        assert_eq!(jean.status, RowStatus::Error);
        assert!(jean
            .reasons
            .iter()
            .any(|r| r.contains("Paul DUVAL") && r.contains("introuvable")));
        commit(&s, &pl, 1, (None, "t")).unwrap();
        let sophie_id = super::super::user_by_login(&s, "sophie.petit")
            .unwrap()
            .unwrap()
            .id;
        assert_eq!(super::super::children_of(&s, sophie_id).unwrap().len(), 3);
        // Re-import: the same guardian is recognised, nothing duplicated.
        let again = plan(&s, Some(&p), Some(&g), true).unwrap();
        assert_eq!(
            again.guardians[0].action,
            GuardianAction::Existing { user_id: sophie_id }
        );
        commit(&s, &again, 2, (None, "t")).unwrap();
        assert_eq!(
            super::super::users(&s, Some(Profile::Responsable))
                .unwrap()
                .len(),
            1
        );
        assert_eq!(super::super::children_of(&s, sophie_id).unwrap().len(), 3);
        assert!(super::super::check(&s).unwrap().is_empty());
    }

    #[test]
    fn teachers_join_their_class_and_are_not_duplicated() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        let p = pupils(&school_file());
        let t = onde::parse_teachers("Nom;Prénom;Courriel;Directeur;Classe\nDURAND;Alice;alice@ac.fr;non;CE1-CE2 Mme Durand\nROUX;Marc;;oui;Classe inconnue\n".as_bytes()).unwrap();
        let mut pl = plan(&s, Some(&p), None, true).unwrap();
        plan_teachers(&s, &mut pl, &t).unwrap();
        assert_eq!(pl.counts().teachers_new, 2);
        assert!(pl.teachers[1]
            .warnings
            .iter()
            .any(|w| w.contains("inconnue")));
        assert!(pl.teachers[1]
            .warnings
            .iter()
            .any(|w| w.contains("direction")));
        commit(&s, &pl, 1, (None, "t")).unwrap();
        let alice = super::super::user_by_login(&s, "alice.durand")
            .unwrap()
            .unwrap();
        assert!(!alice.is_director());
        let ce = super::super::classes(&s)
            .unwrap()
            .into_iter()
            .find(|c| c.label.starts_with("CE1"))
            .unwrap();
        assert!(super::super::members(&s, ce.id)
            .unwrap()
            .iter()
            .any(|(u, r)| u.id == alice.id && *r == Membership::Teacher));
        let mut again = plan(&s, Some(&p), None, true).unwrap();
        plan_teachers(&s, &mut again, &t).unwrap();
        assert_eq!(again.counts().teachers_new, 0);
    }

    #[test]
    fn two_homonyms_in_different_classes_are_told_apart_by_class() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        let p = pupils(&format!(
            "{HEADER}\nMARTIN;;Léo;01/01/2017;M;;CYCLE II;CE1;CE1;1;Oui\nMARTIN;;Léo;02/02/2015;M;;CYCLE III;CM1;CM1;2;Oui\n"
        ));
        let g = onde::parse_guardians(
            "Nom responsable;Prénom responsable;Nom de famille enfant;Prénom enfant;Classes enfants\nMARTIN;Anne;MARTIN;Léo;CM1\nMARTIN;Luc;MARTIN;Léo;\n"
                .as_bytes(),
        )
        .unwrap();
        let pl = plan(&s, Some(&p), Some(&g), true).unwrap();
        assert_eq!(
            pl.guardians[0].children,
            vec![(ChildTarget::Planned(1), "Léo MARTIN (CM1)".to_string())]
        );
        assert!(
            pl.guardians[1].reasons.iter().any(|r| r.contains("ambigu")),
            "{:?}",
            pl.guardians[1].reasons
        );
    }
}
