//! Template functions: random strings, numbers and UUIDs, drawn from the render's source.
//!
//! Sprig takes these from Go's `crypto/rand` (strings, bytes, UUIDs) and `math/rand`
//! (`randInt`, `shuffle`); here every one draws from [`FnCtx::random`], so that a seeded
//! render is reproducible. The character sets and edge cases follow Sprig v3.3.0 and the
//! libraries it calls (Masterminds/goutils, google/uuid, huandu/xstrings).

use super::encoding::base64_encode;
use super::{Args, FnCtx, FnError, Func, GoType};
use crate::value::Value;

pub(super) const FUNCS: &[Func] = &[
    Func {
        name: "randAlphaNum",
        params: &[GoType::Int],
        variadic: None,
        call: rand_alpha_num,
    },
    Func {
        name: "randAlpha",
        params: &[GoType::Int],
        variadic: None,
        call: rand_alpha,
    },
    Func {
        name: "randNumeric",
        params: &[GoType::Int],
        variadic: None,
        call: rand_numeric,
    },
    Func {
        name: "randAscii",
        params: &[GoType::Int],
        variadic: None,
        call: rand_ascii,
    },
    Func {
        name: "randBytes",
        params: &[GoType::Int],
        variadic: None,
        call: rand_bytes,
    },
    Func {
        name: "randInt",
        params: &[GoType::Int, GoType::Int],
        variadic: None,
        call: rand_int,
    },
    Func {
        name: "uuidv4",
        params: &[],
        variadic: None,
        call: uuidv4,
    },
    Func {
        name: "shuffle",
        params: &[GoType::String],
        variadic: None,
        call: shuffle,
    },
];

