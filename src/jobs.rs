//! Periodic jobs: purge of expired sessions, of logs past their retention, of the
//! accounts of pupils who left more than 3 months ago, of abandoned import files.

use std::time::Duration;

use tokio::sync::watch;

use crate::app::App;

const PERIOD: Duration = Duration::from_secs(3600);
/// E-mail digests are looked at more often than the maintenance runs.
const MAIL_PERIOD: Duration = Duration::from_secs(60);

pub fn spawn(app: App, mut stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut last_maintenance: Option<std::time::Instant> = None;
        loop {
            if last_maintenance.is_none_or(|t| t.elapsed() >= PERIOD) {
                last_maintenance = Some(std::time::Instant::now());
                let app2 = app.clone();
                let ran =
                    tokio::task::spawn_blocking(move || run_once(&app2, crate::auth::now_micros()))
                        .await;
                if let Ok(Err(e)) = ran {
                    tracing::warn!("tâche périodique : {e}");
                }
                // What the round read (whole tables for the purges) is garbage now.
                crate::memory::give_back();
            }
            if app.is_installed() {
                if let Err(e) = crate::notify::mail::run(&app, crate::auth::now_micros()).await {
                    tracing::warn!("notifications par courriel : {e}");
                }
                if let Err(e) = crate::push::send::run_job(&app, crate::auth::now_micros()).await {
                    tracing::warn!("notifications push : {e}");
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(MAIL_PERIOD) => {}
                _ = stop.changed() => return,
            }
        }
    })
}

/// One round of maintenance at time `now` (microseconds).
/// The nightly backup is part of it when due.
pub fn run_once(app: &App, now: i64) -> crate::store::Result<()> {
    if app.is_installed() && crate::store_backups::due(app, now) {
        let status = crate::store_backups::run(app, now);
        tracing::info!(ok = status.ok, "sauvegarde de la nuit : {}", status.message);
    }
    let sessions = crate::auth::purge_expired(&app.store, now, app.lifetimes)?;
    let months = app.settings.log_retention_months as i64;
    let cutoff = now - months * 31 * 86_400 * 1_000_000;
    let logs = crate::auth::journal::purge_before(&app.store, cutoff)?;
    let leavers = crate::directory::import::purge_leavers(&app.store, now)?;
    let stale_imports = crate::directory::import::purge_pending(&app.store, now)?;
    let _ended_delegations = crate::directory::purge_delegations(&app.store, now)?;
    let _old_notifications = crate::notify::purge(&app.store, now)?;
    let purged = crate::messaging::run_purge(&app.store, now)?;
    let _trash = crate::media::purge_trash(&app.store, now)?;
    let _archives = crate::account::export::purge(&app.store, now)?;
    let people = crate::directory::people::People::load(&app.store)?;
    let _published = crate::pedagogy::textbook::publish_due(&app.store, &people, now)?;
    let _motifs_asked = crate::attendance::families::remind_motifs(&app.store, now)?;
    let _meetings_reminded = crate::slots::run_jobs(&app.store, now)?;
    let _old_registers = crate::attendance::archive::purge(
        &app.settings.data_dir,
        crate::attendance::current(now).0,
    );
    let swept = crate::schema::sweep_blobs(&app.store, now)?;
    if swept > 0 {
        tracing::info!(swept, "fichiers qui ne servent plus supprimés");
    }
    if purged > 0 {
        tracing::info!(purged, "purge de fin d'année de la messagerie");
    }
    if sessions + logs + leavers + stale_imports > 0 {
        tracing::info!(sessions, logs, leavers, stale_imports, "purge périodique");
    }
    Ok(())
}
