//! Console page /admin/communication: who may write to whom (the rules of the policy,
//! circle by circle), the emergency switches, the end-of-year purge. Every change is
//! written to the audit log in the same transaction.

use crate::routing::{Access, Routes};
use maud::{html, Markup};
use poem::handler;
use poem::web::{Data, Form, Redirect};

use super::PurgePlan;
use crate::admin::console_page;
use crate::app::App;
use crate::auth::journal::{record_audit, AuditEvent};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::AppResult;
use crate::policy::communication::{Circle, CommRules, Reach};
use crate::policy::{require, Action};
use crate::ui::form::first_value;
use crate::ui::{csrf_input, dates};

type Pairs = Vec<(String, String)>;

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
    require(member.actor(), Action::ManageCommunication)?;
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
async fn save(Data(app): Data<&App>, member: Member, Form(f): Form<Pairs>) -> AppResult<Redirect> {
    require(member.actor(), Action::ManageCommunication)?;
    let before = super::rules(&app.store)?;
    let mut rules = if first_value(&f, "defaults") == "1" {
        CommRules::default()
    } else {
        let mut r = before.clone();
        for from in Circle::ALL {
            for to in Circle::ALL {
                let v = first_value(&f, &format!("r-{}-{}", from.slug(), to.slug()));
                if let Some(reach) = Reach::from_slug(&v) {
                    r.set(from, to, reach);
                }
            }
        }
        r
    };
    rules.suspend_pupils = first_value(&f, "suspend_pupils") == "1";
    rules.suspend_parents = first_value(&f, "suspend_parents") == "1";
    rules.suspend_everyone = first_value(&f, "suspend_everyone") == "1";
    rules.whole_school_direction_only = first_value(&f, "whole_school_direction_only") == "1";

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

    let now = auth::now_micros();
    let old_plan = super::purge_plan(&app.store)?;
    let mut plan = old_plan.clone();
    let mut error = None;
    if first_value(&f, "purge_cancel") == "1" {
        plan = None;
    } else {
        let day = first_value(&f, "purge_day");
        let cutoff = first_value(&f, "purge_before");
        match (dates::parse_date(&day), dates::parse_date(&cutoff)) {
            (Some(d), Some(c)) => {
                let (today, _) = dates::local_day_and_hour(now);
                if d <= today {
                    error = Some("La purge doit être annoncée à l'avance : choisissez une date à venir.");
                } else if c > d {
                    error = Some("La date limite des messages à supprimer doit précéder le jour de la purge.");
                } else {
                    let before_micros = dates::start_of_day(c);
                    plan = Some(PurgePlan {
                        day: d.to_string(),
                        before: before_micros,
                        announced_at: old_plan.as_ref().map(|p| p.announced_at).unwrap_or(now),
                    });
                }
            }
            (None, None) if day.is_empty() && cutoff.is_empty() => {}
            _ => error = Some("Indiquez les deux dates de la purge (jour de la purge et date limite des messages)."),
        }
    }
    if plan != old_plan {
        trail.push(match &plan {
            Some(p) => format!("purge des messages programmée le {}", p.day),
            None => "purge des messages annulée".into(),
        });
    }
    let event = AuditEvent {
        at: now,
        actor_id: Some(member.user().id),
        actor_login: member.user().login.clone(),
        action: format!("Communication : {}", trail.join(" ; ")),
    };
    app.store
        .commit(|tx| {
            super::save_rules(tx, &rules)?;
            super::save_purge_plan(tx, plan.as_ref())?;
            if !trail.is_empty() {
                record_audit(tx, &event)?;
            }
            Ok(())
        })
        .await?;
    let flash = match error {
        Some(e) => Flash::error(format!("Règles enregistrées, mais pas la purge : {e}")),
        None => Flash::success("Règles de communication enregistrées."),
    };
    auth::push_flash(&app.store, &member.me.session_key, flash).await?;
    Ok(Redirect::see_other("/admin/communication"))
}
