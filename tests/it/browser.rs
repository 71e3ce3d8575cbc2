//! The setup wizard completed in headless Chromium, driven over WebDriver (chromedriver).
//! Needs Debian's `chromium` and `chromium-driver` (installed by .ci/run). Set
//! PREAU_SKIP_BROWSER=1 to skip it knowingly on a machine without them.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{TestServer, DIRECTOR_PASSWORD};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    child: Child,
    http: reqwest::Client,
    base: String,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Option<Driver> {
        let path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let Some(path) = path else {
            if std::env::var("PREAU_SKIP_BROWSER").as_deref() == Ok("1") {
                eprintln!("chromedriver absent : test navigateur ignoré (PREAU_SKIP_BROWSER=1)");
                return None;
            }
            panic!("chromedriver is missing: apt-get install chromium chromium-driver (or PREAU_SKIP_BROWSER=1)");
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if http.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap().keep();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "acceptInsecureCerts": true,
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                         "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                         "--window-size=1000,1400", format!("--user-data-dir={}", profile.display())]
            }
        }}});
        let resp: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {resp}"))
            .to_string();
        Some(Driver {
            child,
            http,
            base,
            session,
        })
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut req = self.http.request(method.clone(), url);
        if method == reqwest::Method::POST {
            req = req.json(&body);
        }
        let resp: Value = req.send().await.unwrap().json().await.unwrap();
        if resp["value"].get("error").is_some() {
            eprintln!("webdriver {path}: {}", resp["value"]);
        }
        resp["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", json!({"url": url}))
            .await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("element {css} not found: {v}"))
            .to_string()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/clear"),
            json!({}),
        )
        .await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            json!({"text": text}),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            json!({}),
        )
        .await;
    }

    async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", json!(null))
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Waits (up to 10 s) for the page to contain `text`: a click that submits a form
    /// may return before the next page has loaded.
    async fn wait_for(&self, text: &str) -> String {
        for _ in 0..100 {
            let page = self.source().await;
            if page.contains(text) {
                return page;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed « {text} »: {}", self.source().await);
    }

    async fn screenshot(&self, name: &str) {
        use base64::Engine;
        let v = self
            .cmd(reqwest::Method::GET, "/screenshot", json!(null))
            .await;
        if let Some(b64) = v.as_str() {
            let png = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap();
            let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
            std::fs::write(dir.join(name), png).unwrap();
        }
    }

    async fn quit(&self) {
        self.cmd(reqwest::Method::DELETE, "", json!(null)).await;
    }
}

#[tokio::test]
async fn the_wizard_is_completed_in_chromium() {
    let server = TestServer::fresh().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.goto(&format!("{base}/")).await;
    d.wait_for("Bienvenue dans Préau").await;
    d.type_into("#f-code", &server.setup_code()).await;
    d.screenshot("wizard-code.png").await;
    d.click("button[type=submit]").await;

    d.wait_for("Nom de l'école").await;
    d.type_into("#f-name", "École des Tilleuls").await;
    d.type_into("#f-uai", "0350001L").await;
    d.type_into("#f-commune", "Rennes").await;
    d.click("#f-zone option[value=B]").await;
    d.click("button.primary").await;

    d.wait_for("Votre compte de direction").await;
    d.type_into("#f-first_name", "Claire").await;
    d.type_into("#f-last_name", "Martin").await;
    d.type_into("#f-login", "directrice").await;
    d.type_into("#f-password", DIRECTOR_PASSWORD).await;
    d.type_into("#f-password_confirm", DIRECTOR_PASSWORD).await;
    d.click("button.primary").await;

    d.wait_for("Ajouter une classe").await;
    d.type_into("#f-label", "CE1-CE2").await;
    d.click("#f-levels-CE1").await;
    d.click("#f-levels-CE2").await;
    d.click("#f-teacher option[value=director]").await;
    d.screenshot("wizard-classes.png").await;
    d.click("button[value=ajouter]").await;
    d.wait_for("Classes ajoutées").await;
    d.click("button[value=continuer]").await;

    d.wait_for("Les services de l'ENT").await;
    d.click("button.primary").await; // keep the default services
    d.wait_for("Les élèves et leurs parents").await;
    d.click("a.button[href='/setup/recapitulatif']").await;
    d.wait_for("Terminer l'installation").await;
    d.click("button.primary").await;
    d.wait_for("Installation terminée").await;
    d.screenshot("wizard-done.png").await;
    d.click("a.button.primary").await;
    d.wait_for("Vue d'ensemble").await;
    assert!(d.source().await.contains("École des Tilleuls"));
    d.screenshot("admin.png").await;
    d.quit().await;
}

#[tokio::test]
async fn a_parent_activates_and_a_pupil_logs_in_with_pictures_in_chromium() {
    use preau::directory::{self, NewUser};
    use preau::policy::Profile;
    let server = TestServer::installed().await;
    let store = server.running.as_ref().unwrap().app.store.clone();
    let lou = directory::user_by_login(&store, "lou.petit")
        .unwrap()
        .unwrap();
    let nina = store
        .commit_checked_blocking(|tx| {
            let id = directory::create_user(
                tx,
                &NewUser {
                    login: "nina.roux".into(),
                    first_name: "Nina".into(),
                    last_name: "Roux".into(),
                    profile: Profile::Responsable,
                    functions: vec![],
                    email: None,
                    password_hash: None,
                    must_change_password: false,
                    created_at: 0,
                },
            )?;
            directory::link_parent(tx, id, lou.id)?;
            Ok(id)
        })
        .unwrap();
    let code = preau::activation::issue_codes(&store, &[nina], preau::auth::now_micros()).unwrap()
        [0]
    .1
    .clone();
    let seq = vec![4u8, 9, 1];
    let hash = preau::auth::password::hash_blocking(&preau::board::encode(&seq), 4).unwrap();
    store
        .commit_checked_blocking(|tx| {
            directory::save_pupil(
                tx,
                &lou,
                &directory::PupilRecord {
                    user_id: lou.id,
                    ine: None,
                    birth_date: "2019-06-05".into(),
                    sex: None,
                    level: None,
                    cycle: None,
                    onde_class_id: None,
                    photo_consent_declared: None,
                    leaving: None,
                    avatar: Some(12),
                    picture_hash: Some(hash.clone()),
                    card_token_hash: None,
                },
            )
        })
        .unwrap();
    let class = directory::classes_of(&store, lou.id).unwrap()[0];

    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    d.goto(&format!("{base}/activation?code={code}")).await;
    d.wait_for("Activer mon compte").await;
    d.click("button.primary").await;
    d.wait_for("Bonjour Nina").await;
    d.type_into("#f-password", "Chemin des écoliers 2026").await;
    d.type_into("#f-password_confirm", "Chemin des écoliers 2026")
        .await;
    d.click("#f-accept").await;
    d.screenshot("activation.png").await;
    d.click("button.primary").await;
    let home = d.wait_for("Mes enfants").await;
    assert!(
        home.contains("Votre compte est activé") && home.contains("lou"),
        "{home}"
    );
    d.screenshot("parent-home.png").await;

    // On the class tablet: log out, then the board.
    d.cmd(reqwest::Method::DELETE, "/cookie", json!(null)).await;
    d.goto(&format!("{base}/tableau")).await;
    d.wait_for("Choisis ta classe").await;
    d.click(&format!("a[href='/tableau/{class}']")).await;
    d.wait_for("qui es-tu").await;
    d.click(&format!("a[href='/tableau/{class}/{}']", lou.id))
        .await;
    d.wait_for("Touche tes 3 images").await;
    d.screenshot("board.png").await;
    for (i, n) in seq.iter().enumerate() {
        d.click(&format!("button.picture[value='{n}']")).await;
        if i + 1 < seq.len() {
            d.wait_for(&format!("{} image(s) sur 3", i + 1)).await;
        }
    }
    // The grid also greets the pupil: wait for what only the home page shows.
    let page = d.wait_for("Ma classe").await;
    assert!(page.contains("Bonjour lou"), "{page}");
    d.quit().await;
}

impl Driver {
    /// Signs in through the login page (after dropping any previous session).
    async fn sign_in(&self, base: &str, login: &str, password: &str) {
        self.cmd(reqwest::Method::DELETE, "/cookie", json!(null))
            .await;
        self.goto(&format!("{base}/connexion")).await;
        self.wait_for("Se connecter").await;
        self.type_into("#f-login", login).await;
        self.type_into("#f-password", password).await;
        self.click("button.primary").await;
        self.wait_for("Se déconnecter").await;
    }
}

#[tokio::test]
async fn a_message_is_sent_and_read_and_a_mot_is_signed_in_chromium() {
    let (server, f) = TestServer::school().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    let parent_password = crate::common::FOLKS_PASSWORD;

    // The director writes to Marc from the messagerie.
    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!("{base}/messagerie/ecrire")).await;
    d.wait_for("Nouveau message").await;
    d.click(&format!("#f-to option[value='u{}']", f.marc)).await;
    d.type_into("#f-subject", "Piscine de jeudi").await;
    d.type_into("#f-body", "Pensez au **bonnet de bain**.")
        .await;
    d.screenshot("message-compose.png").await;
    d.click("button[value='envoyer']").await;
    d.wait_for("Message envoyé à 1 personne").await;

    // Marc sees the bell, opens the message.
    d.sign_in(&base, "marc.petit", parent_password).await;
    let home = d.wait_for("Notifications : 1 non lue").await;
    assert!(home.contains("Messagerie"));
    d.goto(&format!("{base}/messagerie")).await;
    d.wait_for("Piscine de jeudi").await;
    d.click("table.messages a").await;
    let page = d.wait_for("bonnet de bain").await;
    assert!(page.contains("<strong>bonnet de bain</strong>"));
    d.screenshot("message-read.png").await;

    // The director publishes a mot to the CP-CE1 families, with a question.
    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!("{base}/carnet/nouveau")).await;
    d.wait_for("Nouveau mot aux familles").await;
    d.click(&format!("#a-c{}", f.cp)).await;
    d.type_into("#f-title", "Sortie au musée").await;
    d.type_into("#f-body", "Nous irons au musée le 12 décembre.")
        .await;
    d.type_into("#f-question", "J'autorise mon enfant à participer.")
        .await;
    d.click("form button.primary[type='submit']:not(.link)")
        .await;
    let follow = d.wait_for("Suivi : Sortie au musée").await;
    assert!(follow.contains("<strong>0 / 2</strong>"));
    let id: u64 = {
        let marker = "/carnet/";
        let i = follow.find("/relancer").unwrap();
        let start = follow[..i].rfind(marker).unwrap() + marker.len();
        follow[start..i].parse().unwrap()
    };

    // Marc signs « Oui ».
    d.sign_in(&base, "marc.petit", parent_password).await;
    d.goto(&format!("{base}/carnet/{id}")).await;
    d.wait_for("J'ai pris connaissance").await;
    d.click(&format!("#oui-{}", f.lou)).await;
    d.click("section.panel form button.primary").await;
    d.wait_for("votre signature est enregistrée").await;
    d.screenshot("mot-signed.png").await;

    // The director sees the change.
    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!("{base}/carnet/{id}/suivi")).await;
    let table = d.wait_for("Suivi : Sortie au musée").await;
    assert!(table.contains("<strong>1 / 2</strong>"), "{table}");
    assert!(table.contains("Oui : <strong>1</strong>"));
    d.quit().await;
}

