//! The directory's console pages: classes, accounts, imports, groups, the new school year.

mod accounts;
mod classes;

use crate::routing::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .console("/classes", classes::class_console())
        .console("/comptes", accounts::account_console())
        .console("/import", super::import_routes::console())
        .console("/groupes", super::groups::console())
        .console("/rentree", super::rollover::console())
}
