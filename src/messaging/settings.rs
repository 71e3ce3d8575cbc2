//! Console page /admin/communication: who may write to whom (the rules of the policy,
//! circle by circle), the emergency switches, the end-of-year purge. Every change is
//! written to the audit log in the same transaction.

use crate::routing::{Access, Routes};
use maud::{html, Markup};
use poem::handler;
use poem::web::{Data, Redirect};

use super::access::communication;
use super::forms::CommunicationForm;
use super::PurgePlan;
use crate::admin::console_page;
use crate::app::App;
use crate::auth::journal::AuditEvent;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::AppResult;
use crate::policy::communication::{Circle, CommRules, Reach};
use crate::ui::input::FormInput;
use crate::ui::{csrf_input, dates};

pub(crate) fn console() -> Routes {
    Routes::new()
        .get("/", show, Access::Director)
        .post("/", save, Access::Director)
}

fn view(member: &Member, rules: &CommRules, plan: Option<&PurgePlan>) -> Markup {
    let switches = [
        (
            "suspend_pupils",
            "Suspendre la messagerie des élèves",
            rules.suspend_pupils,
        ),
        (
            "suspend_parents",
            "Suspendre la messagerie des parents",
            rules.suspend_parents,
        ),
        (
            "suspend_everyone",
            "Suspendre la messagerie pour tous (la direction garde la parole)",
            rules.suspend_everyone,
        ),
        (
            "whole_school_direction_only",
            "« Toute l'école » réservé à la direction",
            rules.whole_school_direction_only,
        ),
    ];
    html! {
        (crate::ui::heading("Communication", Some("Qui peut écrire à qui dans la messagerie. « Ceux qui les concernent » : les personnes liées par une classe, un groupe ou un enfant (un parent et les enseignants de son enfant, deux élèves d'une même classe).")))
        form method="post" action="/admin/communication" {
            (csrf_input(&member.visitor))
            section.panel {
                h2 { "Interrupteurs d'urgence" }
                @for (name, label, on) in switches {
                    div.check {
                        input type="checkbox" id=(format!("f-{name}")) name=(name) value="1" checked[on];
                        label for=(format!("f-{name}")) { (label) }
                    }
                }
            }
            section.panel {
                h2 { "Règles de communication" }
                div.scroll {
                    table.list.matrix {
                        caption { "Ligne : qui écrit ; colonne : à qui." }
                        thead { tr { th scope="col" { "Qui écrit ↓ / à qui →" } @for to in Circle::ALL { th scope="col" { (to.label()) } } } }
                        tbody {
                            @for from in Circle::ALL {
                                tr {
                                    th scope="row" { (from.label()) }
                                    @for to in Circle::ALL {
                                        td {
                                            @let name = format!("r-{}-{}", from.slug(), to.slug());
                                            label.sr for=(name) { (from.label()) " écrivent à " (to.label()) }
                                            select id=(name) name=(name) {
                                                @for r in Reach::ALL { option value=(r.slug()) selected[rules.get(from, to) == r] { (r.label()) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                p.small { "Les règles par défaut : élèves ↔ camarades de classe et enseignants ; parents ↔ enseignants de leurs enfants et direction (pas les autres parents) ; personnels ↔ tous ; périscolaire ↔ personnels et parents des élèves qu'il encadre." }
                div.check {
                    input type="checkbox" id="f-defaults" name="defaults" value="1";
                    label for="f-defaults" { "Revenir aux règles par défaut" }
                }
            }
            section.panel {
                h2 { "Purge de fin d'année" }
                @if let Some(p) = plan {
                    p { "Annoncée : les messages envoyés avant le " (dates::long_date(p.before)) " seront supprimés le " (p.day) "." }
                    div.check {
                        input type="checkbox" id="f-cancel" name="purge_cancel" value="1";
                        label for="f-cancel" { "Annuler la purge" }
                    }
                } @else {
                    p { "Facultatif. Chacun est prévenu dans sa messagerie dès que la purge est programmée." }
                }
                div.field {
                    label for="f-purge-day" { "Date de la purge" }
                    input #f-purge-day type="date" name="purge_day" value=(plan.map(|p| p.day.clone()).unwrap_or_default());
                }
                div.field {
                    label for="f-purge-before" { "Supprimer les messages envoyés avant le" }
                    input #f-purge-before type="date" name="purge_before" value=(plan.map(|p| dates::date_value(p.before)).unwrap_or_default());
                }
            }
            button.primary type="submit" { "Enregistrer" }
        }
    }
}

#[handler]
fn show(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    communication(member.actor())?;
    let rules = super::rules(&app.store)?;
    let plan = super::purge_plan(&app.store)?;
    console_page(
        app,
        &member,
        "Communication",
        "/admin/communication",
        view(&member, &rules, plan.as_ref()),
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
