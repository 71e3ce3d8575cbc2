//! /compte/notifications-push: subscribe this device, list and remove one's devices,
//! choose one's quiet hours.

use maud::Markup;
use poem::web::{Data, Path, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::views::{self, PAGE};
use super::{crypto, Endpoints, NewDevice, QuietHours, QUIET};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action};
use crate::routing::{Access, Object, Routes};
use crate::ui::input::FormInput;

pub fn routes() -> Routes {
    Routes::new()
        .get("/", show, Access::Member)
        .post("/", subscribe, Access::Member)
        .post("/heures-calmes", save_quiet_hours, Access::Member)
        .post(
            "/:id/retirer",
            revoke,
            Access::Object(Object::OwnPushDevice),
        )
}

/// Where endpoints may point on this server.
pub fn endpoint_rule(app: &App) -> Endpoints {
    if app.settings.push_loopback_for_tests {
        Endpoints::LoopbackForTests
    } else {
        Endpoints::Internet
    }
}

#[handler]
async fn show(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageOwnAccount)?;
    let user = member.user();
    let public_key = super::vapid_public_key(&app.store).await?;
    let devices = super::devices(&app.store, user.id)?;
    let quiet = super::quiet_hours(&app.store, user)?;
    let body = views::page(&member.visitor, &public_key, &devices, &quiet);
    app.page(
        &member.visitor,
        "Notifications sur mes appareils",
        "/compte",
        body,
    )
}

/// What the page's script sends once the browser has subscribed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct SubscriptionForm {
    endpoint: String,
    p256dh: String,
    auth: String,
}

async fn flash(app: &App, member: &Member, flash: Flash) -> AppResult<Response> {
    auth::push_flash(&app.store, &member.me.session_key, flash).await?;
    Ok(Redirect::see_other(PAGE).into_response())
}

#[handler]
async fn subscribe(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<SubscriptionForm>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageOwnAccount)?;
    let endpoint = f.endpoint.trim().to_string();
    let keys = crypto::unb64(&f.p256dh).zip(crypto::unb64(&f.auth));
    let checked = super::check_endpoint(&endpoint, endpoint_rule(app)).and_then(|()| {
        let (p256dh, auth) = keys.ok_or("les clés de l'appareil manquent")?;
        crypto::check_keys(&p256dh, &auth)
            .map(|()| (p256dh, auth))
            .map_err(|_| "les clés de l'appareil ne sont pas valides")
    });
    let (p256dh, auth) = match checked {
        Ok(keys) => keys,
        Err(why) => {
            return flash(
                app,
                &member,
                Flash::error(format!("Cet appareil n'a pas pu être abonné : {why}.")),
            )
            .await
        }
    };
    let device = NewDevice {
        endpoint,
        p256dh,
        auth,
        label: super::device_label(&member.visitor.user_agent),
    };
    let user = member.user().id;
    let now = auth::now_micros();
    app.store
        .commit(|tx| super::subscribe(tx, user, &device, now))
        .await?;
    flash(
        app,
        &member,
        Flash::success(format!(
            "{} recevra vos notifications, en dehors de vos heures calmes.",
            device.label
        )),
    )
    .await
}

#[handler]
async fn revoke(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Response> {
    require(member.actor(), Action::ManageOwnAccount)?;
    let user = member.user().id;
    let removed = app.store.commit(|tx| super::revoke(tx, user, id)).await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    flash(
        app,
        &member,
        Flash::success("Cet appareil ne recevra plus vos notifications."),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct QuietForm {
    start: String,
    end: String,
    weekends: String,
}

#[handler]
async fn save_quiet_hours(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<QuietForm>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageOwnAccount)?;
    let hour = |v: &str| v.trim().parse::<u8>().ok().filter(|h| *h < 24);
    let (Some(start), Some(end)) = (hour(&f.start), hour(&f.end)) else {
        return flash(
            app,
            &member,
            Flash::error("Choisissez une heure de début et une heure de fin."),
        )
        .await;
    };
    let quiet = QuietHours {
        start,
        end,
        weekends: f.weekends == "oui",
    };
    let user = member.user().id;
    app.store.commit(|tx| tx.put(&QUIET, &user, &quiet)).await?;
    let said = if quiet.none() {
        "Pas d'heures calmes : les notifications arrivent à toute heure.".to_string()
    } else if start == end {
        "Heures calmes : le week-end.".to_string()
    } else {
        format!(
            "Heures calmes : de {start} h à {end} h{}.",
            if quiet.weekends {
                ", et le week-end"
            } else {
                ""
            }
        )
    };
    flash(app, &member, Flash::success(said)).await
}
