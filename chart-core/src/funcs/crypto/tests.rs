//! Tests of the crypto functions. Expected values come from Helm 4.1.4; the key and
//! certificate fixtures in `testdata/` were made by Helm's `genCA`, `genPrivateKey` and
//! `genSignedCert`.

use std::collections::BTreeMap;

use rsa::signature::Verifier;
use sha2::Digest;
use x509_cert::der::Decode;
use x509_cert::ext::pkix::name::GeneralName;

use super::*;
use crate::funcs::FuncEnv;
use crate::random::Random;

const HELM_CA_CERT: &str = include_str!("testdata/helm-ca.crt");
const HELM_CA_KEY: &str = include_str!("testdata/helm-ca.key");
const HELM_LEAF_CERT: &str = include_str!("testdata/helm-leaf.crt");
const HELM_EC_KEY: &str = include_str!("testdata/helm-ec.key");
const HELM_ED25519_KEY: &str = include_str!("testdata/helm-ed25519.key");
const HELM_DSA_KEY: &str = include_str!("testdata/helm-dsa.key");

/// 2026-11-22T18:39:23.25Z, in Unix nanoseconds.
const NOW: i128 = 1_795_373_963_250_000_000;

fn call_at(now: Option<i128>, name: &str, args: Vec<Value>) -> Result<Value, FnError> {
    let func = FUNCS.iter().find(|f| f.name == name).expect("registered");
    let mut random = Random::from_entropy();
    let env = FuncEnv {
        fixed_now_nanos: now,
        ..FuncEnv::default()
    };
    let mut ctx = FnCtx::new(&mut random, &env);
    (func.call)(&mut ctx, args.into())
}

fn call(name: &str, args: Vec<Value>) -> Result<Value, FnError> {
    call_at(Some(NOW), name, args)
}

fn call_str(name: &str, args: Vec<Value>) -> String {
    match call(name, args) {
        Ok(Value::String(s)) => s.to_string(),
        other => panic!("{name}: expected a string, got {other:?}"),
    }
}

fn call_err(name: &str, args: Vec<Value>) -> String {
    call(name, args).expect_err("an error").message
}

fn s(text: &str) -> Value {
    Value::from(text)
}

fn strs(items: &[&str]) -> Value {
    Value::list(items.iter().map(|&i| s(i)).collect())
}

fn cert_of(value: &Value) -> Certificate {
    match value {
        Value::Object(object) => object
            .as_any()
            .downcast_ref::<Certificate>()
            .expect("a certificate")
            .clone(),
        other => panic!("not a certificate: {other:?}"),
    }
}

fn cert_value(cert: &str, key: &str) -> Value {
    certificate_value(Certificate {
        cert: cert.to_owned(),
        key: key.to_owned(),
    })
}

// ---------------------------------------------------------------- derivePassword

#[test]
fn derive_password_matches_helm() {
    let cases: &[(i64, &str, &str)] = &[
        (0, "maximum", "mIgV)sRRkCwRGD1pDZ4;"),
        (4294967295, "maximum", "W2?kVs8oRAa(!x4YGj!a"),
        (1, "long", "ZedaFaxcZaso9*"),
        (4294967297, "long", "ZedaFaxcZaso9*"),
        (2, "medium", "Fov2-Jal"),
        (1, "short", "Zed5"),
        (2, "basic", "OQe2Zwl7"),
        (4294967295, "pin", "1258"),
    ];
    for &(counter, kind, expected) in cases {
        let args = vec![
            Value::int(counter),
            s(kind),
            s("password"),
            s("user"),
            s("example.com"),
        ];
        assert_eq!(
            call_str("derivePassword", args),
            expected,
            "{kind} {counter}"
        );
    }
    let other = [
        (
            vec![Value::int(1), s("long"), s(""), s(""), s("")],
            "YavoDajh9;Zafn",
        ),
        (
            vec![
                Value::int(7),
                s("maximum"),
                s("pässwörd"),
                s("üser"),
                s("ex.com"),
            ],
            "X%ROyoPQeQ(56UO4053*",
        ),
        (
            vec![
                Value::int(1),
                s("nope"),
                s("password"),
                s("user"),
                s("example.com"),
            ],
            "cannot find password template nope",
        ),
    ];
    for (args, expected) in other {
        assert_eq!(call_str("derivePassword", args), expected);
    }
}

// ---------------------------------------------------------------- bcrypt, htpasswd

#[test]
fn bcrypt_hashes_verify_and_have_gos_format() {
    let shape = regex::Regex::new(r"^\$2a\$10\$[./A-Za-z0-9]{53}$").expect("regex");
    let hash = call_str("bcrypt", vec![s("password")]);
    assert!(shape.is_match(&hash), "{hash}");
    assert!(bcrypt::verify("password", &hash).expect("verifies"));

    let line = call_str("htpasswd", vec![s("user"), s("pass")]);
    let hash = line.strip_prefix("user:").expect("user: prefix");
    assert!(shape.is_match(hash), "{line}");
    assert!(bcrypt::verify("pass", hash).expect("verifies"));
}

