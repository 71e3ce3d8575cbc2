//! Which class of the directory each class of the ONDE file is: the director usually
//! created the school's classes in the wizard (« GS-CP ») before ONDE names them its own
//! way (« GS-CP M. Lebrun »). Without this, an import doubles every class: the teachers'
//! empty, the pupils' without a teacher.
//!
//! Rules, in order, each one pass over all the classes of the file; a class of the
//! directory is given to one class of the file at most:
//! 0. the director's remembered choice (« rattacher à … » / « créer une nouvelle classe »);
//! 1. the same ONDE class identifier;
//! 2. the same set of levels, when it designates one class on each side;
//! 3. the name of one of the class's teachers among the words of the ONDE label, when it
//!    designates one class on each side;
//! 4. the most similar label (shared words, Dice coefficient at least one half), when each
//!    is the other's best and no other class ties.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{fold, Level, Store};
use crate::store::Result;

/// Meta key of the director's remembered choices, by class key of the file.
pub const CLASS_CHOICES_KEY: &str = "onde_class_choices";

/// The director's choice for one class of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClassChoice {
    /// Attach it to this class of the directory.
    Existing(u64),
    /// Create a new class, whatever the rules would propose.
    New,
}

/// The remembered choices, by class key of the file (`id:…` or `label:…`).
pub type ClassChoices = BTreeMap<String, ClassChoice>;

/// Why a class of the file was attached to a class of the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MatchRule {
    Chosen,
    OndeId,
    Levels,
    Teacher,
    Label,
}

impl MatchRule {
    /// The reason, as the preview and the command line say it.
    pub fn reason(self) -> &'static str {
        match self {
            MatchRule::Chosen => "votre choix",
            MatchRule::OndeId => "même identifiant ONDE",
            MatchRule::Levels => "mêmes niveaux",
            MatchRule::Teacher => "nom de l'enseignant dans le libellé",
            MatchRule::Label => "libellé proche",
        }
    }
}

/// A class of the directory, as the matching sees it.
#[derive(Debug, Clone)]
pub struct KnownClass {
    pub id: u64,
    pub label: String,
    pub levels: Vec<Level>,
    pub onde_id: Option<String>,
    /// Names (family and usage names) of its teachers.
    pub teachers: Vec<String>,
}

/// A class of the file: its key, label, ONDE identifier and the levels of its pupils.
#[derive(Debug, Clone)]
pub struct FileClass {
    pub key: String,
    pub label: String,
    pub onde_id: Option<String>,
    pub levels: Vec<Level>,
}

/// The words of a label or a name, folded: « GS-CP M. Lebrun » → gs, cp, m, lebrun.
fn words(text: &str) -> BTreeSet<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Dice coefficient of the two labels' words (1 = same words, 0 = none shared).
pub fn label_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(&b).count();
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

fn level_set(levels: &[Level]) -> BTreeSet<Level> {
    levels.iter().copied().collect()
}

/// Whether one of the class's teachers is named in the label (every word of the name).
fn teacher_named(label: &str, class: &KnownClass) -> bool {
    let label = words(label);
    class.teachers.iter().any(|name| {
        let name = words(name);
        !name.is_empty() && name.iter().all(|w| w.len() > 1 && label.contains(w))
    })
}

/// A rule between a class of the file and a class of the directory.
type Fits<'r> = &'r dyn Fn(&FileClass, &KnownClass) -> bool;

/// One class of the file while matching: its match so far, and whether the director
/// chose a new class for it (then no rule applies).
struct Slot<'a> {
    file: &'a FileClass,
    found: Option<(u64, MatchRule)>,
    kept_new: bool,
}

impl Slot<'_> {
    fn open(&self) -> bool {
        self.found.is_none() && !self.kept_new
    }
}

