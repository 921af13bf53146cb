//! X.509 certificates as Sprig's `genCA`, `genSelfSignedCert` and `genSignedCert` make them,
//! and Sprig's `certificate` struct that carries them to templates.
//!
//! Sprig fills one fixed template (`getBaseCertTemplate`) and hands it to Go's
//! `x509.CreateCertificate`; [`create`] performs the same steps in the same order, so the
//! result has Go's structure: version 3, a random 128-bit serial, the subject's common name as
//! the only name attribute, `keyEncipherment | digitalSignature` (plus `certSign` for a CA)
//! as a critical key usage, server and client authentication as extended key usages, critical
//! basic constraints, a subject key identifier for CAs (the first 20 bytes of the SHA-256 of
//! the public key, as Go 1.25 computes it), an authority key identifier when the issuer is
//! another certificate, and DNS names before IP addresses in the alternative names.

use std::any::Any;
use std::net::IpAddr;

use sha2::{Digest, Sha256};
use x509_cert::der::asn1::OctetStringRef;
use x509_cert::der::{Decode, Encode};

use super::der::{self, oid, tag};
use super::keys::PrivateKey;
use crate::value::{Entries, Kind, Object, Value};

/// Sprig's `certificate` struct: a PEM certificate and the PEM private key of its subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Certificate {
    /// The `Cert` field.
    pub(crate) cert: String,
    /// The `Key` field.
    pub(crate) key: String,
}

/// The Go type name of [`Certificate`], as `typeOf` prints it.
pub(super) const CERTIFICATE_TYPE: &str = "sprig.certificate";

impl Object for Certificate {
    fn type_name(&self) -> &str {
        CERTIFICATE_TYPE
    }

