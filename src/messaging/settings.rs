//! Console page /admin/communication: who may write to whom (the rules of the policy,
//! circle by circle), the emergency switches, the end-of-year purge. Every change is
//! written to the audit log in the same transaction.

use crate::routing::{Access, Routes};
use maud::Markup;
use poem::handler;
use poem::web::{Data, Redirect};

use super::access::communication;
use super::forms::CommunicationForm;
use super::{views, PurgePlan};
use crate::app::App;
use crate::auth::journal::AuditEvent;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::AppResult;
use crate::policy::communication::{Circle, CommRules};
use crate::ui::input::FormInput;

pub(crate) fn console() -> Routes {
    Routes::new()
        .get("/", show, Access::Director)
        .post("/", save, Access::Director)
}

#[handler]
fn show(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    communication(member.actor())?;
    let rules = super::rules(&app.store)?;
    let plan = super::purge_plan(&app.store)?;
    app.console_page(
        &member.visitor,
        "Communication",
        "/admin/communication",
        views::communication(&member.visitor, &rules, plan.as_ref()),
    )
}

#[handler]
async fn save(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<CommunicationForm>,
) -> AppResult<Redirect> {
    let director = communication(member.actor())?;
    let before = super::rules(&app.store)?;
    let rules = f.rules(&before);
    let now = auth::now_micros();
    let old_plan = super::purge_plan(&app.store)?;
    let (plan, error) = f.purge(old_plan.as_ref(), now);
    let trail = trail(&before, &rules, old_plan.as_ref(), plan.as_ref());
    let event = AuditEvent {
        at: now,
        actor_id: Some(member.user().id),
        actor_login: member.user().login.clone(),
        action: format!("Communication : {}", trail.join(" ; ")),
    };
    let audit = (!trail.is_empty()).then_some(&event);
    super::save_settings(&app.store, &director, &rules, plan.as_ref(), audit).await?;
    let flash = match error {
        Some(e) => Flash::error(format!("Règles enregistrées, mais pas la purge : {e}")),
        None => Flash::success("Règles de communication enregistrées."),
    };
    auth::push_flash(&app.store, &member.me.session_key, flash).await?;
    Ok(Redirect::see_other("/admin/communication"))
}

/// What changed, in French, for the audit log.
fn trail(
    before: &CommRules,
    rules: &CommRules,
    old_plan: Option<&PurgePlan>,
    plan: Option<&PurgePlan>,
) -> Vec<String> {
    let mut trail = Vec::new();
    for (label, old, new) in [
        (
            "messagerie des élèves suspendue",
            before.suspend_pupils,
            rules.suspend_pupils,
        ),
        (
            "messagerie des parents suspendue",
            before.suspend_parents,
            rules.suspend_parents,
        ),
        (
            "messagerie suspendue pour tous",
            before.suspend_everyone,
            rules.suspend_everyone,
        ),
        (
            "« toute l'école » réservé à la direction",
            before.whole_school_direction_only,
            rules.whole_school_direction_only,
        ),
    ] {
        if old != new {
            trail.push(format!("{label} : {}", if new { "oui" } else { "non" }));
        }
    }
    for from in Circle::ALL {
        for to in Circle::ALL {
            if before.get(from, to) != rules.get(from, to) {
                trail.push(format!(
                    "{} → {} : {}",
                    from.label(),
                    to.label(),
                    rules.get(from, to).label()
                ));
            }
        }
    }
    if plan != old_plan {
        trail.push(match plan {
            Some(p) => format!("purge des messages programmée le {}", p.day),
            None => "purge des messages annulée".into(),
        });
    }
    trail
}
