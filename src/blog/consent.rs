//! Photo authorisations by project (« Blog de la classe 2026-2027 »), signed on paper by
//! the parents and recorded by the director: one or both guardians, as the project says.
//! The « autorisation photo » of the ONDE file seeds every project as « déclarée dans
//! ONDE »: a pupil is authorised for a project if the director recorded yes (signatures
//! enough, or « confirmée »), or, absent any record for that pupil, if ONDE declared yes;
//! a recorded « non » (or signatures begun but not enough) overrides ONDE. While the
//! school has no project at all, the ONDE declaration alone decides.

use crate::routing::{Access, Routes};
use maud::{html, Markup};
use poem::web::{Data, Form, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action};
use crate::store::{Result, Store, Table};
use crate::ui::form::{all_values, first_value};
use crate::ui::{csrf_input, dates};

pub const PROJECTS: Table<u64, Project> = Table::new("photo_projects");

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Project {
    pub id: u64,
    pub title: String,
    /// Signatures needed per pupil: 1 or 2 (fewer if the pupil has fewer guardians).
    pub required: u8,
    /// (pupil, guardian) who signed.
    pub signed: Vec<(u64, u64)>,
    pub created_at: i64,
    /// The director's decision per pupil, over ONDE's declaration: (pupil, yes or no).
    #[serde(default)]
    pub decisions: Vec<(u64, bool)>,
}

/// Why a pupil is, or is not, authorised in a project (shown on the registry's page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Confirmed,
    Signed,
    DeclaredInOnde,
    Refused,
    /// Signatures recorded, fewer than the project needs.
    Incomplete,
    /// Neither a record nor ONDE's declaration.
    Missing,
}

impl Standing {
    pub fn allows(self) -> bool {
        matches!(
            self,
            Standing::Confirmed | Standing::Signed | Standing::DeclaredInOnde
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::Confirmed => "oui (confirmée)",
            Standing::Signed => "oui (signée)",
            Standing::DeclaredInOnde => "oui (déclarée dans ONDE)",
            Standing::Refused => "non (refusée)",
            Standing::Incomplete => "non (signatures incomplètes)",
            Standing::Missing => "non",
        }
    }
}

/// A pupil's standing in one project; `declared`: ONDE's « autorisation photo ».
pub fn standing(p: &Project, people: &People, pupil: u64, declared: Option<bool>) -> Standing {
    match p.decisions.iter().find(|(pp, _)| *pp == pupil) {
        Some((_, true)) => return Standing::Confirmed,
        Some((_, false)) => return Standing::Refused,
        None => {}
    }
    let guardians = people.parents_of(pupil);
    let signed = p
        .signed
        .iter()
        .filter(|(pp, g)| *pp == pupil && guardians.contains(g))
        .count();
    let need = (p.required as usize).min(guardians.len()).max(1);
    if !guardians.is_empty() && signed >= need {
        Standing::Signed
    } else if signed > 0 {
        Standing::Incomplete
    } else if declared == Some(true) {
        Standing::DeclaredInOnde
    } else {
        Standing::Missing
    }
}

/// ONDE's declaration for a pupil (the pupil's record).
fn declared(store: &Store, pupil: u64) -> Result<Option<bool>> {
    Ok(crate::directory::pupil(store, pupil)?.and_then(|r| r.photo_consent_declared))
}

/// [`authorised`] over projects already read and ONDE's declaration (a page of many
/// pupils reads them once).
pub fn authorised_with(
    projects: &[Project],
    people: &People,
    pupil: u64,
    declared: Option<bool>,
) -> bool {
    if projects.is_empty() {
        return declared == Some(true);
    }
    projects
        .iter()
        .any(|p| standing(p, people, pupil, declared).allows())
}

pub fn projects(store: &Store) -> Result<Vec<Project>> {
    Ok(store.scan(&PROJECTS)?.into_iter().map(|(_, p)| p).collect())
}

/// Whether a pupil may appear in published pictures: authorised by one project at least
/// (see the module's rule), or by ONDE's declaration while there is no project.
pub fn authorised(store: &Store, people: &People, pupil: u64) -> Result<bool> {
    Ok(authorised_with(
        &projects(store)?,
        people,
        pupil,
        declared(store, pupil)?,
    ))
}

pub(crate) fn console() -> Routes {
    Routes::new()
        .get("/", list_page, Access::Director)
        .post("/", create, Access::Director)
        .get("/:id", detail, Access::Director)
        .post("/:id", save, Access::Director)
}

