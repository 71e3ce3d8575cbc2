//! The one pagination of long lists: which slice a page shows, and the links « Page
//! précédente », « page 2 sur 8 », « Page suivante ». Plain links carrying the list's
//! filters in the query string: a page can be bookmarked and works without script.

use std::ops::Range;

use maud::{html, Markup};

/// `?page=N` of a list with no other filter.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    pub page: Option<String>,
}

/// Rows on a page, unless a list has a reason to show another number.
pub const PER_PAGE: usize = 50;

/// The page asked for in the query string: `?page=3` is 3; nothing, 0, or anything that is
/// not a number is the first page (a mistyped link shows the list, not an error).
pub fn asked(text: Option<&str>) -> usize {
    let text = text.unwrap_or("").trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return 1;
    }
    // Only digits: too long to parse means far past any end, which shows the last page.
    text.parse::<usize>().unwrap_or(usize::MAX).max(1)
}

/// Where a list stands: the page shown, and whether others come before or after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// The page shown, from 1.
    pub page: usize,
    pub per_page: usize,
    /// Rows in the whole list, when it is known (not for journals read from the newest).
    pub total: Option<usize>,
    /// A page follows this one.
    pub has_next: bool,
    /// The page asked for, when it was past the end and the last one is shown instead.
    pub past_end: Option<usize>,
}

impl Pager {
    /// A list whose length is known: the asked page, or the last one if it is past the end.
    pub fn counted(asked: usize, total: usize, per_page: usize) -> Pager {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        let page = asked.clamp(1, pages);
        Pager {
            page,
            per_page,
            total: Some(total),
            has_next: page < pages,
            past_end: (asked > pages).then_some(asked),
        }
    }

    /// A list read from its newest row without counting it (a journal): read
    /// [`Pager::read_limit`] rows, then tell [`Pager::read`] how many came. Pages stop at
    /// `max_pages`, so that a made-up `?page=` never reads a whole table.
    pub fn open(asked: usize, per_page: usize, max_pages: usize) -> Pager {
        let max_pages = max_pages.max(1);
        Pager {
            page: asked.clamp(1, max_pages),
            per_page: per_page.max(1),
            total: None,
            has_next: false,
            past_end: (asked > max_pages).then_some(asked),
        }
    }

    /// How many rows an open list reads: the pages up to this one, and one more row to
    /// know whether a next page exists.
    pub fn read_limit(&self) -> usize {
        self.page.saturating_mul(self.per_page).saturating_add(1)
    }

    /// An open list once read: `rows` came back for [`Pager::read_limit`]. A page past the
    /// end becomes the last page that has rows.
    pub fn read(self, rows: usize) -> Pager {
        let shown_up_to = self.page.saturating_mul(self.per_page);
        let last = rows.div_ceil(self.per_page).max(1);
        let page = self.page.min(last);
        Pager {
            has_next: rows > shown_up_to && page == self.page,
            past_end: self.past_end.or((page < self.page).then_some(self.page)),
            page,
            ..self
        }
    }

    /// Pages in all, when the list's length is known.
    pub fn pages(&self) -> Option<usize> {
        self.total.map(|t| t.div_ceil(self.per_page).max(1))
    }

    /// The rows of the whole list this page shows.
    pub fn range(&self) -> Range<usize> {
        let start = (self.page - 1).saturating_mul(self.per_page);
        let end = start.saturating_add(self.per_page);
        match self.total {
            Some(t) => start.min(t)..end.min(t),
            None => start..end,
        }
    }

    /// This page's rows among the whole list's (or the rows read, for an open list).
    pub fn slice<'a, T>(&self, rows: &'a [T]) -> &'a [T] {
        let r = self.range();
        let end = r.end.min(rows.len());
        rows.get(r.start.min(end)..end).unwrap_or(&[])
    }

    /// « page 2 sur 8 », or « page 2 » when the length is not known.
    pub fn position(&self) -> String {
        match self.pages() {
            Some(p) => format!("page {} sur {p}", self.page),
            None => format!("page {}", self.page),
        }
    }
}

/// Where a list's page links lead: its path, the filters to keep, the parameter that
/// carries the page (`page`, or another when a page shows two lists).
pub struct Links<'a> {
    pub path: &'a str,
    pub keep: &'a [(&'a str, &'a str)],
    pub param: &'a str,
    /// Names the navigation for screen readers (« Pages des comptes »).
    pub label: &'a str,
}

