//! Ids that say what they name. Where several bare `u64`s travel in a row (a mot, a
//! pupil, a guardian), swapping two of them compiles and signs the wrong thing; these
//! newtypes make the compiler keep them apart. Serialized as the bare number, so nothing
//! stored changes.

use serde::{Deserialize, Serialize};

/// An account: a pupil, a guardian, a member of staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub u64);

/// A mot of the carnet de liaison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MotId(pub u64);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for MotId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stored_as_bare_numbers() {
        assert_eq!(serde_json::to_string(&MotId(7)).unwrap(), "7");
        assert_eq!(serde_json::from_str::<UserId>("42").unwrap(), UserId(42));
    }
}
