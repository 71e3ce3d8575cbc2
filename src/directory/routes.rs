//! The directory's console pages: classes, accounts, imports, groups, the new school year.

use crate::routing::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .console("/classes", super::admin::class_console())
        .console("/comptes", super::admin::account_console())
        .console("/import", super::import_routes::console())
        .console("/groupes", super::groups::console())
        .console("/rentree", super::rollover::console())
}
