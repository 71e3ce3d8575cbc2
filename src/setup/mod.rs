//! The first-run wizard. Until it completes, Préau serves only the wizard, protected by a
//! one-time setup code printed in the log and written to `<data>/setup-code` (owner-only),
//! so that whoever reaches the page first cannot become administrator without it. What is
//! typed is kept in a draft in the store; completion writes the school, the director,
//! the classes and their teachers in one transaction and locks the wizard for good.

pub mod routes;
mod views;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

pub use routes::{parse_class_form, parse_school_form, routes, school_state};

use crate::auth::journal::{record_audit, AuditEvent};
use crate::directory::{self, Function, Level, Membership, NewUser};
use crate::fsutil::write_private;
use crate::policy::Profile;
use crate::refusal::{Failure, Outcome};
use crate::school::{School, Service};
use crate::store::{Result, Store, Table};

pub const DRAFT: Table<String, Draft> = Table::new("setup_draft");
pub const TABLES: &[&str] = &[DRAFT.name];
pub(crate) const DRAFT_KEY: &str = "brouillon";
const INSTALLED_KEY: &str = "installed_at";
pub const CODE_FILE: &str = "setup-code";
pub const UNLOCK_COOKIE: &str = "preau_setup";

/// The wizard's answers so far.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Draft {
    pub school: Option<School>,
    pub director: Option<DirectorDraft>,
    #[serde(default)]
    pub classes: Vec<ClassDraft>,
    /// `None` until the services step is answered.
    #[serde(default)]
    pub services: Option<Vec<Service>>,
    /// ONDE files uploaded at the pupils step, previewed once the school exists.
    #[serde(default)]
    pub pending_import: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DirectorDraft {
    pub first_name: String,
    pub last_name: String,
    pub login: String,
    #[serde(default)]
    pub email: Option<String>,
    pub password_hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClassDraft {
    pub label: String,
    pub levels: Vec<Level>,
    pub teacher: TeacherChoice,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum TeacherChoice {
    Director,
    Other {
        first_name: String,
        last_name: String,
    },
    Later,
}

/// An account made by the wizard for a teacher, with its temporary password (shown once).
#[derive(Debug, Clone)]
pub struct CreatedTeacher {
    pub name: String,
    pub login: String,
    pub password: String,
}

pub fn is_installed(store: &Store) -> Result<bool> {
    Ok(installed_at(store)?.is_some())
}

/// When the wizard finished (microseconds), once it has.
pub fn installed_at(store: &Store) -> Result<Option<i64>> {
    store.meta::<i64>(INSTALLED_KEY)
}

pub fn load_draft(store: &Store) -> Result<Draft> {
    Ok(store
        .get(&DRAFT, &DRAFT_KEY.to_string())?
        .unwrap_or_default())
}

pub async fn save_draft(store: &Store, draft: &Draft) -> Result<()> {
    store
        .commit(|tx| tx.put(&DRAFT, &DRAFT_KEY.to_string(), draft))
        .await
}

/// Writes everything the wizard gathered, in one transaction; refuses if already done.
/// `teacher_passwords` gives the bcrypt hash and clear text of each new teacher's
/// temporary password, in the order of the classes that need one.
pub fn complete(
    store: &Store,
    draft: &Draft,
    teacher_passwords: &[(String, String)],
    now: i64,
) -> Outcome<(u64, Vec<CreatedTeacher>)> {
    let school = draft
        .school
        .clone()
        .ok_or_else(|| Failure::refused("L'étape « École » n'est pas remplie."))?;
    let director = draft
        .director
        .clone()
        .ok_or_else(|| Failure::refused("L'étape « Direction » n'est pas remplie."))?;
    let mut school = school;
    school.services = draft
        .services
        .clone()
        .unwrap_or_else(|| Service::ALL.to_vec());
    // Logins of new teachers are chosen before the transaction (they read indexes).
    let mut planned: Vec<(usize, String, String, String)> = Vec::new();
    let mut taken: HashSet<String> = HashSet::from([director.login.clone()]);
    for (i, c) in draft.classes.iter().enumerate() {
        if let TeacherChoice::Other {
            first_name,
            last_name,
        } = &c.teacher
        {
            if planned
                .iter()
                .any(|(_, f, l, _)| f == first_name && l == last_name)
            {
                continue;
            }
            let mut login = directory::suggest_login(store, first_name, last_name)?;
            let mut n = 2;
            while taken.contains(&login) {
                login = format!(
                    "{}{n}",
                    directory::suggest_login(store, first_name, last_name)?
                );
                n += 1;
            }
            taken.insert(login.clone());
            planned.push((i, first_name.clone(), last_name.clone(), login));
        }
    }
    // The director who installs the ENT publishes its charter: it counts as accepted.
    let charter_version = crate::charter::current(store)?.version;
    if teacher_passwords.len() < planned.len() {
        return Err(Failure::refused("mots de passe provisoires manquants"));
    }
    let created = store.commit_checked_blocking(|tx| {
        if tx.meta::<i64>(INSTALLED_KEY)?.is_some() {
            return Err(Failure::refused("Préau est déjà installé."));
        }
        crate::school::save(tx, &school)?;
        let director_id = directory::create_user(
            tx,
            &NewUser {
                login: director.login.clone(),
                first_name: director.first_name.clone(),
                last_name: director.last_name.clone(),
                profile: Profile::Enseignant,
                functions: vec![Function::Direction],
                email: director.email.clone(),
                password_hash: Some(director.password_hash.clone()),
                must_change_password: false,
                created_at: now,
            },
        )?;
        if let Some(mut d) = directory::user_in(tx, director_id)? {
            d.charter_version = charter_version;
            directory::save_user(tx, &d)?;
        }
        let mut teacher_ids: Vec<(String, String, u64)> = Vec::new();
        let mut created = Vec::new();
        for (k, (_, first, last, login)) in planned.iter().enumerate() {
            let (hash, clear) = teacher_passwords
                .get(k)
                .cloned()
                .ok_or_else(|| Failure::refused("mot de passe manquant"))?;
            let id = directory::create_user(
                tx,
                &NewUser {
                    login: login.clone(),
                    first_name: first.clone(),
                    last_name: last.clone(),
                    profile: Profile::Enseignant,
                    functions: Vec::new(),
                    email: None,
                    password_hash: Some(hash),
                    must_change_password: true,
                    created_at: now,
                },
            )?;
            teacher_ids.push((first.clone(), last.clone(), id));
            created.push(CreatedTeacher {
                name: format!("{first} {last}"),
                login: login.clone(),
                password: clear,
            });
        }
        for c in &draft.classes {
            let class_id = directory::create_class(tx, &c.label, &c.levels)?;
            let teacher = match &c.teacher {
                TeacherChoice::Director => Some(director_id),
                TeacherChoice::Other {
                    first_name,
                    last_name,
                } => teacher_ids
                    .iter()
                    .find(|(f, l, _)| f == first_name && l == last_name)
                    .map(|(_, _, id)| *id),
                TeacherChoice::Later => None,
            };
            if let Some(t) = teacher {
                directory::add_member(tx, class_id, t, Membership::Teacher)?;
            }
        }
        tx.set_meta(INSTALLED_KEY, &now)?;
        tx.remove(&DRAFT, &DRAFT_KEY.to_string())?;
        record_audit(
            tx,
            &AuditEvent {
                at: now,
                actor_id: Some(director_id),
                actor_login: director.login.clone(),
                action: format!("Installation de Préau pour « {} »", school.name),
            },
        )?;
        Ok((director_id, created))
    })?;
    Ok(created)
}

/// The wizard's lock: the setup code and the browsers that gave it.
pub struct Gate {
    code: Mutex<Option<String>>,
    unlocked: Mutex<HashSet<String>>,
    code_path: PathBuf,
}

fn generate_code() -> String {
    let raw = crate::auth::password::generate_readable(8).to_uppercase();
    format!("{}-{}", &raw[..4], &raw[4..])
}

impl Gate {
    pub fn new(data_dir: &Path, installed: bool) -> std::io::Result<Gate> {
        let code_path = data_dir.join(CODE_FILE);
        let code = if installed {
            let _ = std::fs::remove_file(&code_path);
            None
        } else {
            // The code survives restarts so that install.sh can print it once.
            let existing = std::fs::read_to_string(&code_path)
                .ok()
                .map(|s| s.trim().to_string());
            let code = match existing {
                Some(c) if c.len() == 9 => c,
                _ => {
                    let c = generate_code();
                    write_private(&code_path, &format!("{c}\n"))?;
                    c
                }
            };
            Some(code)
        };
        Ok(Gate {
            code: Mutex::new(code),
            unlocked: Mutex::new(HashSet::new()),
            code_path,
        })
    }

    pub fn announce(&self, settings: &crate::config::Settings) {
        if let Some(code) = self.code.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            tracing::info!(
                "Installation : ouvrez {}/setup et saisissez le code d'installation {code} (aussi dans {})",
                settings.public_url(),
                self.code_path.display()
            );
        }
    }

    /// Checks a code typed by someone (case and spaces ignored).
    pub fn check_code(&self, typed: &str) -> bool {
        let guard = self.code.lock().unwrap_or_else(|e| e.into_inner());
        let Some(code) = guard.as_ref() else {
            return false;
        };
        let norm = |s: &str| {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_uppercase()
        };
        use subtle::ConstantTimeEq;
        let (a, b) = (norm(typed), norm(code));
        a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
    }

    pub fn unlock(&self) -> String {
        let token = crate::auth::random_token();
        self.unlocked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(crate::auth::session_key(&token));
        token
    }

    pub fn is_unlocked(&self, token: Option<&str>) -> bool {
        let Some(t) = token else { return false };
        self.unlocked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&crate::auth::session_key(t))
    }

    /// After completion: forget the code and every unlock, delete the code file.
    pub fn lock_for_good(&self) {
        *self.code.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.unlocked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        let _ = std::fs::remove_file(&self.code_path);
    }
}
