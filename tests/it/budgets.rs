//! Per-page budgets: what a page reads from the store (records decoded, counted by
//! `Store::records_read`) must not grow with the school — more classes, families and
//! years of history elsewhere — only with what the page shows. Counts, never timings.
//!
//! Each page is read at school size S (the rig's school plus one more class and a year
//! of history) and again once the school has grown to about 10×S; background jobs may
//! read at the same moment, so each figure is the minimum of a few identical requests.

use preau::directory::people::People;
use preau::directory::{self, Membership, NewUser};
use preau::policy::Profile;
use preau::store::Store;

use crate::common::{Client, Folks, TestServer};

pub const DAY: i64 = 86_400_000_000;

/// Records read by one GET of `path` (the minimum of three, so that a background job
/// reading at the same moment does not count).
async fn reads(server: &TestServer, c: &mut Client, path: &str) -> u64 {
    let store = server.store();
    let mut best = u64::MAX;
    for _ in 0..3 {
        let before = store.records_read();
        let page = c.get(path).await;
        let after = store.records_read();
        assert_eq!(page.status, 200, "GET {path}");
        best = best.min(after - before);
    }
    best
}

fn person(store: &Store, login: &str, profile: Profile) -> u64 {
    store
        .commit_checked_blocking(|tx| {
            let id = directory::create_user(
                tx,
                &NewUser {
                    login: login.into(),
                    first_name: "Prénom".into(),
                    last_name: login.into(),
                    profile,
                    functions: vec![],
                    email: None,
                    password_hash: None,
                    must_change_password: false,
                    created_at: 0,
                },
            )?;
            let mut u = directory::user_in(tx, id)?.unwrap();
            u.charter_version = 1;
            directory::save_user(tx, &u)?;
            Ok(id)
        })
        .unwrap()
}

/// A séance of the cahier de textes on `day`.
pub fn session(id: u64, class: u64, day: i64, author: u64) -> preau::pedagogy::textbook::Entry {
    preau::pedagogy::textbook::Entry {
        id,
        class,
        scope: preau::pedagogy::Scope::Class,
        kind: preau::pedagogy::textbook::EntryKind::Session,
        subject: "Mathématiques".into(),
        title: "Les fractions".into(),
        body: "Partage de bandes.".into(),
        day: preau::ui::dates::date_value(day),
        given: preau::ui::dates::date_value(day),
        minutes: 0,
        online: false,
        listed: true,
        visible_from: day - DAY,
        attachments: vec![],
        author,
        created_at: day,
        notified: true,
    }
}

/// Work of the cahier de textes given today, due tomorrow (the « Pour vous » of parents).
fn due_tomorrow(id: u64, class: u64, now: i64, author: u64) -> preau::pedagogy::textbook::Entry {
    preau::pedagogy::textbook::Entry {
        kind: preau::pedagogy::textbook::EntryKind::Work,
        day: preau::ui::dates::date_value(now + DAY),
        ..session(id, class, now, author)
    }
}

