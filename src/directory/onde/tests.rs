//! Tests of the ONDE reader on files written the way ONDE and Base Élèves write them.

use super::*;

#[test]
fn teachers_file_from_be1d() {
    let text = "\"Civilité\";\"Nom usage\";\"Nom\";\"Prénom\";\"Adresse\";\"CP\";\"Commune\";\"Pays\";\"Courriel\";\"Téléphone domicile\";\"Téléphone portable\";\"Directeur\";\"Classe\"\n\"Mme\";\"\";\"DURAND\";\"Alice\";\"\";\"\";\"\";\"\";\"alice.durand@ac-rennes.fr\";\"\";\"\";\"non\";\"CE1-CE2 Mme Durand\"\n\"M.\";\"\";\"ROUX\";\"\";\"\";\"\";\"\";\"\";\"\";\"\";\"\";\"oui\";\"\"\n";
    let f = parse_teachers(text.as_bytes()).unwrap();
    assert_eq!(f.lines[0].first_name, "Alice");
    assert_eq!(
        f.lines[0].email.as_deref(),
        Some("alice.durand@ac-rennes.fr")
    );
    assert_eq!(f.lines[0].class_label, "CE1-CE2 Mme Durand");
    assert!(!f.lines[0].director);
    assert_eq!(f.lines[1].status, RowStatus::Error);
    assert!(parse_teachers(b"Ville;Pays\nRennes;FR\n").is_err());
}

const ONDE_HEADER: &str = "Nom élève;Nom d'usage élève;Prénom élève;Date naissance;Sexe;INE;Adresse1;Cp1;Commune1;Pays1;Adresse2;Cp2;Commune2;Pays2; Cycle;Niveau;Libellé classe;Identifiant classe;Attestation fournie;Autorisation associations;Autorisation photo;Décision de passage";

fn onde_fixture() -> String {
    format!(
        "{ONDE_HEADER}\r\nLEFÈVRE;;Zoé;14/03/2017;F;0123456789A;2 place de l'Église;12345;Sainte-Œuvre;FRANCE;;;;;CYCLE II;CE1;CE1-CE2 Mme Durand;40123;Oui;Non;Oui;\r\nNGUYEN;MARTIN;Loïc;02/11/2016;M;0123456790B;;;;;;;;;CYCLE II;CE2;CE1-CE2 Mme Durand;40123;Oui;Oui;Non;\r\n;;;;;;;;;;;;;;;;;;;;;\r\n"
    )
}

fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

#[test]
fn onde_file_in_windows_1252_is_read() {
    let f = parse_pupils(&windows_1252(&onde_fixture()), &BTreeMap::new()).unwrap();
    assert_eq!(f.lines.len(), 2, "the ;;;; line is ignored");
    let zoe = &f.lines[0];
    assert_eq!(zoe.status, RowStatus::Ok, "{:?}", zoe.reasons);
    assert_eq!(
        (zoe.last_name.as_str(), zoe.first_name.as_str()),
        ("Lefèvre", "Zoé"),
    );
    assert_eq!(zoe.birth_date.as_deref(), Some("2017-03-14"));
    assert_eq!(zoe.ine.as_deref(), Some("0123456789A"));
    assert_eq!(zoe.level, Some(Level::CE1));
    assert_eq!(zoe.class_id.as_deref(), Some("40123"));
    assert_eq!(zoe.cycle.as_deref(), Some("CYCLE II"));
    assert_eq!(zoe.photo_consent, Some(true));
    assert_eq!(zoe.line, 2);
    let loic = &f.lines[1];
    assert_eq!(loic.usage_name.as_deref(), Some("Martin"));
    assert_eq!(loic.photo_consent, Some(false));
    assert!(f.unknown_columns.contains(&"Adresse1".to_string()));
}

#[test]
fn utf8_with_and_without_bom_give_the_same_result() {
    let plain = parse_pupils(onde_fixture().as_bytes(), &BTreeMap::new()).unwrap();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(onde_fixture().replace("\r\n", "\n").as_bytes());
    let with_bom = parse_pupils(&bom, &BTreeMap::new()).unwrap();
    let cp1252 = parse_pupils(&windows_1252(&onde_fixture()), &BTreeMap::new()).unwrap();
    assert_eq!(plain.lines, cp1252.lines);
    assert_eq!(
        plain
            .lines
            .iter()
            .map(|l| (&l.last_name, &l.first_name))
            .collect::<Vec<_>>(),
        with_bom
            .lines
            .iter()
            .map(|l| (&l.last_name, &l.first_name))
            .collect::<Vec<_>>()
    );
}

