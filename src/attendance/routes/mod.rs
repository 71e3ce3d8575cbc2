//! The routes of the registre d'appel: `/appel` (teachers), `/absences` (families, and
//! what each profile may see of it), the director's console pages `/admin/absences` and
//! the school calendar `/admin/calendrier`. Handlers: extract → authorize (`access`) →
//! call the module → respond with a view.

use crate::routing::{Access, Gate, Object, Routes};
use crate::school::Service;

mod appel;

pub use appel::{home_reminder, home_reminder_or_nothing};
mod calendar;
mod director;
mod families;

pub fn routes() -> Routes {
    use Access::*;
    let class = Object(self::Object::ClassAppel);
    Routes::new()
        .get("/appel", appel::classes, Teacher)
        .get("/appel/classe/:id", appel::form, class)
        .post("/appel/classe/:id", appel::submit, class)
        .get("/appel/classe/:id/presents", appel::presents, class)
        .get("/appel/classe/:id/amenagements", appel::arrangements, class)
        .post(
            "/appel/classe/:id/amenagements",
            appel::amenagement_add,
            class,
        )
        .post(
            "/appel/classe/:id/amenagements/supprimer",
            appel::amenagement_remove,
            class,
        )
        .get("/absences", families::home, Member)
        .get("/absences/prevenir", families::declare_form, Guardian)
        .post("/absences/prevenir", families::declare_submit, Guardian)
        .post("/absences/motif", families::motif_submit, Guardian)
        .console(
            "/absences",
            Routes::new().gated(
                "",
                &[Gate::Service(Service::Absences)],
                Routes::new()
                    .get("/", director::school_view, Director)
                    .get("/presents", director::presents, Director)
                    .get("/annee", director::year, Director)
                    .get("/annee/export.csv", director::year_export, Director)
                    .get("/registre/:id", director::register_page, Director)
                    .post("/registre/:id/viser", director::sign, Director)
                    .get("/registre/:id/export.csv", director::export, Director)
                    .get("/signalement/:id", director::signalement, Director)
                    .post("/motif", director::judge, Director)
                    .post("/archiver", director::archive, Director),
            ),
        )
        .console(
            "/calendrier",
            Routes::new()
                .get("/", calendar::form, Director)
                .post("/", calendar::submit, Director),
        )
}
