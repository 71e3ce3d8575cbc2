//! The directory: accounts and classes. It owns the `users`, `user_by_login`,
//! `users_by_profile`, `classes` and `class_members` tables; other modules read people
//! and classes through the functions here, never through those tables.

pub mod admin;
pub mod groups;
pub mod import;
pub mod import_routes;
pub mod onde;
pub mod people;
pub mod rollover;
pub mod routes;
mod teams;
pub use teams::*;

use serde::{Deserialize, Serialize};

use crate::policy::{Actor, Profile};
use crate::refusal::{Failure, Outcome};
use crate::store::keys::tag_prefix;
use crate::store::{Key, Result, Store, Table, Tx};

pub const USERS: Table<u64, User> = Table::new("users");
pub const USER_BY_LOGIN: Table<String, u64> = Table::new("user_by_login");
/// Index (profile slug, user id) → (); added by schema version 2.
pub const USERS_BY_PROFILE: Table<(String, u64), ()> = Table::new("users_by_profile");
pub const CLASSES: Table<u64, Class> = Table::new("classes");
/// Index (class id, user id) → role in the class.
pub const CLASS_MEMBERS: Table<(u64, u64), Membership> = Table::new("class_members");
/// Mirror (user id, class id) → (): a person's classes in one prefix scan (schema 3).
pub const USER_CLASSES: Table<(u64, u64), ()> = Table::new("user_classes");

/// Pupil details from ONDE (user id → record).
pub const PUPILS: Table<u64, PupilRecord> = Table::new("pupils");
/// Index INE → pupil's user id.
pub const PUPIL_BY_INE: Table<String, u64> = Table::new("pupil_by_ine");
/// Index card token hash → pupil's user id (login by scanning the card's QR code).
pub const PUPIL_BY_CARD: Table<String, u64> = Table::new("pupil_by_card");
/// Index « nom|prénom|date de naissance » (folded) → pupil's user id, for files without INE.
pub const PUPIL_BY_IDENTITY: Table<String, u64> = Table::new("pupil_by_identity");
/// Guardian details (user id → record).
pub const GUARDIANS: Table<u64, GuardianRecord> = Table::new("guardians");
/// (parent, child) → () and its mirror (child, parent) → ().
pub const PARENT_CHILD: Table<(u64, u64), ()> = Table::new("parent_child");
pub const CHILD_PARENT: Table<(u64, u64), ()> = Table::new("child_parent");

/// Free groups (« Chorale », « Salle des maîtres »…), members from any profile.
pub const GROUPS: Table<u64, Group> = Table::new("groups");
/// (group, user) → () and its mirror (user, group) → ().
pub const GROUP_MEMBERS: Table<(u64, u64), ()> = Table::new("group_members");
pub const USER_GROUPS: Table<(u64, u64), ()> = Table::new("user_groups");

/// Temporary charge of a class (replacement teacher): (user, class) → delegation. Keyed by
/// person first: every request of that person reads their delegations (one prefix scan),
/// while a class's list is read only by the console.
pub const DELEGATIONS: Table<(u64, u64), Delegation> = Table::new("delegations");

pub const TABLES: &[&str] = &[
    DELEGATIONS.name,
    GROUPS.name,
    GROUP_MEMBERS.name,
    USER_GROUPS.name,
    USERS.name,
    USER_BY_LOGIN.name,
    USERS_BY_PROFILE.name,
    CLASSES.name,
    CLASS_MEMBERS.name,
    USER_CLASSES.name,
    PUPILS.name,
    PUPIL_BY_INE.name,
    PUPIL_BY_IDENTITY.name,
    PUPIL_BY_CARD.name,
    GUARDIANS.name,
    PARENT_CHILD.name,
    CHILD_PARENT.name,
    import::PENDING.name,
];

