//! The rentrée: a school set up with the wizard's classes (« GS-CP »), then given its ONDE
//! files whose classes read « GS-CP M. Lebrun »: the import attaches each ONDE class to
//! the school's class, over HTTP and on the command line, so that pupils and teachers
//! end up together in 4 classes, not 8.

use std::process::Command;

use preau::directory::{self, Membership};

use crate::common::{test_settings, Client, TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};

pub const PUPILS: &[u8] = include_bytes!("../fixtures/rentree/eleves-4-classes-cp1252.csv");
pub const GUARDIANS: &[u8] =
    include_bytes!("../fixtures/rentree/responsables-4-classes-cp1252.csv");

const CLASSES: [(&str, &str, &str); 4] = [
    ("PS-MS", "Lucie", "Caron"),
    ("GS-CP", "Marc", "Lebrun"),
    ("CE1-CE2", "Alice", "Durand"),
    ("CM1-CM2", "Yves", "Roux"),
];

/// A school as the wizard leaves it: four multi-level classes, each with its teacher.
pub fn install_rentree(dir: &std::path::Path) {
    use preau::directory::Level;
    use preau::setup::{complete, ClassDraft, DirectorDraft, Draft, TeacherChoice};
    let store = preau::schema::open(&test_settings(dir)).unwrap();
    let hash = |p: &str| preau::auth::password::hash_blocking(p, 4).unwrap();
    let levels = |label: &str| -> Vec<Level> {
        label
            .split('-')
            .map(|l| Level::from_code(l).unwrap())
            .collect()
    };
    let draft = Draft {
        school: Some(preau::school::School {
            name: "École des Marronniers".into(),
            uai: "0350001L".into(),
            address: String::new(),
            postcode: "35000".into(),
            commune: "Rennes".into(),
            academie: "Rennes".into(),
            zone: preau::school::Zone::B,
            services: vec![],
        }),
        director: Some(DirectorDraft {
            first_name: "Claire".into(),
            last_name: "Bonnet".into(),
            login: DIRECTOR_LOGIN.into(),
            email: None,
            password_hash: hash(DIRECTOR_PASSWORD),
        }),
        classes: CLASSES
            .iter()
            .map(|(label, first, last)| ClassDraft {
                label: label.to_string(),
                levels: levels(label),
                teacher: TeacherChoice::Other {
                    first_name: first.to_string(),
                    last_name: last.to_string(),
                },
            })
            .collect(),
        services: Some(preau::school::Service::ALL.to_vec()),
        pending_import: None,
    };
    let pw: Vec<(String, String)> = (0..4)
        .map(|_| (hash("maitre2026"), "maitre2026".to_string()))
        .collect();
    complete(&store, &draft, &pw, 0).unwrap();
    for u in directory::users(&store, None).unwrap() {
        store
            .commit_checked_blocking(|tx| {
                let mut u = directory::user_in(tx, u.id)?.unwrap();
                u.charter_version = 1;
                u.must_change_password = false;
                directory::save_user(tx, &u)
            })
            .unwrap();
    }
    store.flush_blocking().unwrap();
}

pub async fn upload(c: &mut Client, pupils: &[u8], guardians: &[u8]) -> String {
    c.get("/admin/import").await;
    let form = reqwest::multipart::Form::new()
        .part(
            "eleves",
            reqwest::multipart::Part::bytes(pupils.to_vec()).file_name("eleves.csv"),
        )
        .part(
            "responsables",
            reqwest::multipart::Part::bytes(guardians.to_vec()).file_name("responsables.csv"),
        )
        .text("complet", "oui");
    let resp = c
        .http
        .post(format!("{}/admin/import?_csrf={}", c.base, c.csrf))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    resp.headers()["location"].to_str().unwrap().to_string()
}

