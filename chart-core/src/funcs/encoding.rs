//! Template functions: Sprig's encodings and checksums (`b64enc`, `b64dec`, `b32enc`, `b32dec`,
//! `sha1sum`, `sha256sum`, `sha512sum`, `adler32sum`).
//!
//! The decoders are written to Go's `encoding/base64` and `encoding/base32` rules rather than
//! taken from a crate, because Sprig's `b64dec`/`b32dec` print Go's error text (`illegal base64
//! data at input byte 3`) as their result, and the byte offset in it follows Go's decoder
//! exactly: newlines are skipped, padding is mandatory, trailing bits are ignored.

use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use super::{Args, FnCtx, FnError, Func, GoType};
use crate::value::Value;

pub(super) const FUNCS: &[Func] = &[
    Func {
        name: "b64enc",
        params: &[GoType::String],
        variadic: None,
        call: b64enc,
    },
    Func {
        name: "b64dec",
        params: &[GoType::String],
        variadic: None,
        call: b64dec,
    },
    Func {
        name: "b32enc",
        params: &[GoType::String],
        variadic: None,
        call: b32enc,
    },
    Func {
        name: "b32dec",
        params: &[GoType::String],
        variadic: None,
        call: b32dec,
    },
    Func {
        name: "sha1sum",
        params: &[GoType::String],
        variadic: None,
        call: sha1sum,
    },
    Func {
        name: "sha256sum",
        params: &[GoType::String],
        variadic: None,
        call: sha256sum,
    },
    Func {
        name: "sha512sum",
        params: &[GoType::String],
        variadic: None,
        call: sha512sum,
    },
    Func {
        name: "adler32sum",
        params: &[GoType::String],
        variadic: None,
        call: adler32sum,
    },
];

/// The string argument at `index` (the evaluator guarantees the declared `string` type).
fn arg_str(args: &[Value], index: usize) -> &str {
    args.get(index).and_then(Value::as_str).unwrap_or_default()
}

/// Go's `string([]byte)`: bytes that are not UTF-8 are carried escaped (see
/// [`crate::value::gostring`]).
pub(crate) fn string_from_bytes(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => crate::value::gostring::from_go_bytes(s.as_bytes()).into_owned(),
        Err(err) => crate::value::gostring::from_go_bytes(err.as_bytes()).into_owned(),
    }
}

fn b64enc(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(base64_encode(
        &crate::value::gostring::to_go_bytes(arg_str(&args, 0)),
    )))
}

/// Sprig returns the decoder's error text in place of the decoded string.
fn b64dec(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(
        match base64_decode(&crate::value::gostring::to_go_bytes(arg_str(&args, 0))) {
            Ok(bytes) => string_from_bytes(bytes),
            Err(err) => err.to_string(),
        },
    ))
}

fn b32enc(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(base32_encode(
        &crate::value::gostring::to_go_bytes(arg_str(&args, 0)),
    )))
}

/// Sprig returns the decoder's error text in place of the decoded string.
fn b32dec(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(
        match base32_decode(&crate::value::gostring::to_go_bytes(arg_str(&args, 0))) {
            Ok(bytes) => string_from_bytes(bytes),
            Err(err) => err.to_string(),
        },
    ))
}

fn sha1sum(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(hex(&Sha1::digest(
        crate::value::gostring::to_go_bytes(arg_str(&args, 0)),
    ))))
}

fn sha256sum(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(hex(&Sha256::digest(
        crate::value::gostring::to_go_bytes(arg_str(&args, 0)),
    ))))
}

fn sha512sum(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(hex(&Sha512::digest(
        crate::value::gostring::to_go_bytes(arg_str(&args, 0)),
    ))))
}

/// Sprig prints the checksum with `%d`: a decimal `uint32`.
fn adler32sum(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(
        adler2::adler32_slice(&crate::value::gostring::to_go_bytes(arg_str(&args, 0))).to_string(),
    ))
}

/// Lowercase hexadecimal, as Go's `hex.EncodeToString`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// A decoder's failure, printed as Go's `CorruptInputError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CorruptInput {
    /// `encoding/base64` rejected the byte at this offset.
    #[error("illegal base64 data at input byte {0}")]
    Base64(usize),
    /// `encoding/base32` rejected the byte at this offset.
    #[error("illegal base32 data at input byte {0}")]
    Base32(usize),
}

const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const PAD: u8 = b'=';

/// Go's `base64.StdEncoding.EncodeToString`: standard alphabet, `=` padding.
pub(crate) fn base64_encode(src: &[u8]) -> String {
    let mut out = String::with_capacity(src.len().div_ceil(3) * 4);
    for chunk in src.chunks(3) {
        let b =
            [chunk.first(), chunk.get(1), chunk.get(2)].map(|b| u32::from(b.copied().unwrap_or(0)));
        let group = (b[0] << 16) | (b[1] << 8) | b[2];
        let sextets = chunk.len() + 1;
        for i in 0..4 {
            if i < sextets {
                let index = (group >> (18 - 6 * i)) & 0x3f;
                out.push(char::from(BASE64_ALPHABET[index as usize]));
            } else {
                out.push(char::from(PAD));
            }
        }
    }
    out
}

