//! The appel: taken on a school day, refused on a day off and on another day, each
//! guardian told once, a double submit recorded once, a correction audited, a
//! replacement through a delegation, the refusals.

use preau::attendance::{self, HalfDay, Mark};
use preau::directory::{self, Membership};
use preau::policy::Profile;

use super::{absence_notices, day_off, school_today};
use crate::common::{add_person, TestServer};

fn absent(zoe: u64) -> (String, String) {
    (format!("e{zoe}"), "absent".into())
}

async fn post_appel(
    c: &mut crate::common::Client,
    class: u64,
    day: &str,
    marks: &[(String, String)],
) -> crate::common::Page {
    let mut fields: Vec<(&str, &str)> = vec![("jour", day), ("demi", "matin")];
    for (k, v) in marks {
        fields.push((k, v));
    }
    c.post(&format!("/appel/classe/{class}"), &fields).await
}

#[tokio::test]
async fn the_appel_is_taken_on_a_school_day_and_refused_on_a_day_off() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let today = school_today(&store);
    let mut paul = server.signed_in("paul.durand").await;
    let list = paul.get("/appel").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("CM1-CM2"), "{}", list.body);
    let page = paul
        .get(&format!("/appel/classe/{}?demi=matin", f.cm))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Zoé Leroy") && page.body.contains("Appel terminé"));
    let done = post_appel(&mut paul, f.cm, &today.to_string(), &[absent(f.zoe)]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let appel = attendance::appel(&store, f.cm, today, HalfDay::Morning)
        .unwrap()
        .unwrap();
    assert_eq!(appel.mark_of(f.zoe), Some(Mark::Absent));
    let gone = attendance::absent_on(&store, today).unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].pupil.0, f.zoe);
    assert_eq!(gone[0].reason, "absent");

    // Another day cannot be taken here.
    let yesterday = today.yesterday().unwrap().to_string();
    let refused = post_appel(&mut paul, f.cm, &yesterday, &[]).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("jour même"));

    // The director makes today a day off: no appel.
    day_off(&store, today);
    let page = paul
        .get(&format!("/appel/classe/{}?demi=matin", f.cm))
        .await;
    assert!(page.body.contains("Pas d'appel"), "{}", page.body);
    assert!(!page.body.contains("Appel terminé"));
    let refused = post_appel(&mut paul, f.cm, &today.to_string(), &[]).await;
    assert_eq!(refused.status, 409);
    assert!(
        refused.body.contains("Journée pédagogique"),
        "{}",
        refused.body
    );
    // Nothing changed: Zoé is still the only one absent, once.
    assert_eq!(attendance::absent_on(&store, today).unwrap().len(), 1);
    server.stop().await;
}

/// The audit journal's entries about the appel (other actions may be journaled beside).
fn appel_audit(store: &preau::store::Store) -> Vec<preau::auth::journal::AuditEvent> {
    preau::auth::journal::recent_audit(store, 1000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action.contains("Appel"))
        .collect()
}

#[tokio::test]
async fn each_guardian_is_told_once_and_a_double_submit_records_once() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let today = school_today(&store);
    // Zoé's father, separated: told on his own.
    let yann = add_person(&store, "yann.leroy", Profile::Responsable, None);
    store
        .commit_blocking(|tx| directory::link_parent(tx, yann, f.zoe))
        .unwrap();
    let mut paul = server.signed_in("paul.durand").await;
    let audit_before = appel_audit(&store).len();
    for _ in 0..2 {
        paul.get(&format!("/appel/classe/{}?demi=matin", f.cm))
            .await;
        let done = post_appel(&mut paul, f.cm, &today.to_string(), &[absent(f.zoe)]).await;
        assert_eq!(done.status, 303, "{}", done.body);
    }
    let ines = absence_notices(&store, f.ines);
    let father = absence_notices(&store, yann);
    assert_eq!(ines.len(), 1, "{ines:?}");
    assert_eq!(father.len(), 1, "{father:?}");
    assert!(
        ines[0].contains("Zoé n'est pas en classe ce matin"),
        "{ines:?}"
    );
    assert_eq!(
        appel_audit(&store).len(),
        audit_before,
        "the same appel twice is no correction"
    );
    // A correction the same day: Zoé came after all. Audited, and the families told.
    paul.get(&format!("/appel/classe/{}?demi=matin", f.cm))
        .await;
    let fixed = post_appel(&mut paul, f.cm, &today.to_string(), &[]).await;
    assert_eq!(fixed.status, 303, "{}", fixed.body);
    let audit = appel_audit(&store);
    assert_eq!(audit.len(), audit_before + 1, "{audit:?}");
    assert!(
        audit.iter().any(|e| e.action.contains("Appel corrigé")
            && e.action.contains("Zoé Leroy : absent → présent")),
        "{audit:?}"
    );
    let told = absence_notices(&store, f.ines);
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(attendance::absent_on(&store, today).unwrap().is_empty());
    server.stop().await;
}

