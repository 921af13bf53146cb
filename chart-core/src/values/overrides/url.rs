//! The errors of Go's `url.Parse`, which Helm runs on every `-f` and `--set-file` path before
//! opening it (to find a URL scheme). A path such as `x%zz.yaml`, `:x.yaml` or one holding a
//! control character therefore fails in Helm with `parse "x%zz.yaml": invalid URL escape "%zz"`
//! before any file is touched. Only the checks are mirrored; nothing is decoded.

use super::go_quote;

/// The error Go's `url.Parse(raw)` returns, formatted as Go's `*url.Error`, or `None` when
/// the path parses.
pub(super) fn parse_error(raw: &str) -> Option<String> {
    let (before_fragment, fragment) = match raw.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (raw, None),
    };
    if let Err(e) = check(before_fragment) {
        return Some(format!("parse {}: {e}", go_quote(before_fragment)));
    }
    if let Some(fragment) = fragment.filter(|f| !f.is_empty())
        && let Err(e) = unescape(fragment, Part::Fragment)
    {
        return Some(format!("parse {}: {e}", go_quote(raw)));
    }
    None
}

/// Go's `url.getScheme`: the scheme (possibly empty) and the rest.
fn split_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, b) in raw.bytes().enumerate() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => return Ok((raw.get(..i).unwrap_or(""), raw.get(i + 1..).unwrap_or(""))),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// Go's unexported `url.parse(raw, false)`, keeping only its failures.
fn check(raw: &str) -> Result<(), String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    if raw == "*" {
        return Ok(());
    }
    let (scheme, rest) = split_scheme(raw)?;
    let rest = if rest.ends_with('?') && rest.matches('?').count() == 1 {
        rest.get(..rest.len() - 1).unwrap_or("")
    } else {
        rest.split_once('?').map_or(rest, |(path, _)| path)
    };
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            // `scheme:opaque`: nothing more is checked.
            return Ok(());
        }
        let first_segment = rest.split('/').next().unwrap_or("");
        if first_segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    let mut path = rest;
    if let Some(after_slashes) = rest.strip_prefix("//")
        && (!scheme.is_empty() || !rest.starts_with("///"))
    {
        let (authority, tail) = match after_slashes.find('/') {
            Some(i) => after_slashes.split_at(i),
            None => (after_slashes, ""),
        };
        check_authority(authority)?;
        path = tail;
    }
    unescape(path, Part::Path)
}

/// Go's `url.parseAuthority`: `[userinfo@]host[:port]`.
fn check_authority(authority: &str) -> Result<(), String> {
    let (userinfo, host) = match authority.rfind('@') {
        Some(i) => (
            Some(authority.get(..i).unwrap_or("")),
            authority.get(i + 1..).unwrap_or(""),
        ),
        None => (None, authority),
    };
    check_host(host)?;
    let Some(userinfo) = userinfo else {
        return Ok(());
    };
    let valid = userinfo.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | ':'
                    | '~'
                    | '!'
                    | '$'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | '+'
                    | ','
                    | ';'
                    | '='
                    | '%'
                    | '@'
            )
    });
    if !valid {
        return Err("net/url: invalid userinfo".into());
    }
    match userinfo.split_once(':') {
        None => unescape(userinfo, Part::UserInfo),
        Some((user, password)) => {
            unescape(user, Part::UserInfo)?;
            unescape(password, Part::UserInfo)
        }
    }
}

/// Go's `url.parseHost`: `host[:port]` or `[ipv6][:port]`.
fn check_host(host: &str) -> Result<(), String> {
    if host.starts_with('[') {
        let Some(close) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let port = host.get(close + 1..).unwrap_or("");
        if !valid_optional_port(port) {
            return Err(format!("invalid port {} after host", go_quote(port)));
        }
        let inside = host.get(..close).unwrap_or("");
        if let Some(zone) = inside.find("%25") {
            unescape(inside.get(..zone).unwrap_or(""), Part::Host)?;
            unescape(inside.get(zone..).unwrap_or(""), Part::Zone)?;
            return unescape(host.get(close..).unwrap_or(""), Part::Host);
        }
    } else if let Some(colon) = host.rfind(':') {
        let port = host.get(colon..).unwrap_or("");
        if !valid_optional_port(port) {
            return Err(format!("invalid port {} after host", go_quote(port)));
        }
    }
    unescape(host, Part::Host)
}

/// Empty, or `:` followed by digits only.
fn valid_optional_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// Which part of a URL is unescaped (Go's `encoding` modes that matter for errors).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Path,
    Fragment,
    Host,
    Zone,
    UserInfo,
}

/// Go's `url.unescape`, keeping only its failures.
fn unescape(s: &str, part: Part) -> Result<(), String> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return Err(escape_error(bytes, i));
            }
            let escaped = bytes.get(i..i + 3).unwrap_or_default();
            let value = escaped
                .get(1..)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .unwrap_or(0);
            if part == Part::Host && value < 0x80 && escaped != b"%25" {
                return Err(escape_error(bytes, i));
            }
            if part == Part::Zone
                && escaped != b"%25"
                && value != b' '
                && should_escape_in_host(value)
            {
                return Err(escape_error(bytes, i));
            }
            i += 3;
        } else {
            if matches!(part, Part::Host | Part::Zone) && b < 0x80 && should_escape_in_host(b) {
                let c = char::from(b).to_string();
                return Err(format!("invalid character {} in host name", go_quote(&c)));
            }
            i += 1;
        }
    }
    Ok(())
}

/// Go's `EscapeError` text for the escape starting at `i`: at most three bytes of it, quoted
/// by `strconv.Quote` (a cut character shows as `\xNN`).
fn escape_error(bytes: &[u8], i: usize) -> String {
    let end = (i + 3).min(bytes.len());
    let bad = bytes.get(i..end).unwrap_or_default();
    let valid = match std::str::from_utf8(bad) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(bad.get(..e.valid_up_to()).unwrap_or_default()).unwrap_or(""),
    };
    let mut quoted = go_quote(valid);
    quoted.pop();
    for b in bad.get(valid.len()..).unwrap_or_default() {
        quoted.push_str(&format!("\\x{b:02x}"));
    }
    quoted.push('"');
    format!("invalid URL escape {quoted}")
}

/// Go's `shouldEscape(c, encodeHost)`.
fn should_escape_in_host(c: u8) -> bool {
    !(c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'-' | b'_'
                | b'.'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        ))
}
