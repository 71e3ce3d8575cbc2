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

/// The end of a console change: the line in the audit log, and the director's « done ».
async fn recorded(
    app: &crate::app::App,
    member: &crate::auth::web::Member,
    audit_line: String,
    done: String,
) -> crate::error::AppResult<()> {
    crate::auth::journal::audit(app, member, audit_line).await?;
    crate::auth::push_flash(
        &app.store,
        &member.me.session_key,
        crate::auth::Flash::success(done),
    )
    .await?;
    Ok(())
}
