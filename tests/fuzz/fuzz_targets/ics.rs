//! The import of a school's .ics file (holidays, the commune's events): whatever a
//! director uploads, it answers events or a French sentence, never a panic; the events it
//! answers end after they start and have the titles cut as promised.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(events) = preau::agenda::ical::import(&text) {
        for e in &events {
            assert!(e.end >= e.start, "an event ends before it starts: {e:?}");
            assert!(e.title.chars().count() <= 200 && e.place.chars().count() <= 200);
        }
    }
});
