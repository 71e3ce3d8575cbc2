use super::*;

#[test]
fn logins_are_checked_and_folded() {
    assert_eq!(normalize_login(" Marie.Curie ").unwrap(), "marie.curie");
    assert!(normalize_login("é").is_err());
    assert!(normalize_login("a b").is_err());
    assert_eq!(fold("Éloïse d’Arc"), "eloise-d-arc");
}

#[test]
fn levels_parse_from_codes() {
    assert_eq!(Level::from_code("ce1"), Some(Level::CE1));
    assert_eq!(Level::from_code("CM3"), None);
}
