//! Loading a chart from a directory, a `.tgz` file or archive bytes, as Helm 4 does.
//!
//! Helm 4 first reads `apiVersion` from `Chart.yaml` to pick a loader (`v1`, `v2` or none
//! go to the chart v2 loader; `v3` charts are experimental and `helm template` refuses them;
//! anything else is `unsupported chart version`), then gathers the files and sorts them
//! into the chart (`LoadFiles`):
//!
//! * `Chart.yaml` is decoded first, whatever its position; a missing `apiVersion` means `v1`;
//! * `Chart.lock`, `requirements.lock` (the last one read wins) and `requirements.yaml`
//!   (decoded over the metadata, so its `dependencies` replace Chart.yaml's) are parsed;
//!   the `requirements.*` files stay visible in `.Files` only for apiVersion v1 charts;
//! * `values.yaml` is parsed, `values.schema.json` kept;
//! * `templates/**` are templates, `charts/*.prov` (any depth) stay in `.Files`, other
//!   `charts/<entry>/...` files form the subcharts, and the rest are `.Files`;
//! * the metadata is validated, then each `charts/` entry not starting with `_` or `.` is
//!   loaded as a subchart: a `.tgz` archive or a directory.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::ignore::{HELM_IGNORE, IgnoreError, Rules};
use super::metadata::{self, ValidationError};
use super::{Chart, ChartFile, Metadata};
use crate::value::Map;
use crate::yaml;

#[cfg(feature = "archive")]
use super::archive::{self, ArchiveError, MAX_DECOMPRESSED_FILE_SIZE};

#[cfg(not(feature = "archive"))]
const MAX_DECOMPRESSED_FILE_SIZE: u64 = 5 * 1024 * 1024;

/// A file read from an archive or a directory, before the chart is assembled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BufferedFile {
    /// The path relative to the chart root, `/`-separated.
    pub name: String,
    /// The contents, without a leading UTF-8 byte order mark.
    pub data: Vec<u8>,
}

/// Why a chart could not be loaded. `Display` gives Helm's message.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file system operation failed (`stat chart: no such file or directory`).
    #[error("{0}")]
    Io(String),
    /// The directory has no readable `Chart.yaml`.
    #[error("unable to detect chart at {path}: {reason}")]
    UnableToDetect {
        /// The path of `Chart.yaml`, as given.
        path: String,
        /// Go's error (`open chart/Chart.yaml: no such file or directory`).
        reason: String,
    },
    /// `Chart.yaml` does not parse or does not fit `Metadata`.
    #[error("cannot load Chart.yaml: {0}")]
    ChartYaml(String),
    /// Another typed file (`Chart.lock`, `requirements.yaml`, `requirements.lock`) failed.
    #[error("cannot load {file}: {message}")]
    File {
        /// The file name.
        file: &'static str,
        /// The Go error text.
        message: String,
    },
    /// `values.yaml` does not parse.
    #[error("cannot load values.yaml: {0}")]
    Values(String),
    /// No `Chart.yaml` among the files.
    #[error("Chart.yaml file is missing")]
    MissingChartYaml,
    /// `Metadata.Validate` failed.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// An experimental chart v3, which Helm 4.1 cannot render.
    #[error("invalid chart apiVersion")]
    InvalidApiVersion,
    /// An `apiVersion` other than v1, v2 and v3.
    #[error("unsupported chart version")]
    UnsupportedVersion,
    /// An archive holds no `Chart.yaml`.
    #[error("unable to detect chart version, no Chart.yaml found")]
    NoChartYaml,
    /// A subchart under `charts/` failed to load.
    #[error("error unpacking subchart {name} in {parent}: {source}")]
    Subchart {
        /// The entry under `charts/`.
        name: String,
        /// The parent chart's name.
        parent: String,
        /// What went wrong.
        source: Box<LoadError>,
    },
    /// `charts/x.tgz` held more than the archive itself.
    #[error("error unpacking subchart tar in {parent}: expected {expected}, got {got}")]
    SubchartTar {
        /// The parent chart's name.
        parent: String,
        /// The archive's name.
        expected: String,
        /// The file found instead.
        got: String,
    },
    /// `.helmignore` has a bad rule.
    #[error(transparent)]
    Ignore(#[from] IgnoreError),
    /// A file of a chart directory is larger than 5 MiB.
    #[error("chart file {} is larger than the maximum file size {MAX_DECOMPRESSED_FILE_SIZE}", super::go_quote(.0))]
    FileTooLarge(String),
    /// A chart directory holds a device, socket or FIFO.
    #[error("cannot load irregular file {0} as it has file mode type bits set")]
    Irregular(String),
    /// A symbolic link of a chart directory cannot be followed.
    #[error("error evaluating symlink {path}: {reason}")]
    Symlink {
        /// The link.
        path: String,
        /// Why (`too many levels of symbolic links` for a loop).
        reason: String,
    },
    /// A subchart archive is unsafe or malformed (Helm's bare message).
    #[cfg(feature = "archive")]
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A `.tgz` file given to [`load`] could not be read.
    #[cfg(feature = "archive")]
    #[error("unable to load chart archive: {0}")]
    ArchiveFile(ArchiveError),
    /// Archive bytes given to [`load_archive`] are not gzip.
    #[error("stream does not appear to be a valid chart file (details: gzip: invalid header)")]
    InvalidStream,
    /// A file given to [`load`] is gzip-looking but its header is bad.
    #[error("file '{0}' does not appear to be a valid chart file (details: gzip: invalid header)")]
    InvalidChartFile(String),
    /// A file given to [`load`] is not a gzip archive at all.
    #[error("file '{name}' does not appear to be a gzipped archive; got '{content_type}'")]
    NotGzip {
        /// The path as given.
        name: String,
        /// What Go's content sniffing thinks it is.
        content_type: &'static str,
    },
    /// A `.yaml` file was given where a chart was expected.
    #[error("file '{0}' seems to be a YAML file, but expected a gzipped archive")]
    YamlNotArchive(String),
}