/// Pairs (slot, known class) that designate each other alone under `fits`.
fn unique_pairs(slots: &[Slot<'_>], free: &[&KnownClass], fits: Fits<'_>) -> Vec<(usize, u64)> {
    let mut pairs = Vec::new();
    for (i, slot) in slots.iter().enumerate().filter(|(_, s)| s.open()) {
        let mine: Vec<&&KnownClass> = free.iter().filter(|k| fits(slot.file, k)).collect();
        if let [k] = mine.as_slice() {
            let rivals = slots.iter().filter(|s| s.open() && fits(s.file, k)).count();
            if rivals == 1 {
                pairs.push((i, k.id));
            }
        }
    }
    pairs
}

/// The one index whose score is the highest, at least one half; none on a tie.
fn unique_best(scores: impl Iterator<Item = (usize, f64)>) -> Option<usize> {
    let scores: Vec<(usize, f64)> = scores.collect();
    let top = scores.iter().map(|(_, s)| *s).fold(0.0, f64::max);
    let best: Vec<usize> = scores
        .iter()
        .filter(|(_, s)| *s >= 0.5 && (*s - top).abs() < 1e-9)
        .map(|(x, _)| *x)
        .collect();
    match best.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The class of the directory each class of the file goes to (`None`: a new class), and
/// by which rule.
pub fn match_classes(
    file: &[FileClass],
    known: &[KnownClass],
    choices: &ClassChoices,
) -> Vec<Option<(u64, MatchRule)>> {
    let mut taken: BTreeSet<u64> = BTreeSet::new();
    let mut slots: Vec<Slot<'_>> = Vec::new();
    for f in file {
        let mut slot = Slot {
            file: f,
            found: None,
            kept_new: false,
        };
        match choices.get(&f.key) {
            Some(ClassChoice::New) => slot.kept_new = true,
            Some(ClassChoice::Existing(id))
                if known.iter().any(|k| k.id == *id) && !taken.contains(id) =>
            {
                slot.found = Some((*id, MatchRule::Chosen));
                taken.insert(*id);
            }
            _ => {}
        }
        slots.push(slot);
    }
    for slot in slots.iter_mut().filter(|s| s.open()) {
        let Some(onde_id) = &slot.file.onde_id else {
            continue;
        };
        if let Some(k) = known
            .iter()
            .find(|k| k.onde_id.as_ref() == Some(onde_id) && !taken.contains(&k.id))
        {
            slot.found = Some((k.id, MatchRule::OndeId));
            taken.insert(k.id);
        }
    }
    let same_levels = |f: &FileClass, k: &KnownClass| {
        !f.levels.is_empty() && level_set(&f.levels) == level_set(&k.levels)
    };
    let named = |f: &FileClass, k: &KnownClass| teacher_named(&f.label, k);
    let rules: [(MatchRule, Fits<'_>); 2] = [
        (MatchRule::Levels, &same_levels),
        (MatchRule::Teacher, &named),
    ];
    for (rule, fits) in rules {
        let free: Vec<&KnownClass> = known.iter().filter(|k| !taken.contains(&k.id)).collect();
        for (i, id) in unique_pairs(&slots, &free, fits) {
            if let Some(slot) = slots.get_mut(i) {
                slot.found = Some((id, rule));
                taken.insert(id);
            }
        }
    }
    // Label similarity: each the other's unique best.
    let free: Vec<&KnownClass> = known.iter().filter(|k| !taken.contains(&k.id)).collect();
    let mut pairs = Vec::new();
    for (i, slot) in slots.iter().enumerate().filter(|(_, s)| s.open()) {
        let Some(k) = unique_best(
            free.iter()
                .enumerate()
                .map(|(n, k)| (n, label_similarity(&slot.file.label, &k.label))),
        )
        .and_then(|n| free.get(n)) else {
            continue;
        };
        let back = unique_best(
            slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.open())
                .map(|(j, s)| (j, label_similarity(&s.file.label, &k.label))),
        );
        if back == Some(i) {
            pairs.push((i, k.id));
        }
    }
    for (i, id) in pairs {
        if let Some(slot) = slots.get_mut(i) {
            slot.found = Some((id, MatchRule::Label));
        }
    }
    slots.into_iter().map(|s| s.found).collect()
}

/// The director's remembered choices.
pub fn saved_class_choices(store: &Store) -> Result<ClassChoices> {
    Ok(store.meta(CLASS_CHOICES_KEY)?.unwrap_or_default())
}

/// Reads a class mapping written by hand (`preau import onde --classes FICHIER`), one
/// line per class of the file: `class of the file = class of Préau`, the class of the file
/// by its ONDE label or identifier, the class of Préau by its label or « nouvelle ».
/// Blank lines and lines starting with `#` are skipped. Errors name the line.
pub fn parse_class_choices(
    text: &str,
    file: &[FileClass],
    known: &[(u64, String)],
) -> std::result::Result<ClassChoices, String> {
    let mut out = ClassChoices::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let n = n + 1;
        let (from, to) = line
            .split_once('=')
            .ok_or_else(|| format!("ligne {n} : « classe ONDE = classe Préau » attendu"))?;
        let (from, to) = (fold(from), fold(to));
        let f = file
            .iter()
            .find(|f| {
                fold(&f.label) == from || f.onde_id.as_deref().map(fold) == Some(from.clone())
            })
            .ok_or_else(|| {
                format!(
                    "ligne {n} : aucune classe « {} » dans le fichier des élèves",
                    from
                )
            })?;
        let choice = if matches!(to.as_str(), "nouvelle" | "nouvelle-classe" | "new") {
            ClassChoice::New
        } else {
            let id = known
                .iter()
                .find(|(_, label)| fold(label) == to)
                .map(|(id, _)| *id)
                .ok_or_else(|| format!("ligne {n} : aucune classe « {to} » dans Préau"))?;
            ClassChoice::Existing(id)
        };
        out.insert(f.key.clone(), choice);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
