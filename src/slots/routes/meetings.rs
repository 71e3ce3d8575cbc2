//! `/rendez-vous`: the grids, opening one, booking and cancelling as a family, the
//! teacher's changes and day sheet.

use maud::Markup;
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::super::access;
use super::super::forms::{BookForm, GridForm, SlotForm};
use super::super::meetings::{self, Grid, SlotState, TeacherChange, Told, CANCEL_BEFORE};
use super::super::views::meetings::{self as view, FamilyChild, GridLine, Head, Held, Row};
use super::{flash, invalid, refused, today};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{may, Action, Profile, SlotAction};
use crate::refusal::{Failure, Outcome};
use crate::ui::csrf_input;
use crate::ui::dates;
use crate::ui::form::FormState;
use crate::ui::input::FormInput;

const SECTION: &str = "/rendez-vous";

fn page(app: &App, member: &Member, title: &str, body: Markup) -> AppResult<Markup> {
    app.page(&member.visitor, title, SECTION, body)
}

/// The classes whose meetings this person runs.
fn run_classes(people: &People, member: &Member) -> Vec<(u64, String)> {
    people
        .classes
        .iter()
        .filter(|c| access::run_class(member.actor(), c.id).is_ok())
        .map(|c| (c.id, c.label.clone()))
        .collect()
}

fn dates_of(g: &Grid) -> String {
    g.sittings
        .iter()
        .map(|s| dates::day_label(s.day))
        .collect::<Vec<_>>()
        .join(", ")
}

fn class_label(people: &People, id: u64) -> String {
    people
        .class(id)
        .map(|c| c.label.clone())
        .unwrap_or_default()
}

fn name(people: &People, id: u64) -> String {
    people
        .user(id)
        .map(|u| u.display_name())
        .unwrap_or_else(|| "ancien compte".into())
}

#[handler]
pub(super) fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let actor = member.actor();
    let today = today();
    let can_open = actor.director || actor.profile == Profile::Enseignant;
    let mut run = Vec::new();
    if can_open {
        for (class, label) in run_classes(&people, &member) {
            for g in meetings::grids_of_class(&app.store, class)? {
                let states = meetings::states(&app.store, g.id)?;
                let booked = states
                    .values()
                    .filter(|s| matches!(s, SlotState::Booked(_)))
                    .count();
                run.push(GridLine {
                    id: g.id,
                    title: g.title.clone(),
                    class_label: label.clone(),
                    dates: dates_of(&g),
                    status: format!("{booked} réservé(s) sur {} créneaux", g.slots().len()),
                });
            }
        }
    }
    let mut family = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for child in &actor.children {
        for class in people.classes_of(*child) {
            for g in meetings::grids_of_class(&app.store, *class)? {
                if g.last_day().is_none_or(|d| d < today) || !seen.insert(g.id) {
                    continue;
                }
                let mut status = Vec::new();
                for c in access::children_in(&people, actor, &g) {
                    let first = people
                        .user(c)
                        .map(|u| u.first_name.clone())
                        .unwrap_or_default();
                    status.push(
                        match meetings::booked_for(&app.store, g.id, c)?.and_then(|n| g.slot(n)) {
                            Some(s) => format!("{first} : {}", s.label()),
                            None => format!("{first} : créneau à choisir"),
                        },
                    );
                }
                family.push(GridLine {
                    id: g.id,
                    title: g.title.clone(),
                    class_label: class_label(&people, g.class_id),
                    dates: dates_of(&g),
                    status: status.join(" ; "),
                });
            }
        }
    }
    let staff = may(actor, Action::Slots(SlotAction::BookResources));
    page(
        app,
        &member,
        "Rendez-vous",
        view::home(&run, &family, can_open, staff),
    )
}

#[handler]
pub(super) fn new_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let classes = run_classes(&people, &member);
    if classes.is_empty() {
        return Err(AppError::Forbidden);
    }
    let form = FormState::with_values([
        ("duree", "15".to_string()),
        ("lieu", "salle".to_string()),
        ("salle", "Salle de classe".to_string()),
    ]);
    let body = view::new_form(&csrf_input(&member.visitor), &classes, &form);
    page(app, &member, "Ouvrir une grille de rendez-vous", body)
}

