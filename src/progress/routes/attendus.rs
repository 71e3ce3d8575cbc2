//! `/suivi/attendus`: the list of attendus to pick from — the programme's, and the
//! school's own, which any teacher adds or removes (the teachers' list together, as the
//! conseil des maîtres decides it).

use maud::Markup;
use poem::web::{Data, Redirect};
use poem::{handler, IntoResponse, Response};

use super::super::access;
use super::super::attendus::{self as model, MAX_TEXT};
use super::super::reference::Domain;
use super::super::views::attendus as view;
use super::{flash, invalid, now, page};
use crate::app::App;
use crate::auth::web::Member;
use crate::error::AppResult;
use crate::policy::Granted;
use crate::ui::csrf_input;
use crate::ui::form::{first_value, FormState};
use crate::ui::input::FormInput;

/// The school's list: its teachers and the director.
fn keep_list(member: &Member) -> AppResult<Granted> {
    Ok(access::keep_attendus(member.actor())?)
}

fn list_page(app: &App, member: &Member, form: &FormState) -> AppResult<Markup> {
    let own = model::school(&app.store)?;
    let body = view::page(&csrf_input(&member.visitor), &own, form);
    page(app, member, "Les attendus du carnet de suivi", body)
}

#[handler]
pub(super) fn show(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    keep_list(&member)?;
    list_page(app, &member, &FormState::new())
}

#[handler]
pub(super) async fn add(
    Data(app): Data<&App>,
    member: Member,
    FormInput(texts): FormInput<Vec<(String, String)>>,
) -> AppResult<Response> {
    let granted = keep_list(&member)?;
    let mut form = FormState::new();
    form.set("domaine", first_value(&texts, "domaine"));
    let domain = Domain::from_slug(form.value("domaine"));
    if domain.is_none() {
        form.error("domaine", "Choisissez le domaine de l'attendu.");
    }
    form.set("texte", first_value(&texts, "texte"));
    let text = form.required("texte", "l'attendu");
    if text.chars().count() > MAX_TEXT {
        form.error(
            "texte",
            format!("L'attendu est trop long ({MAX_TEXT} caractères au plus)."),
        );
    }
    let (Some(domain), true) = (domain, form.is_ok()) else {
        return Ok(invalid(list_page(app, &member, &form)?));
    };
    let message = if model::add(&app.store, &granted, domain, &text, now()).await? {
        "Attendu ajouté : il se choisit maintenant en écrivant une réussite."
    } else {
        "Cet attendu est déjà dans la liste."
    };
    flash(app, &member, message.into()).await?;
    Ok(Redirect::see_other("/suivi/attendus").into_response())
}

#[handler]
pub(super) async fn remove(
    Data(app): Data<&App>,
    member: Member,
    FormInput(texts): FormInput<Vec<(String, String)>>,
) -> AppResult<Response> {
    let granted = keep_list(&member)?;
    let id: u64 = first_value(&texts, "attendu").parse().unwrap_or_default();
    let message = if model::remove(&app.store, &granted, id).await? {
        "Attendu retiré de la liste (les réussites qui le citent le gardent)."
    } else {
        "Cet attendu n'était plus dans la liste."
    };
    flash(app, &member, message.into()).await?;
    Ok(Redirect::see_other("/suivi/attendus").into_response())
}
