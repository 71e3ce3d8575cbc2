//! Suivi des apprentissages (issue 19), what the maternelle's carnet has around the
//! réussites: the attendus picked (the programme's and the school's own), a sound
//! réussite served with its type and by ranges, the child's own carnet in kid mode (only
//! theirs, no search box), the synthèse des acquis of GS entered, shared, signed by each
//! guardian and printed, and the refusals; the carnet in « Mes données » is in
//! `progress_mydata.rs`.

use preau::directory::{self, Level, Membership};
use preau::policy::Profile;

use crate::common::{add_person, id_after, Client, TestServer};

/// The MS-GS class of Léa, with Jules (two guardians) and Emma (one).
pub(crate) struct Hiboux {
    pub(crate) class: u64,
    pub(crate) jules: u64,
    pub(crate) emma: u64,
}

pub(crate) fn hiboux(server: &TestServer) -> Hiboux {
    let store = server.store();
    let class = store
        .commit_blocking(|tx| {
            directory::create_class(tx, "MS-GS Les Hiboux", &[Level::MS, Level::GS])
        })
        .unwrap();
    add_person(
        &store,
        "lea.garnier",
        Profile::Enseignant,
        Some((class, Membership::Teacher)),
    );
    let jules = add_person(
        &store,
        "jules.roux",
        Profile::Eleve,
        Some((class, Membership::Pupil)),
    );
    let emma = add_person(
        &store,
        "emma.caron",
        Profile::Eleve,
        Some((class, Membership::Pupil)),
    );
    let camille = add_person(&store, "camille.roux", Profile::Responsable, None);
    let david = add_person(&store, "david.roux", Profile::Responsable, None);
    let sarah = add_person(&store, "sarah.caron", Profile::Responsable, None);
    store
        .commit_blocking(|tx| {
            directory::link_parent(tx, camille, jules)?;
            directory::link_parent(tx, david, jules)?;
            directory::link_parent(tx, sarah, emma)
        })
        .unwrap();
    store.flush_blocking().unwrap();
    Hiboux { class, jules, emma }
}

fn today() -> String {
    preau::ui::dates::date_value(preau::auth::now_micros())
}

