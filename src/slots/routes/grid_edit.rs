//! `/rendez-vous/:id/modifier`: the teacher adds a date to an opened grid, changes its
//! place, or deletes it.

use poem::web::{Data, Path, Redirect};
use poem::{handler, IntoResponse, Response};

use super::super::access;
use super::super::forms::GridEditForm;
use super::super::grid_edit;
use super::meetings::answer;
use super::{flash, today};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::refusal::Failure;
use crate::ui::input::FormInput;

#[handler]
pub(super) async fn change(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<GridEditForm>,
) -> AppResult<Response> {
    let g = access::grid_or_404(&app.store, id)?;
    let granted = access::run(member.actor(), &g)?;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let said = match f.action.as_str() {
        "date" => match f.sitting(today(), g.minutes) {
            Ok(s) => {
                let label = grid_edit::sitting_label(&s);
                grid_edit::add_date(&app.store, &granted, s)
                    .await
                    .map(|()| format!("Date ajoutée : {label}."))
            }
            Err(why) => Err(Failure::refused(why)),
        },
        "lieu" => match f.place() {
            Ok(place) => grid_edit::set_place(&app.store, &granted, place, &people, now)
                .await
                .map(|told| format!("Lieu changé ; {told} famille(s) prévenue(s).")),
            Err(why) => Err(Failure::refused(why)),
        },
        "supprimer" if f.confirmer.is_some() => {
            let told = grid_edit::delete(&app.store, &granted, &people, now).await?;
            let text = format!(
                "Grille supprimée ; {told} rendez-vous annulé(s), les familles sont prévenues."
            );
            flash(app, &member, Flash::success(text)).await?;
            return Ok(Redirect::see_other("/rendez-vous").into_response());
        }
        "supprimer" => Err(Failure::refused(
            "Cochez la case pour confirmer la suppression de la grille.",
        )),
        _ => return Err(AppError::BadRequest("Action inconnue.".into())),
    };
    answer(app, &member, &people, &g, said).await
}
