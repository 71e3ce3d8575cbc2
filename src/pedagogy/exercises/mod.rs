//! Exercices (/exercices): self-corrected activities a teacher builds from four kinds of
//! questions — multiple choice, fill in the blanks, put in order, match pairs — with an
//! image or a sound for pupils who do not read yet. The right answers never reach the
//! pupil's page before they answer: choices carry opaque values, orders and pairs are
//! shuffled; correction is done on the server. The pages are in `routes.rs` and `views.rs`, who may do what in `access.rs`.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{pupils, Scope, TaughtClass};
use crate::attachments::Attachment;
use crate::directory::people::People;
use crate::policy::Granted;
use crate::store::{Key, Result, Store, Table};
use crate::ui::form::{all_values, first_value};

pub mod access;
mod forms;
pub mod routes;
mod views;

pub use forms::build_question;

pub const EXERCISES: Table<u64, Exercise> = Table::new("exercises");
pub const BY_CLASS: Table<(u64, u64), ()> = Table::new("exercises_by_class");
/// (exercise, pupil) → the pupil's attempts.
pub const ATTEMPTS: Table<(u64, u64), Vec<Attempt>> = Table::new("exercise_attempts");
pub const TABLES: &[&str] = &[EXERCISES.name, BY_CLASS.name, ATTEMPTS.name];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum QuestionKind {
    Choice {
        options: Vec<String>,
        correct: Vec<usize>,
    },
    /// A text with the words to find between brackets: « Le [chat] dort. »
    Blanks { text: String },
    /// Items in the right order.
    Order { items: Vec<String> },
    /// (left, right) pairs, matched as written.
    Pairs { pairs: Vec<(String, String)> },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    pub prompt: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub media: Option<Attachment>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exercise {
    pub id: u64,
    pub class: u64,
    pub scope: Scope,
    pub title: String,
    pub instructions: String,
    pub questions: Vec<Question>,
    pub published: bool,
    /// Random per exercise: the opaque values of the pupil's form are made with it.
    pub salt: String,
    pub author: u64,
    pub created_at: i64,
}

/// What a pupil answered to one question: for choices and orders, the indices of the
/// options (in the teacher's order); for blanks, the words; for pairs, the right item
/// chosen for each left item.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Answer {
    Choice(Vec<usize>),
    Blanks(Vec<String>),
    Order(Vec<Option<usize>>),
    Pairs(Vec<Option<usize>>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attempt {
    pub at: i64,
    pub answers: Vec<Answer>,
    pub correct: Vec<bool>,
}

impl Attempt {
    pub fn score(&self) -> (usize, usize) {
        (
            self.correct.iter().filter(|c| **c).count(),
            self.correct.len(),
        )
    }
}

/// The words to find in a blanks text, and the text split around them.
pub fn blanks(text: &str) -> (Vec<String>, Vec<String>) {
    let mut words = Vec::new();
    let mut parts = Vec::new();
    let mut rest = text;
    while let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) {
        if close < open {
            break;
        }
        parts.push(rest[..open].to_string());
        words.push(rest[open + 1..close].trim().to_string());
        rest = &rest[close + 1..];
    }
    parts.push(rest.to_string());
    (words, parts)
}

fn same_word(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.trim()
            .replace('’', "'")
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(a) == norm(b)
}

/// Whether an answer is right.
pub fn correct(q: &QuestionKind, a: &Answer) -> bool {
    match (q, a) {
        (QuestionKind::Choice { correct, .. }, Answer::Choice(chosen)) => {
            let mut c = chosen.clone();
            c.sort_unstable();
            c.dedup();
            let mut want = correct.clone();
            want.sort_unstable();
            c == want
        }
        (QuestionKind::Blanks { text }, Answer::Blanks(given)) => {
            let (words, _) = blanks(text);
            words.len() == given.len() && words.iter().zip(given).all(|(w, g)| same_word(w, g))
        }
        (QuestionKind::Order { items }, Answer::Order(given)) => {
            given.len() == items.len() && given.iter().enumerate().all(|(pos, i)| *i == Some(pos))
        }
        (QuestionKind::Pairs { pairs }, Answer::Pairs(given)) => {
            given.len() == pairs.len()
                && given
                    .iter()
                    .enumerate()
                    .all(|(left, right)| *right == Some(left))
        }
        _ => false,
    }
}

/// An opaque value for option `i` of question `q` (the pupil cannot read the order).
fn token(ex: &Exercise, q: usize, i: usize) -> String {
    let mut h = Sha256::new();
    h.update(format!("{}:{}:{q}:{i}", ex.salt, ex.id));
    hex::encode(h.finalize().get(..6).unwrap_or_default())
}

fn untoken(ex: &Exercise, q: usize, n: usize, value: &str) -> Option<usize> {
    (0..n).find(|i| token(ex, q, *i) == value)
}

/// A shuffled order of `n` items, the same for everyone (from the salt).
fn shuffled(ex: &Exercise, q: usize, n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|i| token(ex, q, *i));
    // Never show the right order as it is.
    if n > 1 && order.iter().enumerate().all(|(p, i)| p == *i) {
        order.rotate_left(1);
    }
    order
}

