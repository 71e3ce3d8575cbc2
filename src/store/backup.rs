//! Logical, engine-neutral backups: a tar archive holding `manifest.json` (schema version,
//! counts per table, checksums), `records.jsonl` (one line per record: table, key in hex,
//! value as JSON) and `blobs/<hash>`. Restoring reads the same archive into an empty data
//! folder after checking every checksum, so that a damaged archive is refused whole.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{BlobId, Result, Store, StoreError};

pub const FORMAT: &str = "preau-backup-1";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format: String,
    pub app_version: String,
    pub schema_version: u64,
    /// Microseconds since the epoch.
    pub created_at: i64,
    pub counts: BTreeMap<String, usize>,
    /// SHA-256 of records.jsonl.
    pub records_sha256: String,
    /// Blob hashes (their names are their checksums).
    pub blobs: Vec<String>,
}

/// What an export wrote: the count per table, the blobs referenced, the lines' SHA-256.
type Export = (BTreeMap<String, usize>, Vec<String>, String);

/// A writer that hashes what goes through it.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A checked archive: its manifest, its records, its blobs.
pub type Archive = (Manifest, Vec<u8>, Vec<(BlobId, Vec<u8>)>);

#[derive(Serialize, Deserialize)]
struct Line {
    t: String,
    k: String,
    v: serde_json::Value,
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Engine(e.to_string())
}

impl Store {
    /// Every record of every table, as archive lines. Writers are held off meanwhile, so
    /// that the lines form one consistent state.
    /// They go to `out` line by line: a school's records are never all in memory at once
    /// (a Pi has little of it, and the nightly backup runs beside the pages).
    fn export_lines(&self, out: impl Write) -> Result<Export> {
        let _quiet = self.maintenance.write().unwrap_or_else(|e| e.into_inner());
        let mut out = Hashing {
            inner: out,
            hash: Sha256::new(),
        };
        let mut counts = BTreeMap::new();
        let mut blobs = std::collections::BTreeSet::new();
        for (name, tree) in self.names.iter().zip(self.trees.iter()) {
            let mut n = 0;
            for item in tree.iter() {
                let (k, v) = item?;
                let value: serde_json::Value =
                    serde_json::from_slice(&v).map_err(|e| StoreError::Decode {
                        table: name,
                        detail: e.to_string(),
                    })?;
                collect_blob_ids(&value, &mut blobs);
                serde_json::to_writer(
                    &mut out,
                    &Line {
                        t: name.to_string(),
                        k: hex::encode(&k),
                        v: value,
                    },
                )
                .map_err(io)?;
                out.write_all(b"\n")?;
                n += 1;
            }
            counts.insert(name.to_string(), n);
        }
        out.flush()?;
        Ok((
            counts,
            blobs.into_iter().collect(),
            hex::encode(out.hash.finalize()),
        ))
    }

