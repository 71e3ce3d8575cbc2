//! The two pieces of cryptography a Web Push message needs, on aws-lc-rs (the library
//! rustls already links for TLS, so push adds no second crypto stack to the binary):
//!
//! - the payload's encryption for one browser (RFC 8291, content coding `aes128gcm` of
//!   RFC 8188): an ephemeral P-256 key agreed with the subscription's key, HKDF with the
//!   subscription's auth secret, AES-128-GCM in one record;
//! - the school's VAPID signature (RFC 8292): a JWT signed ES256 with the school's key,
//!   naming the push service (`aud`), an expiry and a contact (`sub`).
//!
//! The `web-push` crate was not taken: its only encryption backend (`ece`) links OpenSSL,
//! and it brings a second HTTP stack; `web-push-native` brings a second RustCrypto stack
//! (p256, aes-gcm, sha2 0.11). The encryption is pinned to RFC 8291's Appendix A.

use aws_lc_rs::agreement::{self, PrivateKey, UnparsedPublicKey, ECDH_P256};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use aws_lc_rs::{aead, hkdf};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Record size announced in the header: the whole payload fits in one record.
const RECORD_SIZE: u32 = 4096;
/// An uncompressed P-256 point (0x04 ‖ x ‖ y).
pub const PUBLIC_KEY_LEN: usize = 65;
pub const AUTH_LEN: usize = 16;
/// What RFC 8291 lets a push message carry once encrypted (4096 bytes minus the header,
/// the tag and the delimiter): more is refused, not cut.
pub const MAX_PLAINTEXT: usize = 3993;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("la clé de l'appareil n'est pas une clé P-256 valide")]
    BadKey,
    #[error("le secret de l'appareil n'a pas 16 octets")]
    BadAuth,
    #[error("le message est trop long pour une notification")]
    TooLong,
    #[error("erreur de chiffrement")]
    Failed,
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Base64url with or without padding (browsers give it without).
pub fn unb64(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(text.trim().trim_end_matches('='))
        .ok()
}

/// Checks a subscription's keys as a browser gives them (`p256dh`, `auth`).
pub fn check_keys(p256dh: &[u8], auth: &[u8]) -> Result<(), CryptoError> {
    if auth.len() != AUTH_LEN {
        return Err(CryptoError::BadAuth);
    }
    if p256dh.len() != PUBLIC_KEY_LEN || p256dh.first() != Some(&4) {
        return Err(CryptoError::BadKey);
    }
    // Agreeing with a throwaway key parses the point: one off the curve is refused here
    // rather than at each message.
    let probe = PrivateKey::generate(&ECDH_P256).map_err(|_| CryptoError::Failed)?;
    agreement::agree(
        &probe,
        UnparsedPublicKey::new(&ECDH_P256, p256dh),
        CryptoError::BadKey,
        |_| Ok(()),
    )
}

struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

fn expand(prk: &hkdf::Prk, info: &[&[u8]], out: &mut [u8]) -> Result<(), CryptoError> {
    prk.expand(info, Len(out.len()))
        .and_then(|okm| okm.fill(out))
        .map_err(|_| CryptoError::Failed)
}

/// Encrypts `plaintext` for the browser whose keys are `ua_public` and `auth`.
pub fn encrypt(plaintext: &[u8], ua_public: &[u8], auth: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let sender = PrivateKey::generate(&ECDH_P256).map_err(|_| CryptoError::Failed)?;
    let mut salt = [0u8; 16];
    SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| CryptoError::Failed)?;
    encrypt_with(plaintext, ua_public, auth, &sender, &salt)
}

/// [`encrypt`] with the sender's ephemeral key and the salt given (the RFC's example).
fn encrypt_with(
    plaintext: &[u8],
    ua_public: &[u8],
    auth: &[u8],
    sender: &PrivateKey,
    salt: &[u8; 16],
) -> Result<Vec<u8>, CryptoError> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(CryptoError::TooLong);
    }
    if auth.len() != AUTH_LEN {
        return Err(CryptoError::BadAuth);
    }
    let as_public = sender
        .compute_public_key()
        .map_err(|_| CryptoError::Failed)?;
    let as_public = as_public.as_ref();
    let shared: Vec<u8> = agreement::agree(
        sender,
        UnparsedPublicKey::new(&ECDH_P256, ua_public),
        CryptoError::BadKey,
        |secret| Ok(secret.to_vec()),
    )?;
    // RFC 8291 §3.3: the input keying material from the ECDH secret and the auth secret.
    let prk_key = hkdf::Salt::new(hkdf::HKDF_SHA256, auth).extract(&shared);
    let mut ikm = [0u8; 32];
    expand(
        &prk_key,
        &[b"WebPush: info\0", ua_public, as_public],
        &mut ikm,
    )?;
    // RFC 8188 §2.2–2.3: the content encryption key and the nonce.
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(&ikm);
    let mut cek = [0u8; 16];
    expand(&prk, &[b"Content-Encoding: aes128gcm\0"], &mut cek)?;
    let mut nonce = [0u8; 12];
    expand(&prk, &[b"Content-Encoding: nonce\0"], &mut nonce)?;
    // One record, the last: the payload then the delimiter 0x02, no padding.
    let mut record = Vec::with_capacity(plaintext.len() + 17);
    record.extend_from_slice(plaintext);
    record.push(2);
    let key = aead::LessSafeKey::new(
        aead::UnboundKey::new(&aead::AES_128_GCM, &cek).map_err(|_| CryptoError::Failed)?,
    );
    key.seal_in_place_append_tag(
        aead::Nonce::assume_unique_for_key(nonce),
        aead::Aad::empty(),
        &mut record,
    )
    .map_err(|_| CryptoError::Failed)?;
    let mut body = Vec::with_capacity(21 + as_public.len() + record.len());
    body.extend_from_slice(salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(u8::try_from(as_public.len()).map_err(|_| CryptoError::Failed)?);
    body.extend_from_slice(as_public);
    body.extend_from_slice(&record);
    Ok(body)
}

