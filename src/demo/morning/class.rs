//! One class's month: its mots and their signatures, its cahier de textes week, work and
//! what was handed in, lessons, exercises, blog, médiathèque, agenda and news.

use super::{chance, DAY, HOUR};
use crate::demo::*;
use crate::directory::people::People;

fn refused<E>(_: E) -> Failure {
    Failure::refused("La démonstration n'a pas le droit d'écrire ici.")
}

const MOTS: &[(&str, &str, Option<&str>)] = &[
    (
        "Sortie au musée",
        "La classe visitera le musée le mois prochain. Le transport se fait en car.",
        Some("J'autorise mon enfant à participer à la sortie."),
    ),
    (
        "Photo de classe",
        "Le photographe passe le 12 au matin. Les bons de commande suivront.",
        None,
    ),
    (
        "Réunion de rentrée",
        "La réunion de classe aura lieu jeudi à 18 h dans la classe.",
        Some("Je serai présent(e) à la réunion."),
    ),
    (
        "Cahier de liaison",
        "Merci de vérifier chaque soir le cahier de votre enfant.",
        None,
    ),
    (
        "Piscine",
        "Le cycle piscine commence lundi : prévoir maillot, bonnet et serviette.",
        Some("Mon enfant sait nager 15 mètres."),
    ),
    (
        "Vacances",
        "Les vacances commencent vendredi après la classe. Bonnes vacances à tous !",
        None,
    ),
];

/// The teacher's mots of the month, signed by most families, and two mots from families.
pub(super) async fn mots(
    store: &Store,
    people: &People,
    class: u64,
    teacher: u64,
    n: usize,
    now: i64,
) -> Result<(), Failure> {
    use crate::liaison::{Ack, Audience, NewMot, ACKS};
    let Some(actor) = people.actor_of(teacher, now) else {
        return Ok(());
    };
    for (k, (title, body, question)) in MOTS.iter().enumerate() {
        let at = now - (27 - 5 * k as i64) * DAY - n as i64 * 60_000_000;
        let new = NewMot {
            title: (*title).into(),
            body: (*body).into(),
            question: question.map(String::from),
            deadline: question.map(|_| now + (3 + k as i64) * DAY),
            attachments: Vec::new(),
        };
        let to = crate::liaison::access::publish_to(&actor, people, vec![Audience::Class(class)])
            .map_err(refused)?;
        let id = crate::liaison::publish(store, people, &to, &new, at).await?;
        let Some(m) = crate::liaison::mot(store, id)? else {
            continue;
        };
        // Older mots are signed by nearly everyone, the last ones by about half.
        let percent = 95 - 10 * k as u64;
        store.write(|tx| {
            for (pupil, guardian) in &m.signers {
                if !chance(*guardian, id, percent) {
                    continue;
                }
                let signed = at + (1 + (*guardian % 40) as i64) * HOUR;
                let answer = m.question.as_ref().map(|_| chance(*pupil, id, 85));
                let ack = Ack {
                    read_at: Some(signed),
                    signed_at: Some(signed),
                    answer,
                    answered_at: answer.map(|_| signed),
                };
                tx.put(&ACKS, &(id, *pupil, *guardian), &ack)?;
                crate::liaison::pending::record_signature(tx, id, *pupil, *guardian)?;
            }
            Ok(())
        })?;
    }
    for pupil in people.pupils_of_class(class).iter().take(2) {
        let Some(parent) = people.parents_of(*pupil).first().copied() else {
            continue;
        };
        let Some(parent_actor) = people.actor_of(parent, now) else {
            continue;
        };
        let name = people
            .user(*pupil)
            .map(|u| u.first_name.clone())
            .unwrap_or_default();
        let about =
            crate::liaison::access::write_from_family(&parent_actor, *pupil).map_err(refused)?;
        let absence = NewMot {
            title: format!("Absence {} vendredi", crate::demo::content::of_name(&name)),
            body: format!("{name} aura rendez-vous chez le dentiste vendredi matin."),
            ..NewMot::default()
        };
        crate::liaison::write_from_family(store, people, &about, &absence, now - 3 * DAY).await?;
    }
    Ok(())
}

