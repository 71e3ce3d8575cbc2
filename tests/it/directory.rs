//! The directory end to end: ONDE import (console and CLI), activation letters,
//! activation of a parent account, and who may see which pupil.

use std::process::Command;

use crate::common::{Client, TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};

const PUPILS: &[u8] = include_bytes!("../fixtures/eleves-onde-cp1252.csv");
const GUARDIANS: &[u8] = include_bytes!("../fixtures/responsables-onde-utf8bom.csv");

async fn upload(c: &mut Client, full: bool) -> String {
    c.get("/admin/import").await;
    let form = reqwest::multipart::Form::new()
        .part(
            "eleves",
            reqwest::multipart::Part::bytes(PUPILS.to_vec()).file_name("eleves.csv"),
        )
        .part(
            "responsables",
            reqwest::multipart::Part::bytes(GUARDIANS.to_vec()).file_name("responsables.csv"),
        )
        .text("complet", if full { "oui" } else { "non" });
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

fn id_of(body: &str, prefix: &str, name: &str) -> u64 {
    // `<a href="/eleves/12">LEFÈVRE Zoé</a>`: the id of the link whose text has `name`.
    body.split(&format!("href=\"{prefix}"))
        .skip(1)
        .find(|chunk| chunk.split("</a>").next().unwrap_or("").contains(name))
        .and_then(|chunk| chunk.split('"').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no link to {name} in page"))
}

#[tokio::test]
async fn import_letters_activation_and_need_to_know() {
    let server = TestServer::installed().await;
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;

    // A multipart upload without the token in the URL is refused.
    let resp = admin
        .http
        .post(format!("{}/admin/import", admin.base))
        .multipart(
            reqwest::multipart::Form::new()
                .part("eleves", reqwest::multipart::Part::bytes(PUPILS.to_vec())),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);

    let preview_url = upload(&mut admin, true).await;
    let preview = admin.get(&preview_url).await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("Rien n'est encore enregistré"));
    assert!(
        preview.body.contains("création (zoe.lefevre)"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("31/02/2016"), "the bad date is named");
    assert!(preview.body.contains("Jean Inconnu") && preview.body.contains("introuvable"));
    assert!(
        preview.body.contains("Lefèvre"),
        "Windows-1252 accents decoded"
    );
    // Nothing written before confirmation.
    let list = admin.get("/admin/comptes?profil=eleve").await;
    assert!(!list.body.contains("zoe.lefevre"));

    let done = admin.post(&format!("{preview_url}/valider"), &[]).await;
    assert_eq!(done.location.as_deref(), Some("/admin/comptes"));
    let list = admin.get("/admin/comptes?profil=eleve").await;
    assert!(
        list.body.contains("Import terminé : 5 élève(s) créé(s)"),
        "{}",
        list.body
    );
    assert!(list.body.contains("zoe.lefevre") && list.body.contains("loic.martin"));
    assert!(
        !list.body.contains("hugo.bernard"),
        "the line in error was not imported"
    );

    // Re-importing the same files changes nothing.
    let again = upload(&mut admin, true).await;
    let p = admin.get(&again).await;
    assert!(
        p.body.contains("<strong>0</strong> élève(s) nouveau(x)"),
        "{}",
        p.body
    );
    assert!(p
        .body
        .contains("<strong>0</strong> responsable(s) nouveau(x)"));

    // Letters for the adults waiting for activation, with QR codes.
    admin.get("/admin/lettres").await;
    let letters = admin
        .post("/admin/lettres", &[("classe", ""), ("par_page", "2")])
        .await;
    assert_eq!(letters.status, 200);
    assert!(letters.body.contains("<svg role=\"img\""), "QR code");
    assert!(letters.body.contains("class=\"letters two\""));
    let sophie = letters.body.split("Bonjour Sophie").nth(1).unwrap();
    let code: String = sophie
        .split("<strong class=\"code\">")
        .nth(1)
        .unwrap()
        .chars()
        .take(14)
        .collect();
    assert_eq!(code.len(), 14, "{code}");

    // Sophie activates her account: code → password → charter → home.
    let mut sophie = server.client();
    let p = sophie.get(&format!("/activation?code={code}")).await;
    assert!(p.body.contains(&format!("value=\"{code}\"")));
    let p = sophie
        .post("/activation", &[("code", "AAAA-BBBB-CCCC")])
        .await;
    assert_eq!(p.status, 401);
    assert!(p.body.contains("Ce code n'est pas valable"));
    let p = sophie
        .post("/activation", &[("code", &code.to_lowercase())])
        .await;
    assert!(p.body.contains("Bonjour Sophie") && p.body.contains("sophie.petit"));
    let p = sophie
        .post(
            "/activation/valider",
            &[
                ("code", &code),
                ("password", "court"),
                ("password_confirm", "court"),
                ("accept", "oui"),
            ],
        )
        .await;
    assert_eq!(p.status, 400);
    assert!(p.body.contains("au moins 12 caractères"));
    let p = sophie
        .post(
            "/activation/valider",
            &[
                ("code", &code),
                ("password", "Cerisier-2026"),
                ("password_confirm", "Cerisier-2026"),
            ],
        )
        .await;
    assert!(p.body.contains("Cochez la case pour accepter la charte"));
    let p = sophie
        .post(
            "/activation/valider",
            &[
                ("code", &code),
                ("password", "Cerisier-2026"),
                ("password_confirm", "Cerisier-2026"),
                ("accept", "oui"),
            ],
        )
        .await;
    assert_eq!(p.location.as_deref(), Some("/accueil"));
    let home = sophie.get("/accueil").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Votre compte est activé") && home.body.contains("Mes enfants"));
    assert!(home.body.contains("Lou") && home.body.contains("Max"));
    // The code is single-use.
    let p = server
        .client()
        .post_raw("/activation", &[("code", &code)])
        .await;
    assert_ne!(p.status, 200);

    // A parent sees their children, not others.
    let lou = id_of(&home.body, "/eleves/", "Lou");
    assert_eq!(sophie.get(&format!("/eleves/{lou}")).await.status, 200);
    let classes = admin.get("/admin/classes").await;
    let ce = id_of(&classes.body, "/admin/classes/", "CE1-CE2");
    let ce_page = admin.get(&format!("/classes/{ce}")).await;
    let zoe = id_of(&ce_page.body, "/eleves/", "Zoé");
    assert_eq!(sophie.get(&format!("/eleves/{zoe}")).await.status, 403);
    assert_eq!(sophie.get(&format!("/classes/{ce}")).await.status, 403);

    // A teacher sees the pupils of their class only, and prints its cards.
    let mut paul = server.client();
    paul.login("paul.durand", "maitre2026").await;
    let cm = id_of(&classes.body, "/admin/classes/", "CM1-CM2");
    let cm_page = paul.get(&format!("/classes/{cm}")).await;
    assert_eq!(cm_page.status, 200);
    assert!(
        cm_page.body.contains("Sophie Petit"),
        "the class page shows guardians"
    );
    let max = id_of(&cm_page.body, "/eleves/", "Max");
    assert_eq!(paul.get(&format!("/eleves/{max}")).await.status, 200);
    assert_eq!(paul.get(&format!("/eleves/{zoe}")).await.status, 403);
    assert_eq!(paul.get(&format!("/classes/{ce}")).await.status, 403);
    paul.get(&format!("/classes/{cm}")).await;
    let cards = paul.post(&format!("/classes/{cm}/cartes"), &[]).await;
    assert_eq!(cards.status, 200);
    assert!(cards.body.contains("max.petit") && cards.body.contains("Mot de passe"));
    paul.get(&format!("/classes/{cm}")).await;
    assert_eq!(
        paul.post(&format!("/classes/{ce}/cartes"), &[])
            .await
            .status,
        403
    );
    assert_eq!(
        paul.post(&format!("/eleves/{zoe}/mot-de-passe"), &[])
            .await
            .status,
        403
    );
    // Max logs in with his card.
    let marker = "max.petit</strong></p><p>Mot de passe : <strong class=\"code\">";
    let pw: String = cards
        .body
        .split(marker)
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| *c != '<')
        .collect();
    let mut max_client = server.client();
    assert_eq!(max_client.login("max.petit", &pw).await.status, 303);
    // Pupils are not asked the charter on screen (their guardians accept it).
    let p = max_client.get("/accueil").await;
    assert_eq!(p.status, 200, "{:?}", p.location);
}

#[tokio::test]
async fn a_new_charter_version_is_asked_again() {
    let server = TestServer::installed().await;
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    admin.get("/admin/charte").await;
    let p = admin
        .post(
            "/admin/charte",
            &[(
                "text",
                "Nouvelle charte de l'école, version de la rentrée.\n\n- Être poli.",
            )],
        )
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(
        admin.get("/accueil").await.status,
        200,
        "the author accepted it"
    );
    let mut paul = server.client();
    paul.login("paul.durand", "maitre2026").await;
    let p = paul.get("/accueil").await;
    assert_eq!(p.location.as_deref(), Some("/charte?suite=%2Faccueil"));
    let p = paul.get("/charte?suite=%2Faccueil").await;
    assert!(p.body.contains("version de la rentrée") && p.body.contains("<li>Être poli.</li>"));
    let p = paul
        .post(
            "/charte/accepter",
            &[("accept", "oui"), ("suite", "/accueil")],
        )
        .await;
    assert_eq!(p.location.as_deref(), Some("/accueil"));
    assert_eq!(paul.get("/accueil").await.status, 200);
    // The footer links to the charter and the RGPD notice for everyone.
    let mut anon = server.client();
    let p = anon.get("/informations").await;
    assert!(p.body.contains("Responsable du traitement") && p.body.contains("CNIL"));
    assert!(p.body.contains("href=\"/charte\""));
}

#[tokio::test]
async fn cli_import_with_dry_run_then_for_real() {
    let dir = crate::common::TestServer::installed().await.stop().await;
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_preau"))
            .env_remove("PREAU_DATA_DIR")
            .arg("--data-dir")
            .arg(dir.path())
            .args(["import", "onde", "--eleves"])
            .arg(fixtures.join("eleves-onde-cp1252.csv"))
            .arg("--responsables")
            .arg(fixtures.join("responsables-onde-utf8bom.csv"))
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
    let dry = run(&["--complet", "--dry-run"]);
    assert!(dry.contains("Élèves : 5 nouveau(x)"), "{dry}");
    assert!(dry.contains("élèves ligne 7 ERREUR"), "{dry}");
    assert!(dry.contains("Simulation : rien n'a été enregistré."));
    let real = run(&["--complet"]);
    assert!(real.contains("Import enregistré."));
    let again = run(&["--complet"]);
    assert!(
        again.contains("Élèves : 0 nouveau(x), 0 mis à jour, 5 inchangé(s)"),
        "{again}"
    );
    let check = Command::new(env!("CARGO_BIN_EXE_preau"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&check.stdout).contains("Intégrité : OK"));
}

#[tokio::test]
async fn console_search_edit_and_lost_password_letter() {
    let server = TestServer::installed().await;
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    let url = upload(&mut admin, true).await;
    admin.get(&url).await;
    admin.post(&format!("{url}/valider"), &[]).await;

    let p = admin.get("/admin/comptes?q=lefevre").await;
    assert!(
        p.body.contains("zoe.lefevre")
            && p.body.contains("claire.lefevre")
            && !p.body.contains("max.petit")
    );
    let p = admin
        .get("/admin/comptes?etat=%C3%A0+activer&profil=responsable")
        .await;
    assert!(
        p.body.contains("sophie.petit") && !p.body.contains("marc.petit</code>"),
        "{}",
        p.body
    );
    let classes = admin.get("/admin/classes").await;
    let cp = id_of(&classes.body, "/admin/classes/", "CP M. Roux");
    let p = admin.get(&format!("/admin/comptes?classe={cp}")).await;
    assert!(
        p.body.contains("lou.petit2")
            && p.body.contains("sophie.petit")
            && !p.body.contains("zoe.lefevre")
    );

    // Edit a name: the identity index follows (a re-import still recognises her).
    let zoe = id_of(
        &admin.get("/admin/comptes?q=zoe").await.body,
        "/admin/comptes/",
        "Zoé",
    );
    admin.get(&format!("/admin/comptes/{zoe}")).await;
    let p = admin
        .post(
            &format!("/admin/comptes/{zoe}/modifier"),
            &[
                ("first_name", "Zoé"),
                ("last_name", "LEFÈVRE"),
                ("usage_name", "DUBOIS"),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let p = admin.get(&format!("/admin/comptes/{zoe}")).await;
    assert!(p.body.contains("Zoé DUBOIS"));

    // Lost password: a new letter replaces the password.
    let store = server.running.as_ref().unwrap().app.store.clone();
    let marc = preau::directory::user_by_login(&store, "marc.petit")
        .unwrap()
        .unwrap()
        .id;
    admin.get(&format!("/admin/comptes/{marc}")).await;
    let p = admin
        .post(&format!("/admin/comptes/{marc}/lettre"), &[])
        .await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("1 lettre(s) prête(s)") && p.body.contains("<svg role=\"img\""));
    let mut old = server.client();
    assert_eq!(
        old.login("marc.petit", "motdepasse1").await.status,
        401,
        "the old password is gone"
    );

    // The import made « marc.petit2 », a duplicate of the fixture's Marc: merge it.
    let dup = preau::directory::user_by_login(&store, "marc.petit2")
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        preau::directory::children_of(&store, marc).unwrap().len(),
        0
    );
    let page = admin.get(&format!("/admin/comptes/{dup}")).await;
    assert!(page.body.contains("Ce compte est un doublon de"));
    let p = admin
        .post(
            &format!("/admin/comptes/{dup}/fusionner"),
            &[("keep", &marc.to_string())],
        )
        .await;
    assert_eq!(
        p.location.as_deref(),
        Some(format!("/admin/comptes/{marc}").as_str())
    );
    assert!(preau::directory::user(&store, dup).unwrap().is_none());
    assert_eq!(
        preau::directory::children_of(&store, marc).unwrap().len(),
        1,
        "Lou's link moved"
    );
    assert!(preau::directory::check(&store).unwrap().is_empty());
    // Merging a parent into a pupil is refused.
    admin.get(&format!("/admin/comptes/{marc}")).await;
    let p = admin
        .post(
            &format!("/admin/comptes/{marc}/fusionner"),
            &[("keep", &zoe.to_string())],
        )
        .await;
    assert_eq!(p.status, 303);
    assert!(admin
        .get(&format!("/admin/comptes/{marc}"))
        .await
        .body
        .contains("Seuls deux comptes du même profil"));
}

#[tokio::test]
async fn the_new_school_year_archives_classes_and_moves_pupils() {
    let server = TestServer::installed().await;
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    let url = upload(&mut admin, true).await;
    admin.get(&url).await;
    admin.post(&format!("{url}/valider"), &[]).await;

    // Next year's export: Zoé moves up to CE2, Max to CM2, Loïc has left, Nour arrives.
    let next = "Nom élève;Nom d'usage élève;Prénom élève;Date naissance;Sexe;INE; Cycle;Niveau;Libellé classe;Identifiant classe\n\
        LEFÈVRE;;Zoé;14/03/2017;F;0123456789A;CYCLE II;CE2;CE1-CE2 Mme Durand;40123\n\
        PETIT;;Lou;05/06/2019;F;0123456792D;CYCLE II;CE1;CE1-CE2 Mme Durand;40123\n\
        PETIT;;Max;05/06/2016;M;0123456791C;CYCLE III;CM2;CM1-CM2;40125\n\
        D'ALMEIDA;;Inès;30/09/2015;F;0123456793E;CYCLE III;CM2;CM1-CM2;40125\n\
        HADDAD;;Nour;11/01/2020;F;0123456795G;CYCLE II;CP;CP M. Roux;40124\n";
    let page = admin.get("/admin/rentree").await;
    assert!(page.body.contains("Année en cours : "));
    let current = page
        .body
        .split("Année en cours : ")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let new_year: String = page
        .body
        .split("name=\"annee\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let form = reqwest::multipart::Form::new()
        .text("annee", new_year.clone())
        .part(
            "eleves",
            reqwest::multipart::Part::bytes(next.as_bytes().to_vec()).file_name("eleves.csv"),
        );
    let resp = admin
        .http
        .post(format!("{}/admin/rentree?_csrf={}", admin.base, admin.csrf))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let preview_url = resp.headers()["location"].to_str().unwrap().to_string();
    let preview = admin.get(&preview_url).await;
    assert!(preview.body.contains(&format!("Rentrée {new_year}")));
    assert!(
        preview.body.contains("Partants") && preview.body.contains("Loïc"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("mise à jour : niveau"));
    admin.post(&format!("{preview_url}/valider"), &[]).await;

    let page = admin.get("/admin/rentree").await;
    assert!(page.body.contains(&format!("Année en cours : {new_year}")));
    let archive = admin
        .get(&format!("/admin/rentree/archives/{current}"))
        .await;
    assert_eq!(archive.status, 200);
    assert!(
        archive.body.contains("Loïc Martin"),
        "last year's class keeps Loïc: {}",
        archive.body
    );
    let leavers = admin.get("/admin/comptes?etat=partant").await;
    assert!(leavers.body.contains("loic.martin"));
    let lou_moved = admin.get("/admin/comptes?q=lou").await;
    assert!(lou_moved.body.contains("lou.petit2"));
}