    /// Writes a backup archive to `dest` (temporary file, fsync, rename). A failure leaves
    /// no partial file and says why in one French sentence.
    pub fn backup_to(&self, dest: &Path, now: i64) -> Result<Manifest> {
        let tmp = dest.with_extension("partiel");
        self.write_archive(dest, &tmp, now).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            match e {
                StoreError::Io(io) => {
                    let folder = dest
                        .parent()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    let why = match io.kind() {
                        std::io::ErrorKind::NotFound => "ce dossier n'existe pas".to_string(),
                        std::io::ErrorKind::PermissionDenied
                        | std::io::ErrorKind::ReadOnlyFilesystem => {
                            "Préau n'a pas le droit d'y écrire".to_string()
                        }
                        std::io::ErrorKind::StorageFull => "le disque est plein".to_string(),
                        _ => io.to_string(),
                    };
                    StoreError::Engine(format!(
                        "impossible d'écrire la sauvegarde dans {folder} : {why}"
                    ))
                }
                other => other,
            }
        })
    }

    fn write_archive(&self, dest: &Path, tmp: &Path, now: i64) -> Result<Manifest> {
        // The lines are spooled beside the archive: the manifest that comes first in it
        // holds their checksum, known only once they are all written.
        let spool = dest.with_extension("lignes");
        let written = self
            .spool_lines(&spool)
            .and_then(|export| self.archive_from_spool(dest, tmp, &spool, export, now));
        let _ = std::fs::remove_file(&spool);
        written
    }

    fn spool_lines(&self, spool: &Path) -> Result<Export> {
        let file = crate::fsutil::create_private(spool)?;
        let mut writer = std::io::BufWriter::new(file);
        let export = self.export_lines(&mut writer)?;
        writer.flush()?;
        Ok(export)
    }

    fn archive_from_spool(
        &self,
        dest: &Path,
        tmp: &Path,
        spool: &Path,
        (counts, referenced, records_sha256): Export,
        now: i64,
    ) -> Result<Manifest> {
        let blobs: Vec<String> = referenced
            .into_iter()
            .filter(|h| {
                BlobId::parse(h)
                    .map(|id| self.blobs.exists(&id))
                    .unwrap_or(false)
            })
            .collect();
        let manifest = Manifest {
            format: FORMAT.into(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            schema_version: self.schema_version()?,
            created_at: now,
            counts,
            records_sha256,
            blobs: blobs.clone(),
        };
        {
            // The whole school in one file: owner-only from its creation, whoever writes
            // it (CLI, nightly job, admin socket, migration) and whatever the umask.
            let file = crate::fsutil::create_private(tmp)?;
            let mut tar = tar::Builder::new(std::io::BufWriter::new(file));
            let manifest_bytes = serde_json::to_vec_pretty(&manifest).map_err(io)?;
            append(&mut tar, "manifest.json", &manifest_bytes)?;
            append_file(&mut tar, "records.jsonl", spool)?;
            for h in &blobs {
                if let Some(id) = BlobId::parse(h) {
                    append_file(&mut tar, &format!("blobs/{h}"), &self.blobs.path(&id))?;
                }
            }
            let writer = tar.into_inner()?;
            let file = writer.into_inner().map_err(|e| io(e.error()))?;
            file.sync_all()?;
        }
        std::fs::rename(tmp, dest)?;
        if let Some(dir) = dest.parent() {
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(manifest)
    }
}

fn append<W: Write>(tar: &mut tar::Builder<W>, name: &str, data: &[u8]) -> Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o600);
    header.set_cksum();
    tar.append_data(&mut header, name, data)?;
    Ok(())
}

/// A file into the archive, streamed from the disk (owner-only, as the archive).
fn append_file<W: Write>(tar: &mut tar::Builder<W>, name: &str, path: &Path) -> Result<()> {
    let mut file = std::fs::File::open(path)?;
    let mut header = tar::Header::new_gnu();
    header.set_size(file.metadata()?.len());
    header.set_mode(0o600);
    header.set_cksum();
    tar.append_data(&mut header, name, &mut file)?;
    Ok(())
}

/// Any string value that is a blob hash is a reference to a blob.
fn collect_blob_ids(value: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::String(s) if BlobId::parse(s).is_some() => {
            out.insert(s.clone());
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| collect_blob_ids(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| collect_blob_ids(v, out)),
        _ => {}
    }
}

/// Why an archive was refused.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("cette sauvegarde est endommagée ({0}) : rien n'a été restauré")]
    Damaged(String),
    #[error("cette sauvegarde vient d'une version plus récente de Préau (schéma {found}, cette version connaît le schéma {known}) : installez une version au moins aussi récente")]
    TooNew { found: u64, known: u64 },
    #[error("le dossier de destination {0} n'est pas vide : restaurez dans un dossier vide")]
    NotEmpty(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("erreur d'entrée/sortie : {0}")]
    Io(#[from] std::io::Error),
}