/// Each class: (label, teachers' last names, pupils' count).
pub fn classes_now(store: &preau::store::Store) -> Vec<(String, Vec<String>, usize)> {
    directory::classes(store)
        .unwrap()
        .into_iter()
        .map(|c| {
            let members = directory::members(store, c.id).unwrap();
            let teachers = members
                .iter()
                .filter(|(_, r)| *r == Membership::Teacher)
                .map(|(u, _)| u.last_name.clone())
                .collect();
            let pupils = members
                .iter()
                .filter(|(_, r)| *r == Membership::Pupil)
                .count();
            (c.label, teachers, pupils)
        })
        .collect()
}

fn class_id(store: &preau::store::Store, label: &str) -> u64 {
    directory::classes(store)
        .unwrap()
        .into_iter()
        .find(|c| c.label == label)
        .unwrap()
        .id
}

/// The select of one ONDE class set to `choice` (a class id or « nouvelle »).
async fn choose(c: &mut Client, url: &str, key: &str, choice: &str) -> crate::common::Page {
    c.get(url).await;
    c.post(
        &format!("{url}/classes"),
        &[("cle", key), ("choix", choice)],
    )
    .await
}

#[tokio::test]
async fn the_preview_attaches_onde_classes_to_the_wizards() {
    let dir = tempfile::tempdir().unwrap();
    install_rentree(dir.path());
    let server = TestServer::start_in(dir).await;
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    let store = server.store();
    let gs_cp = class_id(&store, "GS-CP");
    let cm = class_id(&store, "CM1-CM2");

    let url = upload(&mut admin, PUPILS, GUARDIANS).await;
    let p = admin.get(&url).await;
    assert_eq!(p.status, 200);
    assert!(
        p.body.contains("<strong>0</strong> classe(s) à créer"),
        "{}",
        p.body
    );
    assert!(
        p.body.contains("GS-CP M. Lebrun"),
        "Windows-1252 label read"
    );
    assert!(
        p.body.contains(&format!(
            "<option value=\"{gs_cp}\" selected>rattacher à « GS-CP »</option>"
        )),
        "the proposed match is preselected: {}",
        p.body
    );
    assert!(p.body.contains("rattachée : mêmes niveaux"));
    // The figures to check against the paper lists, first.
    let top = p.body.split("Élèves par classe").nth(1).unwrap();
    assert!(
        top.contains("GS-CP <span class=\"small\">(ONDE : GS-CP M. Lebrun)</span></td><td>3</td>"),
        "{top}"
    );
    assert!(p.body.contains("<strong>8</strong> famille(s)"));
    assert!(p
        .body
        .contains("<strong>1</strong> élève(s) sans responsable"));
    assert!(p.body.contains("Sans responsable : Jules Martin."));
    assert!(p
        .body
        .contains("<strong>3</strong> responsable(s) de plusieurs enfants"));
    assert!(p.body.contains("Claire Lefèvre (3)"));
    assert!(p
        .body
        .contains("<strong>8</strong> autorisation(s) photo déclarée(s) dans ONDE"));
    assert!(p.body.contains("8 oui, 3 non, 1 non renseignée(s)"));
    assert!(
        p.body.find("À vérifier sur vos listes") < p.body.find("Ce qui va changer"),
        "at the top"
    );

    // The director sends CM1-CM2 M. Roux to a new class: remembered, shown again.
    let r = choose(&mut admin, &url, "id:51004", "nouvelle").await;
    assert_eq!(r.status, 303);
    let p = admin.get(&url).await;
    assert!(
        p.body.contains("<strong>1</strong> classe(s) à créer"),
        "{}",
        p.body
    );
    assert!(p
        .body
        .contains("<option value=\"nouvelle\" selected>créer une nouvelle classe « CM1-CM2 M. Roux »</option>"));
    // A second upload of the same files remembers the choice.
    let again = upload(&mut admin, PUPILS, GUARDIANS).await;
    let p = admin.get(&again).await;
    assert!(p.body.contains("<strong>1</strong> classe(s) à créer"));
    // Back to the proposed class, then confirmed.
    let r = choose(&mut admin, &url, "id:51004", &cm.to_string()).await;
    assert_eq!(r.status, 303);
    let p = admin.get(&url).await;
    assert!(p.body.contains("rattachée : votre choix"), "{}", p.body);
    let done = admin.post(&format!("{url}/valider"), &[]).await;
    assert_eq!(done.location.as_deref(), Some("/admin/comptes"));

    let mut now = classes_now(&store);
    now.sort();
    assert_eq!(
        now,
        vec![
            ("CE1-CE2".to_string(), vec!["Durand".to_string()], 3),
            ("CM1-CM2".to_string(), vec!["Roux".to_string()], 3),
            ("GS-CP".to_string(), vec!["Lebrun".to_string()], 3),
            ("PS-MS".to_string(), vec!["Caron".to_string()], 3),
        ],
        "4 classes, each with its teacher and its pupils"
    );
    // The teacher of GS-CP sees the pupils ONDE put in « GS-CP M. Lebrun ».
    let mut marc = server.client();
    marc.login("marc.lebrun", "maitre2026").await;
    let page = marc.get(&format!("/classes/{gs_cp}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Moussa") && page.body.contains("Anaïs"),
        "{}",
        page.body
    );
    // Re-import: recognised by the ONDE identifier, nothing to create.
    let third = upload(&mut admin, PUPILS, GUARDIANS).await;
    let p = admin.get(&third).await;
    assert!(p.body.contains("<strong>0</strong> classe(s) à créer"));
    assert!(p.body.contains("<strong>0</strong> élève(s) nouveau(x)"));
}

