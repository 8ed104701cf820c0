//! Reading the small files the configuration names (the CLI profile file, an OIDC token
//! file): regular files only, with a size cap, so that `/dev/zero` or a FIFO fails at once
//! with a clear error instead of eating memory or hanging.

use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// Configuration and token files are a few kilobytes; anything beyond this is not one.
pub const MAX_CONFIG_FILE_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FileError {
    #[error("{} does not exist", .0.display())]
    NotFound(PathBuf),
    #[error("{} is not a regular file (a device, FIFO or directory cannot hold configuration)", .0.display())]
    NotRegular(PathBuf),
    #[error("{} is larger than the {limit} bytes a configuration file may have", .path.display())]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{} is empty", .0.display())]
    Empty(PathBuf),
    #[error("{} is not UTF-8 text", .0.display())]
    NotText(PathBuf),
    #[error("cannot read {}: {reason}", .path.display())]
    Unreadable { path: PathBuf, reason: String },
}

/// Reads `path` as UTF-8 text if it is a regular file of at most `limit` bytes. The check
/// follows symlinks (a link to a regular file is fine) and the read itself is capped too,
/// in case the file grows between the check and the read.
pub fn read_text(path: &Path, limit: u64) -> Result<String, FileError> {
    let owned = || path.to_path_buf();
    let unreadable = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => FileError::NotFound(owned()),
        _ => FileError::Unreadable {
            path: owned(),
            reason: e.to_string(),
        },
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(FileError::NotRegular(owned()));
    }
    if meta.len() > limit {
        return Err(FileError::TooLarge { path: owned(), limit });
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge { path: owned(), limit });
    }
    String::from_utf8(bytes).map_err(|_| FileError::NotText(owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_and_directories_are_refused() {
        for special in ["/dev/zero", "/dev/urandom", "/dev/null"] {
            assert_eq!(
                read_text(Path::new(special), MAX_CONFIG_FILE_BYTES),
                Err(FileError::NotRegular(special.into()))
            );
        }
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_text(dir.path(), MAX_CONFIG_FILE_BYTES),
            Err(FileError::NotRegular(_))
        ));
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        assert!(matches!(
            read_text(&fifo, MAX_CONFIG_FILE_BYTES),
            Err(FileError::NotRegular(_))
        ));
    }

    #[test]
    fn size_cap_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 11]).unwrap();
        assert!(matches!(
            read_text(&big, 10),
            Err(FileError::TooLarge { limit: 10, .. })
        ));
        assert_eq!(read_text(&big, 11).unwrap().len(), 11);
        assert!(matches!(
            read_text(&dir.path().join("none"), 10),
            Err(FileError::NotFound(_))
        ));
    }
}