const SUBJECTS: &[(&str, &str, &str)] = &[
    (
        "Français",
        "Lecture : le chapitre 3",
        "Lecture à voix haute et questions de compréhension.",
    ),
    (
        "Mathématiques",
        "Les fractions",
        "Partage de bandes de papier en 2, 4 et 8 ; écriture des fractions.",
    ),
    (
        "Questionner le monde",
        "Le cycle de l'eau",
        "Expérience : évaporation et condensation.",
    ),
    (
        "Français",
        "Orthographe : les accords",
        "Dictée de mots et accord du groupe nominal.",
    ),
    (
        "Mathématiques",
        "Calcul mental",
        "Tables de multiplication : 6, 7 et 8.",
    ),
    (
        "Arts plastiques",
        "Les couleurs chaudes",
        "Peinture à la manière de Kandinsky.",
    ),
    (
        "Anglais",
        "The weather",
        "Chanson et vocabulaire de la météo.",
    ),
    (
        "EPS",
        "Jeux de ballon",
        "Passes et déplacements en équipes.",
    ),
];

const WORK: &[(&str, &str, &str, bool)] = &[
    (
        "Français",
        "Lire le chapitre 4",
        "Lis le chapitre 4 et note les mots difficiles.",
        false,
    ),
    (
        "Mathématiques",
        "Exercices 3 et 4 page 52",
        "Fais les exercices 3 et 4 dans le cahier du jour.",
        false,
    ),
    (
        "Français",
        "Poésie à réciter",
        "Apprends les deux premières strophes.",
        false,
    ),
    (
        "Questionner le monde",
        "Dessin du cycle de l'eau",
        "Dessine le cycle de l'eau et envoie une photo ou un texte.",
        true,
    ),
    (
        "Mathématiques",
        "Problème du jour",
        "Résous le problème et explique ta démarche en quelques lignes.",
        true,
    ),
    (
        "Anglais",
        "Vocabulaire",
        "Revois les mots de la météo.",
        false,
    ),
];

