//! The one sanitiser of rich texts (Markdown → HTML → allow-list): whatever a person
//! types, the HTML shown to others holds no script, no event handler, no tag or attribute
//! outside the allow-list and no link with another scheme than http(s) or mailto. The
//! output is read with html5ever's tokenizer, as a browser reads it, so escaped text is
//! not mistaken for markup. A violation panics, which libFuzzer reports as a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preau::ui::richtext;
use preau_fuzz::html;

fuzz_target!(|data: &[u8]| {
    static CHECKED: std::sync::Once = std::sync::Once::new();
    CHECKED.call_once(html::self_check);
    let source = String::from_utf8_lossy(data);
    // Markdown, as every form stores it.
    html::check(&source, &richtext::to_html(&source));
    // Raw HTML through the allow-list alone.
    html::check(&source, &richtext::clean(&source));
    // Previews, search and e-mails: plain text, cut on characters.
    let _ = richtext::preview(&source, 40);
});
