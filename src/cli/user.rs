//! `preau user`: accounts from the command line.

use super::*;

fn find_class(store: &Store, text: &str) -> anyhow::Result<u64> {
    let classes = directory::classes(store)?;
    if let Ok(id) = text.parse::<u64>() {
        if classes.iter().any(|c| c.id == id) {
            return Ok(id);
        }
    }
    classes
        .iter()
        .find(|c| c.label.eq_ignore_ascii_case(text.trim()))
        .map(|c| c.id)
        .with_context(|| format!("classe « {text} » introuvable"))
}

pub fn user(data_dir: &Path, command: &UserCommand) -> anyhow::Result<()> {
    let settings = settings_for(data_dir)?;
    let store = open_store(&settings)?;
    match command {
        UserCommand::Add {
            login,
            profile,
            class,
            first_name,
            last_name,
            password_file,
        } => {
            let profile = Profile::from_slug(profile)
                .with_context(|| format!("profil inconnu « {profile} »"))?;
            let login = directory::normalize_login(login).map_err(anyhow::Error::msg)?;
            let class_id = class
                .as_deref()
                .map(|c| find_class(&store, c))
                .transpose()?;
            let (first, last) = match (first_name, last_name) {
                (Some(f), Some(l)) => (f.clone(), l.clone()),
                _ => {
                    let mut parts = login.splitn(2, '.');
                    let f = parts.next().unwrap_or(&login).to_string();
                    let l = parts.next().unwrap_or("").to_string();
                    (
                        first_name.clone().unwrap_or(f),
                        last_name.clone().unwrap_or(l),
                    )
                }
            };
            let (password, temporary) = match password_file {
                Some(p) => (read_password(Some(p))?, false),
                None => (crate::auth::password::generate_readable(10), true),
            };
            let hash = crate::auth::password::hash_blocking(&password, settings.bcrypt_cost)?;
            let new = NewUser {
                login: login.clone(),
                first_name: first,
                last_name: last,
                profile,
                functions: Vec::<Function>::new(),
                email: None,
                password_hash: Some(hash),
                must_change_password: temporary,
                created_at: now(),
            };
            let role = match profile {
                Profile::Eleve => Membership::Pupil,
                Profile::Atsem => Membership::Assistant,
                _ => Membership::Teacher,
            };
            store.commit_checked_blocking(|tx| {
                let id = directory::create_user(tx, &new)?;
                if let Some(c) = class_id {
                    directory::add_member(tx, c, id, role)?;
                }
                Ok(id)
            })?;
            if temporary {
                println!("Compte « {login} » créé. Mot de passe provisoire : {password}");
            } else {
                println!("Compte « {login} » créé.");
            }
        }
        UserCommand::List { profile } => {
            let p = match profile {
                Some(text) => Some(
                    Profile::from_slug(text)
                        .with_context(|| format!("profil inconnu « {text} »"))?,
                ),
                None => None,
            };
            for u in directory::users(&store, p)? {
                let state = if u.disabled { "désactivé" } else { "actif" };
                println!(
                    "{}\t{}\t{}\t{}",
                    u.login,
                    u.profile.slug(),
                    u.display_name(),
                    state
                );
            }
        }
        UserCommand::Passwd {
            login,
            password_file,
        } => {
            let user = directory::user_by_login(&store, login)?
                .with_context(|| format!("compte « {login} » introuvable"))?;
            let password = read_password(password_file.as_deref())?;
            let hash = crate::auth::password::hash_blocking(&password, settings.bcrypt_cost)?;
            store.commit_checked_blocking(|tx| {
                if let Some(mut u) = directory::user_in(tx, user.id)? {
                    u.password_hash = Some(hash.clone());
                    u.must_change_password = false;
                    directory::save_user(tx, &u)?;
                }
                Ok(())
            })?;
            end_sessions(&store, user.id)?;
            println!(
                "Mot de passe de « {} » changé ; ses connexions ouvertes ont été fermées.",
                user.login
            );
        }
        UserCommand::Disable { login } => {
            let user = directory::user_by_login(&store, login)?
                .with_context(|| format!("compte « {login} » introuvable"))?;
            store.commit_checked_blocking(|tx| {
                if let Some(mut u) = directory::user_in(tx, user.id)? {
                    u.disabled = true;
                    directory::save_user(tx, &u)?;
                }
                Ok(())
            })?;
            end_sessions(&store, user.id)?;
            println!("Compte « {} » désactivé.", user.login);
        }
    }
    Ok(())
}

fn end_sessions(store: &Store, user_id: u64) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(crate::auth::close_all_sessions(store, user_id, None))?;
    Ok(())
}
