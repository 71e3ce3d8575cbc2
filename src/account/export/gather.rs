//! What Préau holds about a person, part by part, read from each module through its own
//! reading functions: profile, connection log, messages, mots, médiathèque, hand-ins,
//! exercise results, blog, the carnet de suivi; for a guardian, what concerns each child. Each part keeps only
//! keys in memory and loads its records one at a time as the writer asks.

use std::collections::BTreeMap;

use crate::attachments::Attachment;
use crate::directory::people::People;
use crate::ids::{MotId, UserId};
use crate::policy::Profile;
use crate::store::{Key, Result, Store};

use super::canteen::canteen;
use super::records::{self as out, iso, FileOut};
use super::suivi::carnet as suivi;
use super::works::{articles, comments, hand_ins, results};
use super::writer::{clean, Archive, Part};

/// Files of a record, named inside the archive from the part, the record's id, their rank
/// and their cleaned name.
pub(super) fn files(part: &str, key: u64, list: &[Attachment], own: bool) -> Vec<FileOut> {
    list.iter()
        .enumerate()
        .map(|(n, a)| FileOut {
            name: a.name.clone(),
            mime: a.mime.clone(),
            size: a.size,
            path: format!("fichiers/{part}/{key}-{n}-{}", clean(&a.name)),
            blob: a.blob.clone(),
            own,
        })
        .collect()
}

pub(super) fn name(people: &People, id: u64) -> String {
    people
        .user(id)
        .map(|u| u.display_name())
        .unwrap_or_else(|| "(compte supprimé)".into())
}

/// Writes every part of `subject`'s archive, telling `progress` how far it has gone.
pub fn fill(
    archive: &mut Archive<'_>,
    store: &Store,
    subject: u64,
    progress: &dyn Fn(u8) -> Result<()>,
) -> anyhow::Result<()> {
    let people = People::load(store)?;
    let me = crate::directory::user(store, subject)?
        .ok_or_else(|| anyhow::anyhow!("compte {subject} introuvable"))?;
    archive.subject_name = me.display_name();
    let children: Vec<u64> = people.children_of(subject).to_vec();
    let total = 8 + 4 * children.len();
    let mut done = 0;
    let mut step = || -> Result<()> {
        done += 1;
        progress(((done * 100) / (total + 1)).min(99) as u8)
    };

    archive.part(profile(store, &people, subject, "profil", "Mon profil"))?;
    step()?;
    archive.part(connections(store, &me))?;
    step()?;
    archive.part(messages(store, &people, subject)?)?;
    step()?;
    archive.part(mots(
        store,
        &people,
        subject,
        None,
        "carnet",
        "Carnet de liaison",
    )?)?;
    step()?;
    archive.part(media(store, subject)?)?;
    step()?;
    // Only pupils hand in work and do exercises: an adult's archive has no such parts
    // (they would always be empty, and read as if something were missing).
    if me.profile == Profile::Eleve {
        archive.part(hand_ins(
            store,
            &people,
            subject,
            true,
            "devoirs",
            "Mes devoirs rendus",
        )?)?;
        archive.part(results(
            store,
            subject,
            "exercices",
            "Mes résultats aux exercices",
        )?)?;
        archive.part(canteen(
            store,
            &people,
            subject,
            "cantine",
            "Ma cantine et mon périscolaire",
        )?)?;
        archive.part(suivi(
            store,
            &people,
            subject,
            true,
            "suivi",
            "Mon carnet de suivi des apprentissages",
        )?)?;
    }
    step()?;
    step()?;
    archive.part(articles(store, subject)?)?;
    archive.part(comments(store, subject)?)?;
    step()?;
    for child in children {
        let first = people
            .user(child)
            .map(|u| u.first_name.clone())
            .unwrap_or_default();
        let prefix = format!("enfant-{child}-{}", clean(&first));
        let who = name(&people, child);
        archive.part(profile(
            store,
            &people,
            child,
            &format!("{prefix}-profil"),
            &format!("{who} : profil"),
        ))?;
        step()?;
        archive.part(mots(
            store,
            &people,
            subject,
            Some(child),
            &format!("{prefix}-carnet"),
            &format!("{who} : carnet de liaison"),
        )?)?;
        step()?;
        // The child's files go to someone else than their owner: published versions.
        archive.part(hand_ins(
            store,
            &people,
            child,
            false,
            &format!("{prefix}-devoirs"),
            &format!("{who} : devoirs rendus"),
        )?)?;
        step()?;
        archive.part(results(
            store,
            child,
            &format!("{prefix}-exercices"),
            &format!("{who} : résultats aux exercices"),
        )?)?;
        archive.part(canteen(
            store,
            &people,
            child,
            &format!("{prefix}-cantine"),
            &format!("{who} : cantine et périscolaire"),
        )?)?;
        archive.part(suivi(
            store,
            &people,
            child,
            false,
            &format!("{prefix}-suivi"),
            &format!("{who} : carnet de suivi des apprentissages"),
        )?)?;
        step()?;
    }
    Ok(())
}

