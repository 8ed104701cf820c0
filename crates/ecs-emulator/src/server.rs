//! The HTTP/1.1 server (hyper 1): accepts connections, disconnects clients slow to send their
//! headers, reads each request body (bounded), sends `/_emulator/` paths to the admin
//! endpoints, `/latest/` to the metadata service, STS calls (by `Version`) to STS and
//! everything else to the RPC pipeline, and closes the connection when a fault says so.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use super::admin;
use super::errors::ApiError;
use super::identity::{metadata, sts};
use super::log;
use super::request::RpcRequest;
use super::response;
use super::service::{Emulator, Reply};

/// Larger bodies are refused; real RPC requests are a few kilobytes.
const MAX_BODY: usize = 1 << 20;

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by fault injection")]
struct Dropped;

/// Serves until `shutdown` completes; connections already open finish on their own. A client
/// that takes longer than `header_read_timeout` to send its request headers is disconnected.
pub async fn serve(
    listener: TcpListener,
    emulator: Arc<Emulator>,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            () = &mut shutdown => return,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    log::line(format_args!("accept failed: {e}"));
                    continue;
                }
            },
        };
        let emulator = Arc::clone(&emulator);
        tokio::spawn(async move {
            let service = service_fn(move |req| answer(Arc::clone(&emulator), req));
            // Errors here are clients going away or injected drops; nothing to report.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(emulator: Arc<Emulator>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(_) => {
            let error = ApiError::InvalidParameter("Body");
            return Ok(json(
                error.status(),
                response::error(&response::request_id(), "", &error),
            ));
        }
    };
    let path = parts.uri.path();
    if path.starts_with(admin::PREFIX) {
        let (status, body) = admin::handle(&emulator, parts.method.as_str(), path, &body).await;
        return Ok(json(status, body));
    }
    if path.starts_with(metadata::PREFIX) {
        let (status, body) = metadata::handle(&emulator, parts.method.as_str(), path, &parts.headers);
        return Ok(json(status, body));
    }
    let query = parts.uri.query().unwrap_or_default();
    let request = RpcRequest::new(parts.method.as_str(), path, query, parts.headers, body);
    if sts::is_sts(&request) {
        let (status, body) = sts::handle(&emulator, &request);
        return Ok(json(status, body));
    }
    match emulator.handle_rpc(request).await {
        Reply::Answer { status, body } => Ok(json(status, body)),
        Reply::Drop => Err(Dropped),
    }
}

fn json(status: u16, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json;charset=utf-8"),
    );
    response
}
