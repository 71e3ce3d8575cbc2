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

/// What a device of the LAN sees: the addresses `<hostname>.local` resolves to, and the
/// Préau services announced (`preau mdns-check`, for the administrator and the tests).
pub fn check(
    hostname: &str,
    timeout: std::time::Duration,
) -> anyhow::Result<(Vec<std::net::IpAddr>, Vec<String>)> {
    use mdns_sd::{HostnameResolutionEvent, ServiceEvent};
    let daemon = ServiceDaemon::new()?;
    let host = format!("{hostname}.local.");
    let resolving = daemon.resolve_hostname(&host, Some(timeout.as_millis() as u64))?;
    let browsing = daemon.browse("_https._tcp.local.")?;
    let deadline = std::time::Instant::now() + timeout;
    let mut addresses = Vec::new();
    let mut services = Vec::new();
    while std::time::Instant::now() < deadline && (addresses.is_empty() || services.is_empty()) {
        while let Ok(event) = resolving.try_recv() {
            if let HostnameResolutionEvent::AddressesFound(_, found) = event {
                for ip in found {
                    let ip = ip.to_ip_addr();
                    if !addresses.contains(&ip) {
                        addresses.push(ip);
                    }
                }
            }
        }
        while let Ok(event) = browsing.try_recv() {
            if let ServiceEvent::ServiceResolved(info) = event {
                let name = info.get_fullname().to_string();
                if !services.contains(&name) {
                    services.push(name);
                }
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if let Ok(rx) = daemon.shutdown() {
        let _ = rx.recv_timeout(std::time::Duration::from_secs(1));
    }
    Ok((addresses, services))
}