/// Go's `base64.StdEncoding.DecodedLen`: the capacity of the buffer `DecodeString` returns
/// (visible in Go's slice-bounds panics, see `decryptAES`).
pub(crate) fn base64_decoded_len(encoded_len: usize) -> usize {
    encoded_len / 4 * 3
}

fn base64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn is_newline(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// Go's `base64.StdEncoding.DecodeString`, quantum by quantum as Go's `decodeQuantum` reads
/// it: `\r` and `\n` are skipped anywhere, a final quantum needs its `=` padding, nothing but
/// newlines may follow the padding, and unused trailing bits are ignored.
pub(crate) fn base64_decode(src: &[u8]) -> Result<Vec<u8>, CorruptInput> {
    let err = CorruptInput::Base64;
    let mut out = Vec::with_capacity(base64_decoded_len(src.len()));
    let mut si = 0;
    while si < src.len() {
        let mut quantum = [0u8; 4];
        let mut sextets = 4;
        let mut trailing_garbage = None;
        let mut j = 0;
        while j < 4 {
            let Some(&c) = src.get(si) else {
                if j == 0 {
                    return Ok(out);
                }
                // The input ended inside a quantum that has no padding.
                return Err(err(si - j));
            };
            si += 1;
            if let Some(value) = base64_value(c) {
                quantum[j] = value;
                j += 1;
                continue;
            }
            if is_newline(c) {
                continue;
            }
            if c != PAD || j < 2 {
                return Err(err(si - 1));
            }
            if j == 2 {
                // A second `=` must follow, possibly after newlines.
                while src.get(si).is_some_and(|&c| is_newline(c)) {
                    si += 1;
                }
                match src.get(si) {
                    None => return Err(err(src.len())),
                    Some(&c) if c != PAD => return Err(err(si - 1)),
                    Some(_) => si += 1,
                }
            }
            while src.get(si).is_some_and(|&c| is_newline(c)) {
                si += 1;
            }
            if si < src.len() {
                trailing_garbage = Some(err(si));
            }
            sextets = j;
            break;
        }
        let group = (u32::from(quantum[0]) << 18)
            | (u32::from(quantum[1]) << 12)
            | (u32::from(quantum[2]) << 6)
            | u32::from(quantum[3]);
        let bytes = group.to_be_bytes();
        out.extend_from_slice(bytes.get(1..sextets).unwrap_or_default());
        if let Some(garbage) = trailing_garbage {
            return Err(garbage);
        }
    }
    Ok(out)
}

/// Go's `base32.StdEncoding.EncodeToString`: RFC 4648 alphabet, `=` padding.
pub(crate) fn base32_encode(src: &[u8]) -> String {
    let mut out = String::with_capacity(src.len().div_ceil(5) * 8);
    for chunk in src.chunks(5) {
        let mut block = [0u8; 8];
        block[..chunk.len()].copy_from_slice(chunk);
        let group = u64::from_be_bytes(block) >> 24;
        // Each input byte contributes 8 bits; round up to whole 5-bit symbols.
        let symbols = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < symbols {
                let index = (group >> (35 - 5 * i)) & 0x1f;
                out.push(char::from(BASE32_ALPHABET[index as usize]));
            } else {
                out.push(char::from(PAD));
            }
        }
    }
    out
}

fn base32_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'2'..=b'7' => Some(c - b'2' + 26),
        _ => None,
    }
}