#[tokio::test]
async fn a_photo_goes_into_the_class_space_then_into_a_message_and_a_pupil_records_her_voice_in_chromium(
) {
    let (server, f) = TestServer::school().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    let photo = server.dir.path().join("sortie-ferme.png");
    let img = image::DynamicImage::new_rgb8(300, 200);
    img.save(&photo).unwrap();

    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!("{base}/mediatheque/espace/classe-{}", f.cp))
        .await;
    d.wait_for("Ajouter").await;
    d.type_into("#f-files", photo.to_str().unwrap()).await;
    d.click("form[enctype] button.primary").await;
    let page = d.wait_for("Ajouté : sortie-ferme.png").await;
    let marker = "href=\"/mediatheque/element/";
    let i = page.find(marker).unwrap() + marker.len();
    let id: String = page[i..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    d.screenshot("media-class.png").await;

    d.goto(&format!("{base}/messagerie/ecrire")).await;
    d.wait_for("Joindre depuis la médiathèque").await;
    d.click(&format!("#f-to option[value='u{}']", f.marc)).await;
    d.type_into("#f-subject", "Photos de la ferme").await;
    d.type_into("#f-body", "Voici une photo de la sortie.")
        .await;
    d.click("details.picker-media summary").await;
    d.click(&format!("#pick-{id}")).await;
    d.click("button[value='envoyer']").await;
    d.wait_for("Message envoyé à 1 personne").await;

    d.sign_in(&base, "marc.petit", crate::common::FOLKS_PASSWORD)
        .await;
    d.goto(&format!("{base}/messagerie")).await;
    d.wait_for("Photos de la ferme").await;
    d.click("table.messages a").await;
    let msg = d.wait_for("Voici une photo").await;
    assert!(msg.contains("sortie-ferme.png"), "the photo is attached");

    // Lou records herself in her space (a fake microphone in headless Chromium).
    d.sign_in(&base, "lou.petit", crate::common::FOLKS_PASSWORD)
        .await;
    d.goto(&format!("{base}/mediatheque/espace/perso")).await;
    d.wait_for("S'enregistrer").await;
    d.click("[data-rec=start]").await;
    d.wait_for("Enregistrement en cours").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    d.click("[data-rec=stop]").await;
    d.wait_for("Écoute ton enregistrement").await;
    d.click("[data-rec=save]").await;
    let page = d.wait_for("Ajouté : enregistrement").await;
    assert!(page.contains(">Son<"), "stored as a sound: {page}");
    d.screenshot("media-recording.png").await;
    d.quit().await;
}

