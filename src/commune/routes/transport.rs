//! `/commune/transport`: a line's page for families and staff, its form, its riders and
//! its exceptional changes for who runs the space.

use maud::Markup;
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use super::super::forms::{ChangeForm, LineForm, RidersForm};
use super::super::transport::{self as model, Line};
use super::super::views::transport::{self as view, Candidate, LinePage, Rider};
use super::super::{access, Presence};
use super::{flash, invalid, now, page, today};
use crate::app::App;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::directory::Membership;
use crate::error::{AppError, AppResult};
use crate::ui::csrf_input;
use crate::ui::form::FormState;
use crate::ui::input::FormInput;

fn line_or_404(app: &App, id: u64) -> AppResult<Line> {
    model::line(&app.store, id)?.ok_or(AppError::NotFound)
}

fn class_label(people: &People, pupil: u64) -> String {
    people
        .classes_of(pupil)
        .first()
        .and_then(|c| people.class(*c))
        .map(|c| c.label.clone())
        .unwrap_or_default()
}

fn line_page(app: &App, member: &Member, l: &Line, form: &FormState) -> AppResult<Markup> {
    let actor = member.actor();
    let people = People::load(&app.store)?;
    let presence = Presence::of(&app.store)?;
    let runs = access::runs(actor, presence);
    let changes = model::current_changes(&app.store, Some(l.id), today())?;
    // Only the riders the person may see: all for the commune and the director, their
    // children for a family, their pupils for a teacher.
    let mut shown: Vec<(u64, Rider)> = access::riders_seen(actor, &people, presence, &l.riders)
        .iter()
        .filter_map(|p| {
            let u = people.user(*p)?;
            Some((
                *p,
                Rider {
                    name: format!("{} {}", u.first_name, u.shown_last_name()),
                    class: class_label(&people, *p),
                },
            ))
        })
        .collect();
    // By class, then by name: a few riders (a family's) are each found in the list of
    // names; many (the commune's, the director's) get their places in one pass over it.
    let ranks: Option<FxHashMap<u64, usize>> = (shown.len() > 32).then(|| {
        let ids: FxHashSet<u64> = shown.iter().map(|(id, _)| *id).collect();
        people
            .by_name
            .iter()
            .enumerate()
            .filter(|(_, id)| ids.contains(id))
            .map(|(i, id)| (*id, i))
            .collect()
    });
    let rank = |id: &u64| match &ranks {
        Some(ranks) => ranks.get(id).copied(),
        None => people.by_name.iter().position(|x| x == id),
    };
    shown.sort_by_cached_key(|(id, r)| (r.class.clone(), rank(id)));
    let p = LinePage {
        line: l,
        changes: &changes,
        riders: shown.into_iter().map(|(_, r)| r).collect(),
        riders_total: l.riders.len(),
        runs,
    };
    let body = view::line(&csrf_input(&member.visitor), &p, form);
    page(app, member, &l.name, body)
}

#[handler]
pub(super) fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    access::read(member.actor())?;
    let l = line_or_404(app, id)?;
    let form = FormState::with_values([("du", today().to_string())]);
    line_page(app, &member, &l, &form)
}

fn form_page(app: &App, member: &Member, id: Option<u64>, form: &FormState) -> AppResult<Markup> {
    let body = view::line_form(&csrf_input(&member.visitor), id, form);
    page(app, member, "Ligne de transport scolaire", body)
}

#[handler]
pub(super) fn new_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let presence = Presence::of(&app.store)?;
    access::run(member.actor(), presence)?;
    let form = FormState::with_values([
        ("sens1", "aller".to_string()),
        ("jours1", "0,1,3,4".to_string()),
        ("sens2", "retour".to_string()),
        ("jours2", "0,1,3,4".to_string()),
    ]);
    form_page(app, &member, None, &form)
}

#[handler]
pub(super) async fn create(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<LineForm>,
) -> AppResult<Response> {
    let presence = Presence::of(&app.store)?;
    let granted = access::run(member.actor(), presence)?;
    match f.check() {
        Ok(new) => {
            let id = model::save(&app.store, &granted, None, &new, now()).await?;
            flash(
                app,
                &member,
                format!(
                    "La ligne « {} » est enregistrée : choisissez maintenant ses élèves.",
                    new.name
                ),
            )
            .await?;
            Ok(Redirect::see_other(format!("/commune/transport/{id}/eleves")).into_response())
        }
        Err(form) => Ok(invalid(form_page(app, &member, None, &form)?)),
    }
}

#[handler]
pub(super) fn edit_form(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let presence = Presence::of(&app.store)?;
    access::run(member.actor(), presence)?;
    let l = line_or_404(app, id)?;
    form_page(app, &member, Some(id), &LineForm::of(&l))
}

