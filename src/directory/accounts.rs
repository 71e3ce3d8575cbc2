//! The director's administration of an account (identity, password, state, departure),
//! each change taking the policy's proof that it was granted on that account, and an
//! account's end: merging a duplicate, deletion and the directory's part of it.

use super::*;
use crate::policy::Granted;

/// An account's identity as the console edits it.
#[derive(Debug, Clone)]
pub struct Identity {
    pub first_name: String,
    pub last_name: String,
    pub usage_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// The account as it is now in the transaction (it may have gone since the check).
fn current(tx: &Tx<'_>, account: &Granted<User>) -> Outcome<User> {
    user_in(tx, account.object().id)?.ok_or_else(|| Failure::refused("Ce compte n'existe plus."))
}

/// A temporary password (its bcrypt hash), to be changed at the next login.
pub fn set_temporary_password(tx: &mut Tx<'_>, account: &Granted<User>, hash: &str) -> Outcome<()> {
    let mut u = current(tx, account)?;
    u.password_hash = Some(hash.to_string());
    u.must_change_password = true;
    save_user(tx, &u)
}

/// Names and contact details; a pupil's identity index follows the name.
pub fn edit_identity(tx: &mut Tx<'_>, account: &Granted<User>, identity: &Identity) -> Outcome<()> {
    let mut u = current(tx, account)?;
    let pupil = tx.get(&PUPILS, &u.id)?;
    u.first_name = identity.first_name.clone();
    u.last_name = identity.last_name.clone();
    u.usage_name = identity.usage_name.clone();
    u.email = identity.email.clone();
    u.phone = identity.phone.clone();
    if let Some(p) = pupil {
        save_pupil(tx, &u, &p)?;
    }
    save_user(tx, &u)
}

/// Forgets the password: the person activates the account again with a new letter.
pub fn clear_password(tx: &mut Tx<'_>, account: &Granted<User>) -> Outcome<()> {
    if let Some(mut u) = user_in(tx, account.object().id)? {
        u.password_hash = None;
        u.must_change_password = false;
        save_user(tx, &u)?;
    }
    Ok(())
}

/// Records an adult's departure at `now` (account disabled, deleted after the retention
/// period), or cancels it.
pub fn set_leaving(
    tx: &mut Tx<'_>,
    account: &Granted<User>,
    leaving: bool,
    now: i64,
) -> Outcome<()> {
    if let Some(mut u) = user_in(tx, account.object().id)? {
        if leaving {
            u.leaving = Some(Leaving {
                since: now,
                delete_after: now + import::LEAVER_RETENTION_MICROS,
            });
            u.disabled = true;
        } else {
            u.leaving = None;
            u.disabled = false;
        }
        save_user(tx, &u)?;
    }
    Ok(())
}

/// Disables or enables the account.
pub fn set_disabled(tx: &mut Tx<'_>, account: &Granted<User>, disabled: bool) -> Outcome<()> {
    let mut u = current(tx, account)?;
    u.disabled = disabled;
    save_user(tx, &u)
}

/// Merges a duplicate account into the one kept: classes, guardian links, groups and the
/// pupil record move over, missing contact details are copied, then the duplicate is
/// deleted. Both accounts must have the same profile.
pub fn merge_accounts(
    store: &Store,
    duplicate: &Granted<User>,
    keep: &Granted<User>,
) -> Outcome<()> {
    let (duplicate, keep) = (duplicate.object().id, keep.object().id);
    let dup =
        user(store, duplicate)?.ok_or_else(|| Failure::refused("Ce compte n'existe plus."))?;
    let kept =
        user(store, keep)?.ok_or_else(|| Failure::refused("Le compte à garder n'existe plus."))?;
    if duplicate == keep {
        return Err(Failure::refused(
            "Un compte ne peut pas être fusionné avec lui-même.",
        ));
    }
    if dup.profile != kept.profile || dup.is_director() {
        return Err(Failure::refused(
            "Seuls deux comptes du même profil peuvent être fusionnés.",
        ));
    }
    let classes: Vec<(u64, Membership)> = classes_of(store, duplicate)?
        .into_iter()
        .filter_map(|c| {
            store
                .get(&CLASS_MEMBERS, &(c, duplicate))
                .ok()
                .flatten()
                .map(|r| (c, r))
        })
        .collect();
    let parents = parents_of(store, duplicate)?;
    let children = children_of(store, duplicate)?;
    let groups = groups_of(store, duplicate)?;
    let dup_pupil = pupil(store, duplicate)?;
    let kept_pupil = pupil(store, keep)?;
    store.commit_checked_blocking(|tx| {
        for (c, role) in &classes {
            put_member(tx, *c, keep, *role)?;
        }
        for p in &parents {
            link_parent(tx, *p, keep)?;
        }
        for c in &children {
            link_parent(tx, keep, *c)?;
        }
        for g in &groups {
            add_to_group(tx, *g, keep)?;
        }
        let mut k = tx
            .get(&USERS, &keep)?
            .ok_or_else(|| Failure::refused("Le compte à garder n'existe plus."))?;
        if k.email.is_none() {
            k.email = dup.email.clone();
        }
        if k.phone.is_none() {
            k.phone = dup.phone.clone();
        }
        save_user(tx, &k)?;
        Ok(())
    })?;
    // The pupil record carries the INE: it must leave the duplicate before it can move.
    delete_account(store, duplicate)?;
    if let (Some(mut record), None) = (dup_pupil, kept_pupil) {
        record.user_id = keep;
        store.commit_checked_blocking(|tx| {
            let k = tx
                .get(&USERS, &keep)?
                .ok_or_else(|| Failure::refused("Le compte à garder n'existe plus."))?;
            save_pupil(tx, &k, &record)
        })?;
    }
    Ok(())
}

/// Deletes an account (RGPD erasure, a leaver): every module forgets the person in one
/// transaction, through the registry [`crate::schema::FORGET`].
pub fn delete_account(store: &Store, id: u64) -> Result<()> {
    crate::schema::forget_account(store, id)
}

/// The directory's part of an account's deletion: the account, its pupil or guardian
/// record, memberships, family links, groups and delegations.
pub fn forget(store: &Store, id: u64) -> Result<crate::schema::Erase> {
    let classes = classes_of(store, id)?;
    let parents = parents_of(store, id)?;
    let children = children_of(store, id)?;
    let groups = groups_of(store, id)?;
    let delegations: Vec<(u64, u64)> = store
        .scan_prefix(&DELEGATIONS, &id.encode())?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    Ok(Box::new(move |tx| {
        for k in &delegations {
            tx.remove(&DELEGATIONS, k)?;
        }
        let Some(user) = tx.get(&USERS, &id)? else {
            return Ok(());
        };
        for g in &groups {
            remove_from_group(tx, *g, id)?;
        }
        if let Some(p) = tx.get(&PUPILS, &id)? {
            if let Some(ine) = &p.ine {
                tx.remove(&PUPIL_BY_INE, ine)?;
            }
            if let Some(card) = &p.card_token_hash {
                tx.remove(&PUPIL_BY_CARD, card)?;
            }
            tx.remove(
                &PUPIL_BY_IDENTITY,
                &identity_key(&user.last_name, &user.first_name, &p.birth_date),
            )?;
            tx.remove(&PUPILS, &id)?;
        }
        tx.remove(&GUARDIANS, &id)?;
        for c in &classes {
            remove_member(tx, *c, id)?;
        }
        for p in &parents {
            unlink_parent(tx, *p, id)?;
        }
        for c in &children {
            unlink_parent(tx, id, *c)?;
        }
        tx.remove(&USER_BY_LOGIN, &user.login)?;
        tx.remove(&USERS_BY_PROFILE, &(user.profile.slug().to_string(), id))?;
        tx.remove(&USERS, &id)
    }))
}
