//! The LSU export (issue 19): the director downloads a class's published period as the
//! LSU 1D XML (every required element and attribute, INE and ONDE ids, counts), the same
//! bytes each time and from `preau lsu export`; before that, the French list of what is
//! missing (no INE, no ONDE class id, unpublished bilans, a period without dates) and no
//! file; a teacher and a parent are refused.

use preau::progress::livret::{self, lsu, lsu::xml};
use preau::store::Store;

use crate::common::{Client, Folks, TestServer, DIRECTOR_LOGIN};
use crate::livret::{francais, trimestres};

const ZOE_INE: &str = "0123456789AB";
const ONDE_CLASS: &str = "1234567";

/// Status, content type and body of a GET.
async fn fetch(c: &Client, path: &str) -> (u16, String, String) {
    let resp = c
        .http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let kind = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, resp.text().await.unwrap())
}

/// Zoé's INE and the class's ONDE id, as an ONDE import leaves them.
fn onde_ids(store: &Store, f: &Folks) {
    let user = preau::directory::user(store, f.zoe).unwrap().unwrap();
    let record = preau::directory::pupil(store, f.zoe).unwrap();
    let mut record = record.unwrap_or(preau::directory::PupilRecord {
        user_id: f.zoe,
        ine: None,
        birth_date: "2016-05-04".into(),
        sex: None,
        level: None,
        cycle: None,
        onde_class_id: None,
        photo_consent_declared: None,
        leaving: None,
        avatar: None,
        picture_hash: None,
        card_token_hash: None,
    });
    record.ine = Some(ZOE_INE.into());
    let mut class = preau::directory::class(store, f.cm).unwrap().unwrap();
    class.onde_id = Some(ONDE_CLASS.into());
    store
        .commit_checked_blocking(|tx| {
            preau::directory::save_pupil(tx, &user, &record)?;
            Ok(preau::directory::save_class(tx, &class)?)
        })
        .unwrap();
}

fn all<'a>(e: &'a xml::Element, path: &[&str]) -> Vec<&'a xml::Element> {
    match path.split_first() {
        None => vec![e],
        Some((first, rest)) => e
            .elements()
            .filter(|c| c.name() == *first)
            .flat_map(|c| all(c, rest))
            .collect(),
    }
}