/// One more unit of school: a class of 8 pupils with a parent each and a teacher, who
/// writes to the parents, sends a mot, fills the cahier de textes and the class blog and
/// agenda; and a year of history in the school news and agenda and in the rig's CP-CE1
/// (entries of past years, which its pages must not read again).
async fn grow(store: &Store, folks: &Folks, n: u32, now: i64) {
    use preau::agenda::{Calendar, Event, Repeat};
    use preau::blog::{Article, BlogRef, Status};
    use preau::news::{Audience, News, Source};
    let class = store
        .commit_blocking(|tx| {
            directory::create_class(tx, &format!("Classe {n}"), &[directory::Level::CE2])
        })
        .unwrap();
    let teacher = person(store, &format!("maitre.{n}"), Profile::Enseignant);
    store
        .commit_checked_blocking(|tx| {
            directory::add_member(tx, class, teacher, Membership::Teacher)
        })
        .unwrap();
    for p in 0..8 {
        let pupil = person(store, &format!("eleve.{n}.{p}"), Profile::Eleve);
        let parent = person(store, &format!("parent.{n}.{p}"), Profile::Responsable);
        store
            .commit_checked_blocking(|tx| {
                directory::add_member(tx, class, pupil, Membership::Pupil)?;
                Ok(directory::link_parent(tx, parent, pupil)?)
            })
            .unwrap();
    }
    let people = People::load(store).unwrap();
    let year_ago = now - 365 * DAY * i64::from(n);
    let draft = preau::messaging::Draft {
        to: vec![preau::messaging::Target::ClassParents(class)],
        subject: format!("Sortie {n}"),
        body: "Prévoir un goûter.".into(),
        ..Default::default()
    };
    preau::messaging::send(store, &people, teacher, None, &draft, now - DAY)
        .await
        .unwrap();
    crate::common::publish_class_mot(store, teacher, class, &format!("Mot {n}"), now - DAY).await;
    store
        .commit(|tx| {
            // The school's news and agenda: last year's (expired, past), and this class's.
            for (source, audience, publish_at, expires_at) in [
                (
                    Source::School,
                    Audience::All,
                    year_ago,
                    Some(year_ago + DAY),
                ),
                (
                    Source::Class(class),
                    Audience::Classes(vec![class]),
                    now - DAY,
                    None,
                ),
            ] {
                let id = tx.next_id("news")?;
                preau::news::insert(
                    tx,
                    &News {
                        id,
                        source,
                        author: teacher,
                        title: format!("Nouvelle {id}"),
                        body: "Texte.".into(),
                        image: None,
                        audience,
                        publish_at,
                        expires_at,
                        pinned: false,
                        created_at: publish_at,
                    },
                )?;
            }
            for (calendar, start) in [
                (Calendar::School, year_ago),
                (Calendar::Class(class), now + DAY),
                (Calendar::Class(folks.cp), year_ago),
            ] {
                let id = tx.next_id("event")?;
                preau::agenda::insert(
                    tx,
                    &Event {
                        id,
                        calendar,
                        title: format!("Événement {id}"),
                        place: String::new(),
                        details: String::new(),
                        start,
                        end: start + 3_600_000_000,
                        all_day: false,
                        repeat: Repeat::Never,
                        audience: preau::news::Audience::All,
                        author: teacher,
                        created_at: start,
                        imported_uid: None,
                    },
                )?;
            }
            for (class, day) in [
                (class, now),
                (folks.cp, year_ago),
                (folks.cp, year_ago + DAY),
            ] {
                let id = tx.next_id("textbook")?;
                preau::pedagogy::textbook::insert(tx, &session(id, class, day, teacher))?;
            }
            // Work due tomorrow in this class: not for the rig's parents' home.
            let id = tx.next_id("textbook")?;
            preau::pedagogy::textbook::insert(tx, &due_tomorrow(id, class, now, teacher))?;
            let id = tx.next_id("blog_article")?;
            preau::blog::insert(
                tx,
                &Article {
                    id,
                    blog: BlogRef::Class(class),
                    author: teacher,
                    title: "Notre sortie".into(),
                    body: "Texte.".into(),
                    media: vec![],
                    status: Status::Published,
                    publish_at: now - DAY,
                    tagged: vec![],
                    created_at: now,
                    updated_at: now,
                },
            )
        })
        .await
        .unwrap();
}

