//! One ACME order for the public name: the account (made once, its key kept in the data
//! folder), the challenge put in place for the authority's visit, a CSR with a fresh key,
//! and the chain. Every failure comes back as one French sentence for the console.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use instant_acme::{
    Account, AccountCredentials, AuthorizationStatus, ChallengeType, Identifier, NewAccount,
    NewOrder, OrderStatus, Problem, RetryPolicy,
};
use rcgen::{CertificateParams, CustomExtension, DistinguishedName, KeyPair};
use serde::{Deserialize, Serialize};

use super::{Acme, Challenge, HomeSettings};
use crate::fsutil::write_private;

/// What an order brings back: the chain (PEM, leaf first) and its key (PEM).
pub struct Issued {
    pub chain: String,
    pub key: String,
    /// Whether the authority validated a challenge for this order (it may reuse an
    /// earlier authorization instead): only then does it prove the box reachable now.
    pub validated: bool,
}

/// The account file: its credentials and the directory they belong to (a new directory
/// URL makes a new account).
#[derive(Serialize, Deserialize)]
struct SavedAccount {
    directory_url: String,
    credentials: AccountCredentials,
}

/// The authority, then the connection to it: long enough for a real CA's validation.
fn polling() -> RetryPolicy {
    RetryPolicy::new()
        .initial_delay(Duration::from_millis(500))
        .backoff(1.5)
        .timeout(Duration::from_secs(90))
}

/// Obtains a certificate for `settings`' public name. `ca_file`: the root of a private
/// ACME server's own HTTPS (none for Let's Encrypt).
pub async fn obtain(
    folder: &Path,
    settings: &HomeSettings,
    ca_file: Option<&Path>,
    acme: &Acme,
) -> Result<Issued, String> {
    let name = settings
        .acme_name()
        .ok_or_else(|| "aucun nom public n'est indiqué".to_string())?
        .to_string();
    let account = account(folder, settings, ca_file).await?;
    let identifiers = [Identifier::Dns(name.clone())];
    let mut order = account
        .new_order(&NewOrder::new(&identifiers))
        .await
        .map_err(|e| explain(&e, &name, settings.challenge))?;
    let wanted = match settings.challenge {
        Challenge::TlsAlpn => ChallengeType::TlsAlpn01,
        Challenge::Http => ChallengeType::Http01,
    };
    let mut tokens = Vec::new();
    let mut validated = false;
    let outcome = async {
        let mut authorizations = order.authorizations();
        while let Some(authorization) = authorizations.next().await {
            let mut authorization =
                authorization.map_err(|e| explain(&e, &name, settings.challenge))?;
            match authorization.status {
                AuthorizationStatus::Pending => {}
                AuthorizationStatus::Valid => continue,
                other => return Err(format!("l'autorisation du nom est dans l'état {other:?}")),
            }
            let mut challenge = authorization.challenge(wanted.clone()).ok_or_else(|| {
                format!(
                    "l'autorité ne propose pas la validation par le {}",
                    settings.challenge.port_label()
                )
            })?;
            let key_authorization = challenge.key_authorization();
            match settings.challenge {
                Challenge::Http => {
                    if let Ok(mut http) = acme.http.lock() {
                        http.insert(
                            challenge.token.clone(),
                            key_authorization.as_str().to_string(),
                        );
                    }
                    tokens.push(challenge.token.clone());
                }
                Challenge::TlsAlpn => {
                    let key = alpn_certificate(&name, key_authorization.digest().as_ref())
                        .map_err(|e| format!("certificat de validation : {e}"))?;
                    if let Ok(mut alpn) = acme.alpn.lock() {
                        alpn.insert(name.clone(), key);
                    }
                }
            }
            validated = true;
            challenge
                .set_ready()
                .await
                .map_err(|e| explain(&e, &name, settings.challenge))?;
        }
        let status = order
            .poll_ready(&polling())
            .await
            .map_err(|e| explain(&e, &name, settings.challenge))?;
        if status != OrderStatus::Ready {
            return Err(challenge_failure(&mut order, &name, settings.challenge).await);
        }
        Ok(())
    }
    .await;
    // The authority has come (or given up): nothing stays answerable.
    if let Ok(mut http) = acme.http.lock() {
        for t in &tokens {
            http.remove(t);
        }
    }
    if let Ok(mut alpn) = acme.alpn.lock() {
        alpn.remove(&name);
    }
    outcome?;

    let key = KeyPair::generate().map_err(|e| format!("clé du certificat : {e}"))?;
    let mut params = CertificateParams::new(vec![name.clone()])
        .map_err(|e| format!("demande de certificat : {e}"))?;
    params.distinguished_name = DistinguishedName::new();
    let csr = params
        .serialize_request(&key)
        .map_err(|e| format!("demande de certificat : {e}"))?;
    order
        .finalize_csr(csr.der())
        .await
        .map_err(|e| explain(&e, &name, settings.challenge))?;
    let chain = order
        .poll_certificate(&polling())
        .await
        .map_err(|e| explain(&e, &name, settings.challenge))?;
    Ok(Issued {
        chain,
        key: key.serialize_pem(),
        validated,
    })
}

