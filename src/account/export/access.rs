//! Who may download an archive: the person whose data it holds (on their page), or the
//! director for an archive made from the console. Anyone else does not see it (404).

use crate::auth::web::Member;
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Granted};
use crate::store::Store;

use super::Export;

/// One's own archive.
pub fn own(store: &Store, member: &Member, id: u64) -> AppResult<Granted<Export>> {
    let granted = require(member.actor(), Action::ManageOwnAccount)?;
    match super::get(store, id)? {
        Some(e) if e.subject == member.user().id => Ok(granted.on(e)),
        _ => Err(AppError::NotFound),
    }
}

/// An archive the director made from the console for someone who asked.
pub fn console(store: &Store, member: &Member, id: u64) -> AppResult<Granted<Export>> {
    let granted = require(member.actor(), Action::ManageAccounts)?;
    match super::get(store, id)? {
        Some(e) if e.from_console() => Ok(granted.on(e)),
        _ => Err(AppError::NotFound),
    }
}

/// The account the director makes an archive for.
pub fn account(
    store: &Store,
    member: &Member,
    id: u64,
) -> AppResult<Granted<crate::directory::User>> {
    let granted = require(member.actor(), Action::ManageAccounts)?;
    match crate::directory::user(store, id)? {
        Some(u) => Ok(granted.on(u)),
        None => Err(AppError::NotFound),
    }
}
