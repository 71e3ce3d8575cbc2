//! Transport scolaire: the commune's bus lines (and the RPI's shuttles between the
//! villages' schools), each with its runs — a direction, the days of the week it runs,
//! its stops and times — and the pupils who ride it, chosen by the commune class by
//! class. An exceptional change (« car supprimé jeudi — neige ») covers a few days: it is
//! told at once to the guardians of the line's riders, and to them only, and shows on
//! their home page until its last day has passed.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::access::Run as RunSpace;
use crate::directory::people::People;
use crate::notify::{self, Kind as NoticeKind};
use crate::policy::Granted;
use crate::store::{Result, Store, Table};
use crate::ui::dates;

pub const LINES: Table<u64, Line> = Table::new("commune_lines");
pub const CHANGES: Table<u64, Change> = Table::new("commune_transport_changes");

/// At most this many runs on a line (aller, retour, the Wednesday's retour, a shuttle).
pub const MAX_RUNS: usize = 4;
/// The days a bus may run: Monday to Saturday.
pub const DAYS: [&str; 6] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// To the school, in the morning (or after lunch).
    Aller,
    /// From the school, after class.
    Retour,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::Aller, Direction::Retour];
    pub fn label(self) -> &'static str {
        match self {
            Direction::Aller => "Aller (vers l'école)",
            Direction::Retour => "Retour (après la classe)",
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            Direction::Aller => "aller",
            Direction::Retour => "retour",
        }
    }
    pub fn from_slug(text: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.slug() == text)
    }
}

/// A stop and the time the bus passes there (minutes after midnight).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stop {
    pub time: u16,
    pub place: String,
}

/// One run of a line: a direction, its days (0 = lundi … 5 = samedi), its stops in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trip {
    pub direction: Direction,
    pub days: Vec<u8>,
    pub stops: Vec<Stop>,
}

impl Trip {
    /// « lundi, mardi, jeudi, vendredi ».
    pub fn days_text(&self) -> String {
        let names: Vec<&str> = self
            .days
            .iter()
            .filter_map(|d| DAYS.get(usize::from(*d)).copied())
            .collect();
        names.join(", ")
    }

