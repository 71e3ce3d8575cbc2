//! The home of the youngest pupils (cycle 1 and CP), who read little or not at all: their
//! class (a picture, its name, the teacher's name), the work of today and tomorrow, the
//! newest articles of their class's blog, then one big tile per service — a pictogram and
//! one word. Each word and each line has its « Écouter » button. Older pupils keep the
//! usual home.
//!
//! The tiles are the home's own list of services (`super::render`'s `services`): whatever
//! decides which services a person has decides it here too. A class has no picture of its
//! own (the login board shows classes by name): the class shows a neutral drawing of a
//! blackboard beside its name.

use maud::{html, Markup};

use super::family::{self, WorkShown};
use crate::app::App;
use crate::auth::web::Member;
use crate::blog::access::Reader;
use crate::blog::{self, BlogRef};
use crate::directory::people::People;
use crate::directory::{Level, User};
use crate::error::AppResult;
use crate::news::Viewer;
use crate::pedagogy::textbook::{self, EntryHead};
use crate::policy::Profile;
use crate::school::{School, Service};
use crate::ui::{assets, dates, listen};

/// How many of the class blog's articles the home shows.
const POSTS: usize = 3;
/// Days of work read from today: today and the three after it, so that on a Friday the
/// next school day (Monday) is among them.
const DAYS_READ: i64 = 4;

/// Whether a level is one of cycle 1's or CP's: the children who learn to read.
fn learns_to_read(level: Level) -> bool {
    matches!(
        level,
        Level::TPS | Level::PS | Level::MS | Level::GS | Level::CP
    )
}

/// Whether a pupil gets this home: by their own level when the school knows it (a CE1 of a
/// CP-CE1 class reads), otherwise by their classes' levels.
fn young(own: Option<Level>, class_levels: &[Level]) -> bool {
    match own {
        Some(level) => learns_to_read(level),
        None => class_levels.iter().copied().any(learns_to_read),
    }
}

/// Whether `user`, of classes `class_ids`, gets the kid home.
pub fn is_for(people: &People, user: &User, class_ids: &[u64]) -> bool {
    if user.profile != Profile::Eleve {
        return false;
    }
    let class_levels: Vec<Level> = class_ids
        .iter()
        .filter_map(|c| people.class(*c))
        .flat_map(|c| c.levels.iter().copied())
        .collect();
    young(people.levels.get(&user.id).copied(), &class_levels)
}

/// The one word of a service's tile.
fn word(s: Service) -> &'static str {
    match s {
        Service::Messagerie => "Messages",
        Service::Carnet => "Carnet",
        Service::Actualites => "Nouvelles",
        Service::Agenda => "Agenda",
        Service::Blog => "Blog",
        Service::Mediatheque => "Photos",
        Service::CahierDeTextes => "Travail",
        Service::Devoirs => "Devoirs",
        Service::Classeur => "Leçons",
        Service::Exercices => "Exercices",
        Service::Cantine => "Cantine",
        Service::Absences => "Absences",
        Service::Rendezvous => "Rendez-vous",
        Service::Commune => "Commune",
        Service::Suivi => "Réussites",
    }
}

/// The tiles' order: what a child opens most, first.
fn rank(s: Service) -> usize {
    [
        Service::CahierDeTextes,
        Service::Exercices,
        Service::Blog,
        Service::Mediatheque,
        Service::Classeur,
        Service::Devoirs,
        Service::Messagerie,
        Service::Cantine,
        Service::Agenda,
        Service::Actualites,
        Service::Carnet,
        Service::Absences,
        Service::Rendezvous,
        Service::Commune,
        Service::Suivi,
    ]
    .iter()
    .position(|x| *x == s)
    .unwrap_or(usize::MAX)
}

fn picto(s: Service) -> String {
    assets::url(&format!("img/services/{}.svg", s.slug()))
}

struct Class {
    label: String,
    teachers: Vec<String>,
}

struct Work {
    head: EntryHead,
    /// « Pour aujourd'hui », « Pour demain », « Pour lundi ».
    when: String,
    done: bool,
    link: String,
}

struct Post {
    id: u64,
    title: String,
    /// The index of its first picture among its media.
    picture: Option<usize>,
}

