//! What goes into the archive, read one record at a time and written as it is read.
//!
//! Photo consent: the blog's photo guard (`blog::guard`) decides for each article, as it
//! does before showing an article to people outside its class — its pictures and videos
//! go only when no pupil tagged in it lacks an authorisation and its teacher confirmed
//! that none of the pupils without one appears (or every pupil has one). Files of the
//! cahier de textes and of the médiathèque carry no tags: their pictures and videos go
//! only when every pupil of the class has an authorisation. Sounds and documents always go.

use std::collections::HashMap;

use jiff::civil::Date;

use super::pages::{self, ArticleLine, ClassLine, FileLine, Folder, Place, Section, Shown};
use super::writer::Writer;
use super::{slug, Parts, SchoolYear, Scope};
use crate::attachments::Attachment;
use crate::blog::{guard, BlogRef};
use crate::directory::people::People;
use crate::directory::Class;
use crate::media::{Content, Item, Space};
use crate::ui::dates;

/// What every part needs to know.
struct Context<'p> {
    people: &'p People,
    year: SchoolYear,
    now: i64,
    parts: Parts,
    school: String,
    /// The archive is the whole school's: pages lead back to its index.
    school_root: bool,
}

/// Whether a file shows faces (a picture or a video), and so needs photo consent.
fn shows_faces(mime: &str) -> bool {
    mime.starts_with("image/") || mime.starts_with("video/")
}

pub(super) fn archive(
    w: &mut Writer<'_>,
    scope: Scope,
    year: SchoolYear,
    parts: Parts,
) -> anyhow::Result<()> {
    let people = People::load(w.store)?;
    let school = crate::school::get(w.store)?
        .map(|s| s.name)
        .unwrap_or_default();
    let cx = Context {
        people: &people,
        year,
        now: crate::auth::now_micros(),
        parts,
        school,
        school_root: scope == Scope::School,
    };
    w.text("style.css", pages::STYLE.as_bytes())?;
    match scope {
        Scope::Class(id) => {
            let class = people
                .class(id)
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("classe n° {id} introuvable"))?;
            class_part(w, &cx, &class, "")?;
        }
        Scope::School => {
            let mut lines = Vec::new();
            if parts.blog {
                let summary = school_blog(w, &cx)?;
                lines.push(ClassLine {
                    label: "Le blog de l'école".into(),
                    href: "ecole/index.html".into(),
                    summary,
                });
            }
            for class in &people.classes {
                let prefix = format!("classes/{}-{}/", slug(&class.label), class.id);
                let summary = class_part(w, &cx, class, &prefix)?;
                lines.push(ClassLine {
                    label: class.label.clone(),
                    href: format!("{prefix}index.html"),
                    summary,
                });
            }
            let title = format!("{} — année {}", cx.school, year.label());
            let intro = format!(
                "La mémoire de l'année {} de l'école : le blog de l'école, et pour chaque classe son blog, son cahier de textes et son espace de la médiathèque. Archive faite le {} ; elle se lit sans connexion, dans n'importe quel navigateur.",
                year.label(),
                dates::long_date(cx.now)
            );
            let place = Place {
                depth: 0,
                school_root: false,
            };
            w.page(
                "index.html",
                pages::document(place, &title, &[], pages::school_index(&intro, &lines)),
            )?;
        }
    }
    Ok(())
}

/// The school's blog, under `ecole/`: its index and its articles.
fn school_blog(w: &mut Writer<'_>, cx: &Context<'_>) -> anyhow::Result<String> {
    let place = Place {
        depth: 1,
        school_root: true,
    };
    let lines = blog(
        w,
        cx,
        BlogRef::School,
        "ecole/",
        place,
        "Le blog de l'école",
    )?;
    let title = format!("Le blog de l'école — année {}", cx.year.label());
    let intro = format!("{}, année {}.", cx.school, cx.year.label());
    let body = pages::class_index(&intro, Some(&lines), &[], true);
    w.page(
        "ecole/index.html",
        pages::document(place, &title, &[], body),
    )?;
    Ok(pages::plural(lines.len(), "article", "articles"))
}

