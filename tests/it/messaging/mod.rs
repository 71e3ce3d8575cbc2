//! The messagerie over HTTP: who may write to whom (crafted requests included), blind
//! copies, mailboxes that are one's own, switches, moderation, attachments, bad input.
//! The tests are grouped by theme in the submodules; the helpers they share live here.

mod apart;
mod input;
mod mailbox;
mod moderation;
mod pages;
mod recipients;

use crate::common::{Client, Page};

async fn send(c: &mut Client, fields: &[(&str, &str)]) -> Page {
    c.get("/messagerie/ecrire").await;
    let mut all = fields.to_vec();
    all.push(("action", "envoyer"));
    c.post_multipart("/messagerie/ecrire", &all, &[]).await
}

fn u(id: u64) -> String {
    format!("u{id}")
}

/// The id of the newest message of a folder, read from its list page.
async fn newest(c: &mut Client, folder: &str) -> u64 {
    let page = c.get(&format!("/messagerie?dossier={folder}")).await;
    let marker = "href=\"/messagerie/";
    let mut rest = page.body.as_str();
    while let Some(i) = rest.find(marker) {
        rest = &rest[i + marker.len()..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() {
            return digits.parse().unwrap();
        }
    }
    panic!("no message in {folder}: {}", page.body);
}
