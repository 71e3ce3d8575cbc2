//! The year's memory: a self-contained archive of a class's school year (or the whole
//! school's), static HTML in a ZIP that opens offline in any browser — the class blog with
//! its pictures, the class's space of the médiathèque, the cahier de textes of the year.
//!
//! The ZIP is never built in memory nor on disk: it is written entry by entry on a
//! blocking task into a bounded channel that the response body reads (`writer.rs`), so a
//! Raspberry Pi serves a year of photos with a few hundred kilobytes. Every picture that
//! leaves goes through the one publishing step (`media::images::published`: web size, no
//! EXIF/GPS), never the original upload; the photo-consent guard of the blog decides which
//! pictures may leave at all (`parts.rs`). Pages of the archive are in `pages.rs`, the
//! routes (a class's teachers and the director; the whole school from the console) in
//! `routes.rs`, their pages in `views.rs`; `preau archive` shares the same writer.

mod pages;
mod parts;
pub mod routes;
mod views;
mod writer;

use jiff::civil::Date;

use crate::directory::people::People;
use crate::school::Service;
use crate::store::Store;

pub use routes::routes;
pub use writer::{write, ChannelWriter};

/// What an archive covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One class: its blog, its space of the médiathèque, its cahier de textes.
    Class(u64),
    /// The school's blog and every class.
    School,
}

/// A school year by its first year (2025 for « 2025-2026 »); it turns on the 1st of
/// August, as the rentrée's years do (`directory::rollover::year_of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SchoolYear(pub i16);

impl SchoolYear {
    /// « 2025-2026 »; `None` for anything else.
    pub fn parse(text: &str) -> Option<SchoolYear> {
        let (a, b) = text.trim().split_once('-')?;
        let (a, b) = (a.parse::<i16>().ok()?, b.parse::<i16>().ok()?);
        (b == a + 1 && (2000..2200).contains(&a)).then_some(SchoolYear(a))
    }

    pub fn label(self) -> String {
        format!("{}-{}", self.0, self.0 + 1)
    }

    /// The first day of the year and the first day after it.
    fn days(self) -> (Date, Date) {
        let first = Date::new(self.0, 8, 1).unwrap_or(Date::MIN);
        let next = Date::new(self.0 + 1, 8, 1).unwrap_or(Date::MAX);
        (first, next)
    }

    /// Whether the instant falls in the year (a blog article's publication).
    pub fn holds(self, micros: i64) -> bool {
        let (first, next) = self.days();
        (crate::ui::dates::start_of_day(first)..crate::ui::dates::start_of_day(next))
            .contains(&micros)
    }
}

/// « 2025-2026 », written straight into the page (a year select shows every year twice).
impl maud::Render for SchoolYear {
    fn render_to(&self, buffer: &mut String) {
        use std::fmt::Write;
        let _ = write!(buffer, "{}-{}", self.0, self.0 + 1);
    }
}

/// The current year (the rentrée's) and the years the rentrée archived, newest first: the
/// years an archive may be asked for.
pub fn years(store: &Store) -> crate::store::Result<Vec<SchoolYear>> {
    let mut years: Vec<SchoolYear> =
        SchoolYear::parse(&crate::directory::rollover::current_year(store)?)
            .into_iter()
            .chain(archived_years(store)?.iter().copied())
            .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    Ok(years)
}

/// The years the rentrée archived, read and parsed once and kept until the store's
/// records (`meta`, where the rentrée lists them) change: every class page offers them, and
/// a school keeps a year more each rentrée. (The current year is read each time: without
/// a rentrée it follows the calendar.)
fn archived_years(store: &Store) -> crate::store::Result<std::sync::Arc<Vec<SchoolYear>>> {
    store.derived(&[crate::store::META.name], |s| {
        Ok(crate::directory::rollover::archives(s)?
            .iter()
            .filter_map(|y| SchoolYear::parse(y))
            .collect())
    })
}

/// The year asked (`?annee=2025-2026`) if it is one of [`years`], else the current one.
pub fn chosen_year(store: &Store, asked: Option<&str>) -> crate::store::Result<SchoolYear> {
    let years = years(store)?;
    let asked = asked.and_then(SchoolYear::parse);
    Ok(asked
        .filter(|y| years.contains(y))
        .or_else(|| years.first().copied())
        .unwrap_or(SchoolYear(2000)))
}

/// The class page's panel offering the class's archive, for who may make it (the
/// class's teachers, the director).
pub fn offer(
    store: &Store,
    actor: &crate::policy::Actor,
    class_id: u64,
) -> crate::store::Result<Option<maud::Markup>> {
    if !crate::policy::may(actor, crate::policy::Action::Teach { class_id }) {
        return Ok(None);
    }
    let years = years(store)?;
    let year = years.first().copied().unwrap_or(SchoolYear(2000));
    let withheld = withheld_articles(store, class_id, year)?;
    Ok(Some(views::class_panel(class_id, &years, &withheld)))
}

/// The class blog's articles of `year` whose pictures stay out of the archive (a pupil
/// without authorisation may appear on them and nobody confirmed otherwise): the panel
/// leads the teacher to the blog's photo check for each.
fn withheld_articles(
    store: &Store,
    class_id: u64,
    year: SchoolYear,
) -> crate::store::Result<Vec<(u64, String)>> {
    use crate::blog::guard::{self, Verdict};
    let people = crate::directory::people::People::load(store)?;
    let now = crate::auth::now_micros();
    let mut out = Vec::new();
    for a in crate::blog::articles(store, crate::blog::BlogRef::Class(class_id))? {
        if !a.published(now) || !year.holds(a.publish_at) {
            continue;
        }
        if matches!(guard::verdict(store, &people, &a)?, Verdict::Unconfirmed(_)) {
            out.push((a.id, a.title));
        }
    }
    Ok(out)
}

