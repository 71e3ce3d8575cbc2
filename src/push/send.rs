//! Sending the outbox: every minute (the jobs' loop), each person's unread notices go to
//! each of their devices, unless it is their quiet hours.
//!
//! Bounded: at most [`CONCURRENT`] requests at once, each within [`TIMEOUT`], no
//! redirect followed, and in production only to public addresses (a resolver that drops
//! the school network's and this machine's addresses, so that a push endpoint cannot
//! point Préau at the box's own services: SSRF). A push service that answers 404 or 410
//! has forgotten the subscription (the browser unsubscribed, or its site data was
//! cleared at logout): the device is removed. A notice still unsent after three days is
//! dropped: the bell still has it.

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{self, StreamExt};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::dns::Name;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use instant_acme::BodyWrapper;
use serde::Serialize;

use super::{crypto, Device, Endpoints, OUTBOX};
use crate::notify::{Notification, NOTIFICATIONS};
use crate::store::{Result, Store};

/// Requests under way at once, whatever the size of the outbox.
pub const CONCURRENT: usize = 8;
/// One request to a push service, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a push service keeps a message for a phone that is off (seconds).
const TTL_SECONDS: u32 = 12 * 3600;
/// Past this age a notice is dropped from the outbox: longer than the longest quiet
/// hours (a staff weekend, Friday 20 h to Monday 7 h), short enough that a push service
/// down for good is not asked every minute for ever.
const GIVE_UP_MICROS: i64 = 3 * 86_400 * 1_000_000;

/// The HTTP client and where it may go: hyper's client on rustls with the system's
/// trust (`rustls-platform-verifier`), the same stack and body type as the ACME client
/// (`instant-acme`), so that the binary carries one HTTP client, not two. It follows no
/// redirect (hyper's client never does).
pub struct Delivery {
    client: Client<HttpsConnector<HttpConnector<PublicAddresses>>, BodyWrapper<Bytes>>,
    rule: Endpoints,
}

/// Resolves a push service's name to its public addresses only (the tests' client, whose
/// push service is an address on loopback, resolves no name).
#[derive(Clone)]
struct PublicAddresses;

impl tower_service::Service<Name> for PublicAddresses {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<Self::Response>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| super::is_public(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(io::Error::other(format!(
                    "{host} n'a pas d'adresse publique"
                )));
            }
            Ok(found.into_iter())
        })
    }
}

impl Delivery {
    /// The production client: https to public addresses only.
    pub fn internet() -> std::result::Result<Delivery, rustls::Error> {
        Delivery::new(Endpoints::Internet)
    }

    /// The tests' client: also plain HTTP to a push service on 127.0.0.1.
    pub fn loopback_for_tests() -> std::result::Result<Delivery, rustls::Error> {
        Delivery::new(Endpoints::LoopbackForTests)
    }

    fn new(rule: Endpoints) -> std::result::Result<Delivery, rustls::Error> {
        let mut http = HttpConnector::new_with_resolver(PublicAddresses);
        // The scheme is the TLS layer's to check (https only, but on the tests' loopback).
        http.enforce_http(false);
        http.set_connect_timeout(Some(Duration::from_secs(5)));
        let tls = HttpsConnectorBuilder::new().try_with_platform_verifier()?;
        let tls = match rule {
            Endpoints::Internet => tls.https_only(),
            Endpoints::LoopbackForTests => tls.https_or_http(),
        };
        let connector = tls.enable_http1().wrap_connector(http);
        Ok(Delivery {
            client: Client::builder(TokioExecutor::new()).build(connector),
            rule,
        })
    }

    pub fn rule(&self) -> Endpoints {
        self.rule
    }
}

/// What a push carries: nothing about anyone.
#[derive(Debug, Serialize, PartialEq)]
pub struct Payload {
    /// The school's name.
    pub title: String,
    /// The kind of notice (« Nouveau message »), or how many are waiting.
    pub body: String,
    /// The page to open (a path of Préau: ids only).
    pub url: String,
}