#[tokio::test]
async fn work_is_given_a_pupil_hands_in_a_recording_and_the_parent_sees_the_feedback_in_chromium() {
    let (server, f) = TestServer::school().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    let due = preau::ui::dates::date_value(preau::auth::now_micros() + 2 * 86_400_000_000);

    // The teacher gives work to hand in online.
    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!(
        "{base}/cahier-de-textes/nouveau?classe={}&type=travail",
        f.cp
    ))
    .await;
    d.wait_for("Donner du travail").await;
    d.type_into("#f-title", "Lis ta poésie").await;
    d.type_into("#f-day", &due.replace('-', "")).await;
    // Chromium's date field takes the digits in the locale's order; set it directly too.
    d.cmd(
        reqwest::Method::POST,
        "/execute/sync",
        json!({"script": "document.getElementById('f-day').value = arguments[0];", "args": [due]}),
    )
    .await;
    d.type_into("#f-body", "Enregistre-toi en lisant ta poésie.")
        .await;
    d.click("#f-online").await;
    d.click("form[enctype] button.primary").await;
    d.wait_for("Enregistré dans le cahier de textes").await;

    // Lou records herself and hands in.
    d.sign_in(&base, "lou.petit", crate::common::FOLKS_PASSWORD)
        .await;
    d.goto(&format!("{base}/devoirs")).await;
    d.wait_for("Lis ta poésie").await;
    d.click("table.list a").await;
    d.wait_for("Rendre mon travail").await;
    d.type_into("#f-text", "Voici ma lecture.").await;
    d.click("[data-rec=start]").await;
    d.wait_for("Enregistrement en cours").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    d.click("[data-rec=stop]").await;
    d.wait_for("Écoute ton enregistrement").await;
    d.click("[data-rec=save]").await;
    d.wait_for("il partira avec le formulaire").await;
    d.click("form[enctype] button.primary[type=submit]").await;
    let page = d.wait_for("Ton travail est rendu").await;
    assert!(
        page.contains("<audio") && page.contains("enregistrement"),
        "the recording is in the hand-in"
    );
    d.screenshot("homework-handed-in.png").await;

    // The teacher answers.
    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!("{base}/devoirs")).await;
    d.wait_for("Lis ta poésie").await;
    d.click("table.list a").await;
    d.wait_for("Rendus").await;
    d.click(&format!("a[href$='/eleve/{}']", f.lou)).await;
    d.wait_for("Mon retour").await;
    d.type_into("#f-text", "Très belle lecture, bravo !").await;
    d.click("button[value='corrige']").await;
    d.wait_for("Travail rendu corrigé").await;

    // Marc sees the status and the feedback.
    d.sign_in(&base, "marc.petit", crate::common::FOLKS_PASSWORD)
        .await;
    d.goto(&format!("{base}/devoirs")).await;
    let list = d.wait_for("Devoirs de").await;
    assert!(list.contains("Corrigé"), "{list}");
    d.click("table.list a").await;
    let page = d.wait_for("Très belle lecture").await;
    assert!(page.contains("Voici ma lecture.") && page.contains("<audio"));
    d.screenshot("homework-parent.png").await;
    d.quit().await;
}

