//! `serve`: the whole life of a provider process, from the magic cookie to exit.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::config::{ConfigError, ServeConfig};
use super::handshake::{self, HandshakeError, MAGIC_COOKIE_KEY};
use super::plugin_server::{PluginServer, ServeError};
use super::{process, reattach};
use crate::logging;
use crate::provider::Provider;

const MODULE: &str = "tfplug.server";

#[derive(Debug, thiserror::Error)]
enum StartError {
    #[error(transparent)]
    Handshake(#[from] HandshakeError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Serve(#[from] ServeError),
    #[error("cannot write the handshake to stdout: {0}")]
    Stdout(#[from] std::io::Error),
}

/// Runs `provider` as a Terraform plugin and returns the process exit code.
///
/// Launched by Terraform: checks the magic cookie and the offered protocol versions, binds,
/// prints the handshake line, then serves until `GRPCController/Shutdown`. With `--debug`
/// (optionally `--provider-address=ADDR`): serves plaintext and prints the
/// `TF_REATTACH_PROVIDERS` value, until Ctrl-C.
pub fn serve(provider: impl Provider) -> ExitCode {
    process::install_panic_hook();
    let args: Vec<String> = std::env::args().collect();
    let debug = args.iter().skip(1).any(|a| a == "--debug" || a == "-debug");
    let result = if debug {
        let address = args
            .iter()
            .find_map(|a| a.strip_prefix("--provider-address="))
            .map(str::to_string)
            .unwrap_or_else(|| reattach::default_provider_address(args.first().map_or("", String::as_str)));
        run(|| serve_debug(Arc::new(provider), address))
    } else {
        launched_by_terraform().and_then(|config| run(|| serve_managed(Arc::new(provider), config)))
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Checks done before anything is started, so a hand-run binary exits at once.
fn launched_by_terraform() -> Result<ServeConfig, StartError> {
    handshake::check_magic_cookie(std::env::var(MAGIC_COOKIE_KEY).ok().as_deref())?;
    handshake::negotiate_protocol(std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok().as_deref())?;
    Ok(ServeConfig::from_env()?)
}

/// The provider's work is I/O-bound and Terraform sends at most `-parallelism` (10) calls at
/// once, so a few workers serve it fully. tokio's default, one per core, starts every one of
/// them before the handshake line: 64 threads on a 64-core machine triple the start-up time.
const MAX_WORKER_THREADS: usize = 4;

fn worker_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(MAX_WORKER_THREADS)
}

fn run<F, Fut>(serve: F) -> Result<(), StartError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(), StartError>>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads())
        .enable_all()
        .build()?;
    let result = runtime.block_on(serve());
    // Calls abandoned by the drain must not delay the exit.
    runtime.shutdown_timeout(Duration::from_millis(100));
    result
}

async fn serve_managed(provider: Arc<dyn Provider>, config: ServeConfig) -> Result<(), StartError> {
    let shutdown = CancellationToken::new();
    process::handle_signals(shutdown.clone(), false);
    let server = PluginServer::bind(&config)?;
    print_stdout(&server.handshake_line().to_string())?;
    logging::debug(
        MODULE,
        "plugin server started",
        &[
            ("network", &server.address().network()),
            ("address", &server.address().address()),
        ],
    );
    process::exit_backstop(shutdown.clone(), server.address().clone());
    server.run(provider, shutdown).await?;
    logging::debug(MODULE, "plugin server stopped", &[]);
    Ok(())
}

async fn serve_debug(provider: Arc<dyn Provider>, provider_address: String) -> Result<(), StartError> {
    let mut config = ServeConfig::from_env()?;
    config.client_cert_pem = None;
    let shutdown = CancellationToken::new();
    process::handle_signals(shutdown.clone(), true);
    let server = PluginServer::bind(&config)?;
    let json = reattach::reattach_json(&provider_address, std::process::id(), server.address());
    print_stdout(&reattach::instructions(&json))?;
    server.run(provider, shutdown).await?;
    Ok(())
}

/// Writes one line and flushes: Terraform reads the handshake before anything else happens.
fn print_stdout(text: &str) -> Result<(), StartError> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}")?;
    stdout.flush()?;
    Ok(())
}
