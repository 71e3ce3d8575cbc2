//! The families: a declaration made ahead pre-fills the appel and tells nobody, the motif
//! is given afterwards and asked for once more a day later, another family is refused.

use preau::attendance::{self, families, HalfDay, Mark};

use super::{absence_notices, appel_as_paul, at, school_today};
use crate::common::TestServer;

#[tokio::test]
async fn a_declaration_prefills_the_appel_and_tells_nobody() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let today = school_today(&store);
    let mut ines = server.signed_in("ines.leroy").await;
    let form = ines.get("/absences/prevenir").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("réunion solennelle de famille"));
    let day = today.to_string();
    let sent = ines
        .post(
            "/absences/prevenir",
            &[
                ("eleve", &f.zoe.to_string()),
                ("du", &day),
                ("au", &day),
                ("demi", "matin"),
                ("motif", "maladie"),
                ("commentaire", ""),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    // Before the appel, the canteen already knows.
    let gone = attendance::absent_on(&store, today).unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].reason, "absence prévue (maladie de l'enfant)");
    let mut paul = server.signed_in("paul.durand").await;
    let page = paul
        .get(&format!("/appel/classe/{}?demi=matin", f.cm))
        .await;
    assert!(
        page.body
            .contains("Absence prévue par la famille : maladie de l&#39;enfant")
            || page
                .body
                .contains("Absence prévue par la famille : maladie de l'enfant")
    );
    let checked = format!(
        "id=\"e{}-absent\" name=\"e{}\" value=\"absent\" checked",
        f.zoe, f.zoe
    );
    assert!(page.body.contains(&checked), "{}", page.body);
    // The teacher sends the appel as pre-filled: nobody is alerted.
    let done = paul
        .post(
            &format!("/appel/classe/{}", f.cm),
            &[
                ("jour", &day),
                ("demi", "matin"),
                (&format!("e{}", f.zoe), "absent"),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    assert!(absence_notices(&store, f.ines).is_empty());
    let gone = attendance::absent_on(&store, today).unwrap();
    assert_eq!(gone[0].reason, "absent (maladie de l'enfant)");
    // Another family cannot declare for Zoé.
    let mut marc = server.signed_in("marc.petit").await;
    marc.get("/absences/prevenir").await;
    let refused = marc
        .post(
            "/absences/prevenir",
            &[
                ("eleve", &f.zoe.to_string()),
                ("du", &day),
                ("au", &day),
                ("motif", "maladie"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    server.stop().await;
}

#[tokio::test]
async fn the_motif_is_asked_once_more_a_day_later_then_given() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let today = school_today(&store);
    appel_as_paul(
        &store,
        &f,
        today,
        HalfDay::Morning,
        &[(f.zoe, Mark::Absent)],
    )
    .await;
    assert_eq!(absence_notices(&store, f.ines).len(), 1);
    let told = at(today, HalfDay::Morning);
    // Not yet a day later: nothing.
    assert_eq!(
        families::remind_motifs(&store, told + 3_600_000_000).unwrap(),
        0
    );
    let later = told + families::REMIND_AFTER + 1;
    assert_eq!(families::remind_motifs(&store, later).unwrap(), 1);
    assert_eq!(
        families::remind_motifs(&store, later * 2).unwrap(),
        0,
        "once"
    );
    let notices = absence_notices(&store, f.ines);
    assert_eq!(notices.len(), 2);
    assert!(notices[0].starts_with("Rappel"), "{notices:?}");
    // The page offers the motif; another family may not give it.
    let mut ines = server.signed_in("ines.leroy").await;
    let page = ines.get("/absences").await;
    assert!(page.body.contains("Donner le motif"), "{}", page.body);
    let slot = attendance::slot(today, HalfDay::Morning).to_string();
    let mut marc = server.signed_in("marc.petit").await;
    marc.get("/absences").await;
    let refused = marc
        .post(
            "/absences/motif",
            &[
                ("eleve", &f.zoe.to_string()),
                ("creneau", &slot),
                ("motif", "maladie"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    let given = ines
        .post(
            "/absences/motif",
            &[
                ("eleve", &f.zoe.to_string()),
                ("creneau", &slot),
                ("motif", "maladie"),
                ("commentaire", "angine"),
            ],
        )
        .await;
    assert_eq!(given.status, 303, "{}", given.body);
    let mine = attendance::of_pupil(&store, f.zoe).unwrap();
    assert_eq!(mine.len(), 1);
    assert!(!mine[0].unjustified());
    let page = ines.get("/absences").await;
    assert!(page.body.contains("angine") && !page.body.contains("Donner le motif"));
    server.stop().await;
}
