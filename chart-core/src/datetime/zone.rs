//! Go's `*time.Location`: UTC, fixed offsets, and zones read from TZif files the way Go's
//! `time` package reads them (`LoadLocation`, the `TZ` variable for `time.Local`).
//!
//! Go reads the system zoneinfo files itself (Helm links no embedded tzdata), picks the zone in
//! effect at an instant by binary search over the transitions, uses the file's POSIX footer past
//! the last transition, and before the first transition uses the "first zone" heuristic of
//! `lookupFirstZone`. This module mirrors that; only the footer rule is evaluated by `jiff`.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, LazyLock, OnceLock};

use parking_lot::Mutex;

/// Seconds in 400 Gregorian years: the calendar (and so every POSIX rule) repeats after it.
const SECONDS_PER_400_YEARS: i64 = 146_097 * 86_400;

/// The directories Go's `LoadLocation` searches on Unix, in order.
const PLATFORM_ZONE_SOURCES: &[&str] = &[
    "/usr/share/zoneinfo/",
    "/usr/share/lib/zoneinfo/",
    "/usr/lib/locale/TZ/",
    "/etc/zoneinfo",
];

/// A Go time zone location. Cloning shares the zone data.
#[derive(Clone)]
pub struct Location(Arc<LocationData>);

struct LocationData {
    /// What `Location.String()` prints: `UTC`, `Local`, `Asia/Tokyo`, or a fixed zone's name.
    name: String,
    /// Whether this is Go's `time.UTC` (times in it format their zone as `UTC`).
    utc: bool,
    zones: Vec<Zone>,
    transitions: Vec<Transition>,
    /// The TZif footer, evaluated past the last transition.
    extend: Option<jiff::tz::TimeZone>,
}

/// One local time type of a zone file.
#[derive(Clone, Debug)]
struct Zone {
    name: String,
    offset: i32,
    is_dst: bool,
}

#[derive(Clone, Copy, Debug)]
struct Transition {
    when: i64,
    zone: usize,
}

/// The zone in effect at an instant, as Go's `Location.lookup` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneInfo {
    /// The abbreviation (`JST`, `EDT`, `+09`); empty for an unnamed fixed zone.
    pub name: String,
    /// Seconds east of UTC.
    pub offset: i32,
    /// Whether daylight saving time is in effect.
    pub is_dst: bool,
}

/// Why a location could not be loaded. Sprig swallows these and falls back to UTC.
#[derive(Debug, thiserror::Error)]
pub enum LocationError {
    /// The name is not a valid location name (`..`, a leading slash).
    #[error("time: invalid location name")]
    InvalidName,
    /// No zone file of that name exists.
    #[error("unknown time zone {0}")]
    Unknown(String),
    /// The file is not valid TZif data.
    #[error("malformed time zone information")]
    BadData,
}

impl Location {
    /// Go's `time.UTC`.
    pub fn utc() -> Location {
        static UTC: LazyLock<Location> = LazyLock::new(|| Location::from_data("UTC", true));
        UTC.clone()
    }

    /// Go's `time.FixedZone(name, offset)`: always `offset` seconds east of UTC, called `name`.
    pub fn fixed(name: &str, offset: i32) -> Location {
        Location(Arc::new(LocationData {
            name: name.to_string(),
            utc: false,
            zones: vec![Zone {
                name: name.to_string(),
                offset,
                is_dst: false,
            }],
            transitions: vec![Transition {
                when: i64::MIN,
                zone: 0,
            }],
            extend: None,
        }))
    }

    /// Go's `time.Local` for this process: decided once from the `TZ` environment variable.
    pub fn local() -> Location {
        static LOCAL: OnceLock<Location> = OnceLock::new();
        LOCAL
            .get_or_init(|| {
                // Set but not UTF-8 still counts as set, as for Go.
                let tz = std::env::var_os("TZ").map(|v| v.to_string_lossy().into_owned());
                Location::local_from_tz(tz.as_deref())
            })
            .clone()
    }

    /// `time.Local` as Go's `initLocal` derives it from the value of `TZ` (`None` when unset):
    /// unset reads `/etc/localtime` (named `Local`), empty or `UTC` means UTC, `:name` and
    /// `name` read the zone file (an absolute path directly), and any failure falls back to UTC.
    pub fn local_from_tz(tz: Option<&str>) -> Location {
        let loaded = match tz {
            None => load_file(Path::new("/etc/localtime"), "Local"),
            Some(tz) => {
                let tz = tz.strip_prefix(':').unwrap_or(tz);
                if tz.starts_with('/') {
                    let name = if tz == "/etc/localtime" { "Local" } else { tz };
                    load_file(Path::new(tz), name)
                } else if !tz.is_empty() && tz != "UTC" {
                    load_from_sources(tz, PLATFORM_ZONE_SOURCES)
                } else {
                    Err(LocationError::InvalidName)
                }
            }
        };
        loaded.unwrap_or_else(|_| Location::from_data("UTC", false))
    }

