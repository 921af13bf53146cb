//! Template functions: Sprig's password hashing, key derivation, symmetric encryption, private
//! keys and certificates (`bcrypt`, `htpasswd`, `derivePassword`, `encryptAES`, `decryptAES`,
//! `genPrivateKey`, `buildCustomCert`, `genCA`, `genSelfSignedCert`, `genSignedCert` and their
//! `...WithKey` forms).
//!
//! Randomness (salts, IVs, keys, serial numbers) comes from the render's source, so a seeded
//! render reproduces keys and certificates too. Where Sprig's Go code panics on bad input
//! (`decryptAES` of a short ciphertext), the error carries the text of Go's runtime panic,
//! which `text/template` reports as the function's error.

mod certs;
mod der;
mod ec;
mod keys;
mod pem;
#[cfg(test)]
mod tests;

use std::time::{SystemTime, UNIX_EPOCH};

use aes::Aes256;
use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use hmac::Mac;
use sha2::Sha256;

pub(crate) use certs::Certificate;

use super::encoding::{base64_decode, base64_decoded_len, base64_encode, string_from_bytes};
use super::{Args, FnCtx, FnError, Func, GoType};
use crate::value::Value;
use certs::{Issuer, Template};
use keys::PrivateKey;

use GoType::{Int, ListAny, String as Str};

/// Sprig's `certificate` struct as a parameter type.
const CERTIFICATE: GoType = GoType::Object(certs::CERTIFICATE_TYPE);

pub(super) const FUNCS: &[Func] = &[
    Func {
        name: "bcrypt",
        params: &[Str],
        variadic: None,
        call: bcrypt,
    },
    Func {
        name: "htpasswd",
        params: &[Str, Str],
        variadic: None,
        call: htpasswd,
    },
    // Go declares the counter `uint32`; see `derive_password`.
    Func {
        name: "derivePassword",
        params: &[Int, Str, Str, Str, Str],
        variadic: None,
        call: derive_password,
    },
    Func {
        name: "encryptAES",
        params: &[Str, Str],
        variadic: None,
        call: encrypt_aes,
    },
    Func {
        name: "decryptAES",
        params: &[Str, Str],
        variadic: None,
        call: decrypt_aes,
    },
    Func {
        name: "genPrivateKey",
        params: &[Str],
        variadic: None,
        call: gen_private_key,
    },
    Func {
        name: "buildCustomCert",
        params: &[Str, Str],
        variadic: None,
        call: build_custom_cert,
    },
    Func {
        name: "genCA",
        params: &[Str, Int],
        variadic: None,
        call: gen_ca,
    },
    Func {
        name: "genCAWithKey",
        params: &[Str, Int, Str],
        variadic: None,
        call: gen_ca_with_key,
    },
    Func {
        name: "genSelfSignedCert",
        params: &[Str, ListAny, ListAny, Int],
        variadic: None,
        call: gen_self_signed_cert,
    },
    Func {
        name: "genSelfSignedCertWithKey",
        params: &[Str, ListAny, ListAny, Int, Str],
        variadic: None,
        call: gen_self_signed_cert_with_key,
    },
    // The CA parameter is Sprig's `certificate` struct, passed by value.
    Func {
        name: "genSignedCert",
        params: &[Str, ListAny, ListAny, Int, CERTIFICATE],
        variadic: None,
        call: gen_signed_cert,
    },
    Func {
        name: "genSignedCertWithKey",
        params: &[Str, ListAny, ListAny, Int, CERTIFICATE, Str],
        variadic: None,
        call: gen_signed_cert_with_key,
    },
];

/// The string argument at `index` (the evaluator guarantees the declared `string` type).
fn arg_str(args: &[Value], index: usize) -> &str {
    args.get(index).and_then(Value::as_str).unwrap_or_default()
}

/// The `int` argument at `index` (the evaluator guarantees the declared type).
fn arg_int(args: &[Value], index: usize) -> i64 {
    match args.get(index) {
        Some(Value::Int(i, _)) => *i,
        _ => 0,
    }
}