fn list_view(app: &App, member: &Member) -> AppResult<Markup> {
    let list = projects(&app.store)?;
    let body = html! {
        (crate::ui::heading("Autorisations photo", Some("Les autorisations signées par les parents pour un projet (blog de classe, journal…). Sans autorisation enregistrée, un élève identifié sur une photo empêche l'article d'être public.")))
        section.panel {
            @if list.is_empty() { p.empty { "Aucun projet." } }
            ul { @for p in &list { li { a href=(format!("/admin/autorisations-photo/{}", p.id)) { (p.title) } " — " (if p.required == 2 { "signature des deux responsables" } else { "signature d'un responsable" }) } } }
        }
        section.panel {
            p { "Chaque projet part de l'autorisation photo déclarée dans ONDE à l'inscription (« déclarée dans ONDE ») : pour chaque élève, vous la confirmez (signatures, ou « oui ») ou la corrigez (« non »). Tant qu'aucun projet n'existe, la déclaration d'ONDE s'applique seule." }
        }
        section.panel {
            h2 { "Nouveau projet" }
            form method="post" action="/admin/autorisations-photo" {
                (csrf_input(&member.visitor))
                div.field { label for="f-title" { "Projet" } input #f-title type="text" name="title" required placeholder="Blog des classes 2026-2027"; }
                div.field {
                    label for="f-required" { "Signatures nécessaires" }
                    select #f-required name="required" { option value="1" { "Un responsable" } option value="2" { "Les deux responsables (quand il y en a deux)" } }
                }
                button.primary type="submit" { "Créer" }
            }
        }
    };
    app.console_page(
        &member.visitor,
        "Autorisations photo",
        "/admin/autorisations-photo",
        body,
    )
}

#[handler]
fn list_page(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManagePhotoConsent)?;
    list_view(app, &member)
}

#[handler]
async fn create(
    Data(app): Data<&App>,
    member: Member,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManagePhotoConsent)?;
    let title = first_value(&f, "title").trim().to_string();
    if title.is_empty() {
        auth::push_flash(
            &app.store,
            &member.me.session_key,
            Flash::error("Donnez un nom au projet."),
        )
        .await?;
        return Ok(Redirect::see_other("/admin/autorisations-photo").into_response());
    }
    let required = if first_value(&f, "required") == "2" {
        2
    } else {
        1
    };
    let now = auth::now_micros();
    let id = app
        .store
        .commit(|tx| {
            let id = tx.next_id("photo_project")?;
            tx.put(
                &PROJECTS,
                &id,
                &Project {
                    id,
                    title: title.clone(),
                    required,
                    signed: Vec::new(),
                    created_at: now,
                    decisions: Vec::new(),
                },
            )?;
            Ok(id)
        })
        .await?;
    crate::auth::journal::audit(
        app,
        &member,
        format!("Autorisations photo : projet « {title} » créé"),
    )
    .await?;
    Ok(Redirect::see_other(format!("/admin/autorisations-photo/{id}")).into_response())
}

/// A project's page shows one class at a time (`?classe=`, the first by default): a
/// school's hundreds of pupils are not one form, and saving touches that class only.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ClassChoice {
    classe: Option<String>,
}

