//! /admin/classes: classes, their members and their replacements (delegations).

use maud::Markup;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};

use crate::app::App;
use crate::auth::journal::audit;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::forms::{ClassInput, DelegationInput, PersonChoice};
use crate::directory::people::People;
use crate::directory::roster::Roster;
use crate::directory::views::classes::{self as views, ClassPage, ClassRow};
use crate::directory::views::picker;
use crate::directory::{self as dir, Membership, User};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Profile};
use crate::refusal::Failure;
use crate::routing::{Access, Routes};
use crate::ui::form::FormState;
use crate::ui::input::FormInput;
use crate::ui::search::Terms;

pub(super) fn class_console() -> Routes {
    use Access::Director;
    Routes::new()
        .get("/", class_list, Director)
        .post("/", class_create, Director)
        .get("/:id", class_detail, Director)
        .post("/:id", class_update, Director)
        .post("/:id/membres", member_add, Director)
        .post("/:id/membres/retirer", member_remove, Director)
        .post("/:id/supprimer", class_delete, Director)
        .post("/:id/remplacement", delegation_add, Director)
        .post("/:id/remplacement/fin", delegation_end, Director)
}

/// The list of classes, with the creation form (`form`, `checked`) shown again if needed.
/// Teachers and counts come from the directory's snapshot: nothing read per member.
fn list_page(
    app: &App,
    member: &Member,
    form: &FormState,
    checked: &[String],
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let rows: Vec<ClassRow> = people
        .classes
        .iter()
        .map(|class| {
            let mut teachers: Vec<&User> = people
                .teachers_of_class(class.id)
                .iter()
                .filter_map(|t| people.user(*t))
                .collect();
            teachers
                .sort_by_cached_key(|u| (dir::fold(u.shown_last_name()), dir::fold(&u.first_name)));
            ClassRow {
                class: class.clone(),
                teachers: teachers.iter().map(|u| u.display_name()).collect(),
                pupils: people.pupils_of_class(class.id).len(),
            }
        })
        .collect();
    let body = views::class_list(&member.visitor, &rows, form, checked);
    app.console_page(&member.visitor, "Classes", "/admin/classes", body)
}

/// A class's page, with the edition form (`form`, `checked`) shown again if needed, and
/// the people to add found by `query` (`?personne=`).
fn detail_page(
    app: &App,
    member: &Member,
    id: u64,
    form: &FormState,
    checked: Option<&[String]>,
    query: &str,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let class = people.class(id).cloned().ok_or(AppError::NotFound)?;
    let mut members: Vec<(User, Membership)> = people
        .class_members
        .get(&id)
        .map(|l| {
            l.iter()
                .filter_map(|(u, r)| people.user(*u).map(|u| (u.clone(), *r)))
                .collect()
        })
        .unwrap_or_default();
    members.sort_by_cached_key(|(u, _)| (dir::fold(u.shown_last_name()), dir::fold(&u.first_name)));
    let outside = |u: &User| !u.disabled && !members.iter().any(|(m, _)| m.id == u.id);
    let candidates = Roster::of(&app.store)?.candidates(
        &people,
        &Terms::parse(query),
        |u| {
            matches!(
                u.profile,
                Profile::Enseignant | Profile::Eleve | Profile::Atsem
            ) && outside(u)
        },
        picker::SHOWN,
    );
    let mut teachers: Vec<&User> = people
        .users
        .values()
        .filter(|u| u.profile == Profile::Enseignant && outside(u))
        .collect();
    teachers.sort_by_cached_key(|u| (dir::fold(u.shown_last_name()), dir::fold(&u.first_name)));
    let teachers = teachers
        .into_iter()
        .map(|u| {
            (
                u.id.to_string(),
                format!("{} {}", u.shown_last_name(), u.first_name),
            )
        })
        .collect();
    let page = ClassPage {
        delegations: dir::delegations_of_class(&app.store, id, auth::now_micros())?,
        class,
        members,
        query: query.to_string(),
        candidates,
        teachers,
    };
    let body = views::class_detail(&member.visitor, &page, form, checked);
    app.console_page(&member.visitor, &page.class.label, "/admin/classes", body)
}

async fn flash_ok(app: &App, member: &Member, text: String) -> AppResult<()> {
    Ok(auth::push_flash(&app.store, &member.me.session_key, Flash::success(text)).await?)
}

fn back_to(id: u64) -> Response {
    Redirect::see_other(format!("/admin/classes/{id}")).into_response()
}

#[handler]
fn class_list(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageClasses)?;
    list_page(app, &member, &FormState::new(), &[])
}

#[handler]
async fn class_create(
    Data(app): Data<&App>,
    member: Member,
    FormInput(input): FormInput<ClassInput>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    match input.validate() {
        Ok((label, levels)) => {
            let id = app
                .store
                .commit(|tx| dir::create_class(tx, &label, &levels))
                .await?;
            audit(app, &member, format!("Création de la classe « {label} »")).await?;
            flash_ok(app, &member, format!("Classe « {label} » créée.")).await?;
            Ok(back_to(id))
        }
        Err((form, checked)) => Ok((
            StatusCode::BAD_REQUEST,
            list_page(app, &member, &form, &checked)?,
        )
            .into_response()),
    }
}

