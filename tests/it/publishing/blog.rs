//! Blogs: the pupils' drafts through the teacher, comments following the blog's mode,
//! audiences, the public blog without login and the photo-consent guard.

use crate::common::{TestServer, DIRECTOR_LOGIN};

fn png() -> Vec<u8> {
    let img = image::DynamicImage::new_rgb8(40, 30);
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// The id of the article a redirect points to.
fn article_id(location: &str) -> u64 {
    location
        .trim_start_matches("/blog/article/")
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_pupils_article_goes_through_the_teacher_and_comments_follow_the_blog_mode() {
    let (server, f) = TestServer::school().await;
    let blog = format!("classe-{}", f.cp);
    let mut lou = server.signed_in("lou.petit").await;
    lou.get(&format!("/blog/{blog}/ecrire")).await;
    let empty = lou
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[("title", ""), ("body", "Mon texte"), ("action", "proposer")],
            &[],
        )
        .await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("Indiquez le titre") && empty.body.contains("Mon texte"));
    let wrong = lou
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[("title", "T"), ("body", "B"), ("action", "proposer")],
            &[("files", "texte.pdf", b"%PDF-1.4\n".to_vec())],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("ni une image"));
    let r = lou
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "Notre potager"),
                ("body", "Les radis ont poussé."),
                ("action", "proposer"),
            ],
            &[("files", "potager.png", png())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = article_id(&r.location.unwrap());
    // Nobody but the author and the teacher sees a proposal.
    let mut marc = server.signed_in("marc.petit").await;
    assert_eq!(marc.get(&format!("/blog/article/{id}")).await.status, 403);
    assert!(!marc
        .get(&format!("/blog/{blog}"))
        .await
        .body
        .contains("Notre potager"));
    let mut tom = server.signed_in("tom.bernard").await;
    assert_eq!(tom.get(&format!("/blog/article/{id}")).await.status, 403);
    assert_eq!(
        tom.post(&format!("/blog/article/{id}/publier"), &[])
            .await
            .status,
        403
    );

    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    assert!(
        director.get("/blog").await.body.contains("Notre potager"),
        "in the teacher's queue"
    );
    director.get(&format!("/blog/article/{id}")).await;
    director
        .post(
            &format!("/blog/article/{id}/renvoyer"),
            &[("comment", "Ajoute une phrase sur les carottes.")],
        )
        .await;
    let back = lou.get(&format!("/blog/article/{id}")).await.body;
    assert!(back.contains("Ajoute une phrase sur les carottes."));
    lou.get(&format!("/blog/article/{id}/modifier")).await;
    let r = lou
        .post_multipart(
            &format!("/blog/article/{id}/modifier"),
            &[
                ("title", "Notre potager"),
                ("body", "Les radis ont poussé. Les carottes aussi."),
                ("garder", "0"),
                ("action", "proposer"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    director.get(&format!("/blog/article/{id}")).await;
    director
        .post(&format!("/blog/article/{id}/publier"), &[])
        .await;
    let page = marc.get(&format!("/blog/article/{id}")).await.body;
    assert!(
        page.contains("Les carottes aussi") && page.contains("/media/0"),
        "published with its picture"
    );
    assert!(page.contains("Par lou Petit"), "the author is shown");
    // « tu » for pupils only: a parent is addressed as « vous ».
    assert!(
        page.contains("lira votre commentaire") && !page.contains("ton commentaire"),
        "{page}"
    );
    assert!(tom
        .get(&format!("/blog/article/{id}"))
        .await
        .body
        .contains("lira ton commentaire"));

    // Comments: held by default.
    marc.get(&format!("/blog/article/{id}")).await;
    marc.post(
        &format!("/blog/article/{id}/commenter"),
        &[("text", "Bravo les jardiniers !")],
    )
    .await;
    assert!(marc
        .get(&format!("/blog/article/{id}"))
        .await
        .body
        .contains("Votre commentaire sera publié"));
    assert!(
        !tom.get(&format!("/blog/article/{id}"))
            .await
            .body
            .contains("Bravo les jardiniers"),
        "held"
    );
    let teacher_view = director.get(&format!("/blog/article/{id}")).await.body;
    assert!(teacher_view.contains("Bravo les jardiniers"));
    let marker = "/commentaires/";
    let i = teacher_view.find(marker).unwrap() + marker.len();
    let c: String = teacher_view[i..]
        .chars()
        .take_while(|ch| ch.is_ascii_digit())
        .collect();
    director
        .post(&format!("/blog/article/{id}/commentaires/{c}/valider"), &[])
        .await;
    let seen = tom.get(&format!("/blog/article/{id}")).await.body;
    assert!(
        seen.contains("Bravo les jardiniers") && seen.contains("marc Petit"),
        "approved, with its author"
    );
    tom.post(
        &format!("/blog/article/{id}/commentaires/{c}/signaler"),
        &[("motif", "pas gentil")],
    )
    .await;
    assert!(
        director
            .get("/admin/signalements")
            .await
            .body
            .contains("Commentaire"),
        "a comment reported"
    );
    // Off means refused by the server.
    director.get(&format!("/blog/{blog}")).await;
    director
        .post(
            &format!("/blog/{blog}/reglages"),
            &[
                ("enabled", "1"),
                ("comments", "off"),
                ("visibility", "classe"),
            ],
        )
        .await;
    marc.get(&format!("/blog/article/{id}")).await;
    assert_eq!(
        marc.post(
            &format!("/blog/article/{id}/commenter"),
            &[("text", "Encore")]
        )
        .await
        .status,
        403
    );
    // Reporting an article reaches the director.
    marc.post(
        &format!("/blog/article/{id}/signaler"),
        &[("motif", "Photo d'un enfant")],
    )
    .await;
    assert!(director
        .get("/admin/signalements")
        .await
        .body
        .contains("Notre potager"));
}

#[tokio::test]
async fn audiences_the_public_blog_and_the_photo_guard() {
    let (server, f) = TestServer::school().await;
    let blog = format!("classe-{}", f.cp);
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    director.get(&format!("/blog/{blog}/ecrire")).await;
    let r = director
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "La chorale"),
                ("body", "Nous avons chanté."),
                ("action", "publier"),
            ],
            &[("files", "chorale.jpg", crate::media::phone_photo())],
        )
        .await;
    let plain = article_id(&r.location.unwrap());
    // A parent of another class does not read the CP-CE1 blog, until it is school-wide.
    let mut ines = server.signed_in("ines.leroy").await;
    assert_eq!(ines.get(&format!("/blog/{blog}")).await.status, 403);
    assert_eq!(
        ines.get(&format!("/blog/article/{plain}")).await.status,
        403
    );
    director.get(&format!("/blog/{blog}")).await;
    director
        .post(
            &format!("/blog/{blog}/reglages"),
            &[
                ("enabled", "1"),
                ("comments", "moderated"),
                ("visibility", "ecole"),
            ],
        )
        .await;
    assert!(ines
        .get(&format!("/blog/{blog}"))
        .await
        .body
        .contains("La chorale"));

    // Public: readable without login on the school network, and nothing else is.
    director
        .post(
            &format!("/blog/{blog}/reglages"),
            &[
                ("enabled", "1"),
                ("comments", "moderated"),
                ("visibility", "public"),
            ],
        )
        .await;
    // Its picture was published for the class, never checked for a public blog: kept
    // back until the teacher confirms that no pupil without authorisation appears.
    let told = director.get(&format!("/blog/{blog}")).await.body;
    assert!(
        told.contains("« La chorale »") && told.contains("retenu"),
        "{told}"
    );
    let mut anonymous = server.client();
    assert!(!anonymous
        .get(&format!("/blog/{blog}"))
        .await
        .body
        .contains("La chorale"));
    director.get(&format!("/blog/article/{plain}")).await;
    let (lou, tom) = (f.lou.to_string(), f.tom.to_string());
    let r = director
        .post(
            &format!("/blog/article/{plain}/publier"),
            &[("absent", &lou), ("absent", &tom), ("confirme", "1")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(anonymous
        .get(&format!("/blog/{blog}"))
        .await
        .body
        .contains("La chorale"));
    assert_eq!(
        anonymous
            .get(&format!("/blog/article/{plain}"))
            .await
            .status,
        200
    );
    let picture = anonymous
        .http
        .get(format!("{}/blog/article/{plain}/media/0", anonymous.base))
        .send()
        .await
        .unwrap();
    assert_eq!(picture.status(), 200);
    assert!(
        !picture
            .bytes()
            .await
            .unwrap()
            .windows(4)
            .any(|w| w == b"Exif"),
        "published without EXIF"
    );
    assert_eq!(
        anonymous
            .get(&format!("/blog/classe-{}", f.cm))
            .await
            .status,
        404,
        "another class's blog"
    );
    assert_eq!(
        anonymous.get("/blog").await.status,
        303,
        "the list of blogs needs a login"
    );
    assert_eq!(anonymous.get("/actualites").await.status, 303);
    assert_eq!(anonymous.get("/messagerie").await.status, 303);

    // The photo guard: Lou is tagged, without an authorisation on record.
    director.get(&format!("/blog/{blog}/ecrire")).await;
    let r = director
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "Portraits"),
                ("body", "La classe"),
                ("tag", &lou),
                ("action", "publier"),
            ],
            &[("files", "portrait.png", png())],
        )
        .await;
    assert_eq!(r.status, 303, "kept, not published");
    let refused = director.get(&r.location.unwrap()).await.body;
    assert!(refused.contains("autorisation photo"), "{refused}");
    assert!(refused.contains("lou Petit"));
    assert!(!anonymous
        .get(&format!("/blog/{blog}"))
        .await
        .body
        .contains("Portraits"));
    // The director records the parents' signature for the project; then it can be public.
    director.get("/admin/autorisations-photo").await;
    let r = director
        .post(
            "/admin/autorisations-photo",
            &[("title", "Blog de classe 2026-2027"), ("required", "1")],
        )
        .await;
    let project = r.location.unwrap();
    director.get(&project).await;
    director
        .post(&project, &[("signe", &format!("{}-{}", f.lou, f.marc))])
        .await;
    let portraits = preau::blog::articles(&server.store(), preau::blog::BlogRef::Class(f.cp))
        .unwrap()
        .into_iter()
        .find(|a| a.title == "Portraits")
        .expect("kept as a draft")
        .id;
    director.get(&format!("/blog/article/{portraits}")).await;
    let step = director
        .post(&format!("/blog/article/{portraits}/publier"), &[])
        .await;
    assert!(
        step.body.contains("Tom Bernard") && !step.body.contains("<strong>lou Petit"),
        "only Tom is left to check: {}",
        step.body
    );
    director
        .post(
            &format!("/blog/article/{portraits}/publier"),
            &[("absent", &tom), ("confirme", "1")],
        )
        .await;
    assert!(
        anonymous
            .get(&format!("/blog/{blog}"))
            .await
            .body
            .contains("Portraits"),
        "authorised now"
    );
    // Two signatures required, one given: no longer public.
    let store = server.store();
    store
        .commit_blocking(|tx| {
            let mut p = tx
                .get(
                    &preau::blog::consent::PROJECTS,
                    &project.rsplit('/').next().unwrap().parse::<u64>().unwrap(),
                )?
                .unwrap();
            p.required = 2;
            tx.put(&preau::blog::consent::PROJECTS, &p.id, &p)
        })
        .unwrap();
    assert!(
        !anonymous
            .get(&format!("/blog/{blog}"))
            .await
            .body
            .contains("Portraits"),
        "Lou has two guardians: Anne has not signed"
    );
    assert_eq!(
        anonymous
            .get(&format!("/blog/article/{portraits}"))
            .await
            .status,
        404
    );
    assert_eq!(ines.get("/admin/autorisations-photo").await.status, 403);
}
