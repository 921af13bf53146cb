//! Template functions: network. Sprig's `getHostByName`, and its `urlParse` and `urlJoin`,
//! which rest on Go's `net/url` parser and printer, reproduced here.

use std::net::ToSocketAddrs;

use super::{Args, FnCtx, FnError, Func, GoType};
use crate::gofmt;
use crate::value::{Entries, Value};

pub(super) const FUNCS: &[Func] = &[
    Func {
        name: "getHostByName",
        params: &[GoType::String],
        variadic: None,
        call: get_host_by_name,
    },
    Func {
        name: "urlParse",
        params: &[GoType::String],
        variadic: None,
        call: url_parse,
    },
    Func {
        name: "urlJoin",
        params: &[GoType::MapAny],
        variadic: None,
        call: url_join,
    },
];

/// `getHostByName NAME`: Helm replaces Sprig's function with one returning "" unless DNS
/// lookups are enabled (`--enable-dns`); then one of the name's addresses, picked at random
/// as Sprig does. A name that does not resolve makes Sprig's `rand.Intn(0)` panic.
fn get_host_by_name(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    if !ctx.env().enable_dns {
        return Ok(Value::from(""));
    }
    let name = args.first().and_then(Value::as_str).unwrap_or("");
    let mut addresses: Vec<String> = Vec::new();
    if let Ok(resolved) = (name, 0).to_socket_addrs() {
        for address in resolved {
            let ip = address.ip().to_string();
            if !addresses.contains(&ip) {
                addresses.push(ip);
            }
        }
    }
    if addresses.is_empty() {
        return Err(FnError::new("invalid argument to Intn"));
    }
    let pick = ctx.random().below(addresses.len() as u64) as usize;
    Ok(Value::from(addresses.swap_remove(pick)))
}

/// `urlParse URL`: the parts of Go's `url.Parse` result as a dict of strings.
fn url_parse(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let raw = args.first().and_then(Value::as_str).unwrap_or("");
    let url =
        GoUrl::parse(raw).map_err(|err| FnError::new(format!("unable to parse url: {err}")))?;
    let mut dict = Entries::new();
    let mut put = |key: &str, value: String| {
        dict.insert(key.into(), Value::from(value));
    };
    put("scheme", url.scheme.clone());
    put("host", url.host.clone());
    put("hostname", url.hostname().to_string());
    put("path", url.path.clone());
    put("query", url.raw_query.clone());
    put("opaque", url.opaque.clone());
    put("fragment", url.fragment.clone());
    put(
        "userinfo",
        url.user
            .as_ref()
            .map(UserInfo::to_go_string)
            .unwrap_or_default(),
    );
    Ok(Value::map(dict))
}

/// `urlJoin DICT`: a URL assembled from the dict's string parts and printed by Go's
/// `URL.String`.
fn url_join(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let dict = args.first().and_then(Value::as_map);
    // Sprig's dictGetOrEmpty: a missing key is "", a present one must hold a string.
    let get = |key: &str| -> Result<String, FnError> {
        match dict.and_then(|d| d.get(key)) {
            None => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.to_string()),
            Some(Value::Nil | Value::Invalid) => Err(FnError::new(
                "runtime error: invalid memory address or nil pointer dereference",
            )),
            Some(other) => Err(FnError::new(format!(
                "unable to parse {key} key, must be of type string, but {} found",
                other.kind().name()
            ))),
        }
    };
    let mut url = GoUrl {
        scheme: get("scheme")?,
        host: get("host")?,
        path: get("path")?,
        raw_query: get("query")?,
        opaque: get("opaque")?,
        fragment: get("fragment")?,
        ..GoUrl::default()
    };
    let userinfo = get("userinfo")?;
    if !userinfo.is_empty() {
        let holder = GoUrl::parse(&format!("proto://{userinfo}@host"))
            .map_err(|err| FnError::new(format!("unable to parse userinfo in dict: {err}")))?;
        url.user = holder.user;
    }
    Ok(Value::from(url.to_go_string()))
}