#[test]
fn bcrypt_agrees_with_gos_hashes() {
    // Hashes printed by Helm; recomputing them from their salts must give the same text.
    let cases = [
        (
            "password",
            "$2a$10$A/d.JR/yrE3D4AG0HDqjIuvRm6Ek8nWVOl6q1FVh7fD2DyRVrqhve",
        ),
        (
            "pässwörd",
            "$2a$10$yVYNwa7yUROBGBvEtJpx1ONlcN9PHLzNtu7AOoIz5Wlz5O/0bwdkO",
        ),
        (
            "",
            "$2a$10$DVjgQ49EUQ8oC/D9m1oFm.F1iV.b4jmsUNT3IKxNCCLIpX6BHLYnS",
        ),
        (
            &"a".repeat(72),
            "$2a$10$eTY/yDYj28XTpUvxesGqX.kfshDckM1JnaBlmEWEQdBFFBhBvFvX6",
        ),
    ];
    for (password, helm) in cases {
        assert!(
            bcrypt::verify(password, helm).expect("verifies"),
            "{password:?}"
        );
        let parts: bcrypt::HashParts = helm.parse().expect("a bcrypt hash");
        let salt = parts.get_salt();
        let salt = base64_bcrypt_decode(&salt);
        let ours = bcrypt::hash_with_salt(password, 10, salt)
            .expect("hash")
            .format_for_version(bcrypt::Version::TwoA);
        assert_eq!(ours, helm);
    }
}

/// bcrypt's own base64 alphabet, for recovering the 16 salt bytes of a hash.
fn base64_bcrypt_decode(text: &str) -> [u8; 16] {
    const ALPHABET: &[u8] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let bits: Vec<u8> = text
        .bytes()
        .map(|c| ALPHABET.iter().position(|&a| a == c).expect("alphabet") as u8)
        .collect();
    let mut out = [0u8; 16];
    let mut acc = 0u32;
    let mut n = 0;
    let mut i = 0;
    for v in bits {
        acc = (acc << 6) | u32::from(v);
        n += 6;
        if n >= 8 && i < 16 {
            n -= 8;
            out[i] = (acc >> n) as u8;
            i += 1;
        }
    }
    out
}

