//! The results page: the box, then one group per service, each result with its place,
//! its date and the words found, marked.

use maud::{html, Markup};

use super::found::Hit;
use super::{words, Kind};
use crate::ui::dates;
use crate::ui::pager::{self, Pager};

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

/// One service's results, a page of them.
pub struct OneKind<'a> {
    pub query: &'a str,
    pub terms: &'a [String],
    pub kind: Kind,
    pub hits: &'a [Hit],
    pub pager: &'a Pager,
}

/// The address of a search: every service, or one (`dans`).
fn search_link(query: &str, kind: Option<Kind>) -> String {
    let mut pairs = vec![("q", query)];
    if let Some(k) = kind {
        pairs.push(("dans", k.slug()));
    }
    match serde_urlencoded::to_string(&pairs) {
        Ok(q) => format!("/recherche?{q}"),
        Err(_) => "/recherche".to_string(),
    }
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
    let marker = words::Marker::new(r.terms);
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
                    h2 { "Personnes (" @if r.more_people { "plus de " } (r.people.len()) ")" }
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
                        h2 { (kind.label()) " (" @if *more { "plus de " } (hits.len()) ")" }
                        ul.results {
                            @for h in hits { (hit(h, &marker)) }
                        }
                        @if *more {
                            p.more { a href=(search_link(r.query, Some(*kind))) { "Tous les résultats dans « " (kind.label()) " »" } }
                        }
                    }
                }
            }
        }
    }
}

pub fn one_kind(r: &OneKind<'_>) -> Markup {
    let marker = words::Marker::new(r.terms);
    let slug = r.kind.slug();
    let keep = [("q", r.query), ("dans", slug)];
    let links = pager::Links {
        path: "/recherche",
        keep: &keep,
        param: "page",
        label: "Pages des résultats",
    };
    html! {
        (form(r.query))
        p { a href=(search_link(r.query, None)) { "← Les résultats de tous les services" } }
        (pager::past_end_notice(r.pager))
        @if r.hits.is_empty() {
            p.empty role="status" { "Aucun résultat dans « " (r.kind.label()) " » pour « " (r.query) " »." }
        } @else {
            @if r.pager.page == 1 && !r.pager.has_next {
                p role="status" { (count(r.hits.len())) " dans « " (r.kind.label()) " » pour « " (r.query) " »." }
            } @else {
                p role="status" { (r.kind.label()) " pour « " (r.query) " », les plus récents d'abord : " (r.pager.position()) "." }
            }
            section.panel.results {
                h2 { (r.kind.label()) }
                ul.results {
                    @for h in r.hits { (hit(h, &marker)) }
                }
            }
            (pager::nav(r.pager, &links))
        }
    }
}

fn hit(h: &Hit, marker: &words::Marker<'_>) -> Markup {
    let excerpt = words::excerpt(&h.text, marker, 180);
    html! {
        li {
            a href=(h.url) { (marked(&h.title, marker)) }
            p.small { (h.context) " — " (dates::long_date(h.at)) }
            @if !h.text.trim().is_empty() {
                p.excerpt { @for (run, hit) in &excerpt { @if *hit { mark { (run) } } @else { (run) } } }
            }
        }
    }
}

/// A title with its matched words marked.
fn marked(title: &str, marker: &words::Marker<'_>) -> Markup {
    let runs = words::mark(title, marker);
    html! { @for (run, hit) in &runs { @if *hit { mark { (run) } } @else { (run) } } }
}

fn count(n: usize) -> String {
    match n {
        1 => "1 résultat".into(),
        n => format!("{n} résultats"),
    }
}
