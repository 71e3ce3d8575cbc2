//! `/absences`: each guardian's children (their absences, late arrivals, motifs), the
//! motif given afterwards, « Prévenir d'une absence »; the périscolaire's pupils missing
//! today; nothing for a pupil.

use maud::Markup;
use poem::web::{Data, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::super::access;
use super::super::families::{self, Declaration, Halves};
use super::super::views::families as view;
use super::super::{HalfDay, Motif};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::Profile;
use crate::ui::csrf_input;
use crate::ui::form::FormState;
use crate::ui::input::FormInput;

/// How many half-days of a child the page lists (a school year has about 290).
const SHOWN: usize = 300;

#[handler]
pub(super) fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let actor = member.actor();
    let body = if !actor.children.is_empty() {
        let mut children = Vec::new();
        for c in &actor.children {
            access::view(actor, *c, people.classes_of(*c).first().copied())?;
            let mut slots = super::super::of_pupil(&app.store, *c)?;
            slots.truncate(SHOWN);
            children.push(view::Child {
                id: *c,
                name: people
                    .user(*c)
                    .map(|u| u.display_name())
                    .unwrap_or_default(),
                slots,
            });
        }
        view::home(&csrf_input(&member.visitor), &children)
    } else if actor.profile == Profile::Periscolaire {
        // Today's presence of the pupils in their care (the canteen's page shows more).
        let now = auth::now_micros();
        let (today, _) = super::super::current(now);
        let care = people.in_care_of(actor.user_id);
        let missing: Vec<(String, String)> = super::super::absent_on(&app.store, today)?
            .into_iter()
            .filter(|a| care.contains(&a.pupil.0))
            .map(|a| {
                (
                    people
                        .user(a.pupil.0)
                        .map(|u| u.display_name())
                        .unwrap_or_default(),
                    format!("{} : {}", a.half.label(), a.reason),
                )
            })
            .collect();
        view::in_care(&crate::ui::dates::day_label(today), &missing)
    } else {
        view::nothing(actor.profile == Profile::Enseignant)
    };
    app.page(&member.visitor, "Absences", "/absences", body)
}

fn children(people: &People, member: &Member) -> Vec<(u64, String)> {
    member
        .actor()
        .children
        .iter()
        .map(|c| {
            (
                *c,
                people
                    .user(*c)
                    .map(|u| u.first_name.clone())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[handler]
pub(super) fn declare_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    // Guardians only: the form is for one's own children.
    if member.actor().children.is_empty() {
        return Err(AppError::Forbidden);
    }
    let people = People::load(&app.store)?;
    let today = super::super::current(auth::now_micros()).0.to_string();
    let form = FormState::with_values([("du", today.clone()), ("au", today)]);
    let body = view::declare(
        &csrf_input(&member.visitor),
        &children(&people, &member),
        &form,
    );
    app.page(&member.visitor, "Prévenir d'une absence", "/absences", body)
}

#[derive(Deserialize)]
pub(super) struct DeclareForm {
    #[serde(default)]
    eleve: u64,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
    #[serde(default)]
    demi: String,
    #[serde(default)]
    motif: String,
    #[serde(default)]
    commentaire: String,
}

#[handler]
pub(super) async fn declare_submit(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<DeclareForm>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let child = access::declare(member.actor(), f.eleve)?;
    let mut form = FormState::with_values([
        ("eleve", f.eleve.to_string()),
        ("du", f.du.clone()),
        ("au", f.au.clone()),
        ("demi", f.demi.clone()),
        ("motif", f.motif.clone()),
        ("commentaire", f.commentaire.clone()),
    ]);
    let from = crate::ui::dates::parse_date(&f.du);
    if from.is_none() {
        form.error("du", "Indiquez le premier jour d'absence.");
    }
    let to = if f.au.trim().is_empty() {
        from
    } else {
        crate::ui::dates::parse_date(&f.au)
    };
    if to.is_none() {
        form.error("au", "Indiquez le dernier jour d'absence.");
    }
    let motif = Motif::from_slug(&f.motif);
    if motif.is_none() {
        form.error("motif", "Choisissez le motif dans la liste.");
    }
    let comment: String = f.commentaire.trim().chars().take(300).collect();
    if motif == Some(Motif::Autre) && comment.is_empty() {
        form.error("commentaire", "Précisez le motif.");
    }
    let halves = match HalfDay::from_slug(&f.demi) {
        Some(h) => Halves::Only(h),
        None => Halves::Both,
    };
    if let (true, Some(from), Some(to), Some(motif)) = (form.is_ok(), from, to, motif) {
        let d = Declaration {
            from,
            to,
            halves,
            motif,
            comment: comment.clone(),
        };
        match families::declare(&app.store, &people, &child, &d, auth::now_micros()).await {
            Ok(n) => {
                auth::push_flash(
                    &app.store,
                    &member.me.session_key,
                    Flash::success(format!(
                        "L'école est prévenue ({n} demi-journée{}).",
                        if n > 1 { "s" } else { "" }
                    )),
                )
                .await?;
                return Ok(Redirect::see_other("/absences").into_response());
            }
            Err(crate::refusal::Failure::Refused(r)) => form.hold_back("du", r.message()),
            Err(e) => return Err(e.into()),
        }
    }
    let body = view::declare(
        &csrf_input(&member.visitor),
        &children(&people, &member),
        &form,
    );
    let page = app.page(&member.visitor, "Prévenir d'une absence", "/absences", body)?;
    Ok((poem::http::StatusCode::BAD_REQUEST, page).into_response())
}

#[derive(Deserialize)]
pub(super) struct MotifForm {
    #[serde(default)]
    eleve: u64,
    #[serde(default)]
    creneau: u64,
    #[serde(default)]
    motif: String,
    #[serde(default)]
    commentaire: String,
}

#[handler]
pub(super) async fn motif_submit(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<MotifForm>,
) -> AppResult<Response> {
    let child = access::declare(member.actor(), f.eleve)?;
    let motif = Motif::from_slug(&f.motif)
        .ok_or_else(|| AppError::BadRequest("Choisissez le motif dans la liste.".into()))?;
    let comment: String = f.commentaire.trim().chars().take(300).collect();
    families::give_motif(
        &app.store,
        &child,
        f.creneau,
        motif,
        &comment,
        auth::now_micros(),
    )
    .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Motif transmis à l'école. Merci."),
    )
    .await?;
    Ok(Redirect::see_other("/absences").into_response())
}
