//! `.helmignore`: the rules that keep files out of a chart loaded from a directory.
//!
//! Helm's rules (`pkg/ignore`) look like gitignore but are simpler, and some of their quirks
//! are visible to chart authors, so they are mirrored here:
//!
//! * each line is trimmed; blank lines and `#` comments are skipped;
//! * `**` anywhere is an error (`double-star (**) syntax is not supported`), and so is a
//!   pattern Go's `filepath.Match` rejects (`syntax error in pattern`);
//! * `!` negates, a trailing `/` matches directories only, a leading `/` anchors the
//!   pattern at the chart root, a pattern with a `/` elsewhere is matched against the whole
//!   path and one without against the base name only;
//! * rules are tried in order and the first match decides. A negated rule is odd: a path
//!   it does *not* match is ignored at once (and so is a file, for a negated directory rule);
//!   a path it matches falls through to the next rule. So a lone `!a.txt` ignores every
//!   other file, `Chart.yaml` included;
//! * `templates/.?*` (dot files under `templates/`) is always added after the file's rules.

/// The name of the ignore file at the root of a chart.
pub const HELM_IGNORE: &str = ".helmignore";

/// A rule that `.helmignore` could not accept, with Helm's message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IgnoreError {
    /// A rule contains `**`.
    #[error("double-star (**) syntax is not supported")]
    DoubleStar,
    /// Go's `filepath.ErrBadPattern`.
    #[error("syntax error in pattern")]
    BadPattern,
}

/// How a rule compares a path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    /// `/pattern`: the whole path, from the chart root.
    Root,
    /// `dir/pattern`: the whole path.
    Path,
    /// `pattern`: the base name only.
    Base,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Rule {
    pattern: String,
    scope: Scope,
    negate: bool,
    dir_only: bool,
}

/// A parsed `.helmignore`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rules {
    rules: Vec<Rule>,
}

impl Rules {
    /// No rules at all.
    pub fn empty() -> Rules {
        Rules::default()
    }

    /// Parses the text of a `.helmignore` file, one rule per line.
    pub fn parse(text: &str) -> Result<Rules, IgnoreError> {
        let mut rules = Rules::empty();
        // bufio.Scanner's lines: split on `\n`, a trailing `\r` dropped; TrimSpace then
        // removes any other surrounding white space.
        for line in text.split('\n') {
            rules.add(line)?;
        }
        Ok(rules)
    }

    /// Adds Helm's default rule: dot files under `templates/` are never loaded.
    pub fn add_defaults(&mut self) {
        // The default rule is valid, so this cannot fail.
        let _ = self.add("templates/.?*");
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    fn add(&mut self, line: &str) -> Result<(), IgnoreError> {
        let rule = line.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err(IgnoreError::DoubleStar);
        }
        // Helm checks the raw rule (with its `!` and slashes) against a dummy name so that
        // a malformed pattern fails at load time.
        if glob_match(rule, "abc").is_err() {
            return Err(IgnoreError::BadPattern);
        }
        let mut pattern = rule;
        let negate = pattern.starts_with('!');
        if negate {
            pattern = &pattern[1..];
        }
        let dir_only = pattern.ends_with('/');
        if dir_only {
            pattern = &pattern[..pattern.len() - 1];
        }
        let (scope, pattern) = if let Some(rest) = pattern.strip_prefix('/') {
            (Scope::Root, rest)
        } else if pattern.contains('/') {
            (Scope::Path, pattern)
        } else {
            (Scope::Base, pattern)
        };
        self.rules.push(Rule {
            pattern: pattern.to_string(),
            scope,
            negate,
            dir_only,
        });
        Ok(())
    }

    /// Whether `path` (relative to the chart root, `/`-separated) is ignored. `is_dir` tells
    /// whether it names a directory; an ignored directory is skipped with all its contents.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for rule in &self.rules {
            if rule.negate {
                if rule.dir_only && !is_dir {
                    return true;
                }
                if !rule.matches(path) {
                    return true;
                }
                continue;
            }
            if rule.dir_only && !is_dir {
                continue;
            }
            if rule.matches(path) {
                return true;
            }
        }
        false
    }
}

impl Rule {
    fn matches(&self, path: &str) -> bool {
        let name = match self.scope {
            Scope::Root | Scope::Path => path,
            Scope::Base => base_name(path),
        };
        glob_match(&self.pattern, name).unwrap_or(false)
    }
}