/// Go's `base32.StdEncoding.DecodeString`. Unlike base64, Go strips `\r` and `\n` before
/// decoding, so error offsets count only the remaining bytes. Padding is accepted only in the
/// final quantum and only with a length RFC 4648 allows.
pub(crate) fn base32_decode(input: &[u8]) -> Result<Vec<u8>, CorruptInput> {
    let err = CorruptInput::Base32;
    let src: Vec<u8> = input.iter().copied().filter(|&c| !is_newline(c)).collect();
    let total = src.len();
    let mut rest = src.as_slice();
    let mut out = Vec::with_capacity(total / 8 * 5);
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut quantum = [0u8; 8];
        let mut symbols = 8;
        let mut j = 0;
        while j < 8 {
            let Some((&c, tail)) = rest.split_first() else {
                return Err(err(total - j));
            };
            rest = tail;
            if c == PAD && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 7 {
                    return Err(err(total));
                }
                for k in 0..7 - j {
                    if rest.get(k).is_some_and(|&c| c != PAD) {
                        return Err(err(total - rest.len() + k - 1));
                    }
                }
                symbols = j;
                end = true;
                // One, three or six symbols cannot carry a whole byte.
                if matches!(symbols, 1 | 3 | 6) {
                    return Err(err(total - rest.len() - 1));
                }
                break;
            }
            match base32_value(c) {
                Some(value) => quantum[j] = value,
                None => return Err(err(total - rest.len() - 1)),
            }
            j += 1;
        }
        let group = quantum
            .iter()
            .fold(0u64, |acc, &v| (acc << 5) | u64::from(v));
        let bytes = group.to_be_bytes();
        let produced = match symbols {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            _ => 1,
        };
        out.extend_from_slice(bytes.get(3..3 + produced).unwrap_or_default());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::FuncEnv;
    use crate::random::Random;

    fn call(name: &str, args: &[&str]) -> String {
        let func = FUNCS.iter().find(|f| f.name == name).expect("registered");
        let mut random = Random::from_seed(1);
        let env = FuncEnv::default();
        let mut ctx = FnCtx::new(&mut random, &env);
        let args = args.iter().map(|&a| Value::from(a)).collect();
        let out = (func.call)(&mut ctx, args).expect("no error");
        out.as_str().expect("a string").to_owned()
    }

    /// Inputs and outputs of `b64dec`, from Helm 4.1.4.
    const B64DEC: &[(&str, &str)] = &[
        ("", ""),
        ("aGk=", "hi"),
        ("aGk", "illegal base64 data at input byte 0"),
        ("a", "illegal base64 data at input byte 0"),
        ("aG==", "h"),
        ("aGk==", "illegal base64 data at input byte 4"),
        ("aGk=\n", "hi"),
        ("aG\nk=", "hi"),
        ("a===", "illegal base64 data at input byte 1"),
        ("=", "illegal base64 data at input byte 0"),
        ("====", "illegal base64 data at input byte 0"),
        ("aGVsbG8gd29ybGQ=x", "illegal base64 data at input byte 16"),
        ("aGVsbG8*", "illegal base64 data at input byte 7"),
        ("aGVsbG8gd29ybGQ", "illegal base64 data at input byte 12"),
        ("aGVs\r\nbG8=", "hello"),
        ("aGk=aGk=", "illegal base64 data at input byte 4"),
        ("aGV=", "he"),
        ("é", "illegal base64 data at input byte 0"),
        ("aGVsbG8gd29ybGQ=\n\n", "hello world"),
        ("aGVsbG8=\n=", "illegal base64 data at input byte 9"),
        ("aG=\n=", "h"),
        ("aG=\n", "illegal base64 data at input byte 4"),
        ("aG=x", "illegal base64 data at input byte 2"),
        ("aG==\n\nx", "illegal base64 data at input byte 6"),
        (
            "aGVsbG8gd29ybGQhISEhISEhISEhISE=",
            "hello world!!!!!!!!!!!!",
        ),
        (
            "aGVsbG8gd29ybGQhISEhISEhISEhIS*=",
            "illegal base64 data at input byte 30",
        ),
        ("\n\n", ""),
        ("YWJj", "abc"),
        ("YWJjZA", "illegal base64 data at input byte 4"),
        ("YWJjZA=", "illegal base64 data at input byte 7"),
        ("YWJjZA==", "abcd"),
        ("YW=jZA==", "illegal base64 data at input byte 2"),
        (" aGk=", "illegal base64 data at input byte 0"),
        ("not base64!", "illegal base64 data at input byte 3"),
        ("aGVsbG8gd29ybGQ=", "hello world"),
    ];

    /// Inputs and outputs of `b32dec`, from Helm 4.1.4.
    const B32DEC: &[(&str, &str)] = &[
        ("", ""),
        ("NBSWY3DP", "hello"),
        ("NBSWY3D", "illegal base32 data at input byte 0"),
        ("NBSWY3DPEE======", "hello!"),
        ("NBSWY3DPEE=====", "illegal base32 data at input byte 15"),
        ("NBSWY3DPEE=======", "hello!"),
        ("MY======", "f"),
        ("MY=====", "illegal base32 data at input byte 7"),
        ("MZXQ====", "fo"),
        ("MZXW6===", "foo"),
        ("MZXW6YQ=", "foob"),
        ("MZXW6YTB", "fooba"),
        ("MZXW6YTBOI======", "foobar"),
        ("M=======", "illegal base32 data at input byte 1"),
        ("MZX=====", "illegal base32 data at input byte 3"),
        ("mzxw6ytb", "illegal base32 data at input byte 0"),
        ("NBSWY3DP\nNBSWY3DP", "hellohello"),
        ("NBSW\r\nY3DP", "hello"),
        ("1", "illegal base32 data at input byte 0"),
        ("MY======MY======", "illegal base32 data at input byte 2"),
        ("MY======X", "f"),
        ("MY=X====", "illegal base32 data at input byte 2"),
        ("MZXW6YQ", "illegal base32 data at input byte 0"),
        ("NBSWY3DPE", "illegal base32 data at input byte 8"),
        ("MZXW6Y==", "illegal base32 data at input byte 6"),
        ("MZXW====", "fo"),
        ("NBSWY3DP====", "illegal base32 data at input byte 8"),
        ("NB======", "h"),
    ];

    #[test]
    fn b64dec_matches_helm() {
        for (input, expected) in B64DEC {
            assert_eq!(call("b64dec", &[input]), *expected, "b64dec {input:?}");
        }
    }

    #[test]
    fn b32dec_matches_helm() {
        for (input, expected) in B32DEC {
            assert_eq!(call("b32dec", &[input]), *expected, "b32dec {input:?}");
        }
    }

    #[test]
    fn encoders_match_helm() {
        let cases = [
            ("", "", ""),
            ("f", "Zg==", "MY======"),
            ("fo", "Zm8=", "MZXQ===="),
            ("foo", "Zm9v", "MZXW6==="),
            ("foob", "Zm9vYg==", "MZXW6YQ="),
            ("fooba", "Zm9vYmE=", "MZXW6YTB"),
            ("foobar", "Zm9vYmFy", "MZXW6YTBOI======"),
            ("é✓", "w6ninJM=", "YOU6FHET"),
            ("\u{0}ÿ", "AMO/", "ADB36==="),
            (
                "hello world",
                "aGVsbG8gd29ybGQ=",
                "NBSWY3DPEB3W64TMMQ======",
            ),
        ];
        for (input, b64, b32) in cases {
            assert_eq!(call("b64enc", &[input]), b64, "b64enc {input:?}");
            assert_eq!(call("b32enc", &[input]), b32, "b32enc {input:?}");
            assert_eq!(call("b64dec", &[b64]), input);
            assert_eq!(call("b32dec", &[b32]), input);
        }
    }

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..data.len() {
            let slice = data.get(..n).unwrap_or_default();
            assert_eq!(
                base64_decode(base64_encode(slice).as_bytes()).as_deref(),
                Ok(slice)
            );
            assert_eq!(
                base32_decode(base32_encode(slice).as_bytes()).as_deref(),
                Ok(slice)
            );
        }
    }

    #[test]
    fn invalid_utf8_is_kept_as_bytes() {
        let out = call("b64dec", &["/w=="]);
        assert_eq!(crate::value::gostring::to_go_bytes(&out).as_ref(), &[0xFF]);
    }

    #[test]
    fn checksums_match_helm() {
        let cases = [
            (
                "",
                "da39a3ee5e6b4b0d3255bfef95601890afd80709",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
                "1",
            ),
            (
                "hello",
                "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043",
                "103547413",
            ),
            (
                "é✓ unicode",
                "8bcfb35aa20ba798afc765e222b05fc8c9fbbefe",
                "4a0eff572ef4b88f37e8cf15b27421b44f8b0abe41cf044db0ada796aa015697",
                "857a73938ebd3b1d02faf7ba0024694b5d1efa67f8e889d821a97be2065fd8ab84394575b9a380704504647f494ca778b28b75333be5e224c76620072aa9bc04",
                "867370629",
            ),
            (
                "The quick brown fox jumps over the lazy dog",
                "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
                "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592",
                "07e547d9586f6a73f73fbac0435ed76951218fb7d0c8d788a309d785436bbb642e93a252a954f23912547d1e8a3b5ed6e1bfd7097821233fa0538f3db854fee6",
                "1541148634",
            ),
            (
                &"abcdefghij".repeat(10000),
                "7130f6a78af61d850b2d822e5eaa2f33b8f46237",
                "c42e56e9b1236bde39e905b351a6bb4da957f36911b24cfabb81e075fbe3e486",
                "023d1bde68da3716a86f18914faa50a4ff3454b4df00d7bfa01e3c7ca6e5a73428b289db8f83af6944d34ad71957466a4ac38686e9fb5ca68e80fc1bf82d8a23",
                "2873551223",
            ),
        ];
        for (input, sha1, sha256, sha512, adler32) in cases {
            assert_eq!(call("sha1sum", &[input]), sha1);
            assert_eq!(call("sha256sum", &[input]), sha256);
            assert_eq!(call("sha512sum", &[input]), sha512);
            assert_eq!(call("adler32sum", &[input]), adler32);
        }
        // Helm: {{ repeat 6000 "\xff" | adler32sum }} (invalid UTF-8 in Go; here "ÿ" is two
        // bytes, so only the checksum of the bytes is compared).
        assert_eq!(
            adler2::adler32_slice(&[0xff; 6000]).to_string(),
            "2761382378"
        );
    }
}
