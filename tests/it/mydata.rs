//! « Mes données »: a parent downloads the archive of what Préau holds about them and
//! their child, made in the background; it holds their own messages and mots and nobody
//! else's; nobody else downloads it; the director makes one for a parent who asks on
//! paper; the hourly job deletes archives after 7 days; requests and downloads are
//! audited.

use std::io::Read;

use crate::common::{Client, TestServer, DIRECTOR_LOGIN};

fn pdf(text: &str) -> Vec<u8> {
    let mut v = format!("%PDF-1.4\n% {text}\n").into_bytes();
    v.resize(300, b' ');
    v
}

/// Publishes a mot to a class's families as the director; its id.
async fn mot(c: &mut Client, class: u64, title: &str) -> u64 {
    c.get("/carnet/nouveau").await;
    let page = c
        .post_multipart(
            "/carnet/nouveau",
            &[
                ("audience", &format!("c{class}")),
                ("title", title),
                ("body", "Texte du mot."),
                ("question", "J'autorise mon enfant."),
                ("deadline", "2099-12-01"),
            ],
            &[("files", "programme sortie.pdf", pdf(title))],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    crate::common::id_after(&page.location.unwrap(), "/carnet/").unwrap()
}

async fn send(c: &mut Client, to: u64, subject: &str, body: &str) {
    c.get("/messagerie/ecrire").await;
    let page = c
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &format!("u{to}")),
                ("subject", subject),
                ("body", body),
                ("action", "envoyer"),
            ],
            &[("files", "../../certificat.pdf", pdf(subject))],
        )
        .await;
    assert_eq!(page.status, 303, "{subject}: {}", page.body);
}

/// Polls `page` (bounded) until it offers a download under `prefix`; its URL.
/// While it is being made, the page says so and asks the browser to come back (no
/// script needed).
async fn ready(c: &mut Client, page: &str, prefix: &str) -> String {
    for _ in 0..300 {
        let resp = c
            .http
            .get(format!("{}{page}", c.base))
            .send()
            .await
            .unwrap();
        let refresh = resp.headers().get("refresh").is_some();
        let body = resp.text().await.unwrap();
        if let Some(id) = crate::common::id_after(&body, &format!("href=\"{prefix}")) {
            assert!(!refresh, "a ready page stays still");
            return format!("{prefix}{id}/archive");
        }
        assert!(
            body.contains("en préparation") && body.contains("Rafraîchir") && refresh,
            "the page says it is being made: {body}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the archive was not ready in 30 s");
}

/// (status, bytes) of a download.
async fn fetch(c: &Client, path: &str) -> (u16, Vec<u8>) {
    let resp = c
        .http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.bytes().await.unwrap().to_vec())
}

/// Every entry of the archive: (name, content).
fn files(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        out.push((f.name().to_string(), bytes));
    }
    out
}