/// The parts of a URL as Go's `url.URL` holds them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct GoUrl {
    scheme: String,
    opaque: String,
    user: Option<UserInfo>,
    host: String,
    path: String,
    raw_path: String,
    force_query: bool,
    raw_query: String,
    fragment: String,
    raw_fragment: String,
}

/// Go's `url.Userinfo`: a user name and maybe a password.
#[derive(Clone, Debug, PartialEq, Eq)]
struct UserInfo {
    username: String,
    password: Option<String>,
}

impl UserInfo {
    /// `Userinfo.String`: escaped `user[:password]`.
    fn to_go_string(&self) -> String {
        let mut out = escape(&self.username, Encoding::UserPassword);
        if let Some(password) = &self.password {
            out.push(':');
            out.push_str(&escape(password, Encoding::UserPassword));
        }
        out
    }
}

/// A `url.Parse` failure, printed as Go's `*url.Error`: `parse "URL": reason`.
#[derive(Debug)]
struct UrlError {
    url: String,
    reason: String,
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let quoted = gofmt::sprintf("%q", &[Value::from(self.url.as_str())]);
        write!(f, "parse {quoted}: {}", self.reason)
    }
}

/// Which part of a URL a string is escaped for (Go's `encoding` modes).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Path,
    Host,
    Zone,
    UserPassword,
    QueryComponent,
    Fragment,
}

