//! Where the server listens: a fresh unix socket in the temp dir (go-plugin's choice on
//! Unix; the file is removed when the listener goes) or loopback TCP in Terraform's port range.

use std::io;
use std::path::{Path, PathBuf};

use tokio::net::{TcpListener, UnixListener};

use super::handshake::Address;
use super::stream::PluginStream;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// A socket named `plugin<random>` inside `dir`.
    Unix { dir: PathBuf },
    /// `127.0.0.1`, first free port in `min_port..=max_port`.
    Tcp { min_port: u16, max_port: u16 },
}

#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    #[error("cannot listen on a unix socket in {dir}: {source}")]
    Unix { dir: PathBuf, source: io::Error },
    #[error("no free TCP port on 127.0.0.1 between {min_port} and {max_port}")]
    NoFreePort { min_port: u16, max_port: u16 },
}

/// Removes the socket file when dropped.
#[derive(Debug)]
struct SocketFile(PathBuf);

impl Drop for SocketFile {
    fn drop(&mut self) {
        // Already gone is fine: the exit backstop may have removed it.
        let _ = std::fs::remove_file(&self.0);
    }
}

enum Inner {
    Unix {
        listener: UnixListener,
        /// Held only to remove the socket file when the listener goes.
        _socket_file: SocketFile,
    },
    Tcp(TcpListener),
}

pub struct Listener {
    inner: Inner,
    address: Address,
}

const UNIX_NAME_ATTEMPTS: usize = 16;

impl Listener {
    /// Binds before the handshake is printed (Terraform dials at once). Needs a tokio runtime.
    pub fn bind(transport: &Transport) -> Result<Listener, ListenError> {
        match transport {
            Transport::Unix { dir } => bind_unix(dir),
            Transport::Tcp { min_port, max_port } => bind_tcp(*min_port, *max_port),
        }
    }

    pub fn address(&self) -> &Address {
        &self.address
    }

    pub async fn accept(&self) -> io::Result<PluginStream> {
        match &self.inner {
            Inner::Unix { listener, .. } => Ok(PluginStream::new(listener.accept().await?.0)),
            Inner::Tcp(listener) => {
                let (stream, _) = listener.accept().await?;
                // gRPC frames are small and latency-bound.
                stream.set_nodelay(true)?;
                Ok(PluginStream::new(stream))
            }
        }
    }
}

fn bind_unix(dir: &Path) -> Result<Listener, ListenError> {
    let mut last_error = io::Error::from(io::ErrorKind::AddrInUse);
    for _ in 0..UNIX_NAME_ATTEMPTS {
        let path = dir.join(format!("plugin{}", rand::random::<u32>()));
        match UnixListener::bind(&path) {
            Ok(listener) => {
                let address = Address::Unix(path.to_string_lossy().into_owned());
                return Ok(Listener {
                    inner: Inner::Unix {
                        listener,
                        _socket_file: SocketFile(path),
                    },
                    address,
                });
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last_error = e,
            Err(source) => {
                return Err(ListenError::Unix {
                    dir: dir.to_path_buf(),
                    source,
                })
            }
        }
    }
    Err(ListenError::Unix {
        dir: dir.to_path_buf(),
        source: last_error,
    })
}

fn bind_tcp(min_port: u16, max_port: u16) -> Result<Listener, ListenError> {
    for port in min_port..=max_port {
        let Ok(std_listener) = std::net::TcpListener::bind(("127.0.0.1", port)) else {
            continue;
        };
        let tokio_listener = std_listener
            .set_nonblocking(true)
            .and_then(|()| TcpListener::from_std(std_listener));
        if let Ok(listener) = tokio_listener {
            if let Ok(addr) = listener.local_addr() {
                return Ok(Listener {
                    inner: Inner::Tcp(listener),
                    address: Address::Tcp(addr),
                });
            }
        }
    }
    Err(ListenError::NoFreePort { min_port, max_port })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn unix_socket_lives_in_dir_and_is_removed_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let listener = Listener::bind(&Transport::Unix {
            dir: dir.path().to_path_buf(),
        })
        .unwrap();
        let Address::Unix(path) = listener.address().clone() else {
            panic!("not a unix address")
        };
        let path = PathBuf::from(path);
        assert_eq!(path.parent(), Some(dir.path()));
        assert!(path.file_name().unwrap().to_string_lossy().starts_with("plugin"));
        assert!(path.exists());
        drop(listener);
        assert!(!path.exists());
    }

    #[tokio::test]
    async fn tcp_skips_busy_ports_and_stays_in_range() {
        let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = busy.local_addr().unwrap().port();
        let Some(max_port) = port.checked_add(20) else {
            return;
        };
        let listener = Listener::bind(&Transport::Tcp {
            min_port: port,
            max_port,
        })
        .unwrap();
        let Address::Tcp(addr) = listener.address().clone() else {
            panic!("not a tcp address")
        };
        assert!(addr.ip().is_loopback());
        assert!(addr.port() > port && addr.port() <= max_port);
    }

    #[tokio::test]
    async fn tcp_reports_an_exhausted_range() {
        let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = busy.local_addr().unwrap().port();
        let err = Listener::bind(&Transport::Tcp {
            min_port: port,
            max_port: port,
        })
        .err()
        .unwrap();
        assert!(matches!(err, ListenError::NoFreePort { .. }));
    }
}
