//! `helm package`: a chart directory written as a `.tgz` archive laid out byte for byte as
//! Helm 4 lays it out.
//!
//! * The tar stream is what Go's `archive/tar` writes for Helm's headers: one regular entry
//!   per file (no directory entries), mode `0644`, uid/gid 0, empty user and group names, the
//!   modification time rounded to the second; USTAR when the name fits (split into prefix and
//!   name if needed), otherwise a PAX `path` record (`<dir>/PaxHeaders.0/<file>`) before the
//!   entry; two zero blocks at the end and no padding to a record size.
//! * Entry order: `Chart.yaml` (re-serialised, see [`super::serialize`]), `Chart.lock`
//!   (apiVersion v2, re-serialised), `values.yaml` (raw), `values.schema.json`, the
//!   templates, the other files, then each subchart the same way under `charts/<name>/`
//!   (a subchart kept as a `.tgz` is written unpacked, as Helm does). Helm writes sibling
//!   subcharts in Go map order, which changes from run to run; here they come sorted by
//!   their entry under `charts/`.
//! * Times (Helm 4): each file's own modification time (an archived subchart's entry times);
//!   `Chart.lock` takes its `generated` time, or the current time when it has none. [`PackageOptions::mtime`]
//!   replaces them all (`SOURCE_DATE_EPOCH`), which Helm does not offer.
//! * gzip: Helm's header (`FEXTRA` with Helm's extra bytes, the comment `Helm`, mtime 0,
//!   OS 255). The compressed bytes are deflate at the default level, which is not Go's
//!   compressor, so only the header and the tar stream match Helm exactly.
//!
//! [`package_dir`] does the whole `helm package DIR` in memory; writing the file is the
//! caller's (atomically, by preference).

use std::io::Write as _;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use super::archive::{self, ArchiveError};
use super::loader::{BufferedFile, LoadError, go_io_error, load_files, read_dir_files};
use super::serialize::{archived_chart_yaml, generated_unix, lock_yaml};
use super::{Chart, Dependency, MissingDependencies};

/// Helm's gzip `Extra` field.
pub const GZIP_EXTRA: &[u8] = b"+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=";
/// Helm's gzip comment.
pub const GZIP_COMMENT: &[u8] = b"Helm";

/// Options of [`package_dir`].
#[derive(Clone, Debug, Default)]
pub struct PackageOptions {
    /// `--version`: replaces `version` in the root `Chart.yaml`.
    pub version: Option<String>,
    /// `--app-version`: replaces `appVersion` in the root `Chart.yaml`.
    pub app_version: Option<String>,
    /// Every entry's modification time (Unix seconds) instead of the files' own times:
    /// `SOURCE_DATE_EPOCH`, for archives that do not depend on the checkout.
    pub mtime: Option<i64>,
    /// Leave out the check that every dependency of `Chart.yaml` is under `charts/` (Helm's
    /// dependency manager saves `file://` dependencies without it).
    pub skip_dependency_check: bool,
}

/// A packaged chart.
#[derive(Clone, Debug)]
pub struct Package {
    /// The chart as loaded (with the `--version`/`--app-version` overrides applied).
    pub chart: Chart,
    /// `<name>-<version>.tgz`.
    pub file_name: String,
    /// The `.tgz` bytes.
    pub bytes: Vec<u8>,
}

