//! Planning an import: the files compared with the directory, line by line, into a
//! [`Plan`] the director reviews before anything is written.

use super::matching::{find_child, find_guardian, pupil_directory};
use super::*;

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
        let base = crate::directory::suggest_login(self.store, first, last)?;
        let mut candidate = base.clone();
        let mut n = 2;
        while self.taken.contains(&candidate)
            || self
                .store
                .get(&crate::directory::USER_BY_LOGIN, &candidate)?
                .is_some()
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
    let existing = crate::directory::users(store, Some(Profile::Enseignant))?;
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
        } else if let Some(k) = plan.classes.iter().find(|k| {
            fold(&k.label) == fold(&line.class_label)
                || fold(&k.file_label) == fold(&line.class_label)
        }) {
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
                    // Not a class of the pupils file: no choice to offer for it.
                    file_label: String::new(),
                    matched_by: None,
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

/// Compares the files with the directory, with the director's remembered class choices.
/// Writes nothing.
pub fn plan(
    store: &Store,
    pupils: Option<&PupilFile>,
    guardians: Option<&GuardianFile>,
    full_school: bool,
) -> Result<Plan> {
    let choices = super::saved_class_choices(store)?;
    plan_with(store, pupils, guardians, full_school, &choices)
}

/// The classes of the directory as the class matching sees them, teachers' names included.
fn known_classes(store: &Store) -> Result<Vec<KnownClass>> {
    let mut out = Vec::new();
    for (_, c) in store.scan(&CLASSES)? {
        let mut teachers = Vec::new();
        for (u, role) in crate::directory::members(store, c.id)? {
            if role == crate::directory::Membership::Teacher {
                teachers.push(u.last_name.clone());
                teachers.extend(u.usage_name.clone());
            }
        }
        out.push(KnownClass {
            id: c.id,
            label: c.label,
            levels: c.levels,
            onde_id: c.onde_id,
            teachers,
        });
    }
    Ok(out)
}

/// The classes the pupils file names, in order of first appearance, with their levels.
pub fn file_classes(file: &PupilFile) -> Vec<FileClass> {
    let mut out: Vec<FileClass> = Vec::new();
    for line in &file.lines {
        let key = class_key(&line.class_label, line.class_id.as_deref());
        let idx = match out.iter().position(|c| c.key == key) {
            Some(i) => i,
            None => {
                out.push(FileClass {
                    key,
                    label: line.class_label.clone(),
                    onde_id: line.class_id.clone(),
                    levels: Vec::new(),
                });
                out.len() - 1
            }
        };
        if line.status != RowStatus::Error {
            if let (Some(level), Some(c)) = (line.level, out.get_mut(idx)) {
                if !c.levels.contains(&level) {
                    c.levels.push(level);
                }
            }
        }
    }
    out
}

/// [`plan`] with the class choices given (the command line's `--classes` file).
pub fn plan_with(
    store: &Store,
    pupils: Option<&PupilFile>,
    guardians: Option<&GuardianFile>,
    full_school: bool,
    choices: &ClassChoices,
) -> Result<Plan> {
    let mut plan = Plan {
        full_school,
        ..Plan::default()
    };
    let mut picker = LoginPicker {
        store,
        taken: HashSet::new(),
    };
    let mut class_index: HashMap<String, usize> = HashMap::new();
    if let Some(file) = pupils {
        plan.pupil_file_unknown_columns = file.unknown_columns.clone();
        let wanted = file_classes(file);
        let known = known_classes(store)?;
        let matches = super::match_classes(&wanted, &known, choices);
        for (f, m) in wanted.iter().zip(matches) {
            let existing = m.and_then(|(id, _)| known.iter().find(|k| k.id == id));
            let levels = existing.map(|k| k.levels.clone()).unwrap_or_default();
            let mut new_levels: Vec<Level> = f
                .levels
                .iter()
                .filter(|l| !levels.contains(l))
                .copied()
                .collect();
            new_levels.sort();
            class_index.insert(f.key.clone(), plan.classes.len());
            plan.classes.push(PlannedClass {
                key: f.key.clone(),
                label: existing
                    .map(|k| k.label.clone())
                    .unwrap_or_else(|| f.label.clone()),
                onde_id: f.onde_id.clone(),
                existing: existing.map(|k| k.id),
                levels,
                new_levels,
                file_label: f.label.clone(),
                matched_by: m.map(|(_, rule)| rule),
            });
        }
        for line in &file.lines {
            let key = class_key(&line.class_label, line.class_id.as_deref());
            let idx = class_index.get(&key).copied().unwrap_or_default();
            let action = if line.status == RowStatus::Error {
                PupilAction::Skip
            } else {
                let found = match &line.ine {
                    Some(ine) => crate::directory::pupil_by_ine(store, ine)?,
                    None => None,
                };
                let found = match (found, &line.birth_date) {
                    (Some(id), _) => Some(id),
                    (None, Some(birth)) => crate::directory::pupil_by_identity(
                        store,
                        &line.last_name,
                        &line.first_name,
                        birth,
                    )?,
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
        for (id, record) in store.scan(&crate::directory::PUPILS)? {
            if listed.contains(&id) || record.leaving.is_some() {
                continue;
            }
            if full_school {
                let name = crate::directory::user(store, id)?
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
            for parent in crate::directory::parents_of(store, *pupil)? {
                if !seen.insert(parent) {
                    continue;
                }
                let mut all_gone = true;
                for child in crate::directory::children_of(store, parent)? {
                    let gone = leaving.contains(&child)
                        || crate::directory::pupil(store, child)?
                            .map(|p| p.leaving.is_some())
                            .unwrap_or(true);
                    all_gone &= gone;
                }
                if all_gone {
                    if let Some(u) = crate::directory::user(store, parent)? {
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
    let user = crate::directory::user(store, id)?;
    let record = crate::directory::pupil(store, id)?;
    if let (Some(u), Some(r)) = (&user, &record) {
        let same_usage = match (&u.usage_name, &line.usage_name) {
            (Some(a), Some(b)) => onde::same_name(a, b),
            (None, None) => true,
            _ => false,
        };
        if !onde::same_name(&u.first_name, &line.first_name)
            || !onde::same_name(&u.last_name, &line.last_name)
            || !same_usage
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
        let classes = crate::directory::classes_of(store, id)?;
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
