//! Chart archives (`.tgz`): reading their files into memory with Helm's safety checks, and
//! unpacking them safely to disk.
//!
//! The checks follow Helm 4's `pkg/chart/loader/archive`: the first path segment of each
//! entry (the chart's directory) is dropped, Windows separators are accepted, an absolute
//! path, a path outside the chart, a `c:/` drive path and a `Chart.yaml` outside the chart
//! directory are refused, a UTF-8 byte order mark is stripped, each file may hold at most
//! 5 MiB and all files together at most 100 MiB.
//!
//! One deliberate difference: Helm reads a symbolic link, a hard link, a device or a FIFO as
//! an empty regular file; this reader refuses them, since a chart never needs one and an
//! unpacked link could point anywhere.

use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// The most bytes all the files of one archive may hold once decompressed (Helm's
/// `MaxDecompressedChartSize`).
pub const MAX_DECOMPRESSED_CHART_SIZE: u64 = 100 * 1024 * 1024;

/// The most bytes one file of a chart may hold (Helm's `MaxDecompressedFileSize`).
pub const MAX_DECOMPRESSED_FILE_SIZE: u64 = 5 * 1024 * 1024;

/// The most bytes of tar stream (headers and padding included) read from the gzip stream.
/// Helm has no such cap; it keeps a stream of empty entries or a huge extended header from
/// exhausting memory, and leaves room for the per-entry overhead of a chart that is just
/// under the data limit.
const MAX_TAR_STREAM_SIZE: u64 = MAX_DECOMPRESSED_CHART_SIZE + 64 * 1024 * 1024;

pub use super::BufferedFile;

/// Why an archive could not be read, with Helm's message where Helm has one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArchiveError {
    /// The data does not start with a gzip header.
    #[error("gzip: invalid header")]
    GzipHeader,
    /// The gzip or tar stream is malformed or truncated (Go's text, e.g. `unexpected EOF`).
    #[error("{0}")]
    Stream(String),
    /// An entry has an absolute path.
    #[error("chart illegally contains absolute paths")]
    AbsolutePath,
    /// An entry names the archive's top directory itself, or sits beside it.
    #[error("chart illegally contains content outside the base directory: {}", super::go_quote(.0))]
    OutsideBase(String),
    /// An entry climbs out of the chart with `..`.
    #[error("chart illegally references parent directory")]
    ParentDirectory,
    /// An entry's path looks like a Windows drive path.
    #[error("chart contains illegally named files")]
    IllegalName,
    /// `Chart.yaml` is at the top of the archive instead of in the chart's directory.
    #[error("chart yaml not in base directory")]
    ChartYamlNotInBase,
    /// All files together exceed [`MAX_DECOMPRESSED_CHART_SIZE`].
    #[error("decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}")]
    TooLarge,
    /// One file exceeds [`MAX_DECOMPRESSED_FILE_SIZE`].
    #[error(
        "decompressed chart file {} is larger than the maximum file size {MAX_DECOMPRESSED_FILE_SIZE}",
        super::go_quote(.0)
    )]
    FileTooLarge(String),
    /// An entry is a link, a device, a FIFO or another kind of non-regular file.
    #[error("chart illegally contains a {kind}: {}", super::go_quote(.name))]
    NotRegular {
        /// The entry's name in the archive.
        name: String,
        /// What it is (`symbolic link`, `hard link`, `device`, `FIFO`, ...).
        kind: &'static str,
    },
    /// The archive holds no file.
    #[error("no files in chart archive")]
    NoFiles,
}

/// Reads every file of a gzipped tar archive into memory, applying Helm's checks.
pub fn read_files(archive: &[u8]) -> Result<Vec<BufferedFile>, ArchiveError> {
    Ok(read_files_with_times(archive)?
        .into_iter()
        .map(|(f, _)| f)
        .collect())
}

