//! `/suivi/eleve/:id/synthese`: the synthèse des acquis of the end of GS — written by who
//! keeps the carnet, shared with the family, signed by each guardian (their « J'ai vu »
//! on its share, `pupils::seen`), printed.

use maud::Markup;
use poem::web::{Data, Path, Redirect};
use poem::{handler, IntoResponse, Response};

use super::super::access::{self, Reading as Reader};
use super::super::synthese::{self as model, Entry, Level, Synthese, GRID, MAX_TEXT};
use super::super::views::synthese::{self as view, Child, Reading};
use super::pupils::pupil_or_404;
use super::{class_label, flash, invalid, name, now, page};
use crate::app::App;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::directory::Level as SchoolLevel;
use crate::error::{AppError, AppResult};
use crate::ui::csrf_input;
use crate::ui::form::{first_value, FormState};
use crate::ui::input::FormInput;

const NOT_GS: &str = "Cet enfant n'est pas inscrit en grande section : la synthèse des acquis se remplit et se partage à la fin de la GS.";

/// Whether the child is in grande section (their own level, else their classes').
pub(super) fn in_gs(people: &People, pupil: u64) -> bool {
    match people.levels.get(&pupil) {
        Some(level) => *level == SchoolLevel::GS,
        None => people
            .classes_of(pupil)
            .iter()
            .filter_map(|c| people.class(*c))
            .any(|c| c.levels.contains(&SchoolLevel::GS)),
    }
}

fn edit_page(
    app: &App,
    member: &Member,
    people: &People,
    pupil: u64,
    saved: bool,
    form: &FormState,
) -> AppResult<Markup> {
    let (who, class) = (name(people, pupil), class_label(people, pupil));
    let child = Child {
        id: pupil,
        name: &who,
        class_label: &class,
        not_gs: !in_gs(people, pupil),
    };
    let body = view::edit(&csrf_input(&member.visitor), &child, saved, form);
    page(app, member, &format!("Synthèse des acquis — {who}"), body)
}

/// The form filled with what was saved.
fn saved_form(s: &Synthese) -> FormState {
    let mut form = FormState::new();
    for (i, (_, _, level)) in s.lines.iter().enumerate() {
        form.set(&format!("l-{i}"), level.slug());
    }
    form.set("points-forts", s.strengths.clone());
    form.set("besoins", s.needs.clone());
    form
}

/// What the family reads (and signs), and the sheet.
fn reading<'a>(
    app: &App,
    member: &Member,
    people: &People,
    s: &'a Synthese,
    who: &'a str,
    class: &'a str,
) -> AppResult<Reading<'a>> {
    let shared = model::share_of(&app.store, s)?;
    let me = member.actor().user_id;
    let signed = people
        .parents_of(s.pupil)
        .iter()
        .map(|g| {
            let at = shared.as_ref().and_then(|sh| sh.seen_by(*g)).map(|v| v.at);
            (name(people, *g), at)
        })
        .collect();
    let to_sign = shared
        .as_ref()
        .filter(|sh| people.parents_of(s.pupil).contains(&me) && sh.seen_by(me).is_none())
        .map(|sh| sh.id);
    Ok(Reading {
        child: Child {
            id: s.pupil,
            name: who,
            class_label: class,
            not_gs: false,
        },
        synthese: s,
        author: name(people, s.author),
        signed,
        to_sign,
    })
}

/// The synthèse `member` may read: who keeps the carnet, any saved one; the family, a
/// shared one (none before: 404).
fn readable(app: &App, member: &Member, people: &People, pupil: u64) -> AppResult<Synthese> {
    let reader = access::read_pupil(member.actor(), people, pupil)?;
    let s = model::of_pupil(&app.store, pupil)?.ok_or(AppError::NotFound)?;
    if reader == Reader::Family && s.share.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(s)
}

#[handler]
pub(super) async fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    let reader = access::read_pupil(member.actor(), &people, id)?;
    let saved = model::of_pupil(&app.store, id)?;
    match saved {
        Some(s) if s.share.is_some() => {
            let (who, class) = (name(&people, id), class_label(&people, id));
            let r = reading(app, &member, &people, &s, &who, &class)?;
            let body = view::read(&csrf_input(&member.visitor), &r);
            let page = page(app, &member, &format!("Synthèse des acquis — {who}"), body)?;
            let link = format!("/suivi/eleve/{id}/synthese");
            crate::notify::seen(&app.store, member.actor().user_id, &link).await?;
            Ok(page)
        }
        _ if reader == Reader::Family => Err(AppError::NotFound),
        Some(s) => edit_page(app, &member, &people, id, true, &saved_form(&s)),
        None => edit_page(app, &member, &people, id, false, &FormState::new()),
    }
}