fn profile<'a>(
    store: &'a Store,
    people: &'a People,
    id: u64,
    file: &str,
    title: &str,
) -> Part<'a, out::Profile> {
    Part {
        name: file.into(),
        title: title.into(),
        count: 1,
        load: Box::new(move |_| {
            let Some(u) = crate::directory::user(store, id)? else {
                return Ok(None);
            };
            let pupil = crate::directory::pupil(store, id)?.map(|p| out::PupilRecord {
                birth_date: p.birth_date,
                ine: p.ine,
                sex: p.sex,
                level: p.level.map(|l| l.code().to_string()),
                cycle: p.cycle,
                photo_consent_declared: p.photo_consent_declared,
            });
            let guardian = crate::directory::guardian(store, id)?.map(|g| out::GuardianRecord {
                civility: g.civility,
                address: g.address,
            });
            Ok(Some(out::Profile {
                id: u.id,
                login: u.login.clone(),
                first_name: u.first_name.clone(),
                last_name: u.last_name.clone(),
                usage_name: u.usage_name.clone(),
                profile: u.role_label().into(),
                national_code: u.profile.national_code().into(),
                email: u.email.clone(),
                phone: u.phone.clone(),
                created_at: iso(u.created_at),
                charter_version_accepted: u.charter_version,
                disabled: u.disabled,
                classes: people
                    .classes_of(id)
                    .iter()
                    .filter_map(|c| people.class(*c).map(|c| c.label.clone()))
                    .collect(),
                groups: people
                    .groups_of(id)
                    .iter()
                    .filter_map(|g| people.group(*g).map(|g| g.label.clone()))
                    .collect(),
                children: people
                    .children_of(id)
                    .iter()
                    .map(|c| name(people, *c))
                    .collect(),
                guardians: people
                    .parents_of(id)
                    .iter()
                    .map(|p| name(people, *p))
                    .collect(),
                pupil,
                guardian,
            }))
        }),
    }
}

/// The connection log has no index by person: it is read a month at a time, keeping
/// only the person's lines.
fn connections<'a>(store: &'a Store, me: &crate::directory::User) -> Part<'a, out::Connection> {
    use crate::auth::journal::CONNECTIONS;
    const MONTH: u64 = 31 * 86_400 * 1_000_000;
    let now = crate::auth::now_micros().max(0) as u64;
    let mut mine = Vec::new();
    // Beyond three years nothing is kept (retention is at most a year).
    for k in 0..40u64 {
        let end = now.saturating_sub(k * MONTH) + 1;
        let start = end.saturating_sub(MONTH);
        if let Ok(rows) = store.scan_range(&CONNECTIONS, &(start, 0), &(end, 0)) {
            mine.extend(
                rows.into_iter()
                    .map(|(_, e)| e)
                    .filter(|e| e.user_id == Some(me.id) || e.login == me.login),
            );
        }
        if start == 0 {
            break;
        }
    }
    mine.sort_by_key(|e| std::cmp::Reverse(e.at));
    Part {
        name: "connexions".into(),
        title: "Journal de mes connexions".into(),
        count: mine.len(),
        load: Box::new(move |i| {
            Ok(mine.get(i).map(|e| out::Connection {
                at: iso(e.at),
                at_us: e.at,
                kind: e.kind.label().into(),
                login: e.login.clone(),
                address: e.address.clone(),
            }))
        }),
    }
}

fn messages<'a>(store: &'a Store, people: &'a People, me: u64) -> Result<Part<'a, out::Message>> {
    use crate::messaging::{self, Folder, State, MAILBOX};
    let entries: Vec<(u64, crate::messaging::Entry)> = store
        .scan_prefix(&MAILBOX, &me.encode())?
        .into_iter()
        .map(|((_, id), e)| (id, e))
        .collect();
    let folders: BTreeMap<u64, String> = messaging::personal_folders(store, me)?
        .into_iter()
        .collect();
    Ok(Part {
        name: "messages".into(),
        title: "Mes messages".into(),
        count: entries.len(),
        load: Box::new(move |i| {
            let Some((id, entry)) = entries.get(i) else {
                return Ok(None);
            };
            let Some(m) = messaging::message(store, *id)? else {
                return Ok(None);
            };
            let own = m.author == me;
            let labels = |t: &[crate::messaging::targets::Target]| -> Vec<String> {
                t.iter().map(|t| t.label(people)).collect()
            };
            Ok(Some(out::Message {
                id: m.id,
                thread: m.thread,
                folder: match entry.folder {
                    Folder::Personal(f) => folders.get(&f).cloned().unwrap_or_default(),
                    f => f.standard_label().into(),
                },
                read: entry.read,
                from: name(people, m.author),
                to: labels(&m.to),
                cc: labels(&m.cc),
                bcc: if own { labels(&m.bcc) } else { Vec::new() },
                subject: m.subject.clone(),
                body: m.body.clone(),
                state: match &m.state {
                    State::Draft => "brouillon".into(),
                    State::Pending => "en attente de l'enseignant".into(),
                    State::Sent if own => "envoyé".into(),
                    State::Sent => "reçu".into(),
                    State::Refused { .. } => "refusé par l'enseignant".into(),
                },
                own,
                created_at: iso(m.created_at),
                date_us: m.date(),
                attachments: files("messages", m.id, &m.attachments, own),
            }))
        }),
    })
}

