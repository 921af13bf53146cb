//! A small DER writer for the structures Go's `crypto/x509` and `encoding/asn1` produce.
//!
//! Certificates and keys are assembled here field by field rather than through a builder, so
//! that every choice Go makes (string types, extension order, how a `BIT STRING` of key usages
//! is trimmed) can be mirrored exactly.

/// Universal tags used by the writer.
pub(super) mod tag {
    pub const BOOLEAN: u8 = 0x01;
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OCTET_STRING: u8 = 0x04;
    pub const NULL: u8 = 0x05;
    pub const OID: u8 = 0x06;
    pub const UTF8_STRING: u8 = 0x0c;
    pub const PRINTABLE_STRING: u8 = 0x13;
    pub const UTC_TIME: u8 = 0x17;
    pub const GENERALIZED_TIME: u8 = 0x18;
    pub const SEQUENCE: u8 = 0x30;
    pub const SET: u8 = 0x31;
}

/// Object identifiers, as the bytes of their DER content.
pub(super) mod oid {
    pub const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
    pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    pub const SHA256_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
    pub const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    pub const PRIME256V1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    pub const SECP384R1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
    pub const SECP521R1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
    pub const ECDSA_WITH_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    pub const ECDSA_WITH_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
    pub const ECDSA_WITH_SHA512: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
    pub const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
    pub const X25519: &[u8] = &[0x2b, 0x65, 0x6e];
    pub const SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1d, 0x0e];
    pub const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
    pub const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
    pub const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
    pub const AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1d, 0x23];
    pub const EXT_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
    pub const SERVER_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
    pub const CLIENT_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];
}

/// A tag-length-value element with the given tag and content.
pub(super) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let significant = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

/// A `SEQUENCE` of already encoded elements.
pub(super) fn sequence(elements: &[&[u8]]) -> Vec<u8> {
    tlv(tag::SEQUENCE, &elements.concat())
}

/// A non-negative `INTEGER` from big-endian magnitude bytes, minimally encoded.
pub(super) fn unsigned_integer(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|&&b| b == 0).count();
    let significant = magnitude.get(skip..).unwrap_or_default();
    let mut content = Vec::with_capacity(significant.len() + 1);
    if significant.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(significant);
    tlv(tag::INTEGER, &content)
}

/// A small non-negative `INTEGER`.
pub(super) fn small_integer(value: u8) -> Vec<u8> {
    unsigned_integer(&[value])
}

/// An `OBJECT IDENTIFIER` from its content bytes (see [`oid`]).
pub(super) fn oid(content: &[u8]) -> Vec<u8> {
    tlv(tag::OID, content)
}

/// A `BIT STRING` of whole bytes.
pub(super) fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(bytes.len() + 1);
    content.push(0);
    content.extend_from_slice(bytes);
    tlv(tag::BIT_STRING, &content)
}

/// An `OCTET STRING`.
pub(super) fn octet_string(bytes: &[u8]) -> Vec<u8> {
    tlv(tag::OCTET_STRING, bytes)
}

/// `BOOLEAN TRUE` (DER encodes true as `0xff`).
pub(super) fn true_boolean() -> Vec<u8> {
    tlv(tag::BOOLEAN, &[0xff])
}

/// `NULL`.
pub(super) fn null() -> Vec<u8> {
    tlv(tag::NULL, &[])
}

/// A context-specific element: `[number]`, constructed (explicit tagging of a value, or an
/// implicitly tagged constructed type) or primitive (an implicitly tagged primitive type).
pub(super) fn context(number: u8, constructed: bool, content: &[u8]) -> Vec<u8> {
    let tag = 0x80 | if constructed { 0x20 } else { 0 } | number;
    tlv(tag, content)
}

/// Whether Go's `encoding/asn1` marshals `s` as a `PrintableString` (it otherwise chooses
/// `UTF8String`). Go rejects `*` and `&` when writing, although it accepts them when reading.
pub(super) fn is_printable(s: &str) -> bool {
    s.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'\'' | b'(' | b')' | b'+' | b',' | b'-' | b'.' | b'/' | b' ' | b':' | b'=' | b'?'
            )
    })
}

/// A string as Go's `encoding/asn1` marshals a Go `string` without a type tag.
pub(super) fn go_string(s: &str) -> Vec<u8> {
    let tag = if is_printable(s) {
        tag::PRINTABLE_STRING
    } else {
        tag::UTF8_STRING
    };
    tlv(tag, s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_use_the_short_and_long_forms() {
        assert_eq!(tlv(0x04, &[1, 2]), [0x04, 2, 1, 2]);
        assert_eq!(tlv(0x04, &[0; 200]).get(..3), Some(&[0x04, 0x81, 200][..]));
        assert_eq!(
            tlv(0x04, &[0; 300]).get(..4),
            Some(&[0x04, 0x82, 0x01, 0x2c][..])
        );
    }

    #[test]
    fn integers_are_minimal_and_positive() {
        assert_eq!(unsigned_integer(&[0, 0, 5]), [0x02, 1, 5]);
        assert_eq!(unsigned_integer(&[0x80]), [0x02, 2, 0, 0x80]);
        assert_eq!(unsigned_integer(&[]), [0x02, 1, 0]);
        assert_eq!(small_integer(2), [0x02, 1, 2]);
    }

    #[test]
    fn string_types_follow_go() {
        assert_eq!(go_string("my-ca").first(), Some(&tag::PRINTABLE_STRING));
        assert_eq!(go_string("*.example.com").first(), Some(&tag::UTF8_STRING));
        assert_eq!(go_string("a&b").first(), Some(&tag::UTF8_STRING));
        assert_eq!(go_string("é").first(), Some(&tag::UTF8_STRING));
    }
}