/// Reads the pupil's form into answers.
pub fn read_answers(ex: &Exercise, form: &[(String, String)]) -> Vec<Answer> {
    ex.questions
        .iter()
        .enumerate()
        .map(|(q, question)| match &question.kind {
            QuestionKind::Choice { options, .. } => Answer::Choice(
                all_values(form, &format!("q{q}"))
                    .iter()
                    .filter_map(|v| untoken(ex, q, options.len(), v))
                    .collect(),
            ),
            QuestionKind::Blanks { text } => {
                let (words, _) = blanks(text);
                Answer::Blanks(
                    (0..words.len())
                        .map(|i| first_value(form, &format!("q{q}-{i}")))
                        .collect(),
                )
            }
            QuestionKind::Order { items } => Answer::Order(
                (0..items.len())
                    .map(|pos| {
                        untoken(
                            ex,
                            q,
                            items.len(),
                            &first_value(form, &format!("q{q}-{pos}")),
                        )
                    })
                    .collect(),
            ),
            QuestionKind::Pairs { pairs } => Answer::Pairs(
                (0..pairs.len())
                    .map(|left| {
                        untoken(
                            ex,
                            q,
                            pairs.len(),
                            &first_value(form, &format!("q{q}-{left}")),
                        )
                    })
                    .collect(),
            ),
        })
        .collect()
}

pub fn exercise(store: &Store, id: u64) -> Result<Option<Exercise>> {
    store.get(&EXERCISES, &id)
}

pub fn of_class(store: &Store, class: u64) -> Result<Vec<Exercise>> {
    let mut out = Vec::new();
    for ((_, id), ()) in store.scan_prefix(&BY_CLASS, &class.encode())? {
        if let Some(e) = store.get(&EXERCISES, &id)? {
            out.push(e);
        }
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.created_at));
    Ok(out)
}

pub fn attempts(store: &Store, id: u64, pupil: u64) -> Result<Vec<Attempt>> {
    Ok(store.get(&ATTEMPTS, &(id, pupil))?.unwrap_or_default())
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    Ok(store
        .scan(&EXERCISES)?
        .into_iter()
        .flat_map(|(_, e)| {
            e.questions
                .into_iter()
                .filter_map(|q| q.media.map(|m| m.blob))
        })
        .collect())
}

/// A new exercise, without questions yet, for the class the proof is about; returns its
/// id.
pub async fn create(store: &Store, granted: &Granted<TaughtClass>, draft: Exercise) -> Result<u64> {
    let id = store.commit(|tx| tx.next_id("exercise")).await?;
    let class = granted.object().0;
    save(store, &Exercise { id, class, ..draft }).await?;
    Ok(id)
}

/// Adds a question to the exercise the proof is about (the handler checked it is not
/// published).
pub async fn add_question(store: &Store, granted: &Granted<Exercise>, q: Question) -> Result<()> {
    let mut ex = granted.object().clone();
    ex.questions.push(q);
    save(store, &ex).await
}

/// Removes question `n` (the handler checked that it exists and that the exercise is not
/// published).
pub async fn remove_question(store: &Store, granted: &Granted<Exercise>, n: usize) -> Result<()> {
    let mut ex = granted.object().clone();
    if n < ex.questions.len() {
        ex.questions.remove(n);
    }
    save(store, &ex).await
}

/// Publishes the exercise and tells the pupils it is for.
pub async fn publish(
    store: &Store,
    people: &People,
    granted: &Granted<Exercise>,
    now: i64,
) -> Result<()> {
    let mut ex = granted.object().clone();
    ex.published = true;
    let concerned = pupils(people, ex.class, ex.scope);
    store
        .commit(|tx| {
            tx.put(&EXERCISES, &ex.id, &ex)?;
            for p in &concerned {
                if !people.told(*p, ex.class, crate::school::Service::Exercices) {
                    continue;
                }
                crate::notify::push(
                    tx,
                    *p,
                    crate::notify::Kind::Homework,
                    &format!("Nouvel exercice : « {} »", ex.title),
                    &format!("/exercices/{}", ex.id),
                    now,
                )?;
            }
            Ok(())
        })
        .await
}

