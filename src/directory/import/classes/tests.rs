//! The class matching, rule by rule.

use super::*;

fn known(
    id: u64,
    label: &str,
    levels: &[Level],
    onde_id: Option<&str>,
    teachers: &[&str],
) -> KnownClass {
    KnownClass {
        id,
        label: label.into(),
        levels: levels.to_vec(),
        onde_id: onde_id.map(str::to_string),
        teachers: teachers.iter().map(|t| t.to_string()).collect(),
    }
}

fn file(label: &str, onde_id: Option<&str>, levels: &[Level]) -> FileClass {
    FileClass {
        key: match onde_id {
            Some(id) => format!("id:{id}"),
            None => format!("label:{}", fold(label)),
        },
        label: label.into(),
        onde_id: onde_id.map(str::to_string),
        levels: levels.to_vec(),
    }
}

use Level::*;

/// The wizard's four classes, all taught by the director (`preau setup --class`).
fn wizard() -> Vec<KnownClass> {
    vec![
        known(1, "PS-MS", &[PS, MS], None, &["Martin"]),
        known(2, "GS-CP", &[GS, CP], None, &["Martin"]),
        known(3, "CE1-CE2", &[CE1, CE2], None, &["Martin"]),
        known(4, "CM1-CM2", &[CM1, CM2], None, &["Martin"]),
    ]
}

#[test]
fn rule_1_the_onde_identifier_wins_over_everything() {
    let k = vec![
        known(1, "CP", &[CP], None, &[]),
        known(2, "Classe bleue", &[CE1], Some("40124"), &[]),
    ];
    let m = match_classes(
        &[file("CP M. Roux", Some("40124"), &[CP])],
        &k,
        &ClassChoices::new(),
    );
    assert_eq!(m, vec![Some((2, MatchRule::OndeId))]);
}

#[test]
fn rule_2_same_levels_matches_the_wizards_classes() {
    let f = vec![
        file("PS-MS Mme Caron", Some("1"), &[MS, PS]),
        file("GS-CP M. Lebrun", Some("2"), &[GS, CP]),
        file("CE1-CE2 Mme Durand", Some("3"), &[CE1, CE2]),
        file("CM1-CM2 M. Roux", Some("4"), &[CM2, CM1]),
    ];
    let m = match_classes(&f, &wizard(), &ClassChoices::new());
    assert_eq!(
        m,
        (1..=4)
            .map(|id| Some((id, MatchRule::Levels)))
            .collect::<Vec<_>>()
    );
}

#[test]
fn rule_2_needs_one_class_on_each_side() {
    // Two CP classes in the file, one in the directory: the levels choose nothing.
    let k = vec![known(1, "CP", &[CP], None, &[])];
    let f = vec![file("CP A", None, &[CP]), file("CP B", None, &[CP])];
    assert_eq!(
        match_classes(&f, &k, &ClassChoices::new()),
        vec![None, None]
    );
}

#[test]
fn rule_3_the_teachers_name_in_the_label() {
    // Two CP classes on both sides: the teachers' names tell them apart.
    let k = vec![
        known(1, "CP A", &[CP], None, &["Lebrun"]),
        known(2, "CP B", &[CP], None, &["Le Gall"]),
    ];
    let f = vec![
        file("CP Mme LE GALL", None, &[CP]),
        file("CP M. LEBRUN", None, &[CP]),
    ];
    assert_eq!(
        match_classes(&f, &k, &ClassChoices::new()),
        vec![Some((2, MatchRule::Teacher)), Some((1, MatchRule::Teacher))]
    );
    // The director teaching every class names none of them.
    let f = vec![
        file("CP Mme Martin", None, &[CP]),
        file("CP bis Martin", None, &[CP]),
    ];
    let k = vec![
        known(1, "Cours préparatoire", &[CP], None, &["Martin"]),
        known(2, "Autre CP", &[CP], None, &["Martin"]),
    ];
    assert_eq!(
        match_classes(&f, &k, &ClassChoices::new()),
        vec![None, None]
    );
}

#[test]
fn rule_4_the_closest_label() {
    assert!((label_similarity("GS-CP", "GS-CP M. Lebrun") - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(label_similarity("CE1", "CM2 Mme Roy"), 0.0);
    // Levels differ (a CE2 pupil is missing this year), the label still says it.
    let k = vec![
        known(1, "CE1-CE2", &[CE1, CE2], None, &[]),
        known(2, "CM1-CM2", &[CM1, CM2], None, &[]),
    ];
    let f = vec![file("CE1-CE2 Mme Durand", None, &[CE1])];
    assert_eq!(
        match_classes(&f, &k, &ClassChoices::new()),
        vec![Some((1, MatchRule::Label))]
    );
    // Too far apart: a new class.
    let f = vec![file("ULIS école", None, &[])];
    assert_eq!(match_classes(&f, &k, &ClassChoices::new()), vec![None]);
}

#[test]
fn a_remembered_choice_overrides_the_rules() {
    let f = vec![
        file("GS-CP M. Lebrun", Some("2"), &[GS, CP]),
        file("CM1-CM2 M. Roux", Some("4"), &[CM1, CM2]),
    ];
    let mut choices = ClassChoices::new();
    choices.insert("id:2".into(), ClassChoice::Existing(3));
    choices.insert("id:4".into(), ClassChoice::New);
    assert_eq!(
        match_classes(&f, &wizard(), &choices),
        vec![Some((3, MatchRule::Chosen)), None]
    );
    // A choice naming a class that no longer exists is ignored.
    choices.insert("id:2".into(), ClassChoice::Existing(99));
    assert_eq!(
        match_classes(&f, &wizard(), &choices)[0],
        Some((2, MatchRule::Levels))
    );
}

#[test]
fn a_class_of_the_directory_is_given_once() {
    let k = vec![known(1, "CP", &[CP], Some("7"), &[])];
    let f = vec![file("CP", Some("7"), &[CP]), file("CP", Some("8"), &[CP])];
    assert_eq!(
        match_classes(&f, &k, &ClassChoices::new()),
        vec![Some((1, MatchRule::OndeId)), None]
    );
}
