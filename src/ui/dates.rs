//! Dates in French and in the school's time zone (« lundi 7 septembre 2026 à 8 h 30 »).

use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use jiff::Timestamp;

pub const SCHOOL_TZ: &str = "Europe/Paris";

fn paris() -> TimeZone {
    TimeZone::get(SCHOOL_TZ).unwrap_or(TimeZone::UTC)
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
    let z = ts.to_zoned_datetime(paris());
    let day = if z.day() == 1 {
        "1er".to_string()
    } else {
        z.day().to_string()
    };
    format!(
        "{} {} {} {}",
        weekday_fr(z.weekday()),
        day,
        month_fr(z.month()),
        z.year()
    )
}

/// « lundi 7 septembre 2026 à 8 h 30 ».
pub fn long_datetime(micros: i64) -> String {
    let Ok(ts) = Timestamp::from_microsecond(micros) else {
        return String::from("?");
    };
    let z = ts.to_zoned_datetime(paris());
    format!("{} à {} h {:02}", long_date(micros), z.hour(), z.minute())
}

/// « 07/09/2026 08:30 » for dense tables.
pub fn short_datetime(micros: i64) -> String {
    let Ok(ts) = Timestamp::from_microsecond(micros) else {
        return String::from("?");
    };
    let z = ts.to_zoned_datetime(paris());
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        z.day(),
        z.month(),
        z.year(),
        z.hour(),
        z.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn micros(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_microsecond()
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
        // 23:30 UTC on 31 December is already New Year in Paris
        assert_eq!(
            short_datetime(micros("2026-12-31T23:30:00Z")),
            "01/01/2027 00:30"
        );
    }
}
