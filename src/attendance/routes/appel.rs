//! `/appel`: the classes to call, the appel of a class, its aménagements, its list of
//! those present.

use jiff::civil::Date;
use maud::{html, Markup};
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::super::access::{self, ClassAppel};
use super::super::amenagements::{self, NewAmenagement};
use super::super::record::{self, record_appel};
use super::super::views::appel::{self as view, AppelPage, ClassRow, Line, Presence, Taken};
use super::super::{HalfDay, Mark};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{Granted, Profile};
use crate::ui::csrf_input;
use crate::ui::input::FormInput;

#[derive(Deserialize, Default)]
pub(super) struct HalfQuery {
    demi: Option<String>,
}

/// The class behind the path (404 when there is none) and the proof that this person
/// takes its appel.
pub(super) fn class_of(
    people: &People,
    member: &Member,
    id: u64,
) -> AppResult<(Granted<ClassAppel>, String)> {
    let label = people
        .class(id)
        .map(|c| c.label.clone())
        .ok_or(AppError::NotFound)?;
    Ok((access::appel(member.actor(), id)?, label))
}

/// The classes this person calls: a teacher's own and replaced ones, every class for
/// the director.
pub(crate) fn callable(people: &People, member: &Member) -> Vec<(u64, String)> {
    people
        .classes
        .iter()
        .filter(|c| access::appel(member.actor(), c.id).is_ok())
        .map(|c| (c.id, c.label.clone()))
        .collect()
}

#[handler]
pub(super) fn classes(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let actor = member.actor();
    if !(actor.director || actor.profile == Profile::Enseignant) {
        return Err(AppError::Forbidden);
    }
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let (today, _) = super::super::current(now);
    let closed = crate::school::calendar::closed_because(&app.store, today)?;
    let mut rows = Vec::new();
    for (id, label) in callable(&people, &member) {
        let mut halves = Vec::new();
        for h in HalfDay::ALL {
            if crate::school::calendar::is_school_half_day(&app.store, today, h)? {
                let taken = super::super::appel(&app.store, id, today, h)?.map(|a| a.at);
                halves.push((h, taken));
            }
        }
        rows.push(ClassRow { id, label, halves });
    }
    let body = view::classes(today, closed.as_deref(), &rows, member.actor().director);
    app.page(&member.visitor, "Appel", "/absences", body)
}

/// The appel's lines: the recorded marks, else what the families declared and the
/// aménagements, everyone else « présent ».
fn lines(app: &App, people: &People, class: u64, day: Date, half: HalfDay) -> AppResult<Vec<Line>> {
    let pupils = people.pupils_of_class(class);
    let taken = super::super::appel(&app.store, class, day, half)?;
    let s = super::super::slot(day, half);
    let day_slots = super::super::slots_of_day(&app.store, day)?;
    let arranged = amenagements::applying(&app.store, &pupils, day, half)?;
    let mut out = Vec::new();
    for p in pupils {
        let declared = day_slots
            .iter()
            .find(|x| x.slot == s && x.pupil == p)
            .and_then(|x| x.justification.as_ref())
            .map(|j| j.motif.label().to_string());
        let mine: Vec<_> = arranged.iter().filter(|a| a.pupil == p).collect();
        let whole = mine.iter().find(|a| a.whole).map(|a| a.label.clone());
        let care = mine
            .iter()
            .filter(|a| !a.whole)
            .map(|a| a.label.clone())
            .collect();
        let mark = match taken.as_ref().and_then(|a| a.mark_of(p)) {
            Some(m) => m,
            None if declared.is_some() => Mark::Absent,
            None if whole.is_some() => Mark::Amenagement,
            None => Mark::Present,
        };
        out.push(Line {
            pupil: p,
            name: people.user(p).map(|u| u.display_name()).unwrap_or_default(),
            mark,
            declared,
            care,
            whole,
        });
    }
    Ok(out)
}

#[handler]
pub(super) fn form(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<HalfQuery>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let (_, label) = class_of(&people, &member, id)?;
    let now = auth::now_micros();
    let (today, current) = super::super::current(now);
    let half = q
        .demi
        .as_deref()
        .and_then(HalfDay::from_slug)
        .unwrap_or(current);
    let refusal = record::refusal(&app.store, today, half, now)?;
    let lines = lines(app, &people, id, today, half)?;
    let taken = super::super::appel(&app.store, id, today, half)?.map(|a| Taken {
        by: people
            .user(a.by)
            .map(|u| u.display_name())
            .unwrap_or_default(),
        at: a.at,
    });
    let body = view::appel(&AppelPage {
        csrf: csrf_input(&member.visitor),
        class: id,
        label: &label,
        day: today,
        half,
        lines: &lines,
        taken,
        refusal: refusal.as_deref(),
    });
    app.page(
        &member.visitor,
        &format!("Appel — {label}"),
        "/absences",
        body,
    )
}

