//! The routes of the commune's space (`/commune`), each with its rule: extract, ask
//! `access.rs` for the proof, call the model, answer with a view.

use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::AppResult;
use crate::routing::{Access, Object, Routes};

mod pages;
mod requests;
mod transport;

pub fn routes() -> Routes {
    use Access::*;
    let reader = Object(self::Object::CommuneReader);
    let run = Object(self::Object::CommuneManage);
    let requests = Object(self::Object::CommuneRequests);
    let request = Object(self::Object::CommuneRequest);
    Routes::new()
        .get("/commune", pages::home, reader)
        .get("/commune/page/:id", pages::show, reader)
        .get("/commune/pages/nouvelle", pages::new_form, run)
        .post("/commune/pages/nouvelle", pages::create, run)
        .get("/commune/pages/:id", pages::edit_form, run)
        .post("/commune/pages/:id", pages::save, run)
        .post("/commune/pages/:id/supprimer", pages::delete, run)
        .get("/commune/transport/nouvelle", transport::new_form, run)
        .post("/commune/transport/nouvelle", transport::create, run)
        .get("/commune/transport/:id", transport::show, reader)
        .get("/commune/transport/:id/modifier", transport::edit_form, run)
        .post("/commune/transport/:id/modifier", transport::save, run)
        .post("/commune/transport/:id/supprimer", transport::delete, run)
        .get("/commune/transport/:id/eleves", transport::riders, run)
        .post("/commune/transport/:id/eleves", transport::set_riders, run)
        .post(
            "/commune/transport/:id/changement",
            transport::post_change,
            run,
        )
        .post("/commune/changements/:id/retirer", transport::withdraw, run)
        .get("/commune/demandes", requests::list, requests)
        .get("/commune/demandes/nouvelle", requests::new_form, Teacher)
        .post("/commune/demandes/nouvelle", requests::create, Teacher)
        .get("/commune/demandes/:id", requests::show, request)
        .get("/commune/demandes/:id/photo/:n", requests::photo, request)
        // A comment from anyone on the request; a new state only from who runs the
        // space (the handler asks the policy for it).
        .post("/commune/demandes/:id/commentaire", requests::step, request)
}

async fn flash(app: &App, member: &Member, text: String) -> AppResult<()> {
    auth::push_flash(&app.store, &member.me.session_key, Flash::success(text)).await?;
    Ok(())
}

fn now() -> i64 {
    auth::now_micros()
}

fn today() -> jiff::civil::Date {
    crate::ui::dates::local_day_and_hour(now()).0
}

use crate::ui::form::invalid;

fn page(app: &App, member: &Member, title: &str, body: maud::Markup) -> AppResult<maud::Markup> {
    app.page(&member.visitor, title, "/commune", body)
}
