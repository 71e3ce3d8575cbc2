//! The new school year (/admin/rentree): the director names the new year and gives the
//! new ONDE export of the whole school; the import preview shows who moves up, who
//! changes class and who leaves; on confirmation the previous year's classes are kept as
//! a read-only archive and the school year changes.

use crate::routing::{Access, Routes};
use maud::{html, Markup};
use poem::web::{Data, Multipart, Path, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::import::PENDING;
use super::Membership;
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action};
use crate::store::{Result, Store, Tx};
use crate::ui::csrf_input;

const YEAR_KEY: &str = "school_year";
const ARCHIVE_LIST_KEY: &str = "year_archives";

/// One class as it was at the end of a year.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ArchivedClass {
    pub label: String,
    pub levels: String,
    pub teachers: Vec<String>,
    pub pupils: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct YearArchive {
    pub year: String,
    pub archived_at: i64,
    pub classes: Vec<ArchivedClass>,
}

/// « 2026-2027 »: the year that starts in August.
pub fn year_of(micros: i64) -> String {
    let z = jiff::Timestamp::from_microsecond(micros)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(crate::ui::dates::school_tz());
    let y = z.year();
    if z.month() >= 8 {
        format!("{}-{}", y, y + 1)
    } else {
        format!("{}-{}", y - 1, y)
    }
}

pub fn current_year(store: &Store) -> Result<String> {
    Ok(store
        .meta::<String>(YEAR_KEY)?
        .unwrap_or_else(|| year_of(auth::now_micros())))
}

fn next_year(year: &str) -> String {
    match year
        .split_once('-')
        .and_then(|(a, b)| Some((a.parse::<i32>().ok()?, b.parse::<i32>().ok()?)))
    {
        Some((a, b)) => format!("{}-{}", a + 1, b + 1),
        None => year.to_string(),
    }
}

fn valid_year(label: &str) -> bool {
    matches!(label.split_once('-').and_then(|(a, b)| Some((a.parse::<i32>().ok()?, b.parse::<i32>().ok()?))), Some((a, b)) if b == a + 1 && (2000..2200).contains(&a))
}

/// The classes as they are now, for the archive.
pub fn snapshot(store: &Store, year: &str, now: i64) -> Result<YearArchive> {
    let mut classes = Vec::new();
    for c in super::classes(store)? {
        let members = super::members(store, c.id)?;
        classes.push(ArchivedClass {
            label: c.label.clone(),
            levels: c.levels_text(),
            teachers: members
                .iter()
                .filter(|(_, r)| *r == Membership::Teacher)
                .map(|(u, _)| u.display_name())
                .collect(),
            pupils: members
                .iter()
                .filter(|(_, r)| *r == Membership::Pupil)
                .map(|(u, _)| u.display_name())
                .collect(),
        });
    }
    Ok(YearArchive {
        year: year.to_string(),
        archived_at: now,
        classes,
    })
}

/// Records the archive of the year that ends and the new year, in the transaction of
/// the import that opens it.
pub fn close_year(tx: &mut Tx<'_>, archive: &YearArchive, new_year: &str) -> Result<()> {
    tx.set_meta(&format!("year_archive:{}", archive.year), archive)?;
    let mut list: Vec<String> = tx.meta(ARCHIVE_LIST_KEY)?.unwrap_or_default();
    if !list.contains(&archive.year) {
        list.push(archive.year.clone());
    }
    tx.set_meta(ARCHIVE_LIST_KEY, &list)?;
    tx.set_meta(YEAR_KEY, &new_year.to_string())
}

pub fn archives(store: &Store) -> Result<Vec<String>> {
    Ok(store.meta(ARCHIVE_LIST_KEY)?.unwrap_or_default())
}

pub fn archive(store: &Store, year: &str) -> Result<Option<YearArchive>> {
    store.meta(&format!("year_archive:{year}"))
}

pub(super) fn console() -> Routes {
    Routes::new()
        .get("/", form, Access::Director)
        .post("/", start, Access::Director)
        .get("/archives/:year", show_archive, Access::Director)
}