#[handler]
fn detail(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<ClassChoice>,
) -> AppResult<Markup> {
    require(member.actor(), Action::ManagePhotoConsent)?;
    let all = projects(&app.store)?;
    let p = all.iter().find(|p| p.id == id).ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    let asked: Option<u64> = q.classe.as_deref().and_then(|c| c.trim().parse().ok());
    let position = asked
        .and_then(|c| people.classes.iter().position(|k| k.id == c))
        .unwrap_or(0);
    let class = people.classes.get(position);
    let path = format!("/admin/autorisations-photo/{id}");
    let ids: Vec<String> = people.classes.iter().map(|c| c.id.to_string()).collect();
    let mut pupils = Vec::new();
    for pupil in class
        .map(|c| people.pupils_of_class(c.id))
        .unwrap_or_default()
    {
        pupils.push((pupil, declared(&app.store, pupil)?));
    }
    let body = html! {
        (crate::ui::heading(&p.title, Some(&format!("Créé le {} — cochez les responsables qui ont signé.", dates::long_date(p.created_at)))))
        @if people.classes.len() > 1 {
            nav.subnav aria-label="Classes" {
                ul {
                    @for (c, cid) in people.classes.iter().zip(&ids) {
                        li {
                            @let href = format!("{path}?classe={cid}");
                            @if Some(c.id) == class.map(|k| k.id) { a href=(href) aria-current="page" { (c.label) } }
                            @else { a href=(href) { (c.label) } }
                        }
                    }
                }
            }
        }
        @if let Some(c) = class {
            form method="post" action=(path) {
                (csrf_input(&member.visitor))
                input type="hidden" name="classe" value=(c.id);
                section.panel {
                    h2 { (c.label) }
                    table.list.stack {
                        thead { tr { th scope="col" { "Élève" } th scope="col" { "ONDE" } th scope="col" { "Signatures" } th scope="col" { "Décision" } th scope="col" { "Autorisé" } } }
                        tbody {
                            @for (pupil, declared) in &pupils {
                                @let pupil = *pupil;
                                @let standing = standing(p, &people, pupil, *declared);
                                @let decision = p.decisions.iter().find(|(pp, _)| *pp == pupil).map(|(_, d)| *d);
                                tr {
                                    td data-label="Élève" { (people.user(pupil).map(|u| u.display_name()).unwrap_or_default()) }
                                    td data-label="ONDE" { (match declared { Some(true) => "déclarée dans ONDE", Some(false) => "refusée dans ONDE", None => "non renseignée" }) }
                                    td data-label="Signatures" {
                                        @if people.parents_of(pupil).is_empty() { span.small { "aucun responsable connu" } }
                                        @for g in people.parents_of(pupil) {
                                            div.check {
                                                input type="checkbox" id=(format!("s-{pupil}-{g}")) name="signe" value=(format!("{pupil}-{g}")) checked[p.signed.contains(&(pupil, *g))];
                                                label for=(format!("s-{pupil}-{g}")) { (people.user(*g).map(|u| u.display_name()).unwrap_or_default()) }
                                            }
                                        }
                                    }
                                    td data-label="Décision" {
                                        @let id = format!("d-{pupil}");
                                        select id=(id) name=(format!("decision-{pupil}")) aria-label=(format!("Décision pour {}", people.user(pupil).map(|u| u.display_name()).unwrap_or_default())) {
                                            option value="" selected[decision.is_none()] { "selon les signatures, sinon ONDE" }
                                            option value="oui" selected[decision == Some(true)] { "oui (confirmée)" }
                                            option value="non" selected[decision == Some(false)] { "non" }
                                        }
                                    }
                                    td data-label="Autorisé" { @if standing.allows() { (standing.label()) } @else { span.badge.off { (standing.label()) } } }
                                }
                            }
                        }
                    }
                }
                button.primary type="submit" { "Enregistrer les autorisations de " (c.label) }
            }
        } @else {
            p.empty { "Aucune classe." }
        }
    };
    app.console_page(
        &member.visitor,
        "Autorisations photo",
        "/admin/autorisations-photo",
        body,
    )
}

#[handler]
async fn save(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    require(member.actor(), Action::ManagePhotoConsent)?;
    let mut p = app.store.get(&PROJECTS, &id)?.ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    // The page sends one class: its pupils' signatures are replaced, the others kept.
    // Without a class (the whole school at once), all are replaced.
    let class_id: Option<u64> = first_value(&f, "classe").trim().parse().ok();
    let class: Option<Vec<u64>> = class_id.map(|c| people.pupils_of_class(c));
    let values = all_values(&f, "signe");
    let sent = values
        .iter()
        .filter_map(|v| {
            let (a, b) = v.split_once('-')?;
            Some((a.parse().ok()?, b.parse().ok()?))
        })
        .filter(|(pupil, g): &(u64, u64)| people.parents_of(*pupil).contains(g))
        .filter(|(pupil, _)| class.as_ref().is_none_or(|c| c.contains(pupil)));
    let kept: Vec<(u64, u64)> = match &class {
        Some(c) => p
            .signed
            .iter()
            .filter(|(pupil, _)| !c.contains(pupil))
            .copied()
            .collect(),
        None => Vec::new(),
    };
    p.signed = kept.into_iter().chain(sent).collect();
    // Decisions of the class's pupils are replaced (all of them without a class).
    let sent_decisions: Vec<(u64, bool)> = f
        .iter()
        .filter_map(|(k, v)| {
            let pupil: u64 = k.strip_prefix("decision-")?.parse().ok()?;
            let yes = match v.as_str() {
                "oui" => true,
                "non" => false,
                _ => return None,
            };
            Some((pupil, yes))
        })
        .filter(|(pupil, _)| people.user(*pupil).is_some())
        .filter(|(pupil, _)| class.as_ref().is_none_or(|c| c.contains(pupil)))
        .collect();
    p.decisions = match &class {
        Some(c) => p
            .decisions
            .iter()
            .filter(|(pupil, _)| !c.contains(pupil))
            .copied()
            .chain(sent_decisions)
            .collect(),
        None => sent_decisions,
    };
    app.store.commit(|tx| tx.put(&PROJECTS, &id, &p)).await?;
    crate::auth::journal::audit(
        app,
        &member,
        format!(
            "Autorisations photo « {} » : {} signature(s)",
            p.title,
            p.signed.len()
        ),
    )
    .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Autorisations enregistrées."),
    )
    .await?;
    let back = match class_id {
        Some(c) => format!("/admin/autorisations-photo/{id}?classe={c}"),
        None => format!("/admin/autorisations-photo/{id}"),
    };
    Ok(Redirect::see_other(back))
}