/// The cahier de textes of the week (sessions on the four school days, work for this
/// week and the next), « fait » ticks, work handed in, lessons and exercises.
pub(super) async fn pedagogy(
    store: &Store,
    people: &People,
    class: u64,
    teacher: u64,
    n: usize,
    now: i64,
) -> Result<(), Failure> {
    use crate::pedagogy::exercises::{Answer, Attempt, Exercise, ATTEMPTS};
    use crate::pedagogy::homework::{Status, Submission, Version};
    use crate::pedagogy::lessons::Lesson;
    use crate::pedagogy::textbook::{Entry, EntryKind, DONE};
    use crate::pedagogy::Scope;
    let day = |offset: i64| crate::ui::dates::date_value(now + offset * DAY);
    let (today, _) = crate::ui::dates::local_day_and_hour(now);
    let monday = -i64::from(today.weekday().to_monday_zero_offset());
    let pupils = people.pupils_of_class(class);
    let entry = |kind, (subject, title, body): (&str, &str, &str), on: i64, online| Entry {
        id: 0,
        class,
        scope: Scope::Class,
        kind,
        subject: subject.into(),
        title: title.into(),
        body: body.into(),
        day: day(on),
        given: day(on.min(0) - 1),
        minutes: if kind == EntryKind::Work { 20 } else { 0 },
        online,
        listed: true,
        visible_from: now - 8 * DAY,
        attachments: Vec::new(),
        author: teacher,
        created_at: now - 8 * DAY,
        notified: true,
    };
    // Monday, Tuesday, Thursday, Friday: three sessions each.
    for (d, school_day) in [0, 1, 3, 4].iter().enumerate() {
        for s in 0..3 {
            let (subject, title, body) = SUBJECTS[(d * 3 + s + n) % SUBJECTS.len()];
            let e = entry(
                EntryKind::Session,
                (subject, title, body),
                monday + school_day,
                false,
            );
            crate::pedagogy::textbook::save(store, people, e, now).await?;
        }
    }
    for (k, (subject, title, body, online)) in WORK.iter().enumerate() {
        let on = monday + [1, 3, 4, 7, 8, 10][k];
        let e = entry(EntryKind::Work, (subject, title, body), on, *online);
        let id = crate::pedagogy::textbook::save(store, people, e, now).await?;
        let past = on <= 0;
        store.write(|tx| {
            for p in &pupils {
                if chance(*p, id, if past { 80 } else { 30 }) {
                    tx.put(&DONE, &(id, *p), &(now - HOUR))?;
                }
                if *online && chance(*p, id + 1, 50) {
                    let s = Submission {
                        status: Status::HandedIn,
                        versions: vec![Version {
                            at: now - 2 * HOUR,
                            text: "Voici mon travail : j'ai fait les deux parties.".into(),
                            attachments: Vec::new(),
                        }],
                        feedback: Vec::new(),
                    };
                    crate::pedagogy::homework::save(tx, id, *p, &s)?;
                }
            }
            Ok(())
        })?;
    }
    for (k, (subject, title, body)) in SUBJECTS.iter().take(5).enumerate() {
        let lesson = Lesson {
            id: 0,
            class,
            scope: Scope::Class,
            subject: (*subject).into(),
            period: 2,
            title: (*title).into(),
            body: format!("{body}\n\n- à retenir : la leçon n° {}", k + 1),
            attachments: Vec::new(),
            author: teacher,
            created_at: now - (20 - 3 * k as i64) * DAY,
        };
        crate::pedagogy::lessons::publish(store, &lesson).await?;
    }
    for (k, title) in ["Les fractions", "Les accords", "Le cycle de l'eau"]
        .iter()
        .enumerate()
    {
        let id = store.write(|tx| tx.next_id("exercise"))?;
        let ex = Exercise {
            id,
            class,
            scope: Scope::Class,
            title: (*title).into(),
            instructions: "Réponds, puis regarde la correction.".into(),
            questions: crate::demo::content::fraction_questions(),
            published: true,
            salt: crate::auth::random_token(),
            author: teacher,
            created_at: now - (10 - 3 * k as i64) * DAY,
        };
        crate::pedagogy::exercises::save(store, &ex).await?;
        store.write(|tx| {
            for p in &pupils {
                if chance(*p, id, 60) {
                    let a = Attempt {
                        at: now - DAY,
                        answers: vec![
                            Answer::Choice(vec![1]),
                            Answer::Blanks(vec!["numérateur".into(), "dénominateur".into()]),
                        ],
                        correct: vec![true, true],
                    };
                    tx.put(&ATTEMPTS, &(id, *p), &vec![a])?;
                }
            }
            Ok(())
        })?;
    }
    Ok(())
}

const ARTICLES: &[(&str, &str)] = &[
    (
        "Notre sortie à la médiathèque",
        "Nous avons découvert les albums de la rentrée et emprunté un livre chacun.",
    ),
    (
        "Les plantations",
        "Les bulbes sont en terre ! Nous les arrosons chaque matin.",
    ),
    (
        "Le spectacle de chorale",
        "Bravo aux chanteurs : la salle était pleine.",
    ),
    (
        "Expérience : l'eau qui s'évapore",
        "Nous avons laissé une assiette d'eau au soleil. Où est passée l'eau ?",
    ),
    (
        "Nos poésies illustrées",
        "Chacun a illustré sa poésie préférée : voici nos dessins.",
    ),
];

const COMMENTS: &[&str] = &[
    "Bravo à toute la classe !",
    "Merci pour ces belles photos.",
    "Ma fille nous en a parlé tout le week-end.",
];

