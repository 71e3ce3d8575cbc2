use crate::common::{TestServer, DIRECTOR_PASSWORD};

#[tokio::test]
async fn everything_leads_to_the_wizard_before_installation() {
    let server = TestServer::fresh().await;
    let mut c = server.client();
    for path in ["/", "/accueil", "/admin", "/connexion", "/compte"] {
        let p = c.get(path).await;
        assert_eq!(p.status, 303, "{path}");
        assert_eq!(p.location.as_deref(), Some("/setup"), "{path}");
    }
    let health = c.get("/healthz").await;
    assert!(health.body.contains("\"installed\":false"));
}

#[tokio::test]
async fn wizard_refuses_a_wrong_code_and_completes_with_the_right_one() {
    let server = TestServer::fresh().await;
    let code = server.setup_code();
    let mut c = server.client();
    let p = c.get("/setup").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("code d'installation"));

    // Without the code, the steps send back to the start and nothing is recorded.
    let p = c.get("/setup/ecole").await;
    assert_eq!(p.location.as_deref(), Some("/setup"));
    c.get("/setup").await;
    let p = c
        .post(
            "/setup/ecole",
            &[
                ("name", "École pirate"),
                ("uai", "0350001L"),
                ("commune", "X"),
                ("zone", "A"),
            ],
        )
        .await;
    assert_eq!(p.location.as_deref(), Some("/setup"));

    c.get("/setup").await;
    let p = c.post("/setup/code", &[("code", "AAAA-BBBB")]).await;
    assert_eq!(p.status, 401);
    assert!(p.body.contains("Ce code ne correspond pas"));

    let p = c
        .post("/setup/code", &[("code", &code.to_lowercase())])
        .await;
    assert_eq!(p.status, 303, "the code is accepted whatever its case");

    // A bad UAI is refused beside its field, with what was typed kept.
    c.get("/setup/ecole").await;
    let p = c
        .post(
            "/setup/ecole",
            &[
                ("name", "École des Tilleuls"),
                ("uai", "0350001A"),
                ("commune", "Rennes"),
                ("zone", "B"),
            ],
        )
        .await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Cet UAI n'est pas valide"));
    assert!(p.body.contains("value=\"École des Tilleuls\""));
    let p = c
        .post(
            "/setup/ecole",
            &[
                ("name", "École des Tilleuls"),
                ("uai", "0350001L"),
                ("commune", "Rennes"),
                ("zone", "B"),
            ],
        )
        .await;
    assert_eq!(p.location.as_deref(), Some("/setup/direction"));

    c.get("/setup/direction").await;
    let p = c
        .post(
            "/setup/direction",
            &[
                ("first_name", "Claire"),
                ("last_name", "Martin"),
                ("login", "directrice"),
                ("password", "court"),
                ("password_confirm", "court"),
            ],
        )
        .await;
    assert!(p.body.contains("au moins 12 caractères"));
    let p = c
        .post(
            "/setup/direction",
            &[
                ("first_name", "Claire"),
                ("last_name", "Martin"),
                ("login", "directrice"),
                ("password", DIRECTOR_PASSWORD),
                ("password_confirm", DIRECTOR_PASSWORD),
            ],
        )
        .await;
    assert_eq!(p.location.as_deref(), Some("/setup/classes"));

    c.get("/setup/classes").await;
    let p = c.post("/setup/classes", &[("action", "continuer")]).await;
    assert!(p.body.contains("Ajoutez au moins une classe"));
    let p = c
        .post(
            "/setup/classes",
            &[("label", "CE1-CE2"), ("teacher", "director")],
        )
        .await;
    assert!(p.body.contains("Cochez au moins un niveau"));
    assert!(p.body.contains("value=\"CE1-CE2\""));
    c.post(
        "/setup/classes",
        &[
            ("label", "CE1-CE2"),
            ("levels", "CE1"),
            ("levels", "CE2"),
            ("teacher", "director"),
        ],
    )
    .await;
    c.get("/setup/classes").await;
    c.post(
        "/setup/classes",
        &[
            ("label", "GS-CP"),
            ("levels", "GS"),
            ("levels", "CP"),
            ("teacher", "other"),
            ("teacher_first_name", "Paul"),
            ("teacher_last_name", "Durand"),
        ],
    )
    .await;
    let p = c.get("/setup/classes").await;
    assert!(p.body.contains("CE1-CE2") && p.body.contains("Paul Durand"));
    let p = c.post("/setup/classes", &[("action", "continuer")]).await;
    assert_eq!(p.location.as_deref(), Some("/setup/services"));

    c.get("/setup/services").await;
    let p = c
        .post(
            "/setup/services",
            &[("services", "blog"), ("services", "messagerie")],
        )
        .await;
    assert_eq!(p.location.as_deref(), Some("/setup/eleves"));

    // The pupils step takes the ONDE files; a wrong file is explained at once.
    c.get("/setup/eleves").await;
    let wrong = reqwest::multipart::Form::new().part(
        "eleves",
        reqwest::multipart::Part::bytes(b"Nom;Ville\nX;Y\n".to_vec()).file_name("e.csv"),
    );
    let resp = c
        .http
        .post(format!("{}/setup/eleves?_csrf={}", c.base, c.csrf))
        .multipart(wrong)
        .send()
        .await
        .unwrap();
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Colonnes obligatoires absentes"));
    let files = reqwest::multipart::Form::new()
        .part(
            "eleves",
            reqwest::multipart::Part::bytes(
                include_bytes!("../fixtures/eleves-onde-cp1252.csv").to_vec(),
            )
            .file_name("eleves.csv"),
        )
        .part(
            "responsables",
            reqwest::multipart::Part::bytes(
                include_bytes!("../fixtures/responsables-onde-utf8bom.csv").to_vec(),
            )
            .file_name("resp.csv"),
        );
    let resp = c
        .http
        .post(format!("{}/setup/eleves?_csrf={}", c.base, c.csrf))
        .multipart(files)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["location"], "/setup/recapitulatif");
    let p = c.get("/setup/recapitulatif").await;
    assert!(p.body.contains("Terminer l'installation"));
    let p = c.post("/setup/recapitulatif", &[]).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Installation terminée"));
    assert!(
        p.body.contains("paul.durand"),
        "the teacher's login is shown"
    );
    let preview = p
        .body
        .split("href=\"/admin/import/")
        .nth(1)
        .expect("a link to the import preview")
        .split('"')
        .next()
        .unwrap()
        .to_string();

    // The director is signed in and lands in the console.
    let p = c.get("/admin").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("École des Tilleuls"));
    // The wizard is locked for good and the code is gone.
    let p = c.get("/setup").await;
    assert_eq!(p.status, 404);
    assert!(!server.dir.path().join("setup-code").exists());
    let p = c.get("/admin/classes").await;
    assert!(p.body.contains("GS-CP") && p.body.contains("Paul Durand"));
    let p = c.get(&format!("/admin/import/{preview}")).await;
    assert!(
        p.body.contains("création (zoe.lefevre)"),
        "the files of the wizard wait in the preview"
    );
}

#[tokio::test]
async fn setup_code_file_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let server = TestServer::fresh().await;
    let mode = std::fs::metadata(server.dir.path().join("setup-code"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o077,
        0,
        "setup-code must not be readable by others: {mode:o}"
    );
}