/// What the page shows, gathered before it is drawn.
struct KidHome<'a> {
    first_name: &'a str,
    avatar: Option<u8>,
    today: String,
    classes: Vec<Class>,
    /// `None` when neither the cahier de textes nor the devoirs are open.
    work: Option<Vec<Work>>,
    /// `None` when the blog is not open or no class blog may be read.
    posts: Option<(Vec<Post>, String)>,
    tiles: Vec<Service>,
}

/// The kid home of `member`, a pupil for whom [`is_for`] holds.
pub fn render(
    app: &App,
    member: &Member,
    people: &People,
    school: Option<&School>,
    services: &[Service],
    now: i64,
) -> AppResult<Markup> {
    let user = member.user();
    let class_ids = &member.actor().class_ids;
    let classes = class_ids
        .iter()
        .filter_map(|c| people.class(*c))
        .map(|c| Class {
            label: c.label.clone(),
            teachers: people
                .teachers_of_class(c.id)
                .iter()
                .filter_map(|t| people.user(*t))
                .map(|u| u.display_name())
                .collect(),
        })
        .collect();
    let shown = WorkShown {
        textbook: services.contains(&Service::CahierDeTextes),
        devoirs: services.contains(&Service::Devoirs),
    };
    let work = if shown.textbook || shown.devoirs {
        let due = family::due_between(&app.store, people, user.id, shown, now, (0, DAYS_READ))?;
        let mut out = Vec::new();
        for head in today_and_next_day(due, now) {
            out.push(Work {
                when: when(&head, now),
                done: textbook::is_done(&app.store, head.id, user.id)?,
                link: family::link(&head, shown),
                head,
            });
        }
        Some(out)
    } else {
        None
    };
    let posts = if services.contains(&Service::Blog) {
        class_posts(app, member, people, now)?
    } else {
        None
    };
    let mut tiles = services.to_vec();
    tiles.sort_by_key(|s| rank(*s));
    let home = KidHome {
        first_name: &user.first_name,
        avatar: crate::directory::pupil(&app.store, user.id)?.and_then(|r| r.avatar),
        today: dates::long_date(now),
        classes,
        work,
        posts,
        tiles,
    };
    Ok(App::page_of(
        school,
        &member.visitor,
        "Accueil",
        "/accueil",
        view(&home),
    ))
}

/// The newest published articles of the blogs of the pupil's classes that the pupil may
/// read, asked of the blog's own access rules; and the address of the first such blog.
fn class_posts(
    app: &App,
    member: &Member,
    people: &People,
    now: i64,
) -> AppResult<Option<(Vec<Post>, String)>> {
    let reader = Reader::Member(&member.me, Viewer::of_actor(&app.store, member.actor())?);
    let mut found = Vec::new();
    let mut first_blog = None;
    for c in &member.actor().class_ids {
        let b = BlogRef::Class(*c);
        let settings = blog::settings(&app.store, b)?;
        if !reader.may_read(b, &settings) {
            continue;
        }
        first_blog.get_or_insert_with(|| format!("/blog/{}", b.code()));
        for a in blog::newest_articles(&app.store, b, POSTS, |a| a.published(now))? {
            if reader.may_see(&app.store, people, &a, &settings, now)? {
                found.push(a);
            }
        }
    }
    let Some(address) = first_blog else {
        return Ok(None);
    };
    found.sort_by_key(|a| std::cmp::Reverse((a.publish_at, a.id)));
    found.truncate(POSTS);
    let posts = found
        .into_iter()
        .map(|a| Post {
            id: a.id,
            picture: a.media.iter().position(|m| m.mime.starts_with("image/")),
            title: a.title,
        })
        .collect();
    Ok(Some((posts, address)))
}

/// The work due today and on the first later day that has some (by day, as read).
fn today_and_next_day(due: Vec<EntryHead>, now: i64) -> Vec<EntryHead> {
    let today = dates::date_value(now);
    let next = due.iter().map(|e| e.day.clone()).find(|d| *d > today);
    due.into_iter()
        .filter(|e| e.day == today || Some(&e.day) == next.as_ref())
        .collect()
}

fn when(e: &EntryHead, now: i64) -> String {
    let today = dates::local_day_and_hour(now).0;
    match e.date() {
        Some(d) if d == today => "Pour aujourd'hui".into(),
        Some(d) if Some(d) == today.tomorrow().ok() => "Pour demain".into(),
        Some(d) => format!("Pour {}", dates::weekday_fr(d.weekday())),
        None => format!("Pour le {}", e.day),
    }
}

fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn view(h: &KidHome<'_>) -> Markup {
    html! {
        div.kid {
            div.kid-hello {
                @if let Some(a) = h.avatar { (crate::board::avatar_img(a, 64)) }
                div {
                    p.kicker { (capitalized(&h.today)) }
                    h1 { "Bonjour " (h.first_name) }
                }
            }
            @for (i, c) in h.classes.iter().enumerate() {
                section.kid-class aria-labelledby=(format!("classe-{i}-titre")) {
                    img src=(assets::url("img/classe.svg")) alt="" width="96" height="96";
                    div id=(format!("classe-{i}")) {
                        h2 id=(format!("classe-{i}-titre")) { "Ma classe : " (c.label) }
                        @if !c.teachers.is_empty() { p { "Avec " (c.teachers.join(" et ")) } }
                    }
                    (listen::button(&format!("classe-{i}")))
                }
            }
            @if let Some(work) = &h.work {
                section.kid-work aria-labelledby="travail-titre" {
                    h2 #travail-titre {
                        img src=(picto(Service::CahierDeTextes)) alt="" width="48" height="48";
                        " Mon travail"
                    }
                    @if work.is_empty() {
                        p.kid-none #travail-rien { "Pas de travail à faire pour l'instant." }
                        (listen::button("travail-rien"))
                    } @else {
                        ul.kid-list {
                            @for w in work {
                                li {
                                    a href=(w.link) id=(format!("travail-{}", w.head.id)) {
                                        span.kid-when { (w.when) }
                                        " : " (w.head.subject) ", " (w.head.title)
                                        @if w.done { " " span.badge { "fait" } }
                                    }
                                    (listen::button(&format!("travail-{}", w.head.id)))
                                }
                            }
                        }
                    }
                }
            }
            @if let Some((posts, address)) = &h.posts {
                section.kid-blog aria-labelledby="blog-titre" {
                    h2 #blog-titre {
                        img src=(picto(Service::Blog)) alt="" width="48" height="48";
                        " Le blog de la classe"
                    }
                    @if posts.is_empty() {
                        p.kid-none { "Pas encore d'article." }
                    } @else {
                        ul.kid-posts {
                            @for p in posts {
                                li {
                                    a href=(format!("/blog/article/{}", p.id)) {
                                        @match p.picture {
                                            Some(i) => img src=(format!("/blog/article/{}/media/{i}", p.id)) alt="" loading="lazy";,
                                            None => img.kid-nopicture src=(picto(Service::Blog)) alt="";,
                                        }
                                        span id=(format!("article-{}", p.id)) { (p.title) }
                                    }
                                    (listen::button(&format!("article-{}", p.id)))
                                }
                            }
                        }
                    }
                    p { a href=(address) { "Tout le blog" } }
                }
            }
            section.kid-services aria-labelledby="services-titre" {
                h2 #services-titre { "Mes services" }
                @if h.tiles.is_empty() {
                    p.kid-none { "Rien n'est encore ouvert." }
                } @else {
                    ul.kid-tiles {
                        @for s in &h.tiles {
                            li {
                                a href=(s.path()) {
                                    img src=(picto(*s)) alt="" width="96" height="96";
                                    span id=(format!("tuile-{}", s.slug())) { (word(*s)) }
                                }
                                (listen::button(&format!("tuile-{}", s.slug())))
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_one_and_cp_get_it_by_their_own_level_first() {
        assert!(young(Some(Level::PS), &[]));
        assert!(young(Some(Level::CP), &[Level::CP, Level::CE1]));
        assert!(!young(Some(Level::CE1), &[Level::CP, Level::CE1]));
        assert!(young(None, &[Level::GS, Level::CP]));
        assert!(young(None, &[Level::CP, Level::CE1]));
        assert!(!young(None, &[Level::CE1, Level::CE2]));
        assert!(!young(None, &[]));
    }

    #[test]
    fn every_service_has_one_word_and_an_embedded_pictogram() {
        for s in Service::ALL {
            assert!(!word(s).contains(' '), "{s:?}: one word");
            let name = format!("img/services/{}.svg", s.slug());
            assert!(assets::Assets::get(&name).is_some(), "{name}");
            assert!(picto(s).contains("?v="), "{s:?}: versioned");
            assert!(rank(s) < usize::MAX, "{s:?} has its place");
        }
        assert!(assets::Assets::get("img/classe.svg").is_some());
    }
}
