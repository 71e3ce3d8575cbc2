//! Content-addressed files (photos, sound, video, documents) in `<data>/blobs`.
//!
//! A blob's name is the SHA-256 of its content, so identical files are stored once and a
//! name from a record can never point outside the folder (it must be 64 hex digits).
//! Writes go to a temporary file, are fsynced, then renamed into place.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rand::RngCore;
use sha2::{Digest, Sha256};

/// The SHA-256 of a blob, as 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct BlobId(String);

impl BlobId {
    /// Accepts only a well-formed hash: user input never becomes a path otherwise.
    pub fn parse(text: &str) -> Option<BlobId> {
        let ok = text.len() == 64
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        ok.then(|| BlobId(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone)]
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    pub fn open(root: &Path) -> io::Result<BlobStore> {
        fs::create_dir_all(root.join("tmp"))?;
        Ok(BlobStore {
            root: root.to_path_buf(),
        })
    }

    /// Where a blob lives: two levels of fan-out keep folders small.
    pub fn path(&self, id: &BlobId) -> PathBuf {
        let h = id.as_str();
        self.root.join(&h[..2]).join(&h[2..])
    }

    pub fn exists(&self, id: &BlobId) -> bool {
        self.path(id).is_file()
    }

    /// Starts a streamed write; nothing is visible until [`BlobWriter::finish`].
    pub fn writer(&self) -> io::Result<BlobWriter> {
        let mut suffix = [0u8; 8];
        rand::rng().fill_bytes(&mut suffix);
        let tmp = self.root.join("tmp").join(hex::encode(suffix));
        let file = File::options().write(true).create_new(true).open(&tmp)?;
        Ok(BlobWriter {
            store: self.clone(),
            tmp,
            file: Some(file),
            hasher: Sha256::new(),
            len: 0,
        })
    }

    /// Stores a small in-memory content.
    pub fn put_bytes(&self, content: &[u8]) -> io::Result<BlobId> {
        let mut w = self.writer()?;
        w.write_all(content)?;
        w.finish()
    }

    pub fn read(&self, id: &BlobId) -> io::Result<Vec<u8>> {
        fs::read(self.path(id))
    }

    /// Every stored blob with its modification time (temporary files excluded).
    pub fn all(&self) -> io::Result<Vec<(BlobId, std::time::SystemTime)>> {
        let mut out = Vec::new();
        for fan in fs::read_dir(&self.root)? {
            let fan = fan?;
            let prefix = fan.file_name().to_string_lossy().to_string();
            if prefix.len() != 2 || !fan.file_type()?.is_dir() {
                continue;
            }
            for f in fs::read_dir(fan.path())? {
                let f = f?;
                let name = format!("{prefix}{}", f.file_name().to_string_lossy());
                if let Some(id) = BlobId::parse(&name) {
                    out.push((id, f.metadata()?.modified()?));
                }
            }
        }
        Ok(out)
    }

    /// Removes a blob no record references any more.
    pub fn remove(&self, id: &BlobId) -> io::Result<()> {
        match fs::remove_file(self.path(id)) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

pub struct BlobWriter {
    store: BlobStore,
    tmp: PathBuf,
    file: Option<File>,
    hasher: Sha256,
    len: u64,
}

impl BlobWriter {
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// fsync, then rename into the content-addressed place, then fsync the folder so the
    /// rename itself survives a power cut.
    pub fn finish(mut self) -> io::Result<BlobId> {
        let file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("blob déjà terminé"))?;
        file.sync_all()?;
        drop(file);
        let id = BlobId(hex::encode(self.hasher.clone().finalize()));
        let dest = self.store.path(&id);
        let dir = dest
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.store.root.clone());
        fs::create_dir_all(&dir)?;
        if dest.exists() {
            fs::remove_file(&self.tmp)?;
        } else {
            fs::rename(&self.tmp, &dest)?;
            File::open(&dir)?.sync_all()?;
        }
        Ok(id)
    }
}

impl Write for BlobWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| io::Error::other("blob déjà terminé"))?;
        let n = file.write(buf)?;
        let written = buf.get(..n).unwrap_or_default();
        self.hasher.update(written);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        // An abandoned upload leaves no temporary file behind.
        if self.file.is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_content_is_stored_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = BlobStore::open(dir.path()).unwrap();
        let a = blobs.put_bytes(b"dessin de Lou").unwrap();
        let b = blobs.put_bytes(b"dessin de Lou").unwrap();
        assert_eq!(a, b);
        assert_eq!(blobs.read(&a).unwrap(), b"dessin de Lou");
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    }

    #[test]
    fn only_hashes_are_accepted_as_names() {
        assert!(BlobId::parse("../../etc/passwd").is_none());
        assert!(BlobId::parse(&"A".repeat(64)).is_none());
        assert!(BlobId::parse(&"a".repeat(64)).is_some());
    }

    #[test]
    fn an_abandoned_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = BlobStore::open(dir.path()).unwrap();
        let mut w = blobs.writer().unwrap();
        w.write_all(b"moitie").unwrap();
        drop(w);
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    }
}
