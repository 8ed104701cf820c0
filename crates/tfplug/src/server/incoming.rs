//! The accept loop: each connection is TLS-handshaken in its own task (a slow or rejected
//! client never blocks the others) and handed to tonic when ready. Stops at shutdown.

use std::io;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;

use super::listener::Listener;
use super::stream::PluginStream;
use crate::logging;

const MODULE: &str = "tfplug.server";
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Pause after a failed accept (e.g. out of file descriptors) so the loop does not spin.
const ACCEPT_RETRY_DELAY: Duration = Duration::from_millis(50);

pub fn connections(
    listener: Listener,
    tls: Option<TlsAcceptor>,
    shutdown: CancellationToken,
) -> ReceiverStream<io::Result<PluginStream>> {
    let (sender, receiver) = mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                () = shutdown.cancelled() => break,
                accepted = listener.accept() => accepted,
            };
            let stream = match accepted {
                Ok(stream) => stream,
                Err(e) => {
                    logging::warn(MODULE, "accept failed", &[("error", &e)]);
                    tokio::time::sleep(ACCEPT_RETRY_DELAY).await;
                    continue;
                }
            };
            match &tls {
                None => {
                    if sender.send(Ok(stream)).await.is_err() {
                        break;
                    }
                }
                Some(acceptor) => {
                    tokio::spawn(handshake(acceptor.clone(), stream, sender.clone()));
                }
            }
        }
        // The listener (and the unix socket file) goes with this task.
        drop(listener);
    });
    ReceiverStream::new(receiver)
}

async fn handshake(
    acceptor: TlsAcceptor,
    stream: PluginStream,
    sender: mpsc::Sender<io::Result<PluginStream>>,
) {
    match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
        Ok(Ok(tls)) => {
            // The server may already be gone; the connection then just closes.
            let _ = sender.send(Ok(PluginStream::new(tls))).await;
        }
        Ok(Err(e)) => logging::warn(MODULE, "TLS handshake refused", &[("error", &e)]),
        Err(_) => logging::warn(MODULE, "TLS handshake timed out", &[]),
    }
}
