//! `preau restore` on a damaged archive: whatever the file holds, the restore answers an
//! error (or restores), never panics, and writes nothing outside its target folder.
//!
//! First byte, bit 0 clear: the rest is the archive file as is (a cut or damaged tar, a
//! wrong manifest, a blob whose checksum does not match…). Bit 0 set: the rest is the
//! archive's `records.jsonl`, packed by this target with a manifest whose checksum
//! matches (schema version from the other bits), so that the restore itself — records
//! into the store, migrations, consistency check — is reached, as with an archive edited
//! by hand.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

fn append(tar: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o600);
    header.set_cksum();
    tar.append_data(&mut header, name, data)
}

/// An archive as `preau backup` writes it, around `records`.
fn packed(records: &[u8], schema_version: u64) -> Option<Vec<u8>> {
    let manifest = serde_json::json!({
        "format": preau::store::backup::FORMAT,
        "app_version": "fuzz",
        "schema_version": schema_version,
        "created_at": 0,
        "counts": {},
        "records_sha256": hex::encode(Sha256::digest(records)),
        "blobs": [],
    });
    let mut tar = tar::Builder::new(Vec::new());
    append(&mut tar, "manifest.json", manifest.to_string().as_bytes()).ok()?;
    append(&mut tar, "records.jsonl", records).ok()?;
    tar.into_inner().ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let archive = if mode & 1 == 0 {
        rest.to_vec()
    } else {
        let version = u64::from(mode >> 1) % (preau::schema::current_version() + 1);
        let Some(bytes) = packed(rest, version) else {
            return;
        };
        bytes
    };
    let root = preau_fuzz::scratch("backup");
    let run = root.join("run");
    let _ = std::fs::remove_dir_all(&run);
    std::fs::create_dir_all(&run).expect("run folder");
    let file = run.join("archive.tar");
    std::fs::write(&file, &archive).expect("archive written");
    let data_dir = run.join("data");
    let restored = preau::cli::restore(&data_dir, &file);
    // Nothing written beside the target folder, and the archive left as it was.
    let mut beside: Vec<String> = std::fs::read_dir(&run)
        .expect("run folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n != "archive.tar" && n != "data")
        .collect();
    beside.extend(
        std::fs::read_dir(root)
            .expect("scratch folder")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n != "run"),
    );
    assert!(beside.is_empty(), "the restore wrote outside its folder: {beside:?}");
    assert_eq!(std::fs::read(&file).ok().as_deref(), Some(&archive[..]));
    // An archive its own checks refuse is refused before anything is written.
    let checked = preau::store::backup::read_archive(&file, preau::schema::current_version());
    if checked.is_err() {
        assert!(restored.is_err(), "an archive refused by its checks was restored");
        assert!(!data_dir.exists(), "a refused archive left a target folder");
    }
    let _ = std::fs::remove_dir_all(&run);
});
