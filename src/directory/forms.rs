//! The typed inputs of the directory's console forms, read by [`FormInput`], with their
//! validation: a valid input becomes what the model takes, an invalid one the form state
//! to re-render, with the French error beside each field.
//!
//! [`FormInput`]: crate::ui::input::FormInput

use serde::Deserialize;

use super::{Level, Membership};
use crate::error::{AppError, AppResult};
use crate::policy::Profile;
use crate::store::Store;
use crate::ui::form::FormState;

/// A class's name and levels (creation and edition).
#[derive(Deserialize, Default)]
pub struct ClassInput {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub levels: Vec<String>,
}

impl ClassInput {
    /// The label and levels, or the form to show again with the levels that were ticked.
    pub fn validate(&self) -> Result<(String, Vec<Level>), (FormState, Vec<String>)> {
        let mut form = FormState::with_values([("label", self.label.trim().to_string())]);
        let levels: Vec<Level> = self
            .levels
            .iter()
            .filter_map(|c| Level::from_code(c))
            .collect();
        let label = form.required("label", "le nom de la classe");
        if label.chars().count() > 60 {
            form.error(
                "label",
                "Le nom de la classe est trop long (60 caractères au plus).",
            );
        }
        if levels.is_empty() {
            form.error("levels", "Cochez au moins un niveau.");
        }
        if form.is_ok() {
            Ok((label, levels))
        } else {
            Err((form, self.levels.clone()))
        }
    }
}

/// A person picked in a list (member added or removed, delegation ended).
#[derive(Deserialize, Default)]
pub struct PersonChoice {
    #[serde(default)]
    pub user_id: String,
}

impl PersonChoice {
    /// The chosen account's id; `missing` is the message when none was chosen.
    pub fn id(&self, missing: &str) -> AppResult<u64> {
        self.user_id
            .parse()
            .map_err(|_| AppError::BadRequest(missing.into()))
    }
}

/// A class given to a teacher until a date (« jusqu'au », inclusive).
#[derive(Deserialize, Default)]
pub struct DelegationInput {
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub jusqu_au: String,
}

impl DelegationInput {
    pub fn teacher(&self) -> AppResult<u64> {
        self.user_id
            .parse()
            .map_err(|_| AppError::BadRequest("Choisissez un enseignant.".into()))
    }

    /// The end of the delegation, when the date is valid and still to come.
    pub fn until(&self, now: i64) -> Option<i64> {
        end_of_day(&self.jusqu_au).filter(|t| *t > now)
    }
}

/// End of the day `date` (yyyy-mm-dd) in the school's time zone, in microseconds.
fn end_of_day(date: &str) -> Option<i64> {
    let d: jiff::civil::Date = date.parse().ok()?;
    let next = d.tomorrow().ok()?;
    let tz = crate::ui::dates::school_tz();
    Some(
        next.to_zoned_datetime(tz)
            .ok()?
            .timestamp()
            .as_microsecond(),
    )
}

/// The filters of the account list (query string).
#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub profil: Option<String>,
    pub q: Option<String>,
    pub classe: Option<String>,
    pub etat: Option<String>,
    pub page: Option<String>,
}

/// A new account typed in the console.
#[derive(Deserialize, Default)]
pub struct NewAccountInput {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub profile: String,
    #[serde(default)]
    pub class_id: String,
    #[serde(default)]
    pub login: String,
    #[serde(default)]
    pub email: String,
}

/// A new account that passed the checks.
pub struct ValidAccount {
    pub first_name: String,
    pub last_name: String,
    pub profile: Profile,
    pub class_id: Option<u64>,
    pub login: String,
    pub email: Option<String>,
}

impl ValidAccount {
    /// The account's role in its class.
    pub fn role(&self) -> Membership {
        match self.profile {
            Profile::Eleve => Membership::Pupil,
            Profile::Atsem => Membership::Assistant,
            _ => Membership::Teacher,
        }
    }
}