/// Go's `bcrypt.DefaultCost`.
const BCRYPT_COST: u32 = 10;

/// golang.org/x/crypto/bcrypt refuses passwords longer than 72 bytes (the Rust crate would
/// silently truncate them).
const BCRYPT_MAX_PASSWORD: usize = 72;

/// A `$2a$10$...` hash with a salt from the render's source; failures print as Sprig does.
fn bcrypt_hash(ctx: &mut FnCtx<'_>, password: &str) -> String {
    if password.len() > BCRYPT_MAX_PASSWORD {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .to_owned();
    }
    let mut salt = [0u8; 16];
    ctx.random().fill(&mut salt);
    match bcrypt::hash_with_salt(password, BCRYPT_COST, salt) {
        Ok(parts) => parts.format_for_version(bcrypt::Version::TwoA),
        Err(err) => format!("failed to encrypt string with bcrypt: {err}"),
    }
}

fn bcrypt(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    Ok(Value::from(bcrypt_hash(ctx, arg_str(&args, 0))))
}

/// `user:bcrypt(password)`, the Apache `htpasswd` line; Sprig refuses a `:` in the name by
/// returning a message in place of the line.
fn htpasswd(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (user, password) = (arg_str(&args, 0), arg_str(&args, 1));
    if user.contains(':') {
        return Ok(Value::from(format!("invalid username: {user}")));
    }
    Ok(Value::from(format!(
        "{user}:{}",
        bcrypt_hash(ctx, password)
    )))
}

/// The Master Password algorithm's password templates, by type name.
fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

