//! Demandes à la mairie: the director or a teacher asks the commune for something the
//! building or the equipment needs (travaux, chauffage, informatique, ménage, achat),
//! with a text and photos (published by the one upload reader: reduced, without their
//! metadata). The commune follows it reçue → en cours → faite; everyone on it comments.
//! Each step is told, in its write, to the others on the request: its author and who
//! runs the commune's space (the commune's accounts, or the directors where there is
//! none), never to the one who made the step.

use serde::{Deserialize, Serialize};

use crate::attachments::Attachment;
use crate::directory::people::People;
use crate::notify::{self, Kind as NoticeKind};
use crate::policy::Granted;
use crate::store::{Result, Store, Table, Tx};

pub const REQUESTS: Table<u64, Request> = Table::new("commune_requests");

/// Longest text of a request or a comment.
pub const MAX_TEXT: usize = 4_000;
/// Most photos on a request.
pub const MAX_PHOTOS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Travaux,
    Chauffage,
    Informatique,
    Menage,
    Achat,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Travaux,
        Category::Chauffage,
        Category::Informatique,
        Category::Menage,
        Category::Achat,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Category::Travaux => "Travaux",
            Category::Chauffage => "Chauffage",
            Category::Informatique => "Informatique",
            Category::Menage => "Ménage",
            Category::Achat => "Achat",
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            Category::Travaux => "travaux",
            Category::Chauffage => "chauffage",
            Category::Informatique => "informatique",
            Category::Menage => "menage",
            Category::Achat => "achat",
        }
    }
    pub fn from_slug(text: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.slug() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Recue,
    EnCours,
    Faite,
}

impl State {
    pub const ALL: [State; 3] = [State::Recue, State::EnCours, State::Faite];
    pub fn label(self) -> &'static str {
        match self {
            State::Recue => "reçue",
            State::EnCours => "en cours",
            State::Faite => "faite",
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            State::Recue => "recue",
            State::EnCours => "en-cours",
            State::Faite => "faite",
        }
    }
    pub fn from_slug(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.slug() == text)
    }
}

/// A step of a request's life: a new state, a comment, or both.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub at: i64,
    pub by: u64,
    #[serde(default)]
    pub state: Option<State>,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    pub id: u64,
    pub category: Category,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub photos: Vec<Attachment>,
    pub author: u64,
    pub at: i64,
    pub state: State,
    #[serde(default)]
    pub steps: Vec<Step>,
}

/// A request as typed, its photos already published.
pub struct NewRequest {
    pub category: Category,
    pub title: String,
    pub text: String,
    pub photos: Vec<Attachment>,
}

pub fn request(store: &Store, id: u64) -> Result<Option<Request>> {
    store.get(&REQUESTS, &id)
}

/// The requests `see` lets through: the open ones first, the newest first.
pub fn requests(store: &Store, see: impl Fn(&Request) -> bool) -> Result<Vec<Request>> {
    let mut all: Vec<Request> = store
        .scan(&REQUESTS)?
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| see(r))
        .collect();
    all.sort_by_key(|r| (r.state == State::Faite, std::cmp::Reverse(r.at)));
    Ok(all)
}

/// Tells everyone on the request but `by`: its author and the space's runners.
fn tell(
    tx: &mut Tx<'_>,
    people: &People,
    r: &Request,
    by: u64,
    text: &str,
    now: i64,
) -> Result<()> {
    let mut to = super::runners(people);
    to.push(r.author);
    to.sort_unstable();
    to.dedup();
    let link = format!("/commune/demandes/{}", r.id);
    for person in to.into_iter().filter(|p| *p != by && people.active(*p)) {
        notify::push(tx, person, NoticeKind::Demande, text, &link, now)?;
    }
    Ok(())
}

fn who(people: &People, id: u64) -> String {
    people
        .user(id)
        .map(|u| u.display_name())
        .unwrap_or_else(|| "ancien compte".into())
}

/// Files a request, « reçue », and tells the mairie; its id.
pub async fn file(
    store: &Store,
    granted: &Granted,
    people: &People,
    new: &NewRequest,
    now: i64,
) -> Result<u64> {
    let by = granted.by();
    let text = format!(
        "Nouvelle demande à la mairie ({}) de {} : {}",
        new.category.label(),
        who(people, by),
        new.title
    );
    store
        .commit(|tx| {
            let id = tx.next_id("commune_request")?;
            let r = Request {
                id,
                category: new.category,
                title: new.title.clone(),
                text: new.text.clone(),
                photos: new.photos.clone(),
                author: by,
                at: now,
                state: State::Recue,
                steps: Vec::new(),
            };
            tx.put(&REQUESTS, &id, &r)?;
            tell(tx, people, &r, by, &text, now)?;
            Ok(id)
        })
        .await
}

/// Adds a step: a comment from anyone on the request, or a new state (`state`, which
/// only who runs the space is granted) with an optional word. Told to the others.
pub async fn step(
    store: &Store,
    granted: &Granted<Request>,
    people: &People,
    state: Option<State>,
    comment: &str,
    now: i64,
) -> Result<()> {
    let by = granted.by();
    let id = granted.object().id;
    store
        .commit(|tx| {
            let Some(mut r) = tx.get(&REQUESTS, &id)? else {
                return Ok(());
            };
            let state = state.filter(|s| *s != r.state);
            if state.is_none() && comment.is_empty() {
                return Ok(());
            }
            if let Some(s) = state {
                r.state = s;
            }
            r.steps.push(Step {
                at: now,
                by,
                state,
                comment: comment.to_string(),
            });
            tx.put(&REQUESTS, &id, &r)?;
            let text = match state {
                Some(s) => format!(
                    "Demande « {} » : {} ({})",
                    r.title,
                    s.label(),
                    who(people, by)
                ),
                None => format!(
                    "Demande « {} » : commentaire de {}",
                    r.title,
                    who(people, by)
                ),
            };
            tell(tx, people, &r, by, &text, now)
        })
        .await
}

/// The photos of the requests, for the blob purge (which deletes what no record names).
pub fn referenced_blobs(
    store: &crate::store::Store,
) -> crate::store::Result<std::collections::HashSet<String>> {
    let mut all = std::collections::HashSet::new();
    store.visit(&REQUESTS, |_, r| {
        all.extend(r.photos.into_iter().map(|p| p.blob));
    })?;
    Ok(all)
}
