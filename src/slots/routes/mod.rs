//! The routes of the slot engine (`/rendez-vous`, `/reservations`), each with its rule:
//! extract, ask `access.rs` for the proof, call the model, answer with a view.

use poem::http::StatusCode;
use poem::{IntoResponse, Response};

use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::AppResult;
use crate::routing::{Access, Object, Routes};

mod commune;
mod grid_edit;
mod meetings;
mod resources;

pub fn routes() -> Routes {
    use Access::*;
    let grid = Object(self::Object::MeetingGrid);
    let family = Object(self::Object::MeetingFamily);
    let teacher = Object(self::Object::MeetingTeacher);
    let staff = Object(self::Object::Resources);
    let direction = Object(self::Object::ResourceDirection);
    let booking = Object(self::Object::ResourceBooking);
    let commune = Object(self::Object::CommuneResources);
    Routes::new()
        .get("/rendez-vous", meetings::home, Member)
        .get("/rendez-vous/nouvelle", meetings::new_form, Teacher)
        .post("/rendez-vous/nouvelle", meetings::create, Teacher)
        .get("/rendez-vous/:id", meetings::grid, grid)
        .post("/rendez-vous/:id/reserver", meetings::book, family)
        .post("/rendez-vous/:id/annuler", meetings::cancel, family)
        .post("/rendez-vous/:id/creneau", meetings::change, teacher)
        .get("/rendez-vous/:id/feuille", meetings::sheet, teacher)
        .post("/rendez-vous/:id/modifier", grid_edit::change, teacher)
        .get("/reservations", resources::home, staff)
        .get("/reservations/ressource/:id", resources::week, staff)
        .post("/reservations/ressource/:id", resources::book, staff)
        .get("/reservations/ressources", resources::manage, direction)
        .post("/reservations/ressources", resources::create, direction)
        .post("/reservations/ressources/:id", resources::save, direction)
        .get("/reservations/commune", commune::manage, commune)
        .post("/reservations/commune", commune::create, commune)
        .post("/reservations/commune/:id", commune::save, commune)
        .post("/reservations/:id/annuler", resources::cancel, booking)
        .post("/reservations/:id/decision", resources::decide, direction)
}

async fn flash(app: &App, member: &Member, f: Flash) -> AppResult<()> {
    auth::push_flash(&app.store, &member.me.session_key, f).await?;
    Ok(())
}

fn today() -> jiff::civil::Date {
    crate::ui::dates::local_day_and_hour(auth::now_micros()).0
}

/// A page answering a refused change: the page again, with the French reason, as 409.
fn refused(page: maud::Markup) -> Response {
    (StatusCode::CONFLICT, page).into_response()
}

use crate::ui::form::invalid;
