//! `/reservations`: the resources, a resource's week and its booking form, the director's
//! page of resources and decisions, cancellations.

use maud::Markup;
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::super::access;
use super::super::forms::{DecisionForm, ResourceForm, WishForm};
use super::super::resources::{self, Booking, Resource};
use super::super::views::resources::{self as view, Line, Owner, Week};
use super::super::{add_days, clock};
use super::{flash, invalid, refused, today};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::commune::Presence;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{may, Action, SlotAction};
use crate::refusal::Failure;
use crate::ui::csrf_input;
use crate::ui::dates;
use crate::ui::form::FormState;
use crate::ui::input::FormInput;

const SECTION: &str = "/rendez-vous";

pub(super) fn page(app: &App, member: &Member, title: &str, body: Markup) -> AppResult<Markup> {
    app.page(&member.visitor, title, SECTION, body)
}

fn line(people: &People, member: &Member, names: &[Resource], b: Booking) -> Line {
    let author = people
        .user(b.by)
        .map(|u| u.display_name())
        .unwrap_or_else(|| "ancien compte".into());
    let cancellable = may(
        member.actor(),
        Action::Slots(SlotAction::CancelResourceBooking {
            author: b.by == member.actor().user_id,
        }),
    );
    Line {
        resource: names
            .iter()
            .find(|r| r.id == b.resource)
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        author,
        cancellable,
        booking: b,
    }
}

#[handler]
pub(super) fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let actor = member.actor();
    access::book_resources(actor)?;
    let people = People::load(&app.store)?;
    let all = resources::resources(&app.store)?;
    let mine: Vec<Line> = resources::of_author(&app.store, actor.user_id, today())?
        .into_iter()
        .map(|b| line(&people, &member, &all, b))
        .collect();
    let director = access::run_resources(actor).is_ok();
    let presence = Presence::of(&app.store)?;
    let commune = access::run_commune(presence, actor).is_ok();
    // The requests this person answers: the school's for the director, the commune's
    // for the commune.
    let requests: Vec<Line> = resources::pending(&app.store)?
        .into_iter()
        .filter(|b| {
            all.iter()
                .find(|r| r.id == b.resource)
                .is_some_and(|r| access::decides(presence, actor, r))
        })
        .map(|b| line(&people, &member, &all, b))
        .collect();
    let offered: Vec<Resource> = all
        .iter()
        .filter(|r| access::sees(presence, actor, r))
        .cloned()
        .collect();
    let body = view::home(
        &csrf_input(&member.visitor),
        &offered,
        &mine,
        &requests,
        director,
        commune,
    );
    page(app, &member, "Réservations", body)
}

#[derive(Deserialize)]
pub(super) struct WeekQuery {
    semaine: Option<String>,
}

fn monday_of(d: jiff::civil::Date) -> jiff::civil::Date {
    add_days(d, -i64::from(d.weekday().to_monday_zero_offset()))
}

pub(super) fn resource_or_404(app: &App, id: u64) -> AppResult<Resource> {
    resources::resource(&app.store, id)?.ok_or(AppError::NotFound)
}

fn week_page(
    app: &App,
    member: &Member,
    r: &Resource,
    monday: jiff::civil::Date,
    form: &FormState,
    refusal: Option<&str>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let all = [r.clone()];
    let plan = resources::plan(&app.store, r.id, monday, 7)?;
    let days = (0..7)
        .map(|i| add_days(monday, i))
        .filter(|d| {
            i64::from(d.weekday().to_monday_zero_offset()) < 5 || plan.iter().any(|(p, _)| p == d)
        })
        .map(|d| {
            let lines = plan
                .iter()
                .find(|(p, _)| *p == d)
                .map(|(_, list)| list.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|b| line(&people, member, &all, b))
                .collect();
            (d, lines)
        })
        .collect();
    let w = Week {
        resource: r,
        monday,
        days,
    };
    let body = view::week(&csrf_input(&member.visitor), &w, form, refusal);
    page(app, member, &r.name, body)
}