#[tokio::test]
async fn a_replacement_takes_the_appel_while_the_delegation_runs() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let today = school_today(&store);
    add_person(&store, "remi.remplacant", Profile::Enseignant, None);
    let remi = directory::user_by_login(&store, "remi.remplacant")
        .unwrap()
        .unwrap()
        .id;
    let mut c = server.signed_in("remi.remplacant").await;
    assert_eq!(c.get(&format!("/appel/classe/{}", f.cm)).await.status, 403);
    let now = preau::auth::now_micros();
    store
        .commit_checked_blocking(|tx| {
            directory::delegate_class(
                tx,
                f.cm,
                remi,
                &directory::Delegation {
                    until: now + 86_400_000_000,
                    granted_by: f.director,
                    granted_at: now,
                },
            )
        })
        .unwrap();
    let mut c = server.signed_in("remi.remplacant").await;
    assert_eq!(c.get(&format!("/appel/classe/{}", f.cm)).await.status, 200);
    let done = post_appel(&mut c, f.cm, &today.to_string(), &[absent(f.zoe)]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    server.stop().await;
}

#[tokio::test]
async fn pupils_parents_other_teachers_and_a_service_off_are_refused() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let today = school_today(&store);
    add_person(
        &store,
        "nina.roux",
        Profile::Enseignant,
        Some((f.cp, Membership::Teacher)),
    );
    for login in ["zoe.leroy", "ines.leroy", "nina.roux"] {
        let mut c = server.signed_in(login).await;
        let page = c.get(&format!("/appel/classe/{}", f.cm)).await;
        assert_eq!(page.status, 403, "{login}");
        let post = post_appel(&mut c, f.cm, &today.to_string(), &[absent(f.zoe)]).await;
        assert_eq!(post.status, 403, "{login}");
    }
    let mut zoe = server.signed_in("zoe.leroy").await;
    assert_eq!(zoe.get("/appel").await.status, 403);
    let mine = zoe.get("/absences").await;
    assert_eq!(mine.status, 200);
    assert!(!mine.body.contains("Prévenir d'une absence"));
    assert!(attendance::absent_on(&store, today).unwrap().is_empty());
    // The service switched off: every page of it is gone.
    let mut school = preau::school::get(&store).unwrap().unwrap();
    school
        .services
        .retain(|s| *s != preau::school::Service::Absences);
    store
        .commit_blocking(|tx| preau::school::save(tx, &school))
        .unwrap();
    let mut paul = server.signed_in("paul.durand").await;
    assert_eq!(paul.get("/appel").await.status, 404);
    assert_eq!(
        paul.get(&format!("/appel/classe/{}", f.cm)).await.status,
        404
    );
    let mut ines = server.signed_in("ines.leroy").await;
    assert_eq!(ines.get("/absences").await.status, 404);
    server.stop().await;
}

#[tokio::test]
async fn the_teachers_home_reminds_the_appel_and_the_periscolaire_sees_who_is_missing() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let today = school_today(&store);
    // The reminder from midnight on: the current half-day's appel is late.
    let mut cal = preau::school::calendar::get(&store).unwrap();
    cal.reminder_morning = (0, 0);
    cal.reminder_afternoon = (0, 0);
    store
        .commit_blocking(|tx| preau::school::calendar::save(tx, &cal))
        .unwrap();
    let mut paul = server.signed_in("paul.durand").await;
    let home = paul.get("/accueil").await;
    assert!(
        home.body.contains("Appel à faire") && home.body.contains("L'appel de CM1-CM2"),
        "{}",
        home.body
    );
    let half = attendance::current(preau::auth::now_micros()).1;
    paul.get(&format!("/appel/classe/{}?demi={}", f.cm, half.slug()))
        .await;
    let done = paul
        .post(
            &format!("/appel/classe/{}", f.cm),
            &[
                ("jour", &today.to_string()),
                ("demi", half.slug()),
                (&format!("e{}", f.zoe), "absent"),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    assert!(!paul.get("/accueil").await.body.contains("Appel à faire"));
    // Eva has Zoé at the étude du soir: she sees Zoé is missing, nobody else's pupils.
    let eva = add_person(&store, "eva.garde", Profile::Periscolaire, None);
    store
        .commit_checked_blocking(|tx| {
            let etude = directory::create_group(tx, "Étude du soir", "")?;
            directory::add_to_group(tx, etude, eva)?;
            directory::add_to_group(tx, etude, f.zoe)
        })
        .unwrap();
    let mut c = server.signed_in("eva.garde").await;
    let page = c.get("/absences").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Zoé Leroy") && page.body.contains("absent"),
        "{}",
        page.body
    );
    server.stop().await;
}
