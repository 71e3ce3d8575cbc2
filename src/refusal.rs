//! Refusals of the school's rules: « ce mot n'existe plus », « le nom ne peut pas être
//! vide »… A refusal is not a fault: its text is shown to the person as is, and the change
//! it stopped is not written. The store only knows its own faults ([`StoreError`]); a
//! module's change that a rule may refuse returns an [`Outcome`].

use crate::store::{Store, StoreError, Tx, TxError};

/// A rule refused the change; the French text says why, for the person who asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(String);

impl Refusal {
    pub fn new(message: impl Into<String>) -> Refusal {
        Refusal(message.into())
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

impl From<Refusal> for String {
    fn from(r: Refusal) -> String {
        r.0
    }
}

/// How a module's change can fail: refused by a rule, or the store's fault.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Refused(Refusal),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl Failure {
    /// A refusal with its French message (the usual way to say no inside a change).
    pub fn refused(message: impl Into<String>) -> Failure {
        Failure::Refused(Refusal::new(message))
    }
}

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Failure {
        Failure::Refused(r)
    }
}

/// A refusal aborts the transaction like any error; only the store's conflicts retry it.
impl TxError for Failure {
    fn is_conflict(&self) -> bool {
        matches!(self, Failure::Store(StoreError::Conflict))
    }
}

/// The result of a change a rule may refuse.
pub type Outcome<T> = Result<T, Failure>;

impl Store {
    /// [`Store::commit`] for a change a rule may refuse: a refusal aborts it, nothing is
    /// written.
    pub async fn commit_checked<T>(
        &self,
        change: impl Fn(&mut Tx<'_>) -> Outcome<T>,
    ) -> Outcome<T> {
        self.commit_with(change).await
    }

    /// [`Store::commit_checked`] for synchronous callers (CLI commands, the demo).
    pub fn commit_checked_blocking<T>(
        &self,
        change: impl Fn(&mut Tx<'_>) -> Outcome<T>,
    ) -> Outcome<T> {
        self.commit_blocking_with(change)
    }
}