/// Why a chart could not be packaged. `Display` gives Helm's message.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// The chart did not load.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The version (given or from `Chart.yaml`) is not a semantic version.
    #[error("invalid semantic version")]
    InvalidSemVer,
    /// A dependency of `Chart.yaml` has no chart under `charts/`.
    #[error(transparent)]
    MissingDependencies(#[from] MissingDependencies),
    /// `values.schema.json` is not JSON.
    #[error("failed to save: invalid JSON in values.schema.json")]
    InvalidSchema,
    /// An archived subchart could not be read again.
    #[error("{0}")]
    Archive(#[from] ArchiveError),
    /// `Chart.yaml` or `Chart.lock` could not be serialised.
    #[error("{0}")]
    Yaml(String),
}

/// A file of a chart source with its modification time (Unix seconds, rounded).
#[derive(Clone, Debug)]
struct SourceFile {
    name: String,
    data: Vec<u8>,
    mtime: i64,
}

/// Packages the chart directory `dir` as `helm package` does: loads it (`.helmignore`
/// applied), applies the overrides, checks the version and the dependencies, and builds the
/// archive.
pub fn package_dir(dir: &Path, opts: &PackageOptions) -> Result<Package, PackageError> {
    let chart_yaml_path = dir.join("Chart.yaml");
    let chart_yaml_data =
        std::fs::read(&chart_yaml_path).map_err(|e| LoadError::UnableToDetect {
            path: chart_yaml_path.display().to_string(),
            reason: go_io_error("open", &chart_yaml_path, &e),
        })?;
    // Helm's loader picks the chart API by `apiVersion` before loading.
    match super::metadata::api_version(&chart_yaml_data)
        .map_err(LoadError::ChartYaml)?
        .as_str()
    {
        "v1" | "v2" | "" => {}
        "v3" => return Err(LoadError::InvalidApiVersion.into()),
        _ => return Err(LoadError::UnsupportedVersion.into()),
    }
    let (files, times) = read_dir_files(dir)?;
    let now = unix_now();
    let sources: Vec<SourceFile> = files
        .into_iter()
        .zip(times)
        .map(|(f, t)| SourceFile {
            name: f.name,
            data: f.data,
            mtime: t.map_or(now, round_system_time),
        })
        .collect();
    let mut chart = load_files(buffered(&sources))?;
    if let Some(v) = &opts.version {
        chart.metadata.version = v.clone();
    }
    if crate::semver::Version::parse(&chart.metadata.version).is_err() {
        return Err(PackageError::InvalidSemVer);
    }
    if let Some(v) = &opts.app_version {
        chart.metadata.app_version = v.clone();
    }
    if !opts.skip_dependency_check
        && (chart.metadata.dependencies_declared || !chart.metadata.dependencies.is_empty())
    {
        chart.check_dependencies()?;
    }
    let mut tar = TarWriter::default();
    write_chart(&mut tar, &chart, &sources, "", opts.mtime, now)?;
    let bytes = gzip(&tar.finish());
    let file_name = format!("{}-{}.tgz", chart.metadata.name, chart.metadata.version);
    Ok(Package {
        chart,
        file_name,
        bytes,
    })
}

fn buffered(sources: &[SourceFile]) -> Vec<BufferedFile> {
    sources
        .iter()
        .map(|s| BufferedFile {
            name: s.name.clone(),
            data: s.data.clone(),
        })
        .collect()
}

fn unix_now() -> i64 {
    round_system_time(SystemTime::now())
}

/// A time in Unix seconds, rounded to the nearest second (half away from zero) as Go's tar
/// writer rounds `ModTime`.
fn round_system_time(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => {
            let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            if d.subsec_nanos() >= 500_000_000 {
                secs.saturating_add(1)
            } else {
                secs
            }
        }
        Err(e) => {
            let d = e.duration();
            let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            let secs = if d.subsec_nanos() >= 500_000_000 {
                secs.saturating_add(1)
            } else {
                secs
            };
            -secs
        }
    }
}

