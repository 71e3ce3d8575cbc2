//! One mot: reading it, signing, the private exchanges, the « lu » mark, its attachments.

use maud::Markup;
use poem::web::{Data, Path, Redirect};
use poem::{handler, Response};

use super::super::access::{self, Side};
use super::super::forms::{ReplyFields, SignFields};
use super::super::views;
use super::super::volunteers;
use super::{flash, frame, stored};
use crate::app::App;
use crate::attachments::{self, range};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::ids::{MotId, UserId};
use crate::refusal::Failure;
use crate::ui::input::FormInput;

#[handler]
pub(super) async fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let reading = access::read(member.actor(), stored(app, id)?)?;
    let me = member.user().id;
    let now = auth::now_micros();
    let people = People::load(&app.store)?;
    let m = &reading.object().mot;
    if m.is_signer(me) {
        super::super::mark_read(&app.store, &reading, now).await?;
    }
    crate::notify::seen(&app.store, me, &format!("/carnet/{id}")).await?;
    let all_replies = super::super::replies(&app.store, id)?;
    let body = match reading.object().side {
        Side::Family => {
            let mine: Vec<(u64, super::super::Ack)> = m
                .signers
                .iter()
                .filter(|(_, g)| *g == me)
                .map(|(p, _)| {
                    let ack = super::super::ack(&app.store, MotId(id), UserId(*p), UserId(me));
                    (*p, ack.unwrap_or_default())
                })
                .collect();
            let my_replies: Vec<super::super::Reply> = all_replies
                .into_iter()
                .filter(|r| r.guardian == me)
                .collect();
            views::family_side(&member.visitor, &people, m, &mine, &my_replies, now)
        }
        Side::Staff => {
            let answers = m.staff_side(me);
            views::staff_side(&member.visitor, &people, m, &all_replies, answers)
        }
    };
    let call = match volunteers::call(&app.store, id)? {
        Some(c) => {
            let csrf = crate::ui::csrf_input(&member.visitor);
            let actor = member.actor();
            match reading.object().side {
                Side::Family => {
                    let may = volunteers::access::may_offer(actor, m);
                    volunteers::views::family(&csrf, id, &c, me, may)
                }
                Side::Staff => {
                    let may = volunteers::access::may_choose(actor, m);
                    volunteers::views::staff(&csrf, &people, id, &c, may)
                }
            }
        }
        None => maud::html! {},
    };
    frame(app, &member, &m.title, maud::html! { (body) (call) })
}

#[handler]
pub(super) async fn sign(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<SignFields>,
) -> AppResult<Redirect> {
    let reading = access::read(member.actor(), stored(app, id)?)?;
    let signing = access::sign(member.actor(), &reading.object().mot, f.pupil()?)?;
    let now = auth::now_micros();
    match super::super::sign(&app.store, &signing, f.answer(), now).await {
        Ok(()) => {
            let done = Flash::success("Merci, votre signature est enregistrée.");
            flash(app, &member, done).await?
        }
        Err(Failure::Refused(why)) => flash(app, &member, Flash::error(why)).await?,
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::see_other(format!("/carnet/{id}")))
}

#[handler]
pub(super) async fn reply(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<ReplyFields>,
) -> AppResult<Redirect> {
    let reading = access::read(member.actor(), stored(app, id)?)?;
    let text = f.text();
    if text.is_empty() {
        flash(app, &member, Flash::error("Votre réponse est vide.")).await?;
        return Ok(Redirect::see_other(format!("/carnet/{id}")));
    }
    let exchange = access::reply(member.actor(), reading.into_object(), f.family())?
        .ok_or_else(|| AppError::BadRequest("Famille non précisée.".into()))?;
    let name = member.user().display_name();
    let now = auth::now_micros();
    super::super::reply(&app.store, &exchange, &name, &text, now).await?;
    flash(app, &member, Flash::success("Réponse envoyée.")).await?;
    Ok(Redirect::see_other(format!("/carnet/{id}")))
}

#[handler]
pub(super) async fn read_by_staff(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let reading = access::read(member.actor(), stored(app, id)?)?;
    let received = access::receive(member.actor(), reading.into_object().mot)?;
    super::super::mark_read_by_staff(&app.store, &received, auth::now_micros()).await?;
    Ok(Redirect::see_other(format!("/carnet/{id}")))
}

#[handler]
pub(super) async fn attachment(
    req: &poem::Request,
    Data(app): Data<&App>,
    member: Member,
    Path((id, n)): Path<(u64, usize)>,
) -> AppResult<Response> {
    let reading = access::read(member.actor(), stored(app, id)?)?;
    let a = reading
        .object()
        .mot
        .attachments
        .get(n)
        .ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, a, range(req)).await)
}