/// The characters a password template letter stands for.
fn template_characters(class: u8) -> &'static [u8] {
    match class {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// The scope every Master Password derivation is salted with.
const MASTER_PASSWORD_SCOPE: &[u8] = b"com.lyndir.masterpassword";

/// `len(s)` as the 4-byte big-endian length prefix Master Password writes before strings.
fn length_prefixed(s: &str) -> Vec<u8> {
    let mut out = (s.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(s.as_bytes());
    out
}

/// Sprig's `derivePassword` (the Master Password algorithm, version 3): scrypt(N=32768, r=8,
/// p=2) of the master password salted with the user name, HMAC-SHA256 over the site name
/// and counter, and the HMAC bytes choosing a template and then each character.
///
/// Go declares the counter `uint32`: a constant argument is converted by `SetUint`, which
/// keeps the low 32 bits (`4294967297` counts as `1`); the truncation here does the same.
fn derive_password(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let counter = arg_int(&args, 0) as u32;
    let kind = arg_str(&args, 1);
    let (password, user, site) = (arg_str(&args, 2), arg_str(&args, 3), arg_str(&args, 4));
    let Some(templates) = password_templates(kind) else {
        return Ok(Value::from(format!("cannot find password template {kind}")));
    };

    let salt = [MASTER_PASSWORD_SCOPE, &length_prefixed(user)].concat();
    let mut key = [0u8; 64];
    let derived = scrypt::Params::new(15, 8, 2)
        .map_err(|err| err.to_string())
        .and_then(|params| {
            scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key)
                .map_err(|err| err.to_string())
        });
    if let Err(err) = derived {
        return Ok(Value::from(format!("failed to derive password: {err}")));
    }

    let mut mac = match hmac::Hmac::<Sha256>::new_from_slice(&key) {
        Ok(mac) => mac,
        Err(err) => return Ok(Value::from(format!("failed to derive password: {err}"))),
    };
    mac.update(MASTER_PASSWORD_SCOPE);
    mac.update(&length_prefixed(site));
    mac.update(&counter.to_be_bytes());
    let seed = mac.finalize().into_bytes();

    let byte = |i: usize| usize::from(seed.get(i).copied().unwrap_or_default());
    let template = templates
        .get(byte(0) % templates.len())
        .copied()
        .unwrap_or_default();
    let password: String = template
        .bytes()
        .enumerate()
        .map(|(i, class)| {
            let chars = template_characters(class);
            char::from(
                chars
                    .get(byte(i + 1) % chars.len())
                    .copied()
                    .unwrap_or(b'x'),
            )
        })
        .collect();
    Ok(Value::from(password))
}

/// Sprig's AES key: the password's bytes, zero-padded or cut to 32 bytes (AES-256).
fn aes_key(password: &str) -> Aes256 {
    let mut key = [0u8; 32];
    for (slot, byte) in key.iter_mut().zip(password.bytes()) {
        *slot = byte;
    }
    Aes256::new(&key.into())
}

const AES_BLOCK: usize = 16;

/// AES-256-CBC with a random IV and PKCS#7-style padding, base64 of `IV || ciphertext`.
fn encrypt_aes(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (password, plaintext) = (arg_str(&args, 0), arg_str(&args, 1));
    if plaintext.is_empty() {
        return Ok(Value::from(""));
    }
    let cipher = aes_key(password);
    let padding = AES_BLOCK - plaintext.len() % AES_BLOCK;
    let mut content = plaintext.as_bytes().to_vec();
    content.resize(content.len() + padding, padding as u8);

    let mut out = vec![0u8; AES_BLOCK];
    ctx.random().fill(&mut out);
    let mut previous: [u8; AES_BLOCK] = out.as_slice().try_into().unwrap_or_default();
    for chunk in content.chunks(AES_BLOCK) {
        let mut block = [0u8; AES_BLOCK];
        for ((slot, plain), chained) in block.iter_mut().zip(chunk).zip(previous) {
            *slot = plain ^ chained;
        }
        let mut block = block.into();
        cipher.encrypt_block(&mut block);
        previous = block.into();
        out.extend_from_slice(&previous);
    }
    Ok(Value::from(base64_encode(&out)))
}

/// The inverse of `encryptAES`. Sprig checks nothing: it slices off the IV, decrypts whatever
/// follows and cuts as many bytes as the last byte says, so bad input surfaces as Go's
/// runtime panics, whose texts are reproduced.
fn decrypt_aes(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let (password, encoded) = (arg_str(&args, 0), arg_str(&args, 1));
    if encoded.is_empty() {
        return Ok(Value::from(""));
    }
    let crypt = base64_decode(encoded.as_bytes()).map_err(|err| FnError::new(err.to_string()))?;
    // `crypt[:16]` is checked against the capacity Go's decoder allocated, `crypt[16:]`
    // against the length.
    let capacity = base64_decoded_len(encoded.len());
    if capacity < AES_BLOCK {
        return Err(FnError::new(format!(
            "runtime error: slice bounds out of range [:{AES_BLOCK}] with capacity {capacity}"
        )));
    }
    let Some((iv, body)) = crypt.split_at_checked(AES_BLOCK) else {
        return Err(FnError::new(format!(
            "runtime error: slice bounds out of range [{AES_BLOCK}:{}]",
            crypt.len()
        )));
    };
    if body.len() % AES_BLOCK != 0 {
        return Err(FnError::new("crypto/cipher: input not full blocks"));
    }
    let cipher = aes_key(password);
    let mut previous: [u8; AES_BLOCK] = iv.try_into().unwrap_or_default();
    let mut plain = Vec::with_capacity(body.len());
    for chunk in body.chunks(AES_BLOCK) {
        let encrypted: [u8; AES_BLOCK] = chunk.try_into().unwrap_or_default();
        let mut block = encrypted.into();
        cipher.decrypt_block(&mut block);
        let block: [u8; AES_BLOCK] = block.into();
        plain.extend(block.iter().zip(previous).map(|(b, chained)| b ^ chained));
        previous = encrypted;
    }
    let Some(&padding) = plain.last() else {
        return Err(FnError::new("runtime error: index out of range [-1]"));
    };
    let keep = plain.len() as i64 - i64::from(padding);
    if keep < 0 {
        return Err(FnError::new(format!(
            "runtime error: slice bounds out of range [:{keep}]"
        )));
    }
    plain.truncate(keep as usize);
    Ok(Value::from(string_from_bytes(plain)))
}

/// `genPrivateKey TYPE`: a PEM private key, or Sprig's message for an unknown type.
fn gen_private_key(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let kind = arg_str(&args, 0);
    let text = match keys::generate(kind, ctx.random().crypto()) {
        None => format!("Unknown type {kind}"),
        Some(Err(err)) => format!("failed to generate private key: {err}"),
        Some(Ok(key)) => key
            .to_pem()
            .unwrap_or_else(|err| format!("failed to generate private key: {err}")),
    };
    Ok(Value::from(text))
}

/// `buildCustomCert B64CERT B64KEY`: a `certificate` from a base64-encoded PEM certificate and
/// key, both checked to parse.
fn build_custom_cert(_: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let cert = base64_decode(arg_str(&args, 0).as_bytes())
        .map_err(|_| FnError::new("unable to decode base64 certificate"))?;
    let key = base64_decode(arg_str(&args, 1).as_bytes())
        .map_err(|_| FnError::new("unable to decode base64 private key"))?;
    let block = pem::decode(&cert).ok_or_else(|| FnError::new("unable to decode certificate"))?;
    certs::parse_issuer(&block.bytes).map_err(|err| {
        FnError::new(format!(
            "error parsing certificate: decodedCert.Bytes: {err}"
        ))
    })?;
    let key = string_from_bytes(key);
    keys::parse_pem(&key)
        .map_err(|err| FnError::new(format!("error parsing private key: {err}")))?;
    Ok(certificate_value(Certificate {
        cert: string_from_bytes(cert),
        key,
    }))
}

fn certificate_value(cert: Certificate) -> Value {
    Value::Object(std::sync::Arc::new(cert))
}

/// The current instant in Unix nanoseconds: the render's fixed clock if it has one.
fn now_nanos(ctx: &FnCtx<'_>) -> i128 {
    ctx.env().fixed_now_nanos.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX))
    })
}

