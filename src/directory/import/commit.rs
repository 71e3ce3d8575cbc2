//! Applying an import plan: one transaction for classes, pupils, leavers, guardians and
//! teachers; and the purges that follow (leavers after 3 months, abandoned uploads).

use std::collections::HashMap;

use serde::Serialize;

use super::{
    ChildTarget, Counts, GuardianAction, Plan, PupilAction, LEAVER_RETENTION_MICROS, PENDING,
};
use crate::auth::journal::{record_audit, AuditEvent};
use crate::directory::onde::{same_name, RowStatus};
use crate::directory::{GuardianRecord, Leaving, Membership, NewUser, PupilRecord, User, CLASSES};
use crate::policy::Profile;
use crate::refusal::Failure;
use crate::store::{Result, Store};

/// Creates an adult's account from an imported line (guardian or teacher), with the
/// nom d'usage and phone the file gives, in one write.
#[allow(clippy::too_many_arguments)]
fn create_adult(
    tx: &mut crate::store::Tx<'_>,
    login: &str,
    profile: Profile,
    first_name: &str,
    last_name: &str,
    usage_name: &Option<String>,
    email: &Option<String>,
    phone: &Option<String>,
    now: i64,
) -> crate::refusal::Outcome<u64> {
    let id = crate::directory::create_user(
        tx,
        &NewUser {
            login: login.to_string(),
            first_name: first_name.to_string(),
            last_name: last_name.to_string(),
            profile,
            functions: Vec::new(),
            email: email.clone(),
            password_hash: None,
            must_change_password: false,
            created_at: now,
        },
    )?;
    if usage_name.is_some() || phone.is_some() {
        if let Some(mut u) = tx.get(&crate::directory::USERS, &id)? {
            u.usage_name = usage_name.clone();
            u.phone = phone.clone();
            crate::directory::save_user(tx, &u)?;
        }
    }
    Ok(id)
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    pub counts: Counts,
    pub created_accounts: Vec<u64>,
}

/// Applies a plan in one transaction; `actor` is recorded in the audit log.
pub fn commit(
    store: &Store,
    plan: &Plan,
    now: i64,
    actor: (Option<u64>, &str),
) -> Result<Outcome, Failure> {
    commit_with_year(store, plan, now, actor, None)
}