impl GoUrl {
    /// `url.Parse`.
    fn parse(raw: &str) -> Result<GoUrl, UrlError> {
        let (before_fragment, fragment) = match raw.split_once('#') {
            Some((u, f)) => (u, Some(f)),
            None => (raw, None),
        };
        let mut url = GoUrl::parse_reference(before_fragment).map_err(|reason| UrlError {
            url: before_fragment.to_string(),
            reason,
        })?;
        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
            url.set_fragment(fragment).map_err(|reason| UrlError {
                url: raw.to_string(),
                reason,
            })?;
        }
        Ok(url)
    }

    /// Go's unexported `parse(rawURL, false)`.
    fn parse_reference(raw: &str) -> Result<GoUrl, String> {
        if raw.bytes().any(|b| b < b' ' || b == 0x7f) {
            return Err("net/url: invalid control character in URL".to_string());
        }
        let mut url = GoUrl::default();
        if raw == "*" {
            url.path = "*".to_string();
            return Ok(url);
        }
        let (scheme, rest) = split_scheme(raw)?;
        url.scheme = scheme.to_ascii_lowercase();
        let mut rest = rest;
        if rest.ends_with('?') && rest.matches('?').count() == 1 {
            url.force_query = true;
            rest = &rest[..rest.len() - 1];
        } else if let Some((path, query)) = rest.split_once('?') {
            url.raw_query = query.to_string();
            rest = path;
        }
        if !rest.starts_with('/') {
            if !url.scheme.is_empty() {
                // A rootless path after a scheme is opaque (RFC 3986).
                url.opaque = rest.to_string();
                return Ok(url);
            }
            let first_segment = rest.split('/').next().unwrap_or("");
            if first_segment.contains(':') {
                return Err("first path segment in URL cannot contain colon".to_string());
            }
        }
        if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
            let authority_and_path = &rest[2..];
            let (authority, path) = match authority_and_path.find('/') {
                Some(slash) => authority_and_path.split_at(slash),
                None => (authority_and_path, ""),
            };
            let (user, host) = parse_authority(authority)?;
            url.user = user;
            url.host = host;
            rest = path;
        }
        url.set_path(rest)?;
        Ok(url)
    }

    /// `setPath`: the decoded path, and the raw form only when it differs from the default
    /// encoding.
    fn set_path(&mut self, escaped: &str) -> Result<(), String> {
        self.path = unescape(escaped, Encoding::Path)?;
        self.raw_path = if escape(&self.path, Encoding::Path) == escaped {
            String::new()
        } else {
            escaped.to_string()
        };
        Ok(())
    }

    fn set_fragment(&mut self, escaped: &str) -> Result<(), String> {
        self.fragment = unescape(escaped, Encoding::Fragment)?;
        self.raw_fragment = if escape(&self.fragment, Encoding::Fragment) == escaped {
            String::new()
        } else {
            escaped.to_string()
        };
        Ok(())
    }

    /// `EscapedPath`: the raw path when it is a valid encoding of the path.
    fn escaped_path(&self) -> String {
        if !self.raw_path.is_empty()
            && valid_encoded(&self.raw_path, Encoding::Path)
            && unescape(&self.raw_path, Encoding::Path).is_ok_and(|p| p == self.path)
        {
            return self.raw_path.clone();
        }
        if self.path == "*" {
            return "*".to_string();
        }
        escape(&self.path, Encoding::Path)
    }

    fn escaped_fragment(&self) -> String {
        if !self.raw_fragment.is_empty()
            && valid_encoded(&self.raw_fragment, Encoding::Fragment)
            && unescape(&self.raw_fragment, Encoding::Fragment).is_ok_and(|f| f == self.fragment)
        {
            return self.raw_fragment.clone();
        }
        escape(&self.fragment, Encoding::Fragment)
    }

    /// `URL.Hostname`: the host without a valid port and without IPv6 brackets.
    fn hostname(&self) -> &str {
        let mut host = self.host.as_str();
        if let Some(colon) = host.rfind(':')
            && valid_optional_port(&host[colon..])
        {
            host = &host[..colon];
        }
        if host.len() >= 2 && host.starts_with('[') && host.ends_with(']') {
            host = &host[1..host.len() - 1];
        }
        host
    }

    /// `URL.String`.
    fn to_go_string(&self) -> String {
        let mut out = String::new();
        if !self.scheme.is_empty() {
            out.push_str(&self.scheme);
            out.push(':');
        }
        if !self.opaque.is_empty() {
            out.push_str(&self.opaque);
        } else {
            if !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some() {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    out.push_str("//");
                }
                if let Some(user) = &self.user {
                    out.push_str(&user.to_go_string());
                    out.push('@');
                }
                out.push_str(&escape(&self.host, Encoding::Host));
            }
            let path = self.escaped_path();
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                out.push('/');
            }
            if out.is_empty() {
                // A first segment with a colon would read as a scheme (RFC 3986 §4.2).
                let first_segment = path.split('/').next().unwrap_or("");
                if first_segment.contains(':') {
                    out.push_str("./");
                }
            }
            out.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            out.push('?');
            out.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            out.push('#');
            out.push_str(&self.escaped_fragment());
        }
        out
    }
}

/// `getScheme`: a leading `[A-Za-z][A-Za-z0-9+.-]*:` and the rest.
fn split_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".to_string()),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// `parseAuthority`: `[userinfo@]host[:port]`, split at the last `@`.
fn parse_authority(authority: &str) -> Result<(Option<UserInfo>, String), String> {
    let Some(at) = authority.rfind('@') else {
        return Ok((None, parse_host(authority)?));
    };
    let host = parse_host(&authority[at + 1..])?;
    let userinfo = &authority[..at];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".to_string());
    }
    let user = match userinfo.split_once(':') {
        None => UserInfo {
            username: unescape(userinfo, Encoding::UserPassword)?,
            password: None,
        },
        Some((name, password)) => UserInfo {
            username: unescape(name, Encoding::UserPassword)?,
            password: Some(unescape(password, Encoding::UserPassword)?),
        },
    };
    Ok((Some(user), host))
}

