//! Life inside a mailbox: attachments, threads, folders, trash, search, reports, drafts,
//! forwards and the announced purge.

use super::{newest, send, u};
use crate::common::{TestServer, DIRECTOR_LOGIN};

#[tokio::test]
async fn attachments_threads_folders_trash_search_and_reports() {
    let (server, f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/messagerie/ecrire").await;
    let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec();
    let r = paul
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &u(f.ines)),
                ("subject", "Autorisation de sortie"),
                ("body", "Merci de signer"),
                ("action", "envoyer"),
            ],
            &[("files", "Autorisation sortie.pdf", pdf.clone())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut ines = server.signed_in("ines.leroy").await;
    let id = newest(&mut ines, "reception").await;
    let file = ines
        .http
        .get(format!("{}/messagerie/{id}/pieces/0", ines.base))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert!(file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("Autorisation%20sortie.pdf"));
    assert_eq!(file.bytes().await.unwrap().to_vec(), pdf);

    // Reply: a thread shown on one page.
    ines.get(&format!("/messagerie/ecrire?repondre={id}")).await;
    let r = send(
        &mut ines,
        &[
            ("to", &u(f.paul)),
            ("en_reponse_a", &id.to_string()),
            ("subject", "Re : Autorisation de sortie"),
            ("body", "C'est signé."),
        ],
    )
    .await;
    assert_eq!(r.status, 303);
    let reply = newest(&mut paul, "reception").await;
    let thread = paul.get(&format!("/messagerie/{reply}")).await;
    assert!(
        thread.body.contains("Merci de signer") && thread.body.contains("C&#39;est signé")
            || thread.body.contains("C'est signé")
    );

    // Personal folder, trash and restore, search.
    paul.get("/messagerie").await;
    let r = paul
        .post("/messagerie/dossiers", &[("name", "Sorties")])
        .await;
    let folder = r.location.unwrap();
    let folder = folder.split("dossier=").nth(1).unwrap().to_string();
    paul.post(
        &format!("/messagerie/{reply}/deplacer"),
        &[("dossier", &folder)],
    )
    .await;
    assert!(paul
        .get(&format!("/messagerie?dossier={folder}"))
        .await
        .body
        .contains("Re : Autorisation"));
    paul.post(&format!("/messagerie/{reply}/supprimer"), &[])
        .await;
    assert!(paul
        .get("/messagerie?dossier=corbeille")
        .await
        .body
        .contains("Re : Autorisation"));
    paul.post(&format!("/messagerie/{reply}/restaurer"), &[])
        .await;
    assert!(
        paul.get(&format!("/messagerie?dossier={folder}"))
            .await
            .body
            .contains("Re : Autorisation"),
        "back where it was"
    );
    let found = paul.get("/messagerie?q=signe").await;
    assert!(
        found.body.contains("Re : Autorisation"),
        "search in the text, accents folded"
    );
    assert!(!paul
        .get("/messagerie?q=piscine")
        .await
        .body
        .contains("Re : Autorisation"));

    // Reporting: the director receives a copy of that message, nothing else.
    let r = ines
        .post(
            &format!("/messagerie/{id}/signaler"),
            &[("motif", "Ton déplacé")],
        )
        .await;
    assert_eq!(r.status, 303);
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let inbox = director.get("/admin/signalements").await;
    assert!(inbox.body.contains("Autorisation de sortie"));
    assert!(director
        .get("/notifications")
        .await
        .body
        .contains("Signalement"));
    assert_eq!(
        director.get(&format!("/messagerie/{id}")).await.status,
        404,
        "the director does not read mailboxes"
    );
}

#[tokio::test]
async fn drafts_forwards_and_the_announced_purge() {
    let (server, f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    // A draft saved, reopened, completed and sent.
    paul.get("/messagerie/ecrire").await;
    let saved = paul
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &u(f.zoe)),
                ("subject", "Exposé"),
                ("body", "Début"),
                ("action", "brouillon"),
            ],
            &[("files", "plan.txt", b"1. Introduction\n".to_vec())],
        )
        .await;
    assert_eq!(saved.status, 303);
    let draft_url = saved.location.unwrap();
    let draft_id = draft_url.split("brouillon=").nth(1).unwrap().to_string();
    let reopened = paul.get(&draft_url).await;
    assert!(reopened.body.contains("Début") && reopened.body.contains("plan.txt"));
    let blob = {
        let marker = "name=\"garder\" value=\"";
        let i = reopened.body.find(marker).unwrap() + marker.len();
        reopened.body[i..i + 64].to_string()
    };
    let sent = paul
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("brouillon", &draft_id),
                ("garder", &blob),
                ("to", &u(f.zoe)),
                ("subject", "Exposé"),
                ("body", "Début et fin"),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert!(
        !paul
            .get("/messagerie?dossier=brouillons")
            .await
            .body
            .contains("Exposé"),
        "a sent draft leaves the drafts"
    );
    let mut zoe = server.signed_in("zoe.leroy").await;
    let id = newest(&mut zoe, "reception").await;
    let page = zoe.get(&format!("/messagerie/{id}")).await;
    assert!(page.body.contains("Début et fin") && page.body.contains("plan.txt"));
    // Someone else's draft cannot be opened or sent.
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    assert_eq!(
        director
            .get(&format!("/messagerie/ecrire?brouillon={draft_id}"))
            .await
            .status,
        404
    );

    // Forward: the attachment goes along; a crafted blob id the sender never held does not.
    let fwd = zoe
        .get(&format!("/messagerie/ecrire?transferer={id}"))
        .await;
    assert!(fwd.body.contains("Tr : Exposé") && fwd.body.contains("plan.txt"));
    let r = zoe
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("garder", &blob),
                ("garder", &"0".repeat(64)),
                ("to", &u(f.paul)),
                ("subject", "Tr : Exposé"),
                ("body", "Pour toi"),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let back = newest(&mut paul, "reception").await;
    let page = paul.get(&format!("/messagerie/{back}")).await;
    assert_eq!(
        page.body.matches("/pieces/").count(),
        1,
        "only the real attachment"
    );

    // The end-of-year purge: announced to everyone, then done on its day.
    let tomorrow = preau::ui::dates::date_value(preau::auth::now_micros() + 86_400_000_000);
    director.get("/admin/communication").await;
    let r = director
        .post(
            "/admin/communication",
            &[
                ("purge_day", &tomorrow),
                ("purge_before", &tomorrow),
                ("whole_school_direction_only", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let inbox = zoe.get("/messagerie").await;
    assert!(
        inbox.body.contains("seront supprimés le"),
        "announced in the messagerie"
    );
    let app = server.running.as_ref().unwrap().app.clone();
    let purged = preau::messaging::run_purge(&app.store, preau::auth::now_micros());
    assert_eq!(purged.unwrap(), 0, "not before its day");
    let purged =
        preau::messaging::run_purge(&app.store, preau::auth::now_micros() + 2 * 86_400_000_000);
    assert!(purged.unwrap() >= 2);
    assert_eq!(zoe.get(&format!("/messagerie/{id}")).await.status, 404);
    assert!(
        !zoe.get("/messagerie")
            .await
            .body
            .contains("seront supprimés"),
        "the plan is done"
    );
}
