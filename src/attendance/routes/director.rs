//! `/admin/absences`: the school today, the pupils past the threshold, the monthly
//! registers (visa, CSV, print), the signalement, the whole school's list of those present.

use maud::Markup;
use poem::http::header;
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::super::register::{self, Month};
use super::super::views::appel as appel_view;
use super::super::views::director as view;
use super::super::{access, families, HalfDay, Mark};
use crate::app::App;
use crate::auth::journal::{record_audit, AuditEvent};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::Profile;
use crate::ui::csrf_input;
use crate::ui::input::FormInput;

#[derive(Deserialize, Default)]
pub(super) struct MonthQuery {
    mois: Option<String>,
}

fn month_of(q: Option<&str>, now: i64) -> Month {
    q.and_then(Month::parse)
        .unwrap_or_else(|| Month::of(super::super::current(now).0))
}

#[handler]
pub(super) fn school_view(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<MonthQuery>,
) -> AppResult<Markup> {
    access::follow(member.actor())?;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let (today, _) = super::super::current(now);
    let month = month_of(q.mois.as_deref(), now);
    let slots = super::super::slots_of_day(&app.store, today)?;
    let mut classes = Vec::new();
    for c in &people.classes {
        let mut halves = Vec::new();
        for h in HalfDay::ALL {
            if crate::school::calendar::is_school_half_day(&app.store, today, h)? {
                halves.push((
                    h,
                    super::super::appel(&app.store, c.id, today, h)?.is_some(),
                ));
            }
        }
        let pupils = people.pupils_of_class(c.id);
        let absences = slots
            .iter()
            .filter(|s| pupils.contains(&s.pupil))
            .filter(|s| !matches!(s.mark, Some(Mark::Present) | Some(Mark::Amenagement)))
            .map(|s| {
                let name = people
                    .user(s.pupil)
                    .map(|u| u.display_name())
                    .unwrap_or_default();
                let half = super::super::slot_day(s.slot)
                    .map(|(_, h)| h.label())
                    .unwrap_or("");
                let what = match s.mark {
                    Some(m) => format!("{half} : {}", m.label()),
                    None => format!("{half} : absence prévue"),
                };
                let motif = s
                    .justification
                    .as_ref()
                    .map(|j| j.motif.label().to_string())
                    .unwrap_or_default();
                (name, what, motif)
            })
            .collect();
        classes.push(view::ClassToday {
            id: c.id,
            label: c.label.clone(),
            halves,
            absences,
        });
    }
    let flags = register::flagged(&app.store, month)?
        .into_iter()
        .map(|(p, count)| view::Flag {
            pupil: p,
            name: people
                .user(p)
                .map(|u| u.display_name())
                .unwrap_or_else(|| "ancien élève".into()),
            class: people
                .classes_of(p)
                .first()
                .and_then(|c| people.class(*c))
                .map(|c| c.label.clone())
                .unwrap_or_default(),
            count,
        })
        .collect::<Vec<_>>();
    let body = maud::html! {
        (view::school(&crate::ui::dates::day_label(today), month, &classes, &flags))
        (view::archive_form(&csrf_input(&member.visitor), super::super::archive::school_year_of(today)))
    };
    app.console_page(&member.visitor, "Absences", "/admin/absences", body)
}

#[handler]
pub(super) fn presents(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    access::follow(member.actor())?;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let mut list = Vec::new();
    for c in &people.classes {
        list.push(super::appel::presence(app, &people, c.id, &c.label, now)?);
    }
    let school = crate::school::get(&app.store)?
        .map(|s| s.name)
        .unwrap_or_default();
    let body = appel_view::presents(&school, "Liste des présents", &list);
    app.page(&member.visitor, "Liste des présents", "/admin", body)
}

fn class_label(people: &People, id: u64) -> AppResult<String> {
    people
        .class(id)
        .map(|c| c.label.clone())
        .ok_or(AppError::NotFound)
}

#[handler]
pub(super) fn register_page(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<MonthQuery>,
) -> AppResult<Markup> {
    access::follow(member.actor())?;
    let people = People::load(&app.store)?;
    let label = class_label(&people, id)?;
    let now = auth::now_micros();
    let month = month_of(q.mois.as_deref(), now);
    let r = register::month(&app.store, &people, id, month, super::super::current(now).0)?;
    let visa = r.visa.as_ref().map(|v| {
        (
            people
                .user(v.by)
                .map(|u| u.display_name())
                .unwrap_or_default(),
            v.at,
        )
    });
    let school = crate::school::get(&app.store)?
        .map(|s| s.name)
        .unwrap_or_default();
    let body = view::register(&csrf_input(&member.visitor), &school, &label, &r, visa);
    app.page(
        &member.visitor,
        &format!("Registre d'appel — {label}"),
        "/admin",
        body,
    )
}

#[derive(Deserialize)]
pub(super) struct SignForm {
    #[serde(default)]
    mois: String,
}

#[handler]
pub(super) async fn sign(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<SignForm>,
) -> AppResult<Response> {
    let director = access::follow(member.actor())?;
    let people = People::load(&app.store)?;
    let label = class_label(&people, id)?;
    let month =
        Month::parse(&f.mois).ok_or_else(|| AppError::BadRequest("Mois illisible.".into()))?;
    let now = auth::now_micros();
    register::sign(&app.store, &director, id, month, now).await?;
    let event = AuditEvent {
        at: now,
        actor_id: Some(member.user().id),
        actor_login: member.user().login.clone(),
        action: format!("Registre d'appel visé : {label}, {}", month.label()),
    };
    app.store.commit(|tx| record_audit(tx, &event)).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Registre visé."),
    )
    .await?;
    Ok(Redirect::see_other(format!(
        "/admin/absences/registre/{id}?mois={}",
        month.value()
    ))
    .into_response())
}