/// `parseHost` as of Go 1.25.9: `host[:port]`, or `[ipv6%25zone]:port` whose address must
/// parse as an IPv6 address (an IPv4 address in brackets is refused), unescaped.
fn parse_host(host: &str) -> Result<String, String> {
    if let Some(open) = host.rfind('[') {
        if open > 0 {
            return Err("invalid IP-literal".to_string());
        }
        let Some(close) = host.rfind(']') else {
            return Err("missing ']' in host".to_string());
        };
        let colon_port = &host[close + 1..];
        if !valid_optional_port(colon_port) {
            return Err(invalid_port(colon_port));
        }
        let colon_port = unescape(colon_port, Encoding::Host)?;
        let hostname = host.get(1..close).unwrap_or("");
        let address = match hostname.find("%25") {
            Some(zone) => {
                unescape(&hostname[..zone], Encoding::Host)?
                    + &unescape(&hostname[zone..], Encoding::Zone)?
            }
            None => unescape(hostname, Encoding::Host)?,
        };
        match parse_ip_address(&address) {
            Err(err) => return Err(format!("invalid host: {err}")),
            Ok(IpKind::V4) => return Err("invalid IP-literal".to_string()),
            Ok(IpKind::V6) => {}
        }
        return Ok(format!("[{address}]{colon_port}"));
    }
    if let Some(colon) = host.rfind(':') {
        let colon_port = &host[colon..];
        if !valid_optional_port(colon_port) {
            return Err(invalid_port(colon_port));
        }
    }
    unescape(host, Encoding::Host)
}

enum IpKind {
    V4,
    V6,
}

/// Go's `netip.ParseAddr`, as far as accepting and its error texts go:
/// `ParseAddr("zz"): unable to parse IP`.
fn parse_ip_address(s: &str) -> Result<IpKind, String> {
    let failure = |msg: &str, at: Option<&str>| {
        let quote = |t: &str| gofmt::sprintf("%q", &[Value::from(t)]);
        match at {
            Some(at) if !at.is_empty() => {
                format!("ParseAddr({}): {msg} (at {})", quote(s), quote(at))
            }
            _ => format!("ParseAddr({}): {msg}", quote(s)),
        }
    };
    for b in s.bytes() {
        match b {
            b'.' => {
                return parse_ipv4_fields(s)
                    .map(|()| IpKind::V4)
                    .map_err(|(m, at)| failure(m, at));
            }
            b':' => {
                return parse_ipv6(s)
                    .map(|()| IpKind::V6)
                    .map_err(|(m, at)| failure(m, at));
            }
            b'%' => return Err(failure("missing IPv6 address", None)),
            _ => {}
        }
    }
    Err(failure("unable to parse IP", None))
}

/// A netip failure: the message and, for some, the unparsed rest it occurred at.
type AddrFailure<'a> = (&'static str, Option<&'a str>);

/// netip's `parseIPv4Fields`: four decimal fields without leading zeros, each at most 255.
fn parse_ipv4_fields(s: &str) -> Result<(), AddrFailure<'_>> {
    let bytes = s.as_bytes();
    let (mut value, mut fields, mut digits) = (0u32, 0, 0);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                if digits == 1 && value == 0 {
                    return Err(("IPv4 field has octet with leading zero", None));
                }
                value = value * 10 + u32::from(b - b'0');
                digits += 1;
                if value > 255 {
                    return Err(("IPv4 field has value >255", None));
                }
            }
            b'.' => {
                if i == 0 || i == bytes.len() - 1 || bytes[i - 1] == b'.' {
                    return Err(("IPv4 field must have at least one digit", Some(&s[i..])));
                }
                if fields == 3 {
                    return Err(("IPv4 address too long", None));
                }
                fields += 1;
                value = 0;
                digits = 0;
            }
            _ => return Err(("unexpected character", Some(&s[i..]))),
        }
    }
    if fields < 3 {
        return Err(("IPv4 address too short", None));
    }
    Ok(())
}

