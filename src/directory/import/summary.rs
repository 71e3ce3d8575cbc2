//! The figures at the top of the preview, to check the import against the school's paper
//! lists: pupils per class, families, pupils without a guardian, guardians of several
//! children, and the photo authorisations ONDE declares.

use std::collections::{BTreeMap, HashSet};

use super::{ChildTarget, GuardianAction, Plan, PupilAction};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// (class as it will be in Préau, class as ONDE names it, pupils imported).
    pub per_class: Vec<(String, String, usize)>,
    /// Households: guardians and children linked together (siblings share a family).
    pub families: usize,
    /// Pupils no guardian line names and who have no guardian in the directory.
    pub without_guardian: Vec<String>,
    /// Guardians of two children or more, with how many.
    pub several_children: Vec<(String, usize)>,
    /// Pupils whose « Autorisation photo » ONDE gives as Oui / Non; the count left blank.
    pub photo_yes: Vec<String>,
    pub photo_no: Vec<String>,
    pub photo_unknown: usize,
}

/// Union-find root, with path halving.
fn root(parent: &mut [usize], mut x: usize) -> usize {
    while let Some(&p) = parent.get(x) {
        if p == x {
            break;
        }
        let grand = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(x) {
            *slot = grand;
        }
        x = grand;
    }
    x
}

/// The figures of a plan; `with_guardians`: pupils of the directory who already have one.
pub fn summary(plan: &Plan, with_guardians: &HashSet<u64>) -> Summary {
    let mut s = Summary::default();
    let imported: Vec<usize> = (0..plan.pupils.len())
        .filter(|i| {
            plan.pupils
                .get(*i)
                .is_some_and(|p| p.action != PupilAction::Skip)
        })
        .collect();
    for k in &plan.classes {
        let n = imported
            .iter()
            .filter_map(|i| plan.pupils.get(*i))
            .filter(|p| p.class_key == k.key)
            .count();
        if n > 0 || !k.file_label.is_empty() {
            s.per_class.push((k.label.clone(), k.file_label.clone(), n));
        }
    }
    // Nodes: the plan's pupils (0..n), then its guardians (n..n+g), then pupils of the
    // directory a guardian names but the pupils file does not list.
    let n = plan.pupils.len();
    let mut parent: Vec<usize> = (0..n + plan.guardians.len()).collect();
    let mut outside: BTreeMap<u64, usize> = BTreeMap::new();
    let mut linked: HashSet<usize> = HashSet::new();
    let by_user: BTreeMap<u64, usize> = plan
        .pupils
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p.action {
            PupilAction::Update { user_id, .. } | PupilAction::Unchanged { user_id } => {
                Some((user_id, i))
            }
            _ => None,
        })
        .collect();
    for (g, line) in plan.guardians.iter().enumerate() {
        if line.action == GuardianAction::Skip {
            continue;
        }
        if line.children.len() >= 2 {
            s.several_children
                .push((line.name.clone(), line.children.len()));
        }
        for (target, _) in &line.children {
            let node = match target {
                ChildTarget::Planned(i) => *i,
                ChildTarget::Existing(id) => match by_user.get(id) {
                    Some(i) => *i,
                    None => *outside.entry(*id).or_insert_with(|| {
                        parent.push(parent.len());
                        parent.len() - 1
                    }),
                },
            };
            linked.insert(node);
            let (a, b) = (root(&mut parent, n + g), root(&mut parent, node));
            if let Some(slot) = parent.get_mut(a) {
                *slot = b;
            }
        }
    }
    let roots: HashSet<usize> = (0..plan.guardians.len())
        .filter(|g| {
            plan.guardians
                .get(*g)
                .is_some_and(|l| l.action != GuardianAction::Skip)
        })
        .map(|g| root(&mut parent, n + g))
        .collect();
    s.families = roots.len();
    for i in &imported {
        let Some(p) = plan.pupils.get(*i) else {
            continue;
        };
        let name = format!("{} {}", p.source.first_name, p.source.last_name);
        let known = match p.action {
            PupilAction::Update { user_id, .. } | PupilAction::Unchanged { user_id } => {
                with_guardians.contains(&user_id)
            }
            _ => false,
        };
        if !linked.contains(i) && !known {
            s.without_guardian.push(name.clone());
        }
        match p.source.photo_consent {
            Some(true) => s.photo_yes.push(name),
            Some(false) => s.photo_no.push(name),
            None => s.photo_unknown += 1,
        }
    }
    s
}