#[test]
fn be1d_quoted_file_with_iso_dates() {
    let text = "\"Nom Elève\";\"Nom d'usage Elève\";\"Prénom Elève\";\"Date naissance\";\"Sexe\";\" Cycle\";\"Niveau\";\"Classe\";\"Autorisations photos\"\n\"DUPONT\";\"\";\"Léa\";\"2018-05-02\";\"F\";\"MATERNELLE\";\"GS\";\"GS Mme Roux\";\"Non\"\n";
    let f = parse_pupils(text.as_bytes(), &BTreeMap::new()).unwrap();
    let lea = &f.lines[0];
    assert_eq!(lea.birth_date.as_deref(), Some("2018-05-02"));
    assert_eq!(lea.class_label, "GS Mme Roux");
    assert_eq!(lea.cycle.as_deref(), Some("MATERNELLE"));
    assert_eq!(lea.status, RowStatus::Warn, "no INE: matched by identity");
}

#[test]
fn headers_match_loosely() {
    for h in ["Nom élève", "NOM ELEVE", "Nom Elève", " nom  élève "] {
        assert_eq!(normalize_header(h), "nomeleve");
    }
    assert_eq!(
        normalize_header("Nom d’usage élève"),
        normalize_header("Nom d'usage élève")
    );
    assert_eq!(normalize_header(" Cycle"), "cycle");
}

#[test]
fn bad_lines_are_reported_with_their_reason() {
    let text = format!(
        "{ONDE_HEADER}\nMARTIN;;Jules;31/02/2017;M;0123456789A;;;;;;;;;CYCLE II;CP;CP;1;;;;\nBERNARD;;Ana;01/01/2017;F;0123456789A;;;;;;;;;CYCLE II;CP;CP;1;;;;\n;;Sans nom;01/01/2017;F;;;;;;;;;;CYCLE II;CP;CP;1;;;;\n"
    );
    let f = parse_pupils(text.as_bytes(), &BTreeMap::new()).unwrap();
    assert_eq!(f.lines[0].status, RowStatus::Error);
    assert!(f.lines[0].reasons[0].contains("31/02/2017"));
    assert_eq!(f.lines[1].status, RowStatus::Error, "duplicate INE");
    assert!(
        f.lines[1].reasons.iter().any(|r| r.contains("ligne 2")),
        "{:?} {:?}",
        f.lines[0],
        f.lines[1]
    );
    assert_eq!(f.lines[2].status, RowStatus::Error);
}

#[test]
fn missing_columns_and_wrong_files_are_explained() {
    let err = parse_pupils("Nom;Ville\nDUPONT;Rennes\n".as_bytes(), &BTreeMap::new()).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("Prénom élève") && msg.contains("Date naissance"),
        "{msg}"
    );
    assert_eq!(
        parse_pupils(b"PK\x03\x04\x00\x00binary", &BTreeMap::new()).unwrap_err(),
        FileError::NotText
    );
    assert_eq!(
        parse_pupils(b"\xEF\xBB\xBF\r\n;;;\r\n", &BTreeMap::new()).unwrap_err(),
        FileError::Empty
    );
}

