//! Console pages of the ONDE import: upload → preview (every line with its status, the
//! column mapping) → confirmation → result. Nothing reaches the directory before the
//! director confirms the preview.

use crate::routing::{Access, Routes};
use std::collections::BTreeMap;

use maud::{html, Markup};
use poem::web::{Data, Multipart, Path, Redirect};
use poem::{handler, IntoResponse, Response};
use tokio::io::AsyncReadExt;

use super::forms::{ClassChoicesInput, MappingInput};
use super::import::{self, PendingImport, PupilAction, PENDING};
use super::onde::{self, PupilColumn};
use super::views::import::{classes_form, plan_view, summary_view};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action};
use crate::ui::csrf_input;
use crate::ui::input::FormInput;

/// ONDE files are a few hundred kilobytes; anything much larger is not one.
const FILE_LIMIT: u64 = 5 * 1024 * 1024;

/// What an upload form sent: its files (empty ones dropped) and its text fields.
pub struct Upload {
    pub files: std::collections::HashMap<String, Vec<u8>>,
    pub texts: std::collections::HashMap<String, String>,
}

impl Upload {
    /// The ONDE files of the upload, waiting for the director's confirmation.
    pub fn into_pending(mut self, full_school: bool, school_year: Option<String>) -> PendingImport {
        PendingImport {
            created_at: auth::now_micros(),
            pupils: self.files.remove("eleves"),
            guardians: self.files.remove("responsables"),
            teachers: self.files.remove("enseignants"),
            full_school,
            school_year,
        }
    }
}

/// Reads an upload form, refusing (with a French sentence) a file over 5 MB: ONDE files
/// are a few hundred kilobytes, and a file is never held whole beyond that limit. The
/// three ONDE files are the only files kept, and text fields are bounded like every other
/// form's (per field, in total and in number), so that no upload holds more than about
/// 16 MB whatever is sent.
pub async fn read_upload(multipart: &mut Multipart) -> Result<Upload, String> {
    use crate::net::limits::{FIELD_COUNT_LIMIT, TEXT_FIELD_LIMIT, TEXT_TOTAL_LIMIT};
    const TOO_MANY: &str =
        "Ce formulaire est trop volumineux : envoyez seulement les fichiers ONDE.";
    let mut form = Upload {
        files: Default::default(),
        texts: Default::default(),
    };
    let mut fields = 0usize;
    let mut text_bytes = 0usize;
    while let Ok(Some(field)) = multipart.next_field().await {
        fields += 1;
        if fields > FIELD_COUNT_LIMIT {
            return Err(TOO_MANY.into());
        }
        let name = field.name().unwrap_or("").to_string();
        if matches!(name.as_str(), "eleves" | "responsables" | "enseignants") {
            let mut bytes = Vec::new();
            field
                .into_async_read()
                .take(FILE_LIMIT + 1)
                .read_to_end(&mut bytes)
                .await
                .map_err(|e| format!("Envoi interrompu : {e}"))?;
            if bytes.len() as u64 > FILE_LIMIT {
                return Err(
                    "Ce fichier dépasse 5 Mo : ce n'est pas une extraction ONDE d'une école."
                        .into(),
                );
            }
            if !bytes.is_empty() {
                form.files.insert(name, bytes);
            }
        } else if field.file_name().is_some() {
            // A file under another name is no part of an import: skipped unread.
            continue;
        } else {
            let room = TEXT_FIELD_LIMIT.min(TEXT_TOTAL_LIMIT.saturating_sub(text_bytes));
            let mut bytes = Vec::new();
            field
                .into_async_read()
                .take(room as u64 + 1)
                .read_to_end(&mut bytes)
                .await
                .map_err(|e| format!("Envoi interrompu : {e}"))?;
            if bytes.len() > room {
                return Err(TOO_MANY.into());
            }
            text_bytes += bytes.len();
            if let Ok(text) = String::from_utf8(bytes) {
                form.texts.insert(name, text);
            }
        }
    }
    Ok(form)
}