    fn kind(&self) -> Kind {
        Kind::Struct
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::from(self.cert.as_str())),
            "Key" => Some(Value::from(self.key.as_str())),
            _ => None,
        }
    }

    /// Go prints a struct with `%v` as `{field1 field2}`.
    fn go_string(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }

    fn to_json_value(&self) -> Value {
        let mut entries = Entries::new();
        entries.insert("Cert".into(), Value::from(self.cert.as_str()));
        entries.insert("Key".into(), Value::from(self.key.as_str()));
        Value::map(entries)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// What Sprig's certificate template varies: the rest of `getBaseCertTemplate` is fixed.
pub(super) struct Template {
    /// The subject's common name (omitted from the subject when empty).
    pub(super) common_name: String,
    /// IP address alternative names.
    pub(super) ips: Vec<IpAddr>,
    /// DNS alternative names.
    pub(super) dns_names: Vec<String>,
    /// `NotBefore`, in Unix nanoseconds.
    pub(super) not_before_nanos: i128,
    /// Validity in days; Go multiplies it into a `time.Duration`, wrapping on overflow.
    pub(super) days_valid: i64,
    /// The serial number, big-endian (128 random bits).
    pub(super) serial: [u8; 16],
    /// Whether this is a CA certificate (`genCA`).
    pub(super) is_ca: bool,
}

/// The issuer of a certificate signed by another one: what Go takes from the parsed parent.
pub(super) struct Issuer {
    /// The parent's subject, as encoded in the parent.
    subject: Vec<u8>,
    /// The parent's `SubjectPublicKeyInfo`, to check the signing key against.
    public_key_info: Vec<u8>,
    /// The parent's subject key identifier, if it has one.
    subject_key_id: Option<Vec<u8>>,
}

/// Go's `x509.ParseCertificate`, for the fields a signer needs. Go reports each malformation
/// in its own words; every failure here reads as Go's most general one.
pub(super) fn parse_issuer(der: &[u8]) -> Result<Issuer, String> {
    const MALFORMED: &str = "x509: malformed certificate";
    let cert = x509_cert::Certificate::from_der(der).map_err(|_| MALFORMED.to_owned())?;
    let tbs = cert.tbs_certificate();
    let subject = tbs.subject().to_der().map_err(|_| MALFORMED.to_owned())?;
    let public_key_info = tbs
        .subject_public_key_info()
        .to_der()
        .map_err(|_| MALFORMED.to_owned())?;
    let subject_key_id = match tbs
        .extensions()
        .into_iter()
        .flatten()
        .find(|ext| ext.extn_id.as_bytes() == oid::SUBJECT_KEY_ID)
    {
        Some(ext) => Some(
            <&OctetStringRef>::from_der(ext.extn_value.as_bytes())
                .map_err(|_| "x509: invalid subject key identifier".to_owned())?
                .as_bytes()
                .to_vec(),
        ),
        None => None,
    };
    Ok(Issuer {
        subject,
        public_key_info,
        subject_key_id,
    })
}

/// Go's `x509.CreateCertificate` for Sprig's template: the DER certificate for
/// `subject_key`, signed by `signing_key` as `issuer` (or self-signed when `None`).
pub(super) fn create(
    template: &Template,
    subject_key: &PrivateKey,
    issuer: Option<&Issuer>,
    signing_key: &PrivateKey,
) -> Result<Vec<u8>, String> {
    signing_key.check_signer()?;
    let signature_algorithm = signing_key.signature_algorithm()?;
    let (public_key_info, public_key_bits) = subject_key.subject_public_key_info()?;

    let subject = name(&template.common_name);
    let issuer_name = issuer.map_or_else(|| subject.clone(), |issuer| issuer.subject.clone());
    let authority_key_id = match issuer {
        Some(issuer) if issuer.subject != subject => {
            issuer.subject_key_id.clone().filter(|id| !id.is_empty())
        }
        _ => None,
    };
    let subject_key_id = template.is_ca.then(|| {
        Sha256::digest(&public_key_bits)
            .get(..20)
            .unwrap_or_default()
            .to_vec()
    });

    if let Some(issuer) = issuer {
        let (signer_public_key_info, _) = signing_key.subject_public_key_info()?;
        if signer_public_key_info != issuer.public_key_info {
            return Err("x509: provided PrivateKey doesn't match parent's PublicKey".to_owned());
        }
    }

    let extensions = extensions(
        template,
        subject == name(""),
        authority_key_id.as_deref(),
        subject_key_id.as_deref(),
    )?;
    let tbs = der::sequence(&[
        &der::context(0, true, &der::small_integer(2)),
        &der::unsigned_integer(&template.serial),
        &signature_algorithm,
        &issuer_name,
        &validity(template)?,
        &subject,
        &public_key_info,
        &der::context(3, true, &extensions),
    ]);
    let signature = signing_key.sign(&tbs)?;
    Ok(der::sequence(&[
        &tbs,
        &signature_algorithm,
        &der::bit_string(&signature),
    ]))
}

/// A subject or issuer name holding only a common name; empty when the name is empty, as
/// Go's `pkix.Name.ToRDNSequence` leaves out empty attributes.
fn name(common_name: &str) -> Vec<u8> {
    if common_name.is_empty() {
        return der::sequence(&[]);
    }
    let attribute = der::sequence(&[&der::oid(oid::COMMON_NAME), &der::go_string(common_name)]);
    der::sequence(&[&der::tlv(tag::SET, &attribute)])
}

/// `NotBefore` and `NotAfter = NotBefore + 24h × days`, with Go's wrapping `time.Duration`
/// arithmetic, truncated to seconds.
fn validity(template: &Template) -> Result<Vec<u8>, String> {
    const NANOS_PER_DAY: i64 = 24 * 60 * 60 * 1_000_000_000;
    let duration = i128::from(template.days_valid.wrapping_mul(NANOS_PER_DAY));
    let not_before = time(template.not_before_nanos)?;
    let not_after = time(template.not_before_nanos + duration)?;
    Ok(der::sequence(&[&not_before, &not_after]))
}

/// A time as Go's `encoding/asn1` writes it: `UTCTime` for the years 1950 to 2049,
/// `GeneralizedTime` otherwise, in UTC, to the second.
fn time(unix_nanos: i128) -> Result<Vec<u8>, String> {
    let seconds =
        i64::try_from(unix_nanos.div_euclid(1_000_000_000)).map_err(|err| err.to_string())?;
    let at = jiff::Timestamp::from_second(seconds)
        .map_err(|err| err.to_string())?
        .to_zoned(jiff::tz::TimeZone::UTC);
    let year = at.year();
    let rest = format!(
        "{:02}{:02}{:02}{:02}{:02}Z",
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    Ok(if (1950..2050).contains(&year) {
        der::tlv(tag::UTC_TIME, format!("{:02}{rest}", year % 100).as_bytes())
    } else {
        der::tlv(tag::GENERALIZED_TIME, format!("{year:04}{rest}").as_bytes())
    })
}

/// One extension: `SEQUENCE { extnID, critical DEFAULT FALSE, extnValue }`.
fn extension(id: &[u8], critical: bool, value: &[u8]) -> Vec<u8> {
    let critical = if critical {
        der::true_boolean()
    } else {
        Vec::new()
    };
    der::sequence(&[&der::oid(id), &critical, &der::octet_string(value)])
}

/// Go's `x509.KeyUsage` bits.
const DIGITAL_SIGNATURE: u16 = 1 << 0;
const KEY_ENCIPHERMENT: u16 = 1 << 2;
const CERT_SIGN: u16 = 1 << 5;

/// A key usage `BIT STRING` as Go's `marshalKeyUsage` writes it: bit 0 first, trailing zero
/// bits left out.
fn key_usage(usage: u16) -> Vec<u8> {
    let bytes = [
        (usage as u8).reverse_bits(),
        ((usage >> 8) as u8).reverse_bits(),
    ];
    let used = if bytes[1] != 0 { 2 } else { 1 };
    let last = bytes.get(used - 1).copied().unwrap_or_default();
    let unused_bits = if last == 0 {
        0
    } else {
        last.trailing_zeros() as u8
    };
    let mut content = vec![unused_bits];
    content.extend_from_slice(bytes.get(..used).unwrap_or_default());
    der::tlv(tag::BIT_STRING, &content)
}

/// Go's `buildCertExtensions`, in Go's order, for Sprig's template.
fn extensions(
    template: &Template,
    subject_is_empty: bool,
    authority_key_id: Option<&[u8]>,
    subject_key_id: Option<&[u8]>,
) -> Result<Vec<u8>, String> {
    let mut usage = DIGITAL_SIGNATURE | KEY_ENCIPHERMENT;
    if template.is_ca {
        usage |= CERT_SIGN;
    }
    let mut extensions = vec![
        extension(oid::KEY_USAGE, true, &key_usage(usage)),
        extension(
            oid::EXT_KEY_USAGE,
            false,
            &der::sequence(&[&der::oid(oid::SERVER_AUTH), &der::oid(oid::CLIENT_AUTH)]),
        ),
        extension(
            oid::BASIC_CONSTRAINTS,
            true,
            &if template.is_ca {
                der::sequence(&[&der::true_boolean()])
            } else {
                der::sequence(&[])
            },
        ),
    ];
    if let Some(id) = subject_key_id {
        extensions.push(extension(
            oid::SUBJECT_KEY_ID,
            false,
            &der::octet_string(id),
        ));
    }
    if let Some(id) = authority_key_id {
        extensions.push(extension(
            oid::AUTHORITY_KEY_ID,
            false,
            &der::sequence(&[&der::context(0, false, id)]),
        ));
    }
    if !template.dns_names.is_empty() || !template.ips.is_empty() {
        let mut names = Vec::new();
        for dns_name in &template.dns_names {
            if !dns_name.is_ascii() {
                let quoted = crate::gofmt::sprintf("%q", &[Value::from(dns_name.as_str())]);
                return Err(format!("x509: {quoted} cannot be encoded as an IA5String"));
            }
            names.push(der::context(2, false, dns_name.as_bytes()));
        }
        for ip in &template.ips {
            names.push(der::context(7, false, &ip_bytes(ip)));
        }
        // RFC 5280: with an empty subject, the alternative names must be critical.
        extensions.push(extension(
            oid::SUBJECT_ALT_NAME,
            subject_is_empty,
            &der::tlv(tag::SEQUENCE, &names.concat()),
        ));
    }
    Ok(der::tlv(tag::SEQUENCE, &extensions.concat()))
}

/// An IP address as Go writes it into a certificate: 4 bytes for IPv4, including
/// IPv4-mapped IPv6 addresses (`ip.To4()`), 16 bytes otherwise.
fn ip_bytes(ip: &IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.octets().to_vec(),
            None => v6.octets().to_vec(),
        },
    }
}