/// Every entry of the archive: (name, content as text).
fn entries(zip: &[u8]) -> Vec<(String, String)> {
    files(zip)
        .into_iter()
        .map(|(n, b)| (n, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

/// Signs in as `login`, asks for the archive and downloads it once ready.
async fn archive_of(server: &TestServer, login: &str) -> Vec<u8> {
    let mut c = server.signed_in(login).await;
    assert_eq!(c.post("/compte/mes-donnees", &[]).await.status, 303);
    let url = ready(&mut c, "/compte/mes-donnees", "/compte/mes-donnees/").await;
    let (status, zip) = fetch(&c, &url).await;
    assert_eq!(status, 200);
    zip
}

fn audit_lines(server: &TestServer, words: &str) -> usize {
    preau::auth::journal::recent_audit(&server.store(), 1000)
        .unwrap()
        .iter()
        .filter(|e| e.action.contains(words))
        .count()
}

#[tokio::test]
async fn a_parent_downloads_their_data_and_their_childs_and_nobody_elses() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    // Lou's family gets a mot, which Marc signs; Zoé's family gets another.
    let ours = mot(&mut director, f.cp, "Sortie au musée").await;
    mot(&mut director, f.cm, "Piscine des grands").await;
    let mut marc = server.signed_in("marc.petit").await;
    marc.get(&format!("/carnet/{ours}")).await;
    let signed = marc
        .post(
            &format!("/carnet/{ours}/signer"),
            &[("eleve", &f.lou.to_string()), ("reponse", "oui")],
        )
        .await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    // Marc writes to the director; the director writes to Marc and to Inès.
    send(&mut marc, f.director, "Absence de Lou mardi", "Bonjour.").await;
    let welcome = "Bienvenue dans la **messagerie**.";
    send(&mut director, f.marc, "Bienvenue", welcome).await;
    send(&mut director, f.ines, "Rendez-vous avec Inès", "Bonjour.").await;

    let page = marc.get("/compte/mes-donnees").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Préparer mon archive"));
    let r = marc.post("/compte/mes-donnees", &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let url = ready(&mut marc, "/compte/mes-donnees", "/compte/mes-donnees/").await;
    let (status, zip) = fetch(&marc, &url).await;
    assert_eq!(status, 200);
    let all = entries(&zip);
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    for part in ["index.html", "profil.json", "messages.html", "carnet.json"] {
        assert!(names.contains(&part), "{part} in {names:?}");
    }
    assert!(
        names
            .iter()
            .all(|n| !n.contains("..") && !n.starts_with('/')),
        "entry names are made by the archive: {names:?}"
    );
    let text: String = all.iter().map(|(_, t)| t.as_str()).collect();
    assert!(text.contains("Absence de Lou mardi"), "his message");
    assert!(text.contains("Sortie au musée"), "the mot he signed");
    assert!(text.contains("Lou"), "his child");
    assert!(
        names
            .iter()
            .any(|n| n.starts_with(&format!("enfant-{}-", f.lou))),
        "the child's parts: {names:?}"
    );
    // The canteen's part of the child: the diet and PAI answer the family gave.
    assert!(
        names
            .iter()
            .any(|n| n.starts_with(&format!("enfant-{}-", f.lou)) && n.ends_with("-cantine.json")),
        "the child's canteen: {names:?}"
    );
    assert!(
        text.contains("standard, PAI : non"),
        "the diet in the archive"
    );
    assert!(
        text.contains("% Sortie au musée") && text.contains("% Absence de Lou mardi"),
        "the mot's and the message's files are copied"
    );
    assert!(!text.contains("Piscine des grands"), "another family's mot");
    let page = |name: &str| -> &str {
        &all.iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} in {names:?}"))
            .1
    };
    // Read on a phone: every page is laid out at the phone's width.
    let viewport = r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#;
    assert!(page("index.html").contains(viewport) && page("messages.html").contains(viewport));
    // Files were copied: the index says where they are.
    assert!(page("index.html").contains("dossier « fichiers »"));
    // A parent hands in no work and does no exercises: no such parts of his own (they
    // were there, always empty: 2 parts before, 0 now); his child's are there.
    for part in [
        "devoirs.json",
        "devoirs.html",
        "exercices.json",
        "exercices.html",
    ] {
        assert!(!names.contains(&part), "{part} in {names:?}");
    }
    assert!(!page("index.html").contains("Mes devoirs rendus"));
    let child = |part: &str| format!("enfant-{}-lou-{part}", f.lou);
    assert!(names.contains(&child("devoirs.html").as_str()), "{names:?}");
    assert!(
        names.contains(&child("exercices.html").as_str()),
        "{names:?}"
    );
    // The child's profile names the profile in French, without the national code
    // (which the JSON keeps).
    let profile = page(&child("profil.html"));
    assert!(profile.contains("<dd>Élève</dd>"), "{profile}");
    assert!(!profile.contains("National_ELV"), "{profile}");
    assert!(page(&child("profil.json")).contains("National_ELV"));
    // Messages: the received one says from whom, the sent one to whom; the body reads
    // as in the messagerie (its Markdown rendered, through the sanitiser).
    let messages = page("messages.html");
    assert!(messages.contains("reçu de Claire Martin"), "{messages}");
    assert!(messages.contains("envoyé à Claire Martin"), "{messages}");
    assert!(!messages.contains("— envoyé<"), "{messages}");
    assert!(
        messages.contains("<strong>messagerie</strong>"),
        "{messages}"
    );
    assert!(!messages.contains("**messagerie**"), "{messages}");
    assert!(
        page("messages.json").contains(welcome),
        "the JSON keeps the text"
    );
    assert!(!text.contains("Rendez-vous avec Inès"), "another's message");
    let carnet: serde_json::Value =
        serde_json::from_str(&all.iter().find(|(n, _)| n == "carnet.json").unwrap().1).unwrap();
    let sortie = carnet
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["title"] == "Sortie au musée")
        .unwrap();
    assert_eq!(
        sortie["signatures"].as_array().unwrap().len(),
        1,
        "his own only"
    );
    assert!(sortie["signatures"][0]["signed_at"].is_string());
    assert_eq!(sortie["signatures"][0]["answer"], true);

    // Nobody else downloads it: Anne (Lou's other guardian), Inès, the director's
    // console (not made there).
    let mut anne = server.signed_in("anne.petit").await;
    assert_eq!(fetch(&anne, &url).await.0, 404);
    anne.get("/accueil").await;
    let ines = server.signed_in("ines.leroy").await;
    assert_eq!(fetch(&ines, &url).await.0, 404);
    let console_url = url.replace("/compte/", "/admin/");
    assert_eq!(fetch(&director, &console_url).await.0, 404);
    assert_eq!(fetch(&ines, &console_url).await.0, 403);
    assert_eq!(
        audit_lines(&server, "demandée"),
        1,
        "one request went through"
    );
    assert_eq!(audit_lines(&server, "téléchargée"), 1);

    // The director makes one for Marc, who asked on paper, and downloads it; a plain
    // GET search narrows the list of accounts (accents folded).
    let all_accounts = director.get("/admin/mes-donnees").await;
    assert_eq!(all_accounts.status, 200);
    let options = |body: &str| body.matches("<option value=").count();
    let found = director.get("/admin/mes-donnees?q=PETIT+MARC").await;
    assert_eq!(options(&found.body), 1, "{}", found.body);
    assert!(found
        .body
        .contains(&format!("<option value=\"{}\">", f.marc)));
    assert!(options(&all_accounts.body) > 3);
    let accented = director.get("/admin/mes-donnees?q=ines").await;
    assert!(accented.body.contains("ines.leroy"), "{}", accented.body);
    let none = director.get("/admin/mes-donnees?q=personne").await;
    assert_eq!(options(&none.body), 0);
    assert!(none.body.contains("Aucun compte ne correspond"));
    let r = director
        .post("/admin/mes-donnees", &[("compte", &f.marc.to_string())])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let console = ready(&mut director, "/admin/mes-donnees", "/admin/mes-donnees/").await;
    let (status, zip) = fetch(&director, &console).await;
    assert_eq!(status, 200);
    let text: String = entries(&zip).into_iter().map(|(_, t)| t).collect();
    assert!(text.contains("Absence de Lou mardi"));
    assert!(!text.contains("Rendez-vous avec Inès"));
    assert_eq!(fetch(&ines, &console).await.0, 403);
    assert_eq!(fetch(&marc, &url).await.0, 404, "replaced by the new one");
    assert_eq!(audit_lines(&server, "préparée pour"), 1);
    assert_eq!(audit_lines(&server, "téléchargée"), 2);

    // Eight days later the hourly job has deleted it.
    let store = server.store();
    let folder = server.dir.path().join("mes-donnees");
    let files = || std::fs::read_dir(&folder).unwrap().count();
    assert_eq!(files(), 1, "the first archive went when it was replaced");
    let now = preau::auth::now_micros();
    assert_eq!(preau::account::export::purge(&store, now).unwrap(), 0);
    let later = now + 8 * 86_400 * 1_000_000;
    assert_eq!(preau::account::export::purge(&store, later).unwrap(), 1);
    assert_eq!(files(), 0);
    assert!(preau::account::export::current(&store, f.marc)
        .unwrap()
        .is_none());
    assert_eq!(fetch(&director, &console).await.0, 404);
}

#[tokio::test]
async fn a_childs_photo_reaches_the_guardian_through_the_publishing_step() {
    use preau::pedagogy::homework::{Status, Submission, Version, SUBMISSIONS};
    let (server, f) = TestServer::school().await;
    let store = server.store();
    // A hand-in stored before uploads were cleaned: the photo keeps its GPS position.
    let photo = crate::media::phone_photo();
    let blob = store.blobs().put_bytes(&photo).unwrap();
    let hand_in = Submission {
        status: Status::HandedIn,
        versions: vec![Version {
            at: preau::auth::now_micros(),
            text: "Mon dessin".into(),
            attachments: vec![preau::attachments::Attachment {
                blob: blob.as_str().to_string(),
                name: "dessin.jpg".into(),
                mime: "image/jpeg".into(),
                size: photo.len() as u64,
            }],
        }],
        feedback: vec![],
    };
    store
        .commit_blocking(|tx| tx.put(&SUBMISSIONS, &(999, f.lou), &hand_in))
        .unwrap();
    let exif = |b: &[u8]| b.windows(4).any(|w| w == b"Exif");

    // Lou's own archive: her file as she handed it in.
    let own = files(&archive_of(&server, "lou.petit").await);
    let (_, original) = own
        .iter()
        .find(|(n, _)| n.starts_with("fichiers/devoirs/") && n.ends_with("dessin.jpg"))
        .unwrap_or_else(|| panic!("{:?}", own.iter().map(|e| &e.0).collect::<Vec<_>>()));
    assert_eq!(original, &photo, "the original");

    // A pupil's archive has her own hand-ins and exercise results.
    let names: Vec<&str> = own.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"devoirs.html") && names.contains(&"exercices.json"));
    // Inès's has no file: her index does not mention a « fichiers » folder.
    let ines = entries(&archive_of(&server, "ines.leroy").await);
    assert!(ines.iter().all(|(n, _)| !n.starts_with("fichiers/")));
    let (_, index) = ines.iter().find(|(n, _)| n == "index.html").unwrap();
    assert!(!index.contains("dossier « fichiers »"), "{index}");

    // Her father's: the published version, without the position.
    let prefix = format!("fichiers/enfant-{}-", f.lou);
    let parent = files(&archive_of(&server, "marc.petit").await);
    let (_, sent) = parent
        .iter()
        .find(|(n, _)| n.starts_with(&prefix) && n.ends_with("dessin.jpg"))
        .unwrap_or_else(|| panic!("{:?}", parent.iter().map(|e| &e.0).collect::<Vec<_>>()));
    assert!(sent.starts_with(&[0xFF, 0xD8]), "still a JPEG");
    assert!(exif(original) && !exif(sent), "no GPS position travels");
    let text: String = parent
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(text.contains("Mon dessin"), "the child's hand-in");
}