/// Reads and checks an archive: manifest, records, blobs (all checksums verified).
pub fn read_archive(path: &Path, known_schema: u64) -> std::result::Result<Archive, RestoreError> {
    let file = std::fs::File::open(path)?;
    let mut archive = tar::Archive::new(file);
    let mut manifest: Option<Manifest> = None;
    let mut records = None;
    let mut blobs = Vec::new();
    let entries = archive
        .entries()
        .map_err(|e| RestoreError::Damaged(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| RestoreError::Damaged(e.to_string()))?;
        let name = entry
            .path()
            .map_err(|e| RestoreError::Damaged(e.to_string()))?
            .to_string_lossy()
            .to_string();
        let mut data = Vec::new();
        entry
            .read_to_end(&mut data)
            .map_err(|e| RestoreError::Damaged(e.to_string()))?;
        if name == "manifest.json" {
            manifest = Some(
                serde_json::from_slice(&data)
                    .map_err(|e| RestoreError::Damaged(format!("manifeste illisible : {e}")))?,
            );
        } else if name == "records.jsonl" {
            records = Some(data);
        } else if let Some(h) = name.strip_prefix("blobs/") {
            let id = BlobId::parse(h)
                .ok_or_else(|| RestoreError::Damaged(format!("fichier inattendu {name}")))?;
            if hex::encode(Sha256::digest(&data)) != h {
                return Err(RestoreError::Damaged(format!(
                    "le fichier {h} ne correspond pas à sa somme de contrôle"
                )));
            }
            blobs.push((id, data));
        }
    }
    let manifest = manifest.ok_or_else(|| RestoreError::Damaged("manifeste absent".into()))?;
    if manifest.format != FORMAT {
        return Err(RestoreError::Damaged(format!(
            "format inconnu « {} »",
            manifest.format
        )));
    }
    if manifest.schema_version > known_schema {
        return Err(RestoreError::TooNew {
            found: manifest.schema_version,
            known: known_schema,
        });
    }
    let records = records.ok_or_else(|| RestoreError::Damaged("enregistrements absents".into()))?;
    if hex::encode(Sha256::digest(&records)) != manifest.records_sha256 {
        return Err(RestoreError::Damaged(
            "les enregistrements ne correspondent pas à leur somme de contrôle".into(),
        ));
    }
    if blobs.len() != manifest.blobs.len() {
        return Err(RestoreError::Damaged(format!(
            "{} fichier(s) attendu(s), {} trouvé(s)",
            manifest.blobs.len(),
            blobs.len()
        )));
    }
    Ok((manifest, records, blobs))
}

/// Restores a checked archive into a freshly opened, empty store.
pub fn restore_into(
    store: &Store,
    records: &[u8],
    blobs: &[(BlobId, Vec<u8>)],
) -> std::result::Result<usize, RestoreError> {
    let mut n = 0;
    let mut batch: Vec<Line> = Vec::new();
    for line in BufReader::new(records).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let l: Line = serde_json::from_str(&line)
            .map_err(|e| RestoreError::Damaged(format!("ligne illisible : {e}")))?;
        batch.push(l);
    }
    for l in &batch {
        let key = hex::decode(&l.k).map_err(|e| RestoreError::Damaged(e.to_string()))?;
        let value = serde_json::to_vec(&l.v).map_err(|e| RestoreError::Damaged(e.to_string()))?;
        store.raw_insert(&l.t, &key, &value)?;
        n += 1;
    }
    for (_, data) in blobs {
        store.blobs().put_bytes(data)?;
    }
    store.flush_blocking()?;
    Ok(n)
}

/// The logical content of a store (table, key, value), to compare two stores.
pub fn logical_dump(store: &Store) -> Result<Vec<(String, String, serde_json::Value)>> {
    let mut lines = Vec::new();
    store.export_lines(&mut lines)?;
    let mut out = Vec::new();
    for line in BufReader::new(&lines[..]).lines() {
        let l: Line = serde_json::from_str(&line?).map_err(io)?;
        out.push((l.t, l.k, l.v));
    }
    Ok(out)
}
