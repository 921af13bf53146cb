//! Chart repositories as Helm keeps them: `repositories.yaml` ([`config`]), repository indexes
//! ([`index`]), HTTP access ([`http`]), the content-addressed chart cache and chart references
//! ([`download`]), and Helm's table printer ([`table`]).

pub mod config;
pub mod download;
pub mod http;
pub mod index;
pub mod table;

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};

/// Reads YAML text the way Helm's `sigs.k8s.io/yaml` does (YAML → JSON), as a JSON value.
pub fn yaml_to_json(text: &str) -> Result<serde_json::Value, String> {
    let v = chart_core::yaml::from_yaml(text).map_err(|e| e.to_string())?;
    let j = chart_core::json::encode(&v).map_err(|e| e.to_string())?;
    serde_json::from_str(&j).map_err(|e| e.to_string())
}

/// Writes a JSON value as `sigs.k8s.io/yaml` does (keys sorted, go-yaml v2 style), with the
/// final newline.
pub fn json_to_yaml(v: &serde_json::Value) -> Result<String> {
    let text = serde_json::to_string(v)?;
    let value = chart_core::json::decode(&text).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut yaml = chart_core::yaml::to_yaml(&value).map_err(|e| anyhow::anyhow!("{e}"))?;
    yaml.push('\n');
    Ok(yaml)
}

/// Writes `data` to `path` atomically (temporary file in the same directory, then rename),
/// with the given permission bits, creating the parent directory.
pub fn write_atomic_mode(path: &Path, data: &[u8], mode: u32) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(data)
        .with_context(|| format!("cannot write {}", path.display()))?;
    set_mode(tmp.as_file(), mode).with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(unix)]
fn set_mode(file: &std::fs::File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &std::fs::File, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of `data`, in hex.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha256::digest(data))
}

/// The current time as Go's `time.Now()` marshals in UTC (RFC 3339 with nanoseconds, trailing
/// zeros trimmed).
pub fn now_rfc3339_nano() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = d.as_secs() as i64;
    let nanos = d.subsec_nanos();
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, day) = civil_from_days(days);
    let mut text = format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    );
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        text.push('.');
        text.push_str(frac.trim_end_matches('0'));
    }
    text.push('Z');
    text
}

/// Days since 1970-01-01 to (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn yaml_round_trip_sorts_and_quotes_like_helm() {
        let v = serde_json::json!({"b": "", "a": "2026-01-01T00:00:00Z", "c": false});
        assert_eq!(
            json_to_yaml(&v).expect("yaml"),
            "a: \"2026-01-01T00:00:00Z\"\nb: \"\"\nc: false\n"
        );
    }
}
