//! Process-wide behaviour a go-plugin child needs: crash lines Terraform recognises,
//! Ctrl-C left to Terraform, and an exit that cannot hang past Terraform's 2 s patience.

use std::path::PathBuf;
use std::time::Duration;

use tokio::signal::unix::{signal, SignalKind};
use tokio_util::sync::CancellationToken;

use super::handshake::Address;
use crate::logging;

const MODULE: &str = "tfplug.server";
/// After Shutdown, exit even if a call refuses to finish (Terraform SIGKILLs at 2 s).
const EXIT_BACKSTOP: Duration = Duration::from_secs(1);

/// Terraform collects stderr lines starting `panic: ` and shows them as a plugin crash.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        let location = info
            .location()
            .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        eprintln!("panic: {message}{location}");
        eprintln!("{}", std::backtrace::Backtrace::force_capture());
    }));
}

/// Ctrl-C reaches the whole process group; Terraform reacts with StopProvider, so the
/// default action (death mid-apply) must not happen: SIGINT is ignored unless
/// `interrupt_stops` (debug mode, where the user stops the server with Ctrl-C). SIGTERM
/// always stops the server cleanly (removing the socket file).
pub fn handle_signals(shutdown: CancellationToken, interrupt_stops: bool) {
    for (kind, name, stops) in [
        (SignalKind::interrupt(), "SIGINT", interrupt_stops),
        (SignalKind::terminate(), "SIGTERM", true),
    ] {
        let mut signals = match signal(kind) {
            Ok(stream) => stream,
            Err(e) => {
                logging::warn(
                    MODULE,
                    "cannot handle signal",
                    &[("signal", &name), ("error", &e)],
                );
                continue;
            }
        };
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            while signals.recv().await.is_some() {
                if stops {
                    logging::debug(MODULE, "stopping on signal", &[("signal", &name)]);
                    shutdown.cancel();
                } else {
                    logging::trace(
                        MODULE,
                        "ignoring signal; Terraform stops providers itself",
                        &[("signal", &name)],
                    );
                }
            }
        });
    }
}

/// Once shutdown starts, exits the process after `EXIT_BACKSTOP` whatever is still running.
pub fn exit_backstop(shutdown: CancellationToken, address: Address) {
    tokio::spawn(async move {
        shutdown.cancelled().await;
        std::thread::spawn(move || {
            std::thread::sleep(EXIT_BACKSTOP);
            logging::warn(MODULE, "calls still running after shutdown; exiting", &[]);
            if let Address::Unix(path) = address {
                // process::exit skips destructors, including the socket file's.
                let _ = std::fs::remove_file(PathBuf::from(path));
            }
            std::process::exit(0);
        });
    });
}
