//! Pedagogy over HTTP: differentiation (class, level, group), who sees whose work, the
//! hand-in flow as seen by pupil, parents and teacher, exercises corrected on the server.

use crate::common::{Client, Folks, TestServer, DIRECTOR_LOGIN, FOLKS_PASSWORD};
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

fn day(offset: i64) -> String {
    preau::ui::dates::date_value(preau::auth::now_micros() + offset * 86_400_000_000)
}

/// Gives work in the director's class and returns its id.
async fn give(c: &mut Client, class: u64, fields: &[(&str, &str)]) -> u64 {
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

#[tokio::test]
async fn each_pupil_sees_the_work_of_their_level_and_group_and_each_adult_their_pupils() {
    let s = school().await;
    let f = &s.f;
    let mut director = s.server.signed_in(DIRECTOR_LOGIN).await;
    let tomorrow = day(1);
    let ce1 = give(
        &mut director,
        f.cp,
        &[
            ("scope", "niveau-CE1"),
            ("title", "Lire page 12"),
            ("day", &tomorrow),
            ("body", "Lire deux fois."),
        ],
    )
    .await;
    let group = format!("groupe-{}", s.reading_group);
    let fiche = give(
        &mut director,
        f.cp,
        &[
            ("scope", &group),
            ("title", "Fiche de lecture"),
            ("day", &tomorrow),
            ("body", "Finir la fiche."),
        ],
    )
    .await;
    let all = give(
        &mut director,
        f.cp,
        &[
            ("scope", "classe"),
            ("title", "Poésie"),
            ("day", &tomorrow),
            ("body", "Apprendre la première strophe."),
        ],
    )
    .await;

    let mut lou = s.server.signed_in("lou.petit").await;
    let page = lou.get("/cahier-de-textes").await.body;
    assert!(page.contains("Fiche de lecture") && page.contains("Poésie"));
    assert!(!page.contains("Lire page 12"), "not her level");
    assert_eq!(
        lou.get(&format!("/cahier-de-textes/{ce1}")).await.status,
        403
    );
    let mut tom = s.server.signed_in("tom.bernard").await;
    let page = tom.get("/cahier-de-textes").await.body;
    assert!(page.contains("Lire page 12") && page.contains("Poésie"));
    assert!(!page.contains("Fiche de lecture"), "not his group");
    let mut marc = s.server.signed_in("marc.petit").await;
    let page = marc.get("/cahier-de-textes").await.body;
    assert!(
        page.contains("Fiche de lecture") && !page.contains("Lire page 12"),
        "a parent sees their child's"
    );
    assert_eq!(
        marc.get(&format!("/cahier-de-textes/{ce1}")).await.status,
        403
    );
    let mut eva = s.server.signed_in("eva.garde").await;
    let page = eva.get("/cahier-de-textes").await.body;
    assert!(
        page.contains("Lire page 12"),
        "the étude sees Tom's work: {page}"
    );
    assert!(
        !page.contains("Fiche de lecture"),
        "not Lou's: she is not in her care"
    );
    assert_eq!(
        eva.get(&format!("/cahier-de-textes/{fiche}")).await.status,
        403
    );
    assert_eq!(
        eva.get(&format!("/cahier-de-textes/{ce1}")).await.status,
        200
    );
    for login in ["zoe.leroy", "ines.leroy", "paul.durand"] {
        let mut other = s.server.signed_in(login).await;
        assert_eq!(
            other.get(&format!("/cahier-de-textes/{all}")).await.status,
            403,
            "{login}"
        );
    }
    let _ = s.eva;

    // « Fait », counted for the teacher.
    tom.get("/cahier-de-textes").await;
    tom.post(&format!("/cahier-de-textes/{ce1}/fait"), &[])
        .await;
    assert!(director
        .get(&format!("/cahier-de-textes/{ce1}"))
        .await
        .body
        .contains("<strong>1 / 1</strong>"));
    assert_eq!(
        lou.post(&format!("/cahier-de-textes/{ce1}/fait"), &[])
            .await
            .status,
        403
    );

    // Planned ahead: invisible until its day.
    let later = day(7);
    let planned = give(
        &mut director,
        f.cp,
        &[
            ("scope", "classe"),
            ("title", "Exposé"),
            ("day", &day(14)),
            ("body", "Préparer l'exposé."),
            ("visible_from", &later),
        ],
    )
    .await;
    assert!(!lou.get("/cahier-de-textes").await.body.contains("Exposé"));
    assert_eq!(
        lou.get(&format!("/cahier-de-textes/{planned}"))
            .await
            .status,
        403
    );
    let store = s.server.store();
    let people = directory::people::People::load(&store).unwrap();
    assert_eq!(
        preau::pedagogy::textbook::publish_due(
            &store,
            &people,
            preau::auth::now_micros() + 8 * 86_400_000_000
        )
        .unwrap(),
        1
    );

    // A heavy day is flagged for the teacher.
    let heavy = day(2);
    give(
        &mut director,
        f.cp,
        &[
            ("scope", "classe"),
            ("title", "Problèmes"),
            ("day", &heavy),
            ("body", "Faire 1 à 5."),
            ("minutes", "30"),
        ],
    )
    .await;
    give(
        &mut director,
        f.cp,
        &[
            ("scope", "classe"),
            ("title", "Dictée"),
            ("day", &heavy),
            ("body", "Revoir les mots."),
            ("minutes", "30"),
        ],
    )
    .await;
    let week = director
        .get(&format!(
            "/cahier-de-textes?classe={}&semaine={heavy}",
            f.cp
        ))
        .await
        .body;
    assert!(week.contains("Journée chargée"), "{week}");
}

#[tokio::test]
async fn bad_work_is_refused_and_kept() {
    let s = school().await;
    let mut director = s.server.signed_in(DIRECTOR_LOGIN).await;
    let path = format!("/cahier-de-textes/nouveau?classe={}&type=travail", s.f.cp);
    director.get(&path).await;
    let r = director
        .post_multipart(
            &path,
            &[
                ("scope", "classe"),
                ("subject", "Français"),
                ("title", "Rédaction"),
                ("given", &day(3)),
                ("day", &day(1)),
                ("body", ""),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("ne peut pas être pour un jour avant"));
    assert!(r.body.contains("Les consignes sont vides"));
    assert!(
        r.body.contains("value=\"Rédaction\""),
        "the title typed stays"
    );
    for extreme in ["9999-12-31", "-009999-01-01", "2026-13-01"] {
        let page = director
            .get(&format!(
                "/cahier-de-textes?classe={}&semaine={extreme}",
                s.f.cp
            ))
            .await;
        assert_eq!(page.status, 200, "{extreme}");
    }
    let r = director
        .post_multipart(
            &path,
            &[
                ("scope", "classe"),
                ("subject", "Français"),
                ("title", "Loin"),
                ("given", "9999-12-31"),
                ("day", "9999-12-31"),
                ("body", "x"),
                ("listed", "1"),
                ("visible_from", "9999-12-31"),
            ],
            &[],
        )
        .await;
    assert!(r.status == 303 || r.status == 400, "{}", r.status);
    // Someone who teaches no class cannot give work.
    let mut marc = s.server.signed_in("marc.petit").await;
    assert_eq!(marc.get(&path).await.status, 403);
    let mut paul = s.server.signed_in("paul.durand").await;
    assert_eq!(paul.get(&path).await.status, 403, "another class");
}

/// A tiny WebM file (EBML header with the « webm » doctype): a browser recording.
fn webm() -> Vec<u8> {
    let mut v = vec![
        0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81, 0x01, 0x42, 0xF2,
        0x81, 0x04, 0x42, 0xF3, 0x81, 0x08, 0x42, 0x82, 0x84,
    ];
    v.extend_from_slice(b"webm");
    v.extend_from_slice(&[0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02]);
    v.resize(4000, 0);
    v
}

#[tokio::test]
async fn a_hand_in_goes_back_and_forth_and_everyone_sees_the_same_status() {
    let s = school().await;
    let f = &s.f;
    let mut director = s.server.signed_in(DIRECTOR_LOGIN).await;
    let id = give(
        &mut director,
        f.cp,
        &[
            ("scope", "classe"),
            ("title", "Lire à voix haute"),
            ("day", &day(2)),
            ("body", "Enregistre-toi en lisant le texte."),
            ("online", "1"),
        ],
    )
    .await;
    let mut lou = s.server.signed_in("lou.petit").await;
    assert!(lou.get("/devoirs").await.body.contains("À rendre"));
    lou.get(&format!("/devoirs/{id}")).await;
    let empty = lou
        .post_multipart(&format!("/devoirs/{id}/rendre"), &[("text", "  ")], &[])
        .await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("Ton travail est vide"));
    // The recording goes as a sound (the browser says audio/webm).
    let mut form = reqwest::multipart::Form::new().text("text", "J'ai lu le texte.");
    form = form.part(
        "files",
        reqwest::multipart::Part::bytes(webm())
            .file_name("enregistrement.webm")
            .mime_str("audio/webm")
            .unwrap(),
    );
    let r = lou
        .http
        .post(format!(
            "{}/devoirs/{id}/rendre?_csrf={}",
            lou.base, lou.csrf
        ))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let mine = lou.get(&format!("/devoirs/{id}")).await.body;
    assert!(
        mine.contains("Rendu le") && mine.contains("<audio"),
        "{mine}"
    );
    // Parents see it; another family does not.
    for parent in ["marc.petit", "anne.petit"] {
        let mut p = s.server.signed_in(parent).await;
        assert!(
            p.get("/devoirs").await.body.contains("Rendu le"),
            "{parent}"
        );
        let page = p.get(&format!("/devoirs/{id}?eleve={}", f.lou)).await;
        assert!(
            page.body.contains("J&#39;ai lu le texte.") || page.body.contains("J'ai lu le texte.")
        );
        assert!(
            !page.body.contains("Rendre mon travail"),
            "a parent does not hand in"
        );
        let sound = p
            .http
            .get(format!(
                "{}/devoirs/{id}/eleve/{}/fichier?v=0&n=0",
                p.base, f.lou
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(sound.headers()["content-type"], "audio/webm");
    }
    let mut ines = s.server.signed_in("ines.leroy").await;
    assert_eq!(
        ines.get(&format!("/devoirs/{id}?eleve={}", f.lou))
            .await
            .status,
        403
    );
    assert_eq!(
        ines.get(&format!("/devoirs/{id}/eleve/{}/fichier?v=0&n=0", f.lou))
            .await
            .status,
        403
    );
    let mut tom = s.server.signed_in("tom.bernard").await;
    assert_eq!(
        tom.get(&format!("/devoirs/{id}/eleve/{}/fichier?v=0&n=0", f.lou))
            .await
            .status,
        403,
        "a classmate"
    );
    assert_eq!(
        tom.get(&format!("/devoirs/{id}/eleve/{}", f.lou))
            .await
            .status,
        403
    );

    // The teacher asks for a new version, then returns it corrected.
    let table = director.get(&format!("/devoirs/{id}")).await.body;
    assert!(
        table.contains("Rendu le") && table.contains("À rendre"),
        "Lou handed in, Tom not yet"
    );
    director
        .get(&format!("/devoirs/{id}/eleve/{}", f.lou))
        .await;
    let r = director
        .post_multipart(
            &format!("/devoirs/{id}/eleve/{}/retour", f.lou),
            &[("text", ""), ("action", "nouvelle-version")],
            &[],
        )
        .await;
    assert_eq!(r.status, 400, "say what to redo");
    let r = director
        .post_multipart(
            &format!("/devoirs/{id}/eleve/{}/retour", f.lou),
            &[
                ("text", "Lis plus lentement."),
                ("action", "nouvelle-version"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(lou
        .get("/devoirs")
        .await
        .body
        .contains("Nouvelle version demandée"));
    lou.get(&format!("/devoirs/{id}")).await;
    lou.post_multipart(
        &format!("/devoirs/{id}/rendre"),
        &[("text", "Deuxième lecture.")],
        &[],
    )
    .await;
    director
        .get(&format!("/devoirs/{id}/eleve/{}", f.lou))
        .await;
    director
        .post_multipart(
            &format!("/devoirs/{id}/eleve/{}/retour", f.lou),
            &[("text", "Bravo, c'est fluide."), ("action", "corrige")],
            &[("files", "retour.webm", webm())],
        )
        .await;
    let mut marc = s.server.signed_in("marc.petit").await;
    let page = marc
        .get(&format!("/devoirs/{id}?eleve={}", f.lou))
        .await
        .body;
    assert!(
        page.contains("Corrigé") && page.contains("Bravo") && page.contains("Version 2"),
        "{page}"
    );
    lou.get(&format!("/devoirs/{id}")).await;
    let late = lou
        .post_multipart(&format!("/devoirs/{id}/rendre"), &[("text", "Encore")], &[])
        .await;
    assert_eq!(late.status, 400);
    assert!(late.body.contains("déjà été corrigé"));
    assert!(lou
        .get("/notifications")
        .await
        .body
        .contains("Travail corrigé"));
}

#[tokio::test]
async fn an_oversized_hand_in_is_refused_with_the_text_kept() {
    let s = school().await;
    let mut director = s.server.signed_in(DIRECTOR_LOGIN).await;
    let id = give(
        &mut director,
        s.f.cp,
        &[
            ("scope", "classe"),
            ("title", "Exposé"),
            ("day", &day(2)),
            ("body", "Envoie ton exposé."),
            ("online", "1"),
        ],
    )
    .await;
    director.get("/admin/mediatheque").await;
    director
        .post("/admin/mediatheque", &[("f-eleve", "1")])
        .await;
    let mut lou = s.server.signed_in("lou.petit").await;
    lou.get(&format!("/devoirs/{id}")).await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(1_500_000, b' ');
    let r = lou
        .post_multipart(
            &format!("/devoirs/{id}/rendre"),
            &[("text", "Mon exposé sur les volcans")],
            &[("files", "expose.pdf", big)],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("trop lourd"));
    assert!(
        r.body.contains("Mon exposé sur les volcans"),
        "nothing typed is lost"
    );
    // A recording that arrived with a refused file is kept and offered again.
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(1_500_000, b' ');
    let mut form = reqwest::multipart::Form::new().text("text", "Avec ma voix");
    form = form.part(
        "files",
        reqwest::multipart::Part::bytes(webm())
            .file_name("voix.webm")
            .mime_str("audio/webm")
            .unwrap(),
    );
    form = form.part(
        "files",
        reqwest::multipart::Part::bytes(big).file_name("expose.pdf"),
    );
    let r = lou
        .http
        .post(format!(
            "{}/devoirs/{id}/rendre?_csrf={}",
            lou.base, lou.csrf
        ))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Déjà reçus") && page.contains("voix.webm"),
        "{page}"
    );
    let r = lou
        .post_multipart(
            &format!("/devoirs/{id}/rendre"),
            &[("text", "Avec ma voix"), ("garder", "0")],
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    let mine = lou.get(&format!("/devoirs/{id}")).await.body;
    assert!(mine.contains("voix.webm") && mine.contains("Rendu le"));
    assert!(
        !mine.contains("Déjà reçus"),
        "the kept files went with the hand-in"
    );
}

#[tokio::test]
async fn an_assignment_can_stand_alone_outside_the_cahier_de_textes() {
    let s = school().await;
    let mut director = s.server.signed_in(DIRECTOR_LOGIN).await;
    let path = format!(
        "/cahier-de-textes/nouveau?classe={}&type=travail&devoir=1",
        s.f.cp
    );
    let form = director.get(&path).await.body;
    assert!(
        form.contains("name=\"online\" value=\"1\" checked"),
        "online ticked"
    );
    assert!(
        !form.contains("name=\"listed\" value=\"1\" checked"),
        "not in the cahier by default"
    );
    let r = director
        .post_multipart(
            &path,
            &[
                ("scope", "classe"),
                ("subject", "Français"),
                ("title", "Récitation enregistrée"),
                ("given", &day(0)),
                ("day", &day(3)),
                ("body", "Récite ta poésie."),
                ("online", "1"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.location.unwrap().starts_with("/devoirs/"));
    let mut lou = s.server.signed_in("lou.petit").await;
    assert!(lou
        .get("/devoirs")
        .await
        .body
        .contains("Récitation enregistrée"));
    assert!(!lou
        .get("/cahier-de-textes")
        .await
        .body
        .contains("Récitation enregistrée"));
    assert!(!director
        .get(&format!(
            "/cahier-de-textes?classe={}&semaine={}",
            s.f.cp,
            day(3)
        ))
        .await
        .body
        .contains("Récitation enregistrée"));
}

/// The values of the pupil's form: (field name, value) for the option showing `label`.
fn option_value(page: &str, field: &str, label: &str) -> String {
    if let Some(sel) = page
        .split(&format!("name=\"{field}\""))
        .nth(1)
        .filter(|c| c.trim_start_matches('>').starts_with("<option"))
    {
        let sel = &sel[..sel.find("</select>").unwrap()];
        let i = sel
            .find(&format!(">{label}<"))
            .unwrap_or_else(|| panic!("{label} not in {field}"));
        let v = sel[..i].rfind("value=\"").unwrap() + 7;
        return sel[v..].chars().take_while(|ch| *ch != '"').collect();
    }
    let chunks: Vec<&str> = page.split(&format!("name=\"{field}\"")).skip(1).collect();
    for c in chunks {
        let value_start = c.find("value=\"").unwrap() + 7;
        let value: String = c[value_start..]
            .chars()
            .take_while(|ch| *ch != '"')
            .collect();
        let after = &c[value_start..];
        if after
            .find(&format!(">{label}<"))
            .is_some_and(|i| i < after.find("name=").unwrap_or(usize::MAX))
        {
            return value;
        }
    }
    // Selects: the option whose text is the label.
    let sel = page.split(&format!("name=\"{field}\"")).nth(1).unwrap();
    let end = sel.find("</select>").unwrap();
    let sel = &sel[..end];
    let i = sel
        .find(&format!(">{label}<"))
        .unwrap_or_else(|| panic!("{label} not in {field}"));
    let v = sel[..i].rfind("value=\"").unwrap() + 7;
    sel[v..].chars().take_while(|ch| *ch != '"').collect()
}

#[tokio::test]
async fn exercises_are_built_answered_and_corrected_on_the_server() {
    let s = school().await;
    let mut director = s.server.signed_in(DIRECTOR_LOGIN).await;
    director
        .get(&format!("/exercices/nouveau?classe={}", s.f.cp))
        .await;
    let r = director
        .post(
            &format!("/exercices/nouveau?classe={}", s.f.cp),
            &[("scope", "classe"), ("title", "Les animaux")],
        )
        .await;
    let edit = r.location.unwrap();
    let id: u64 = edit
        .trim_start_matches("/exercices/")
        .trim_end_matches("/modifier")
        .parse()
        .unwrap();
    director.get(&edit).await;
    let q = |kind: &str| format!("/exercices/{id}/questions?type={kind}");
    let no_right = director
        .post_multipart(
            &q("choix"),
            &[
                ("prompt", "Qui miaule ?"),
                ("option0", "le chat"),
                ("option1", "le chien"),
            ],
            &[],
        )
        .await;
    assert_eq!(no_right.status, 400);
    assert!(no_right.body.contains("Cochez au moins une bonne réponse"));
    for (kind, fields) in [
        (
            "choix",
            vec![
                ("prompt", "Qui miaule ?"),
                ("option0", "le chien"),
                ("option1", "le chat"),
                ("bonne", "1"),
            ],
        ),
        (
            "trous",
            vec![
                ("prompt", "Complète."),
                ("text", "La [vache] donne du [lait]."),
            ],
        ),
        (
            "ordre",
            vec![
                ("prompt", "Du plus petit au plus grand."),
                ("items", "souris\nchat\néléphant"),
            ],
        ),
        (
            "paires",
            vec![
                ("prompt", "Les petits."),
                ("pairs", "chat = chaton\nchien = chiot"),
            ],
        ),
    ] {
        director.get(&edit).await;
        let r = director.post_multipart(&q(kind), &fields, &[]).await;
        assert_eq!(r.status, 303, "{kind}: {}", r.body);
    }
    director.get(&edit).await;
    director
        .post(&format!("/exercices/{id}/publier"), &[])
        .await;

    let mut lou = s.server.signed_in("lou.petit").await;
    let page = lou.get(&format!("/exercices/{id}")).await.body;
    assert!(
        page.contains("Qui miaule ?") && !page.contains("bonne réponse") && !page.contains("✓"),
        "no answer shown before"
    );
    assert!(
        !page.contains("vache") && !page.contains(">lait<"),
        "the blanks are not in the page"
    );
    let fields = [
        ("q0".to_string(), option_value(&page, "q0", "le chat")),
        ("q1-0".to_string(), "Vache".to_string()),
        ("q1-1".to_string(), "lait".to_string()),
        ("q2-0".to_string(), option_value(&page, "q2-0", "souris")),
        ("q2-1".to_string(), option_value(&page, "q2-1", "chat")),
        ("q2-2".to_string(), option_value(&page, "q2-2", "éléphant")),
        ("q3-0".to_string(), option_value(&page, "q3-0", "chiot")),
        ("q3-1".to_string(), option_value(&page, "q3-1", "chaton")),
    ];
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = lou.post(&format!("/exercices/{id}/repondre"), &pairs).await;
    assert_eq!(r.status, 303);
    let result = lou.get(&format!("/exercices/{id}")).await.body;
    assert!(
        result.contains("<strong>3 / 4</strong>"),
        "pairs swapped: {result}"
    );
    assert!(
        result.contains("chat ↔ chaton"),
        "the right answer shown after"
    );
    let results = director
        .get(&format!("/exercices/{id}/resultats"))
        .await
        .body;
    assert!(
        results.contains("3 / 4") && results.contains("pas fait"),
        "Lou done, Tom not"
    );
    let mut marc = s.server.signed_in("marc.petit").await;
    assert!(
        marc.get("/exercices").await.body.contains("3 / 4"),
        "the parent sees the score"
    );
    let mut zoe = s.server.signed_in("zoe.leroy").await;
    assert_eq!(zoe.get(&format!("/exercices/{id}")).await.status, 403);
    assert_eq!(
        zoe.post(&format!("/exercices/{id}/repondre"), &pairs)
            .await
            .status,
        403
    );
    assert_eq!(
        lou.get(&format!("/exercices/{id}/resultats")).await.status,
        403
    );
    assert_eq!(
        lou.get(&format!("/exercices/{id}/modifier")).await.status,
        403
    );
}
