//! The pages inside the archive: plain HTML5 in French, one small stylesheet of the
//! archive, relative links only, no script; headings in order, pictures with a text
//! alternative. Pure views: what they show is gathered by `parts.rs`.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::ui::{dates, richtext};

/// The stylesheet of the archive (`style.css` at its root): readable on a phone, on a
/// screen and on paper.
pub const STYLE: &str = "body{font-family:sans-serif;max-width:52rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a;background:#fff;overflow-wrap:anywhere}\
a{color:#0b4f9c}nav{margin:.5rem 0 1rem}nav a{margin-right:1rem}\
.meta{color:#555;font-size:.9em}.note{border-left:4px solid #b35900;padding:.25rem .75rem;background:#fff7ed}\
figure{margin:1rem 0}figcaption{color:#555;font-size:.9em}img,video{max-width:100%;height:auto}\
article{border-top:1px solid #ccc;padding:.5rem 0}blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem}\
ul.files li{margin:.2rem 0}\
@media print{body{max-width:none;margin:0;font-size:11pt}nav{display:none}a{color:inherit}article,figure{break-inside:avoid}h1,h2,h3{break-after:avoid}}";

/// Where a page stands in the archive: how many folders below the root, and whether the
/// root holds a whole school (then every page leads back to it).
#[derive(Clone, Copy)]
pub struct Place {
    pub depth: usize,
    pub school_root: bool,
}

impl Place {
    fn up(self) -> String {
        "../".repeat(self.depth)
    }

    /// One level further down.
    pub fn below(self) -> Place {
        Place {
            depth: self.depth + 1,
            ..self
        }
    }
}

/// A whole page: `title` in its head and as its only h1, `back` the links above it
/// (relative to the page), then `body`.
pub fn document(place: Place, title: &str, back: &[(String, &str)], body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href=(format!("{}style.css", place.up()));
            }
            body {
                @if !back.is_empty() || place.school_root {
                    nav aria-label="Navigation" {
                        @if place.school_root && place.depth > 0 {
                            a href=(format!("{}index.html", place.up())) { "L'école" }
                        }
                        @for (href, label) in back { a href=(href) { (label) } }
                    }
                }
                main { h1 { (title) } (body) }
            }
        }
    }
}

/// The head and the tail of a page written piece by piece (the cahier de textes of a
/// year): everything before the end of `main`, and the rest.
pub fn document_parts(place: Place, title: &str, back: &[(String, &str)]) -> (String, String) {
    let page = document(place, title, back, PreEscaped("\u{0}".to_string())).into_string();
    match page.split_once('\u{0}') {
        Some((head, tail)) => (head.to_string(), tail.to_string()),
        None => (page, String::new()),
    }
}

/// A picture, sound or video of an article as it went into the archive.
pub struct Shown {
    /// The file's path, relative to the page.
    pub href: String,
    pub mime: String,
}

/// An article's page.
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub author: String,
    pub published: i64,
    pub media: Vec<Shown>,
    /// Pictures kept out (photo consent) and files that could not be read.
    pub withheld: usize,
    pub missing: usize,
}

pub fn article(a: &ArticleView<'_>) -> Markup {
    html! {
        p.meta { "Par " (a.author) ", le " (dates::long_date(a.published)) }
        div { (richtext::render(a.body)) }
        @for (n, m) in a.media.iter().enumerate() {
            @let alt = format!("Photo {} de l'article « {} »", n + 1, a.title);
            @if m.mime.starts_with("image/") {
                figure { img src=(m.href) alt=(alt); }
            } @else if m.mime.starts_with("audio/") {
                figure { audio controls src=(m.href) {} figcaption { "Enregistrement " (n + 1) } }
            } @else {
                figure { video controls src=(m.href) {} figcaption { "Vidéo " (n + 1) } }
            }
        }
        @if a.withheld > 0 {
            p.note { (plural(a.withheld, "photo ou vidéo n'est pas incluse", "photos ou vidéos ne sont pas incluses")) " : un élève sans autorisation photo pourrait y figurer." }
        }
        @if a.missing > 0 {
            p.note { (plural(a.missing, "fichier n'a pas pu être lu", "fichiers n'ont pas pu être lus")) "." }
        }
    }
}

/// « 1 photo … » or « 3 photos … ».
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// An article in a blog's list.
pub struct ArticleLine {
    pub title: String,
    pub href: String,
    pub published: i64,
}

/// A part of a class's index: a heading, a sentence, a link.
pub struct Section {
    pub title: &'static str,
    pub text: String,
    pub link: Option<(String, String)>,
}

