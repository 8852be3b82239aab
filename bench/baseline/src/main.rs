//! swcat-baseline: the floor swcat is measured against in `bench/run.sh`.
//!
//! A minimal HTTP server that answers the five GraphQL documents of the benchmark, each
//! recognised by its exact text, with the same SQL as swcat and byte for byte the same JSON,
//! but with no GraphQL engine (no parsing, validation, cost analysis or resolvers) and no ORM
//! (plain sqlx). Any other document is refused with a 400. The tables must exist already:
//! `swcat migrate` creates them.
//!
//! ```sh
//! swcat-baseline --listen 127.0.0.1:0 --database-url sqlite:///tmp/swcat.db
//! ```
//!
//! It prints `listening on http://ADDR/graphql` on stderr when it is ready, and stops on
//! SIGINT or SIGTERM.

mod api;
mod store;

use std::process::ExitCode;
use std::sync::Arc;

use axum::Router;
use axum::routing::post;
use tokio::net::TcpListener;

use crate::store::Store;

/// swcat's allocator, so that the comparison is of the code, not of the allocator.
#[global_allocator]
static ALLOCATOR: swcat::alloc::MiMalloc = swcat::alloc::MiMalloc;

const USAGE: &str = "usage: swcat-baseline [--listen ADDR] --database-url URL
  --listen ADDR        address to listen on (default 127.0.0.1:8001; port 0 picks one)
  --database-url URL   sqlite://FILE or postgres://USER@HOST:PORT/DB (or DATABASE_URL)";

struct Args {
    listen: String,
    database_url: String,
}

fn parse_args() -> Result<Args, String> {
    let mut listen = "127.0.0.1:8001".to_owned();
    let mut database_url = std::env::var("DATABASE_URL").ok();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        match name.as_str() {
            "--listen" | "--database-url" => {
                let value = inline
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{name} needs a value"))?;
                if name == "--listen" {
                    listen = value;
                } else {
                    database_url = Some(value);
                }
            }
            "-h" | "--help" => return Err(String::new()),
            _ => return Err(format!("unknown argument {name:?}")),
        }
    }
    let database_url = database_url.ok_or("--database-url is required")?;
    Ok(Args {
        listen,
        database_url,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("swcat-baseline: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let store = match Store::connect(&args.database_url).await {
        Ok(store) => store,
        Err(err) => {
            eprintln!("swcat-baseline: cannot connect to the database: {err}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match TcpListener::bind(&args.listen).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("swcat-baseline: cannot listen on {}: {err}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(err) => {
            eprintln!("swcat-baseline: no local address: {err}");
            return ExitCode::FAILURE;
        }
    };
    let app = Router::new()
        .route("/graphql", post(api::graphql))
        .with_state(Arc::new(store));
    eprintln!("listening on http://{addr}/graphql");
    match axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("swcat-baseline: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
