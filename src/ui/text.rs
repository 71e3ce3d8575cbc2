//! Text spliced into a page, escaped without a byte-by-byte copy.
//!
//! maud escapes a spliced `str` by pushing it into the page one byte at a time (about
//! seven instructions a byte: the largest single cost of a page's render, issue 15). Most
//! of what a page shows (names, subjects, previews, appreciations) holds none of the four
//! characters that need escaping: [`Text`] looks for them sixteen bytes at a time and
//! copies the text whole, or the runs between them (a text under sixteen bytes goes
//! through maud's own loop, cheaper for so few). The output is maud's, byte for byte (a test checks
//! it on every character that matters).

use maud::Render;

/// Text to show as it is written: `(text(&subject))` in a view instead of `(subject)`.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a>(pub &'a str);

/// The text `s`, escaped as maud would when spliced.
pub fn text(s: &str) -> Text<'_> {
    Text(s)
}

impl Render for Text<'_> {
    fn render_to(&self, buffer: &mut String) {
        push_escaped(buffer, self.0);
    }
}

/// Whether a block of sixteen bytes holds a byte to escape (maud's four: `&`, `<`, `>`,
/// `"`): a fixed size, no early exit and plain comparisons, so that the compiler checks
/// the sixteen together (about fourteen vector instructions; `matches!` or a fold of
/// booleans defeat it).
fn block_holds_special(block: &[u8; 16]) -> bool {
    block
        .iter()
        .map(|&b| {
            u8::from(b == b'&') | u8::from(b == b'<') | u8::from(b == b'>') | u8::from(b == b'"')
        })
        .fold(0, |seen, special| seen | special)
        != 0
}

/// Whether `bytes` (sixteen or more) hold a special byte, sixteen at a time; the last few
/// are checked with the fifteen before them (the last sixteen bytes again).
fn holds_special(bytes: &[u8]) -> bool {
    let mut blocks = bytes.chunks_exact(16);
    if blocks
        .by_ref()
        .any(|block| <&[u8; 16]>::try_from(block).is_ok_and(block_holds_special))
    {
        return true;
    }
    !blocks.remainder().is_empty() && bytes.last_chunk::<16>().is_some_and(block_holds_special)
}

/// `s` escaped onto `out`: the runs between special characters are copied whole.
pub fn push_escaped(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    // A short text (an id, a number, a first name) costs maud's byte loop less than two
    // copies would.
    if bytes.len() < 16 {
        s.render_to(out);
        return;
    }
    // The common case: no special character at all, one copy.
    if !holds_special(bytes) {
        out.push_str(s);
        return;
    }
    out.reserve(s.len() + 8);
    let mut run_start = 0;
    for (at, b) in bytes.iter().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        // A special byte is ASCII: `at` is a character boundary, as is `run_start`.
        out.push_str(s.get(run_start..at).unwrap_or_default());
        out.push_str(entity);
        run_start = at + 1;
    }
    out.push_str(s.get(run_start..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn maud_escaped(s: &str) -> String {
        let mut out = String::new();
        s.render_to(&mut out);
        out
    }

    fn ours(s: &str) -> String {
        let mut out = String::from("avant:");
        push_escaped(&mut out, s);
        out.split_off("avant:".len())
    }

    #[test]
    fn the_escaped_text_is_mauds_byte_for_byte() {
        let samples = [
            "",
            "Élodie Martin",
            "&",
            "<script>alert(\"x\")</script>",
            "Sortie au musée d'Orsay — « vendredi » & goûter <3",
            "seize octets pile",
            "exactement16bytes",
            "0123456789abcdef\"",
            "\"0123456789abcdef",
            "0123456789abcdef0123456789abcde>",
            "ééééééééééééééééé<ééé",
            "'apostrophe' n'est pas échappée, comme chez maud",
        ];
        for s in samples {
            assert_eq!(ours(s), maud_escaped(s), "{s:?}");
        }
        // Every special character at every place of a block and of the remainder.
        for len in 1..40 {
            for at in 0..len {
                for special in ['&', '<', '>', '"'] {
                    let s: String = (0..len)
                        .map(|i| if i == at { special } else { 'é' })
                        .collect();
                    assert_eq!(ours(&s), maud_escaped(&s), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn a_spliced_text_renders_like_the_string_itself() {
        let name = "Léa <B> & \"Zoé\"";
        let ours = maud::html! { p title=(text(name)) { (text(name)) } };
        let mauds = maud::html! { p title=(name) { (name) } };
        assert_eq!(ours.into_string(), mauds.into_string());
    }
}