fn form_view(app: &App, member: &Member, error: Option<&str>) -> AppResult<Markup> {
    let year = current_year(&app.store)?;
    let action = format!(
        "/admin/rentree?{}={}",
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    let years = archives(&app.store)?;
    let body = html! {
        (crate::ui::heading("Rentrée scolaire", Some(&format!("Année en cours : {year}"))))
        section.panel {
            h2 { "Passer à l'année suivante" }
            ol {
                li { "Dans ONDE, après le passage des élèves, faites l'extraction « Élèves » de toute l'école (et « Responsables »)." }
                li { "Déposez-les ici : l'aperçu montre qui change de classe ou de niveau, qui arrive et qui part." }
                li { "Si vous le souhaitez, gardez d'abord la " a href="/admin/memoire" { "mémoire de l'année" } " : le blog, le cahier de textes et la médiathèque de chaque classe, en pages à lire sans connexion (elle reste téléchargeable après la rentrée)." }
                li { "En confirmant, les classes de " (year) " sont archivées en lecture seule, les partants sont désactivés (comptes supprimés 3 mois plus tard) et l'année " (next_year(&year)) " commence." }
            }
            @if let Some(e) = error { div.flash.error role="alert" { (e) } }
            form method="post" action=(action) enctype="multipart/form-data" {
                (csrf_input(&member.visitor))
                div.field {
                    label for="f-annee" { "Nouvelle année scolaire" }
                    input #f-annee type="text" name="annee" value=(next_year(&year)) required;
                }
                div.field {
                    label for="f-eleves" { "Extraction « Élèves » de toute l'école (CSV)" }
                    input #f-eleves type="file" name="eleves" accept=".csv,text/csv,text/plain" required;
                }
                div.field {
                    label for="f-responsables" { "Extraction « Responsables » (CSV, facultatif)" }
                    input #f-responsables type="file" name="responsables" accept=".csv,text/csv,text/plain";
                }
                button.primary type="submit" { "Voir l'aperçu de la rentrée" }
            }
        }
        @if !years.is_empty() {
            section.panel {
                h2 { "Années archivées" }
                ul { @for y in &years { li { a href=(format!("/admin/rentree/archives/{y}")) { (y) } } } }
            }
        }
    };
    app.console_page(&member.visitor, "Rentrée scolaire", "/admin/rentree", body)
}

#[handler]
fn form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageAccounts)?;
    form_view(app, &member, None)
}

#[handler]
async fn start(
    Data(app): Data<&App>,
    member: Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageAccounts)?;
    // Parsed only once the policy said yes: a refused person gets a 403, not a 415.
    let mut multipart = multipart
        .map_err(|_| AppError::BadRequest("Envoyez les fichiers depuis le formulaire.".into()))?;
    let upload = match super::import_routes::read_upload(&mut multipart).await {
        Ok(u) => u,
        Err(msg) => {
            return Ok((
                poem::http::StatusCode::PAYLOAD_TOO_LARGE,
                form_view(app, &member, Some(&msg))?,
            )
                .into_response())
        }
    };
    let year_text = upload.texts.get("annee").map(|t| t.trim().to_string());
    let pending = upload.into_pending(true, year_text);
    let year = pending.school_year.clone().unwrap_or_default();
    if !valid_year(&year) {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            form_view(
                app,
                &member,
                Some("Indiquez l'année sous la forme 2027-2028."),
            )?,
        )
            .into_response());
    }
    if year == current_year(&app.store)? {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            form_view(
                app,
                &member,
                Some(&format!("L'année {year} est déjà l'année en cours.")),
            )?,
        )
            .into_response());
    }
    if pending.pupils.is_none() {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            form_view(
                app,
                &member,
                Some("L'extraction « Élèves » de toute l'école est nécessaire pour la rentrée."),
            )?,
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

#[handler]
fn show_archive(
    Data(app): Data<&App>,
    member: Member,
    Path(year): Path<String>,
) -> AppResult<Markup> {
    require(member.actor(), Action::ManageAccounts)?;
    let a = archive(&app.store, &year)?.ok_or(AppError::NotFound)?;
    let body = html! {
        (crate::ui::heading(&format!("Année {}", a.year), Some("Archive en lecture seule : les classes telles qu'elles étaient à la fin de l'année.")))
        @for c in &a.classes {
            section.panel {
                h2 { (c.label) " " span.small { (c.levels) } }
                p { "Enseignant(s) : " (if c.teachers.is_empty() { "—".to_string() } else { c.teachers.join(", ") }) }
                p { (c.pupils.len()) " élève(s)" @if !c.pupils.is_empty() { " : " (c.pupils.join(", ")) } }
            }
        }
    };
    app.console_page(
        &member.visitor,
        &format!("Année {}", a.year),
        "/admin/rentree",
        body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_years_turn_in_august() {
        let micros = |t: &str| t.parse::<jiff::Timestamp>().unwrap().as_microsecond();
        assert_eq!(year_of(micros("2026-11-23T10:00:00Z")), "2026-2027");
        assert_eq!(year_of(micros("2027-06-30T10:00:00Z")), "2026-2027");
        assert_eq!(year_of(micros("2027-08-20T10:00:00Z")), "2027-2028");
        assert_eq!(next_year("2026-2027"), "2027-2028");
        assert!(valid_year("2027-2028"));
        assert!(!valid_year("2027-2029") && !valid_year("rentrée"));
    }
}
