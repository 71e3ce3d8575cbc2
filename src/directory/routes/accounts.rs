//! /admin/comptes: the list of accounts, creation, and the administration of one account.
//! Every change to an existing account goes through [`access::administer`], whose proof
//! the directory's account functions take.

use maud::Markup;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};

use crate::app::App;
use crate::auth::journal::audit;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::forms::{IdentityInput, ListQuery, MergeInput, NewAccountInput};
use crate::directory::people::People;
use crate::directory::roster::{AccountState, Filter, Roster};
use crate::directory::views::accounts::{self as views, AccountPage, ListFilters};
use crate::directory::{self as dir, access, NewUser, User};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Granted, Profile};
use crate::refusal::Failure;
use crate::routing::{Access, Routes};
use crate::ui::form::FormState;
use crate::ui::input::FormInput;
use crate::ui::pager;
use crate::ui::search::Terms;

pub(super) fn account_console() -> Routes {
    use Access::Director;
    Routes::new()
        .get("/", account_list, Director)
        .get("/nouveau", account_new_form, Director)
        .post("/nouveau", account_create, Director)
        .get("/:id", account_detail, Director)
        .post("/:id/mot-de-passe", account_reset_password, Director)
        .post("/:id/desactiver", account_toggle_disabled, Director)
        .post("/:id/debloquer", account_unlock, Director)
        .post("/:id/modifier", account_edit, Director)
        .post("/:id/lettre", account_new_letter, Director)
        .post("/:id/fusionner", account_merge, Director)
        .post("/:id/depart", account_leaving, Director)
}

/// The list: filtered and sorted on the directory's snapshot, then only the page's rows
/// rendered (no store read per account, whatever the school's size).
#[handler]
fn account_list(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ListQuery>,
) -> AppResult<Markup> {
    require(member.actor(), Action::ManageAccounts)?;
    let text = q.q.as_deref().unwrap_or("").trim();
    let state = q.etat.as_deref().and_then(AccountState::from_label);
    let filter = Filter {
        terms: Terms::parse(text),
        profile: q.profil.as_deref().and_then(Profile::from_slug),
        class_id: q.classe.as_deref().and_then(|c| c.trim().parse().ok()),
        state,
    };
    let people = People::load(&app.store)?;
    let roster = Roster::of(&app.store)?;
    let (pager, found) = roster.find_page(
        &people,
        &filter,
        pager::asked(q.page.as_deref()),
        pager::PER_PAGE,
    );
    let rows: Vec<(&User, AccountState)> = found
        .iter()
        .filter_map(|e| people.user(e.id).map(|u| (u, e.state)))
        .collect();
    let filters = ListFilters {
        text,
        profile: filter.profile,
        class_id: filter.class_id,
        state,
    };
    let body = views::account_list(&filters, &people.classes, &rows, &pager);
    app.console_page(&member.visitor, "Comptes", "/admin/comptes", body)
}

fn new_account_page(app: &App, member: &Member, form: &FormState) -> AppResult<Markup> {
    let classes = dir::classes(&app.store)?;
    let body = views::new_account(&member.visitor, &classes, form);
    app.console_page(&member.visitor, "Créer un compte", "/admin/comptes", body)
}

fn credentials_page(
    app: &App,
    member: &Member,
    user: &User,
    password: &str,
    title: &str,
) -> AppResult<Markup> {
    let body = views::credentials(&app.settings.public_url(), user, password, title);
    app.console_page(&member.visitor, title, "/admin/comptes", body)
}

#[handler]
fn account_new_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageAccounts)?;
    new_account_page(app, &member, &FormState::new())
}