/// A second of silence as a WAV file (what a tablet's recorder may give).
pub(crate) fn wav() -> Vec<u8> {
    let samples = 8_000u32;
    let mut out = b"RIFF".to_vec();
    out.extend((36 + samples * 2).to_le_bytes());
    out.extend(b"WAVEfmt ");
    out.extend(16u32.to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend(8_000u32.to_le_bytes());
    out.extend(16_000u32.to_le_bytes());
    out.extend(2u16.to_le_bytes());
    out.extend(16u16.to_le_bytes());
    out.extend(b"data");
    out.extend((samples * 2).to_le_bytes());
    out.resize(out.len() + (samples * 2) as usize, 0);
    out
}

fn png() -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::new_rgb8(16, 12)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// Léa files a réussite for `pupils`; the response.
pub(crate) async fn reussite(
    lea: &mut Client,
    class: u64,
    fields: &[(&str, &str)],
    pupils: &[u64],
    file: Option<(&str, Vec<u8>)>,
) -> crate::common::Page {
    let form = format!("/suivi/classe/{class}/reussite");
    lea.get(&form).await;
    let ids: Vec<String> = pupils.iter().map(|p| p.to_string()).collect();
    let day = today();
    let mut all: Vec<(&str, &str)> = vec![("date", day.as_str())];
    all.extend_from_slice(fields);
    all.extend(ids.iter().map(|i| ("eleves", i.as_str())));
    let files: Vec<(&str, &str, Vec<u8>)> =
        file.into_iter().map(|(n, b)| ("photo", n, b)).collect();
    lea.post_multipart(&form, &all, &files).await
}

#[tokio::test]
async fn attendus_are_picked_never_required_and_the_school_adds_its_own() {
    let (server, f) = TestServer::school().await;
    let h = hiboux(&server);
    let mut lea = server.signed_in("lea.garnier").await;
    let list = lea.get("/suivi/attendus").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body
            .contains("Dire la suite des nombres jusqu'à trente"),
        "the programme's"
    );
    let own = "Nommer les camarades de la classe";
    let r = lea
        .post("/suivi/attendus", &[("domaine", "langage"), ("texte", own)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = lea
        .post("/suivi/attendus", &[("domaine", ""), ("texte", "")])
        .await;
    assert_eq!(r.status, 400, "refused beside its fields");
    assert!(r.body.contains("Choisissez le domaine de l'attendu"));
    let form = lea
        .get(&format!("/suivi/classe/{}/reussite", h.class))
        .await
        .body;
    assert!(
        form.contains(&format!("<option value=\"{own}\"")),
        "the school's own to pick"
    );

    // Picked without a domain: the attendu's is taken.
    let r = reussite(
        &mut lea,
        h.class,
        &[
            ("domaine", ""),
            ("phrase", "Je connais le prénom de tous mes copains"),
            ("attendu", own),
        ],
        &[h.jules],
        None,
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // None picked: a réussite all the same (never a checklist).
    let r = reussite(
        &mut lea,
        h.class,
        &[
            ("domaine", "explorer-le-monde"),
            ("phrase", "Je sais nourrir le lapin"),
        ],
        &[h.jules],
        None,
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // An attendu of another domain than the one chosen, or not in the lists: refused.
    let r = reussite(
        &mut lea,
        h.class,
        &[
            ("domaine", "explorer-le-monde"),
            ("phrase", "Je compte"),
            ("attendu", "Dire la suite des nombres jusqu'à trente"),
        ],
        &[h.jules],
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Cet attendu est du domaine"), "{}", r.body);
    let r = reussite(
        &mut lea,
        h.class,
        &[
            ("domaine", "langage"),
            ("phrase", "Je vole"),
            ("attendu", "Savoir voler"),
        ],
        &[h.jules],
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    let carnet = lea.get(&format!("/suivi/eleve/{}", h.jules)).await.body;
    assert!(carnet.contains(&format!("Attendu : {own}")), "{carnet}");
    assert!(
        carnet.contains("Mobiliser le langage"),
        "the attendu's domain"
    );

    // Removed from the list, the réussite keeps its text.
    let list = lea.get("/suivi/attendus").await.body;
    let id = id_after(&list, "name=\"attendu\" value=\"").unwrap();
    let r = lea
        .post("/suivi/attendus/retirer", &[("attendu", &id.to_string())])
        .await;
    assert_eq!(r.status, 303);
    assert!(!lea.get("/suivi/attendus").await.body.contains(own));
    assert!(lea
        .get(&format!("/suivi/eleve/{}", h.jules))
        .await
        .body
        .contains(own));

    // Only the teachers keep the list.
    for login in ["jules.roux", "camille.roux"] {
        let mut c = server.signed_in(login).await;
        assert_eq!(c.get("/suivi/attendus").await.status, 403, "{login}");
        c.get("/accueil").await;
        assert_eq!(
            c.post("/suivi/attendus", &[("domaine", "langage"), ("texte", "x")])
                .await
                .status,
            403,
            "{login}"
        );
    }
    let _ = f;
    server.stop().await;
}

#[tokio::test]
async fn a_sound_reussite_plays_for_the_family_with_its_type_and_by_ranges() {
    let (server, _f) = TestServer::school().await;
    let h = hiboux(&server);
    let mut lea = server.signed_in("lea.garnier").await;
    let r = reussite(
        &mut lea,
        h.class,
        &[
            ("domaine", "activites-artistiques"),
            ("phrase", "Je sais chanter Une souris verte"),
        ],
        &[h.jules],
        Some(("comptine.wav", wav())),
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let carnet = lea.get(&format!("/suivi/eleve/{}", h.jules)).await.body;
    assert!(
        carnet.contains("<audio"),
        "a sound, not a picture: {carnet}"
    );
    let id = id_after(&carnet, "href=\"/suivi/reussite/").unwrap();
    // A file that is neither a picture, a sound nor a video is refused.
    let r = reussite(
        &mut lea,
        h.class,
        &[("domaine", "langage"), ("phrase", "Je lis")],
        &[h.jules],
        Some(("livret.pdf", b"%PDF-1.4\n%%EOF\n".repeat(20))),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("ni une photo, ni un son, ni une vidéo"),
        "{}",
        r.body
    );

    lea.post(&format!("/suivi/eleve/{}/partager", h.jules), &[])
        .await;
    let camille = server.signed_in("camille.roux").await;
    let resp = camille
        .http
        .get(format!("{}/suivi/reussite/{id}/photo", camille.base))
        .header("Range", "bytes=0-3")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 206);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("audio/"));
    assert_eq!(resp.bytes().await.unwrap().as_ref(), b"RIFF");
    // Another family does not reach it.
    let sarah = server.signed_in("sarah.caron").await;
    let status = sarah
        .http
        .get(format!("{}/suivi/reussite/{id}/photo", sarah.base))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 403);

    // A recording kept in Léa's médiathèque, picked for Emma: the same pipeline.
    let page = crate::media::upload(&mut lea, "perso", None, &[("poeme.wav", wav())]).await;
    let item = crate::media::item_id(&page.body, "poeme.wav");
    let form = lea
        .get(&format!("/suivi/classe/{}/reussite", h.class))
        .await;
    assert!(
        form.body
            .contains(&format!("name=\"media\" value=\"{item}\"")),
        "the picker"
    );
    let r = reussite(
        &mut lea,
        h.class,
        &[
            ("domaine", "langage"),
            ("phrase", "Je sais dire un poème"),
            ("media", &item.to_string()),
        ],
        &[h.emma],
        None,
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let carnet = lea.get(&format!("/suivi/eleve/{}", h.emma)).await.body;
    assert!(carnet.contains("<audio") && carnet.contains("Je sais dire un poème"));
    server.stop().await;
}

#[tokio::test]
async fn the_child_sees_their_own_carnet_in_kid_mode_and_nobody_elses() {
    let (server, _f) = TestServer::school().await;
    let h = hiboux(&server);
    let mut lea = server.signed_in("lea.garnier").await;
    let r = reussite(
        &mut lea,
        h.class,
        &[
            ("domaine", "activite-physique"),
            ("phrase", "Je sais sauter à cloche-pied"),
        ],
        &[h.jules],
        Some(("saut.png", png())),
    )
    .await;
    assert_eq!(r.status, 303);
    let r = reussite(
        &mut lea,
        h.class,
        &[
            ("domaine", "langage"),
            ("phrase", "Je sais écrire mon prénom"),
        ],
        &[h.emma],
        None,
    )
    .await;
    assert_eq!(r.status, 303);
    let emma_entry = id_after(
        &lea.get(&format!("/suivi/eleve/{}", h.emma)).await.body,
        "href=\"/suivi/reussite/",
    )
    .unwrap();

    let mut jules = server.signed_in("jules.roux").await;
    let page = jules.get("/suivi").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Mes réussites"));
    // Not shared yet: the child sees it all the same, in class, with the teacher.
    assert!(
        page.body.contains("Je sais sauter à cloche-pied"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("Je sais écrire mon prénom"),
        "only their own"
    );
    assert!(page.body.contains("data-ecouter=\"reussite-"), "read aloud");
    assert!(
        page.body.contains("kid-sentence"),
        "large text without script"
    );
    assert!(
        !page.body.contains("entete-recherche"),
        "no search box in kid mode"
    );
    let own = id_after(&page.body, "/suivi/reussite/").unwrap();
    assert_eq!(
        jules
            .get(&format!("/suivi/reussite/{own}/photo"))
            .await
            .status,
        200
    );
    assert_eq!(
        jules
            .get(&format!("/suivi/reussite/{emma_entry}/photo"))
            .await
            .status,
        403
    );
    for path in [
        format!("/suivi/eleve/{}", h.emma),
        format!("/suivi/eleve/{}", h.jules),
        format!("/suivi/eleve/{}/synthese", h.jules),
    ] {
        assert_eq!(jules.get(&path).await.status, 403, "{path}");
    }
    // An older pupil keeps the search box.
    let zoe = server
        .signed_in("zoe.leroy")
        .await
        .get("/accueil")
        .await
        .body;
    assert!(zoe.contains("entete-recherche"));
    server.stop().await;
}

/// Every line of the grid at `level`, and the two texts.
fn grid(level: &'static str, lines: usize) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> =
        (0..lines).map(|i| (format!("l-{i}"), level)).collect();
    out.push(("points-forts".into(), "Raconte volontiers, aime chanter."));
    out.push(("besoins".into(), "Tenir son crayon."));
    out
}

#[tokio::test]
async fn the_gs_synthese_is_entered_shared_signed_by_each_guardian_and_printed() {
    let (server, _f) = TestServer::school().await;
    let h = hiboux(&server);
    let lines = preau::progress::synthese::grid_len();
    let page = format!("/suivi/eleve/{}/synthese", h.jules);
    let mut lea = server.signed_in("lea.garnier").await;
    assert!(
        lea.get(&format!("/suivi/eleve/{}", h.jules))
            .await
            .body
            .contains(&format!("href=\"{page}\"")),
        "a GS child's carnet leads to it"
    );
    let form = lea.get(&page).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Réussit souvent") && form.body.contains("Est en voie de réussite"));
    // A line left out: refused beside it, what was chosen kept.
    let mut fields = grid("souvent", lines);
    fields.remove(2);
    let sent: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let r = lea.post(&page, &sent).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Choisissez où en est l'enfant"));
    assert!(r.body.contains("Raconte volontiers"));
    let mut fields = grid("en-voie", lines);
    fields[0].1 = "souvent";
    let sent: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(lea.post(&page, &sent).await.status, 303);

    // Not shared yet: the family does not see it.
    let mut camille = server.signed_in("camille.roux").await;
    assert_eq!(camille.get(&page).await.status, 404);
    assert_eq!(camille.get(&format!("{page}/imprimer")).await.status, 404);
    lea.get(&page).await;
    assert_eq!(lea.post(&format!("{page}/partager"), &[]).await.status, 303);
    // Shared, it no longer changes.
    let fields = grid("pas-encore", lines);
    let sent: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    lea.get(&page).await;
    assert_eq!(lea.post(&page, &sent).await.status, 303);
    let read = lea.get(&page).await.body;
    assert!(read.contains("pas encore signé"), "{read}");
    let paper = lea.get(&format!("{page}/imprimer")).await.body;
    assert_eq!(
        paper.matches("date et signature").count(),
        2,
        "a place to sign by hand"
    );
    assert!(
        !read.contains("X</strong><span class=\"sr-only\"> (Ne réussit pas encore)"),
        "unchanged"
    );

    // Each guardian reads and signs.
    assert!(camille
        .get("/notifications")
        .await
        .body
        .contains("Synthèse des acquis de jules : à lire et à signer"));
    for (login, mut c) in [
        ("camille.roux", camille),
        ("david.roux", server.signed_in("david.roux").await),
    ] {
        let body = c.get(&page).await.body;
        assert!(body.contains("Raconte volontiers"), "{login}");
        let share = id_after(&body, "name=\"partage\" value=\"").expect("the form to sign");
        let r = c
            .post(
                &format!("/suivi/eleve/{}/vu", h.jules),
                &[("partage", &share.to_string())],
            )
            .await;
        assert_eq!(r.status, 303);
        assert_eq!(r.location.as_deref(), Some(page.as_str()));
        let body = c.get(&page).await.body;
        assert!(body.contains("Votre signature est enregistrée"), "{login}");
        assert!(!body.contains("name=\"partage\""), "{login} signs once");
    }
    let read = lea.get(&page).await.body;
    assert_eq!(read.matches("signé le").count(), 2, "{read}");
    assert!(!read.contains("pas encore signé"));

    // The A4 sheet with the school's header and the signatures.
    let sheet = lea.get(&format!("{page}/imprimer")).await;
    assert_eq!(sheet.status, 200);
    for text in [
        "synthese-sheet",
        "École des Tilleuls",
        "1 rue des Écoles",
        "Réussit souvent",
        "Tenir son crayon",
        "signé le",
    ] {
        assert!(sheet.body.contains(text), "{text}: {}", sheet.body);
    }
    // Another family, a pupil: refused.
    let mut sarah = server.signed_in("sarah.caron").await;
    assert_eq!(sarah.get(&page).await.status, 403);
    assert_eq!(sarah.get(&format!("{page}/imprimer")).await.status, 403);
    sarah.get("/accueil").await;
    assert_eq!(sarah.post(&page, &[("l-0", "souvent")]).await.status, 403);
    assert_eq!(
        sarah.post(&format!("{page}/partager"), &[]).await.status,
        403
    );
    server.stop().await;
}

/// The synthèse des acquis is the end of GS's: for a child in another class (a CM1
/// pupil, here seen by the director, who keeps every carnet), the page offers no form,
/// and neither saving nor sharing is accepted once the child's record says CM1.
#[tokio::test]
async fn no_synthese_is_written_or_shared_for_a_child_not_in_gs() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    // The school's fixture makes pupils without a record: Zoé gets one saying CM1.
    let record = directory::PupilRecord {
        user_id: f.zoe,
        ine: None,
        birth_date: "2016-01-01".into(),
        sex: None,
        level: Some(Level::CM1),
        cycle: None,
        onde_class_id: None,
        photo_consent_declared: None,
        leaving: None,
        avatar: None,
        picture_hash: None,
        card_token_hash: None,
    };
    store
        .commit_blocking(|tx| tx.put(&directory::PUPILS, &f.zoe, &record))
        .unwrap();
    let lines = preau::progress::synthese::grid_len();
    let page = format!("/suivi/eleve/{}/synthese", f.zoe);
    let mut director = server.signed_in(crate::common::DIRECTOR_LOGIN).await;
    let shown = director.get(&page).await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("pas inscrit en grande section"));
    assert!(!shown.body.contains("Enregistrer la synthèse"));
    let fields = grid("souvent", lines);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let saved = director.post(&page, &fields).await;
    assert_eq!(saved.status, 400, "{}", saved.body);
    assert!(saved.body.contains("pas inscrit en grande section"));
    assert!(preau::progress::synthese::of_pupil(&server.store(), f.zoe)
        .unwrap()
        .is_none());
    director.get(&page).await;
    let shared = director.post(&format!("{page}/partager"), &[]).await;
    assert_eq!(shared.status, 400);
    server.stop().await;
}
