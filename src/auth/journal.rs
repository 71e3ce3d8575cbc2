//! The connection log (login, logout, failure: who, when, from where) and the audit log
//! of administrative actions. Both are append-only tables keyed by (time, sequence) and
//! purged after the retention period (CNIL: 6 to 12 months).

use serde::{Deserialize, Serialize};

use crate::store::{Result, Store, Table};

pub const CONNECTIONS: Table<(u64, u64), ConnectionEvent> = Table::new("connection_log");
pub const AUDIT: Table<(u64, u64), AuditEvent> = Table::new("audit_log");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKind {
    Login,
    Logout,
    Failure,
    Throttled,
}

impl ConnectionKind {
    pub fn label(self) -> &'static str {
        match self {
            ConnectionKind::Login => "Connexion",
            ConnectionKind::Logout => "Déconnexion",
            ConnectionKind::Failure => "Échec",
            ConnectionKind::Throttled => "Bloqué (trop d'essais)",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConnectionEvent {
    /// Microseconds since the epoch.
    pub at: i64,
    pub kind: ConnectionKind,
    pub login: String,
    pub user_id: Option<u64>,
    pub address: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditEvent {
    pub at: i64,
    pub actor_id: Option<u64>,
    pub actor_login: String,
    pub action: String,
}

fn key_time(at: i64) -> u64 {
    at.max(0) as u64
}

/// Appends a connection event and flushes it.
pub async fn record_connection(store: &Store, event: ConnectionEvent) -> Result<()> {
    store
        .commit(|tx| {
            let seq = tx.next_id("connection_log")?;
            tx.put(&CONNECTIONS, &(key_time(event.at), seq), &event)
        })
        .await
}

/// Appends an audit event; called inside the transaction of the action it records, so
/// that an action is never done without its trace.
pub fn record_audit(tx: &mut crate::store::Tx<'_>, event: &AuditEvent) -> Result<()> {
    let seq = tx.next_id("audit_log")?;
    tx.put(&AUDIT, &(key_time(event.at), seq), event)
}

pub fn recent_connections(store: &Store, limit: usize) -> Result<Vec<ConnectionEvent>> {
    Ok(store
        .scan_last(&CONNECTIONS, limit)?
        .into_iter()
        .map(|(_, e)| e)
        .collect())
}

pub fn recent_audit(store: &Store, limit: usize) -> Result<Vec<AuditEvent>> {
    Ok(store
        .scan_last(&AUDIT, limit)?
        .into_iter()
        .map(|(_, e)| e)
        .collect())
}

/// Deletes entries older than `cutoff` (microseconds); returns how many went.
pub fn purge_before(store: &Store, cutoff: i64) -> Result<usize> {
    let old_connections = store.scan_range(&CONNECTIONS, &(0, 0), &(key_time(cutoff), 0))?;
    let old_audit = store.scan_range(&AUDIT, &(0, 0), &(key_time(cutoff), 0))?;
    let n = old_connections.len() + old_audit.len();
    if n > 0 {
        store.commit_blocking(|tx| {
            for (k, _) in &old_connections {
                tx.remove(&CONNECTIONS, k)?;
            }
            for (k, _) in &old_audit {
                tx.remove(&AUDIT, k)?;
            }
            Ok(())
        })?;
    }
    Ok(n)
}

/// Appends an audit record in its own durable transaction.
pub async fn audit(
    app: &crate::app::App,
    member: &super::web::Member,
    action: String,
) -> crate::error::AppResult<()> {
    let event = AuditEvent {
        at: super::now_micros(),
        actor_id: Some(member.user().id),
        actor_login: member.user().login.clone(),
        action,
    };
    app.store.commit(|tx| record_audit(tx, &event)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreOptions;

    #[tokio::test]
    async fn purge_removes_only_old_entries() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_raw(
            dir.path(),
            &StoreOptions::default(),
            &[CONNECTIONS.name, AUDIT.name],
        )
        .unwrap();
        for at in [1_000, 2_000, 3_000] {
            record_connection(
                &store,
                ConnectionEvent {
                    at,
                    kind: ConnectionKind::Login,
                    login: "a".into(),
                    user_id: Some(1),
                    address: "127.0.0.1".into(),
                },
            )
            .await
            .unwrap();
        }
        assert_eq!(purge_before(&store, 2_500).unwrap(), 2);
        let left = recent_connections(&store, 10).unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].at, 3_000);
    }
}
