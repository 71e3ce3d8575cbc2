//! The authorization matrix: every route of the route table (`preau::routes::table()`) ×
//! every profile (and anonymous), with the expected outcome. A new route without a rule
//! here fails this test, and so does a rule that disagrees with the table. Refusals are
//! asserted as well as allowances.

use std::collections::BTreeSet;

use crate::common::{Client, TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Only before installation: 404 afterwards.
    SetupOnly,
    /// Any signed-in person.
    Member,
    /// The director only.
    Director,
    /// The class's teachers, its pupils, the director (ViewClass).
    ClassView,
    /// The class's teachers and the director (ManagePupil).
    ClassManage,
    /// The pupil, their guardians and teachers, the director (ViewPupil).
    PupilView,
    /// Any teacher of a class, or the director (ModerateClass).
    Teacher,
    /// A guardian (WriteFamilyMot).
    Guardian,
    /// The pupil's guardians and teachers, the director (ViewCarnet).
    CarnetView,
}

use Access::*;

const RULES: &[(&str, &str, Access)] = &[
    ("GET", "/", Public),
    ("GET", "/healthz", Public),
    ("GET", "/certificat", Public),
    ("GET", "/certificat/preau-ca.crt", Public),
    ("GET", "/setup", SetupOnly),
    ("POST", "/setup/code", SetupOnly),
    ("GET", "/setup/ecole", SetupOnly),
    ("POST", "/setup/ecole", SetupOnly),
    ("GET", "/setup/direction", SetupOnly),
    ("POST", "/setup/direction", SetupOnly),
    ("GET", "/setup/classes", SetupOnly),
    ("POST", "/setup/classes", SetupOnly),
    ("POST", "/setup/classes/retirer", SetupOnly),
    ("GET", "/setup/services", SetupOnly),
    ("POST", "/setup/services", SetupOnly),
    ("GET", "/setup/eleves", SetupOnly),
    ("POST", "/setup/eleves", SetupOnly),
    ("GET", "/setup/recapitulatif", SetupOnly),
    ("POST", "/setup/recapitulatif", SetupOnly),
    ("GET", "/connexion", Public),
    ("POST", "/connexion", Public),
    ("POST", "/deconnexion", Member),
    ("GET", "/accueil", Member),
    ("GET", "/compte", Member),
    ("POST", "/compte/mot-de-passe", Member),
    ("POST", "/compte/deconnecter-partout", Member),
    ("GET", "/admin", Director),
    ("GET", "/admin/ecole", Director),
    ("POST", "/admin/ecole", Director),
    ("GET", "/admin/services", Director),
    ("POST", "/admin/services", Director),
    ("GET", "/admin/journal", Director),
    ("POST", "/admin/sauvegarde", Director),
    ("GET", "/admin/classes", Director),
    ("POST", "/admin/classes", Director),
    ("GET", "/admin/classes/:id", Director),
    ("POST", "/admin/classes/:id", Director),
    ("POST", "/admin/classes/:id/membres", Director),
    ("POST", "/admin/classes/:id/membres/retirer", Director),
    ("POST", "/admin/classes/:id/supprimer", Director),
    ("POST", "/admin/classes/:id/remplacement", Director),
    ("POST", "/admin/classes/:id/remplacement/fin", Director),
    ("GET", "/admin/comptes", Director),
    ("GET", "/admin/comptes/nouveau", Director),
    ("POST", "/admin/comptes/nouveau", Director),
    ("GET", "/admin/comptes/:id", Director),
    ("POST", "/admin/comptes/:id/mot-de-passe", Director),
    ("POST", "/admin/comptes/:id/desactiver", Director),
    ("POST", "/admin/comptes/:id/modifier", Director),
    ("POST", "/admin/comptes/:id/lettre", Director),
    ("POST", "/admin/comptes/:id/fusionner", Director),
    ("POST", "/admin/comptes/:id/depart", Director),
    ("GET", "/admin/import", Director),
    ("POST", "/admin/import", Director),
    ("GET", "/admin/import/:key", Director),
    ("POST", "/admin/import/:key/colonnes", Director),
    ("POST", "/admin/import/:key/valider", Director),
    ("GET", "/admin/groupes", Director),
    ("POST", "/admin/groupes", Director),
    ("GET", "/admin/groupes/:id", Director),
    ("POST", "/admin/groupes/:id/membres", Director),
    ("POST", "/admin/groupes/:id/membres/retirer", Director),
    ("POST", "/admin/groupes/:id/supprimer", Director),
    ("GET", "/admin/rentree", Director),
    ("POST", "/admin/rentree", Director),
    ("GET", "/admin/rentree/archives/:year", Director),
    ("GET", "/admin/lettres", Director),
    ("POST", "/admin/lettres", Director),
    ("GET", "/admin/charte", Director),
    ("POST", "/admin/charte", Director),
    ("GET", "/activation", Public),
    ("POST", "/activation", Public),
    ("POST", "/activation/valider", Public),
    ("GET", "/classes/:id", ClassView),
    ("POST", "/classes/:id/cartes", ClassManage),
    ("GET", "/tableau", Public),
    ("GET", "/tableau/carte/:token", Public),
    ("POST", "/tableau/carte/:token", Public),
    ("GET", "/tableau/:class", Public),
    ("GET", "/tableau/:class/:pupil", Public),
    ("POST", "/tableau/:class/:pupil", Public),
    ("GET", "/eleves/:id", PupilView),
    ("POST", "/eleves/:id/mot-de-passe", ClassManage),
    ("GET", "/charte", Public),
    ("POST", "/charte/accepter", Member),
    ("GET", "/informations", Public),
    ("GET", "/notifications", Member),
    ("POST", "/notifications/tout-lu", Member),
    ("POST", "/notifications/preferences", Member),
    ("POST", "/notifications/:id", Member),
    ("GET", "/admin/courriel", Director),
    ("POST", "/admin/courriel", Director),
    ("POST", "/admin/courriel/essai", Director),
    ("GET", "/admin/communication", Director),
    ("POST", "/admin/communication", Director),
    ("GET", "/admin/signalements", Director),
    ("GET", "/admin/signalements/:id", Director),
    ("POST", "/admin/signalements/:id/clore", Director),
    ("GET", "/messagerie", Member),
    ("GET", "/messagerie/ecrire", Member),
    ("POST", "/messagerie/ecrire", Member),
    ("POST", "/messagerie/dossiers", Member),
    ("POST", "/messagerie/dossiers/:id/supprimer", Member),
    ("POST", "/messagerie/corbeille/vider", Member),
    ("GET", "/messagerie/moderation", Teacher),
    ("POST", "/messagerie/moderation/classes", Teacher),
    ("POST", "/messagerie/moderation/:id", Teacher),
    ("GET", "/messagerie/:id", Member),
    ("POST", "/messagerie/:id/deplacer", Member),
    ("POST", "/messagerie/:id/supprimer", Member),
    ("POST", "/messagerie/:id/restaurer", Member),
    ("POST", "/messagerie/:id/effacer", Member),
    ("POST", "/messagerie/:id/non-lu", Member),
    ("POST", "/messagerie/:id/signaler", Member),
    ("GET", "/messagerie/:id/pieces/:n", Member),
    ("GET", "/carnet", Member),
    ("GET", "/carnet/nouveau", Teacher),
    ("POST", "/carnet/nouveau", Teacher),
    ("GET", "/carnet/ecrire", Guardian),
    ("POST", "/carnet/ecrire", Guardian),
    ("GET", "/carnet/eleve/:id", CarnetView),
    ("GET", "/carnet/:id", Member),
    ("POST", "/carnet/:id/signer", Member),
    ("POST", "/carnet/:id/repondre", Member),
    ("POST", "/carnet/:id/lu", Member),
    ("GET", "/carnet/:id/suivi", Member),
    ("POST", "/carnet/:id/relancer", Member),
    ("GET", "/carnet/:id/coupons", Member),
    ("GET", "/carnet/:id/preuve", Member),
    ("GET", "/carnet/:id/export.csv", Member),
    ("GET", "/carnet/:id/pieces/:n", Member),
    ("GET", "/mediatheque", Member),
    ("GET", "/mediatheque/recherche", Member),
    ("GET", "/mediatheque/corbeille", Member),
    ("GET", "/mediatheque/partages", Member),
    ("GET", "/mediatheque/espace/:space", Member),
    ("POST", "/mediatheque/espace/:space/envoyer", Member),
    ("POST", "/mediatheque/espace/:space/dossier", Member),
    ("POST", "/mediatheque/espace/:space/lien", Member),
    ("POST", "/mediatheque/espace/:space/eleves", Member),
    ("GET", "/mediatheque/element/:id", Member),
    ("POST", "/mediatheque/element/:id/renommer", Member),
    ("POST", "/mediatheque/element/:id/deplacer", Member),
    ("POST", "/mediatheque/element/:id/supprimer", Member),
    ("POST", "/mediatheque/element/:id/restaurer", Member),
    ("POST", "/mediatheque/element/:id/partager", Member),
    ("POST", "/mediatheque/element/:id/partage/retirer", Member),
    ("GET", "/mediatheque/fichier/:id", Member),
    ("GET", "/admin/mediatheque", Director),
    ("POST", "/admin/mediatheque", Director),
    ("GET", "/cahier-de-textes", Member),
    ("GET", "/cahier-de-textes/nouveau", Teacher),
    ("POST", "/cahier-de-textes/nouveau", Teacher),
    ("GET", "/cahier-de-textes/:id", Member),
    ("POST", "/cahier-de-textes/:id/fait", Member),
    ("POST", "/cahier-de-textes/:id/copier", Member),
    ("POST", "/cahier-de-textes/:id/supprimer", Member),
    ("GET", "/cahier-de-textes/:id/pieces/:n", Member),
    ("GET", "/devoirs", Member),
    ("GET", "/devoirs/:id", Member),
    ("POST", "/devoirs/:id/rendre", Member),
    ("GET", "/devoirs/:id/eleve/:pupil", Member),
    ("POST", "/devoirs/:id/eleve/:pupil/retour", Member),
    ("GET", "/devoirs/:id/eleve/:pupil/fichier", Member),
    ("GET", "/classeur", Member),
    ("GET", "/classeur/nouveau", Teacher),
    ("POST", "/classeur/nouveau", Teacher),
    ("GET", "/classeur/:id", Member),
    ("POST", "/classeur/:id/supprimer", Member),
    ("GET", "/classeur/:id/pieces/:n", Member),
    ("GET", "/exercices", Member),
    ("GET", "/exercices/nouveau", Teacher),
    ("POST", "/exercices/nouveau", Teacher),
    ("GET", "/exercices/:id", Member),
    ("POST", "/exercices/:id/repondre", Member),
    ("GET", "/exercices/:id/modifier", Member),
    ("POST", "/exercices/:id/questions", Member),
    ("POST", "/exercices/:id/questions/:n/supprimer", Member),
    ("POST", "/exercices/:id/publier", Member),
    ("GET", "/exercices/:id/resultats", Member),
    ("GET", "/exercices/:id/media/:n", Member),
    ("GET", "/actualites", Member),
    ("GET", "/actualites/nouvelle", Teacher),
    ("POST", "/actualites/nouvelle", Teacher),
    ("GET", "/actualites/:id", Member),
    ("GET", "/actualites/:id/image", Member),
    ("POST", "/actualites/:id/epingler", Member),
    ("POST", "/actualites/:id/supprimer", Member),
    ("GET", "/agenda", Member),
    ("GET", "/agenda/nouveau", Member),
    ("POST", "/agenda/nouveau", Member),
    ("GET", "/agenda/import", Director),
    ("POST", "/agenda/import", Director),
    ("GET", "/agenda/abonnement", Member),
    ("POST", "/agenda/abonnement", Member),
    ("GET", "/agenda/ical/:token", Public),
    ("GET", "/agenda/:id", Member),
    ("POST", "/agenda/:id/supprimer", Member),
    ("GET", "/blog", Member),
    ("GET", "/blog/article/:id", Public),
    ("GET", "/blog/article/:id/media/:n", Public),
    ("GET", "/blog/article/:id/modifier", Member),
    ("POST", "/blog/article/:id/modifier", Member),
    ("POST", "/blog/article/:id/proposer", Member),
    ("POST", "/blog/article/:id/publier", Member),
    ("POST", "/blog/article/:id/renvoyer", Member),
    ("POST", "/blog/article/:id/commenter", Member),
    ("POST", "/blog/article/:id/commentaires/:c/valider", Member),
    (
        "POST",
        "/blog/article/:id/commentaires/:c/supprimer",
        Member,
    ),
    ("POST", "/blog/article/:id/signaler", Member),
    ("POST", "/blog/article/:id/commentaires/:c/signaler", Member),
    ("GET", "/blog/:blog", Public),
    ("GET", "/blog/:blog/ecrire", Member),
    ("POST", "/blog/:blog/ecrire", Member),
    ("POST", "/blog/:blog/reglages", Member),
    ("GET", "/admin/autorisations-photo", Director),
    ("POST", "/admin/autorisations-photo", Director),
    ("GET", "/admin/autorisations-photo/:id", Director),
    ("POST", "/admin/autorisations-photo/:id", Director),
];