#[handler]
pub(super) async fn create(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<GridForm>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let classes = run_classes(&people, &member);
    if classes.is_empty() {
        return Err(AppError::Forbidden);
    }
    let granted = access::run_class(member.actor(), f.classe);
    let checked = f.check(today());
    let form = match (granted, checked) {
        (Ok(granted), Ok(new)) => {
            let id = meetings::open(&app.store, &granted, &new, auth::now_micros()).await?;
            flash(
                app,
                &member,
                Flash::success(
                    "La grille est ouverte : les familles de la classe peuvent choisir un créneau.",
                ),
            )
            .await?;
            return Ok(Redirect::see_other(format!("/rendez-vous/{id}")).into_response());
        }
        (Err(_), checked) => {
            let mut f = checked.err().unwrap_or_else(|| f.state());
            f.error("classe", "Choisissez une de vos classes.");
            f
        }
        (Ok(_), Err(f)) => f,
    };
    let body = view::new_form(&csrf_input(&member.visitor), &classes, &form);
    Ok(invalid(page(
        app,
        &member,
        "Ouvrir une grille de rendez-vous",
        body,
    )?))
}

fn head(people: &People, g: &Grid) -> Head {
    Head {
        id: g.id,
        title: g.title.clone(),
        class_label: class_label(people, g.class_id),
        teacher: name(people, g.by),
        place: g.place.label(),
        minutes: g.minutes,
    }
}

/// The grid page for this person: the teacher's (who runs it) or the family's.
pub(super) fn grid_page(
    app: &App,
    member: &Member,
    people: &People,
    g: &Grid,
    refusal: Option<&str>,
) -> AppResult<Markup> {
    let now = auth::now_micros();
    let states = meetings::states(&app.store, g.id)?;
    let csrf = csrf_input(&member.visitor);
    let body = if access::run(member.actor(), g).is_ok() {
        maud::html! {
            (view::teacher(&csrf, &head(people, g), &rows(people, g, &states, now), refusal))
            (super::super::views::grid_edit::panel(&csrf, g))
        }
    } else {
        let mut children = Vec::new();
        for c in access::children_in(people, member.actor(), g) {
            let booked = meetings::booked_for(&app.store, g.id, c)?.and_then(|n| g.slot(n));
            children.push(FamilyChild {
                id: c,
                name: people
                    .user(c)
                    .map(|u| u.first_name.clone())
                    .unwrap_or_default(),
                booked,
                cancellable: booked.is_some_and(|s| now <= s.start() - CANCEL_BEFORE),
            });
        }
        let free: Vec<_> = g
            .slots()
            .into_iter()
            .filter(|s| s.start() > now && !states.contains_key(&s.n))
            .collect();
        view::family(&csrf, &head(people, g), &children, &free, refusal)
    };
    page(app, member, &g.title, body)
}

