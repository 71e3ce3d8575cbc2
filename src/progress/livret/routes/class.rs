//! The class's livret: the periods of the year (the director), a class's livret for a
//! period, its grid (one subject, or the general part, × every pupil), its publication.

use maud::Markup;
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::super::reference::{subject, subjects_for, Subject};
use super::super::views::{self, ClassPage, Grid, PupilState, GENERAL};
use super::super::{access, forms, write, Period};
use super::{cycle_ending, flash, name, now, page, today, year};
use crate::app::App;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::ui::csrf_input;
use crate::ui::form::{first_value, invalid, FormState};
use crate::ui::input::FormInput;

type Pairs = Vec<(String, String)>;

fn periods_page(app: &App, member: &Member, form: &FormState) -> AppResult<Markup> {
    let year = year(&app.store)?;
    let ids: Vec<u64> = super::super::periods(&app.store, &year)?
        .iter()
        .map(|p| p.id)
        .collect();
    let locked = super::super::periods_in_use(&app.store, &ids)?;
    let body = views::periods(&csrf_input(&member.visitor), &year, form, locked);
    page(app, member, "Périodes du livret scolaire", body)
}

#[handler]
pub(super) fn periods_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    access::set_periods(member.actor())?;
    let periods = super::super::periods(&app.store, &year(&app.store)?)?;
    let mut form = FormState::new();
    if let Some(first) = periods.first() {
        form.set("decoupage", first.kind.slug());
    }
    for p in &periods {
        form.set(&format!("debut-{}", p.number), p.start.to_string());
        form.set(&format!("fin-{}", p.number), p.end.to_string());
    }
    periods_page(app, &member, &form)
}

#[handler]
pub(super) async fn save_periods(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<Pairs>,
) -> AppResult<Response> {
    let granted = access::set_periods(member.actor())?;
    let year = year(&app.store)?;
    let (mut form, kind, dates) = forms::check_periods(&f);
    let existing = super::super::periods(&app.store, &year)?;
    if let Some(kind) = kind {
        let replaced: Vec<u64> = existing
            .iter()
            .filter(|p| p.kind != kind || usize::from(p.number) > dates.len())
            .map(|p| p.id)
            .collect();
        if super::super::periods_in_use(&app.store, &replaced)? {
            form.hold_back(
                "decoupage",
                "Des bilans sont déjà écrits dans les périodes de cette année : le découpage ne peut plus changer, seulement les dates.",
            );
        }
    }
    let (Some(kind), true) = (kind, form.is_ok()) else {
        return Ok(invalid(periods_page(app, &member, &form)?));
    };
    write::save_periods(&app.store, &granted, &year, kind, &dates).await?;
    flash(
        app,
        &member,
        format!("Les périodes de l'année {year} sont enregistrées."),
    )
    .await?;
    Ok(Redirect::see_other("/suivi/livret/periodes").into_response())
}

#[derive(Deserialize)]
pub(super) struct PeriodQuery {
    periode: Option<u64>,
    matiere: Option<String>,
    reprendre: Option<u64>,
}

