//! The state file (`--state FILE`): the durable state as JSON, loaded at start and rewritten
//! after every change by write-to-temporary, fsync, rename, so a crash leaves either the old
//! or the new file. Writes are ordered by the store's version; a stale snapshot is skipped.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use tokio::sync::Mutex;

use super::store::{Durable, STATE_FORMAT};

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("cannot read state file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("state file {path} is not valid: {source}")]
    Parse { path: String, source: serde_json::Error },
    #[error("state file {path} has format {found}, expected {STATE_FORMAT}")]
    Format { path: String, found: u32 },
    #[error("cannot write state file {path}: {source}")]
    Write { path: String, source: std::io::Error },
}

#[derive(Debug)]
pub struct Persister {
    path: PathBuf,
    written: Mutex<u64>,
}

impl Persister {
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            written: Mutex::new(0),
        }
    }

    /// The saved state, or `None` when the file does not exist yet.
    pub fn load(&self) -> Result<Option<Durable>, StateError> {
        let shown = self.path.display().to_string();
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(StateError::Read { path: shown, source }),
        };
        let durable: Durable = serde_json::from_str(&text).map_err(|source| StateError::Parse {
            path: shown.clone(),
            source,
        })?;
        if durable.format != STATE_FORMAT {
            return Err(StateError::Format {
                path: shown,
                found: durable.format,
            });
        }
        Ok(Some(durable))
    }

    /// Fails when the file could not be written: its temporary sibling is created, then removed.
    pub fn check_writable(&self) -> Result<(), StateError> {
        let write = |source| StateError::Write {
            path: self.path.display().to_string(),
            source,
        };
        let tmp = temporary(&self.path).map_err(write)?;
        open_private(&tmp).map_err(write)?;
        std::fs::remove_file(&tmp).map_err(write)
    }

    /// Writes the snapshot taken at `version` unless a newer one is already on disk.
    pub async fn save(&self, version: u64, snapshot: Vec<u8>) -> Result<(), StateError> {
        let mut written = self.written.lock().await;
        if version <= *written {
            return Ok(());
        }
        let path = self.path.clone();
        let result = tokio::task::spawn_blocking(move || write_atomically(&path, &snapshot))
            .await
            .unwrap_or_else(|join| Err(std::io::Error::other(join.to_string())));
        result.map_err(|source| StateError::Write {
            path: self.path.display().to_string(),
            source,
        })?;
        *written = version;
        Ok(())
    }
}

/// `.NAME.tmp` next to the state file.
fn temporary(path: &Path) -> std::io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("state path has no file name"))?;
    Ok(path.with_file_name(format!(".{}.tmp", name.to_string_lossy())))
}

/// Owner-only: the file holds invocations' parameter values.
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temporary(path)?;
    let mut file = open_private(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Makes the rename itself durable; not every platform lets a directory be opened.
        if let Ok(dir) = std::fs::File::open(dir) {
            dir.sync_all()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::QuotaCount;

    #[tokio::test]
    async fn round_trip_and_stale_snapshots() {
        let dir = tempfile::tempdir().unwrap();
        let persister = Persister::new(dir.path().join("state.json"));
        assert!(persister.load().unwrap().is_none());
        let mut durable = Durable {
            format: STATE_FORMAT,
            ..Durable::default()
        };
        durable.quota.push(QuotaCount {
            region_id: "r".into(),
            day: "d".into(),
            count: 3,
        });
        persister
            .save(2, serde_json::to_vec(&durable).unwrap())
            .await
            .unwrap();
        persister.save(1, b"stale, never written".to_vec()).await.unwrap();
        assert_eq!(persister.load().unwrap(), Some(durable));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(dir.path().join("state.json"))
                .unwrap()
                .permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn refuses_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(&path, "{").unwrap();
        assert!(matches!(
            Persister::new(path.clone()).load(),
            Err(StateError::Parse { .. })
        ));
        std::fs::write(
            &path,
            r#"{"Format":99,"Commands":[],"Invocations":[],"ClientTokens":[],"Quota":[]}"#,
        )
        .unwrap();
        assert!(matches!(
            Persister::new(path).load(),
            Err(StateError::Format { found: 99, .. })
        ));
    }
}