/// [`read_files`], with each entry's modification time (Unix seconds), for packaging.
pub(crate) fn read_files_with_times(
    archive: &[u8],
) -> Result<Vec<(BufferedFile, i64)>, ArchiveError> {
    // Go's gzip.NewReader rejects anything that does not start with the gzip magic and the
    // deflate method byte.
    if archive.len() < 10 || archive[..3] != [0x1f, 0x8b, 0x08] {
        if archive.len() >= 3 && archive[..3] == [0x1f, 0x8b, 0x08] {
            return Err(ArchiveError::Stream("unexpected EOF".into()));
        }
        return Err(ArchiveError::GzipHeader);
    }
    let gz = flate2::read::MultiGzDecoder::new(archive);
    let capped = CappedReader {
        inner: gz,
        left: MAX_TAR_STREAM_SIZE,
    };
    let mut tar = tar::Archive::new(capped);
    let entries = tar.entries().map_err(stream_error)?;
    let mut files = Vec::new();
    let mut remaining = MAX_DECOMPRESSED_CHART_SIZE;
    for entry in entries {
        let mut entry = entry.map_err(stream_error)?;
        let header_type = entry.header().entry_type();
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        // Go's FileInfo().IsDir(): a directory entry, or an old-style regular entry whose
        // name ends with a slash.
        let old_dir = header_type == tar::EntryType::Regular
            && entry.header().as_bytes().get(156) == Some(&0)
            && raw_name.ends_with('/');
        if header_type.is_dir() || old_dir {
            continue;
        }
        if header_type.is_pax_global_extensions() || header_type.is_pax_local_extensions() {
            continue;
        }
        let name = entry_path(&raw_name)?;
        if let Some(kind) = irregular_kind(header_type) {
            return Err(ArchiveError::NotRegular {
                name: raw_name,
                kind,
            });
        }
        let size = entry.size();
        if size > remaining {
            return Err(ArchiveError::TooLarge);
        }
        if size > MAX_DECOMPRESSED_FILE_SIZE {
            return Err(ArchiveError::FileTooLarge(raw_name));
        }
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        let read = (&mut entry)
            .take(MAX_DECOMPRESSED_FILE_SIZE + 1)
            .read_to_end(&mut data)
            .map_err(stream_error)?;
        let read = read as u64;
        if read < size {
            return Err(ArchiveError::Stream("unexpected EOF".into()));
        }
        if read > MAX_DECOMPRESSED_FILE_SIZE {
            return Err(ArchiveError::FileTooLarge(raw_name));
        }
        remaining = remaining.saturating_sub(read);
        if let Some(rest) = data.strip_prefix(&[0xEF, 0xBB, 0xBF][..]) {
            data = rest.to_vec();
        }
        let mtime = entry
            .header()
            .mtime()
            .ok()
            .and_then(|t| i64::try_from(t).ok())
            .unwrap_or(0);
        files.push((BufferedFile { name, data }, mtime));
    }
    if files.is_empty() {
        return Err(ArchiveError::NoFiles);
    }
    Ok(files)
}

/// The chart-relative path of an archive entry, or Helm's complaint about it.
fn entry_path(raw: &str) -> Result<String, ArchiveError> {
    // An archive made on Windows may use backslashes.
    let delimiter = if raw.contains('\\') { '\\' } else { '/' };
    let mut parts = raw.split(delimiter);
    let first = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let joined = rest.join("/");
    if joined.starts_with('/') {
        return Err(ArchiveError::AbsolutePath);
    }
    let cleaned = super::clean_path(&joined);
    if cleaned == "." {
        return Err(ArchiveError::OutsideBase(raw.to_string()));
    }
    if cleaned.starts_with("..") {
        return Err(ArchiveError::ParentDirectory);
    }
    let bytes = cleaned.as_bytes();
    if bytes.len() >= 3
        && bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && bytes.get(2) == Some(&b'/')
    {
        return Err(ArchiveError::IllegalName);
    }
    if first == "Chart.yaml" {
        return Err(ArchiveError::ChartYamlNotInBase);
    }
    Ok(cleaned)
}

fn irregular_kind(t: tar::EntryType) -> Option<&'static str> {
    match t {
        tar::EntryType::Regular | tar::EntryType::Continuous => None,
        tar::EntryType::Symlink => Some("symbolic link"),
        tar::EntryType::Link => Some("hard link"),
        tar::EntryType::Char | tar::EntryType::Block => Some("device"),
        tar::EntryType::Fifo => Some("FIFO"),
        tar::EntryType::GNUSparse => Some("sparse file"),
        _ => Some("non-regular file"),
    }
}

fn stream_error(e: io::Error) -> ArchiveError {
    if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<TooLargeMarker>()) {
        let _ = inner;
        return ArchiveError::TooLarge;
    }
    match e.kind() {
        io::ErrorKind::UnexpectedEof => ArchiveError::Stream("unexpected EOF".into()),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            let text = e.to_string();
            if text.contains("checksum") && text.contains("header") {
                ArchiveError::Stream("archive/tar: invalid tar header".into())
            } else if text.contains("corrupt deflate") || text.contains("invalid") {
                ArchiveError::Stream("flate: corrupt input before offset 0".into())
            } else {
                ArchiveError::Stream(text)
            }
        }
        _ => ArchiveError::Stream(e.to_string()),
    }
}