fn rows(
    people: &People,
    g: &Grid,
    states: &std::collections::BTreeMap<u64, SlotState>,
    now: i64,
) -> Vec<Row> {
    g.slots()
        .into_iter()
        .map(|slot| Row {
            slot,
            past: slot.start() <= now,
            held: match states.get(&slot.n) {
                None => Held::Free,
                Some(SlotState::Blocked) => Held::Blocked,
                Some(SlotState::Booked(b)) => Held::Booked {
                    pupil: name(people, b.pupil),
                    guardians: people
                        .parents_of(b.pupil)
                        .iter()
                        .map(|p| name(people, *p))
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            },
        })
        .collect()
}

#[handler]
pub(super) fn grid(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let g = access::grid_or_404(&app.store, id)?;
    let people = People::load(&app.store)?;
    access::see(&people, member.actor(), &g)?;
    grid_page(app, &member, &people, &g, None)
}

#[handler]
pub(super) async fn book(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<BookForm>,
) -> AppResult<Response> {
    let g = access::grid_or_404(&app.store, id)?;
    let people = People::load(&app.store)?;
    access::child(&people, member.actor(), &g, None)?;
    let granted = access::child(&people, member.actor(), &g, Some(f.eleve))?;
    let child = people
        .user(f.eleve)
        .map(|u| u.first_name.clone())
        .unwrap_or_default();
    let Some(n) = f.creneau else {
        let page = grid_page(
            app,
            &member,
            &people,
            &g,
            Some("Choisissez un créneau dans la liste."),
        )?;
        return Ok(invalid(page));
    };
    let booked = meetings::book(&app.store, &granted, n, &child, auth::now_micros()).await;
    let said = booked.map(|slot| format!("Rendez-vous réservé pour {child} le {}.", slot.label()));
    answer(app, &member, &people, &g, said).await
}

#[handler]
pub(super) async fn cancel(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<BookForm>,
) -> AppResult<Response> {
    let g = access::grid_or_404(&app.store, id)?;
    let people = People::load(&app.store)?;
    access::child(&people, member.actor(), &g, None)?;
    let granted = access::child(&people, member.actor(), &g, Some(f.eleve))?;
    let cancelled = meetings::cancel_by_family(&app.store, &granted, auth::now_micros()).await;
    let said = cancelled.map(|slot| format!("Le rendez-vous du {} est annulé.", slot.label()));
    answer(app, &member, &people, &g, said).await
}

#[handler]
pub(super) async fn change(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<SlotForm>,
) -> AppResult<Response> {
    let g = access::grid_or_404(&app.store, id)?;
    let granted = access::run(member.actor(), &g)?;
    let people = People::load(&app.store)?;
    let change = match (f.action.as_str(), f.vers) {
        ("bloquer", _) => TeacherChange::Block,
        ("liberer", _) => TeacherChange::Free,
        ("annuler", _) => TeacherChange::Cancel,
        ("deplacer", Some(to)) => TeacherChange::MoveTo(to),
        _ => {
            return Err(AppError::BadRequest(
                "Choisissez ce qu'il faut faire de ce créneau.".into(),
            ))
        }
    };
    let teacher_name = name(&people, g.by);
    let told = Told {
        people: &people,
        teacher_name: &teacher_name,
    };
    let said = meetings::change_slot(
        &app.store,
        &granted,
        f.creneau,
        change,
        &told,
        auth::now_micros(),
    )
    .await;
    answer(app, &member, &people, &g, said).await
}

/// After a family's or the teacher's change of a slot: what was done, said on the grid;
/// or the grid again with the refusal beside it (nothing changed).
pub(super) async fn answer(
    app: &App,
    member: &Member,
    people: &People,
    g: &Grid,
    outcome: Outcome<String>,
) -> AppResult<Response> {
    match outcome {
        Ok(text) => {
            flash(app, member, Flash::success(text)).await?;
            Ok(Redirect::see_other(format!("/rendez-vous/{}", g.id)).into_response())
        }
        Err(Failure::Refused(r)) => Ok(refused(grid_page(
            app,
            member,
            people,
            g,
            Some(r.message()),
        )?)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(super) struct DayQuery {
    jour: Option<String>,
}

#[handler]
pub(super) fn sheet(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<DayQuery>,
) -> AppResult<Markup> {
    let g = access::grid_or_404(&app.store, id)?;
    access::run(member.actor(), &g)?;
    let people = People::load(&app.store)?;
    let day = q
        .jour
        .as_deref()
        .and_then(dates::parse_date)
        .filter(|d| g.sittings.iter().any(|s| s.day == *d))
        .or_else(|| g.sittings.first().map(|s| s.day))
        .ok_or(AppError::NotFound)?;
    let states = meetings::states(&app.store, g.id)?;
    let rows = rows(&people, &g, &states, i64::MIN);
    let body = view::sheet(&head(&people, &g), day, &rows);
    page(
        app,
        &member,
        &format!("Feuille du {}", dates::day_label(day)),
        body,
    )
}
