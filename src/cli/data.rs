//! The data folder as a whole: `preau demo`, `preau backup`, `preau restore`, `preau
//! archive`.

use super::*;

/// `preau demo`: creates the demo school; the caller serves it unless `--no-serve`.
pub fn demo(data_dir: &Path, args: &DemoArgs) -> anyhow::Result<()> {
    if !(1..=100).contains(&args.scale) {
        bail!("--scale doit être compris entre 1 et 100");
    }
    let file = config::read_file(data_dir)?;
    let settings = config::resolve(data_dir.to_path_buf(), file, &args.serve)?;
    crate::app::prepare_data_dir(data_dir)?;
    let store = crate::schema::open(&settings)?;
    let started = std::time::Instant::now();
    let summary = crate::demo::create(&store, args.scale, args.seed, settings.bcrypt_cost, now())?;
    drop(store);
    println!(
        "École de démonstration créée en {:.1} s : {} classes, {} élèves, {} responsables, {} personnels, {} connexions d'historique.",
        started.elapsed().as_secs_f64(),
        summary.classes,
        summary.pupils,
        summary.guardians,
        summary.staff,
        summary.connection_events
    );
    println!(
        "Mot de passe de tous les comptes : {}",
        crate::demo::DEMO_PASSWORD
    );
    for (role, login) in &summary.logins {
        println!("  {role:<48} {login}");
    }
    Ok(())
}

/// `preau backup`: through the running server when one listens, directly otherwise.
/// Without `--out`, in the backup folder (`backup_dir`, else `<data>/sauvegardes`), named
/// and rotated as the nightly backups; either way the result is recorded for the console
/// and `/admin/etat`.
pub fn backup(data_dir: &Path, out: Option<&Path>) -> anyhow::Result<()> {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S").to_string();
    if let Some(p) = out {
        check_out(p)?;
    }
    // A folder (a scheduled job's backup volume): the archive is named and rotated as the
    // nightly ones (7 daily, 4 weekly), so that the folder does not grow without end.
    let rotated = out.filter(|p| p.is_dir());
    let dest = match out {
        Some(p) if p.is_dir() => {
            Some(p.join(format!("{}{stamp}.tar", crate::store_backups::PREFIX)))
        }
        Some(p) => Some(p.to_path_buf()),
        None => None,
    };
    let dest = match dest {
        Some(d) if !d.is_absolute() => Some(std::env::current_dir()?.join(d)),
        d => d,
    };
    let request = crate::admin_socket::Request::Backup {
        destination: dest.clone(),
    };
    if let Some(answer) = crate::admin_socket::send(data_dir, &request) {
        let answer = answer.context("échange avec le serveur en cours")?;
        if !answer.ok {
            bail!("{}", answer.message);
        }
        println!("{}", answer.message);
        if let Some(dir) = rotated {
            crate::store_backups::rotate(dir)?;
        }
        return Ok(());
    }
    let settings = settings_for(data_dir)?;
    let store = open_store(&settings)?;
    let now = now();
    let made = match &dest {
        Some(d) => crate::store_backups::to_file(&store, d, now),
        None => crate::store_backups::into_folder(&store, &settings, now),
    };
    crate::store_backups::record(&store, now, made.as_ref().map(|m| m.size));
    let made = made?;
    if let Some(dir) = rotated {
        crate::store_backups::rotate(dir)?;
    }
    println!("{}", made.summary());
    Ok(())
}

/// `preau archive`: the year's memory of a class or of the school, written by the running
/// server when one listens (it holds the store), directly otherwise — the same writer as
/// the download.
pub fn archive(
    data_dir: &Path,
    class: Option<&str>,
    year: Option<&str>,
    out: &Path,
) -> anyhow::Result<()> {
    let dest = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()?.join(out)
    };
    let request = crate::admin_socket::Request::Archive {
        class: class.map(String::from),
        year: year.map(String::from),
        destination: dest.clone(),
    };
    if let Some(answer) = crate::admin_socket::send(data_dir, &request) {
        let answer = answer.context("échange avec le serveur en cours")?;
        if !answer.ok {
            bail!("{}", answer.message);
        }
        println!("{}", answer.message);
        return Ok(());
    }
    let settings = settings_for(data_dir)?;
    let store = open_store(&settings)?;
    // The publishing step of the pictures is async: a small runtime of its own.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (class, year) = (class.map(String::from), year.map(String::from));
    let made = runtime.block_on(async move {
        tokio::task::spawn_blocking(move || {
            let runtime = tokio::runtime::Handle::current();
            crate::archive::make_file(&store, class.as_deref(), year.as_deref(), &runtime, &dest)
        })
        .await
    })??;
    println!("{made}");
    Ok(())
}

