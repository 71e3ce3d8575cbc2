//! A month of the school's life in every module, for each class: what its teacher wrote
//! (messages, mots, the cahier de textes, work, lessons, exercises, blog, médiathèque,
//! agenda, news), what its families and pupils answered (signatures, « fait », work
//! handed in, comments). Each class gets the same amount whatever the scale, so what one
//! person sees stays what a real school shows them; the scale only adds classes.
//!
//! Bulk answers (signatures, ticks, hand-ins, attempts) are written in one transaction per
//! piece of work, not through the one-by-one flushed services: at --scale 10 they are tens
//! of thousands of rows.

use super::*;
use crate::directory::people::People;
use crate::messaging::{Draft, Target};
use futures_util::StreamExt;

mod class;

pub(super) const HOUR: i64 = 3_600_000_000;
pub(super) const DAY: i64 = 24 * HOUR;

/// A fixed, well-spread yes/no for (a, b): who signed, who ticked « fait ».
pub(super) fn chance(a: u64, b: u64, percent: u64) -> bool {
    (a.wrapping_mul(2_654_435_761) ^ b.wrapping_mul(40_503)) % 100 < percent
}

/// Fills every class, then the school-wide content and the demo logins' own threads.
pub(super) fn school_month(store: &Store, now: i64, favoured: &[u64]) -> anyhow::Result<()> {
    let people = People::load(store)?;
    let director = people
        .users
        .values()
        .find(|u| u.is_director())
        .map(|u| u.id);
    let Some(director) = director else {
        return Ok(());
    };
    let mut classes: Vec<u64> = people.classes.iter().map(|c| c.id).collect();
    classes.sort_unstable();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        school_wide(store, &people, director, now).await?;
        // The classes side by side: each service call ends with a flush to disk, and
        // flushes waited for one after the other made --scale 10 last a minute. Ids then
        // follow the order the writes land in; the people and their logins stay the same
        // for a seed.
        let people = &people;
        let filled: Vec<Result<(), Failure>> =
            futures_util::stream::iter(classes.iter().enumerate())
                .map(|(n, class)| async move {
                    let Some(teacher) = people.teachers_of_class(*class).first().copied() else {
                        return Ok(());
                    };
                    class_messages(store, people, (*class, teacher, director), n, favoured, now)
                        .await?;
                    class::mots(store, people, *class, teacher, n, now).await?;
                    class::pedagogy(store, people, *class, teacher, n, now).await?;
                    class::publishing(store, people, *class, teacher, n, now).await
                })
                .buffer_unordered(4)
                .collect()
                .await;
        filled.into_iter().collect::<Result<(), Failure>>()
    })?;
    Ok(())
}

/// Sends a message as `author`; the id of the message, found in the author's sent box.
pub(super) async fn send(
    store: &Store,
    people: &People,
    (author, to): (u64, Target),
    subject: &str,
    body: &str,
    in_reply_to: Option<u64>,
    at: i64,
) -> Result<Option<u64>, Failure> {
    let draft = Draft {
        to: vec![to],
        subject: subject.into(),
        body: body.into(),
        in_reply_to,
        ..Draft::default()
    };
    crate::messaging::send(store, people, author, None, &draft, at).await?;
    Ok(
        // The newest page of the sent folder holds the message just sent.
        crate::messaging::folder_page(store, author, crate::messaging::Folder::Sent, 1)?
            .0
            .into_iter()
            .filter(|(m, _)| m.subject == subject)
            .map(|(m, _)| m.id)
            .max(),
    )
}

const SCHOOL_MESSAGES: &[(&str, &str)] = &[
    ("Calendrier du mois", "Bonjour,\n\nVous trouverez dans l'**agenda** les dates du mois : réunion des parents, photo de classe, vacances."),
    ("Photo de classe le 12", "Le photographe passera le 12 au matin. Les bons de commande seront dans le carnet."),
    ("Exercice d'évacuation", "Un exercice d'évacuation aura lieu cette semaine. Les enfants ont été préparés en classe."),
    ("Cantine : menus de la période", "Les menus de la période sont affichés à l'entrée et dans la médiathèque, espace de l'école."),
    ("Conseil d'école", "Le prochain conseil d'école se tiendra le mardi 18 à 18 h. L'ordre du jour suit."),
];

const STAFF_MESSAGES: &[(&str, &str)] = &[
    (
        "Conseil des maîtres lundi",
        "Ordre du jour : projet d'école, sorties du trimestre, APC.",
    ),
    (
        "Commande de fournitures",
        "Merci de me donner vos listes avant vendredi.",
    ),
    (
        "Évaluations de mi-période",
        "Les livrets sont à compléter pour la fin du mois.",
    ),
];

