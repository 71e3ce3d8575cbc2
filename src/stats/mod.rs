//! Usage statistics (`/admin/statistiques`): per service and per profile, how many accounts
//! were active and how often people connected (read from the connection journal), how many
//! items were created (daily counters written in the transaction of each creation), and
//! how many families of each class have activated their accounts. Only aggregates: a
//! counter is (day, what, profile) → number, never a person; nothing tracks reading.
//! Owns the `stats_daily` table.

mod routes;
mod views;

pub use routes::routes;

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil::Date;

use crate::auth::journal::{ConnectionKind, CONNECTIONS};
use crate::directory::people::People;
use crate::policy::Profile;
use crate::store::{Result, Store, Table, Tx};
use crate::ui::dates;

/// « 2026-12-01 messages enseignant » (day, what, profile) → how many that day: keys in
/// day order, so that a period is one range.
pub const DAILY: Table<String, u64> = Table::new("stats_daily");
pub const TABLES: &[&str] = &[DAILY.name];

/// What is counted when it is created, with the service it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Created {
    Message,
    Mot,
    Article,
    HandIn,
    News,
}

impl Created {
    pub const ALL: [Created; 5] = [
        Created::Message,
        Created::Mot,
        Created::Article,
        Created::HandIn,
        Created::News,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Created::Message => "messages",
            Created::Mot => "mots",
            Created::Article => "articles",
            Created::HandIn => "devoirs-rendus",
            Created::News => "actualites",
        }
    }

    fn from_slug(text: &str) -> Option<Created> {
        Created::ALL.into_iter().find(|c| c.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Created::Message => "Messages envoyés (messagerie)",
            Created::Mot => "Mots publiés (carnet de liaison)",
            Created::Article => "Articles publiés (blog)",
            Created::HandIn => "Devoirs rendus (devoirs en ligne)",
            Created::News => "Actualités publiées",
        }
    }
}

/// Counts one creation, inside its transaction (so that a creation undone is not counted).
pub fn count(tx: &mut Tx<'_>, what: Created, profile: Profile, at: i64) -> Result<()> {
    let key = format!(
        "{} {} {}",
        dates::date_value(at),
        what.slug(),
        profile.slug()
    );
    let n = tx.get(&DAILY, &key)?.unwrap_or(0);
    tx.put(&DAILY, &key, &(n + 1))
}

/// [`count`] for a creation by `user`, whose profile the directory knows.
pub fn count_by(tx: &mut Tx<'_>, what: Created, people: &People, user: u64, at: i64) -> Result<()> {
    match people.user(user) {
        Some(u) => count(tx, what, u.profile, at),
        None => Ok(()),
    }
}

/// The daily counters made again from the records themselves: messages sent, mots,
/// articles published, each version handed in, news. Schema 8 runs it once on a school
/// that had no counters, and the demo after it has written its year (its records are not
/// made through the pages). What it replaces is dropped first, so that it can run again.
pub fn rebuild(store: &Store) -> Result<()> {
    use crate::messaging::{State, MESSAGES};
    let people = People::load(store)?;
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut add = |what: Created, profile: Option<Profile>, at: i64| {
        if let Some(p) = profile {
            let key = format!("{} {} {}", dates::date_value(at), what.slug(), p.slug());
            *counts.entry(key).or_default() += 1;
        }
    };
    let profile = |id: u64| people.user(id).map(|u| u.profile);
    for (_, m) in store.scan(&MESSAGES)? {
        if m.state == State::Sent {
            add(
                Created::Message,
                profile(m.author),
                m.sent_at.unwrap_or(m.created_at),
            );
        }
    }
    for (_, m) in store.scan(&crate::liaison::MOTS)? {
        add(Created::Mot, profile(m.author), m.at);
    }
    for (_, a) in store.scan(&crate::blog::ARTICLES)? {
        if a.status == crate::blog::Status::Published {
            add(Created::Article, profile(a.author), a.publish_at);
        }
    }
    for (_, s) in store.scan(&crate::pedagogy::homework::SUBMISSIONS)? {
        for v in &s.versions {
            add(Created::HandIn, Some(Profile::Eleve), v.at);
        }
    }
    for (_, n) in store.scan(&crate::news::NEWS)? {
        add(Created::News, profile(n.author), n.created_at);
    }
    let old: Vec<String> = store.scan(&DAILY)?.into_iter().map(|(k, _)| k).collect();
    store.commit_blocking(|tx| {
        for k in &old {
            tx.remove(&DAILY, k)?;
        }
        for (k, n) in &counts {
            tx.put(&DAILY, k, n)?;
        }
        Ok(())
    })
}

