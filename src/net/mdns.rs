//! Announces the school on the LAN over mDNS: `_https._tcp` and `_http._tcp` services
//! and the address records of `<hostname>.local`, so that parents type `ecole.local`.
//! Name conflicts are logged; everything is withdrawn on shutdown (goodbye packets).

use mdns_sd::{DaemonEvent, ServiceDaemon, ServiceInfo};

use crate::config::Settings;

pub struct Announcer {
    daemon: ServiceDaemon,
    fullnames: Vec<String>,
}

impl Announcer {
    pub fn start(
        settings: &Settings,
        http_port: u16,
        https_port: Option<u16>,
    ) -> anyhow::Result<Announcer> {
        let daemon = ServiceDaemon::new()?;
        let host = format!("{}.local.", settings.hostname);
        let instance = format!("Préau {}", settings.hostname);
        let mut fullnames = Vec::new();
        let mut services = vec![("_http._tcp.local.", http_port)];
        if let Some(p) = https_port {
            services.push(("_https._tcp.local.", p));
        }
        for (kind, port) in services {
            // No fixed address: the daemon follows the interfaces' addresses as they change.
            let info = ServiceInfo::new(kind, &instance, &host, "", port, &[("path", "/")][..])?
                .enable_addr_auto();
            fullnames.push(info.get_fullname().to_string());
            daemon.register(info)?;
        }
        let monitor = daemon.monitor()?;
        std::thread::Builder::new().name("mdns-monitor".into()).spawn(move || {
            while let Ok(event) = monitor.recv() {
                match event {
                    DaemonEvent::NameChange(change) => tracing::warn!(
                        "conflit de nom mDNS : « {} » est devenu « {} » (un autre appareil du réseau utilise déjà ce nom ; choisissez un autre --hostname)",
                        change.original,
                        change.new_name
                    ),
                    DaemonEvent::Error(e) => tracing::warn!("mDNS : {e}"),
                    _ => {}
                }
            }
        })?;
        tracing::info!("annonce mDNS : {host} ({} service(s))", fullnames.len());
        Ok(Announcer { daemon, fullnames })
    }

    /// Withdraws the announcements and stops the daemon.
    pub fn stop(self) {
        for name in &self.fullnames {
            if let Ok(rx) = self.daemon.unregister(name) {
                let _ = rx.recv_timeout(std::time::Duration::from_secs(2));
            }
        }
        if let Ok(rx) = self.daemon.shutdown() {
            let _ = rx.recv_timeout(std::time::Duration::from_secs(2));
        }
    }
}
