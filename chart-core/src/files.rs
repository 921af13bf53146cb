//! `.Files`: the chart's non-template files (Helm's `engine.files`), with its methods
//! `Get`, `GetBytes`, `Glob`, `Lines`, `AsConfig` and `AsSecrets`.

use std::sync::Arc;

use crate::funcs::{Args, FnCtx, FnError, Func, GoType};
use crate::value::{Entries, ListType, Map, MapType, Value};

/// Builds the `.Files` value from `(path, contents)` pairs.
pub fn files_value<'a>(files: impl IntoIterator<Item = (&'a str, &'a Arc<[u8]>)>) -> Value {
    let entries: Entries = files
        .into_iter()
        .map(|(name, data)| (name.into(), Value::Bytes(data.clone())))
        .collect();
    Value::Map(Map::from_entries(MapType::Files, entries))
}

/// The method `name` of `engine.files`.
pub(crate) fn method(name: &str) -> Option<&'static Func> {
    METHODS.iter().find(|f| f.name == name)
}

static METHODS: &[Func] = &[
    Func {
        name: "Get",
        params: &[GoType::String],
        variadic: None,
        call: get,
    },
    Func {
        name: "GetBytes",
        params: &[GoType::String],
        variadic: None,
        call: get_bytes,
    },
    Func {
        name: "Glob",
        params: &[GoType::String],
        variadic: None,
        call: glob,
    },
    Func {
        name: "Lines",
        params: &[GoType::String],
        variadic: None,
        call: lines,
    },
    Func {
        name: "AsConfig",
        params: &[],
        variadic: None,
        call: as_config,
    },
    Func {
        name: "AsSecrets",
        params: &[],
        variadic: None,
        call: as_secrets,
    },
];

fn receiver(args: &[Value]) -> Map {
    match args.first() {
        Some(Value::Map(m)) => m.clone(),
        _ => Map::with_type(MapType::Files),
    }
}

fn bytes_of(m: &Map, name: &str) -> Option<Arc<[u8]>> {
    match m.get(name) {
        Some(Value::Bytes(b)) => Some(b),
        _ => None,
    }
}

fn name_arg(args: &[Value]) -> &str {
    args.get(1).and_then(Value::as_str).unwrap_or_default()
}

fn get(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let data = bytes_of(&receiver(&args), name_arg(&args));
    Ok(Value::from(
        data.map(|b| crate::value::gostring::from_go_bytes(&b).into_owned())
            .unwrap_or_default(),
    ))
}

fn get_bytes(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let data = bytes_of(&receiver(&args), name_arg(&args));
    Ok(Value::Bytes(data.unwrap_or_else(|| Arc::from(&[][..]))))
}