/// Sprig's `getNetIPs` / `getAlternateDNSStrs`: every element must be a string (an IP must
/// also parse), otherwise the error names it with `%v`.
fn string_items(list: Option<&Value>, what: &str) -> Result<Vec<String>, FnError> {
    let Some(Value::List(list)) = list else {
        return Ok(Vec::new());
    };
    list.items()
        .iter()
        .map(|item| match item {
            Value::String(s) => Ok(s.to_string()),
            other => Err(FnError::new(format!(
                "{what}: {} is not a string",
                crate::gofmt::sprint(std::slice::from_ref(other))
            ))),
        })
        .collect()
}

/// Sprig's `getBaseCertTemplate` from the `(cn, ips, alternateDNS, daysValid)` arguments.
fn base_template(ctx: &mut FnCtx<'_>, args: &[Value], is_ca: bool) -> Result<Template, FnError> {
    let (ips, dns_names) = if is_ca {
        (Vec::new(), Vec::new())
    } else {
        let ips = string_items(args.get(1), "error parsing ip")?
            .iter()
            .map(|ip| {
                certs::parse_ip(ip).ok_or_else(|| FnError::new(format!("error parsing ip: {ip}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        (
            ips,
            string_items(args.get(2), "error processing alternate dns name")?,
        )
    };
    let mut serial = [0u8; 16];
    ctx.random().fill(&mut serial);
    Ok(Template {
        common_name: arg_str(args, 0).to_owned(),
        ips,
        dns_names,
        not_before_nanos: now_nanos(ctx),
        days_valid: arg_int(args, if is_ca { 1 } else { 3 }),
        serial,
        is_ca,
    })
}

/// Sprig's `getCertAndKey`: the certificate for `subject_key`, signed by `signing_key`
/// (self-signed without an issuer), with the subject key as PEM.
fn certificate_for(
    template: &Template,
    subject_key: &PrivateKey,
    issuer: Option<(&Issuer, &PrivateKey)>,
) -> Result<Value, FnError> {
    let (issuer, signing_key) = match issuer {
        Some((issuer, key)) => (Some(issuer), key),
        None => (None, subject_key),
    };
    let der = certs::create(template, subject_key, issuer, signing_key)
        .map_err(|err| FnError::new(format!("error creating certificate: {err}")))?;
    let key = subject_key
        .to_pem()
        .map_err(|err| FnError::new(format!("error pem-encoding key: {err}")))?;
    Ok(certificate_value(Certificate {
        cert: pem::encode("CERTIFICATE", &der),
        key,
    }))
}

/// The 2048-bit RSA key Sprig generates for certificates made without a given key.
fn certificate_key(ctx: &mut FnCtx<'_>) -> Result<PrivateKey, FnError> {
    keys::generate_rsa(ctx.random().crypto(), 2048)
        .map_err(|err| FnError::new(format!("error generating rsa key: {err}")))
}

/// The key passed to a `...WithKey` function.
fn given_key(pem_text: &str) -> Result<PrivateKey, FnError> {
    keys::parse_pem(pem_text).map_err(|err| FnError::new(format!("parsing private key: {err}")))
}

fn gen_ca(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let key = certificate_key(ctx)?;
    let template = base_template(ctx, &args, true)?;
    certificate_for(&template, &key, None)
}

fn gen_ca_with_key(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let key = given_key(arg_str(&args, 2))?;
    let template = base_template(ctx, &args, true)?;
    certificate_for(&template, &key, None)
}

fn gen_self_signed_cert(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let key = certificate_key(ctx)?;
    let template = base_template(ctx, &args, false)?;
    certificate_for(&template, &key, None)
}

fn gen_self_signed_cert_with_key(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let key = given_key(arg_str(&args, 4))?;
    let template = base_template(ctx, &args, false)?;
    certificate_for(&template, &key, None)
}

/// The `certificate` argument of `genSignedCert`. The evaluator has already checked its type;
/// the messages are those of Go's argument conversion, for direct callers.
fn ca_argument(args: &[Value]) -> Result<Certificate, FnError> {
    match args.get(4) {
        Some(Value::Object(object)) => match object.as_any().downcast_ref::<Certificate>() {
            Some(cert) => Ok(cert.clone()),
            None => Err(FnError::new(format!(
                "wrong type for value; expected sprig.certificate; got {}",
                object.type_name()
            ))),
        },
        Some(Value::Nil | Value::Invalid) | None => {
            Err(FnError::new("cannot assign nil to sprig.certificate"))
        }
        Some(other) => Err(FnError::new(format!(
            "wrong type for value; expected sprig.certificate; got {}",
            other.type_name()
        ))),
    }
}

/// Sprig's `generateSignedCertificateWithKeyInternal`: read the CA's certificate and key,
/// then issue.
fn signed_certificate(
    ctx: &mut FnCtx<'_>,
    args: &[Value],
    ca: &Certificate,
    key: &PrivateKey,
) -> Result<Value, FnError> {
    let block = pem::decode(ca.cert.as_bytes())
        .ok_or_else(|| FnError::new("unable to decode certificate"))?;
    let issuer = certs::parse_issuer(&block.bytes).map_err(|err| {
        FnError::new(format!(
            "error parsing certificate: decodedSignerCert.Bytes: {err}"
        ))
    })?;
    let signing_key = keys::parse_pem(&ca.key)
        .map_err(|err| FnError::new(format!("error parsing private key: {err}")))?;
    let template = base_template(ctx, args, false)?;
    certificate_for(&template, key, Some((&issuer, &signing_key)))
}

fn gen_signed_cert(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let ca = ca_argument(&args)?;
    let key = certificate_key(ctx)?;
    signed_certificate(ctx, &args, &ca, &key)
}

fn gen_signed_cert_with_key(ctx: &mut FnCtx<'_>, args: Args) -> Result<Value, FnError> {
    let ca = ca_argument(&args)?;
    let key = given_key(arg_str(&args, 5))?;
    signed_certificate(ctx, &args, &ca, &key)
}
