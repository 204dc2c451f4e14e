//! Secrets: random tokens shown once, and the hashes we keep instead of them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 random bytes from the OS generator, base64url: 256 bits, unguessable.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A personal access token: a recognisable prefix (secret scanners and people can spot it).
pub fn new_api_token() -> String {
    format!("phare_{}", random_token())
}

/// SHA-256, hex. Tokens are high-entropy, so a fast hash is enough (unlike passwords).
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}
