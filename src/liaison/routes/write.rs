//! Writing a mot: to families (a teacher, the director), or from a family to the teachers.

use maud::{html, Markup};
use poem::web::{Data, Multipart, Query, Redirect};
use poem::{handler, IntoResponse, Response};

use super::super::access;
use super::super::forms::{parse_audience, typed, ForPupil, MotFields};
use super::super::views::{self, MotForm};
use super::super::Audience;
use super::{flash, frame};
use crate::app::App;
use crate::attachments::{self, Upload};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action};
use crate::refusal::Failure;
use crate::ui::form::FormState;

/// The text fields and files of a mot's multipart form.
async fn upload(
    app: &App,
    member: &Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Upload> {
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    Ok(attachments::read_form(
        &app.store,
        member.actor(),
        &mut multipart,
        attachments::Limits::ATTACHMENTS,
    )
    .await?)
}

fn mot_page(
    app: &App,
    member: &Member,
    people: &People,
    chosen: &[Audience],
    form: &FormState,
) -> AppResult<Markup> {
    let actor = member.actor();
    let classes: Vec<(u64, String)> = people
        .classes
        .iter()
        .filter(|c| access::address(actor, people, Audience::Class(c.id)).is_ok())
        .map(|c| (c.id, c.label.clone()))
        .collect();
    let groups: Vec<(u64, String)> = people
        .groups
        .iter()
        .filter(|g| access::address(actor, people, Audience::Group(g.id)).is_ok())
        .map(|g| (g.id, g.label.clone()))
        .collect();
    let mut pupils: Vec<(u64, String)> = Vec::new();
    for (id, label) in &classes {
        for p in people.pupils_of_class(*id) {
            if let Some(u) = people.user(p) {
                pupils.push((
                    p,
                    format!("{} {} ({label})", u.shown_last_name(), u.first_name),
                ));
            }
        }
    }
    pupils.sort_by(|a, b| a.1.cmp(&b.1));
    let picker = crate::media::picker::offer(app, actor)?;
    let body = html! {
        (crate::ui::heading("Nouveau mot aux familles", Some("Chaque responsable le signe séparément ; vous voyez qui a lu, signé et répondu.")))
        section.panel {
            (views::mot_form(&member.visitor, &MotForm {
                action: format!("/carnet/nouveau?{}={}", crate::auth::csrf::FIELD, member.visitor.csrf),
                classes: &classes,
                groups: &groups,
                pupils: &pupils,
                school: require(actor, Action::WriteMot { class_id: None }).is_ok(),
                chosen,
            }, form, picker))
        }
    };
    frame(app, member, "Nouveau mot", body)
}

#[handler]
pub(super) fn new_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    if !access::writes_mots(member.actor()) {
        return Err(AppError::Forbidden);
    }
    let people = People::load(&app.store)?;
    mot_page(app, &member, &people, &[], &FormState::new())
}