/// Schema 8: the counters, made from what the school already holds.
pub fn migrate_v8(store: &Store) -> Result<()> {
    rebuild(store)
}

/// How the figures are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// The last 14 days, day by day.
    Day,
    /// The last 12 weeks, from Monday.
    Week,
    /// The last 12 months.
    Month,
    /// The school years (from 1 September) the journal still holds.
    Year,
}

impl Period {
    pub const ALL: [Period; 4] = [Period::Day, Period::Week, Period::Month, Period::Year];

    pub fn slug(self) -> &'static str {
        match self {
            Period::Day => "jour",
            Period::Week => "semaine",
            Period::Month => "mois",
            Period::Year => "annee",
        }
    }

    pub fn from_slug(text: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Period::Day => "Par jour (14 jours)",
            Period::Week => "Par semaine (12 semaines)",
            Period::Month => "Par mois (12 mois)",
            Period::Year => "Par année scolaire",
        }
    }

    /// The first day of the bucket a day falls in.
    fn bucket(self, day: Date) -> Date {
        match self {
            Period::Day => day,
            Period::Week => {
                let back = i64::from(day.weekday().to_monday_zero_offset());
                day.checked_sub(jiff::Span::new().days(back)).unwrap_or(day)
            }
            Period::Month => day.first_of_month(),
            Period::Year => {
                let year = if day.month() >= 9 {
                    day.year()
                } else {
                    day.year() - 1
                };
                Date::new(year, 9, 1).unwrap_or(day)
            }
        }
    }

    /// The buckets shown, oldest first, up to today's.
    fn buckets(self, today: Date) -> Vec<Date> {
        let (count, step) = match self {
            Period::Day => (14, jiff::Span::new().days(1)),
            Period::Week => (12, jiff::Span::new().weeks(1)),
            Period::Month => (12, jiff::Span::new().months(1)),
            Period::Year => (3, jiff::Span::new().years(1)),
        };
        let last = self.bucket(today);
        let mut out: Vec<Date> = (0..count)
            .filter_map(|k| last.checked_sub(step.checked_mul(k).ok()?).ok())
            .map(|d| self.bucket(d))
            .collect();
        out.reverse();
        out.dedup();
        out
    }

    /// A bucket as a reader names it.
    pub fn bucket_label(self, start: Date) -> String {
        match self {
            Period::Day => dates::day_label(start),
            Period::Week => format!("semaine du {}", dates::day_label(start)),
            Period::Month => format!("{} {}", dates::month_fr(start.month()), start.year()),
            Period::Year => format!("{}-{}", start.year(), start.year() + 1),
        }
    }
}

/// The figures of one bucket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bucket {
    pub start: Option<Date>,
    /// Successful connections, by profile.
    pub connections: BTreeMap<Profile, u64>,
    /// Distinct accounts connected, by profile.
    pub active: BTreeMap<Profile, u64>,
    /// Items created, by kind and profile.
    pub created: BTreeMap<(Created, Profile), u64>,
}

/// The activation of one class's families.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassActivation {
    pub class: String,
    pub guardians: usize,
    /// Guardians who have chosen their password (activated their account).
    pub activated: usize,
}

/// Who logged in, day by day: read once from the connection journal and kept in memory
/// until the journal (or an account's profile) changes, with the connections and active
/// accounts of each period's buckets as first asked today — so that a view of the page
/// costs the buckets it shows, not the thousands of logins behind them.
struct Logins {
    by_day: BTreeMap<Date, Vec<u64>>,
    /// (period, today) → per bucket, connections and distinct accounts by profile. Only
    /// today's entries are kept: at most one per period.
    tallies: std::sync::Mutex<TalliesOfToday>,
}

/// (period, today) → the tallies of that period's buckets.
type TalliesOfToday = HashMap<(Period, Date), std::sync::Arc<Vec<LoginTally>>>;

/// One bucket's connections and distinct accounts connected, by profile.
#[derive(Debug, Clone, Default)]
struct LoginTally {
    connections: BTreeMap<Profile, u64>,
    active: BTreeMap<Profile, u64>,
}