pub(super) fn console() -> Routes {
    use Access::Director;
    Routes::new()
        .get("/", upload_form, Director)
        .post("/", upload, Director)
        .get("/:key", preview, Director)
        .post("/:key/colonnes", save_mapping, Director)
        .post("/:key/classes", save_classes, Director)
        .post("/:key/valider", confirm, Director)
}

fn upload_view(app: &App, member: &Member, error: Option<&str>) -> AppResult<Markup> {
    let action = format!(
        "/admin/import?{}={}",
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    let body = html! {
        (crate::ui::heading("Importer depuis ONDE", Some("Les élèves, leurs classes et leurs responsables légaux.")))
        section.panel {
            h2 { "Où trouver les fichiers ?" }
            ol {
                li { "Dans ONDE, ouvrez " strong { "Élèves → Extractions" } "." }
                li { "Choisissez l'extraction " strong { "« Élèves »" } " (toute l'école, tous les cycles) au format CSV, puis l'extraction " strong { "« Responsables »" } "." }
                li { "Déposez les deux fichiers ci-dessous. Rien n'est enregistré avant que vous ayez vérifié l'aperçu." }
            }
        }
        section.panel {
            @if let Some(e) = error { div.flash.error role="alert" { (e) } }
            form method="post" action=(action) enctype="multipart/form-data" {
                (csrf_input(&member.visitor))
                div.field {
                    label for="f-eleves" { "Fichier des élèves (CSV)" }
                    input #f-eleves type="file" name="eleves" accept=".csv,text/csv,text/plain";
                }
                div.field {
                    label for="f-responsables" { "Fichier des responsables (CSV, facultatif)" }
                    input #f-responsables type="file" name="responsables" accept=".csv,text/csv,text/plain";
                }
                div.field {
                    label for="f-enseignants" { "Fichier des enseignants (CSV, facultatif)" }
                    p.hint #f-enseignants-aide { "Colonnes Nom, Prénom, Courriel, Classe (format de l'ancienne Base Élèves, ou un tableau fait à la main)." }
                    input #f-enseignants type="file" name="enseignants" accept=".csv,text/csv,text/plain" aria-describedby="f-enseignants-aide";
                }
                div.field.check {
                    input #f-complet type="checkbox" name="complet" value="oui";
                    label for="f-complet" { "Le fichier des élèves est l'export de " strong { "toute l'école" } " : les élèves qui n'y figurent plus seront marqués comme partants (comptes désactivés, supprimés 3 mois plus tard)." }
                }
                button.primary type="submit" { "Voir l'aperçu" }
            }
        }
    };
    app.console_page(
        &member.visitor,
        "Importer depuis ONDE",
        "/admin/comptes",
        body,
    )
}

#[handler]
fn upload_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageAccounts)?;
    upload_view(app, &member, None)
}

#[handler]
async fn upload(
    Data(app): Data<&App>,
    member: Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageAccounts)?;
    // Parsed only once the policy said yes: a refused person gets a 403, not a 415.
    let mut multipart = multipart
        .map_err(|_| AppError::BadRequest("Envoyez les fichiers depuis le formulaire.".into()))?;
    let sent = match read_upload(&mut multipart).await {
        Ok(u) => u,
        Err(msg) => {
            return Ok((
                poem::http::StatusCode::PAYLOAD_TOO_LARGE,
                upload_view(app, &member, Some(&msg))?,
            )
                .into_response())
        }
    };
    let full_school = sent
        .texts
        .get("complet")
        .map(|t| t == "oui")
        .unwrap_or(false);
    let pending = sent.into_pending(full_school, None);
    if pending.pupils.is_none() && pending.guardians.is_none() && pending.teachers.is_none() {
        let msg = "Choisissez au moins un fichier (élèves, responsables ou enseignants).";
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            upload_view(app, &member, Some(msg))?,
        )
            .into_response());
    }
    let key = auth::random_token();
    let k = key.clone();
    app.store
        .commit(|tx| tx.put(&PENDING, &k, &pending))
        .await?;
    Ok(Redirect::see_other(format!("/admin/import/{key}")).into_response())
}

