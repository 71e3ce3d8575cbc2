//! Pupils who cannot read yet: login cards with pictures, and the class login board.

use preau::board::{LENGTH, PICTURES};

use crate::common::{install, TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};

fn number_of(name: &str) -> u8 {
    PICTURES
        .iter()
        .position(|(_, n)| *n == name)
        .map(|i| i as u8 + 1)
        .unwrap()
}

/// The class id of « CP-CE1 » and Lou's picture sequence from freshly printed cards.
pub(crate) async fn print_picture_cards(server: &TestServer) -> (u64, u64, Vec<u8>) {
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    let home = admin.get("/accueil").await;
    let class: u64 = home
        .body
        .split("href=\"/classes/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let page = admin.get(&format!("/classes/{class}")).await;
    let lou: u64 = page
        .body
        .split("href=\"/eleves/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let cards = admin
        .post(&format!("/classes/{class}/cartes"), &[("kind", "images")])
        .await;
    assert_eq!(cards.status, 200);
    let pictures = cards
        .body
        .split("class=\"card-pictures\"")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap();
    let seq: Vec<u8> = pictures
        .split("alt=\"")
        .skip(1)
        .map(|chunk| number_of(chunk.split('"').next().unwrap()))
        .collect();
    assert_eq!(seq.len(), LENGTH, "{pictures}");
    (class, lou, seq)
}

#[tokio::test]
async fn a_pupil_logs_in_with_four_pictures_on_the_class_board() {
    let server = TestServer::installed().await;
    let (class, lou, seq) = print_picture_cards(&server).await;
    let mut tablet = server.client();
    let p = tablet.get("/tableau").await;
    assert!(p.body.contains("Choisis ta classe") && p.body.contains("CP-CE1"));
    let p = tablet.get(&format!("/tableau/{class}")).await;
    assert!(p.body.contains("lou P."), "{}", p.body);
    tablet.get(&format!("/tableau/{class}/{lou}")).await;

    // A wrong sequence is refused with a word for the child.
    let wrong: Vec<u8> = (1..=12u8)
        .filter(|n| !seq.contains(n))
        .take(LENGTH)
        .collect();
    let mut so_far = String::new();
    let mut last = None;
    for n in &wrong {
        let p = tablet
            .post(
                &format!("/tableau/{class}/{lou}"),
                &[("seq", &so_far), ("pic", &n.to_string())],
            )
            .await;
        so_far = if so_far.is_empty() {
            n.to_string()
        } else {
            format!("{so_far}-{n}")
        };
        last = Some(p);
    }
    let p = last.unwrap();
    assert_eq!(p.status, 401);
    assert!(p.body.contains("Ce ne sont pas les bonnes images"));

    let mut so_far = String::new();
    let mut last = None;
    for n in &seq {
        let p = tablet
            .post(
                &format!("/tableau/{class}/{lou}"),
                &[("seq", &so_far), ("pic", &n.to_string())],
            )
            .await;
        so_far = if so_far.is_empty() {
            n.to_string()
        } else {
            format!("{so_far}-{n}")
        };
        last = Some(p);
    }
    assert_eq!(last.unwrap().location.as_deref(), Some("/accueil"));
    let home = tablet.get("/accueil").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Bonjour lou"));

    // The sequence never works on the ordinary login page.
    let mut other = server.client();
    assert_eq!(other.login("lou.petit", &so_far).await.status, 401);
}

#[tokio::test]
async fn the_board_is_closed_outside_the_school_network() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path());
    let server = TestServer::start_with(dir, |s| {
        s.school_networks = vec!["10.0.0.0/8".parse().unwrap()]
    })
    .await;
    let (class, lou, seq) = print_picture_cards(&server).await;
    let mut outside = server.client();
    let p = outside.get("/tableau").await;
    assert_eq!(p.status, 403);
    assert!(p.body.contains("que depuis le réseau de l'école"));
    let p = outside.get(&format!("/tableau/{class}")).await;
    assert_eq!(p.status, 403);
    let s = seq.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let p = outside
        .post(
            &format!("/tableau/{class}/{lou}"),
            &[("seq", &format!("{}-{}", s[0], s[1])), ("pic", &s[2])],
        )
        .await;
    assert_eq!(p.status, 403);
}

#[tokio::test]
async fn the_card_qr_code_logs_a_pupil_in_from_the_school_network() {
    let server = TestServer::installed().await;
    let (_, lou, _) = print_picture_cards(&server).await;
    let store = server.running.as_ref().unwrap().app.store.clone();
    // The token is only inside the printed QR code: put a known one in its place.
    let user = preau::directory::user(&store, lou).unwrap().unwrap();
    let mut record = preau::directory::pupil(&store, lou).unwrap().unwrap();
    assert!(
        record.card_token_hash.is_some(),
        "printing picture cards makes a card token"
    );
    record.card_token_hash = Some(preau::auth::session_key("jeton-de-test"));
    store
        .commit_checked_blocking(|tx| preau::directory::save_pupil(tx, &user, &record))
        .unwrap();

    let mut tablet = server.client();
    let p = tablet.get("/tableau/carte/jeton-de-test").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Bonjour lou") && p.body.contains("Entrer"));
    assert_eq!(
        tablet.get("/accueil").await.status,
        303,
        "opening the link alone logs nobody in"
    );
    let p = tablet.post("/tableau/carte/jeton-de-test", &[]).await;
    assert_eq!(p.location.as_deref(), Some("/accueil"));
    assert_eq!(tablet.get("/accueil").await.status, 200);
    assert_eq!(
        server
            .client()
            .get("/tableau/carte/autre-jeton")
            .await
            .status,
        404
    );
}

/// The board of a class of 30 shows 30 different avatars (picture × colour) once the
/// teacher has printed the picture cards; the twelve pictures alone repeated (3 fish).
#[tokio::test]
async fn the_board_of_a_class_of_30_shows_30_different_avatars() {
    use preau::directory::{self, Membership, NewUser};
    use preau::policy::Profile;
    let server = TestServer::installed().await;
    let store = server.store();
    let class = directory::classes(&store)
        .unwrap()
        .into_iter()
        .find(|c| c.label == "CP-CE1")
        .unwrap()
        .id;
    // lou.petit is there already: 29 more.
    store
        .commit_checked_blocking(|tx| {
            for i in 0..29 {
                let id = directory::create_user(
                    tx,
                    &NewUser {
                        login: format!("eleve{i}.test"),
                        first_name: format!("Eleve{i:02}"),
                        last_name: "Test".into(),
                        profile: Profile::Eleve,
                        functions: vec![],
                        email: None,
                        password_hash: None,
                        must_change_password: false,
                        created_at: 0,
                    },
                )?;
                directory::add_member(tx, class, id, Membership::Pupil)?;
            }
            Ok(())
        })
        .unwrap();
    let mut admin = server.client();
    admin.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    admin.get(&format!("/classes/{class}")).await;
    let cards = admin
        .post(&format!("/classes/{class}/cartes"), &[("kind", "images")])
        .await;
    assert_eq!(cards.status, 200);
    let mut tablet = server.client();
    tablet.get("/tableau").await;
    let board = tablet.get(&format!("/tableau/{class}")).await;
    assert_eq!(board.status, 200);
    let avatars: Vec<&str> = board
        .body
        .split("<span class=\"avatar ")
        .skip(1)
        .map(|chunk| chunk.split("\" width").next().unwrap())
        .collect();
    assert_eq!(avatars.len(), 30, "{}", board.body);
    let mut distinct = avatars.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 30, "avatars repeat: {avatars:?}");
}
