//! What the fuzz targets share: a scratch folder per process, and the check that a piece
//! of HTML a browser would parse holds no way to run script.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

static SCRATCH: OnceLock<PathBuf> = OnceLock::new();

extern "C" fn remove_scratch() {
    if let Some(dir) = SCRATCH.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A folder for this process's files (`name` is the target's), removed when libFuzzer
/// exits normally. In RAM (/dev/shm) when the machine has it: the store fsyncs every file.
/// Left behind after a crash, for the crash to be looked at.
pub fn scratch(name: &str) -> &'static Path {
    SCRATCH.get_or_init(|| {
        let base = std::env::var_os("PREAU_FUZZ_TMP")
            .map(PathBuf::from)
            .filter(|p| p.is_dir())
            .or_else(|| Some(PathBuf::from("/dev/shm")).filter(|p| p.is_dir()))
            .unwrap_or_else(std::env::temp_dir);
        let dir = base.join(format!("preau-fuzz-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        // SAFETY: registers a plain function with no arguments, run once at exit.
        unsafe {
            libc::atexit(remove_scratch);
        }
        dir
    })
}

pub mod html {
    //! The sanitiser's output, read the way a browser's tokenizer reads it (html5ever:
    //! character references decoded, attributes split as a browser splits them), so that
    //! escaped text such as `&lt;script&gt;` is text, and `&#106;avascript:` is caught.

    use std::cell::RefCell;

    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };

    /// The tags a rich text may hold once cleaned (src/ui/richtext.rs's allow-list).
    pub const TAGS: &[&str] = &[
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

    /// Schemes a link may have; any other (javascript:, vbscript:, data:, file:…) is a
    /// violation. A link without a scheme (relative) is allowed.
    const SCHEMES: &[&str] = &["http", "https", "mailto"];

    #[derive(Default)]
    struct Sink {
        problems: RefCell<Vec<String>>,
    }

    impl Sink {
        fn tag(&self, tag: &Tag) {
            let name = tag.name.to_string();
            let mut problems = self.problems.borrow_mut();
            if !TAGS.contains(&name.as_str()) {
                problems.push(format!("tag <{name}> not in the allow-list"));
            }
            if tag.kind == TagKind::EndTag {
                return;
            }
            for attr in &tag.attrs {
                let attr_name = attr.name.local.to_string().to_ascii_lowercase();
                if attr_name.starts_with("on") {
                    problems.push(format!("event handler {attr_name}= on <{name}>"));
                }
                let allowed = name == "a" && matches!(attr_name.as_str(), "href" | "rel");
                if !allowed {
                    problems.push(format!("attribute {attr_name}= on <{name}>"));
                }
                if attr_name == "href" {
                    if let Some(scheme) = scheme(&attr.value) {
                        if !SCHEMES.contains(&scheme.as_str()) {
                            problems.push(format!("link with scheme {scheme}: {:?}", attr.value));
                        }
                    }
                }
            }
        }
    }

    impl TokenSink for Sink {
        type Handle = ();

        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = &token {
                self.tag(tag);
            }
            TokenSinkResult::Continue
        }
    }

    /// The scheme of a URL as a browser's URL parser finds it: leading and trailing C0
    /// controls and spaces dropped, tabs and newlines removed anywhere, lower case.
    pub fn scheme(url: &str) -> Option<String> {
        let url: String = url
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        let end = url.find([':', '/', '?', '#'])?;
        if url.get(end..end + 1) != Some(":") {
            return None;
        }
        let scheme = url.get(..end)?;
        let first = scheme.chars().next()?;
        if !first.is_ascii_alphabetic()
            || !scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            // Not a scheme: the URL is relative (a path with a colon in it).
            return None;
        }
        Some(scheme.to_ascii_lowercase())
    }

    /// Everything in `html` that could run script or leave the allow-list.
    pub fn problems(html: &str) -> Vec<String> {
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(html));
        let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        tokenizer.sink.problems.take()
    }

    /// Panics (a fuzz crash) when the sanitised `html` could run script.
    pub fn check(source: &str, html: &str) {
        let found = problems(html);
        assert!(
            found.is_empty(),
            "unsafe HTML from the sanitiser: {found:?}\nsource: {source:?}\nhtml: {html:?}"
        );
    }

    /// The check itself checked, once per run: escaped text passes, every way of
    /// hiding a script is caught. Panics when the checker is wrong.
    pub fn self_check() {
        for fine in [
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; onload=x javascript:x</p>",
            "<a href=\"https://x.org/a:b\" rel=\"noopener noreferrer nofollow\">x</a>",
            "<a href=\"dossier/a:b\">x</a><a href=\"mailto:a@b.fr\">m</a>",
            "<ul><li><strong>a</strong><br>b</li></ul><pre><code>&lt;b&gt;</code></pre><hr>",
        ] {
            assert!(problems(fine).is_empty(), "{fine}: {:?}", problems(fine));
        }
        for bad in [
            "<script>x</script>",
            "<p onclick=x>y</p>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href=\" java\tscript:alert(1)\">x</a>",
            "<a href=\"VBScript:x\">x</a>",
            "<a href=\"data:text/html,x\">x</a>",
            "<a/onmouseover=x>x</a>",
            "<img src=x>",
            "<p style=\"x\">y</p>",
        ] {
            assert!(!problems(bad).is_empty(), "{bad} not caught");
        }
    }
}
