//! Who manages what in the médiathèque (security issue 14): a share « lecture et ajout »
//! and the pupils' deposits in a class space let one add, and manage only what one added.
//! Each attack of the report is replayed over HTTP against real items, and the store is
//! read afterwards to show that nothing moved.

use preau::directory::Membership;
use preau::media::{self, Grantee, Level, Share, Space};
use preau::policy::Profile;

use crate::common::{add_person, Client, TestServer, DIRECTOR_LOGIN};
use crate::media::{item_id, pdf, upload};

/// The id of the folder called `name` on a page (its link opens it in its space).
fn folder_id(page: &str, name: &str) -> u64 {
    let marker = "?dossier=";
    for (i, _) in page.match_indices(marker) {
        let rest = &page[i + marker.len()..];
        let id: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if rest[id.len()..].starts_with(&format!("\">{name}<")) {
            return id.parse().unwrap();
        }
    }
    panic!("folder {name} not on the page: {page}");
}

/// The changes that need to manage (or share) an item, with their fields.
fn attacks(third: &str) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    vec![
        ("renommer", vec![("name", "À moi maintenant".into())]),
        ("supprimer", vec![]),
        ("restaurer", vec![]),
        (
            "deplacer",
            vec![
                ("destination", "perso:".into()),
                ("action", "deplacer".into()),
            ],
        ),
        (
            "partager",
            vec![("avec", third.into()), ("droit", "lecture".into())],
        ),
        ("partage/retirer", vec![("n", "0".into())]),
    ]
}

/// Every attack on `id` by `who`; returns how many were refused (403).
async fn attack(who: &mut Client, id: u64, third: &str) -> usize {
    let page = who.get(&format!("/mediatheque/element/{id}")).await;
    assert_eq!(page.status, 200, "{id} is readable");
    let mut refused = 0;
    for (action, fields) in attacks(third) {
        let path = format!("/mediatheque/element/{id}/{action}");
        assert!(
            !page.body.contains(&format!("action=\"{path}\"")),
            "{path} is offered"
        );
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = who.post(&path, &fields).await;
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        refused += 1;
    }
    refused
}

fn stored(server: &TestServer, id: u64) -> media::Item {
    media::item(&server.store(), id).unwrap().unwrap()
}

