//! The routes of the suivi des apprentissages (`/suivi`), each with its rule: extract,
//! ask `access.rs` for the proof, call the model, answer with a view.

use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::AppResult;
use crate::routing::{Access, Object, Routes};

mod attendus;
mod classes;
mod entries;
pub(in crate::progress) mod pupils;
mod synthese;

pub fn routes() -> Routes {
    use Access::Object as On;
    let class = On(Object::ProgressClass);
    let pupil = On(Object::ProgressPupil);
    let entry = On(Object::ProgressEntry);
    Routes::new()
        .get("/suivi", classes::home, On(Object::ProgressHome))
        .get("/suivi/classe/:id", classes::show, class)
        .get("/suivi/classe/:id/reussite", classes::new_form, class)
        .post("/suivi/classe/:id/reussite", classes::create, class)
        .post("/suivi/classe/:id/partager", classes::share, class)
        .get("/suivi/eleve/:id", pupils::show, pupil)
        .post(
            "/suivi/eleve/:id/partager",
            pupils::share,
            On(Object::ProgressPupilKeep),
        )
        .post(
            "/suivi/eleve/:id/vu",
            pupils::seen,
            On(Object::ProgressFamily),
        )
        // The family's comment, or the teacher's answer.
        .post("/suivi/eleve/:id/commentaire", pupils::comment, pupil)
        .get("/suivi/reussite/:id", entries::edit_form, entry)
        .post("/suivi/reussite/:id", entries::save, entry)
        .post("/suivi/reussite/:id/supprimer", entries::delete, entry)
        .get(
            "/suivi/reussite/:id/photo",
            entries::photo_file,
            On(Object::ProgressPhoto),
        )
        .get("/suivi/attendus", attendus::show, Access::Teacher)
        .post("/suivi/attendus", attendus::add, Access::Teacher)
        .post("/suivi/attendus/retirer", attendus::remove, Access::Teacher)
        .get("/suivi/eleve/:id/synthese", synthese::show, pupil)
        .post(
            "/suivi/eleve/:id/synthese",
            synthese::save,
            On(Object::ProgressPupilKeep),
        )
        .post(
            "/suivi/eleve/:id/synthese/partager",
            synthese::share,
            On(Object::ProgressPupilKeep),
        )
        .get("/suivi/eleve/:id/synthese/imprimer", synthese::print, pupil)
}

pub(in crate::progress) async fn flash(app: &App, member: &Member, text: String) -> AppResult<()> {
    auth::push_flash(&app.store, &member.me.session_key, Flash::success(text)).await?;
    Ok(())
}

pub(in crate::progress) fn now() -> i64 {
    auth::now_micros()
}

pub(in crate::progress) fn today() -> jiff::civil::Date {
    crate::ui::dates::local_day_and_hour(now()).0
}

use crate::ui::form::invalid;

pub(in crate::progress) fn page(
    app: &App,
    member: &Member,
    title: &str,
    body: maud::Markup,
) -> AppResult<maud::Markup> {
    app.page(&member.visitor, title, "/suivi", body)
}

/// « Léa Martin », or « ancien compte ».
pub(in crate::progress) fn name(people: &People, id: u64) -> String {
    people
        .user(id)
        .map(|u| u.display_name())
        .unwrap_or_else(|| "ancien compte".into())
}

/// The labels of the child's classes now.
pub(in crate::progress) fn class_label(people: &People, pupil: u64) -> String {
    people
        .classes_of(pupil)
        .iter()
        .filter_map(|c| people.class(*c))
        .map(|c| c.label.clone())
        .collect::<Vec<_>>()
        .join(", ")
}