/// Writes `chart` (whose files, with their times, are `sources`) under `prefix`.
fn write_chart(
    tar: &mut TarWriter,
    chart: &Chart,
    sources: &[SourceFile],
    prefix: &str,
    fixed: Option<i64>,
    now: i64,
) -> Result<(), PackageError> {
    let base = format!("{prefix}{}", chart.metadata.name);
    let time_of = |name: &str| -> i64 {
        fixed.unwrap_or_else(|| {
            sources
                .iter()
                .find(|s| s.name == name)
                .map_or(now, |s| s.mtime)
        })
    };
    let data_of = |name: &str| -> Vec<u8> {
        sources
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.data.clone())
            .unwrap_or_default()
    };
    let text = archived_chart_yaml(&chart.metadata).map_err(|e| PackageError::Yaml(e.0))?;
    tar.append(
        &format!("{base}/Chart.yaml"),
        text.as_bytes(),
        time_of("Chart.yaml"),
    );
    if chart.metadata.api_version == "v2"
        && let Some(lock) = &chart.lock
    {
        let text = lock_yaml(lock).map_err(|e| PackageError::Yaml(e.0))?;
        // Helm 4 stamps the lock with its `generated` time, or the current time without one.
        let mtime = fixed
            .or_else(|| generated_unix(&lock.generated))
            .unwrap_or(now);
        tar.append(&format!("{base}/Chart.lock"), text.as_bytes(), mtime);
    }
    if let Some(values) = &chart.raw_values {
        tar.append(
            &format!("{base}/values.yaml"),
            values,
            time_of("values.yaml"),
        );
    }
    if let Some(schema) = &chart.schema {
        if serde_json::from_slice::<serde::de::IgnoredAny>(schema).is_err() {
            return Err(PackageError::InvalidSchema);
        }
        tar.append(
            &format!("{base}/values.schema.json"),
            schema,
            time_of("values.schema.json"),
        );
    }
    for f in chart.templates.iter().chain(&chart.files) {
        tar.append(&format!("{base}/{}", f.name), &f.data, time_of(&f.name));
    }
    // The subcharts, matched to their entries under `charts/` the way the loader orders them.
    let mut entries: Vec<&str> = Vec::new();
    for s in sources {
        let Some(rest) = s.name.strip_prefix("charts/") else {
            continue;
        };
        if s.name.ends_with(".prov") && !rest.contains('/') {
            continue;
        }
        let entry = rest.split('/').next().unwrap_or_default();
        if !entries.contains(&entry) {
            entries.push(entry);
        }
    }
    entries.sort_unstable();
    entries.retain(|e| !e.starts_with('_') && !e.starts_with('.'));
    let sub_prefix = format!("{base}/charts/");
    for (entry, dep) in entries.iter().zip(&chart.dependencies) {
        let sub_sources: Vec<SourceFile> = if entry.ends_with(".tgz") {
            let bytes = data_of(&format!("charts/{entry}"));
            archive::read_files_with_times(&bytes)?
                .into_iter()
                .map(|(f, mtime)| SourceFile {
                    name: f.name,
                    data: f.data,
                    mtime,
                })
                .collect()
        } else {
            let dir = format!("charts/{entry}/");
            sources
                .iter()
                .filter_map(|s| {
                    Some(SourceFile {
                        name: s.name.strip_prefix(&dir)?.to_string(),
                        data: s.data.clone(),
                        mtime: s.mtime,
                    })
                })
                .collect()
        };
        write_chart(tar, dep, &sub_sources, &sub_prefix, fixed, now)?;
    }
    Ok(())
}

/// A new lock for `locked` (the resolved versions of `requested`): Helm's digest and the
/// current time (UTC) as `generated`.
pub fn new_lock(requested: &[Dependency], locked: Vec<Dependency>) -> super::Lock {
    super::Lock {
        generated: jiff::Timestamp::now().to_string(),
        digest: lock_digest(requested, &locked),
        dependencies: locked,
    }
}