/// The periods of the year, and the one asked for (404 when it is not of this year), or
/// the current one.
fn chosen(app: &App, asked: Option<u64>) -> AppResult<(Vec<Period>, Option<Period>)> {
    let periods = super::super::periods(&app.store, &year(&app.store)?)?;
    let period = match asked {
        Some(id) => Some(
            periods
                .iter()
                .find(|p| p.id == id)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        None => super::super::current(&periods, today()).cloned(),
    };
    Ok((periods, period))
}

fn class_of(people: &People, id: u64) -> AppResult<&crate::directory::Class> {
    people.class(id).ok_or(AppError::NotFound)
}

fn class_page(
    app: &App,
    member: &Member,
    people: &People,
    id: u64,
    asked: Option<u64>,
) -> AppResult<Markup> {
    let class = class_of(people, id)?;
    let (periods, period) = chosen(app, asked)?;
    let subjects = subjects_for(&class.levels);
    let pupils = people.pupils_of_class(id);
    let mut states = Vec::new();
    let mut counts = vec![0usize; subjects.len()];
    let mut published = None;
    if let Some(period) = &period {
        published = super::super::class_period(&app.store, id, period.id)?
            .published
            .map(|s| s.at);
        let bilans = super::super::kept_bilans(&app.store)?;
        for pupil in &pupils {
            let bilan = bilans.get(*pupil, period.id);
            let mut filled = 0;
            for (count, s) in counts.iter_mut().zip(&subjects) {
                if bilan.and_then(|b| b.entry(s.slug)).is_some() {
                    *count += 1;
                    filled += 1;
                }
            }
            let guardians = people.parents_of(*pupil);
            let cycle = match cycle_ending(people, *pupil) {
                Some(c) => {
                    let key = (*pupil, u64::from(c));
                    Some((
                        c,
                        app.store.get(&super::super::CYCLE_BILANS, &key)?.is_some(),
                    ))
                }
                None => None,
            };
            states.push(PupilState {
                id: *pupil,
                name: name(people, *pupil),
                filled,
                published: bilan.is_some_and(|b| b.published.is_some()),
                seen: (
                    guardians
                        .iter()
                        .filter(|g| bilan.is_some_and(|b| b.seen_by(**g).is_some()))
                        .count(),
                    guardians.len(),
                ),
                cycle,
            });
        }
    }
    let c = ClassPage {
        class_id: id,
        label: &class.label,
        periods: &periods,
        period: period.as_ref(),
        subjects: subjects.iter().copied().zip(counts).collect(),
        pupils: states,
        published,
        director: member.actor().director,
    };
    let body = views::class(&csrf_input(&member.visitor), &c);
    page(
        app,
        member,
        &format!("Livret scolaire — {}", class.label),
        body,
    )
}

#[handler]
pub(super) fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    class_of(&people, id)?;
    access::keep_class(member.actor(), id)?;
    class_page(app, &member, &people, id, q.periode)
}

/// The subject of the grid: one of the class's, the general part (None), or 404.
fn grid_subject(
    subjects: &[&'static Subject],
    slug: Option<&str>,
) -> AppResult<Option<&'static Subject>> {
    match slug {
        None => Ok(subjects.first().copied()),
        Some(GENERAL) => Ok(None),
        Some(s) => subject(s)
            .filter(|x| subjects.iter().any(|y| y.slug == x.slug))
            .map(Some)
            .ok_or(AppError::NotFound),
    }
}

#[allow(clippy::too_many_arguments)]
fn grid_page(
    app: &App,
    member: &Member,
    people: &People,
    id: u64,
    periods: &[Period],
    period: &Period,
    subject: Option<&'static Subject>,
    form: &FormState,
) -> AppResult<Markup> {
    let class = class_of(people, id)?;
    let subjects = subjects_for(&class.levels);
    let pupils: Vec<(u64, String)> = people
        .pupils_of_class(id)
        .into_iter()
        .map(|p| (p, name(people, p)))
        .collect();
    let previous = super::super::previous(periods, period).filter(|p| {
        subject.is_some_and(|s| {
            super::super::class_period(&app.store, id, p.id)
                .is_ok_and(|c| c.elements.contains_key(s.slug))
        })
    });
    let g = Grid {
        class_id: id,
        label: &class.label,
        periods,
        period,
        subject,
        subjects: &subjects,
        pupils: &pupils,
        previous,
    };
    let title = subject
        .map(|s| s.label)
        .unwrap_or("Appréciations générales");
    let body = views::grid(&csrf_input(&member.visitor), &g, form);
    page(app, member, &format!("{title} — {}", class.label), body)
}

/// The grid as saved: the éléments (or those of `take_from`), each pupil's cells.
fn saved_form(
    app: &App,
    people: &People,
    id: u64,
    period: u64,
    subject: Option<&Subject>,
    take_from: Option<u64>,
) -> AppResult<FormState> {
    let class = super::super::class_period(&app.store, id, period)?;
    let mut form = FormState::new();
    match subject {
        Some(s) => {
            let source = match take_from {
                Some(p) => super::super::class_period(&app.store, id, p)?,
                None => class,
            };
            let list = source.elements.get(s.slug).cloned().unwrap_or_default();
            form.set("elements", list.join("\n"));
        }
        None => form.set("projets", class.projects),
    }
    let bilans = super::super::kept_bilans(&app.store)?;
    // The fields' names made once each (FormState::set would copy them again).
    let values = &mut form.values;
    for pupil in people.pupils_of_class(id) {
        let Some(b) = bilans.get(pupil, period) else {
            continue;
        };
        match subject {
            Some(s) => {
                if let Some(e) = b.entry(s.slug) {
                    let pos = e.positionnement.map(|n| n.to_string()).unwrap_or_default();
                    values.insert(format!("pos-{pupil}"), pos);
                    values.insert(format!("app-{pupil}"), e.appreciation.clone());
                }
            }
            None => {
                values.insert(format!("gen-{pupil}"), b.general.clone());
                values.insert(format!("aide-{pupil}"), b.aides.join(","));
            }
        }
    }
    Ok(form)
}

