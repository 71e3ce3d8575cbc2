//! Console pages of the directory: /admin/classes and /admin/comptes.

use crate::routing::{Access, Routes};
use maud::{html, Markup};
use poem::web::{Data, Form, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::{Level, Membership, NewUser, User};
use crate::admin::{audit, console_page};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Profile};
use crate::refusal::Failure;
use crate::ui::form::{checkboxes, error_summary, first_value, select, Field, FormState};
use crate::ui::{csrf_input, dates};

type Pairs = Vec<(String, String)>;

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

pub(super) fn account_console() -> Routes {
    use Access::Director;
    Routes::new()
        .get("/", account_list, Director)
        .get("/nouveau", account_new_form, Director)
        .post("/nouveau", account_create, Director)
        .get("/:id", account_detail, Director)
        .post("/:id/mot-de-passe", account_reset_password, Director)
        .post("/:id/desactiver", account_toggle_disabled, Director)
        .post("/:id/modifier", account_edit, Director)
        .post("/:id/lettre", account_new_letter, Director)
        .post("/:id/fusionner", account_merge, Director)
        .post("/:id/depart", account_leaving, Director)
}

fn level_options() -> Vec<(String, String)> {
    Level::ALL
        .iter()
        .map(|l| (l.code().to_string(), l.code().to_string()))
        .collect()
}

fn class_list_view(
    app: &App,
    member: &Member,
    form: &FormState,
    checked: &[String],
) -> AppResult<Markup> {
    let classes = super::classes(&app.store)?;
    let mut rows = Vec::new();
    for c in classes {
        let members = super::members(&app.store, c.id)?;
        let teachers: Vec<String> = members
            .iter()
            .filter(|(_, r)| *r == Membership::Teacher)
            .map(|(u, _)| u.display_name())
            .collect();
        let pupils = members
            .iter()
            .filter(|(_, r)| *r == Membership::Pupil)
            .count();
        rows.push((c, teachers, pupils));
    }
    let body = html! {
        (crate::ui::heading("Classes", None))
        section.panel {
            @if rows.is_empty() { p.empty { "Aucune classe." } } @else {
                table.list {
                    thead { tr { th scope="col" { "Classe" } th scope="col" { "Niveaux" } th scope="col" { "Enseignants" } th scope="col" { "Élèves" } } }
                    tbody {
                        @for (c, teachers, pupils) in &rows {
                            tr {
                                td { a href=(format!("/admin/classes/{}", c.id)) { (c.label) } }
                                td { (c.levels_text()) }
                                td { @if teachers.is_empty() { em { "aucun" } } @else { (teachers.join(", ")) } }
                                td { (pupils) }
                            }
                        }
                    }
                }
            }
        }
        section.panel {
            h2 { "Nouvelle classe" }
            (error_summary(form))
            form method="post" action="/admin/classes" novalidate {
                (csrf_input(&member.visitor))
                (Field::text("label", "Nom de la classe").required().render(form))
                (checkboxes(form, "levels", "Niveaux", &level_options(), checked))
                button.primary type="submit" { "Créer la classe" }
            }
        }
    };
    console_page(app, member, "Classes", "/admin/classes", body)
}

#[handler]
fn class_list(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageClasses)?;
    class_list_view(app, &member, &FormState::new(), &[])
}

#[handler]
async fn class_create(
    Data(app): Data<&App>,
    member: Member,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    match crate::setup::parse_class_form(&f) {
        Ok((label, levels)) => {
            let id = app
                .store
                .commit(|tx| super::create_class(tx, &label, &levels))
                .await?;
            audit(app, &member, format!("Création de la classe « {label} »")).await?;
            auth::push_flash(
                &app.store,
                &member.me.session_key,
                Flash::success(format!("Classe « {label} » créée.")),
            )
            .await?;
            Ok(Redirect::see_other(format!("/admin/classes/{id}")).into_response())
        }
        Err((form, checked)) => Ok((
            poem::http::StatusCode::BAD_REQUEST,
            class_list_view(app, &member, &form, &checked)?,
        )
            .into_response()),
    }
}