/// `preau lsu export`: the LSU file of a period, written by the running server when one
/// listens (it holds the store), directly otherwise; nothing is written while something
/// is missing, and the command fails with the list.
pub fn lsu_export(
    data_dir: &Path,
    period: u8,
    class: Option<&str>,
    out: &Path,
) -> anyhow::Result<()> {
    let dest = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()?.join(out)
    };
    let request = crate::admin_socket::Request::LsuExport {
        period,
        class: class.map(String::from),
        destination: dest.clone(),
    };
    if let Some(answer) = crate::admin_socket::send(data_dir, &request) {
        let answer = answer.context("échange avec le serveur en cours")?;
        if !answer.ok {
            bail!("{}", answer.message);
        }
        println!("{}", answer.message);
        return Ok(());
    }
    let settings = settings_for(data_dir)?;
    let store = open_store(&settings)?;
    let made = crate::progress::livret::lsu::write_file(&store, period, class, &dest)?;
    println!("{made}");
    Ok(())
}

/// `--out dir/` names a folder: one that does not exist is said plainly, as a missing
/// parent folder is (« Not a directory » told nothing).
fn check_out(out: &Path) -> anyhow::Result<()> {
    let names_folder = out.as_os_str().to_string_lossy().ends_with('/');
    if names_folder && !out.is_dir() {
        bail!(
            "impossible d'écrire la sauvegarde dans {} : ce dossier n'existe pas",
            out.display()
        );
    }
    Ok(())
}

/// `preau restore FILE`: checks everything first, then fills an empty data folder.
pub fn restore(data_dir: &Path, file: &Path) -> anyhow::Result<()> {
    use crate::store::backup::{read_archive, RestoreError};
    if data_dir.exists() && std::fs::read_dir(data_dir)?.next().is_some() {
        return Err(RestoreError::NotEmpty(data_dir.display().to_string()).into());
    }
    let (manifest, records, blobs) = read_archive(file, crate::schema::current_version())?;
    let existed = data_dir.exists();
    let restored = restore_checked(data_dir, &manifest, &records, &blobs);
    if restored.is_err() {
        // The folder was empty (checked above): what is in it now is a half restore,
        // which would make the next try refuse the folder as « not empty ».
        let cleaned = if existed {
            std::fs::read_dir(data_dir).and_then(|entries| {
                entries.flatten().try_for_each(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        std::fs::remove_dir_all(path)
                    } else {
                        std::fs::remove_file(path)
                    }
                })
            })
        } else {
            std::fs::remove_dir_all(data_dir)
        };
        if let Err(e) = cleaned {
            eprintln!(
                "le dossier {} garde une restauration incomplète ({e}) : videz-le avant de réessayer",
                data_dir.display()
            );
        }
    }
    restored
}

fn restore_checked(
    data_dir: &Path,
    manifest: &crate::store::backup::Manifest,
    records: &[u8],
    blobs: &[(crate::store::BlobId, Vec<u8>)],
) -> anyhow::Result<()> {
    use crate::store::backup::restore_into;
    crate::app::prepare_data_dir(data_dir)?;
    let settings = settings_for(data_dir)?;
    let n = {
        // Open at the archive's own schema, fill, then let the migrations bring it up.
        let store = crate::store::migrate::open_at_version(
            data_dir,
            &settings.store_options(),
            &crate::schema::tables(),
            &[],
            0,
        )?;
        restore_into(&store, records, blobs)?
    };
    let store = crate::schema::open(&settings)?;
    let problems = crate::schema::check(&store)?;
    if !problems.is_empty() {
        bail!(
            "restauration terminée mais incohérente : {}",
            problems.join(" ; ")
        );
    }
    println!(
        "Restauré : {n} enregistrements, {} fichiers, sauvegarde du schéma {} (maintenant {}).",
        blobs.len(),
        manifest.schema_version,
        store.schema_version()?
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    /// An archive whose checksums hold but whose records cannot be restored.
    fn unreadable_records(dir: &std::path::Path) -> std::path::PathBuf {
        let records = b"ceci n'est pas un enregistrement\n";
        let manifest = serde_json::json!({
            "format": crate::store::backup::FORMAT,
            "app_version": "test",
            "schema_version": crate::schema::current_version(),
            "created_at": 0,
            "counts": {},
            "records_sha256": hex::encode(Sha256::digest(records)),
            "blobs": [],
        })
        .to_string();
        let mut tar = tar::Builder::new(Vec::new());
        for (name, data) in [
            ("manifest.json", manifest.as_bytes()),
            ("records.jsonl", &records[..]),
        ] {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o600);
            header.set_cksum();
            tar.append_data(&mut header, name, data).unwrap();
        }
        let path = dir.join("archive.tar");
        std::fs::write(&path, tar.into_inner().unwrap()).unwrap();
        path
    }

    #[test]
    fn a_failed_restore_leaves_the_folder_as_it_found_it() {
        let tmp = tempfile::tempdir().unwrap();
        let archive = unreadable_records(tmp.path());
        // A folder that did not exist is not left behind.
        let absent = tmp.path().join("absent");
        assert!(super::restore(&absent, &archive).is_err());
        assert!(!absent.exists());
        // An empty folder is emptied again, so that a second try is not « not empty ».
        let empty = tmp.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let first = super::restore(&empty, &archive).unwrap_err().to_string();
        assert!(empty.exists());
        assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
        let second = super::restore(&empty, &archive).unwrap_err().to_string();
        assert_eq!(first, second);
    }
}
