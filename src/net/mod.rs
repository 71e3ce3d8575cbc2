//! Network: HTTPS certificate (local CA + server certificate), the plain-HTTP site
//! (certificate download, redirect to HTTPS), mDNS announcement, and what protects the
//! listeners: connection caps and deadlines (`guard`), body limits (`limits`), caching of
//! personal pages (`cache`).

pub mod acme;
pub mod cache;
pub mod guard;
pub mod limits;
pub mod mdns;
pub mod plain;
pub mod tls;