/// The class blog (articles and parents' comments), its médiathèque space, its events
/// and news.
pub(super) async fn publishing(
    store: &Store,
    people: &People,
    class: u64,
    teacher: u64,
    n: usize,
    now: i64,
) -> Result<(), Failure> {
    use crate::agenda::{Calendar, Event, Repeat};
    use crate::blog::{Article, BlogRef, Comment, Status, COMMENTS as REMARKS};
    use crate::media::{Content, Space};
    use crate::news::{Audience, News, Source};
    let parents = people.parents_of_class(class);
    store.write(|tx| {
        for (k, (title, body)) in ARTICLES.iter().enumerate() {
            let id = tx.next_id("blog_article")?;
            let at = now - (24 - 5 * k as i64) * DAY;
            crate::blog::insert(
                tx,
                &Article {
                    id,
                    blog: BlogRef::Class(class),
                    author: teacher,
                    title: (*title).into(),
                    body: format!("{body}\n\nÀ bientôt pour de nouvelles aventures !"),
                    media: Vec::new(),
                    status: Status::Published,
                    publish_at: at,
                    tagged: Vec::new(),
                    created_at: at,
                    updated_at: at,
                },
            )?;
            for (c, text) in COMMENTS.iter().enumerate() {
                let Some(author) = parents.get((k + c * 5 + n) % parents.len().max(1)) else {
                    continue;
                };
                let cid = tx.next_id("blog_comment")?;
                let comment = Comment {
                    id: cid,
                    author: *author,
                    text: (*text).into(),
                    at: at + (c as i64 + 2) * HOUR,
                    pending: false,
                };
                tx.put(&REMARKS, &(id, cid), &comment)?;
            }
        }
        let day = |offset: i64| crate::ui::dates::local_day_and_hour(now + offset * DAY).0;
        let at = |offset: i64, hm: &str| crate::agenda::at(day(offset), hm).unwrap_or(now);
        for (k, (title, place)) in [
            ("Bibliothèque", "Médiathèque municipale"),
            ("Piscine", "Piscine municipale"),
            ("Sortie au théâtre", "Théâtre des Quatre-Vents"),
            ("Rendez-vous individuels", "Classe"),
            ("Visite du collège", "Collège Jules-Verne"),
            ("Goûter partagé", "Cour de l'école"),
        ]
        .iter()
        .enumerate()
        {
            let offset = -14 + 5 * k as i64;
            let id = tx.next_id("event")?;
            crate::agenda::insert(
                tx,
                &Event {
                    id,
                    calendar: Calendar::Class(class),
                    title: (*title).into(),
                    place: (*place).into(),
                    details: String::new(),
                    start: at(offset, "09:00"),
                    end: at(offset, "10:30"),
                    all_day: false,
                    repeat: Repeat::Never,
                    audience: Audience::All,
                    author: teacher,
                    created_at: now - 20 * DAY,
                    imported_uid: None,
                },
            )?;
        }
        for (k, (title, body)) in [
            (
                "Exposition des travaux",
                "Venez voir les travaux des élèves dans le couloir.",
            ),
            (
                "Le défi lecture",
                "Chaque élève a lu trois livres ce mois-ci : bravo !",
            ),
        ]
        .iter()
        .enumerate()
        {
            let id = tx.next_id("news")?;
            crate::news::insert(
                tx,
                &News {
                    id,
                    source: Source::Class(class),
                    author: teacher,
                    title: (*title).into(),
                    body: (*body).into(),
                    image: None,
                    audience: Audience::Classes(vec![class]),
                    publish_at: now - (10 - 6 * k as i64) * DAY,
                    expires_at: None,
                    pinned: false,
                    created_at: now - 10 * DAY,
                },
            )?;
        }
        Ok(())
    })?;
    let Some(actor) = people.actor_of(teacher, now) else {
        return Ok(());
    };
    let space = Space::Class(class);
    let place =
        |folder| crate::media::access::add_to(store, &actor, space, folder).map_err(refused);
    let mut folders = Vec::new();
    for name in ["Photos de la sortie", "Chants et poésies"] {
        let id = crate::media::create(store, &place(None)?, name, Content::Folder, now - 15 * DAY)
            .await?;
        folders.push(id);
    }
    for (k, (name, url)) in [
        ("Dictionnaire en ligne", "https://fr.wiktionary.org/"),
        ("Jeux de calcul", "https://calculatice.ac-lille.fr/"),
        ("Les fractions en vidéo", "https://www.lumni.fr/"),
        (
            "Chanson de la météo",
            "https://www.lumni.fr/video/the-weather",
        ),
        ("Carte du cycle de l'eau", "https://www.eaufrance.fr/"),
        ("Album de la classe", "https://www.lumni.fr/primaire"),
    ]
    .iter()
    .enumerate()
    {
        let folder = folders.get(k % 3).copied();
        let content = Content::Link { url: (*url).into() };
        crate::media::create(
            store,
            &place(folder)?,
            name,
            content,
            now - (12 - k as i64) * DAY,
        )
        .await?;
    }
    Ok(())
}
