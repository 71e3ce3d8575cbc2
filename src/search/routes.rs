//! `/recherche`: extract the query, find the candidates in the index, keep what the
//! person may see (`found`), render.

use maud::Markup;
use poem::handler;
use poem::web::{Data, Query};
use serde::Deserialize;

use super::found::{Finder, Hit};
use super::views::{self, OneKind, Person, Results};
use super::{find, words, Kind};
use crate::app::App;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::AppResult;
use crate::routing::{Access, Routes};
use crate::school::Service;
use crate::ui::pager::{self, Pager};

/// Results shown per service on the page of every service: the five newest, then a link
/// to that service's own results, page by page. Each shown result costs its text made
/// plain and cut around the word (about as much as the rest of the search for a
/// director, who may see everything): ten of each service made a page that nobody reads
/// to the end, and that the school morning served at a tenth of /healthz (issue 15).
const SHOWN: usize = 5;
/// People shown (the address book's matches).
const PEOPLE_SHOWN: usize = 10;
/// Records of a kind read from the index before access is checked: enough for the
/// results a person may see to fill a group, bounded whatever the school's size.
const READ: usize = 120;
/// One service's results: twenty a page, from the 400 newest records the index names.
const PER_PAGE: usize = 20;
const READ_ONE: usize = 400;
/// Longest query read (a pasted text is cut).
const MAX_QUERY: usize = 200;

pub fn routes() -> Routes {
    Routes::new().get("/recherche", search, Access::Member)
}

#[derive(Debug, Default, Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
    /// One service's results only (`Kind::slug`); anything else is every service.
    #[serde(default)]
    dans: String,
    page: Option<String>,
}

#[handler]
fn search(
    Data(app): Data<&App>,
    member: Member,
    Query(query): Query<SearchQuery>,
) -> AppResult<Markup> {
    let typed: String = query.q.chars().take(MAX_QUERY).collect();
    let terms = words::query_terms(&typed);
    let finder = Finder {
        app,
        people: People::load(&app.store)?,
        now: crate::auth::now_micros(),
    };
    if let Some(kind) = Kind::from_slug(&query.dans).filter(|_| !terms.is_empty()) {
        let asked = pager::asked(query.page.as_deref());
        return one_kind(&finder, &member, (&typed, &terms), kind, asked);
    }
    let mut groups: Vec<(Kind, Vec<Hit>, bool)> = Vec::new();
    let mut people = (Vec::new(), false);
    if !terms.is_empty() {
        let mut open = Vec::new();
        for kind in Kind::ALL {
            if let Some(seen_as) = finder.member_in(&member, kind.service())? {
                open.push((kind, seen_as));
            }
        }
        let kinds: Vec<Kind> = open.iter().map(|(kind, _)| *kind).collect();
        let found = find(&app.store, &terms, &kinds)?;
        for (kind, seen_as) in open {
            let named = found.newest(kind).take(READ);
            let (mut hits, more) = finder.shown(&seen_as, kind, named, SHOWN)?;
            hits.sort_by_key(|h| std::cmp::Reverse(h.at));
            groups.push((kind, hits, more));
        }
        people = people_found(&finder, &member, &typed)?;
    }
    let title = if typed.trim().is_empty() {
        "Recherche".to_string()
    } else {
        format!("Recherche : {typed}")
    };
    let body = maud::html! {
        (crate::ui::heading("Recherche", Some("Dans les messages, le carnet, les actualités, l'agenda, les blogs, le cahier de textes, le classeur, les exercices, la médiathèque et l'annuaire de la messagerie.")))
        (views::results(&Results { query: &typed, terms: &terms, groups: &groups, people: &people.0, more_people: people.1 }))
    };
    app.page(&member.visitor, &title, "/recherche", body)
}

/// One service's results, twenty a page, newest first: the records of `kind` the person
/// may see, read in the index's order (newest written first) up to the page shown and one
/// more (is there a next page?), each page then in date order.
fn one_kind(
    finder: &Finder<'_>,
    member: &Member,
    (typed, terms): (&str, &[String]),
    kind: Kind,
    asked: usize,
) -> AppResult<Markup> {
    let app = finder.app;
    let mut pager = Pager::open(asked, PER_PAGE, READ_ONE / PER_PAGE);
    let mut hits: Vec<Hit> = Vec::new();
    if let Some(seen_as) = finder.member_in(member, kind.service())? {
        let found = find(&app.store, terms, &[kind])?;
        let named = found.newest(kind).take(READ_ONE);
        let wanted = pager.read_limit().saturating_sub(1);
        let (read, more) = finder.shown(&seen_as, kind, named, wanted)?;
        pager = pager.read(read.len() + usize::from(more));
        let range = pager.range();
        hits = read
            .into_iter()
            .skip(range.start)
            .take(range.len())
            .collect();
        hits.sort_by_key(|h| std::cmp::Reverse(h.at));
    }
    let title = format!("Recherche : {typed} — {}", kind.label());
    let body = maud::html! {
        (crate::ui::heading("Recherche", Some(kind.label())))
        (views::one_kind(&OneKind { query: typed, terms, kind, hits: &hits, pager: &pager }))
    };
    app.page(&member.visitor, &title, "/recherche", body)
}

/// The people whose name holds every typed word, among those the person may write to in
/// the messagerie (its address book is the school's directory as each one may see it):
/// the first ten, and whether there are more.
fn people_found(
    finder: &Finder<'_>,
    member: &Member,
    typed: &str,
) -> AppResult<(Vec<Person>, bool)> {
    let Some(seen_as) = finder.member_in(member, Service::Messagerie)? else {
        return Ok((Vec::new(), false));
    };
    let wanted = crate::ui::search::Terms::parse(typed);
    if wanted.is_empty() {
        return Ok((Vec::new(), false));
    }
    let people = &finder.people;
    let rules = crate::messaging::rules(&finder.app.store)?;
    let me = people.party(seen_as.user().id);
    let wanted = wanted.matcher();
    // The names first (folded once per snapshot, in their order), then who may be written
    // to: the rules cost more than a comparison of words.
    let found: Vec<&crate::directory::User> = people
        .folded_names
        .matching(&wanted)
        .filter_map(|id| people.user(id))
        .filter(|u| !u.disabled && u.id != seen_as.user().id)
        .filter(|u| crate::policy::communication::may_write(&rules, &me, &people.party(u.id)))
        .take(PEOPLE_SHOWN + 1)
        .collect();
    let more = found.len() > PEOPLE_SHOWN;
    let shown = found
        .into_iter()
        .take(PEOPLE_SHOWN)
        .map(|u| Person {
            name: u.display_name(),
            description: people.hint(u.id),
            write_to: format!(
                "/messagerie/ecrire?a={}",
                crate::messaging::targets::Target::User(u.id).code()
            ),
        })
        .collect();
    Ok((shown, more))
}
