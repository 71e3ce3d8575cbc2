//! The year's registre d'appel archived as one self-contained HTML file in the data folder
//! (`<data>/registres/`): every class's monthly grids with their totals and visa, names
//! written out, so that the file stays readable for the ten years the guidance asks for,
//! after the pupils' accounts are deleted (three months after they leave). Files older
//! than ten years are deleted by the hourly job.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::register::{self, rate, Month};
use super::{slot, HalfDay, APPELS};
use crate::directory::people::People;
use crate::store::{Result, Store};

pub const FOLDER: &str = "registres";
/// Years an archive is kept.
pub const KEEP_YEARS: i16 = 10;

/// The school year a day belongs to, by its first year (2026 for 2026-2027).
pub fn school_year_of(day: Date) -> i16 {
    if day.month() >= 9 {
        day.year()
    } else {
        day.year() - 1
    }
}

fn file_name(start: i16) -> String {
    format!("registre-d-appel-{}-{}.html", start, start + 1)
}

/// The months of a school year, September to August.
fn months(start: i16) -> Vec<Month> {
    (0..12)
        .map(|i| {
            let m = 9 + i;
            Month {
                year: if m > 12 { start + 1 } else { start },
                month: if m > 12 { m - 12 } else { m } as i8,
            }
        })
        .collect()
}

const STYLE: &str = "body{font-family:sans-serif;margin:1rem;}table{border-collapse:collapse;font-size:.8rem;margin:0 0 1.5rem;}th,td{border:1px solid #777;padding:1px 3px;text-align:center;}th[scope=row]{text-align:left;white-space:nowrap;}section{break-after:page;}@page{size:A4 landscape;margin:10mm;}";

/// The whole year's register as one HTML document.
pub fn render(store: &Store, people: &People, start: i16, today: Date) -> Result<String> {
    let (Some(first), Some(last)) = (
        Date::new(start, 9, 1).ok(),
        Date::new(start + 1, 8, 31).ok(),
    ) else {
        return Ok(String::new());
    };
    let (from, to) = (
        slot(first, HalfDay::Morning),
        slot(last, HalfDay::Afternoon) + 1,
    );
    let mut classes = BTreeSet::new();
    store.visit(&APPELS, |(class, s), _| {
        if (from..to).contains(&s) {
            classes.insert(class);
        }
    })?;
    let school = crate::school::get(store)?;
    let name = school.as_ref().map(|s| s.name.clone()).unwrap_or_default();
    let uai = school.as_ref().map(|s| s.uai.clone()).unwrap_or_default();
    let mut sections: Vec<Markup> = Vec::new();
    for class in classes {
        let label = people
            .class(class)
            .map(|c| c.label.clone())
            .unwrap_or_else(|| format!("classe n° {class}"));
        for m in months(start) {
            let r = register::month(store, people, class, m, today.min(last))?;
            if r.rows.iter().all(|row| row.expected == 0) {
                continue;
            }
            let visa = r.visa.as_ref().map(|v| {
                (
                    people
                        .user(v.by)
                        .map(|u| u.display_name())
                        .unwrap_or_else(|| "la direction".into()),
                    v.at,
                )
            });
            sections.push(html! {
                section {
                    h2 { (label) " — " (m.label()) }
                    table {
                        thead { tr {
                            th scope="col" { "Élève" }
                            @for (d, h) in &r.halves { th scope="col" { (d.day()) @if *h == HalfDay::Morning { "M" } @else { "A" } } }
                            th scope="col" { "Abs." } th scope="col" { "dont J" } th scope="col" { "Ret." } th scope="col" { "Présence" }
                        } }
                        tbody {
                            @for row in &r.rows {
                                tr {
                                    th scope="row" { (row.name) }
                                    @for c in &row.cells { td { (c.code()) } }
                                    td { (row.absent) } td { (row.justified) } td { (row.late) } td { (rate(row.present, row.expected)) }
                                }
                            }
                        }
                    }
                    p { @match &visa {
                        Some((by, at)) => { "Visé par " (by) ", le " (crate::ui::dates::long_datetime(*at)) "." }
                        None => { "Non visé." }
                    } }
                }
            });
        }
    }
    let title = format!("Registre d'appel {}-{} — {name}", start, start + 1);
    Ok(html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { (title) }
                p { "UAI " (uai) ". Codes : · présent, A absence non justifiée, J absence justifiée, R retard, Am aménagement, ? appel non fait. Archivé le " (crate::ui::dates::calendar_date(today)) ", à conserver dix ans." }
                @if sections.is_empty() { p { "Aucun appel cette année-là." } }
                @for s in &sections { (s) }
            }
        }
    }
    .into_string())
}

/// Writes the year's archive into `<data>/registres/` (temporary file, then renamed) and
/// returns its path.
pub fn write(
    store: &Store,
    people: &People,
    data_dir: &Path,
    start: i16,
    today: Date,
) -> anyhow::Result<PathBuf> {
    let html = render(store, people, start, today)?;
    let folder = data_dir.join(FOLDER);
    crate::fsutil::create_private_dir(&folder)?;
    let path = folder.join(file_name(start));
    let temp = folder.join(format!(".{}.tmp", file_name(start)));
    crate::fsutil::write_private(&temp, &html)?;
    std::fs::rename(&temp, &path)?;
    Ok(path)
}

/// Deletes the archives of school years that ended more than ten years ago.
pub fn purge(data_dir: &Path, today: Date) -> usize {
    let Ok(entries) = std::fs::read_dir(data_dir.join(FOLDER)) else {
        return 0;
    };
    let mut gone = 0;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let start = name
            .strip_prefix("registre-d-appel-")
            .and_then(|rest| rest.get(..4))
            .and_then(|y| y.parse::<i16>().ok());
        if let Some(start) = start {
            // The year ended in August of start + 1.
            if school_year_of(today) - (start + 1) >= KEEP_YEARS
                && std::fs::remove_file(e.path()).is_ok()
            {
                gone += 1;
            }
        }
    }
    gone
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_school_year_runs_from_september_to_august_and_is_kept_ten_years() {
        let d = |t: &str| t.parse::<Date>().unwrap();
        assert_eq!(school_year_of(d("2026-09-01")), 2026);
        assert_eq!(school_year_of(d("2027-08-31")), 2026);
        let m = months(2026);
        assert_eq!((m[0].year, m[0].month), (2026, 9));
        assert_eq!((m[11].year, m[11].month), (2027, 8));
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(FOLDER);
        std::fs::create_dir_all(&folder).unwrap();
        for start in [2015, 2016, 2025] {
            std::fs::write(folder.join(file_name(start)), "x").unwrap();
        }
        // In November 2026: 2015-2016 ended in August 2016, ten years ago; 2016-2017 is
        // kept until August 2027.
        assert_eq!(purge(dir.path(), d("2026-11-30")), 1);
        assert!(!folder.join(file_name(2015)).exists());
        assert!(folder.join(file_name(2016)).exists());
        assert!(folder.join(file_name(2025)).exists());
    }
}
