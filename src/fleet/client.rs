//! The HTTP requests of `preau fleet` (`GET <url>/admin/etat` with the school's token)
//! and `preau healthcheck` (`GET /healthz` on loopback), over TLS (the system's roots, or the school's own CA) or plain HTTP, with
//! deadlines and a bounded answer. It also notes when the certificate the URL presents
//! expires: what families' browsers see, whoever serves it (Préau, Caddy, an Ingress).

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};

/// Answers over this size are refused (the status is a few hundred bytes).
const MAX_ANSWER: u64 = 256 * 1024;

pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    /// `notAfter` of the certificate presented, Unix seconds (HTTPS only).
    pub certificate_not_after: Option<i64>,
}

struct Target {
    tls: bool,
    host: String,
    port: u16,
    path: String,
}

fn parse(url: &str, route: &str) -> anyhow::Result<Target> {
    let (tls, rest) = if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("http://") {
        (false, r)
    } else {
        bail!("adresse « {url} » : elle doit commencer par https:// ou http://");
    };
    let (authority, base) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']').context("adresse IPv6 sans « ] »")?;
        (h.to_string(), after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() {
        bail!("adresse « {url} » sans nom d'hôte");
    }
    let port = match port {
        Some(p) => p
            .parse()
            .with_context(|| format!("port « {p} » invalide"))?,
        None if tls => 443,
        None => 80,
    };
    Ok(Target {
        tls,
        host,
        port,
        path: format!("{}{route}", base.trim_end_matches('/')),
    })
}

fn roots(ca: Option<&Path>) -> anyhow::Result<rustls::RootCertStore> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let mut roots = rustls::RootCertStore::empty();
    match ca {
        Some(path) => {
            for cert in CertificateDer::pem_file_iter(path)
                .with_context(|| format!("lecture de {}", path.display()))?
            {
                roots.add(cert.with_context(|| format!("certificat de {}", path.display()))?)?;
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
        }
    }
    if roots.is_empty() {
        bail!("aucune autorité de certification de confiance");
    }
    Ok(roots)
}

/// `GET <url><route>`, with `Authorization: Bearer <token>` when given.
pub fn get(
    url: &str,
    route: &str,
    token: Option<&str>,
    ca: Option<&Path>,
    timeout: Duration,
) -> anyhow::Result<Answer> {
    let target = parse(url, route)?;
    let addresses: Vec<_> = (target.host.as_str(), target.port)
        .to_socket_addrs()
        .with_context(|| format!("nom « {} » introuvable", target.host))?
        .collect();
    let mut last_error = None;
    let mut tcp = None;
    for a in &addresses {
        match TcpStream::connect_timeout(a, timeout) {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last_error = Some(e),
        }
    }
    let tcp = match (tcp, last_error) {
        (Some(s), _) => s,
        (None, Some(e)) => return Err(e).context("connexion impossible"),
        (None, None) => bail!("nom « {} » sans adresse", target.host),
    };
    tcp.set_read_timeout(Some(timeout))?;
    tcp.set_write_timeout(Some(timeout))?;
    let host_header = if target.host.contains(':') {
        format!("[{}]:{}", target.host, target.port)
    } else {
        format!("{}:{}", target.host, target.port)
    };
    let authorization = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {host_header}\r\n{authorization}Accept: application/json\r\nUser-Agent: preau-fleet/{}\r\nConnection: close\r\n\r\n",
        target.path,
        env!("CARGO_PKG_VERSION")
    );
    if !target.tls {
        let mut tcp = tcp;
        tcp.write_all(request.as_bytes())?;
        let raw = read_bounded(&mut tcp)?;
        return parse_answer(&raw, None);
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots(ca)?)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(target.host.clone())
        .with_context(|| format!("nom « {} » invalide pour TLS", target.host))?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name)?;
    let mut stream = rustls::StreamOwned::new(conn, tcp);
    stream
        .write_all(request.as_bytes())
        .map_err(|e| tls_error(e, ca))?;
    let raw = read_bounded(&mut stream).map_err(|e| match e.downcast::<std::io::Error>() {
        Ok(io) => tls_error(io, ca),
        Err(other) => other,
    })?;
    let not_after = stream
        .conn
        .peer_certificates()
        .and_then(|c| c.first())
        .and_then(|c| super::cert::not_after(c));
    parse_answer(&raw, not_after)
}

