//! Finding the people a file names among those the directory already knows: pupils by
//! INE or identity, guardians by name and children.

use super::*;

/// Existing pupils as (user id, folded names, folded class labels).
pub(super) fn pupil_directory(store: &Store) -> Result<Vec<KnownPupil>> {
    let mut out = Vec::new();
    for (id, _) in store.scan(&crate::directory::PUPILS)? {
        if let Some(u) = crate::directory::user(store, id)? {
            let mut names = vec![fold(&u.last_name)];
            if let Some(us) = &u.usage_name {
                names.push(fold(us));
            }
            let classes = crate::directory::classes_of(store, id)?
                .into_iter()
                .filter_map(|c| {
                    crate::directory::class(store, c)
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

pub(super) fn find_child(
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
pub(super) fn find_guardian(
    store: &Store,
    line: &onde::GuardianLine,
    children: &[(ChildTarget, String)],
) -> Result<Option<u64>> {
    let last = fold(&line.last_name);
    let first = fold(&line.first_name);
    for (target, _) in children {
        if let ChildTarget::Existing(child) = target {
            for parent in crate::directory::parents_of(store, *child)? {
                if let Some(u) = crate::directory::user(store, parent)? {
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
        for u in crate::directory::users(store, Some(Profile::Responsable))? {
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
