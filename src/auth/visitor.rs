//! Who is asking and the one-time messages they are shown: what the session middleware
//! hands to the rest of the chain. Plain data, so that the UI kit can render a page for a
//! visitor without knowing the application's state.

use serde::{Deserialize, Serialize};

use crate::directory::User;
use crate::policy::Actor;
use crate::school::Service;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlashKind {
    Success,
    Info,
    Error,
}

/// A one-time message shown on the next page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    pub text: String,
}

impl Flash {
    pub fn success(text: impl Into<String>) -> Flash {
        Flash {
            kind: FlashKind::Success,
            text: text.into(),
        }
    }
    pub fn info(text: impl Into<String>) -> Flash {
        Flash {
            kind: FlashKind::Info,
            text: text.into(),
        }
    }
    pub fn error(text: impl Into<String>) -> Flash {
        Flash {
            kind: FlashKind::Error,
            text: text.into(),
        }
    }
}

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub session_key: String,
    /// The name of the session's offline cache (`auth::reader_id`).
    pub reader: String,
    pub actor: Actor,
    /// A pupil of cycle 1 or CP (`home::kid`): the pages leave out what they cannot use
    /// yet, such as the header's search box.
    pub kid_mode: bool,
}

/// Who is asking, as known after the session middleware.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub signed_in: Option<SignedIn>,
    /// Token every form of this visitor must carry.
    pub csrf: String,
    /// One-time messages to show on this page.
    pub flashes: Vec<Flash>,
    /// Client address, for the connection log and throttling.
    pub address: String,
    /// Arrived by the school box's public name (`Host`): counted as outside the school
    /// network whatever the address (`board::on_school_network`).
    pub by_public_name: bool,
    pub user_agent: String,
    /// Unread notifications of the signed-in person (the bell of every page).
    pub unread_notifications: u64,
    /// The services their classes closed to them (menu and home leave them out; the
    /// service's gate refuses them).
    pub closed_services: Vec<Service>,
}

impl Visitor {
    /// Someone the session middleware has not seen: pages served outside it (the plain
    /// HTTP site, an error before the session is known) render for them.
    pub fn anonymous() -> Visitor {
        Visitor {
            signed_in: None,
            csrf: String::new(),
            flashes: Vec::new(),
            address: String::new(),
            by_public_name: false,
            user_agent: String::new(),
            unread_notifications: 0,
            closed_services: Vec::new(),
        }
    }
}
