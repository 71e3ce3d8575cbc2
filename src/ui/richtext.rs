//! The one sanitiser for every rich text of the ENT (messages, mots, articles…).
//!
//! People write a light Markdown (bold, italics, lists, links, headings, quotes), which
//! is rendered to HTML and then cleaned against an allow-list by ammonia. The source
//! text is what is stored; the HTML is made again at display time, so that a tighter
//! allow-list applies to old texts too.

use maud::{Markup, PreEscaped};

/// Tags a text may use once rendered. No images, no tables, no raw HTML attributes
/// other than links: images come from the médiathèque, not from a URL typed in a text.
const TAGS: &[&str] = &[
    "p",
    "br",
    "strong",
    "em",
    "del",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "h3",
    "h4",
    "code",
    "pre",
    "hr",
];

/// Markdown source → sanitised HTML, ready to be inserted into a page.
pub fn render(source: &str) -> Markup {
    PreEscaped(to_html(source))
}

pub fn to_html(source: &str) -> String {
    super::rendered::HTML.get_or_make(source, render_now)
}

fn render_now(source: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    // Headings written with # become h3/h4 so that they stay below the page's h1/h2;
    // single line breaks are kept, as people expect when they type a letter.
    let events = Parser::new_ext(source, options).map(|e| match e {
        Event::SoftBreak => Event::HardBreak,
        Event::Start(Tag::Heading { level, .. }) => Event::Start(Tag::Heading {
            level: shift(level),
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    clean(&html)
}

fn shift(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    match level {
        H1 | H2 | H3 => H3,
        _ => H4,
    }
}

/// Allow-list cleaning of any HTML.
pub fn clean(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// The allow-list, made once: building it (ammonia's default sets, then ours in their
/// place) cost about as much as cleaning a message (issue 15).
fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .tags(TAGS.iter().copied().collect())
            .generic_attributes(std::collections::HashSet::new())
            .tag_attributes(
                [("a", ["href"].into_iter().collect())]
                    .into_iter()
                    .collect(),
            )
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener noreferrer nofollow"));
        builder
    })
}

/// The text without any markup, for previews, search and e-mails.
pub fn plain(source: &str) -> String {
    super::rendered::PLAIN.get_or_make(source, plain_now)
}

fn plain_now(source: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for e in Parser::new(source) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            // The end of a word's emphasis or link is not a space (« *obligatoire*. »).
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first `max` characters of the plain text, with « … » when cut.
pub fn preview(source: &str, max: usize) -> String {
    // A list of messages shows a line of each: parse the start of a long text only (four
    // times the characters shown leaves room for the Markdown's marks), ended at a space
    // so that no word or link is cut in the middle.
    let head = match source.char_indices().nth(max.saturating_mul(4)) {
        Some((end, _)) => {
            let start = source.get(..end).unwrap_or(source);
            start
                .rfind(char::is_whitespace)
                .map_or(start, |s| start.get(..s).unwrap_or(start))
        }
        None => source,
    };
    let cut_source = head.len() < source.len();
    let text = plain(head);
    if cut_source && text.chars().count() <= max {
        // Marks took most of the start: the whole text, as before.
        return preview_of_plain(plain(source), max);
    }
    preview_of_plain(text, max)
}

fn preview_of_plain(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        text
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_previews_as_if_read_whole() {
        let long = format!(
            "Bonjour **à tous**, la sortie au [musée](https://exemple.fr) est *jeudi*. {}",
            "Prévoir un pique-nique et une casquette. ".repeat(60)
        );
        let whole = preview_of_plain(plain(&long), 90);
        assert_eq!(preview(&long, 90), whole);
        assert!(
            whole.ends_with('…') && whole.starts_with("Bonjour à tous"),
            "{whole}"
        );
        // Marks filling the start: the whole text is read.
        let marks = format!("{}fin du texte visible", "**".repeat(400));
        assert_eq!(preview(&marks, 90), preview_of_plain(plain(&marks), 90));
        assert_eq!(preview("court", 90), "court");
    }

    #[test]
    fn markdown_becomes_simple_html() {
        let html =
            to_html("Bonjour **à tous**,\nla sortie est *jeudi*.\n\n- pique-nique\n- casquette");
        assert!(html.contains("<strong>à tous</strong>"), "{html}");
        assert!(html.contains("<br>"), "{html}");
        assert!(html.contains("<em>jeudi</em>"));
        assert!(html.contains("<li>pique-nique</li>"));
        assert!(to_html("# Titre").contains("<h3>Titre</h3>"));
    }

    #[test]
    fn scripts_and_dangerous_urls_are_removed() {
        for payload in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[clic](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://example.org\"></iframe>",
            "<svg onload=alert(1)>",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
            "<form action=/deconnexion method=post><button>x</button></form>",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        ] {
            let html = to_html(payload);
            let lower = html.to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "javascript:",
                "<iframe",
                "<svg",
                "onload",
                "style=",
                "data:text",
                "<form",
                "<img",
                "<math",
            ] {
                assert!(!lower.contains(bad), "{payload} gave {html}");
            }
        }
    }

    #[test]
    fn links_are_kept_and_marked() {
        let html = to_html("[le site](https://example.org/)");
        assert!(html.contains("href=\"https://example.org/\""), "{html}");
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
    }

    #[test]
    fn previews_are_plain_and_short() {
        assert_eq!(plain("**Bonjour** *toi*"), "Bonjour toi");
        assert_eq!(plain("Bonnet *obligatoire*."), "Bonnet obligatoire.");
        assert_eq!(
            plain("Voir [le site](https://example.org)."),
            "Voir le site."
        );
        assert_eq!(
            plain("# Titre\nTexte\n\n- un\n- deux"),
            "Titre Texte un deux"
        );
        assert_eq!(preview("un deux trois quatre", 9), "un deux t…");
        assert_eq!(preview("court", 9), "court");
    }
}
