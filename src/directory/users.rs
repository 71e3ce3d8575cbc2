//! Accounts: the record, logins, creation and reading.

use super::*;

/// Functions an account can hold on top of its profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Function {
    /// Direction de l'école (ENTEnsFonctionDir).
    Direction,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: u64,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    /// Nom d'usage, shown instead of the family name when given.
    #[serde(default)]
    pub usage_name: Option<String>,
    pub profile: Profile,
    #[serde(default)]
    pub functions: Vec<Function>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// bcrypt hash; `None` until the person activates the account.
    #[serde(default)]
    pub password_hash: Option<String>,
    #[serde(default)]
    pub disabled: bool,
    /// Set when someone else chose the password: the person must change it.
    #[serde(default)]
    pub must_change_password: bool,
    /// Version of the ENT charter the person accepted (0: none yet).
    #[serde(default)]
    pub charter_version: u32,
    /// An adult who no longer has a right to an account (guardian of pupils who all
    /// left, teacher transferred): disabled, deleted at `delete_after` (RGPD).
    #[serde(default)]
    pub leaving: Option<Leaving>,
    /// Microseconds since the Unix epoch.
    pub created_at: i64,
    /// Text size, spacing, font and contrast the person chose (« Mon compte »).
    #[serde(default)]
    pub reading: crate::ui::comfort::ReadingComfort,
    /// The person closed the first-visit tour of their home page.
    #[serde(default)]
    pub welcomed: bool,
}

impl User {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.shown_last_name())
    }

    /// The name a person goes by: the nom d'usage when there is one.
    pub fn shown_last_name(&self) -> &str {
        self.usage_name.as_deref().unwrap_or(&self.last_name)
    }

    pub fn is_director(&self) -> bool {
        self.functions.contains(&Function::Direction)
    }

    /// What the policy sees of this person.
    pub fn actor(&self, class_ids: Vec<u64>, children: Vec<u64>, group_ids: Vec<u64>) -> Actor {
        Actor {
            user_id: self.id,
            profile: self.profile,
            director: self.is_director(),
            class_ids,
            children,
            group_ids,
        }
    }

    /// « Directrice » / profile label, for display.
    pub fn role_label(&self) -> &'static str {
        if self.is_director() {
            "Direction"
        } else {
            self.profile.label()
        }
    }
}

/// What is needed to create an account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub profile: Profile,
    pub functions: Vec<Function>,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub must_change_password: bool,
    pub created_at: i64,
}

/// Normalises and checks a login: lowercase letters, digits, dot, dash, underscore.
pub fn normalize_login(text: &str) -> std::result::Result<String, &'static str> {
    let login = text.trim().to_lowercase();
    if login.len() < 2 || login.len() > 40 {
        return Err("L'identifiant doit compter entre 2 et 40 caractères.");
    }
    if !login
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
    {
        return Err("L'identifiant ne peut contenir que des lettres sans accent, des chiffres, « . », « - » et « _ ».");
    }
    Ok(login)
}

/// Proposes a free login « prenom.nom » (accents removed), numbered if taken.
pub fn suggest_login(store: &Store, first_name: &str, last_name: &str) -> Result<String> {
    let base: String = format!("{}.{}", fold(first_name), fold(last_name))
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    let base = if base.len() < 2 {
        "utilisateur".to_string()
    } else {
        base
    };
    let base: String = base.chars().take(36).collect();
    let mut candidate = base.clone();
    let mut n = 2;
    while store.get(&USER_BY_LOGIN, &candidate)?.is_some() {
        candidate = format!("{base}{n}");
        n += 1;
    }
    Ok(candidate)
}

/// Lowercase ASCII folding of French names (« Éloïse » → « eloise »).
pub fn fold(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' => 'y',
            'œ' => 'o',
            ' ' | '\'' | '’' => '-',
            c => c,
        })
        .collect()
}

/// Creates an account inside a transaction; refuses a login already taken.
pub fn create_user(tx: &mut Tx<'_>, new: &NewUser) -> Outcome<u64> {
    if tx.get(&USER_BY_LOGIN, &new.login)?.is_some() {
        return Err(Failure::refused(format!(
            "L'identifiant « {} » est déjà utilisé.",
            new.login
        )));
    }
    let id = tx.next_id("user")?;
    let user = User {
        id,
        login: new.login.clone(),
        first_name: new.first_name.trim().to_string(),
        last_name: new.last_name.trim().to_string(),
        usage_name: None,
        profile: new.profile,
        functions: new.functions.clone(),
        email: new.email.clone(),
        phone: None,
        password_hash: new.password_hash.clone(),
        disabled: false,
        must_change_password: new.must_change_password,
        charter_version: 0,
        leaving: None,
        created_at: new.created_at,
        reading: Default::default(),
        welcomed: false,
    };
    tx.put(&USERS, &id, &user)?;
    tx.put(&USER_BY_LOGIN, &user.login, &id)?;
    tx.put(
        &USERS_BY_PROFILE,
        &(user.profile.slug().to_string(), id),
        &(),
    )?;
    Ok(id)
}

/// Replaces an account's record (the login and profile indexes follow).
pub fn save_user(tx: &mut Tx<'_>, user: &User) -> Outcome<()> {
    let old = tx
        .get(&USERS, &user.id)?
        .ok_or_else(|| Failure::refused("Ce compte n'existe plus."))?;
    if old.login != user.login {
        if tx.get(&USER_BY_LOGIN, &user.login)?.is_some() {
            return Err(Failure::refused(format!(
                "L'identifiant « {} » est déjà utilisé.",
                user.login
            )));
        }
        tx.remove(&USER_BY_LOGIN, &old.login)?;
        tx.put(&USER_BY_LOGIN, &user.login, &user.id)?;
    }
    if old.profile != user.profile {
        tx.remove(
            &USERS_BY_PROFILE,
            &(old.profile.slug().to_string(), user.id),
        )?;
        tx.put(
            &USERS_BY_PROFILE,
            &(user.profile.slug().to_string(), user.id),
            &(),
        )?;
    }
    Ok(tx.put(&USERS, &user.id, user)?)
}

/// An account, from the directory's snapshot in memory.
pub fn user(store: &Store, id: u64) -> Result<Option<User>> {
    Ok(People::load(store)?.user(id).cloned())
}

/// Reads an account inside a transaction.
pub fn user_in(tx: &Tx<'_>, id: u64) -> Result<Option<User>> {
    tx.get(&USERS, &id)
}

pub fn user_by_login(store: &Store, login: &str) -> Result<Option<User>> {
    match store.get(&USER_BY_LOGIN, &login.trim().to_lowercase())? {
        Some(id) => store.get(&USERS, &id),
        None => Ok(None),
    }
}

/// Every account, or those of one profile, sorted by name.
pub fn users(store: &Store, profile: Option<Profile>) -> Result<Vec<User>> {
    let people = People::load(store)?;
    Ok(people
        .by_name
        .iter()
        .filter_map(|id| people.user(*id))
        .filter(|u| profile.is_none_or(|p| u.profile == p))
        .cloned()
        .collect())
}