fn class_detail_view(
    app: &App,
    member: &Member,
    id: u64,
    form: &FormState,
    checked: Option<&[String]>,
) -> AppResult<Markup> {
    let class = super::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    let members = super::members(&app.store, id)?;
    let candidates: Vec<User> = super::users(&app.store, None)?
        .into_iter()
        .filter(|u| {
            matches!(
                u.profile,
                Profile::Enseignant | Profile::Eleve | Profile::Atsem
            ) && !u.disabled
        })
        .filter(|u| !members.iter().any(|(m, _)| m.id == u.id))
        .collect();
    let delegations = super::delegations_of_class(&app.store, id, auth::now_micros())?;
    let teachers: Vec<(String, String)> = super::users(&app.store, Some(Profile::Enseignant))?
        .into_iter()
        .filter(|u| !u.disabled && !members.iter().any(|(m, _)| m.id == u.id))
        .map(|u| {
            (
                u.id.to_string(),
                format!("{} {}", u.shown_last_name(), u.first_name),
            )
        })
        .collect();
    let current_levels: Vec<String> = class.levels.iter().map(|l| l.code().to_string()).collect();
    let checked = checked.map(<[String]>::to_vec).unwrap_or(current_levels);
    let form = if form.values.is_empty() {
        FormState::with_values([("label", class.label.clone())])
    } else {
        form.clone()
    };
    let options: Vec<(String, String)> = candidates
        .iter()
        .map(|u| {
            (
                u.id.to_string(),
                format!("{} {} — {}", u.last_name, u.first_name, u.profile.label()),
            )
        })
        .collect();
    let body = html! {
        (crate::ui::heading(&class.label, Some(&class.levels_text())))
        section.panel {
            h2 { "Membres" }
            @if members.is_empty() { p.empty { "Personne dans cette classe pour l'instant." } } @else {
                table.list {
                    thead { tr { th scope="col" { "Nom" } th scope="col" { "Rôle" } th scope="col" { span.sr { "Action" } } } }
                    tbody {
                        @for (u, role) in &members {
                            tr {
                                td { a href=(format!("/admin/comptes/{}", u.id)) { (u.last_name) " " (u.first_name) } }
                                td { (match role { Membership::Teacher => "Enseignant", Membership::Pupil => "Élève", Membership::Assistant => "ATSEM" }) }
                                td {
                                    form method="post" action=(format!("/admin/classes/{id}/membres/retirer")) {
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
            @if !options.is_empty() {
                form.inline method="post" action=(format!("/admin/classes/{id}/membres")) {
                    (csrf_input(&member.visitor))
                    (select(&FormState::new(), "user_id", "Ajouter à la classe", &options, true))
                    button type="submit" { "Ajouter" }
                }
            }
        }
        section.panel {
            h2 { "Remplacement" }
            p { "Confiez la classe à un enseignant jusqu'à une date : il la voit et la gère comme la sienne, puis l'accès prend fin de lui-même." }
            @if !delegations.is_empty() {
                ul {
                    @for (u, d) in &delegations {
                        li {
                            (u.display_name()) " jusqu'au " (crate::ui::dates::long_date(d.until - 1))
                            form.inline method="post" action=(format!("/admin/classes/{id}/remplacement/fin")) {
                                (csrf_input(&member.visitor))
                                input type="hidden" name="user_id" value=(u.id);
                                button.link type="submit" { "Arrêter maintenant" }
                            }
                        }
                    }
                }
            }
            @if !teachers.is_empty() {
                form.inline method="post" action=(format!("/admin/classes/{id}/remplacement")) {
                    (csrf_input(&member.visitor))
                    (select(&FormState::new(), "user_id", "Enseignant", &teachers, true))
                    div.field {
                        label for="f-jusqu" { "Jusqu'au (inclus)" }
                        input #f-jusqu type="date" name="jusqu_au" required;
                    }
                    button type="submit" { "Confier la classe" }
                }
            }
        }
        section.panel {
            h2 { "Modifier la classe" }
            (error_summary(&form))
            form method="post" action=(format!("/admin/classes/{id}")) novalidate {
                (csrf_input(&member.visitor))
                (Field::text("label", "Nom de la classe").required().render(&form))
                (checkboxes(&form, "levels", "Niveaux", &level_options(), &checked))
                button.primary type="submit" { "Enregistrer" }
            }
        }
        section.panel.danger {
            h2 { "Supprimer la classe" }
            p { "Possible seulement quand la classe n'a plus de membres." }
            form method="post" action=(format!("/admin/classes/{id}/supprimer")) {
                (csrf_input(&member.visitor))
                button.danger type="submit" data-confirm="Supprimer définitivement cette classe ?" { "Supprimer la classe « " (class.label) " »" }
            }
        }
    };
    console_page(app, member, &class.label, "/admin/classes", body)
}

#[handler]
fn class_detail(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    require(member.actor(), Action::ManageClasses)?;
    class_detail_view(app, &member, id, &FormState::new(), None)
}

#[handler]
async fn class_update(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let mut class = super::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    match crate::setup::parse_class_form(&f) {
        Ok((label, levels)) => {
            class.label = label;
            class.levels = levels;
            app.store.commit(|tx| super::save_class(tx, &class)).await?;
            audit(
                app,
                &member,
                format!("Modification de la classe « {} »", class.label),
            )
            .await?;
            auth::push_flash(
                &app.store,
                &member.me.session_key,
                Flash::success("Classe enregistrée."),
            )
            .await?;
            Ok(Redirect::see_other(format!("/admin/classes/{id}")).into_response())
        }
        Err((form, checked)) => Ok((
            poem::http::StatusCode::BAD_REQUEST,
            class_detail_view(app, &member, id, &form, Some(&checked))?,
        )
            .into_response()),
    }
}

#[handler]
async fn member_add(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let user_id: u64 = first_value(&f, "user_id")
        .parse()
        .map_err(|_| AppError::BadRequest("Choisissez une personne.".into()))?;
    let user = super::user(&app.store, user_id)?.ok_or(AppError::NotFound)?;
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
    let class = super::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    app.store
        .commit_checked(|tx| super::add_member(tx, id, user_id, role))
        .await?;
    audit(
        app,
        &member,
        format!(
            "{} ajouté(e) à la classe « {} »",
            user.display_name(),
            class.label
        ),
    )
    .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success(format!("{} ajouté(e) à la classe.", user.display_name())),
    )
    .await?;
    Ok(Redirect::see_other(format!("/admin/classes/{id}")).into_response())
}

#[handler]
async fn member_remove(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let user_id: u64 = first_value(&f, "user_id")
        .parse()
        .map_err(|_| AppError::BadRequest("Personne inconnue.".into()))?;
    let user = super::user(&app.store, user_id)?.ok_or(AppError::NotFound)?;
    let class = super::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    app.store
        .commit(|tx| super::remove_member(tx, id, user_id))
        .await?;
    audit(
        app,
        &member,
        format!(
            "{} retiré(e) de la classe « {} »",
            user.display_name(),
            class.label
        ),
    )
    .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success(format!("{} retiré(e) de la classe.", user.display_name())),
    )
    .await?;
    Ok(Redirect::see_other(format!("/admin/classes/{id}")).into_response())
}

#[handler]
async fn class_delete(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let class = super::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    let n = super::members(&app.store, id)?.len();
    match app
        .store
        .commit_checked(|tx| super::delete_class(tx, id, n))
        .await
    {
        Ok(()) => {
            audit(
                app,
                &member,
                format!("Suppression de la classe « {} »", class.label),
            )
            .await?;
            auth::push_flash(
                &app.store,
                &member.me.session_key,
                Flash::success(format!("Classe « {} » supprimée.", class.label)),
            )
            .await?;
            Ok(Redirect::see_other("/admin/classes").into_response())
        }
        Err(Failure::Refused(m)) => {
            auth::push_flash(&app.store, &member.me.session_key, Flash::error(m)).await?;
            Ok(Redirect::see_other(format!("/admin/classes/{id}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// End of the day `date` (yyyy-mm-dd) in the school's time zone, in microseconds.
fn end_of_day(date: &str) -> Option<i64> {
    let d: jiff::civil::Date = date.parse().ok()?;
    let next = d.tomorrow().ok()?;
    let tz = jiff::tz::TimeZone::get(crate::ui::dates::SCHOOL_TZ).ok()?;
    Some(
        next.to_zoned_datetime(tz)
            .ok()?
            .timestamp()
            .as_microsecond(),
    )
}

#[handler]
async fn delegation_add(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let class = super::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    let uid: u64 = first_value(&f, "user_id")
        .parse()
        .map_err(|_| AppError::BadRequest("Choisissez un enseignant.".into()))?;
    let user = super::user(&app.store, uid)?
        .filter(|u| u.profile == Profile::Enseignant)
        .ok_or(AppError::NotFound)?;
    let now = auth::now_micros();
    let until = match end_of_day(&first_value(&f, "jusqu_au")) {
        Some(t) if t > now => t,
        _ => {
            auth::push_flash(
                &app.store,
                &member.me.session_key,
                Flash::error("Indiquez une date de fin à venir."),
            )
            .await?;
            return Ok(Redirect::see_other(format!("/admin/classes/{id}")).into_response());
        }
    };
    let d = super::Delegation {
        until,
        granted_by: member.user().id,
        granted_at: now,
    };
    app.store
        .commit_checked(|tx| super::delegate_class(tx, id, uid, &d))
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
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success(format!("Classe confiée à {}.", user.display_name())),
    )
    .await?;
    Ok(Redirect::see_other(format!("/admin/classes/{id}")).into_response())
}

#[handler]
async fn delegation_end(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let uid: u64 = first_value(&f, "user_id")
        .parse()
        .map_err(|_| AppError::BadRequest("Personne inconnue.".into()))?;
    let class = super::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    app.store
        .commit(|tx| super::end_delegation(tx, id, uid))
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
    Ok(Redirect::see_other(format!("/admin/classes/{id}")).into_response())
}

#[derive(Deserialize, Default)]
struct ListQuery {
    profil: Option<String>,
    q: Option<String>,
    classe: Option<String>,
    etat: Option<String>,
}

/// The state of an account, for filters and badges.
fn state_of(app: &App, u: &User) -> AppResult<&'static str> {
    if let Some(p) = super::pupil(&app.store, u.id)? {
        if p.leaving.is_some() {
            return Ok("partant");
        }
        if u.password_hash.is_none() && p.picture_hash.is_some() && !u.disabled {
            return Ok("actif");
        }
    }
    Ok(if u.leaving.is_some() {
        "partant"
    } else if u.disabled {
        "désactivé"
    } else if u.password_hash.is_none() {
        "à activer"
    } else {
        "actif"
    })
}

#[handler]
fn account_list(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ListQuery>,
) -> AppResult<Markup> {
    require(member.actor(), Action::ManageAccounts)?;
    let profile = q.profil.as_deref().and_then(Profile::from_slug);
    let class_id: Option<u64> = q.classe.as_deref().and_then(|c| c.parse().ok());
    let text = super::fold(q.q.as_deref().unwrap_or(""));
    let wanted_state = q.etat.clone().unwrap_or_default();
    let classes = super::classes(&app.store)?;
    let in_class: Option<Vec<u64>> = match class_id {
        Some(c) => {
            let mut ids: Vec<u64> = super::members(&app.store, c)?
                .into_iter()
                .map(|(u, _)| u.id)
                .collect();
            // Guardians belong to the class of their children.
            for child in ids.clone() {
                ids.extend(super::parents_of(&app.store, child)?);
            }
            Some(ids)
        }
        None => None,
    };
    let mut users = Vec::new();
    for u in super::users(&app.store, profile)? {
        if !text.is_empty() {
            let hay = super::fold(&format!(
                "{} {} {} {}",
                u.first_name,
                u.last_name,
                u.usage_name.clone().unwrap_or_default(),
                u.login
            ));
            if !text.split('-').all(|w| hay.contains(w)) {
                continue;
            }
        }
        if let Some(ids) = &in_class {
            if !ids.contains(&u.id) {
                continue;
            }
        }
        let state = state_of(app, &u)?;
        if !wanted_state.is_empty() && wanted_state != state {
            continue;
        }
        users.push((u, state));
    }
    let body = html! {
        (crate::ui::heading("Comptes", None))
        section.panel {
            form.inline method="get" action="/admin/comptes" role="search" {
                div.field { label for="q" { "Nom ou identifiant" } input #q type="search" name="q" value=(q.q.clone().unwrap_or_default()); }
                div.field {
                    label for="profil" { "Profil" }
                    select #profil name="profil" {
                        option value="" { "Tous" }
                        @for p in Profile::ALL { option value=(p.slug()) selected[Some(p) == profile] { (p.label()) } }
                    }
                }
                div.field {
                    label for="classe" { "Classe" }
                    select #classe name="classe" {
                        option value="" { "Toutes" }
                        @for c in &classes { option value=(c.id) selected[Some(c.id) == class_id] { (c.label) } }
                    }
                }
                div.field {
                    label for="etat" { "État" }
                    select #etat name="etat" {
                        option value="" { "Tous" }
                        @for s in ["actif", "à activer", "désactivé", "partant"] { option value=(s) selected[wanted_state == s] { (s) } }
                    }
                }
                button type="submit" { "Filtrer" }
            }
            p { a.button.primary href="/admin/comptes/nouveau" { "Créer un compte" } " " a.button href="/admin/import" { "Importer depuis ONDE" } " " a.button href="/admin/lettres" { "Lettres d'activation" } }
            @if users.is_empty() { p.empty { "Aucun compte." } } @else {
                table.list {
                    caption { (users.len()) " compte" @if users.len() > 1 { "s" } }
                    thead { tr { th scope="col" { "Nom" } th scope="col" { "Identifiant" } th scope="col" { "Profil" } th scope="col" { "État" } } }
                    tbody {
                        @for (u, state) in &users {
                            tr {
                                td { a href=(format!("/admin/comptes/{}", u.id)) { (u.shown_last_name()) " " (u.first_name) } }
                                td { code { (u.login) } }
                                td { (u.role_label()) }
                                td { @match *state { "actif" => { "actif" }, "désactivé" | "partant" => { span.badge.off { (state) } }, s => { span.badge { (s) } } } }
                            }
                        }
                    }
                }
            }
        }
    };
    console_page(app, &member, "Comptes", "/admin/comptes", body)
}

fn new_account_view(app: &App, member: &Member, form: &FormState) -> AppResult<Markup> {
    let profiles: Vec<(String, String)> =
        std::iter::once((String::new(), "— Choisir —".to_string()))
            .chain(
                Profile::ALL
                    .iter()
                    .map(|p| (p.slug().to_string(), p.label().to_string())),
            )
            .collect();
    let classes: Vec<(String, String)> = std::iter::once((String::new(), "Aucune".to_string()))
        .chain(
            super::classes(&app.store)?
                .into_iter()
                .map(|c| (c.id.to_string(), c.label)),
        )
        .collect();
    let body = html! {
        (crate::ui::heading("Créer un compte", None))
        section.panel {
            (error_summary(form))
            form method="post" action="/admin/comptes/nouveau" novalidate {
                (csrf_input(&member.visitor))
                div.row {
                    (Field::text("first_name", "Prénom").required().render(form))
                    (Field::text("last_name", "Nom").required().render(form))
                }
                (select(form, "profile", "Profil", &profiles, true))
                (select(form, "class_id", "Classe (élèves, enseignants, ATSEM)", &classes, false))
                (Field::text("login", "Identifiant").hint("Laissez vide pour « prénom.nom ».").render(form))
                (Field::text("email", "Adresse électronique (facultative)").kind("email").render(form))
                button.primary type="submit" { "Créer le compte" }
            }
        }
    };
    console_page(app, member, "Créer un compte", "/admin/comptes", body)
}

#[handler]
fn account_new_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageAccounts)?;
    new_account_view(app, &member, &FormState::new())
}

fn credentials_view(
    app: &App,
    member: &Member,
    user: &User,
    password: &str,
    title: &str,
) -> AppResult<Markup> {
    let body = html! {
        (crate::ui::heading(title, None))
        section.panel {
            p { "Remettez ces informations à " strong { (user.display_name()) } ". Le mot de passe provisoire ne sera plus affiché ; il devra être changé à la première connexion." }
            dl.summary.credentials {
                dt { "Adresse" } dd { (app.settings.public_url()) }
                dt { "Identifiant" } dd { code { (user.login) } }
                dt { "Mot de passe provisoire" } dd { code { (password) } }
            }
            p { a.button href=(format!("/admin/comptes/{}", user.id)) { "Voir le compte" } " " a.button href="/admin/comptes/nouveau" { "Créer un autre compte" } }
        }
    };
    console_page(app, member, title, "/admin/comptes", body)
}

#[handler]
async fn account_create(
    Data(app): Data<&App>,
    member: Member,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageAccounts)?;
    let mut form = FormState::with_values(
        [
            "first_name",
            "last_name",
            "profile",
            "class_id",
            "login",
            "email",
        ]
        .map(|k| (k, first_value(&f, k).trim().to_string())),
    );
    let first_name = form.required("first_name", "le prénom");
    let last_name = form.required("last_name", "le nom");
    let profile = Profile::from_slug(form.value("profile"));
    if profile.is_none() {
        form.error("profile", "Choisissez un profil.");
    }
    let class_id: Option<u64> = form.value("class_id").parse().ok();
    if let (Some(c), Some(p)) = (class_id, profile) {
        if super::class(&app.store, c)?.is_none() {
            form.error("class_id", "Cette classe n'existe pas.");
        } else if !matches!(p, Profile::Eleve | Profile::Enseignant | Profile::Atsem) {
            form.error(
                "class_id",
                "Seuls les élèves, les enseignants et les ATSEM sont rattachés à une classe.",
            );
        }
    }
    let login = if form.value("login").is_empty() {
        if form.is_ok() {
            super::suggest_login(&app.store, &first_name, &last_name)?
        } else {
            String::new()
        }
    } else {
        match super::normalize_login(form.value("login")) {
            Ok(l) => l,
            Err(m) => {
                form.error("login", m);
                String::new()
            }
        }
    };
    let email = form.value("email").to_string();
    if !email.is_empty() && !email.contains('@') {
        form.error("email", "Cette adresse électronique n'est pas valide.");
    }
    let Some(profile) = profile.filter(|_| form.is_ok()) else {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            new_account_view(app, &member, &form)?,
        )
            .into_response());
    };
    let password = auth::password::generate_readable(10);
    let hash = auth::password::hash(password.clone(), app.settings.bcrypt_cost).await?;
    let new = NewUser {
        login,
        first_name,
        last_name,
        profile,
        functions: Vec::new(),
        email: (!email.is_empty()).then_some(email),
        password_hash: Some(hash),
        must_change_password: true,
        created_at: auth::now_micros(),
    };
    let role = match profile {
        Profile::Eleve => Membership::Pupil,
        Profile::Atsem => Membership::Assistant,
        _ => Membership::Teacher,
    };
    let created = app
        .store
        .commit_checked(|tx| {
            let id = super::create_user(tx, &new)?;
            if let Some(c) = class_id {
                super::add_member(tx, c, id, role)?;
            }
            Ok(id)
        })
        .await;
    match created {
        Ok(id) => {
            audit(
                app,
                &member,
                format!("Création du compte {} ({})", new.login, profile.label()),
            )
            .await?;
            let user = super::user(&app.store, id)?.ok_or(AppError::NotFound)?;
            Ok(credentials_view(app, &member, &user, &password, "Compte créé")?.into_response())
        }
        Err(Failure::Refused(m)) => {
            form.error("login", m);
            Ok((
                poem::http::StatusCode::CONFLICT,
                new_account_view(app, &member, &form)?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[handler]
fn account_detail(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    require(member.actor(), Action::ManageAccounts)?;
    let user = super::user(&app.store, id)?.ok_or(AppError::NotFound)?;
    let class_names: Vec<String> = super::classes_of(&app.store, id)?
        .into_iter()
        .filter_map(|c| super::class(&app.store, c).ok().flatten().map(|c| c.label))
        .collect();
    // Accounts of the same profile with the same first name or name: likely duplicates
    // first, then the others.
    let mut duplicates: Vec<(String, String)> = Vec::new();
    if !user.is_director() {
        let mut same: Vec<User> = super::users(&app.store, Some(user.profile))?
            .into_iter()
            .filter(|u| u.id != user.id)
            .collect();
        same.sort_by_key(|u| {
            (
                super::fold(&u.last_name) != super::fold(&user.last_name),
                super::fold(&u.first_name) != super::fold(&user.first_name),
            )
        });
        duplicates = same
            .into_iter()
            .map(|u| {
                (
                    u.id.to_string(),
                    format!("{} {} ({})", u.shown_last_name(), u.first_name, u.login),
                )
            })
            .collect();
    }
    let may_administer = crate::policy::may(
        member.actor(),
        Action::AdministerAccount {
            target_user: user.id,
            target_is_director: user.is_director(),
        },
    );
    let body = html! {
        (crate::ui::heading(&user.display_name(), Some(user.role_label())))
        section.panel {
            dl.summary {
                dt { "Identifiant" } dd { code { (user.login) } }
                dt { "Profil" } dd { (user.profile.label()) " (" (user.profile.national_code()) ")" }
                dt { "Classes" } dd { @if class_names.is_empty() { "aucune" } @else { (class_names.join(", ")) } }
                @if let Some(e) = &user.email { dt { "Courriel" } dd { (e) } }
                dt { "Créé le" } dd { (dates::long_date(user.created_at)) }
                dt { "État" } dd { @if user.disabled { "désactivé" } @else { "actif" } }
            }
        }
        @if may_administer {
            section.panel {
                h2 { "Modifier" }
                form method="post" action=(format!("/admin/comptes/{id}/modifier")) novalidate {
                    (csrf_input(&member.visitor))
                    @let form = FormState::with_values([
                        ("first_name", user.first_name.clone()),
                        ("last_name", user.last_name.clone()),
                        ("usage_name", user.usage_name.clone().unwrap_or_default()),
                        ("email", user.email.clone().unwrap_or_default()),
                        ("phone", user.phone.clone().unwrap_or_default()),
                    ]);
                    div.row {
                        (Field::text("first_name", "Prénom").required().render(&form))
                        (Field::text("last_name", "Nom de famille").required().render(&form))
                    }
                    (Field::text("usage_name", "Nom d'usage (facultatif)").render(&form))
                    div.row {
                        (Field::text("email", "Courriel").kind("email").render(&form))
                        (Field::text("phone", "Téléphone").kind("tel").render(&form))
                    }
                    button type="submit" { "Enregistrer" }
                }
            }
            section.panel {
                h2 { "Actions" }
                @if user.profile != Profile::Eleve {
                    form method="post" action=(format!("/admin/comptes/{id}/depart")) {
                        (csrf_input(&member.visitor))
                        @if let Some(l) = &user.leaving {
                            p { "Départ enregistré : compte supprimé le " (dates::long_date(l.delete_after)) "." }
                            button type="submit" { "Annuler le départ" }
                        } @else {
                            button.danger type="submit" data-confirm="Le compte sera désactivé tout de suite et supprimé dans 3 mois. Continuer ?" { "Quitte l'école (mutation, départ) : supprimer le compte dans 3 mois" }
                        }
                    }
                }
                @if !duplicates.is_empty() {
                    form.inline method="post" action=(format!("/admin/comptes/{id}/fusionner")) {
                        (csrf_input(&member.visitor))
                        (select(&FormState::new(), "keep", "Ce compte est un doublon de", &duplicates, true))
                        button type="submit" data-confirm="Ce compte sera supprimé ; ses classes, liens et groupes passeront au compte choisi. Continuer ?" { "Fusionner" }
                    }
                }
                @if user.profile != Profile::Eleve {
                    form method="post" action=(format!("/admin/comptes/{id}/lettre")) {
                        (csrf_input(&member.visitor))
                        button type="submit" data-confirm="Le mot de passe actuel ne fonctionnera plus : la personne activera de nouveau son compte avec la lettre. Continuer ?" { "Mot de passe perdu : imprimer une nouvelle lettre d'activation" }
                    }
                }
                form method="post" action=(format!("/admin/comptes/{id}/mot-de-passe")) {
                    (csrf_input(&member.visitor))
                    button type="submit" { "Donner un nouveau mot de passe provisoire" }
                }
                form method="post" action=(format!("/admin/comptes/{id}/desactiver")) {
                    (csrf_input(&member.visitor))
                    @if user.disabled { button type="submit" { "Réactiver le compte" } }
                    @else { button.danger type="submit" data-confirm="Désactiver ce compte ? La personne ne pourra plus se connecter." { "Désactiver le compte" } }
                }
            }
        }
    };
    console_page(app, &member, &user.display_name(), "/admin/comptes", body)
}

fn target(app: &App, member: &Member, id: u64) -> AppResult<User> {
    let user = super::user(&app.store, id)?.ok_or(AppError::NotFound)?;
    require(
        member.actor(),
        Action::AdministerAccount {
            target_user: user.id,
            target_is_director: user.is_director(),
        },
    )?;
    Ok(user)
}

#[handler]
async fn account_reset_password(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let user = target(app, &member, id)?;
    let password = auth::password::generate_readable(10);
    let hash = auth::password::hash(password.clone(), app.settings.bcrypt_cost).await?;
    app.store
        .commit_checked(|tx| {
            let mut u = super::user_in(tx, id)?
                .ok_or_else(|| Failure::refused("Ce compte n'existe plus."))?;
            u.password_hash = Some(hash.clone());
            u.must_change_password = true;
            super::save_user(tx, &u)
        })
        .await?;
    auth::close_all_sessions(&app.store, id, None).await?;
    audit(
        app,
        &member,
        format!("Nouveau mot de passe provisoire pour {}", user.login),
    )
    .await?;
    Ok(credentials_view(app, &member, &user, &password, "Nouveau mot de passe")?.into_response())
}

#[handler]
async fn account_edit(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let user = target(app, &member, id)?;
    let first = first_value(&f, "first_name").trim().to_string();
    let last = first_value(&f, "last_name").trim().to_string();
    let email = first_value(&f, "email").trim().to_string();
    if first.is_empty() || last.is_empty() || (!email.is_empty() && !email.contains('@')) {
        let msg = if email.is_empty() || email.contains('@') {
            "Le prénom et le nom sont obligatoires."
        } else {
            "Cette adresse électronique n'est pas valide."
        };
        auth::push_flash(&app.store, &member.me.session_key, Flash::error(msg)).await?;
        return Ok(Redirect::see_other(format!("/admin/comptes/{id}")).into_response());
    }
    let usage = Some(first_value(&f, "usage_name").trim().to_string()).filter(|s| !s.is_empty());
    let phone = Some(first_value(&f, "phone").trim().to_string()).filter(|s| !s.is_empty());
    app.store
        .commit_checked(|tx| {
            let mut u = super::user_in(tx, id)?
                .ok_or_else(|| Failure::refused("Ce compte n'existe plus."))?;
            let pupil = tx.get(&super::PUPILS, &id)?;
            u.first_name = first.clone();
            u.last_name = last.clone();
            u.usage_name = usage.clone();
            u.email = (!email.is_empty()).then(|| email.clone());
            u.phone = phone.clone();
            // The identity index follows the name.
            if let Some(p) = pupil {
                super::save_pupil(tx, &u, &p)?;
            }
            super::save_user(tx, &u)
        })
        .await?;
    audit(
        app,
        &member,
        format!("Modification du compte {}", user.login),
    )
    .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Compte enregistré."),
    )
    .await?;
    Ok(Redirect::see_other(format!("/admin/comptes/{id}")).into_response())
}

#[handler]
async fn account_new_letter(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let user = target(app, &member, id)?;
    if user.profile == Profile::Eleve {
        return Err(AppError::BadRequest(
            "Les élèves reçoivent une carte de connexion, depuis la page de leur classe.".into(),
        ));
    }
    app.store
        .commit_checked(|tx| {
            if let Some(mut u) = super::user_in(tx, id)? {
                u.password_hash = None;
                u.must_change_password = false;
                super::save_user(tx, &u)?;
            }
            Ok(())
        })
        .await?;
    auth::close_all_sessions(&app.store, id, None).await?;
    let user = super::user(&app.store, id)?.ok_or(AppError::NotFound)?;
    crate::activation::print_letters(app, &member, vec![user], false).await
}

#[handler]
async fn account_merge(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let dup = target(app, &member, id)?;
    let keep: u64 = first_value(&f, "keep")
        .parse()
        .map_err(|_| AppError::BadRequest("Choisissez le compte à garder.".into()))?;
    let kept = target(app, &member, keep)?;
    let store = app.store.clone();
    let merged = tokio::task::spawn_blocking(move || super::merge_accounts(&store, id, keep))
        .await
        .map_err(anyhow::Error::from)?;
    match merged {
        Ok(()) => {
            auth::close_all_sessions(&app.store, id, None).await?;
            audit(
                app,
                &member,
                format!("Fusion du compte {} dans {}", dup.login, kept.login),
            )
            .await?;
            auth::push_flash(
                &app.store,
                &member.me.session_key,
                Flash::success(format!(
                    "Le doublon {} a été fusionné dans ce compte.",
                    dup.login
                )),
            )
            .await?;
            Ok(Redirect::see_other(format!("/admin/comptes/{keep}")).into_response())
        }
        Err(Failure::Refused(m)) => {
            auth::push_flash(&app.store, &member.me.session_key, Flash::error(m)).await?;
            Ok(Redirect::see_other(format!("/admin/comptes/{id}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[handler]
async fn account_leaving(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let user = target(app, &member, id)?;
    if user.profile == Profile::Eleve {
        return Err(AppError::BadRequest(
            "Le départ d'un élève vient de l'import ONDE de toute l'école.".into(),
        ));
    }
    let now = auth::now_micros();
    let leaving = user.leaving.is_none();
    app.store
        .commit_checked(|tx| {
            if let Some(mut u) = super::user_in(tx, id)? {
                if leaving {
                    u.leaving = Some(super::Leaving {
                        since: now,
                        delete_after: now + super::import::LEAVER_RETENTION_MICROS,
                    });
                    u.disabled = true;
                } else {
                    u.leaving = None;
                    u.disabled = false;
                }
                super::save_user(tx, &u)?;
            }
            Ok(())
        })
        .await?;
    if leaving {
        auth::close_all_sessions(&app.store, id, None).await?;
    }
    let what = if leaving {
        "départ enregistré"
    } else {
        "départ annulé"
    };
    audit(app, &member, format!("Compte {} : {what}", user.login)).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success(format!("{} : {what}.", user.display_name())),
    )
    .await?;
    Ok(Redirect::see_other(format!("/admin/comptes/{id}")).into_response())
}

#[handler]
async fn account_toggle_disabled(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let user = target(app, &member, id)?;
    let now_disabled = !user.disabled;
    app.store
        .commit_checked(|tx| {
            let mut u = super::user_in(tx, id)?
                .ok_or_else(|| Failure::refused("Ce compte n'existe plus."))?;
            u.disabled = now_disabled;
            super::save_user(tx, &u)
        })
        .await?;
    if now_disabled {
        auth::close_all_sessions(&app.store, id, None).await?;
    }
    let what = if now_disabled {
        "désactivé"
    } else {
        "réactivé"
    };
    audit(app, &member, format!("Compte {} {what}", user.login)).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success(format!("Compte de {} {what}.", user.display_name())),
    )
    .await?;
    Ok(Redirect::see_other(format!("/admin/comptes/{id}")).into_response())
}
