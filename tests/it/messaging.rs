//! The messagerie over HTTP: who may write to whom (crafted requests included), blind
//! copies, mailboxes that are one's own, switches, moderation, attachments, bad input.

use crate::common::{Client, Page, TestServer, DIRECTOR_LOGIN};

async fn send(c: &mut Client, fields: &[(&str, &str)]) -> Page {
    c.get("/messagerie/ecrire").await;
    let mut all = fields.to_vec();
    all.push(("action", "envoyer"));
    c.post_multipart("/messagerie/ecrire", &all, &[]).await
}

fn u(id: u64) -> String {
    format!("u{id}")
}

/// The id of the newest message of a folder, read from its list page.
async fn newest(c: &mut Client, folder: &str) -> u64 {
    let page = c.get(&format!("/messagerie?dossier={folder}")).await;
    let marker = "href=\"/messagerie/";
    let mut rest = page.body.as_str();
    while let Some(i) = rest.find(marker) {
        rest = &rest[i + marker.len()..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() {
            return digits.parse().unwrap();
        }
    }
    panic!("no message in {folder}: {}", page.body);
}

#[tokio::test]
async fn parents_write_to_teachers_and_direction_not_to_other_parents() {
    let (server, f) = TestServer::school().await;
    let mut marc = server.signed_in("marc.petit").await;
    let compose = marc.get("/messagerie/ecrire").await;
    assert_eq!(compose.status, 200);
    assert!(
        compose
            .body
            .contains(&format!("value=\"{}\"", u(f.director))),
        "the direction is offered"
    );
    assert!(
        !compose.body.contains(&format!("value=\"{}\"", u(f.ines))),
        "another parent is not offered"
    );
    assert!(
        !compose.body.contains(&format!("value=\"{}\"", u(f.paul))),
        "another class's teacher is not offered"
    );

    // A crafted request to another parent is refused, and the text is kept as a draft.
    let refused = send(
        &mut marc,
        &[
            ("to", &u(f.ines)),
            ("subject", "Covoiturage"),
            ("body", "Bonjour Inès"),
        ],
    )
    .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused
            .body
            .contains("Les règles de l&#39;école ne vous permettent pas")
            || refused
                .body
                .contains("Les règles de l'école ne vous permettent pas"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Bonjour Inès"),
        "what was typed is shown again"
    );
    let drafts = marc.get("/messagerie?dossier=brouillons").await;
    assert!(drafts.body.contains("Covoiturage"), "the draft is kept");
    let refused = send(
        &mut marc,
        &[("to", &u(f.paul)), ("subject", "Sortie"), ("body", "x")],
    )
    .await;
    assert_eq!(refused.status, 400, "a teacher of another class");
    for outside in ["externe@example.org", "g999", "u999999"] {
        let refused = send(
            &mut marc,
            &[("to", outside), ("subject", "Sortie"), ("body", "x")],
        )
        .await;
        assert_eq!(refused.status, 400, "{outside}");
    }

    // To the direction: delivered, with a notification and the bell.
    let ok = send(
        &mut marc,
        &[
            ("to", &u(f.director)),
            ("subject", "Absence de Lou"),
            ("body", "Lou sera absente **lundi**."),
        ],
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let home = director.get("/accueil").await;
    assert!(
        home.body.contains("Notifications : 1 non lue"),
        "the bell counts"
    );
    let inbox = director.get("/messagerie").await;
    assert!(inbox.body.contains("Absence de Lou"));
    let id = newest(&mut director, "reception").await;
    let page = director.get(&format!("/messagerie/{id}")).await;
    assert!(
        page.body.contains("<strong>lundi</strong>"),
        "rich text rendered"
    );
    let home = director.get("/accueil").await;
    assert!(
        home.body.contains("Notifications : aucune nouvelle"),
        "reading the message reads its notice"
    );

    // Nobody else can open it, whatever their role.
    for login in ["paul.durand", "anne.petit", "lou.petit"] {
        let mut other = server.signed_in(login).await;
        assert_eq!(
            other.get(&format!("/messagerie/{id}")).await.status,
            404,
            "{login}"
        );
        assert_eq!(
            other
                .get(&format!("/messagerie/{id}/pieces/0"))
                .await
                .status,
            404,
            "{login}"
        );
        // Acting on it answers as its page does: there is no such message here.
        let r = other
            .post(&format!("/messagerie/{id}/supprimer"), &[])
            .await;
        assert_eq!(r.status, 404);
    }
    assert_eq!(
        director.get(&format!("/messagerie/{id}")).await.status,
        200,
        "still in the director's inbox"
    );
}

#[tokio::test]
async fn pupils_write_to_classmates_and_teachers_only() {
    let (server, f) = TestServer::school().await;
    let mut lou = server.signed_in("lou.petit").await;
    let compose = lou.get("/messagerie/ecrire").await;
    assert!(
        compose.body.contains(&format!("value=\"{}\"", u(f.tom))),
        "a classmate"
    );
    assert!(
        compose
            .body
            .contains(&format!("value=\"{}\"", u(f.director))),
        "her teacher (the director teaches CP-CE1)"
    );
    assert!(!compose.body.contains(&format!("value=\"{}\"", u(f.zoe))));
    assert!(
        !compose.body.contains(&format!("value=\"{}\"", u(f.marc))),
        "not even her father by default"
    );
    assert!(
        compose.body.contains(&format!("value=\"ce{}\"", f.cp)),
        "her class as a list"
    );
    assert!(
        !compose.body.contains(&format!("value=\"cp{}\"", f.cp)),
        "not the parents of her class"
    );
    assert!(!compose.body.contains("value=\"ecole\""));
    for target in [
        u(f.zoe),
        u(f.ines),
        u(f.paul),
        format!("ce{}", f.cm),
        format!("cp{}", f.cp),
        "ecole".into(),
    ] {
        let r = send(
            &mut lou,
            &[("to", &target), ("subject", "Coucou"), ("body", "Salut")],
        )
        .await;
        assert_eq!(r.status, 400, "{target}");
    }
    let r = send(
        &mut lou,
        &[
            ("to", &u(f.tom)),
            ("subject", "Coucou"),
            ("body", "Salut Tom"),
        ],
    )
    .await;
    assert_eq!(r.status, 303);
    let mut tom = server.signed_in("tom.bernard").await;
    assert!(tom.get("/messagerie").await.body.contains("Coucou"));
}

#[tokio::test]
async fn blind_copies_are_seen_by_the_author_only() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let r = send(
        &mut director,
        &[
            ("to", &u(f.marc)),
            ("cc", &u(f.anne)),
            ("bcc", &u(f.ines)),
            ("subject", "Réunion"),
            ("body", "Jeudi 18 h"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = newest(&mut director, "envoyes").await;
    let own = director.get(&format!("/messagerie/{id}")).await;
    assert!(
        own.body.contains("Copie cachée : Inès Leroy"),
        "{}",
        own.body
    );
    let mut marc = server.signed_in("marc.petit").await;
    let seen = marc.get(&format!("/messagerie/{id}")).await;
    assert_eq!(seen.status, 200);
    assert!(seen.body.contains("Copie : Anne Petit"));
    assert!(
        !seen.body.contains("Inès"),
        "the bcc recipient is invisible to others"
    );
    let mut ines = server.signed_in("ines.leroy").await;
    let hidden = ines.get(&format!("/messagerie/{id}")).await;
    assert!(hidden.body.contains("en copie cachée"));
    // Reply all goes to the visible people only.
    let reply = marc
        .get(&format!("/messagerie/ecrire?repondre-a-tous={id}"))
        .await;
    assert!(reply.body.contains("Re : Réunion"));
    assert!(reply
        .body
        .contains(&format!("value=\"{}\" selected", u(f.director))));
    assert!(!reply
        .body
        .contains(&format!("value=\"{}\" selected", u(f.ines))));
}

#[tokio::test]
async fn switches_suspend_senders_and_are_logged() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/admin/communication").await;
    let r = director
        .post(
            "/admin/communication",
            &[
                ("suspend_parents", "1"),
                ("whole_school_direction_only", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let mut marc = server.signed_in("marc.petit").await;
    let refused = send(
        &mut marc,
        &[
            ("to", &u(f.director)),
            ("subject", "Question"),
            ("body", "Bonjour"),
        ],
    )
    .await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("suspendu la messagerie des parents"));
    let mut lou = server.signed_in("lou.petit").await;
    assert_eq!(
        send(
            &mut lou,
            &[("to", &u(f.tom)), ("subject", "A"), ("body", "b")]
        )
        .await
        .status,
        303,
        "pupils still write"
    );
    let journal = director.get("/admin/journal").await;
    assert!(
        journal
            .body
            .contains("messagerie des parents suspendue : oui"),
        "audit log"
    );
    // The rule matrix: parents may be allowed to write to each other.
    director.get("/admin/communication").await;
    director
        .post(
            "/admin/communication",
            &[
                ("r-parents-parents", "tous"),
                ("whole_school_direction_only", "1"),
            ],
        )
        .await;
    let ok = send(
        &mut marc,
        &[
            ("to", &u(f.ines)),
            ("subject", "Covoiturage"),
            ("body", "Bonjour"),
        ],
    )
    .await;
    assert_eq!(ok.status, 303, "switch off again and rule opened");
    // Everyone suspended: the direction keeps its voice.
    director.get("/admin/communication").await;
    director
        .post("/admin/communication", &[("suspend_everyone", "1")])
        .await;
    let mut paul = server.signed_in("paul.durand").await;
    assert_eq!(
        send(
            &mut paul,
            &[("to", &u(f.zoe)), ("subject", "A"), ("body", "b")]
        )
        .await
        .status,
        400
    );
    assert_eq!(
        send(
            &mut director,
            &[("to", &u(f.zoe)), ("subject", "A"), ("body", "b")]
        )
        .await
        .status,
        303
    );
    // Only the direction sees the settings.
    assert_eq!(paul.get("/admin/communication").await.status, 403);
    assert_eq!(
        paul.post("/admin/communication", &[("suspend_everyone", "")])
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn a_moderated_pupil_message_reaches_nobody_until_approved() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get("/messagerie/moderation").await;
    let cp = f.cp.to_string();
    let r = director
        .post(
            "/messagerie/moderation/classes",
            &[("classe", &cp), ("vues", &cp)],
        )
        .await;
    assert_eq!(r.status, 303);
    // Paul does not teach CP-CE1: he may not switch it.
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/messagerie/moderation").await;
    assert_eq!(
        paul.post("/messagerie/moderation/classes", &[("vues", &cp)])
            .await
            .status,
        403
    );

    let mut lou = server.signed_in("lou.petit").await;
    let r = send(
        &mut lou,
        &[
            ("to", &u(f.tom)),
            ("subject", "Mon dessin"),
            ("body", "Regarde"),
        ],
    )
    .await;
    assert_eq!(r.status, 303);
    let mut tom = server.signed_in("tom.bernard").await;
    assert!(
        !tom.get("/messagerie").await.body.contains("Mon dessin"),
        "held"
    );
    let id = newest(&mut lou, "envoyes").await;
    assert_eq!(tom.get(&format!("/messagerie/{id}")).await.status, 404);
    assert!(lou
        .get(&format!("/messagerie/{id}"))
        .await
        .body
        .contains("En attente de validation"));
    // Paul does not moderate Lou's class.
    assert!(!paul
        .get("/messagerie/moderation")
        .await
        .body
        .contains("Mon dessin"));
    assert_eq!(
        paul.post(
            &format!("/messagerie/moderation/{id}"),
            &[("action", "valider")]
        )
        .await
        .status,
        403
    );

    let queue = director.get("/messagerie/moderation").await;
    assert!(queue.body.contains("Mon dessin"));
    let r = director
        .post(
            &format!("/messagerie/moderation/{id}"),
            &[("action", "refuser"), ("mot", "Demande-lui en classe")],
        )
        .await;
    assert_eq!(r.status, 303);
    let refused = lou.get(&format!("/messagerie/{id}")).await;
    assert!(
        refused.body.contains("n&#39;a pas été envoyé")
            || refused.body.contains("n'a pas été envoyé")
    );
    assert!(
        refused.body.contains("Demande-lui en classe"),
        "the refusal tells the pupil"
    );
    assert!(lou.get("/notifications").await.body.contains("Mon dessin"));
    assert_eq!(
        tom.get(&format!("/messagerie/{id}")).await.status,
        404,
        "never delivered"
    );

    send(
        &mut lou,
        &[
            ("to", &u(f.tom)),
            ("subject", "Ma poésie"),
            ("body", "Le chat"),
        ],
    )
    .await;
    let id = newest(&mut lou, "envoyes").await;
    director.get("/messagerie/moderation").await;
    director
        .post(
            &format!("/messagerie/moderation/{id}"),
            &[("action", "valider")],
        )
        .await;
    assert!(
        tom.get("/messagerie").await.body.contains("Ma poésie"),
        "approved, delivered"
    );
}

#[tokio::test]
async fn bad_input_is_refused_in_french_and_nothing_typed_is_lost() {
    let (server, f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    let r = send(
        &mut paul,
        &[("to", &u(f.zoe)), ("subject", ""), ("body", "")],
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Donnez un objet"));
    assert!(r.body.contains("Le message est vide"));
    let r = send(
        &mut paul,
        &[("subject", "Sans destinataire"), ("body", "Texte gardé")],
    )
    .await;
    assert!(r.body.contains("Choisissez au moins un destinataire"));
    assert!(r.body.contains("Texte gardé"));
    // Too many recipients.
    paul.get("/messagerie/ecrire").await;
    let many: Vec<String> = (1..=60).map(u).collect();
    let mut fields: Vec<(&str, &str)> = many.iter().map(|v| ("to", v.as_str())).collect();
    fields.extend([
        ("subject", "Beaucoup"),
        ("body", "x"),
        ("action", "envoyer"),
    ]);
    let r = paul
        .post_multipart("/messagerie/ecrire", &fields, &[])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Trop de destinataires"));
    // A program disguised as a PDF, and an oversized file.
    paul.get("/messagerie/ecrire").await;
    let r = paul
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &u(f.zoe)),
                ("subject", "Fiche"),
                ("body", "Voici la fiche"),
                ("action", "envoyer"),
            ],
            &[("files", "fiche.pdf", b"MZ\x90\x00\x03\x00\x00\x00".to_vec())],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("n&#39;est pas d&#39;un type accepté")
            || r.body.contains("n'est pas d'un type accepté"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Voici la fiche"));
    paul.get("/messagerie/ecrire").await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(11 * 1024 * 1024, b' ');
    let r = paul
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &u(f.zoe)),
                ("subject", "Gros"),
                ("body", "Gros fichier"),
                ("action", "envoyer"),
            ],
            &[("files", "gros.pdf", big)],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("dépasse 10,0 Mo"),
        "{}",
        &r.body[..r.body.len().min(3000)]
    );
    let drafts = paul.get("/messagerie?dossier=brouillons").await;
    for s in ["Fiche", "Gros", "Beaucoup"] {
        assert!(drafts.body.contains(s), "draft {s} kept");
    }
    // No half file left behind.
    let tmp = server.dir.path().join("blobs/tmp");
    if tmp.exists() {
        assert_eq!(
            std::fs::read_dir(&tmp).unwrap().count(),
            0,
            "no temporary file left"
        );
    }
}

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

#[tokio::test]
async fn a_photo_sent_by_message_loses_its_exif() {
    let (server, f) = TestServer::school().await;
    let mut marc = server.signed_in("marc.petit").await;
    marc.get("/messagerie/ecrire").await;
    let r = marc
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &u(f.director)),
                ("subject", "Photo"),
                ("body", "La voici"),
                ("action", "envoyer"),
            ],
            &[("files", "photo.jpg", crate::media::phone_photo())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let id = newest(&mut director, "reception").await;
    let bytes = director
        .http
        .get(format!("{}/messagerie/{id}/pieces/0", director.base))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "still a JPEG");
    assert!(
        !bytes.windows(4).any(|w| w == b"Exif"),
        "no GPS position travels"
    );
}
