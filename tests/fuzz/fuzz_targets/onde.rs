//! The ONDE importer must never panic, whatever bytes a director uploads.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = preau::directory::onde::parse_pupils(data, &BTreeMap::new());
    let _ = preau::directory::onde::parse_guardians(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = preau::directory::onde::parse_date(text);
        let _ = preau::directory::onde::normalize_header(text);
    }
});
