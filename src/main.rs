use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the server allocates many small, short-lived values per request (documents,
/// response trees), where it measures faster than glibc's malloc (see bench/ and
/// [`swcat::alloc`]).
#[global_allocator]
static ALLOCATOR: swcat::alloc::MiMalloc = swcat::alloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    swcat::startup::main(swcat::cli::Cli::parse()).await
}