/// What the archive holds: the services the school has on (a service switched off shows
/// nothing anywhere, nor here).
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    pub blog: bool,
    pub textbook: bool,
    pub media: bool,
}

impl Parts {
    pub fn of(store: &Store) -> crate::store::Result<Parts> {
        let school = crate::school::get(store)?;
        let on = |s: Service| school.as_ref().is_some_and(|x| x.enabled(s));
        Ok(Parts {
            blog: on(Service::Blog),
            textbook: on(Service::CahierDeTextes),
            media: on(Service::Mediatheque),
        })
    }
}

/// A name fit for a path inside the archive and a download: lower-case letters, digits
/// and `-` only, accents dropped, at most 40 characters.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in crate::directory::fold(text).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "sans-nom".into()
    } else {
        out
    }
}

/// The file name offered for the download (« memoire-cm1-cm2-2025-2026.zip »).
pub fn file_name(store: &Store, scope: Scope, year: SchoolYear) -> crate::store::Result<String> {
    let what = match scope {
        Scope::School => "ecole".to_string(),
        Scope::Class(c) => {
            let people = People::load(store)?;
            slug(&people.class(c).map(|c| c.label.clone()).unwrap_or_default())
        }
    };
    Ok(format!("memoire-{what}-{}.zip", year.label()))
}

/// What `preau archive` asks for: a class by its name (accents and case folded) or its
/// number, the whole school without one; a year the console offers, the current one
/// without one.
fn resolve(
    store: &Store,
    class: Option<&str>,
    year: Option<&str>,
) -> anyhow::Result<(Scope, SchoolYear)> {
    let scope = match class {
        None => Scope::School,
        Some(asked) => {
            let people = People::load(store)?;
            let found = people.classes.iter().find(|c| {
                c.id.to_string() == asked.trim()
                    || crate::directory::fold(&c.label) == crate::directory::fold(asked)
            });
            match found {
                Some(c) => Scope::Class(c.id),
                None => anyhow::bail!(
                    "pas de classe « {asked} » ; les classes : {}",
                    people
                        .classes
                        .iter()
                        .map(|c| c.label.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        }
    };
    let offered = years(store)?;
    let year = match year {
        None => chosen_year(store, None)?,
        Some(asked) => match SchoolYear::parse(asked).filter(|y| offered.contains(y)) {
            Some(y) => y,
            None => anyhow::bail!(
                "pas d'année « {asked} » ; les années : {}",
                offered
                    .iter()
                    .map(|y| y.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    };
    Ok((scope, year))
}

/// `preau archive` (directly, or through the running server's admin socket): the archive
/// asked written into `dest`; what was written, for the technician.
pub fn make_file(
    store: &Store,
    class: Option<&str>,
    year: Option<&str>,
    runtime: &tokio::runtime::Handle,
    dest: &std::path::Path,
) -> anyhow::Result<String> {
    let (scope, year) = resolve(store, class, year)?;
    let size = to_file(store, scope, year, runtime, dest)?;
    let what = match scope {
        Scope::School => "de l'école".to_string(),
        Scope::Class(c) => format!(
            "de la classe {}",
            People::load(store)?
                .class(c)
                .map(|c| c.label.clone())
                .unwrap_or_default()
        ),
    };
    Ok(format!(
        "Mémoire de l'année {} {what} écrite dans {} ({}).",
        year.label(),
        dest.display(),
        crate::attachments::size_text(size)
    ))
}

/// Writes the archive into the file `dest`, through `dest.part` renamed once complete (a
/// stopped command leaves no ZIP without its end); gives its size. Runs on a blocking
/// task of `runtime`, as [`write`] does.
fn to_file(
    store: &Store,
    scope: Scope,
    year: SchoolYear,
    runtime: &tokio::runtime::Handle,
    dest: &std::path::Path,
) -> anyhow::Result<u64> {
    use anyhow::Context;
    let mut part = dest.as_os_str().to_owned();
    part.push(".part");
    let part = std::path::PathBuf::from(part);
    let file = std::fs::File::create(&part)
        .with_context(|| format!("impossible d'écrire {}", part.display()))?;
    let synced = file.try_clone()?;
    if let Err(e) = write(
        store,
        scope,
        year,
        runtime,
        Box::new(std::io::BufWriter::new(file)),
    ) {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    let file = synced;
    file.sync_all()?;
    let size = file.metadata()?.len();
    std::fs::rename(&part, dest)?;
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_school_year_reads_as_the_rentree_writes_it() {
        assert_eq!(SchoolYear::parse("2025-2026"), Some(SchoolYear(2025)));
        assert_eq!(SchoolYear(2025).label(), "2025-2026");
        for bad in [
            "2025-2027",
            "2025",
            "",
            "../x",
            "1999-2000",
            "2025-2026-2027",
        ] {
            assert_eq!(SchoolYear::parse(bad), None, "{bad}");
        }
        let y = SchoolYear(2025);
        let at = |d: &str| crate::ui::dates::start_of_day(crate::ui::dates::parse_date(d).unwrap());
        assert!(y.holds(at("2025-08-01")));
        assert!(y.holds(at("2026-07-31")));
        assert!(!y.holds(at("2026-08-01")));
        assert!(!y.holds(at("2025-07-31")));
    }

    #[test]
    fn names_inside_the_archive_carry_no_path() {
        assert_eq!(slug("CM1-CM2"), "cm1-cm2");
        assert_eq!(slug("Sortie au musée d'Orsay !"), "sortie-au-musee-d-orsay");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("..."), "sans-nom");
        assert!(slug(&"é".repeat(300)).len() <= 40);
    }
}