/// The saved account for this directory, or a new one (saved 0600).
async fn account(
    folder: &Path,
    settings: &HomeSettings,
    ca_file: Option<&Path>,
) -> Result<Account, String> {
    let builder = || match ca_file {
        Some(root) => Account::builder_with_root(root)
            .map_err(|e| format!("racine de l'autorité {} : {e}", root.display())),
        None => Account::builder().map_err(|e| format!("client ACME : {e}")),
    };
    let path = folder.join("account.json");
    if let Ok(text) = std::fs::read_to_string(&path) {
        if let Ok(saved) = serde_json::from_str::<SavedAccount>(&text) {
            if saved.directory_url == settings.directory_url {
                return builder()?
                    .from_credentials(saved.credentials)
                    .await
                    .map_err(|e| unreachable_authority(&e, &settings.directory_url));
            }
        }
    }
    let mailto = (!settings.contact.is_empty()).then(|| format!("mailto:{}", settings.contact));
    let contact: Vec<&str> = mailto.iter().map(String::as_str).collect();
    let (account, credentials) = builder()?
        .create(
            &NewAccount {
                contact: &contact,
                terms_of_service_agreed: true,
                only_return_existing: false,
            },
            settings.directory_url.clone(),
            None,
        )
        .await
        .map_err(|e| unreachable_authority(&e, &settings.directory_url))?;
    let saved = SavedAccount {
        directory_url: settings.directory_url.clone(),
        credentials,
    };
    let text = serde_json::to_string(&saved).map_err(|e| format!("compte ACME : {e}"))?;
    std::fs::create_dir_all(folder).map_err(|e| format!("dossier {} : {e}", folder.display()))?;
    write_private(&path, &text).map_err(|e| format!("compte ACME : {e}"))?;
    Ok(account)
}

/// RFC 8737: a self-signed certificate for the name with the `acmeIdentifier` extension
/// (the SHA-256 of the key authorization), served only to `acme-tls/1` handshakes.
fn alpn_certificate(name: &str, digest: &[u8]) -> anyhow::Result<Arc<rustls::sign::CertifiedKey>> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(vec![name.to_string()])?;
    params.distinguished_name = DistinguishedName::new();
    params.custom_extensions = vec![CustomExtension::new_acme_identifier(digest)];
    let cert = params.self_signed(&key)?;
    super::listener::certified_key(&cert.pem(), &key.serialize_pem())
}

/// The reason of an order's failure, from its authorizations' challenges.
async fn challenge_failure(
    order: &mut instant_acme::Order,
    name: &str,
    challenge: Challenge,
) -> String {
    let mut authorizations = order.authorizations();
    while let Some(Ok(mut authorization)) = authorizations.next().await {
        if authorization.refresh().await.is_err() {
            continue;
        }
        if let Some(problem) = authorization
            .challenges
            .iter()
            .find_map(|c| c.error.clone())
        {
            return explain_problem(&problem, name, challenge);
        }
    }
    format!("l'autorité n'a pas validé le nom {name}")
}

fn unreachable_authority(e: &instant_acme::Error, directory: &str) -> String {
    match e {
        instant_acme::Error::Api(p) => format!(
            "l'autorité a refusé le compte : {}",
            p.detail.as_deref().unwrap_or("sans détail")
        ),
        other => format!(
            "impossible de contacter l'autorité ({directory}) : vérifiez l'accès à Internet et l'adresse de l'annuaire ACME ({other})"
        ),
    }
}

fn explain(e: &instant_acme::Error, name: &str, challenge: Challenge) -> String {
    match e {
        instant_acme::Error::Api(p) => explain_problem(p, name, challenge),
        instant_acme::Error::Timeout(_) => {
            "l'autorité n'a pas répondu à temps : nouvel essai plus tard".to_string()
        }
        other => format!("échange avec l'autorité interrompu : {other}"),
    }
}

/// One French sentence for an RFC 8555 problem. The ones about reaching the box say
/// « joindre », which the console reads as « non joignable ».
fn explain_problem(p: &Problem, name: &str, challenge: Challenge) -> String {
    let kind = p
        .r#type
        .as_deref()
        .and_then(|t| t.strip_prefix("urn:ietf:params:acme:error:"))
        .unwrap_or("");
    let detail = p.detail.as_deref().unwrap_or("sans détail");
    match kind {
        "connection" | "tls" | "incorrectResponse" | "unauthorized" => format!(
            "l'autorité n'a pas pu joindre la box de l'école par {name} sur le {} : vérifiez la redirection de ce port sur la box internet (détail : {detail})",
            challenge.port_label()
        ),
        "dns" => format!(
            "le nom {name} n'est pas trouvé sur Internet : vérifiez qu'il désigne l'adresse publique de l'école (détail : {detail})"
        ),
        "rateLimited" => format!(
            "trop de demandes auprès de l'autorité pour l'instant : nouvel essai plus tard (détail : {detail})"
        ),
        "rejectedIdentifier" | "caa" => {
            format!("l'autorité refuse de certifier le nom {name} (détail : {detail})")
        }
        _ => format!("l'autorité a refusé la demande (détail : {detail})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(kind: &str) -> Problem {
        serde_json::from_value(serde_json::json!({
            "type": format!("urn:ietf:params:acme:error:{kind}"),
            "detail": "x",
        }))
        .unwrap()
    }

    #[test]
    fn problems_read_in_french_and_unreachable_ones_say_so() {
        let c = explain_problem(&problem("connection"), "ent.a.fr", Challenge::TlsAlpn);
        assert!(c.contains("joindre") && c.contains("port 443"), "{c}");
        let h = explain_problem(&problem("unauthorized"), "ent.a.fr", Challenge::Http);
        assert!(h.contains("port 80"), "{h}");
        let d = explain_problem(&problem("dns"), "ent.a.fr", Challenge::Http);
        assert!(
            d.contains("n'est pas trouvé") && !d.contains("joindre"),
            "{d}"
        );
    }
}