fn logins(store: &Store) -> Result<std::sync::Arc<Logins>> {
    store.derived(&[CONNECTIONS.name, crate::directory::USERS.name], |s| {
        let mut by_day: BTreeMap<Date, Vec<u64>> = BTreeMap::new();
        for (_, e) in s.scan(&CONNECTIONS)? {
            if let (ConnectionKind::Login, Some(id)) = (e.kind, e.user_id) {
                by_day
                    .entry(dates::local_day_and_hour(e.at).0)
                    .or_default()
                    .push(id);
            }
        }
        Ok(Logins {
            by_day,
            tallies: std::sync::Mutex::new(HashMap::new()),
        })
    })
}

impl Logins {
    /// The logins of each bucket of `starts` (the buckets of `period` up to `today`).
    fn tallies(
        &self,
        people: &People,
        period: Period,
        today: Date,
        starts: &[Date],
    ) -> std::sync::Arc<Vec<LoginTally>> {
        of_today(&self.tallies, period, today, || {
            let mut tallies = vec![LoginTally::default(); starts.len()];
            let index: HashMap<Date, usize> =
                starts.iter().enumerate().map(|(i, d)| (*d, i)).collect();
            let mut seen: Vec<HashSet<u64>> = vec![HashSet::new(); starts.len()];
            let first = starts.first().copied().unwrap_or(today);
            for (day, users) in self.by_day.range(first..) {
                let Some(&i) = index.get(&period.bucket(*day)) else {
                    continue;
                };
                let (Some(t), Some(s)) = (tallies.get_mut(i), seen.get_mut(i)) else {
                    continue;
                };
                for user in users.iter().filter_map(|id| people.user(*id)) {
                    *t.connections.entry(user.profile).or_default() += 1;
                    if s.insert(user.id) {
                        *t.active.entry(user.profile).or_default() += 1;
                    }
                }
            }
            tallies
        })
    }
}

/// What `build` makes for `period` as of `today`, made once and kept: only today's entries
/// stay (at most one per period), the day's figures change with the day.
fn of_today<T>(
    kept: &std::sync::Mutex<HashMap<(Period, Date), std::sync::Arc<T>>>,
    period: Period,
    today: Date,
    build: impl FnOnce() -> T,
) -> std::sync::Arc<T> {
    let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = kept.get(&(period, today)) {
        return t.clone();
    }
    let made = std::sync::Arc::new(build());
    kept.retain(|(_, day), _| *day == today);
    kept.insert((period, today), made.clone());
    made
}

/// The daily counters, read once and kept in memory until one of them changes (every
/// creation writes one), with each period's buckets as first asked today: a view of the
/// page no longer decodes the hundreds of counters of its twelve weeks.
struct Daily {
    by_day: BTreeMap<Date, Vec<(Created, Profile, u64)>>,
    /// (period, today) → per bucket, the items created by kind and profile. Only today's
    /// entries are kept: at most one per period.
    created: std::sync::Mutex<CreatedOfToday>,
}

type CreatedOfToday = HashMap<(Period, Date), std::sync::Arc<Vec<CreatedTally>>>;
type CreatedTally = BTreeMap<(Created, Profile), u64>;

fn daily(store: &Store) -> Result<std::sync::Arc<Daily>> {
    store.derived(&[DAILY.name], |s| {
        let mut by_day: BTreeMap<Date, Vec<(Created, Profile, u64)>> = BTreeMap::new();
        for (key, n) in s.scan(&DAILY)? {
            let mut parts = key.split(' ');
            if let (Some(day), Some(what), Some(profile)) = (
                parts.next().and_then(dates::parse_date),
                parts.next().and_then(Created::from_slug),
                parts.next().and_then(Profile::from_slug),
            ) {
                by_day.entry(day).or_default().push((what, profile, n));
            }
        }
        Ok(Daily {
            by_day,
            created: std::sync::Mutex::new(HashMap::new()),
        })
    })
}

