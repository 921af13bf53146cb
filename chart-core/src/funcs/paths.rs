//! Template functions: paths. Go's `path` package (`base`, `dir`, `clean`, `ext`, `isAbs`)
//! and `path/filepath` (`osBase`, `osClean`, `osDir`, `osExt`, `osIsAbs`), which on Linux,
//! where Helm's behaviour is pinned, are the same slash-separated functions.

use super::{Args, FnCtx, FnError, Func, GoType};
use crate::value::Value;

pub(super) const FUNCS: &[Func] = &[
    func("base", base),
    func("dir", dir),
    func("clean", clean),
    func("ext", ext),
    func("isAbs", is_abs),
    func("osBase", base),
    func("osClean", clean),
    func("osDir", dir),
    func("osExt", ext),
    func("osIsAbs", is_abs),
];

const fn func(name: &'static str, call: super::NativeFn) -> Func {
    Func {
        name,
        params: &[GoType::String],
        variadic: None,
        call,
    }
}

fn path_arg(args: &[Value]) -> &str {
    args.first().and_then(Value::as_str).unwrap_or("")
}

fn base(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(path_base(path_arg(&args))))
}

fn dir(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(path_dir(path_arg(&args))))
}

fn clean(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(path_clean(path_arg(&args))))
}

fn ext(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(path_ext(path_arg(&args))))
}

fn is_abs(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::Bool(path_arg(&args).starts_with('/')))
}

/// `path.Base`: the last element after trailing slashes are removed; `.` for an empty path
/// and `/` for a path of slashes only.
pub fn path_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(slash) => &trimmed[slash + 1..],
        None => trimmed,
    }
}

/// `path.Dir`: everything before the last slash, cleaned.
pub fn path_dir(path: &str) -> String {
    let head = match path.rfind('/') {
        Some(slash) => &path[..=slash],
        None => "",
    };
    path_clean(head)
}

/// `path.Ext`: the suffix from the last `.` of the last element, or "".
pub fn path_ext(path: &str) -> &str {
    for (i, b) in path.bytes().enumerate().rev() {
        match b {
            b'/' => break,
            b'.' => return &path[i..],
            _ => {}
        }
    }
    ""
}

/// `path.Clean`: the shortest equivalent path, by lexical processing (repeated slashes
/// collapse, `.` elements go, `..` elements eat the element before them, a rooted path
/// cannot climb above `/`); `.` for an empty result.
pub fn path_clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    // How many leading `..` elements a relative path keeps; they are never eaten.
    let mut kept_parents = 0;
    for element in path.split('/') {
        match element {
            "" | "." => {}
            ".." => {
                if parts.len() > kept_parents {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                    kept_parents += 1;
                }
            }
            _ => parts.push(element),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::strings::conformance::{HelmCase, check_helm_cases};

    #[test]
    fn path_functions_match_helm() {
        check_helm_cases("paths", HELM_CASES);
    }

    /// Cases rendered by Helm 4.1.4; regenerate the expectations with the real Helm, never
    /// by hand.
    const HELM_CASES: &[HelmCase] = &[
        HelmCase {
            template: r#"{{ base "a/b/" }}|{{ dir "a/b/" }}|{{ clean "a//b/../c/." }}|{{ ext "a.b/c" }}|{{ ext "x.tar.gz" }}|{{ isAbs "/x" }}|{{ base "" }}|{{ dir "" }}|{{ clean "" }}|{{ base "///" }}|{{ dir "/a" }}|{{ isAbs "" }}"#,
            values: r#""#,
            expected: Ok(r#"b|a/b|a/c||.gz|true|.|.|.|/|/|false"#),
        },
        HelmCase {
            template: r#"{{ osBase "a/b" }}|{{ osDir "/" }}|{{ osClean "../../a/.." }}|{{ osExt ".bashrc" }}|{{ osIsAbs "a" }}|{{ osClean "/../x//y/./z/.." }}|{{ osDir "a" }}|{{ osBase "a\\b" }}|{{ clean "./" }}|{{ clean "a/../.." }}"#,
            values: r#""#,
            expected: Ok(r#"b|/|../..|.bashrc|false|/x/y|.|a\b|.|.."#),
        },
    ];

    #[test]
    fn paths_match_go() {
        // Expected values from Helm 4.1.4.
        assert_eq!(path_base("a/b/"), "b");
        assert_eq!(path_base(""), ".");
        assert_eq!(path_base("///"), "/");
        assert_eq!(path_dir("a/b/"), "a/b");
        assert_eq!(path_dir(""), ".");
        assert_eq!(path_dir("/a"), "/");
        assert_eq!(path_dir("/"), "/");
        assert_eq!(path_clean("a//b/../c/."), "a/c");
        assert_eq!(path_clean(""), ".");
        assert_eq!(path_clean("../../a/.."), "../..");
        assert_eq!(path_clean("/../a"), "/a");
        assert_eq!(path_clean("a/../.."), "..");
        assert_eq!(path_clean("./"), ".");
        assert_eq!(path_ext("a.b/c"), "");
        assert_eq!(path_ext("x.tar.gz"), ".gz");
        assert_eq!(path_ext(".bashrc"), ".bashrc");
    }
}
