//! `preau demo`: a realistic fictional school (6 multi-level classes, 150 pupils, their
//! families, the staff, and a month of what they wrote in every module), deterministic for
//! a given seed, to try Préau and to measure it. `--scale N` makes N times the school (N
//! sets of the six classes, their families and teachers): what one person sees stays what
//! it is in a real school, the school around them grows.
//! Names are drawn from lists of common French first names and surnames, combined at
//! random: no real person is described. Every demo account has the same password.

// The demo draws from its own fixed lists, with indices taken modulo their length or in
// their range: indexing reads clearer here than `.get()` with fallbacks nobody reaches.
#![allow(clippy::indexing_slicing)]

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::directory::{self, Level, Membership, NewUser, PupilRecord};
use crate::policy::Profile;
use crate::refusal::Failure;
use crate::school::{School, Service, Zone};
use crate::store::Store;

mod attendance;
mod canteen;
mod commune;
mod content;
mod history;
mod livret;
mod morning;
mod names;
mod progress;
mod slots;
mod synthese;

use content::conversations;
use history::history;
use names::*;

pub const DEMO_PASSWORD: &str = "Demo-Preau-2026";

/// What the demo made, for the welcome message.
pub struct DemoSummary {
    pub pupils: usize,
    pub guardians: usize,
    pub staff: usize,
    pub classes: usize,
    pub logins: Vec<(&'static str, String)>,
    pub connection_events: usize,
}

/// Creates the demo school in an empty store. `scale` multiplies the classes (with their
/// pupils, families, teachers and what they wrote) and the history (connection log, past
/// years); `seed` makes it reproducible. The demo logins are people of the first set.
pub fn create(
    store: &Store,
    scale: u32,
    seed: u64,
    bcrypt_cost: u32,
    now: i64,
) -> anyhow::Result<DemoSummary> {
    if crate::setup::is_installed(store)? {
        anyhow::bail!("ce dossier de données contient déjà une école : la démonstration demande un dossier vide (--data-dir)");
    }
    let mut rng = StdRng::seed_from_u64(seed);
    // One hash for every demo account: hashing 300 passwords one by one would take
    // minutes on a Raspberry Pi for no benefit.
    let hash = crate::auth::password::hash_blocking(DEMO_PASSWORD, bcrypt_cost)?;
    let draft = crate::setup::Draft {
        school: Some(School {
            name: "École des Quatre-Vents".into(),
            uai: "0359999D".into(),
            address: "3 chemin des Écoliers".into(),
            postcode: "35999".into(),
            commune: "Saint-Aubin-des-Prés".into(),
            academie: "Rennes".into(),
            zone: Zone::B,
            services: Service::ALL.to_vec(),
        }),
        director: Some(crate::setup::DirectorDraft {
            first_name: "Hélène".into(),
            last_name: "Marchal".into(),
            login: "direction".into(),
            email: None,
            password_hash: hash.clone(),
        }),
        classes: Vec::new(),
        services: Some(Service::ALL.to_vec()),
        pending_import: None,
    };
    crate::setup::complete(store, &draft, &[], now)?;
    let director = directory::user_by_login(store, "direction")?
        .map(|u| u.id)
        .unwrap_or(1);

    let mut logins: Vec<(&'static str, String)> = vec![("Direction", "direction".into())];
    let mut staff = 1;
    let adult = |login: String, first: &str, last: &str, profile: Profile| NewUser {
        login,
        first_name: first.into(),
        last_name: last.into(),
        profile,
        functions: Vec::new(),
        email: None,
        password_hash: Some(hash.clone()),
        must_change_password: false,
        created_at: now,
    };
    let teachers_names = [
        ("Claire", "Vasseur"),
        ("Mathieu", "Poulain"),
        ("Nadia", "Belkacem"),
        ("Pierre", "Lemonnier"),
        ("Anne", "Kervella"),
    ];
    let mut gave_pictures_example = None;
    // A CP pupil who signs in with a password: the youngest pupils' home (home/kid.rs).
    let mut cp_example = None;
    let mut class_ids = Vec::new();
    // Each family's guardians and name, kept here rather than read back from the
    // directory: a read after each new account would rebuild its snapshot every time.
    let mut family_pool: Vec<(Vec<u64>, String)> = Vec::new();
    let mut pupils = 0;
    let mut guardians = 0;
    let charter = crate::charter::current(store)?.version;
    // Not flushed one by one (thousands of accounts at --scale 10): once at the end.
    for (copy, i, plan) in (0..scale.max(1) as usize)
        .flat_map(|copy| CLASSES.iter().enumerate().map(move |(i, p)| (copy, i, p)))
    {
        let label = match copy {
            0 => plan.label.to_string(),
            _ => format!("{} ({})", plan.label, copy + 1),
        };
        let class_id = store.write(|tx| directory::create_class(tx, &label, plan.levels))?;
        class_ids.push(class_id);
        // Teachers: the director teaches CM2, the others one class each.
        let teacher = if i == CLASSES.len() - 1 && copy == 0 {
            director
        } else {
            let (f, l) = match copy {
                0 => teachers_names[i % teachers_names.len()],
                _ => (pick(&mut rng, ADULT_FIRST), pick(&mut rng, SURNAMES)),
            };
            let login = directory::suggest_login(store, f, l)?;
            let id = store.write_with::<_, Failure>(|tx| {
                let id =
                    directory::create_user(tx, &adult(login.clone(), f, l, Profile::Enseignant))?;
                accept_charter(tx, id, charter)?;
                Ok(id)
            })?;
            if i == 2 && copy == 0 {
                logins.push(("Enseignant", login));
            }
            staff += 1;
            id
        };
        store.write_with::<_, Failure>(|tx| {
            directory::add_member(tx, class_id, teacher, Membership::Teacher)
        })?;
        if i < 2 {
            let (f, l) = match copy {
                0 => [("Martine", "Le Goff"), ("Sylvie", "Rolland")][i],
                _ => (pick(&mut rng, ADULT_FIRST), pick(&mut rng, SURNAMES)),
            };
            let login = directory::suggest_login(store, f, l)?;
            store.write_with::<_, Failure>(|tx| {
                let id = directory::create_user(tx, &adult(login.clone(), f, l, Profile::Atsem))?;
                accept_charter(tx, id, charter)?;
                directory::add_member(tx, class_id, id, Membership::Assistant)
            })?;
            if i == 0 && copy == 0 {
                logins.push(("ATSEM", login));
            }
            staff += 1;
        }
        // The avatars of the class so far: each pupil gets one of their own.
        let mut avatars: Vec<u8> = Vec::new();
        for n in 0..25 {
            let girl = rng.random_bool(0.5);
            let first = if girl {
                pick(&mut rng, FIRST_GIRLS)
            } else {
                pick(&mut rng, FIRST_BOYS)
            };
            // About one pupil in five is the sibling of an earlier pupil.
            let sibling_of = (!family_pool.is_empty() && rng.random_bool(0.2))
                .then(|| rng.random_range(0..family_pool.len()));
            let last = match sibling_of {
                Some(f) => family_pool[f].1.clone(),
                None => pick(&mut rng, SURNAMES).to_string(),
            };
            let year = plan.birth_years[n % plan.birth_years.len()];
            let birth = format!(
                "{year}-{:02}-{:02}",
                rng.random_range(1..=12),
                rng.random_range(1..=28)
            );
            let level = plan.levels[n % plan.levels.len()];
            let ine = format!(
                "0{:09}{}",
                rng.random_range(0..1_000_000_000u64),
                (b'A' + rng.random_range(0..26u8)) as char
            );
            let login = directory::suggest_login(store, first, &last)?;
            let (seq, avatar) = crate::board::new_secret_from(&mut rng, &avatars);
            avatars.push(avatar);
            let picture_hash = plan
                .pictures
                .then(|| crate::board::hash_sequence_blocking(&seq, 4))
                .transpose()?;
            let pupil_id = store.write_with::<_, Failure>(|tx| {
                let id = directory::create_user(
                    tx,
                    &NewUser {
                        login: login.clone(),
                        first_name: first.into(),
                        last_name: last.clone(),
                        profile: Profile::Eleve,
                        functions: Vec::new(),
                        email: None,
                        password_hash: (!plan.pictures).then(|| hash.clone()),
                        must_change_password: false,
                        created_at: now,
                    },
                )?;
                let user = directory::user_in(tx, id)?.ok_or_else(|| Failure::refused("élève"))?;
                directory::save_pupil(
                    tx,
                    &user,
                    &PupilRecord {
                        user_id: id,
                        ine: Some(ine.clone()),
                        birth_date: birth.clone(),
                        sex: Some(if girl { "F" } else { "M" }.into()),
                        level: Some(level),
                        cycle: None,
                        onde_class_id: None,
                        photo_consent_declared: Some(rng_bool_from(id)),
                        leaving: None,
                        avatar: plan.pictures.then_some(avatar),
                        picture_hash: picture_hash.clone(),
                        card_token_hash: None,
                    },
                )?;
                directory::add_member(tx, class_id, id, Membership::Pupil)?;
                Ok(id)
            })?;
            pupils += 1;
            if cp_example.is_none() && level == Level::CP && !plan.pictures {
                cp_example = Some(login.clone());
            }
            if plan.pictures && gave_pictures_example.is_none() {
                gave_pictures_example = Some((login.clone(), seq.clone()));
            }
            if i == 3 && n == 0 && copy == 0 {
                logins.push(("Élève", login.clone()));
            }
            match sibling_of {
                Some(f) => {
                    let ids = &family_pool[f].0;
                    store.write(|tx| {
                        for p in ids {
                            directory::link_parent(tx, *p, pupil_id)?;
                        }
                        Ok(())
                    })?;
                }
                None => {
                    // One or two guardians; separated parents sometimes have two names.
                    let count = if rng.random_bool(0.75) { 2 } else { 1 };
                    let mut family = Vec::new();
                    for k in 0..count {
                        let pf = pick(&mut rng, ADULT_FIRST);
                        let pl = if k == 1 && rng.random_bool(0.25) {
                            pick(&mut rng, SURNAMES).to_string()
                        } else {
                            last.clone()
                        };
                        let plogin = directory::suggest_login(store, pf, &pl)?;
                        let pid = store.write_with::<_, Failure>(|tx| {
                            let id = directory::create_user(
                                tx,
                                &adult(plogin.clone(), pf, &pl, Profile::Responsable),
                            )?;
                            accept_charter(tx, id, charter)?;
                            directory::link_parent(tx, id, pupil_id)?;
                            Ok(id)
                        })?;
                        guardians += 1;
                        family.push(pid);
                        if logins.iter().all(|(r, _)| *r != "Responsable légal") && i >= 3 {
                            logins.push(("Responsable légal", plogin));
                        }
                    }
                    family_pool.push((family, last.clone()));
                }
            }
        }
    }
    // Périscolaire staff, an intervenant, the conseiller pédagogique.
    for (f, l, profile, role) in [
        (
            "Jérôme",
            "Tanguy",
            Profile::Periscolaire,
            "Personnel périscolaire",
        ),
        ("Inès", "Carré", Profile::Periscolaire, ""),
        ("Yann", "Le Bihan", Profile::Intervenant, "Intervenant"),
        (
            "Brigitte",
            "Auffret",
            Profile::Conseiller,
            "Conseiller pédagogique",
        ),
    ] {
        let login = directory::suggest_login(store, f, l)?;
        store.commit_checked_blocking(|tx| {
            let id = directory::create_user(tx, &adult(login.clone(), f, l, profile))?;
            accept_charter(tx, id, charter)
        })?;
        staff += 1;
        if !role.is_empty() {
            logins.push((role, login));
        }
    }
    // Groups: a choir of CM pupils, the staff room.
    let choir_members: Vec<u64> = directory::members(store, class_ids[4])?
        .into_iter()
        .take(8)
        .map(|(u, _)| u.id)
        .collect();
    let staff_ids: Vec<u64> = directory::users(store, Some(Profile::Enseignant))?
        .into_iter()
        .map(|u| u.id)
        .collect();
    store.commit_checked_blocking(|tx| {
        let choir = directory::create_group(tx, "Chorale", "Le jeudi midi")?;
        for m in &choir_members {
            directory::add_to_group(tx, choir, *m)?;
        }
        let room = directory::create_group(tx, "Salle des maîtres", "L'équipe enseignante")?;
        for m in &staff_ids {
            directory::add_to_group(tx, room, *m)?;
        }
        Ok(())
    })?;
    // After « Élève »: a script that looks for the first « Élève » line still finds it.
    if let Some(login) = cp_example {
        logins.push(("Élève de CP (accueil en images)", login));
    }
    if let Some((login, seq)) = gave_pictures_example {
        let names: Vec<&str> = seq.iter().map(|n| crate::board::picture_name(*n)).collect();
        logins.push((
            "Élève de maternelle (tableau /tableau, images)",
            format!("{login} : {}", names.join(", ")),
        ));
    }
    conversations(store, now)?;
    let favoured: Vec<u64> = logins
        .iter()
        .filter(|(role, _)| matches!(*role, "Élève" | "Responsable légal"))
        .filter_map(|(_, login)| directory::user_by_login(store, login).ok().flatten())
        .map(|u| u.id)
        .collect();
    morning::school_month(store, now, &favoured)?;
    logins.extend(canteen::term(store, &hash, charter, now)?);
    attendance::term_of_appels(store, now)?;
    let parent = logins
        .iter()
        .find(|(role, _)| *role == "Responsable légal")
        .map(|(_, login)| login.clone());
    slots::meetings_and_resources(store, now, parent.as_deref())?;
    commune::space(store, now, parent.as_deref())?;
    logins.extend(progress::lutins(store, now)?);
    let young = logins
        .iter()
        .find(|(role, _)| role.starts_with("Élève de CP"))
        .map(|(_, login)| login.clone());
    logins.extend(synthese::hiboux(store, now, young.as_deref())?);
    logins.extend(livret::cm1(store, now)?);
    let connection_events = history(store, &mut rng, scale, now)?;
    // The demo writes its year straight into the tables: its statistics are counted
    // from what it wrote, as schema 8 does for a school that had none.
    crate::stats::rebuild(store)?;
    store.flush_blocking()?;
    Ok(DemoSummary {
        pupils,
        guardians,
        staff,
        classes: class_ids.len(),
        logins,
        connection_events,
    })
}

fn rng_bool_from(id: u64) -> bool {
    id % 7 != 0
}

fn accept_charter(
    tx: &mut crate::store::Tx<'_>,
    id: u64,
    version: u32,
) -> crate::refusal::Outcome<()> {
    if let Some(mut u) = directory::user_in(tx, id)? {
        u.charter_version = version;
        directory::save_user(tx, &u)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