/// Corrects the pupil's answers and keeps the attempt.
pub async fn answer(
    store: &Store,
    granted: &Granted<access::Doing>,
    answers: Vec<Answer>,
    now: i64,
) -> Result<()> {
    let access::Doing {
        exercise: ex,
        pupil,
    } = granted.object();
    let correct: Vec<bool> = ex
        .questions
        .iter()
        .zip(&answers)
        .map(|(q, a)| correct(&q.kind, a))
        .collect();
    let attempt = Attempt {
        at: now,
        answers,
        correct,
    };
    let key = (ex.id, *pupil);
    store
        .commit(|tx| {
            let mut all: Vec<Attempt> = tx.get(&ATTEMPTS, &key)?.unwrap_or_default();
            all.push(attempt.clone());
            tx.put(&ATTEMPTS, &key, &all)
        })
        .await
}

/// Stores an exercise as given, new or changed (the demo's seeding, and the step under
/// the mutations above).
pub(crate) async fn save(store: &Store, ex: &Exercise) -> Result<()> {
    store
        .commit(|tx| {
            tx.put(&EXERCISES, &ex.id, ex)?;
            tx.put(&BY_CLASS, &(ex.class, ex.id), &())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(questions: Vec<QuestionKind>) -> Exercise {
        Exercise {
            id: 1,
            class: 1,
            scope: Scope::Class,
            title: "t".into(),
            instructions: String::new(),
            questions: questions
                .into_iter()
                .map(|k| Question {
                    prompt: "p".into(),
                    kind: k,
                    media: None,
                })
                .collect(),
            published: true,
            salt: "sel".into(),
            author: 1,
            created_at: 0,
        }
    }

    #[test]
    fn each_kind_is_corrected() {
        let choice = QuestionKind::Choice {
            options: vec!["a".into(), "b".into(), "c".into()],
            correct: vec![0, 2],
        };
        assert!(correct(&choice, &Answer::Choice(vec![2, 0])));
        assert!(
            !correct(&choice, &Answer::Choice(vec![0])),
            "all the right ones"
        );
        assert!(
            !correct(&choice, &Answer::Choice(vec![0, 1, 2])),
            "not the wrong ones"
        );
        let blanks_q = QuestionKind::Blanks {
            text: "Le [chat] dort sur le [tapis].".into(),
        };
        assert!(
            correct(
                &blanks_q,
                &Answer::Blanks(vec![" Chat ".into(), "tapis".into()])
            ),
            "case and spaces do not count"
        );
        assert!(!correct(
            &blanks_q,
            &Answer::Blanks(vec!["chien".into(), "tapis".into()])
        ));
        assert!(!correct(&blanks_q, &Answer::Blanks(vec!["chat".into()])));
        let order = QuestionKind::Order {
            items: vec!["un".into(), "deux".into(), "trois".into()],
        };
        assert!(correct(
            &order,
            &Answer::Order(vec![Some(0), Some(1), Some(2)])
        ));
        assert!(!correct(
            &order,
            &Answer::Order(vec![Some(1), Some(0), Some(2)])
        ));
        assert!(!correct(
            &order,
            &Answer::Order(vec![Some(0), None, Some(2)])
        ));
        let pairs = QuestionKind::Pairs {
            pairs: vec![
                ("chien".into(), "dog".into()),
                ("chat".into(), "cat".into()),
            ],
        };
        assert!(correct(&pairs, &Answer::Pairs(vec![Some(0), Some(1)])));
        assert!(!correct(&pairs, &Answer::Pairs(vec![Some(1), Some(0)])));
        assert!(
            !correct(&pairs, &Answer::Choice(vec![0])),
            "a mismatched answer is wrong"
        );
    }

    #[test]
    fn the_pupils_form_reads_back_through_opaque_values() {
        let e = ex(vec![
            QuestionKind::Choice {
                options: vec!["a".into(), "b".into()],
                correct: vec![1],
            },
            QuestionKind::Order {
                items: vec!["x".into(), "y".into(), "z".into()],
            },
            QuestionKind::Pairs {
                pairs: vec![("1".into(), "un".into()), ("2".into(), "deux".into())],
            },
        ]);
        let form = vec![
            ("q0".to_string(), token(&e, 0, 1)),
            ("q1-0".to_string(), token(&e, 1, 0)),
            ("q1-1".to_string(), token(&e, 1, 1)),
            ("q1-2".to_string(), token(&e, 1, 2)),
            ("q2-0".to_string(), token(&e, 2, 0)),
            ("q2-1".to_string(), token(&e, 2, 1)),
        ];
        let answers = read_answers(&e, &form);
        for (q, a) in e.questions.iter().zip(&answers) {
            assert!(correct(&q.kind, a), "{a:?}");
        }
        // Values do not reveal the indices, and the shown order is never the right one.
        assert_ne!(token(&e, 1, 0), "0");
        assert_ne!(shuffled(&e, 1, 3), vec![0, 1, 2]);
        let junk = read_answers(&e, &[("q0".into(), "1".into())]);
        assert_eq!(junk[0], Answer::Choice(vec![]));
    }
}