fn glob(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let m = receiver(&args);
    // gobwas/glob: an invalid pattern falls back to `**`, which matches everything.
    let pattern = Glob::compile(name_arg(&args))
        .unwrap_or_else(|| Glob::compile("**").unwrap_or(Glob { tokens: vec![] }));
    let entries: Entries = m.with_entries(|e| {
        e.iter()
            .filter(|(k, _)| pattern.matches(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    });
    Ok(Value::Map(Map::from_entries(MapType::Files, entries)))
}

fn lines(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let Some(data) = bytes_of(&receiver(&args), name_arg(&args)) else {
        return Ok(Value::List(crate::value::List::with_type(
            ListType::Str,
            vec![],
        )));
    };
    let s = crate::value::gostring::from_go_bytes(&data).into_owned();
    if s.is_empty() {
        return Err(FnError::new("runtime error: index out of range [-1]"));
    }
    let s = s.strip_suffix('\n').unwrap_or(&s);
    Ok(Value::str_list(s.split('\n').map(str::to_string)))
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn files_as_map(m: &Map, encode: fn(&[u8]) -> String) -> Value {
    let entries: Entries = m.with_entries(|e| {
        e.iter()
            .map(|(k, v)| {
                let data = match v {
                    Value::Bytes(b) => encode(b),
                    _ => String::new(),
                };
                (base_name(k).into(), Value::from(data))
            })
            .collect()
    });
    Value::Map(Map::from_entries(MapType::Str, entries))
}

fn as_config(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let v = files_as_map(&receiver(&args), |b| {
        crate::value::gostring::from_go_bytes(b).into_owned()
    });
    Ok(Value::from(crate::yaml::to_yaml(&v).unwrap_or_default()))
}

fn as_secrets(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    use base64_engine::encode;
    let v = files_as_map(&receiver(&args), encode);
    Ok(Value::from(crate::yaml::to_yaml(&v).unwrap_or_default()))
}

mod base64_engine {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// Standard base64 with padding.
    pub(super) fn encode(data: &[u8]) -> String {
        let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
        for chunk in data.chunks(3) {
            let b = [
                chunk[0],
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}

/// A glob pattern with gobwas/glob semantics and `/` as separator: `*` matches within a path
/// segment, `**` across segments, `?` one non-separator character, `[...]`/`[!...]` classes,
/// `{a,b}` alternatives, and `\` escapes.
#[derive(Clone, Debug)]
pub struct Glob {
    tokens: Vec<Token>,
}

#[derive(Clone, Debug)]
enum Token {
    Literal(char),
    Any,
    Star,
    SuperStar,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    Alternatives(Vec<Glob>),
}

impl Glob {
    /// Compiles a pattern; `None` when it is malformed.
    pub fn compile(pattern: &str) -> Option<Glob> {
        let chars: Vec<char> = pattern.chars().collect();
        let (g, rest) = Self::parse(&chars, false)?;
        if !rest.is_empty() {
            return None;
        }
        Some(g)
    }

    fn parse(mut s: &[char], in_alt: bool) -> Option<(Glob, &[char])> {
        let mut tokens = Vec::new();
        while let Some((&c, rest)) = s.split_first() {
            match c {
                ',' | '}' if in_alt => break,
                '*' => {
                    if rest.first() == Some(&'*') {
                        tokens.push(Token::SuperStar);
                        s = &rest[1..];
                    } else {
                        tokens.push(Token::Star);
                        s = rest;
                    }
                    continue;
                }
                '?' => tokens.push(Token::Any),
                '\\' => {
                    let (&e, r) = rest.split_first()?;
                    tokens.push(Token::Literal(e));
                    s = r;
                    continue;
                }
                '[' => {
                    let mut r = rest;
                    let negated = r.first() == Some(&'!');
                    if negated {
                        r = &r[1..];
                    }
                    let mut ranges = Vec::new();
                    loop {
                        let (&a, r2) = r.split_first()?;
                        if a == ']' {
                            r = r2;
                            break;
                        }
                        if r2.first() == Some(&'-') && r2.get(1).is_some_and(|&b| b != ']') {
                            ranges.push((a, r2[1]));
                            r = &r2[2..];
                        } else {
                            ranges.push((a, a));
                            r = r2;
                        }
                    }
                    tokens.push(Token::Class { negated, ranges });
                    s = r;
                    continue;
                }
                '{' => {
                    let mut alts = Vec::new();
                    let mut r = rest;
                    loop {
                        let (g, r2) = Self::parse(r, true)?;
                        alts.push(g);
                        let (&sep, r3) = r2.split_first()?;
                        r = r3;
                        if sep == '}' {
                            break;
                        }
                    }
                    tokens.push(Token::Alternatives(alts));
                    s = r;
                    continue;
                }
                c => tokens.push(Token::Literal(c)),
            }
            s = rest;
        }
        Some((Glob { tokens }, s))
    }

    /// Whether `text` matches the whole pattern.
    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        Self::match_tokens(&self.tokens, &chars)
    }

    fn match_tokens(tokens: &[Token], text: &[char]) -> bool {
        let Some((tok, rest)) = tokens.split_first() else {
            return text.is_empty();
        };
        match tok {
            Token::Literal(c) => text.first() == Some(c) && Self::match_tokens(rest, &text[1..]),
            Token::Any => {
                text.first().is_some_and(|&c| c != '/') && Self::match_tokens(rest, &text[1..])
            }
            Token::Class { negated, ranges } => {
                text.first().is_some_and(|&c| {
                    let inside = ranges.iter().any(|&(a, b)| a <= c && c <= b);
                    inside != *negated
                }) && Self::match_tokens(rest, &text[1..])
            }
            Token::Star => {
                for i in 0..=text.len() {
                    if Self::match_tokens(rest, &text[i..]) {
                        return true;
                    }
                    if text.get(i) == Some(&'/') {
                        break;
                    }
                }
                false
            }
            Token::SuperStar => (0..=text.len()).any(|i| Self::match_tokens(rest, &text[i..])),
            Token::Alternatives(alts) => alts.iter().any(|alt| {
                let mut combined = alt.tokens.clone();
                combined.extend_from_slice(rest);
                Self::match_tokens(&combined, text)
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_follows_gobwas() {
        let g = |p: &str, t: &str| Glob::compile(p).is_some_and(|g| g.matches(t));
        assert!(g("*.txt", "a.txt"));
        assert!(!g("*.txt", "dir/a.txt"));
        assert!(g("**.txt", "dir/a.txt"));
        assert!(g("files/*", "files/a"));
        assert!(g("{a,b}/*.yaml", "b/x.yaml"));
        assert!(g("[a-c]?", "bz"));
        assert!(!g("[!a-c]?", "bz"));
    }

    #[test]
    fn base64_matches_std() {
        assert_eq!(base64_engine::encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_engine::encode(b""), "");
    }
}