/// The push for a person's waiting notices (oldest first, at least one).
pub fn payload(school: &str, waiting: &[Notification]) -> Payload {
    let (body, url) = match waiting {
        [one] => (one.kind.label().to_string(), one.link.clone()),
        many => (
            format!("{} nouveautés vous attendent", many.len()),
            "/notifications".to_string(),
        ),
    };
    Payload {
        title: school.to_string(),
        body,
        url,
    }
}

/// What one round did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Pushes accepted by a push service.
    pub sent: usize,
    /// People whose notices wait for the end of their quiet hours.
    pub held: usize,
    /// Devices removed because their push service forgot them.
    pub gone: usize,
    /// Pushes refused or unanswered (tried again next round).
    pub failed: usize,
}

enum Outcome {
    Delivered,
    Gone,
    Failed(String),
}

struct Job {
    user: u64,
    device: Device,
    body: Vec<u8>,
    authorization: String,
}

/// One round at `now`; `contact` is the school's address for the push services (VAPID
/// `sub`).
pub async fn run(store: &Store, delivery: &Delivery, contact: &str, now: i64) -> Result<Round> {
    let mut waiting: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for ((user, id), ()) in store.scan(&OUTBOX)? {
        waiting.entry(user).or_default().push(id);
    }
    let mut round = Round::default();
    if waiting.is_empty() {
        return Ok(round);
    }
    let school = crate::school::get(store)?
        .map(|s| s.name)
        .unwrap_or_else(|| "Préau".to_string());
    let vapid = super::vapid(store).await?;
    let mut done: Vec<(u64, u64)> = Vec::new();
    let mut jobs = Vec::new();
    let mut sending: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for (user_id, ids) in waiting {
        let devices = super::devices(store, user_id)?;
        let person = crate::directory::user(store, user_id)?.filter(|u| !u.disabled);
        let (Some(person), false) = (person, devices.is_empty()) else {
            done.extend(ids.iter().map(|id| (user_id, *id)));
            continue;
        };
        let mut unread = Vec::new();
        for id in ids {
            match store.get(&NOTIFICATIONS, &(user_id, id))? {
                Some(n) if !n.read && now - n.at < GIVE_UP_MICROS => unread.push(n),
                // Read meanwhile, purged, or too old to be news: nothing to push.
                _ => done.push((user_id, id)),
            }
        }
        if unread.is_empty() {
            continue;
        }
        if super::quiet_hours(store, &person)?.holds(now) {
            round.held += 1;
            continue;
        }
        let json = serde_json::to_vec(&payload(&school, &unread)).unwrap_or_default();
        for device in devices {
            match prepare(&vapid, &device, &json, contact, now, delivery.rule) {
                Ok((body, authorization)) => jobs.push(Job {
                    user: user_id,
                    device,
                    body,
                    authorization,
                }),
                Err(e) => tracing::warn!("notification push pour {user_id} : {e}"),
            }
        }
        sending.insert(user_id, unread.iter().map(|n| n.id).collect());
    }
    let outcomes: Vec<(Job, Outcome)> = stream::iter(jobs)
        .map(|job| async move {
            let outcome = deliver(delivery, &job).await;
            (job, outcome)
        })
        .buffer_unordered(CONCURRENT)
        .collect()
        .await;
    let mut reached: Vec<u64> = Vec::new();
    let mut gone: Vec<(u64, String)> = Vec::new();
    for (job, outcome) in outcomes {
        match outcome {
            Outcome::Delivered => {
                round.sent += 1;
                reached.push(job.user);
            }
            Outcome::Gone => {
                round.gone += 1;
                gone.push((job.user, job.device.endpoint));
            }
            Outcome::Failed(why) => {
                round.failed += 1;
                tracing::warn!("notification push refusée ou sans réponse : {why}");
            }
        }
    }
    for (user, ids) in sending {
        // Sent to one device at least, or to none left: out of the outbox. Failed
        // everywhere (the push service is down): tried again next round.
        let none_left = super::devices(store, user)?
            .iter()
            .all(|d| gone.iter().any(|(u, e)| *u == user && *e == d.endpoint));
        if reached.contains(&user) || none_left {
            done.extend(ids.into_iter().map(|id| (user, id)));
        }
    }
    store
        .commit(|tx| {
            for (user, endpoint) in &gone {
                super::remove_endpoint(tx, *user, endpoint)?;
            }
            for key in &done {
                tx.remove(&OUTBOX, key)?;
            }
            Ok(())
        })
        .await?;
    Ok(round)
}