/// « 09:40 » → (9, 40).
fn parse_time(text: &str) -> Option<(i8, i8)> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m) = (h.parse::<i8>().ok()?, m.parse::<i8>().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some((h, m))
}

#[handler]
pub(super) async fn submit(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<Vec<(String, String)>>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let (granted, _) = class_of(&people, &member, id)?;
    let now = auth::now_micros();
    let value = |name: &str| {
        f.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let day = crate::ui::dates::parse_date(value("jour"))
        .ok_or_else(|| AppError::BadRequest("Jour de l'appel illisible.".into()))?;
    let half = HalfDay::from_slug(value("demi"))
        .ok_or_else(|| AppError::BadRequest("Demi-journée illisible.".into()))?;
    let (hour_now, minute_now) = super::super::clock(now);
    let mut marks = Vec::new();
    for p in people.pupils_of_class(id) {
        let mark = match value(&format!("e{p}")) {
            "absent" => Mark::Absent,
            "retard" => {
                let (hour, minute) =
                    parse_time(value(&format!("h{p}"))).unwrap_or((hour_now, minute_now));
                Mark::Late { hour, minute }
            }
            "amenagement" => Mark::Amenagement,
            _ => Mark::Present,
        };
        marks.push((p, mark));
    }
    let done = record_appel(&app.store, &people, &granted, day, half, &marks, now).await?;
    let absent = marks.iter().filter(|(_, m)| *m == Mark::Absent).count();
    let late = marks
        .iter()
        .filter(|(_, m)| matches!(m, Mark::Late { .. }))
        .count();
    let mut text = format!(
        "Appel enregistré : {absent} absent{}, {late} retard{}.",
        if absent > 1 { "s" } else { "" },
        if late > 1 { "s" } else { "" }
    );
    if done.notified > 0 {
        text.push_str(&format!(
            " {} responsable{} prévenu{}.",
            done.notified,
            if done.notified > 1 { "s" } else { "" },
            if done.notified > 1 { "s" } else { "" }
        ));
    }
    if !done.changed {
        text = "Appel déjà enregistré, rien n'a changé.".into();
    }
    auth::push_flash(&app.store, &member.me.session_key, Flash::success(text)).await?;
    Ok(Redirect::see_other(format!("/appel/classe/{id}?demi={}", half.slug())).into_response())
}

/// Those present in the class from its latest appel today.
pub(crate) fn presence(
    app: &App,
    people: &People,
    class: u64,
    label: &str,
    now: i64,
) -> AppResult<Presence> {
    let (today, current) = super::super::current(now);
    let mut latest = None;
    for h in HalfDay::ALL {
        if h <= current {
            if let Some(a) = super::super::appel(&app.store, class, today, h)? {
                latest = Some(a);
            }
        }
    }
    let name = |p: u64| people.user(p).map(|u| u.display_name()).unwrap_or_default();
    let mut present = Vec::new();
    let mut missing = Vec::new();
    for p in people.pupils_of_class(class) {
        match latest.as_ref().and_then(|a| a.mark_of(p)) {
            Some(m @ (Mark::Absent | Mark::Amenagement)) => missing.push((name(p), m.label())),
            _ => present.push(name(p)),
        }
    }
    Ok(Presence {
        label: label.to_string(),
        when: latest.map(|a| super::super::slot_label(a.slot)),
        present,
        missing,
    })
}

#[handler]
pub(super) fn presents(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let (_, label) = class_of(&people, &member, id)?;
    let school = crate::school::get(&app.store)?
        .map(|s| s.name)
        .unwrap_or_default();
    let p = presence(app, &people, id, &label, auth::now_micros())?;
    let body = view::presents(&school, "Liste des présents", &[p]);
    app.page(&member.visitor, "Liste des présents", "/absences", body)
}

fn amenagements_page(
    app: &App,
    member: &Member,
    people: &People,
    id: u64,
    label: &str,
    error: Option<&str>,
) -> AppResult<Markup> {
    let pupils: Vec<(u64, String)> = people
        .pupils_of_class(id)
        .into_iter()
        .map(|p| {
            (
                p,
                people.user(p).map(|u| u.display_name()).unwrap_or_default(),
            )
        })
        .collect();
    let mut list = Vec::new();
    for (p, name) in &pupils {
        for a in amenagements::of_pupil(&app.store, *p)? {
            list.push((a, name.clone()));
        }
    }
    let body = view::amenagements(
        &csrf_input(&member.visitor),
        id,
        label,
        &pupils,
        &list,
        error,
    );
    app.page(&member.visitor, "Aménagements", "/absences", body)
}

#[handler]
pub(super) fn arrangements(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let (_, label) = class_of(&people, &member, id)?;
    amenagements_page(app, &member, &people, id, &label, None)
}

#[derive(Deserialize)]
pub(super) struct AmenagementForm {
    #[serde(default)]
    eleve: u64,
    #[serde(default)]
    libelle: String,
    #[serde(default)]
    jours: Vec<i8>,
    #[serde(default)]
    demi: String,
    #[serde(default)]
    entiere: Option<String>,
}

#[handler]
pub(super) async fn amenagement_add(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<AmenagementForm>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let (granted, label) = class_of(&people, &member, id)?;
    let error = if !people.pupils_of_class(id).contains(&f.eleve) {
        Some("Choisissez un élève de la classe.")
    } else if f.libelle.trim().is_empty() {
        Some("Dites de quel aménagement il s'agit.")
    } else if f.jours.is_empty() || f.jours.iter().any(|d| !(1..=5).contains(d)) {
        Some("Cochez au moins un jour.")
    } else {
        None
    };
    let half = HalfDay::from_slug(&f.demi).unwrap_or(HalfDay::Afternoon);
    if let Some(e) = error {
        let page = amenagements_page(app, &member, &people, id, &label, Some(e))?;
        return Ok((poem::http::StatusCode::BAD_REQUEST, page).into_response());
    }
    let new = NewAmenagement {
        pupil: f.eleve,
        label: f.libelle.trim().chars().take(200).collect(),
        weekdays: f.jours.clone(),
        half,
        whole: f.entiere.is_some(),
    };
    amenagements::add(&app.store, &granted, &new, auth::now_micros()).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Aménagement enregistré."),
    )
    .await?;
    Ok(Redirect::see_other(format!("/appel/classe/{id}/amenagements")).into_response())
}

