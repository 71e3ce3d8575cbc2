//! The families' sign-ups: a guardian's children, a child's page, its changes.

use maud::Markup;
use poem::handler;
use poem::web::{Data, Path, Redirect};

use super::{flash, frame, today};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::canteen::forms::BookingFields;
use crate::canteen::services::{self, Context, Pattern, Summary};
use crate::canteen::views::bookings::{self as views, DayState, ServiceGrid};
use crate::canteen::{access, add_days, day_key, monday};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::refusal::Failure;
use crate::ui::input::FormInput;

/// How many weeks a child's page shows.
const WEEKS: i64 = 4;

#[handler]
pub(super) fn children(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let kids = member.actor().children.clone();
    if kids.is_empty() {
        return Err(AppError::Forbidden);
    }
    frame(
        app,
        &member,
        "Inscriptions",
        views::children_page(&people, &kids),
    )
}

fn closures(app: &App) -> AppResult<crate::canteen::services::SchoolClosures> {
    Ok(crate::canteen::services::SchoolClosures::of(&app.store)?)
}

/// The last day before the next summer holidays (the default end of a pattern).
fn year_end(zone: crate::school::Zone, today: jiff::civil::Date) -> jiff::civil::Date {
    crate::agenda::holidays::of_zone(zone)
        .into_iter()
        .filter(|(name, first, _)| *first > today && name.contains("été"))
        .map(|(_, first, _)| add_days(first, -1))
        .min()
        .unwrap_or(add_days(today, 90))
}

#[handler]
pub(super) fn child(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let granted = access::child(&people, member.actor(), id)?;
    let pupil = granted.object().pupil;
    let closures = closures(app)?;
    let now = auth::now_micros();
    let today = today();
    let first = monday(today);
    let last = add_days(first, 7 * WEEKS - 1);
    let booked = services::of_pupil(&app.store, pupil, first, last)?;
    let pending: Vec<_> = services::pending(&app.store)?
        .into_iter()
        .filter(|r| r.pupil == pupil)
        .collect();
    let mut grids = Vec::new();
    for s in services::services(&app.store)? {
        if !s.open_to(people.classes_of(pupil)) {
            continue;
        }
        let mut weeks = Vec::new();
        for w in 0..WEEKS {
            let monday = add_days(first, 7 * w);
            let days = (0..7)
                .map(|i| add_days(monday, i))
                .filter(|d| s.weekdays.contains(&crate::canteen::weekday_number(*d)))
                .filter(|d| *d >= today)
                .map(|d| DayState {
                    day: d,
                    booked_by: booked
                        .iter()
                        .find(|(k, sid, _)| *k == day_key(d) && *sid == s.id)
                        .map(|(_, _, by)| *by),
                    closed: s.closed_on(&closures, d),
                    late: now > s.deadline(d),
                    pending: pending
                        .iter()
                        .find(|r| r.service == s.id && r.day == day_key(d))
                        .map(|r| r.add),
                })
                .collect::<Vec<_>>();
            if !days.is_empty() {
                weeks.push((monday, days));
            }
        }
        grids.push(ServiceGrid { service: s, weeks });
    }
    let family = services::family(&app.store, pupil)?;
    let changes = services::changes(&app.store, pupil, 15)?;
    let body = views::child_page(
        &member.visitor,
        &people,
        pupil,
        &family,
        &grids,
        &changes,
        (today, year_end(closures.zone, today)),
    );
    frame(app, &member, "Inscriptions", body)
}

fn summary_text(s: &Summary) -> Flash {
    let mut parts = Vec::new();
    if s.done > 0 {
        parts.push(format!("{} jour(s) enregistré(s).", s.done));
    }
    if s.asked > 0 {
        parts.push(format!(
            "{} jour(s) après la date limite : la demande est envoyée à la commune, qui l'acceptera ou la refusera (vous serez prévenu).",
            s.asked
        ));
    }
    if s.skipped > 0 {
        parts.push(format!(
            "{} jour(s) sauté(s) : vacances, fermeture ou jour passé.",
            s.skipped
        ));
    }
    if parts.is_empty() {
        return Flash::info("Aucun changement.");
    }
    if s.asked > 0 {
        Flash::info(parts.join(" "))
    } else {
        Flash::success(parts.join(" "))
    }
}

#[handler]
pub(super) async fn save(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<BookingFields>,
) -> AppResult<Redirect> {
    let people = People::load(&app.store)?;
    let granted = access::child(&people, member.actor(), id)?;
    let back = Redirect::see_other(format!("/cantine/inscriptions/{id}"));
    let now = auth::now_micros();
    let login = member.user().login.clone();
    if f.action == "regime" {
        services::save_family(
            &app.store,
            &granted,
            f.diet(),
            f.pai == "oui",
            None,
            &login,
            now,
        )
        .await?;
        flash(app, &member, Flash::success("Régime enregistré.")).await?;
        return Ok(back);
    }
    let service = services::service(&app.store, f.service)?.ok_or(AppError::NotFound)?;
    let child_name = people
        .user(id)
        .map(|u| u.display_name())
        .unwrap_or_default();
    let managers = access::managers(&people);
    let cx = Context {
        closures: &closures(app)?,
        login: &login,
        child_name: &child_name,
        classes: people.classes_of(id),
        managers: &managers,
        now,
    };
    let (wanted, pattern) = if f.action == "regulier" {
        match f.period() {
            Ok((from, until)) => {
                let mut weekdays = f.semaine.clone();
                weekdays.retain(|d| service.weekdays.contains(d));
                if weekdays.is_empty() {
                    // Applying no day would take the child off every day of the period.
                    flash(app, &member, Flash::error("Cochez au moins un jour de la semaine pour une inscription régulière. Pour désinscrire, décochez les jours dans le calendrier ci-dessus.")).await?;
                    return Ok(back);
                }
                let pattern = Pattern {
                    service: service.id,
                    weekdays: weekdays.clone(),
                    from: day_key(from),
                    until: day_key(until),
                    by: member.user().id,
                    at: now,
                };
                (
                    services::pattern_days(&service, &weekdays, from, until),
                    Some(pattern),
                )
            }
            Err(e) => {
                flash(app, &member, Flash::error(e)).await?;
                return Ok(back);
            }
        }
    } else {
        (f.chosen_days(), None)
    };
    match services::change(&app.store, &granted, &service, &wanted, &cx).await {
        Ok(summary) => {
            if let Some(p) = pattern {
                let family = services::family(&app.store, id)?;
                services::save_family(
                    &app.store,
                    &granted,
                    family.diet,
                    family.pai,
                    Some(p),
                    &login,
                    now,
                )
                .await?;
            }
            flash(app, &member, summary_text(&summary)).await?;
        }
        Err(Failure::Refused(r)) => {
            flash(app, &member, Flash::error(r.message().to_string())).await?
        }
        Err(Failure::Store(e)) => return Err(e.into()),
    }
    Ok(back)
}