/// The error a [`CappedReader`] returns once its budget is spent.
#[derive(Debug)]
struct TooLargeMarker;

impl std::fmt::Display for TooLargeMarker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("decompressed stream too large")
    }
}

impl std::error::Error for TooLargeMarker {}

/// Fails, rather than ends, once `left` bytes were read: a gzip bomb is an error, not a
/// short archive.
struct CappedReader<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // Probe for one more byte: only data past the budget is an error.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(TooLargeMarker)),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Why [`unpack_to`] could not unpack an archive.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    /// The archive itself is unreadable or unsafe.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// `Chart.yaml` is missing or names no chart (Helm's message).
    #[error("chart name not specified")]
    NoName,
    /// The chart's name cannot be used as a directory name.
    #[error("chart name {} cannot be used as a directory name", super::go_quote(.0))]
    BadName(String),
    /// The target directory already exists.
    #[error("a file or directory with the name {} already exists", super::go_quote(&.0.display().to_string()))]
    Exists(PathBuf),
    /// Writing the files failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: io::Error,
    },
}

/// Unpacks a chart archive into `dest/<chart name>`, the way `helm pull --untar` lays it
/// out, and returns that directory.
///
/// Every entry passes the checks of [`read_files`] first (no absolute path, no `..`, no link
/// or device). The files are written into a fresh temporary directory inside `dest` and
/// renamed into place at the end, so a failure leaves nothing half-written and an existing
/// directory is never touched: if `dest/<chart name>` exists, this fails.
pub fn unpack_to(archive: &[u8], dest: &Path) -> Result<PathBuf, UnpackError> {
    let files = read_files(archive)?;
    let name = files
        .iter()
        .rev()
        .find(|f| f.name == "Chart.yaml")
        .and_then(|f| super::metadata::chart_name(&f.data))
        .filter(|n| !n.is_empty())
        .ok_or(UnpackError::NoName)?;
    if !is_plain_component(&name) {
        return Err(UnpackError::BadName(name));
    }
    let target = dest.join(&name);
    if target.symlink_metadata().is_ok() {
        return Err(UnpackError::Exists(target));
    }
    let temp = dest.join(format!(".{name}.unpack-{:016x}", rand::random::<u64>()));
    std::fs::create_dir(&temp).map_err(|source| UnpackError::Io {
        context: format!("cannot create {}", temp.display()),
        source,
    })?;
    let result = write_tree(&temp, &files).and_then(|()| {
        std::fs::rename(&temp, &target).map_err(|source| UnpackError::Io {
            context: format!("cannot move {} to {}", temp.display(), target.display()),
            source,
        })
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    result.map(|()| target)
}

fn write_tree(root: &Path, files: &[BufferedFile]) -> Result<(), UnpackError> {
    for file in files {
        let rel = Path::new(&file.name);
        // read_files already cleaned every name; refuse anything but plain components all
        // the same, so nothing can land outside `root`.
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(ArchiveError::ParentDirectory.into());
        }
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| UnpackError::Io {
                context: format!("cannot create {}", parent.display()),
                source,
            })?;
        }
        std::fs::write(&path, &file.data).map_err(|source| UnpackError::Io {
            context: format!("cannot write {}", path.display()),
            source,
        })?;
    }
    Ok(())
}

