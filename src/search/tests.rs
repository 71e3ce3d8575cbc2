use super::*;

#[test]
fn postings_keys_round_trip_and_group_by_term() {
    let p = Posting {
        term: "piscin".into(),
        kind: Kind::Mot,
        key: 42u64.encode(),
    };
    assert_eq!(Posting::decode(&p.encode()), Some(p.clone()));
    assert!(p.encode().starts_with(b"piscin"));
    let comment = Posting {
        term: "bravo".into(),
        kind: Kind::Comment,
        key: (3u64, 4u64).encode(),
    };
    assert_eq!(Posting::decode(&comment.encode()), Some(comment));
}

#[test]
fn every_kind_has_its_own_code() {
    for k in Kind::ALL {
        assert_eq!(Kind::from_code(k.code()), Some(k));
    }
    let mut codes: Vec<u8> = Kind::ALL.iter().map(|k| k.code()).collect();
    codes.dedup();
    assert_eq!(codes.len(), Kind::ALL.len());
}

#[test]
fn the_people_group_says_when_more_hold_the_words_than_it_shows() {
    use super::views::{results, Person, Results};
    let people: Vec<Person> = (0..10)
        .map(|i| Person {
            name: format!("Amandine {i}"),
            description: "parent".into(),
            write_to: format!("/messagerie/ecrire?a=u{i}"),
        })
        .collect();
    let terms = vec!["amandin".to_string()];
    let page = |more_people| {
        results(&Results {
            query: "Amandine",
            terms: &terms,
            groups: &[],
            people: &people,
            more_people,
        })
        .into_string()
    };
    let cut = page(true);
    assert!(cut.contains("Personnes (10 et plus)"), "{cut}");
    assert!(cut.contains("Plus de 10 résultats"), "{cut}");
    assert!(cut.contains("ajoutez un mot pour préciser"), "{cut}");
    let whole = page(false);
    assert!(whole.contains("Personnes (10)"), "{whole}");
    assert!(!whole.contains("Plus de"), "{whole}");
}
