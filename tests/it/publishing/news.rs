//! News and their audiences, shown between their dates.

use crate::common::{Client, TestServer, DIRECTOR_LOGIN};

fn day(offset: i64) -> String {
    preau::ui::dates::date_value(preau::auth::now_micros() + offset * 86_400_000_000)
}

async fn publish_news(c: &mut Client, fields: &[(&str, &str)]) -> u16 {
    c.get("/actualites/nouvelle").await;
    c.post_multipart("/actualites/nouvelle", fields, &[])
        .await
        .status
}

#[tokio::test]
async fn news_reach_their_audience_between_their_dates() {
    let (server, f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    assert_eq!(
        publish_news(
            &mut director,
            &[
                ("source", "ecole"),
                ("title", "Fête de l'école"),
                ("body", "Samedi 27 juin"),
                ("audience", "tous"),
                ("pinned", "1")
            ]
        )
        .await,
        303
    );
    assert_eq!(
        publish_news(
            &mut director,
            &[
                ("source", "ecole"),
                ("title", "Réunion des parents"),
                ("body", "Mardi"),
                ("audience", "parents")
            ]
        )
        .await,
        303
    );
    assert_eq!(
        publish_news(
            &mut director,
            &[
                ("source", "ecole"),
                ("title", "Conseil des maîtres"),
                ("body", "Lundi"),
                ("audience", "personnels")
            ]
        )
        .await,
        303
    );
    assert_eq!(
        publish_news(
            &mut director,
            &[
                ("source", "ecole"),
                ("title", "Ancienne nouvelle"),
                ("body", "x"),
                ("audience", "tous"),
                ("publish_at", &day(-3)),
                ("expires_at", &day(0))
            ]
        )
        .await,
        303
    );
    assert_eq!(
        publish_news(
            &mut director,
            &[
                ("source", "ecole"),
                ("title", "Nouvelle à venir"),
                ("body", "x"),
                ("audience", "tous"),
                ("publish_at", &day(3))
            ]
        )
        .await,
        303
    );
    let mut paul = server.signed_in("paul.durand").await;
    let cm = format!("classe-{}", f.cm);
    assert_eq!(
        publish_news(
            &mut paul,
            &[
                ("source", &cm),
                ("title", "Sortie des CM"),
                ("body", "Au musée"),
                ("audience", "tous")
            ]
        )
        .await,
        303,
        "a class's news is for its class"
    );
    // Paul may not speak for the school.
    assert_eq!(
        publish_news(
            &mut paul,
            &[
                ("source", "ecole"),
                ("title", "X"),
                ("body", "x"),
                ("audience", "tous")
            ]
        )
        .await,
        400
    );
    let mut lou = server.signed_in("lou.petit").await;
    assert_eq!(lou.get("/actualites/nouvelle").await.status, 403);

    let mut marc = server.signed_in("marc.petit").await;
    let home = marc.get("/accueil").await.body;
    assert!(home.contains("Fête de l&#39;école") || home.contains("Fête de l'école"));
    assert!(home.contains("Réunion des parents"));
    for absent in [
        "Sortie des CM",
        "Conseil des maîtres",
        "Ancienne nouvelle",
        "Nouvelle à venir",
    ] {
        assert!(!home.contains(absent), "{absent}");
    }
    let mut ines = server.signed_in("ines.leroy").await;
    assert!(ines.get("/actualites").await.body.contains("Sortie des CM"));
    let pupil_home = lou.get("/accueil").await.body;
    assert!(
        !pupil_home.contains("Réunion des parents") && !pupil_home.contains("Conseil des maîtres")
    );
    assert!(paul
        .get("/actualites")
        .await
        .body
        .contains("Conseil des maîtres"));
    // Bad input is refused in French and kept.
    director.get("/actualites/nouvelle").await;
    let r = director
        .post_multipart(
            "/actualites/nouvelle",
            &[
                ("source", "ecole"),
                ("title", ""),
                ("body", "Texte gardé"),
                ("audience", "classes"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("Indiquez le titre")
            && r.body.contains("Texte gardé")
            && r.body.contains("au moins une classe")
    );
    let r = director
        .post_multipart(
            "/actualites/nouvelle",
            &[
                ("source", "ecole"),
                ("title", "T"),
                ("body", "B"),
                ("audience", "tous"),
            ],
            &[("image", "x.pdf", b"%PDF-1.4\n".to_vec())],
        )
        .await;
    assert!(r.body.contains("pas une image"));
}
