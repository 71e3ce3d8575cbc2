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

/// The rule shown beside every new-password field.
pub const RULE: &str = "Au moins 12 caractères mêlant au moins trois sortes parmi minuscules, majuscules, chiffres et symboles — ou une phrase de passe d'au moins 4 mots (20 caractères ou plus).";

/// The rule for passwords people choose (CNIL 2022): at least 12 characters mixing at
/// least three kinds of characters, or a passphrase of at least 4 words and 20 characters.
pub fn check_strength(password: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if password.len() > 72 {
        return Err("Le mot de passe est trop long (72 octets au plus).");
    }
    let words = password
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| w.chars().count() >= 3)
        .count();
    if words >= 4 && n >= 20 {
        return Ok(());
    }
    if n < 12 {
        return Err("Le mot de passe doit compter au moins 12 caractères (ou être une phrase de passe d'au moins 4 mots).");
    }
    let kinds = [
        password.chars().any(char::is_lowercase),
        password.chars().any(char::is_uppercase),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    if kinds < 3 {
        return Err("Mêlez au moins trois sortes de caractères : minuscules, majuscules, chiffres, symboles.");
    }
    Ok(())
}

/// A random password that reads well when copied by hand (no 0/O, 1/l/I).
pub fn generate_readable(len: usize) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let mut out: String = (0..len)
        .filter_map(|_| CHARS.get(rng.random_range(0..CHARS.len())))
        .map(|b| *b as char)
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
        assert!(check_strength("Court-1").is_err());
        assert!(check_strength("seulementdeslettres").is_err());
        assert!(check_strength("Cartable-2026").is_ok());
        assert!(check_strength("cartable2026").is_err(), "two kinds only");
        assert!(
            check_strength("le chat dort sous le préau").is_ok(),
            "a passphrase"
        );
        assert!(check_strength("le chat dort").is_err());
        assert!(check_strength(&"aA1-".repeat(20)).is_err(), "over 72 bytes");
    }

    #[test]
    fn generated_passwords_are_readable() {
        for _ in 0..50 {
            let p = generate_readable(10);
            assert_eq!(p.len(), 10);
            assert!(
                p.chars().any(|c| c.is_ascii_digit()) && p.chars().any(|c| c.is_ascii_lowercase()),
                "{p}"
            );
        }
    }

    #[test]
    fn hash_and_verify() {
        let h = hash_blocking("cartable2026", 4).unwrap();
        assert!(bcrypt::non_truncating_verify("cartable2026", &h).unwrap());
        assert!(!bcrypt::non_truncating_verify("cartable2027", &h).unwrap());
    }
}
