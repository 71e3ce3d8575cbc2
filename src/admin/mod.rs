//! The director's console (/admin): overview, school settings, services, logs. Accounts
//! and classes pages belong to the directory module and are nested here.

use crate::routing::{Access, Routes};
use maud::{html, Markup};
use poem::web::{Data, Form, Redirect};
use poem::{handler, IntoResponse, Response};

use crate::app::App;
use crate::auth::journal::{self, audit, record_audit, AuditEvent};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Profile};
use crate::school::{self, School, Service};
use crate::ui::form::{all_values, error_summary, select, Field, FormState};
use crate::ui::pager::{self, Links, Pager, PER_PAGE};
use crate::ui::{csrf_input, dates};

/// The console's own pages; the features add theirs through the route table.
pub fn routes() -> Routes {
    use Access::Director;
    Routes::new()
        .get("/", overview, Director)
        .get("/ecole", school_form, Director)
        .post("/ecole", school_submit, Director)
        .get("/services", services_form, Director)
        .post("/services", services_submit, Director)
        .get("/journal", logs, Director)
        .post("/sauvegarde", backup_now, Director)
}

/// « 1 classe », « 2 classes ».
pub fn plural(n: usize, word: &str) -> String {
    if n > 1 {
        format!("{word}s")
    } else {
        word.to_string()
    }
}

pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["Ko", "Mo", "Go", "To"];
    if bytes < 1024 {
        return format!("{bytes} o");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut unit = "Ko";
    for next in UNITS.iter().skip(1) {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = next;
    }
    format!("{v:.1} {unit}").replace('.', ",")
}

#[handler]
fn overview(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::OpenConsole)?;
    let school = school::get(&app.store)?.ok_or(AppError::NotFound)?;
    let classes = crate::directory::classes(&app.store)?;
    let users = crate::directory::users(&app.store, None)?;
    let count = |p: Profile| users.iter().filter(|u| u.profile == p).count();
    let db_size = app.store.size_on_disk().unwrap_or(0);
    let backup = crate::store_backups::status(app);
    let now = auth::now_micros();
    let free = crate::fsutil::free_disk(&app.settings.data_dir);
    let body = html! {
        (crate::ui::heading("Administration", Some(&school.name)))
        section.panel {
            h2 { "L'école en chiffres" }
            ul.stats {
                li { strong { (classes.len()) } " " (plural(classes.len(), "classe")) }
                li { strong { (count(Profile::Eleve)) } " " (plural(count(Profile::Eleve), "élève")) }
                li { strong { (count(Profile::Responsable)) } " " (plural(count(Profile::Responsable), "responsable")) }
                li { strong { (count(Profile::Enseignant)) } " " (plural(count(Profile::Enseignant), "enseignant")) }
                li { strong { (users.len()) } " " (plural(users.len(), "compte")) " en tout" }
            }
            p { a.button href="/admin/comptes/nouveau" { "Créer un compte" } " " a.button href="/admin/classes" { "Gérer les classes" } }
        }
        section.panel {
            h2 { "Sauvegardes" }
            @let folder = crate::store_backups::folder(app);
            @match &backup {
                None => { div.flash.error role="alert" { "Aucune sauvegarde n'a encore été faite." } }
                Some(b) if !b.ok => {
                    div.flash.error role="alert" { "La dernière sauvegarde a échoué le " (dates::long_datetime(b.at)) " : " (b.message) }
                }
                Some(b) if now - b.at > 2 * 86_400_000_000 => {
                    div.flash.error role="alert" { "Pas de sauvegarde depuis le " (dates::long_datetime(b.at)) "." }
                }
                Some(b) => { p { "Dernière sauvegarde : " (dates::long_datetime(b.at)) ", " (human_size(b.size)) "." } }
            }
            p.small { "Chaque nuit à " (app.settings.backup_hour) " h, dans " code { (folder.display()) } " (7 quotidiennes et 4 hebdomadaires gardées)." }
            form method="post" action="/admin/sauvegarde" {
                (csrf_input(&member.visitor))
                button type="submit" { "Sauvegarder maintenant" }
            }
        }
        section.panel {
            h2 { "Serveur" }
            dl.summary {
                dt { "Adresse" } dd { (app.settings.public_url()) }
                dt { "Version" } dd { "Préau " (env!("CARGO_PKG_VERSION")) ", schéma " (app.store.schema_version().unwrap_or(0)) }
                dt { "Base de données" } dd { (human_size(db_size)) }
                dt { "Espace disque libre" } dd { (free.map(human_size).unwrap_or_else(|| "inconnu".into())) }
                dt { "Annonce sur le réseau (mDNS)" } dd { @if app.settings.mdns { "activée (" (app.settings.hostname) ".local)" } @else { "désactivée" } }
                dt { "HTTPS" } dd { @if app.settings.tls { "activé" } @else { "désactivé (derrière un proxy)" } }
                dt { "Depuis la maison" } dd { a href="/admin/acces-maison" { (app.acme.public_url().unwrap_or_else(|| "pas de nom public".into())) } }
            }
            @if app.ca_pem.is_some() {
                p { a href="/certificat" { "Installer le certificat de l'école sur les appareils" } }
            }
        }
    };
    app.console_page(&member.visitor, "Administration", "/admin", body)
}