/// Loads the chart at `path`: a chart directory or a `.tgz` archive.
///
/// Error messages are Helm 4.1.4's: `unable to detect chart at chart/Chart.yaml: open
/// chart/Chart.yaml: no such file or directory`, `validation: chart.metadata.name is
/// required`, `cannot load values.yaml: ...`. For an archive file whose content is unsafe,
/// Helm says only `unable to load chart archive`; the reason is appended here.
pub fn load(path: impl AsRef<Path>) -> Result<Chart, LoadError> {
    let path = path.as_ref();
    let meta = std::fs::metadata(path).map_err(|e| LoadError::Io(go_io_error("stat", path, &e)))?;
    if meta.is_dir() {
        load_dir_detecting(path)
    } else {
        load_file(path)
    }
}

/// Loads a chart from the bytes of a `.tgz` archive (Helm's `loader.LoadArchive`).
#[cfg(feature = "archive")]
pub fn load_archive(bytes: &[u8]) -> Result<Chart, LoadError> {
    let files = archive::read_files(bytes).map_err(|e| match e {
        ArchiveError::GzipHeader => LoadError::InvalidStream,
        other => LoadError::ArchiveFile(other),
    })?;
    dispatch_files(files)
}

#[cfg(feature = "archive")]
fn dispatch_files(files: Vec<BufferedFile>) -> Result<Chart, LoadError> {
    let Some(chart_yaml) = files.iter().find(|f| f.name == "Chart.yaml") else {
        return Err(LoadError::NoChartYaml);
    };
    match metadata::api_version(&chart_yaml.data)
        .map_err(LoadError::ChartYaml)?
        .as_str()
    {
        "v1" | "v2" | "" => load_files(files),
        "v3" => Err(LoadError::InvalidApiVersion),
        _ => Err(LoadError::UnsupportedVersion),
    }
}

#[cfg(feature = "archive")]
fn load_file(path: &Path) -> Result<Chart, LoadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| LoadError::Io(go_io_error("open", path, &e)))?;
    ensure_archive(&name, &bytes)?;
    let files = archive::read_files(&bytes).map_err(|e| match e {
        ArchiveError::GzipHeader => LoadError::InvalidChartFile(name.clone()),
        other => LoadError::ArchiveFile(other),
    })?;
    dispatch_files(files)
}

#[cfg(not(feature = "archive"))]
fn load_file(path: &Path) -> Result<Chart, LoadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| LoadError::Io(go_io_error("open", path, &e)))?;
    ensure_archive(&name, &bytes)?;
    Err(LoadError::Io(format!(
        "cannot load {name}: built without the archive feature"
    )))
}

/// Helm's `EnsureArchive`: a friendlier error when the file is not gzip at all.
fn ensure_archive(name: &str, bytes: &[u8]) -> Result<(), LoadError> {
    if bytes.starts_with(&[0x1f, 0x8b, 0x08]) {
        return Ok(());
    }
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        return Err(LoadError::YamlNotArchive(name.to_string()));
    }
    Err(LoadError::NotGzip {
        name: name.to_string(),
        content_type: sniff_content_type(bytes),
    })
}

/// A reduced `http.DetectContentType` over the 512-byte buffer Helm reads (zero-padded when
/// the file is shorter, which makes any short file binary).
fn sniff_content_type(bytes: &[u8]) -> &'static str {
    let mut buf = [0u8; 512];
    let n = bytes.len().min(512);
    buf[..n].copy_from_slice(&bytes[..n]);
    let data = &buf[..];
    if data.starts_with(b"PK\x03\x04") {
        return "application/zip";
    }
    if data.starts_with(b"%PDF-") {
        return "application/pdf";
    }
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        return "image/png";
    }
    let binary = data.iter().any(|&b| {
        b <= 0x08 || b == 0x0B || (0x0E..=0x1A).contains(&b) || (0x1C..=0x1F).contains(&b)
    });
    if binary {
        "application/octet-stream"
    } else {
        "text/plain; charset=utf-8"
    }
}

fn load_dir_detecting(dir: &Path) -> Result<Chart, LoadError> {
    let chart_yaml = go_join(dir, "Chart.yaml");
    let data = std::fs::read(&chart_yaml).map_err(|e| LoadError::UnableToDetect {
        path: chart_yaml.clone(),
        reason: go_io_error("open", Path::new(&chart_yaml), &e),
    })?;
    match metadata::api_version(&data)
        .map_err(LoadError::ChartYaml)?
        .as_str()
    {
        "v1" | "v2" | "" => load_dir(dir),
        "v3" => Err(LoadError::InvalidApiVersion),
        _ => Err(LoadError::UnsupportedVersion),
    }
}