#[tokio::test]
async fn a_published_period_exports_to_the_lsu_once_nothing_is_missing() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let mut director = server.signed_in(DIRECTOR_LOGIN).await;
    let periods = trimestres(&server, &mut director).await;
    let mut paul = server.signed_in("paul.durand").await;
    francais(
        &mut paul,
        &f,
        periods[0],
        "Lire à voix haute\nÉcrire un texte court",
        "Lecture fluide & expressive, « bravo ».",
    )
    .await;
    // Zoé ends cycle 3 this year: her bilan de fin de cycle goes with the first period.
    let cycle = livret::CycleBilan {
        pupil: f.zoe,
        cycle: 3,
        class_id: f.cm,
        period: periods[0],
        reference: livret::reference::LIVRET_VERSION.into(),
        components: livret::reference::SOCLE
            .iter()
            .map(|(code, _)| (code.to_string(), 3))
            .collect(),
        appreciation: "Des acquis solides.".into(),
        updated: livret::Stamp { by: f.paul, at: 1 },
        published: None,
        seen: Vec::new(),
        comments: Vec::new(),
    };
    store
        .commit_blocking(|tx| tx.put(&livret::CYCLE_BILANS, &(f.zoe, 3), &cycle))
        .unwrap();
    let path = format!("/suivi/livret/lsu/fichier?periode=1&classe={}", f.cm);

    // Written but not published, no INE, no ONDE id: the list, and no file.
    let (status, kind, body) = fetch(&director, &path).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"), "{kind}");
    for said in [
        "Le fichier n'est pas créé",
        "bilan périodique non publié",
        "pas d'INE",
        "pas d'identifiant de classe ONDE",
        "aucun enseignant enregistré",
        "bilan de fin de cycle 3 non publié",
    ] {
        assert!(body.contains(said), "{said} in {body}");
    }
    assert!(body.contains("Zoé"), "the pupil is named");

    let t1 = periods[0].to_string();
    let r = paul
        .post(
            &format!("/suivi/livret/classe/{}/publier", f.cm),
            &[("periode", &t1)],
        )
        .await;
    assert_eq!(r.status, 303);
    let (_, _, body) = fetch(&director, &path).await;
    assert!(
        !body.contains("non publié") && body.contains("pas d'INE"),
        "{body}"
    );

    // A period the director has not dated.
    let (_, _, body) = fetch(&director, "/suivi/livret/lsu/fichier?periode=4").await;
    assert!(body.contains("ses dates ne sont pas définies"), "{body}");

    onde_ids(&store, &f);
    let (status, kind, file) = fetch(&director, &path).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("application/xml"), "{kind}: {file}");
    let root = xml::parse(&file).unwrap();
    assert_eq!(lsu::schema_problems(&root), Vec::<String>::new());
    assert_eq!(root.attribute("xmlns"), Some(lsu::NAMESPACE));
    assert_eq!(root.attribute("schemaVersion"), Some(lsu::SCHEMA_VERSION));
    let uai = all(&root, &["entete", "etablissement"]);
    assert_eq!(uai.len(), 1);
    assert!(
        file.contains("<etablissement>0350001L</etablissement>"),
        "{file}"
    );
    let classes = all(&root, &["donnees", "classes", "classe"]);
    assert_eq!(classes.len(), 1);
    assert_eq!(classes[0].attribute("id-be"), Some(ONDE_CLASS));
    let pupils = all(&root, &["donnees", "eleves", "eleve"]);
    assert_eq!(pupils.len(), 1, "one pupil has a bilan");
    assert_eq!(pupils[0].attribute("ine"), Some(ZOE_INE));
    assert_eq!(pupils[0].attribute("prenom"), Some("Zoé"));
    let bilans = all(
        &root,
        &["donnees", "bilans-periodiques", "bilan-periodique"],
    );
    assert_eq!(bilans.len(), 1);
    assert_eq!(bilans[0].attribute("eleve-ref"), pupils[0].attribute("id"));
    let acquis = all(bilans[0], &["liste-acquis", "acquis"]);
    assert_eq!(acquis.len(), 1);
    assert_eq!(acquis[0].attribute("code-domaine"), Some("FRA"));
    assert_eq!(acquis[0].attribute("positionnement"), Some("3"));
    let elements = all(
        &root,
        &["donnees", "elements-programme", "element-programme"],
    );
    assert_eq!(elements.len(), 2, "the two éléments du programme");
    assert!(
        file.contains("Lecture fluide &amp; expressive, « bravo »."),
        "escaped"
    );
    let teachers = all(&root, &["donnees", "enseignants", "enseignant"]);
    assert_eq!(teachers.len(), 1);
    assert_eq!(teachers[0].attribute("nom"), Some("Durand"));
    assert_eq!(all(&root, &["donnees", "periodes", "periode"]).len(), 1);
    let cycles = all(&root, &["donnees", "bilans-cycle", "bilan-cycle"]);
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].attribute("cycle"), Some("3"));
    assert_eq!(
        all(cycles[0], &["socle", "domaine"]).len(),
        8,
        "the eight components"
    );

    // Again: the same bytes.
    let (_, _, again) = fetch(&director, &path).await;
    assert_eq!(again, file);

    // Neither a teacher nor a parent.
    let ines = server.signed_in("ines.leroy").await;
    for who in [&paul, &ines] {
        assert_eq!(fetch(who, &path).await.0, 403);
        assert_eq!(fetch(who, "/suivi/livret/lsu").await.0, 403);
    }
    assert_eq!(director.get("/suivi/livret/lsu").await.status, 200);

    // The command line, through the running server: the same file (every class, here
    // only CM1-CM2, gives it too); a refusal exits
    // non-zero with the list and writes nothing.
    let out = tempfile::tempdir().unwrap();
    let run = |data: &std::path::Path, args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_preau"));
        command
            .env_remove("PREAU_DATA_DIR")
            .arg("--data-dir")
            .arg(data)
            .args(["lsu", "export"])
            .args(args)
            .current_dir(out.path());
        tokio::task::spawn_blocking(move || command.output().unwrap())
    };
    let made = run(
        server.dir.path(),
        &["--periode", "1", "--classe", "CM1-CM2", "--out", "t1.xml"],
    )
    .await
    .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("t1.xml")).unwrap(),
        file
    );
    let refused = run(server.dir.path(), &["--periode", "2", "--out", "t2.xml"])
        .await
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("aucun bilan écrit pour le trimestre 2"),
        "{said}"
    );
    assert!(!out.path().join("t2.xml").exists());
    // The server stopped: the command opens the store itself, and writes the same file.
    drop(store);
    let data = server.stop().await;
    let alone = run(data.path(), &["--periode", "1", "--out", "alone.xml"])
        .await
        .unwrap();
    assert!(
        alone.status.success(),
        "{}",
        String::from_utf8_lossy(&alone.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("alone.xml")).unwrap(),
        file
    );
}
