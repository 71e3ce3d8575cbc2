//! The search against the pages: for each real object of the matrix, every profile finds
//! it in `/recherche` exactly when its page opens for them (200), with a query crafted
//! from that object's own words — in both passes (services open; then closed by the class
//! to its pupils and families).

use super::objects::Objects;
use super::PROFILES;
use crate::common::Client;

/// Each object: what it is, a word of its own, the pages that show it (a result links to
/// one of them).
fn searched(o: &Objects) -> Vec<(&'static str, &'static str, Vec<String>)> {
    let (zoe, ex) = (o.zoe, o.exercise);
    vec![
        ("mot", "musée", vec![format!("/carnet/{}", o.mot)]),
        (
            "message",
            "pouvons",
            vec![format!("/messagerie/{}", o.message)],
        ),
        (
            "élément de médiathèque",
            "affiche",
            vec![format!("/mediatheque/element/{}", o.item)],
        ),
        (
            "cahier de textes",
            "voix",
            vec![format!("/cahier-de-textes/{}", o.work)],
        ),
        ("leçon", "désigne", vec![format!("/classeur/{}", o.lesson)]),
        (
            "exercice",
            "animaux",
            vec![
                format!("/exercices/{ex}/resultats"),
                format!("/exercices/{ex}?eleve={zoe}"),
                format!("/exercices/{ex}"),
            ],
        ),
        (
            "actualité",
            "mardi",
            vec![format!("/actualites/{}", o.news)],
        ),
        ("événement", "piscine", vec![format!("/agenda/{}", o.event)]),
        (
            "article",
            "tableaux",
            vec![format!("/blog/article/{}", o.article)],
        ),
        (
            "commentaire",
            "c'était",
            vec![format!(
                "/blog/article/{}#commentaire-{}",
                o.article, o.comment
            )],
        ),
    ]
}

/// The disagreements between what a profile finds and what it may open.
pub(super) async fn search_agrees_with_pages(
    clients: &mut [Client],
    objects: &Objects,
    label: &str,
) -> Vec<String> {
    let mut wrong = Vec::new();
    for ((who, login), client) in PROFILES.iter().zip(clients.iter_mut()) {
        if login.is_empty() {
            // Anonymous: the search is for signed-in people.
            let page = client.get("/recherche?q=musée").await;
            if page.status != 303 {
                wrong.push(format!(
                    "{label}anonyme: /recherche answers {}",
                    page.status
                ));
            }
            continue;
        }
        for (what, word, pages) in searched(objects) {
            let results = client
                .get(&format!("/recherche?q={}", urlencode(word)))
                .await;
            assert_eq!(results.status, 200, "{who} searches « {word} »");
            let found = pages.iter().any(|p| {
                results
                    .body
                    .contains(&format!("href=\"{}\"", p.replace('&', "&amp;")))
            });
            let mut opens = false;
            for p in &pages {
                let path = p.split('#').next().unwrap_or(p);
                if client.get(path).await.status == 200 {
                    opens = true;
                    break;
                }
            }
            if found != opens {
                wrong.push(format!(
                    "{label}{who}: the {what} « {word} » is {} by the search but its page {}",
                    if found { "found" } else { "not found" },
                    if opens { "opens" } else { "is refused" },
                ));
            }
        }
    }
    wrong
}

fn urlencode(text: &str) -> String {
    preau::auth::web::urlencode(text)
}