impl Links<'_> {
    /// The link to `page`, the filters kept (empty ones left out), page 1 without number.
    pub fn to(&self, page: usize) -> String {
        let number = page.to_string();
        let mut pairs: Vec<(&str, &str)> = self
            .keep
            .iter()
            .filter(|(k, v)| !v.is_empty() && *k != self.param)
            .copied()
            .collect();
        if page > 1 {
            pairs.push((self.param, &number));
        }
        match serde_urlencoded::to_string(&pairs) {
            Ok(q) if !q.is_empty() => format!("{}?{q}", self.path),
            _ => self.path.to_string(),
        }
    }
}

/// The note shown above a list when the page asked for was past its end.
pub fn past_end_notice(pager: &Pager) -> Markup {
    html! {
        @if let Some(asked) = pager.past_end {
            p.notice role="status" {
                "La page " (asked) " n'existe pas : voici la dernière (" (pager.position()) ")."
            }
        }
    }
}

/// « Page précédente · page 2 sur 8 · Page suivante », nothing when one page holds all.
pub fn nav(pager: &Pager, links: &Links<'_>) -> Markup {
    html! {
        @if pager.page > 1 || pager.has_next {
            nav.pager aria-label=(links.label) {
                @if pager.page > 1 {
                    a rel="prev" href=(links.to(pager.page - 1)) { "« Page précédente" }
                }
                span aria-current="page" { (pager.position()) }
                @if pager.has_next {
                    a rel="next" href=(links.to(pager.page + 1)) { "Page suivante »" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_asked_is_read_leniently() {
        assert_eq!(asked(Some("3")), 3);
        assert_eq!(asked(Some(" 2 ")), 2);
        for bad in [
            None,
            Some(""),
            Some("0"),
            Some("-2"),
            Some("deux"),
            Some("2.5"),
        ] {
            assert_eq!(asked(bad), 1, "{bad:?}");
        }
        assert_eq!(asked(Some("99999999999999999999999")), usize::MAX);
    }

    #[test]
    fn a_counted_list_shows_its_slice() {
        let rows: Vec<usize> = (0..120).collect();
        let p = Pager::counted(2, rows.len(), 50);
        assert_eq!(p.slice(&rows), &rows[50..100]);
        assert_eq!(p.position(), "page 2 sur 3");
        assert!(p.has_next && p.past_end.is_none());
        let last = Pager::counted(3, rows.len(), 50);
        assert_eq!(last.slice(&rows).len(), 20);
        assert!(!last.has_next);
    }

    #[test]
    fn past_the_end_shows_the_last_page_and_says_so() {
        let p = Pager::counted(usize::MAX, 120, 50);
        assert_eq!((p.page, p.past_end), (3, Some(usize::MAX)));
        assert_eq!(p.range(), 100..120);
        let html = past_end_notice(&Pager::counted(12, 120, 50)).into_string();
        assert!(html.contains("La page 12 n'existe pas") && html.contains("page 3 sur 3"));
        // An empty list has one (empty) page, not a page 0.
        let empty = Pager::counted(4, 0, 50);
        assert_eq!(
            (empty.page, empty.pages(), empty.range()),
            (1, Some(1), 0..0)
        );
    }

    #[test]
    fn an_open_list_reads_up_to_its_page_and_one_more() {
        let p = Pager::open(2, 50, 100);
        assert_eq!(p.read_limit(), 101);
        let full = p.clone().read(101);
        assert!(full.has_next && full.past_end.is_none());
        assert_eq!(full.position(), "page 2");
        let rows: Vec<usize> = (0..101).collect();
        assert_eq!(full.slice(&rows), &rows[50..100]);
        let short = p.read(70);
        assert!(!short.has_next);
        let beyond = Pager::open(5, 50, 100).read(70);
        assert_eq!((beyond.page, beyond.past_end), (2, Some(5)));
        let capped = Pager::open(1_000_000, 50, 100);
        assert_eq!((capped.page, capped.read_limit()), (100, 5001));
    }

    #[test]
    fn links_keep_the_filters_and_escape_them() {
        let keep = [("q", "hélène & co"), ("profil", ""), ("page", "9")];
        let links = Links {
            path: "/admin/comptes",
            keep: &keep,
            param: "page",
            label: "Pages",
        };
        assert_eq!(links.to(1), "/admin/comptes?q=h%C3%A9l%C3%A8ne+%26+co");
        assert_eq!(
            links.to(3),
            "/admin/comptes?q=h%C3%A9l%C3%A8ne+%26+co&page=3"
        );
        let html = nav(&Pager::counted(2, 120, 50), &links).into_string();
        assert!(html.contains("« Page précédente") && html.contains("Page suivante »"));
        assert!(html.contains("page 2 sur 3") && html.contains(r#"aria-label="Pages""#));
        assert!(nav(&Pager::counted(1, 20, 50), &links)
            .into_string()
            .is_empty());
    }
}
