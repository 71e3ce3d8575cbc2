//! The state shared by every request: the store, the settings, the throttles, the setup
//! gate's lock, the TLS material offered for download.

use std::ops::Deref;
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::Arc;

use crate::auth::throttle::Throttle;
use crate::auth::Lifetimes;
use crate::config::Settings;
use crate::store::Store;

pub struct AppState {
    pub store: Store,
    pub settings: Settings,
    pub lifetimes: Lifetimes,
    /// Guessed passwords per account and address, per account, per pupil's pictures.
    pub logins: crate::auth::throttle::Logins,
    /// Failed logins (and setup codes) per client address.
    pub throttle_addresses: Throttle,
    /// Cookies get `Secure` when the app is served over HTTPS.
    pub secure_cookies: bool,
    /// Hash compared against when a login does not exist (same timing as a real one).
    pub dummy_hash: Arc<std::sync::OnceLock<String>>,
    pub installed: AtomicBool,
    pub setup: crate::setup::Gate,
    /// The local CA certificate (PEM), offered for download; `None` without TLS or with
    /// an administrator's own certificate.
    pub ca_pem: Option<String>,
    /// Port of the HTTPS listener, for redirects from plain HTTP.
    pub https_port: AtomicU16,
    /// Records created per person in the last hour (agenda, messages, mots, blog…).
    pub creations: crate::auth::rate::CreationLimit,
    /// The public name, its ACME certificate and the challenges waiting (`net::acme`).
    pub acme: Arc<crate::net::acme::Acme>,
}

/// Cheap handle on the state, attached to every request.
#[derive(Clone)]
pub struct App(pub Arc<AppState>);

impl Deref for App {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        &self.0
    }
}

impl App {
    pub fn is_installed(&self) -> bool {
        self.installed.load(Ordering::Acquire)
    }

    /// A page in the school's layout (its name, the menu of its services): what handlers
    /// render, `section` marking the menu entry.
    pub fn page(
        &self,
        visitor: &crate::auth::visitor::Visitor,
        title: &str,
        section: &str,
        body: maud::Markup,
    ) -> crate::error::AppResult<maud::Markup> {
        let school = crate::school::kept(&self.store)?;
        Ok(Self::page_of(
            school.as_ref().as_ref(),
            visitor,
            title,
            section,
            body,
        ))
    }

    /// [`App::page`] for a handler that has already read the school (one read a page).
    pub fn page_of(
        school: Option<&crate::school::School>,
        visitor: &crate::auth::visitor::Visitor,
        title: &str,
        section: &str,
        body: maud::Markup,
    ) -> maud::Markup {
        crate::ui::page(
            crate::ui::Frame {
                school,
                visitor,
                title,
                section,
            },
            body,
        )
    }

    /// A page of the director's console: the school's layout, the console's sub-menu,
    /// `current` marking its tab.
    pub fn console_page(
        &self,
        visitor: &crate::auth::visitor::Visitor,
        title: &str,
        current: &str,
        body: maud::Markup,
    ) -> crate::error::AppResult<maud::Markup> {
        // The tab's path is the page's section: the menu marks « Administration » by
        // its prefix, and the « ? » finds the tab's part of the guide.
        self.page(
            visitor,
            title,
            current,
            crate::ui::console::console_frame(current, body),
        )
    }
}
