//! Integration tests: one binary (link time), each module drives a real server over HTTP.

// Test code: a failed step should stop the test loudly, helpers included (clippy's
// test allowances only cover `#[test]` functions, not the helpers they call).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod accounts_list;
mod acme;
mod archive;
mod attendance;
mod auth;
mod authz;
mod backup;
mod board;
mod browser;
mod budgets;
mod canteen;
mod class_services;
mod cli;
mod common;
mod commune;
mod console_lists;
mod crash;
mod directory;
mod fixture;
mod fleet;
mod gates;
mod hardening;
mod help;
mod home;
mod kept_counts;
mod liaison;
mod limits;
mod livret;
mod lsu;
mod matrix;
mod mdns;
mod media;
mod media_rights;
mod messaging;
mod migration;
mod mydata;
mod notifications;
mod pedagogy;
mod progress;
mod progress_maternelle;
mod progress_mydata;
mod publishing;
mod push;
mod pwa;
mod rentree;
mod search;
mod setup;
mod slots;
mod slots_agenda;
mod slots_grids;
mod slots_resources;
mod slots_volunteers;
mod stats;
mod switch;
mod throttle;
mod tls;
mod trust;
mod upgrade;
mod uploads;
