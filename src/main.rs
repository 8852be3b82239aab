use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    swcat::startup::main(swcat::cli::Cli::parse()).await
}
