//! The directory: accounts and classes. It owns the `users`, `user_by_login`,
//! `users_by_profile`, `classes` and `class_members` tables; other modules read people
//! and classes through the functions here, never through those tables.

pub mod access;
mod accounts;
mod classes;
mod families;
pub mod forms;
pub mod groups;
pub mod import;
pub mod import_routes;
mod integrity;
pub mod onde;
pub mod openings;
pub mod people;
pub mod rollover;
pub mod roster;
pub mod routes;
mod teams;
mod users;
pub mod views;

pub use accounts::*;
pub use classes::*;
pub use families::*;
pub use integrity::*;
pub use teams::*;
pub use users::*;

// Submodules read these through `use super::*`.
use serde::{Deserialize, Serialize};

use crate::policy::{Actor, Profile};
use crate::refusal::{Failure, Outcome};
use crate::store::{Key, Result, Store, Table, Tx};
use people::People;

pub const USERS: Table<u64, User> = Table::new("users");
pub const USER_BY_LOGIN: Table<String, u64> = Table::new("user_by_login");
/// Index (profile slug, user id) → (); added by schema version 2.
pub const USERS_BY_PROFILE: Table<(String, u64), ()> = Table::new("users_by_profile");
pub const CLASSES: Table<u64, Class> = Table::new("classes");
/// Index (class id, user id) → role in the class.
pub const CLASS_MEMBERS: Table<(u64, u64), Membership> = Table::new("class_members");
/// Mirror (user id, class id) → (): a person's classes in one prefix scan (schema 3).
pub const USER_CLASSES: Table<(u64, u64), ()> = Table::new("user_classes");

/// Pupil details from ONDE (user id → record).
pub const PUPILS: Table<u64, PupilRecord> = Table::new("pupils");
/// Index INE → pupil's user id.
pub const PUPIL_BY_INE: Table<String, u64> = Table::new("pupil_by_ine");
/// Index card token hash → pupil's user id (login by scanning the card's QR code).
pub const PUPIL_BY_CARD: Table<String, u64> = Table::new("pupil_by_card");
/// Index « nom|prénom|date de naissance » (folded) → pupil's user id, for files without INE.
pub const PUPIL_BY_IDENTITY: Table<String, u64> = Table::new("pupil_by_identity");
/// Guardian details (user id → record).
pub const GUARDIANS: Table<u64, GuardianRecord> = Table::new("guardians");
/// (parent, child) → () and its mirror (child, parent) → ().
pub const PARENT_CHILD: Table<(u64, u64), ()> = Table::new("parent_child");
pub const CHILD_PARENT: Table<(u64, u64), ()> = Table::new("child_parent");

/// Free groups (« Chorale », « Salle des maîtres »…), members from any profile.
pub const GROUPS: Table<u64, Group> = Table::new("groups");
/// (group, user) → () and its mirror (user, group) → ().
pub const GROUP_MEMBERS: Table<(u64, u64), ()> = Table::new("group_members");
pub const USER_GROUPS: Table<(u64, u64), ()> = Table::new("user_groups");

/// Temporary charge of a class (replacement teacher): (user, class) → delegation. Keyed by
/// person first: every request of that person reads their delegations (one prefix scan),
/// while a class's list is read only by the console.
pub const DELEGATIONS: Table<(u64, u64), Delegation> = Table::new("delegations");

pub const TABLES: &[&str] = &[
    DELEGATIONS.name,
    GROUPS.name,
    GROUP_MEMBERS.name,
    USER_GROUPS.name,
    USERS.name,
    USER_BY_LOGIN.name,
    USERS_BY_PROFILE.name,
    CLASSES.name,
    CLASS_MEMBERS.name,
    USER_CLASSES.name,
    PUPILS.name,
    PUPIL_BY_INE.name,
    PUPIL_BY_IDENTITY.name,
    PUPIL_BY_CARD.name,
    GUARDIANS.name,
    PARENT_CHILD.name,
    CHILD_PARENT.name,
    import::PENDING.name,
    openings::CLASS_OPENINGS.name,
];

#[cfg(test)]
mod tests;