#[handler]
pub(super) fn grid(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let class = class_of(&people, id)?;
    access::keep_class(member.actor(), id)?;
    let (periods, period) = chosen(app, q.periode)?;
    let Some(period) = period else {
        return class_page(app, &member, &people, id, None);
    };
    let subject = grid_subject(&subjects_for(&class.levels), q.matiere.as_deref())?;
    let take_from = q
        .reprendre
        .filter(|p| periods.iter().any(|x| x.id == *p && x.id != period.id));
    let form = saved_form(app, &people, id, period.id, subject, take_from)?;
    grid_page(app, &member, &people, id, &periods, &period, subject, &form)
}

#[handler]
pub(super) async fn save_grid(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<Pairs>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let class = class_of(&people, id)?;
    let granted = access::keep_class(member.actor(), id)?;
    let asked = first_value(&f, "periode").parse::<u64>().ok();
    let (periods, period) = chosen(app, Some(asked.ok_or(AppError::NotFound)?))?;
    let period = period.ok_or(AppError::NotFound)?;
    let slug = first_value(&f, "matiere");
    let subject = grid_subject(&subjects_for(&class.levels), Some(slug.as_str()))?;
    let pupils = people.pupils_of_class(id);
    let title = subject
        .map(|s| s.label)
        .unwrap_or("Appréciations générales, aides et projets");
    match subject {
        Some(s) => {
            let (form, elements, rows) = forms::check_subject(&f, &pupils);
            if !form.is_ok() {
                let page = grid_page(app, &member, &people, id, &periods, &period, subject, &form)?;
                return Ok(invalid(page));
            }
            write::save_subject(
                &app.store,
                &granted,
                &people,
                id,
                period.id,
                s.slug,
                &elements,
                &rows,
                now(),
            )
            .await?;
        }
        None => {
            let (form, projects, rows) = forms::check_general(&f, &pupils);
            if !form.is_ok() {
                let page = grid_page(app, &member, &people, id, &periods, &period, None, &form)?;
                return Ok(invalid(page));
            }
            write::save_general(
                &app.store,
                &granted,
                &people,
                id,
                period.id,
                &projects,
                &rows,
                now(),
            )
            .await?;
        }
    }
    flash(
        app,
        &member,
        format!("{title} : enregistré pour la classe ({}).", period.label()),
    )
    .await?;
    let slug = subject.map(|s| s.slug).unwrap_or(GENERAL);
    Ok(Redirect::see_other(format!(
        "/suivi/livret/classe/{id}/grille?periode={}&matiere={slug}",
        period.id
    ))
    .into_response())
}

#[handler]
pub(super) async fn publish(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<Pairs>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    class_of(&people, id)?;
    let granted = access::keep_class(member.actor(), id)?;
    let asked = first_value(&f, "periode").parse::<u64>().ok();
    let (_, period) = chosen(app, Some(asked.ok_or(AppError::NotFound)?))?;
    let period = period.ok_or(AppError::NotFound)?;
    let told = write::publish(&app.store, &granted, &people, id, &period, now()).await?;
    let text = match told {
        0 => "Rien de nouveau à publier : les bilans écrits étaient déjà publiés.".to_string(),
        1 => format!(
            "Le bilan du {} d'un élève est publié ; sa famille est prévenue.",
            period.label()
        ),
        n => format!(
            "Les bilans du {} de {n} élèves sont publiés ; leurs familles sont prévenues.",
            period.label()
        ),
    };
    flash(app, &member, text).await?;
    Ok(
        Redirect::see_other(format!("/suivi/livret/classe/{id}?periode={}", period.id))
            .into_response(),
    )
}
