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

/// Zoé's synthèse des acquis of GS, written and shared by Paul so that its routes have a
/// real object. The synthèse is refused for a child whose record says another level:
/// her record says GS while it is written, then CM1 again (the livret needs it).
pub(super) async fn gs_synthese(paul: &mut Client, store: &preau::store::Store, zoe: u64) {
    use preau::directory::{self, Level};
    let set_level = |level: Level| {
        let mut record = directory::pupil(store, zoe).unwrap().expect("Zoé's record");
        record.level = Some(level);
        store
            .commit_blocking(|tx| tx.put(&directory::PUPILS, &zoe, &record))
            .unwrap();
    };
    set_level(Level::GS);
    let carnet = format!("/suivi/eleve/{zoe}");
    paul.get(&carnet).await;
    let grid: Vec<String> = (0..preau::progress::synthese::grid_len())
        .map(|i| format!("l-{i}"))
        .collect();
    let grid: Vec<(&str, &str)> = grid.iter().map(|k| (k.as_str(), "souvent")).collect();
    made(
        "synthèse",
        &paul.post(&format!("{carnet}/synthese"), &grid).await,
    );
    let shared = paul.post(&format!("{carnet}/synthese/partager"), &[]).await;
    made("synthèse shared", &shared);
    set_level(Level::CM1);
}
