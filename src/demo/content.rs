//! What the demo's people wrote: conversations, news, mots, the cahier de textes,
//! homework and exercises.

use super::*;

/// A few messages and mots, so that the messagerie and the carnet show how they work.
pub(super) fn conversations(store: &Store, now: i64) -> anyhow::Result<()> {
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
        // The museum asks for three accompagnateurs: the demo parent has offered.
        let mot = crate::liaison::publish_calling(store, &people, &to, &museum, 3, now - 24 * hour).await?;
        if let Some(m) = crate::liaison::mot(store, mot)? {
            let signing = crate::liaison::access::sign(&parent_actor, &m, pupil).map_err(refused)?;
            crate::liaison::sign(store, &signing, Some(true), now - 20 * hour).await?;
            let offer = crate::liaison::volunteers::access::offer(&parent_actor, m).map_err(refused)?;
            crate::liaison::volunteers::offer(store, &offer, &people, now - 20 * hour).await?;
        }
        let absence = NewMot {
            title: format!("Absence {} vendredi", of_name(&child)),
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
    use crate::agenda::{Calendar, Event, Repeat};
    use crate::blog::{Article, BlogRef, Status};
    use crate::news::{Audience, News, Source};
    let day = |offset: i64| crate::ui::dates::local_day_and_hour(now + offset * 86_400_000_000).0;
    let at = |offset: i64, hm: &str| crate::agenda::at(day(offset), hm).unwrap_or(now);
    store
        .commit(|tx| {
            let id = tx.next_id("news")?;
            crate::news::insert(
                tx,
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
                crate::agenda::insert(
                    tx,
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
            crate::blog::insert(
                tx,
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
    use crate::pedagogy::exercises::Exercise;
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
            questions: fraction_questions(),
            published: true,
            salt: crate::auth::random_token(),
            author: teacher,
            created_at: now,
        },
    )
    .await
}

/// The questions of the demo's « fractions » exercise (every class has one).
pub(in crate::demo) fn fraction_questions() -> Vec<crate::pedagogy::exercises::Question> {
    use crate::pedagogy::exercises::{Question, QuestionKind};
    vec![
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
    ]
}

/// « de Lou », « d'Agathe »: the French elision before a vowel or a mute h.
pub(in crate::demo) fn of_name(name: &str) -> String {
    let elides = name
        .chars()
        .next()
        .is_some_and(|c| "AÂÀEÉÈÊËIÎÏOÔUÛÙYHaâàeéèêëiîïoôuûùyh".contains(c));
    if elides {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_take_the_elision() {
        assert_eq!(super::of_name("Agathe"), "d'Agathe");
        assert_eq!(super::of_name("Émile"), "d'Émile");
        assert_eq!(super::of_name("Lou"), "de Lou");
    }
}