#[test]
fn bcrypt_and_htpasswd_refuse_as_sprig_does() {
    assert_eq!(
        call_str("bcrypt", vec![s(&"a".repeat(73))]),
        "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    );
    assert_eq!(
        call_str("htpasswd", vec![s("a:b"), s("pw")]),
        "invalid username: a:b"
    );
}

// ---------------------------------------------------------------- encryptAES, decryptAES

#[test]
fn decrypt_aes_reads_helms_ciphertexts() {
    let cases = [
        (
            "secretkey",
            "14IdLaVbZ8qJFKGVPY2pbqufLGvR19Xe1jvI/CzHBW4=",
            "plaintext".to_owned(),
        ),
        (
            "",
            "nXzl4IoRt1ty8lFoywU5ALjkIoIRPMvXa1hDkiYCkxU=",
            "x".to_owned(),
        ),
        (
            "k",
            "4OX8Ku/GrhsW02vmpn9hKb41xqZVAeK92go/cX2qQC7jNr5UwV9DdAvGNQrvDZTS",
            "0123456789abcdef".to_owned(),
        ),
        (
            "a-very-long-password-that-is-longer-than-32-bytes",
            "TrYsI3m7BMkcX+Q9CaKKDDm2lmLV62XJKmJ6US3c33C13U8BCqR0vIxMebSCaszV",
            "héllo wörld ✓".to_owned(),
        ),
        (
            "k",
            "Eb2TVsCaLEsU1O3TPv++f071AgKHlFcshWNsjiaZ/7FBVQxzaMw/BcE3ho3KocDe/R5mMrm4cFfK4tECEn3y9hQp5jOoxsU8XNHCmEe3BWo4LAcG/HQSqBTMuxvW+cLZ1ublHC4p2iG9k1laGMy890aShgtdKrGOQFP08jpLX8c=",
            "a".repeat(100),
        ),
        ("k", "", String::new()),
    ];
    for (key, ciphertext, plaintext) in cases {
        assert_eq!(
            call_str("decryptAES", vec![s(key), s(ciphertext)]),
            plaintext,
            "{ciphertext}"
        );
    }
}

#[test]
fn encrypt_aes_round_trips() {
    let shape = regex::Regex::new("^[A-Za-z0-9+/]+=*$").expect("regex");
    for (key, plaintext) in [
        ("k", "text"),
        ("secretkey", "plaintext"),
        ("", "0123456789abcdef"),
        ("ü", "✓ ü ✓"),
    ] {
        let encrypted = call_str("encryptAES", vec![s(key), s(plaintext)]);
        assert!(shape.is_match(&encrypted));
        // IV plus whole blocks, padding always present.
        let raw = base64_decode(encrypted.as_bytes()).expect("base64");
        assert_eq!(raw.len(), 16 + (plaintext.len() / 16 + 1) * 16);
        assert_eq!(
            call_str("decryptAES", vec![s(key), s(&encrypted)]),
            plaintext
        );
    }
    assert_eq!(call_str("encryptAES", vec![s("k"), s("")]), "");
    // The random IV makes every ciphertext different.
    assert_ne!(
        call_str("encryptAES", vec![s("k"), s("x")]),
        call_str("encryptAES", vec![s("k"), s("x")])
    );
}

#[test]
fn decrypt_aes_fails_like_go() {
    let cases = [
        (
            "bm90LXZhbGlk",
            "runtime error: slice bounds out of range [:16] with capacity 9",
        ),
        (
            "YQ==",
            "runtime error: slice bounds out of range [:16] with capacity 3",
        ),
        (
            "YQ==\n\n\n\n",
            "runtime error: slice bounds out of range [:16] with capacity 6",
        ),
        (
            "YQ==\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n",
            "runtime error: slice bounds out of range [16:1]",
        ),
        (
            "AAAAAAAAAAAAAAAAAAAAAA==",
            "runtime error: index out of range [-1]",
        ),
        (
            "AAAAAAAAAAAAAAAAAAAAAAA=",
            "crypto/cipher: input not full blocks",
        ),
        (
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "runtime error: slice bounds out of range [:-19]",
        ),
        ("!!!!", "illegal base64 data at input byte 0"),
    ];
    for (input, expected) in cases {
        assert_eq!(
            call_err("decryptAES", vec![s("k"), s(input)]),
            expected,
            "{input:?}"
        );
    }
}

// ---------------------------------------------------------------- private keys

fn pem_block(text: &str) -> pem::Block {
    pem::decode(text.as_bytes()).expect("a PEM block")
}

#[test]
fn gen_private_key_makes_sprigs_key_types() {
    let ec = call_str("genPrivateKey", vec![s("ecdsa")]);
    let block = pem_block(&ec);
    assert_eq!(block.kind, "EC PRIVATE KEY");
    let key = sec1::EcPrivateKey::try_from(block.bytes.as_slice()).expect("SEC 1");
    assert_eq!(key.private_key.len(), 32);
    assert_eq!(
        key.parameters
            .and_then(|p| p.named_curve())
            .map(|o| o.to_string()),
        Some("1.2.840.10045.3.1.7".into())
    );
    assert_eq!(key.public_key.map(<[u8]>::len), Some(65));
    // The same layout as Helm's keys.
    assert_eq!(block.bytes.get(..7), pem_block(HELM_EC_KEY).bytes.get(..7));
    assert!(
        regex::Regex::new(
            "^-----BEGIN EC PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END EC PRIVATE KEY-----\n$"
        )
        .expect("regex")
        .is_match(&ec)
    );

    let ed = pem_block(&call_str("genPrivateKey", vec![s("ed25519")]));
    assert_eq!(ed.kind, "PRIVATE KEY");
    assert_eq!(ed.bytes.len(), 48);
    assert_eq!(
        ed.bytes.get(..16),
        pem_block(HELM_ED25519_KEY).bytes.get(..16)
    );

    assert_eq!(
        call_str("genPrivateKey", vec![s("nope")]),
        "Unknown type nope"
    );
}

#[test]
fn gen_private_key_rsa_is_4096_bits() {
    // `"rsa"` and `""` share one match arm; one slow 4096-bit generation is enough.
    let block = pem_block(&call_str("genPrivateKey", vec![s("")]));
    assert_eq!(block.kind, "RSA PRIVATE KEY");
    let key = rsa::RsaPrivateKey::from_pkcs1_der(&block.bytes).expect("PKCS#1");
    assert_eq!(key.size() * 8, 4096);
    assert_eq!(key.e_bytes().as_ref(), [1, 0, 1]);
}

#[test]
fn gen_private_key_dsa_is_l2048_n256() {
    let block = pem_block(&call_str("genPrivateKey", vec![s("dsa")]));
    assert_eq!(block.kind, "DSA PRIVATE KEY");
    let mut reader = x509_cert::der::SliceReader::new(&block.bytes).expect("DER");
    let fields: Vec<Vec<u8>> = x509_cert::der::Reader::sequence(&mut reader, |seq| {
        (0..6)
            .map(|_| {
                Ok::<_, x509_cert::der::Error>(
                    x509_cert::der::asn1::UintRef::decode(seq)?
                        .as_bytes()
                        .to_vec(),
                )
            })
            .collect()
    })
    .expect("six integers");
    let [version, p, q, g, y, x] = <[Vec<u8>; 6]>::try_from(fields).expect("six");
    assert_eq!(version, [0]);
    assert_eq!((p.len(), q.len()), (256, 32));
    let int = |bytes: &[u8]| BoxedUint::from_be_slice_vartime(bytes).resize(2048);
    let (p, q, g, y, x) = (int(&p), int(&q), int(&g), int(&y), int(&x));
    assert!(crypto_primes::is_prime(crypto_primes::Flavor::Any, &p));
    assert!(crypto_primes::is_prime(
        crypto_primes::Flavor::Any,
        &q.clone().resize(256)
    ));
    let one = BoxedUint::one().resize(2048);
    let q_nonzero = NonZero::new(q.clone()).expect("q > 0");
    assert!(
        bool::from(p.wrapping_sub(&one).rem_vartime(&q_nonzero).is_zero()),
        "q divides p-1"
    );
    let params = BoxedMontyParams::new_vartime(Odd::new(p).expect("odd"));
    assert_eq!(
        BoxedMontyForm::new(g.clone(), &params).pow(&q).retrieve(),
        one,
        "g has order q"
    );
    assert_eq!(
        BoxedMontyForm::new(g, &params).pow(&x).retrieve(),
        y,
        "y = g^x"
    );
    // The layout of Helm's DSA keys (the lengths vary with the leading bits of G and Y).
    let helm = pem_block(HELM_DSA_KEY).bytes;
    assert_eq!(
        (block.bytes.get(..2), block.bytes.get(4..11)),
        (helm.get(..2), helm.get(4..11))
    );
}

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, NonZero, Odd, Resize};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;