fn pending(app: &App, key: &str) -> AppResult<PendingImport> {
    app.store
        .get(&PENDING, &key.to_string())?
        .ok_or(AppError::NotFound)
}

fn mapping_form(
    member: &Member,
    key: &str,
    bytes: &[u8],
    saved: &BTreeMap<String, String>,
) -> Markup {
    let Ok(text) = onde::decode(bytes) else {
        return html! {};
    };
    let Ok(table) = onde::read_table(&text) else {
        return html! {};
    };
    let detected = onde::map_pupil_columns(&table.headers, saved);
    html! {
        details {
            summary { "Associer les colonnes du fichier des élèves" }
            p { "Si ONDE a changé le nom d'une colonne, indiquez ici à quoi elle correspond. Ce choix est retenu pour les prochains imports." }
            form method="post" action=(format!("/admin/import/{key}/colonnes")) {
                (csrf_input(&member.visitor))
                table.list {
                    thead { tr { th scope="col" { "Colonne du fichier" } th scope="col" { "Correspond à" } } }
                    tbody {
                        @for (i, h) in table.headers.iter().enumerate() {
                            @let current = detected.iter().find(|(_, idx)| **idx == i).map(|(c, _)| c.slug()).unwrap_or("");
                            @let id = format!("col-{i}");
                            tr {
                                td { label for=(id) { (h.trim()) } }
                                td {
                                    input type="hidden" name="header" value=(onde::normalize_header(h));
                                    select id=(id) name="column" {
                                        option value="" selected[current.is_empty()] { "(ignorée)" }
                                        @for c in PupilColumn::ALL {
                                            option value=(c.slug()) selected[current == c.slug()] { (c.label()) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                button type="submit" { "Enregistrer l'association et revoir l'aperçu" }
            }
        }
    }
}

#[handler]
fn preview(Data(app): Data<&App>, member: Member, Path(key): Path<String>) -> AppResult<Markup> {
    require(member.actor(), Action::ManageAccounts)?;
    let p = pending(app, &key)?;
    let saved = import::saved_mapping(&app.store)?;
    let mapping = match &p.pupils {
        Some(b) => mapping_form(&member, &key, b, &saved),
        None => html! {},
    };
    let body = match import::read_files(&app.store, &p) {
        Err((which, e)) => html! {
            (crate::ui::heading("Aperçu de l'import", None))
            section.panel {
                div.flash.error role="alert" { "Fichier des " (which) " : " (e) }
                (mapping)
                p { a.button href="/admin/import" { "Choisir d'autres fichiers" } }
            }
        },
        Ok((pupils, guardians, teachers)) => {
            let mut plan = import::plan(
                &app.store,
                pupils.as_ref(),
                guardians.as_ref(),
                p.full_school,
            )?;
            if let Some(t) = &teachers {
                import::plan_teachers(&app.store, &mut plan, t)?;
            }
            // Pupils already in the directory who have a guardian there.
            let mut with_guardians = std::collections::HashSet::new();
            for p in &plan.pupils {
                if let PupilAction::Update { user_id, .. } | PupilAction::Unchanged { user_id } =
                    p.action
                {
                    if !crate::directory::parents_of(&app.store, user_id)?.is_empty() {
                        with_guardians.insert(user_id);
                    }
                }
            }
            html! {
                (crate::ui::heading("Aperçu de l'import", Some("Rien n'est encore enregistré. Vérifiez, puis confirmez.")))
                @if let Some(y) = &p.school_year {
                    div.flash.info role="status" { "Rentrée " (y) " : en confirmant, les classes de l'année en cours seront archivées en lecture seule et l'année " (y) " commencera." }
                }
                (summary_view(&import::summary(&plan, &with_guardians)))
                (plan_view(&plan, classes_form(&member.visitor, &key, &plan, &crate::directory::classes(&app.store)?)))
                section.panel {
                    (mapping)
                    form method="post" action=(format!("/admin/import/{key}/valider")) {
                        (csrf_input(&member.visitor))
                        div.actions {
                            button.primary type="submit" { "Importer" }
                            a.button href="/admin/import" { "Annuler" }
                        }
                    }
                }
            }
        }
    };
    app.console_page(
        &member.visitor,
        "Aperçu de l'import",
        "/admin/comptes",
        body,
    )
}

#[handler]
async fn save_mapping(
    Data(app): Data<&App>,
    member: Member,
    Path(key): Path<String>,
    FormInput(input): FormInput<MappingInput>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageAccounts)?;
    pending(app, &key)?;
    let mut mapping = import::saved_mapping(&app.store)?;
    for (h, c) in input.header.iter().zip(input.column.iter()) {
        if c.is_empty() || PupilColumn::from_slug(c).is_some() {
            mapping.insert(h.clone(), c.clone());
        }
    }
    app.store
        .commit(|tx| tx.set_meta(import::MAPPING_KEY, &mapping))
        .await?;
    Ok(Redirect::see_other(format!("/admin/import/{key}")).into_response())
}

#[handler]
async fn save_classes(
    Data(app): Data<&App>,
    member: Member,
    Path(key): Path<String>,
    FormInput(input): FormInput<ClassChoicesInput>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageAccounts)?;
    pending(app, &key)?;
    let known: Vec<u64> = crate::directory::classes(&app.store)?
        .iter()
        .map(|c| c.id)
        .collect();
    let mut choices = import::saved_class_choices(&app.store)?;
    for (k, c) in input.cle.iter().zip(input.choix.iter()) {
        let choice = match c.parse::<u64>() {
            Ok(id) if known.contains(&id) => import::ClassChoice::Existing(id),
            Ok(_) => continue,
            Err(_) => import::ClassChoice::New,
        };
        choices.insert(k.clone(), choice);
    }
    app.store
        .commit(|tx| tx.set_meta(import::CLASS_CHOICES_KEY, &choices))
        .await?;
    Ok(Redirect::see_other(format!("/admin/import/{key}#classes")).into_response())
}

#[handler]
async fn confirm(
    Data(app): Data<&App>,
    member: Member,
    Path(key): Path<String>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageAccounts)?;
    let p = pending(app, &key)?;
    let (pupils, guardians, teachers) = import::read_files(&app.store, &p)
        .map_err(|(w, e)| AppError::BadRequest(format!("Fichier des {w} : {e}")))?;
    let mut plan = import::plan(
        &app.store,
        pupils.as_ref(),
        guardians.as_ref(),
        p.full_school,
    )?;
    if let Some(t) = &teachers {
        import::plan_teachers(&app.store, &mut plan, t)?;
    }
    let store = app.store.clone();
    let actor = (Some(member.user().id), member.user().login.clone());
    let year_change = match &p.school_year {
        Some(new_year) => {
            let old = super::rollover::current_year(&app.store)?;
            Some((
                super::rollover::snapshot(&app.store, &old, auth::now_micros())?,
                new_year.clone(),
            ))
        }
        None => None,
    };
    let outcome = tokio::task::spawn_blocking(move || {
        import::commit_with_year(
            &store,
            &plan,
            auth::now_micros(),
            (actor.0, &actor.1),
            year_change.as_ref().map(|(a, y)| (a, y.as_str())),
        )
    })
    .await
    .map_err(anyhow::Error::from)??;
    let k = key.clone();
    app.store.commit(|tx| tx.remove(&PENDING, &k)).await?;
    let c = &outcome.counts;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success(format!(
            "Import terminé : {} élève(s) créé(s), {} mis à jour, {} partant(s), {} responsable(s) créé(s), {} lien(s). Imprimez maintenant les lettres d'activation des familles.",
            c.pupils_new, c.pupils_updated, c.leavers, c.guardians_new, c.links
        )),
    )
    .await?;
    Ok(Redirect::see_other("/admin/comptes").into_response())
}
