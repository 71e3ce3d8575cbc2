//! The LSU export from the console (the director): the same file as `preau lsu export`,
//! offered as a download only when nothing is missing.

use maud::Markup;
use poem::http::header;
use poem::web::{Data, Query};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::super::lsu::{self, Missing};
use super::super::{access, views};
use super::{page, year};
use crate::app::App;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::AppResult;
use crate::ui::form::FormState;

#[derive(Debug, Deserialize)]
pub(super) struct Choice {
    #[serde(default)]
    periode: Option<String>,
    #[serde(default)]
    classe: Option<String>,
}

fn export_page(
    app: &App,
    member: &Member,
    form: &FormState,
    missing: &[Missing],
) -> AppResult<Markup> {
    let year = year(&app.store)?;
    let periods: Vec<(String, String)> = super::super::periods(&app.store, &year)?
        .iter()
        .map(|p| (p.number.to_string(), p.label()))
        .collect();
    let people = People::load(&app.store)?;
    let classes: Vec<(String, String)> =
        std::iter::once((String::new(), "Toutes les classes".to_string()))
            .chain(
                people
                    .classes
                    .iter()
                    .map(|c| (c.id.to_string(), c.label.clone())),
            )
            .collect();
    let body = views::lsu::export(&year, &periods, &classes, form, missing);
    page(app, member, "Export vers le LSU", body)
}

#[handler]
pub(super) fn choose(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    access::export_lsu(member.actor())?;
    export_page(app, &member, &FormState::new(), &[])
}

/// The file as a download, or the page with what is missing.
#[handler]
pub(super) fn file(
    Data(app): Data<&App>,
    member: Member,
    Query(choice): Query<Choice>,
) -> AppResult<Response> {
    access::export_lsu(member.actor())?;
    let mut form = FormState::new();
    let period = choice.periode.as_deref().unwrap_or_default();
    let class = choice.classe.as_deref().unwrap_or_default();
    form.set("periode", period);
    form.set("classe", class);
    let Ok(number) = period.parse::<u8>() else {
        form.error("periode", "Choisissez une période.");
        return Ok(export_page(app, &member, &form, &[])?.into_response());
    };
    let class_id = class.parse::<u64>().ok();
    let year = year(&app.store)?;
    match lsu::export(&app.store, &year, number, class_id)? {
        Ok(made) => Ok(Response::builder()
            .header(header::CONTENT_TYPE, "application/xml; charset=utf-8")
            .header(
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", made.file_name),
            )
            .body(made.xml)),
        Err(missing) => Ok(export_page(app, &member, &form, &missing)?.into_response()),
    }
}
