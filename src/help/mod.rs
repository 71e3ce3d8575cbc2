//! Help inside the app: the guides of `docs/` served at `/aide` (one page per guide, every
//! service a section of it), the « ? » of each page leading to its section
//! ([`link_for`]), and the school's référent numérique — who to ask when the guide is not
//! enough — set by the director (`/admin/aide`). Owns the `help_referent` table.

pub mod guides;

use maud::{html, Markup, PreEscaped};
use poem::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use poem::web::{Data, Path, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::auth::journal::{record_audit, AuditEvent};
use crate::auth::visitor::Visitor;
use crate::auth::web::{Member, Who};
use crate::auth::{self, Flash};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Granted};
use crate::routing::{Access, Routes};
use crate::school::Service;
use crate::store::{Result, Store, Table, Tx};
use crate::ui::csrf_input;
use crate::ui::form::{Field, FormState};
use crate::ui::input::FormInput;
use guides::Guide;

pub const REFERENT: Table<String, Referent> = Table::new("help_referent");
pub const TABLES: &[&str] = &[REFERENT.name];
const KEY: &str = "referent";

/// The person the school names for questions about the ENT (often a teacher, or the
/// commune's or the académie's ERUN).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Referent {
    pub name: String,
    /// An e-mail address, a telephone number, or « à l'école, le lundi midi ».
    pub contact: String,
}

/// The référent, from memory (every help page shows it).
pub fn referent(store: &Store) -> Result<Option<Referent>> {
    let kept = store.derived(TABLES, |s| s.get(&REFERENT, &KEY.to_string()))?;
    Ok(Option::clone(&kept))
}

/// Names the référent (`None`: nobody), once the director was granted `EditSchool`.
pub fn set_referent(tx: &mut Tx<'_>, _granted: &Granted, r: Option<&Referent>) -> Result<()> {
    match r {
        Some(r) => tx.put(&REFERENT, &KEY.to_string(), r),
        None => tx.remove(&REFERENT, &KEY.to_string()),
    }
}

pub fn routes() -> Routes {
    use Access::*;
    Routes::new()
        .get("/aide", index, Public)
        .get("/aide/img/:name", image, Public)
        .get("/aide/:guide", guide_page, Public)
        .console(
            "/aide",
            Routes::new()
                .get("/", referent_form, Director)
                .post("/", referent_submit, Director),
        )
}

/// The « ? » of a page: the section of the reader's guide about the page's service, or the
/// guide's start. `None` for pupils, who ask their teacher.
pub fn link_for(visitor: &Visitor, section: &str) -> Option<String> {
    let me = visitor.signed_in.as_ref()?;
    let guide = Guide::of(me.user.profile, me.actor.director)?;
    let anchor = guides::section_for_path(guide, section);
    Some(match anchor {
        Some(a) => format!("/aide/{}#{a}", guide.slug()),
        None => format!("/aide/{}", guide.slug()),
    })
}

fn referent_block(r: Option<&Referent>) -> Markup {
    html! {
        section.panel #referent {
            h2 { "Contacter le référent numérique" }
            @match r {
                Some(r) => p {
                    "Pour une question sur l'ENT que ce guide ne règle pas : " strong { (r.name) } " — "
                    @if r.contact.contains('@') && !r.contact.contains(' ') { a href=(format!("mailto:{}", r.contact)) { (r.contact) } } @else { (r.contact) }
                    "."
                },
                None => p { "L'école n'a pas encore nommé de référent numérique : adressez-vous à la direction de l'école." },
            }
        }
    }
}

#[handler]
fn index(Data(app): Data<&App>, Who(who): Who) -> AppResult<Markup> {
    let yours = who
        .signed_in
        .as_ref()
        .and_then(|me| Guide::of(me.user.profile, me.actor.director));
    let services: Vec<(Service, &str)> = match (yours, crate::school::get(&app.store)?) {
        (Some(g), Some(school)) => school
            .menu_services()
            .into_iter()
            .filter_map(|s| guides::section_of(g, s).map(|a| (s, a)))
            .collect(),
        _ => Vec::new(),
    };
    let body = html! {
        (crate::ui::heading("Aide", Some("Les guides de Préau, pour chacun. Le « ? » en haut de chaque page mène à la partie du guide qui la concerne.")))
        @if let Some(g) = yours {
            @if !services.is_empty() {
                section.panel {
                    h2 { "Par service" }
                    ul.tiles {
                        @for (s, a) in &services {
                            li { a.tile href=(format!("/aide/{}#{a}", g.slug())) { strong { (s.label()) } span { (s.description()) } } }
                        }
                    }
                }
            }
        }
        section.panel {
            h2 { "Les guides" }
            ul {
                @for g in Guide::ALL {
                    li {
                        a href=(format!("/aide/{}", g.slug())) { (g.label()) } " — " (g.reader())
                        @if Some(g) == yours { " " span.badge { "le vôtre" } }
                    }
                }
            }
        }
        (referent_block(referent(&app.store)?.as_ref()))
    };
    app.page(&who, "Aide", "/aide", body)
}