/// A pupil leaving the school: account disabled, deletion scheduled (RGPD: 3 months).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Leaving {
    pub since: i64,
    pub delete_after: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PupilRecord {
    pub user_id: u64,
    #[serde(default)]
    pub ine: Option<String>,
    pub birth_date: String,
    #[serde(default)]
    pub sex: Option<String>,
    #[serde(default)]
    pub level: Option<Level>,
    #[serde(default)]
    pub cycle: Option<String>,
    #[serde(default)]
    pub onde_class_id: Option<String>,
    /// « Autorisation photo » as declared at enrolment (information only: a project's
    /// image consent is asked separately).
    #[serde(default)]
    pub photo_consent_declared: Option<bool>,
    #[serde(default)]
    pub leaving: Option<Leaving>,
    /// Picture shown beside the first name on the class login board.
    #[serde(default)]
    pub avatar: Option<u8>,
    /// bcrypt hash of the picture password (a sequence of 3 pictures), for pupils who
    /// cannot read yet.
    #[serde(default)]
    pub picture_hash: Option<String>,
    /// SHA-256 of the secret in the QR code of the pupil's login card (school network
    /// only); reprinting the card replaces it.
    #[serde(default)]
    pub card_token_hash: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct GuardianRecord {
    pub user_id: u64,
    #[serde(default)]
    pub civility: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

/// Key of the identity index.
pub fn identity_key(last_name: &str, first_name: &str, birth_date: &str) -> String {
    format!("{}|{}|{}", fold(last_name), fold(first_name), birth_date)
}

pub fn pupil(store: &Store, user_id: u64) -> Result<Option<PupilRecord>> {
    store.get(&PUPILS, &user_id)
}

pub fn pupil_by_ine(store: &Store, ine: &str) -> Result<Option<u64>> {
    store.get(&PUPIL_BY_INE, &ine.to_uppercase())
}

pub fn pupil_by_identity(
    store: &Store,
    last_name: &str,
    first_name: &str,
    birth_date: &str,
) -> Result<Option<u64>> {
    store.get(
        &PUPIL_BY_IDENTITY,
        &identity_key(last_name, first_name, birth_date),
    )
}

/// Writes a pupil's record and its indexes.
pub fn save_pupil(tx: &mut Tx<'_>, user: &User, record: &PupilRecord) -> Outcome<()> {
    if let Some(old) = tx.get(&PUPILS, &record.user_id)? {
        if let Some(ine) = &old.ine {
            tx.remove(&PUPIL_BY_INE, ine)?;
        }
        if let Some(card) = &old.card_token_hash {
            tx.remove(&PUPIL_BY_CARD, card)?;
        }
        if let Some(old_user) = tx.get(&USERS, &record.user_id)? {
            tx.remove(
                &PUPIL_BY_IDENTITY,
                &identity_key(&old_user.last_name, &old_user.first_name, &old.birth_date),
            )?;
        }
    }
    if let Some(ine) = &record.ine {
        if let Some(other) = tx.get(&PUPIL_BY_INE, ine)? {
            if other != record.user_id {
                return Err(Failure::refused(format!(
                    "L'INE {ine} appartient déjà à un autre élève."
                )));
            }
        }
        tx.put(&PUPIL_BY_INE, ine, &record.user_id)?;
    }
    if let Some(card) = &record.card_token_hash {
        tx.put(&PUPIL_BY_CARD, card, &record.user_id)?;
    }
    tx.put(
        &PUPIL_BY_IDENTITY,
        &identity_key(&user.last_name, &user.first_name, &record.birth_date),
        &record.user_id,
    )?;
    Ok(tx.put(&PUPILS, &record.user_id, record)?)
}

pub fn guardian(store: &Store, user_id: u64) -> Result<Option<GuardianRecord>> {
    store.get(&GUARDIANS, &user_id)
}

pub fn save_guardian(tx: &mut Tx<'_>, record: &GuardianRecord) -> Result<()> {
    tx.put(&GUARDIANS, &record.user_id, record)
}

pub fn link_parent(tx: &mut Tx<'_>, parent: u64, child: u64) -> Result<()> {
    tx.put(&PARENT_CHILD, &(parent, child), &())?;
    tx.put(&CHILD_PARENT, &(child, parent), &())
}

pub fn unlink_parent(tx: &mut Tx<'_>, parent: u64, child: u64) -> Result<()> {
    tx.remove(&PARENT_CHILD, &(parent, child))?;
    tx.remove(&CHILD_PARENT, &(child, parent))
}

/// Children of a guardian (user ids).
pub fn children_of(store: &Store, parent: u64) -> Result<Vec<u64>> {
    Ok(store
        .scan_prefix(&PARENT_CHILD, &parent.encode())?
        .into_iter()
        .map(|((_, c), ())| c)
        .collect())
}

/// Guardians of a pupil (user ids).
/// The level of every pupil whose record has one (CP, CE1…).
pub fn pupil_levels(store: &Store) -> Result<std::collections::HashMap<u64, Level>> {
    Ok(store
        .scan(&PUPILS)?
        .into_iter()
        .filter_map(|(id, p)| p.level.map(|l| (id, l)))
        .collect())
}

/// Every (parent, child) link.
pub fn all_links(store: &Store) -> Result<Vec<(u64, u64)>> {
    Ok(store
        .scan(&PARENT_CHILD)?
        .into_iter()
        .map(|(k, ())| k)
        .collect())
}

pub fn parents_of(store: &Store, child: u64) -> Result<Vec<u64>> {
    Ok(store
        .scan_prefix(&CHILD_PARENT, &child.encode())?
        .into_iter()
        .map(|((_, p), ())| p)
        .collect())
}

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

/// School levels and dispositifs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
pub enum Level {
    TPS,
    PS,
    MS,
    GS,
    CP,
    CE1,
    CE2,
    CM1,
    CM2,
    ULIS,
    UPE2A,
}

impl Level {
    pub const ALL: [Level; 11] = [
        Level::TPS,
        Level::PS,
        Level::MS,
        Level::GS,
        Level::CP,
        Level::CE1,
        Level::CE2,
        Level::CM1,
        Level::CM2,
        Level::ULIS,
        Level::UPE2A,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Level::TPS => "TPS",
            Level::PS => "PS",
            Level::MS => "MS",
            Level::GS => "GS",
            Level::CP => "CP",
            Level::CE1 => "CE1",
            Level::CE2 => "CE2",
            Level::CM1 => "CM1",
            Level::CM2 => "CM2",
            Level::ULIS => "ULIS",
            Level::UPE2A => "UPE2A",
        }
    }

    pub fn from_code(text: &str) -> Option<Level> {
        let t = text.trim().to_uppercase();
        Level::ALL.into_iter().find(|l| l.code() == t)
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::TPS => "Toute petite section",
            Level::PS => "Petite section",
            Level::MS => "Moyenne section",
            Level::GS => "Grande section",
            Level::CP => "Cours préparatoire",
            Level::CE1 => "Cours élémentaire 1",
            Level::CE2 => "Cours élémentaire 2",
            Level::CM1 => "Cours moyen 1",
            Level::CM2 => "Cours moyen 2",
            Level::ULIS => "Dispositif ULIS",
            Level::UPE2A => "Dispositif UPE2A",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Class {
    pub id: u64,
    pub label: String,
    pub levels: Vec<Level>,
    /// The class identifier in ONDE, when the class came from an import.
    #[serde(default)]
    pub onde_id: Option<String>,
}

impl Class {
    pub fn levels_text(&self) -> String {
        self.levels
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join("-")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    Teacher,
    Pupil,
    /// ATSEM attached to a maternelle class.
    Assistant,
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

pub fn user(store: &Store, id: u64) -> Result<Option<User>> {
    store.get(&USERS, &id)
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
    let mut out = match profile {
        None => store
            .scan(&USERS)?
            .into_iter()
            .map(|(_, u)| u)
            .collect::<Vec<_>>(),
        Some(p) => {
            let mut v = Vec::new();
            for ((_, id), ()) in store.scan_prefix(&USERS_BY_PROFILE, &tag_prefix(p.slug()))? {
                if let Some(u) = store.get(&USERS, &id)? {
                    v.push(u);
                }
            }
            v
        }
    };
    out.sort_by_key(|u| (fold(u.shown_last_name()), fold(&u.first_name)));
    Ok(out)
}

pub fn create_class(tx: &mut Tx<'_>, label: &str, levels: &[Level]) -> Result<u64> {
    let id = tx.next_id("class")?;
    tx.put(
        &CLASSES,
        &id,
        &Class {
            id,
            label: label.trim().to_string(),
            levels: levels.to_vec(),
            onde_id: None,
        },
    )?;
    Ok(id)
}

pub fn save_class(tx: &mut Tx<'_>, class: &Class) -> Result<()> {
    tx.put(&CLASSES, &class.id, class)
}

pub fn class(store: &Store, id: u64) -> Result<Option<Class>> {
    store.get(&CLASSES, &id)
}

/// Classes sorted by their first level then label.
pub fn classes(store: &Store) -> Result<Vec<Class>> {
    let mut v: Vec<Class> = store.scan(&CLASSES)?.into_iter().map(|(_, c)| c).collect();
    v.sort_by(|a, b| (a.levels.first(), &a.label).cmp(&(b.levels.first(), &b.label)));
    Ok(v)
}

/// Removes a class with no members left.
pub fn delete_class(tx: &mut Tx<'_>, id: u64, member_count: usize) -> Outcome<()> {
    if member_count > 0 {
        return Err(Failure::refused(
            "Cette classe a encore des membres : retirez-les avant de la supprimer.",
        ));
    }
    Ok(tx.remove(&CLASSES, &id)?)
}

pub fn add_member(tx: &mut Tx<'_>, class_id: u64, user_id: u64, role: Membership) -> Outcome<()> {
    if tx.get(&CLASSES, &class_id)?.is_none() {
        return Err(Failure::refused("Cette classe n'existe pas."));
    }
    Ok(put_member(tx, class_id, user_id, role)?)
}

/// Writes a membership and its mirror.
pub fn put_member(tx: &mut Tx<'_>, class_id: u64, user_id: u64, role: Membership) -> Result<()> {
    tx.put(&CLASS_MEMBERS, &(class_id, user_id), &role)?;
    tx.put(&USER_CLASSES, &(user_id, class_id), &())
}

pub fn remove_member(tx: &mut Tx<'_>, class_id: u64, user_id: u64) -> Result<()> {
    tx.remove(&CLASS_MEMBERS, &(class_id, user_id))?;
    tx.remove(&USER_CLASSES, &(user_id, class_id))
}

/// Members of a class with their role.
pub fn members(store: &Store, class_id: u64) -> Result<Vec<(User, Membership)>> {
    let mut out = Vec::new();
    for ((_, uid), role) in store.scan_prefix(&CLASS_MEMBERS, &class_id.encode())? {
        if let Some(u) = store.get(&USERS, &uid)? {
            out.push((u, role));
        }
    }
    out.sort_by_key(|(u, _)| (fold(u.shown_last_name()), fold(&u.first_name)));
    Ok(out)
}

/// Classes a person belongs to or teaches.
pub fn classes_of(store: &Store, user_id: u64) -> Result<Vec<u64>> {
    Ok(store
        .scan_prefix(&USER_CLASSES, &user_id.encode())?
        .into_iter()
        .map(|((_, c), ())| c)
        .collect())
}

/// Schema version 3: the mirror index of memberships by person, built from the
/// memberships by class.
pub fn migrate_v3_user_classes(store: &Store) -> Result<()> {
    let memberships = store.scan(&CLASS_MEMBERS)?;
    store.commit_blocking(|tx| {
        for ((class_id, user_id), _) in &memberships {
            tx.put(&USER_CLASSES, &(*user_id, *class_id), &())?;
        }
        Ok(())
    })
}

/// Merges a duplicate account into the one kept: classes, guardian links, groups and the
/// pupil record move over, missing contact details are copied, then the duplicate is
/// deleted. Both accounts must have the same profile.
pub fn merge_accounts(store: &Store, duplicate: u64, keep: u64) -> Outcome<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_checked_and_folded() {
        assert_eq!(normalize_login(" Marie.Curie ").unwrap(), "marie.curie");
        assert!(normalize_login("é").is_err());
        assert!(normalize_login("a b").is_err());
        assert_eq!(fold("Éloïse d’Arc"), "eloise-d-arc");
    }

    #[test]
    fn levels_parse_from_codes() {
        assert_eq!(Level::from_code("ce1"), Some(Level::CE1));
        assert_eq!(Level::from_code("CM3"), None);
    }
}