    /// Go's `time.LoadLocation(name)`, with `local` standing for `time.Local`. Zone files are
    /// looked up under `$ZONEINFO` (a directory) first, then the platform directories; names
    /// are case-sensitive, as file names are.
    pub fn load(name: &str, local: &Location) -> Result<Location, LocationError> {
        if name.is_empty() || name == "UTC" {
            return Ok(Location::utc());
        }
        if name == "Local" {
            return Ok(local.clone());
        }
        if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
            return Err(LocationError::InvalidName);
        }
        // Loaded zones never change during a run; Go rereads the file each time, we keep it.
        static CACHE: LazyLock<Mutex<HashMap<String, Location>>> = LazyLock::new(Default::default);
        if let Some(hit) = CACHE.lock().get(name) {
            return Ok(hit.clone());
        }
        let mut first_error = None;
        if let Some(dir) = std::env::var_os("ZONEINFO").filter(|d| !d.is_empty()) {
            match load_file(&Path::new(&dir).join(name), name) {
                Ok(location) => return Ok(remember(&CACHE, name, location)),
                Err(LocationError::Unknown(_)) => {}
                Err(e) => first_error = Some(e),
            }
        }
        match load_from_sources(name, PLATFORM_ZONE_SOURCES) {
            Ok(location) => Ok(remember(&CACHE, name, location)),
            Err(e) => Err(first_error.unwrap_or(e)),
        }
    }

    /// Go's `LoadLocationFromTZData(name, data)`.
    pub fn from_tzif(name: &str, data: &[u8]) -> Result<Location, LocationError> {
        parse_tzif(name, data).ok_or(LocationError::BadData)
    }

    fn from_data(name: &str, utc: bool) -> Location {
        Location(Arc::new(LocationData {
            name: name.to_string(),
            utc,
            zones: Vec::new(),
            transitions: Vec::new(),
            extend: None,
        }))
    }

    /// The location's name, as `Location.String()` returns it.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// Whether this is Go's `time.UTC` itself.
    pub fn is_utc(&self) -> bool {
        self.0.utc
    }

    /// Whether both handles are the same Go location (pointer identity).
    pub fn same(&self, other: &Location) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The zone in effect at Unix second `sec` (Go's `Location.lookup`).
    pub fn lookup(&self, sec: i64) -> ZoneInfo {
        self.lookup_bounds(sec).0
    }

    /// The zone in effect at `sec`, with the first second it applies from and the first
    /// second it no longer does (`i64::MIN` / `i64::MAX` for unbounded).
    fn lookup_bounds(&self, sec: i64) -> (ZoneInfo, i64, i64) {
        let data = &self.0;
        let info = |zone: &Zone| ZoneInfo {
            name: zone.name.clone(),
            offset: zone.offset,
            is_dst: zone.is_dst,
        };
        if data.utc || data.zones.is_empty() {
            return (
                ZoneInfo {
                    name: "UTC".into(),
                    offset: 0,
                    is_dst: false,
                },
                i64::MIN,
                i64::MAX,
            );
        }
        let first_when = data.transitions.first().map(|t| t.when);
        if first_when.is_none_or(|when| sec < when) {
            let zone = data.zones.get(self.first_zone()).unwrap_or(&data.zones[0]);
            return (info(zone), i64::MIN, first_when.unwrap_or(i64::MAX));
        }
        // The last transition at or before `sec`.
        let index = data
            .transitions
            .partition_point(|t| t.when <= sec)
            .saturating_sub(1);
        let Some(transition) = data.transitions.get(index) else {
            return (info(&data.zones[0]), i64::MIN, i64::MAX);
        };
        let end = data.transitions.get(index + 1).map_or(i64::MAX, |t| t.when);
        let zone = data.zones.get(transition.zone).unwrap_or(&data.zones[0]);
        if index + 1 == data.transitions.len()
            && let Some(rule) = &data.extend
        {
            return (posix_lookup(rule, sec), transition.when, i64::MAX);
        }
        (info(zone), transition.when, end)
    }

    /// Go's `lookupFirstZone`: the zone for instants before the first transition.
    fn first_zone(&self) -> usize {
        let data = &self.0;
        if !data.transitions.iter().any(|t| t.zone == 0) {
            return 0;
        }
        if let Some(first) = data.transitions.first()
            && data.zones.get(first.zone).is_some_and(|z| z.is_dst)
            && let Some(i) = (0..first.zone).rev().find(|&i| !data.zones[i].is_dst)
        {
            return i;
        }
        data.zones.iter().position(|z| !z.is_dst).unwrap_or(0)
    }

    /// Go's `Location.lookupName`: the offset of the zone abbreviated `name` around Unix second
    /// `unix` (preferring a zone of that name actually in effect then).
    pub fn lookup_name(&self, name: &str, unix: i64) -> Option<i32> {
        let zones = &self.0.zones;
        for zone in zones.iter().filter(|z| z.name == name) {
            let found = self.lookup(unix.wrapping_sub(i64::from(zone.offset)));
            if found.name == zone.name {
                return Some(found.offset);
            }
        }
        zones.iter().find(|z| z.name == name).map(|z| z.offset)
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Location({:?})", self.0.name)
    }
}

