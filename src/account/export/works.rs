//! The parts of the archive about school work and the blog: a pupil's hand-ins and
//! exercise results (their own, or a child's for a guardian), articles and comments.
//! These tables are keyed by work, not by person: each is read once for the person's keys.

use crate::directory::people::People;
use crate::store::{Result, Store};

use super::gather::{files, name};
use super::records::{self as out, iso};
use super::writer::Part;

/// A pupil's hand-ins, with the teacher's feedback. The table is keyed by work: it is
/// read once for the keys of this pupil.
pub(super) fn hand_ins<'a>(
    store: &'a Store,
    people: &'a People,
    pupil: u64,
    own: bool,
    file: &str,
    title: &str,
) -> Result<Part<'a, out::HandIn>> {
    use crate::pedagogy::homework::{self, Status, SUBMISSIONS};
    let works: Vec<u64> = store
        .scan(&SUBMISSIONS)?
        .into_iter()
        .filter(|((_, p), _)| *p == pupil)
        .map(|((w, _), _)| w)
        .collect();
    let part = file.to_string();
    Ok(Part {
        name: file.into(),
        title: title.into(),
        count: works.len(),
        load: Box::new(move |i| {
            let Some(work) = works.get(i).copied() else {
                return Ok(None);
            };
            let Some(s) = homework::submission(store, work, pupil)? else {
                return Ok(None);
            };
            let entry = crate::pedagogy::textbook::entry(store, work)?;
            Ok(Some(out::HandIn {
                work,
                title: entry.as_ref().map(|e| e.title.clone()).unwrap_or_default(),
                subject: entry
                    .as_ref()
                    .map(|e| e.subject.clone())
                    .unwrap_or_default(),
                due: entry.as_ref().map(|e| e.day.clone()).unwrap_or_default(),
                status: match s.status {
                    Status::HandedIn => "rendu",
                    Status::Redo => "nouvelle version demandée",
                    Status::Returned => "corrigé",
                }
                .into(),
                versions: s
                    .versions
                    .iter()
                    .enumerate()
                    .map(|(n, v)| out::Version {
                        at: iso(v.at),
                        text: v.text.clone(),
                        files: files(&format!("{part}/{work}-v{n}"), pupil, &v.attachments, own),
                    })
                    .collect(),
                feedback: s
                    .feedback
                    .iter()
                    .enumerate()
                    .map(|(n, f)| out::Feedback {
                        at: iso(f.at),
                        from: name(people, f.by),
                        text: f.text.clone(),
                        files: files(
                            &format!("{part}/{work}-retour{n}"),
                            pupil,
                            &f.attachments,
                            false,
                        ),
                    })
                    .collect(),
            }))
        }),
    })
}

pub(super) fn results<'a>(
    store: &'a Store,
    pupil: u64,
    file: &str,
    title: &str,
) -> Result<Part<'a, out::ExerciseResult>> {
    use crate::pedagogy::exercises::{self, ATTEMPTS};
    let done: Vec<u64> = store
        .scan(&ATTEMPTS)?
        .into_iter()
        .filter(|((_, p), _)| *p == pupil)
        .map(|((e, _), _)| e)
        .collect();
    Ok(Part {
        name: file.into(),
        title: title.into(),
        count: done.len(),
        load: Box::new(move |i| {
            let Some(ex) = done.get(i).copied() else {
                return Ok(None);
            };
            let title = exercises::exercise(store, ex)?
                .map(|e| e.title)
                .unwrap_or_default();
            Ok(Some(out::ExerciseResult {
                exercise: ex,
                title,
                attempts: exercises::attempts(store, ex, pupil)?
                    .iter()
                    .map(|a| {
                        let (correct, questions) = a.score();
                        out::Attempt {
                            at: iso(a.at),
                            correct,
                            questions,
                        }
                    })
                    .collect(),
            }))
        }),
    })
}

pub(super) fn articles(store: &Store, me: u64) -> Result<Part<'_, out::Article>> {
    use crate::blog::{self, Status, ARTICLES};
    let ids: Vec<u64> = store
        .scan(&ARTICLES)?
        .into_iter()
        .filter(|(_, a)| a.author == me)
        .map(|(id, _)| id)
        .collect();
    Ok(Part {
        name: "blog-articles".into(),
        title: "Mes articles de blog".into(),
        count: ids.len(),
        load: Box::new(move |i| {
            let Some(a) = ids
                .get(i)
                .map(|id| blog::article(store, *id))
                .transpose()?
                .flatten()
            else {
                return Ok(None);
            };
            Ok(Some(out::Article {
                id: a.id,
                blog: a.blog.code(),
                title: a.title.clone(),
                body: a.body.clone(),
                status: match &a.status {
                    Status::Draft => "brouillon",
                    Status::Submitted => "proposé",
                    Status::Returned { .. } => "rendu à l'auteur",
                    Status::Published => "publié",
                }
                .into(),
                created_at: iso(a.created_at),
                updated_at: iso(a.updated_at),
                media: files("blog", a.id, &a.media, true),
            }))
        }),
    })
}

pub(super) fn comments(store: &Store, me: u64) -> Result<Part<'_, out::Comment>> {
    use crate::blog::{self, COMMENTS};
    let keys: Vec<(u64, u64)> = store
        .scan(&COMMENTS)?
        .into_iter()
        .filter(|(_, c)| c.author == me)
        .map(|(k, _)| k)
        .collect();
    Ok(Part {
        name: "blog-commentaires".into(),
        title: "Mes commentaires sur les blogs".into(),
        count: keys.len(),
        load: Box::new(move |i| {
            let Some(key) = keys.get(i) else {
                return Ok(None);
            };
            let Some(c) = store.get(&COMMENTS, key)? else {
                return Ok(None);
            };
            let title = blog::article(store, key.0)?
                .map(|a| a.title)
                .unwrap_or_default();
            Ok(Some(out::Comment {
                id: c.id,
                article: key.0,
                article_title: title,
                text: c.text,
                at: iso(c.at),
                pending: c.pending,
            }))
        }),
    })
}
