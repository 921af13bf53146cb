//! Semantic versions and version ranges exactly as Helm reads them.
//!
//! Helm 4.1.4 parses versions and constraints with Masterminds/semver v3.4.0, whose rules
//! differ from both the SemVer 2 specification and Cargo's ranges: versions may carry a `v`
//! prefix, leave out the minor or patch number and have leading zeros (`v1.2`, `01.02.03`);
//! a bare `1.2` in a range means `1.2.x` (not `^1.2`); ranges are written with `||`, spaces
//! or commas, `1.2 - 1.4` hyphens, `x`/`*` wildcards, `~`, `~>`, `^` and `!=`. A prerelease
//! version satisfies a range only when the `&&`-group that tests it names a prerelease
//! somewhere (`>=1.20.0-0` admits `1.29.3-eks-1`, `>=1.20.0` does not).
//!
//! Everything here is used by `Chart.yaml` validation (`version`, `kubeVersion`), dependency
//! resolution, `--version` ranges of `repo`/`pull`, and Sprig's `semver`/`semverCompare`.
//! Error texts are Masterminds' own, because Helm prints them verbatim.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;

/// A semantic version: `MAJOR.MINOR.PATCH[-PRERELEASE][+METADATA]`, remembering the text it
/// was parsed from.
///
/// Equality (`==`) is structural: it compares every part, the build metadata and the original
/// text included. Version *precedence* — what ranges, sorting and Masterminds' `Compare` use —
/// ignores metadata and is [`Version::compare`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    prerelease: String,
    metadata: String,
    original: String,
}

/// Why a version string was rejected. The messages are Masterminds' (Helm prints them).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// The text does not have the shape of a version at all.
    #[error("invalid semantic version")]
    Invalid,
    /// Strict parsing of an empty string.
    #[error("version string empty")]
    Empty,
    /// Strict parsing found something other than digits in a number.
    #[error("invalid characters in version")]
    InvalidCharacters,
    /// A number (strict parsing) or numeric prerelease identifier with a leading zero.
    #[error("version segment starts with 0")]
    LeadingZero,
    /// Build metadata with an empty identifier or a character outside `[0-9A-Za-z-]`.
    #[error("invalid metadata string")]
    InvalidMetadata,
    /// A prerelease with an empty identifier or a character outside `[0-9A-Za-z-]`.
    #[error("invalid prerelease string")]
    InvalidPrerelease,
    /// A number that Go's `strconv.ParseUint` rejects. Lenient parsing wraps the message in
    /// `error parsing version segment: `, strict parsing does not.
    #[error("{}{number}", if *.wrapped { "error parsing version segment: " } else { "" })]
    Number {
        /// The strconv failure.
        number: NumberError,
        /// Whether the message carries the lenient parser's prefix.
        wrapped: bool,
    },
}

/// Go's `strconv.ParseUint` failure for one version number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("strconv.ParseUint: parsing \"{text}\": {}", if *.out_of_range { "value out of range" } else { "invalid syntax" })]
pub struct NumberError {
    /// The digits that failed to parse.
    pub text: String,
    /// `value out of range` (too large for `u64`) rather than `invalid syntax` (empty).
    pub out_of_range: bool,
}

impl Version {
    /// Parses a version leniently, as Masterminds' `NewVersion` (and so Helm, for chart
    /// versions and `semver`/`semverCompare`) does: an optional lowercase `v`, one to three
    /// numbers with leading zeros allowed, then an optional prerelease and build metadata.
    /// Missing numbers are zero.
    ///
    /// # Errors
    /// [`VersionError::Invalid`] for text that is not version-shaped, [`VersionError::Number`]
    /// for a number beyond `u64`, [`VersionError::LeadingZero`] for a numeric prerelease
    /// identifier such as `01`.
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        let rest = text.strip_prefix('v').unwrap_or(text);
        let (major, rest) = split_digits(rest);
        if major.is_empty() {
            return Err(VersionError::Invalid);
        }
        let (minor, rest) = split_dotted_number(rest);
        let (patch, rest) = if minor.is_some() {
            split_dotted_number(rest)
        } else {
            (None, rest)
        };

        // What follows the numbers is `-prerelease`, `+metadata`, both in that order, or
        // nothing; anything else (a fourth number, spaces, `_`) makes the text invalid.
        let (before_metadata, metadata) = match rest.split_once('+') {
            Some((head, meta)) => (head, Some(meta)),
            None => (rest, None),
        };
        let prerelease = match before_metadata {
            "" => None,
            tail => Some(tail.strip_prefix('-').ok_or(VersionError::Invalid)?),
        };
        if prerelease.is_some_and(|p| !is_identifier_list(p))
            || metadata.is_some_and(|m| !is_identifier_list(m))
        {
            return Err(VersionError::Invalid);
        }

        let number = |digits: &str| {
            parse_u64(digits).map_err(|number| VersionError::Number {
                number,
                wrapped: true,
            })
        };
        let version = Version {
            major: number(major)?,
            minor: minor.map_or(Ok(0), number)?,
            patch: patch.map_or(Ok(0), number)?,
            prerelease: prerelease.unwrap_or_default().to_string(),
            metadata: metadata.unwrap_or_default().to_string(),
            original: text.to_string(),
        };
        if !version.prerelease.is_empty() {
            validate_prerelease(&version.prerelease)?;
        }
        Ok(version)
    }

    /// Parses a strict SemVer 2 version, as Masterminds' `StrictNewVersion` does: exactly
    /// three numbers without leading zeros and no `v` prefix.
    ///
    /// # Errors
    /// Masterminds' specific reasons: [`VersionError::Empty`], [`VersionError::Invalid`]
    /// (not three numbers), [`VersionError::InvalidCharacters`],
    /// [`VersionError::LeadingZero`], [`VersionError::InvalidMetadata`],
    /// [`VersionError::InvalidPrerelease`], or an unwrapped [`VersionError::Number`].
    pub fn parse_strict(text: &str) -> Result<Version, VersionError> {
        if text.is_empty() {
            return Err(VersionError::Empty);
        }
        let mut parts = text.splitn(3, '.');
        let (Some(major), Some(minor), Some(last)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(VersionError::Invalid);
        };
        // Metadata and prerelease are only looked for after the second dot, metadata first,
        // so `1.2.3+a-b` has metadata `a-b` and no prerelease.
        let (last, metadata) = match last.split_once('+') {
            Some((head, meta)) => {
                validate_metadata(meta)?;
                (head, meta)
            }
            None => (last, ""),
        };
        let (patch, prerelease) = match last.split_once('-') {
            Some((head, pre)) => {
                validate_prerelease(pre)?;
                (head, pre)
            }
            None => (last, ""),
        };
        for number in [major, minor, patch] {
            if !number.bytes().all(|b| b.is_ascii_digit()) {
                return Err(VersionError::InvalidCharacters);
            }
            if number.len() > 1 && number.starts_with('0') {
                return Err(VersionError::LeadingZero);
            }
        }
        let number = |digits: &str| {
            parse_u64(digits).map_err(|number| VersionError::Number {
                number,
                wrapped: false,
            })
        };
        Ok(Version {
            major: number(major)?,
            minor: number(minor)?,
            patch: number(patch)?,
            prerelease: prerelease.to_string(),
            metadata: metadata.to_string(),
            original: text.to_string(),
        })
    }

    /// The major number.
    pub fn major(&self) -> u64 {
        self.major
    }

    /// The minor number.
    pub fn minor(&self) -> u64 {
        self.minor
    }

    /// The patch number.
    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// The prerelease, without its `-` (empty when there is none).
    pub fn prerelease(&self) -> &str {
        &self.prerelease
    }

    /// The build metadata, without its `+` (empty when there is none).
    pub fn metadata(&self) -> &str {
        &self.metadata
    }

    /// The text the version was parsed from (`v1.2` for a version displayed as `1.2.0`).
    pub fn original(&self) -> &str {
        &self.original
    }

    /// Masterminds' `IncPatch`: a prerelease version becomes its release (`1.2.3-rc.1` →
    /// `1.2.3`), a release gets the next patch number; metadata is dropped either way.
    #[must_use]
    pub fn inc_patch(&self) -> Version {
        let patch = if self.prerelease.is_empty() {
            self.patch.wrapping_add(1)
        } else {
            self.patch
        };
        self.derive(self.major, self.minor, patch, String::new(), String::new())
    }

    /// Masterminds' `IncMinor`: the next minor version, patch 0, no prerelease or metadata.
    #[must_use]
    pub fn inc_minor(&self) -> Version {
        self.derive(
            self.major,
            self.minor.wrapping_add(1),
            0,
            String::new(),
            String::new(),
        )
    }

    /// Masterminds' `IncMajor`: the next major version, minor and patch 0, no prerelease or
    /// metadata.
    #[must_use]
    pub fn inc_major(&self) -> Version {
        self.derive(
            self.major.wrapping_add(1),
            0,
            0,
            String::new(),
            String::new(),
        )
    }

    /// Masterminds' `SetPrerelease`: the same version with another prerelease (empty removes
    /// it).
    ///
    /// # Errors
    /// [`VersionError::InvalidPrerelease`] or [`VersionError::LeadingZero`].
    pub fn with_prerelease(&self, prerelease: &str) -> Result<Version, VersionError> {
        if !prerelease.is_empty() {
            validate_prerelease(prerelease)?;
        }
        Ok(self.derive(
            self.major,
            self.minor,
            self.patch,
            prerelease.to_string(),
            self.metadata.clone(),
        ))
    }

    /// Masterminds' `SetMetadata`: the same version with other build metadata (empty removes
    /// it).
    ///
    /// # Errors
    /// [`VersionError::InvalidMetadata`].
    pub fn with_metadata(&self, metadata: &str) -> Result<Version, VersionError> {
        if !metadata.is_empty() {
            validate_metadata(metadata)?;
        }
        Ok(self.derive(
            self.major,
            self.minor,
            self.patch,
            self.prerelease.clone(),
            metadata.to_string(),
        ))
    }

    /// A version derived from this one. Masterminds regenerates the original text of a
    /// derived version from its parts, keeping only a leading `v`.
    fn derive(
        &self,
        major: u64,
        minor: u64,
        patch: u64,
        prerelease: String,
        metadata: String,
    ) -> Version {
        let mut next = Version {
            major,
            minor,
            patch,
            prerelease,
            metadata,
            original: String::new(),
        };
        let prefix = if self.original.starts_with('v') {
            "v"
        } else {
            ""
        };
        next.original = format!("{prefix}{next}");
        next
    }

    /// Version precedence, as Masterminds' `Compare`: numbers first, then a prerelease sorts
    /// before its release, prerelease identifiers compare numerically when both are numbers,
    /// numbers sort before words, and a shorter identifier list sorts first. Build metadata
    /// is ignored.
    pub fn compare(&self, other: &Version) -> Ordering {
        self.major
            .cmp(&other.major)
            .then(self.minor.cmp(&other.minor))
            .then(self.patch.cmp(&other.patch))
            .then_with(
                || match (self.prerelease.is_empty(), other.prerelease.is_empty()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    (false, false) => compare_prerelease(&self.prerelease, &other.prerelease),
                },
            )
    }
}