/// The index of a class (or of the school's blog): the blog's articles, then the other
/// parts.
pub fn class_index(
    intro: &str,
    blog: Option<&[ArticleLine]>,
    sections: &[Section],
    consent_note: bool,
) -> Markup {
    html! {
        p { (intro) }
        @if consent_note {
            p.note { "Les photos et vidéos où pourrait figurer un élève sans autorisation photo (droit à l'image) ne sont pas incluses. Les images sont en taille web, sans leurs données de localisation." }
        }
        @if let Some(lines) = blog {
            h2 { "Le blog" }
            @if lines.is_empty() { p { "Aucun article publié cette année." } }
            @else {
                ul { @for l in lines { li { a href=(l.href) { (l.title) } " — " span.meta { (dates::long_date(l.published)) } } } }
            }
        }
        @for s in sections {
            h2 { (s.title) }
            p { (s.text) @if let Some((href, label)) = &s.link { " " a href=(href) { (label) } } }
        }
    }
}

/// A class (or the school's blog) on the school's index.
pub struct ClassLine {
    pub label: String,
    pub href: String,
    pub summary: String,
}

pub fn school_index(intro: &str, lines: &[ClassLine]) -> Markup {
    html! {
        p { (intro) }
        p.note { "Les photos et vidéos où pourrait figurer un élève sans autorisation photo (droit à l'image) ne sont pas incluses. Les images sont en taille web, sans leurs données de localisation." }
        h2 { "Sommaire" }
        ul { @for l in lines { li { a href=(l.href) { (l.label) } " — " span.meta { (l.summary) } } } }
    }
}

/// A file in a list: its link, or why it is not there.
pub enum FileLine {
    Written { href: String, name: String },
    Withheld { name: String },
    Missing { name: String },
}

pub fn file_line(f: &FileLine) -> Markup {
    html! {
        @match f {
            FileLine::Written { href, name } => { a href=(href) { (name) } }
            FileLine::Withheld { name } => { (name) " " span.meta { "(non incluse : autorisation photo)" } }
            FileLine::Missing { name } => { (name) " " span.meta { "(fichier illisible)" } }
        }
    }
}

/// One entry of the cahier de textes; `when` says what it is and its day (« Séance du
/// 3 octobre 2025 »).
pub fn textbook_entry(
    subject: &str,
    title: &str,
    when: &str,
    body: &str,
    files: &[FileLine],
) -> Markup {
    html! {
        article {
            h3 { (subject) " — " (title) }
            p.meta { (when) }
            div { (richtext::render(body)) }
            @if !files.is_empty() {
                ul.files { @for f in files { li { (file_line(f)) } } }
            }
        }
    }
}

/// A folder of the médiathèque, with what it holds.
pub struct Folder {
    pub name: String,
    pub files: Vec<FileLine>,
    /// Links to other sites, written out (the archive links only to itself).
    pub links: Vec<(String, String)>,
    pub folders: Vec<Folder>,
}

pub fn folder(f: &Folder) -> Markup {
    html! {
        ul.files {
            @for file in &f.files { li { (file_line(file)) } }
            @for (name, url) in &f.links { li { (name) " — lien : " code { (url) } } }
            @for sub in &f.folders { li { strong { (sub.name) } (folder(sub)) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_link_to_the_root_stylesheet_and_back_to_the_school() {
        let place = Place {
            depth: 2,
            school_root: true,
        };
        let page = document(
            place,
            "Sortie",
            &[("../index.html".into(), "CM1")],
            html! {},
        )
        .into_string();
        assert!(page.contains(r#"<html lang="fr">"#));
        assert!(page.contains(r#"href="../../style.css""#));
        assert!(page.contains(r#"href="../../index.html""#));
        assert!(!page.contains("<script"));
        let (head, tail) = document_parts(place, "Cahier", &[]);
        assert!(head.ends_with("<h1>Cahier</h1>") && tail.starts_with("</main>"));
    }

    #[test]
    fn a_picture_has_a_text_alternative_and_kept_pictures_are_said() {
        let a = ArticleView {
            title: "Sortie",
            body: "Au *musée*",
            author: "Paul Durand".into(),
            published: 0,
            media: vec![Shown {
                href: "photos/1-0.jpg".into(),
                mime: "image/jpeg".into(),
            }],
            withheld: 2,
            missing: 0,
        };
        let html = article(&a).into_string();
        assert!(
            html.contains("alt=\"Photo 1 de l'article « Sortie »\""),
            "{html}"
        );
        assert!(html.contains("2 photos ou vidéos ne sont pas incluses"));
        assert!(html.contains("<em>musée</em>"));
    }
}
