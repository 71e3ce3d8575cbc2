//! Tests of the import: plans and commits on fixtures.

use super::*;
use crate::directory::Membership;
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
    let classes = crate::directory::classes(&s).unwrap();
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
    assert_eq!(crate::directory::members(&s, multi.id).unwrap().len(), 2);
    let loic = crate::directory::user_by_login(&s, "loic.martin")
        .unwrap()
        .expect("login from the nom d'usage");
    assert_eq!(loic.display_name(), "Loïc Martin");
    assert!(crate::directory::check(&s).unwrap().is_empty());

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
        crate::directory::users(&s, Some(Profile::Eleve))
            .unwrap()
            .len(),
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
    let zoe = crate::directory::pupil_by_ine(&s, "0123456789A")
        .unwrap()
        .unwrap();
    let rec = crate::directory::pupil(&s, zoe).unwrap().unwrap();
    assert_eq!(
        rec.leaving.as_ref().unwrap().delete_after,
        10 + LEAVER_RETENTION_MICROS
    );
    assert!(crate::directory::user(&s, zoe).unwrap().unwrap().disabled);
    // Not deleted before the date, deleted after it.
    assert_eq!(purge_leavers(&s, 11).unwrap(), 0);
    assert_eq!(purge_leavers(&s, 11 + LEAVER_RETENTION_MICROS).unwrap(), 3);
    assert!(crate::directory::user(&s, zoe).unwrap().is_none());
    assert!(crate::directory::pupil_by_ine(&s, "0123456789A")
        .unwrap()
        .is_none());
    assert!(crate::directory::check(&s).unwrap().is_empty());
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
    assert_eq!(names, vec!["Anh Nguyen"]);
    commit(&s, &pl, 10, (None, "t")).unwrap();
    let anh = crate::directory::user_by_login(&s, "anh.nguyen")
        .unwrap()
        .unwrap();
    assert!(anh.disabled && anh.leaving.is_some());
    assert_eq!(purge_leavers(&s, 11 + LEAVER_RETENTION_MICROS).unwrap(), 3);
    assert!(crate::directory::user_by_login(&s, "anh.nguyen")
        .unwrap()
        .is_none());
    assert!(crate::directory::user_by_login(&s, "sophie.petit")
        .unwrap()
        .is_some());
    assert!(crate::directory::check(&s).unwrap().is_empty());
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
        .any(|r| r.contains("Paul Duval") && r.contains("introuvable")));
    commit(&s, &pl, 1, (None, "t")).unwrap();
    let sophie_id = crate::directory::user_by_login(&s, "sophie.petit")
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        crate::directory::children_of(&s, sophie_id).unwrap().len(),
        3
    );
    // Re-import: the same guardian is recognised, nothing duplicated.
    let again = plan(&s, Some(&p), Some(&g), true).unwrap();
    assert_eq!(
        again.guardians[0].action,
        GuardianAction::Existing { user_id: sophie_id }
    );
    commit(&s, &again, 2, (None, "t")).unwrap();
    assert_eq!(
        crate::directory::users(&s, Some(Profile::Responsable))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        crate::directory::children_of(&s, sophie_id).unwrap().len(),
        3
    );
    assert!(crate::directory::check(&s).unwrap().is_empty());
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
    let alice = crate::directory::user_by_login(&s, "alice.durand")
        .unwrap()
        .unwrap();
    assert!(!alice.is_director());
    let ce = crate::directory::classes(&s)
        .unwrap()
        .into_iter()
        .find(|c| c.label.starts_with("CE1"))
        .unwrap();
    assert!(crate::directory::members(&s, ce.id)
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
        vec![(ChildTarget::Planned(1), "Léo Martin (CM1)".to_string())]
    );
    assert!(
        pl.guardians[1].reasons.iter().any(|r| r.contains("ambigu")),
        "{:?}",
        pl.guardians[1].reasons
    );
}

