//! The photo-consent guard of public blogs, walked through ordinary clicks: a tag is never
//! thrown away, a blog switched to public keeps back what fails (and says which and why),
//! a pupil's proposal goes through the same guard, and an article with pictures reaches a
//! public blog only after the teacher confirmed, against the named list of the class's
//! pupils without authorisation, that none of them appears.

use preau::blog::{BlogRef, Status};

use crate::common::{Client, Folks, TestServer, DIRECTOR_LOGIN};

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::DynamicImage::new_rgb8(w, h);
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn article(server: &TestServer, id: u64) -> preau::blog::Article {
    preau::blog::article(&server.store(), id).unwrap().unwrap()
}

fn id_of(server: &TestServer, f: &Folks, title: &str) -> u64 {
    preau::blog::articles(&server.store(), BlogRef::Class(f.cp))
        .unwrap()
        .into_iter()
        .find(|a| a.title == title)
        .unwrap_or_else(|| panic!("« {title} » is saved"))
        .id
}

async fn visibility(teacher: &mut Client, blog: &str, v: &str) -> String {
    teacher.get(&format!("/blog/{blog}")).await;
    let r = teacher
        .post(
            &format!("/blog/{blog}/reglages"),
            &[
                ("enabled", "1"),
                ("comments", "moderated"),
                ("visibility", v),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    // The page after the redirect carries the flash.
    teacher.get(&format!("/blog/{blog}")).await.body
}

/// What a visitor without login on the school network gets of the article: the blog's
/// page listing it, the article's page, its picture.
async fn anonymous_sees(anonymous: &mut Client, blog: &str, id: u64, title: &str) -> bool {
    let listed = anonymous
        .get(&format!("/blog/{blog}"))
        .await
        .body
        .contains(title);
    let page = anonymous.get(&format!("/blog/article/{id}")).await.status;
    let picture = anonymous
        .get(&format!("/blog/article/{id}/media/0"))
        .await
        .status;
    assert_eq!(
        (listed, page == 200, picture == 200),
        (listed, listed, listed),
        "the list, the page and the picture agree"
    );
    listed
}

#[tokio::test]
async fn a_refused_tag_is_kept_and_the_article_is_kept_back_when_the_blog_goes_public() {
    let (server, f) = TestServer::school().await;
    let blog = format!("classe-{}", f.cp);
    let lou = f.lou.to_string();
    let mut teacher = server.signed_in(DIRECTOR_LOGIN).await;
    let mut anonymous = server.client();
    visibility(&mut teacher, &blog, "public").await;

    // 1. Lou, without authorisation, tagged: refused on the public blog, the tag kept.
    teacher.get(&format!("/blog/{blog}/ecrire")).await;
    let r = teacher
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "Portraits"),
                ("body", "La classe"),
                ("tag", &lou),
                ("action", "publier"),
            ],
            &[("files", "portrait.png", png(40, 30))],
        )
        .await;
    assert_eq!(r.status, 303, "saved, not lost: {}", r.body);
    let id = id_of(&server, &f, "Portraits");
    let page = teacher.get(&format!("/blog/article/{id}")).await.body;
    assert!(
        page.contains("n'y est pas publié") && page.contains("lou Petit"),
        "the teacher is told why: {page}"
    );
    let saved = article(&server, id);
    assert_eq!(saved.status, Status::Draft);
    assert_eq!(saved.tagged, vec![f.lou], "the tag is kept");
    assert_eq!(saved.media.len(), 1, "the picture is kept");
    // The same through the edit form (which used to drop everything on a refusal).
    teacher.get(&format!("/blog/article/{id}/modifier")).await;
    let r = teacher
        .post_multipart(
            &format!("/blog/article/{id}/modifier"),
            &[
                ("title", "Portraits de la classe"),
                ("body", "La classe"),
                ("garder", "0"),
                ("tag", &lou),
                ("action", "publier"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    let saved = article(&server, id);
    assert_eq!(
        (saved.title.as_str(), saved.tagged.clone(), &saved.status),
        ("Portraits de la classe", vec![f.lou], &Status::Draft)
    );
    assert!(!anonymous_sees(&mut anonymous, &blog, id, "Portraits").await);

    // 2. Published for the class: the class and its families read it.
    visibility(&mut teacher, &blog, "classe").await;
    teacher.get(&format!("/blog/article/{id}")).await;
    let r = teacher
        .post(&format!("/blog/article/{id}/publier"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(article(&server, id).status, Status::Published);
    let mut marc = server.signed_in("marc.petit").await;
    assert_eq!(marc.get(&format!("/blog/article/{id}")).await.status, 200);

    // 3. The blog back to public: the article is kept back, the teacher told which and why.
    let told = visibility(&mut teacher, &blog, "public").await;
    assert!(
        told.contains("1 article retenu")
            && told.contains("« Portraits de la classe »")
            && told.contains("lou Petit n'a pas d'autorisation photo"),
        "{told}"
    );
    let kept = article(&server, id);
    assert_eq!(kept.status, Status::Draft, "kept back");
    assert_eq!(kept.tagged, vec![f.lou]);
    assert!(
        !anonymous_sees(&mut anonymous, &blog, id, "Portraits").await,
        "an anonymous visitor never sees Lou's photo"
    );
    assert!(teacher
        .get(&format!("/blog/article/{id}"))
        .await
        .body
        .contains("Retenu, pas publié sur le blog public"));
    assert!(teacher
        .get(&format!("/blog/{blog}"))
        .await
        .body
        .contains("retenu : photos à revoir"));

    // Even published behind the guard's back, a tag without authorisation stays hidden.
    let store = server.store();
    store
        .commit_blocking(|tx| {
            preau::blog::insert(
                tx,
                &preau::blog::Article {
                    status: Status::Published,
                    ..kept.clone()
                },
            )
        })
        .unwrap();
    assert!(!anonymous_sees(&mut anonymous, &blog, id, "Portraits").await);
}

#[tokio::test]
async fn publishing_a_pupils_proposal_on_a_public_blog_goes_through_the_guard() {
    let (server, f) = TestServer::school().await;
    let blog = format!("classe-{}", f.cp);
    let tom = f.tom.to_string();
    let mut teacher = server.signed_in(DIRECTOR_LOGIN).await;
    let mut anonymous = server.client();
    visibility(&mut teacher, &blog, "public").await;

    // Pupils may tag their classmates.
    let mut lou = server.signed_in("lou.petit").await;
    let form = lou.get(&format!("/blog/{blog}/ecrire")).await.body;
    assert!(form.contains("Qui est sur les photos ?") && form.contains("Tom Bernard"));
    let r = lou
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "La récré"),
                ("body", "On a joué au loup."),
                ("tag", &tom),
                ("action", "proposer"),
            ],
            &[("files", "recre.png", png(40, 30))],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = id_of(&server, &f, "La récré");
    let proposed = article(&server, id);
    assert_eq!(
        (proposed.status.clone(), proposed.tagged.clone()),
        (Status::Submitted, vec![f.tom])
    );

    // « Publier » on the proposal: Tom has no authorisation, refused, still in the queue.
    teacher.get(&format!("/blog/article/{id}")).await;
    let r = teacher
        .post(&format!("/blog/article/{id}/publier"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert!(teacher
        .get(&format!("/blog/article/{id}"))
        .await
        .body
        .contains("Tom Bernard n'a pas d'autorisation photo"));
    assert_eq!(article(&server, id).status, Status::Submitted);
    assert!(
        teacher.get("/blog").await.body.contains("La récré"),
        "queue"
    );
    assert!(!anonymous_sees(&mut anonymous, &blog, id, "La récré").await);

    // Tom is not on it after all: the teacher takes the tag off; publishing now asks to
    // confirm that none of the class's pupils without authorisation appears.
    teacher.get(&format!("/blog/article/{id}/modifier")).await;
    teacher
        .post_multipart(
            &format!("/blog/article/{id}/modifier"),
            &[
                ("title", "La récré"),
                ("body", "On a joué au loup."),
                ("garder", "0"),
                ("action", "brouillon"),
            ],
            &[],
        )
        .await;
    assert!(article(&server, id).tagged.is_empty());
    teacher.get(&format!("/blog/article/{id}")).await;
    let step = teacher
        .post(&format!("/blog/article/{id}/publier"), &[])
        .await;
    assert_eq!(step.status, 200, "the confirmation step");
    assert!(
        step.body.contains("Vérifier les photos")
            && step.body.contains("lou Petit")
            && step.body.contains("Tom Bernard"),
        "{}",
        step.body
    );
    assert_ne!(article(&server, id).status, Status::Published);
    assert!(!anonymous_sees(&mut anonymous, &blog, id, "La récré").await);
    let r = teacher
        .post(
            &format!("/blog/article/{id}/publier"),
            &[
                ("absent", &f.lou.to_string()),
                ("absent", &tom),
                ("confirme", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(anonymous_sees(&mut anonymous, &blog, id, "La récré").await);
}

#[tokio::test]
async fn pictures_reach_a_public_blog_only_once_the_teacher_confirmed_the_named_list() {
    let (server, f) = TestServer::school().await;
    let blog = format!("classe-{}", f.cp);
    let (lou, tom) = (f.lou.to_string(), f.tom.to_string());
    let mut teacher = server.signed_in(DIRECTOR_LOGIN).await;
    let mut anonymous = server.client();
    // A text without pictures is published on the public blog without a question.
    visibility(&mut teacher, &blog, "public").await;
    teacher.get(&format!("/blog/{blog}/ecrire")).await;
    let r = teacher
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "Menu"),
                ("body", "Des frites."),
                ("action", "publier"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(
        anonymous
            .get(&format!("/blog/{blog}"))
            .await
            .body
            .contains("Menu"),
        "no picture, nothing to confirm"
    );

    // With a picture: the editor answers with the confirmation step, the article saved.
    teacher.get(&format!("/blog/{blog}/ecrire")).await;
    let step = teacher
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "La chorale"),
                ("body", "Nous avons chanté."),
                ("action", "publier"),
            ],
            &[("files", "chorale.png", png(40, 30))],
        )
        .await;
    assert_eq!(step.status, 200);
    assert!(step.body.contains("lou Petit") && step.body.contains("Tom Bernard"));
    assert!(
        step.body.contains("name=\"_csrf\""),
        "a form like every form"
    );
    let id = id_of(&server, &f, "La chorale");
    assert_eq!(article(&server, id).status, Status::Draft);
    let path = format!("/blog/article/{id}/publier");
    // Without the token: refused like every form.
    let forged = teacher
        .post_raw(
            &path,
            &[("absent", &lou), ("absent", &tom), ("confirme", "1")],
        )
        .await;
    assert_eq!(forged.status, 403);
    // The box not ticked: asked again.
    let again = teacher
        .post(&path, &[("absent", &lou), ("absent", &tom)])
        .await;
    assert_eq!(again.status, 200);
    assert!(again.body.contains("Cochez la case"));
    // A list that misses a pupil (an old page): asked again.
    let stale = teacher
        .post(&path, &[("absent", &lou), ("confirme", "1")])
        .await;
    assert_eq!(stale.status, 200);
    assert!(!anonymous_sees(&mut anonymous, &blog, id, "La chorale").await);
    // Confirmed against the whole list: published.
    let r = teacher
        .post(
            &path,
            &[("absent", &lou), ("absent", &tom), ("confirme", "1")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(anonymous_sees(&mut anonymous, &blog, id, "La chorale").await);

    // A new picture is not covered by the confirmation: asked again, kept from the public.
    teacher.get(&format!("/blog/article/{id}/modifier")).await;
    let step = teacher
        .post_multipart(
            &format!("/blog/article/{id}/modifier"),
            &[
                ("title", "La chorale"),
                ("body", "Nous avons chanté."),
                ("garder", "0"),
                ("action", "publier"),
            ],
            &[("files", "chorale-2.png", png(50, 20))],
        )
        .await;
    assert_eq!(step.status, 200, "{}", step.body);
    assert!(!anonymous_sees(&mut anonymous, &blog, id, "La chorale").await);
    teacher
        .post(
            &path,
            &[("absent", &lou), ("absent", &tom), ("confirme", "1")],
        )
        .await;
    assert!(anonymous_sees(&mut anonymous, &blog, id, "La chorale").await);

    // A blog switched to public re-checks the pictures published for the class.
    visibility(&mut teacher, &blog, "classe").await;
    teacher.get(&format!("/blog/{blog}/ecrire")).await;
    teacher
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "Sortie"),
                ("body", "Au parc."),
                ("action", "publier"),
            ],
            &[("files", "parc.png", png(30, 30))],
        )
        .await;
    let sortie = id_of(&server, &f, "Sortie");
    assert_eq!(
        article(&server, sortie).status,
        Status::Published,
        "for the class"
    );
    let told = visibility(&mut teacher, &blog, "public").await;
    assert!(
        told.contains("« Sortie »") && told.contains("ses photos n'ont pas été vérifiées"),
        "{told}"
    );
    assert!(!told.contains("« La chorale »"), "confirmed already");
    assert_eq!(article(&server, sortie).status, Status::Draft);
    assert!(!anonymous_sees(&mut anonymous, &blog, sortie, "Sortie").await);
    assert!(anonymous_sees(&mut anonymous, &blog, id, "La chorale").await);
}