/// A certificate refused, said in French with what to do: a school serving its own
/// certificate (self-signed CA) is only trusted through the `ca` option of its line.
fn tls_error(e: std::io::Error, ca: Option<&Path>) -> anyhow::Error {
    use rustls::CertificateError as C;
    let Some(rustls::Error::InvalidCertificate(cert)) =
        e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>())
    else {
        return anyhow::Error::new(e).context("échange TLS");
    };
    match (cert, ca) {
        (C::UnknownIssuer | C::BadSignature, None) => anyhow::anyhow!(
            "certificat d'une autorité inconnue (l'école sert sans doute son propre certificat) : \
             indiquez son autorité avec l'option `ca` de sa ligne dans la liste \
             (ca = \"…/tls/ca.pem\", copié du dossier de données de l'école)"
        ),
        (C::UnknownIssuer | C::BadSignature, Some(ca)) => anyhow::anyhow!(
            "certificat non signé par l'autorité {} (option `ca`) : est-ce le bon fichier ca.pem ?",
            ca.display()
        ),
        (C::Expired | C::ExpiredContext { .. }, _) => anyhow::anyhow!("certificat expiré"),
        (C::NotValidForName | C::NotValidForNameContext { .. }, _) => {
            anyhow::anyhow!("certificat établi pour un autre nom que celui de l'adresse")
        }
        (other, _) => anyhow::anyhow!("certificat refusé : {other:?}"),
    }
}

/// Everything until the server closes, within `MAX_ANSWER`. A TLS peer that closes
/// without `close_notify` still gave its whole answer when it announced its length.
fn read_bounded(stream: &mut impl Read) -> anyhow::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut limited = stream.take(MAX_ANSWER + 1);
    match limited.read_to_end(&mut raw) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !raw.is_empty() => {}
        Err(e) => return Err(e).context("lecture de la réponse"),
    }
    if raw.len() as u64 > MAX_ANSWER {
        bail!("réponse trop longue");
    }
    Ok(raw)
}

fn parse_answer(raw: &[u8], certificate_not_after: Option<i64>) -> anyhow::Result<Answer> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("réponse HTTP incomplète")?;
    let (head, rest) = raw.split_at(split);
    let body = rest.get(4..).unwrap_or_default();
    let head = std::str::from_utf8(head).context("en-têtes illisibles")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("réponse HTTP illisible : « {status_line} »"))?;
    let mut chunked = false;
    let mut length = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        if name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked") {
            chunked = true;
        } else if name == "content-length" {
            length = value.parse::<usize>().ok();
        }
    }
    let body = if chunked {
        dechunk(body)?
    } else {
        match length {
            Some(n) => body.get(..n).context("réponse tronquée")?.to_vec(),
            None => body.to_vec(),
        }
    };
    Ok(Answer {
        status,
        body,
        certificate_not_after,
    })
}

fn dechunk(mut body: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let end = body
            .windows(2)
            .position(|w| w == b"\r\n")
            .context("morceau HTTP incomplet")?;
        let size_text = std::str::from_utf8(body.get(..end).unwrap_or_default())?;
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .context("taille de morceau illisible")?;
        let data = body.get(end + 2..).unwrap_or_default();
        if size == 0 {
            return Ok(out);
        }
        out.extend_from_slice(data.get(..size).context("morceau tronqué")?);
        body = data.get(size + 2..).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_give_host_port_and_the_status_path() {
        let t = parse("https://ent.ecole-du-bourg.fr", "/admin/etat").unwrap();
        assert_eq!(
            (t.tls, t.host.as_str(), t.port),
            (true, "ent.ecole-du-bourg.fr", 443)
        );
        assert_eq!(t.path, "/admin/etat");
        let t = parse("http://127.0.0.1:8080/", "/admin/etat").unwrap();
        assert_eq!((t.tls, t.host.as_str(), t.port), (false, "127.0.0.1", 8080));
        assert_eq!(t.path, "/admin/etat");
        let t = parse("https://[::1]:8443/ecole", "/admin/etat").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 8443));
        assert_eq!(t.path, "/ecole/admin/etat");
        assert!(parse("ftp://x", "/").is_err());
        assert!(parse("https://:443", "/").is_err());
    }

    #[test]
    fn answers_are_read_by_length_or_by_chunks() {
        let a = parse_answer(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}xx", None).unwrap();
        assert_eq!((a.status, a.body.as_slice()), (200, &b"{}"[..]));
        let a = parse_answer(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n3\r\n\":1\r\n1\r\n}\r\n0\r\n\r\n",
            None,
        )
        .unwrap();
        assert_eq!(a.body, b"{\"a\":1}");
        assert!(parse_answer(b"HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\n{}", None).is_err());
        assert!(parse_answer(b"garbage", None).is_err());
    }
}