#[handler]
fn guide_page(Data(app): Data<&App>, Who(who): Who, Path(slug): Path<String>) -> AppResult<Markup> {
    let guide = Guide::from_slug(&slug).ok_or(AppError::NotFound)?;
    let r = guides::rendered(guide);
    let body = html! {
        (crate::ui::heading(guide.label(), Some(guide.reader())))
        @if !r.sections.is_empty() {
            nav.panel aria-label="Sommaire du guide" {
                h2 { "Sommaire" }
                ul { @for (a, t) in &r.sections { li { a href=(format!("#{a}")) { (t) } } } }
            }
        }
        article.panel.guide { (PreEscaped(&r.html)) }
        (referent_block(referent(&app.store)?.as_ref()))
        p { a href="/aide" { "Tous les guides" } }
    };
    app.page(&who, guide.label(), "/aide", body)
}

#[handler]
fn image(Path(name): Path<String>) -> AppResult<Response> {
    let data = guides::image(&name).ok_or(AppError::NotFound)?;
    Ok(Response::builder()
        .header(CONTENT_TYPE, "image/png")
        .header(CACHE_CONTROL, "public, max-age=86400")
        .body(data.into_owned()))
}

fn referent_view(app: &App, member: &Member, form: &FormState) -> AppResult<Markup> {
    let body = html! {
        (crate::ui::heading("Aide et référent numérique", Some("La personne à qui chacun peut s'adresser pour une question sur l'ENT : elle est indiquée en bas de chaque page d'aide.")))
        section.panel {
            form method="post" action="/admin/aide" novalidate {
                (csrf_input(&member.visitor))
                (Field::text("name", "Nom du référent numérique").hint("Par exemple : Mme Martin, enseignante de CM2. Laissez les deux champs vides pour n'indiquer personne.").render(form))
                (Field::text("contact", "Comment le joindre").hint("Une adresse électronique, un téléphone ou un moment à l'école.").render(form))
                button.primary type="submit" { "Enregistrer" }
            }
            p { a href="/aide" { "Voir l'aide telle que tous la lisent" } }
        }
    };
    app.console_page(&member.visitor, "Aide", "/admin/aide", body)
}

#[handler]
fn referent_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::EditSchool)?;
    let r = referent(&app.store)?.unwrap_or_default();
    let form = FormState::with_values([("name", r.name), ("contact", r.contact)]);
    referent_view(app, &member, &form)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReferentFields {
    name: String,
    contact: String,
}

#[handler]
async fn referent_submit(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<ReferentFields>,
) -> AppResult<Response> {
    let granted = require(member.actor(), Action::EditSchool)?;
    let mut form = FormState::with_values([
        ("name", f.name.trim().to_string()),
        ("contact", f.contact.trim().to_string()),
    ]);
    let (name, contact) = (
        form.value("name").to_string(),
        form.value("contact").to_string(),
    );
    if name.chars().count() > 120 {
        form.error("name", "Le nom tient en 120 caractères au plus.");
    }
    if contact.chars().count() > 200 {
        form.error("contact", "Le contact tient en 200 caractères au plus.");
    }
    if name.is_empty() != contact.is_empty() {
        let field = if name.is_empty() { "name" } else { "contact" };
        form.error(
            field,
            "Indiquez le nom et le moyen de joindre le référent, ou aucun des deux.",
        );
    }
    if !form.is_ok() {
        let page = referent_view(app, &member, &form)?;
        return Ok((poem::http::StatusCode::BAD_REQUEST, page).into_response());
    }
    let chosen = (!name.is_empty()).then_some(Referent { name, contact });
    let event = AuditEvent {
        at: auth::now_micros(),
        actor_id: Some(member.user().id),
        actor_login: member.user().login.clone(),
        action: match &chosen {
            Some(r) => format!("Référent numérique : {}", r.name),
            None => "Référent numérique retiré".to_string(),
        },
    };
    app.store
        .commit(|tx| {
            set_referent(tx, &granted, chosen.as_ref())?;
            record_audit(tx, &event)
        })
        .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Référent numérique enregistré."),
    )
    .await?;
    Ok(Redirect::see_other("/admin/aide").into_response())
}
