//! Pedagogy over HTTP: differentiation (class, level, group), who sees whose work, the
//! hand-in flow as seen by pupil, parents and teacher, exercises corrected on the server.
//! The tests are grouped by theme in the submodules; the school rig and helpers they share
//! live here.

mod assignments;
mod exercises;
mod hand_ins;

use crate::common::{Client, Folks, TestServer, FOLKS_PASSWORD};
use preau::directory::{self, Level};

struct School {
    server: TestServer,
    f: Folks,
    reading_group: u64,
    eva: u64,
}

/// The rig's school, with Lou in CP and Tom in CE1 (the class is CP-CE1), a reading group
/// with Lou only, and Eva of the périscolaire who has Tom at the étude.
async fn school() -> School {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let hash = preau::auth::password::hash_blocking(FOLKS_PASSWORD, 4).unwrap();
    let (reading_group, eva) = store
        .commit_checked_blocking(|tx| {
            for (pupil, level) in [(f.lou, Level::CP), (f.tom, Level::CE1)] {
                let u = directory::user_in(tx, pupil)?.unwrap();
                directory::save_pupil(
                    tx,
                    &u,
                    &directory::PupilRecord {
                        user_id: pupil,
                        ine: None,
                        birth_date: "2019-01-01".into(),
                        sex: None,
                        level: Some(level),
                        cycle: None,
                        onde_class_id: None,
                        photo_consent_declared: None,
                        leaving: None,
                        avatar: None,
                        picture_hash: None,
                        card_token_hash: None,
                    },
                )?;
            }
            let reading = directory::create_group(tx, "Lecture", "")?;
            directory::add_to_group(tx, reading, f.lou)?;
            let eva = directory::create_user(
                tx,
                &directory::NewUser {
                    login: "eva.garde".into(),
                    first_name: "Eva".into(),
                    last_name: "Garde".into(),
                    profile: preau::policy::Profile::Periscolaire,
                    functions: vec![],
                    email: None,
                    password_hash: Some(hash.clone()),
                    must_change_password: false,
                    created_at: 0,
                },
            )?;
            let mut u = directory::user_in(tx, eva)?.unwrap();
            u.charter_version = 1;
            directory::save_user(tx, &u)?;
            let etude = directory::create_group(tx, "Étude du soir", "")?;
            directory::add_to_group(tx, etude, eva)?;
            directory::add_to_group(tx, etude, f.tom)?;
            Ok((reading, eva))
        })
        .unwrap();
    store.flush_blocking().unwrap();
    School {
        server,
        f,
        reading_group,
        eva,
    }
}

pub(crate) fn day(offset: i64) -> String {
    preau::ui::dates::date_value(preau::auth::now_micros() + offset * 86_400_000_000)
}

/// Gives work in the director's class and returns its id.
pub(crate) async fn give(c: &mut Client, class: u64, fields: &[(&str, &str)]) -> u64 {
    c.get(&format!(
        "/cahier-de-textes/nouveau?classe={class}&type=travail"
    ))
    .await;
    let today = day(0);
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    for (k, v) in [
        ("subject", "Français"),
        ("minutes", "10"),
        ("given", today.as_str()),
        ("listed", "1"),
    ] {
        if !fields.iter().any(|(f, _)| *f == k) {
            all.push((k, v));
        }
    }
    let r = c
        .post_multipart(
            &format!("/cahier-de-textes/nouveau?classe={class}&type=travail"),
            &all,
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let week = c.get(&r.location.unwrap()).await.body;
    let title = fields.iter().find(|(k, _)| *k == "title").unwrap().1;
    let i = week
        .find(&format!(">{title}<"))
        .unwrap_or_else(|| panic!("{title} not in the week"));
    let start = week[..i].rfind("/cahier-de-textes/").unwrap() + "/cahier-de-textes/".len();
    week[start..i].trim_end_matches('"').parse().unwrap()
}
