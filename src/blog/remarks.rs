//! Comments on articles: published at once or held for the class's teachers (who are
//! told), approved or deleted by the blog's runners.

use super::access::Commenting;
use super::{Article, Comment, COMMENTS};
use crate::directory::people::People;
use crate::notify::{self, Kind};
use crate::policy::Granted;
use crate::store::{Key, Result, Store};

pub fn comments_of(store: &Store, article: u64) -> Result<Vec<Comment>> {
    Ok(store
        .scan_prefix(&COMMENTS, &article.encode())?
        .into_iter()
        .map(|(_, c)| c)
        .collect())
}

/// A comment, published or held for the class's teachers (who are told).
pub async fn add_comment(
    store: &Store,
    people: &People,
    commenting: &Granted<Commenting>,
    text: &str,
    now: i64,
) -> Result<()> {
    let Commenting {
        article: a,
        pending,
    } = commenting.object();
    let teachers: Vec<u64> = a
        .blog
        .class()
        .map(|c| people.teachers_of_class(c))
        .unwrap_or_default();
    store
        .commit(|tx| {
            let cid = tx.next_id("blog_comment")?;
            let comment = Comment {
                id: cid,
                author: commenting.by(),
                text: text.to_string(),
                at: now,
                pending: *pending,
            };
            tx.put(&COMMENTS, &(a.id, cid), &comment)?;
            if *pending {
                for t in &teachers {
                    notify::push(
                        tx,
                        *t,
                        Kind::Moderation,
                        &format!("Commentaire à lire sur « {} »", a.title),
                        &format!("/blog/article/{}", a.id),
                        now,
                    )?;
                }
            }
            Ok(())
        })
        .await
}

/// Publishes a held comment; `false` when there is no such comment.
pub async fn approve_comment(store: &Store, run: &Granted<Article>, c: u64) -> Result<bool> {
    let id = run.object().id;
    store
        .commit(|tx| match tx.get(&COMMENTS, &(id, c))? {
            Some(mut com) => {
                com.pending = false;
                tx.put(&COMMENTS, &(id, c), &com)?;
                Ok(true)
            }
            None => Ok(false),
        })
        .await
}

pub async fn delete_comment(store: &Store, run: &Granted<Article>, c: u64) -> Result<()> {
    let id = run.object().id;
    store.commit(|tx| tx.remove(&COMMENTS, &(id, c))).await
}