fn school_view(app: &App, member: &Member, form: &FormState) -> AppResult<Markup> {
    let zones: Vec<(String, String)> = school::Zone::ALL
        .iter()
        .map(|z| (z.code().to_string(), format!("Zone {}", z.code())))
        .collect();
    let body = html! {
        (crate::ui::heading("L'école", None))
        section.panel {
            (error_summary(form))
            form method="post" action="/admin/ecole" novalidate {
                (csrf_input(&member.visitor))
                (Field::text("name", "Nom de l'école").required().render(form))
                (Field::text("uai", "UAI (ex-RNE)").hint("7 chiffres et une lettre de contrôle.").required().render(form))
                (Field::text("address", "Adresse").render(form))
                div.row {
                    (Field::text("postcode", "Code postal").render(form))
                    (Field::text("commune", "Commune").required().render(form))
                }
                (Field::text("academie", "Académie").render(form))
                (select(form, "zone", "Zone de vacances scolaires", &zones, true))
                button.primary type="submit" { "Enregistrer" }
            }
        }
    };
    app.console_page(&member.visitor, "L'école", "/admin/ecole", body)
}

#[handler]
fn school_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::EditSchool)?;
    let s = school::get(&app.store)?.ok_or(AppError::NotFound)?;
    school_view(app, &member, &crate::setup::school_state(&s))
}

#[handler]
async fn school_submit(
    Data(app): Data<&App>,
    member: Member,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    require(member.actor(), Action::EditSchool)?;
    let current = school::get(&app.store)?.ok_or(AppError::NotFound)?;
    match crate::setup::parse_school_form(&f, current.services.clone()) {
        Ok(updated) => {
            let event = AuditEvent {
                at: auth::now_micros(),
                actor_id: Some(member.user().id),
                actor_login: member.user().login.clone(),
                action: "Modification des informations de l'école".into(),
            };
            app.store
                .commit(|tx| {
                    school::save(tx, &updated)?;
                    record_audit(tx, &event)
                })
                .await?;
            auth::push_flash(
                &app.store,
                &member.me.session_key,
                Flash::success("Informations de l'école enregistrées."),
            )
            .await?;
            Ok(Redirect::see_other("/admin/ecole").into_response())
        }
        Err(form) => Ok((
            poem::http::StatusCode::BAD_REQUEST,
            school_view(app, &member, &form)?,
        )
            .into_response()),
    }
}