#[handler]
pub(super) fn week(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<WeekQuery>,
) -> AppResult<Markup> {
    access::book_resources(member.actor())?;
    let r = resource_or_404(app, id)?;
    access::book(Presence::of(&app.store)?, member.actor(), r.clone())?;
    let day = q
        .semaine
        .as_deref()
        .and_then(dates::parse_date)
        .unwrap_or_else(today);
    let form = FormState::with_values([("jour", day.max(today()).to_string())]);
    week_page(app, &member, &r, monday_of(day), &form, None)
}

#[handler]
pub(super) async fn book(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<WishForm>,
) -> AppResult<Response> {
    access::book_resources(member.actor())?;
    let r = resource_or_404(app, id)?;
    let people = People::load(&app.store)?;
    let granted = access::book(Presence::of(&app.store)?, member.actor(), r.clone())?;
    let wish = match f.check(today(), &r.availability) {
        Ok(w) => w,
        Err(form) => {
            let monday = monday_of(dates::parse_date(&f.jour).unwrap_or_else(today));
            return Ok(invalid(week_page(app, &member, &r, monday, &form, None)?));
        }
    };
    match resources::book(&app.store, &granted, &wish, &people, auth::now_micros()).await {
        Ok(done) => {
            let mut text = if done.days.len() > 1 {
                format!(
                    "« {} » réservé {} fois, chaque {} de {} à {}",
                    r.name,
                    done.days.len(),
                    dates::weekday_fr(wish.day.weekday()),
                    clock(wish.from),
                    clock(wish.to)
                )
            } else {
                format!(
                    "« {} » réservé le {} de {} à {}",
                    r.name,
                    dates::day_label(wish.day),
                    clock(wish.from),
                    clock(wish.to)
                )
            };
            if !done.skipped.is_empty() {
                let skipped: Vec<String> = done
                    .skipped
                    .iter()
                    .map(|(d, why)| format!("{} ({why})", dates::day_label(*d)))
                    .collect();
                text.push_str(&format!(
                    " ; sans classe, non réservé : {}",
                    skipped.join(", ")
                ));
            }
            text.push('.');
            if done.asked {
                text.push_str(if r.commune {
                    " La demande attend la validation de la commune."
                } else {
                    " La demande attend la validation de la direction."
                });
            }
            flash(app, &member, Flash::success(text)).await?;
            Ok(
                Redirect::see_other(format!("/reservations/ressource/{id}?semaine={}", wish.day))
                    .into_response(),
            )
        }
        Err(Failure::Refused(why)) => {
            let page = week_page(
                app,
                &member,
                &r,
                monday_of(wish.day),
                &f.state(),
                Some(why.message()),
            )?;
            Ok(refused(page))
        }
        Err(e) => Err(e.into()),
    }
}

#[handler]
pub(super) fn manage(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    access::run_resources(member.actor())?;
    let all = owned(app, Owner::School)?;
    let body = view::manage(
        &csrf_input(&member.visitor),
        Owner::School,
        &all,
        &FormState::new(),
    );
    page(app, &member, "Ressources à réserver", body)
}

#[handler]
pub(super) async fn create(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<ResourceForm>,
) -> AppResult<Response> {
    let granted = access::run_resources(member.actor())?;
    create_for(app, &member, &granted, Owner::School, &f).await
}

#[handler]
pub(super) async fn save(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<ResourceForm>,
) -> AppResult<Response> {
    let granted = access::run_resources(member.actor())?;
    save_for(app, &member, &granted, Owner::School, id, &f).await
}

/// The resources of one owner, for its management page.
pub(super) fn owned(app: &App, owner: Owner) -> AppResult<Vec<Resource>> {
    Ok(resources::resources(&app.store)?
        .into_iter()
        .filter(|r| r.commune == (owner == Owner::Commune))
        .collect())
}

