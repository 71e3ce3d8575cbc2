//! Integration tests: one binary (link time), each module drives a real server over HTTP.

mod auth;
mod authz;
mod backup;
mod board;
mod browser;
mod cli;
mod common;
mod crash;
mod directory;
mod fixture;
mod liaison;
mod matrix;
mod mdns;
mod media;
mod messaging;
mod migration;
mod notifications;
mod pedagogy;
mod publishing;
mod setup;
mod tls;