impl NewAccountInput {
    /// The account to create, or the form to show again. Reads the store for the class
    /// chosen and a free login when none was typed.
    pub fn validate(&self, store: &Store) -> AppResult<Result<ValidAccount, FormState>> {
        let mut form = FormState::with_values([
            ("first_name", self.first_name.trim().to_string()),
            ("last_name", self.last_name.trim().to_string()),
            ("profile", self.profile.trim().to_string()),
            ("class_id", self.class_id.trim().to_string()),
            ("login", self.login.trim().to_string()),
            ("email", self.email.trim().to_string()),
        ]);
        let first_name = form.required("first_name", "le prénom");
        let last_name = form.required("last_name", "le nom");
        let profile = Profile::from_slug(form.value("profile"));
        if profile.is_none() {
            form.error("profile", "Choisissez un profil.");
        }
        let class_id: Option<u64> = form.value("class_id").parse().ok();
        if let (Some(c), Some(p)) = (class_id, profile) {
            if super::class(store, c)?.is_none() {
                form.error("class_id", "Cette classe n'existe pas.");
            } else if !matches!(p, Profile::Eleve | Profile::Enseignant | Profile::Atsem) {
                form.error(
                    "class_id",
                    "Seuls les élèves, les enseignants et les ATSEM sont rattachés à une classe.",
                );
            }
        }
        let login = if form.value("login").is_empty() {
            if form.is_ok() {
                super::suggest_login(store, &first_name, &last_name)?
            } else {
                String::new()
            }
        } else {
            match super::normalize_login(form.value("login")) {
                Ok(l) => l,
                Err(m) => {
                    form.error("login", m);
                    String::new()
                }
            }
        };
        let email = form.value("email").to_string();
        if !email.is_empty() && !email.contains('@') {
            form.error("email", "Cette adresse électronique n'est pas valide.");
        }
        Ok(match profile.filter(|_| form.is_ok()) {
            Some(profile) => Ok(ValidAccount {
                first_name,
                last_name,
                profile,
                class_id,
                login,
                email: (!email.is_empty()).then_some(email),
            }),
            None => Err(form),
        })
    }
}

/// An account's identity edited in the console.
#[derive(Deserialize, Default)]
pub struct IdentityInput {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub usage_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

impl IdentityInput {
    /// The identity to save, or the message shown in a flash above the account's page.
    pub fn validate(&self) -> Result<super::Identity, &'static str> {
        let first = self.first_name.trim().to_string();
        let last = self.last_name.trim().to_string();
        let email = self.email.trim().to_string();
        if first.is_empty() || last.is_empty() || (!email.is_empty() && !email.contains('@')) {
            return Err(if email.is_empty() || email.contains('@') {
                "Le prénom et le nom sont obligatoires."
            } else {
                "Cette adresse électronique n'est pas valide."
            });
        }
        let optional = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(super::Identity {
            first_name: first,
            last_name: last,
            usage_name: optional(&self.usage_name),
            email: optional(&email),
            phone: optional(&self.phone),
        })
    }
}

/// The account a duplicate is merged into.
#[derive(Deserialize, Default)]
pub struct MergeInput {
    #[serde(default)]
    pub keep: String,
}

impl MergeInput {
    pub fn keep(&self) -> AppResult<u64> {
        self.keep
            .parse()
            .map_err(|_| AppError::BadRequest("Choisissez le compte à garder.".into()))
    }
}

/// A new free group.
#[derive(Deserialize, Default)]
pub struct GroupInput {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub description: String,
}

/// The columns chosen by hand for the pupils file: `header[i]` is read as `column[i]`.
#[derive(Deserialize, Default)]
pub struct MappingInput {
    #[serde(default)]
    pub header: Vec<String>,
    #[serde(default)]
    pub column: Vec<String>,
}

/// The director's class choices in the import preview: the class `cle[i]` of the file
/// goes to `choix[i]` (a class id, or « nouvelle »).
#[derive(Deserialize, Default)]
pub struct ClassChoicesInput {
    #[serde(default)]
    pub cle: Vec<String>,
    #[serde(default)]
    pub choix: Vec<String>,
}