/// netip's `parseIPv6`: colon-separated hex groups with at most one `::`, an optional
/// embedded IPv4 address in the last 32 bits and an optional non-empty `%zone`.
fn parse_ipv6(input: &str) -> Result<(), AddrFailure<'_>> {
    let mut s = input;
    if let Some(percent) = input.find('%') {
        if percent + 1 == input.len() {
            return Err(("zone must be a non-empty string", None));
        }
        s = &input[..percent];
    }
    let mut ellipsis: Option<usize> = None;
    if let Some(rest) = s.strip_prefix("::") {
        ellipsis = Some(0);
        s = rest;
        if s.is_empty() {
            return Ok(());
        }
    }
    let mut i = 0;
    while i < 16 {
        let mut off = 0;
        let mut acc: u32 = 0;
        for c in s.bytes() {
            let Some(digit) = char::from(c).to_digit(16) else {
                break;
            };
            acc = (acc << 4) + digit;
            if off > 3 {
                return Err(("each group must have 4 or less digits", Some(s)));
            }
            if acc > 0xFFFF {
                return Err(("IPv6 field has value >=2^16", Some(s)));
            }
            off += 1;
        }
        if off == 0 {
            return Err((
                "each colon-separated field must have at least one digit",
                Some(s),
            ));
        }
        if s[off..].starts_with('.') {
            if ellipsis.is_none() && i != 12 {
                return Err((
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    Some(s),
                ));
            }
            if i + 4 > 16 {
                return Err((
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    Some(s),
                ));
            }
            // The embedded address's errors name the whole input, as netip's do.
            parse_ipv4_fields(s)?;
            s = "";
            i += 4;
            break;
        }
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if !s.starts_with(':') {
            return Err(("unexpected character, want colon", Some(s)));
        }
        if s.len() == 1 {
            return Err(("colon must be followed by more characters", Some(s)));
        }
        s = &s[1..];
        if s.starts_with(':') {
            if ellipsis.is_some() {
                return Err(("multiple :: in address", Some(s)));
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(("trailing garbage after address", Some(s)));
    }
    if i < 16 {
        if ellipsis.is_none() {
            return Err(("address string too short", None));
        }
    } else if ellipsis.is_some() {
        return Err(("the :: must expand to at least one field of zeros", None));
    }
    Ok(())
}

fn invalid_port(colon_port: &str) -> String {
    let quoted = gofmt::sprintf("%q", &[Value::from(colon_port)]);
    format!("invalid port {quoted} after host")
}

/// Either "" or `:` followed by digits only.
fn valid_optional_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// RFC 3986 userinfo characters (percent escapes are checked when unescaping).
fn valid_userinfo(s: &str) -> bool {
    s.chars().all(|c| {
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
    })
}

/// Go's `shouldEscape`.
fn should_escape(c: u8, mode: Encoding) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Encoding::Host | Encoding::Zone)
        && matches!(
            c,
            b'!' | b'$'
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
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Encoding::Path => return c == b'?',
            Encoding::UserPassword => return matches!(c, b'@' | b'/' | b'?' | b':'),
            Encoding::QueryComponent => return true,
            Encoding::Fragment => return false,
            Encoding::Host | Encoding::Zone => {}
        },
        _ => {}
    }
    if mode == Encoding::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

/// Go's `escape`: `%XX` for every byte that `should_escape`, `+` for spaces in query
/// components.
fn escape(s: &str, mode: Encoding) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b == b' ' && mode == Encoding::QueryComponent {
            out.push('+');
        } else if should_escape(b, mode) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(char::from(b));
        }
    }
    // Only ASCII bytes were pushed one by one above when they were not escaped; multi-byte
    // characters are always escaped (their bytes are >= 0x80), so `out` is ASCII.
    out
}

