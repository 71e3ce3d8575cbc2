//! `preau demo`: a realistic fictional school (6 multi-level classes, 150 pupils, their
//! families, the staff), deterministic for a given seed, to try Préau and to measure it.
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

pub const DEMO_PASSWORD: &str = "Demo-Preau-2026";

const FIRST_GIRLS: &[&str] = &[
    "Léa",
    "Chloé",
    "Manon",
    "Inès",
    "Jade",
    "Louise",
    "Alice",
    "Lina",
    "Rose",
    "Anna",
    "Mila",
    "Ambre",
    "Julia",
    "Zoé",
    "Lou",
    "Nour",
    "Romane",
    "Agathe",
    "Iris",
    "Capucine",
    "Maëlys",
    "Salomé",
    "Clémence",
    "Yasmine",
    "Océane",
    "Elsa",
    "Margaux",
];
const FIRST_BOYS: &[&str] = &[
    "Gabriel", "Léo", "Raphaël", "Arthur", "Louis", "Jules", "Adam", "Lucas", "Hugo", "Noah",
    "Sacha", "Nathan", "Tom", "Ethan", "Paul", "Malo", "Timéo", "Nino", "Aaron", "Mathis",
    "Kylian", "Maël", "Yanis", "Axel", "Enzo", "Théo", "Ilyes",
];
const ADULT_FIRST: &[&str] = &[
    "Sophie",
    "Julien",
    "Nathalie",
    "Stéphane",
    "Aurélie",
    "Nicolas",
    "Céline",
    "Sébastien",
    "Émilie",
    "Karim",
    "Sandrine",
    "Thomas",
    "Amandine",
    "Mehdi",
    "Caroline",
    "Olivier",
    "Fatima",
    "Guillaume",
    "Élodie",
    "Antoine",
    "Laëtitia",
    "Vincent",
];
const SURNAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Roy",
    "Noël",
    "Meyer",
    "Lucas",
    "Meunier",
    "Jean",
    "Perez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Barbier",
    "Brun",
    "Dumas",
    "Brunet",
    "Schmitt",
    "Leroux",
    "Colin",
    "Fernandez",
    "Haddad",
    "Benali",
];

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// What the demo made, for the welcome message.
pub struct DemoSummary {
    pub pupils: usize,
    pub guardians: usize,
    pub staff: usize,
    pub classes: usize,
    pub logins: Vec<(&'static str, String)>,
    pub connection_events: usize,
}

struct ClassPlan {
    label: &'static str,
    levels: &'static [Level],
    birth_years: &'static [i16],
    pictures: bool,
}

const CLASSES: &[ClassPlan] = &[
    ClassPlan {
        label: "PS-MS Les Lutins",
        levels: &[Level::PS, Level::MS],
        birth_years: &[2023, 2022],
        pictures: true,
    },
    ClassPlan {
        label: "GS-CP Les Hiboux",
        levels: &[Level::GS, Level::CP],
        birth_years: &[2021, 2020],
        pictures: true,
    },
    ClassPlan {
        label: "CP-CE1",
        levels: &[Level::CP, Level::CE1],
        birth_years: &[2020, 2019],
        pictures: false,
    },
    ClassPlan {
        label: "CE1-CE2",
        levels: &[Level::CE1, Level::CE2],
        birth_years: &[2019, 2018],
        pictures: false,
    },
    ClassPlan {
        label: "CM1",
        levels: &[Level::CM1],
        birth_years: &[2017],
        pictures: false,
    },
    ClassPlan {
        label: "CM2",
        levels: &[Level::CM2],
        birth_years: &[2016],
        pictures: false,
    },
];

/// Creates the demo school in an empty store. `scale` multiplies the history (connection
/// log, past years); `seed` makes it reproducible.
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
    let mut class_ids = Vec::new();
    let mut family_pool: Vec<(u64, Vec<u64>)> = Vec::new(); // guardian ids by family, children
    let mut pupils = 0;
    let mut guardians = 0;
    let charter = crate::charter::current(store)?.version;
    for (i, plan) in CLASSES.iter().enumerate() {
        let class_id =
            store.commit_blocking(|tx| directory::create_class(tx, plan.label, plan.levels))?;
        class_ids.push(class_id);
        // Teachers: the director teaches CM2, the others one class each.
        let teacher = if i == CLASSES.len() - 1 {
            director
        } else {
            let (f, l) = teachers_names[i % teachers_names.len()];
            let login = directory::suggest_login(store, f, l)?;
            let id = store.commit_checked_blocking(|tx| {
                let id =
                    directory::create_user(tx, &adult(login.clone(), f, l, Profile::Enseignant))?;
                accept_charter(tx, id, charter)?;
                Ok(id)
            })?;
            if i == 2 {
                logins.push(("Enseignant", login));
            }
            staff += 1;
            id
        };
        store.commit_checked_blocking(|tx| {
            directory::add_member(tx, class_id, teacher, Membership::Teacher)
        })?;
        if i < 2 {
            let (f, l) = [("Martine", "Le Goff"), ("Sylvie", "Rolland")][i];
            let login = directory::suggest_login(store, f, l)?;
            store.commit_checked_blocking(|tx| {
                let id = directory::create_user(tx, &adult(login.clone(), f, l, Profile::Atsem))?;
                accept_charter(tx, id, charter)?;
                directory::add_member(tx, class_id, id, Membership::Assistant)
            })?;
            if i == 0 {
                logins.push(("ATSEM", login));
            }
            staff += 1;
        }
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
                Some(f) => {
                    let parent = family_pool[f].0;
                    directory::user(store, parent)?
                        .map(|u| u.last_name)
                        .unwrap_or_else(|| pick(&mut rng, SURNAMES).to_string())
                }
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
            let (seq, avatar) = crate::board::new_secret_from(&mut rng);
            let picture_hash = plan
                .pictures
                .then(|| crate::auth::password::hash_blocking(&crate::board::encode(&seq), 4))
                .transpose()?;
            let pupil_id = store.commit_checked_blocking(|tx| {
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
            if plan.pictures && gave_pictures_example.is_none() {
                gave_pictures_example = Some((login.clone(), seq.clone()));
            }
            if i == 3 && n == 0 {
                logins.push(("Élève", login.clone()));
            }
            match sibling_of {
                Some(f) => {
                    let parents = family_pool[f].0;
                    let mut ids = vec![parents];
                    ids.extend(
                        directory::parents_of(store, family_pool[f].1[0])?
                            .into_iter()
                            .filter(|p| *p != parents),
                    );
                    store.commit_blocking(|tx| {
                        for p in &ids {
                            directory::link_parent(tx, *p, pupil_id)?;
                        }
                        Ok(())
                    })?;
                    family_pool[f].1.push(pupil_id);
                }
                None => {
                    // One or two guardians; separated parents sometimes have two names.
                    let count = if rng.random_bool(0.75) { 2 } else { 1 };
                    let mut first_parent = None;
                    for k in 0..count {
                        let pf = pick(&mut rng, ADULT_FIRST);
                        let pl = if k == 1 && rng.random_bool(0.25) {
                            pick(&mut rng, SURNAMES).to_string()
                        } else {
                            last.clone()
                        };
                        let plogin = directory::suggest_login(store, pf, &pl)?;
                        let pid = store.commit_checked_blocking(|tx| {
                            let id = directory::create_user(
                                tx,
                                &adult(plogin.clone(), pf, &pl, Profile::Responsable),
                            )?;
                            accept_charter(tx, id, charter)?;
                            directory::link_parent(tx, id, pupil_id)?;
                            Ok(id)
                        })?;
                        guardians += 1;
                        if first_parent.is_none() {
                            first_parent = Some(pid);
                        }
                        if logins.iter().all(|(r, _)| *r != "Responsable légal") && i >= 3 {
                            logins.push(("Responsable légal", plogin));
                        }
                    }
                    if let Some(p) = first_parent {
                        family_pool.push((p, vec![pupil_id]));
                    }
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
    if let Some((login, seq)) = gave_pictures_example {
        let names: Vec<&str> = seq.iter().map(|n| crate::board::picture_name(*n)).collect();
        logins.push((
            "Élève de maternelle (tableau /tableau, images)",
            format!("{login} : {}", names.join(", ")),
        ));
    }
    conversations(store, now)?;
    let connection_events = history(store, &mut rng, scale, now)?;
    store.flush_blocking()?;
    Ok(DemoSummary {
        pupils,
        guardians,
        staff,
        classes: CLASSES.len(),
        logins,
        connection_events,
    })
}

/// A few messages and mots, so that the messagerie and the carnet show how they work.
fn conversations(store: &Store, now: i64) -> anyhow::Result<()> {
    use crate::directory::people::People;
    use crate::liaison::{Audience, NewMot};
    use crate::messaging::{Draft, Target};
    let people = People::load(store)?;
    let Some(cm1) = people
        .classes
        .iter()
        .find(|c| c.label == "CM1")
        .map(|c| c.id)
    else {
        return Ok(());
    };
    let Some(teacher) = people.teachers_of_class(cm1).first().copied() else {
        return Ok(());
    };
    let Some((pupil, parent)) = people
        .pupils_of_class(cm1)
        .into_iter()
        .find_map(|p| people.parents_of(p).first().map(|g| (p, *g)))
    else {
        return Ok(());
    };
    let director = people
        .users
        .values()
        .find(|u| u.is_director())
        .map(|u| u.id);
    let child = people
        .user(pupil)
        .map(|u| u.first_name.clone())
        .unwrap_or_default();
    let hour = 3_600_000_000i64;
    // The store's async API flushes after each write; a small runtime of its own here,
    // since `preau demo` runs outside of the server.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        if let Some(d) = director {
            let welcome = Draft {
                to: vec![Target::School],
                subject: "Bienvenue dans l'espace numérique de l'école".into(),
                body: "Bonjour à tous,\n\nVous trouverez ici la **messagerie** de l'école et le **carnet de liaison**. Bonne année scolaire !".into(),
                ..Draft::default()
            };
            crate::messaging::send(store, &people, d, None, &welcome, now - 72 * hour).await?;
        }
        let outing = Draft {
            to: vec![Target::ClassParents(cm1)],
            subject: "Sortie à la médiathèque jeudi".into(),
            body: "Bonjour,\n\nJeudi matin, nous irons à la médiathèque à pied. Prévoir :\n\n- un vêtement de pluie\n- un goûter".into(),
            ..Draft::default()
        };
        crate::messaging::send(store, &people, teacher, None, &outing, now - 48 * hour).await?;
        let first = crate::messaging::mailbox(store, parent)?
            .into_iter()
            .find(|(m, _)| m.subject.starts_with("Sortie"))
            .map(|(m, _)| m.id);
        let answer = Draft {
            to: vec![Target::User(teacher)],
            subject: "Re : Sortie à la médiathèque jeudi".into(),
            body: format!("Merci, {child} aura son vêtement de pluie."),
            in_reply_to: first,
            ..Draft::default()
        };
        crate::messaging::send(store, &people, parent, None, &answer, now - 40 * hour).await?;
        let museum = NewMot {
            title: "Sortie au musée des Beaux-Arts".into(),
            body: "La classe visitera le musée le mois prochain. Le transport se fait en car.".into(),
            question: Some("J'autorise mon enfant à participer à la sortie.".into()),
            deadline: Some(now + 10 * 24 * hour),
            attachments: Vec::new(),
        };
        // The demo acts as these people would through the pages: with the policy's proof.
        let actor = |id: u64| {
            people.user(id).map(|u| {
                u.actor(people.classes_of(id).to_vec(), people.children_of(id).to_vec(), people.groups_of(id).to_vec())
            })
        };
        let refused = |_| Failure::refused("La démonstration n'a pas le droit d'écrire ce mot.");
        let (Some(teacher_actor), Some(parent_actor)) = (actor(teacher), actor(parent)) else {
            return Ok(());
        };
        let to = crate::liaison::access::publish_to(&teacher_actor, &people, vec![Audience::Class(cm1)]).map_err(refused)?;
        let mot = crate::liaison::publish(store, &people, &to, &museum, now - 24 * hour).await?;
        if let Some(m) = crate::liaison::mot(store, mot)? {
            let signing = crate::liaison::access::sign(&parent_actor, &m, pupil).map_err(refused)?;
            crate::liaison::sign(store, &signing, Some(true), now - 20 * hour).await?;
        }
        let absence = NewMot {
            title: format!("Absence de {child} vendredi"),
            body: format!("{child} aura rendez-vous chez l'orthophoniste vendredi matin."),
            ..NewMot::default()
        };
        let about = crate::liaison::access::write_from_family(&parent_actor, pupil).map_err(refused)?;
        crate::liaison::write_from_family(store, &people, &about, &absence, now - 2 * hour).await?;
        pedagogy(store, &people, cm1, teacher, now).await?;
        if let Some(d) = director {
            publishing(store, cm1, teacher, d, now).await?;
        }
        Ok::<(), Failure>(())
    })?;
    Ok(())
}

/// A news item, school events and a class blog article.
async fn publishing(
    store: &Store,
    class: u64,
    teacher: u64,
    director: u64,
    now: i64,
) -> crate::store::Result<()> {
    use crate::agenda::{Calendar, Event, Repeat, EVENTS};
    use crate::blog::{Article, BlogRef, Status, ARTICLES};
    use crate::news::{Audience, News, Source, NEWS};
    let day = |offset: i64| crate::ui::dates::local_day_and_hour(now + offset * 86_400_000_000).0;
    let at = |offset: i64, hm: &str| crate::agenda::at(day(offset), hm).unwrap_or(now);
    store
        .commit(|tx| {
            let id = tx.next_id("news")?;
            tx.put(
                &NEWS,
                &id,
                &News {
                    id,
                    source: Source::School,
                    author: director,
                    title: "Bienvenue sur l'espace numérique de l'école".into(),
                    body:
                        "Retrouvez ici les nouvelles de l'école, l'agenda et les blogs des classes."
                            .into(),
                    image: None,
                    audience: Audience::All,
                    publish_at: now - 86_400_000_000,
                    expires_at: None,
                    pinned: true,
                    created_at: now,
                },
            )?;
            for (title, place, start, end, calendar, repeat) in [
                (
                    "Réunion des parents",
                    "Salle polyvalente",
                    at(7, "18:00"),
                    at(7, "19:30"),
                    Calendar::School,
                    Repeat::Never,
                ),
                (
                    "Piscine",
                    "Piscine municipale",
                    at(2, "09:00"),
                    at(2, "10:00"),
                    Calendar::Class(class),
                    Repeat::Weekly(day(60).to_string()),
                ),
            ] {
                let id = tx.next_id("event")?;
                tx.put(
                    &EVENTS,
                    &id,
                    &Event {
                        id,
                        calendar,
                        title: title.into(),
                        place: place.into(),
                        details: String::new(),
                        start,
                        end,
                        all_day: false,
                        repeat,
                        audience: Audience::All,
                        author: teacher,
                        created_at: now,
                        imported_uid: None,
                    },
                )?;
            }
            let id = tx.next_id("blog_article")?;
            tx.put(
                &ARTICLES,
                &id,
                &Article {
                    id,
                    blog: BlogRef::Class(class),
                    author: teacher,
                    title: "Notre sortie à la médiathèque".into(),
                    body:
                        "Nous avons découvert les albums de la rentrée et emprunté un livre chacun."
                            .into(),
                    media: Vec::new(),
                    status: Status::Published,
                    publish_at: now - 3_600_000_000,
                    tagged: Vec::new(),
                    created_at: now,
                    updated_at: now,
                },
            )
        })
        .await
}

/// Work, a lesson and an exercise in the CM1, so that the pedagogy pages are not empty.
async fn pedagogy(
    store: &Store,
    people: &crate::directory::people::People,
    class: u64,
    teacher: u64,
    now: i64,
) -> crate::store::Result<()> {
    use crate::pedagogy::exercises::{Exercise, Question, QuestionKind};
    use crate::pedagogy::textbook::{Entry, EntryKind};
    use crate::pedagogy::Scope;
    let day = |offset: i64| crate::ui::dates::date_value(now + offset * 86_400_000_000);
    let entry = |kind, subject: &str, title: &str, body: &str, on: String, online| Entry {
        id: 0,
        class,
        scope: Scope::Class,
        kind,
        subject: subject.into(),
        title: title.into(),
        body: body.into(),
        day: on,
        given: day(0),
        minutes: if kind == EntryKind::Work { 20 } else { 0 },
        online,
        listed: true,
        visible_from: now,
        attachments: Vec::new(),
        author: teacher,
        created_at: now,
        notified: true,
    };
    crate::pedagogy::textbook::save(
        store,
        people,
        entry(
            EntryKind::Session,
            "Mathématiques",
            "Les fractions : découverte",
            "Partage de bandes de papier en 2, 4 et 8.",
            day(0),
            false,
        ),
        now,
    )
    .await?;
    crate::pedagogy::textbook::save(
        store,
        people,
        entry(
            EntryKind::Work,
            "Français",
            "Lire la poésie à voix haute",
            "Enregistre-toi en lisant la première strophe.",
            day(2),
            true,
        ),
        now,
    )
    .await?;
    crate::pedagogy::lessons::publish(
        store,
        &crate::pedagogy::lessons::Lesson {
            id: 0,
            class,
            scope: Scope::Class,
            subject: "Mathématiques".into(),
            period: 2,
            title: "Les fractions".into(),
            body: "Une fraction désigne une partie d'un tout partagé en parts égales.\n\n- le **dénominateur** dit en combien de parts on partage ;\n- le **numérateur** dit combien de parts on prend.".into(),
            attachments: Vec::new(),
            author: teacher,
            created_at: now,
        },
    )
    .await?;
    let id = store.write(|tx| tx.next_id("exercise"))?;
    crate::pedagogy::exercises::save(
        store,
        &Exercise {
            id,
            class,
            scope: Scope::Class,
            title: "Les fractions".into(),
            instructions: "Réponds, puis regarde la correction.".into(),
            questions: vec![
                Question {
                    prompt: "Quelle fraction représente la moitié ?".into(),
                    kind: QuestionKind::Choice {
                        options: vec!["1/3".into(), "1/2".into(), "2/1".into()],
                        correct: vec![1],
                    },
                    media: None,
                },
                Question {
                    prompt: "Complète.".into(),
                    kind: QuestionKind::Blanks {
                        text: "Dans 3/4, le [numérateur] est 3 et le [dénominateur] est 4.".into(),
                    },
                    media: None,
                },
            ],
            published: true,
            salt: crate::auth::random_token(),
            author: teacher,
            created_at: now,
        },
    )
    .await
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

/// A school year of connections (×scale), and archives of past years for scale > 1.
fn history(store: &Store, rng: &mut StdRng, scale: u32, now: i64) -> anyhow::Result<usize> {
    use crate::auth::journal::{ConnectionEvent, ConnectionKind, CONNECTIONS};
    let users: Vec<(u64, String)> = directory::users(store, None)?
        .into_iter()
        .map(|u| (u.id, u.login))
        .collect();
    let day = 86_400_000_000i64;
    let mut total = 0;
    // 36 school weeks of 4 days; about 40 connections a day, times the scale.
    for d in 0..144i64 {
        let at_day = now - (144 - d) * day * 7 / 4;
        let per_day = 40 * scale as usize;
        let events: Vec<ConnectionEvent> = (0..per_day)
            .map(|k| {
                let (id, login) = &users[rng.random_range(0..users.len())];
                ConnectionEvent {
                    at: at_day + (k as i64) * 60_000_000,
                    kind: if rng.random_bool(0.05) {
                        ConnectionKind::Failure
                    } else {
                        ConnectionKind::Login
                    },
                    login: login.clone(),
                    user_id: Some(*id),
                    address: format!("192.168.1.{}", rng.random_range(10..250)),
                }
            })
            .collect();
        store.write(|tx| {
            for e in &events {
                let seq = tx.next_id("connection_log")?;
                tx.put(&CONNECTIONS, &(e.at.max(0) as u64, seq), e)?;
            }
            Ok(())
        })?;
        total += events.len();
    }
    for y in 1..scale {
        let year = format!("{}-{}", 2026 - y as i32, 2027 - y as i32);
        let archive = crate::directory::rollover::snapshot(store, &year, now)?;
        let current = crate::directory::rollover::current_year(store)?;
        store
            .commit_blocking(|tx| crate::directory::rollover::close_year(tx, &archive, &current))?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_store(dir: &std::path::Path) -> Store {
        crate::store::migrate::open_and_migrate(
            dir,
            &Default::default(),
            &crate::schema::tables(),
            crate::schema::MIGRATIONS,
        )
        .unwrap()
    }

    #[test]
    fn the_demo_school_is_complete_and_deterministic() {
        let a = tempfile::tempdir().unwrap();
        let sa = demo_store(a.path());
        let summary = create(&sa, 1, 7, 4, 1_790_000_000_000_000).unwrap();
        assert_eq!(summary.pupils, 150);
        assert_eq!(summary.classes, 6);
        assert!(summary.guardians >= 150, "{}", summary.guardians);
        assert!(crate::schema::check(&sa).unwrap().is_empty());
        for c in directory::classes(&sa).unwrap() {
            let m = directory::members(&sa, c.id).unwrap();
            assert_eq!(
                m.iter().filter(|(_, r)| *r == Membership::Pupil).count(),
                25
            );
            assert!(m.iter().any(|(_, r)| *r == Membership::Teacher));
        }
        // The messagerie and the carnet have something to show.
        let mots = crate::liaison::all(&sa).unwrap();
        assert_eq!(mots.len(), 2);
        let museum = mots.iter().find(|m| m.is_school()).unwrap();
        let rows = crate::liaison::status(&sa, museum).unwrap();
        assert_eq!(crate::liaison::summary(&rows).0, 1, "one signature");
        let parent = rows[0].guardian;
        let inbox = crate::messaging::mailbox(&sa, parent).unwrap();
        assert!(inbox
            .iter()
            .any(|(m, _)| m.subject.starts_with("Bienvenue")));
        assert!(inbox.iter().any(|(m, _)| m.subject.starts_with("Sortie")));
        let cm1 = directory::classes(&sa)
            .unwrap()
            .into_iter()
            .find(|c| c.label == "CM1")
            .unwrap()
            .id;
        assert_eq!(
            crate::pedagogy::textbook::of_class(&sa, cm1).unwrap().len(),
            2
        );
        assert_eq!(
            crate::pedagogy::lessons::of_class(&sa, cm1).unwrap().len(),
            1
        );
        assert_eq!(
            crate::pedagogy::exercises::of_class(&sa, cm1)
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            crate::blog::articles(&sa, crate::blog::BlogRef::Class(cm1))
                .unwrap()
                .len(),
            1
        );
        let b = tempfile::tempdir().unwrap();
        let sb = demo_store(b.path());
        create(&sb, 1, 7, 4, 1_790_000_000_000_000).unwrap();
        let names = |s: &Store| {
            directory::users(s, None)
                .unwrap()
                .into_iter()
                .map(|u| u.login)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&sa), names(&sb), "same seed, same school");
        assert!(
            create(&sa, 1, 7, 4, 0).is_err(),
            "refuses a folder with a school"
        );
    }
}
