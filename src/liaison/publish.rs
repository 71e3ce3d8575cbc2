//! Writing a mot: the school's mot to families (pupils and signers fixed at publication,
//! each guardian told, and the call for volunteers when the mot asks for some), a
//! family's mot to the child's teachers.

use super::{pending, Audience, Direction, Mot, NewMot, BY_PUPIL, BY_STAFF, MOTS};
use crate::directory::people::People;
use crate::notify::{self, Kind};
use crate::policy::Granted;
use crate::refusal::{Failure, Outcome};
use crate::store::Store;

/// Publishes a mot to families: fixes pupils and signers, notifies each guardian.
pub async fn publish(
    store: &Store,
    people: &People,
    to: &Granted<Vec<Audience>>,
    new: &NewMot,
    now: i64,
) -> Outcome<u64> {
    publish_calling(store, people, to, new, 0, now).await
}

/// [`publish`], the mot asking for `volunteers` accompagnateurs when there are some (the
/// call opened in the same transaction).
pub async fn publish_calling(
    store: &Store,
    people: &People,
    to: &Granted<Vec<Audience>>,
    new: &NewMot,
    volunteers: u16,
    now: i64,
) -> Outcome<u64> {
    let (author, audience) = (to.by(), to.object());
    let mut pupils: Vec<u64> = audience.iter().flat_map(|a| a.pupils(people)).collect();
    pupils.sort_unstable();
    pupils.dedup();
    let signers: Vec<(u64, u64)> = pupils
        .iter()
        .flat_map(|p| {
            people
                .parents_of(*p)
                .iter()
                .filter(|g| people.active(**g))
                .map(move |g| (*p, *g))
        })
        .collect();
    if signers.is_empty() {
        return Err(Failure::refused(
            "Aucun responsable n'a de compte pour les élèves choisis : imprimez le mot sur papier.",
        ));
    }
    store
        .commit_checked(|tx| {
            let id = tx.next_id("mot")?;
            let m = Mot {
                id,
                author,
                at: now,
                direction: Direction::School {
                    audience: audience.to_vec(),
                },
                title: new.title.clone(),
                body: new.body.clone(),
                question: new.question.clone(),
                deadline: new.deadline,
                attachments: new.attachments.clone(),
                pupils: pupils.clone(),
                signers: signers.clone(),
                reminders: Vec::new(),
                read_by_staff: None,
            };
            tx.put(&MOTS, &id, &m)?;
            if volunteers > 0 {
                super::volunteers::open_in(tx, id, volunteers)?;
            }
            crate::stats::count_by(tx, crate::stats::Created::Mot, people, author, now)?;
            tx.put(&BY_STAFF, &(author, id), &())?;
            for p in &pupils {
                tx.put(&BY_PUPIL, &(*p, id), &())?;
            }
            for (p, g) in &signers {
                pending::expect(tx, id, *p, *g)?;
                let child = people
                    .user(*p)
                    .map(|u| u.first_name.clone())
                    .unwrap_or_default();
                let verb = match (m.question.is_some(), volunteers > 0) {
                    (_, true) => "à signer, accompagnateurs recherchés,",
                    (true, false) => "à signer et à répondre",
                    (false, false) => "à signer",
                };
                // Kept, but untold where the class keeps its carnet from families.
                if !people.told_about(*g, *p, crate::school::Service::Carnet) {
                    continue;
                }
                notify::push(
                    tx,
                    *g,
                    Kind::Mot,
                    &format!("Mot {verb} pour {child} : « {} »", m.title),
                    &format!("/carnet/{id}"),
                    now,
                )?;
            }
            Ok(id)
        })
        .await
}

/// A guardian's mot about their child to the child's teachers.
pub async fn write_from_family(
    store: &Store,
    people: &People,
    about: &Granted<u64>,
    new: &NewMot,
    now: i64,
) -> Outcome<u64> {
    let (guardian, pupil) = (about.by(), *about.object());
    let mut to: Vec<u64> = people
        .classes_of(pupil)
        .iter()
        .flat_map(|c| people.teachers_of_class(*c))
        .filter(|t| people.active(*t))
        .collect();
    to.sort_unstable();
    to.dedup();
    if to.is_empty() {
        return Err(Failure::refused("La classe de votre enfant n'a pas encore d'enseignant dans l'ENT : adressez-vous à la direction."));
    }
    let from = people
        .user(guardian)
        .map(|u| u.display_name())
        .unwrap_or_default();
    let child = people
        .user(pupil)
        .map(|u| u.first_name.clone())
        .unwrap_or_default();
    store
        .commit_checked(|tx| {
            let id = tx.next_id("mot")?;
            let m = Mot {
                id,
                author: guardian,
                at: now,
                direction: Direction::Family { to: to.clone() },
                title: new.title.clone(),
                body: new.body.clone(),
                question: None,
                deadline: None,
                attachments: new.attachments.clone(),
                pupils: vec![pupil],
                signers: Vec::new(),
                reminders: Vec::new(),
                read_by_staff: None,
            };
            tx.put(&MOTS, &id, &m)?;
            crate::stats::count_by(tx, crate::stats::Created::Mot, people, guardian, now)?;
            tx.put(&BY_PUPIL, &(pupil, id), &())?;
            for t in &to {
                tx.put(&BY_STAFF, &(*t, id), &())?;
                notify::push(
                    tx,
                    *t,
                    Kind::MotReply,
                    &format!("Mot de {from} ({child}) : « {} »", m.title),
                    &format!("/carnet/{id}"),
                    now,
                )?;
            }
            Ok(id)
        })
        .await
}
