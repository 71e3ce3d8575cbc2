//! Settings: defaults, then `preau.toml` in the data folder, then `PREAU_*` environment
//! variables, then command-line flags (each layer wins over the previous one). Unknown
//! keys in the file are an error that names them.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::Deserialize;

pub const CONFIG_FILE: &str = "preau.toml";

/// Every setting of a running Préau.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub http_port: u16,
    pub https_port: u16,
    /// mDNS host name without `.local` (`ecole` → `ecole.local`).
    pub hostname: String,
    /// The name the school is reached by through a reverse proxy (`ent.ecole-du-bourg.fr`),
    /// served over HTTPS on 443; the links Préau builds use it, never a request's `Host`.
    pub public_host: Option<String>,
    pub listen: IpAddr,
    pub mdns: bool,
    pub tls: bool,
    /// Served over HTTPS by a reverse proxy: cookies are marked Secure even without TLS here.
    pub behind_https_proxy: bool,
    /// Behind the proxy, the one header that carries the client's address (the proxy must
    /// overwrite it; any other is ignored, since a client can send it too).
    pub client_address_header: ClientAddressHeader,
    /// Behind the proxy, the addresses of the proxy itself when it is not this machine (a
    /// Caddy container, a Kubernetes Ingress controller): their connections are read as
    /// loopback ones are (the header above, no per-address cap). At most 8 ranges.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// PEM files supplied by the administrator instead of the generated certificate.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// The root (PEM) that signs a private ACME server's own HTTPS (a collectivité's
    /// step-ca, pebble in tests); `None`: the system's trust store, as for Let's Encrypt.
    pub acme_ca_file: Option<PathBuf>,
    pub bcrypt_cost: u32,
    pub cache_mb: u64,
    pub session_idle_minutes: u64,
    pub session_max_days: u64,
    pub log_retention_months: u64,
    /// Address ranges of the school network: picture passwords are accepted only from
    /// there (a 3-picture sequence is too weak to face the internet).
    pub school_networks: Vec<ipnet::IpNet>,
    /// Folder of the nightly backups (e.g. a USB drive's mount point); `None`: the data
    /// folder's `sauvegardes/`. A configured folder that is missing is reported, never
    /// created (an unplugged drive must not fill the SD card).
    pub backup_dir: Option<std::path::PathBuf>,
    /// Hour (Europe/Paris) of the nightly backup.
    pub backup_hour: u8,
    /// Seconds for the TLS handshake and a request head (`net::guard`).
    pub header_timeout_secs: u64,
    /// Seconds a kept-alive connection may wait for its next request.
    pub idle_timeout_secs: u64,
    /// Seconds without a byte either way while a request is under way.
    pub body_timeout_secs: u64,
    /// Open connections in all (lowered below the process's file limit at start).
    pub max_connections: usize,
    /// Open connections of one address (one device, one script).
    pub max_connections_per_address: usize,
    /// Lets push subscriptions name a push service on 127.0.0.1 over plain HTTP: the
    /// tests' local push service, which the tests' own rounds (`push::send::run` with
    /// `Delivery::loopback_for_tests`) reach; the server's rounds never do. Not in the
    /// configuration file; always off in service.
    pub push_loopback_for_tests: bool,
}

/// The header a reverse proxy sets with the address of the person it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ClientAddressHeader {
    /// The last hop of `X-Forwarded-For`: the one the proxy appended (Caddy's default;
    /// nginx with `proxy_set_header X-Forwarded-For $remote_addr`).
    #[default]
    XForwardedFor,
    /// `X-Real-IP`, for a proxy configured to overwrite it (`proxy_set_header X-Real-IP
    /// $remote_addr`).
    XRealIp,
}

impl ClientAddressHeader {
    pub fn header_name(self) -> &'static str {
        match self {
            ClientAddressHeader::XForwardedFor => "x-forwarded-for",
            ClientAddressHeader::XRealIp => "x-real-ip",
        }
    }
}

pub const MAX_TRUSTED_PROXIES: usize = 8;

