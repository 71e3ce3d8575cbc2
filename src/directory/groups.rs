//! Console pages of free groups (/admin/groupes): « Chorale », « Groupe lecture CE1 »,
//! « Salle des maîtres »… with members from any profile.

use crate::routing::{Access, Routes};
use maud::{html, Markup};
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};

use super::forms::{GroupInput, PersonChoice};
use super::people::People;
use super::roster::Roster;
use super::views::picker::{self, person_picker, Picker};
use crate::app::App;
use crate::auth::journal::audit;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action};
use crate::ui::csrf_input;
use crate::ui::form::{error_summary, Field, FormState};
use crate::ui::input::FormInput;
use crate::ui::pager::{self, Links, Pager, PER_PAGE};
use crate::ui::search::{self, Terms};

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
    // Counts from the snapshot: no member read per group.
    let people = People::load(&app.store)?;
    let rows: Vec<(&super::Group, usize)> = people
        .groups
        .iter()
        .map(|g| (g, people.group_members(g.id).len()))
        .collect();
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

/// A group's page: `?page=` among its members, `?personne=` among the people to add.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct DetailQuery {
    page: Option<String>,
    personne: String,
}

#[handler]
fn detail(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<DetailQuery>,
) -> AppResult<Markup> {
    require(member.actor(), Action::ManageGroups)?;
    // The snapshot holds the group and its people: nothing read per member.
    let people = People::load(&app.store)?;
    let group = people.group(id).ok_or(AppError::NotFound)?;
    let ids = people.group_members(id);
    let mut members: Vec<&super::User> = ids.iter().filter_map(|u| people.user(*u)).collect();
    members.sort_by_cached_key(|u| {
        (
            search::fold(u.shown_last_name()),
            search::fold(&u.first_name),
        )
    });
    let pager = Pager::counted(pager::asked(q.page.as_deref()), members.len(), PER_PAGE);
    let page_path = format!("/admin/groupes/{id}");
    let kept = [("personne", q.personne.as_str())];
    let links = Links {
        path: &page_path,
        keep: &kept,
        param: "page",
        label: "Pages des membres du groupe",
    };
    let query = q.personne.trim();
    let candidates = Roster::of(&app.store)?.candidates(
        &people,
        &Terms::parse(query),
        |u| !u.disabled && !ids.contains(&u.id),
        picker::SHOWN,
    );
    let add_action = format!("/admin/groupes/{id}/membres");
    let picker = Picker {
        page_path: &page_path,
        add_action: &add_action,
        label: "Ajouter au groupe",
        query,
        candidates: &candidates,
    };
    let body = html! {
        (crate::ui::heading(&group.label, (!group.description.is_empty()).then_some(group.description.as_str())))
        section.panel {
            h2 { "Membres" }
            (pager::past_end_notice(&pager))
            @if members.is_empty() { p.empty { "Personne dans ce groupe." } } @else {
                table.list {
                    caption { (members.len()) " " (crate::admin::plural(members.len(), "membre")) @if pager.page > 1 || pager.has_next { " — " (pager.position()) } }
                    thead { tr { th scope="col" { "Nom" } th scope="col" { "Profil" } th scope="col" { span.sr { "Action" } } } }
                    tbody {
                        @for u in pager.slice(&members) {
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
                (pager::nav(&pager, &links))
            }
            (person_picker(&member.visitor, &picker))
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