#[handler]
async fn account_create(
    Data(app): Data<&App>,
    member: Member,
    FormInput(input): FormInput<NewAccountInput>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageAccounts)?;
    let account = match input.validate(&app.store)? {
        Ok(account) => account,
        Err(form) => {
            return Ok((
                StatusCode::BAD_REQUEST,
                new_account_page(app, &member, &form)?,
            )
                .into_response())
        }
    };
    let password = auth::password::generate_readable(10);
    let hash = auth::password::hash(password.clone(), app.settings.bcrypt_cost).await?;
    let role = account.role();
    let new = NewUser {
        login: account.login,
        first_name: account.first_name,
        last_name: account.last_name,
        profile: account.profile,
        functions: Vec::new(),
        email: account.email,
        password_hash: Some(hash),
        must_change_password: true,
        created_at: auth::now_micros(),
    };
    let created = app
        .store
        .commit_checked(|tx| {
            let id = dir::create_user(tx, &new)?;
            if let Some(c) = account.class_id {
                dir::add_member(tx, c, id, role)?;
            }
            Ok(id)
        })
        .await;
    match created {
        Ok(id) => {
            audit(
                app,
                &member,
                format!("Création du compte {} ({})", new.login, new.profile.label()),
            )
            .await?;
            let user = dir::user(&app.store, id)?.ok_or(AppError::NotFound)?;
            Ok(credentials_page(app, &member, &user, &password, "Compte créé")?.into_response())
        }
        Err(Failure::Refused(m)) => {
            // The login was taken between the check and the transaction: the form again.
            let mut form = FormState::with_values([
                ("first_name", input.first_name.trim().to_string()),
                ("last_name", input.last_name.trim().to_string()),
                ("profile", input.profile.trim().to_string()),
                ("class_id", input.class_id.trim().to_string()),
                ("login", input.login.trim().to_string()),
                ("email", input.email.trim().to_string()),
            ]);
            form.error("login", m);
            Ok((StatusCode::CONFLICT, new_account_page(app, &member, &form)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[handler]
fn account_detail(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    require(member.actor(), Action::ManageAccounts)?;
    let user = dir::user(&app.store, id)?.ok_or(AppError::NotFound)?;
    let class_names: Vec<String> = dir::classes_of(&app.store, id)?
        .into_iter()
        .filter_map(|c| dir::class(&app.store, c).ok().flatten().map(|c| c.label))
        .collect();
    // Accounts of the same profile with the same first name or name: likely duplicates
    // first, then the others.
    let mut duplicates: Vec<(String, String)> = Vec::new();
    if !user.is_director() {
        let mut same: Vec<User> = dir::users(&app.store, Some(user.profile))?
            .into_iter()
            .filter(|u| u.id != user.id)
            .collect();
        same.sort_by_key(|u| {
            (
                dir::fold(&u.last_name) != dir::fold(&user.last_name),
                dir::fold(&u.first_name) != dir::fold(&user.first_name),
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
    let may_administer = access::administer(member.actor(), user.clone()).is_ok();
    let locked = app
        .logins
        .locked(&user.login, Some(user.id), std::time::Instant::now());
    let photo = if user.profile == crate::policy::Profile::Eleve {
        let declared = dir::pupil(&app.store, id)?.and_then(|r| r.photo_consent_declared);
        let people = crate::directory::people::People::load(&app.store)?;
        Some((
            declared,
            crate::blog::consent::authorised(&app.store, &people, id)?,
        ))
    } else {
        None
    };
    let title = user.display_name();
    let page = AccountPage {
        photo,
        user,
        class_names,
        duplicates,
        may_administer,
        locked,
    };
    let body = views::account_detail(&member.visitor, &page);
    app.console_page(&member.visitor, &title, "/admin/comptes", body)
}

/// The account `id`, with the policy's grant to administer it.
fn target(app: &App, member: &Member, id: u64) -> AppResult<Granted<User>> {
    let user = dir::user(&app.store, id)?.ok_or(AppError::NotFound)?;
    Ok(access::administer(member.actor(), user)?)
}

fn back_to(id: u64) -> Response {
    Redirect::see_other(format!("/admin/comptes/{id}")).into_response()
}

#[handler]
async fn account_reset_password(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let account = target(app, &member, id)?;
    let password = auth::password::generate_readable(10);
    let hash = auth::password::hash(password.clone(), app.settings.bcrypt_cost).await?;
    app.store
        .commit_checked(|tx| dir::set_temporary_password(tx, &account, &hash))
        .await?;
    auth::close_all_sessions(&app.store, id, None).await?;
    let user = account.object();
    audit(
        app,
        &member,
        format!("Nouveau mot de passe provisoire pour {}", user.login),
    )
    .await?;
    Ok(credentials_page(app, &member, user, &password, "Nouveau mot de passe")?.into_response())
}

#[handler]
async fn account_edit(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(input): FormInput<IdentityInput>,
) -> AppResult<Response> {
    let account = target(app, &member, id)?;
    let identity = match input.validate() {
        Ok(identity) => identity,
        Err(msg) => {
            auth::push_flash(&app.store, &member.me.session_key, Flash::error(msg)).await?;
            return Ok(back_to(id));
        }
    };
    app.store
        .commit_checked(|tx| dir::edit_identity(tx, &account, &identity))
        .await?;
    audit(
        app,
        &member,
        format!("Modification du compte {}", account.object().login),
    )
    .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Compte enregistré."),
    )
    .await?;
    Ok(back_to(id))
}

#[handler]
async fn account_new_letter(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let account = target(app, &member, id)?;
    if account.object().profile == Profile::Eleve {
        return Err(AppError::BadRequest(
            "Les élèves reçoivent une carte de connexion, depuis la page de leur classe.".into(),
        ));
    }
    app.store
        .commit_checked(|tx| dir::clear_password(tx, &account))
        .await?;
    auth::close_all_sessions(&app.store, id, None).await?;
    let user = dir::user(&app.store, id)?.ok_or(AppError::NotFound)?;
    crate::activation::print_letters(app, &member, vec![user], false).await
}

#[handler]
async fn account_merge(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(input): FormInput<MergeInput>,
) -> AppResult<Response> {
    let duplicate = target(app, &member, id)?;
    let keep = input.keep()?;
    let kept = target(app, &member, keep)?;
    let store = app.store.clone();
    let (dup, kept_login) = (
        duplicate.object().login.clone(),
        kept.object().login.clone(),
    );
    let merged =
        tokio::task::spawn_blocking(move || dir::merge_accounts(&store, &duplicate, &kept))
            .await
            .map_err(anyhow::Error::from)?;
    match merged {
        Ok(()) => {
            auth::close_all_sessions(&app.store, id, None).await?;
            audit(
                app,
                &member,
                format!("Fusion du compte {dup} dans {kept_login}"),
            )
            .await?;
            auth::push_flash(
                &app.store,
                &member.me.session_key,
                Flash::success(format!("Le doublon {dup} a été fusionné dans ce compte.")),
            )
            .await?;
            Ok(Redirect::see_other(format!("/admin/comptes/{keep}")).into_response())
        }
        Err(Failure::Refused(m)) => {
            auth::push_flash(&app.store, &member.me.session_key, Flash::error(m)).await?;
            Ok(back_to(id))
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
    let account = target(app, &member, id)?;
    let user = account.object();
    if user.profile == Profile::Eleve {
        return Err(AppError::BadRequest(
            "Le départ d'un élève vient de l'import ONDE de toute l'école.".into(),
        ));
    }
    let now = auth::now_micros();
    let leaving = user.leaving.is_none();
    app.store
        .commit_checked(|tx| dir::set_leaving(tx, &account, leaving, now))
        .await?;
    if leaving {
        auth::close_all_sessions(&app.store, id, None).await?;
    }
    let what = if leaving {
        "départ enregistré"
    } else {
        "départ annulé"
    };
    super::recorded(
        app,
        &member,
        format!("Compte {} : {what}", user.login),
        format!("{} : {what}.", user.display_name()),
    )
    .await?;
    Ok(back_to(id))
}

#[handler]
async fn account_toggle_disabled(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let account = target(app, &member, id)?;
    let user = account.object();
    let now_disabled = !user.disabled;
    app.store
        .commit_checked(|tx| dir::set_disabled(tx, &account, now_disabled))
        .await?;
    if now_disabled {
        auth::close_all_sessions(&app.store, id, None).await?;
    }
    let what = if now_disabled {
        "désactivé"
    } else {
        "réactivé"
    };
    super::recorded(
        app,
        &member,
        format!("Compte {} {what}", user.login),
        format!("Compte de {} {what}.", user.display_name()),
    )
    .await?;
    Ok(back_to(id))
}

/// Lifts the waits that guessed passwords put on an account (from every address).
#[handler]
async fn account_unlock(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let account = target(app, &member, id)?;
    let user = account.object();
    app.logins.lift(&user.login, Some(user.id));
    super::recorded(
        app,
        &member,
        format!("Blocage de connexion levé pour {}", user.login),
        format!("{} peut de nouveau se connecter.", user.display_name()),
    )
    .await?;
    Ok(back_to(id))
}