/// Go's `filepath.Base` for a `/`-separated path.
fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() { "." } else { "/" };
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// Go's `path/filepath.Match` on Unix: `*` matches any run of non-`/` characters, `?` one
/// non-`/` character, `[...]` a class (`^` negates, `a-z` ranges, `\` escapes), and `\`
/// escapes any other character. A malformed pattern is an error, even when the part of the
/// pattern that holds the problem is never reached while matching... except where Go itself
/// stops early, which is mirrored.
pub fn glob_match(pattern: &str, name: &str) -> Result<bool, IgnoreError> {
    let mut pattern = pattern;
    let mut name = name;
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing `*` matches the rest of the name unless it holds a separator.
            return Ok(!name.contains('/'));
        }
        // Try the chunk right here.
        let (tail, ok) = match_chunk(chunk, name)?;
        if ok && (tail.is_empty() || !pattern.is_empty()) {
            name = tail;
            continue;
        }
        if star {
            // Let the star eat more characters, but never a separator.
            let mut i = 0;
            while i < name.len() && name.as_bytes().get(i) != Some(&b'/') {
                let Some(c) = name[i..].chars().next() else {
                    break;
                };
                i += c.len_utf8();
                let (tail, ok) = match_chunk(chunk, &name[i..])?;
                if ok {
                    if pattern.is_empty() && !tail.is_empty() {
                        continue;
                    }
                    name = tail;
                    continue 'pattern;
                }
            }
        }
        // No match: Go still validates the remaining pattern before answering.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, "")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Splits off the next chunk: leading stars, then everything up to the next unbracketed `*`.
