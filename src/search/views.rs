//! The results page: the box, then one group per service, each result with its place,
//! its date and the words found, marked.

use maud::{html, Markup};

use super::found::Hit;
use super::{words, Kind};
use crate::ui::dates;

/// A person found in the messagerie's address book.
pub struct Person {
    pub name: String,
    pub description: String,
    pub write_to: String,
}

pub struct Results<'a> {
    pub query: &'a str,
    pub terms: &'a [String],
    pub groups: &'a [(Kind, Vec<Hit>, bool)],
    pub people: &'a [Person],
    /// More people hold the words than the ten shown.
    pub more_people: bool,
}

/// The search form (the page's own, larger than the header's).
pub fn form(query: &str) -> Markup {
    html! {
        form.search-page role="search" aria-label="Recherche" method="get" action="/recherche" {
            label for="recherche-q" { "Rechercher dans l'école" }
            div.inline {
                input #recherche-q type="search" name="q" value=(query) maxlength="200" autocomplete="off";
                button type="submit" { "Rechercher" }
            }
            p.hint { "Les mots sont cherchés sans tenir compte des accents ni des majuscules, et sous toutes leurs formes (« sortie » trouve « sorties »). Vous ne trouvez que ce que vous pouvez déjà lire." }
        }
    }
}

pub fn results(r: &Results<'_>) -> Markup {
    let total: usize = r.groups.iter().map(|(_, h, _)| h.len()).sum::<usize>() + r.people.len();
    html! {
        (form(r.query))
        @if r.query.trim().is_empty() {
        } @else if r.terms.is_empty() {
            p.flash.info role="status" { "Ces mots sont trop courants pour être cherchés : précisez (un nom, un lieu, un sujet)." }
        } @else if total == 0 {
            p.empty role="status" { "Aucun résultat pour « " (r.query) " ». Essayez un autre mot, ou moins de mots." }
        } @else {
            @if r.more_people || r.groups.iter().any(|(_, _, more)| *more) {
                p role="status" { "Plus de " (count(total)) " pour « " (r.query) " » : les premiers de chaque service sont affichés." }
            } @else {
                p role="status" { (count(total)) " pour « " (r.query) " »." }
            }
            @if !r.people.is_empty() {
                section.panel.results {
                    h2 { "Personnes (" (r.people.len()) @if r.more_people { " et plus" } ")" }
                    ul.results {
                        @for p in r.people {
                            li { strong { (p.name) } " — " span.small { (p.description) } " " a href=(p.write_to) { "Écrire à " (p.name) } }
                        }
                    }
                    @if r.more_people { p.small { "Seules les dix premières personnes par ordre alphabétique sont affichées : ajoutez un mot pour préciser." } }
                }
            }
            @for (kind, hits, more) in r.groups {
                @if !hits.is_empty() {
                    section.panel.results {
                        h2 { (kind.label()) " (" (hits.len()) @if *more { " et plus" } ")" }
                        ul.results {
                            @for h in hits { (hit(h, r.terms)) }
                        }
                        @if *more { p.small { "Seuls les plus récents sont affichés : ajoutez un mot pour préciser." } }
                    }
                }
            }
        }
    }
}

fn hit(h: &Hit, terms: &[String]) -> Markup {
    let excerpt = words::excerpt(&h.text, terms, 180);
    html! {
        li {
            a href=(h.url) { (marked(&h.title, terms)) }
            p.small { (h.context) " — " (dates::long_date(h.at)) }
            @if !h.text.trim().is_empty() {
                p.excerpt { @for (run, hit) in &excerpt { @if *hit { mark { (run) } } @else { (run) } } }
            }
        }
    }
}

/// A title with its matched words marked.
fn marked(title: &str, terms: &[String]) -> Markup {
    let runs = words::mark(title, terms);
    html! { @for (run, hit) in &runs { @if *hit { mark { (run) } } @else { (run) } } }
}

fn count(n: usize) -> String {
    match n {
        1 => "1 résultat".into(),
        n => format!("{n} résultats"),
    }
}
