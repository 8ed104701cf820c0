//! `alicloud-ecs-emulator`: serves the ECS Cloud Assistant emulator until interrupted.
//! The first stdout line is `listening on http://HOST:PORT`; logs go to stderr.

use std::io::Write;
use std::process::ExitCode;

use ecs_emulator::cli;
use ecs_emulator::start;

fn main() -> ExitCode {
    // `--help` and `--version` print and exit 0; usage errors print to stderr and exit 2.
    let config = cli::parse(std::env::args_os()).unwrap_or_else(|e| e.exit());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("alicloud-ecs-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let running = match start(config).await {
            Ok(running) => running,
            Err(e) => {
                eprintln!("alicloud-ecs-emulator: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut stdout = std::io::stdout().lock();
        if writeln!(stdout, "listening on http://{}", running.addr())
            .and_then(|()| stdout.flush())
            .is_err()
        {
            eprintln!("alicloud-ecs-emulator: cannot write to stdout");
        }
        drop(stdout);
        wait_for_signal().await;
        running.stop().await;
        ExitCode::SUCCESS
    })
}

/// Ctrl-C or SIGTERM.
async fn wait_for_signal() {
    let mut terminate = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(signal) => signal,
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
}
