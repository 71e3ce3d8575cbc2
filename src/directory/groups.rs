//! Console pages of free groups (/admin/groupes): « Chorale », « Groupe lecture CE1 »,
//! « Salle des maîtres »… with members from any profile.

use crate::routing::{Access, Routes};
use maud::{html, Markup};
use poem::web::{Data, Path, Redirect};
use poem::{handler, IntoResponse, Response};

use super::forms::{GroupInput, PersonChoice};
use crate::app::App;
use crate::auth::journal::audit;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action};
use crate::ui::csrf_input;
use crate::ui::form::{error_summary, select, Field, FormState};
use crate::ui::input::FormInput;

pub(super) fn console() -> Routes {
    use Access::Director;
    Routes::new()
        .get("/", list, Director)
        .post("/", create, Director)
        .get("/:id", detail, Director)
        .post("/:id/membres", add, Director)
        .post("/:id/membres/retirer", remove, Director)
        .post("/:id/supprimer", delete, Director)
}

fn list_view(app: &App, member: &Member, form: &FormState) -> AppResult<Markup> {
    let groups = super::groups(&app.store)?;
    let mut rows = Vec::new();
    for g in groups {
        let n = super::group_members(&app.store, g.id)?.len();
        rows.push((g, n));
    }
    let body = html! {
        (crate::ui::heading("Groupes", Some("Des groupes libres, avec des membres de tous profils : chorale, groupe de besoin, équipe éducative…")))
        section.panel {
            @if rows.is_empty() { p.empty { "Aucun groupe." } } @else {
                table.list {
                    thead { tr { th scope="col" { "Groupe" } th scope="col" { "Membres" } } }
                    tbody { @for (g, n) in &rows { tr { td { a href=(format!("/admin/groupes/{}", g.id)) { (g.label) } } td { (n) } } } }
                }
            }
        }
        section.panel {
            h2 { "Nouveau groupe" }
            (error_summary(form))
            form method="post" action="/admin/groupes" novalidate {
                (csrf_input(&member.visitor))
                (Field::text("label", "Nom du groupe").required().render(form))
                (Field::text("description", "Description (facultative)").render(form))
                button.primary type="submit" { "Créer le groupe" }
            }
        }
    };
    app.console_page(&member.visitor, "Groupes", "/admin/groupes", body)
}

#[handler]
fn list(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageGroups)?;
    list_view(app, &member, &FormState::new())
}

#[handler]
async fn create(
    Data(app): Data<&App>,
    member: Member,
    FormInput(input): FormInput<GroupInput>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageGroups)?;
    let mut form = FormState::with_values([
        ("label", input.label.trim().to_string()),
        ("description", input.description.trim().to_string()),
    ]);
    let label = form.required("label", "le nom du groupe");
    if super::groups(&app.store)?
        .iter()
        .any(|g| super::fold(&g.label) == super::fold(&label))
    {
        form.error("label", "Un groupe porte déjà ce nom.");
    }
    if !form.is_ok() {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            list_view(app, &member, &form)?,
        )
            .into_response());
    }
    let description = form.value("description").to_string();
    let id = app
        .store
        .commit(|tx| super::create_group(tx, &label, &description))
        .await?;
    audit(app, &member, format!("Création du groupe « {label} »")).await?;
    Ok(Redirect::see_other(format!("/admin/groupes/{id}")).into_response())
}

#[handler]
fn detail(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    require(member.actor(), Action::ManageGroups)?;
    let group = super::group(&app.store, id)?.ok_or(AppError::NotFound)?;
    let members = super::group_members(&app.store, id)?;
    let candidates: Vec<(String, String)> = super::users(&app.store, None)?
        .into_iter()
        .filter(|u| !u.disabled && !members.iter().any(|m| m.id == u.id))
        .map(|u| {
            (
                u.id.to_string(),
                format!(
                    "{} {} — {}",
                    u.shown_last_name(),
                    u.first_name,
                    u.role_label()
                ),
            )
        })
        .collect();
    let body = html! {
        (crate::ui::heading(&group.label, (!group.description.is_empty()).then_some(group.description.as_str())))
        section.panel {
            h2 { "Membres" }
            @if members.is_empty() { p.empty { "Personne dans ce groupe." } } @else {
                table.list {
                    thead { tr { th scope="col" { "Nom" } th scope="col" { "Profil" } th scope="col" { span.sr { "Action" } } } }
                    tbody {
                        @for u in &members {
                            tr {
                                td { (u.shown_last_name()) " " (u.first_name) }
                                td { (u.role_label()) }
                                td {
                                    form method="post" action=(format!("/admin/groupes/{id}/membres/retirer")) {
                                        (csrf_input(&member.visitor))
                                        input type="hidden" name="user_id" value=(u.id);
                                        button.link type="submit" { "Retirer" span.sr { " " (u.display_name()) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !candidates.is_empty() {
                form.inline method="post" action=(format!("/admin/groupes/{id}/membres")) {
                    (csrf_input(&member.visitor))
                    (select(&FormState::new(), "user_id", "Ajouter au groupe", &candidates, true))
                    button type="submit" { "Ajouter" }
                }
            }
        }
        section.panel.danger {
            form method="post" action=(format!("/admin/groupes/{id}/supprimer")) {
                (csrf_input(&member.visitor))
                button.danger type="submit" data-confirm="Supprimer ce groupe ? Ses membres ne sont pas supprimés." { "Supprimer le groupe" }
            }
        }
    };
    app.console_page(&member.visitor, &group.label, "/admin/groupes", body)
}

#[handler]
async fn add(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(input): FormInput<PersonChoice>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageGroups)?;
    let uid = input.id("Choisissez une personne.")?;
    let user = super::user(&app.store, uid)?.ok_or(AppError::NotFound)?;
    let group = super::group(&app.store, id)?.ok_or(AppError::NotFound)?;
    app.store
        .commit_checked(|tx| super::add_to_group(tx, id, uid))
        .await?;
    audit(
        app,
        &member,
        format!(
            "{} ajouté(e) au groupe « {} »",
            user.display_name(),
            group.label
        ),
    )
    .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success(format!("{} ajouté(e) au groupe.", user.display_name())),
    )
    .await?;
    Ok(Redirect::see_other(format!("/admin/groupes/{id}")).into_response())
}

#[handler]
async fn remove(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(input): FormInput<PersonChoice>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageGroups)?;
    let uid = input.id("Choisissez une personne.")?;
    let group = super::group(&app.store, id)?.ok_or(AppError::NotFound)?;
    app.store
        .commit(|tx| super::remove_from_group(tx, id, uid))
        .await?;
    audit(
        app,
        &member,
        format!("Retrait du compte {uid} du groupe « {} »", group.label),
    )
    .await?;
    Ok(Redirect::see_other(format!("/admin/groupes/{id}")).into_response())
}

#[handler]
async fn delete(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Response> {
    require(member.actor(), Action::ManageGroups)?;
    let group = super::group(&app.store, id)?.ok_or(AppError::NotFound)?;
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || super::delete_group(&store, id))
        .await
        .map_err(anyhow::Error::from)??;
    audit(
        app,
        &member,
        format!("Suppression du groupe « {} »", group.label),
    )
    .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success(format!("Groupe « {} » supprimé.", group.label)),
    )
    .await?;
    Ok(Redirect::see_other("/admin/groupes").into_response())
}