/// Masterminds' `String()`: the normalised form, without a `v` and with all three numbers.
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.prerelease.is_empty() {
            write!(f, "-{}", self.prerelease)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

impl FromStr for Version {
    type Err = VersionError;

    /// The lenient [`Version::parse`].
    fn from_str(text: &str) -> Result<Version, VersionError> {
        Version::parse(text)
    }
}

/// Splits off the leading ASCII digits.
fn split_digits(text: &str) -> (&str, &str) {
    let end = text
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(text.len());
    text.split_at(end)
}

/// Splits off `.DIGITS` if `text` starts with one.
fn split_dotted_number(text: &str) -> (Option<&str>, &str) {
    if let Some(after_dot) = text.strip_prefix('.') {
        let (digits, rest) = split_digits(after_dot);
        if !digits.is_empty() {
            return (Some(digits), rest);
        }
    }
    (None, text)
}

/// Go's `strconv.ParseUint(text, 10, 64)` for a string of ASCII digits (leading zeros fine).
fn parse_u64(text: &str) -> Result<u64, NumberError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberError {
            text: text.to_string(),
            out_of_range: false,
        });
    }
    text.parse().map_err(|_| NumberError {
        text: text.to_string(),
        out_of_range: true,
    })
}

/// The characters SemVer allows in prerelease and metadata identifiers.
fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// Whether `text` is one or more non-empty dot-separated identifiers.
fn is_identifier_list(text: &str) -> bool {
    text.split('.')
        .all(|id| !id.is_empty() && id.chars().all(is_identifier_char))
}

/// Masterminds' prerelease validation: identifiers must be non-empty and made of
/// `[0-9A-Za-z-]`, and a purely numeric one must not start with `0`. An empty string is one
/// empty identifier (strict parsing rejects `1.2.3-`); callers that mean "none" skip the check.
fn validate_prerelease(prerelease: &str) -> Result<(), VersionError> {
    for id in prerelease.split('.') {
        if id.is_empty() {
            return Err(VersionError::InvalidPrerelease);
        }
        if id.bytes().all(|b| b.is_ascii_digit()) {
            if id.len() > 1 && id.starts_with('0') {
                return Err(VersionError::LeadingZero);
            }
        } else if !id.chars().all(is_identifier_char) {
            return Err(VersionError::InvalidPrerelease);
        }
    }
    Ok(())
}

/// Masterminds' metadata validation: non-empty `[0-9A-Za-z-]` identifiers (leading zeros
/// are fine). Like prereleases, an empty string is rejected.
fn validate_metadata(metadata: &str) -> Result<(), VersionError> {
    if is_identifier_list(metadata) {
        Ok(())
    } else {
        Err(VersionError::InvalidMetadata)
    }
}

/// Compares two prerelease strings identifier by identifier; a missing identifier counts as
/// empty, which sorts first. Also used with one side empty by the `!=` wildcard rule.
fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let (mut left, mut right) = (a.split('.'), b.split('.'));
    loop {
        let (x, y) = match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (x, y) => (x.unwrap_or(""), y.unwrap_or("")),
        };
        let order = compare_identifier(x, y);
        if order != Ordering::Equal {
            return order;
        }
    }
}

/// One prerelease identifier against another. "Numeric" means what Go's `ParseUint`
/// accepts, so an identifier too large for `u64` compares as a word.
fn compare_identifier(x: &str, y: &str) -> Ordering {
    if x == y {
        return Ordering::Equal;
    }
    if x.is_empty() {
        return Ordering::Less;
    }
    if y.is_empty() {
        return Ordering::Greater;
    }
    match (parse_u64(x).ok(), parse_u64(y).ok()) {
        // Equal numbers with different spellings (`1` and `01`) cannot both pass
        // validation; the text comparison only keeps the order total.
        (Some(m), Some(n)) => m.cmp(&n).then_with(|| x.cmp(y)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => x.cmp(y),
    }
}

/// Why a constraint string was rejected. The messages are Masterminds' (Helm prints them).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConstraintError {
    /// An `||`-group (after hyphen ranges were rewritten) or a comparator that does not have
    /// the shape of a constraint.
    #[error("improper constraint: {0}")]
    Improper(String),
    /// A comparator whose shape is right but whose version does not parse (`1x`, `1|2`,
    /// a number beyond `u64`, a prerelease `01`).
    #[error("constraint parser error")]
    Parser,
}

/// A version range: `||`-separated groups of comparators that must all hold.
///
/// Parsed as Masterminds' `NewConstraint`, checked as its `Check` (with the v3.4 rule that a
/// prerelease version may satisfy a group only when some comparator of that group names a
/// prerelease, unless [`Constraints::include_prerelease`] is set).
#[derive(Clone, Debug)]
pub struct Constraints {
    groups: Vec<Group>,
    include_prerelease: bool,
}

/// Comparators that must all hold.
#[derive(Clone, Debug)]
struct Group {
    comparators: Vec<Comparator>,
    /// Some comparator names a prerelease, which lets prerelease versions through.
    names_prerelease: bool,
}

/// One `OP VERSION` term.
#[derive(Clone, Debug)]
struct Comparator {
    op: Op,
    /// The operator as written (`=>` and `>=` are the same operator).
    op_text: String,
    /// The version as written (`1.2.x`, `v1.2.3`), for messages and display.
    version_text: String,
    /// The version with wildcards replaced by zeros (and, for wildcards, metadata dropped).
    version: Version,
    wildcard: Wildcard,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// `=` or nothing: exact, or a tilde range when the version has a wildcard.
    Equal,
    NotEqual,
    Greater,
    Less,
    GreaterOrEqual,
    LessOrEqual,
    /// `~` or `~>`.
    Tilde,
    Caret,
}

/// Which number of a constraint version was a wildcard (`x`, `X`, `*`) or left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wildcard {
    /// `1.2.3`.
    None,
    /// `*`, `x.1.2`: everything from the major number on.
    Major,
    /// `1`, `1.x`.
    Minor,
    /// `1.2`, `1.2.x`.
    Patch,
}

/// Why a version fails one comparator; [`Constraints::validate`] turns it into text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mismatch {
    Prerelease,
    NotEqualTo,
    EqualTo,
    LessOrEqualTo,
    GreaterOrEqualTo,
    LessThan,
    GreaterThan,
    MajorDiffers,
    MajorMinorDiffers,
    MinorDiffersAtMajorZero,
    MinorDiffers,
    PatchDiffersAtZero,
}

/// Go's `\s`: ASCII whitespace without `\v`.
const SPACE: &str = r"[\t\n\f\r ]";

/// The operators, longest first. Masterminds lists them in another order, but no version
/// starts with an operator character, so at most one of them can precede a version.
const OPERATORS: &str = r"!=|>=|=>|<=|=<|~>|>|<|=|~|\^|";

/// A constraint version. Masterminds' number class is `[0-9|x|X|\*]`, which admits `|`
/// itself: `1.2.3 | 1.2.4` is therefore well-formed and fails later, as a parser error.
fn constraint_version_pattern(capture: bool) -> String {
    let number = "[0-9xX*|]+";
    let identifiers = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
    if capture {
        format!(
            r"(?P<version>v?(?P<major>{number})(?P<minor>\.{number})?(?P<patch>\.{number})?(?P<pre>-{identifiers})?(?:\+{identifiers})?)"
        )
    } else {
        format!(r"v?{number}(?:\.{number})?(?:\.{number})?(?:-{identifiers})?(?:\+{identifiers})?")
    }
}

fn compile(pattern: &str) -> Regex {
    // The patterns are constants exercised by every test below; they cannot fail at runtime.
    Regex::new(pattern).expect("constant semver pattern compiles")
}

/// `FROM - TO` hyphen ranges, found anywhere in the whole constraint string.
static HYPHEN_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    let v = constraint_version_pattern(false);
    compile(&format!(
        r"{SPACE}*(?P<from>{v}){SPACE}+-{SPACE}+(?P<to>{v}){SPACE}*"
    ))
});

/// A whole `||`-group: comparators separated by spaces or a comma.
static GROUP: LazyLock<Regex> = LazyLock::new(|| {
    let v = constraint_version_pattern(false);
    let term = format!(r"(?:{OPERATORS}){SPACE}*{v}{SPACE}*");
    compile(&format!(
        r"^{SPACE}*{term}(?:(?:{SPACE}+|,{SPACE}*){term})*$"
    ))
});

/// One comparator inside a group (unanchored, for iterating).
static TERM: LazyLock<Regex> = LazyLock::new(|| {
    let v = constraint_version_pattern(false);
    compile(&format!(r"(?:{OPERATORS}){SPACE}*{v}"))
});

/// One comparator with its parts captured.
static COMPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    let v = constraint_version_pattern(true);
    compile(&format!(
        r"^{SPACE}*(?P<op>{OPERATORS}){SPACE}*{v}{SPACE}*$"
    ))
});

impl Constraints {
    /// Parses a constraint string as Masterminds' `NewConstraint`.
    ///
    /// # Errors
    /// [`ConstraintError::Improper`] naming the offending `||`-group (as rewritten from
    /// hyphen ranges) or comparator; [`ConstraintError::Parser`] for a comparator whose
    /// version does not parse. Groups are checked left to right and the first error wins.
    pub fn parse(text: &str) -> Result<Constraints, ConstraintError> {
        let rewritten = rewrite_hyphen_ranges(text);
        let mut groups = Vec::new();
        for segment in rewritten.split("||") {
            if !GROUP.is_match(segment) {
                return Err(ConstraintError::Improper(segment.to_string()));
            }
            let mut comparators = TERM
                .find_iter(segment)
                .map(|term| Comparator::parse(term.as_str()))
                .collect::<Result<Vec<_>, _>>()?;
            if comparators.is_empty() {
                // Unreachable after the group check; Masterminds then parses the whole segment.
                comparators.push(Comparator::parse(segment)?);
            }
            let names_prerelease = comparators.iter().any(|c| !c.version.prerelease.is_empty());
            groups.push(Group {
                comparators,
                names_prerelease,
            });
        }
        Ok(Constraints {
            groups,
            include_prerelease: false,
        })
    }

    /// Lets prerelease versions satisfy every group (Masterminds' `IncludePrerelease`).
    /// Helm never sets it.
    #[must_use]
    pub fn include_prerelease(mut self, include: bool) -> Constraints {
        self.include_prerelease = include;
        self
    }

    /// Whether `version` satisfies the constraints (Masterminds' `Check`).
    pub fn check(&self, version: &Version) -> bool {
        self.groups.iter().any(|group| {
            let prereleases = self.include_prerelease || group.names_prerelease;
            group
                .comparators
                .iter()
                .all(|c| c.test(version, prereleases).is_ok())
        })
    }

