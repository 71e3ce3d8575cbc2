//! Photo authorisations by project (« Blog de la classe 2026-2027 »), signed on paper by
//! the parents and recorded by the director: one or both guardians, as the project says.
//! The « autorisation photo » of the ONDE file is only a declaration and is not used here.

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
}

pub fn projects(store: &Store) -> Result<Vec<Project>> {
    Ok(store.scan(&PROJECTS)?.into_iter().map(|(_, p)| p).collect())
}

/// Whether a pupil may appear in published pictures.
pub fn authorised(store: &Store, people: &People, pupil: u64) -> Result<bool> {
    Ok(authorised_among(&projects(store)?, people, pupil))
}

/// [`authorised`] over projects already read (a page of many pupils reads them once).
fn authorised_among(projects: &[Project], people: &People, pupil: u64) -> bool {
    let guardians = people.parents_of(pupil).len();
    if guardians == 0 {
        return false;
    }
    projects.iter().any(|p| {
        let need = (p.required as usize).min(guardians).max(1);
        p.signed
            .iter()
            .filter(|(pp, g)| *pp == pupil && people.parents_of(pupil).contains(g))
            .count()
            >= need
    })
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
                    table.list {
                        thead { tr { th scope="col" { "Élève" } th scope="col" { "Signatures" } th scope="col" { "Autorisé" } } }
                        tbody {
                            @for pupil in people.pupils_of_class(c.id) {
                                tr {
                                    td { (people.user(pupil).map(|u| u.display_name()).unwrap_or_default()) }
                                    td {
                                        @if people.parents_of(pupil).is_empty() { span.small { "aucun responsable connu" } }
                                        @for g in people.parents_of(pupil) {
                                            div.check {
                                                input type="checkbox" id=(format!("s-{pupil}-{g}")) name="signe" value=(format!("{pupil}-{g}")) checked[p.signed.contains(&(pupil, *g))];
                                                label for=(format!("s-{pupil}-{g}")) { (people.user(*g).map(|u| u.display_name()).unwrap_or_default()) }
                                            }
                                        }
                                    }
                                    td { @if authorised_among(&all, &people, pupil) { "oui" } @else { span.badge.off { "non" } } }
                                }
                            }
                        }
                    }
                }
                button.primary type="submit" { "Enregistrer les signatures de " (c.label) }
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
        Flash::success("Signatures enregistrées."),
    )
    .await?;
    let back = match class_id {
        Some(c) => format!("/admin/autorisations-photo/{id}?classe={c}"),
        None => format!("/admin/autorisations-photo/{id}"),
    };
    Ok(Redirect::see_other(back))
}