fn preau() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_preau"));
    c.env_remove("PREAU_DATA_DIR");
    c
}

#[tokio::test]
async fn preau_setup_then_import_onde_keeps_four_classes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("preau.toml"), "bcrypt_cost = 4\n").unwrap();
    let pw = dir.path().join("pw");
    std::fs::write(&pw, format!("{DIRECTOR_PASSWORD}\n")).unwrap();
    let mut setup = preau();
    setup.arg("--data-dir").arg(dir.path()).args([
        "setup",
        "--school-name",
        "École des Marronniers",
        "--uai",
        "0350001L",
        "--commune",
        "Rennes",
        "--zone",
        "B",
        "--director-first-name",
        "Claire",
        "--director-last-name",
        "Bonnet",
        "--login",
        "claire.bonnet",
    ]);
    setup.arg("--password-file").arg(&pw);
    for c in [
        "PS-MS:PS,MS",
        "GS-CP:GS,CP",
        "CE1-CE2:CE1,CE2",
        "CM1-CM2:CM1,CM2",
    ] {
        setup.args(["--class", c]);
    }
    let out = setup.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let files = tempfile::tempdir().unwrap();
    let eleves = files.path().join("eleves.csv");
    let responsables = files.path().join("responsables.csv");
    std::fs::write(&eleves, PUPILS).unwrap();
    std::fs::write(&responsables, GUARDIANS).unwrap();
    let import = |extra: &[&std::ffi::OsStr]| {
        let out = preau()
            .arg("--data-dir")
            .arg(dir.path())
            .args(["import", "onde", "--complet", "--eleves"])
            .arg(&eleves)
            .arg("--responsables")
            .arg(&responsables)
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    // A mapping file overrides one proposal (dry run: nothing written).
    let mapping = files.path().join("classes.txt");
    std::fs::write(&mapping, "# ONDE = Préau\nCM1-CM2 M. Roux = nouvelle\n").unwrap();
    let dry = import(&[
        "--dry-run".as_ref(),
        "--classes".as_ref(),
        mapping.as_os_str(),
    ]);
    assert!(
        dry.contains("classe ONDE « CM1-CM2 M. Roux » → nouvelle classe"),
        "{dry}"
    );
    assert!(dry.contains("Classes : 1 nouvelle(s)"), "{dry}");
    // Without it: the proposed matches, printed, applied.
    let out = import(&[]);
    assert!(
        out.contains("classe ONDE « GS-CP M. Lebrun » → rattachée à « GS-CP » (mêmes niveaux)"),
        "{out}"
    );
    assert!(out.contains("Classes : 0 nouvelle(s)"), "{out}");
    assert!(out.contains("Import enregistré."));
    let store = preau::schema::open(&test_settings(dir.path())).unwrap();
    let mut now = classes_now(&store);
    now.sort();
    let labels: Vec<(&str, usize)> = now.iter().map(|(l, _, n)| (l.as_str(), *n)).collect();
    assert_eq!(
        labels,
        vec![("CE1-CE2", 3), ("CM1-CM2", 3), ("GS-CP", 3), ("PS-MS", 3)],
        "4 classes, not 8"
    );
    assert!(now.iter().all(|(_, t, _)| t == &vec!["Bonnet".to_string()]));
}

