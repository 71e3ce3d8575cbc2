//! Key codecs: how typed keys become sled bytes. Integers are big-endian so that
//! the byte order of keys is their numeric order (sled iterates in byte order).

/// A value that can be used as a table key.
pub trait Key: Sized {
    fn encode(&self) -> Vec<u8>;
    fn decode(bytes: &[u8]) -> Option<Self>;
}

impl Key for u64 {
    fn encode(&self) -> Vec<u8> {
        self.to_be_bytes().to_vec()
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        Some(u64::from_be_bytes(bytes.try_into().ok()?))
    }
}

impl Key for String {
    fn encode(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        String::from_utf8(bytes.to_vec()).ok()
    }
}

/// Two ids, e.g. (class, member): all entries of one class share the first 8 bytes,
/// so `scan_prefix(class)` lists them.
impl Key for (u64, u64) {
    fn encode(&self) -> Vec<u8> {
        let mut out = self.0.to_be_bytes().to_vec();
        out.extend_from_slice(&self.1.to_be_bytes());
        out
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != 16 {
            return None;
        }
        let (a, b) = bytes.split_at(8);
        Some((u64::decode(a)?, u64::decode(b)?))
    }
}

/// Three ids, e.g. (mot, pupil, guardian): `scan_prefix(mot)` lists the mot's entries.
impl Key for (u64, u64, u64) {
    fn encode(&self) -> Vec<u8> {
        let mut out = self.0.to_be_bytes().to_vec();
        out.extend_from_slice(&self.1.to_be_bytes());
        out.extend_from_slice(&self.2.to_be_bytes());
        out
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != 24 {
            return None;
        }
        let (a, rest) = bytes.split_at(8);
        let (b, c) = rest.split_at(8);
        Some((u64::decode(a)?, u64::decode(b)?, u64::decode(c)?))
    }
}

/// A small tag followed by an id, e.g. ("ELV", user id) for an index by profile.
impl Key for (String, u64) {
    fn encode(&self) -> Vec<u8> {
        let mut out = self.0.as_bytes().to_vec();
        out.push(0xff); // never appears in UTF-8, so the tag cannot bleed into the id
        out.extend_from_slice(&self.1.to_be_bytes());
        out
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        let split = bytes.iter().position(|b| *b == 0xff)?;
        let (tag, rest) = bytes.split_at(split);
        Some((
            String::from_utf8(tag.to_vec()).ok()?,
            u64::decode(rest.get(1..)?)?,
        ))
    }
}

/// An id followed by a text, e.g. (user id, session hash): `scan_prefix(id)` lists the
/// entries of one user.
impl Key for (u64, String) {
    fn encode(&self) -> Vec<u8> {
        let mut out = self.0.to_be_bytes().to_vec();
        out.extend_from_slice(self.1.as_bytes());
        out
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < 8 {
            return None;
        }
        let (id, text) = bytes.split_at(8);
        Some((u64::decode(id)?, String::from_utf8(text.to_vec()).ok()?))
    }
}

/// Prefix of every `(String, u64)` key with this tag.
pub fn tag_prefix(tag: &str) -> Vec<u8> {
    let mut out = tag.as_bytes().to_vec();
    out.push(0xff);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_sort_numerically() {
        let mut keys: Vec<Vec<u8>> = [300u64, 2, 70_000, 1].iter().map(Key::encode).collect();
        keys.sort();
        let decoded: Vec<u64> = keys.iter().map(|k| u64::decode(k).unwrap()).collect();
        assert_eq!(decoded, vec![1, 2, 300, 70_000]);
    }

    #[test]
    fn composite_keys_round_trip() {
        let k = (7u64, 9u64);
        assert_eq!(<(u64, u64)>::decode(&k.encode()), Some(k));
        let k3 = (1u64, u64::MAX, 3u64);
        assert_eq!(<(u64, u64, u64)>::decode(&k3.encode()), Some(k3));
        assert!(k3.encode().starts_with(&1u64.encode()));
        let t = ("ELV".to_string(), 42u64);
        assert_eq!(<(String, u64)>::decode(&t.encode()), Some(t.clone()));
        assert!(t.encode().starts_with(&tag_prefix("ELV")));
        assert!(!("ELVX".to_string(), 1u64)
            .encode()
            .starts_with(&tag_prefix("ELV")));
    }

    #[test]
    fn malformed_bytes_are_refused() {
        assert_eq!(u64::decode(&[1, 2, 3]), None);
        assert_eq!(<(u64, u64)>::decode(&[0; 15]), None);
        assert_eq!(<(u64, u64, u64)>::decode(&[0; 16]), None);
    }
}