/// Adds a resource of `owner`, or shows the form again with its errors.
pub(super) async fn create_for(
    app: &App,
    member: &Member,
    granted: &crate::policy::Granted,
    owner: Owner,
    f: &ResourceForm,
) -> AppResult<Response> {
    let commune = owner == Owner::Commune;
    let (title, back) = if commune {
        ("Ressources de la commune", "/reservations/commune")
    } else {
        ("Ressources à réserver", "/reservations/ressources")
    };
    match f.check() {
        Ok(new) => {
            resources::create(&app.store, granted, &new, commune, auth::now_micros()).await?;
            flash(
                app,
                member,
                Flash::success(format!("« {} » peut être réservé.", new.name)),
            )
            .await?;
            Ok(Redirect::see_other(back).into_response())
        }
        Err(form) => {
            let all = owned(app, owner)?;
            let body = view::manage(&csrf_input(&member.visitor), owner, &all, &form);
            Ok(invalid(page(app, member, title, body)?))
        }
    }
}

/// Saves a resource of `owner` (another owner's is not found here).
pub(super) async fn save_for(
    app: &App,
    member: &Member,
    granted: &crate::policy::Granted,
    owner: Owner,
    id: u64,
    f: &ResourceForm,
) -> AppResult<Response> {
    let r = resource_or_404(app, id)?;
    if r.commune != (owner == Owner::Commune) {
        return Err(AppError::NotFound);
    }
    let back = if r.commune {
        "/reservations/commune"
    } else {
        "/reservations/ressources"
    };
    let new = f.check().map_err(|form| {
        AppError::BadRequest(
            form.errors
                .into_values()
                .next()
                .unwrap_or_else(|| "Formulaire incomplet.".into()),
        )
    })?;
    resources::save(&app.store, granted, id, &new).await?;
    flash(
        app,
        member,
        Flash::success(format!("« {} » est enregistré.", new.name)),
    )
    .await?;
    Ok(Redirect::see_other(back).into_response())
}

fn booking_or_404(app: &App, id: u64) -> AppResult<Booking> {
    resources::booking(&app.store, id)?.ok_or(AppError::NotFound)
}

#[handler]
pub(super) async fn cancel(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<DecisionForm>,
) -> AppResult<Response> {
    let b = booking_or_404(app, id)?;
    let resource = b.resource;
    let granted = access::cancel(member.actor(), b)?;
    let n = super::super::decisions::cancel(
        &app.store,
        &granted,
        f.serie.is_some(),
        auth::now_micros(),
    )
    .await?;
    let text = if n > 1 {
        format!("{n} réservations annulées.")
    } else {
        "Réservation annulée.".to_string()
    };
    flash(app, &member, Flash::success(text)).await?;
    let back = if f.serie.is_some() || member.actor().director {
        "/reservations".to_string()
    } else {
        format!("/reservations/ressource/{resource}")
    };
    Ok(Redirect::see_other(back).into_response())
}

#[handler]
pub(super) async fn decide(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<DecisionForm>,
) -> AppResult<Response> {
    let b = booking_or_404(app, id)?;
    let people = People::load(&app.store)?;
    let resource = resource_or_404(app, b.resource)?;
    let granted = access::decide(Presence::of(&app.store)?, member.actor(), &resource, b)?;
    let accept = match f.decision.as_str() {
        "valider" => true,
        "refuser" => false,
        _ => {
            return Err(AppError::BadRequest(
                "Choisissez : valider ou refuser.".into(),
            ))
        }
    };
    let others =
        super::super::decisions::decide(&app.store, &granted, accept, &people, auth::now_micros())
            .await?;
    let text = match (accept, others) {
        (false, _) => "Demande refusée ; son auteur est prévenu.".to_string(),
        (true, 0) => "Demande validée ; son auteur est prévenu.".to_string(),
        (true, n) => format!("Demande validée ; {n} demande(s) sur le même créneau refusée(s), leurs auteurs sont prévenus."),
    };
    flash(app, &member, Flash::success(text)).await?;
    Ok(Redirect::see_other("/reservations").into_response())
}
