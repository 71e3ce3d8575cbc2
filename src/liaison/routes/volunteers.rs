//! The call for volunteers of a mot: a guardian offers themselves or withdraws, the author
//! confirms a proposé or does not retain them.

use poem::handler;
use poem::web::{Data, Path, Redirect};

use super::super::forms::{ChoiceFields, OfferFields};
use super::super::volunteers::{self, access, OfferState};
use super::{flash, stored};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::refusal::Failure;
use crate::ui::input::FormInput;

#[handler]
pub(super) async fn offer(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<OfferFields>,
) -> AppResult<Redirect> {
    let granted = access::offer(member.actor(), stored(app, id)?)?;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let answer = match f.action.as_str() {
        "proposer" => volunteers::offer(&app.store, &granted, &people, now)
            .await
            .map(|(state, rank)| match (state, rank) {
                (OfferState::Waiting, Some(rank)) => format!(
                    "Les places sont prises : vous êtes sur la liste d'attente (rang {rank}). \
                     Si une place se libère, vous serez prévenu·e."
                ),
                _ => "Merci ! Vous êtes proposé·e ; l'enseignant confirmera.".to_string(),
            }),
        "retirer" => volunteers::withdraw(&app.store, &granted, &people, now)
            .await
            .map(|()| "Votre proposition est retirée.".to_string()),
        _ => return Err(AppError::BadRequest("Action inconnue.".into())),
    };
    let f = match answer {
        Ok(text) => Flash::success(text),
        Err(Failure::Refused(why)) => Flash::error(why),
        Err(e) => return Err(e.into()),
    };
    flash(app, &member, f).await?;
    Ok(Redirect::see_other(format!("/carnet/{id}#accompagnateurs")))
}

#[handler]
pub(super) async fn choose(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<ChoiceFields>,
) -> AppResult<Redirect> {
    let granted = access::choose(member.actor(), stored(app, id)?)?;
    let confirm = match f.decision.as_str() {
        "confirmer" => true,
        "ne-pas-retenir" => false,
        _ => {
            return Err(AppError::BadRequest(
                "Choisissez : confirmer ou ne pas retenir.".into(),
            ))
        }
    };
    let now = auth::now_micros();
    let answer = volunteers::decide(&app.store, &granted, f.responsable, confirm, now).await;
    let f = match (answer, confirm) {
        (Ok(0), true) => Flash::success("Accompagnateur confirmé ; il est prévenu."),
        (Ok(n), true) => Flash::success(format!(
            "Accompagnateur confirmé : l'équipe est complète, {n} autre(s) volontaire(s) remercié(s) et prévenu(s)."
        )),
        (Ok(_), false) => Flash::success(
            "Proposition non retenue ; la personne est prévenue et la place revient au suivant sur la liste d'attente.",
        ),
        (Err(Failure::Refused(why)), _) => Flash::error(why),
        (Err(e), _) => return Err(e.into()),
    };
    flash(app, &member, f).await?;
    Ok(Redirect::see_other(format!("/carnet/{id}#accompagnateurs")))
}
