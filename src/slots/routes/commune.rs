//! `/reservations/commune`: the commune's resources (minibus communal, salle des fêtes),
//! run by the commune's staff — or by the director while the commune has no account —,
//! shared with the school's staff when the commune chooses; their requests are validated
//! on `/reservations` by whoever runs them.

use maud::Markup;
use poem::web::{Data, Path};
use poem::{handler, Response};

use super::super::access;
use super::super::forms::ResourceForm;
use super::super::views::resources::{self as view, Owner};
use super::resources::{create_for, owned, page, save_for};
use crate::app::App;
use crate::auth::web::Member;
use crate::commune::Presence;
use crate::error::AppResult;
use crate::ui::csrf_input;
use crate::ui::form::FormState;
use crate::ui::input::FormInput;

#[handler]
pub(super) fn manage(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    access::run_commune(Presence::of(&app.store)?, member.actor())?;
    let all = owned(app, Owner::Commune)?;
    let body = view::manage(
        &csrf_input(&member.visitor),
        Owner::Commune,
        &all,
        &FormState::new(),
    );
    page(app, &member, "Ressources de la commune", body)
}

#[handler]
pub(super) async fn create(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<ResourceForm>,
) -> AppResult<Response> {
    let granted = access::run_commune(Presence::of(&app.store)?, member.actor())?;
    create_for(app, &member, &granted, Owner::Commune, &f).await
}

#[handler]
pub(super) async fn save(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<ResourceForm>,
) -> AppResult<Response> {
    let granted = access::run_commune(Presence::of(&app.store)?, member.actor())?;
    save_for(app, &member, &granted, Owner::Commune, id, &f).await
}