fn services_view(app: &App, member: &Member, school: &School) -> AppResult<Markup> {
    // What each class chose, where it differs from the school's default.
    let people = crate::directory::people::People::load(&app.store)?;
    let choices: Vec<(&crate::directory::Class, Vec<String>)> = people
        .classes
        .iter()
        .map(|c| {
            let chosen = Service::ALL
                .into_iter()
                .filter_map(|s| {
                    let o = people.openings.chosen(c.id, s)?;
                    Some(format!("{} : {}", s.label(), o.label().to_lowercase()))
                })
                .collect::<Vec<_>>();
            (c, chosen)
        })
        .filter(|(_, chosen)| !chosen.is_empty())
        .collect();
    let body = html! {
        (crate::ui::heading("Services", Some("Choisissez les services ouverts dans l'école.")))
        section.panel {
            form method="post" action="/admin/services" {
                (csrf_input(&member.visitor))
                fieldset.field.checks {
                    legend { "Services ouverts" }
                    div.options.services {
                        @for s in Service::ALL {
                            @let id = format!("s-{}", s.slug());
                            div.check {
                                input type="checkbox" id=(id) name="services" value=(s.slug()) checked[school.enabled(s)];
                                label for=(id) {
                                    strong { (s.label()) } " — " (s.description())
                                    @if !s.available() { " " span.badge { "dans une prochaine version" } }
                                }
                            }
                        }
                    }
                }
                button.primary type="submit" { "Enregistrer" }
            }
        }
        section.panel {
            h2 { "Dans les classes" }
            p { "Pour chaque service ouvert, l'enseignant choisit qui s'en sert dans sa classe (fermé, enseignants seulement, élèves, élèves et familles), depuis la page de sa classe. Sans choix, une classe suit l'école : élèves et familles." }
            @if choices.is_empty() {
                p { "Aucune classe n'a fait de choix différent." }
            } @else {
                ul {
                    @for (c, chosen) in &choices {
                        li { a href=(format!("/classes/{}/services", c.id)) { (c.label) } " — " (chosen.join(" ; ")) }
                    }
                }
            }
        }
    };
    app.console_page(&member.visitor, "Services", "/admin/services", body)
}

#[handler]
fn services_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageServices)?;
    let s = school::get(&app.store)?.ok_or(AppError::NotFound)?;
    services_view(app, &member, &s)
}

#[handler]
async fn services_submit(
    Data(app): Data<&App>,
    member: Member,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageServices)?;
    let mut s = school::get(&app.store)?.ok_or(AppError::NotFound)?;
    s.services = all_values(&f, "services")
        .iter()
        .filter_map(|v| Service::from_slug(v))
        .collect();
    let event = AuditEvent {
        at: auth::now_micros(),
        actor_id: Some(member.user().id),
        actor_login: member.user().login.clone(),
        action: format!(
            "Services ouverts : {}",
            if s.services.is_empty() {
                "aucun".to_string()
            } else {
                s.services
                    .iter()
                    .map(|x| x.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
    };
    app.store
        .commit(|tx| {
            school::save(tx, &s)?;
            record_audit(tx, &event)
        })
        .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Services enregistrés."),
    )
    .await?;
    Ok(Redirect::see_other("/admin/services").into_response())
}

#[handler]
async fn backup_now(Data(app): Data<&App>, member: Member) -> AppResult<Response> {
    require(member.actor(), Action::EditSchool)?;
    let a = app.clone();
    let status =
        tokio::task::spawn_blocking(move || crate::store_backups::run(&a, auth::now_micros()))
            .await
            .map_err(anyhow::Error::from)?;
    audit(
        app,
        &member,
        format!("Sauvegarde manuelle : {}", status.message),
    )
    .await?;
    let flash = if status.ok {
        Flash::success(format!("Sauvegarde faite ({}).", human_size(status.size)))
    } else {
        Flash::error(status.message)
    };
    auth::push_flash(&app.store, &member.me.session_key, flash).await?;
    Ok(Redirect::see_other("/admin").into_response())
}

/// The journals' pages (`?actions=2`, `?connexions=3`): each read from its newest entry,
/// as far as the page shown and one more.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LogPages {
    actions: Option<String>,
    connexions: Option<String>,
}