#[test]
fn helms_keys_print_back_unchanged() {
    for key in [HELM_CA_KEY, HELM_EC_KEY, HELM_ED25519_KEY] {
        let parsed = keys::parse_pem(key).expect("parses");
        assert_eq!(parsed.to_pem().as_deref(), Ok(key));
    }
    assert!(matches!(
        keys::parse_pem(HELM_DSA_KEY),
        Ok(PrivateKey::Dsa(_))
    ));
}

#[test]
fn key_parse_errors_read_as_sprigs() {
    let pem = |kind: &str| format!("-----BEGIN {kind}-----\nAAAA\n-----END {kind}-----\n");
    let err = |text: &str| call_err("genCAWithKey", vec![s("x"), Value::int(3), s(text)]);
    assert_eq!(err("nope"), "parsing private key: no PEM data in input");
    assert_eq!(
        err(&pem("FOO")),
        "parsing private key: no private key data in PEM block of type FOO"
    );
    assert_eq!(
        err(&pem("X PRIVATE KEY")),
        "parsing private key: invalid private key type X PRIVATE KEY"
    );
    for (kind, prefix) in [
        (
            "RSA PRIVATE KEY",
            "parsing private key: parsing RSA private key from PEM: asn1: structure error: ",
        ),
        (
            "EC PRIVATE KEY",
            "parsing private key: parsing EC private key from PEM: x509: failed to parse EC private key: ",
        ),
        (
            "PRIVATE KEY",
            "parsing private key: decoding PEM as PKCS#8: asn1: structure error: ",
        ),
        (
            "DSA PRIVATE KEY",
            "parsing private key: parsing DSA private key from PEM: asn1: structure error: ",
        ),
    ] {
        let message = err(&pem(kind));
        assert!(message.starts_with(prefix), "{message}");
    }
    // A PKCS#1 key in an EC block, and an EC key in an RSA block.
    let rsa_der = pem_block(HELM_CA_KEY).bytes;
    let ec_der = pem_block(HELM_EC_KEY).bytes;
    assert_eq!(
        err(&pem::encode("EC PRIVATE KEY", &rsa_der)),
        "parsing private key: parsing EC private key from PEM: x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)"
    );
    assert_eq!(
        err(&pem::encode("RSA PRIVATE KEY", &ec_der)),
        "parsing private key: parsing RSA private key from PEM: x509: failed to parse private key (use ParseECPrivateKey instead for this key format)"
    );
    // PKCS#8 with an algorithm Go does not read (DSA).
    let dsa_pkcs8 = der::sequence(&[
        &der::small_integer(0),
        &der::sequence(&[&der::tlv(
            der::tag::OID,
            &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01],
        )]),
        &der::octet_string(&der::small_integer(1)),
    ]);
    assert_eq!(
        err(&pem::encode("PRIVATE KEY", &dsa_pkcs8)),
        "parsing private key: decoding PEM as PKCS#8: x509: PKCS#8 wrapping contained private key with unknown algorithm: 1.2.840.10040.4.1"
    );
}

const OPENSSL_RSA512_KEY: &str = include_str!("testdata/openssl-rsa512.key");
const OPENSSL_X25519_KEY: &str = include_str!("testdata/openssl-x25519.key");
const OPENSSL_RSA_PKCS8_KEY: &str = include_str!("testdata/openssl-rsa1024-pkcs8.key");
const HELM_RSA_PKCS1_KEY: &str = include_str!("testdata/helm-rsa1024-pkcs1.key");

const OPENSSL_P384_KEY: &str = include_str!("testdata/openssl-p384.key");
const OPENSSL_P521_KEY: &str = include_str!("testdata/openssl-p521.key");
const OPENSSL_P384_PKCS8_KEY: &str = include_str!("testdata/openssl-p384-pkcs8.key");
const HELM_P384_SEC1_KEY: &str = include_str!("testdata/helm-p384-sec1.key");
const OPENSSL_P224_KEY: &str = include_str!("testdata/openssl-p224.key");

#[test]
fn other_nist_curves_sign_with_their_hashes() {
    // Helm signs with ECDSA-SHA384 on P-384 and ECDSA-SHA512 on P-521, and prints the keys
    // back unchanged; a PKCS#8 key prints as SEC 1.
    for (key, algorithm, curve) in [
        (OPENSSL_P384_KEY, "1.2.840.10045.4.3.3", "1.3.132.0.34"),
        (OPENSSL_P521_KEY, "1.2.840.10045.4.3.4", "1.3.132.0.35"),
    ] {
        let ca = cert_of(
            &call("genCAWithKey", vec![s("x"), Value::int(3), s(key)]).expect("genCAWithKey"),
        );
        assert_eq!(ca.key, key);
        let parsed = Parsed::new(&ca.cert);
        assert_eq!(parsed.tbs().signature().oid.to_string(), algorithm);
        let spki = parsed.tbs().subject_public_key_info();
        let params = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<pkcs8::ObjectIdentifier>().ok());
        assert_eq!(params.map(|o| o.to_string()).as_deref(), Some(curve));
        verify(&parsed, &parsed);
    }
    let ca = call(
        "genCAWithKey",
        vec![s("x"), Value::int(3), s(OPENSSL_P384_PKCS8_KEY)],
    )
    .expect("genCAWithKey");
    assert_eq!(cert_of(&ca).key, HELM_P384_SEC1_KEY);
    // Go reads P-224 keys too; this implementation does not.
    assert_eq!(
        call_err(
            "genCAWithKey",
            vec![s("x"), Value::int(3), s(OPENSSL_P224_KEY)]
        ),
        "parsing private key: parsing EC private key from PEM: x509: unknown elliptic curve"
    );
}

