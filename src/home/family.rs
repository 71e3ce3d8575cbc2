//! The « Pour vous » block of a guardian's home, per child: the work due in the next days
//! (cahier de textes and devoirs) and the mots to sign; then today's news. Read through the
//! indexes already kept: the cahier de textes by class and day (those few days only), the
//! mots by pupil, the news by audience (already read for the home's news).

use maud::{html, Markup};

use crate::directory::people::People;
use crate::liaison::Mot;
use crate::news::News;
use crate::pedagogy::concerns;
use crate::pedagogy::textbook::{heads_of_class_between, EntryHead, EntryKind};
use crate::store::{Result, Store};
use crate::ui::dates;
use crate::ui::text::text;

/// Days shown after today: tomorrow and the four after it (on a Friday, Monday and
/// Tuesday's work is there).
const DAYS_AHEAD: i64 = 5;

/// What one child has to do and sign.
pub struct ChildWeek {
    pub child: u64,
    pub first_name: String,
    pub class: String,
    pub due: Vec<EntryHead>,
    pub to_sign: Vec<Mot>,
}

/// Which of the work the school's services show: the cahier de textes' list, the devoirs'
/// hand-ins online.
#[derive(Clone, Copy)]
pub struct WorkShown {
    pub textbook: bool,
    pub devoirs: bool,
}

/// The work due from tomorrow to `DAYS_AHEAD` days on that concerns `child` and is visible
/// to families now, by day.
pub fn due_soon(
    store: &Store,
    people: &People,
    child: u64,
    shown: WorkShown,
    now: i64,
) -> Result<Vec<EntryHead>> {
    due_between(store, people, child, shown, now, (1, DAYS_AHEAD + 1))
}

/// The work due from `first` days after today (0: today) to `end` (excluded) that concerns
/// `child` and is visible to pupils and families now, by day.
pub fn due_between(
    store: &Store,
    people: &People,
    child: u64,
    shown: WorkShown,
    now: i64,
    (first, end): (i64, i64),
) -> Result<Vec<EntryHead>> {
    let today = dates::local_day_and_hour(now).0;
    let day = |n: i64| {
        today
            .checked_add(jiff::Span::new().days(n))
            .unwrap_or(today)
            .to_string()
    };
    let (from, to) = (day(first), day(end));
    let mut out = Vec::new();
    for c in people.classes_of(child) {
        for e in heads_of_class_between(store, *c, &from, &to)? {
            let listed = (e.listed && shown.textbook) || (e.online && shown.devoirs);
            if e.kind == EntryKind::Work
                && listed
                && e.visible(now)
                && concerns(people, e.class, e.scope, child)
            {
                out.push(e);
            }
        }
    }
    out.sort_by(|a, b| a.day.cmp(&b.day).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// The news published today (from the list the home already read).
pub fn of_today(news: &[News], now: i64) -> Vec<&News> {
    let start = dates::start_of_day(dates::local_day_and_hour(now).0);
    news.iter().filter(|n| n.publish_at >= start).collect()
}

fn when(e: &EntryHead, now: i64) -> String {
    let tomorrow = dates::local_day_and_hour(now).0.tomorrow().ok();
    match e.date() {
        Some(d) if Some(d) == tomorrow => "demain".into(),
        Some(d) => dates::day_label(d),
        None => e.day.clone(),
    }
}

/// Where a piece of work opens: the hand-in page when it is handed in online.
pub fn link(e: &EntryHead, shown: WorkShown) -> String {
    if e.online && shown.devoirs {
        format!("/devoirs/{}", e.id)
    } else {
        format!("/cahier-de-textes/{}", e.id)
    }
}

/// Each child's part of « Pour vous ».
pub fn children_block(weeks: &[ChildWeek], shown: WorkShown, now: i64) -> Markup {
    html! {
        @for w in weeks {
            div.child-week {
                h3 { a href=(format!("/eleves/{}", w.child)) { (text(&w.first_name)) } @if !w.class.is_empty() { " — " (text(&w.class)) } }
                @if w.due.is_empty() && w.to_sign.is_empty() {
                    p.small { "Rien à faire ni à signer dans les prochains jours." }
                } @else {
                    ul {
                        @for e in &w.due {
                            li {
                                "Pour " (text(&when(e, now))) " : " (text(&e.subject)) " — "
                                a href=(text(&link(e, shown))) { (text(&e.title)) }
                                @if e.online { " " span.badge { "à rendre en ligne" } }
                                @if e.minutes > 0 { " " span.small { "(" (e.minutes) " min)" } }
                            }
                        }
                        @for m in &w.to_sign {
                            li { "À signer : " a href=(format!("/carnet/{}", m.id)) { "« " (text(&m.title)) " »" } }
                        }
                    }
                }
            }
        }
    }
}

/// Today's news in « Pour vous ».
pub fn today_block(news: &[&News]) -> Markup {
    html! {
        @if !news.is_empty() {
            h3 { "Aujourd'hui" }
            ul { @for n in news { li { a href=(format!("/actualites/{}", n.id)) { (text(&n.title)) } } } }
        }
    }
}