fn remember(cache: &Mutex<HashMap<String, Location>>, name: &str, location: Location) -> Location {
    cache.lock().insert(name.to_string(), location.clone());
    location
}

/// Go's `loadLocation`: the first source holding a valid zone file of that name.
fn load_from_sources(name: &str, sources: &[&str]) -> Result<Location, LocationError> {
    let mut first_error = None;
    for source in sources {
        match load_file(&Path::new(source).join(name), name) {
            Ok(location) => return Ok(location),
            Err(LocationError::Unknown(_)) => {}
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| LocationError::Unknown(name.to_string())))
}

fn load_file(path: &Path, name: &str) -> Result<Location, LocationError> {
    let data = std::fs::read(path).map_err(|_| LocationError::Unknown(name.to_string()))?;
    Location::from_tzif(name, &data)
}

/// The zone a POSIX TZ rule gives at `sec`. Rules repeat every 400 years, so instants
/// beyond what `jiff` represents are moved by whole cycles first.
fn posix_lookup(rule: &jiff::tz::TimeZone, sec: i64) -> ZoneInfo {
    // jiff covers roughly years -9999..=9999; keep well inside that.
    const LIMIT: i64 = 200_000_000_000;
    let mut shifted = sec;
    if !(-LIMIT..=LIMIT).contains(&shifted) {
        shifted = shifted.rem_euclid(SECONDS_PER_400_YEARS);
    }
    let timestamp = jiff::Timestamp::from_second(shifted).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let info = rule.to_offset_info(timestamp);
    ZoneInfo {
        name: info.abbreviation().to_string(),
        offset: info.offset().seconds(),
        is_dst: info.dst().is_dst(),
    }
}

/// A cursor over TZif bytes.
struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.data.len() {
            return None;
        }
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        Some(head)
    }

    fn big_endian(&mut self, n: usize) -> Option<u64> {
        Some(
            self.take(n)?
                .iter()
                .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
        )
    }

    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.big_endian(4)?).ok()
    }
}

/// The six counts of a TZif header, in file order.
struct Counts {
    is_ut: usize,
    is_std: usize,
    leap: usize,
    time: usize,
    types: usize,
    chars: usize,
}

impl Counts {
    fn read(r: &mut Reader<'_>) -> Option<Counts> {
        Some(Counts {
            is_ut: r.count()?,
            is_std: r.count()?,
            leap: r.count()?,
            time: r.count()?,
            types: r.count()?,
            chars: r.count()?,
        })
    }

    /// The size of the data block that follows the header, for `time_size`-byte times.
    fn data_len(&self, time_size: usize) -> Option<usize> {
        let parts = [
            self.time.checked_mul(time_size)?,
            self.time,
            self.types.checked_mul(6)?,
            self.chars,
            self.leap.checked_mul(time_size + 4)?,
            self.is_std,
            self.is_ut,
        ];
        parts.iter().try_fold(0usize, |acc, n| acc.checked_add(*n))
    }
}

