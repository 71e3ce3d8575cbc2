//! The local administration socket (`<data>/admin.sock`, owner-only): commands that need
//! the store while `preau serve` holds it (a backup) go through the running server.
//! One JSON request per connection, one JSON answer.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::app::App;

pub const SOCKET: &str = "admin.sock";

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "commande", rename_all = "snake_case")]
pub enum Request {
    /// A backup to `destination`, or, without one, in the server's backup folder (its
    /// `backup_dir`, which the technician's shell may not know), dated and rotated.
    Backup {
        #[serde(default)]
        destination: Option<PathBuf>,
    },
    /// The year's memory of a class (by its name or number) or of the whole school, for a
    /// year (the current one by default), written to `destination`.
    Archive {
        #[serde(default)]
        class: Option<String>,
        #[serde(default)]
        year: Option<String>,
        destination: PathBuf,
    },
    /// The LSU file of a period (its number in the current year), for a class (by its
    /// name or number) or every class, written to `destination`.
    LsuExport {
        period: u8,
        #[serde(default)]
        class: Option<String>,
        destination: PathBuf,
    },
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Answer {
    pub ok: bool,
    pub message: String,
}

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET)
}

/// Listens on the socket until the server stops.
pub fn spawn(app: App, mut stop: tokio::sync::watch::Receiver<bool>) -> std::io::Result<()> {
    let p = path(&app.settings.data_dir);
    let _ = std::fs::remove_file(&p);
    let listener = tokio::net::UnixListener::bind(&p)?;
    crate::fsutil::restrict_to_owner(&p)?;
    tokio::spawn(async move {
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    if let Ok((stream, _)) = accepted {
                        let app = app.clone();
                        tokio::spawn(async move {
                            let (read, mut write) = stream.into_split();
                            let mut line = String::new();
                            if BufReader::new(read).read_line(&mut line).await.is_err() {
                                return;
                            }
                            let answer = handle(&app, &line).await;
                            let mut bytes = serde_json::to_vec(&answer).unwrap_or_default();
                            bytes.push(b'\n');
                            let _ = write.write_all(&bytes).await;
                        });
                    }
                }
                _ = stop.changed() => break,
            }
        }
        let _ = std::fs::remove_file(path(&app.settings.data_dir));
    });
    Ok(())
}

async fn handle(app: &App, line: &str) -> Answer {
    match serde_json::from_str::<Request>(line) {
        Ok(Request::Backup { destination }) => {
            let (store, settings) = (app.store.clone(), app.settings.clone());
            let now = crate::auth::now_micros();
            // Recorded as the nightly backup is, so that the console and `/admin/etat`
            // know of a backup made by hand, and of its failure.
            let made = tokio::task::spawn_blocking(move || {
                let made = match &destination {
                    Some(dest) => crate::store_backups::to_file(&store, dest, now),
                    None => crate::store_backups::into_folder(&store, &settings, now),
                };
                crate::store_backups::record(&store, now, made.as_ref().map(|m| m.size));
                made
            })
            .await;
            match made {
                Ok(Ok(m)) => Answer {
                    ok: true,
                    message: m.summary(),
                },
                Ok(Err(e)) => Answer {
                    ok: false,
                    message: format!("sauvegarde impossible : {e:#}"),
                },
                Err(e) => Answer {
                    ok: false,
                    message: format!("sauvegarde impossible : {e}"),
                },
            }
        }
        Ok(Request::Archive {
            class,
            year,
            destination,
        }) => {
            let store = app.store.clone();
            let made = tokio::task::spawn_blocking(move || {
                let runtime = tokio::runtime::Handle::current();
                crate::archive::make_file(
                    &store,
                    class.as_deref(),
                    year.as_deref(),
                    &runtime,
                    &destination,
                )
            })
            .await
            .map_err(anyhow::Error::from)
            .and_then(|made| made);
            match made {
                Ok(message) => Answer { ok: true, message },
                Err(e) => Answer {
                    ok: false,
                    message: format!("archive impossible : {e:#}"),
                },
            }
        }
        Ok(Request::LsuExport {
            period,
            class,
            destination,
        }) => {
            let store = app.store.clone();
            let made = tokio::task::spawn_blocking(move || {
                crate::progress::livret::lsu::write_file(
                    &store,
                    period,
                    class.as_deref(),
                    &destination,
                )
            })
            .await
            .map_err(anyhow::Error::from)
            .and_then(|made| made);
            match made {
                Ok(message) => Answer { ok: true, message },
                Err(e) => Answer {
                    ok: false,
                    message: format!("{e:#}"),
                },
            }
        }
        Err(e) => Answer {
            ok: false,
            message: format!("commande inconnue : {e}"),
        },
    }
}

/// Sends a request to a running server, if one listens on this data folder.
pub fn send(data_dir: &Path, request: &Request) -> Option<std::io::Result<Answer>> {
    use std::io::{BufRead, Write};
    let stream = std::os::unix::net::UnixStream::connect(path(data_dir)).ok()?;
    let run = || -> std::io::Result<Answer> {
        let mut s = stream;
        let mut bytes = serde_json::to_vec(request).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        s.write_all(&bytes)?;
        let mut line = String::new();
        std::io::BufReader::new(s).read_line(&mut line)?;
        serde_json::from_str(&line).map_err(std::io::Error::other)
    };
    Some(run())
}
