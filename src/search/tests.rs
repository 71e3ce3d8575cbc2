use super::*;

#[test]
fn postings_keys_round_trip_and_group_by_term() {
    let p = Posting {
        term: "piscin".into(),
        kind: Kind::Mot,
        chunk: 64u64.encode(),
    };
    assert_eq!(Posting::decode(&p.encode()), Some(p.clone()));
    assert!(p.encode().starts_with(b"piscin"));
    let comment = Posting {
        term: "bravo".into(),
        kind: Kind::Comment,
        chunk: (3u64, 0u64).encode(),
    };
    assert_eq!(Posting::decode(&comment.encode()), Some(comment));
}

#[test]
fn a_chunk_holds_64_keys_in_a_row_a_bit_each_and_gives_them_back_in_order() {
    for id in [0u64, 1, 63, 64, 65, 127, 128, 4_000, u64::MAX] {
        let (chunk, bit) = chunk_of(&id.encode()).unwrap();
        assert_eq!(chunk, (id & !63).encode(), "{id}");
        assert_eq!(bit, 1 << (id & 63), "{id}");
        assert_eq!(keys_in(&chunk, bit).collect::<Vec<_>>(), vec![id.encode()]);
    }
    // A comment's key (article, number): the number's last bits choose the bit.
    let (chunk, bit) = chunk_of(&(7u64, 130u64).encode()).unwrap();
    assert_eq!((chunk.clone(), bit), ((7u64, 128u64).encode(), 1 << 2));
    let (ids, bits): (Vec<u64>, Vec<Bits>) = [200u64, 193, 255, 192]
        .iter()
        .map(|id| (*id, chunk_of(&id.encode()).unwrap().1))
        .unzip();
    let all = bits.iter().fold(0, |acc, b| acc | b);
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    let back: Vec<Vec<u8>> = keys_in(&192u64.encode(), all).collect();
    assert_eq!(
        back,
        sorted.iter().map(|id| id.encode()).collect::<Vec<_>>()
    );
    assert!(chunk_of(&[]).is_none());
}

#[test]
fn every_kind_has_its_own_code() {
    for k in Kind::ALL {
        assert_eq!(Kind::from_code(k.code()), Some(k));
    }
    let mut codes: Vec<u8> = Kind::ALL.iter().map(|k| k.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), Kind::ALL.len());
    for k in Kind::ALL {
        assert_eq!(Kind::from_slug(k.slug()), Some(k));
        assert!(k
            .slug()
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-'));
    }
    assert_eq!(Kind::from_slug("Articles"), None);
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
    assert!(cut.contains("Personnes (plus de 10)"), "{cut}");
    assert!(cut.contains("Plus de 10 résultats"), "{cut}");
    assert!(cut.contains("ajoutez un mot pour préciser"), "{cut}");
    let whole = page(false);
    assert!(whole.contains("Personnes (10)"), "{whole}");
    assert!(!whole.contains("Plus de"), "{whole}");
}

#[test]
fn who_wrote_a_result_is_said_with_de_elided_before_a_vowel() {
    use super::found::written_by;
    assert_eq!(written_by("Anne Kervella"), "D'Anne Kervella");
    assert_eq!(written_by("Émile Durand"), "D'Émile Durand");
    assert_eq!(written_by("Paul Martin"), "De Paul Martin");
    assert_eq!(written_by("compte supprimé"), "De compte supprimé");
}

/// The index read backwards gives what reading every posting would: the newest `cap`
/// records of each kind holding every term (a term also naming the words it begins),
/// whatever the number of words and chunks involved.
#[test]
fn the_newest_records_read_backwards_are_those_a_whole_read_finds() {
    use crate::store::{Store, StoreOptions};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_raw(dir.path(), &StoreOptions::default(), TABLES).unwrap();
    let vocabulary = ["sort", "sortie", "sortir", "pisc", "piscin", "ce1", "ce"];
    // Records of two kinds with ids spread over many chunks, each holding some words.
    let mut records: Vec<(Kind, u64, Vec<&str>)> = Vec::new();
    let mut seed = 7u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed >> 33
    };
    for n in 0..900u64 {
        let kind = if next() % 3 == 0 {
            Kind::Mot
        } else {
            Kind::News
        };
        let id = n * (1 + next() % 90);
        let words: Vec<&str> = vocabulary
            .iter()
            .copied()
            .filter(|_| next() % 3 == 0)
            .collect();
        records.push((kind, id, words));
    }
    records.sort_by_key(|(kind, id, _)| (*kind, *id));
    records.dedup_by_key(|(kind, id, _)| (*kind, *id));
    store
        .write(|tx| {
            for (kind, id, words) in &records {
                let (chunk, bit) = chunk_of(&id.encode()).unwrap();
                for word in words {
                    let p = posting(word, *kind, &chunk);
                    let bits = tx.get(&POSTINGS, &p)?.unwrap_or(0) | bit;
                    tx.put(&POSTINGS, &p, &bits)?;
                }
            }
            Ok(())
        })
        .unwrap();
    let names = |word: &str, term: &str| {
        if term.chars().count() < PREFIX_FROM {
            word == term
        } else {
            word.starts_with(term)
        }
    };
    let queries: [&[&str]; 6] = [
        &["sort"],
        &["sortie"],
        &["ce"],
        &["sort", "pisc"],
        &["piscin", "ce1", "sortir"],
        &["absent"],
    ];
    for query in queries {
        let query: Vec<String> = query.iter().map(|t| t.to_string()).collect();
        for cap in [1, 5, 120] {
            let found = candidates_in(&store, &query, cap, &[Kind::Mot, Kind::News]).unwrap();
            let mut expected = Vec::new();
            for kind in [Kind::Mot, Kind::News] {
                let holding = records.iter().rev().filter(|(k, _, words)| {
                    *k == kind && query.iter().all(|t| words.iter().any(|w| names(w, t)))
                });
                expected.extend(holding.take(cap).map(|(k, id, _)| (*k, id.encode())));
            }
            assert_eq!(found, expected, "{query:?}, {cap}");
        }
    }
    // One kind only: the other's records are not read.
    let mots = candidates_in(&store, &["sort".to_string()], 3, &[Kind::Mot]).unwrap();
    assert!(mots.iter().all(|(k, _)| *k == Kind::Mot) && mots.len() == 3);
}
