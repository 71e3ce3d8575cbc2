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