/// Reads TZif data as Go's `LoadLocationFromTZData` does: version 2+ files use their 64-bit
/// block and footer; a file without transitions gets one at the beginning of time.
fn parse_tzif(name: &str, data: &[u8]) -> Option<Location> {
    let mut r = Reader { data };
    if r.take(4)? != b"TZif" {
        return None;
    }
    let version = match r.take(16)?.first()? {
        0 => 1,
        b'2' => 2,
        b'3' => 3,
        _ => 4,
    };
    let mut counts = Counts::read(&mut r)?;
    let mut time_size = 4;
    if version > 1 {
        r.take(counts.data_len(4)?)?;
        if r.take(4)? != b"TZif" {
            return None;
        }
        r.take(16)?;
        counts = Counts::read(&mut r)?;
        time_size = 8;
    }
    let mut whens = Vec::with_capacity(counts.time.min(4096));
    for _ in 0..counts.time {
        let raw = r.big_endian(time_size)?;
        // Times are signed: sign-extend 32-bit ones.
        whens.push(if time_size == 4 {
            i64::from(raw as u32 as i32)
        } else {
            raw as i64
        });
    }
    let indexes = r.take(counts.time)?;
    let zone_bytes = r.take(counts.types.checked_mul(6)?)?;
    let abbreviations = r.take(counts.chars)?;
    r.take(counts.leap.checked_mul(time_size + 4)?)?;
    r.take(counts.is_std)?;
    r.take(counts.is_ut)?;

    if counts.types == 0 {
        return None;
    }
    let mut zones = Vec::with_capacity(counts.types);
    for chunk in zone_bytes.chunks_exact(6) {
        let offset = i32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        let is_dst = chunk[4] != 0;
        let start = usize::from(chunk[5]);
        let tail = abbreviations.get(start..)?;
        let end = tail.iter().position(|b| *b == 0).unwrap_or(tail.len());
        let name = String::from_utf8_lossy(&tail[..end]).into_owned();
        zones.push(Zone {
            name,
            offset,
            is_dst,
        });
    }
    let mut transitions = Vec::with_capacity(whens.len() + 1);
    for (when, index) in whens.into_iter().zip(indexes) {
        let zone = usize::from(*index);
        if zone >= zones.len() {
            return None;
        }
        transitions.push(Transition { when, zone });
    }
    if transitions.is_empty() {
        transitions.push(Transition {
            when: i64::MIN,
            zone: 0,
        });
    }
    let rest = r.data;
    let extend =
        if version > 1 && rest.len() > 2 && rest[0] == b'\n' && rest[rest.len() - 1] == b'\n' {
            std::str::from_utf8(&rest[1..rest.len() - 1])
                .ok()
                .and_then(|rule| jiff::tz::TimeZone::posix(rule).ok())
        } else {
            None
        };
    Some(Location(Arc::new(LocationData {
        name: name.to_string(),
        utc: false,
        zones,
        transitions,
        extend,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> Location {
        Location::load(name, &Location::utc()).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn names_are_case_sensitive_and_checked() {
        assert!(Location::load("asia/tokyo", &Location::utc()).is_err());
        assert!(Location::load("../etc/passwd", &Location::utc()).is_err());
        assert!(Location::load("/etc/localtime", &Location::utc()).is_err());
        assert!(Location::load("Nowhere/City", &Location::utc()).is_err());
        assert!(Location::load("Asia", &Location::utc()).is_err());
        assert!(Location::load("UTC", &Location::utc()).is_ok_and(|l| l.is_utc()));
        assert!(Location::load("", &Location::utc()).is_ok_and(|l| l.is_utc()));
    }

    #[test]
    fn lookups_follow_transitions_and_footer() {
        let ny = zone("America/New_York");
        // 2024-01-15 and 2024-07-15, and far past the last transition.
        assert_eq!(ny.lookup(1_705_276_800).name, "EST");
        assert_eq!(ny.lookup(1_721_001_600).offset, -4 * 3600);
        assert_eq!(ny.lookup(32_503_680_000 + 180 * 86_400).name, "EDT");
        // Before the first transition: local mean time.
        assert_eq!(ny.lookup(-5_000_000_000).offset, -17_762);
        assert_eq!(ny.lookup_name("EDT", 1_721_001_600), Some(-4 * 3600));
        assert_eq!(ny.lookup_name("XYZ", 0), None);
    }

    #[test]
    fn local_follows_tz_variable() {
        assert_eq!(Location::local_from_tz(Some("")).name(), "UTC");
        assert_eq!(Location::local_from_tz(Some("Nowhere/City")).name(), "UTC");
        assert_eq!(
            Location::local_from_tz(Some(":Asia/Tokyo")).name(),
            "Asia/Tokyo"
        );
        assert_eq!(
            Location::local_from_tz(Some("Asia/Tokyo")).lookup(0).name,
            "JST"
        );
        assert_eq!(
            Location::local_from_tz(Some("/etc/localtime")).name(),
            "Local"
        );
        assert_eq!(
            Location::local_from_tz(Some("/usr/share/zoneinfo/Asia/Tokyo")).name(),
            "/usr/share/zoneinfo/Asia/Tokyo"
        );
    }
}