#[derive(Deserialize)]
pub(super) struct RemoveForm {
    #[serde(default)]
    eleve: u64,
    #[serde(default)]
    id: u64,
}

#[handler]
pub(super) async fn amenagement_remove(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<RemoveForm>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let (granted, _) = class_of(&people, &member, id)?;
    if !people.pupils_of_class(id).contains(&f.eleve) {
        return Err(AppError::NotFound);
    }
    amenagements::remove(&app.store, &granted, f.eleve, f.id).await?;
    Ok(Redirect::see_other(format!("/appel/classe/{id}/amenagements")).into_response())
}

/// The teacher's home reminder: the appels of the current half-day not done once the
/// hour set in the calendar has passed. `None` for anyone else, or when all is done.
pub fn home_reminder(app: &App, member: &Member, now: i64) -> AppResult<Option<Markup>> {
    let actor = member.actor();
    if actor.profile != Profile::Enseignant || actor.class_ids.is_empty() {
        return Ok(None);
    }
    let school = crate::school::get(&app.store)?;
    if !school.is_some_and(|s| s.enabled(crate::school::Service::Absences)) {
        return Ok(None);
    }
    let (today, half) = super::super::current(now);
    if !crate::school::calendar::is_school_half_day(&app.store, today, half)? {
        return Ok(None);
    }
    let cal = crate::school::calendar::get(&app.store)?;
    let (h, m) = match half {
        HalfDay::Morning => cal.reminder_morning,
        HalfDay::Afternoon => cal.reminder_afternoon,
    };
    if super::super::clock(now) < (h, m) {
        return Ok(None);
    }
    let people = People::load(&app.store)?;
    let mut late = Vec::new();
    for c in &actor.class_ids {
        let Some(class) = people.class(*c) else {
            continue;
        };
        if access::appel(actor, *c).is_ok()
            && super::super::appel(&app.store, *c, today, half)?.is_none()
        {
            late.push((*c, class.label.clone(), half));
        }
    }
    Ok((!late.is_empty()).then(|| view::reminder(&late)))
}

/// Kept for the home page: `html!` of nothing when there is no reminder.
pub fn home_reminder_or_nothing(app: &App, member: &Member, now: i64) -> Markup {
    match home_reminder(app, member, now) {
        Ok(Some(m)) => m,
        _ => html! {},
    }
}