/// The school's four classes as the wizard makes them (« GS-CP »), each with its teacher.
fn wizard_school(s: &Store) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    for (label, levels, teacher) in [
        ("PS-MS", vec![Level::PS, Level::MS], "Caron"),
        ("GS-CP", vec![Level::GS, Level::CP], "Lebrun"),
        ("CE1-CE2", vec![Level::CE1, Level::CE2], "Durand"),
        ("CM1-CM2", vec![Level::CM1, Level::CM2], "Roux"),
    ] {
        let ids = s
            .commit_checked_blocking(|tx| {
                let class = crate::directory::create_class(tx, label, &levels)?;
                let t = crate::directory::create_user(
                    tx,
                    &crate::directory::NewUser {
                        login: format!("prof.{}", teacher.to_lowercase()),
                        first_name: "Prof".into(),
                        last_name: teacher.into(),
                        profile: Profile::Enseignant,
                        functions: Vec::new(),
                        email: None,
                        password_hash: None,
                        must_change_password: false,
                        created_at: 0,
                    },
                )?;
                crate::directory::put_member(tx, class, t, Membership::Teacher)?;
                Ok((class, t))
            })
            .unwrap();
        out.push(ids);
    }
    out
}

pub(crate) const RENTREE_PUPILS: &[u8] =
    include_bytes!("../../../tests/fixtures/rentree/eleves-4-classes-cp1252.csv");
pub(crate) const RENTREE_GUARDIANS: &[u8] =
    include_bytes!("../../../tests/fixtures/rentree/responsables-4-classes-cp1252.csv");

#[test]
fn wizard_classes_and_onde_classes_meet() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    let school = wizard_school(&s);
    let p = onde::parse_pupils(RENTREE_PUPILS, &BTreeMap::new()).unwrap();
    let g = onde::parse_guardians(RENTREE_GUARDIANS).unwrap();
    let pl = plan(&s, Some(&p), Some(&g), true).unwrap();
    assert_eq!(pl.counts().classes_new, 0, "{:?}", pl.classes);
    let proposed: Vec<(&str, &str, Option<MatchRule>)> = pl
        .classes
        .iter()
        .map(|k| (k.file_label.as_str(), k.label.as_str(), k.matched_by))
        .collect();
    assert_eq!(
        proposed,
        vec![
            ("PS-MS Mme Caron", "PS-MS", Some(MatchRule::Levels)),
            ("GS-CP M. Lebrun", "GS-CP", Some(MatchRule::Levels)),
            ("CE1-CE2 Mme Durand", "CE1-CE2", Some(MatchRule::Levels)),
            ("CM1-CM2 M. Roux", "CM1-CM2", Some(MatchRule::Levels)),
        ]
    );
    commit(&s, &pl, 1, (None, "t")).unwrap();
    let classes = crate::directory::classes(&s).unwrap();
    assert_eq!(classes.len(), 4, "4 classes, not 8");
    for (class, teacher) in &school {
        let members = crate::directory::members(&s, *class).unwrap();
        assert!(members
            .iter()
            .any(|(u, r)| u.id == *teacher && *r == Membership::Teacher));
        assert_eq!(
            members
                .iter()
                .filter(|(_, r)| *r == Membership::Pupil)
                .count(),
            3,
            "pupils and their teacher together"
        );
    }
    let gs_cp = classes.iter().find(|c| c.label == "GS-CP").unwrap();
    assert_eq!(
        gs_cp.onde_id.as_deref(),
        Some("51002"),
        "the ONDE id is kept"
    );
    // Again: recognised by the ONDE identifier now, nothing changes.
    let again = plan(&s, Some(&p), Some(&g), true).unwrap();
    let c = again.counts();
    assert_eq!(
        (c.classes_new, c.pupils_unchanged, c.guardians_new),
        (0, 12, 0),
        "{c:?}"
    );
    assert!(again
        .classes
        .iter()
        .all(|k| k.matched_by == Some(MatchRule::OndeId)));
    assert!(crate::directory::check(&s).unwrap().is_empty());
}

#[test]
fn a_class_mapping_written_by_hand_overrides_the_proposal() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    wizard_school(&s);
    let p = onde::parse_pupils(RENTREE_PUPILS, &BTreeMap::new()).unwrap();
    let known: Vec<(u64, String)> = crate::directory::classes(&s)
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.label))
        .collect();
    let text = "# rentrée\nGS-CP M. Lebrun = nouvelle\n51004 = ce1-ce2\n";
    let choices = parse_class_choices(text, &file_classes(&p), &known).unwrap();
    let pl = plan_with(&s, Some(&p), None, true, &choices).unwrap();
    let by_file = |l: &str| pl.classes.iter().find(|k| k.file_label == l).unwrap();
    assert_eq!(by_file("GS-CP M. Lebrun").existing, None);
    assert_eq!(by_file("CM1-CM2 M. Roux").label, "CE1-CE2");
    assert_eq!(
        by_file("CM1-CM2 M. Roux").matched_by,
        Some(MatchRule::Chosen)
    );
    // CE1-CE2 is taken by the choice: the ONDE CE1-CE2 class is new.
    assert_eq!(by_file("CE1-CE2 Mme Durand").existing, None);
    assert!(
        parse_class_choices("Inconnue = GS-CP", &file_classes(&p), &known)
            .unwrap_err()
            .contains("ligne 1")
    );
    assert!(parse_class_choices("51001 = Classe fantôme", &file_classes(&p), &known).is_err());
}