#[tokio::test]
async fn a_pupil_proposes_an_article_with_a_picture_the_teacher_publishes_a_parent_comments_in_chromium(
) {
    let (server, f) = TestServer::school().await;
    let Some(d) = Driver::start().await else {
        return;
    };
    let base = format!("https://127.0.0.1:{}", server.https.port());
    let photo = server.dir.path().join("potager.png");
    image::DynamicImage::new_rgb8(320, 200)
        .save(&photo)
        .unwrap();

    d.sign_in(&base, "lou.petit", crate::common::FOLKS_PASSWORD)
        .await;
    d.goto(&format!("{base}/blog/classe-{}", f.cp)).await;
    d.wait_for("Écrire un article").await;
    d.click("a.button.big").await;
    d.wait_for("Mon article").await;
    d.type_into("#f-title", "Notre potager").await;
    d.type_into("#f-body", "Les radis ont poussé !").await;
    d.type_into("#f-files", photo.to_str().unwrap()).await;
    d.screenshot("blog-pupil-editor.png").await;
    d.click("button[value='proposer']").await;
    d.wait_for("proposé, en attente").await;

    d.sign_in(&base, crate::common::DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
        .await;
    d.goto(&format!("{base}/blog")).await;
    d.wait_for("Articles proposés par les élèves").await;
    d.click("section.panel ul a").await;
    d.wait_for("Les radis ont poussé").await;
    d.click("form[action$='/publier'] button").await;
    d.wait_for("Article publié").await;

    d.sign_in(&base, "marc.petit", crate::common::FOLKS_PASSWORD)
        .await;
    d.goto(&format!("{base}/blog/classe-{}", f.cp)).await;
    d.wait_for("Notre potager").await;
    d.click("article.post h2 a").await;
    d.wait_for("Les radis ont poussé").await;
    d.type_into("#f-comment", "Bravo les jardiniers !").await;
    d.click("section.comments button.primary").await;
    let page = d.wait_for("sera publié quand l").await;
    assert!(
        page.contains("Bravo les jardiniers") && page.contains("en attente de l'enseignant"),
        "the parent sees their comment held"
    );
    assert!(page.contains("/media/0"), "the picture is in the article");
    d.screenshot("blog-parent.png").await;
    d.quit().await;
}