    /// The stops as the form shows them: « 08:05 Les Granges » a line.
    pub fn stops_text(&self) -> String {
        self.stops
            .iter()
            .map(|s| format!("{} {}", crate::slots::clock_value(s.time), s.place))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Line {
    pub id: u64,
    /// « Ligne 1 — Les Granges ↔ école », « Navette RPI Saint-Martin ↔ Vernay ».
    pub name: String,
    /// The carrier, who to call, where the timetable is posted.
    #[serde(default)]
    pub note: String,
    pub trips: Vec<Trip>,
    /// The pupils who ride it.
    #[serde(default)]
    pub riders: Vec<u64>,
    pub created_at: i64,
}

/// A line as the commune typed it.
pub struct NewLine {
    pub name: String,
    pub note: String,
    pub trips: Vec<Trip>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Change {
    pub id: u64,
    pub line: u64,
    pub from: Date,
    pub to: Date,
    /// « Car supprimé jeudi — neige. »
    pub text: String,
    pub by: u64,
    pub at: i64,
}

impl Change {
    /// « le jeudi 10 décembre », « du lundi 7 au mercredi 9 décembre ».
    pub fn period(&self) -> String {
        if self.from == self.to {
            format!("le {}", dates::day_label(self.from))
        } else {
            format!(
                "du {} au {}",
                dates::day_label(self.from),
                dates::day_label(self.to)
            )
        }
    }

    /// Still to come or under way on `today`.
    pub fn current(&self, today: Date) -> bool {
        self.to >= today
    }
}

/// A change as the commune typed it.
#[derive(Debug)]
pub struct NewChange {
    pub from: Date,
    pub to: Date,
    pub text: String,
}

pub fn lines(store: &Store) -> Result<Vec<Line>> {
    Ok(kept(store)?.lines.clone())
}

/// The lines (by name) and the changes (soonest first), read once and kept in memory until
/// one of the two tables changes: every family's home page asks which of its children's
/// lines has a change, and that must not read every line of the commune each time.
struct Transport {
    lines: Vec<Line>,
    changes: Vec<Change>,
}

fn kept(store: &Store) -> Result<std::sync::Arc<Transport>> {
    store.derived(&[LINES.name, CHANGES.name], |s| {
        let mut lines: Vec<Line> = s.scan(&LINES)?.into_iter().map(|(_, l)| l).collect();
        lines.sort_by(|a, b| a.name.cmp(&b.name));
        let mut changes: Vec<Change> = s.scan(&CHANGES)?.into_iter().map(|(_, c)| c).collect();
        changes.sort_by_key(|c| (c.from, c.id));
        Ok(Transport { lines, changes })
    })
}

/// How many riders each line has in each class, kept until a line or the directory
/// changes: the page choosing a line's riders shows the count beside every class of the
/// school, which would otherwise look up the classes of each rider of the line.
struct RidersByClass(HashMap<u64, HashMap<u64, usize>>);

/// The riders of `line` in each class (a class absent has none).
pub fn riders_by_class(store: &Store, line: u64) -> Result<HashMap<u64, usize>> {
    static TABLES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let mut tables = vec![LINES.name];
        tables.extend_from_slice(crate::directory::TABLES);
        tables
    });
    let kept = store.derived(&TABLES, |s| {
        let people = People::load(s)?;
        let mut counts: HashMap<u64, HashMap<u64, usize>> = HashMap::new();
        for l in s.scan(&LINES)?.into_iter().map(|(_, l)| l) {
            let of_line = counts.entry(l.id).or_default();
            for r in &l.riders {
                for c in people.classes_of(*r) {
                    *of_line.entry(*c).or_default() += 1;
                }
            }
        }
        Ok(RidersByClass(counts))
    })?;
    Ok(kept.0.get(&line).cloned().unwrap_or_default())
}

/// A line, from the kept lines (a commune has a few: no read nor decoding of the line and
/// its riders on each page).
pub fn line(store: &Store, id: u64) -> Result<Option<Line>> {
    Ok(kept(store)?.lines.iter().find(|l| l.id == id).cloned())
}

pub fn change(store: &Store, id: u64) -> Result<Option<Change>> {
    store.get(&CHANGES, &id)
}

/// A line's changes that have not passed, soonest first.
pub fn current_changes(store: &Store, line: Option<u64>, today: Date) -> Result<Vec<Change>> {
    Ok(kept(store)?
        .changes
        .iter()
        .filter(|c| c.current(today) && line.is_none_or(|l| c.line == l))
        .cloned()
        .collect())
}

/// The changes a family sees at home: those of the lines one of `children` rides, with
/// the line's name.
pub fn changes_for_family(
    store: &Store,
    children: &[u64],
    today: Date,
) -> Result<Vec<(Change, String)>> {
    let transport = kept(store)?;
    let ridden: Vec<&Line> = transport
        .lines
        .iter()
        .filter(|l| l.riders.iter().any(|r| children.contains(r)))
        .collect();
    if ridden.is_empty() {
        return Ok(Vec::new());
    }
    Ok(transport
        .changes
        .iter()
        .filter(|c| c.current(today))
        .filter_map(|c| {
            let name = ridden.iter().find(|l| l.id == c.line)?.name.clone();
            Some((c.clone(), name))
        })
        .collect())
}

/// Writes a new line (`id` None) or a line again, keeping its riders; its id.
pub async fn save(
    store: &Store,
    _granted: &Granted<RunSpace>,
    id: Option<u64>,
    new: &NewLine,
    now: i64,
) -> Result<u64> {
    store
        .commit(|tx| {
            let (id, riders, created_at) = match id {
                Some(id) => {
                    let old = tx.get(&LINES, &id)?;
                    let riders = old.as_ref().map(|l| l.riders.clone()).unwrap_or_default();
                    (id, riders, old.map_or(now, |l| l.created_at))
                }
                None => (tx.next_id("commune_line")?, Vec::new(), now),
            };
            let line = Line {
                id,
                name: new.name.clone(),
                note: new.note.clone(),
                trips: new.trips.clone(),
                riders,
                created_at,
            };
            tx.put(&LINES, &id, &line)?;
            Ok(id)
        })
        .await
}

/// Deletes a line and its changes.
pub async fn delete(store: &Store, _granted: &Granted<RunSpace>, id: u64) -> Result<()> {
    let changes: Vec<u64> = store
        .scan(&CHANGES)?
        .into_iter()
        .filter(|(_, c)| c.line == id)
        .map(|(k, _)| k)
        .collect();
    store
        .commit(|tx| {
            for c in &changes {
                tx.remove(&CHANGES, c)?;
            }
            tx.remove(&LINES, &id)
        })
        .await
}

/// Sets which pupils of `class` ride the line: `chosen` among the class's pupils; the
/// riders of the other classes stay.
pub async fn set_riders(
    store: &Store,
    _granted: &Granted<RunSpace>,
    people: &People,
    line: u64,
    class: u64,
    chosen: &[u64],
) -> Result<usize> {
    let of_class: BTreeSet<u64> = people.pupils_of_class(class).into_iter().collect();
    store
        .commit(|tx| {
            let Some(mut l) = tx.get(&LINES, &line)? else {
                return Ok(0);
            };
            l.riders.retain(|r| !of_class.contains(r));
            let added: Vec<u64> = chosen
                .iter()
                .copied()
                .filter(|p| of_class.contains(p) && !l.riders.contains(p))
                .collect();
            l.riders.extend(&added);
            tx.put(&LINES, &line, &l)?;
            Ok(added.len())
        })
        .await
}

/// The guardians to tell of a change on `line`: those of its riders, active, once each.
pub fn families_of_riders(people: &People, line: &Line) -> Vec<u64> {
    let mut out = BTreeSet::new();
    for rider in &line.riders {
        for parent in people.parents_of(*rider) {
            if people.active(*parent) {
                out.insert(*parent);
            }
        }
    }
    out.into_iter().collect()
}

/// Records an exceptional change and tells the riders' families in the same write; the
/// number of families told.
pub async fn post_change(
    store: &Store,
    granted: &Granted<RunSpace>,
    people: &People,
    line: &Line,
    new: &NewChange,
    now: i64,
) -> Result<usize> {
    let families = families_of_riders(people, line);
    let by = granted.by();
    let link = format!("/commune/transport/{}", line.id);
    store
        .commit(|tx| {
            let id = tx.next_id("commune_change")?;
            let change = Change {
                id,
                line: line.id,
                from: new.from,
                to: new.to,
                text: new.text.clone(),
                by,
                at: now,
            };
            tx.put(&CHANGES, &id, &change)?;
            let text = format!("{} — {} : {}", line.name, change.period(), change.text);
            for f in &families {
                notify::push(tx, *f, NoticeKind::Transport, &text, &link, now)?;
            }
            Ok(families.len())
        })
        .await
}

/// Withdraws a change (posted by mistake, or the bus runs after all): the families who
/// were told are told it is off, in the same write.
pub async fn withdraw_change(
    store: &Store,
    _granted: &Granted<RunSpace>,
    people: &People,
    change: &Change,
    now: i64,
) -> Result<usize> {
    let line = line(store, change.line)?;
    let families = line
        .as_ref()
        .map(|l| families_of_riders(people, l))
        .unwrap_or_default();
    let name = line.map(|l| l.name).unwrap_or_default();
    let link = format!("/commune/transport/{}", change.line);
    let text = format!(
        "{name} — annulé : « {} » ({}). Le transport reprend comme d'habitude.",
        change.text,
        change.period()
    );
    store
        .commit(|tx| {
            tx.remove(&CHANGES, &change.id)?;
            for f in &families {
                notify::push(tx, *f, NoticeKind::Transport, &text, &link, now)?;
            }
            Ok(families.len())
        })
        .await
}