/// `?personne=`: the people to add, found by name.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct DetailQuery {
    personne: String,
}

#[handler]
fn class_detail(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<DetailQuery>,
) -> AppResult<Markup> {
    require(member.actor(), Action::ManageClasses)?;
    detail_page(app, &member, id, &FormState::new(), None, q.personne.trim())
}

#[handler]
async fn class_update(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(input): FormInput<ClassInput>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let mut class = dir::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    match input.validate() {
        Ok((label, levels)) => {
            class.label = label;
            class.levels = levels;
            app.store.commit(|tx| dir::save_class(tx, &class)).await?;
            audit(
                app,
                &member,
                format!("Modification de la classe « {} »", class.label),
            )
            .await?;
            flash_ok(app, &member, "Classe enregistrée.".into()).await?;
            Ok(back_to(id))
        }
        Err((form, checked)) => Ok((
            StatusCode::BAD_REQUEST,
            detail_page(app, &member, id, &form, Some(&checked), "")?,
        )
            .into_response()),
    }
}

#[handler]
async fn member_add(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(input): FormInput<PersonChoice>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let user_id = input.id("Choisissez une personne.")?;
    let user = dir::user(&app.store, user_id)?.ok_or(AppError::NotFound)?;
    let role = match user.profile {
        Profile::Enseignant => Membership::Teacher,
        Profile::Eleve => Membership::Pupil,
        Profile::Atsem => Membership::Assistant,
        _ => {
            return Err(AppError::BadRequest(
                "Seuls les enseignants, les élèves et les ATSEM font partie d'une classe.".into(),
            ))
        }
    };
    let class = dir::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    app.store
        .commit_checked(|tx| dir::add_member(tx, id, user_id, role))
        .await?;
    let name = user.display_name();
    super::recorded(
        app,
        &member,
        format!("{name} ajouté(e) à la classe « {} »", class.label),
        format!("{name} ajouté(e) à la classe."),
    )
    .await?;
    Ok(back_to(id))
}

#[handler]
async fn member_remove(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(input): FormInput<PersonChoice>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let user_id = input.id("Personne inconnue.")?;
    let user = dir::user(&app.store, user_id)?.ok_or(AppError::NotFound)?;
    let class = dir::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    app.store
        .commit(|tx| dir::remove_member(tx, id, user_id))
        .await?;
    let name = user.display_name();
    super::recorded(
        app,
        &member,
        format!("{name} retiré(e) de la classe « {} »", class.label),
        format!("{name} retiré(e) de la classe."),
    )
    .await?;
    Ok(back_to(id))
}

#[handler]
async fn class_delete(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let class = dir::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    let n = dir::members(&app.store, id)?.len();
    match app
        .store
        .commit_checked(|tx| dir::delete_class(tx, id, n))
        .await
    {
        Ok(()) => {
            audit(
                app,
                &member,
                format!("Suppression de la classe « {} »", class.label),
            )
            .await?;
            flash_ok(
                app,
                &member,
                format!("Classe « {} » supprimée.", class.label),
            )
            .await?;
            Ok(Redirect::see_other("/admin/classes").into_response())
        }
        Err(Failure::Refused(m)) => {
            auth::push_flash(&app.store, &member.me.session_key, Flash::error(m)).await?;
            Ok(back_to(id))
        }
        Err(e) => Err(e.into()),
    }
}

#[handler]
async fn delegation_add(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(input): FormInput<DelegationInput>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let class = dir::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    let uid = input.teacher()?;
    let user = dir::user(&app.store, uid)?
        .filter(|u| u.profile == Profile::Enseignant)
        .ok_or(AppError::NotFound)?;
    let now = auth::now_micros();
    let Some(until) = input.until(now) else {
        auth::push_flash(
            &app.store,
            &member.me.session_key,
            Flash::error("Indiquez une date de fin à venir."),
        )
        .await?;
        return Ok(back_to(id));
    };
    let d = dir::Delegation {
        until,
        granted_by: member.user().id,
        granted_at: now,
    };
    app.store
        .commit_checked(|tx| dir::delegate_class(tx, id, uid, &d))
        .await?;
    audit(
        app,
        &member,
        format!(
            "Classe « {} » confiée à {} jusqu'au {}",
            class.label,
            user.display_name(),
            crate::ui::dates::long_date(until - 1)
        ),
    )
    .await?;
    flash_ok(
        app,
        &member,
        format!("Classe confiée à {}.", user.display_name()),
    )
    .await?;
    Ok(back_to(id))
}

#[handler]
async fn delegation_end(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(input): FormInput<PersonChoice>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let uid = input.id("Personne inconnue.")?;
    let class = dir::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    app.store
        .commit(|tx| dir::end_delegation(tx, id, uid))
        .await?;
    audit(
        app,
        &member,
        format!(
            "Fin du remplacement du compte {uid} dans « {} »",
            class.label
        ),
    )
    .await?;
    Ok(back_to(id))
}
