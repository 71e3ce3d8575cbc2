//! Nightly backups: once a day at `backup_hour` (Europe/Paris), a backup archive in the
//! backup folder, then rotation (the 7 newest, plus one per week for 4 more weeks). The
//! result is kept for the console, which warns when backups fail or stop.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::config::Settings;
use crate::store::backup::Manifest;
use crate::store::Store;

const STATUS_KEY: &str = "backup_status";
pub const PREFIX: &str = "preau-nuit-";
pub const KEEP_DAILY: usize = 7;
pub const KEEP_WEEKLY: usize = 4;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BackupStatus {
    pub at: i64,
    pub ok: bool,
    pub message: String,
    pub size: u64,
    /// Time of the last successful backup.
    pub last_success: Option<i64>,
}

pub fn status(app: &App) -> Option<BackupStatus> {
    app.store.meta(STATUS_KEY).ok().flatten()
}

pub fn folder(app: &App) -> PathBuf {
    folder_of(&app.settings)
}

/// The backup folder: `backup_dir` (PREAU_BACKUP_DIR) when set, `<data>/sauvegardes`.
pub fn folder_of(settings: &Settings) -> PathBuf {
    settings
        .backup_dir
        .clone()
        .unwrap_or_else(|| settings.data_dir.join("sauvegardes"))
}

/// Whether a nightly backup is due at `now` (microseconds).
pub fn due(app: &App, now: i64) -> bool {
    let last = status(app).and_then(|s| s.last_success.max(Some(s.at)));
    let hour = jiff::Timestamp::from_microsecond(now)
        .map(|t| t.to_zoned_datetime(crate::ui::dates::school_tz()).hour())
        .unwrap_or(0);
    let day = 86_400_000_000i64;
    match last {
        None => true,
        // At the chosen hour, once; and in any case if the last one is over a day old.
        Some(t) => {
            (hour == app.settings.backup_hour as i8 && now - t > day / 2)
                || now - t > day + 3_600_000_000
        }
    }
}

/// Makes the backup now, rotates, records the result.
pub fn run(app: &App, now: i64) -> BackupStatus {
    let made = into_folder(&app.store, &app.settings, now);
    record(&app.store, now, made.as_ref().map(|m| m.size))
}

/// An archive written: where, what it holds, its size.
pub struct Made {
    pub path: PathBuf,
    pub manifest: Manifest,
    pub size: u64,
}

impl Made {
    /// The line shown to whoever asked for it (`preau backup`).
    pub fn summary(&self) -> String {
        format!(
            "Sauvegarde écrite dans {} ({} enregistrements, {} fichiers, schéma {}).",
            self.path.display(),
            self.manifest.counts.values().sum::<usize>(),
            self.manifest.blobs.len(),
            self.manifest.schema_version
        )
    }
}

/// A backup written to `dest`.
pub fn to_file(store: &Store, dest: &Path, now: i64) -> anyhow::Result<Made> {
    let manifest = store.backup_to(dest, now)?;
    let size = std::fs::metadata(dest)?.len();
    Ok(Made {
        path: dest.to_path_buf(),
        manifest,
        size,
    })
}

/// A backup in the backup folder, named and rotated as the nightly ones.
pub fn into_folder(store: &Store, settings: &Settings, now: i64) -> anyhow::Result<Made> {
    let dir = folder_of(settings);
    if settings.backup_dir.is_some() && !dir.is_dir() {
        anyhow::bail!(
            "le dossier de sauvegarde {} est introuvable (clé ou disque débranché ?)",
            dir.display()
        );
    }
    if settings.backup_dir.is_none() {
        crate::fsutil::create_private_dir(&dir)?;
    }
    let stamp = jiff::Timestamp::from_microsecond(now)?
        .strftime("%Y%m%d-%H%M%S")
        .to_string();
    let made = to_file(store, &dir.join(format!("{PREFIX}{stamp}.tar")), now)?;
    rotate(&dir)?;
    Ok(made)
}

/// Keeps the outcome of a backup (the nightly one, the console's button, `preau backup`)
/// for the console and `/admin/etat`: whichever way it was made, they tell the same.
pub fn record(store: &Store, now: i64, result: Result<u64, &anyhow::Error>) -> BackupStatus {
    let previous: Option<BackupStatus> = store.meta(STATUS_KEY).ok().flatten();
    let status = match result {
        Ok(size) => BackupStatus {
            at: now,
            ok: true,
            message: "Sauvegarde réussie.".into(),
            size,
            last_success: Some(now),
        },
        Err(e) => {
            tracing::error!("sauvegarde : {e:#}");
            BackupStatus {
                at: now,
                ok: false,
                message: format!("{e:#}"),
                size: 0,
                last_success: previous.and_then(|p| p.last_success),
            }
        }
    };
    let _ = store.commit_blocking(|tx| tx.set_meta(STATUS_KEY, &status));
    status
}

/// The nightly archives of a folder, newest first (only Préau's own files).
fn archives(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let stamp = name.strip_prefix(PREFIX)?.strip_suffix(".tar")?.to_string();
            Some((stamp, e.path()))
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(out)
}

/// Which stamps (yyyymmdd-hhmmss, newest first) to keep: the 7 newest, then the newest
/// of each of the next 4 ISO weeks.
pub fn keep(stamps: &[String]) -> Vec<String> {
    let mut kept: Vec<String> = stamps.iter().take(KEEP_DAILY).cloned().collect();
    let mut weeks: Vec<(i16, i8)> = Vec::new();
    for s in stamps.iter().skip(KEEP_DAILY) {
        let Some(date) = s
            .get(..8)
            .and_then(|d| jiff::civil::Date::strptime("%Y%m%d", d).ok())
        else {
            continue;
        };
        let w = date.iso_week_date();
        let week = (w.year(), w.week());
        if !weeks.contains(&week) && weeks.len() < KEEP_WEEKLY {
            weeks.push(week);
            kept.push(s.clone());
        }
    }
    kept
}

/// Deletes the nightly archives of `dir` that `keep` does not keep.
pub fn rotate(dir: &Path) -> std::io::Result<()> {
    let all = archives(dir)?;
    let stamps: Vec<String> = all.iter().map(|(s, _)| s.clone()).collect();
    let kept = keep(&stamps);
    for (stamp, path) in all {
        if !kept.contains(&stamp) {
            std::fs::remove_file(path)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_keeps_seven_days_and_four_weeks() {
        // One backup a night for 60 nights, newest first.
        let start = jiff::civil::date(2026, 11, 23);
        let stamps: Vec<String> = (0..60)
            .map(|i| {
                format!(
                    "{}-020000",
                    start
                        .checked_sub(jiff::Span::new().days(i))
                        .unwrap()
                        .strftime("%Y%m%d")
                )
            })
            .collect();
        let kept = keep(&stamps);
        assert_eq!(kept.len(), KEEP_DAILY + KEEP_WEEKLY);
        assert_eq!(&kept[..KEEP_DAILY], &stamps[..KEEP_DAILY]);
        let weekly: Vec<&String> = kept[KEEP_DAILY..].iter().collect();
        assert!(weekly
            .iter()
            .all(|s| s.as_str() < stamps[KEEP_DAILY - 1].as_str()));
    }
}
