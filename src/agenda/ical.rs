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
    let tz = dates::school_tz();
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

/// A text value as RFC 5545 wants it before escaping: line breaks of any kind become
/// `\n` (the crate then writes them `\\n`), a carriage return never reaches the feed (a
/// lenient reader takes a bare CR for the end of a line, and what follows for properties
/// of its own: a title could add events), nor any other control character. The crate
/// escapes `\\`, `;`, `,` and newlines of TEXT properties and folds lines at 75 octets
/// on a character boundary.
pub fn clean_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

/// RFC 5545 TEXT escaping, for the properties the crate writes as they come (`NAME`).
fn escape_text(text: &str) -> String {
    clean_text(text)
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// The feed of a person: their events, their appointments (bookings, meetings) and the
/// holidays of the school's zone.
pub fn feed(
    school: &str,
    host: &str,
    events: &[Event],
    appointments: &[super::Appointment],
    zone: Option<crate::school::Zone>,
) -> String {
    let host = clean_text(host);
    let mut cal = icalendar::Calendar::new();
    // `NAME` is not among the crate's TEXT properties: escaped here; `X-WR-CALNAME` is.
    let name = format!("{school} — agenda");
    cal.append_property(Property::new("NAME", escape_text(&name)));
    cal.append_property(Property::new("X-WR-CALNAME", clean_text(&name)));
    for e in events {
        let mut ev = icalendar::Event::new();
        ev.uid(&format!("evenement-{}@{host}", e.id))
            .summary(&clean_text(&e.title));
        if !e.place.is_empty() {
            ev.location(&clean_text(&e.place));
        }
        if !e.details.is_empty() {
            ev.description(&clean_text(&e.details));
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
    for a in appointments {
        let mut ev = icalendar::Event::new();
        ev.uid(&format!("{}@{host}", clean_text(&a.uid)))
            .summary(&clean_text(&a.title));
        if !a.place.is_empty() {
            ev.location(&clean_text(&a.place));
        }
        ev.append_property(dated("DTSTART", paris_local(a.start), false));
        ev.append_property(dated("DTEND", paris_local(a.end), false));
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
            .summary(&clean_text(name))
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
    // Only the school's zone ships in the binary (see `dates::school_tz`): a time named in
    // another zone (rare in a French school's calendars: Outlook's « Romance Standard
    // Time » is Paris too) is read as the school's, as unknown names always were.
    let _ = tzid;
    let tz = dates::school_tz();
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

    fn event(title: &str, place: &str, details: &str) -> Event {
        Event {
            id: 7,
            calendar: super::super::Calendar::Personal(1),
            title: title.into(),
            place: place.into(),
            details: details.into(),
            start: 1_800_000_000_000_000,
            end: 1_800_003_600_000_000,
            all_day: false,
            repeat: Repeat::Never,
            audience: crate::news::Audience::All,
            author: 1,
            created_at: 0,
            imported_uid: None,
        }
    }

    /// Every line ends with CRLF, no CR or LF stands alone, no line is over 75 octets.
    fn assert_well_formed(text: &str) {
        assert!(text.ends_with("\r\n"));
        for line in text.split_terminator("\r\n") {
            assert!(!line.contains('\r') && !line.contains('\n'), "{line:?}");
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
    }

    #[test]
    fn text_values_are_escaped_and_a_bare_cr_adds_nothing() {
        let hostile = event(
            "Sortie\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:faux",
            "Salle 1; bâtiment B, étage \\2",
            "Ligne 1\r\nLigne 2\nLigne 3\u{7}",
        );
        let text = feed(
            "École; des, Tilleuls\r\nX-EVIL:1",
            "ecole.local",
            &[hostile],
            &[],
            None,
        );
        assert_well_formed(&text);
        // Read as a lenient parser would: any CR or LF ends a line.
        let lines: Vec<&str> = text.split(['\r', '\n']).collect();
        assert_eq!(
            lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(),
            1,
            "{text}"
        );
        assert_eq!(
            lines.iter().filter(|l| **l == "END:VEVENT").count(),
            1,
            "{text}"
        );
        assert!(!lines.iter().any(|l| l.starts_with("X-EVIL")), "{text}");
        let unfolded = text.replace("\r\n ", "");
        assert!(
            unfolded.contains("SUMMARY:Sortie\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:faux\r\n"),
            "{unfolded}"
        );
        assert!(unfolded.contains("LOCATION:Salle 1\\; bâtiment B\\, étage \\\\2\r\n"));
        assert!(unfolded.contains("DESCRIPTION:Ligne 1\\nLigne 2\\nLigne 3\r\n"));
        assert!(unfolded.contains("NAME:École\\; des\\, Tilleuls\\nX-EVIL:1 — agenda\r\n"));
        // What a reader gets back is the text typed, line breaks included.
        let back = import(&text).unwrap();
        assert_eq!(back.len(), 1);
        assert!(back[0].title.starts_with("Sortie"));
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_between_characters() {
        let title = "Réunion des délégués — école élémentaire ".repeat(6);
        let text = feed("École", "ecole.local", &[event(&title, "", "")], &[], None);
        assert_well_formed(&text);
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{title}\r\n")));
    }

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
