//! ECDSA keys on the NIST curves Go's `crypto/x509` reads: P-256 (what `genPrivateKey "ecdsa"`
//! makes), P-384 and P-521. Go also reads P-224, which is not supported here.

use p256::elliptic_curve::sec1::ToSec1Point;
use rsa::signature::Signer;

use super::der::{self, oid};

/// An ECDSA private key.
pub(super) enum EcKey {
    /// NIST P-256 (prime256v1), signing with SHA-256.
    P256(p256::SecretKey),
    /// NIST P-384 (secp384r1), signing with SHA-384.
    P384(p384::SecretKey),
    /// NIST P-521 (secp521r1), signing with SHA-512.
    P521(p521::SecretKey),
}

/// Runs the same expression for whichever curve `key` is on.
macro_rules! on_curve {
    ($key:expr, |$k:ident, $curve:ident| $body:expr) => {
        match $key {
            EcKey::P256($k) => {
                use p256 as $curve;
                $body
            }
            EcKey::P384($k) => {
                use p384 as $curve;
                $body
            }
            EcKey::P521($k) => {
                use p521 as $curve;
                $body
            }
        }
    };
}

impl EcKey {
    /// The key for `curve` (a named-curve OID) with the big-endian private scalar `scalar`,
    /// with Go's checks and messages: leading zero padding is tolerated, a scalar that is too
    /// long or out of range is not.
    pub(super) fn from_scalar(curve: &[u8], scalar: &[u8]) -> Result<EcKey, String> {
        let size = match curve {
            oid::PRIME256V1 => 32,
            oid::SECP384R1 => 48,
            oid::SECP521R1 => 66,
            _ => return Err("x509: unknown elliptic curve".to_owned()),
        };
        const INVALID: &str = "x509: invalid elliptic curve private key value";
        let mut scalar = scalar;
        while scalar.len() > size {
            match scalar.split_first() {
                Some((0, rest)) => scalar = rest,
                _ => return Err(INVALID.to_owned()),
            }
        }
        let mut padded = vec![0u8; size];
        if let Some(tail) = padded.get_mut(size - scalar.len()..) {
            tail.copy_from_slice(scalar);
        }
        let invalid = |_| INVALID.to_owned();
        Ok(match curve {
            oid::PRIME256V1 => EcKey::P256(p256::SecretKey::from_slice(&padded).map_err(invalid)?),
            oid::SECP384R1 => EcKey::P384(p384::SecretKey::from_slice(&padded).map_err(invalid)?),
            _ => EcKey::P521(p521::SecretKey::from_slice(&padded).map_err(invalid)?),
        })
    }

    /// The named-curve OID (DER content bytes).
    pub(super) fn curve_oid(&self) -> &'static [u8] {
        match self {
            EcKey::P256(_) => oid::PRIME256V1,
            EcKey::P384(_) => oid::SECP384R1,
            EcKey::P521(_) => oid::SECP521R1,
        }
    }

    /// The SEC 1 `ECPrivateKey` with curve parameters and public key, as Go's
    /// `x509.MarshalECPrivateKey` writes it.
    pub(super) fn to_sec1_der(&self) -> Result<Vec<u8>, String> {
        on_curve!(self, |key, curve| {
            let _: &curve::SecretKey = key;
            key.to_sec1_der()
                .map(|der| der.to_vec())
                .map_err(|err| err.to_string())
        })
    }

    /// The uncompressed public point.
    pub(super) fn public_point(&self) -> Vec<u8> {
        on_curve!(self, |key, curve| {
            let _: &curve::SecretKey = key;
            key.public_key().to_sec1_point(false).as_bytes().to_vec()
        })
    }

    /// The signature algorithm Go pairs with the curve (`signingParamsForKey`).
    pub(super) fn signature_algorithm(&self) -> Vec<u8> {
        let algorithm = match self {
            EcKey::P256(_) => oid::ECDSA_WITH_SHA256,
            EcKey::P384(_) => oid::ECDSA_WITH_SHA384,
            EcKey::P521(_) => oid::ECDSA_WITH_SHA512,
        };
        der::sequence(&[&der::oid(algorithm)])
    }

    /// A DER-encoded ECDSA signature of `message` with the curve's hash.
    pub(super) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        on_curve!(self, |key, curve| {
            let signer = curve::ecdsa::SigningKey::from(key);
            let signature: curve::ecdsa::Signature =
                signer.try_sign(message).map_err(|err| err.to_string())?;
            Ok(signature.to_der().as_bytes().to_vec())
        })
    }
}
