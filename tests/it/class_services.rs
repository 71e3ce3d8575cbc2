//! Services per class: the teacher chooses who uses each service the school offers in
//! their class (fermé, enseignants, élèves, élèves et familles). Closed to a family, a
//! class's service leaves its menu, its home tile, its direct addresses and its
//! notifications (a service with a school part — blog, news, agenda — keeps that part);
//! another class's families keep it; a family with children in both classes keeps what
//! each child's class opened; the choice is in the audit journal.

use preau::directory::Membership;
use preau::policy::Profile;

use crate::common::{add_person, Client, TestServer, DIRECTOR_LOGIN};

/// The id of the article a redirect points to.
fn article_id(location: &str) -> u64 {
    location
        .trim_start_matches("/blog/article/")
        .parse()
        .unwrap()
}

/// Publishes an article in a class blog as `writer`; its id.
async fn publish(writer: &mut Client, class: u64, title: &str) -> u64 {
    let blog = format!("/blog/classe-{class}/ecrire");
    writer.get(&blog).await;
    let r = writer
        .post_multipart(
            &blog,
            &[
                ("title", title),
                ("body", "Nous avons planté des radis."),
                ("action", "publier"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    article_id(&r.location.unwrap())
}

/// Whether the person's menu offers the blog.
async fn menu_has_blog(client: &mut Client) -> bool {
    client
        .get("/accueil")
        .await
        .body
        .contains(r#"href="/blog""#)
}

async fn told_of(client: &mut Client, title: &str) -> bool {
    client.get("/notifications").await.body.contains(title)
}

async fn choose(teacher: &mut Client, class: u64, service: &str, level: &str) {
    let page = format!("/classes/{class}/services");
    let form = teacher.get(&page).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let r = teacher
        .post(&page, &[(&format!("s-{service}") as &str, level)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
}

#[tokio::test]
async fn a_class_opens_its_blog_to_pupils_before_families() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    // Nina teaches the CP-CE1 (Lou's class); Paul the CM1-CM2 (Zoé's). Anne, Lou's mother,
    // is also linked to Zoé: one child in each class.
    add_person(
        &store,
        "nina.roux",
        Profile::Enseignant,
        Some((f.cp, Membership::Teacher)),
    );
    store
        .commit_blocking(|tx| preau::directory::link_parent(tx, f.anne, f.zoe))
        .unwrap();
    let mut paul = server.signed_in("paul.durand").await;
    let mut nina = server.signed_in("nina.roux").await;
    let mut ines = server.signed_in("ines.leroy").await;
    let mut marc = server.signed_in("marc.petit").await;
    let mut anne = server.signed_in("anne.petit").await;
    let mut zoe = server.signed_in("zoe.leroy").await;

    // The class page leads its teacher there; another class's teacher is refused it.
    assert!(paul
        .get(&format!("/classes/{}", f.cm))
        .await
        .body
        .contains(&format!("/classes/{}/services", f.cm)));
    assert_eq!(
        nina.get(&format!("/classes/{}/services", f.cm))
            .await
            .status,
        403
    );
    let form = paul.get(&format!("/classes/{}/services", f.cm)).await;
    assert!(
        form.body.contains("Élèves et familles") && form.body.contains("(le choix de l'école)")
    );

    // « Élèves » : the CM1-CM2 blog for its pupils, not for their families.
    choose(&mut paul, f.cm, "blog", "eleves").await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    assert!(director
        .get("/admin/services")
        .await
        .body
        .contains("CM1-CM2</a> — Blog : élèves"));
    // The school's blog stays hers: only the class's part is closed.
    assert!(menu_has_blog(&mut ines).await, "the school blog stays");
    let index = ines.get("/blog").await;
    assert_eq!(index.status, 200);
    assert!(!index.body.contains(&format!("/blog/classe-{}\"", f.cm)));
    assert_eq!(ines.get("/blog/ecole").await.status, 200);
    assert_eq!(
        ines.get(&format!("/blog/classe-{}", f.cm)).await.status,
        403
    );
    assert!(menu_has_blog(&mut zoe).await, "the pupils keep it");
    assert_eq!(zoe.get("/blog").await.status, 200);
    assert!(
        menu_has_blog(&mut marc).await,
        "another class's family keeps it"
    );
    assert_eq!(marc.get("/blog").await.status, 200);

    // A new article: the pupils are told, the families of the class are not.
    let id = publish(&mut paul, f.cm, "Le potager du CM").await;
    assert!(told_of(&mut zoe, "Le potager du CM").await);
    assert!(!told_of(&mut ines, "Le potager du CM").await);
    assert_eq!(ines.get(&format!("/blog/article/{id}")).await.status, 403);
    assert_eq!(zoe.get(&format!("/blog/article/{id}")).await.status, 200);
    // The CP-CE1's families are told of their class's articles.
    let cp_article = publish(&mut nina, f.cp, "La chorale du CP").await;
    assert!(told_of(&mut marc, "La chorale du CP").await);
    assert_eq!(
        marc.get(&format!("/blog/article/{cp_article}"))
            .await
            .status,
        200
    );

    // Anne has a child in each class: the blog stays, with the CP-CE1's articles only.
    assert!(menu_has_blog(&mut anne).await);
    assert!(told_of(&mut anne, "La chorale du CP").await);
    assert!(!told_of(&mut anne, "Le potager du CM").await);
    assert_eq!(anne.get(&format!("/blog/article/{id}")).await.status, 403);
    assert_eq!(
        anne.get(&format!("/blog/article/{cp_article}"))
            .await
            .status,
        200
    );
    let index = anne.get("/blog").await;
    assert!(!index.body.contains(&format!("/blog/classe-{}\"", f.cm)));

    // Even a blog shown to the whole school stays closed to the families it is closed to.
    let settings = format!("/blog/classe-{}/reglages", f.cm);
    paul.get(&format!("/blog/classe-{}", f.cm)).await;
    let r = paul
        .post(
            &settings,
            &[
                ("enabled", "1"),
                ("comments", "moderated"),
                ("visibility", "ecole"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(marc.get(&format!("/blog/article/{id}")).await.status, 403);
    assert_eq!(
        server
            .client()
            .get(&format!("/blog/article/{id}"))
            .await
            .status,
        404,
        "without login neither"
    );

    // « Enseignants seulement » : the pupils lose it too; the teacher keeps preparing.
    choose(&mut paul, f.cm, "blog", "enseignants").await;
    assert!(zoe.get(&format!("/blog/classe-{}", f.cm)).await.status == 403);
    assert_eq!(zoe.get(&format!("/blog/article/{id}")).await.status, 403);
    assert_eq!(zoe.get("/blog").await.status, 200, "the school's blog");
    assert_eq!(paul.get(&format!("/blog/article/{id}")).await.status, 200);
    // « Fermé » : nobody in the class, the content kept for when it reopens.
    choose(&mut paul, f.cm, "blog", "ferme").await;
    assert_eq!(paul.get(&format!("/blog/article/{id}")).await.status, 403);
    assert_eq!(
        director.get(&format!("/blog/article/{id}")).await.status,
        200,
        "the director still sees it"
    );
    choose(&mut paul, f.cm, "blog", "familles").await;
    assert_eq!(ines.get(&format!("/blog/article/{id}")).await.status, 200);
    assert!(menu_has_blog(&mut ines).await);
    // Back to the school's default, nothing is kept for the class.
    assert!(director
        .get("/admin/services")
        .await
        .body
        .contains("Aucune classe n'a fait de choix différent"));

    // Every change is in the audit journal.
    let journal = director.get("/admin/journal").await.body;
    assert!(
        journal.contains("Classe CM1-CM2 : Blog — élèves (avant : élèves et familles)"),
        "{journal}"
    );
    assert!(journal.contains("Classe CM1-CM2 : Blog — fermé (avant : enseignants seulement)"));
    server.stop().await;
}

#[tokio::test]
async fn closing_the_cahier_de_textes_hides_the_families_work_and_notifications() {
    let (server, f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    let mut ines = server.signed_in("ines.leroy").await;
    choose(&mut paul, f.cm, "cahier-de-textes", "eleves").await;
    let sent = paul.get("/cahier-de-textes").await;
    assert_eq!(sent.status, 200);
    assert!(!ines
        .get("/accueil")
        .await
        .body
        .contains(r#"href="/cahier-de-textes""#));
    let closed = ines.get("/cahier-de-textes").await;
    assert_eq!(closed.status, 403);
    assert!(closed
        .body
        .contains("pas encore ouvert pour vous dans la classe"));
    // The class's other services are untouched.
    assert_eq!(ines.get("/carnet").await.status, 200);
    // A value no form offers is refused, and nothing changes.
    let page = format!("/classes/{}/services", f.cm);
    paul.get(&page).await;
    let r = paul.post(&page, &[("s-carnet", "tous")]).await;
    assert_eq!(r.status, 400);
    assert_eq!(ines.get("/carnet").await.status, 200);
    server.stop().await;
}

#[tokio::test]
async fn a_message_to_a_family_shut_out_of_the_messagerie_waits_untold() {
    let (server, f) = TestServer::school().await;
    let mut paul = server.signed_in("paul.durand").await;
    let mut ines = server.signed_in("ines.leroy").await;
    choose(&mut paul, f.cm, "messagerie", "eleves").await;
    paul.get("/messagerie/ecrire").await;
    let to = format!("u{}", f.ines);
    let sent = paul
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", to.as_str()),
                ("subject", "Réunion de rentrée"),
                ("body", "Bonjour"),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert!(!told_of(&mut ines, "Réunion de rentrée").await);
    assert_eq!(ines.get("/messagerie").await.status, 403);
    // Opened to the families, the message is there.
    choose(&mut paul, f.cm, "messagerie", "familles").await;
    assert!(ines
        .get("/messagerie")
        .await
        .body
        .contains("Réunion de rentrée"));
    server.stop().await;
}