#[handler]
pub(super) async fn new_submit(
    Data(app): Data<&App>,
    member: Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let actor = member.actor();
    if !access::writes_mots(actor) {
        return Err(AppError::Forbidden);
    }
    let up = upload(app, &member, multipart).await?;
    let fields: MotFields = typed(&up.texts)?;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let mut form = fields.state();
    let mut chosen = Vec::new();
    for v in &fields.audience {
        match parse_audience(v) {
            Some(a) if access::address(actor, &people, a).is_ok() => {
                if !chosen.contains(&a) {
                    chosen.push(a)
                }
            }
            // A crafted or stale target: refused, never widened.
            _ => form.error(
                "audience",
                "Vous ne pouvez pas écrire à l'un des destinataires choisis.",
            ),
        }
    }
    if chosen.is_empty() && !form.errors.contains_key("audience") {
        form.error("audience", "Choisissez à qui s'adresse le mot.");
    }
    let new = fields.read_mot(&up.errors, up.files.clone(), &mut form, now);
    let volunteers = fields.volunteers(&mut form);
    crate::auth::rate::note(app, member.user().id, &mut form, "body");
    if form.is_ok() {
        let to = access::publish_to(actor, &people, chosen.clone())?;
        match super::super::publish_calling(&app.store, &people, &to, &new, volunteers, now).await {
            Ok(id) => {
                let done = Flash::success("Le mot est publié : chaque responsable est prévenu.");
                flash(app, &member, done).await?;
                return Ok(Redirect::see_other(format!("/carnet/{id}/suivi")).into_response());
            }
            Err(Failure::Refused(why)) => form.error("audience", why),
            Err(e) => return Err(e.into()),
        }
    }
    // Attachments already sent are kept only as files: say so rather than lose them silently.
    if !new.attachments.is_empty() {
        form.error("files", "Joignez à nouveau vos fichiers (ils n'ont pas été gardés avec ce formulaire incomplet).");
    }
    Ok((
        poem::http::StatusCode::BAD_REQUEST,
        mot_page(app, &member, &people, &chosen, &form)?,
    )
        .into_response())
}

/// The children this guardian may write about, with their first names.
fn children(member: &Member, people: &People) -> Vec<(u64, String)> {
    access::family_children(member.actor())
        .into_iter()
        .filter_map(|c| people.user(c).map(|u| (c, u.first_name.clone())))
        .collect()
}

fn family_page(app: &App, member: &Member, people: &People, form: &FormState) -> AppResult<Markup> {
    let kids = children(member, people);
    let action = format!(
        "/carnet/ecrire?{}={}",
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    let picker = crate::media::picker::offer(app, member.actor())?;
    let body = html! {
        (crate::ui::heading("Écrire un mot à l'enseignant", Some("Une absence, un rendez-vous, une information : le mot va aux enseignants de la classe de votre enfant.")))
        section.panel { (views::family_form(&member.visitor, &action, &kids, form, picker)) }
    };
    frame(app, member, "Écrire un mot", body)
}

#[handler]
pub(super) fn family_form(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ForPupil>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    if children(&member, &people).is_empty() {
        return Err(AppError::Forbidden);
    }
    let mut form = FormState::new();
    if let Some(e) = q.eleve {
        form.set("eleve", e.to_string());
    }
    family_page(app, &member, &people, &form)
}

#[handler]
pub(super) async fn family_submit(
    Data(app): Data<&App>,
    member: Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    if children(&member, &people).is_empty() {
        return Err(AppError::Forbidden);
    }
    let up = upload(app, &member, multipart).await?;
    let fields: MotFields = typed(&up.texts)?;
    let now = auth::now_micros();
    let mut form = fields.state();
    let about = match fields.eleve.parse::<u64>() {
        Ok(p) => Some(access::write_from_family(member.actor(), p)?),
        Err(_) => {
            form.error("eleve", "Choisissez l'enfant concerné.");
            None
        }
    };
    let new = fields.read_mot(&up.errors, up.files.clone(), &mut form, now);
    crate::auth::rate::note(app, member.user().id, &mut form, "body");
    if let (true, Some(about)) = (form.is_ok(), &about) {
        match super::super::write_from_family(&app.store, &people, about, &new, now).await {
            Ok(id) => {
                flash(
                    app,
                    &member,
                    Flash::success("Votre mot est envoyé aux enseignants."),
                )
                .await?;
                return Ok(Redirect::see_other(format!("/carnet/{id}")).into_response());
            }
            Err(Failure::Refused(why)) => form.error("eleve", why),
            Err(e) => return Err(e.into()),
        }
    }
    if !new.attachments.is_empty() {
        form.error(
            "files",
            "Joignez à nouveau votre fichier (il n'a pas été gardé avec ce formulaire incomplet).",
        );
    }
    Ok((
        poem::http::StatusCode::BAD_REQUEST,
        family_page(app, &member, &people, &form)?,
    )
        .into_response())
}
