//! Dates in French and in the school's time zone (« lundi 7 septembre 2026 à 8 h 30 »).

use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The IANA name of the school's time zone (metropolitan France).
pub const SCHOOL_TZ_NAME: &str = "Europe/Paris";

/// Europe/Paris in the IANA database's compiled form (TZif, public domain), the only zone
/// Préau needs: shipping it alone instead of the whole database (jiff's bundle) keeps
/// about 270 kB out of the binary. France has kept the same rules since 1996; a change
/// would come with a new release, like the holidays.
const SCHOOL_TZIF: &[u8] = include_bytes!("europe-paris.tzif");

/// The school's time zone; UTC only if the data shipped above were unreadable (a test
/// checks it is not).
pub fn school_tz() -> TimeZone {
    school_zone().clone()
}

/// The school's time zone, borrowed: converting an instant need not copy it.
fn school_zone() -> &'static TimeZone {
    static ZONE: std::sync::OnceLock<TimeZone> = std::sync::OnceLock::new();
    ZONE.get_or_init(|| TimeZone::tzif(SCHOOL_TZ_NAME, SCHOOL_TZIF).unwrap_or(TimeZone::UTC))
}

fn paris() -> TimeZone {
    school_tz()
}

pub fn weekday_fr(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "lundi",
        Weekday::Tuesday => "mardi",
        Weekday::Wednesday => "mercredi",
        Weekday::Thursday => "jeudi",
        Weekday::Friday => "vendredi",
        Weekday::Saturday => "samedi",
        Weekday::Sunday => "dimanche",
    }
}