/// The encrypted body and the VAPID header of one push.
fn prepare(
    vapid: &crypto::Vapid,
    device: &Device,
    json: &[u8],
    contact: &str,
    now: i64,
    rule: Endpoints,
) -> std::result::Result<(Vec<u8>, String), String> {
    super::check_endpoint(&device.endpoint, rule).map_err(str::to_string)?;
    let url = url::Url::parse(&device.endpoint).map_err(|e| e.to_string())?;
    let audience = url.origin().ascii_serialization();
    // RFC 8292: at most 24 h ahead; 12 h leaves room for a clock that runs fast.
    let expires = now / 1_000_000 + 12 * 3600;
    let authorization = vapid
        .authorization(&audience, expires, contact)
        .map_err(|e| e.to_string())?;
    let body = crypto::encrypt(json, &device.p256dh, &device.auth).map_err(|e| e.to_string())?;
    Ok((body, authorization))
}

async fn deliver(delivery: &Delivery, job: &Job) -> Outcome {
    let request = poem::http::Request::post(job.device.endpoint.as_str())
        .header("authorization", &job.authorization)
        .header("content-encoding", "aes128gcm")
        .header("content-type", "application/octet-stream")
        .header("ttl", TTL_SECONDS.to_string())
        .header("urgency", "normal")
        .body(BodyWrapper::from(job.body.clone()));
    let request = match request {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(format!("{} : {e}", host(job))),
    };
    match tokio::time::timeout(TIMEOUT, delivery.client.request(request)).await {
        Ok(Ok(r)) if r.status().is_success() => Outcome::Delivered,
        Ok(Ok(r)) if matches!(r.status().as_u16(), 404 | 410) => Outcome::Gone,
        Ok(Ok(r)) => Outcome::Failed(format!("{} a répondu {}", host(job), r.status())),
        Ok(Err(e)) => Outcome::Failed(format!("{} : {}", host(job), error_chain(&e))),
        Err(_) => Outcome::Failed(format!("{} : pas de réponse en {TIMEOUT:?}", host(job))),
    }
}

/// An error with its causes (hyper's own says « client error (Connect) » and no more).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(" : ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// The push service's host, for the logs (never the endpoint: it is a capability).
fn host(job: &Job) -> String {
    url::Url::parse(&job.device.endpoint)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

/// The jobs' round: the production client, made once, when there is something to send
/// (a school without push never loads the trust store).
pub async fn run_job(app: &crate::app::App, now: i64) -> Result<Round> {
    if app.store.count(OUTBOX.name)? == 0 {
        return Ok(Round::default());
    }
    static DELIVERY: OnceLock<Option<Delivery>> = OnceLock::new();
    // Always the internet's rules, even under `push_loopback_for_tests`: the tests drive
    // their rounds themselves, at the times they choose, and this real-time round must
    // not send for them meanwhile.
    let Some(delivery) = DELIVERY.get_or_init(|| Delivery::internet().ok()) else {
        return Ok(Round::default());
    };
    run(&app.store, delivery, &contact(&app.settings), now).await
}

/// The school's address for the push services' operators (VAPID `sub`).
pub fn contact(settings: &crate::config::Settings) -> String {
    match &settings.public_host {
        Some(host) => format!("https://{host}"),
        None => format!("https://{}.local", settings.hostname),
    }
}

#[cfg(test)]
#[path = "send_tests.rs"]
mod tests;