    /// Like [`Constraints::check`], but says why a version fails (Masterminds' `Validate`):
    /// every failing comparator of every group, the prerelease reason at most once.
    ///
    /// # Errors
    /// The reasons, in Masterminds' words (`1.3.0 is greater than or equal to 1.3`).
    pub fn validate(&self, version: &Version) -> Result<(), Vec<String>> {
        let mut reasons = Vec::new();
        let mut prerelease_reported = false;
        for group in &self.groups {
            let prereleases = self.include_prerelease || group.names_prerelease;
            let mut holds = true;
            for comparator in &group.comparators {
                if !prereleases && !version.prerelease.is_empty() {
                    if !prerelease_reported {
                        reasons.push(comparator.explain(Mismatch::Prerelease, version));
                        prerelease_reported = true;
                    }
                    holds = false;
                } else if let Err(mismatch) = comparator.test(version, prereleases) {
                    reasons.push(comparator.explain(mismatch, version));
                    holds = false;
                }
            }
            if holds {
                return Ok(());
            }
        }
        Err(reasons)
    }
}

/// Masterminds' `String()`: each comparator as written, spaces within a group, ` || `
/// between groups (hyphen ranges appear rewritten: `>=1.2 <=1.4`).
impl fmt::Display for Constraints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (g, group) in self.groups.iter().enumerate() {
            if g > 0 {
                f.write_str(" || ")?;
            }
            for (c, comparator) in group.comparators.iter().enumerate() {
                if c > 0 {
                    f.write_str(" ")?;
                }
                write!(f, "{}{}", comparator.op_text, comparator.version_text)?;
            }
        }
        Ok(())
    }
}

impl FromStr for Constraints {
    type Err = ConstraintError;

    fn from_str(text: &str) -> Result<Constraints, ConstraintError> {
        Constraints::parse(text)
    }
}

/// Helm's `chartutil.IsCompatibleRange`: whether `version` parses and satisfies the
/// `constraint` (false when either fails to parse).
///
/// Parsing a constraint costs more than the rest of matching a subchart, and every render of
/// a chart asks the same questions (each dependency, the `kubeVersion` check), so the answers
/// are remembered: per thread, at most 4096 of them (`MAX_REMEMBERED`).
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    /// How many answers are kept, and the answers by constraint, then version.
    type Answers = (usize, HashMap<String, HashMap<String, bool>>);
    thread_local! {
        static ANSWERS: RefCell<Answers> = RefCell::new((0, HashMap::new()));
    }
    ANSWERS.with_borrow_mut(|(count, answers)| {
        if let Some(&known) = answers.get(constraint).and_then(|by| by.get(version)) {
            return known;
        }
        let answer = match (Version::parse(version), Constraints::parse(constraint)) {
            (Ok(version), Ok(constraints)) => constraints.check(&version),
            _ => false,
        };
        if *count >= MAX_REMEMBERED {
            answers.clear();
            *count = 0;
        }
        *count += 1;
        answers
            .entry(constraint.to_string())
            .or_default()
            .insert(version.to_string(), answer);
        answer
    })
}

/// How many [`is_compatible_range`] answers a thread keeps.
const MAX_REMEMBERED: usize = 4096;

/// Turns every `FROM - TO` into `>= FROM, <= TO `. Masterminds finds the ranges in the
/// original text and then replaces the first occurrence of each matched text in the string
/// being rewritten; the same is done here so that odd inputs produce the same (error) text.
fn rewrite_hyphen_ranges(text: &str) -> String {
    let mut rewritten = text.to_string();
    for range in HYPHEN_RANGE.captures_iter(text) {
        let (Some(whole), Some(from), Some(to)) =
            (range.get(0), range.name("from"), range.name("to"))
        else {
            continue;
        };
        let replacement = format!(">= {}, <= {} ", from.as_str(), to.as_str());
        rewritten = rewritten.replacen(whole.as_str(), &replacement, 1);
    }
    rewritten
}

fn is_wildcard(number: &str) -> bool {
    matches!(number, "x" | "X" | "*")
}

impl Comparator {
    fn parse(text: &str) -> Result<Comparator, ConstraintError> {
        let improper = || ConstraintError::Improper(text.to_string());
        let caps = COMPARATOR.captures(text).ok_or_else(improper)?;
        let (Some(op_text), Some(version_text), Some(major)) =
            (caps.name("op"), caps.name("version"), caps.name("major"))
        else {
            return Err(improper());
        };
        let (major, version_text) = (major.as_str(), version_text.as_str());
        let minor = caps.name("minor").map_or("", |m| m.as_str());
        let patch = caps.name("patch").map_or("", |m| m.as_str());
        let pre = caps.name("pre").map_or("", |m| m.as_str());
        let is_open =
            |dotted: &str| dotted.is_empty() || dotted.strip_prefix('.').is_some_and(is_wildcard);

        // A wildcard or missing number turns the rest into zeros and drops the metadata.
        let (wildcard, concrete) = if is_wildcard(major) {
            (Wildcard::Major, format!("0.0.0{pre}"))
        } else if is_open(minor) {
            (Wildcard::Minor, format!("{major}.0.0{pre}"))
        } else if is_open(patch) {
            (Wildcard::Patch, format!("{major}{minor}.0{pre}"))
        } else {
            (Wildcard::None, version_text.to_string())
        };
        let version = Version::parse(&concrete).map_err(|_| ConstraintError::Parser)?;

        let op = match op_text.as_str() {
            "" | "=" => Op::Equal,
            "!=" => Op::NotEqual,
            ">" => Op::Greater,
            "<" => Op::Less,
            ">=" | "=>" => Op::GreaterOrEqual,
            "<=" | "=<" => Op::LessOrEqual,
            "~" | "~>" => Op::Tilde,
            "^" => Op::Caret,
            _ => return Err(improper()),
        };
        Ok(Comparator {
            op,
            op_text: op_text.as_str().to_string(),
            version_text: version_text.to_string(),
            version,
            wildcard,
        })
    }

    /// Whether `v` satisfies this comparator; `prereleases` says whether the group admits
    /// prerelease versions at all.
    fn test(&self, v: &Version, prereleases: bool) -> Result<(), Mismatch> {
        if !prereleases && !v.prerelease.is_empty() {
            return Err(Mismatch::Prerelease);
        }
        let c = &self.version;
        let require = |holds: bool, mismatch: Mismatch| if holds { Ok(()) } else { Err(mismatch) };
        match self.op {
            Op::Equal if self.wildcard != Wildcard::None => self.test_tilde(v),
            Op::Equal => require(v.compare(c).is_eq(), Mismatch::NotEqualTo),
            Op::NotEqual => self.test_not_equal(v),
            Op::Greater => self.test_greater(v),
            Op::Less => require(v.compare(c).is_lt(), Mismatch::GreaterOrEqualTo),
            Op::GreaterOrEqual => require(v.compare(c).is_ge(), Mismatch::LessThan),
            Op::LessOrEqual => match self.wildcard {
                Wildcard::None => require(v.compare(c).is_le(), Mismatch::GreaterThan),
                // `<=1.2` admits all of 1.2.x, `<=1` all of 1.x; the prerelease and patch of
                // the constraint play no part.
                wildcard => {
                    let above = v.major > c.major
                        || (v.major == c.major && v.minor > c.minor && wildcard != Wildcard::Minor);
                    require(!above, Mismatch::GreaterThan)
                }
            },
            Op::Tilde => self.test_tilde(v),
            Op::Caret => self.test_caret(v),
        }
    }

    /// `!=`: with a wildcard, any version inside the wildcard's range is "equal".
    fn test_not_equal(&self, v: &Version) -> Result<(), Mismatch> {
        let c = &self.version;
        if self.wildcard != Wildcard::None {
            if v.major != c.major {
                return Ok(());
            }
            if self.wildcard == Wildcard::Minor {
                return Err(Mismatch::EqualTo);
            }
            if v.minor != c.minor {
                return Ok(());
            }
            if self.wildcard == Wildcard::Patch {
                // `!=1.2.x-0` still tells prereleases of 1.2.x apart from `0`.
                let differs = (!v.prerelease.is_empty() || !c.prerelease.is_empty())
                    && compare_prerelease(&v.prerelease, &c.prerelease).is_ne();
                return if differs {
                    Ok(())
                } else {
                    Err(Mismatch::EqualTo)
                };
            }
            if v.patch != c.patch {
                return Ok(());
            }
        }
        if v.compare(c).is_eq() {
            Err(Mismatch::EqualTo)
        } else {
            Ok(())
        }
    }

    /// `>`: `>1` means 2.0.0 or above, `>1.2` means 1.3.0 or above.
    fn test_greater(&self, v: &Version) -> Result<(), Mismatch> {
        let c = &self.version;
        let holds = match self.wildcard {
            Wildcard::None => v.compare(c).is_gt(),
            _ if v.major != c.major => v.major > c.major,
            Wildcard::Minor => false,
            Wildcard::Patch => v.minor > c.minor,
            Wildcard::Major => v.compare(c).is_gt(),
        };
        if holds {
            Ok(())
        } else {
            Err(Mismatch::LessOrEqualTo)
        }
    }

    /// `~1.2.3` is `>=1.2.3 <1.3.0`, `~1` is `>=1.0.0 <2.0.0`, `~0.0.0` and `~*` admit
    /// everything.
    fn test_tilde(&self, v: &Version) -> Result<(), Mismatch> {
        let c = &self.version;
        if v.compare(c).is_lt() {
            return Err(Mismatch::LessThan);
        }
        let zero = c.major == 0 && c.minor == 0 && c.patch == 0;
        if zero && !matches!(self.wildcard, Wildcard::Minor | Wildcard::Patch) {
            return Ok(());
        }
        if v.major != c.major {
            return Err(Mismatch::MajorDiffers);
        }
        if v.minor != c.minor && self.wildcard != Wildcard::Minor {
            return Err(Mismatch::MajorMinorDiffers);
        }
        Ok(())
    }

    /// `^1.2.3` is `>=1.2.3 <2.0.0`; below 1.0.0 the first non-zero number is fixed
    /// (`^0.2.3` is `<0.3.0`, `^0.0.3` is `=0.0.3`).
    fn test_caret(&self, v: &Version) -> Result<(), Mismatch> {
        let c = &self.version;
        if v.compare(c).is_lt() {
            return Err(Mismatch::LessThan);
        }
        if c.major > 0 || self.wildcard == Wildcard::Minor {
            return if v.major == c.major {
                Ok(())
            } else {
                Err(Mismatch::MajorDiffers)
            };
        }
        if v.major > 0 {
            return Err(Mismatch::MajorDiffers);
        }
        if c.minor > 0 || self.wildcard == Wildcard::Patch {
            return if v.minor == c.minor {
                Ok(())
            } else {
                Err(Mismatch::MinorDiffersAtMajorZero)
            };
        }
        if v.minor > 0 {
            return Err(Mismatch::MinorDiffers);
        }
        if v.patch == c.patch {
            Ok(())
        } else {
            Err(Mismatch::PatchDiffersAtZero)
        }
    }

