//! The directory's console pages as pure functions of what they show: the routes load
//! the records, a view never receives the store.

pub mod accounts;
pub mod classes;
pub mod import;
pub mod picker;
