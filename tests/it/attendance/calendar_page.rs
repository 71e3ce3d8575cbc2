//! The school calendar's page: the director sets the week and the days off; a line that is
//! not a date is refused beside the field, what was typed kept.

use preau::attendance::HalfDay;
use preau::school::calendar;

use crate::common::{TestServer, DIRECTOR_LOGIN};

#[tokio::test]
async fn the_director_sets_the_week_and_the_days_off() {
    let (server, _) = TestServer::school().await;
    let store = server.store();
    let mut d = server.signed_in(DIRECTOR_LOGIN).await;
    assert_eq!(d.get("/admin/calendrier").await.status, 200);
    let saved = d
        .post(
            "/admin/calendrier",
            &[
                ("semaine", "4.5"),
                ("conges", "2026-12-03 Journée pédagogique\n"),
                ("rattrapages", ""),
                ("rappel_matin", "09:15"),
                ("rappel_apres_midi", "14:00"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let day = |t: &str| t.parse::<jiff::civil::Date>().unwrap();
    assert!(!calendar::is_school_day(&store, day("2026-12-03")).unwrap());
    // Wednesday 2 December 2026, a 4.5-day week: the morning only.
    assert!(calendar::is_school_half_day(&store, day("2026-12-02"), HalfDay::Morning).unwrap());
    assert!(!calendar::is_school_half_day(&store, day("2026-12-02"), HalfDay::Afternoon).unwrap());
    assert_eq!(calendar::get(&store).unwrap().reminder_morning, (9, 15));
    let wrong = d
        .post(
            "/admin/calendrier",
            &[("semaine", "4"), ("conges", "le 3 décembre")],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert!(
        wrong.body.contains("« le 3 décembre » : la ligne"),
        "{}",
        wrong.body
    );
    assert!(
        wrong.body.contains(">le 3 décembre</textarea>"),
        "what was typed is kept"
    );
    assert_eq!(
        calendar::get(&store).unwrap().days_off.len(),
        1,
        "nothing changed"
    );
    server.stop().await;
}
