//! Help inside the app: the guides at `/aide` for everyone (a parent who cannot sign in
//! reads them too), the « ? » of each page leading to an anchor that exists in the
//! reader's guide, the screenshots served beside them, the référent numérique set by the
//! director and refused in French when half given.

use crate::common::{TestServer, DIRECTOR_LOGIN};

/// The « ? » link of a page, if any.
fn help_link(body: &str) -> Option<String> {
    let marker = r#"class="help" href=""#;
    let start = body.find(marker)? + marker.len();
    body[start..].split('"').next().map(str::to_string)
}

#[tokio::test]
async fn the_guides_are_served_and_each_page_leads_to_its_section() {
    let (server, _f) = TestServer::school().await;
    let mut anonymous = server.client();
    let index = anonymous.get("/aide").await;
    assert_eq!(index.status, 200);
    for guide in ["familles", "enseignant", "direction", "commune"] {
        assert!(index.body.contains(&format!("/aide/{guide}")), "{guide}");
        assert_eq!(anonymous.get(&format!("/aide/{guide}")).await.status, 200);
    }
    assert_eq!(anonymous.get("/aide/inconnu").await.status, 404);
    let picture = anonymous.get("/aide/img/board.png").await;
    assert_eq!(picture.status, 200);
    assert_eq!(anonymous.get("/aide/img/..%2FCargo.toml").await.status, 404);
    assert!(anonymous
        .get("/connexion")
        .await
        .body
        .contains(r#"href="/aide""#));

    for (login, page, expected) in [
        ("marc.petit", "/messagerie", "/aide/familles#messagerie"),
        ("marc.petit", "/carnet", "/aide/familles#carnet-de-liaison"),
        (
            "paul.durand",
            "/cahier-de-textes",
            "/aide/enseignant#cahier-de-textes",
        ),
        ("paul.durand", "/blog", "/aide/enseignant#blog-de-la-classe"),
        (DIRECTOR_LOGIN, "/accueil", "/aide/direction"),
        (DIRECTOR_LOGIN, "/admin/comptes", "/aide/direction#comptes"),
        (
            "paul.durand",
            "/appel",
            "/aide/enseignant#appel-et-absences",
        ),
        (
            "marc.petit",
            "/notifications",
            "/aide/familles#notifications",
        ),
    ] {
        let mut c = server.signed_in(login).await;
        let body = c.get(page).await.body;
        let link = help_link(&body).unwrap_or_else(|| panic!("no « ? » on {page}"));
        assert_eq!(link, expected, "{login} on {page}");
        // The anchor is there in the guide.
        if let Some((guide, anchor)) = link.split_once('#') {
            let text = c.get(guide).await.body;
            assert!(
                text.contains(&format!(r#"id="{anchor}""#)),
                "{anchor} in {guide}"
            );
        }
    }
    // Pupils ask their teacher: no « ? » for them.
    let mut lou = server.signed_in("lou.petit").await;
    assert!(help_link(&lou.get("/accueil").await.body).is_none());
    server.stop().await;
}

#[tokio::test]
async fn the_director_names_the_referent_numerique() {
    let (server, _f) = TestServer::school().await;
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let mut marc = server.signed_in("marc.petit").await;
    assert!(marc.get("/aide").await.body.contains("pas encore nommé"));
    assert_eq!(marc.get("/admin/aide").await.status, 403);
    director.get("/admin/aide").await;
    let half = director
        .post("/admin/aide", &[("name", "Mme Martin"), ("contact", "")])
        .await;
    assert_eq!(half.status, 400);
    assert!(half.body.contains("ou aucun des deux") && half.body.contains("Mme Martin"));
    let r = director
        .post(
            "/admin/aide",
            &[("name", "Mme Martin"), ("contact", "martin@ecole.example")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = marc.get("/aide/familles").await.body;
    assert!(page.contains("Mme Martin") && page.contains("martin@ecole.example"));
    assert!(director
        .get("/admin/journal")
        .await
        .body
        .contains("Référent numérique : Mme Martin"));
    server.stop().await;
}

#[tokio::test]
async fn the_first_visit_tour_follows_the_profile_and_stays_closed() {
    let (server, _f) = TestServer::school().await;
    let mut marc = server.signed_in("marc.petit").await;
    let home = marc.get("/accueil").await.body;
    assert!(home.contains("Bienvenue dans Préau"));
    assert!(home.contains("J'ai pris connaissance"), "a parent's step");
    assert!(!home.contains("Services de la classe"), "not a teacher's");
    // Zoé (CM1-CM2) has the usual home and its tour; Lou (CP) the kid home, no text wall.
    let mut zoe = server.signed_in("zoe.leroy").await;
    let pupil = zoe.get("/accueil").await.body;
    assert!(pupil.contains("Demande à ton enseignant"));
    let mut lou = server.signed_in("lou.petit").await;
    assert!(!lou
        .get("/accueil")
        .await
        .body
        .contains("Bienvenue dans Préau"));
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    assert!(director
        .get("/accueil")
        .await
        .body
        .contains("Administration : les comptes"));
    let closed = marc.post("/accueil/visite", &[]).await;
    assert_eq!(closed.status, 303);
    assert!(!marc
        .get("/accueil")
        .await
        .body
        .contains("Bienvenue dans Préau"));
    // Remembered on the account, not in the session.
    let mut again = server.signed_in("marc.petit").await;
    assert!(!again
        .get("/accueil")
        .await
        .body
        .contains("Bienvenue dans Préau"));
    server.stop().await;
}