const DIGITS: &str = "0123456789";
const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALPHANUMERIC: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The largest count these functions accept. Go allocates whatever is asked for (and dies of
/// exhaustion on absurd counts); we refuse early, with the panic text Go gives for lengths it
/// cannot allocate at all.
const MAX_COUNT: i64 = 1 << 30;

/// The message of Go's panic when `make` is given a negative or impossible length.
const MAKESLICE_PANIC: &str = "runtime error: makeslice: len out of range";

/// The `int` argument at `index` (the evaluator guarantees the declared type).
fn arg_int(args: &[Value], index: usize) -> i64 {
    match args.get(index) {
        Some(Value::Int(i, _)) => *i,
        _ => 0,
    }
}

/// A string of `count` characters drawn uniformly from `charset`. goutils draws candidates
/// from `' '..='z'` and keeps those in the set, which is the same uniform choice; a negative
/// count is an error that Sprig discards, leaving an empty string.
fn random_string(ctx: &mut FnCtx<'_>, args: &[Value], charset: &str) -> Result<Value, FnError> {
    let count = arg_int(args, 0);
    if count <= 0 {
        return Ok(Value::from(""));
    }
    if count > MAX_COUNT {
        return Err(FnError::new(MAKESLICE_PANIC));
    }
    let chars = charset.as_bytes();
    let out: String = (0..count)
        .map(|_| {
            let index = ctx.random().below(chars.len() as u64) as usize;
            char::from(chars.get(index).copied().unwrap_or(b'0'))
        })
        .collect();
    Ok(Value::from(out))
}

fn rand_alpha_num(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    random_string(ctx, &args, ALPHANUMERIC)
}

fn rand_alpha(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    random_string(ctx, &args, LETTERS)
}

fn rand_numeric(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    random_string(ctx, &args, DIGITS)
}

/// Printable ASCII: goutils' `CryptoRandomAscii` draws from 32 (space) to 126 (`~`).
fn rand_ascii(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let printable: String = (b' '..=b'~').map(char::from).collect();
    random_string(ctx, &args, &printable)
}

/// `count` random bytes, base64-encoded. Go's `make([]byte, count)` panics on a negative count.
fn rand_bytes(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let count = arg_int(&args, 0);
    if !(0..=MAX_COUNT).contains(&count) {
        return Err(FnError::new(MAKESLICE_PANIC));
    }
    let mut buf = vec![0u8; usize::try_from(count).unwrap_or_default()];
    ctx.random().fill(&mut buf);
    Ok(Value::from(base64_encode(&buf)))
}

/// `rand.Intn(max-min) + min` in Go's wrapping `int` arithmetic: `min` inclusive, `max`
/// exclusive, and `Intn` panics unless `max-min` is positive.
fn rand_int(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (min, max) = (arg_int(&args, 0), arg_int(&args, 1));
    let span = max.wrapping_sub(min);
    if span <= 0 {
        return Err(FnError::new("invalid argument to Intn"));
    }
    let offset = ctx.random().below(span.unsigned_abs()) as i64;
    Ok(Value::int(offset.wrapping_add(min)))
}

/// A random (version 4, RFC 4122 variant) UUID in lowercase, as google/uuid's `New`.
fn uuidv4(ctx: &mut FnCtx<'_>, _: Args) -> Result<Value, FnError> {
    let mut bytes = [0u8; 16];
    ctx.random().fill(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = super::encoding::hex(&bytes);
    let part = |range: std::ops::Range<usize>| hex.get(range).unwrap_or_default();
    let uuid = format!(
        "{}-{}-{}-{}-{}",
        part(0..8),
        part(8..12),
        part(12..16),
        part(16..20),
        part(20..32)
    );
    Ok(Value::from(uuid))
}

/// xstrings' `Shuffle`: a Fisher–Yates shuffle of the string's characters.
fn shuffle(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let mut chars: Vec<char> = args
        .first()
        .and_then(Value::as_str)
        .unwrap_or_default()
        .chars()
        .collect();
    for i in (1..chars.len()).rev() {
        let j = ctx.random().below(i as u64 + 1) as usize;
        chars.swap(i, j);
    }
    Ok(Value::from(chars.into_iter().collect::<String>()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::FuncEnv;
    use crate::random::Random;

    fn call_with(random: &mut Random, name: &str, args: Vec<Value>) -> Result<Value, FnError> {
        let func = FUNCS.iter().find(|f| f.name == name).expect("registered");
        let env = FuncEnv::default();
        let mut ctx = FnCtx::new(random, &env);
        (func.call)(&mut ctx, args.into())
    }

    fn call(name: &str, args: Vec<Value>) -> Result<Value, FnError> {
        call_with(&mut Random::from_entropy(), name, args)
    }

    fn call_str(name: &str, args: Vec<Value>) -> String {
        call(name, args)
            .expect("no error")
            .as_str()
            .expect("a string")
            .to_owned()
    }

    fn full_match(pattern: &str, text: &str) -> bool {
        regex::Regex::new(&format!("^(?:{pattern})$"))
            .expect("valid regex")
            .is_match(text)
    }

    /// The shape cases of `testdata/conformance/template/20-random.yaml` and
    /// `15-encoding-crypto.yaml`, run many times.
    #[test]
    fn outputs_have_helms_shapes() {
        for _ in 0..200 {
            let cases = [
                (
                    "uuidv4",
                    vec![],
                    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                ),
                ("randAlphaNum", vec![Value::int(12)], "[A-Za-z0-9]{12}"),
                ("randAlpha", vec![Value::int(8)], "[A-Za-z]{8}"),
                ("randNumeric", vec![Value::int(6)], "[0-9]{6}"),
                ("randAscii", vec![Value::int(10)], "[ -~]{10}"),
                ("randInt", vec![Value::int(5), Value::int(8)], "[567]"),
                ("randBytes", vec![Value::int(6)], "[A-Za-z0-9+/]{8}"),
                (
                    "shuffle",
                    vec![Value::from("abc")],
                    "(abc|acb|bac|bca|cab|cba)",
                ),
            ];
            for (name, args, pattern) in cases {
                let out = match call(name, args).expect("no error") {
                    Value::Int(i, crate::value::IntType::Int) => i.to_string(),
                    other => other.as_str().expect("a string").to_owned(),
                };
                assert!(full_match(pattern, &out), "{name} gave {out:?}");
            }
        }
    }

    #[test]
    fn every_character_of_the_sets_appears() {
        let ascii = call_str("randAscii", vec![Value::int(20_000)]);
        assert!((b' '..=b'~').all(|c| ascii.contains(char::from(c))));
        let alnum = call_str("randAlphaNum", vec![Value::int(20_000)]);
        assert!(ALPHANUMERIC.chars().all(|c| alnum.contains(c)));
    }

    #[test]
    fn zero_and_negative_counts_give_empty_strings() {
        for name in ["randAlphaNum", "randAlpha", "randNumeric", "randAscii"] {
            assert_eq!(call_str(name, vec![Value::int(0)]), "");
            assert_eq!(call_str(name, vec![Value::int(-3)]), "");
        }
        assert_eq!(call_str("randBytes", vec![Value::int(0)]), "");
        assert_eq!(call_str("shuffle", vec![Value::from("")]), "");
        assert_eq!(call_str("shuffle", vec![Value::from("é")]), "é");
    }

    /// Error texts from Helm 4.1.4.
    #[test]
    fn go_panics_become_errors() {
        let err = |name, args| call(name, args).expect_err("an error").message;
        assert_eq!(
            err("randInt", vec![Value::int(5), Value::int(5)]),
            "invalid argument to Intn"
        );
        assert_eq!(
            err("randInt", vec![Value::int(5), Value::int(1)]),
            "invalid argument to Intn"
        );
        assert_eq!(
            err("randInt", vec![Value::int(i64::MIN), Value::int(i64::MAX)]),
            "invalid argument to Intn"
        );
        assert_eq!(err("randBytes", vec![Value::int(-1)]), MAKESLICE_PANIC);
    }

    #[test]
    fn rand_int_covers_its_range_and_returns_int() {
        let mut seen = [false; 3];
        for _ in 0..300 {
            match call("randInt", vec![Value::int(-1), Value::int(2)]).expect("no error") {
                Value::Int(i, crate::value::IntType::Int) => {
                    seen[usize::try_from(i + 1).expect("in range")] = true
                }
                other => panic!("not an int: {other:?}"),
            }
        }
        assert_eq!(seen, [true; 3]);
        // The widest span `int` can hold does not overflow.
        let widest = call("randInt", vec![Value::int(i64::MIN), Value::int(-1)]).expect("no error");
        assert!(matches!(widest, Value::Int(i, _) if i < -1));
    }

    #[test]
    fn shuffle_keeps_the_characters() {
        let out = call_str("shuffle", vec![Value::from("héllo wörld")]);
        let (mut a, mut b): (Vec<char>, Vec<char>) =
            (out.chars().collect(), "héllo wörld".chars().collect());
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
    }

    #[test]
    fn a_seeded_source_repeats_itself() {
        let run = |seed| {
            let mut random = Random::from_seed(seed);
            ["uuidv4", "randAlphaNum"]
                .map(|name| {
                    let args = if name == "uuidv4" {
                        vec![]
                    } else {
                        vec![Value::int(16)]
                    };
                    call_with(&mut random, name, args)
                        .expect("no error")
                        .as_str()
                        .expect("a string")
                        .to_owned()
                })
                .join(" ")
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));
    }
}