    /// Masterminds' reason text for a failed comparison.
    fn explain(&self, mismatch: Mismatch, v: &Version) -> String {
        let c = &self.version_text;
        match mismatch {
            Mismatch::Prerelease => format!(
                "{v} is a prerelease version and the constraint is only looking for release versions"
            ),
            Mismatch::NotEqualTo => format!("{v} is not equal to {c}"),
            Mismatch::EqualTo => format!("{v} is equal to {c}"),
            Mismatch::LessOrEqualTo => format!("{v} is less than or equal to {c}"),
            Mismatch::GreaterOrEqualTo => format!("{v} is greater than or equal to {c}"),
            Mismatch::LessThan => format!("{v} is less than {c}"),
            Mismatch::GreaterThan => format!("{v} is greater than {c}"),
            Mismatch::MajorDiffers => format!("{v} does not have same major version as {c}"),
            Mismatch::MajorMinorDiffers => {
                format!("{v} does not have same major and minor version as {c}")
            }
            Mismatch::MinorDiffersAtMajorZero => format!(
                "{v} does not have same minor version as {c}. Expected minor versions to match when constraint major version is 0"
            ),
            Mismatch::MinorDiffers => format!("{v} does not have same minor version as {c}"),
            Mismatch::PatchDiffersAtZero => format!(
                "{v} does not equal {c}. Expect version and constraint to equal when major and minor versions are 0"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sprig's `semverCompare`: the answer, or the error text.
    fn semver_compare(constraint: &str, version: &str) -> String {
        let constraints = match Constraints::parse(constraint) {
            Ok(constraints) => constraints,
            Err(err) => return err.to_string(),
        };
        match Version::parse(version) {
            Ok(version) => constraints.check(&version).to_string(),
            Err(err) => err.to_string(),
        }
    }

    fn version(text: &str) -> Version {
        Version::parse(text).unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    #[test]
    fn research_pairs_agree_with_helm_4() {
        for (constraint, version, expected) in RESEARCH_PAIRS {
            assert_eq!(
                semver_compare(constraint, version),
                expected.to_string(),
                "{constraint} @ {version}"
            );
        }
        assert_eq!(RESEARCH_PAIRS.len(), 45);
    }

    #[test]
    fn every_operator_agrees_with_helm() {
        let mut failures = Vec::new();
        for (constraint, answers) in CROSS_TABLE {
            assert_eq!(answers.len(), CROSS_VERSIONS.len());
            for (version, answer) in CROSS_VERSIONS.iter().zip(answers.chars()) {
                let expected = (answer == 'T').to_string();
                let got = semver_compare(constraint, version);
                if got != expected {
                    failures.push(format!("{constraint} @ {version}: {got}, Helm {expected}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn edge_cases_agree_with_helm() {
        let mut failures = Vec::new();
        for (constraint, version, expected) in EDGE_CASES {
            let got = semver_compare(constraint, version);
            if got != *expected {
                failures.push(format!(
                    "{constraint:?} @ {version:?}: {got:?}, Helm {expected:?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn lenient_parsing_agrees_with_helm() {
        for (text, expected) in PARSE_CASES {
            let got = match Version::parse(text) {
                Ok(v) => format!(
                    "{}|{}|{}|{}|{}|{}|{v}",
                    v.major(),
                    v.minor(),
                    v.patch(),
                    v.prerelease(),
                    v.metadata(),
                    serde_json::Value::from(v.original()),
                ),
                Err(err) => err.to_string(),
            };
            assert_eq!(got, *expected, "{text:?}");
        }
    }

    #[test]
    fn strict_parsing_follows_masterminds() {
        let cases: &[(&str, &str)] = &[
            ("1.2.3", "1.2.3"),
            ("0.0.0", "0.0.0"),
            ("1.2.3-beta.1+build.5", "1.2.3-beta.1+build.5"),
            ("1.2.3+a-b", "1.2.3+a-b"),
            ("1.2.3-0a", "1.2.3-0a"),
            ("", "version string empty"),
            ("1.2", "invalid semantic version"),
            ("1", "invalid semantic version"),
            ("v1.2.3", "invalid characters in version"),
            ("1.2.x", "invalid characters in version"),
            ("1.2.3.4", "invalid characters in version"),
            ("01.2.3", "version segment starts with 0"),
            ("1.2.03", "version segment starts with 0"),
            ("1.2.3-01", "version segment starts with 0"),
            ("1.2.3-a..b", "invalid prerelease string"),
            ("1.2.3-a_b", "invalid prerelease string"),
            ("1.2.3+a..b", "invalid metadata string"),
            ("1.2.3+", "invalid metadata string"),
            ("1.2.3-", "invalid prerelease string"),
            ("1.2.3-+m", "invalid prerelease string"),
            ("1..3", "strconv.ParseUint: parsing \"\": invalid syntax"),
            (
                "1.2.18446744073709551616",
                "strconv.ParseUint: parsing \"18446744073709551616\": value out of range",
            ),
        ];
        for (text, expected) in cases {
            let got = Version::parse_strict(text).map_or_else(|e| e.to_string(), |v| v.to_string());
            assert_eq!(got, *expected, "{text:?}");
        }
    }

    #[test]
    fn precedence_follows_semver() {
        let ordered = [
            "0.9.9",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0-rc.1.a",
            "1.0.0",
            "v1.0.1",
            "1.1",
            "2.0.0-0",
            "2.0.0-99999999999999999999",
            "2.0.0-a",
        ];
        let versions: Vec<Version> = ordered.iter().map(|t| version(t)).collect();
        for (i, a) in versions.iter().enumerate() {
            for (j, b) in versions.iter().enumerate() {
                assert_eq!(a.compare(b), i.cmp(&j), "{a} vs {b}");
            }
        }
        assert!(version("1.0.0+a").compare(&version("v1.0.0+b")).is_eq());
        assert_ne!(version("1.0.0+a"), version("1.0.0+b"));
    }

    #[test]
    fn derived_versions_keep_only_the_v_prefix() {
        let v = version("v1.2.3-rc.1+build");
        assert_eq!(v.inc_patch().original(), "v1.2.3");
        assert_eq!(v.inc_minor().original(), "v1.3.0");
        assert_eq!(v.inc_major().to_string(), "2.0.0");
        assert_eq!(version("1.2.3+b").inc_patch().to_string(), "1.2.4");
        let pre = v
            .with_prerelease("beta.2")
            .map(|v| v.original().to_string());
        assert_eq!(pre.as_deref(), Ok("v1.2.3-beta.2+build"));
        assert_eq!(v.with_prerelease("01"), Err(VersionError::LeadingZero));
        assert_eq!(v.with_metadata("a..b"), Err(VersionError::InvalidMetadata));
        assert_eq!(
            v.with_metadata("").map(|v| v.to_string()).as_deref(),
            Ok("1.2.3-rc.1")
        );
        assert_eq!(version("01.02").original(), "01.02");
        assert_eq!(version("01.02").to_string(), "1.2.0");
    }

    #[test]
    fn validate_explains_failures() {
        let reasons = |constraint: &str, v: &str| {
            let constraints = Constraints::parse(constraint).unwrap_or_else(|e| panic!("{e}"));
            constraints.validate(&version(v)).err().unwrap_or_default()
        };
        assert_eq!(
            reasons("<1.3", "1.3.0"),
            ["1.3.0 is greater than or equal to 1.3"]
        );
        assert_eq!(reasons(">=1.2 <1.3", "1.2.5"), Vec::<String>::new());
        assert_eq!(
            reasons(">=1.2 <1.3 || ^2", "1.2.3-beta"),
            [
                "1.2.3-beta is a prerelease version and the constraint is only looking for \
                 release versions"
            ]
        );
        assert_eq!(
            reasons("~1.2.3 || !=1.x", "1.3.0"),
            [
                "1.3.0 does not have same major and minor version as 1.2.3",
                "1.3.0 is equal to 1.x"
            ]
        );
        assert_eq!(
            reasons("^0.2.3", "0.3.0"),
            [
                "0.3.0 does not have same minor version as 0.2.3. Expected minor versions to \
                 match when constraint major version is 0"
            ]
        );
        assert_eq!(
            reasons("^0.0.3", "0.0.4"),
            [
                "0.0.4 does not equal 0.0.3. Expect version and constraint to equal when major \
                 and minor versions are 0"
            ]
        );
        assert_eq!(
            reasons(">1.2 <=v2.0.0", "2.0.1+m"),
            ["2.0.1+m is greater than v2.0.0"]
        );
    }

    #[test]
    fn constraints_display_as_masterminds() {
        let shown = |text: &str| Constraints::parse(text).map(|c| c.to_string());
        assert_eq!(
            shown("1.2 - 1.4.5 || ~> 2.x").as_deref(),
            Ok(">=1.2 <=1.4.5 || ~>2.x")
        );
        assert_eq!(shown(">= 1.2.3, <2 =>v1").as_deref(), Ok(">=1.2.3 <2 =>v1"));
    }

    #[test]
    fn include_prerelease_admits_prereleases() {
        let constraints = Constraints::parse(">=1.2 <2").unwrap_or_else(|e| panic!("{e}"));
        let rc = version("1.5.0-rc.1");
        assert!(!constraints.check(&rc));
        assert!(constraints.include_prerelease(true).check(&rc));
    }

    #[test]
    fn compatible_range_is_false_on_bad_input() {
        assert!(is_compatible_range(">=1.20.0-0", "v1.29.3-gke.100"));
        assert!(!is_compatible_range(">=1.20.0", "v1.29.3-gke.100"));
        assert!(!is_compatible_range("!!", "1.0.0"));
        assert!(!is_compatible_range(">=1", "x"));
    }

    /// `dependencies-evidence/data/semver-helm.json`: constraint, version, Helm 4's answer.
    const RESEARCH_PAIRS: &[(&str, &str, bool)] = &[
        ("^1.2", "1.5.0", true),
        ("^1.2", "2.0.0", false),
        ("^0.2.3", "0.2.9", true),
        ("^0.2.3", "0.3.0", false),
        ("~1.2.x", "1.2.9", true),
        ("~1.2.x", "1.3.0", false),
        ("~1.2", "1.2.5", true),
        ("~1", "1.9.0", true),
        (">=1.0.0-0", "1.0.0-alpha", true),
        (">=1.0.0", "1.1.0-alpha", false),
        (">=1.0.0-0", "2.0.0-rc.1", true),
        ("1.2 - 1.4", "1.4.9", true),
        ("1.2 - 1.4", "1.5.0", false),
        ("1.2 - 1.4.5", "1.4.6", false),
        (">=1.2 <2.0", "1.9.9", true),
        (">=1.2, <2.0", "1.9.9", true),
        ("<1.0 || >=2.0", "2.1.0", true),
        ("<1.0 || >=2.0", "1.5.0", false),
        ("1.2.x", "1.2.7", true),
        ("1.x", "1.9.0", true),
        ("*", "3.0.0", true),
        ("*", "3.0.0-beta", false),
        ("=1.2.3", "1.2.3", true),
        ("1.2.3", "1.2.3", true),
        ("!=1.2.3", "1.2.4", true),
        ("v1.2.3", "1.2.3", true),
        (">=1.2.3", "v1.2.3", true),
        ("~>1.2", "1.2.5", true),
        (">1.2", "1.2.1", false),
        ("<=1.2", "1.2.9", true),
        (">= 1.18.0-0", "1.29.3-eks-1234", true),
        (">=1.19-0", "v1.30.0-gke.100", true),
        ("<1.25.0-0", "1.24.9", true),
        ("^1.2.3-beta.1", "1.2.3-beta.2", true),
        ("^1.2.3-beta.1", "1.2.4-beta.1", true),
        ("1.2", "1.2.9", true),
        ("~0", "0.9.0", true),
        (">=1.2.3 <=1.2.3", "1.2.3", true),
        ("^1.x", "1.4.0", true),
        ("1.2.3 || 1.2.5", "1.2.5", true),
        ("x", "1.0.0", true),
        (">1.2.3-0 <1.2.4", "1.2.3-rc.1", true),
        ("1.0.0+build", "1.0.0", true),
        ("^0.0.3", "0.0.4", false),
        ("01.2.3", "1.2.3", true),
    ];

    /// The versions every constraint of [`CROSS_TABLE`] is checked against.
    const CROSS_VERSIONS: &[&str] = &[
        "1.2.3",
        "1.2.4",
        "1.3.0",
        "2.0.0",
        "1.2.2",
        "0.9.9",
        "1.2.3-beta.2",
        "1.2.3-alpha",
        "1.2.4-rc.1",
        "0.2.4",
        "0.0.3",
        "0.0.4",
        "0.1.0",
        "0.0.0",
        "1.2.3+meta",
        "1.0.0",
        "0.2.3",
        "2.0.0-0",
    ];

    /// Every operator with every kind of constraint version, against [`CROSS_VERSIONS`]:
    /// `T`/`F` per version, in order, from Helm 4.1.4's `semverCompare`.
    const CROSS_TABLE: &[(&str, &str)] = &[
        ("1.2.3", "TFFFFFFFFFFFFFTFFF"),
        ("1.2", "TTFFTFFFFFFFFFTFFF"),
        ("1", "TTTFTFFFFFFFFFTTFF"),
        ("1.2.x", "TTFFTFFFFFFFFFTFFF"),
        ("1.x", "TTTFTFFFFFFFFFTTFF"),
        ("x", "TTTTTTFFFTTTTTTTTF"),
        ("*", "TTTTTTFFFTTTTTTTTF"),
        ("1.2.3-beta.1", "FFFFFFFFFFFFFFFFFF"),
        ("0.2.3", "FFFFFFFFFFFFFFFFTF"),
        ("0.0.3", "FFFFFFFFFFTFFFFFFF"),
        ("0.0", "FFFFFFFFFFTTFTFFFF"),
        ("0", "FFFFFTFFFTTTTTFFTF"),
        ("1.2-0", "TTFFTFTTTFFFFFTFFF"),
        ("1.2.3-0", "FFFFFFFFFFFFFFFFFF"),
        ("0.0.0", "FFFFFFFFFFFFFTFFFF"),
        ("v1.2.3", "TFFFFFFFFFFFFFTFFF"),
        ("1.2.3+build", "TFFFFFFFFFFFFFTFFF"),
        ("1.x.x", "TTTFTFFFFFFFFFTTFF"),
        ("x.2.3", "TTTTTTFFFTTTTTTTTF"),
        ("=1.2.3", "TFFFFFFFFFFFFFTFFF"),
        ("=1.2", "TTFFTFFFFFFFFFTFFF"),
        ("=1", "TTTFTFFFFFFFFFTTFF"),
        ("=1.2.x", "TTFFTFFFFFFFFFTFFF"),
        ("=1.x", "TTTFTFFFFFFFFFTTFF"),
        ("=x", "TTTTTTFFFTTTTTTTTF"),
        ("=*", "TTTTTTFFFTTTTTTTTF"),
        ("=1.2.3-beta.1", "FFFFFFFFFFFFFFFFFF"),
        ("=0.2.3", "FFFFFFFFFFFFFFFFTF"),
        ("=0.0.3", "FFFFFFFFFFTFFFFFFF"),
        ("=0.0", "FFFFFFFFFFTTFTFFFF"),
        ("=0", "FFFFFTFFFTTTTTFFTF"),
        ("=1.2-0", "TTFFTFTTTFFFFFTFFF"),
        ("=1.2.3-0", "FFFFFFFFFFFFFFFFFF"),
        ("=0.0.0", "FFFFFFFFFFFFFTFFFF"),
        ("=v1.2.3", "TFFFFFFFFFFFFFTFFF"),
        ("=1.2.3+build", "TFFFFFFFFFFFFFTFFF"),
        ("=1.x.x", "TTTFTFFFFFFFFFTTFF"),
        ("=x.2.3", "TTTTTTFFFTTTTTTTTF"),
        ("!=1.2.3", "FTTTTTFFFTTTTTFTTF"),
        ("!=1.2", "FFTTFTFFFTTTTTFTTF"),
        ("!=1", "FFFTFTFFFTTTTTFFTF"),
        ("!=1.2.x", "FFTTFTFFFTTTTTFTTF"),
        ("!=1.x", "FFFTFTFFFTTTTTFFTF"),
        ("!=x", "TTTTTTFFFTTTTFTTTF"),
        ("!=*", "TTTTTTFFFTTTTFTTTF"),
        ("!=1.2.3-beta.1", "TTTTTTTTTTTTTTTTTT"),
        ("!=0.2.3", "TTTTTTFFFTTTTTTTFF"),
        ("!=0.0.3", "TTTTTTFFFTFTTTTTTF"),
        ("!=0.0", "TTTTTTFFFTFFTFTTTF"),
        ("!=0", "TTTTTFFFFFFFFFTTFF"),
        ("!=1.2-0", "TTTTTTTTTTTTTTTTTT"),
        ("!=1.2.3-0", "TTTTTTTTTTTTTTTTTT"),
        ("!=0.0.0", "TTTTTTFFFTTTTFTTTF"),
        ("!=v1.2.3", "FTTTTTFFFTTTTTFTTF"),
        ("!=1.2.3+build", "FTTTTTFFFTTTTTFTTF"),
        ("!=1.x.x", "FFFTFTFFFTTTTTFFTF"),
        ("!=x.2.3", "TTTTTTFFFTTTTFTTTF"),
        (">1.2.3", "FTTTFFFFFFFFFFFFFF"),
        (">1.2", "FFTTFFFFFFFFFFFFFF"),
        (">1", "FFFTFFFFFFFFFFFFFF"),
        (">1.2.x", "FFTTFFFFFFFFFFFFFF"),
        (">1.x", "FFFTFFFFFFFFFFFFFF"),
        (">x", "TTTTTTFFFTTTTFTTTF"),
        (">*", "TTTTTTFFFTTTTFTTTF"),
        (">1.2.3-beta.1", "TTTTFFTFTFFFFFTFFT"),
        (">0.2.3", "TTTTTTFFFTFFFFTTFF"),
        (">0.0.3", "TTTTTTFFFTFTTFTTTF"),
        (">0.0", "TTTTTTFFFTFFTFTTTF"),
        (">0", "TTTTTFFFFFFFFFTTFF"),
        (">1.2-0", "FFTTFFFFFFFFFFFFFT"),
        (">1.2.3-0", "TTTTFFTTTFFFFFTFFT"),
        (">0.0.0", "TTTTTTFFFTTTTFTTTF"),
        (">v1.2.3", "FTTTFFFFFFFFFFFFFF"),
        (">1.2.3+build", "FTTTFFFFFFFFFFFFFF"),
        (">1.x.x", "FFFTFFFFFFFFFFFFFF"),
        (">x.2.3", "TTTTTTFFFTTTTFTTTF"),
        ("<1.2.3", "FFFFTTFFFTTTTTFTTF"),
        ("<1.2", "FFFFFTFFFTTTTTFTTF"),
        ("<1", "FFFFFTFFFTTTTTFFTF"),
        ("<1.2.x", "FFFFFTFFFTTTTTFTTF"),
        ("<1.x", "FFFFFTFFFTTTTTFFTF"),
        ("<x", "FFFFFFFFFFFFFFFFFF"),
        ("<*", "FFFFFFFFFFFFFFFFFF"),
        ("<1.2.3-beta.1", "FFFFTTFTFTTTTTFTTF"),
        ("<0.2.3", "FFFFFFFFFFTTTTFFFF"),
        ("<0.0.3", "FFFFFFFFFFFFFTFFFF"),
        ("<0.0", "FFFFFFFFFFFFFFFFFF"),
        ("<0", "FFFFFFFFFFFFFFFFFF"),
        ("<1.2-0", "FFFFFTFFFTTTTTFTTF"),
        ("<1.2.3-0", "FFFFTTFFFTTTTTFTTF"),
        ("<0.0.0", "FFFFFFFFFFFFFFFFFF"),
        ("<v1.2.3", "FFFFTTFFFTTTTTFTTF"),
        ("<1.2.3+build", "FFFFTTFFFTTTTTFTTF"),
        ("<1.x.x", "FFFFFTFFFTTTTTFFTF"),
        ("<x.2.3", "FFFFFFFFFFFFFFFFFF"),
        (">=1.2.3", "TTTTFFFFFFFFFFTFFF"),
        (">=1.2", "TTTTTFFFFFFFFFTFFF"),
        (">=1", "TTTTTFFFFFFFFFTTFF"),
        (">=1.2.x", "TTTTTFFFFFFFFFTFFF"),
        (">=1.x", "TTTTTFFFFFFFFFTTFF"),
        (">=x", "TTTTTTFFFTTTTTTTTF"),
        (">=*", "TTTTTTFFFTTTTTTTTF"),
        (">=1.2.3-beta.1", "TTTTFFTFTFFFFFTFFT"),
        (">=0.2.3", "TTTTTTFFFTFFFFTTTF"),
        (">=0.0.3", "TTTTTTFFFTTTTFTTTF"),
        (">=0.0", "TTTTTTFFFTTTTTTTTF"),
        (">=0", "TTTTTTFFFTTTTTTTTF"),
        (">=1.2-0", "TTTTTFTTTFFFFFTFFT"),
        (">=1.2.3-0", "TTTTFFTTTFFFFFTFFT"),
        (">=0.0.0", "TTTTTTFFFTTTTTTTTF"),
        (">=v1.2.3", "TTTTFFFFFFFFFFTFFF"),
        (">=1.2.3+build", "TTTTFFFFFFFFFFTFFF"),
        (">=1.x.x", "TTTTTFFFFFFFFFTTFF"),
        (">=x.2.3", "TTTTTTFFFTTTTTTTTF"),
        ("=>1.2.3", "TTTTFFFFFFFFFFTFFF"),
        ("=>1.2", "TTTTTFFFFFFFFFTFFF"),
        ("=>1", "TTTTTFFFFFFFFFTTFF"),
        ("=>1.2.x", "TTTTTFFFFFFFFFTFFF"),
        ("=>1.x", "TTTTTFFFFFFFFFTTFF"),
        ("=>x", "TTTTTTFFFTTTTTTTTF"),
        ("=>*", "TTTTTTFFFTTTTTTTTF"),
        ("=>1.2.3-beta.1", "TTTTFFTFTFFFFFTFFT"),
        ("=>0.2.3", "TTTTTTFFFTFFFFTTTF"),
        ("=>0.0.3", "TTTTTTFFFTTTTFTTTF"),
        ("=>0.0", "TTTTTTFFFTTTTTTTTF"),
        ("=>0", "TTTTTTFFFTTTTTTTTF"),
        ("=>1.2-0", "TTTTTFTTTFFFFFTFFT"),
        ("=>1.2.3-0", "TTTTFFTTTFFFFFTFFT"),
        ("=>0.0.0", "TTTTTTFFFTTTTTTTTF"),
        ("=>v1.2.3", "TTTTFFFFFFFFFFTFFF"),
        ("=>1.2.3+build", "TTTTFFFFFFFFFFTFFF"),
        ("=>1.x.x", "TTTTTFFFFFFFFFTTFF"),
        ("=>x.2.3", "TTTTTTFFFTTTTTTTTF"),
        ("<=1.2.3", "TFFFTTFFFTTTTTTTTF"),
        ("<=1.2", "TTFFTTFFFTTTTTTTTF"),
        ("<=1", "TTTFTTFFFTTTTTTTTF"),
        ("<=1.2.x", "TTFFTTFFFTTTTTTTTF"),
        ("<=1.x", "TTTFTTFFFTTTTTTTTF"),
        ("<=x", "FFFFFFFFFFTTFTFFFF"),
        ("<=*", "FFFFFFFFFFTTFTFFFF"),
        ("<=1.2.3-beta.1", "FFFFTTFTFTTTTTFTTF"),
        ("<=0.2.3", "FFFFFFFFFFTTTTFFTF"),
        ("<=0.0.3", "FFFFFFFFFFTFFTFFFF"),
        ("<=0.0", "FFFFFFFFFFTTFTFFFF"),
        ("<=0", "FFFFFTFFFTTTTTFFTF"),
        ("<=1.2-0", "TTFFTTTTTTTTTTTTTF"),
        ("<=1.2.3-0", "FFFFTTFFFTTTTTFTTF"),
        ("<=0.0.0", "FFFFFFFFFFFFFTFFFF"),
        ("<=v1.2.3", "TFFFTTFFFTTTTTTTTF"),
        ("<=1.2.3+build", "TFFFTTFFFTTTTTTTTF"),
        ("<=1.x.x", "TTTFTTFFFTTTTTTTTF"),
        ("<=x.2.3", "FFFFFFFFFFTTFTFFFF"),
        ("=<1.2.3", "TFFFTTFFFTTTTTTTTF"),
        ("=<1.2", "TTFFTTFFFTTTTTTTTF"),
        ("=<1", "TTTFTTFFFTTTTTTTTF"),
        ("=<1.2.x", "TTFFTTFFFTTTTTTTTF"),
        ("=<1.x", "TTTFTTFFFTTTTTTTTF"),
        ("=<x", "FFFFFFFFFFTTFTFFFF"),
        ("=<*", "FFFFFFFFFFTTFTFFFF"),
        ("=<1.2.3-beta.1", "FFFFTTFTFTTTTTFTTF"),
        ("=<0.2.3", "FFFFFFFFFFTTTTFFTF"),
        ("=<0.0.3", "FFFFFFFFFFTFFTFFFF"),
        ("=<0.0", "FFFFFFFFFFTTFTFFFF"),
        ("=<0", "FFFFFTFFFTTTTTFFTF"),
        ("=<1.2-0", "TTFFTTTTTTTTTTTTTF"),
        ("=<1.2.3-0", "FFFFTTFFFTTTTTFTTF"),
        ("=<0.0.0", "FFFFFFFFFFFFFTFFFF"),
        ("=<v1.2.3", "TFFFTTFFFTTTTTTTTF"),
        ("=<1.2.3+build", "TFFFTTFFFTTTTTTTTF"),
        ("=<1.x.x", "TTTFTTFFFTTTTTTTTF"),
        ("=<x.2.3", "FFFFFFFFFFTTFTFFFF"),
        ("~1.2.3", "TTFFFFFFFFFFFFTFFF"),
        ("~1.2", "TTFFTFFFFFFFFFTFFF"),
        ("~1", "TTTFTFFFFFFFFFTTFF"),
        ("~1.2.x", "TTFFTFFFFFFFFFTFFF"),
        ("~1.x", "TTTFTFFFFFFFFFTTFF"),
        ("~x", "TTTTTTFFFTTTTTTTTF"),
        ("~*", "TTTTTTFFFTTTTTTTTF"),
        ("~1.2.3-beta.1", "TTFFFFTFTFFFFFTFFF"),
        ("~0.2.3", "FFFFFFFFFTFFFFFFTF"),
        ("~0.0.3", "FFFFFFFFFFTTFFFFFF"),
        ("~0.0", "FFFFFFFFFFTTFTFFFF"),
        ("~0", "FFFFFTFFFTTTTTFFTF"),
        ("~1.2-0", "TTFFTFTTTFFFFFTFFF"),
        ("~1.2.3-0", "TTFFFFTTTFFFFFTFFF"),
        ("~0.0.0", "TTTTTTFFFTTTTTTTTF"),
        ("~v1.2.3", "TTFFFFFFFFFFFFTFFF"),
        ("~1.2.3+build", "TTFFFFFFFFFFFFTFFF"),
        ("~1.x.x", "TTTFTFFFFFFFFFTTFF"),
        ("~x.2.3", "TTTTTTFFFTTTTTTTTF"),
        ("~>1.2.3", "TTFFFFFFFFFFFFTFFF"),
        ("~>1.2", "TTFFTFFFFFFFFFTFFF"),
        ("~>1", "TTTFTFFFFFFFFFTTFF"),
        ("~>1.2.x", "TTFFTFFFFFFFFFTFFF"),
        ("~>1.x", "TTTFTFFFFFFFFFTTFF"),
        ("~>x", "TTTTTTFFFTTTTTTTTF"),
        ("~>*", "TTTTTTFFFTTTTTTTTF"),
        ("~>1.2.3-beta.1", "TTFFFFTFTFFFFFTFFF"),
        ("~>0.2.3", "FFFFFFFFFTFFFFFFTF"),
        ("~>0.0.3", "FFFFFFFFFFTTFFFFFF"),
        ("~>0.0", "FFFFFFFFFFTTFTFFFF"),
        ("~>0", "FFFFFTFFFTTTTTFFTF"),
        ("~>1.2-0", "TTFFTFTTTFFFFFTFFF"),
        ("~>1.2.3-0", "TTFFFFTTTFFFFFTFFF"),
        ("~>0.0.0", "TTTTTTFFFTTTTTTTTF"),
        ("~>v1.2.3", "TTFFFFFFFFFFFFTFFF"),
        ("~>1.2.3+build", "TTFFFFFFFFFFFFTFFF"),
        ("~>1.x.x", "TTTFTFFFFFFFFFTTFF"),
        ("~>x.2.3", "TTTTTTFFFTTTTTTTTF"),
        ("^1.2.3", "TTTFFFFFFFFFFFTFFF"),
        ("^1.2", "TTTFTFFFFFFFFFTFFF"),
        ("^1", "TTTFTFFFFFFFFFTTFF"),
        ("^1.2.x", "TTTFTFFFFFFFFFTFFF"),
        ("^1.x", "TTTFTFFFFFFFFFTTFF"),
        ("^x", "FFFFFFFFFFFFFTFFFF"),
        ("^*", "FFFFFFFFFFFFFTFFFF"),
        ("^1.2.3-beta.1", "TTTFFFTFTFFFFFTFFF"),
        ("^0.2.3", "FFFFFFFFFTFFFFFFTF"),
        ("^0.0.3", "FFFFFFFFFFTFFFFFFF"),
        ("^0.0", "FFFFFFFFFFTTFTFFFF"),
        ("^0", "FFFFFTFFFTTTTTFFTF"),
        ("^1.2-0", "TTTFTFTTTFFFFFTFFF"),
        ("^1.2.3-0", "TTTFFFTTTFFFFFTFFF"),
        ("^0.0.0", "FFFFFFFFFFFFFTFFFF"),
        ("^v1.2.3", "TTTFFFFFFFFFFFTFFF"),
        ("^1.2.3+build", "TTTFFFFFFFFFFFTFFF"),
        ("^1.x.x", "TTTFTFFFFFFFFFTTFF"),
        ("^x.2.3", "FFFFFFFFFFFFFTFFFF"),
    ];

    /// Ranges, separators, prerelease rules and malformed input: Helm 4.1.4's `semverCompare`
    /// answer, or its error message without the `error calling semverCompare: ` prefix.
    const EDGE_CASES: &[(&str, &str, &str)] = &[
        ("1.2 - 1.4.5", "1.2.0", "true"),
        ("1.2 - 1.4.5", "1.4.5", "true"),
        ("1.2 - 1.4.5", "1.1.9", "false"),
        ("1.2.3 - 2.3.4", "2.3.4", "true"),
        ("1.2.3 - 2.3.4", "2.3.5", "false"),
        ("1.2.3 - 2.3", "2.3.9", "true"),
        ("1.2.3 - 2", "2.9.9", "true"),
        ("1.2.3 - 2", "3.0.0", "false"),
        ("1.2.3-0 - 2", "1.2.3-alpha", "true"),
        ("1 - 2 || 4 - 5", "4.5.0", "true"),
        ("1 - 2 || 4 - 5", "3.0.0", "false"),
        (
            ">=1.2 - 1.4",
            "1.3.0",
            "improper constraint: >=>= 1.2, <= 1.4 ",
        ),
        ("1.2-1.4", "1.3.0", "false"),
        ("1.2 -1.4", "1.3.0", "improper constraint: 1.2 -1.4"),
        ("1.2 - 1.4 <1.3", "1.3.0", "false"),
        ("1.2 - 1.4, !=1.3.0", "1.3.0", "false"),
        ("  1.2   -   1.4  ", "1.4.0", "true"),
        ("1.x - 2.x", "2.5.0", "true"),
        ("* - 2", "1.0.0", "true"),
        ("<1.0 || >=2.0", "0.9.0", "true"),
        (">1.0 <2.0 || >3.0", "3.0.1", "false"),
        (">1.0 <2.0 || >3.0", "2.5.0", "false"),
        (">=1.0,<2.0", "1.5.0", "true"),
        (">=1.0 , <2.0", "1.5.0", "true"),
        (">=1.0,,<2.0", "1.5.0", "improper constraint: >=1.0,,<2.0"),
        (">=1.0;<2.0", "1.5.0", "improper constraint: >=1.0;<2.0"),
        (">=1.0\t<2.0", "1.5.0", "true"),
        (">=1.0\n<2.0", "1.5.0", "true"),
        ("1.2.3 ||", "1.2.3", "improper constraint: "),
        ("|| 1.2.3", "1.2.3", "improper constraint: "),
        ("1.2.3 | 1.2.4", "1.2.3", "constraint parser error"),
        ("1.2.3|1.2.4", "1.2.3", "improper constraint: 1.2.3|1.2.4"),
        ("1|2", "1.0.0", "constraint parser error"),
        ("1.2.3||1.2.4", "1.2.4", "true"),
        ("1.2.3 ||| 1.2.4", "1.2.4", "constraint parser error"),
        (" >= 1.2.3 ", "1.2.3", "true"),
        (">=   1.2.3", "1.2.4", "true"),
        ("> = 1.2.3", "1.2.4", "improper constraint: > = 1.2.3"),
        ("", "1.0.0", "improper constraint: "),
        (" ", "1.0.0", "improper constraint:  "),
        ("!!1", "1.0.0", "improper constraint: !!1"),
        ("foo", "1.0.0", "improper constraint: foo"),
        (">=1.2.3 foo", "1.0.0", "improper constraint: >=1.2.3 foo"),
        ("1.2.3.4", "1.2.3", "improper constraint: 1.2.3.4"),
        ("<>1", "1.0.0", "improper constraint: <>1"),
        ("==1.2.3", "1.2.3", "improper constraint: ==1.2.3"),
        ("=>1.2.3", "1.2.3", "true"),
        ("=<1.2.3", "1.2.3", "true"),
        (">==1", "1.0.0", "improper constraint: >==1"),
        ("1.2.3-", "1.2.3", "improper constraint: 1.2.3-"),
        ("1.2.3-01", "1.2.3-01", "constraint parser error"),
        ("1x", "1.0.0", "constraint parser error"),
        ("xx", "1.0.0", "constraint parser error"),
        ("1.xx", "1.0.0", "constraint parser error"),
        ("99999999999999999999", "1.0.0", "constraint parser error"),
        ("99999999999999999999.x", "1.0.0", "constraint parser error"),
        (
            "1.2.99999999999999999999",
            "1.0.0",
            "constraint parser error",
        ),
        ("V1.2.3", "1.2.3", "improper constraint: V1.2.3"),
        ("vv1.2.3", "1.2.3", "improper constraint: vv1.2.3"),
        ("1.2.3+", "1.2.3", "improper constraint: 1.2.3+"),
        ("1.2.3-a..b", "1.2.3", "improper constraint: 1.2.3-a..b"),
        ("~>", "1.0.0", "improper constraint: ~>"),
        ("^", "1.0.0", "improper constraint: ^"),
        ("1.2.3 - ", "1.2.3", "improper constraint: 1.2.3 - "),
        ("1.2.*-beta", "1.2.3-beta", "true"),
        ("1.2.x-beta", "1.2.0-gamma", "true"),
        ("1.2.x-beta", "1.2.5-gamma", "true"),
        ("1.2.3+build.1", "1.2.3+other", "true"),
        ("1.2.x+build", "1.2.5", "true"),
        ("01.02.03", "1.2.3", "true"),
        ("1.02", "1.2.9", "true"),
        ("X", "9.9.9", "true"),
        ("X.X.X", "1.2.3", "true"),
        (">=18446744073709551615", "18446744073709551615.0.0", "true"),
        (">1.0", "not-a-version", "invalid semantic version"),
        (">1.0", "", "invalid semantic version"),
        (">1.0", " 1.2.3", "invalid semantic version"),
        (">1.0", "1.2.3 ", "invalid semantic version"),
        (">1.0", "V1.2.3", "invalid semantic version"),
        (">1.0", "1.2.3.4", "invalid semantic version"),
        (">1.0", "1.2.3-01", "version segment starts with 0"),
        (">1.0", "1.2.3-", "invalid semantic version"),
        (">1.0", "1.2.3+", "invalid semantic version"),
        (">1.0", "1.2.3-a..b", "invalid semantic version"),
        (
            ">1.0",
            "99999999999999999999",
            "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range",
        ),
        (
            ">1.0",
            "1.99999999999999999999",
            "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range",
        ),
        (
            ">1.0",
            "1.2.99999999999999999999",
            "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range",
        ),
        (
            ">1.0",
            "18446744073709551615.18446744073709551615.18446744073709551615",
            "true",
        ),
        (">1.0", "x", "invalid semantic version"),
        (">1.0", "1.x", "invalid semantic version"),
        (">1.0", "01.02.03", "true"),
        (">1.0", "v1", "false"),
        (">1.0", "1.2.3-alpha+meta.01", "false"),
        (">1.0", "1.2.3-alpha.01", "version segment starts with 0"),
        (">1.0", "1.2.3-0a", "false"),
        (">1.0", "1.2.3-00a", "false"),
        ("!!1", "bad", "improper constraint: !!1"),
        (">=1.2.3-0", "1.2.3-alpha", "true"),
        (">=1.2.3-0", "1.2.4-alpha", "true"),
        (">=1.2.3-0", "3.0.0-alpha", "true"),
        (">=1.2.3", "1.2.4-alpha", "false"),
        ("<1.2.3", "1.2.3-alpha", "false"),
        ("<1.2.3-0", "1.2.3-alpha", "false"),
        ("<1.2.3-beta", "1.2.3-alpha", "true"),
        (">1.2.3-alpha <2", "1.5.0-beta", "true"),
        (">1.2.3-alpha || <2", "1.5.0-beta", "true"),
        (">1.2.3 <2 || >=3.0.0-0", "3.0.0-rc.1", "true"),
        (">1.2.3 <2 || >=3.0.0-0", "1.5.0-rc.1", "false"),
        ("^1.2.3-alpha", "1.9.0-beta", "true"),
        ("~1.2.3-alpha", "1.2.9-beta", "true"),
        ("~1.2.3-alpha", "1.3.0-beta", "false"),
        ("!=1.2.3-alpha", "1.2.3-beta", "true"),
        ("!=1.2.3-alpha", "1.2.3-alpha", "false"),
        ("!=1.2.3", "1.2.3-alpha", "false"),
        ("!=1.2.x-0", "1.2.3-alpha", "true"),
        ("!=1.2.x-0", "1.3.0-alpha", "true"),
        ("!=1.x-0", "1.3.0-alpha", "false"),
        ("!=x-0", "1.3.0-alpha", "true"),
        ("!=1.2.x-0", "1.2.3", "true"),
        ("=1.2.3-alpha", "1.2.3-alpha", "true"),
        ("=1.2.3-alpha", "1.2.3-alpha+meta", "true"),
        (
            "=1.2.3-alpha.1",
            "1.2.3-alpha.01",
            "version segment starts with 0",
        ),
        ("1.2.3-alpha.10", "1.2.3-alpha.10", "true"),
        (">1.2.3-alpha.9", "1.2.3-alpha.10", "true"),
        (">1.2.3-alpha.beta", "1.2.3-alpha.10", "false"),
        (">1.2.3-alpha", "1.2.3-alpha.1", "true"),
        (">1.2.3-a-b", "1.2.3-a-c", "true"),
        (">1.2.3-1", "1.2.3-a", "true"),
        (
            "<1.2.3-99999999999999999999",
            "1.2.3-100000000000000000000",
            "true",
        ),
        (">1.2.3-99999999999999999999", "1.2.3-1", "false"),
        ("*-0", "1.0.0-alpha", "true"),
        ("x-0", "0.0.0-0", "true"),
        (">=0.0.0-0", "0.0.0-0", "true"),
        (">0.0.0-0", "0.0.0-0", "false"),
        ("*", "0.0.0", "true"),
        (">*", "0.0.1", "true"),
        (">*", "0.0.0", "false"),
        (">x.x.x", "1.0.0", "true"),
        ("<*", "1.0.0", "false"),
        ("<=*", "9.0.0", "false"),
        ("^*", "1.0.0", "false"),
        ("~*", "0.0.1", "true"),
        ("!=*", "1.0.0", "true"),
        ("=*", "5.0.0", "true"),
        (">= 1.18.0-0", "1.29.3-eks-1234", "true"),
        (">=1.21.0-0 <1.30.0-0", "v1.29.3-gke.100", "true"),
        (">=1.21.0-0 <1.30.0-0", "v1.30.0-gke.100", "false"),
        ("<1.25.0", "1.24.9-eks-1", "false"),
        ("^1.20.0-0", "v1.31.0+k3s1", "true"),
        (">=1.16.0-0", "v1.20.1+k3s1", "true"),
        (">=1.16.0", "v1.20.1+k3s1", "true"),
        ("^0.0", "0.0.9", "true"),
        ("^0.0", "0.1.0", "false"),
        ("^0", "0.9.0", "true"),
        ("^0", "1.0.0", "false"),
        ("^0.0.x", "0.0.5", "true"),
        ("^0.x", "0.5.0", "true"),
        ("^0.1.x", "0.1.7", "true"),
        ("^0.1.x", "0.2.0", "false"),
        ("^1.x", "2.0.0", "false"),
        ("^1.2.x", "1.1.0", "false"),
        ("~0.0", "0.0.9", "true"),
        ("~0.0", "0.1.0", "false"),
        ("~0.0.0", "5.0.0", "true"),
        ("~0.0.x", "0.1.0", "false"),
        ("~1.x", "1.9.0", "true"),
        ("~1.x", "2.0.0", "false"),
        ("~2.0", "2.0.5", "true"),
        ("~2.0", "2.1.0", "false"),
        ("~1.2.3", "1.2.2", "false"),
        (">11", "11.1.0", "false"),
        (">11.1", "11.1.1", "false"),
        (">11.1", "11.2.0", "true"),
        ("<=11", "11.9.9", "true"),
        ("<=11.1", "11.1.9", "true"),
        ("<=11.1", "11.2.0", "false"),
        ("<11.x", "11.0.0", "false"),
        ("=1.2", "1.2.7", "true"),
        ("=1", "1.7.7", "true"),
        ("1", "2.0.0", "false"),
        // Randomly generated constraints, checked with Helm 4.1.4.
        ("1.2.3X  ", "1.3.0-rc.1", "constraint parser error"),
        ("|", "1.2.3-beta", "constraint parser error"),
        ("|", "1.2.3-beta", "constraint parser error"),
        ("1.2x", "1.3.0-rc.1", "constraint parser error"),
        ("*01x01", "0.0.0", "constraint parser error"),
        (" |-rc.1-0", "1.2.3", "constraint parser error"),
        ("*1", "1.2.3-beta", "constraint parser error"),
        ("*10", "2.0.0-0", "constraint parser error"),
        ("1.2-rc.1\t0X-0", "1.2.0-beta+b", "constraint parser error"),
        ("\t2*", "1.2.3", "constraint parser error"),
        ("| ", "1.2.3", "constraint parser error"),
        ("~01=^>", "3.4.5", "improper constraint: ~01=^>"),
        ("=-beta*+b.<0", "0.1.2", "improper constraint: =-beta*+b.<0"),
        ("0^2-beta", "1.2.0-beta+b", "improper constraint: 0^2-beta"),
        (">X - <1.2", "0.0.0", "improper constraint: >X - <1.2"),
        ("0, ", "1.3.0-rc.1", "improper constraint: 0, "),
        ("X~>a!=", "0.0.0", "improper constraint: X~>a!="),
        ("v1>-beta-0", "2.0.0-0", "improper constraint: v1>-beta-0"),
        ("-0 - 1.2", "1.0.0", "improper constraint: ->= 0, <= 1.2 "),
        ("v\t", "1.0.0", "improper constraint: v\t"),
        ("|,\t-rc.1<=2", "1.2.3", "improper constraint: |,\t-rc.1<=2"),
        ("v0100", "1.2.3", "false"),
        ("01", "0.1.2", "false"),
        ("0-rc.1", "0.1.2", "true"),
        ("22", "1.2.3", "false"),
        ("02", "1.2.3", "false"),
        ("1.2", "v1.2", "true"),
        ("~>0", "0.0.0", "true"),
        ("~>01-rc.11.2.3v", "1.2.3-beta", "true"),
        ("<=1.22", "1.2.3", "true"),
        ("* - *", "2.0.0-0", "false"),
        (
            "!= 2-beta,>=1.*-alpha.2+b1, v01.1-0",
            "1.2.0-beta+b",
            "false",
        ),
        (
            "<=1.10.3, ~*.10.x-alpha.2+b1, =<x.10-rc.1+b1",
            "1.2.3",
            "false",
        ),
        (">=v*-0+b1,>3.01.10-beta", "0.1.2", "false"),
        (
            "^0.x.2-beta,~01.01.3-rc.1,=1.10-alpha.2+b1 || v10-rc.1 - 2-rc.1",
            "2.0.0-0",
            "false",
        ),
        ("^10-0", "0.1.2", "false"),
        (
            ">=10, =<3, =>v*.3 || ^v3.10.0-rc.1 ~> 3-beta ~> 2.3.*+b1",
            "0.1.2",
            "false",
        ),
        (
            "vx-alpha.2 - v10-alpha.2 || =<x.2.01-alpha.2, ~>10.1, < 2.x.10",
            "1.2.3-beta",
            "true",
        ),
        (">x =v3+b1", "2.1.3-rc.1", "false"),
        (
            "=<1.1-beta+b1, <=*+b1 || ^1.3-alpha.2,> 0.01-beta",
            "v1.2",
            "false",
        ),
        (
            ">*.0, ~0.x, =< v*.x.10 || <v1.1.10-beta+b1",
            "1.0.0",
            "true",
        ),
        ("~> *-alpha.2 <=3-rc.1", "0.0.1-alpha.2", "true"),
        (
            "*.3-rc.1+b1 - v01.0.*-alpha.2 || ~> 3 >x.*.x-alpha.2+b1 vx-alpha.2",
            "2.1.3-rc.1",
            "false",
        ),
        ("3.0+b1 - v0.1.2-alpha.2+b1", "1.2.0-beta+b", "false"),
        ("=<01.3, ~> v10.1.3-beta || 3.0 - 2.*-0", "10.1.0", "false"),
        ("^v3-0, ^1 || >=3-0", "2.0.0-0", "false"),
        ("=<x.3.0-rc.1", "1.2.3-beta", "false"),
        (
            "~>0.*+b1 || =>vx.0.1-beta =<v10+b1 ~ 01.x.x",
            "10.1.0",
            "false",
        ),
        ("=<3.0,~>v1,!=x-rc.1", "1.2.3", "true"),
        ("^1.2.1-alpha.2 >v*", "1.3.0-rc.1", "true"),
        (">0+b1 || > 0.x.01-beta", "10.1.0", "true"),
        ("01.01-rc.1 - vx || ^x-rc.1+b1", "1.2.3-beta", "false"),
        (
            "01.3-beta - 0.3 || >=1.x.3-0,>=v01.*-alpha.2",
            "1.2.3-beta",
            "true",
        ),
        ("=1.2-beta,!=2.x.*,~ 01-alpha.2", "0.0.1-alpha.2", "false"),
        ("=x.0.1-0, <01.2.1-0", "0.0.0", "true"),
        ("v01-alpha.2+b1 - 1.*-rc.1+b1", "1.0.0-0", "false"),
        ("=< x-0, => 1", "1.2.0-beta+b", "false"),
        ("3-beta - 3.3.3-beta+b1 || 3.x - x-rc.1", "1.2.3", "false"),
        ("3+b1 - *-0+b1", "1.2.3", "false"),
        ("= 3,=<x.2+b1 ||  10 =<v2.01-beta", "3.4.5", "false"),
        ("01.x - * || < v1.10.*+b1, <=2", "1.0.0-0", "false"),
        (
            "~>10.10 !=3.10+b1 <= 10.01 || <=1-alpha.2,~ 10.x.x-rc.1+b1",
            "1.3.0-rc.1",
            "false",
        ),
        ("~>x.10.10-rc.1 ^10.0 || <1+b1 ~10-0", "0.0.0", "false"),
        (
            "< 2.2-beta+b1, <=v3.0.3-alpha.2, = 2.01.1 || 01.10.01-beta - v01.3",
            "1.2.3",
            "false",
        ),
        (
            ">= v3.3.1-0 || < v10.1-rc.1+b1, ^0-0, v01",
            "0.0.0",
            "false",
        ),
        (
            "1.01.10 - 1-beta || <= v2.01.1-beta,x.10-beta,~>1",
            "1.3.0-rc.1",
            "true",
        ),
        ("10.3.10-rc.1 - 3.*", "1.3.0-rc.1", "false"),
        ("v01.3.*-0,~ 1,^3.1.3-alpha.2", "0.1.2", "false"),
        (
            "=<vx.01.x <= 3.1.* || > *.10.2,~3-beta",
            "1.2.0-beta+b",
            "false",
        ),
        ("10.x.10-rc.1+b1 - 3-beta+b1", "1.0.0-0", "false"),
        (
            "<=x-beta+b1, = v2.1.* || =01.0-beta+b1 <=01.1.2-beta =>2-alpha.2",
            "1.2.0-beta+b",
            "false",
        ),
    ];

    /// `semver TEXT` in Helm 4.1.4: `major|minor|patch|prerelease|metadata|original-as-JSON|string`,
    /// or the error message without the `error calling semver: ` prefix.
    const PARSE_CASES: &[(&str, &str)] = &[
        ("1.2.3", "1|2|3|||\"1.2.3\"|1.2.3"),
        ("v1.2.3", "1|2|3|||\"v1.2.3\"|1.2.3"),
        ("1.2", "1|2|0|||\"1.2\"|1.2.0"),
        ("1", "1|0|0|||\"1\"|1.0.0"),
        ("v1", "1|0|0|||\"v1\"|1.0.0"),
        ("01.02.03", "1|2|3|||\"01.02.03\"|1.2.3"),
        ("00.00.00", "0|0|0|||\"00.00.00\"|0.0.0"),
        ("0.0.0", "0|0|0|||\"0.0.0\"|0.0.0"),
        ("1.2.3-alpha", "1|2|3|alpha||\"1.2.3-alpha\"|1.2.3-alpha"),
        (
            "1.2.3-alpha.1",
            "1|2|3|alpha.1||\"1.2.3-alpha.1\"|1.2.3-alpha.1",
        ),
        ("1.2.3+build", "1|2|3||build|\"1.2.3+build\"|1.2.3+build"),
        (
            "1.2.3-alpha+build.5",
            "1|2|3|alpha|build.5|\"1.2.3-alpha+build.5\"|1.2.3-alpha+build.5",
        ),
        ("1.2-beta", "1|2|0|beta||\"1.2-beta\"|1.2.0-beta"),
        ("1-beta+m", "1|0|0|beta|m|\"1-beta+m\"|1.0.0-beta+m"),
        ("1+m", "1|0|0||m|\"1+m\"|1.0.0+m"),
        ("v1.2+m", "1|2|0||m|\"v1.2+m\"|1.2.0+m"),
        ("1.2.3-0", "1|2|3|0||\"1.2.3-0\"|1.2.3-0"),
        ("1.2.3-0a", "1|2|3|0a||\"1.2.3-0a\"|1.2.3-0a"),
        (
            "1.2.3-a-b--c",
            "1|2|3|a-b--c||\"1.2.3-a-b--c\"|1.2.3-a-b--c",
        ),
        ("1.2.3--", "1|2|3|-||\"1.2.3--\"|1.2.3--"),
        (
            "1.2.3-x.7.z.92",
            "1|2|3|x.7.z.92||\"1.2.3-x.7.z.92\"|1.2.3-x.7.z.92",
        ),
        ("1.2.3+01", "1|2|3||01|\"1.2.3+01\"|1.2.3+01"),
        ("1.2.3+0.0", "1|2|3||0.0|\"1.2.3+0.0\"|1.2.3+0.0"),
        ("1.2.3-alpha.01", "version segment starts with 0"),
        ("1.2.3-01", "version segment starts with 0"),
        ("1.2.3-00", "version segment starts with 0"),
        ("1.2.3-", "invalid semantic version"),
        ("1.2.3+", "invalid semantic version"),
        ("1.2.3-+", "invalid semantic version"),
        ("1.2.3-a+b+c", "invalid semantic version"),
        ("1.2.3+a-b", "1|2|3||a-b|\"1.2.3+a-b\"|1.2.3+a-b"),
        ("1.2.3-a_b", "invalid semantic version"),
        ("1.2.3+a_b", "invalid semantic version"),
        ("1.2.3.4", "invalid semantic version"),
        ("1.2.3 ", "invalid semantic version"),
        (" 1.2.3", "invalid semantic version"),
        ("V1.2.3", "invalid semantic version"),
        ("vv1", "invalid semantic version"),
        ("", "invalid semantic version"),
        ("v", "invalid semantic version"),
        ("x", "invalid semantic version"),
        ("1.x", "invalid semantic version"),
        (".1", "invalid semantic version"),
        ("1.", "invalid semantic version"),
        ("1..2", "invalid semantic version"),
        ("1.2.", "invalid semantic version"),
        ("-1.2.3", "invalid semantic version"),
        ("+1", "invalid semantic version"),
        ("1.2.3-a.", "invalid semantic version"),
        ("1.2.3-.a", "invalid semantic version"),
        ("1.2.3+.a", "invalid semantic version"),
        (
            "18446744073709551615",
            "18446744073709551615|0|0|||\"18446744073709551615\"|18446744073709551615.0.0",
        ),
        (
            "18446744073709551616",
            "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": value out of range",
        ),
        (
            "1.18446744073709551616",
            "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": value out of range",
        ),
        (
            "1.2.18446744073709551616",
            "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": value out of range",
        ),
        (
            "00000000000000000000000001.2.3",
            "1|2|3|||\"00000000000000000000000001.2.3\"|1.2.3",
        ),
        (
            "1.2.3-18446744073709551616",
            "1|2|3|18446744073709551616||\"1.2.3-18446744073709551616\"|1.2.3-18446744073709551616",
        ),
        ("1.2.3-éa", "invalid semantic version"),
        ("1.2.3+é", "invalid semantic version"),
        ("١.2.3", "invalid semantic version"),
        ("1.2.3\n", "invalid semantic version"),
        ("\t1", "invalid semantic version"),
    ];
}
