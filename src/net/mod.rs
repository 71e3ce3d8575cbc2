//! Network: HTTPS certificate (local CA + server certificate), the plain-HTTP site
//! (certificate download, redirect to HTTPS), mDNS announcement.

pub mod mdns;
pub mod plain;
pub mod tls;