impl Daily {
    /// The items created in each bucket of `starts` (the buckets of `period` up to `today`).
    fn created(
        &self,
        period: Period,
        today: Date,
        starts: &[Date],
    ) -> std::sync::Arc<Vec<CreatedTally>> {
        of_today(&self.created, period, today, || {
            let mut tallies = vec![CreatedTally::new(); starts.len()];
            let index: HashMap<Date, usize> =
                starts.iter().enumerate().map(|(i, d)| (*d, i)).collect();
            let first = starts.first().copied().unwrap_or(today);
            for (day, counts) in self.by_day.range(first..) {
                let Some(t) = index
                    .get(&period.bucket(*day))
                    .and_then(|i| tallies.get_mut(*i))
                else {
                    continue;
                };
                for (what, profile, n) in counts {
                    *t.entry((*what, *profile)).or_default() += n;
                }
            }
            tallies
        })
    }
}

/// The figures for `period`, up to `now`: from the connection journal (kept 12 months) and
/// the daily counters.
pub fn figures(store: &Store, people: &People, period: Period, now: i64) -> Result<Vec<Bucket>> {
    let today = dates::local_day_and_hour(now).0;
    let starts = period.buckets(today);
    if starts.is_empty() {
        return Ok(Vec::new());
    }
    let tallies = logins(store)?.tallies(people, period, today, &starts);
    let mut buckets: Vec<Bucket> = starts
        .iter()
        .zip(tallies.iter())
        .map(|(s, t)| Bucket {
            start: Some(*s),
            connections: t.connections.clone(),
            active: t.active.clone(),
            created: BTreeMap::new(),
        })
        .collect();
    let created = daily(store)?.created(period, today, &starts);
    for (b, c) in buckets.iter_mut().zip(created.iter()) {
        b.created = c.clone();
    }
    Ok(buckets)
}

/// [`activation`], made once per change of the directory (the page is opened far more
/// often than accounts change).
pub fn activation_kept(store: &Store) -> Result<std::sync::Arc<Vec<ClassActivation>>> {
    store.derived(crate::directory::TABLES, |s| {
        Ok(activation(People::load(s)?.as_ref()))
    })
}

/// For each class, how many of its pupils' guardians have activated their account.
pub fn activation(people: &People) -> Vec<ClassActivation> {
    people
        .classes
        .iter()
        .map(|c| {
            let guardians: HashSet<u64> = people
                .pupils_of_class(c.id)
                .into_iter()
                .flat_map(|p| people.parents_of(p).to_vec())
                .collect();
            let activated = guardians
                .iter()
                .filter_map(|g| people.user(*g))
                .filter(|u| u.password_hash.is_some() && !u.disabled)
                .count();
            ClassActivation {
                class: c.label.clone(),
                guardians: guardians.len(),
                activated,
            }
        })
        .collect()
}

/// The figures as CSV, for the IEN and the commune: one line per bucket × measure ×
/// profile (never a person).
pub fn csv(buckets: &[Bucket]) -> String {
    let mut out = String::from("debut;mesure;profil;nombre\n");
    for b in buckets {
        let Some(start) = b.start else { continue };
        // The bucket's first day, as a spreadsheet sorts it (the file's name says how
        // the days are grouped).
        let label = start.to_string();
        for (p, n) in &b.connections {
            out.push_str(&format!("{label};connexions;{};{n}\n", p.slug()));
        }
        for (p, n) in &b.active {
            out.push_str(&format!("{label};comptes actifs;{};{n}\n", p.slug()));
        }
        for ((what, p), n) in &b.created {
            out.push_str(&format!("{label};{};{};{n}\n", what.slug(), p.slug()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        dates::parse_date(text).unwrap_or_default()
    }

    #[test]
    fn buckets_start_on_mondays_first_days_and_the_first_of_september() {
        let wed = day("2026-12-02");
        assert_eq!(Period::Week.bucket(wed), day("2026-11-30"));
        assert_eq!(Period::Month.bucket(wed), day("2026-12-01"));
        assert_eq!(Period::Year.bucket(wed), day("2026-09-01"));
        assert_eq!(Period::Year.bucket(day("2027-03-10")), day("2026-09-01"));
        let weeks = Period::Week.buckets(wed);
        assert_eq!(weeks.len(), 12);
        assert_eq!(weeks.last(), Some(&day("2026-11-30")));
        assert_eq!(Period::Day.buckets(wed).len(), 14);
        assert_eq!(
            Period::Year.bucket_label(day("2026-09-01")),
            "2026-2027".to_string()
        );
    }
}