/// The school's VAPID key pair (PKCS#8), made once and kept in the store.
pub struct Vapid {
    pair: EcdsaKeyPair,
}

impl Vapid {
    pub fn generate() -> Result<Vec<u8>, CryptoError> {
        let doc =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
                .map_err(|_| CryptoError::Failed)?;
        Ok(doc.as_ref().to_vec())
    }

    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Vapid, CryptoError> {
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8)
            .map_err(|_| CryptoError::BadKey)?;
        Ok(Vapid { pair })
    }

    /// The public key, base64url, as `PushManager.subscribe` wants it
    /// (`applicationServerKey`) and as the `k=` of the `Authorization` header.
    pub fn public_key(&self) -> String {
        b64(self.pair.public_key().as_ref())
    }

    /// The `Authorization` header for the push service at `audience` (its origin,
    /// `https://host`), valid until `expires` (seconds since 1970, at most 24 h ahead).
    pub fn authorization(
        &self,
        audience: &str,
        expires: i64,
        contact: &str,
    ) -> Result<String, CryptoError> {
        let header = b64(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({ "aud": audience, "exp": expires, "sub": contact });
        let signed = format!("{header}.{}", b64(claims.to_string().as_bytes()));
        let signature = self
            .pair
            .sign(&SystemRandom::new(), signed.as_bytes())
            .map_err(|_| CryptoError::Failed)?;
        Ok(format!(
            "vapid t={signed}.{}, k={}",
            b64(signature.as_ref()),
            self.public_key()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Vec<u8> {
        unb64(s).unwrap()
    }

    // RFC 8291, Appendix A.
    const PLAINTEXT: &str = "When I grow up, I want to be a watermelon";
    const AS_PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    const UA_PUBLIC: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
    const BODY: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    #[test]
    fn the_rfc_8291_example_is_reproduced_byte_for_byte() {
        let sender = PrivateKey::from_private_key(&ECDH_P256, &b(AS_PRIVATE)).unwrap();
        let salt: [u8; 16] = b(SALT).try_into().unwrap();
        let body = encrypt_with(
            PLAINTEXT.as_bytes(),
            &b(UA_PUBLIC),
            &b(AUTH),
            &sender,
            &salt,
        )
        .unwrap();
        assert_eq!(b64(&body), BODY);
    }

    #[test]
    fn keys_are_checked_and_long_payloads_refused() {
        assert!(check_keys(&b(UA_PUBLIC), &b(AUTH)).is_ok());
        let mut off_curve = b(UA_PUBLIC);
        off_curve[10] ^= 1;
        assert!(check_keys(&off_curve, &b(AUTH)).is_err());
        assert!(check_keys(&b(UA_PUBLIC), &[0; 8]).is_err());
        let long = vec![b'a'; MAX_PLAINTEXT + 1];
        assert!(encrypt(&long, &b(UA_PUBLIC), &b(AUTH)).is_err());
        assert!(encrypt(b"court", &b(UA_PUBLIC), &b(AUTH)).is_ok());
    }

    #[test]
    fn the_vapid_header_carries_a_jwt_and_the_public_key() {
        let vapid = Vapid::from_pkcs8(&Vapid::generate().unwrap()).unwrap();
        let header = vapid
            .authorization("https://push.example.net", 1_900_000_000, "https://ecole")
            .unwrap();
        let (token, key) = header
            .strip_prefix("vapid t=")
            .unwrap()
            .split_once(", k=")
            .unwrap();
        assert_eq!(key, vapid.public_key());
        assert_eq!(b(key).len(), PUBLIC_KEY_LEN);
        assert_eq!(token.split('.').count(), 3);
    }
}
