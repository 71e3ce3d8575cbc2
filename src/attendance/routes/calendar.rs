//! `/admin/calendrier`: the school week, the days off and the worked days, the reminder
//! hours of the appel. Open whether or not the absences service is on: the canteen counts
//! its meals on the same days.

use maud::Markup;
use poem::web::{Data, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::super::access;
use super::super::views::director as view;
use crate::app::App;
use crate::auth::journal::{record_audit, AuditEvent};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::AppResult;
use crate::school::calendar::{self, Calendar, NamedDay, Week};
use crate::ui::csrf_input;
use crate::ui::input::FormInput;

#[handler]
pub(super) fn form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    access::follow(member.actor())?;
    let c = calendar::get(&app.store)?;
    let typed = (
        view::days_text(&c.days_off),
        view::days_text(&c.worked_days),
    );
    let body = view::calendar(&csrf_input(&member.visitor), &c, (&typed.0, &typed.1), None);
    app.console_page(&member.visitor, "Calendrier", "/admin/calendrier", body)
}

#[derive(Deserialize)]
pub(super) struct CalendarForm {
    #[serde(default)]
    semaine: String,
    #[serde(default)]
    conges: String,
    #[serde(default)]
    rattrapages: String,
    #[serde(default)]
    rappel_matin: String,
    #[serde(default)]
    rappel_apres_midi: String,
}

/// « 2026-12-03 Journée pédagogique » lines; the first line that is not one is the error.
fn days(text: &str) -> Result<Vec<NamedDay>, String> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (date, label) = line.split_once(' ').unwrap_or((line, ""));
        let day = crate::ui::dates::parse_date(date).ok_or_else(|| {
            format!("« {line} » : la ligne doit commencer par une date AAAA-MM-JJ.")
        })?;
        out.push(NamedDay {
            day,
            label: if label.trim().is_empty() {
                "jour sans classe".into()
            } else {
                label.trim().chars().take(100).collect()
            },
        });
    }
    out.sort_by_key(|d| d.day);
    Ok(out)
}

fn time(text: &str, default: (i8, i8)) -> (i8, i8) {
    text.trim()
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<i8>().ok()?, m.parse::<i8>().ok()?)))
        .filter(|(h, m)| (0..24).contains(h) && (0..60).contains(m))
        .unwrap_or(default)
}

#[handler]
pub(super) async fn submit(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<CalendarForm>,
) -> AppResult<Response> {
    access::follow(member.actor())?;
    let current = calendar::get(&app.store)?;
    let parsed = days(&f.conges)
        .map_err(|e| ("conges", e))
        .and_then(|off| Ok((off, days(&f.rattrapages).map_err(|e| ("rattrapages", e))?)));
    let (days_off, worked_days) = match parsed {
        Ok(v) => v,
        Err((field, e)) => {
            let mut shown = current.clone();
            shown.week = Week::from_slug(&f.semaine).unwrap_or(current.week);
            let body = view::calendar(
                &csrf_input(&member.visitor),
                &shown,
                (&f.conges, &f.rattrapages),
                Some((field, &e)),
            );
            let page =
                app.console_page(&member.visitor, "Calendrier", "/admin/calendrier", body)?;
            return Ok((poem::http::StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    let c = Calendar {
        week: Week::from_slug(&f.semaine).unwrap_or(current.week),
        days_off,
        worked_days,
        reminder_morning: time(&f.rappel_matin, current.reminder_morning),
        reminder_afternoon: time(&f.rappel_apres_midi, current.reminder_afternoon),
    };
    let event = AuditEvent {
        at: auth::now_micros(),
        actor_id: Some(member.user().id),
        actor_login: member.user().login.clone(),
        action: format!(
            "Calendrier de l'école : semaine de {}, {} jour(s) sans classe, {} jour(s) de rattrapage",
            c.week.slug(),
            c.days_off.len(),
            c.worked_days.len()
        ),
    };
    app.store
        .commit(|tx| {
            calendar::save(tx, &c)?;
            record_audit(tx, &event)
        })
        .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Calendrier enregistré."),
    )
    .await?;
    Ok(Redirect::see_other("/admin/calendrier").into_response())
}
