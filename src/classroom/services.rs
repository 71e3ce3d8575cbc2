//! `/classes/:id/services`: the teacher chooses, for each service the school offers, who
//! uses it in their class — fermé, enseignants seulement, élèves, élèves et familles (the
//! levels are the policy's: `policy::openings`). The choice is kept by the directory
//! (`directory::openings`), applied by the services' gates, and written to the audit log
//! in the same commit.

use maud::{html, Markup};
use poem::web::{Data, Path, Redirect};
use poem::{handler, IntoResponse, Response};

use crate::app::App;
use crate::auth::journal::{record_audit, AuditEvent};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::openings::{self, Openings};
use crate::directory::people::People;
use crate::directory::Class;
use crate::error::{AppError, AppResult};
use crate::policy::openings::Opening;
use crate::policy::{require, Action, Granted};
use crate::school::{School, Service};
use crate::ui::csrf_input;
use crate::ui::input::FormInput;

/// The services a class chooses for: offered by the school, set per class.
fn offered(school: &School) -> Vec<Service> {
    school
        .menu_services()
        .into_iter()
        .filter(|s| s.per_class())
        .collect()
}

fn field(service: Service) -> String {
    format!("s-{}", service.slug())
}

#[handler]
pub fn page(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    require(member.actor(), Action::OpenClassServices { class_id: id })?;
    let people = People::load(&app.store)?;
    let class = people.class(id).cloned().ok_or(AppError::NotFound)?;
    let school = crate::school::get(&app.store)?.ok_or(AppError::NotFound)?;
    let body = view(&member, &class, &school, &people.openings);
    app.page(
        &member.visitor,
        &format!("Services de la classe {}", class.label),
        "/accueil",
        body,
    )
}

/// The form: one group of choices per offered service, the class's level checked.
fn view(member: &Member, class: &Class, school: &School, openings: &Openings) -> Markup {
    let offered = offered(school);
    let not_offered: Vec<Service> = Service::ALL
        .into_iter()
        .filter(|s| s.per_class() && s.available() && !school.enabled(*s))
        .collect();
    html! {
        (crate::ui::heading(&format!("Services de la classe {}", class.label), Some("La direction choisit les services que l'école propose. Pour chacun, vous choisissez qui s'en sert dans votre classe : vous pouvez par exemple ouvrir le blog aux élèves avant de l'ouvrir aux familles, après la réunion de rentrée.")))
        section.panel {
            @if offered.is_empty() {
                p { "L'école ne propose encore aucun service que la classe puisse ouvrir." }
            } @else {
                form method="post" action=(format!("/classes/{}/services", class.id)) {
                    (csrf_input(&member.visitor))
                    @for s in &offered {
                        @let now = openings.of(class.id, *s);
                        fieldset.field.checks.opening {
                            legend { strong { (s.label()) } " — " (s.description()) }
                            div.options {
                                @for o in Opening::ALL {
                                    @let id = format!("{}-{}", field(*s), o.slug());
                                    div.check {
                                        input type="radio" name=(field(*s)) id=(id) value=(o.slug()) checked[now == o];
                                        label for=(id) {
                                            strong { (o.label()) } " : " (o.meaning())
                                            @if o == Opening::Familles { " (le choix de l'école)" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    p { button.primary type="submit" { "Enregistrer" } }
                }
            }
            @if !not_offered.is_empty() {
                p.small { "Non proposés par l'école pour le moment : " (not_offered.iter().map(|s| s.label()).collect::<Vec<_>>().join(", ")) "." }
            }
            p.small { "Un service fermé garde tout son contenu : il réapparaît tel quel quand vous le rouvrez. La cantine et les absences ne se choisissent pas par classe." }
            p { a href=(format!("/classes/{}", class.id)) { "Retour à la classe" } }
        }
    }
}

/// What the teacher changed: (service, before, after), for the offered services whose
/// level differs from the class's.
fn changes(
    sent: &[(String, String)],
    class: u64,
    school: &School,
    openings: &Openings,
) -> AppResult<Vec<(Service, Opening, Opening)>> {
    let mut out = Vec::new();
    for s in offered(school) {
        let Some((_, value)) = sent.iter().find(|(k, _)| *k == field(s)) else {
            continue;
        };
        let chosen = Opening::from_slug(value)
            .ok_or_else(|| AppError::BadRequest("Ce choix n'existe pas.".into()))?;
        let before = openings.of(class, s);
        if chosen != before {
            out.push((s, before, chosen));
        }
    }
    Ok(out)
}

#[handler]
pub async fn save(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(sent): FormInput<Vec<(String, String)>>,
) -> AppResult<Response> {
    let granted = require(member.actor(), Action::OpenClassServices { class_id: id })?;
    let people = People::load(&app.store)?;
    let class = people.class(id).cloned().ok_or(AppError::NotFound)?;
    let school = crate::school::get(&app.store)?.ok_or(AppError::NotFound)?;
    let changed = changes(&sent, id, &school, &people.openings)?;
    apply(app, &granted, &member, &class, &changed).await?;
    let text = if changed.is_empty() {
        "Rien n'a changé.".to_string()
    } else {
        format!(
            "Services de la classe enregistrés : {}.",
            changed
                .iter()
                .map(|(s, _, o)| format!("{} — {}", s.label(), o.label().to_lowercase()))
                .collect::<Vec<_>>()
                .join(" ; ")
        )
    };
    auth::push_flash(&app.store, &member.me.session_key, Flash::success(text)).await?;
    Ok(Redirect::see_other(format!("/classes/{id}/services")).into_response())
}

/// Records the choices and their trace in one commit: the school's default is not stored,
/// so that a class that comes back to it follows the school again.
async fn apply(
    app: &App,
    granted: &Granted,
    member: &Member,
    class: &Class,
    changed: &[(Service, Opening, Opening)],
) -> AppResult<()> {
    if changed.is_empty() {
        return Ok(());
    }
    let at = auth::now_micros();
    app.store
        .commit(|tx| {
            for (service, before, after) in changed {
                let kept = (*after != Opening::Familles).then_some(*after);
                openings::choose(tx, granted, class.id, *service, kept)?;
                record_audit(
                    tx,
                    &AuditEvent {
                        at,
                        actor_id: Some(member.user().id),
                        actor_login: member.user().login.clone(),
                        action: format!(
                            "Classe {} : {} — {} (avant : {})",
                            class.label,
                            service.label(),
                            after.label().to_lowercase(),
                            before.label().to_lowercase()
                        ),
                    },
                )?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}
