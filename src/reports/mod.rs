//! The director's moderation inbox (/admin/signalements): what people reported with
//! « Signaler » — a message now, articles and comments when the blog comes. A report
//! keeps a copy of what was reported, so that the director reads that item and nothing
//! else of anyone's mailbox.

use crate::routing::{Access, Routes};
use crate::ui::input::FormInput;
use maud::{html, Markup};
use poem::handler;
use poem::web::{Data, Path, Query, Redirect};
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action};
use crate::store::{Result, Store, Table, Tx};
use crate::ui::pager::{self, Links, Pager, PER_PAGE};
use crate::ui::{csrf_input, dates};

pub const REPORTS: Table<u64, Report> = Table::new("reports");
pub const TABLES: &[&str] = &[REPORTS.name];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub id: u64,
    /// « Message », « Article », « Commentaire ».
    pub kind: String,
    pub title: String,
    /// The reported text as it was (Markdown source).
    pub body: String,
    pub author_id: u64,
    pub author_name: String,
    pub reporter_id: u64,
    pub reporter_name: String,
    pub reason: String,
    pub at: i64,
    #[serde(default)]
    pub closed: Option<Closure>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Closure {
    pub by: String,
    pub at: i64,
    pub note: String,
}

/// Files a report and tells the direction, in the caller's transaction.
pub fn file(tx: &mut Tx<'_>, report: Report, directors: &[u64]) -> Result<u64> {
    let id = tx.next_id("report")?;
    let text = format!(
        "Signalement : {} « {} »",
        report.kind.to_lowercase(),
        report.title
    );
    tx.put(
        &REPORTS,
        &id,
        &Report {
            id,
            ..report.clone()
        },
    )?;
    for d in directors {
        crate::notify::push(
            tx,
            *d,
            crate::notify::Kind::Report,
            &text,
            &format!("/admin/signalements/{id}"),
            report.at,
        )?;
    }
    Ok(id)
}

/// What a person reports with « Signaler ».
pub struct Reported {
    /// « Message », « Article », « Commentaire ».
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    pub author: u64,
}

/// Files the report of `member` with its reason and tells the direction; the flash
/// thanks the person.
pub async fn signal(
    app: &App,
    member: &Member,
    people: &crate::directory::people::People,
    item: Reported,
    reason: &str,
) -> AppResult<()> {
    let directors: Vec<u64> = people
        .users
        .values()
        .filter(|u| u.is_director() && !u.disabled)
        .map(|u| u.id)
        .collect();
    let report = Report {
        id: 0,
        kind: item.kind.to_string(),
        title: item.title,
        body: item.body,
        author_id: item.author,
        author_name: people.describe(item.author),
        reporter_id: member.user().id,
        reporter_name: people.describe(member.user().id),
        reason: reason.trim().chars().take(1000).collect(),
        at: auth::now_micros(),
        closed: None,
    };
    app.store
        .commit(|tx| file(tx, report.clone(), &directors))
        .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Merci : la direction a reçu votre signalement."),
    )
    .await?;
    Ok(())
}

pub fn all(store: &Store) -> Result<Vec<Report>> {
    let mut list: Vec<Report> = store.scan(&REPORTS)?.into_iter().map(|(_, r)| r).collect();
    list.reverse();
    Ok(list)
}

/// The moderation inbox, a console page.
pub fn routes() -> Routes {
    use Access::Director;
    Routes::new().console(
        "/signalements",
        Routes::new()
            .get("/", inbox, Director)
            .get("/:id", detail, Director)
            .post("/:id/clore", close, Director),
    )
}

/// The inbox's page (`?page=2`).
#[derive(Deserialize, Default)]
#[serde(default)]
struct InboxPage {
    page: Option<String>,
}

#[handler]
fn inbox(Data(app): Data<&App>, member: Member, Query(q): Query<InboxPage>) -> AppResult<Markup> {
    require(member.actor(), Action::ReadReports)?;
    let reports = all(&app.store)?;
    let open = reports.iter().filter(|r| r.closed.is_none()).count();
    let pager = Pager::counted(pager::asked(q.page.as_deref()), reports.len(), PER_PAGE);
    let links = Links {
        path: "/admin/signalements",
        keep: &[],
        param: "page",
        label: "Pages des signalements",
    };
    let body = html! {
        (crate::ui::heading("Signalements", Some(&format!("{open} signalement(s) à examiner. Chaque signalement garde une copie de ce qui a été signalé : vous ne lisez que cela."))))
        section.panel {
            (pager::past_end_notice(&pager))
            @if reports.is_empty() { p.empty { "Aucun signalement." } } @else {
                table.list {
                    thead { tr { th scope="col" { "Reçu le" } th scope="col" { "Quoi" } th scope="col" { "Signalé par" } th scope="col" { "État" } } }
                    tbody {
                        @for r in pager.slice(&reports) {
                            tr {
                                td { (dates::short_datetime(r.at)) }
                                td { a href=(format!("/admin/signalements/{}", r.id)) { (r.kind) " « " (r.title) " »" } }
                                td { (r.reporter_name) }
                                td { @if r.closed.is_some() { "traité" } @else { span.badge { "à examiner" } } }
                            }
                        }
                    }
                }
                (pager::nav(&pager, &links))
            }
        }
    };
    app.console_page(&member.visitor, "Signalements", "/admin/signalements", body)
}

#[handler]
fn detail(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    require(member.actor(), Action::ReadReports)?;
    let r = app.store.get(&REPORTS, &id)?.ok_or(AppError::NotFound)?;
    let body = html! {
        (crate::ui::heading(&format!("{} signalé", r.kind), Some(&format!("Par {} le {}", r.reporter_name, dates::long_datetime(r.at)))))
        section.panel {
            h2 { "Motif" }
            p { @if r.reason.is_empty() { "(aucun motif donné)" } @else { (r.reason) } }
        }
        section.panel {
            h2 { (r.title) }
            p.small { "Écrit par " (r.author_name) }
            div.richtext { (crate::ui::richtext::render(&r.body)) }
        }
        section.panel {
            @if let Some(c) = &r.closed {
                p { "Traité par " (c.by) " le " (dates::long_datetime(c.at)) "." }
                @if !c.note.is_empty() { p { (c.note) } }
            } @else {
                form method="post" action=(format!("/admin/signalements/{id}/clore")) {
                    (csrf_input(&member.visitor))
                    div.field {
                        label for="f-note" { "Suite donnée (pour mémoire)" }
                        textarea #f-note name="note" rows="3" {}
                    }
                    button.primary type="submit" { "Marquer comme traité" }
                }
            }
        }
    };
    app.console_page(&member.visitor, "Signalement", "/admin/signalements", body)
}

/// The director's note when closing a report.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ReportClosing {
    note: String,
}

#[handler]
async fn close(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<ReportClosing>,
) -> AppResult<Redirect> {
    require(member.actor(), Action::ReadReports)?;
    let note = f.note.trim().to_string();
    let by = member.user().display_name();
    let now = auth::now_micros();
    let found = app
        .store
        .commit(|tx| {
            let Some(mut r) = tx.get(&REPORTS, &id)? else {
                return Ok(false);
            };
            r.closed = Some(Closure {
                by: by.clone(),
                at: now,
                note: note.clone(),
            });
            tx.put(&REPORTS, &id, &r)?;
            Ok(true)
        })
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Le signalement est marqué comme traité."),
    )
    .await?;
    Ok(Redirect::see_other("/admin/signalements"))
}