#[test]
fn pkcs8_rsa_keys_print_as_pkcs1() {
    let cert = call(
        "genCAWithKey",
        vec![s("x"), Value::int(3), s(OPENSSL_RSA_PKCS8_KEY)],
    )
    .expect("genCAWithKey");
    assert_eq!(cert_of(&cert).key, HELM_RSA_PKCS1_KEY);
}

#[test]
fn keys_that_cannot_sign_fail_as_in_go() {
    // Errors from Helm 4.1.4.
    assert_eq!(
        call_err(
            "genCAWithKey",
            vec![s("x"), Value::int(3), s(OPENSSL_RSA512_KEY)]
        ),
        "error creating certificate: crypto/rsa: 512-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)"
    );
    assert_eq!(
        call_err(
            "genCAWithKey",
            vec![s("x"), Value::int(3), s(OPENSSL_X25519_KEY)]
        ),
        "error creating certificate: x509: certificate private key does not implement crypto.Signer"
    );
    let ca = cert_value(HELM_CA_CERT, HELM_CA_KEY);
    assert_eq!(
        call_err(
            "genSignedCertWithKey",
            vec![
                s("x"),
                Value::Nil,
                Value::Nil,
                Value::int(3),
                ca,
                s(OPENSSL_X25519_KEY)
            ]
        ),
        "error creating certificate: x509: unsupported public key type: *ecdh.PublicKey"
    );
    assert_eq!(
        call_err("genCAWithKey", vec![s("x"), Value::int(3), s(HELM_DSA_KEY)]),
        "error creating certificate: x509: certificate private key does not implement crypto.Signer"
    );
    let ca = cert_value(HELM_CA_CERT, HELM_CA_KEY);
    assert_eq!(
        call_err(
            "genSignedCertWithKey",
            vec![
                s("x"),
                Value::Nil,
                Value::Nil,
                Value::int(3),
                ca,
                s(HELM_DSA_KEY)
            ]
        ),
        "error creating certificate: x509: unsupported public key type: *dsa.PublicKey"
    );
}

// ---------------------------------------------------------------- certificates

/// What the tests read back from a generated certificate.
struct Parsed {
    cert: x509_cert::Certificate,
}

impl Parsed {
    fn new(pem_text: &str) -> Parsed {
        let block = pem_block(pem_text);
        assert_eq!(block.kind, "CERTIFICATE");
        let cert = x509_cert::Certificate::from_der(&block.bytes).expect("a certificate");
        Parsed { cert }
    }

    fn tbs(&self) -> &x509_cert::TbsCertificate {
        self.cert.tbs_certificate()
    }

    fn common_name(&self) -> String {
        self.tbs().subject().to_string()
    }

    fn validity(&self) -> (u64, u64) {
        let v = self.tbs().validity();
        (
            v.not_before.to_unix_duration().as_secs(),
            v.not_after.to_unix_duration().as_secs(),
        )
    }

    /// Extensions by OID: (critical, value DER).
    fn extensions(&self) -> BTreeMap<String, (bool, Vec<u8>)> {
        self.tbs()
            .extensions()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e.extn_id.to_string(),
                    (e.critical, e.extn_value.as_bytes().to_vec()),
                )
            })
            .collect()
    }

    fn extension_order(&self) -> Vec<String> {
        self.tbs()
            .extensions()
            .into_iter()
            .flatten()
            .map(|e| e.extn_id.to_string())
            .collect()
    }

    fn sans(&self) -> Vec<String> {
        let Some((_, value)) = self.extensions().remove("2.5.29.17") else {
            return Vec::new();
        };
        let names = x509_cert::ext::pkix::SubjectAltName::from_der(&value).expect("SANs");
        names
            .0
            .iter()
            .map(|name| match name {
                GeneralName::DnsName(dns) => format!("DNS:{dns}"),
                GeneralName::IpAddress(ip) => format!("IP:{:?}", ip.as_bytes()),
                other => format!("{other:?}"),
            })
            .collect()
    }

    fn tbs_der(&self) -> Vec<u8> {
        x509_cert::der::Encode::to_der(self.tbs()).expect("re-encodes")
    }

    fn signature(&self) -> Vec<u8> {
        self.cert.signature().raw_bytes().to_vec()
    }

    fn public_key(&self) -> Vec<u8> {
        self.tbs()
            .subject_public_key_info()
            .subject_public_key
            .raw_bytes()
            .to_vec()
    }
}

/// Verifies `cert`'s signature with the public key of `issuer`.
fn verify(cert: &Parsed, issuer: &Parsed) {
    let spki = issuer.tbs().subject_public_key_info();
    let tbs = cert.tbs_der();
    let signature = cert.signature();
    match spki.algorithm.oid.to_string().as_str() {
        "1.2.840.113549.1.1.1" => {
            let key = rsa::pkcs1::DecodeRsaPublicKey::from_pkcs1_der(&issuer.public_key())
                .expect("RSA key");
            let verifier = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key);
            let signature =
                rsa::pkcs1v15::Signature::try_from(signature.as_slice()).expect("signature");
            verifier
                .verify(&tbs, &signature)
                .expect("RSA signature verifies");
        }
        "1.2.840.10045.2.1" => {
            let point = issuer.public_key();
            let verified = match point.len() {
                65 => p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).and_then(|key| {
                    key.verify(&tbs, &p256::ecdsa::Signature::from_der(&signature)?)
                }),
                97 => p384::ecdsa::VerifyingKey::from_sec1_bytes(&point).and_then(|key| {
                    key.verify(&tbs, &p384::ecdsa::Signature::from_der(&signature)?)
                }),
                _ => p521::ecdsa::VerifyingKey::from_sec1_bytes(&point).and_then(|key| {
                    key.verify(&tbs, &p521::ecdsa::Signature::from_der(&signature)?)
                }),
            };
            verified.expect("ECDSA signature verifies");
        }
        "1.3.101.112" => {
            let bytes: [u8; 32] = issuer.public_key().try_into().expect("32 bytes");
            let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes).expect("Ed25519 key");
            let signature = ed25519_dalek::Signature::from_slice(&signature).expect("signature");
            key.verify(&tbs, &signature)
                .expect("Ed25519 signature verifies");
        }
        other => panic!("unexpected key algorithm {other}"),
    }
}

