//! Préau: the digital workspace (ENT) of one school, in one binary.
//!
//! Shared pieces: `store` (the only user of sled), `auth`, `policy` (who may do what),
//! `ui` (layout and components), `net` (TLS, mDNS), `config`, `cli`. Features, one folder
//! each: `setup` (first-run wizard), `school`, `directory` (accounts and classes), `home`,
//! `account`, `admin`.

pub mod accessibility;
pub mod account;
pub mod activation;
pub mod admin;
pub mod admin_socket;
pub mod agenda;
pub mod app;
pub mod archive;
pub mod attachments;
pub mod attendance;
pub mod auth;
pub mod blog;
pub mod board;
pub mod canteen;
pub mod charter;
pub mod classroom;
pub mod cli;
pub mod commune;
pub mod config;
pub mod demo;
pub mod directory;
pub mod error;
pub mod fleet;
pub mod fsutil;
pub mod help;
pub mod home;
pub mod ids;
pub mod jobs;
pub mod liaison;
pub mod media;
pub mod memory;
pub mod messaging;
pub mod net;
pub mod news;
pub mod notify;
pub mod pedagogy;
pub mod policy;
pub mod progress;
pub mod push;
pub mod pwa;
pub mod refusal;
pub mod reports;
pub mod routes;
pub mod routing;
pub mod schema;
pub mod school;
pub mod search;
pub mod setup;
pub mod slots;
pub mod state;
pub mod stats;
pub mod store;
pub mod store_backups;
pub mod ui;