#[test]
fn the_preview_figures_match_the_paper_lists() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    wizard_school(&s);
    let p = onde::parse_pupils(RENTREE_PUPILS, &BTreeMap::new()).unwrap();
    let g = onde::parse_guardians(RENTREE_GUARDIANS).unwrap();
    let pl = plan(&s, Some(&p), Some(&g), true).unwrap();
    let sum = summary(&pl, &HashSet::new());
    let per_class: Vec<(&str, usize)> = sum
        .per_class
        .iter()
        .map(|(l, _, n)| (l.as_str(), *n))
        .collect();
    assert_eq!(
        per_class,
        vec![("PS-MS", 3), ("GS-CP", 3), ("CE1-CE2", 3), ("CM1-CM2", 3)]
    );
    // Béranger, Ouédraogo (two parents, two children), Lefèvre (three children), Garçon,
    // N'Diaye, Cœur, D'Almeida, Petit.
    assert_eq!(sum.families, 8);
    assert_eq!(sum.without_guardian, vec!["Jules Martin".to_string()]);
    assert_eq!(
        sum.several_children,
        vec![
            ("Issa Ouédraogo".to_string(), 2),
            ("Fatou Ouédraogo".to_string(), 2),
            ("Claire Lefèvre".to_string(), 3)
        ]
    );
    assert_eq!(
        (sum.photo_yes.len(), sum.photo_no.len(), sum.photo_unknown),
        (8, 3, 1)
    );
    assert!(sum.photo_no.contains(&"Théo Lefèvre".to_string()));
    // Once imported, a pupil's guardians in the directory count too.
    commit(&s, &pl, 1, (None, "t")).unwrap();
    let again = plan(&s, Some(&p), None, true).unwrap();
    let mut with = HashSet::new();
    for (id, _) in s.scan(&crate::directory::PUPILS).unwrap() {
        if !crate::directory::parents_of(&s, id).unwrap().is_empty() {
            with.insert(id);
        }
    }
    assert_eq!(
        summary(&again, &with).without_guardian,
        vec!["Jules Martin".to_string()]
    );
}

#[test]
fn imported_names_take_the_schools_casing_once() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    let file = pupils(&school_file());
    commit(
        &s,
        &plan(&s, Some(&file), None, true).unwrap(),
        1,
        (None, "t"),
    )
    .unwrap();
    let zoe = crate::directory::pupil_by_ine(&s, "0123456789A")
        .unwrap()
        .unwrap();
    let loic = crate::directory::pupil_by_ine(&s, "0123456790B")
        .unwrap()
        .unwrap();
    let name = |id| crate::directory::user(&s, id).unwrap().unwrap();
    assert_eq!(name(zoe).last_name, "Lefèvre", "not « LEFÈVRE »");
    assert_eq!(name(loic).display_name(), "Loïc Martin");
    // An account imported in capitals by an older Préau is updated once; a casing the
    // director fixed by hand stays.
    s.commit_checked_blocking(|tx| {
        for (id, last) in [(zoe, "LEFÈVRE"), (loic, "NGuyen")] {
            let mut u = crate::directory::user_in(tx, id)?.unwrap();
            u.last_name = last.into();
            crate::directory::save_user(tx, &u)?;
        }
        Ok(())
    })
    .unwrap();
    let again = plan(&s, Some(&file), None, true).unwrap();
    assert_eq!(again.counts().pupils_updated, 1, "{:?}", again.pupils);
    commit(&s, &again, 2, (None, "t")).unwrap();
    assert_eq!(name(zoe).last_name, "Lefèvre");
    assert_eq!(name(loic).last_name, "NGuyen");
    let third = plan(&s, Some(&file), None, true).unwrap();
    assert_eq!(
        (
            third.counts().pupils_updated,
            third.counts().pupils_unchanged
        ),
        (0, 4)
    );
}
