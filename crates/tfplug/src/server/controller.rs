//! go-plugin's side services: `GRPCController/Shutdown` (Terraform closing the provider)
//! and `GRPCStdio/StreamStdio` (held open, silent, until shutdown so the client's reader
//! sees a clean end).

use std::pin::Pin;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::Stream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use super::proto::plugin::grpc_controller_server::GrpcController;
use super::proto::plugin::grpc_stdio_server::GrpcStdio;
use super::proto::plugin::{Empty, StdioData};
use crate::logging;

const MODULE: &str = "tfplug.server";

pub struct Controller {
    shutdown: CancellationToken,
}

impl Controller {
    pub fn new(shutdown: CancellationToken) -> Self {
        Controller { shutdown }
    }
}

#[tonic::async_trait]
impl GrpcController for Controller {
    /// Answers, then stops the server: the graceful drain still delivers this reply.
    async fn shutdown(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        logging::debug(MODULE, "shutdown requested", &[]);
        self.shutdown.cancel();
        Ok(Response::new(Empty {}))
    }
}

pub struct Stdio {
    shutdown: CancellationToken,
}

impl Stdio {
    pub fn new(shutdown: CancellationToken) -> Self {
        Stdio { shutdown }
    }
}

type StdioStream = Pin<Box<dyn Stream<Item = Result<StdioData, Status>> + Send>>;

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = StdioStream;

    /// Nothing is forwarded (logs go to stderr, which Terraform reads directly); the stream
    /// ends at shutdown or when the client goes away.
    async fn stream_stdio(&self, _request: Request<()>) -> Result<Response<StdioStream>, Status> {
        let (sender, receiver) = mpsc::channel::<Result<StdioData, Status>>(1);
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = shutdown.cancelled() => {}
                () = sender.closed() => {}
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(receiver))))
    }
}