/// What the whole school receives: the director's messages, the staff room's.
async fn school_wide(
    store: &Store,
    people: &People,
    director: u64,
    now: i64,
) -> Result<(), Failure> {
    for (k, (subject, body)) in SCHOOL_MESSAGES.iter().enumerate() {
        let at = now - (28 - 6 * k as i64) * DAY;
        send(
            store,
            people,
            (director, Target::School),
            subject,
            body,
            None,
            at,
        )
        .await?;
    }
    let room = people
        .groups
        .iter()
        .find(|g| g.label == "Salle des maîtres")
        .map(|g| g.id);
    if let Some(room) = room {
        for (k, (subject, body)) in STAFF_MESSAGES.iter().enumerate() {
            let at = now - (20 - 7 * k as i64) * DAY;
            send(
                store,
                people,
                (director, Target::Group(room)),
                subject,
                body,
                None,
                at,
            )
            .await?;
        }
    }
    school_news_and_events(store, director, now)?;
    Ok(())
}

/// The school's news of the month and its calendar.
fn school_news_and_events(store: &Store, director: u64, now: i64) -> crate::store::Result<()> {
    use crate::agenda::{Calendar, Event, Repeat};
    use crate::news::{Audience, News, Source};
    let day = |offset: i64| crate::ui::dates::local_day_and_hour(now + offset * DAY).0;
    let at = |offset: i64, hm: &str| crate::agenda::at(day(offset), hm).unwrap_or(now);
    store.write(|tx| {
        for (k, (title, body, audience)) in [
            (
                "Menus de la cantine",
                "Les menus de la période sont en ligne.",
                Audience::Parents,
            ),
            (
                "Photo de classe",
                "Le photographe passe le 12 au matin.",
                Audience::All,
            ),
            (
                "Fête de l'école",
                "Réservez la date : samedi 27 juin, dans la cour.",
                Audience::All,
            ),
            (
                "Travaux dans la cour",
                "Le préau sera fermé deux jours pour peinture.",
                Audience::All,
            ),
            (
                "Conseil d'école",
                "Le compte rendu du conseil est affiché à l'entrée.",
                Audience::Parents,
            ),
            (
                "Formation premiers secours",
                "Mercredi matin, pour l'équipe.",
                Audience::Staff,
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let id = tx.next_id("news")?;
            let at = now - (26 - 4 * k as i64) * DAY;
            crate::news::insert(
                tx,
                &News {
                    id,
                    source: Source::School,
                    author: director,
                    title: title.into(),
                    body: body.into(),
                    image: None,
                    audience,
                    publish_at: at,
                    expires_at: None,
                    pinned: false,
                    created_at: at,
                },
            )?;
        }
        for (k, title) in [
            "Conseil d'école",
            "Photo de classe",
            "Exercice d'évacuation",
            "Vacances : dernier jour de classe",
            "Carnaval",
            "Conseil des maîtres",
        ]
        .iter()
        .enumerate()
        {
            let offset = -18 + 6 * k as i64;
            let id = tx.next_id("event")?;
            crate::agenda::insert(
                tx,
                &Event {
                    id,
                    calendar: Calendar::School,
                    title: (*title).into(),
                    place: "École".into(),
                    details: String::new(),
                    start: at(offset, "17:00"),
                    end: at(offset, "18:30"),
                    all_day: false,
                    repeat: Repeat::Never,
                    audience: Audience::All,
                    author: director,
                    created_at: now - 30 * DAY,
                    imported_uid: None,
                },
            )?;
        }
        Ok(())
    })
}

const CLASS_MESSAGES: &[(&str, &str)] = &[
    (
        "Rentrée de la période",
        "Bonjour,\n\nNous reprenons lundi. Pensez à vérifier la trousse et à couvrir les livres.",
    ),
    (
        "Bibliothèque : le jour change",
        "À partir de cette semaine, la bibliothèque de la classe aura lieu le jeudi.",
    ),
    (
        "Piscine : les affaires",
        "Pour la piscine : maillot, serviette, bonnet, dans un sac au nom de l'enfant.",
    ),
    (
        "Poux dans la classe",
        "Quelques cas dans la classe : merci de vérifier les cheveux ce week-end.",
    ),
    (
        "Sortie au théâtre",
        "Nous irons au théâtre mardi prochain. Le retour est prévu à 16 h 15.",
    ),
    (
        "Cahiers à signer",
        "Les cahiers du jour rentrent ce soir : merci de les signer pour lundi.",
    ),
    (
        "Projet jardin",
        "Nous plantons des bulbes la semaine prochaine : si vous avez des gants à prêter, merci !",
    ),
    (
        "Réunion individuelle",
        "Je vous propose des rendez-vous individuels : répondez-moi avec vos disponibilités.",
    ),
    (
        "Goûter partagé vendredi",
        "Vendredi, goûter partagé pour fêter la fin de la période.",
    ),
    (
        "Livres à rapporter",
        "Merci de rapporter les livres empruntés avant les vacances.",
    ),
];

const FAMILY_QUESTIONS: &[(&str, &str, &str)] = &[
    (
        "Question sur les devoirs",
        "Bonjour, les exercices de mathématiques sont-ils pour demain ?",
        "Bonjour, non : pour jeudi. Bonne soirée.",
    ),
    (
        "Rendez-vous",
        "Bonjour, pourrions-nous nous voir un soir de la semaine prochaine ?",
        "Bonjour, mardi à 16 h 45, cela vous convient-il ?",
    ),
    (
        "Retard demain matin",
        "Bonjour, nous aurons un peu de retard demain (rendez-vous médical).",
        "Merci de m'avoir prévenue, à demain.",
    ),
    (
        "Lunettes oubliées",
        "Bonjour, mon enfant a oublié ses lunettes en classe, pouvez-vous les garder ?",
        "Elles sont rangées dans son casier.",
    ),
    (
        "Sortie de jeudi",
        "Bonjour, je peux accompagner la sortie de jeudi si besoin.",
        "Merci beaucoup, je vous inscris.",
    ),
    (
        "Cantine",
        "Bonjour, il ne mangera pas à la cantine vendredi.",
        "C'est noté, merci.",
    ),
];

/// A class's messages: to its parents, to its pupils, and threads with a few families
/// (more with the first class's families, where the demo logins are).
async fn class_messages(
    store: &Store,
    people: &People,
    (class, teacher, director): (u64, u64, u64),
    n: usize,
    favoured: &[u64],
    now: i64,
) -> Result<(), Failure> {
    // The demo logins first: they are the ones who try the demo and the benchmark.
    let mut pupils = people.pupils_of_class(class);
    pupils.sort_by_key(|p| {
        let family = people.parents_of(*p);
        !(favoured.contains(p) || family.iter().any(|g| favoured.contains(g)))
    });
    for (k, (subject, body)) in CLASS_MESSAGES.iter().enumerate() {
        let at = now - (30 - 3 * k as i64) * DAY - (n as i64) * 60_000_000;
        send(
            store,
            people,
            (teacher, Target::ClassParents(class)),
            subject,
            body,
            None,
            at,
        )
        .await?;
    }
    for (k, subject) in [
        "Le défi lecture",
        "Les poésies du mois",
        "Le jeu de la semaine",
    ]
    .iter()
    .enumerate()
    {
        let body = "Bonjour à tous !\n\nVoici le défi de la semaine : lisez un album et racontez-le à la classe.";
        send(
            store,
            people,
            (teacher, Target::ClassPupils(class)),
            subject,
            body,
            None,
            now - (12 - 4 * k as i64) * DAY,
        )
        .await?;
    }
    // Families who write to the teacher, and the answers: a few in every class, more in
    // the first six (where the demo logins are), fewer elsewhere so that --scale 10 stays
    // quick to make (each message is one flush to disk).
    let families: Vec<u64> = pupils
        .iter()
        .filter_map(|p| {
            let family = people.parents_of(*p);
            family
                .iter()
                .find(|g| favoured.contains(g))
                .or(family.first())
                .copied()
        })
        .collect();
    let (writers, asks) = if n < CLASSES.len() { (6, 2) } else { (2, 1) };
    for (k, parent) in families.iter().take(writers).enumerate() {
        let questions = if k == 0 { FAMILY_QUESTIONS.len() } else { asks };
        for q in 0..questions {
            let (subject, ask, answer) = FAMILY_QUESTIONS[(k + q) % FAMILY_QUESTIONS.len()];
            let at = now - (25 - 4 * q as i64) * DAY + k as i64 * HOUR;
            let asked = send(
                store,
                people,
                (*parent, Target::User(teacher)),
                subject,
                ask,
                None,
                at,
            )
            .await?;
            let re = format!("Re : {subject}");
            send(
                store,
                people,
                (teacher, Target::User(*parent)),
                &re,
                answer,
                asked,
                at + 3 * HOUR,
            )
            .await?;
        }
        if k == 0 {
            let subject = "Inscription à l'étude du soir";
            let body =
                "Bonjour, votre demande d'inscription à l'étude est acceptée à partir de lundi.";
            send(
                store,
                people,
                (director, Target::User(*parent)),
                subject,
                body,
                None,
                now - 9 * DAY,
            )
            .await?;
        }
    }
    for (k, pupil) in pupils.iter().take(2).enumerate() {
        let subject = "Bravo pour ton exposé";
        let body = "Ton exposé sur les volcans était très clair. Continue comme ça !";
        send(
            store,
            people,
            (teacher, Target::User(*pupil)),
            subject,
            body,
            None,
            now - (5 + k as i64) * DAY,
        )
        .await?;
    }
    Ok(())
}
