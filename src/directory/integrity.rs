//! `preau check`'s verification of the directory's indexes, and the directory's migrations.

use super::*;

/// Integrity check used by `preau check`: indexes agree with records.
pub fn check(store: &Store) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let users = store.scan(&USERS)?;
    for (id, u) in &users {
        if *id != u.id {
            problems.push(format!(
                "compte {id} : identifiant interne {} différent",
                u.id
            ));
        }
        if store.get(&USER_BY_LOGIN, &u.login)? != Some(*id) {
            problems.push(format!("compte {id} : absent de l'index des identifiants"));
        }
        if store
            .get(&USERS_BY_PROFILE, &(u.profile.slug().to_string(), *id))?
            .is_none()
        {
            problems.push(format!("compte {id} : absent de l'index par profil"));
        }
    }
    for (login, id) in store.scan(&USER_BY_LOGIN)? {
        match store.get(&USERS, &id)? {
            Some(u) if u.login == login => {}
            _ => problems.push(format!(
                "index des identifiants : « {login} » pointe vers un compte absent"
            )),
        }
    }
    for ((slug, id), ()) in store.scan(&USERS_BY_PROFILE)? {
        match store.get(&USERS, &id)? {
            Some(u) if u.profile.slug() == slug => {}
            _ => problems.push(format!(
                "index par profil : {slug}/{id} ne correspond à aucun compte"
            )),
        }
    }
    for (id, p) in store.scan(&PUPILS)? {
        if let Some(ine) = &p.ine {
            if store.get(&PUPIL_BY_INE, ine)? != Some(id) {
                problems.push(format!("élève {id} : absent de l'index des INE"));
            }
        }
        match store.get(&USERS, &id)? {
            Some(u) => {
                if store.get(
                    &PUPIL_BY_IDENTITY,
                    &identity_key(&u.last_name, &u.first_name, &p.birth_date),
                )? != Some(id)
                {
                    problems.push(format!("élève {id} : absent de l'index nom/prénom/date"));
                }
            }
            None => problems.push(format!("fiche élève {id} sans compte")),
        }
    }
    for ((parent, child), ()) in store.scan(&PARENT_CHILD)? {
        if store.get(&CHILD_PARENT, &(child, parent))?.is_none() {
            problems.push(format!(
                "lien responsable {parent} → enfant {child} sans son miroir"
            ));
        }
    }
    for ((child, parent), ()) in store.scan(&CHILD_PARENT)? {
        if store.get(&PARENT_CHILD, &(parent, child))?.is_none() {
            problems.push(format!(
                "lien enfant {child} → responsable {parent} sans son miroir"
            ));
        }
    }
    for ((group, user), ()) in store.scan(&GROUP_MEMBERS)? {
        if store.get(&USER_GROUPS, &(user, group))?.is_none() {
            problems.push(format!("groupe {group} : membre {user} sans son miroir"));
        }
    }
    for ((user_id, class_id), ()) in store.scan(&USER_CLASSES)? {
        if store.get(&CLASS_MEMBERS, &(class_id, user_id))?.is_none() {
            problems.push(format!(
                "index des classes de {user_id} : classe {class_id} sans appartenance"
            ));
        }
    }
    for ((class_id, user_id), _) in store.scan(&CLASS_MEMBERS)? {
        if store.get(&USER_CLASSES, &(user_id, class_id))?.is_none() {
            problems.push(format!(
                "classe {class_id} : membre {user_id} absent de l'index par personne"
            ));
        }
        if store.get(&CLASSES, &class_id)?.is_none() {
            problems.push(format!(
                "membre {user_id} d'une classe absente ({class_id})"
            ));
        }
        if store.get(&USERS, &user_id)?.is_none() {
            problems.push(format!("classe {class_id} : membre absent ({user_id})"));
        }
    }
    Ok(problems)
}

/// Schema version 2: the index of accounts by profile (for `preau user list --profile`
/// and the console's filters). Builds it from the existing accounts.
pub fn migrate_v2_index_by_profile(store: &Store) -> Result<()> {
    let users = store.scan(&USERS)?;
    store.commit_blocking(|tx| {
        for (id, u) in &users {
            tx.put(&USERS_BY_PROFILE, &(u.profile.slug().to_string(), *id), &())?;
        }
        Ok(())
    })
}