/// [`commit`], and at the new school year: the archive of the year that ends and the
/// label of the one that starts, written in the same transaction.
pub fn commit_with_year(
    store: &Store,
    plan: &Plan,
    now: i64,
    actor: (Option<u64>, &str),
    year: Option<(&crate::directory::rollover::YearArchive, &str)>,
) -> Result<Outcome, Failure> {
    // Current class memberships of updated pupils, read before the transaction (a
    // transaction cannot scan).
    let mut current_classes: HashMap<u64, Vec<u64>> = HashMap::new();
    for p in &plan.pupils {
        if let PupilAction::Update { user_id, .. } = p.action {
            current_classes.insert(user_id, crate::directory::classes_of(store, user_id)?);
        }
    }
    let counts = plan.counts();
    let created = store.commit_checked_blocking(|tx| {
        let mut created = Vec::new();
        let mut class_ids: HashMap<String, u64> = HashMap::new();
        for c in &plan.classes {
            let id = match c.existing {
                Some(id) => {
                    if let Some(mut class) = tx.get(&CLASSES, &id)? {
                        let mut changed = false;
                        for l in &c.new_levels {
                            if !class.levels.contains(l) {
                                class.levels.push(*l);
                                changed = true;
                            }
                        }
                        // A class matched to the file takes its ONDE identifier (a
                        // wizard's class has none; ONDE renumbers classes some years).
                        if c.onde_id.is_some() && class.onde_id != c.onde_id {
                            class.onde_id = c.onde_id.clone();
                            changed = true;
                        }
                        if changed {
                            class.levels.sort();
                            crate::directory::save_class(tx, &class)?;
                        }
                    }
                    id
                }
                None => {
                    let mut levels = c.new_levels.clone();
                    levels.sort();
                    let id = crate::directory::create_class(tx, &c.label, &levels)?;
                    if let Some(mut class) = tx.get(&CLASSES, &id)? {
                        class.onde_id = c.onde_id.clone();
                        crate::directory::save_class(tx, &class)?;
                    }
                    id
                }
            };
            class_ids.insert(c.key.clone(), id);
        }
        let mut planned_ids: HashMap<usize, u64> = HashMap::new();
        for (i, p) in plan.pupils.iter().enumerate() {
            let s = &p.source;
            let Some(birth) = s.birth_date.clone() else { continue };
            let class_id = class_ids.get(&p.class_key).copied();
            let user_id = match &p.action {
                PupilAction::Skip | PupilAction::Unchanged { .. } => continue,
                PupilAction::Create { login } => {
                    let id = crate::directory::create_user(
                        tx,
                        &NewUser {
                            login: login.clone(),
                            first_name: s.first_name.clone(),
                            last_name: s.last_name.clone(),
                            profile: Profile::Eleve,
                            functions: Vec::new(),
                            email: None,
                            password_hash: None,
                            must_change_password: false,
                            created_at: now,
                        },
                    )?;
                    created.push(id);
                    planned_ids.insert(i, id);
                    id
                }
                PupilAction::Update { user_id, .. } => {
                    for old in current_classes.get(user_id).map(Vec::as_slice).unwrap_or(&[]) {
                        if Some(*old) != class_id {
                            crate::directory::remove_member(tx, *old, *user_id)?;
                        }
                    }
                    *user_id
                }
            };
            let mut user: User = tx
                .get(&crate::directory::USERS, &user_id)?
                .ok_or_else(|| Failure::refused("compte d'élève disparu pendant l'import"))?;
            // Names as the file gives them, unless only their casing differs from a name
            // the director wrote by hand (see `onde::same_name`).
            if !same_name(&user.first_name, &s.first_name) {
                user.first_name = s.first_name.clone();
            }
            if !same_name(&user.last_name, &s.last_name) {
                user.last_name = s.last_name.clone();
            }
            let same_usage = match (&user.usage_name, &s.usage_name) {
                (Some(a), Some(b)) => same_name(a, b),
                (None, None) => true,
                _ => false,
            };
            if !same_usage {
                user.usage_name = s.usage_name.clone();
            }
            let previous = tx.get(&crate::directory::PUPILS, &user_id)?;
            if previous.as_ref().and_then(|p| p.leaving.as_ref()).is_some() {
                user.disabled = false;
            }
            crate::directory::save_pupil(
                tx,
                &user,
                &PupilRecord {
                    user_id,
                    ine: s.ine.clone().or_else(|| previous.as_ref().and_then(|p| p.ine.clone())),
                    birth_date: birth,
                    sex: s.sex.clone(),
                    level: s.level,
                    cycle: s.cycle.clone(),
                    onde_class_id: s.class_id.clone(),
                    photo_consent_declared: s.photo_consent,
                    leaving: None,
                    avatar: previous.as_ref().and_then(|p| p.avatar),
                    picture_hash: previous.as_ref().and_then(|p| p.picture_hash.clone()),
                    card_token_hash: previous.as_ref().and_then(|p| p.card_token_hash.clone()),
                },
            )?;
            crate::directory::save_user(tx, &user)?;
            if let Some(cid) = class_id {
                crate::directory::put_member(tx, cid, user_id, Membership::Pupil)?;
            }
        }
        for (id, _) in &plan.guardian_leavers {
            if let Some(mut u) = tx.get(&crate::directory::USERS, id)? {
                u.disabled = true;
                u.leaving = Some(Leaving {
                    since: now,
                    delete_after: now + LEAVER_RETENTION_MICROS,
                });
                crate::directory::save_user(tx, &u)?;
            }
        }
        for (id, _) in &plan.leavers {
            if let Some(mut record) = tx.get(&crate::directory::PUPILS, id)? {
                record.leaving = Some(Leaving {
                    since: now,
                    delete_after: now + LEAVER_RETENTION_MICROS,
                });
                tx.put(&crate::directory::PUPILS, id, &record)?;
            }
            if let Some(mut u) = tx.get(&crate::directory::USERS, id)? {
                u.disabled = true;
                crate::directory::save_user(tx, &u)?;
            }
        }
        for g in &plan.guardians {
            let s = &g.source;
            let parent = match &g.action {
                GuardianAction::Skip => continue,
                GuardianAction::Existing { user_id } => *user_id,
                GuardianAction::Create { login } => {
                    let id = create_adult(
                        tx, login, Profile::Responsable, &s.first_name, &s.last_name, &s.usage_name, &s.email, &s.phone, now,
                    )?;
                    created.push(id);
                    id
                }
            };
            if let Some(mut u) = tx.get(&crate::directory::USERS, &parent)? {
                if u.leaving.is_some() {
                    u.leaving = None;
                    u.disabled = false;
                    crate::directory::save_user(tx, &u)?;
                }
            }
            crate::directory::save_guardian(
                tx,
                &GuardianRecord {
                    user_id: parent,
                    civility: s.civility.clone(),
                    address: s.address.clone(),
                },
            )?;
            for (target, _) in &g.children {
                let child = match target {
                    ChildTarget::Existing(id) => Some(*id),
                    ChildTarget::Planned(i) => planned_ids.get(i).copied(),
                };
                if let Some(child) = child {
                    crate::directory::link_parent(tx, parent, child)?;
                }
            }
        }
        for t in &plan.teachers {
            let s = &t.source;
            if s.status == RowStatus::Error {
                continue;
            }
            let id = match (t.existing, &t.login) {
                (Some(id), _) => id,
                (None, Some(login)) => {
                    let id = create_adult(
                        tx, login, Profile::Enseignant, &s.first_name, &s.last_name, &s.usage_name, &s.email, &s.phone, now,
                    )?;
                    created.push(id);
                    id
                }
                (None, None) => continue,
            };
            if let Some(cid) = t.class_key.as_ref().and_then(|k| class_ids.get(k)) {
                crate::directory::put_member(tx, *cid, id, Membership::Teacher)?;
            }
        }
        if let Some((archive, new_year)) = year {
            crate::directory::rollover::close_year(tx, archive, new_year)?;
            record_audit(
                tx,
                &AuditEvent {
                    at: now,
                    actor_id: actor.0,
                    actor_login: actor.1.to_string(),
                    action: format!("Rentrée : année {} archivée, année {new_year} ouverte", archive.year),
                },
            )?;
        }
        let c = &counts;
        record_audit(
            tx,
            &AuditEvent {
                at: now,
                actor_id: actor.0,
                actor_login: actor.1.to_string(),
                action: format!(
                    "Import ONDE : {} élève(s) créé(s), {} mis à jour, {} partant(s), {} responsable(s) créé(s), {} lien(s), {} enseignant(s) créé(s)",
                    c.pupils_new, c.pupils_updated, c.leavers, c.guardians_new, c.links, c.teachers_new
                ),
            },
        )?;
        Ok(created)
    })?;
    Ok(Outcome {
        counts,
        created_accounts: created,
    })
}

