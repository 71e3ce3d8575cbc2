//! The proof that the policy granted an action: only [`super::require`] makes one, and a
//! feature's mutations take it as an argument, so that a mutation cannot be reached
//! without the check (lldap's « a missing check does not compile »).

use super::Action;

/// `action` was granted to the person `by`, about `object` (the record the check was
/// about, once the feature's `access.rs` has attached it with [`Granted::on`]).
#[derive(Debug, Clone)]
pub struct Granted<T = ()> {
    pub(super) action: Action,
    pub(super) by: u64,
    pub(super) object: T,
}

impl<T> Granted<T> {
    /// What was granted.
    pub fn action(&self) -> Action {
        self.action
    }

    /// To whom.
    pub fn by(&self) -> u64 {
        self.by
    }

    /// The object it was granted on.
    pub fn object(&self) -> &T {
        &self.object
    }

    pub fn into_object(self) -> T {
        self.object
    }
}

impl Granted<()> {
    /// The same grant, about `object`: the record whose facts the action carried.
    pub fn on<T>(self, object: T) -> Granted<T> {
        Granted {
            action: self.action,
            by: self.by,
            object,
        }
    }
}