/// The grid's levels and the two texts, each refusal beside its field.
fn check(texts: &[(String, String)]) -> (FormState, Option<Entry>) {
    let mut form = FormState::new();
    let count: usize = GRID.iter().map(|(_, l)| l.len()).sum();
    let mut levels = Vec::new();
    for i in 0..count {
        let name = format!("l-{i}");
        let value = first_value(texts, &name);
        match Level::from_slug(&value) {
            Some(l) => levels.push(l),
            None => form.error(&name, "Choisissez où en est l'enfant pour cette ligne."),
        }
        form.set(&name, value);
    }
    for (field, label) in [
        ("points-forts", "Les points forts"),
        ("besoins", "Les besoins"),
    ] {
        let value = first_value(texts, field).trim().to_string();
        if value.chars().count() > MAX_TEXT {
            form.error(
                field,
                format!("{label} sont trop longs ({MAX_TEXT} caractères au plus)."),
            );
        }
        form.set(field, value);
    }
    let entry = form.is_ok().then(|| Entry {
        levels,
        strengths: form.value("points-forts").to_string(),
        needs: form.value("besoins").to_string(),
    });
    (form, entry)
}

#[handler]
pub(super) async fn save(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(texts): FormInput<Vec<(String, String)>>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    let granted = access::keep_pupil(member.actor(), &people, id)?;
    // The synthèse is the end of GS's: a child whose record says another level (a CP
    // pupil of a GS-CP class, a CM1 pupil) gets none written or shared. A child without
    // a recorded level is left to the teacher: the page says when the classes are not GS.
    if people
        .levels
        .get(&id)
        .is_some_and(|l| *l != SchoolLevel::GS)
    {
        return Err(AppError::BadRequest(NOT_GS.into()));
    }
    let (form, entry) = check(&texts);
    let Some(entry) = entry else {
        let saved = model::of_pupil(&app.store, id)?.is_some();
        return Ok(invalid(edit_page(app, &member, &people, id, saved, &form)?));
    };
    let text = if model::save(&app.store, &granted, id, entry, now()).await? {
        "Synthèse enregistrée. Partagez-la avec la famille quand elle est prête."
    } else {
        "Cette synthèse est déjà partagée : elle ne change plus."
    };
    flash(app, &member, text.into()).await?;
    Ok(Redirect::see_other(format!("/suivi/eleve/{id}/synthese")).into_response())
}

#[handler]
pub(super) async fn share(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    let granted = access::keep_pupil(member.actor(), &people, id)?;
    // The synthèse is the end of GS's: a child whose record says another level (a CP
    // pupil of a GS-CP class, a CM1 pupil) gets none written or shared. A child without
    // a recorded level is left to the teacher: the page says when the classes are not GS.
    if people
        .levels
        .get(&id)
        .is_some_and(|l| *l != SchoolLevel::GS)
    {
        return Err(AppError::BadRequest(NOT_GS.into()));
    }
    let text = if model::share(&app.store, &granted, &people, id, now()).await? {
        "La synthèse est partagée ; chaque responsable est invité à la signer."
    } else {
        "Rien à partager : la synthèse n'est pas encore écrite, ou déjà partagée."
    };
    flash(app, &member, text.into()).await?;
    Ok(Redirect::see_other(format!("/suivi/eleve/{id}/synthese")).into_response())
}

#[handler]
pub(super) fn print(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    let s = readable(app, &member, &people, id)?;
    let (who, class) = (name(&people, id), class_label(&people, id));
    let r = reading(app, &member, &people, &s, &who, &class)?;
    let school = crate::school::get(&app.store)?;
    let body = view::sheet(school.as_ref(), &r);
    Ok(crate::app::App::page_of(
        school.as_ref(),
        &member.visitor,
        &format!("Synthèse des acquis — {who}"),
        "/suivi",
        body,
    ))
}