/// Forgets uploaded files never confirmed (they hold personal data): after one day.
pub fn purge_pending(store: &Store, now: i64) -> Result<usize> {
    let stale: Vec<String> = store
        .scan(&PENDING)?
        .into_iter()
        .filter(|(_, p)| now - p.created_at > 86_400 * 1_000_000)
        .map(|(k, _)| k)
        .collect();
    if !stale.is_empty() {
        store.commit_blocking(|tx| {
            for k in &stale {
                tx.remove(&PENDING, k)?;
            }
            Ok(())
        })?;
    }
    Ok(stale.len())
}

/// Deletes the accounts of pupils whose scheduled deletion date has passed (RGPD).
pub fn purge_leavers(store: &Store, now: i64) -> Result<usize> {
    let due: Vec<u64> = store
        .scan(&crate::directory::PUPILS)?
        .into_iter()
        .filter(|(_, p)| {
            p.leaving
                .as_ref()
                .map(|l| l.delete_after <= now)
                .unwrap_or(false)
        })
        .map(|(id, _)| id)
        .collect();
    let adults: Vec<u64> = store
        .scan(&crate::directory::USERS)?
        .into_iter()
        .filter(|(_, u)| {
            u.leaving
                .as_ref()
                .map(|l| l.delete_after <= now)
                .unwrap_or(false)
        })
        .map(|(id, _)| id)
        .collect();
    let due: Vec<u64> = due.into_iter().chain(adults).collect();
    for id in &due {
        crate::directory::delete_account(store, *id)?;
    }
    Ok(due.len())
}