fn scan_chunk(pattern: &str) -> (bool, &str, &str) {
    let mut pattern = pattern;
    let mut star = false;
    while let Some(rest) = pattern.strip_prefix('*') {
        pattern = rest;
        star = true;
    }
    let bytes = pattern.as_bytes();
    let mut in_range = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            // An escape takes the next byte with it.
            Some(b'\\') if i + 1 < bytes.len() => i += 1,
            Some(b'[') => in_range = true,
            Some(b']') => in_range = false,
            Some(b'*') if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Matches `chunk` (no stars) against the start of `s`, returning the rest of `s`.
fn match_chunk<'a>(chunk: &str, s: &'a str) -> Result<(&'a str, bool), IgnoreError> {
    let mut chunk = chunk;
    let mut s = s;
    // Go keeps checking the pattern's syntax after a mismatch, so remember the failure
    // rather than returning at once.
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        let Some(first) = chunk.chars().next() else {
            break;
        };
        match first {
            '[' => {
                let (r, rest_s) = match s.chars().next() {
                    Some(c) => (c, &s[c.len_utf8()..]),
                    None => ('\0', s),
                };
                if !failed {
                    s = rest_s;
                }
                chunk = &chunk[1..];
                let negated = chunk.starts_with('^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut count = 0;
                loop {
                    if chunk.starts_with(']') && count > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_escaped(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if let Some(rest) = chunk.strip_prefix('-') {
                        let (h, rest) = get_escaped(rest)?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    count += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            '?' => {
                if !failed {
                    match s.chars().next() {
                        Some('/') | None => failed = true,
                        Some(c) => s = &s[c.len_utf8()..],
                    }
                }
                chunk = &chunk[1..];
            }
            '\\' => {
                chunk = &chunk[1..];
                let Some(c) = chunk.chars().next() else {
                    return Err(IgnoreError::BadPattern);
                };
                if !failed {
                    if s.starts_with(c) {
                        s = &s[c.len_utf8()..];
                    } else {
                        failed = true;
                    }
                }
                chunk = &chunk[c.len_utf8()..];
            }
            c => {
                if !failed {
                    if s.starts_with(c) {
                        s = &s[c.len_utf8()..];
                    } else {
                        failed = true;
                    }
                }
                chunk = &chunk[c.len_utf8()..];
            }
        }
    }
    if failed {
        return Ok(("", false));
    }
    Ok((s, true))
}

/// One possibly escaped character of a class.
fn get_escaped(chunk: &str) -> Result<(char, &str), IgnoreError> {
    let mut chunk = chunk;
    match chunk.chars().next() {
        None | Some('-') | Some(']') => return Err(IgnoreError::BadPattern),
        Some('\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return Err(IgnoreError::BadPattern);
            }
        }
        Some(_) => {}
    }
    let Some(c) = chunk.chars().next() else {
        return Err(IgnoreError::BadPattern);
    };
    let rest = &chunk[c.len_utf8()..];
    if rest.is_empty() {
        return Err(IgnoreError::BadPattern);
    }
    Ok((c, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_match_table() {
        // Cases from Go's path/filepath match tests.
        let cases: &[(&str, &str, Result<bool, IgnoreError>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "abc", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[e-g]", "abc", Ok(false)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^b-d]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("a[^a][^a][^a]b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("*[a-ζ]", "A", Ok(false)),
            ("a?b", "a/b", Ok(false)),
            ("a*b", "a/b", Ok(false)),
            ("[\\]a]", "]", Ok(true)),
            ("[\\-]", "-", Ok(true)),
            ("[x\\-]", "x", Ok(true)),
            ("[x\\-]", "-", Ok(true)),
            ("[x\\-]", "z", Ok(false)),
            ("[\\-x]", "x", Ok(true)),
            ("[\\-x]", "-", Ok(true)),
            ("[\\-x]", "a", Ok(false)),
            ("[]a]", "]", Err(IgnoreError::BadPattern)),
            ("[-]", "-", Err(IgnoreError::BadPattern)),
            ("[x-]", "x", Err(IgnoreError::BadPattern)),
            ("[x-]", "-", Err(IgnoreError::BadPattern)),
            ("[x-]", "z", Err(IgnoreError::BadPattern)),
            ("[-x]", "x", Err(IgnoreError::BadPattern)),
            ("[-x]", "-", Err(IgnoreError::BadPattern)),
            ("[-x]", "a", Err(IgnoreError::BadPattern)),
            ("\\", "a", Err(IgnoreError::BadPattern)),
            ("[a-b-c]", "a", Err(IgnoreError::BadPattern)),
            ("[", "a", Err(IgnoreError::BadPattern)),
            ("[^", "a", Err(IgnoreError::BadPattern)),
            ("[^bc", "a", Err(IgnoreError::BadPattern)),
            ("a[", "a", Err(IgnoreError::BadPattern)),
            ("a[", "ab", Err(IgnoreError::BadPattern)),
            ("a[", "x", Err(IgnoreError::BadPattern)),
            ("a/b[", "x", Err(IgnoreError::BadPattern)),
            ("*x", "xxx", Ok(true)),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(
                &glob_match(pattern, name),
                want,
                "Match({pattern:?}, {name:?})"
            );
        }
    }

    fn visible(rules: &str, paths: &[(&str, bool)]) -> Vec<String> {
        let mut r = Rules::parse(rules).expect("rules parse");
        r.add_defaults();
        paths
            .iter()
            .filter(|(p, d)| !r.ignore(p, *d))
            .map(|(p, _)| (*p).to_string())
            .collect()
    }

    /// The files of a probe chart and what Helm 4.1.4 kept of them under each `.helmignore`.
    #[test]
    fn rules_match_helm() {
        let tree: &[(&str, bool)] = &[
            (".helmignore", false),
            ("Chart.yaml", false),
            ("a.txt", false),
            ("b.txt", false),
            ("docs", true),
            ("docs/x.md", false),
            ("sub", true),
            ("sub/docs", true),
            ("sub/docs/y.md", false),
            ("sub/z.txt", false),
            ("templates", true),
            ("templates/.hidden", false),
            ("templates/t.yaml", false),
        ];
        let kept = |rules: &str| {
            visible(rules, tree)
                .into_iter()
                .filter(|p| !tree.iter().any(|(q, d)| q == p && *d))
                .filter(|p| p != "Chart.yaml" && !p.starts_with("templates/"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        // Directory rules prune whole subtrees, which `visible` does not model, so these
        // cases avoid relying on pruning except through the per-path answer.
        assert_eq!(
            kept(""),
            ".helmignore a.txt b.txt docs/x.md sub/docs/y.md sub/z.txt"
        );
        assert_eq!(kept("*.txt\n"), ".helmignore docs/x.md sub/docs/y.md");
        assert_eq!(
            kept(" a.txt \n# c\n"),
            ".helmignore b.txt docs/x.md sub/docs/y.md sub/z.txt"
        );
        assert_eq!(
            kept("/*.txt\n"),
            ".helmignore docs/x.md sub/docs/y.md sub/z.txt"
        );
        assert_eq!(
            kept(".helmignore\n"),
            "a.txt b.txt docs/x.md sub/docs/y.md sub/z.txt"
        );
        assert_eq!(
            kept("\\*.txt\n"),
            ".helmignore a.txt b.txt docs/x.md sub/docs/y.md sub/z.txt"
        );
        assert_eq!(
            kept("a.txt/\n"),
            ".helmignore a.txt b.txt docs/x.md sub/docs/y.md sub/z.txt"
        );
        assert!(visible("", tree).iter().all(|p| p != "templates/.hidden"));
    }

    #[test]
    fn negation_ignores_everything_else() {
        let r = Rules::parse("!a.txt\n").expect("parse");
        assert!(r.ignore("Chart.yaml", false));
        assert!(!r.ignore("a.txt", false));
        let r = Rules::parse("!docs/\n").expect("parse");
        assert!(r.ignore("Chart.yaml", false));
        assert!(!r.ignore("docs", true));
    }

    #[test]
    fn directory_rules() {
        let r = Rules::parse("docs/\n").expect("parse");
        assert!(r.ignore("docs", true));
        assert!(r.ignore("sub/docs", true));
        assert!(!r.ignore("docs", false));
        let r = Rules::parse("/docs\n").expect("parse");
        assert!(r.ignore("docs", true));
        assert!(!r.ignore("sub/docs", true));
        let r = Rules::parse("*/docs\n").expect("parse");
        assert!(!r.ignore("docs", true));
        assert!(r.ignore("sub/docs", true));
    }

    #[test]
    fn parse_errors() {
        assert_eq!(Rules::parse("**/x\n"), Err(IgnoreError::DoubleStar));
        assert_eq!(Rules::parse("[\n"), Err(IgnoreError::BadPattern));
        assert_eq!(
            IgnoreError::DoubleStar.to_string(),
            "double-star (**) syntax is not supported"
        );
        assert_eq!(
            IgnoreError::BadPattern.to_string(),
            "syntax error in pattern"
        );
    }
}