// ---- reading the route table ----

/// The rule the route table declares, in this matrix's terms.
fn expected(access: preau::routing::Access) -> Access {
    use preau::routing::{Access as A, Object as O};
    match access {
        A::Public => Public,
        A::SetupOnly => SetupOnly,
        A::Member => Member,
        A::Director => Director,
        A::Teacher => Teacher,
        A::Guardian => Guardian,
        A::Object(O::ClassView) => ClassView,
        A::Object(O::ClassManage) => ClassManage,
        A::Object(O::PupilView) => PupilView,
        A::Object(O::PupilCarnet) => CarnetView,
        A::Object(O::HeldMessage) => Teacher,
        A::Object(O::LoginBoard | O::CalendarFeed | O::BlogReader) => Public,
        A::Object(_) => Member,
    }
}

#[test]
fn every_route_of_the_table_has_a_rule_here() {
    let found: BTreeSet<(String, String)> = preau::routes::table()
        .into_iter()
        .filter(|r| !r.path.starts_with("/static/"))
        .map(|r| (r.method.to_string(), r.path))
        .collect();
    let ruled: BTreeSet<(String, String)> = RULES
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = found.difference(&ruled).collect();
    let stale: Vec<_> = ruled.difference(&found).collect();
    assert!(
        missing.is_empty(),
        "routes without an authorization rule: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rules for routes that no longer exist: {stale:?}"
    );
    for r in preau::routes::table() {
        if let Some((_, _, rule)) = RULES
            .iter()
            .find(|(m, p, _)| *m == r.method.as_str() && *p == r.path)
        {
            assert_eq!(
                *rule,
                expected(r.access),
                "{} {}: the table and the matrix disagree",
                r.method,
                r.path
            );
        }
    }
}