/// Whether a connection from `peer` comes from the reverse proxy: this machine, or one
/// of the proxy's addresses named in `trusted_proxies`.
pub fn from_proxy(peer: IpAddr, trusted: &[ipnet::IpNet]) -> bool {
    peer.is_loopback() || trusted.iter().any(|n| n.contains(&peer))
}

/// Private and local ranges: any school LAN.
pub fn default_school_networks() -> Vec<ipnet::IpNet> {
    [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
    ]
    .iter()
    .filter_map(|n| n.parse().ok())
    .collect()
}

impl Settings {
    pub fn defaults(data_dir: PathBuf) -> Settings {
        Settings {
            data_dir,
            http_port: 80,
            https_port: 443,
            hostname: "ecole".into(),
            public_host: None,
            listen: IpAddr::from([0, 0, 0, 0]),
            mdns: true,
            tls: true,
            behind_https_proxy: false,
            client_address_header: ClientAddressHeader::XForwardedFor,
            trusted_proxies: Vec::new(),
            tls_cert: None,
            tls_key: None,
            acme_ca_file: None,
            bcrypt_cost: 12,
            // sled's page cache: the directory lives in its own snapshot and pages read
            // a few records each, so 16 MiB holds a school's hot records. sled counts the
            // pages as stored, and holds about twice that in memory: after the first
            // night's backup (which reads every table) a school of 60 classes idles at
            // 84 / 101 / 134 MiB anonymous with 8 / 16 / 32; a school of 6 classes at
            // 17 MiB with 8 or 16 alike (its tables fit either way).
            cache_mb: 16,
            session_idle_minutes: 240,
            session_max_days: 30,
            log_retention_months: 12,
            school_networks: default_school_networks(),
            backup_dir: None,
            backup_hour: 2,
            header_timeout_secs: 15,
            idle_timeout_secs: 60,
            body_timeout_secs: 120,
            max_connections: 4096,
            // A classroom whose Wi-Fi puts its tablets behind one address (NAT) opens up
            // to six connections per tablet: 256 keeps a class of 30 in, and the share
            // falls to an eighth once half of all connections are taken (`net::guard`).
            max_connections_per_address: 256,
            push_loopback_for_tests: false,
        }
    }

    pub fn store_options(&self) -> crate::store::StoreOptions {
        crate::store::StoreOptions {
            cache_bytes: self.cache_mb * 1024 * 1024,
            triggers: crate::schema::triggers(),
        }
    }

    /// `https://ecole.local` (with the port when it is not 443), or the proxy's name.
    pub fn public_url(&self) -> String {
        if let Some(h) = &self.public_host {
            return format!("https://{h}");
        }
        let host = format!("{}.local", self.hostname);
        match (self.tls, self.https_port, self.http_port) {
            (true, 443, _) => format!("https://{host}"),
            (true, p, _) => format!("https://{host}:{p}"),
            (false, _, 80) => format!("http://{host}"),
            (false, _, p) => format!("http://{host}:{p}"),
        }
    }
}

/// The file layer: every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub http_port: Option<u16>,
    pub https_port: Option<u16>,
    pub hostname: Option<String>,
    pub public_host: Option<String>,
    pub listen: Option<IpAddr>,
    pub mdns: Option<bool>,
    pub tls: Option<bool>,
    pub behind_https_proxy: Option<bool>,
    pub client_address_header: Option<ClientAddressHeader>,
    pub trusted_proxies: Option<Vec<ipnet::IpNet>>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub acme_ca_file: Option<PathBuf>,
    pub bcrypt_cost: Option<u32>,
    pub cache_mb: Option<u64>,
    pub session_idle_minutes: Option<u64>,
    pub session_max_days: Option<u64>,
    pub log_retention_months: Option<u64>,
    pub school_networks: Option<Vec<ipnet::IpNet>>,
    pub backup_dir: Option<std::path::PathBuf>,
    pub backup_hour: Option<u8>,
    pub header_timeout_secs: Option<u64>,
    pub idle_timeout_secs: Option<u64>,
    pub body_timeout_secs: Option<u64>,
    pub max_connections: Option<usize>,
    pub max_connections_per_address: Option<usize>,
}