/// What the rig's people have in S: a message and a mot to Lou's parents, a news item,
/// an event and an entry of this week, an article of the CP-CE1 blog.
async fn content(server: &TestServer, folks: &Folks) -> (u64, u64, u64) {
    let store = server.store();
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    let people = People::load(&store).unwrap();
    let now = preau::auth::now_micros();
    let draft = preau::messaging::Draft {
        to: vec![preau::messaging::Target::ClassParents(folks.cp)],
        subject: "Réunion".into(),
        body: "Jeudi à 18 h.".into(),
        ..Default::default()
    };
    preau::messaging::send(&store, &people, folks.director, None, &draft, now - DAY)
        .await
        .unwrap();
    let message = preau::messaging::mailbox(&store, folks.marc).unwrap()[0]
        .0
        .id;
    let actor = people.actor_of(folks.director, now).unwrap();
    let to = preau::liaison::access::publish_to(
        &actor,
        &people,
        vec![preau::liaison::Audience::Class(folks.cp)],
    )
    .unwrap();
    let mot = preau::liaison::NewMot {
        title: "Piscine".into(),
        body: "Merci de signer.".into(),
        question: Some("J'autorise.".into()),
        deadline: None,
        attachments: vec![],
    };
    let mot = preau::liaison::publish(&store, &people, &to, &mot, now - DAY)
        .await
        .unwrap();
    director.get("/blog").await;
    // The CP-CE1's last two weeks in the cahier de textes.
    store
        .commit(|tx| {
            for d in 0..10 {
                let id = tx.next_id("textbook")?;
                preau::pedagogy::textbook::insert(
                    tx,
                    &session(id, folks.cp, now - d * DAY, folks.director),
                )?;
            }
            // Lou's work due tomorrow, on her parents' home.
            let id = tx.next_id("textbook")?;
            preau::pedagogy::textbook::insert(
                tx,
                &due_tomorrow(id, folks.cp, now, folks.director),
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let article = {
        use preau::blog::{Article, BlogRef, Status};
        store
            .commit(|tx| {
                let id = tx.next_id("blog_article")?;
                preau::blog::insert(
                    tx,
                    &Article {
                        id,
                        blog: BlogRef::Class(folks.cp),
                        author: folks.director,
                        title: "À la piscine".into(),
                        body: "Texte.".into(),
                        media: vec![],
                        status: Status::Published,
                        publish_at: now - DAY,
                        tagged: vec![],
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                Ok(id)
            })
            .await
            .unwrap()
    };
    (message, mot, article)
}

/// The pages measured, as (who, path).
fn pages(folks: &Folks, message: u64, mot: u64, article: u64) -> Vec<(&'static str, String)> {
    let d = crate::common::DIRECTOR_LOGIN;
    vec![
        ("marc.petit", "/accueil".into()),
        ("lou.petit", "/accueil".into()),
        (d, "/accueil".into()),
        ("marc.petit", "/messagerie".into()),
        ("marc.petit", format!("/messagerie/{message}")),
        ("marc.petit", "/carnet".into()),
        (d, "/carnet".into()),
        (d, format!("/carnet/{mot}/suivi")),
        ("marc.petit", "/cahier-de-textes".into()),
        (d, "/cahier-de-textes".into()),
        ("lou.petit", "/devoirs".into()),
        ("lou.petit", "/classeur".into()),
        ("lou.petit", "/exercices".into()),
        ("marc.petit", "/blog".into()),
        ("marc.petit", format!("/blog/article/{article}")),
        ("marc.petit", format!("/blog/classe-{}", folks.cp)),
        (d, "/blog".into()),
        (d, format!("/mediatheque/espace/classe-{}", folks.cp)),
        ("marc.petit", "/agenda".into()),
        ("marc.petit", "/actualites".into()),
        ("marc.petit", "/notifications".into()),
        (d, format!("/classes/{}", folks.cp)),
        ("marc.petit", format!("/eleves/{}", folks.lou)),
    ]
}

async fn measure(
    server: &TestServer,
    clients: &mut std::collections::HashMap<&'static str, Client>,
    pages: &[(&'static str, String)],
) -> Vec<u64> {
    let mut out = Vec::new();
    for (who, path) in pages {
        if !clients.contains_key(who) {
            clients.insert(who, server.signed_in(who).await);
        }
        let c = clients.get_mut(who).unwrap();
        out.push(reads(server, c, path).await);
    }
    out
}

/// Pages that list what the whole school has, so that their reads grow with it: the
/// director's overview of every school mot, and the director's home, which picks the 5
/// newest of every class's news still on (pagination is another item of issue 15).
const GROW_WITH_THE_SCHOOL: &[(&str, &str)] = &[
    (crate::common::DIRECTOR_LOGIN, "/carnet"),
    (crate::common::DIRECTOR_LOGIN, "/accueil"),
];

/// Every module's main page, at S and at ~10×S: a page reads the same number of records
/// when only the rest of the school grew (what it shows did not change). The table is
/// printed (`cargo test --test it budgets -- --nocapture`).
#[tokio::test]
async fn pages_read_what_they_show_not_the_whole_school() {
    let (server, folks) = TestServer::school().await;
    let store = server.store();
    let now = preau::auth::now_micros();
    let (message, mot, article) = content(&server, &folks).await;
    grow(&store, &folks, 1, now).await;
    let pages = pages(&folks, message, mot, article);
    let mut clients = std::collections::HashMap::new();
    let small = measure(&server, &mut clients, &pages).await;
    for n in 2..=10 {
        grow(&store, &folks, n, now).await;
    }
    let large = measure(&server, &mut clients, &pages).await;
    println!("| page | as | records read at S | at 10×S |");
    println!("|---|---|---|---|");
    let mut grown = Vec::new();
    for (((who, path), s), l) in pages.iter().zip(&small).zip(&large) {
        println!("| {path} | {who} | {s} | {l} |");
        if l > s && !GROW_WITH_THE_SCHOOL.contains(&(*who, path.as_str())) {
            grown.push(format!("{path} ({who}): {s} → {l}"));
        }
    }
    assert!(
        grown.is_empty(),
        "pages whose reads grow with the school: {grown:#?}"
    );
}
