//! Integration tests: the real server, a real database, HTTP in between.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod answers;
mod auth;
mod backends;
mod cascade;
mod dataloaders;
mod errors;
mod feed;
mod hostile;
mod hostile_ws;
mod http;
mod instances;
mod limits;
mod operability;
mod outage;
mod pagination;
mod persisted;
mod releases;
mod schema;
mod software;
mod startup;
mod websocket;
mod ws_client;