/// Loads a chart directory with the chart v2 loader: `.helmignore` applied, symbolic links
/// followed, files of more than 5 MiB refused.
pub fn load_dir(dir: &Path) -> Result<Chart, LoadError> {
    let (files, _) = walk_dir(dir, false)?;
    load_files(files)
}

/// Reads the files of a chart directory as [`load_dir`] does (`.helmignore` applied, walk in
/// byte order), with each file's modification time, for packaging.
pub(crate) fn read_dir_files(
    dir: &Path,
) -> Result<(Vec<BufferedFile>, Vec<Option<std::time::SystemTime>>), LoadError> {
    walk_dir(dir, true)
}

/// The walk behind [`load_dir`] and [`read_dir_files`]; modification times only on request
/// (they cost a `stat` per file).
fn walk_dir(
    dir: &Path,
    want_mtimes: bool,
) -> Result<(Vec<BufferedFile>, Vec<Option<std::time::SystemTime>>), LoadError> {
    let top = std::path::absolute(dir).map_err(|e| LoadError::Io(e.to_string()))?;
    let ignore_file = top.join(HELM_IGNORE);
    let mut rules = if std::fs::metadata(&ignore_file).is_ok() {
        let text = std::fs::read(&ignore_file)
            .map_err(|e| LoadError::Io(go_io_error("open", &ignore_file, &e)))?;
        Rules::parse(&String::from_utf8_lossy(&text))?
    } else {
        Rules::empty()
    };
    rules.add_defaults();
    let walker = Walker { rules, want_mtimes };
    let mut stack = Vec::new();
    if let Ok(canonical) = std::fs::canonicalize(&top) {
        stack.push(canonical);
    }
    let mut walked = Walked::default();
    walker.walk(&top, "", &mut stack, &mut walked)?;
    Ok((walked.files, walked.mtimes))
}

struct Walker {
    rules: Rules,
    want_mtimes: bool,
}

/// What a walk has read so far, in walk order.
#[derive(Default)]
struct Walked {
    files: Vec<BufferedFile>,
    /// The modification time of each of `files` (`None` when not asked for).
    mtimes: Vec<Option<std::time::SystemTime>>,
}

/// How many entries of the top `charts/` directory make walking them on several threads
/// worthwhile.
const PARALLEL_WALK_ENTRIES: usize = 8;

impl Walker {
    /// Walks `dir` (`rel` from the chart root) in byte order. `stack` holds the real paths
    /// of the directories being walked, to stop at a symlink loop (Helm recurses until the
    /// stack overflows).
    fn walk(
        &self,
        dir: &Path,
        rel: &str,
        stack: &mut Vec<PathBuf>,
        out: &mut Walked,
    ) -> Result<(), LoadError> {
        let mut entries: Vec<(std::ffi::OsString, io::Result<std::fs::FileType>)> =
            std::fs::read_dir(dir)
                .map_err(|e| LoadError::Io(go_io_error("open", dir, &e)))?
                .map(|entry| entry.map(|e| (e.file_name(), e.file_type())))
                .collect::<Result<_, _>>()
                .map_err(|e| LoadError::Io(go_io_error("readdirent", dir, &e)))?;
        // Go's sort.Strings: byte order, which is how OsStr compares on Unix.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        if rel == "charts" && entries.len() >= PARALLEL_WALK_ENTRIES {
            // An umbrella's subcharts: walked on several threads, joined in walk order; the
            // first error in that order is the one a sequential walk would stop at.
            let walked = crate::parallel::map(entries, true, |(name, file_type)| {
                let mut part = Walked::default();
                let mut stack = stack.clone();
                self.entry(dir, rel, &name, file_type, &mut stack, &mut part)
                    .map(|()| part)
            });
            for part in walked {
                let part = part?;
                out.files.extend(part.files);
                out.mtimes.extend(part.mtimes);
            }
            return Ok(());
        }
        for (name, file_type) in entries {
            self.entry(dir, rel, &name, file_type, stack, out)?;
        }
        Ok(())
    }

    /// One entry of a directory: a subdirectory is walked, a file read. The directory
    /// listing's file type saves a `stat` for everything but links (and for the times).
    fn entry(
        &self,
        dir: &Path,
        rel: &str,
        name: &std::ffi::OsStr,
        file_type: io::Result<std::fs::FileType>,
        stack: &mut Vec<PathBuf>,
        out: &mut Walked,
    ) -> Result<(), LoadError> {
        let path = dir.join(name);
        let name = name.to_string_lossy();
        let rel_name = if rel.is_empty() {
            name.to_string()
        } else {
            format!("{rel}/{name}")
        };
        let lstat = |p: &Path| {
            std::fs::symlink_metadata(p).map_err(|e| LoadError::Io(go_io_error("lstat", p, &e)))
        };
        let file_type = file_type.map_err(|e| LoadError::Io(go_io_error("lstat", &path, &e)))?;
        let is_symlink = file_type.is_symlink();
        // A link is followed to what it points at; anything else is what the listing says.
        let target: Option<std::fs::Metadata> = if is_symlink {
            let resolved = std::fs::canonicalize(&path).map_err(|e| LoadError::Symlink {
                path: path.display().to_string(),
                reason: go_io_error("lstat", &path, &e),
            })?;
            Some(lstat(&resolved)?)
        } else {
            None
        };
        let is_dir = target.as_ref().map_or(file_type.is_dir(), |m| m.is_dir());
        if is_dir {
            if self.rules.ignore(&rel_name, true) {
                return Ok(());
            }
            // A plain directory's real path is its parent's plus its name; only links
            // need resolving.
            let real = match stack.last() {
                Some(parent) if !is_symlink => parent.join(name.as_ref()),
                _ => std::fs::canonicalize(&path)
                    .map_err(|e| LoadError::Io(go_io_error("lstat", &path, &e)))?,
            };
            if stack.contains(&real) {
                return Err(LoadError::Symlink {
                    path: path.display().to_string(),
                    reason: "too many levels of symbolic links".into(),
                });
            }
            stack.push(real);
            let walked = self.walk(&path, &rel_name, stack, out);
            stack.pop();
            return walked;
        }
        if self.rules.ignore(&rel_name, false) {
            return Ok(());
        }
        let is_file = target.as_ref().map_or(file_type.is_file(), |m| m.is_file());
        if !is_file {
            return Err(LoadError::Irregular(path.display().to_string()));
        }
        let meta = match target {
            Some(m) => Some(m),
            None if self.want_mtimes => Some(lstat(&path)?),
            None => None,
        };
        let read_error = |e: io::Error| {
            LoadError::Io(format!(
                "error reading {rel_name}: {}",
                go_io_error("read", &path, &e)
            ))
        };
        let mut data =
            read_capped(&path, meta.as_ref().map_or(0, |m| m.len())).map_err(read_error)?;
        // The read stops one byte past the limit, so the size is checked here, with or
        // without a `stat`.
        if data.len() as u64 > MAX_DECOMPRESSED_FILE_SIZE {
            return Err(LoadError::FileTooLarge(name.to_string()));
        }
        if data.starts_with(&[0xEF, 0xBB, 0xBF]) {
            data.drain(..3);
        }
        out.mtimes.push(meta.and_then(|m| m.modified().ok()));
        out.files.push(BufferedFile {
            name: rel_name,
            data,
        });
        Ok(())
    }
}