fn rsa_bits(cert: &Parsed) -> usize {
    rsa::RsaPublicKey::from_pkcs1_der(&cert.public_key())
        .expect("RSA")
        .size()
        * 8
}

use rsa::pkcs1::DecodeRsaPublicKey;

const DAY: u64 = 24 * 60 * 60;
const NOW_SECS: u64 = (NOW / 1_000_000_000) as u64;

#[test]
fn gen_ca_makes_a_self_signed_ca() {
    let ca = cert_of(&call("genCA", vec![s("my-ca"), Value::int(365)]).expect("genCA"));
    assert!(ca.key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    let parsed = Parsed::new(&ca.cert);
    assert_eq!(parsed.tbs().version(), x509_cert::Version::V3);
    assert_eq!(parsed.common_name(), "CN=my-ca");
    assert_eq!(parsed.tbs().issuer(), parsed.tbs().subject());
    assert_eq!(parsed.validity(), (NOW_SECS, NOW_SECS + 365 * DAY));
    assert_eq!(rsa_bits(&parsed), 2048);
    // The key printed is the certificate's key.
    let key = keys::parse_pem(&ca.key).expect("key");
    assert_eq!(
        key.subject_public_key_info().expect("spki").1,
        parsed.public_key()
    );

    let ext = parsed.extensions();
    assert_eq!(
        ext.get("2.5.29.15"),
        Some(&(true, vec![0x03, 0x02, 0x02, 0xa4]))
    );
    assert_eq!(
        ext.get("2.5.29.19"),
        Some(&(true, vec![0x30, 0x03, 0x01, 0x01, 0xff]))
    );
    let ski = Sha256::digest(parsed.public_key());
    assert_eq!(
        ext.get("2.5.29.14").map(|(_, v)| v.clone()),
        Some(der::octet_string(ski.get(..20).expect("20")))
    );
    assert_eq!(
        parsed.extension_order(),
        ["2.5.29.15", "2.5.29.37", "2.5.29.19", "2.5.29.14"]
    );
    verify(&parsed, &parsed);

    // Compared with Helm's CA: the same extensions but the key identifier.
    let helm = Parsed::new(HELM_CA_CERT);
    let mut ours = parsed.extensions();
    let mut theirs = helm.extensions();
    ours.remove("2.5.29.14");
    theirs.remove("2.5.29.14");
    assert_eq!(ours, theirs);
    assert_eq!(parsed.tbs().signature(), helm.tbs().signature());
    assert_eq!(parsed.tbs().subject(), helm.tbs().subject());
}

#[test]
fn gen_signed_cert_matches_helms_for_the_same_ca() {
    // Helm's CA signs a leaf here and in the fixture `helm-leaf.crt`.
    let ca = cert_value(HELM_CA_CERT, HELM_CA_KEY);
    let ips = strs(&["10.0.0.1", "::1", "::ffff:1.2.3.4"]);
    let dns = strs(&["a.example.com", "b"]);
    let leaf = cert_of(
        &call(
            "genSignedCert",
            vec![s("leaf"), ips, dns, Value::int(30), ca],
        )
        .expect("genSignedCert"),
    );
    let ours = Parsed::new(&leaf.cert);
    let helm = Parsed::new(HELM_LEAF_CERT);
    let issuer = Parsed::new(HELM_CA_CERT);

    verify(&ours, &issuer);
    verify(&helm, &issuer);
    assert_eq!(ours.tbs().issuer(), issuer.tbs().subject());
    assert_eq!(ours.common_name(), "CN=leaf");
    assert_eq!(ours.validity(), (NOW_SECS, NOW_SECS + 30 * DAY));
    assert_eq!(
        ours.extensions(),
        helm.extensions(),
        "extensions byte for byte"
    );
    assert_eq!(ours.extension_order(), helm.extension_order());
    assert_eq!(
        ours.sans(),
        [
            "DNS:a.example.com",
            "DNS:b",
            "IP:[10, 0, 0, 1]",
            "IP:[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]",
            "IP:[1, 2, 3, 4]"
        ]
    );
    assert_eq!(rsa_bits(&ours), 2048);
    assert!(leaf.key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
}

#[test]
fn certificates_chain_with_our_own_ca() {
    let ca = call("genCA", vec![s("root"), Value::int(10)]).expect("genCA");
    let leaf = call(
        "genSignedCert",
        vec![
            s("svc"),
            Value::Nil,
            strs(&["svc.ns"]),
            Value::int(5),
            ca.clone(),
        ],
    )
    .expect("genSignedCert");
    let (ca, leaf) = (
        Parsed::new(&cert_of(&ca).cert),
        Parsed::new(&cert_of(&leaf).cert),
    );
    verify(&leaf, &ca);
    let ext = leaf.extensions();
    let ca_ski = ca
        .extensions()
        .remove("2.5.29.14")
        .expect("CA has an SKI")
        .1;
    let aki = ext.get("2.5.29.35").expect("AKI").1.clone();
    assert_eq!(
        aki.get(4..),
        ca_ski.get(2..),
        "AKI holds the CA's key identifier"
    );
    assert_eq!(ext.get("2.5.29.19"), Some(&(true, vec![0x30, 0x00])));
    assert_eq!(
        ext.get("2.5.29.15"),
        Some(&(true, vec![0x03, 0x02, 0x05, 0xa0]))
    );
    assert!(!ext.contains_key("2.5.29.14"), "no SKI on a leaf");
    assert_eq!(leaf.sans(), ["DNS:svc.ns"]);
    assert_eq!(ext.get("2.5.29.17").map(|e| e.0), Some(false));
}

#[test]
fn self_signed_certificates_follow_go() {
    // An empty subject makes the alternative names critical and drops the subject attribute.
    let cert = call(
        "genSelfSignedCert",
        vec![
            s(""),
            strs(&["10.0.0.1"]),
            strs(&["a.example.com"]),
            Value::int(30),
        ],
    )
    .expect("genSelfSignedCert");
    let parsed = Parsed::new(&cert_of(&cert).cert);
    assert_eq!(parsed.common_name(), "");
    assert_eq!(
        parsed.extensions().get("2.5.29.17").map(|e| e.0),
        Some(true)
    );
    assert_eq!(
        parsed.extension_order(),
        ["2.5.29.15", "2.5.29.37", "2.5.29.19", "2.5.29.17"]
    );
    verify(&parsed, &parsed);

    // No alternative names at all: no extension.
    let cert = call(
        "genSelfSignedCert",
        vec![s("plain"), Value::Nil, Value::list(vec![]), Value::int(1)],
    )
    .expect("ok");
    assert_eq!(
        Parsed::new(&cert_of(&cert).cert).extension_order(),
        ["2.5.29.15", "2.5.29.37", "2.5.29.19"]
    );
}

#[test]
fn certificates_with_given_ecdsa_and_ed25519_keys() {
    for (key, algorithm) in [
        (HELM_EC_KEY, "1.2.840.10045.4.3.2"),
        (HELM_ED25519_KEY, "1.3.101.112"),
    ] {
        let ca =
            call("genCAWithKey", vec![s("ec-ca"), Value::int(10), s(key)]).expect("genCAWithKey");
        let ca_cert = cert_of(&ca);
        assert_eq!(ca_cert.key, key, "Go prints the given key back unchanged");
        let parsed = Parsed::new(&ca_cert.cert);
        assert_eq!(parsed.tbs().signature().oid.to_string(), algorithm);
        verify(&parsed, &parsed);

        let leaf = call(
            "genSelfSignedCertWithKey",
            vec![s("ed"), Value::Nil, Value::Nil, Value::int(10), s(key)],
        )
        .expect("genSelfSignedCertWithKey");
        verify(
            &Parsed::new(&cert_of(&leaf).cert),
            &Parsed::new(&cert_of(&leaf).cert),
        );

        // A CA with such a key signs RSA leaves, and an RSA CA signs a leaf with this key.
        let leaf = call(
            "genSignedCert",
            vec![s("leaf"), Value::Nil, Value::Nil, Value::int(1), ca],
        )
        .expect("signed");
        verify(&Parsed::new(&cert_of(&leaf).cert), &parsed);
        let rsa_ca = cert_value(HELM_CA_CERT, HELM_CA_KEY);
        let leaf = call(
            "genSignedCertWithKey",
            vec![
                s("l"),
                Value::Nil,
                Value::Nil,
                Value::int(1),
                rsa_ca,
                s(key),
            ],
        )
        .expect("signed with key");
        assert_eq!(cert_of(&leaf).key, key);
        verify(
            &Parsed::new(&cert_of(&leaf).cert),
            &Parsed::new(HELM_CA_CERT),
        );
    }
}

#[test]
fn validity_uses_gos_wrapping_duration() {
    // Helm 4.1.4 with `genCA "x" 200000`: the duration overflows and ends in 1989, and a
    // hundred years switch to GeneralizedTime.
    let cert = call(
        "genCAWithKey",
        vec![s("x"), Value::int(200_000), s(HELM_EC_KEY)],
    )
    .expect("genCA");
    let parsed = Parsed::new(&cert_of(&cert).cert);
    let (_, not_after) = parsed.validity();
    assert_eq!(not_after, 628_629_889, "1989-12-02T19:04:49Z");

    let cert = call(
        "genCAWithKey",
        vec![s("x"), Value::int(36_500), s(HELM_EC_KEY)],
    )
    .expect("genCA");
    let parsed = Parsed::new(&cert_of(&cert).cert);
    assert!(matches!(
        parsed.tbs().validity().not_after,
        x509_cert::time::Time::GeneralTime(_)
    ));
    assert_eq!(parsed.validity().1, NOW_SECS + 36_500 * DAY);

    let cert = call("genCAWithKey", vec![s("x"), Value::int(-1), s(HELM_EC_KEY)]).expect("genCA");
    assert_eq!(
        Parsed::new(&cert_of(&cert).cert).validity().1,
        NOW_SECS - DAY
    );
}

#[test]
fn non_printable_common_names_are_utf8_strings() {
    let cert = call(
        "genCAWithKey",
        vec![s("é*&x"), Value::int(1), s(HELM_EC_KEY)],
    )
    .expect("genCA");
    let parsed = Parsed::new(&cert_of(&cert).cert);
    // From Helm: MBAxDjAMBgNVBAMMBcOpKiZ4 is the subject SEQUENCE with a UTF8String.
    let subject = x509_cert::der::Encode::to_der(parsed.tbs().subject()).expect("DER");
    assert_eq!(base64_encode(&subject), "MBAxDjAMBgNVBAMMBcOpKiZ4");
}

#[test]
fn certificate_argument_errors() {
    assert_eq!(
        call_err(
            "genSelfSignedCert",
            vec![s("x"), strs(&["1.2.3"]), Value::Nil, Value::int(3)]
        ),
        "error parsing ip: 1.2.3"
    );
    assert_eq!(
        call_err(
            "genSignedCert",
            vec![
                s("x"),
                Value::Nil,
                Value::Nil,
                Value::int(3),
                Value::map(Default::default())
            ]
        ),
        "wrong type for value; expected sprig.certificate; got map[string]interface {}"
    );
    assert_eq!(
        call_err(
            "genSignedCert",
            vec![s("x"), Value::Nil, Value::Nil, Value::int(3), Value::Nil]
        ),
        "cannot assign nil to sprig.certificate"
    );
    let bad_ca = cert_value("not a cert", HELM_CA_KEY);
    assert_eq!(
        call_err(
            "genSignedCert",
            vec![s("x"), Value::Nil, Value::Nil, Value::int(3), bad_ca]
        ),
        "unable to decode certificate"
    );
    let mismatched = cert_value(HELM_CA_CERT, HELM_EC_KEY);
    assert_eq!(
        call_err(
            "genSignedCert",
            vec![s("x"), Value::Nil, Value::Nil, Value::int(3), mismatched]
        ),
        "error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey"
    );
}

#[test]
fn build_custom_cert_checks_like_sprig() {
    let b64 = |text: &str| s(&base64_encode(text.as_bytes()));
    let cert = cert_of(
        &call("buildCustomCert", vec![b64(HELM_CA_CERT), b64(HELM_CA_KEY)]).expect("builds"),
    );
    assert_eq!(
        cert,
        Certificate {
            cert: HELM_CA_CERT.to_owned(),
            key: HELM_CA_KEY.to_owned()
        }
    );

    let cases = [
        (s("!!"), s("eA=="), "unable to decode base64 certificate"),
        (s("eA=="), s("!!"), "unable to decode base64 private key"),
        (s("eA=="), s("eA=="), "unable to decode certificate"),
        (
            b64("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            s("eA=="),
            "error parsing certificate: decodedCert.Bytes: x509: malformed certificate",
        ),
        (
            b64(HELM_CA_CERT),
            s("eA=="),
            "error parsing private key: no PEM data in input",
        ),
    ];
    for (cert, key, expected) in cases {
        assert_eq!(call_err("buildCustomCert", vec![cert, key]), expected);
    }
}

#[test]
fn certificates_look_like_sprigs_struct() {
    let value = cert_value("C", "K");
    assert_eq!(value.type_name(), "sprig.certificate");
    assert_eq!(value.kind(), crate::value::Kind::Struct);
    let Value::Object(object) = &value else {
        panic!("an object")
    };
    assert_eq!(
        object
            .field("Cert")
            .and_then(|v| v.as_str().map(str::to_owned)),
        Some("C".into())
    );
    assert_eq!(
        object
            .field("Key")
            .and_then(|v| v.as_str().map(str::to_owned)),
        Some("K".into())
    );
    assert!(object.field("cert").is_none());
    assert_eq!(object.go_string(), "{C K}");
    let json = object.to_json_value();
    assert_eq!(
        json.as_map().map(|m| m.keys()),
        Some(vec!["Cert".to_owned(), "Key".to_owned()])
    );
}

/// An independent check with OpenSSL, when it is installed.
#[test]
fn openssl_accepts_the_chain() {
    use std::process::Command;
    if Command::new("openssl").arg("version").output().is_err() {
        eprintln!("SKIPPED: openssl is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let ca = cert_of(&call_at(None, "genCA", vec![s("root"), Value::int(10)]).expect("genCA"));
    let leaf = cert_of(
        &call_at(
            None,
            "genSignedCert",
            vec![
                s("svc"),
                strs(&["127.0.0.1"]),
                strs(&["svc.example"]),
                Value::int(5),
                cert_value(&ca.cert, &ca.key),
            ],
        )
        .expect("genSignedCert"),
    );
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    };
    let (ca_path, leaf_path, key_path) = (
        write("ca.pem", &ca.cert),
        write("leaf.pem", &leaf.cert),
        write("leaf.key", &leaf.key),
    );
    let verify = Command::new("openssl")
        .arg("verify")
        .arg("-CAfile")
        .arg(&ca_path)
        .arg(&leaf_path)
        .output()
        .expect("runs");
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let text = Command::new("openssl")
        .args(["x509", "-noout", "-text", "-in"])
        .arg(&leaf_path)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("DNS:svc.example, IP Address:127.0.0.1"),
        "{text}"
    );
    assert!(text.contains("CA:FALSE"), "{text}");
    let check = Command::new("openssl")
        .args(["rsa", "-check", "-noout", "-in"])
        .arg(&key_path)
        .output()
        .expect("runs");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