pub fn month_fr(m: i8) -> &'static str {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    MONTHS
        .get((m as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// « lundi 7 septembre 2026 » (1er for the first day of the month).
pub fn long_date(micros: i64) -> String {
    let Ok(ts) = Timestamp::from_microsecond(micros) else {
        return String::from("?");
    };
    let local = school_zone().to_datetime(ts);
    let mut out = String::with_capacity(32);
    write_long_date(&mut out, local.weekday(), local.date());
    out
}

/// « lundi 7 septembre 2026 » into `out`: the dates of a list of notices are written
/// without a String of their own for each part.
fn write_long_date(out: &mut String, weekday: Weekday, date: jiff::civil::Date) {
    out.push_str(weekday_fr(weekday));
    out.push(' ');
    write_calendar_date(out, date);
}

/// Written digit by digit, as [`short_datetime`]: a list of notifications shows one date a
/// line, and `write!` cost about 1,500 instructions each.
fn write_calendar_date(out: &mut String, date: jiff::civil::Date) {
    match date.day() {
        1 => out.push_str("1er"),
        day => push_number(out, day),
    }
    out.push(' ');
    out.push_str(month_fr(date.month()));
    out.push(' ');
    push_year(out, date.year());
}

/// « 22 octobre 2018 » (1er for the first day), without the weekday: a birth date.
pub fn calendar_date(date: jiff::civil::Date) -> String {
    let mut out = String::with_capacity(24);
    write_calendar_date(&mut out, date);
    out
}

/// « lundi 7 septembre 2026 à 8 h 30 » (the time zone applied once).
pub fn long_datetime(micros: i64) -> String {
    let Ok(ts) = Timestamp::from_microsecond(micros) else {
        return String::from("?");
    };
    let local = school_zone().to_datetime(ts);
    let mut out = String::with_capacity(40);
    write_long_date(&mut out, local.weekday(), local.date());
    out.push_str(" à ");
    push_number(&mut out, local.hour());
    out.push_str(" h ");
    push_two_digits(&mut out, local.minute());
    out
}

/// « 07/09/2026 08:30 » for dense tables.
///
/// Written digit by digit: a table of signatures shows one per family, and `format!` with
/// five padded numbers cost about 2,000 instructions a date (a fifth of the mot's
/// follow-up page, issue 15).
pub fn short_datetime(micros: i64) -> String {
    let Ok(ts) = Timestamp::from_microsecond(micros) else {
        return String::from("?");
    };
    let local = school_zone().to_datetime(ts);
    let mut out = String::with_capacity(16);
    push_two_digits(&mut out, local.day());
    out.push('/');
    push_two_digits(&mut out, local.month());
    out.push('/');
    push_year(&mut out, local.year());
    out.push(' ');
    push_two_digits(&mut out, local.hour());
    out.push(':');
    push_two_digits(&mut out, local.minute());
    out
}

/// « 07 », « 30 »: a day, a month, an hour or a minute on two digits.
fn push_two_digits(out: &mut String, n: i8) {
    let n = n.unsigned_abs();
    out.push(char::from(b'0' + n / 10 % 10));
    out.push(char::from(b'0' + n % 10));
}

/// « 7 », « 31 », « 8 »: a day or an hour as written, without a leading zero.
fn push_number(out: &mut String, n: i8) {
    let n = n.unsigned_abs();
    if n >= 10 {
        out.push(char::from(b'0' + n / 10 % 10));
    }
    out.push(char::from(b'0' + n % 10));
}

/// A year as written (jiff's years run from -9999 to 9999).
fn push_year(out: &mut String, year: i16) {
    if year < 0 {
        out.push('-');
    }
    let year = year.unsigned_abs();
    let mut started = false;
    for divisor in [1000, 100, 10, 1] {
        let digit = year / divisor % 10;
        if started || digit != 0 || divisor == 1 {
            started = true;
            // The digit is below 10: the cast keeps it.
            out.push(char::from(b'0' + digit as u8));
        }
    }
}

/// The school's calendar day and hour of an instant.
pub fn local_day_and_hour(micros: i64) -> (jiff::civil::Date, i8) {
    let ts = Timestamp::from_microsecond(micros).unwrap_or(Timestamp::UNIX_EPOCH);
    let z = ts.to_zoned_datetime(paris());
    (z.date(), z.hour())
}

/// « 2026-11-23 » as typed in a date field; `None` when it is not a date.
pub fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    text.trim().parse::<jiff::civil::Date>().ok()
}

/// The last microsecond of a day in Paris (a deadline « jusqu'au 5 décembre » includes
/// the whole day).
pub fn end_of_day(date: jiff::civil::Date) -> i64 {
    date.tomorrow()
        .ok()
        .and_then(|d| d.at(0, 0, 0, 0).to_zoned_datetime(paris()).ok())
        .map(|z| z.timestamp().as_microsecond() - 1)
        .unwrap_or(i64::MAX)
}

/// The first microsecond of a day in Paris (midnight; the first instant when a day starts
/// later because of a time change).
pub fn start_of_day(date: jiff::civil::Date) -> i64 {
    date.at(0, 0, 0, 0)
        .to_zoned_datetime(paris())
        .map(|z| z.timestamp().as_microsecond())
        .unwrap_or(i64::MAX)
}

/// The value of a date field for an instant (« 2026-11-23 »).
pub fn date_value(micros: i64) -> String {
    local_day_and_hour(micros).0.to_string()
}

/// « lundi 7 septembre » without the year, for dates of the current school year.
pub fn day_label(date: jiff::civil::Date) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(24);
    out.push_str(weekday_fr(date.weekday()));
    if date.day() == 1 {
        out.push_str(" 1er ");
    } else {
        let _ = write!(out, " {} ", date.day());
    }
    out.push_str(month_fr(date.month()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn micros(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_microsecond()
    }

    #[test]
    fn the_shipped_zone_is_paris_with_its_summer_time() {
        let tz = school_tz();
        assert_eq!(tz.iana_name(), Some(SCHOOL_TZ_NAME));
        let offset = |t: &str| tz.to_offset(t.parse::<Timestamp>().unwrap()).seconds();
        assert_eq!(offset("2027-01-15T12:00:00Z"), 3600, "winter: UTC+1");
        assert_eq!(offset("2027-07-15T12:00:00Z"), 7200, "summer: UTC+2");
        // The change of the last Sunday of March 2027, at 1:00 UTC.
        assert_eq!(offset("2027-03-28T00:59:59Z"), 3600);
        assert_eq!(offset("2027-03-28T01:00:00Z"), 7200);
        // Far beyond the table's transitions, the POSIX rule at its end still applies.
        assert_eq!(offset("2060-07-01T12:00:00Z"), 7200);
    }

    #[test]
    fn french_dates_in_paris_time() {
        // 6:30 UTC is 8:30 in Paris in summer time
        assert_eq!(
            long_datetime(micros("2026-09-07T06:30:00Z")),
            "lundi 7 septembre 2026 à 8 h 30"
        );
        assert_eq!(
            long_date(micros("2026-12-01T10:00:00Z")),
            "mardi 1er décembre 2026"
        );
        assert_eq!(
            long_datetime(micros("2026-11-30T23:05:00Z")),
            "mardi 1er décembre 2026 à 0 h 05"
        );
        assert_eq!(
            long_datetime(micros("2027-01-31T22:59:00Z")),
            "dimanche 31 janvier 2027 à 23 h 59"
        );
        assert_eq!(
            long_datetime(micros("2027-03-10T09:00:00Z")),
            "mercredi 10 mars 2027 à 10 h 00"
        );
        assert_eq!(
            calendar_date(jiff::civil::date(2018, 10, 22)),
            "22 octobre 2018"
        );
        assert_eq!(calendar_date(jiff::civil::date(987, 5, 9)), "9 mai 987");
        // 23:30 UTC on 31 December is already New Year in Paris
        assert_eq!(
            short_datetime(micros("2026-12-31T23:30:00Z")),
            "01/01/2027 00:30"
        );
        assert_eq!(
            short_datetime(micros("2027-07-14T20:09:00Z")),
            "14/07/2027 22:09"
        );
        assert_eq!(
            short_datetime(micros("0999-03-01T12:00:00Z")),
            "01/03/999 12:09",
            "a year of three digits is written as it is"
        );
    }

    #[test]
    fn deadlines_include_their_whole_day() {
        let d = parse_date("2026-12-05").unwrap();
        assert_eq!(short_datetime(end_of_day(d)), "05/12/2026 23:59");
        assert_eq!(date_value(end_of_day(d)), "2026-12-05");
        assert_eq!(day_label(d), "samedi 5 décembre");
        assert_eq!(start_of_day(d), end_of_day(d.yesterday().unwrap()) + 1);
        assert_eq!(short_datetime(start_of_day(d)), "05/12/2026 00:00");
        let last = parse_date("9999-12-31").unwrap();
        assert!(
            end_of_day(last) >= start_of_day(last),
            "no overflow at the end of time"
        );
        assert!(parse_date("5 décembre").is_none());
    }
}
