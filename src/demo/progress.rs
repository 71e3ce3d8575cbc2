//! The demo's carnets de suivi: in the PS-MS Les Lutins, Claire Vasseur's réussites of
//! the last weeks — four group activities, each with its photo (drawn here: the demo
//! ships no pictures of children) and a few children each — the first three shared with
//! the families, one guardian having said « J'ai vu ». Returns the logins to try it.

use std::io::Write;

use image::{Rgb, RgbImage};

use crate::attachments::Attachment;
use crate::directory::people::People;
use crate::progress::carnet::{Reussite, Seen, Share, BY_PUPIL, REUSSITES, SHARES};
use crate::progress::reference::{Domain, CYCLE1_VERSION};
use crate::store::Store;

const ACTIVITIES: [(&str, Domain, i64, [u8; 3]); 4] = [
    (
        "Je sais marcher sur la poutre sans tomber",
        Domain::ActivitePhysique,
        20,
        [214, 92, 62],
    ),
    (
        "Je sais reconnaître les couleurs de l'arc-en-ciel",
        Domain::ActivitesArtistiques,
        13,
        [90, 140, 220],
    ),
    (
        "Je sais compter jusqu'à cinq avec mes doigts",
        Domain::StructurerPensee,
        8,
        [240, 190, 60],
    ),
    (
        "Je sais planter une graine et l'arroser",
        Domain::ExplorerMonde,
        2,
        [80, 160, 90],
    ),
];

/// A drawn photo of the activity: a sky, the ground, a shape of its colour.
pub(super) fn picture(colour: [u8; 3]) -> Vec<u8> {
    let (w, h) = (480u32, 360u32);
    let img = RgbImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as i64 - 240, y as i64 - 170);
        if dx * dx + dy * dy < 90 * 90 {
            Rgb(colour)
        } else if y > 260 {
            Rgb([120, 170, 90])
        } else {
            Rgb([200, 225, 245])
        }
    });
    let mut out = Vec::new();
    let _ = image::DynamicImage::ImageRgb8(img).write_to(
        &mut std::io::Cursor::new(&mut out),
        image::ImageFormat::Jpeg,
    );
    out
}

pub(super) fn stored(store: &Store, bytes: &[u8], name: &str) -> anyhow::Result<Attachment> {
    let mut writer = store.blobs().writer()?;
    writer.write_all(bytes)?;
    let blob = writer.finish()?;
    Ok(Attachment {
        blob: blob.as_str().to_string(),
        name: name.into(),
        mime: "image/jpeg".into(),
        size: bytes.len() as u64,
    })
}

/// The Lutins' réussites; the logins of their teacher and of a guardian who has some.
pub(super) fn lutins(store: &Store, now: i64) -> anyhow::Result<Vec<(&'static str, String)>> {
    let people = People::load(store)?;
    let Some(class) = people
        .classes
        .iter()
        .find(|c| c.label == "PS-MS Les Lutins")
    else {
        return Ok(Vec::new());
    };
    let Some(teacher) = people.teachers_of_class(class.id).first().copied() else {
        return Ok(Vec::new());
    };
    let pupils = people.pupils_of_class(class.id);
    let today = crate::ui::dates::local_day_and_hour(now).0;
    let mut photos = Vec::new();
    for (n, (_, _, _, colour)) in ACTIVITIES.iter().enumerate() {
        photos.push(stored(
            store,
            &picture(*colour),
            &format!("activite-{}.jpg", n + 1),
        )?);
    }
    let day_micros: i64 = 86_400_000_000;
    store.commit_blocking(|tx| {
        let mut shared: Vec<(u64, Vec<u64>)> = Vec::new();
        for (n, ((sentence, domain, ago, _), photo)) in ACTIVITIES.iter().zip(&photos).enumerate() {
            let day = today
                .checked_sub(jiff::Span::new().days(*ago))
                .unwrap_or(today);
            // Every child did the first activity; then one child in two, in turns.
            for (k, pupil) in pupils.iter().enumerate() {
                if n > 0 && (k + n) % 2 == 1 {
                    continue;
                }
                let id = tx.next_id("suivi_reussite")?;
                let r = Reussite {
                    id,
                    pupil: *pupil,
                    day,
                    domain: *domain,
                    reference: CYCLE1_VERSION.to_string(),
                    sentence: (*sentence).to_string(),
                    attendu: None,
                    photo: Some(photo.clone()),
                    author: teacher,
                    at: now - ago * day_micros,
                    shared: None,
                };
                tx.put(&REUSSITES, &id, &r)?;
                tx.put(&BY_PUPIL, &(*pupil, id), &())?;
                if n < 3 {
                    match shared.iter_mut().find(|(p, _)| p == pupil) {
                        Some((_, ids)) => ids.push(id),
                        None => shared.push((*pupil, vec![id])),
                    }
                }
            }
        }
        // Shared a week ago; the first child's first guardian said « J'ai vu ».
        for (k, (pupil, ids)) in shared.iter().enumerate() {
            let share = tx.next_id("suivi_partage")?;
            for id in ids {
                if let Some(mut r) = tx.get(&REUSSITES, id)? {
                    r.shared = Some(share);
                    tx.put(&REUSSITES, id, &r)?;
                }
            }
            let seen = match (k, people.parents_of(*pupil).first()) {
                (0, Some(g)) => vec![Seen {
                    by: *g,
                    at: now - 6 * day_micros,
                }],
                _ => Vec::new(),
            };
            let record = Share {
                id: share,
                pupil: *pupil,
                by: teacher,
                at: now - 7 * day_micros,
                entries: ids.clone(),
                seen,
                comments: Vec::new(),
                synthese: false,
            };
            tx.put(&SHARES, &(*pupil, share), &record)?;
        }
        Ok(())
    })?;
    let mut logins = Vec::new();
    if let Some(u) = people.user(teacher) {
        logins.push((
            "Enseignante de maternelle (carnet de suivi)",
            u.login.clone(),
        ));
    }
    // A guardian of the second child, whose share waits for their « J'ai vu ».
    if let Some(u) = pupils
        .get(1)
        .and_then(|p| people.parents_of(*p).first())
        .and_then(|g| people.user(*g))
    {
        logins.push(("Responsable d'un enfant de maternelle", u.login.clone()));
    }
    Ok(logins)
}