/// Helm's `HashReq`: the `digest` of a lock file, `sha256:` and the hex SHA-256 of the JSON
/// of `[requested, locked]` dependencies (Go's `json.Marshal` of its `Dependency` structs:
/// fields in declaration order, empty `omitempty` fields left out, HTML characters escaped).
pub fn lock_digest(requested: &[Dependency], locked: &[Dependency]) -> String {
    use sha2::Digest as _;
    let json = format!("[{},{}]", deps_json(requested), deps_json(locked));
    let hash = sha2::Sha256::digest(json.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn deps_json(deps: &[Dependency]) -> String {
    let s = |v: &str| crate::json::encode(&crate::value::Value::string(v)).unwrap_or_default();
    let items: Vec<String> = deps
        .iter()
        .map(|d| {
            let mut f = vec![format!("\"name\":{}", s(&d.name))];
            if !d.version.is_empty() {
                f.push(format!("\"version\":{}", s(&d.version)));
            }
            f.push(format!("\"repository\":{}", s(&d.repository)));
            if !d.condition.is_empty() {
                f.push(format!("\"condition\":{}", s(&d.condition)));
            }
            if !d.tags.is_empty() {
                let tags: Vec<String> = d.tags.iter().map(|t| s(t)).collect();
                f.push(format!("\"tags\":[{}]", tags.join(",")));
            }
            if d.enabled {
                f.push("\"enabled\":true".into());
            }
            if !d.import_values.is_empty() {
                let values: Vec<String> = d
                    .import_values
                    .iter()
                    .map(|i| crate::json::encode(&i.to_value()).unwrap_or_default())
                    .collect();
                f.push(format!("\"import-values\":[{}]", values.join(",")));
            }
            if !d.alias.is_empty() {
                f.push(format!("\"alias\":{}", s(&d.alias)));
            }
            format!("{{{}}}", f.join(","))
        })
        .collect();
    if deps.is_empty() {
        "null".into()
    } else {
        format!("[{}]", items.join(","))
    }
}

/// Wraps a tar stream in gzip with Helm's header: `FEXTRA` and `FCOMMENT` set, mtime 0, no
/// extra flags, OS 255, the extra field [`GZIP_EXTRA`] and the comment [`GZIP_COMMENT`].
pub fn gzip(tar: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(tar.len() / 4 + 128);
    out.extend_from_slice(&[0x1f, 0x8b, 0x08, 0x14, 0, 0, 0, 0, 0, 0xff]);
    out.extend_from_slice(&(GZIP_EXTRA.len() as u16).to_le_bytes());
    out.extend_from_slice(GZIP_EXTRA);
    out.extend_from_slice(GZIP_COMMENT);
    out.push(0);
    let mut enc = flate2::write::DeflateEncoder::new(out, flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(tar);
    let mut out = enc.finish().unwrap_or_default();
    let mut crc = flate2::Crc::new();
    crc.update(tar);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(tar.len() as u32).to_le_bytes());
    out
}

/// A tar writer producing exactly what Go's `archive/tar` writes for Helm's headers
/// (`Name`, `Mode: 0644`, `Size`, `ModTime`, format left unspecified).
#[derive(Debug, Default)]
pub struct TarWriter {
    out: Vec<u8>,
}

const BLOCK: usize = 512;
const NAME_SIZE: usize = 100;
const PREFIX_SIZE: usize = 155;
/// The largest time a 12-byte octal field holds.
const MAX_OCTAL_11: i64 = 0o777_7777_7777;

impl TarWriter {
    /// Appends a regular file `name` (`/`-separated) with `data`, mode `0644` and
    /// modification time `mtime` (Unix seconds).
    pub fn append(&mut self, name: &str, data: &[u8], mtime: i64) {
        let mut pax: Vec<(&str, String)> = Vec::new();
        let mut ustar_name = name.to_string();
        let mut ustar_prefix = String::new();
        if name.len() > NAME_SIZE || !name.is_ascii() {
            match split_ustar_path(name) {
                Some((p, n)) => {
                    ustar_prefix = p.to_string();
                    ustar_name = n.to_string();
                }
                None => pax.push(("path", name.to_string())),
            }
        }
        let mtime_fits = (0..=MAX_OCTAL_11).contains(&mtime);
        if !mtime_fits {
            pax.push(("mtime", mtime.to_string()));
        }
        if !pax.is_empty() {
            // Go's writePAXHeader: sorted records, then the extended header file.
            pax.sort_by(|a, b| a.0.cmp(b.0));
            let records: String = pax.iter().map(|(k, v)| pax_record(k, v)).collect();
            let (dir, file) = match name.rfind('/') {
                Some(i) => (&name[..=i], &name[i + 1..]),
                None => ("", name),
            };
            let pax_name = format!("{dir}PaxHeaders.0/{file}");
            self.raw_pax_file(&pax_name, records.as_bytes());
            // The main header: the name made ASCII and cut, no prefix.
            ustar_name = to_ascii(name);
            ustar_prefix.clear();
        }
        let mut h = [0u8; BLOCK];
        put_str(&mut h[0..100], &ustar_name);
        put_octal(&mut h[100..108], 0o644);
        put_octal(&mut h[108..116], 0);
        put_octal(&mut h[116..124], 0);
        put_octal(&mut h[124..136], data.len() as i64);
        put_octal(&mut h[136..148], if mtime_fits { mtime } else { 0 });
        h[156] = b'0';
        put_octal(&mut h[329..337], 0);
        put_octal(&mut h[337..345], 0);
        put_str(&mut h[345..500], &ustar_prefix);
        finish_header(&mut h);
        self.out.extend_from_slice(&h);
        self.body(data);
    }

    /// Go's `writeRawFile` for a PAX extended header.
    fn raw_pax_file(&mut self, name: &str, data: &[u8]) {
        let mut name = to_ascii(name);
        name.truncate(NAME_SIZE);
        let name = name.trim_end_matches('/');
        let mut h = [0u8; BLOCK];
        put_str(&mut h[0..100], name);
        put_octal(&mut h[100..108], 0);
        put_octal(&mut h[108..116], 0);
        put_octal(&mut h[116..124], 0);
        put_octal(&mut h[124..136], data.len() as i64);
        put_octal(&mut h[136..148], 0);
        h[156] = b'x';
        finish_header(&mut h);
        self.out.extend_from_slice(&h);
        self.body(data);
    }

    fn body(&mut self, data: &[u8]) {
        self.out.extend_from_slice(data);
        let pad = (BLOCK - data.len() % BLOCK) % BLOCK;
        self.out.resize(self.out.len() + pad, 0);
    }

    /// The tar stream, ended by two zero blocks.
    pub fn finish(mut self) -> Vec<u8> {
        self.out.resize(self.out.len() + 2 * BLOCK, 0);
        self.out
    }
}

/// Go's `splitUSTARPath`.
fn split_ustar_path(name: &str) -> Option<(&str, &str)> {
    let bytes = name.as_bytes();
    let mut length = bytes.len();
    if length <= NAME_SIZE || !name.is_ascii() {
        return None;
    } else if length > PREFIX_SIZE + 1 {
        length = PREFIX_SIZE + 1;
    } else if bytes[length - 1] == b'/' {
        length -= 1;
    }
    let i = name[..length].rfind('/')?;
    let nlen = name.len() - i - 1;
    if i == 0 || nlen > NAME_SIZE || nlen == 0 || i > PREFIX_SIZE {
        return None;
    }
    Some((&name[..i], &name[i + 1..]))
}

/// Go's `formatPAXRecord`: `<len> <key>=<value>\n`, the length counting itself.
fn pax_record(key: &str, value: &str) -> String {
    let mut size = key.len() + value.len() + 3;
    size += size.to_string().len();
    let mut record = format!("{size} {key}={value}\n");
    if record.len() != size {
        size = record.len();
        record = format!("{size} {key}={value}\n");
    }
    record
}

/// Go's `toASCII`: drops every non-ASCII character.
fn to_ascii(s: &str) -> String {
    s.chars().filter(char::is_ascii).collect()
}

/// Go's `formatString`: copies what fits, NUL-terminates when there is room.
fn put_str(field: &mut [u8], s: &str) {
    let b = s.as_bytes();
    let n = b.len().min(field.len());
    field[..n].copy_from_slice(&b[..n]);
    if n < field.len() {
        field[n] = 0;
    }
}

/// Go's `formatOctal`: zero-padded octal digits and a NUL (0 when the value does not fit).
fn put_octal(field: &mut [u8], x: i64) {
    let digits = field.len() - 1;
    let fits = x >= 0 && (digits >= 22 || x < (1i64 << (3 * digits)));
    let x = if fits { x } else { 0 };
    let s = format!("{x:0digits$o}");
    put_str(field, &s);
}

/// Sets the USTAR magic and version and the checksum (six octal digits, NUL, space).
fn finish_header(h: &mut [u8; BLOCK]) {
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].fill(b' ');
    let sum: i64 = h.iter().map(|&b| i64::from(b)).sum();
    put_octal(&mut h[148..155], sum);
    h[155] = b' ';
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// One parsed header: (name, prefix, mode, uid, gid, size, mtime, type, uname, magic).
    fn headers(tar: &[u8]) -> Vec<(String, String, String, String, u64, u64, u8)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i + BLOCK <= tar.len() {
            let h = &tar[i..i + BLOCK];
            if h.iter().all(|&b| b == 0) {
                break;
            }
            let text = |r: std::ops::Range<usize>| {
                String::from_utf8_lossy(&h[r])
                    .trim_end_matches('\0')
                    .to_string()
            };
            let num = |r: std::ops::Range<usize>| {
                u64::from_str_radix(text(r).trim_end_matches(['\0', ' ']), 8).unwrap()
            };
            let size = num(124..136);
            assert_eq!(&h[257..265], b"ustar\x0000");
            out.push((
                text(0..100),
                text(345..500),
                text(100..108),
                text(265..297),
                size,
                num(136..148),
                h[156],
            ));
            i += BLOCK + size.div_ceil(BLOCK as u64) as usize * BLOCK;
        }
        out
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Read as _;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (name, data) in files {
            let p = dir.join(name);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, data).unwrap();
        }
    }

    fn set_mtime(path: &Path, secs: u64, nanos: u32) {
        let f = fs::File::options().write(true).open(path).unwrap();
        f.set_modified(UNIX_EPOCH + std::time::Duration::new(secs, nanos))
            .unwrap();
    }

    #[test]
    fn lock_digest_matches_helm() {
        let dep = |v: &str| Dependency {
            name: "app".into(),
            version: v.into(),
            repository: "file://../sub".into(),
            ..Default::default()
        };
        // The digest Helm 4.1.4 wrote in Chart.lock for this dependency.
        assert_eq!(
            lock_digest(&[dep(">=1.0.0")], &[dep("1.4.2")]),
            "sha256:c2b816f4ab6a9fe087f6fa94e823ada9ff1eef1b98a3277c258ef5bfe986f884"
        );
    }

    #[test]
    fn header_fields_match_go() {
        let mut w = TarWriter::default();
        w.append("mc/Chart.yaml", b"abc", 1_577_836_801);
        let tar = w.finish();
        assert_eq!(tar.len(), 3 * BLOCK + BLOCK);
        let h = &tar[..BLOCK];
        assert_eq!(&h[100..108], b"0000644\0");
        assert_eq!(&h[108..116], b"0000000\0");
        assert_eq!(&h[124..136], b"00000000003\0");
        assert_eq!(&h[136..148], b"13602760401\0");
        assert_eq!(&h[329..345], b"0000000\x000000000\0");
        // Checksum: six octal digits, NUL, space.
        assert_eq!(h[154], 0);
        assert_eq!(h[155], b' ');
        assert_eq!(&tar[BLOCK..BLOCK + 3], b"abc");
        assert!(tar[BLOCK + 3..].iter().all(|&b| b == 0));
    }

    #[test]
    fn long_and_non_ascii_names_use_pax_or_prefix() {
        let long_base = format!("mc/files/{}.txt", "x".repeat(120));
        let split = format!("{}/b.txt", "d".repeat(120));
        let mut w = TarWriter::default();
        w.append(&long_base, b"long\n", 5);
        w.append("mc/files/ünï.txt", b"u\n", 5);
        w.append(&split, b"s", 5);
        let hs = headers(&w.finish());
        let names: Vec<(&str, &str, u8)> = hs
            .iter()
            .map(|h| (h.0.as_str(), h.1.as_str(), h.6))
            .collect();
        // What Go's archive/tar wrote for Helm (measured with Helm 4.1.4).
        assert_eq!(
            names[0].0,
            &format!("mc/files/PaxHeaders.0/{}", "x".repeat(120))[..100]
        );
        assert_eq!(names[0].2, b'x');
        assert_eq!(hs[0].4, 143);
        assert_eq!(hs[0].2, "0000000");
        assert_eq!(names[1].0, &long_base[..100]);
        assert_eq!(names[2], ("mc/files/PaxHeaders.0/n.txt", "", b'x'));
        assert_eq!(hs[2].4, 27);
        assert_eq!(names[3].0, "mc/files/n.txt");
        assert_eq!(names[4], ("b.txt", &"d".repeat(120)[..], b'0'));
        assert_eq!(pax_record("path", "mc/files/ünï.txt").len(), 27);
    }

    #[test]
    fn gzip_header_is_helms() {
        let gz = gzip(b"hello");
        // Measured from Helm 4.1.4's archives.
        let mut want = vec![0x1f, 0x8b, 0x08, 0x14, 0, 0, 0, 0, 0, 0xff, 41, 0];
        want.extend_from_slice(GZIP_EXTRA);
        want.extend_from_slice(b"Helm\0");
        assert_eq!(&gz[..want.len()], &want[..]);
        assert_eq!(gunzip(&gz), b"hello");
    }

    fn sample(dir: &Path) {
        write(
            dir,
            &[
                (
                    "Chart.yaml",
                    "# c\napiVersion: v2\nname: mc\nversion: 1.0.0\nappVersion: \"0001\"\n",
                ),
                ("values.yaml", "a: 1 # raw\n"),
                ("values.schema.json", "{}"),
                ("README.md", "hi\n"),
                ("notes.txt", "n\n"),
                (".helmignore", "README.md\n"),
                ("templates/sub/b.yaml", "b\n"),
                ("templates/_h.tpl", "h\n"),
                ("templates/a.yaml", "a\n"),
                ("crds/c.yaml", "c\n"),
                (
                    "charts/sub/Chart.yaml",
                    "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
                ),
                ("charts/sub/templates/x.yaml", "x\n"),
            ],
        );
    }

    #[test]
    fn order_ignore_rules_and_times() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("mc");
        sample(&dir);
        set_mtime(&dir.join("Chart.yaml"), 1_577_836_800, 700_000_000);
        set_mtime(&dir.join("values.yaml"), 1_609_459_200, 300_000_000);
        let p = package_dir(&dir, &PackageOptions::default()).unwrap();
        assert_eq!(p.file_name, "mc-1.0.0.tgz");
        let hs = headers(&gunzip(&p.bytes));
        let names: Vec<&str> = hs.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "mc/Chart.yaml",
                "mc/values.yaml",
                "mc/values.schema.json",
                "mc/templates/_h.tpl",
                "mc/templates/a.yaml",
                "mc/templates/sub/b.yaml",
                "mc/.helmignore",
                "mc/crds/c.yaml",
                "mc/notes.txt",
                "mc/charts/sub/Chart.yaml",
                "mc/charts/sub/templates/x.yaml",
            ]
        );
        // Rounded to the nearest second, as Go does.
        assert_eq!(hs[0].5, 1_577_836_801);
        assert_eq!(hs[1].5, 1_609_459_200);
        assert!(hs.iter().all(|h| h.2 == "0000644" && h.3.is_empty()));
    }

    #[test]
    fn source_date_epoch_makes_packages_reproducible() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a/mc");
        let b = tmp.path().join("b/mc");
        sample(&a);
        sample(&b);
        set_mtime(&a.join("values.yaml"), 1_000, 0);
        set_mtime(&b.join("values.yaml"), 2_000, 0);
        let plain_a = package_dir(&a, &PackageOptions::default()).unwrap();
        let plain_b = package_dir(&b, &PackageOptions::default()).unwrap();
        assert_ne!(plain_a.bytes, plain_b.bytes);
        let opts = PackageOptions {
            mtime: Some(1_700_000_000),
            ..Default::default()
        };
        let pa = package_dir(&a, &opts).unwrap();
        let pb = package_dir(&b, &opts).unwrap();
        assert_eq!(pa.bytes, pb.bytes);
        assert!(
            headers(&gunzip(&pa.bytes))
                .iter()
                .all(|h| h.5 == 1_700_000_000)
        );
    }

    #[test]
    fn overrides_and_version_check() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("mc");
        sample(&dir);
        let opts = PackageOptions {
            version: Some("2.0.0-rc.1+b".into()),
            app_version: Some("1.0".into()),
            mtime: Some(0),
            ..Default::default()
        };
        let p = package_dir(&dir, &opts).unwrap();
        assert_eq!(p.file_name, "mc-2.0.0-rc.1+b.tgz");
        let tar = gunzip(&p.bytes);
        let chart_yaml = String::from_utf8_lossy(&tar[BLOCK..BLOCK + 80]).to_string();
        assert!(
            chart_yaml.starts_with(
                "apiVersion: v2\nappVersion: \"1.0\"\nname: mc\nversion: 2.0.0-rc.1+b\n"
            ),
            "{chart_yaml}"
        );
        let bad = PackageOptions {
            version: Some("1.2.x".into()),
            ..Default::default()
        };
        let err = package_dir(&dir, &bad).unwrap_err();
        assert_eq!(err.to_string(), "invalid semantic version");
        let err = package_dir(&tmp.path().join("none"), &PackageOptions::default()).unwrap_err();
        assert!(
            err.to_string().starts_with("unable to detect chart at "),
            "{err}"
        );
    }
}
