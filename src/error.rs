//! Errors of request handlers. Each becomes a French error page (see `ui::errors`);
//! internals are logged, never shown.

use poem::error::ResponseError;
use poem::http::StatusCode;

use crate::policy::Forbidden;
use crate::refusal::{Failure, Refusal};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("Cette page n'existe pas.")]
    NotFound,
    #[error("Vous n'avez pas accès à cette page.")]
    Forbidden,
    /// A service the person's classes have not opened to them (yet): 403, saying so.
    #[error("Ce service n'est pas encore ouvert pour vous dans la classe : l'enseignant choisit quand l'ouvrir aux élèves, puis aux familles.")]
    Closed,
    #[error("{0}")]
    BadRequest(String),
    /// A rule refused the change: its message is shown on the error page.
    #[error("{0}")]
    Refused(Refusal),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(#[from] anyhow::Error),
}

impl From<Forbidden> for AppError {
    fn from(_: Forbidden) -> Self {
        AppError::Forbidden
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        AppError::Refused(r)
    }
}

impl From<Failure> for AppError {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Refused(r) => AppError::Refused(r),
            Failure::Store(e) => AppError::Store(e),
        }
    }
}

impl ResponseError for AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Closed => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Refused(_) => StatusCode::CONFLICT,
            AppError::Store(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
