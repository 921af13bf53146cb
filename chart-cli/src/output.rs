//! Writing files safely: every file is written to a temporary file in its directory and renamed
//! into place, and a batch of files is renamed only once all of them were written, so an error
//! never leaves a half-written or partly updated output behind.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// Files to write together.
#[derive(Debug, Default)]
pub struct FileBatch {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl FileBatch {
    /// Appends `data` to the pending contents of `path` (creating it if `append` is false).
    pub fn write(&mut self, path: PathBuf, data: &[u8], append: bool) {
        let entry = self.files.entry(path).or_default();
        if !append {
            entry.clear();
        }
        entry.extend_from_slice(data);
    }

    /// Writes every file: all temporary files first, then all renames.
    pub fn commit(self) -> Result<()> {
        let mut staged = Vec::new();
        for (path, data) in &self.files {
            let dir = path.parent().unwrap_or_else(|| Path::new("."));
            fs::create_dir_all(dir)
                .with_context(|| format!("cannot create directory {}", dir.display()))?;
            let mut tmp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
            tmp.write_all(data)
                .with_context(|| format!("cannot write {}", path.display()))?;
            staged.push((tmp, path.clone()));
        }
        for (tmp, path) in staged {
            tmp.persist(&path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    }
}

/// Writes one file atomically.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    let mut batch = FileBatch::default();
    batch.write(path.to_path_buf(), data, false);
    batch.commit()
}