/// Go's `net.ParseIP` for the address forms it accepts: dotted IPv4 without leading zeros
/// and IPv6 (with an optional embedded IPv4 tail), no zones.
pub(super) fn parse_ip(text: &str) -> Option<IpAddr> {
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_usage_bits_match_go() {
        // Values from certificates made by Helm 4.1.4.
        assert_eq!(
            key_usage(DIGITAL_SIGNATURE | KEY_ENCIPHERMENT),
            [0x03, 0x02, 0x05, 0xa0]
        );
        assert_eq!(
            key_usage(DIGITAL_SIGNATURE | KEY_ENCIPHERMENT | CERT_SIGN),
            [0x03, 0x02, 0x02, 0xa4]
        );
    }

    #[test]
    fn names_follow_go() {
        // CN=my-ca as a PrintableString, from a Helm certificate.
        assert_eq!(
            name("my-ca"),
            [
                0x30, 0x10, 0x31, 0x0e, 0x30, 0x0c, 0x06, 0x03, 0x55, 0x04, 0x03, 0x13, 0x05, b'm',
                b'y', b'-', b'c', b'a'
            ]
        );
        assert_eq!(name(""), [0x30, 0x00]);
    }

    #[test]
    fn times_switch_to_generalized_after_2049() {
        // 2026-11-22T18:38:45Z and 2126-10-29T18:39:23Z, as in Helm certificates.
        assert_eq!(
            time(1_795_372_725_123_456_789),
            Ok(der::tlv(tag::UTC_TIME, b"261122183845Z"))
        );
        assert_eq!(
            time(4_948_972_763_000_000_000),
            Ok(der::tlv(tag::GENERALIZED_TIME, b"21261029183923Z"))
        );
    }

    #[test]
    fn mapped_ipv6_addresses_shrink_to_ipv4() {
        let ip = |s: &str| ip_bytes(&parse_ip(s).expect("an address"));
        assert_eq!(ip("10.0.0.1"), [10, 0, 0, 1]);
        assert_eq!(ip("::ffff:1.2.3.4"), [1, 2, 3, 4]);
        assert_eq!(ip("::1").len(), 16);
        assert_eq!(parse_ip("1.2.3"), None);
        assert_eq!(parse_ip("1.2.3.04"), None);
        assert_eq!(parse_ip("fe80::1%eth0"), None);
    }
}