/// Go's `unescape`, with its errors: `invalid URL escape "%zz"` and, in hosts,
/// `invalid character " " in host name`.
fn unescape(s: &str, mode: Encoding) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let valid = i + 2 < bytes.len()
                    && bytes[i + 1].is_ascii_hexdigit()
                    && bytes[i + 2].is_ascii_hexdigit();
                if !valid {
                    // Go cuts three bytes, possibly inside a character.
                    let end = (i + 3).min(bytes.len());
                    return Err(escape_error(&bytes[i..end]));
                }
                let value = hex_value(bytes[i + 1]) << 4 | hex_value(bytes[i + 2]);
                let escape_text = &s[i..i + 3];
                if mode == Encoding::Host && hex_value(bytes[i + 1]) < 8 && escape_text != "%25" {
                    return Err(escape_error(escape_text.as_bytes()));
                }
                if mode == Encoding::Zone
                    && escape_text != "%25"
                    && value != b' '
                    && should_escape(value, Encoding::Host)
                {
                    return Err(escape_error(escape_text.as_bytes()));
                }
                i += 3;
            }
            b if matches!(mode, Encoding::Host | Encoding::Zone)
                && b < 0x80
                && should_escape(b, mode) =>
            {
                let quoted = gofmt::sprintf("%q", &[Value::from(&s[i..=i])]);
                return Err(format!("invalid character {quoted} in host name"));
            }
            _ => i += 1,
        }
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                out.push(hex_value(bytes[i + 1]) << 4 | hex_value(bytes[i + 2]));
                i += 3;
            }
            b'+' if mode == Encoding::QueryComponent => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    // Go keeps the raw bytes; our strings are UTF-8, so invalid sequences become U+FFFD.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn escape_error(text: &[u8]) -> String {
    let quoted = gofmt::sprintf("%q", &[Value::Bytes(text.into())]);
    format!("invalid URL escape {quoted}")
}

fn hex_value(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// `validEncoded`: no byte that would need escaping, apart from sub-delimiters, `:`, `@`,
/// brackets and `%`.
fn valid_encoded(s: &str, mode: Encoding) -> bool {
    s.bytes().all(|b| {
        matches!(
            b,
            b'!' | b'$'
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
                | b'@'
                | b'['
                | b']'
                | b'%'
        ) || !should_escape(b, mode)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(raw: &str) -> GoUrl {
        GoUrl::parse(raw).unwrap_or_else(|e| panic!("{raw}: {}", e.reason))
    }

    #[test]
    fn parses_like_go() {
        // Expected values from Helm 4.1.4's `urlParse`.
        let url = parts("https://user:pa%20ss@example.com:8080/p/a%2Fb?q=1&r=a+b#frag%21");
        assert_eq!(url.scheme, "https");
        assert_eq!(url.host, "example.com:8080");
        assert_eq!(url.hostname(), "example.com");
        assert_eq!(url.path, "/p/a/b");
        assert_eq!(url.raw_query, "q=1&r=a+b");
        assert_eq!(url.fragment, "frag!");
        assert_eq!(
            url.user.as_ref().map(UserInfo::to_go_string).as_deref(),
            Some("user:pa%20ss")
        );
        let mail = parts("mailto:joe@x.com");
        assert_eq!(
            (mail.scheme.as_str(), mail.opaque.as_str()),
            ("mailto", "joe@x.com")
        );
        let relative = parts("/rel/path?x");
        assert_eq!(
            (relative.path.as_str(), relative.raw_query.as_str()),
            ("/rel/path", "x")
        );
        let network = parts("//host/p");
        assert_eq!(
            (network.host.as_str(), network.path.as_str()),
            ("host", "/p")
        );
    }

    #[test]
    fn prints_like_go() {
        // Expected value from Helm 4.1.4's `urlJoin`.
        let url = GoUrl {
            scheme: "https".into(),
            host: "example.com".into(),
            path: "/a b/ä".into(),
            raw_query: "x=1".into(),
            fragment: "f g".into(),
            user: Some(UserInfo {
                username: "u".into(),
                password: Some("p@".into()),
            }),
            ..GoUrl::default()
        };
        assert_eq!(
            url.to_go_string(),
            "https://u:p%40@example.com/a%20b/%C3%A4?x=1#f%20g"
        );
        assert_eq!(parts("a/b:c").to_go_string(), "a/b:c");
        assert_eq!(
            GoUrl {
                path: "a:b".into(),
                ..GoUrl::default()
            }
            .to_go_string(),
            "./a:b"
        );
    }
}

#[cfg(test)]
#[path = "network/tests.rs"]
mod helm_tests;
