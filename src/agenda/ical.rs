//! iCalendar: the personal subscription feed (RFC 5545, times in Europe/Paris with its
//! VTIMEZONE) built with the `icalendar` crate, and the import of a school's .ics file
//! (holidays, the commune's events) read with its parser.

use icalendar::{Component, EventLike, Property};
use jiff::civil::Date;

use super::{holidays, Event, Repeat};
use crate::ui::dates;

/// Europe/Paris as a VTIMEZONE (the EU rules since 1996).
const PARIS: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

fn paris_local(micros: i64) -> String {
    let tz = jiff::tz::TimeZone::get(dates::SCHOOL_TZ).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_microsecond(micros)
        .map(|t| {
            t.to_zoned_datetime(tz)
                .strftime("%Y%m%dT%H%M%S")
                .to_string()
        })
        .unwrap_or_default()
}

fn date_value(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

fn dated(key: &str, value: String, date: bool) -> Property {
    let mut p = Property::new(key, value);
    if date {
        p.add_parameter("VALUE", "DATE");
    } else {
        p.add_parameter("TZID", "Europe/Paris");
    }
    p.done()
}

/// The feed of a person: their events and the holidays of the school's zone.
pub fn feed(
    school: &str,
    host: &str,
    events: &[Event],
    zone: Option<crate::school::Zone>,
) -> String {
    let mut cal = icalendar::Calendar::new();
    cal.name(&format!("{school} — agenda"));
    for e in events {
        let mut ev = icalendar::Event::new();
        ev.uid(&format!("evenement-{}@{host}", e.id))
            .summary(&e.title);
        if !e.place.is_empty() {
            ev.location(&e.place);
        }
        if !e.details.is_empty() {
            ev.description(&e.details);
        }
        if e.all_day {
            let first = dates::local_day_and_hour(e.start).0;
            let last = dates::local_day_and_hour(e.end).0;
            ev.append_property(dated("DTSTART", date_value(first), true));
            // DTEND of a date is exclusive.
            ev.append_property(dated(
                "DTEND",
                date_value(last.tomorrow().unwrap_or(last)),
                true,
            ));
        } else {
            ev.append_property(dated("DTSTART", paris_local(e.start), false));
            ev.append_property(dated("DTEND", paris_local(e.end), false));
        }
        if let Repeat::Weekly(until) = &e.repeat {
            if let Some(d) = dates::parse_date(until) {
                let utc = jiff::Timestamp::from_microsecond(dates::end_of_day(d))
                    .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
                    .unwrap_or_default();
                ev.add_property("RRULE", format!("FREQ=WEEKLY;UNTIL={utc}"));
            }
        }
        cal.push(ev.done());
    }
    if let Some(zone) = zone {
        for (name, first, last) in holidays::of_zone(zone) {
            let mut ev = icalendar::Event::new();
            ev.uid(&format!(
                "vacances-{}-{}@{host}",
                date_value(first),
                zone.code()
            ))
            .summary(name)
            .append_property(dated("DTSTART", date_value(first), true))
            .append_property(dated(
                "DTEND",
                date_value(last.tomorrow().unwrap_or(last)),
                true,
            ))
            .add_property("TRANSP", "TRANSPARENT");
            cal.push(ev.done());
        }
    }
    let text = cal.done().to_string();
    // The time zone goes before the first event, as RFC 5545 wants it defined.
    match text.find("BEGIN:VEVENT") {
        Some(i) => format!("{}{PARIS}{}", &text[..i], &text[i..]),
        None => text.replace("END:VCALENDAR", &format!("{PARIS}END:VCALENDAR")),
    }
}

/// An event read from an imported file.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub uid: Option<String>,
    pub title: String,
    pub place: String,
    pub start: i64,
    pub end: i64,
    pub all_day: bool,
}

fn parse_when(value: &str, tzid: Option<&str>) -> Option<(i64, bool)> {
    let v = value.trim();
    if v.len() == 8 {
        let d = Date::strptime("%Y%m%d", v).ok()?;
        return Some((super::day_start(d), true));
    }
    if let Some(utc) = v.strip_suffix('Z') {
        let dt = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%S", utc).ok()?;
        return Some((
            dt.to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .ok()?
                .timestamp()
                .as_microsecond(),
            false,
        ));
    }
    let dt = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%S", v).ok()?;
    // A named zone if known, else the school's.
    let tz = tzid
        .and_then(|t| jiff::tz::TimeZone::get(t.trim_matches('"')).ok())
        .or_else(|| jiff::tz::TimeZone::get(dates::SCHOOL_TZ).ok())?;
    Some((
        dt.to_zoned_datetime(tz).ok()?.timestamp().as_microsecond(),
        false,
    ))
}