fn pupil_named(store: &preau::store::Store, first: &str) -> u64 {
    directory::users(store, Some(preau::policy::Profile::Eleve))
        .unwrap()
        .into_iter()
        .find(|u| u.first_name == first)
        .unwrap()
        .id
}

#[tokio::test]
async fn onde_photo_declarations_seed_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    install_rentree(dir.path());
    let server = TestServer::start_in(dir).await;
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    let url = upload(&mut admin, PUPILS, GUARDIANS).await;
    admin.get(&url).await;
    admin.post(&format!("{url}/valider"), &[]).await;
    let store = server.store();
    let (moussa, theo, anais) = (
        pupil_named(&store, "Moussa"),
        pupil_named(&store, "Théo"),
        pupil_named(&store, "Anaïs"),
    );
    let authorised = |id: u64| {
        let people = preau::directory::people::People::load(&store).unwrap();
        preau::blog::consent::authorised(&store, &people, id).unwrap()
    };
    // No project yet: ONDE's declaration decides.
    assert!(authorised(moussa) && authorised(anais) && !authorised(theo));
    let p = admin.get(&format!("/admin/comptes/{moussa}")).await;
    assert!(
        p.body
            .contains("déclarée dans ONDE — peut paraître sur les photos publiées"),
        "{}",
        p.body
    );
    let p = admin.get(&format!("/admin/comptes/{theo}")).await;
    assert!(p.body.contains("refusée dans ONDE"));
    assert!(p.body.contains("ne peut pas paraître"));
    let gs_cp = class_id(&store, "GS-CP");
    let page = admin.get(&format!("/classes/{gs_cp}")).await;
    let row = |name: &str| {
        page.body
            .split("<tr>")
            .find(|r| r.contains(name))
            .unwrap()
            .to_string()
    };
    assert!(row("Moussa").contains("autorisée") && row("Moussa").contains("déclarée dans ONDE"));
    assert!(row("Théo").contains("non autorisée"));

    // A project starts from ONDE's declarations; the director overrides two of them.
    admin.get("/admin/autorisations-photo").await;
    let project = admin
        .post(
            "/admin/autorisations-photo",
            &[("title", "Blog 2026-2027"), ("required", "1")],
        )
        .await
        .location
        .unwrap();
    let page = admin.get(&format!("{project}?classe={gs_cp}")).await;
    assert!(
        page.body.contains("oui (déclarée dans ONDE)"),
        "{}",
        page.body
    );
    assert!(authorised(moussa) && !authorised(theo));
    let gs = gs_cp.to_string();
    let no = format!("decision-{moussa}");
    let yes = format!("decision-{theo}");
    let r = admin
        .post(
            &project,
            &[
                ("classe", gs.as_str()),
                (no.as_str(), "non"),
                (yes.as_str(), "oui"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(!authorised(moussa), "a recorded « non » overrides ONDE");
    assert!(authorised(theo), "a recorded « oui » confirms");
    assert!(
        authorised(anais),
        "no record: ONDE's declaration still counts"
    );
    let page = admin.get(&format!("{project}?classe={gs_cp}")).await;
    assert!(page.body.contains("non (refusée)") && page.body.contains("oui (confirmée)"));
}
