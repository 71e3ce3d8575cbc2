//! The demo's synthèses des acquis: in the GS-CP Les Hiboux, each GS child has theirs,
//! written by the class's teacher; the first two are shared with the families, the first
//! signed by one guardian, the second waiting for its signatures. The CP pupil who signs
//! in with a password finds last year's réussites in their own carnet (kid mode): the
//! carnet follows the child. Returns the logins to try it.

use crate::directory::people::People;
use crate::directory::Level;
use crate::progress::carnet::{Reussite, Seen, Share, BY_PUPIL, REUSSITES, SHARES};
use crate::progress::reference::{Domain, CYCLE1_VERSION};
use crate::progress::synthese::{Level as Grade, Synthese, GRID, GRID_VERSION, SYNTHESES};
use crate::store::Store;

/// The levels given line after line, shifted for each child: mostly « réussit souvent ».
const PATTERN: [Grade; 7] = [
    Grade::Souvent,
    Grade::EnVoie,
    Grade::Souvent,
    Grade::Souvent,
    Grade::EnVoie,
    Grade::Souvent,
    Grade::PasEncore,
];

/// Last year's réussites of the CP pupil: sentence, domain, days ago, the photo's colour.
const LAST_YEAR: [(&str, Domain, i64, [u8; 3]); 3] = [
    (
        "Je sais écrire mon prénom en attaché",
        Domain::Langage,
        200,
        [150, 90, 200],
    ),
    (
        "Je sais compter jusqu'à trente",
        Domain::StructurerPensee,
        230,
        [240, 150, 60],
    ),
    (
        "Je sais faire une roulade avant",
        Domain::ActivitePhysique,
        260,
        [60, 170, 200],
    ),
];

const DAY: i64 = 86_400_000_000;

/// The Hiboux' syntheses, and last year's réussites of `young_pupil` (the CP pupil's
/// login).
pub(super) fn hiboux(
    store: &Store,
    now: i64,
    young_pupil: Option<&str>,
) -> anyhow::Result<Vec<(&'static str, String)>> {
    let people = People::load(store)?;
    let Some(class) = people
        .classes
        .iter()
        .find(|c| c.label == "GS-CP Les Hiboux")
    else {
        return Ok(Vec::new());
    };
    let Some(teacher) = people.teachers_of_class(class.id).first().copied() else {
        return Ok(Vec::new());
    };
    let gs: Vec<u64> = people
        .pupils_of_class(class.id)
        .into_iter()
        .filter(|p| people.levels.get(p) == Some(&Level::GS))
        .collect();
    let young = young_pupil
        .and_then(|l| crate::directory::user_by_login(store, l).ok().flatten())
        .map(|u| u.id);
    let today = crate::ui::dates::local_day_and_hour(now).0;
    let mut photos = Vec::new();
    for (n, (_, _, _, colour)) in LAST_YEAR.iter().enumerate() {
        let bytes = super::progress::picture(*colour);
        photos.push(super::progress::stored(
            store,
            &bytes,
            &format!("gs-{}.jpg", n + 1),
        )?);
    }
    store.commit_blocking(|tx| {
        for (k, pupil) in gs.iter().enumerate() {
            let lines = GRID
                .iter()
                .flat_map(|(d, list)| list.iter().map(move |t| (*d, t.to_string())))
                .enumerate()
                .map(|(i, (d, t))| (d, t, PATTERN[(i + k) % PATTERN.len()]))
                .collect();
            let mut s = Synthese {
                pupil: *pupil,
                reference: GRID_VERSION.to_string(),
                lines,
                strengths: "Prend la parole volontiers en groupe ; aime les albums et les raconte à ses camarades.".into(),
                needs: "Tenir son crayon sans se crisper ; prendre son temps pour les tracés.".into(),
                author: teacher,
                at: now - 3 * DAY,
                share: None,
            };
            if k < 2 {
                let id = tx.next_id("suivi_partage")?;
                s.share = Some(id);
                let seen = match (k, people.parents_of(*pupil).first()) {
                    (0, Some(g)) => vec![Seen { by: *g, at: now - DAY }],
                    _ => Vec::new(),
                };
                let share = Share {
                    id,
                    pupil: *pupil,
                    by: teacher,
                    at: now - 2 * DAY,
                    entries: Vec::new(),
                    seen,
                    comments: Vec::new(),
                    synthese: true,
                };
                tx.put(&SHARES, &(*pupil, id), &share)?;
            }
            tx.put(&SYNTHESES, pupil, &s)?;
        }
        if let Some(pupil) = young {
            let id = tx.next_id("suivi_partage")?;
            let mut entries = Vec::new();
            for ((sentence, domain, ago, _), photo) in LAST_YEAR.into_iter().zip(&photos) {
                let rid = tx.next_id("suivi_reussite")?;
                let day = today
                    .checked_sub(jiff::Span::new().days(ago))
                    .unwrap_or(today);
                let r = Reussite {
                    id: rid,
                    pupil,
                    day,
                    domain,
                    reference: CYCLE1_VERSION.to_string(),
                    sentence: sentence.into(),
                    attendu: None,
                    photo: Some(photo.clone()),
                    author: teacher,
                    at: now - ago * DAY,
                    shared: Some(id),
                };
                tx.put(&REUSSITES, &rid, &r)?;
                tx.put(&BY_PUPIL, &(pupil, rid), &())?;
                entries.push(rid);
            }
            let share = Share {
                id,
                pupil,
                by: teacher,
                at: now - 190 * DAY,
                entries,
                seen: Vec::new(),
                comments: Vec::new(),
                synthese: false,
            };
            tx.put(&SHARES, &(pupil, id), &share)?;
        }
        Ok(())
    })?;
    let mut logins = Vec::new();
    if let Some(u) = people.user(teacher) {
        logins.push(("Enseignant de GS (synthèse des acquis)", u.login.clone()));
    }
    // A guardian of the second GS child, whose synthèse waits for their signature.
    if let Some(u) = gs
        .get(1)
        .and_then(|p| people.parents_of(*p).first())
        .and_then(|g| people.user(*g))
    {
        logins.push(("Responsable d'un enfant de GS (synthèse)", u.login.clone()));
    }
    Ok(logins)
}