/// The flag and environment layer (clap fills it from both, flags first).
#[derive(Debug, Default, Clone, clap::Args)]
pub struct ServeOverrides {
    /// Port of the plain HTTP listener (certificate page and redirect to HTTPS)
    #[arg(long, env = "PREAU_HTTP_PORT")]
    pub http_port: Option<u16>,
    /// Port of the HTTPS listener
    #[arg(long, env = "PREAU_HTTPS_PORT")]
    pub https_port: Option<u16>,
    /// Name announced on the LAN, without .local (default: ecole → ecole.local)
    #[arg(long, env = "PREAU_HOSTNAME")]
    pub hostname: Option<String>,
    /// Address to listen on (default 0.0.0.0; 127.0.0.1 for local tests)
    #[arg(long, env = "PREAU_LISTEN")]
    pub listen: Option<IpAddr>,
    /// Do not announce the school on the LAN over mDNS (hosting, tests)
    #[arg(long, env = "PREAU_NO_MDNS")]
    pub no_mdns: bool,
    /// Serve plain HTTP only, e.g. behind a reverse proxy that terminates TLS
    #[arg(long, env = "PREAU_NO_TLS")]
    pub no_tls: bool,
    /// A reverse proxy serves Préau over HTTPS (cookies are then marked Secure)
    #[arg(long, env = "PREAU_BEHIND_HTTPS_PROXY")]
    pub behind_https_proxy: bool,
    /// Behind the proxy, the header it sets with the client's address: x-forwarded-for
    /// (its last hop, the default) or x-real-ip; the proxy must overwrite it
    #[arg(long, env = "PREAU_CLIENT_ADDRESS_HEADER", value_enum)]
    pub client_address_header: Option<ClientAddressHeader>,
    /// Behind the proxy, the proxy's own addresses when it is another machine or
    /// container, comma-separated ranges (172.30.0.2/32,10.244.0.0/16)
    #[arg(long, env = "PREAU_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// bcrypt cost for new password hashes (4 to 31, default 12)
    #[arg(long, env = "PREAU_BCRYPT_COST")]
    pub bcrypt_cost: Option<u32>,
    /// The name the school is reached by through a reverse proxy (ent.ecole-du-bourg.fr)
    #[arg(long, env = "PREAU_PUBLIC_HOST")]
    pub public_host: Option<String>,
    /// Folder of the nightly backups (default: <data>/sauvegardes); never created
    #[arg(long, env = "PREAU_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,
    /// Hour (Europe/Paris) of the nightly backup, 0 to 23
    #[arg(long, env = "PREAU_BACKUP_HOUR")]
    pub backup_hour: Option<u8>,
    /// The store's page cache in MiB (at least 8, default 16)
    #[arg(long, env = "PREAU_CACHE_MB")]
    pub cache_mb: Option<u64>,
}

/// Reads `<data_dir>/preau.toml` if present.
pub fn read_file(data_dir: &Path) -> anyhow::Result<FileSettings> {
    let path = data_dir.join(CONFIG_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text)
            .with_context(|| format!("fichier de configuration {} invalide", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileSettings::default()),
        Err(e) => Err(e).with_context(|| format!("lecture de {}", path.display())),
    }
}