/// A class under `prefix`: its blog, cahier de textes and médiathèque, then its index.
/// Gives the summary the school's index shows.
fn class_part(
    w: &mut Writer<'_>,
    cx: &Context<'_>,
    class: &Class,
    prefix: &str,
) -> anyhow::Result<String> {
    let place = Place {
        depth: prefix.matches('/').count(),
        school_root: cx.school_root,
    };
    let pupils = cx.people.pupils_of_class(class.id);
    let everyone_consents = guard::without_authorisation(w.store, cx.people, &pupils)?.is_empty();
    let mut sections = Vec::new();
    let mut summary = Vec::new();
    let articles = if cx.parts.blog {
        let lines = blog(w, cx, BlogRef::Class(class.id), prefix, place, &class.label)?;
        summary.push(pages::plural(lines.len(), "article", "articles"));
        Some(lines)
    } else {
        None
    };
    if cx.parts.textbook {
        let n = textbook(w, cx, class, prefix, place, everyone_consents)?;
        summary.push(pages::plural(n, "séance ou travail", "séances et travaux"));
        sections.push(Section {
            title: "Le cahier de textes",
            text: format!(
                "{} de l'année.",
                pages::plural(n, "séance ou travail", "séances et travaux")
            ),
            link: (n > 0).then(|| {
                (
                    "cahier-de-textes.html".into(),
                    "Lire le cahier de textes".into(),
                )
            }),
        });
    }
    if cx.parts.media {
        let n = media(w, cx, class, prefix, place, everyone_consents)?;
        summary.push(pages::plural(
            n,
            "fichier ou lien de la médiathèque",
            "fichiers et liens de la médiathèque",
        ));
        sections.push(Section {
            title: "La médiathèque de la classe",
            text: format!(
                "{} de l'espace de la classe.",
                pages::plural(n, "fichier ou lien", "fichiers et liens")
            ),
            link: (n > 0).then(|| ("mediatheque.html".into(), "Voir les fichiers".into())),
        });
    }
    let title = format!("{} — année {}", class.label, cx.year.label());
    let intro = format!(
        "{}, classe {} ({}). La mémoire de l'année {} : le blog de la classe, son cahier de textes et son espace de la médiathèque. Archive faite le {} ; elle se lit sans connexion, dans n'importe quel navigateur.",
        cx.school,
        class.label,
        class.levels_text(),
        cx.year.label(),
        dates::long_date(cx.now)
    );
    let body = pages::class_index(&intro, articles.as_deref(), &sections, true);
    w.page(
        &format!("{prefix}index.html"),
        pages::document(place, &title, &[], body),
    )?;
    Ok(summary.join(", "))
}

/// The articles of `blog` published during the year, one page each with its pictures
/// (those the photo guard lets out), under `{prefix}blog/`; their lines for the index.
fn blog(
    w: &mut Writer<'_>,
    cx: &Context<'_>,
    blog: BlogRef,
    prefix: &str,
    place: Place,
    label: &str,
) -> anyhow::Result<Vec<ArticleLine>> {
    let mut ids: Vec<(i64, u64)> = crate::blog::articles(w.store, blog)?
        .into_iter()
        .filter(|a| a.published(cx.now) && cx.year.holds(a.publish_at))
        .map(|a| (a.publish_at, a.id))
        .collect();
    ids.sort_unstable();
    let mut lines = Vec::new();
    let page_place = place.below();
    for (_, id) in ids {
        let Some(a) = crate::blog::article(w.store, id)? else {
            continue;
        };
        let pictures_leave = guard::verdict(w.store, cx.people, &a)? == guard::Verdict::Clear;
        let (mut shown, mut withheld, mut missing) = (Vec::new(), 0, 0);
        for (n, m) in a.media.iter().enumerate() {
            if shows_faces(&m.mime) && !pictures_leave {
                withheld += 1;
                continue;
            }
            let folder = format!("{prefix}blog/photos/");
            match w.file(&folder, &format!("{id}-{n}"), m)? {
                Some(name) => shown.push(Shown {
                    href: format!("photos/{name}"),
                    mime: m.mime.clone(),
                }),
                None => missing += 1,
            }
        }
        let view = pages::ArticleView {
            title: &a.title,
            body: &a.body,
            author: cx
                .people
                .user(a.author)
                .map(|u| u.display_name())
                .unwrap_or_default(),
            published: a.publish_at,
            media: shown,
            withheld,
            missing,
        };
        let back = [("../index.html".to_string(), label)];
        let file = format!("blog/article-{id}.html");
        w.page(
            &format!("{prefix}{file}"),
            pages::document(page_place, &a.title, &back, pages::article(&view)),
        )?;
        lines.push(ArticleLine {
            title: a.title.clone(),
            href: file,
            published: a.publish_at,
        });
    }
    Ok(lines)
}

