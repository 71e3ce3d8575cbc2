//! `/suivi/eleve/:id`: a child's carnet, read by who keeps it and by the family; sharing
//! it, the family's « J'ai vu » and the comments.

use maud::Markup;
use poem::web::{Data, Path, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::super::access::{self, Reading};
use super::super::carnet as model;
use super::super::forms::check_comment;
use super::super::views::carnet::{self as view, Carnet, ShownShare};
use super::{class_label, flash, invalid, name, now, page};
use crate::app::App;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::Profile;
use crate::ui::csrf_input;
use crate::ui::input::FormInput;

pub(in crate::progress) fn pupil_or_404(people: &People, id: u64) -> AppResult<()> {
    match people.user(id) {
        Some(u) if u.profile == Profile::Eleve => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

fn carnet_page(
    app: &App,
    member: &Member,
    people: &People,
    pupil: u64,
    comment_error: Option<(u64, &str, String)>,
) -> AppResult<Markup> {
    let actor = member.actor();
    let keeper = access::read_pupil(actor, people, pupil)? == Reading::Keeper;
    let mut entries = model::of_pupil(&app.store, pupil)?;
    let shares = model::shares_of(&app.store, pupil)?;
    if !keeper {
        entries.retain(|r| r.shared.is_some());
    }
    let shown: Vec<ShownShare<'_>> = shares
        .iter()
        .map(|s| ShownShare {
            share: s,
            by: name(people, s.by),
            guardians: people
                .parents_of(pupil)
                .iter()
                .map(|g| (name(people, *g), s.seen_by(*g).map(|v| v.at)))
                .collect(),
            comments: s
                .comments
                .iter()
                .map(|c| (name(people, c.by), c.at, c.text.as_str()))
                .collect(),
            to_acknowledge: !keeper && s.seen_by(actor.user_id).is_none(),
        })
        .collect();
    let c = Carnet {
        pupil,
        name: name(people, pupil),
        class_label: class_label(people, pupil),
        keeper,
        entries: &entries,
        shares: shown,
        comment_error,
        synthese_link: super::synthese::in_gs(people, pupil)
            || crate::progress::synthese::of_pupil(&app.store, pupil)?.is_some(),
    };
    let body = view::carnet(&csrf_input(&member.visitor), &c);
    page(
        app,
        member,
        &format!("Carnet de suivi {}", crate::ui::de(&c.name)),
        body,
    )
}

#[handler]
pub(super) async fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    let page = carnet_page(app, &member, &people, id, None)?;
    crate::notify::seen(
        &app.store,
        member.actor().user_id,
        &format!("/suivi/eleve/{id}"),
    )
    .await?;
    Ok(page)
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
    let shared = model::share(&app.store, &granted, &people, &[id], now()).await?;
    let text = if shared == 0 {
        "Rien de nouveau à partager : tout était déjà partagé.".to_string()
    } else {
        format!(
            "Le carnet {} est partagé ; sa famille est prévenue.",
            crate::ui::de(&name(&people, id))
        )
    };
    flash(app, &member, text).await?;
    Ok(Redirect::see_other(format!("/suivi/eleve/{id}")).into_response())
}

#[derive(Deserialize)]
pub(super) struct ShareForm {
    #[serde(default)]
    partage: String,
    #[serde(default)]
    texte: String,
}

impl ShareForm {
    fn share(&self) -> AppResult<u64> {
        self.partage
            .parse()
            .map_err(|_| AppError::BadRequest("Ce partage n'existe pas.".into()))
    }
}

#[handler]
pub(super) async fn seen(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<ShareForm>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    let granted = access::acknowledge(member.actor(), id)?;
    let share_id = f.share()?;
    if !model::acknowledge(&app.store, &granted, id, share_id, now()).await? {
        return Err(AppError::NotFound);
    }
    // The « J'ai vu » of the synthèse's share is the guardian's signature.
    let synthese = app
        .store
        .get(&model::SHARES, &(id, share_id))?
        .is_some_and(|s| s.synthese);
    let (text, back) = if synthese {
        (
            "Votre signature est enregistrée : l'enseignant voit que vous avez lu la synthèse.",
            format!("/suivi/eleve/{id}/synthese"),
        )
    } else {
        (
            "C'est noté : l'enseignant voit que vous avez vu le carnet.",
            format!("/suivi/eleve/{id}"),
        )
    };
    flash(app, &member, text.into()).await?;
    Ok(Redirect::see_other(back).into_response())
}

#[handler]
pub(super) async fn comment(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<ShareForm>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    let granted = access::comment(member.actor(), &people, id)?;
    let share_id = f.share()?;
    let text = match check_comment(&f.texte) {
        Ok(t) => t,
        Err(e) => {
            let error = Some((share_id, f.texte.as_str(), e.to_string()));
            return Ok(invalid(carnet_page(app, &member, &people, id, error)?));
        }
    };
    if !model::comment(&app.store, &granted, &people, id, share_id, &text, now()).await? {
        return Err(AppError::NotFound);
    }
    flash(app, &member, "Commentaire envoyé.".into()).await?;
    Ok(Redirect::see_other(format!("/suivi/eleve/{id}")).into_response())
}