/// Merges the layers: defaults < file < environment < flags.
pub fn resolve(
    data_dir: PathBuf,
    file: FileSettings,
    over: &ServeOverrides,
) -> anyhow::Result<Settings> {
    let mut s = Settings::defaults(data_dir);
    macro_rules! layer {
        ($field:ident) => {
            if let Some(v) = file.$field {
                s.$field = v;
            }
        };
    }
    layer!(http_port);
    layer!(https_port);
    layer!(hostname);
    layer!(listen);
    layer!(mdns);
    layer!(tls);
    layer!(behind_https_proxy);
    layer!(client_address_header);
    layer!(trusted_proxies);
    layer!(bcrypt_cost);
    layer!(cache_mb);
    layer!(session_idle_minutes);
    layer!(session_max_days);
    layer!(log_retention_months);
    layer!(school_networks);
    layer!(backup_hour);
    layer!(header_timeout_secs);
    layer!(idle_timeout_secs);
    layer!(body_timeout_secs);
    layer!(max_connections);
    layer!(max_connections_per_address);
    s.backup_dir = file.backup_dir;
    s.public_host = file.public_host;
    s.tls_cert = file.tls_cert;
    s.tls_key = file.tls_key;
    s.acme_ca_file = file.acme_ca_file;
    if let Some(v) = over.http_port {
        s.http_port = v;
    }
    if let Some(v) = over.https_port {
        s.https_port = v;
    }
    if let Some(v) = &over.hostname {
        s.hostname = v.clone();
    }
    if let Some(v) = over.listen {
        s.listen = v;
    }
    if over.no_mdns {
        s.mdns = false;
    }
    if over.no_tls {
        s.tls = false;
    }
    if over.behind_https_proxy {
        s.behind_https_proxy = true;
    }
    if let Some(v) = over.client_address_header {
        s.client_address_header = v;
    }
    if let Some(v) = over.bcrypt_cost {
        s.bcrypt_cost = v;
    }
    if !over.trusted_proxies.is_empty() {
        s.trusted_proxies = over.trusted_proxies.clone();
    }
    // A container is configured by its environment alone (packaging/oci).
    if let Some(v) = &over.public_host {
        s.public_host = Some(v.clone());
    }
    if let Some(v) = &over.backup_dir {
        s.backup_dir = Some(v.clone());
    }
    if let Some(v) = over.backup_hour {
        s.backup_hour = v;
    }
    if let Some(v) = over.cache_mb {
        s.cache_mb = v;
    }
    validate(&s)?;
    Ok(s)
}

fn validate(s: &Settings) -> anyhow::Result<()> {
    if !(4..=31).contains(&s.bcrypt_cost) {
        bail!(
            "bcrypt_cost doit être compris entre 4 et 31 (reçu : {})",
            s.bcrypt_cost
        );
    }
    let h = &s.hostname;
    if h.is_empty()
        || h.len() > 63
        || !h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        || h.starts_with('-')
    {
        bail!("hostname « {h} » invalide : lettres sans accent, chiffres et tirets seulement (ex. : ecole-jules-ferry)");
    }
    if let Some(p) = &s.public_host {
        let ok = !p.is_empty()
            && p.len() <= 253
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if !ok {
            bail!("public_host « {p} » invalide : un nom de domaine seul, sans https:// ni chemin (ex. : ent.ecole-du-bourg.fr)");
        }
    }
    if s.tls && s.http_port == s.https_port && s.http_port != 0 {
        bail!(
            "http_port et https_port doivent être différents ({})",
            s.http_port
        );
    }
    if s.tls_cert.is_some() != s.tls_key.is_some() {
        bail!("tls_cert et tls_key vont ensemble : indiquez les deux fichiers PEM ou aucun");
    }
    if s.trusted_proxies.len() > MAX_TRUSTED_PROXIES {
        bail!("trusted_proxies : {MAX_TRUSTED_PROXIES} plages au plus");
    }
    if s.cache_mb < 8 {
        bail!("cache_mb doit valoir au moins 8");
    }
    if s.backup_hour > 23 {
        bail!("backup_hour doit être compris entre 0 et 23");
    }
    for (name, secs) in [
        ("header_timeout_secs", s.header_timeout_secs),
        ("idle_timeout_secs", s.idle_timeout_secs),
        ("body_timeout_secs", s.body_timeout_secs),
    ] {
        if !(1..=3600).contains(&secs) {
            bail!("{name} doit être compris entre 1 et 3600 secondes (reçu : {secs})");
        }
    }
    if s.max_connections == 0 || s.max_connections_per_address == 0 {
        bail!("max_connections et max_connections_per_address doivent valoir au moins 1");
    }
    if !(1..=12).contains(&s.log_retention_months) {
        bail!("log_retention_months doit être compris entre 1 et 12 (recommandation CNIL)");
    }
    Ok(())
}

