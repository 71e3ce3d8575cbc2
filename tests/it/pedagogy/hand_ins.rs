//! Hand-ins going back and forth between pupil and teacher (parents see the same status),
//! and oversized hand-ins refused with the text kept.

use super::{day, give, school};
use crate::common::DIRECTOR_LOGIN;

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
    // The lists read the progress kept with the submission: it follows every step.
    assert!(marc.get("/devoirs").await.body.contains("Corrigé"));
    let store = s.server.store();
    let kept = store
        .get(&preau::pedagogy::homework::PROGRESS, &(id, f.lou))
        .unwrap();
    let made = preau::pedagogy::homework::submission(&store, id, f.lou)
        .unwrap()
        .map(|s| preau::pedagogy::homework::Progress::of(&s));
    assert_eq!(kept, made);
    assert_eq!(kept.map(|p| p.versions), Some(2));
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