fn is_plain_component(name: &str) -> bool {
    let mut components = Path::new(name).components();
    matches!(components.next(), Some(Component::Normal(_)))
        && components.next().is_none()
        && !name.contains(['/', '\\', '\0'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    enum Kind {
        File(Vec<u8>),
        Dir,
        Symlink(&'static str),
        HardLink(&'static str),
        Char,
        Fifo,
    }

    /// Builds a tar stream by hand, so that entries a well-behaved writer refuses (`..`,
    /// absolute paths) can be written too.
    fn tar_bytes(entries: Vec<(&str, Kind)>) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, kind) in entries {
            let mut header = tar::Header::new_ustar();
            let (ty, data, link) = match kind {
                Kind::File(d) => (tar::EntryType::Regular, d, None),
                Kind::Dir => (tar::EntryType::Directory, Vec::new(), None),
                Kind::Symlink(t) => (tar::EntryType::Symlink, Vec::new(), Some(t)),
                Kind::HardLink(t) => (tar::EntryType::Link, Vec::new(), Some(t)),
                Kind::Char => (tar::EntryType::Char, Vec::new(), None),
                Kind::Fifo => (tar::EntryType::Fifo, Vec::new(), None),
            };
            header.set_entry_type(ty);
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            {
                let bytes = header.as_old_mut();
                let n = name.as_bytes();
                bytes.name[..n.len()].copy_from_slice(n);
                if let Some(l) = link {
                    bytes.linkname[..l.len()].copy_from_slice(l.as_bytes());
                }
            }
            header.set_cksum();
            out.extend_from_slice(header.as_bytes());
            out.extend_from_slice(&data);
            let pad = (512 - data.len() % 512) % 512;
            out.extend(std::iter::repeat_n(0u8, pad));
        }
        out.extend(std::iter::repeat_n(0u8, 1024));
        out
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(data).expect("gzip");
        enc.finish().expect("gzip")
    }

    fn chart_yaml() -> (&'static str, Kind) {
        (
            "x/Chart.yaml",
            Kind::File(b"apiVersion: v2\nname: x\nversion: 0.1.0\n".to_vec()),
        )
    }

    fn read(entries: Vec<(&str, Kind)>) -> Result<Vec<BufferedFile>, ArchiveError> {
        read_files(&gzip(&tar_bytes(entries)))
    }

    #[test]
    fn reads_files_and_strips_prefix_and_bom() {
        let files = read(vec![
            ("x/", Kind::Dir),
            chart_yaml(),
            (
                "x/templates/a.yaml",
                Kind::File(b"\xEF\xBB\xBFa: 1\n".to_vec()),
            ),
        ])
        .expect("read");
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Chart.yaml", "templates/a.yaml"]);
        assert_eq!(files[1].data, b"a: 1\n");
    }

    #[test]
    fn windows_separators() {
        let files = read(vec![
            ("x\\Chart.yaml", Kind::File(b"name: x\n".to_vec())),
            ("x\\templates\\t.yaml", Kind::File(b"a: b\n".to_vec())),
        ])
        .expect("read");
        assert_eq!(files[1].name, "templates/t.yaml");
    }

    /// Each hostile archive and the error Helm 4.1.4 gives for it (`helm show chart`).
    #[test]
    fn hostile_paths_match_helm() {
        let cases: Vec<(Vec<(&str, Kind)>, &str)> = vec![
            (
                vec![chart_yaml(), ("x/../../etc/p", Kind::File(b"x".to_vec()))],
                "chart illegally references parent directory",
            ),
            (
                vec![chart_yaml(), ("x//etc/p", Kind::File(b"x".to_vec()))],
                "chart illegally contains absolute paths",
            ),
            (
                vec![chart_yaml(), ("x", Kind::File(b"x".to_vec()))],
                "chart illegally contains content outside the base directory: \"x\"",
            ),
            (
                vec![("Chart.yaml", Kind::File(b"name: x\n".to_vec()))],
                "chart illegally contains content outside the base directory: \"Chart.yaml\"",
            ),
            (
                vec![chart_yaml(), ("x/c:/foo", Kind::File(b"x".to_vec()))],
                "chart contains illegally named files",
            ),
            (
                vec![("Chart.yaml/x", Kind::File(b"x".to_vec()))],
                "chart yaml not in base directory",
            ),
            (vec![], "no files in chart archive"),
        ];
        for (entries, want) in cases {
            let got = read(entries).expect_err("must fail");
            assert_eq!(got.to_string(), want);
        }
    }

    #[test]
    fn links_and_devices_are_refused() {
        let cases: Vec<((&str, Kind), &str)> = vec![
            (
                ("x/link", Kind::Symlink("/etc/passwd")),
                "chart illegally contains a symbolic link: \"x/link\"",
            ),
            (
                ("x/hard", Kind::HardLink("x/Chart.yaml")),
                "chart illegally contains a hard link: \"x/hard\"",
            ),
            (
                ("x/dev", Kind::Char),
                "chart illegally contains a device: \"x/dev\"",
            ),
            (
                ("x/ff", Kind::Fifo),
                "chart illegally contains a FIFO: \"x/ff\"",
            ),
        ];
        for (entry, want) in cases {
            let got = read(vec![chart_yaml(), entry]).expect_err("must fail");
            assert_eq!(got.to_string(), want);
        }
    }

    #[test]
    fn size_limits() {
        let at_limit = vec![b'a'; MAX_DECOMPRESSED_FILE_SIZE as usize];
        assert!(read(vec![chart_yaml(), ("x/big.txt", Kind::File(at_limit))]).is_ok());
        let over = vec![b'a'; MAX_DECOMPRESSED_FILE_SIZE as usize + 1];
        assert_eq!(
            read(vec![chart_yaml(), ("x/big.txt", Kind::File(over))])
                .expect_err("too big")
                .to_string(),
            "decompressed chart file \"x/big.txt\" is larger than the maximum file size 5242880"
        );
        let mut entries = vec![chart_yaml()];
        let names: Vec<String> = (0..21).map(|i| format!("x/f{i:02}")).collect();
        for n in &names {
            entries.push((
                n.as_str(),
                Kind::File(vec![0u8; MAX_DECOMPRESSED_FILE_SIZE as usize]),
            ));
        }
        assert_eq!(
            read(entries).expect_err("total").to_string(),
            "decompressed chart is larger than the maximum size 104857600"
        );
    }

    #[test]
    fn gzip_bomb_is_capped() {
        // A tar stream of empty regular files, far past the cap once decompressed: every
        // entry is a header block, so only the stream cap stops it.
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let mut header = tar::Header::new_ustar();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(0);
        header.as_old_mut().name[..8].copy_from_slice(b"x/a.txtx");
        header.set_cksum();
        let block: Vec<u8> = header.as_bytes().repeat(2048);
        let blocks = (MAX_TAR_STREAM_SIZE as usize) / block.len() + 2;
        for _ in 0..blocks {
            enc.write_all(&block).expect("write");
        }
        let bomb = enc.finish().expect("finish");
        assert!(
            bomb.len() < 2 * 1024 * 1024,
            "the bomb is small: {}",
            bomb.len()
        );
        assert_eq!(read_files(&bomb), Err(ArchiveError::TooLarge));
    }

    #[test]
    fn truncated_and_non_gzip() {
        let good = gzip(&tar_bytes(vec![
            chart_yaml(),
            ("x/big", Kind::File(vec![7u8; 300_000])),
        ]));
        let cut = &good[..good.len() / 2];
        assert_eq!(
            read_files(cut),
            Err(ArchiveError::Stream("unexpected EOF".into()))
        );
        assert_eq!(read_files(b"hello world"), Err(ArchiveError::GzipHeader));
        assert_eq!(read_files(b""), Err(ArchiveError::GzipHeader));
    }

    #[test]
    fn clean_matches_go() {
        for (input, want) in [
            ("", "."),
            ("a/b", "a/b"),
            ("a//b", "a/b"),
            ("a/./b", "a/b"),
            ("a/../b", "b"),
            ("../a", "../a"),
            ("/../a", "/a"),
            ("a/..", "."),
            ("a/b/../../..", ".."),
            ("/", "/"),
        ] {
            assert_eq!(crate::chart::clean_path(input), want, "{input}");
        }
    }

    #[test]
    fn unpack_writes_a_new_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let archive = gzip(&tar_bytes(vec![
            chart_yaml(),
            ("x/templates/a.yaml", Kind::File(b"a: 1\n".to_vec())),
        ]));
        let out = unpack_to(&archive, dir.path()).expect("unpack");
        assert_eq!(out, dir.path().join("x"));
        assert_eq!(
            std::fs::read(out.join("templates/a.yaml")).expect("read"),
            b"a: 1\n"
        );
        // A second unpack refuses to touch the existing directory.
        assert!(matches!(
            unpack_to(&archive, dir.path()),
            Err(UnpackError::Exists(_))
        ));
        // Nothing else was left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn unpack_refuses_hostile_archives() {
        let dir = tempfile::tempdir().expect("tempdir");
        let archive = gzip(&tar_bytes(vec![
            chart_yaml(),
            ("x/../../escape", Kind::File(b"x".to_vec())),
        ]));
        assert!(unpack_to(&archive, dir.path()).is_err());
        let archive = gzip(&tar_bytes(vec![(
            "x/Chart.yaml",
            Kind::File(b"name: ../up\nversion: 1.0.0\n".to_vec()),
        )]));
        assert!(matches!(
            unpack_to(&archive, dir.path()),
            Err(UnpackError::BadName(_))
        ));
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
    }
}