/// Journals are read from the newest entry without counting them: the pages stop here
/// (10 000 entries), so that a made-up page number never reads a whole journal.
const LOG_PAGES: usize = 200;

#[handler]
fn logs(
    Data(app): Data<&App>,
    member: Member,
    poem::web::Query(q): poem::web::Query<LogPages>,
) -> AppResult<Markup> {
    require(member.actor(), Action::ReadLogs)?;
    let audit_pager = Pager::open(pager::asked(q.actions.as_deref()), PER_PAGE, LOG_PAGES);
    let audit = journal::recent_audit(&app.store, audit_pager.read_limit())?;
    let audit_pager = audit_pager.read(audit.len());
    let conn_pager = Pager::open(pager::asked(q.connexions.as_deref()), PER_PAGE, LOG_PAGES);
    let connections = journal::recent_connections(&app.store, conn_pager.read_limit())?;
    let conn_pager = conn_pager.read(connections.len());
    // Each list's links keep the other list's page.
    let audit_page = audit_pager.page.to_string();
    let conn_page = conn_pager.page.to_string();
    let keep_conn = [("connexions", conn_page.as_str())];
    let keep_audit = [("actions", audit_page.as_str())];
    let audit_links = Links {
        path: "/admin/journal",
        keep: if conn_pager.page > 1 {
            &keep_conn[..]
        } else {
            &[]
        },
        param: "actions",
        label: "Pages des actions d'administration",
    };
    let conn_links = Links {
        path: "/admin/journal",
        keep: if audit_pager.page > 1 {
            &keep_audit[..]
        } else {
            &[]
        },
        param: "connexions",
        label: "Pages des connexions",
    };
    let body = html! {
        (crate::ui::heading("Journaux", Some(&format!("Conservés {} mois, puis effacés automatiquement.", app.settings.log_retention_months))))
        section.panel #actions {
            h2 { "Actions d'administration" }
            (pager::past_end_notice(&audit_pager))
            @if audit.is_empty() { p.empty { "Aucune action." } } @else {
                table.list.stack {
                    caption { "Les plus récentes d'abord, " (audit_pager.position()) }
                    thead { tr { th scope="col" { "Date" } th scope="col" { "Par" } th scope="col" { "Action" } } }
                    tbody { @for e in audit_pager.slice(&audit) { tr { td data-label="Date" { (dates::short_datetime(e.at)) } td data-label="Par" { (e.actor_login) } td data-label="Action" { (e.action) } } } }
                }
                (pager::nav(&audit_pager, &audit_links))
            }
        }
        section.panel #connexions {
            h2 { "Connexions" }
            (pager::past_end_notice(&conn_pager))
            @if connections.is_empty() { p.empty { "Aucune connexion." } } @else {
                table.list.stack {
                    caption { "Les plus récentes d'abord, " (conn_pager.position()) }
                    thead { tr { th scope="col" { "Date" } th scope="col" { "Événement" } th scope="col" { "Identifiant" } th scope="col" { "Adresse" } } }
                    tbody { @for e in conn_pager.slice(&connections) { tr { td data-label="Date" { (dates::short_datetime(e.at)) } td data-label="Événement" { (e.kind.label()) } td data-label="Identifiant" { (e.login) } td data-label="Adresse" { (e.address) } } } }
                }
                (pager::nav(&conn_pager, &conn_links))
            }
        }
    };
    app.console_page(&member.visitor, "Journaux", "/admin/journal", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_french() {
        assert_eq!(human_size(500), "500 o");
        assert_eq!(human_size(1536), "1,5 Ko");
    }
}