#[test]
fn columns_can_be_remapped() {
    let text = "Famille;Prénom usuel;Né le;Groupe\nDUPONT;Léa;02/05/2018;GS\n";
    assert!(parse_pupils(text.as_bytes(), &BTreeMap::new()).is_err());
    let overrides: BTreeMap<String, String> = [
        ("famille", "nom"),
        ("prenomusuel", "prenom"),
        ("groupe", "classe"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let f = parse_pupils(text.as_bytes(), &overrides).unwrap();
    assert_eq!(f.lines[0].first_name, "Léa");
    assert_eq!(f.lines[0].class_label, "GS");
}

#[test]
fn responsables_with_repeated_child_groups() {
    let text = "Civilité Responsable;Nom usage responsable;Nom responsable;Prénom responsable;Adresse responsable;CP responsable;Commune responsable;Pays;Courriel;Téléphone domicile;Téléphone travail;Numéro de poste;Téléphone portable;Nom d'usage enfant;Nom de famille enfant;Prénom enfant;Classes enfants;Nom d'usage enfant;Nom de famille enfant;Prénom enfant;Classes enfants;Nom d'usage enfant;Nom de famille enfant;Prénom enfant;Classes enfants\n\
MME;;PETIT;Sophie;1 rue Haute;35000;Rennes;FRANCE;sophie@example.fr;;;;0601020304;;PETIT;Lou;CP;;PETIT;Max;CE2;;PETIT;Inès;CM1\n\
M.;;PETIT;Marc;;;;;;;;;;;PETIT;Lou;CP;;;;;;;;\n";
    let f = parse_guardians(text.as_bytes()).unwrap();
    assert_eq!(f.lines.len(), 2);
    let sophie = &f.lines[0];
    assert_eq!(sophie.children.len(), 3);
    assert_eq!(sophie.children[2].first_name, "Inès");
    assert_eq!(sophie.children[2].class_label, "CM1");
    assert_eq!(sophie.phone.as_deref(), Some("0601020304"));
    assert_eq!(sophie.email.as_deref(), Some("sophie@example.fr"));
    assert_eq!(f.lines[1].children.len(), 1);
}

#[test]
fn responsables_with_numbered_children() {
    let text = "Civilité Responsable;Nom responsable;Prénom responsable;Nom de famille élève 1;Prénom élève 1;Nom de famille élève 2;Prénom élève 2\nMme;ROUX;Anne;ROUX;Tom;ROUX;Zoé\n";
    let f = parse_guardians(text.as_bytes()).unwrap();
    assert_eq!(f.lines[0].children.len(), 2);
    assert_eq!(f.lines[0].children[1].first_name, "Zoé");
}

#[test]
fn dates_in_both_formats() {
    assert_eq!(parse_date("07/09/2016").as_deref(), Some("2016-09-07"));
    assert_eq!(parse_date("2016-09-07").as_deref(), Some("2016-09-07"));
    assert_eq!(parse_date("7/9/2016").as_deref(), Some("2016-09-07"));
    assert_eq!(parse_date("31/02/2016"), None);
    assert_eq!(parse_date("hier"), None);
}

/// Found by fuzzing: a header numbered « enfant601020304 » made every line walk 601 million
/// child groups (minutes per file). Only the groups the header has are read.
#[test]
fn a_huge_child_number_in_a_header_makes_one_group() {
    let text = "Civilité Responsable;Nom responsable;Prénom responsable;Nom d'usage enfant601020304;Prénom enfant601020304\n\
                M.;PETIT;Marc;PETIT;Lou\n";
    let file = parse_guardians(text.as_bytes()).unwrap();
    assert_eq!(file.lines.len(), 1);
    let children = &file.lines[0].children;
    assert_eq!(children.len(), 1);
    assert_eq!(children[0].first_name, "Lou");
}

/// The fuzzer's own input for it, kept as a seed: read in no time now.
#[test]
fn the_fuzzers_huge_child_group_input_is_read_at_once() {
    let bytes = include_bytes!("../../../tests/fuzz/corpus/onde/seed-huge-child-group.csv");
    let _ = parse_pupils(bytes, &Default::default());
    let _ = parse_guardians(bytes);
}

#[test]
fn names_in_capitals_take_the_schools_casing() {
    for (onde, school) in [
        ("LEFÈVRE", "Lefèvre"),
        ("D'ALMEIDA", "D'Almeida"),
        ("JEAN-PIERRE", "Jean-Pierre"),
        ("MARTIN DE LA TOUR", "Martin de La Tour"),
        ("CŒUR", "Cœur"),
        ("LE GALL", "Le Gall"),
        ("Zoé", "Zoé"),
        ("McDonald", "McDonald"),
        ("", ""),
    ] {
        assert_eq!(name_case(onde), school, "{onde}");
    }
    assert!(same_name("Lefèvre", "Lefèvre"));
    assert!(
        same_name("McDonald", "Mcdonald"),
        "a casing fixed by hand is kept"
    );
    assert!(
        !same_name("LEFÈVRE", "Lefèvre"),
        "an old all-capitals name is updated"
    );
    assert!(!same_name("Lefèvre", "Lefebvre"));
}