/// The mots a person wrote or received: on the school's side (author of a school mot,
/// recipient of a family's), everything of the exchange; on a family's side, the mots of
/// their children they sign or wrote, with their own signatures and private replies
/// only. With `only`, the mots of that child.
fn mots<'a>(
    store: &'a Store,
    people: &'a People,
    me: u64,
    only: Option<u64>,
    file: &str,
    title: &str,
) -> Result<Part<'a, out::Mot>> {
    use crate::liaison::{self, Direction};
    let mut ids: BTreeMap<u64, ()> = BTreeMap::new();
    if only.is_none() {
        for m in liaison::of_staff(store, me)? {
            ids.insert(m.id, ());
        }
    }
    let children: Vec<u64> = match only {
        Some(c) => vec![c],
        None => people.children_of(me).to_vec(),
    };
    for child in &children {
        for m in liaison::of_pupil(store, *child)? {
            if m.author == me || m.signers.contains(&(*child, me)) {
                ids.insert(m.id, ());
            }
        }
    }
    let ids: Vec<u64> = ids.into_keys().rev().collect();
    let part = file.to_string();
    Ok(Part {
        name: file.into(),
        title: title.into(),
        count: ids.len(),
        load: Box::new(move |i| {
            let Some(m) = ids
                .get(i)
                .map(|id| liaison::mot(store, *id))
                .transpose()?
                .flatten()
            else {
                return Ok(None);
            };
            let staff = only.is_none() && m.staff_side(me);
            let mine: Vec<u64> = m
                .pupils
                .iter()
                .copied()
                .filter(|p| children.contains(p))
                .collect();
            let mut signatures = Vec::new();
            if !staff {
                for child in &mine {
                    if m.signers.contains(&(*child, me)) {
                        let a = liaison::ack(store, MotId(m.id), UserId(*child), UserId(me))?;
                        signatures.push(out::Signature {
                            child: name(people, *child),
                            guardian: name(people, me),
                            read_at: a.read_at.map(iso),
                            signed_at: a.signed_at.map(iso),
                            answer: a.answer,
                        });
                    }
                }
            }
            let replies = liaison::replies(store, m.id)?
                .into_iter()
                .filter(|r| staff || r.guardian == me)
                .map(|r| out::Reply {
                    from: name(people, r.author),
                    text: r.text,
                    at: iso(r.at),
                })
                .collect();
            let (kind, to) = match &m.direction {
                Direction::School { audience } => (
                    "Mot de l'école",
                    audience.iter().map(|a| a.label(people)).collect(),
                ),
                Direction::Family { to } => (
                    "Mot d'une famille",
                    to.iter().map(|t| name(people, *t)).collect(),
                ),
            };
            let shown: Vec<u64> = if staff { m.pupils.clone() } else { mine };
            Ok(Some(out::Mot {
                id: m.id,
                at: iso(m.at),
                at_us: m.at,
                from: name(people, m.author),
                kind: kind.into(),
                to,
                children: shown.iter().map(|p| name(people, *p)).collect(),
                title: m.title.clone(),
                body: m.body.clone(),
                question: m.question.clone(),
                deadline: m.deadline.map(iso),
                attachments: files(&part, m.id, &m.attachments, m.author == me),
                signatures,
                replies,
            }))
        }),
    })
}

/// What the person put in the médiathèque: their personal space and what they added
/// elsewhere, trash included (their own files, as stored).
fn media(store: &Store, me: u64) -> Result<Part<'_, out::MediaItem>> {
    use crate::media::{self, Content, BY_OWNER};
    let ids: Vec<u64> = store
        .scan_prefix(&BY_OWNER, &me.encode())?
        .into_iter()
        .map(|((_, id), ())| id)
        .collect();
    Ok(Part {
        name: "mediatheque".into(),
        title: "Mes fichiers (médiathèque)".into(),
        count: ids.len(),
        load: Box::new(move |i| {
            let Some(it) = ids
                .get(i)
                .map(|id| media::item(store, *id))
                .transpose()?
                .flatten()
            else {
                return Ok(None);
            };
            let (link, file) = match &it.content {
                Content::Folder => (None, None),
                Content::Link { url } => (Some(url.clone()), None),
                Content::File(f) => {
                    let a = Attachment {
                        blob: f.blob.clone(),
                        name: it.name.clone(),
                        mime: f.mime.clone(),
                        size: f.size,
                    };
                    (
                        None,
                        files("mediatheque", it.id, &[a], it.owner == me).pop(),
                    )
                }
            };
            Ok(Some(out::MediaItem {
                id: it.id,
                space: match it.space {
                    crate::policy::SpaceRef::Personal(_) => "personnel".into(),
                    other => media::space_code(other),
                },
                folder: it.parent,
                name: it.name.clone(),
                kind: it.kind().label().into(),
                link,
                created_at: iso(it.created_at),
                in_trash: it.trashed.is_some(),
                file,
            }))
        }),
    })
}
