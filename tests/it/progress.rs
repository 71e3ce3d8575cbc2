//! Suivi des apprentissages (issue 19), the maternelle's carnet de suivi: a réussite with
//! a photo filed for several children at once, each entry changed on its own, shared
//! when the teacher decides and acknowledged by each guardian; families see only the
//! shared réussites of their own children; the refusals; a pupil's carnet forgotten with
//! their account while its photos are kept by the blob purge until then.

use crate::common::{id_after, Client, Folks, TestServer};

/// A phone photo: a JPEG with an APP1 Exif segment naming the camera.
fn phone_photo() -> Vec<u8> {
    let mut img = image::RgbImage::new(64, 48);
    for (x, y, p) in img.enumerate_pixels_mut() {
        *p = image::Rgb([(x * 4) as u8, (y * 5) as u8, 90]);
    }
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let mut app1 = b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08CameraMakerSecret".to_vec();
    app1.push(0);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn today() -> String {
    preau::ui::dates::date_value(preau::auth::now_micros())
}

async fn download(c: &Client, path: &str) -> (u16, Vec<u8>) {
    let resp = c
        .http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.bytes().await.unwrap().to_vec())
}

/// The director (teacher of CP-CE1) files one réussite with a photo for Lou and Tom.
async fn group_reussite(director: &mut Client, f: &Folks, sentence: &str) {
    director
        .get(&format!("/suivi/classe/{}/reussite", f.cp))
        .await;
    let (lou, tom) = (f.lou.to_string(), f.tom.to_string());
    let today = today();
    let r = director
        .post_multipart(
            &format!("/suivi/classe/{}/reussite", f.cp),
            &[
                ("date", today.as_str()),
                ("domaine", "activite-physique"),
                ("phrase", sentence),
                ("eleves", lou.as_str()),
                ("eleves", tom.as_str()),
            ],
            &[("photo", "IMG_0042.jpg", phone_photo())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
}

/// The réussites' ids on a carnet's page (as who keeps it).
fn entry_ids(body: &str) -> Vec<u64> {
    body.match_indices("href=\"/suivi/reussite/")
        .filter_map(|(i, _)| id_after(&body[i..], "href=\"/suivi/reussite/"))
        .collect()
}

#[tokio::test]
async fn a_photo_for_several_children_is_shared_then_seen_by_each_guardian() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(preau_director()).await;
    group_reussite(&mut director, &f, "Je sais marcher sur la poutre").await;

    // Each child has an entry of their own, with the same published photo.
    let lou_page = format!("/suivi/eleve/{}", f.lou);
    let page = director.get(&lou_page).await.body;
    assert!(page.contains("Je sais marcher sur la poutre"), "{page}");
    assert!(page.contains("pas encore partagée"));
    let lou_entry = entry_ids(&page)[0];
    let tom_page = director.get(&format!("/suivi/eleve/{}", f.tom)).await.body;
    let tom_entry = entry_ids(&tom_page)[0];
    assert_ne!(lou_entry, tom_entry);
    let (status, bytes) = download(&director, &format!("/suivi/reussite/{lou_entry}/photo")).await;
    assert_eq!(status, 200);
    assert!(image::load_from_memory(&bytes).is_ok(), "still a picture");
    assert!(
        !preau::media::images::carries_metadata(&bytes)
            && !bytes.windows(12).any(|w| w == b"CameraMaker"),
        "the photo leaves without its EXIF"
    );

    // Lou's entry changed on its own: Tom's keeps the group's sentence.
    director.get(&format!("/suivi/reussite/{lou_entry}")).await;
    let today = today();
    let r = director
        .post_multipart(
            &format!("/suivi/reussite/{lou_entry}"),
            &[
                ("date", today.as_str()),
                ("domaine", "activite-physique"),
                ("phrase", "Je sais marcher sur la poutre sans aide"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(director
        .get(&format!("/suivi/eleve/{}", f.tom))
        .await
        .body
        .contains("Je sais marcher sur la poutre<"));

    // Before the teacher shares, the family sees nothing of it.
    let mut marc = server.signed_in("marc.petit").await;
    let page = marc.get(&lou_page).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("poutre"), "not shared yet");
    assert_eq!(
        download(&marc, &format!("/suivi/reussite/{lou_entry}/photo"))
            .await
            .0,
        404,
        "a réussite not shared does not exist for the family"
    );

    // The teacher shares the class's carnets: both guardians of Lou are told.
    director.get(&format!("/suivi/classe/{}", f.cp)).await;
    let r = director
        .post(&format!("/suivi/classe/{}/partager", f.cp), &[])
        .await;
    assert_eq!(r.status, 303);
    let notices = marc.get("/notifications").await.body;
    assert!(notices.contains("Carnet de suivi de lou"), "{notices}");
    let page = marc.get(&lou_page).await.body;
    assert!(page.contains("sans aide"), "{page}");
    assert!(
        !page.contains(&format!("href=\"/suivi/reussite/{lou_entry}\"")),
        "the family reads, it does not change"
    );
    assert_eq!(
        download(&marc, &format!("/suivi/reussite/{lou_entry}/photo"))
            .await
            .0,
        200
    );
    let share = id_after(&page, "name=\"partage\" value=\"").unwrap();

    // Each guardian says « J'ai vu » on their own; Marc comments.
    let share_text = share.to_string();
    let r = marc
        .post(&format!("{lou_page}/vu"), &[("partage", &share_text)])
        .await;
    assert_eq!(r.status, 303);
    let r = marc
        .post(
            &format!("{lou_page}/commentaire"),
            &[("partage", &share_text), ("texte", "Bravo Lou !")],
        )
        .await;
    assert_eq!(r.status, 303);
    let teacher_view = director.get(&lou_page).await.body;
    assert!(
        teacher_view.contains("marc Petit : vu le"),
        "{teacher_view}"
    );
    assert!(teacher_view.contains("Anne Petit : pas encore vu"));
    assert!(teacher_view.contains("Bravo Lou !"));
    let mut anne = server.signed_in("anne.petit").await;
    anne.get(&lou_page).await;
    let r = anne
        .post(&format!("{lou_page}/vu"), &[("partage", &share_text)])
        .await;
    assert_eq!(r.status, 303);
    let teacher_view = director.get(&lou_page).await.body;
    assert!(
        teacher_view.contains("Anne Petit : vu le"),
        "{teacher_view}"
    );
    let class_view = director.get(&format!("/suivi/classe/{}", f.cp)).await.body;
    assert!(
        class_view.contains("vu par 2 responsables sur 2"),
        "{class_view}"
    );

    // What is noted afterwards waits for the next share.
    group_reussite(&mut director, &f, "Je sais lancer loin").await;
    assert!(!marc.get(&lou_page).await.body.contains("lancer loin"));
    server.stop().await;
}

fn preau_director() -> &'static str {
    crate::common::DIRECTOR_LOGIN
}

#[tokio::test]
async fn families_see_only_their_own_childrens_carnets_and_the_rest_is_refused() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(preau_director()).await;
    group_reussite(&mut director, &f, "Je sais ranger mon casier").await;
    director
        .post(&format!("/suivi/eleve/{}/partager", f.lou), &[])
        .await;
    let page = director.get(&format!("/suivi/eleve/{}", f.lou)).await.body;
    let entry = entry_ids(&page)[0];
    let share = id_after(&page, "name=\"partage\" value=\"")
        .unwrap()
        .to_string();
    let lou_page = format!("/suivi/eleve/{}", f.lou);

    // Inès, Zoé's mother: Lou's carnet, its photo, its « vu » and comments are refused.
    let mut ines = server.signed_in("ines.leroy").await;
    assert_eq!(ines.get(&lou_page).await.status, 403);
    assert_eq!(
        download(&ines, &format!("/suivi/reussite/{entry}/photo"))
            .await
            .0,
        403
    );
    let r = ines
        .post(&format!("{lou_page}/vu"), &[("partage", &share)])
        .await;
    assert_eq!(r.status, 403);
    let r = ines
        .post(
            &format!("{lou_page}/commentaire"),
            &[("partage", &share), ("texte", "Coucou")],
        )
        .await;
    assert_eq!(r.status, 403);
    // Her home lists her own child only.
    let home = ines.get("/suivi").await.body;
    assert!(
        home.contains("Zoé Leroy") && !home.contains("lou"),
        "{home}"
    );
    // Zoé's carnet is empty for her, Tom's share did not reach her.
    let zoe = ines.get(&format!("/suivi/eleve/{}", f.zoe)).await.body;
    assert!(
        zoe.contains("Rien n'a encore été partagé avec vous."),
        "{zoe}"
    );

    // Paul teaches CM1-CM2: Lou's carnet and her class are not his.
    let mut paul = server.signed_in("paul.durand").await;
    assert_eq!(paul.get(&lou_page).await.status, 403);
    assert_eq!(
        paul.get(&format!("/suivi/classe/{}", f.cp)).await.status,
        403
    );
    assert_eq!(
        paul.get(&format!("/suivi/reussite/{entry}")).await.status,
        403
    );
    let r = paul
        .post(&format!("/suivi/reussite/{entry}/supprimer"), &[])
        .await;
    assert_eq!(r.status, 403);
    // Lou herself, a pupil: the service is not for her yet.
    let mut lou = server.signed_in("lou.petit").await;
    assert_eq!(lou.get(&lou_page).await.status, 403);
    // Marc, Lou's father, cannot keep the carnet nor say « vu » for a share of another.
    let mut marc = server.signed_in("marc.petit").await;
    assert_eq!(
        marc.get(&format!("/suivi/reussite/{entry}")).await.status,
        403
    );
    let r = marc
        .post(&format!("/suivi/eleve/{}/partager", f.lou), &[])
        .await;
    assert_eq!(r.status, 403);
    let r = marc
        .post(&format!("{lou_page}/vu"), &[("partage", "999999")])
        .await;
    assert_eq!(r.status, 404);
    // A comment left empty is refused beside its field, nothing recorded.
    marc.get(&lou_page).await;
    let r = marc
        .post(
            &format!("{lou_page}/commentaire"),
            &[("partage", &share), ("texte", "  ")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Écrivez votre commentaire."));
    server.stop().await;
}

#[tokio::test]
async fn a_refused_reussite_keeps_what_was_typed_and_records_nothing() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(preau_director()).await;
    let form = format!("/suivi/classe/{}/reussite", f.cp);
    director.get(&form).await;
    let zoe = f.zoe.to_string();
    // No child of the class ticked (Zoé is in the other class), a day to come, a PDF.
    let r = director
        .post_multipart(
            &form,
            &[
                ("date", "2999-01-01"),
                ("domaine", "langage"),
                ("phrase", "Je sais dire mon prénom"),
                ("eleves", zoe.as_str()),
            ],
            &[("photo", "fiche.pdf", b"%PDF-1.4\n%%EOF\n".to_vec())],
        )
        .await;
    assert_eq!(r.status, 400);
    for said in [
        "Cochez au moins un enfant",
        "Ce jour n'est pas encore arrivé",
        "n'est ni une photo, ni un son, ni une vidéo",
        "Je sais dire mon prénom",
        "choisissez-le de nouveau",
    ] {
        assert!(r.body.contains(said), "{said}: {}", r.body);
    }
    for pupil in [f.lou, f.tom, f.zoe] {
        assert!(
            preau::progress::carnet::of_pupil(&server.store(), pupil)
                .unwrap()
                .is_empty(),
            "nothing recorded"
        );
    }
    // Nothing to share: said, nothing recorded.
    director.get(&format!("/suivi/classe/{}", f.cp)).await;
    let r = director
        .post(&format!("/suivi/classe/{}/partager", f.cp), &[])
        .await;
    assert_eq!(r.status, 303);
    assert!(director
        .get_follow(&format!("/suivi/classe/{}", f.cp))
        .await
        .body
        .contains("Rien de nouveau à partager"));
    server.stop().await;
}

#[tokio::test]
async fn a_pupils_carnet_goes_with_their_account_and_its_photo_is_kept_until_then() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(preau_director()).await;
    group_reussite(&mut director, &f, "Je sais découper").await;
    let store = server.store();
    let lou_entries = preau::progress::carnet::of_pupil(&store, f.lou).unwrap();
    let blob = lou_entries[0].photo.clone().unwrap().blob;
    assert!(preau::schema::referenced_blobs(&store)
        .unwrap()
        .contains(&blob));
    assert_eq!(
        lou_entries[0].reference,
        preau::progress::reference::CYCLE1_VERSION
    );
    preau::schema::forget_account(&store, f.lou).unwrap();
    assert!(preau::progress::carnet::of_pupil(&store, f.lou)
        .unwrap()
        .is_empty());
    assert!(preau::progress::carnet::reussite(&store, lou_entries[0].id)
        .unwrap()
        .is_none());
    // Tom's entry, filed with the same photo, keeps it.
    assert_eq!(
        preau::progress::carnet::of_pupil(&store, f.tom)
            .unwrap()
            .len(),
        1
    );
    assert!(preau::schema::referenced_blobs(&store)
        .unwrap()
        .contains(&blob));
    server.stop().await;
}