#[handler]
pub(super) async fn save(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<LineForm>,
) -> AppResult<Response> {
    let presence = Presence::of(&app.store)?;
    let granted = access::run(member.actor(), presence)?;
    line_or_404(app, id)?;
    match f.check() {
        Ok(new) => {
            model::save(&app.store, &granted, Some(id), &new, now()).await?;
            flash(
                app,
                &member,
                format!("La ligne « {} » est enregistrée.", new.name),
            )
            .await?;
            Ok(Redirect::see_other(format!("/commune/transport/{id}")).into_response())
        }
        Err(form) => Ok(invalid(form_page(app, &member, Some(id), &form)?)),
    }
}

#[handler]
pub(super) async fn delete(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let presence = Presence::of(&app.store)?;
    let granted = access::run(member.actor(), presence)?;
    let l = line_or_404(app, id)?;
    model::delete(&app.store, &granted, id).await?;
    flash(
        app,
        &member,
        format!("La ligne « {} » est supprimée.", l.name),
    )
    .await?;
    Ok(Redirect::see_other("/commune").into_response())
}

#[derive(Deserialize)]
pub(super) struct ClassQuery {
    classe: Option<u64>,
}

#[handler]
pub(super) fn riders(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<ClassQuery>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let presence = Presence::of(&app.store)?;
    access::run(member.actor(), presence)?;
    let l = line_or_404(app, id)?;
    // The riders per class kept (not the riders looked up once per class), and the chosen
    // class's pupils taken from its members (already in name order), not from the whole
    // school's list of names.
    let riding = model::riders_by_class(&app.store, l.id)?;
    let classes: Vec<(String, String)> = people
        .classes
        .iter()
        .map(|c| {
            let riding = riding.get(&c.id).copied().unwrap_or_default();
            (
                c.id.to_string(),
                format!("{} ({riding} sur la ligne)", c.label),
            )
        })
        .collect();
    let class = q
        .classe
        .filter(|c| people.class(*c).is_some())
        .or_else(|| people.classes.first().map(|c| c.id));
    // The class's pupils, names only: what the commune needs to choose the riders.
    let pupils: Vec<Candidate> = class
        .map(|c| {
            people
                .class_members
                .get(&c)
                .into_iter()
                .flatten()
                .filter(|(_, role)| *role == Membership::Pupil)
                .filter_map(|(id, _)| people.user(*id))
                .map(|u| Candidate {
                    id: u.id,
                    name: format!("{} {}", u.first_name, u.shown_last_name()),
                    rides: l.riders.contains(&u.id),
                })
                .collect()
        })
        .unwrap_or_default();
    let body = view::riders_form(&csrf_input(&member.visitor), &l, &classes, class, &pupils);
    page(app, &member, &format!("Élèves — {}", l.name), body)
}

#[handler]
pub(super) async fn set_riders(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<RidersForm>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let presence = Presence::of(&app.store)?;
    let granted = access::run(member.actor(), presence)?;
    let l = line_or_404(app, id)?;
    let class = people
        .class(f.classe)
        .ok_or_else(|| AppError::BadRequest("Choisissez une classe.".into()))?;
    model::set_riders(&app.store, &granted, &people, id, class.id, &f.eleves).await?;
    let n = f
        .eleves
        .iter()
        .filter(|p| people.classes_of(**p).contains(&class.id))
        .count();
    let text = match n {
        0 => format!(
            "Aucun élève de {} ne prend la ligne « {} ».",
            class.label, l.name
        ),
        1 => format!("1 élève de {} prend la ligne « {} ».", class.label, l.name),
        n => format!(
            "{n} élèves de {} prennent la ligne « {} ».",
            class.label, l.name
        ),
    };
    flash(app, &member, text).await?;
    Ok(Redirect::see_other(format!(
        "/commune/transport/{id}/eleves?classe={}",
        class.id
    ))
    .into_response())
}

#[handler]
pub(super) async fn post_change(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<ChangeForm>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let presence = Presence::of(&app.store)?;
    let granted = access::run(member.actor(), presence)?;
    let l = line_or_404(app, id)?;
    match f.check(today()) {
        Ok(new) => {
            let told = model::post_change(&app.store, &granted, &people, &l, &new, now()).await?;
            let text = match told {
                0 => "Changement publié. Aucune famille n'est prévenue : la ligne n'a pas encore d'élèves.".to_string(),
                1 => "Changement publié : 1 responsable est prévenu.".to_string(),
                n => format!("Changement publié : {n} responsables sont prévenus."),
            };
            flash(app, &member, text).await?;
            Ok(Redirect::see_other(format!("/commune/transport/{id}#contenu")).into_response())
        }
        Err(form) => Ok(invalid(line_page(app, &member, &l, &form)?)),
    }
}

#[handler]
pub(super) async fn withdraw(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let presence = Presence::of(&app.store)?;
    let granted = access::run(member.actor(), presence)?;
    let change = model::change(&app.store, id)?.ok_or(AppError::NotFound)?;
    let told = model::withdraw_change(&app.store, &granted, &people, &change, now()).await?;
    flash(
        app,
        &member,
        format!("Changement retiré ; {told} responsable(s) prévenu(s)."),
    )
    .await?;
    Ok(Redirect::see_other(format!("/commune/transport/{}", change.line)).into_response())
}