/// Reads a file to its end, or to one byte past the size limit (enough to refuse it), without
/// asking its size: through a per-thread buffer into a vector of exactly the bytes read
/// (most chart files take one read and a second that finds the end). The buffer is zeroed
/// once per thread, not once per file.
fn read_capped(path: &Path, size_hint: u64) -> io::Result<Vec<u8>> {
    use std::io::Read as _;
    thread_local! {
        static CHUNK: std::cell::RefCell<Box<[u8]>> =
            std::cell::RefCell::new(vec![0u8; 32 * 1024].into_boxed_slice());
    }
    let mut file = std::fs::File::open(path)?.take(MAX_DECOMPRESSED_FILE_SIZE + 1);
    let mut data = Vec::with_capacity(usize::try_from(size_hint).unwrap_or(0));
    CHUNK.with_borrow_mut(|chunk| {
        loop {
            match file.read(chunk) {
                Ok(0) => return Ok(data),
                Ok(n) => data.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    })
}

/// Assembles a chart from its files (Helm's chart v2 `LoadFiles`).
pub fn load_files(files: Vec<BufferedFile>) -> Result<Chart, LoadError> {
    let mut chart = Chart::default();
    let mut metadata: Option<Metadata> = None;
    // Chart.yaml first, wherever it is in the list.
    for f in files.iter().filter(|f| f.name == "Chart.yaml") {
        let md = metadata.get_or_insert_with(Metadata::default);
        metadata::decode_metadata_into(md, &f.data).map_err(LoadError::ChartYaml)?;
        if md.api_version.is_empty() {
            md.api_version = "v1".into();
        }
    }
    let mut subcharts: Vec<(String, Vec<BufferedFile>)> = Vec::new();
    let mut values_set = false;
    for f in files {
        let name = f.name.as_str();
        match name {
            "Chart.yaml" => {}
            "Chart.lock" | "requirements.lock" => {
                let file = if name == "Chart.lock" {
                    "Chart.lock"
                } else {
                    "requirements.lock"
                };
                chart.lock = metadata::decode_lock(&f.data)
                    .map_err(|message| LoadError::File { file, message })?;
                if file == "requirements.lock" {
                    let md = metadata.get_or_insert_with(Metadata::default);
                    if md.api_version == "v1" {
                        chart.files.push(chart_file(f));
                    }
                }
            }
            "values.yaml" => {
                let text = match std::str::from_utf8(&f.data) {
                    Ok(s) => std::borrow::Cow::Borrowed(s),
                    Err(_) => String::from_utf8_lossy(&f.data),
                };
                let values: Map = yaml::load_values(&text).map_err(|e| LoadError::Values(e.0))?;
                chart.values = values;
                chart.raw_values = Some(Arc::from(f.data.as_slice()));
                values_set = true;
            }
            "values.schema.json" => chart.schema = Some(Arc::from(f.data.as_slice())),
            "requirements.yaml" => {
                let md = metadata.get_or_insert_with(Metadata::default);
                metadata::decode_metadata_into(md, &f.data).map_err(|message| LoadError::File {
                    file: "requirements.yaml",
                    message,
                })?;
                if md.api_version == "v1" {
                    chart.files.push(chart_file(f));
                }
            }
            _ if name.starts_with("templates/") => chart.templates.push(chart_file(f)),
            _ if name.starts_with("charts/") => {
                if go_ext(name) == ".prov" {
                    chart.files.push(chart_file(f));
                    continue;
                }
                let rest = &name["charts/".len()..];
                let entry = rest.split('/').next().unwrap_or_default().to_string();
                let sub = BufferedFile {
                    name: rest.to_string(),
                    data: f.data,
                };
                match subcharts.iter_mut().find(|(n, _)| *n == entry) {
                    Some((_, list)) => list.push(sub),
                    None => subcharts.push((entry, vec![sub])),
                }
            }
            _ => chart.files.push(chart_file(f)),
        }
    }
    if !values_set {
        chart.values = Map::new();
    }
    let Some(mut metadata) = metadata else {
        return Err(LoadError::MissingChartYaml);
    };
    metadata.validate()?;
    chart.metadata = metadata;

    // Helm walks its map of subcharts in random order; sorting makes the result stable.
    subcharts.sort_by(|a, b| a.0.cmp(&b.0));
    subcharts.retain(|(entry, _)| !(entry.starts_with('_') || entry.starts_with('.')));
    // Subcharts load independently; the first error in name order wins, as in a loop.
    let bytes: usize = subcharts
        .iter()
        .flat_map(|(_, files)| files.iter().map(|f| f.data.len()))
        .sum();
    let parent = chart.metadata.name.clone();
    let loaded = crate::parallel::map(subcharts, bytes >= PARALLEL_LOAD_BYTES, |(entry, files)| {
        load_subchart(&parent, entry, files)
    });
    for sub in loaded {
        if let Some(sub) = sub? {
            chart.dependencies.push(sub);
        }
    }
    Ok(chart)
}

/// How many bytes of subcharts make loading them on several threads worthwhile.
const PARALLEL_LOAD_BYTES: usize = 64 * 1024;

/// Loads the subchart in `charts/<entry>` (a directory's files or one archive) of `parent`.
fn load_subchart(
    parent: &str,
    entry: String,
    files: Vec<BufferedFile>,
) -> Result<Option<Chart>, LoadError> {
    let wrap = |source: LoadError| LoadError::Subchart {
        name: entry.clone(),
        parent: parent.to_string(),
        source: Box::new(source),
    };
    let sub = if go_ext(&entry) == ".tgz" {
        let Some(file) = files.first() else {
            return Ok(None);
        };
        if file.name != entry {
            return Err(LoadError::SubchartTar {
                parent: parent.to_string(),
                expected: entry.clone(),
                got: file.name.clone(),
            });
        }
        load_subchart_archive(&file.data).map_err(wrap)?
    } else {
        let inner: Vec<BufferedFile> = files
            .into_iter()
            .filter_map(|f| {
                let (_, rest) = f.name.split_once('/')?;
                Some(BufferedFile {
                    name: rest.to_string(),
                    data: f.data,
                })
            })
            .collect();
        load_files(inner).map_err(wrap)?
    };
    Ok(Some(sub))
}

#[cfg(feature = "archive")]
fn load_subchart_archive(data: &[u8]) -> Result<Chart, LoadError> {
    let files = archive::read_files(data)?;
    load_files(files)
}

#[cfg(not(feature = "archive"))]
fn load_subchart_archive(_data: &[u8]) -> Result<Chart, LoadError> {
    Err(LoadError::Io(
        "cannot load a chart archive: built without the archive feature".into(),
    ))
}

fn chart_file(f: BufferedFile) -> ChartFile {
    ChartFile {
        name: f.name,
        data: Arc::from(f.data),
    }
}

/// Go's `filepath.Ext`: the suffix from the last `.` of the last element.
fn go_ext(path: &str) -> &str {
    let base_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[base_start..].rfind('.') {
        Some(i) => &path[base_start + i..],
        None => "",
    }
}

/// Go's `filepath.Join(dir, name)` as text (cleaned).
fn go_join(dir: &Path, name: &str) -> String {
    let joined = format!("{}/{name}", dir.display());
    super::clean_path(&joined)
}

/// An `*os.PathError` as Go prints it: `open chart/Chart.yaml: no such file or directory`.
pub(crate) fn go_io_error(op: &str, path: &Path, err: &io::Error) -> String {
    format!("{op} {}: {}", path.display(), errno_text(err))
}

/// The text Go prints for an OS error: the C library's message in lower case.
fn errno_text(err: &io::Error) -> String {
    let text = err.to_string();
    let text = match text.find(" (os error") {
        Some(i) => &text[..i],
        None => text.as_str(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;
    use std::io::Write;

    fn conformance(case: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../testdata/conformance/render")
            .join(case)
            .join("chart")
    }

    fn write<N: AsRef<str>, T: AsRef<str>>(dir: &Path, files: &[(N, T)]) {
        for (name, text) in files {
            let path = dir.join(name.as_ref());
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text.as_ref()).expect("write");
        }
    }

    /// An umbrella chart `p` with `count` subcharts `charts/sNN/`, each with its `Chart.yaml`
    /// and the file `extra(NN)` gives (path inside the subchart, text).
    fn umbrella_files(
        count: usize,
        extra: impl Fn(usize) -> (String, String),
    ) -> Vec<(String, String)> {
        let mut files = vec![(
            "Chart.yaml".to_string(),
            "apiVersion: v2\nname: p\nversion: 0.1.0\n".to_string(),
        )];
        for i in 0..count {
            files.push((
                format!("charts/s{i:02}/Chart.yaml"),
                format!("apiVersion: v2\nname: s{i:02}\nversion: 0.1.0\n"),
            ));
            let (path, text) = extra(i);
            files.push((format!("charts/s{i:02}/{path}"), text));
        }
        files
    }

    fn names(files: &[ChartFile]) -> Vec<&str> {
        files.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn render_cases_about_loading() {
        let err = load(conformance("missing-chart-yaml")).expect_err("no Chart.yaml");
        let dir = conformance("missing-chart-yaml");
        assert_eq!(
            err.to_string(),
            format!(
                "unable to detect chart at {0}/Chart.yaml: open {0}/Chart.yaml: no such file or directory",
                super::super::clean_path(&dir.display().to_string())
            )
        );
        assert_eq!(
            load(conformance("missing-chart-name"))
                .expect_err("no name")
                .to_string(),
            "validation: chart.metadata.name is required"
        );
        assert!(
            load(conformance("library-chart-not-installable"))
                .expect("lib")
                .is_library()
        );
        let chart = load(conformance("helmignore-templates")).expect("load");
        assert_eq!(names(&chart.templates), ["templates/a.yaml"]);
        assert_eq!(names(&chart.files), [".helmignore"]);

        let chart = load(conformance("chart-apiversion-v1-requirements")).expect("v1");
        assert_eq!(chart.metadata.api_version, "v1");
        assert_eq!(chart.metadata.dependencies.len(), 1);
        assert_eq!(chart.metadata.dependencies[0].condition, "sub.enabled");
        assert_eq!(names(&chart.files), ["requirements.yaml"]);
        let mut chart = chart;
        crate::values::coalesce::process_dependencies(&mut chart, &Map::new()).expect("deps");
        assert!(
            chart.dependencies.is_empty(),
            "sub.enabled=false removes it"
        );
    }

    #[test]
    fn files_templates_and_subcharts() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            &[
                ("Chart.yaml", "apiVersion: v2\nname: p\nversion: 0.1.0\n"),
                ("values.yaml", "\u{feff}a: 1\n"),
                ("values.schema.json", "{}"),
                ("Chart.lock", "digest: sha256:x\n"),
                ("requirements.yaml", "dependencies: []\n"),
                ("templates/a.yaml", "a"),
                ("templates/.hidden", "h"),
                ("crds/c.yaml", "c"),
                ("crds/notes.txt", "n"),
                ("a/b", "x"),
                ("a.txt", "x"),
                ("charts/b.prov", "p"),
                ("charts/sub/a.prov", "p"),
                (
                    "charts/sub/Chart.yaml",
                    "apiVersion: v2\nname: sub\nversion: 0.2.0\n",
                ),
                ("charts/_skip/Chart.yaml", "broken: ["),
                ("charts/.skip/Chart.yaml", "broken: ["),
            ],
        );
        let chart = load(dir.path()).expect("load");
        assert_eq!(names(&chart.templates), ["templates/a.yaml"]);
        // Directory walk order: `a/b` (inside `a`) before `a.txt`.
        assert_eq!(
            names(&chart.files),
            [
                "a/b",
                "a.txt",
                "charts/b.prov",
                "charts/sub/a.prov",
                "crds/c.yaml",
                "crds/notes.txt"
            ]
        );
        let crds: Vec<&str> = chart.crd_files().map(|f| f.name.as_str()).collect();
        assert_eq!(crds, ["crds/c.yaml"]);
        assert!(
            chart
                .values
                .get("a")
                .is_some_and(|v| v.deep_equal(&crate::Value::Float(1.0)))
        );
        assert!(chart.schema.is_some());
        assert_eq!(
            chart.lock.as_ref().map(|l| l.digest.as_str()),
            Some("sha256:x")
        );
        assert_eq!(chart.dependencies.len(), 1);
        assert_eq!(chart.dependencies[0].name(), "sub");
    }

    #[test]
    fn many_subcharts_load_in_order_and_the_first_error_wins() {
        // Enough bytes to load the subcharts on several threads.
        let dir = tempfile::tempdir().expect("tempdir");
        let padding = format!("# {}\n", "x".repeat(2000));
        let files = umbrella_files(60, |i| {
            ("values.yaml".into(), format!("{padding}num: {i}\n"))
        });
        write(dir.path(), &files);
        let chart = load(dir.path()).expect("load");
        let names: Vec<&str> = chart.dependencies.iter().map(|c| c.name()).collect();
        let expected: Vec<String> = (0..60).map(|i| format!("s{i:02}")).collect();
        assert_eq!(names, expected);
        assert_eq!(
            chart.dependencies[42]
                .values
                .get("num")
                .map(|v| matches!(v, Value::Float(f) if f == 42.0)),
            Some(true)
        );
        write(
            dir.path(),
            &[
                ("charts/s07/values.yaml", "a: [\n"),
                ("charts/s50/Chart.yaml", "name: [\n"),
            ],
        );
        let err = load(dir.path()).expect_err("broken subcharts").to_string();
        assert!(
            err.starts_with("error unpacking subchart s07 in p:"),
            "{err}"
        );
    }

    #[test]
    fn the_walk_follows_links_and_refuses_loops_irregular_and_oversized_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        // Enough subcharts for `charts/` to be walked on several threads.
        let mut files = umbrella_files(12, |i| ("templates/a.yaml".into(), format!("n: {i}\n")));
        files.push((".helmignore".into(), "charts/s03/templates/\n".into()));
        files.push(("shared/b.yaml".into(), "b\n".into()));
        write(root, &files);
        // A link to a file and a link to a directory are read as what they point at.
        std::os::unix::fs::symlink(root.join("shared/b.yaml"), root.join("templates-b.yaml"))
            .expect("file link");
        std::os::unix::fs::symlink(
            root.join("shared"),
            root.join("charts/s05/templates/linked"),
        )
        .expect("dir link");
        let chart = load(root).expect("load");
        assert_eq!(chart.dependencies.len(), 12);
        let names_of = |i: usize| names(&chart.dependencies[i].templates).join(",");
        assert_eq!(names_of(3), "", ".helmignore applies under charts/");
        assert_eq!(names_of(5), "templates/a.yaml,templates/linked/b.yaml");
        assert_eq!(names_of(11), "templates/a.yaml");
        assert!(names(&chart.files).contains(&"templates-b.yaml"));

        // Errors: the first one in walk order wins, even when later entries are walked on
        // another thread.
        let sock_path = root.join("charts/s09/templates/sock");
        let _sock = std::os::unix::net::UnixListener::bind(&sock_path).expect("socket");
        std::os::unix::fs::symlink(
            root.join("charts/s08"),
            root.join("charts/s08/templates/up"),
        )
        .expect("loop link");
        let err = load(root).expect_err("loop").to_string();
        assert!(
            err.starts_with("error evaluating symlink ")
                && err.ends_with("charts/s08/templates/up: too many levels of symbolic links"),
            "{err}"
        );
        std::fs::remove_file(root.join("charts/s08/templates/up")).expect("unlink");
        let err = load(root).expect_err("socket").to_string();
        assert_eq!(
            err,
            format!(
                "cannot load irregular file {} as it has file mode type bits set",
                sock_path.display()
            )
        );
        std::fs::remove_file(&sock_path).expect("unlink");

        // Over 5 MiB: refused, whether the size comes from a `stat` (a link's target) or
        // from reading (a plain file).
        let big = vec![b'#'; 5 * 1024 * 1024 + 1];
        std::fs::write(root.join("shared/big.yaml"), &big).expect("big");
        let err = load(root).expect_err("big via link dir").to_string();
        assert_eq!(
            err,
            "chart file \"big.yaml\" is larger than the maximum file size 5242880"
        );
        std::fs::remove_file(root.join("charts/s05/templates/linked")).expect("unlink");
        let err = load(root).expect_err("big file").to_string();
        assert_eq!(
            err,
            "chart file \"big.yaml\" is larger than the maximum file size 5242880"
        );
        std::fs::write(root.join("shared/big.yaml"), &big[1..]).expect("5 MiB exactly");
        let chart = load(root).expect("5 MiB is allowed");
        assert!(chart.files.iter().any(|f| f.data.len() == 5 * 1024 * 1024));
    }

    #[test]
    fn subchart_errors_are_wrapped() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            &[
                ("Chart.yaml", "apiVersion: v2\nname: p\nversion: 0.1.0\n"),
                ("charts/README.md", "x"),
            ],
        );
        assert_eq!(
            load(dir.path()).expect_err("readme").to_string(),
            "error unpacking subchart README.md in p: Chart.yaml file is missing"
        );
    }

    #[test]
    fn chart_yaml_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cases = [
            (
                "apiVersion: v3\nname: x\nversion: 0.1.0\n",
                "invalid chart apiVersion",
            ),
            (
                "apiVersion: v7\nname: x\nversion: 0.1.0\n",
                "unsupported chart version",
            ),
            (
                "apiVersion: v2\nname: x\nversion: 1.0.0\nfoo: [\n",
                "cannot load Chart.yaml: error converting YAML to JSON: yaml: line 4: did not find expected node content",
            ),
            (
                "apiVersion: v2\nname: x\nversion: 1.0.0\nappVersion: .inf\n",
                "cannot load Chart.yaml: error converting YAML to JSON: json: unsupported value: +Inf",
            ),
        ];
        for (text, want) in cases {
            write(dir.path(), &[("Chart.yaml", text)]);
            assert_eq!(load(dir.path()).expect_err(text).to_string(), want);
        }
        write(
            dir.path(),
            &[
                ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
                ("values.yaml", "a: [\n"),
            ],
        );
        assert_eq!(
            load(dir.path()).expect_err("values").to_string(),
            "cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 1: did not find expected node content"
        );
        write(
            dir.path(),
            &[("values.yaml", "a: 1\n"), (".helmignore", "**/x\n")],
        );
        assert_eq!(
            load(dir.path()).expect_err("ignore").to_string(),
            "double-star (**) syntax is not supported"
        );
        write(dir.path(), &[(".helmignore", "!values.yaml\n")]);
        assert_eq!(
            load(dir.path()).expect_err("negation").to_string(),
            "Chart.yaml file is missing"
        );
        std::fs::remove_file(dir.path().join(".helmignore")).expect("rm");
        std::fs::write(dir.path().join("big.bin"), vec![0u8; 5 * 1024 * 1024 + 1]).expect("big");
        assert_eq!(
            load(dir.path()).expect_err("big").to_string(),
            "chart file \"big.bin\" is larger than the maximum file size 5242880"
        );
    }

    #[cfg(feature = "archive")]
    fn tgz(files: &[(&str, &str)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, text) in files {
            let mut header = tar::Header::new_ustar();
            header.set_size(text.len() as u64);
            header.set_mode(0o644);
            builder
                .append_data(&mut header, name, text.as_bytes())
                .expect("append");
        }
        let tar = builder.into_inner().expect("tar");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&tar).expect("gz");
        gz.finish().expect("gz")
    }

    #[cfg(feature = "archive")]
    #[test]
    fn archives_and_archived_subcharts() {
        let sub = tgz(&[
            (
                "sub/Chart.yaml",
                "apiVersion: v2\nname: sub\nversion: 0.2.0\n",
            ),
            ("sub/values.yaml", "x: 1\n"),
        ]);
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            &[("Chart.yaml", "apiVersion: v2\nname: p\nversion: 0.1.0\n")],
        );
        std::fs::create_dir_all(dir.path().join("charts")).expect("mkdir");
        std::fs::write(dir.path().join("charts/sub-0.2.0.tgz"), &sub).expect("write");
        let chart = load(dir.path()).expect("load");
        assert_eq!(chart.dependencies.len(), 1);
        assert_eq!(chart.dependencies[0].name(), "sub");

        let whole = load_archive(&tgz(&[
            ("p/Chart.yaml", "apiVersion: v2\nname: p\nversion: 0.1.0\n"),
            ("p/templates/t.yaml", "a: b\n"),
        ]))
        .expect("archive");
        assert_eq!(names(&whole.templates), ["templates/t.yaml"]);

        let mut builder = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_ustar();
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_size(0);
        builder
            .append_link(&mut header, "p/link", "/etc/passwd")
            .expect("link");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&builder.into_inner().expect("tar"))
            .expect("gz");
        let bad = gz.finish().expect("gz");
        assert_eq!(
            load_archive(&bad).expect_err("unsafe").to_string(),
            "unable to load chart archive: chart illegally contains a symbolic link: \"p/link\""
        );
        assert_eq!(
            load_archive(b"nope").expect_err("not gzip").to_string(),
            "stream does not appear to be a valid chart file (details: gzip: invalid header)"
        );
        let file = dir.path().join("x.tgz");
        std::fs::write(&file, b"hello world").expect("write");
        assert_eq!(
            load(&file).expect_err("not gzip").to_string(),
            format!(
                "file '{}' does not appear to be a gzipped archive; got 'application/octet-stream'",
                file.display()
            )
        );
        let file = dir.path().join("values.yaml");
        std::fs::write(&file, b"a: 1\n").expect("write");
        assert_eq!(
            load(&file).expect_err("yaml").to_string(),
            format!(
                "file '{}' seems to be a YAML file, but expected a gzipped archive",
                file.display()
            )
        );
        let no_chart = tgz(&[("p/values.yaml", "a: 1\n")]);
        assert_eq!(
            load_archive(&no_chart).expect_err("no chart").to_string(),
            "unable to detect chart version, no Chart.yaml found"
        );
    }

    /// `{{ toJson .Chart }}` of a chart with every field, as Helm 4.1.4 printed it (after
    /// dependency processing), and of a bare subchart.
    #[test]
    fn chart_value_matches_helm() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            &[
                (
                    "Chart.yaml",
                    "apiVersion: v2\nname: m\nversion: 0.1.0\nappVersion: 1.10\nkubeVersion: \">=1.0.0\"\ndescription: \"d\\te\"\nhome: h\nicon: i\nsources: [a, b]\nkeywords: [k]\nmaintainers:\n- name: n1\n  email: e\n- name: n2\n  url: u\nannotations:\n  x: \"1\"\n  y: 2\ndeprecated: false\ncondition: c\ntags: t\ntype: application\ndependencies:\n- name: s\n  version: \">=0\"\n  repository: file://x\n  condition: s.enabled\n  tags: [a]\n  import-values: [foo, {child: a, parent: b}]\n  alias: \"\"\n",
                ),
                (
                    "charts/s/Chart.yaml",
                    "apiVersion: v2\nname: s\nversion: 0.2.0\n",
                ),
            ],
        );
        let mut chart = load(dir.path()).expect("load");
        crate::values::coalesce::process_dependencies(&mut chart, &Map::new()).expect("deps");
        let root = crate::json::encode(&chart.chart_value(true)).expect("json");
        assert_eq!(
            root,
            r#"{"APIVersion":"v2","Annotations":{"true":"2","x":"1"},"AppVersion":"1.1","Condition":"c","Dependencies":[{"Alias":"","Condition":"s.enabled","Enabled":true,"ImportValues":[{"child":"exports.foo","parent":"."},{"child":"a","parent":"b"}],"Name":"s","Repository":"file://x","Tags":["a"],"Version":"\u003e=0"}],"Deprecated":false,"Description":"d e","Home":"h","Icon":"i","IsRoot":true,"Keywords":["k"],"KubeVersion":"\u003e=1.0.0","Maintainers":[{"Email":"e","Name":"n1","URL":""},{"Email":"","Name":"n2","URL":"u"}],"Name":"m","Sources":["a","b"],"Tags":"t","Type":"application","Version":"0.1.0"}"#
        );
        let sub = crate::json::encode(&chart.dependencies[0].chart_value(false)).expect("json");
        assert_eq!(
            sub,
            r#"{"APIVersion":"v2","Annotations":null,"AppVersion":"","Condition":"","Dependencies":[],"Deprecated":false,"Description":"","Home":"","Icon":"","IsRoot":false,"Keywords":[],"KubeVersion":"","Maintainers":[],"Name":"s","Sources":[],"Tags":"","Type":"","Version":"0.2.0"}"#
        );
    }
}