/// The default data folder: systemd's StateDirectory under the service, `./preau-data`
/// otherwise.
pub fn default_data_dir() -> PathBuf {
    match std::env::var_os("STATE_DIRECTORY") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from("preau-data"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_env_and_file_over_defaults() {
        let file: FileSettings =
            toml::from_str("http_port = 8080\nhostname = \"ecole-du-bourg\"\nmdns = false")
                .unwrap();
        let over = ServeOverrides {
            http_port: Some(9090),
            ..Default::default()
        };
        let s = resolve(PathBuf::from("d"), file, &over).unwrap();
        assert_eq!(s.http_port, 9090);
        assert_eq!(s.hostname, "ecole-du-bourg");
        assert!(!s.mdns);
        assert_eq!(s.https_port, 443);
        // What a container sets by its environment wins over the file too.
        let file: FileSettings = toml::from_str("public_host = \"a.fr\"\ncache_mb = 32").unwrap();
        let over = ServeOverrides {
            public_host: Some("ent.ecole-du-bourg.fr".into()),
            backup_dir: Some(PathBuf::from("/sauvegardes")),
            backup_hour: Some(3),
            ..Default::default()
        };
        let s = resolve(PathBuf::from("d"), file, &over).unwrap();
        assert_eq!(s.public_host.as_deref(), Some("ent.ecole-du-bourg.fr"));
        assert_eq!(s.backup_dir, Some(PathBuf::from("/sauvegardes")));
        assert_eq!((s.backup_hour, s.cache_mb), (3, 32));
    }

    #[test]
    fn the_client_address_header_is_one_named_header() {
        let s = resolve(
            PathBuf::from("d"),
            FileSettings::default(),
            &ServeOverrides::default(),
        )
        .unwrap();
        assert_eq!(s.client_address_header, ClientAddressHeader::XForwardedFor);
        let file: FileSettings = toml::from_str("client_address_header = \"x-real-ip\"").unwrap();
        let s = resolve(PathBuf::from("d"), file, &ServeOverrides::default()).unwrap();
        assert_eq!(s.client_address_header.header_name(), "x-real-ip");
        assert!(toml::from_str::<FileSettings>("client_address_header = \"forwarded\"").is_err());
    }

    #[test]
    fn the_proxy_is_this_machine_or_an_address_named_for_it() {
        let over = ServeOverrides {
            trusted_proxies: vec!["172.30.0.2/32".parse().unwrap()],
            ..Default::default()
        };
        let s = resolve(PathBuf::from("d"), FileSettings::default(), &over).unwrap();
        let ip = |t: &str| t.parse::<IpAddr>().unwrap();
        assert!(from_proxy(ip("127.0.0.1"), &s.trusted_proxies));
        assert!(from_proxy(ip("172.30.0.2"), &s.trusted_proxies));
        assert!(!from_proxy(ip("172.30.0.3"), &s.trusted_proxies));
        assert!(!from_proxy(ip("172.30.0.2"), &[]));
        let file: FileSettings = toml::from_str(&format!(
            "trusted_proxies = [{}]",
            ["\"10.0.0.0/8\""; 9].join(",")
        ))
        .unwrap();
        assert!(resolve(PathBuf::from("d"), file, &ServeOverrides::default()).is_err());
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = toml::from_str::<FileSettings>("http_prot = 80")
            .unwrap_err()
            .to_string();
        assert!(err.contains("http_prot"), "{err}");
    }

    #[test]
    fn bad_values_are_refused() {
        let over = ServeOverrides {
            hostname: Some("école".into()),
            ..Default::default()
        };
        assert!(resolve(PathBuf::from("d"), FileSettings::default(), &over).is_err());
        let over = ServeOverrides {
            bcrypt_cost: Some(2),
            ..Default::default()
        };
        assert!(resolve(PathBuf::from("d"), FileSettings::default(), &over).is_err());
    }
}
