//! The menus as an iCalendar feed (`/cantine/menus.ics`): one all-day event per day with
//! a meal, its dishes and their allergens in the description. A menu names nobody, so the
//! feed needs no session and a phone's calendar can subscribe to it.

use icalendar::{Component, Property};

use super::{DayKind, Week};
use crate::agenda::ical::clean_text;

fn date_value(d: jiff::civil::Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

fn all_day(key: &str, d: jiff::civil::Date) -> Property {
    let mut p = Property::new(key, date_value(d));
    p.add_parameter("VALUE", "DATE");
    p.done()
}

/// The feed of the published weeks.
pub fn feed(school: &str, host: &str, weeks: &[Week]) -> String {
    let host = clean_text(host);
    let mut cal = icalendar::Calendar::new();
    cal.append_property(Property::new(
        "X-WR-CALNAME",
        clean_text(&format!("{school} — menus de la cantine")),
    ));
    for w in weeks.iter().filter(|w| w.published.is_some()) {
        for m in &w.days {
            let Some(d) = m.date() else { continue };
            let summary = match m.kind {
                DayKind::Closed => "Pas de cantine".to_string(),
                _ => match m.dish(super::Course::Plat) {
                    Some(p) => format!("Cantine : {}", p.name),
                    None if m.kind == DayKind::Special => format!("Menu spécial : {}", m.note),
                    None => continue,
                },
            };
            let lines: Vec<String> = m
                .dishes
                .iter()
                .map(|(c, dish)| {
                    let allergens: Vec<&str> = dish.allergens.iter().map(|a| a.label()).collect();
                    let mut line = format!("{} : {}", c.label(), dish.name);
                    let flags = dish.flags();
                    if !flags.is_empty() {
                        line.push_str(&format!(" ({})", flags.join(", ")));
                    }
                    if !allergens.is_empty() {
                        line.push_str(&format!(" — allergènes : {}", allergens.join(", ")));
                    }
                    line
                })
                .collect();
            let mut ev = icalendar::Event::new();
            ev.uid(&format!("cantine-{}@{host}", m.day))
                .summary(&clean_text(&summary))
                .description(&clean_text(&lines.join("\n")))
                .append_property(all_day("DTSTART", d))
                .append_property(all_day("DTEND", d.tomorrow().unwrap_or(d)))
                .add_property("TRANSP", "TRANSPARENT");
            cal.push(ev.done());
        }
    }
    cal.done().to_string()
}