#[tokio::test]
async fn a_share_to_add_lets_one_add_and_manage_only_what_one_added() {
    let (server, f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    paul.get("/mediatheque/espace/perso").await;
    let r = paul
        .post("/mediatheque/espace/perso/dossier", &[("name", "Sortie")])
        .await;
    assert_eq!(r.status, 303);
    let root = paul.get("/mediatheque/espace/perso").await.body;
    let folder = folder_id(&root, "Sortie");
    let page = upload(
        &mut paul,
        "perso",
        Some(folder),
        &[("programme.pdf", pdf(300))],
    )
    .await;
    let file = item_id(&page.body, "programme.pdf");
    paul.get(&format!("/mediatheque/element/{folder}")).await;
    let director = format!("u{}", f.director);
    let r = paul
        .post(
            &format!("/mediatheque/element/{folder}/partager"),
            &[("avec", &director), ("droit", "ajout")],
        )
        .await;
    assert_eq!(r.status, 303);
    let shares = vec![Share {
        to: Grantee::User(f.director),
        level: Level::Contribute,
    }];
    assert_eq!(stored(&server, folder).shares, shares);

    // The grantee (the director herself) opens the folder and may add to it…
    let mut grantee = server.signed_in(DIRECTOR_LOGIN).await;
    let space = format!("perso-{}", f.paul);
    let open = grantee
        .get(&format!("/mediatheque/espace/{space}?dossier={folder}"))
        .await;
    assert_eq!(open.status, 200);
    assert!(open.body.contains("programme.pdf"));
    assert!(open.body.contains("/envoyer"), "the forms to add");
    assert!(
        open.body.contains("href=\"/mediatheque/partages\""),
        "the way back"
    );
    assert!(
        !open
            .body
            .contains(&format!("href=\"/mediatheque/espace/{space}\"")),
        "not to his space, which she does not open"
    );
    assert_eq!(
        grantee
            .get(&format!("/mediatheque/espace/{space}"))
            .await
            .status,
        404,
        "never the root of his space"
    );
    // …but renames, trashes, restores, moves to her space, re-shares (to Marc, a parent)
    // or withdraws the share of neither Paul's folder nor his file.
    let marc = format!("u{}", f.marc);
    let refused =
        attack(&mut grantee, folder, &marc).await + attack(&mut grantee, file, &marc).await;
    assert_eq!(refused, 12);
    let (kept_folder, kept_file) = (stored(&server, folder), stored(&server, file));
    assert_eq!(
        (
            kept_folder.name.as_str(),
            kept_folder.space,
            kept_folder.trashed
        ),
        ("Sortie", Space::Personal(f.paul), None)
    );
    assert_eq!(kept_folder.shares, shares, "no share added or withdrawn");
    assert_eq!(
        (
            kept_file.name.as_str(),
            kept_file.space,
            kept_file.parent,
            kept_file.trashed
        ),
        ("programme.pdf", Space::Personal(f.paul), Some(folder), None)
    );
    assert!(kept_file.shares.is_empty());
    // Paul still reads his folder and his file.
    let his = paul
        .get(&format!("/mediatheque/espace/perso?dossier={folder}"))
        .await;
    assert_eq!(his.status, 200);
    assert!(his.body.contains("programme.pdf"));
    assert_eq!(
        paul.get(&format!("/mediatheque/fichier/{file}"))
            .await
            .status,
        200
    );

    // She adds her own file, and manages it: rename, share, move, trash, restore.
    let page = upload(
        &mut grantee,
        &space,
        Some(folder),
        &[("photos.pdf", pdf(200))],
    )
    .await;
    let mine = item_id(&page.body, "photos.pdf");
    assert_eq!(stored(&server, mine).owner, f.director);
    let own_page = grantee.get(&format!("/mediatheque/element/{mine}")).await;
    assert!(own_page
        .body
        .contains(&format!("/mediatheque/element/{mine}/renommer")));
    let r = grantee
        .post(
            &format!("/mediatheque/element/{mine}/renommer"),
            &[("name", "photos du musée.pdf")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(stored(&server, mine).name, "photos du musée.pdf");
    // Sharing her own file with Marc works: the rules let her write to him, so the
    // refusals above were the rights', not the communication rules'.
    let r = grantee
        .post(
            &format!("/mediatheque/element/{mine}/partager"),
            &[("avec", &marc), ("droit", "lecture")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = grantee
        .post(&format!("/mediatheque/element/{mine}/supprimer"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert!(stored(&server, mine).trashed.is_some());
    grantee.get(&format!("/mediatheque/element/{mine}")).await;
    let r = grantee
        .post(&format!("/mediatheque/element/{mine}/restaurer"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert!(stored(&server, mine).trashed.is_none());

    // A third person never gets in: Marc reads the file shared with him, nothing of Paul's.
    let mut third = server.signed_in("marc.petit").await;
    assert_eq!(
        third
            .get(&format!("/mediatheque/fichier/{mine}"))
            .await
            .status,
        200
    );
    for path in [
        format!("/mediatheque/element/{folder}"),
        format!("/mediatheque/element/{file}"),
        format!("/mediatheque/fichier/{file}"),
        format!("/mediatheque/espace/{space}?dossier={folder}"),
    ] {
        assert_eq!(third.get(&path).await.status, 403, "{path}");
    }
    assert!(!third
        .get("/mediatheque/partages")
        .await
        .body
        .contains("programme.pdf"));

    // Paul manages what was added to his space; moving needs the right to add on the
    // other side too (he does not teach CP-CE1).
    paul.get(&format!("/mediatheque/element/{mine}")).await;
    let r = paul
        .post(
            &format!("/mediatheque/element/{mine}/renommer"),
            &[("name", "musée.pdf")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(stored(&server, mine).name, "musée.pdf");
    let elsewhere = format!("classe-{}:", f.cp);
    let r = paul
        .post(
            &format!("/mediatheque/element/{file}/deplacer"),
            &[("destination", &elsewhere), ("action", "deplacer")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(stored(&server, file).space, Space::Personal(f.paul));

    // Her own file goes to her own space: managed on one side, hers on the other.
    grantee.get(&format!("/mediatheque/element/{mine}")).await;
    let r = grantee
        .post(
            &format!("/mediatheque/element/{mine}/deplacer"),
            &[("destination", "perso:"), ("action", "deplacer")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(stored(&server, mine).space, Space::Personal(f.director));
}

#[tokio::test]
async fn pupils_who_deposit_manage_only_their_own_files() {
    let (server, f) = TestServer::school().await;
    add_person(
        &server.store(),
        "leo.martin",
        Profile::Eleve,
        Some((f.cm, Membership::Pupil)),
    );
    let cm = format!("classe-{}", f.cm);
    let mut paul = server.signed_in("paul.durand").await;
    paul.get(&format!("/mediatheque/espace/{cm}")).await;
    let r = paul
        .post(&format!("/mediatheque/espace/{cm}/eleves"), &[("on", "1")])
        .await;
    assert_eq!(r.status, 303);
    let page = upload(&mut paul, &cm, None, &[("consigne.pdf", pdf(300))]).await;
    let consigne = item_id(&page.body, "consigne.pdf");
    let mut leo = server.signed_in("leo.martin").await;
    let page = upload(&mut leo, &cm, None, &[("expose-leo.pdf", pdf(100))]).await;
    let leo_file = item_id(&page.body, "expose-leo.pdf");
    let mut zoe = server.signed_in("zoe.leroy").await;
    let page = upload(&mut zoe, &cm, None, &[("expose-zoe.pdf", pdf(100))]).await;
    let zoe_file = item_id(&page.body, "expose-zoe.pdf");

    // Zoé can neither rename, trash, restore, move to her space nor share the teacher's
    // file or her classmate's.
    let paul_code = format!("u{}", f.paul);
    let refused =
        attack(&mut zoe, consigne, &paul_code).await + attack(&mut zoe, leo_file, &paul_code).await;
    assert_eq!(refused, 12);
    for (id, name) in [(consigne, "consigne.pdf"), (leo_file, "expose-leo.pdf")] {
        let i = stored(&server, id);
        assert_eq!(
            (i.name.as_str(), i.space, i.trashed),
            (name, Space::Class(f.cm), None)
        );
    }
    assert_eq!(
        paul.get(&format!("/mediatheque/fichier/{consigne}"))
            .await
            .status,
        200,
        "the teacher still reads his file"
    );

    // Her own deposit is hers to rename, trash and restore.
    zoe.get(&format!("/mediatheque/element/{zoe_file}")).await;
    let r = zoe
        .post(
            &format!("/mediatheque/element/{zoe_file}/renommer"),
            &[("name", "mon exposé.pdf")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(stored(&server, zoe_file).name, "mon exposé.pdf");
    let r = zoe
        .post(&format!("/mediatheque/element/{zoe_file}/supprimer"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert!(zoe
        .get("/mediatheque/corbeille")
        .await
        .body
        .contains("mon exposé.pdf"));
    zoe.get(&format!("/mediatheque/element/{zoe_file}")).await;
    let r = zoe
        .post(&format!("/mediatheque/element/{zoe_file}/restaurer"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert!(stored(&server, zoe_file).trashed.is_none());

    // A folder of hers holding Léo's file is no longer hers alone: it stays where it is.
    zoe.get(&format!("/mediatheque/espace/{cm}")).await;
    let r = zoe
        .post(
            &format!("/mediatheque/espace/{cm}/dossier"),
            &[("name", "Exposés")],
        )
        .await;
    assert_eq!(r.status, 303);
    let root = zoe.get(&format!("/mediatheque/espace/{cm}")).await.body;
    let folder = folder_id(&root, "Exposés");
    upload(&mut leo, &cm, Some(folder), &[("volcans.pdf", pdf(100))]).await;
    zoe.get(&format!("/mediatheque/element/{folder}")).await;
    let r = zoe
        .post(&format!("/mediatheque/element/{folder}/supprimer"), &[])
        .await;
    assert_eq!(r.status, 403);
    let r = zoe
        .post(
            &format!("/mediatheque/element/{folder}/deplacer"),
            &[("destination", "perso:"), ("action", "deplacer")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(stored(&server, folder).space, Space::Class(f.cm));

    // The teacher manages every deposit.
    paul.get(&format!("/mediatheque/element/{zoe_file}")).await;
    let r = paul
        .post(
            &format!("/mediatheque/element/{zoe_file}/renommer"),
            &[("name", "exposé de Zoé.pdf")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(stored(&server, zoe_file).name, "exposé de Zoé.pdf");
    let r = paul
        .post(&format!("/mediatheque/element/{leo_file}/supprimer"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert!(stored(&server, leo_file).trashed.is_some());
    let r = paul
        .post(&format!("/mediatheque/element/{folder}/supprimer"), &[])
        .await;
    assert_eq!(r.status, 303);
}
