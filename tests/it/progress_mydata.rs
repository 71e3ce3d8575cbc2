//! The carnet de suivi in « Mes données »: the child's archive holds every réussite of
//! their carnet with its sound, a guardian's the shared ones with the shares.

use std::io::Read;

use crate::common::{id_after, TestServer};
use crate::progress_maternelle::{hiboux, reussite, wav};

/// Asks for `login`'s archive of « Mes données » and returns its entries as text.
async fn archive_of(server: &TestServer, login: &str) -> Vec<(String, String)> {
    let mut c = server.signed_in(login).await;
    assert_eq!(c.post("/compte/mes-donnees", &[]).await.status, 303);
    for _ in 0..300 {
        let body = c.get("/compte/mes-donnees").await.body;
        if let Some(id) = id_after(&body, "href=\"/compte/mes-donnees/") {
            let resp = c
                .http
                .get(format!("{}/compte/mes-donnees/{id}/archive", c.base))
                .send()
                .await
                .unwrap();
            let zip = resp.bytes().await.unwrap().to_vec();
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
            let mut out = Vec::new();
            for i in 0..archive.len() {
                let mut f = archive.by_index(i).unwrap();
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes).unwrap();
                out.push((
                    f.name().to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                ));
            }
            return out;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no archive in 30 s");
}

#[tokio::test]
async fn mes_donnees_hold_the_carnet_for_the_child_and_each_guardian() {
    let (server, _f) = TestServer::school().await;
    let h = hiboux(&server);
    let mut lea = server.signed_in("lea.garnier").await;
    reussite(
        &mut lea,
        h.class,
        &[
            ("domaine", "langage"),
            ("phrase", "Je sais dire une comptine"),
        ],
        &[h.jules],
        Some(("chant.wav", wav())),
    )
    .await;
    lea.post(&format!("/suivi/eleve/{}/partager", h.jules), &[])
        .await;
    reussite(
        &mut lea,
        h.class,
        &[
            ("domaine", "langage"),
            ("phrase", "Je sais tenir mon crayon"),
        ],
        &[h.jules],
        None,
    )
    .await;

    let own = archive_of(&server, "jules.roux").await;
    let part = own
        .iter()
        .find(|(n, _)| n.starts_with("suivi") && n.ends_with(".json"))
        .expect("the pupil's own part");
    assert!(
        part.1.contains("Je sais dire une comptine") && part.1.contains("Je sais tenir mon crayon"),
        "{}",
        part.1
    );
    assert!(
        own.iter().any(|(n, _)| n.starts_with("fichiers/suivi/")),
        "the sound goes with it"
    );

    let family = archive_of(&server, "david.roux").await;
    let part = family
        .iter()
        .find(|(n, _)| n.contains(&format!("enfant-{}", h.jules)) && n.ends_with("-suivi.json"))
        .expect("the child's part");
    assert!(part.1.contains("Je sais dire une comptine"), "{}", part.1);
    assert!(
        !part.1.contains("Je sais tenir mon crayon"),
        "what was not shared stays the teacher's"
    );
    assert!(part.1.contains("Partage"));
    server.stop().await;
}
