//! Exercises built by the teacher, answered by pupils and corrected on the server.

use super::school;
use crate::common::DIRECTOR_LOGIN;

/// The values of the pupil's form: (field name, value) for the option showing `label`.
fn option_value(page: &str, field: &str, label: &str) -> String {
    if let Some(sel) = page
        .split(&format!("name=\"{field}\""))
        .nth(1)
        .filter(|c| c.trim_start_matches('>').starts_with("<option"))
    {
        let sel = &sel[..sel.find("</select>").unwrap()];
        let i = sel
            .find(&format!(">{label}<"))
            .unwrap_or_else(|| panic!("{label} not in {field}"));
        let v = sel[..i].rfind("value=\"").unwrap() + 7;
        return sel[v..].chars().take_while(|ch| *ch != '"').collect();
    }
    let chunks: Vec<&str> = page.split(&format!("name=\"{field}\"")).skip(1).collect();
    for c in chunks {
        let value_start = c.find("value=\"").unwrap() + 7;
        let value: String = c[value_start..]
            .chars()
            .take_while(|ch| *ch != '"')
            .collect();
        let after = &c[value_start..];
        if after
            .find(&format!(">{label}<"))
            .is_some_and(|i| i < after.find("name=").unwrap_or(usize::MAX))
        {
            return value;
        }
    }
    // Selects: the option whose text is the label.
    let sel = page.split(&format!("name=\"{field}\"")).nth(1).unwrap();
    let end = sel.find("</select>").unwrap();
    let sel = &sel[..end];
    let i = sel
        .find(&format!(">{label}<"))
        .unwrap_or_else(|| panic!("{label} not in {field}"));
    let v = sel[..i].rfind("value=\"").unwrap() + 7;
    sel[v..].chars().take_while(|ch| *ch != '"').collect()
}

#[tokio::test]
async fn exercises_are_built_answered_and_corrected_on_the_server() {
    let s = school().await;
    let mut director = s.server.signed_in(DIRECTOR_LOGIN).await;
    director
        .get(&format!("/exercices/nouveau?classe={}", s.f.cp))
        .await;
    let r = director
        .post(
            &format!("/exercices/nouveau?classe={}", s.f.cp),
            &[("scope", "classe"), ("title", "Les animaux")],
        )
        .await;
    let edit = r.location.unwrap();
    let id: u64 = edit
        .trim_start_matches("/exercices/")
        .trim_end_matches("/modifier")
        .parse()
        .unwrap();
    director.get(&edit).await;
    let q = |kind: &str| format!("/exercices/{id}/questions?type={kind}");
    let no_right = director
        .post_multipart(
            &q("choix"),
            &[
                ("prompt", "Qui miaule ?"),
                ("option0", "le chat"),
                ("option1", "le chien"),
            ],
            &[],
        )
        .await;
    assert_eq!(no_right.status, 400);
    assert!(no_right.body.contains("Cochez au moins une bonne réponse"));
    for (kind, fields) in [
        (
            "choix",
            vec![
                ("prompt", "Qui miaule ?"),
                ("option0", "le chien"),
                ("option1", "le chat"),
                ("bonne", "1"),
            ],
        ),
        (
            "trous",
            vec![
                ("prompt", "Complète."),
                ("text", "La [vache] donne du [lait]."),
            ],
        ),
        (
            "ordre",
            vec![
                ("prompt", "Du plus petit au plus grand."),
                ("items", "souris\nchat\néléphant"),
            ],
        ),
        (
            "paires",
            vec![
                ("prompt", "Les petits."),
                ("pairs", "chat = chaton\nchien = chiot"),
            ],
        ),
    ] {
        director.get(&edit).await;
        let r = director.post_multipart(&q(kind), &fields, &[]).await;
        assert_eq!(r.status, 303, "{kind}: {}", r.body);
    }
    director.get(&edit).await;
    director
        .post(&format!("/exercices/{id}/publier"), &[])
        .await;

    let mut lou = s.server.signed_in("lou.petit").await;
    let page = lou.get(&format!("/exercices/{id}")).await.body;
    assert!(
        page.contains("Qui miaule ?") && !page.contains("bonne réponse") && !page.contains("✓"),
        "no answer shown before"
    );
    assert!(
        !page.contains("vache") && !page.contains(">lait<"),
        "the blanks are not in the page"
    );
    let fields = [
        ("q0".to_string(), option_value(&page, "q0", "le chat")),
        ("q1-0".to_string(), "Vache".to_string()),
        ("q1-1".to_string(), "lait".to_string()),
        ("q2-0".to_string(), option_value(&page, "q2-0", "souris")),
        ("q2-1".to_string(), option_value(&page, "q2-1", "chat")),
        ("q2-2".to_string(), option_value(&page, "q2-2", "éléphant")),
        ("q3-0".to_string(), option_value(&page, "q3-0", "chiot")),
        ("q3-1".to_string(), option_value(&page, "q3-1", "chaton")),
    ];
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = lou.post(&format!("/exercices/{id}/repondre"), &pairs).await;
    assert_eq!(r.status, 303);
    let result = lou.get(&format!("/exercices/{id}")).await.body;
    assert!(
        result.contains("<strong>3 / 4</strong>"),
        "pairs swapped: {result}"
    );
    assert!(
        result.contains("chat ↔ chaton"),
        "the right answer shown after"
    );
    let results = director
        .get(&format!("/exercices/{id}/resultats"))
        .await
        .body;
    assert!(
        results.contains("3 / 4") && results.contains("pas fait"),
        "Lou done, Tom not"
    );
    let mut marc = s.server.signed_in("marc.petit").await;
    assert!(
        marc.get("/exercices").await.body.contains("3 / 4"),
        "the parent sees the score"
    );
    let mut zoe = s.server.signed_in("zoe.leroy").await;
    assert_eq!(zoe.get(&format!("/exercices/{id}")).await.status, 403);
    assert_eq!(
        zoe.post(&format!("/exercices/{id}/repondre"), &pairs)
            .await
            .status,
        403
    );
    assert_eq!(
        lou.get(&format!("/exercices/{id}/resultats")).await.status,
        403
    );
    assert_eq!(
        lou.get(&format!("/exercices/{id}/modifier")).await.status,
        403
    );
}