#[handler]
pub(super) fn export(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<MonthQuery>,
) -> AppResult<Response> {
    access::follow(member.actor())?;
    let people = People::load(&app.store)?;
    class_label(&people, id)?;
    let now = auth::now_micros();
    let month = month_of(q.mois.as_deref(), now);
    let r = register::month(&app.store, &people, id, month, super::super::current(now).0)?;
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"registre-{id}-{}.csv\"",
                month.value()
            ),
        )
        .body(register::csv(&r)))
}

#[handler]
pub(super) fn signalement(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<MonthQuery>,
) -> AppResult<Markup> {
    access::follow(member.actor())?;
    let people = People::load(&app.store)?;
    let pupil = people
        .user(id)
        .filter(|u| u.profile == Profile::Eleve)
        .ok_or(AppError::NotFound)?;
    let now = auth::now_micros();
    let month = month_of(q.mois.as_deref(), now);
    let (from, to) = month.slots();
    let slots: Vec<_> = super::super::slots_between(&app.store, from, to)?
        .into_iter()
        .filter(|s| s.pupil == id)
        .collect();
    let school = crate::school::get(&app.store)?.ok_or(AppError::NotFound)?;
    let class = people
        .classes_of(id)
        .first()
        .and_then(|c| people.class(*c))
        .map(|c| c.label.clone())
        .unwrap_or_default();
    let guardians: Vec<String> = people
        .parents_of(id)
        .iter()
        .filter_map(|g| people.user(*g))
        .map(|u| u.display_name())
        .collect();
    let name = pupil.display_name();
    let today = crate::ui::dates::long_date(now);
    let body = view::signalement(&view::Signalement {
        csrf: csrf_input(&member.visitor),
        school: &school.name,
        uai: &school.uai,
        commune: &school.commune,
        pupil: id,
        name: &name,
        class: &class,
        guardians: &guardians,
        month,
        slots: &slots,
        today: &today,
    });
    app.page(&member.visitor, "Signalement", "/admin", body)
}

#[derive(Deserialize)]
pub(super) struct JudgeForm {
    #[serde(default)]
    eleve: u64,
    #[serde(default)]
    creneau: u64,
    #[serde(default)]
    mois: String,
    #[serde(default)]
    legitime: Option<String>,
}

#[handler]
pub(super) async fn judge(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<JudgeForm>,
) -> AppResult<Response> {
    let director = access::follow(member.actor())?;
    families::judge(
        &app.store,
        &director,
        f.eleve,
        f.creneau,
        f.legitime.is_none(),
    )
    .await?;
    let month = Month::parse(&f.mois).map(|m| m.value()).unwrap_or_default();
    Ok(Redirect::see_other(format!(
        "/admin/absences/signalement/{}?mois={month}",
        f.eleve
    ))
    .into_response())
}

#[derive(Deserialize)]
pub(super) struct ArchiveForm {
    #[serde(default)]
    annee: i16,
}

/// Writes the school year's register into the data folder (kept ten years).
#[handler]
pub(super) async fn archive(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<ArchiveForm>,
) -> AppResult<Response> {
    access::follow(member.actor())?;
    let now = auth::now_micros();
    let today = super::super::current(now).0;
    let current = super::super::archive::school_year_of(today);
    if !(current - 1..=current).contains(&f.annee) {
        return Err(AppError::BadRequest("Année scolaire illisible.".into()));
    }
    let store = app.store.clone();
    let people = People::load(&app.store)?;
    let dir = app.settings.data_dir.clone();
    let start = f.annee;
    let written = tokio::task::spawn_blocking(move || {
        super::super::archive::write(&store, &people, &dir, start, today)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))??;
    let event = AuditEvent {
        at: now,
        actor_id: Some(member.user().id),
        actor_login: member.user().login.clone(),
        action: format!("Registre d'appel {}-{} archivé", start, start + 1),
    };
    app.store.commit(|tx| record_audit(tx, &event)).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success(format!(
            "Registre {}-{} archivé dans le dossier des données : {}",
            start,
            start + 1,
            written.display()
        )),
    )
    .await?;
    Ok(Redirect::see_other("/admin/absences").into_response())
}

/// Each class's figures for the current school year.
fn year_figures(app: &App) -> AppResult<(i16, register::ClassFigures)> {
    let people = People::load(&app.store)?;
    let today = super::super::current(auth::now_micros()).0;
    let start = super::super::archive::school_year_of(today);
    let mut classes = Vec::new();
    for c in &people.classes {
        let rows = register::year(&app.store, &people, c.id, start, today)?;
        classes.push((c.label.clone(), rows));
    }
    Ok((start, classes))
}

#[handler]
pub(super) fn year_export(Data(app): Data<&App>, member: Member) -> AppResult<Response> {
    access::follow(member.actor())?;
    let (start, classes) = year_figures(app)?;
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"absences-{}-{}.csv\"",
                start,
                start + 1
            ),
        )
        .body(register::year_csv(&classes)))
}

/// The school year's figures per class and per pupil.
#[handler]
pub(super) fn year(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    access::follow(member.actor())?;
    let (start, classes) = year_figures(app)?;
    let body = view::year(start, &classes);
    app.console_page(&member.visitor, "Bilan de l'année", "/admin/absences", body)
}