/// Reads the events of an .ics file; the error is a French sentence.
pub fn import(text: &str) -> Result<Vec<Imported>, String> {
    if !text.trim_start().starts_with("BEGIN:VCALENDAR") {
        return Err("Ce fichier n'est pas un calendrier iCalendar (.ics) : il doit commencer par « BEGIN:VCALENDAR ».".into());
    }
    let unfolded = icalendar::parser::unfold(text);
    let cal = icalendar::parser::read_calendar(&unfolded).map_err(|e| {
        format!(
            "Ce calendrier est mal formé et n'a pas pu être lu ({}).",
            e.lines().next().unwrap_or("")
        )
    })?;
    let mut out = Vec::new();
    for c in cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
    {
        let prop = |name: &str| c.properties.iter().find(|p| p.name.as_str() == name);
        let value = |name: &str| {
            prop(name).map(|p| {
                p.val
                    .as_str()
                    .replace("\\,", ",")
                    .replace("\\;", ";")
                    .replace("\\n", " ")
            })
        };
        let tzid = |name: &str| {
            prop(name).and_then(|p| {
                p.params
                    .iter()
                    .find(|x| x.key.as_str() == "TZID")
                    .and_then(|x| x.val.as_ref().map(|v| v.as_str().to_string()))
            })
        };
        let title = value("SUMMARY").unwrap_or_default();
        let Some(start_text) = value("DTSTART") else {
            return Err(format!("L'événement « {title} » n'a pas de date de début."));
        };
        let (start, all_day) = parse_when(&start_text, tzid("DTSTART").as_deref())
            .ok_or_else(|| format!("La date « {start_text} » de « {title} » n'est pas lisible."))?;
        let end = match value("DTEND") {
            Some(t) => {
                let (e, _) = parse_when(&t, tzid("DTEND").as_deref())
                    .ok_or_else(|| format!("La date de fin de « {title} » n'est pas lisible."))?;
                // An all-day DTEND is exclusive: the event ends the day before.
                if all_day {
                    e - 1
                } else {
                    e
                }
            }
            None if all_day => dates::end_of_day(dates::local_day_and_hour(start).0),
            None => start,
        };
        if end < start {
            return Err(format!("« {title} » finit avant de commencer."));
        }
        out.push(Imported {
            uid: value("UID"),
            title: if title.trim().is_empty() {
                "(sans titre)".into()
            } else {
                title.chars().take(200).collect()
            },
            place: value("LOCATION")
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect(),
            start,
            end,
            all_day,
        });
    }
    if out.is_empty() {
        return Err("Ce calendrier ne contient aucun événement.".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ics_is_read_with_its_time_zones_and_all_day_events() {
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mairie//FR\r\nBEGIN:VEVENT\r\nUID:a1\r\nSUMMARY:Marché de Noël\\, place de la mairie\r\nLOCATION:Place de la mairie\r\nDTSTART;TZID=Europe/Paris:20261212T100000\r\nDTEND;TZID=Europe/Paris:20261212T180000\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:a2\r\nSUMMARY:Vacances\r\nDTSTART;VALUE=DATE:20261219\r\nDTEND;VALUE=DATE:20270104\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let events = import(ics).unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].title, "Marché de Noël, place de la mairie");
        assert_eq!(dates::short_datetime(events[0].start), "12/12/2026 10:00");
        assert!(events[1].all_day);
        assert_eq!(
            dates::date_value(events[1].end),
            "2027-01-03",
            "DTEND of a date is exclusive"
        );
        assert!(import("bonjour").unwrap_err().contains("BEGIN:VCALENDAR"));
        assert!(import("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").is_err());
        let reversed = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:X\r\nDTSTART:20261212T100000Z\r\nDTEND:20261211T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert!(import(reversed).unwrap_err().contains("finit avant"));
    }
}