// ---- driving every route as every profile ----

#[derive(Debug, PartialEq)]
enum Outcome {
    Allowed,
    Refused,
    ToLogin,
    NotFound,
}

fn classify(status: u16, location: Option<&str>) -> Outcome {
    match (status, location) {
        (403, _) => Outcome::Refused,
        (404, _) => Outcome::NotFound,
        (303, Some(l)) if l.starts_with("/connexion") => Outcome::ToLogin,
        _ => Outcome::Allowed,
    }
}

struct Actor {
    name: &'static str,
    client: Client,
    signed_in: bool,
    director: bool,
    teaches_class: bool,
    in_class: bool,
    sees_pupil: bool,
    teacher: bool,
    guardian: bool,
}

#[tokio::test]
async fn every_route_answers_every_profile_as_the_rules_say() {
    let server = TestServer::installed().await;
    let store = server.running.as_ref().unwrap().app.store.clone();
    let lou = preau::directory::user_by_login(&store, "lou.petit")
        .unwrap()
        .unwrap()
        .id;
    let marc = preau::directory::user_by_login(&store, "marc.petit")
        .unwrap()
        .unwrap()
        .id;
    let cp = preau::directory::classes(&store)
        .unwrap()
        .into_iter()
        .find(|c| c.label == "CP-CE1")
        .unwrap()
        .id;
    let group = store
        .commit_blocking(|tx| {
            preau::directory::link_parent(tx, marc, lou)?;
            preau::directory::create_group(tx, "Chorale", "")
        })
        .unwrap();

    let mut actors = Vec::new();
    for (name, login, password, director, teaches, in_class, sees) in [
        ("anonyme", "", "", false, false, false, false),
        (
            "direction",
            DIRECTOR_LOGIN,
            DIRECTOR_PASSWORD,
            true,
            true,
            true,
            true,
        ),
        (
            "enseignant d'une autre classe",
            "paul.durand",
            "maitre2026",
            false,
            false,
            false,
            false,
        ),
        (
            "élève de la classe",
            "lou.petit",
            "motdepasse1",
            false,
            false,
            true,
            true,
        ),
        (
            "responsable de l'élève",
            "marc.petit",
            "motdepasse1",
            false,
            false,
            false,
            true,
        ),
    ] {
        let mut client = server.client();
        if !login.is_empty() {
            assert_eq!(
                client.login(login, password).await.status,
                303,
                "{name} signs in"
            );
        }
        actors.push(Actor {
            name,
            client,
            signed_in: !login.is_empty(),
            director,
            teaches_class: teaches,
            in_class,
            sees_pupil: sees,
            teacher: login == DIRECTOR_LOGIN || login == "paul.durand",
            guardian: login == "marc.petit",
        });
    }

    for (method, pattern, access) in RULES {
        let path = pattern
            .replace("/admin/comptes/:id", &format!("/admin/comptes/{lou}"))
            .replace("/admin/groupes/:id", &format!("/admin/groupes/{group}"))
            .replace("/eleves/:id", &format!("/eleves/{lou}"))
            .replace("/carnet/eleve/:id", &format!("/carnet/eleve/{lou}"))
            .replace(":id", &cp.to_string())
            .replace(":class", &cp.to_string())
            .replace(":pupil", &lou.to_string())
            .replace(":key", "inconnu")
            .replace(":token", "inconnu")
            .replace(":year", "2020-2021")
            .replace(":n", "0")
            .replace(":c", "0");
        for a in actors.iter_mut() {
            let allowed = match access {
                Public => true,
                SetupOnly => false,
                Member => a.signed_in,
                Director => a.director,
                ClassView => a.director || a.teaches_class || a.in_class,
                ClassManage => a.director || a.teaches_class,
                PupilView => a.sees_pupil,
                Teacher => a.teacher,
                Guardian => a.guardian,
                CarnetView => a.director || a.guardian,
            };
            // Allowed actions are exercised by the feature tests; here a POST is sent
            // only where it must be refused, so that the matrix changes nothing.
            if *method == "POST" && allowed {
                continue;
            }
            a.client
                .get(if a.signed_in {
                    "/accueil"
                } else {
                    "/connexion"
                })
                .await;
            let page = if *method == "GET" {
                a.client.get(&path).await
            } else {
                a.client.post(&path, &[("x", "1")]).await
            };
            let outcome = classify(page.status, page.location.as_deref());
            let who = a.name;
            match (access, allowed, a.signed_in) {
                (SetupOnly, _, _) => {
                    assert_eq!(outcome, Outcome::NotFound, "{who} {method} {path}")
                }
                (_, true, _) => assert!(
                    outcome == Outcome::Allowed || outcome == Outcome::NotFound,
                    "{who} {method} {path} should be allowed, got {outcome:?} ({})",
                    page.status
                ),
                (_, false, false) => assert_eq!(outcome, Outcome::ToLogin, "{who} {method} {path}"),
                (_, false, true) => assert_eq!(outcome, Outcome::Refused, "{who} {method} {path}"),
            }
        }
    }
    server.stop().await;
}
