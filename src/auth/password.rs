//! Passwords: bcrypt hashing off the async runtime, and the rule a new password follows.

/// Hashes with bcrypt on a blocking thread (a hash takes a quarter of a second).
/// `non_truncating` refuses passwords over 72 bytes instead of silently cutting them.
pub async fn hash(password: String, cost: u32) -> anyhow::Result<String> {
    let hashed =
        tokio::task::spawn_blocking(move || bcrypt::non_truncating_hash(password, cost)).await??;
    Ok(hashed)
}

/// Verifies on a blocking thread; a malformed hash counts as a mismatch.
pub async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        bcrypt::non_truncating_verify(password, &hash).unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

pub fn hash_blocking(password: &str, cost: u32) -> anyhow::Result<String> {
    Ok(bcrypt::non_truncating_hash(password, cost)?)
}

/// The rule for passwords chosen by adults (CNIL 2022, with login throttling): at least
/// 8 characters mixing letters and digits, or at least 12 characters of any kind.
pub fn check_strength(password: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if password.len() > 72 {
        return Err("Le mot de passe est trop long (72 octets au plus).");
    }
    if n < 8 {
        return Err("Le mot de passe doit compter au moins 8 caractères.");
    }
    let letters = password.chars().any(char::is_alphabetic);
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if n < 12 && !(letters && digits) {
        return Err("Mélangez des lettres et des chiffres, ou choisissez au moins 12 caractères.");
    }
    Ok(())
}

/// A random password that reads well when copied by hand (no 0/O, 1/l/I).
pub fn generate_readable(len: usize) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let mut out: String = (0..len)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect();
    // guarantee the letters-and-digits rule
    if !out.chars().any(|c| c.is_ascii_digit()) {
        out.pop();
        out.push('7');
    }
    if !out.chars().any(|c| c.is_ascii_alphabetic()) {
        out.pop();
        out.push('k');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_rule() {
        assert!(check_strength("court1").is_err());
        assert!(check_strength("seulementdeslettres").is_ok());
        assert!(check_strength("lettres").is_err());
        assert!(check_strength("abcdefg1").is_ok());
        assert!(check_strength("12345678").is_err());
        assert!(check_strength(&"a1".repeat(40)).is_err());
    }

    #[test]
    fn generated_passwords_pass_the_rule() {
        for _ in 0..50 {
            let p = generate_readable(10);
            assert_eq!(p.len(), 10);
            assert!(check_strength(&p).is_ok(), "{p}");
        }
    }

    #[test]
    fn hash_and_verify() {
        let h = hash_blocking("cartable2026", 4).unwrap();
        assert!(bcrypt::non_truncating_verify("cartable2026", &h).unwrap());
        assert!(!bcrypt::non_truncating_verify("cartable2027", &h).unwrap());
    }
}