/// The Mondays of the weeks that touch the year (from the one of the 1st of August).
fn weeks(year: SchoolYear) -> Vec<Date> {
    let (first, next) = year.days();
    let back = i64::from(first.weekday().to_monday_zero_offset());
    let mut monday = first
        .checked_sub(jiff::Span::new().days(back))
        .unwrap_or(first);
    let mut out = Vec::new();
    while monday < next {
        out.push(monday);
        match monday.checked_add(jiff::Span::new().days(7)) {
            Ok(d) => monday = d,
            Err(_) => break,
        }
    }
    out
}

/// The entries of the class shown in its cahier de textes during the week of `monday`
/// and within the year.
fn week_entries(
    store: &crate::store::Store,
    cx: &Context<'_>,
    class: u64,
    monday: Date,
) -> anyhow::Result<Vec<crate::pedagogy::textbook::Entry>> {
    let (first, next) = cx.year.days();
    let from = monday.max(first);
    let to = monday
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(next)
        .min(next);
    Ok(crate::pedagogy::textbook::of_class_between(
        store,
        class,
        &from.to_string(),
        &to.to_string(),
    )?
    .into_iter()
    .filter(|e| e.listed && e.visible(cx.now))
    .collect())
}

/// The cahier de textes of the year as one page, a section per week; its files under
/// `{prefix}cahier-de-textes/`. Read twice, a week at a time: first for the files (a ZIP
/// entry is written whole, the page cannot wait open), then for the page.
fn textbook(
    w: &mut Writer<'_>,
    cx: &Context<'_>,
    class: &Class,
    prefix: &str,
    place: Place,
    everyone_consents: bool,
) -> anyhow::Result<usize> {
    let folder = format!("{prefix}cahier-de-textes/");
    let mut files: HashMap<(u64, usize), FileLine> = HashMap::new();
    let mut count = 0;
    let mut busy_weeks = Vec::new();
    for monday in weeks(cx.year) {
        let entries = week_entries(w.store, cx, class.id, monday)?;
        if entries.is_empty() {
            continue;
        }
        busy_weeks.push(monday);
        count += entries.len();
        for e in &entries {
            for (n, a) in e.attachments.iter().enumerate() {
                let line = file_out(w, &folder, &format!("{}-{n}", e.id), a, everyone_consents)?;
                files.insert((e.id, n), line.relative_to("cahier-de-textes/"));
            }
        }
    }
    if count == 0 {
        return Ok(0);
    }
    let title = format!("Cahier de textes — {} — {}", class.label, cx.year.label());
    let back = [("index.html".to_string(), class.label.as_str())];
    let (head, tail) = pages::document_parts(place, &title, &back);
    w.start(&format!("{prefix}cahier-de-textes.html"), true)?;
    w.more(maud::PreEscaped(head))?;
    for monday in busy_weeks {
        let entries = week_entries(w.store, cx, class.id, monday)?;
        let section = maud::html! {
            section {
                h2 { "Semaine du " (dates::calendar_date(monday)) }
                @for e in &entries {
                    @let lines: Vec<FileLine> = (0..e.attachments.len()).filter_map(|n| files.remove(&(e.id, n))).collect();
                    @let when = textbook_when(e);
                    (pages::textbook_entry(&e.subject, &e.title, &when, &e.body, &lines))
                }
            }
        };
        w.more(section)?;
    }
    w.more(maud::PreEscaped(tail))?;
    Ok(count)
}

/// « Séance du 3 octobre 2025 », « Travail pour le 6 octobre 2025 (20 min) ».
fn textbook_when(e: &crate::pedagogy::textbook::Entry) -> String {
    use crate::pedagogy::textbook::EntryKind;
    let day = e
        .date()
        .map(dates::calendar_date)
        .unwrap_or_else(|| e.day.clone());
    match e.kind {
        EntryKind::Session => format!("Séance du {day}"),
        EntryKind::Work if e.minutes > 0 => {
            format!("Travail pour le {day} ({} min)", e.minutes)
        }
        EntryKind::Work => format!("Travail pour le {day}"),
    }
}

