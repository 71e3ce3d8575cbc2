//! The livret's objects for the matrix: the director sets three trimestres, Paul fills
//! Zoé's français for the current one and publishes it, so that every livret page of
//! Zoé has a real bilan behind it (her family's print included).

use super::objects::made;
use crate::common::Client;

pub(super) async fn published_bilan(director: &mut Client, paul: &mut Client, cm: u64, zoe: u64) {
    // The current trimestre runs from a month ago to a month ahead.
    let day = |offset: i64| super::objects::day(offset);
    let (d1, f1) = (day(-200), day(-31));
    let (d2, f2) = (day(-30), day(30));
    let (d3, f3) = (day(31), day(200));
    director.get("/suivi/livret/periodes").await;
    let r = director
        .post(
            "/suivi/livret/periodes",
            &[
                ("decoupage", "trimestres"),
                ("debut-1", &d1),
                ("fin-1", &f1),
                ("debut-2", &d2),
                ("fin-2", &f2),
                ("debut-3", &d3),
                ("fin-3", &f3),
            ],
        )
        .await;
    made("periods", &r);
    let page = paul
        .get(&format!("/suivi/livret/classe/{cm}/grille"))
        .await
        .body;
    let period = super::objects::found(&page, "name=\"periode\" value=\"").to_string();
    let (pos, app) = (format!("pos-{zoe}"), format!("app-{zoe}"));
    let r = paul
        .post(
            &format!("/suivi/livret/classe/{cm}/grille"),
            &[
                ("periode", &period),
                ("matiere", "francais"),
                ("elements", "Lire un récit"),
                (&pos, "3"),
                (&app, "Bonne lecture."),
            ],
        )
        .await;
    made("livret grid", &r);
    paul.get(&format!("/suivi/livret/classe/{cm}")).await;
    let r = paul
        .post(
            &format!("/suivi/livret/classe/{cm}/publier"),
            &[("periode", &period)],
        )
        .await;
    made("livret published", &r);
}