impl FileLine {
    /// The same line with its link seen from the page one folder above the file's.
    fn relative_to(self, folder: &str) -> FileLine {
        match self {
            FileLine::Written { href, name } => FileLine::Written {
                href: format!("{folder}{href}"),
                name,
            },
            other => other,
        }
    }
}

/// A file of the cahier de textes or the médiathèque into `folder`: its link (relative to
/// the folder), or why it stayed out.
fn file_out(
    w: &mut Writer<'_>,
    folder: &str,
    stem: &str,
    a: &Attachment,
    everyone_consents: bool,
) -> anyhow::Result<FileLine> {
    let name = a.name.clone();
    if shows_faces(&a.mime) && !everyone_consents {
        return Ok(FileLine::Withheld { name });
    }
    Ok(match w.file(folder, stem, a)? {
        Some(file) => FileLine::Written { href: file, name },
        None => FileLine::Missing { name },
    })
}

/// The class's space of the médiathèque (its folders, outside the trash): its files under
/// `{prefix}mediatheque/`, its page listing them by folder. Gives how many files and
/// links it holds.
fn media(
    w: &mut Writer<'_>,
    cx: &Context<'_>,
    class: &Class,
    prefix: &str,
    place: Place,
    everyone_consents: bool,
) -> anyhow::Result<usize> {
    let mut by_parent: HashMap<Option<u64>, Vec<Item>> = HashMap::new();
    for item in crate::media::in_space(w.store, Space::Class(class.id))? {
        if item.trashed.is_none() {
            by_parent.entry(item.parent).or_default().push(item);
        }
    }
    for list in by_parent.values_mut() {
        list.sort_by_key(|i| (!i.is_folder(), crate::directory::fold(&i.name)));
    }
    let folder = format!("{prefix}mediatheque/");
    let mut count = 0;
    let root = walk(
        w,
        &by_parent,
        None,
        &folder,
        everyone_consents,
        &mut count,
        0,
    )?;
    if count == 0 {
        return Ok(0);
    }
    let title = format!("Médiathèque — {} — {}", class.label, cx.year.label());
    let back = [("index.html".to_string(), class.label.as_str())];
    let body = maud::html! {
        p { "Les fichiers de l'espace de la classe dans la médiathèque, par dossier, tels qu'ils étaient le " (dates::long_date(cx.now)) "." }
        (pages::folder(&root))
    };
    w.page(
        &format!("{prefix}mediatheque.html"),
        pages::document(place, &title, &back, body),
    )?;
    Ok(count)
}

/// One folder (`None`: the space's root) and those below it, their files written.
#[allow(clippy::too_many_arguments)]
fn walk(
    w: &mut Writer<'_>,
    by_parent: &HashMap<Option<u64>, Vec<Item>>,
    parent: Option<u64>,
    folder: &str,
    everyone_consents: bool,
    count: &mut usize,
    depth: usize,
) -> anyhow::Result<Folder> {
    let mut out = Folder {
        name: String::new(),
        files: Vec::new(),
        links: Vec::new(),
        folders: Vec::new(),
    };
    // Folders nest at most this deep in the archive (a loop in damaged data ends here).
    if depth > 32 {
        return Ok(out);
    }
    for item in by_parent
        .get(&parent)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        match &item.content {
            Content::Folder => {
                let mut sub = walk(
                    w,
                    by_parent,
                    Some(item.id),
                    folder,
                    everyone_consents,
                    count,
                    depth + 1,
                )?;
                sub.name = item.name.clone();
                out.folders.push(sub);
            }
            Content::Link { url } => {
                *count += 1;
                out.links.push((item.name.clone(), url.clone()));
            }
            Content::File(f) => {
                *count += 1;
                // Pictures leave in their web version, as others receive them.
                let (blob, mime) = match &f.web {
                    Some(web) => (web.clone(), f.web_mime.clone()),
                    None => (f.blob.clone(), f.mime.clone()),
                };
                let a = Attachment {
                    blob,
                    name: item.name.clone(),
                    mime,
                    size: 0,
                };
                let stem = format!("{}-{}", item.id, slug(stem_of(&item.name)));
                let line = file_out(w, folder, &stem, &a, everyone_consents)?;
                out.files.push(line.relative_to("mediatheque/"));
            }
        }
    }
    Ok(out)
}

/// A file name without its extension.
fn stem_of(name: &str) -> &str {
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
}
