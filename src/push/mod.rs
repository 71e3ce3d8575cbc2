//! Push notifications on a person's phone or computer (Web Push: RFC 8030, VAPID of
//! RFC 8292, payload encrypted per RFC 8291), on top of the notifications of `notify`.
//!
//! - A device subscribes from « Mon compte » → « Notifications sur cet appareil »: the
//!   service worker asks the browser's push service for an endpoint with the school's
//!   VAPID public key, and the page sends the endpoint and its keys here ([`Device`]).
//! - When `notify::push` records a notice for someone who has a device, it also puts it
//!   in the [`OUTBOX`], in the same transaction (so a muted kind is never pushed either).
//! - The jobs' loop ([`send::run`]) sends the outbox every minute, outside the person's
//!   quiet hours ([`QuietHours`]). A notice held by quiet hours waits in the outbox and
//!   goes when they end, all the held ones in one push (« 3 nouveautés »); one read
//!   meanwhile (on another device, on the computer) is dropped: there is nothing left to
//!   tell about it.
//! - The payload carries the school's name, the kind of the notice (« Nouveau message »)
//!   and the page to open, never its text (which may name a child or an adult): the same
//!   rule as the e-mail digests.
//!
//! Push needs the school's box to reach the internet (the push services are Google's,
//! Mozilla's, Apple's): a LAN-only school keeps the bell, and the console says so.

pub mod crypto;
pub mod routes;
pub mod send;
pub mod views;

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::store::{Result, Store, Table, Tx};

/// Each person's devices (a few at most), read in one get by `notify::push`.
pub const DEVICES: Table<u64, Vec<Device>> = Table::new("push_devices");
/// Endpoint → the person it is subscribed for: a phone passed to another account (a
/// family phone) leaves the first person's list.
pub const ENDPOINT_OWNERS: Table<String, u64> = Table::new("push_endpoints");
/// (person, notification id) waiting to be pushed.
pub const OUTBOX: Table<(u64, u64), ()> = Table::new("push_outbox");
/// Each person's quiet hours, when they chose other than the default.
pub const QUIET: Table<u64, QuietHours> = Table::new("push_quiet_hours");
/// The school's VAPID key pair (PKCS#8), made at the first subscription.
pub const KEYS: Table<String, Vec<u8>> = Table::new("push_keys");
const VAPID_KEY: &str = "vapid";

pub const TABLES: &[&str] = &[
    DEVICES.name,
    ENDPOINT_OWNERS.name,
    OUTBOX.name,
    QUIET.name,
    KEYS.name,
];

/// Devices kept per person: past that, the oldest goes.
pub const MAX_DEVICES: usize = 10;

/// One browser subscribed to push for a person.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Device {
    pub id: u64,
    /// The push service's URL for this browser (`https://…`): a capability, never shown.
    pub endpoint: String,
    /// The browser's P-256 public key and auth secret (RFC 8291).
    pub p256dh: Vec<u8>,
    pub auth: Vec<u8>,
    /// « Chrome sur Android », from the User-Agent when it subscribed.
    pub label: String,
    pub created: i64,
}

/// Hours (Europe/Paris) when nothing is pushed: from `start` to `end` the next morning,
/// and all weekend when `weekends`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub start: u8,
    pub end: u8,
    pub weekends: bool,
}

impl QuietHours {
    /// 20 h – 7 h for everyone; the weekend too for the school's staff, whose work
    /// waits until Monday.
    pub fn default_for(staff: bool) -> QuietHours {
        QuietHours {
            start: 20,
            end: 7,
            weekends: staff,
        }
    }

    /// No quiet hours at all (start = end, weekends off).
    pub fn none(&self) -> bool {
        self.start == self.end && !self.weekends
    }

    /// Whether `now` (microseconds) falls in these quiet hours.
    pub fn holds(&self, now: i64) -> bool {
        let (day, hour) = crate::ui::dates::local_day_and_hour(now);
        if self.weekends
            && matches!(
                day.weekday(),
                jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
            )
        {
            return true;
        }
        let hour = u8::try_from(hour).unwrap_or(0);
        match self.start.cmp(&self.end) {
            std::cmp::Ordering::Equal => false,
            // 12 h – 14 h: within the day.
            std::cmp::Ordering::Less => hour >= self.start && hour < self.end,
            // 20 h – 7 h: across midnight.
            std::cmp::Ordering::Greater => hour >= self.start || hour < self.end,
        }
    }
}

/// The person's quiet hours: their choice, or the default of their profile.
pub fn quiet_hours(store: &Store, user: &crate::directory::User) -> Result<QuietHours> {
    Ok(store
        .get(&QUIET, &user.id)?
        .unwrap_or_else(|| QuietHours::default_for(is_staff(user))))
}

fn is_staff(user: &crate::directory::User) -> bool {
    user.profile.is_staff() || user.is_director()
}

pub fn devices(store: &Store, user: u64) -> Result<Vec<Device>> {
    Ok(store.get(&DEVICES, &user)?.unwrap_or_default())
}

/// A short name for the device, from its User-Agent: « Firefox sur Android ».
pub fn device_label(user_agent: &str) -> String {
    let ua = user_agent.to_ascii_lowercase();
    let browser = if ua.contains("edg/") {
        "Edge"
    } else if ua.contains("firefox/") || ua.contains("fxios") {
        "Firefox"
    } else if ua.contains("samsungbrowser") {
        "Samsung Internet"
    } else if ua.contains("chrome/") || ua.contains("crios") || ua.contains("chromium") {
        "Chrome"
    } else if ua.contains("safari/") {
        "Safari"
    } else {
        "Navigateur"
    };
    let system = if ua.contains("android") {
        "Android"
    } else if ua.contains("iphone") {
        "iPhone"
    } else if ua.contains("ipad") {
        "iPad"
    } else if ua.contains("windows") {
        "Windows"
    } else if ua.contains("mac os") {
        "Mac"
    } else if ua.contains("cros") {
        "Chromebook"
    } else if ua.contains("linux") {
        "Linux"
    } else {
        "appareil inconnu"
    };
    format!("{browser} sur {system}")
}

/// Where push messages may go. In production only `https://` push services on public
/// addresses (the check is repeated on every address the name resolves to, when
/// sending: `send`); `loopback` lets the tests' local push service on `127.0.0.1`, over
/// plain HTTP, receive them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoints {
    Internet,
    LoopbackForTests,
}

/// Whether an address is one of the internet (not the school's network, this machine,
/// a link-local or documentation range): a subscription cannot make Préau knock on the
/// box's own services or the school's printers.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let [first, second, ..] = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                // Documentation, and NAT64, which reaches IPv4 addresses of any kind.
                || (first == 0x2001 && second == 0x0db8)
                || (first == 0x0064 && second == 0xff9b))
        }
    }
}

/// Checks an endpoint as a browser sent it; the error is a French sentence.
pub fn check_endpoint(endpoint: &str, rule: Endpoints) -> std::result::Result<(), &'static str> {
    let Ok(url) = url::Url::parse(endpoint) else {
        return Err("l'adresse du service de notifications n'est pas une adresse web");
    };
    if endpoint.len() > 1000 || !url.username().is_empty() || url.password().is_some() {
        return Err("l'adresse du service de notifications n'est pas valide");
    }
    let host = url.host();
    let loopback_test = rule == Endpoints::LoopbackForTests
        && url.scheme() == "http"
        && matches!(host, Some(url::Host::Ipv4(ip)) if ip.is_loopback());
    if loopback_test {
        return Ok(());
    }
    if url.scheme() != "https" {
        return Err("le service de notifications doit être joint en https");
    }
    match host {
        Some(url::Host::Domain(name)) if name.contains('.') && !name.ends_with(".local") => Ok(()),
        Some(url::Host::Ipv4(ip)) if is_public(IpAddr::V4(ip)) => Ok(()),
        Some(url::Host::Ipv6(ip)) if is_public(IpAddr::V6(ip)) => Ok(()),
        _ => {
            Err("le service de notifications doit être sur Internet, pas sur le réseau de l'école")
        }
    }
}

/// A device as the page sends it, checked.
pub struct NewDevice {
    pub endpoint: String,
    pub p256dh: Vec<u8>,
    pub auth: Vec<u8>,
    pub label: String,
}

/// Records a device for `user` (or refreshes it: a browser subscribing again gives the
/// same endpoint). An endpoint another person had moves to this one.
pub fn subscribe(tx: &mut Tx<'_>, user: u64, new: &NewDevice, now: i64) -> Result<u64> {
    if let Some(owner) = tx.get(&ENDPOINT_OWNERS, &new.endpoint)? {
        if owner != user {
            let mut theirs = tx.get(&DEVICES, &owner)?.unwrap_or_default();
            theirs.retain(|d| d.endpoint != new.endpoint);
            tx.put(&DEVICES, &owner, &theirs)?;
        }
    }
    let mut mine = tx.get(&DEVICES, &user)?.unwrap_or_default();
    mine.retain(|d| d.endpoint != new.endpoint);
    while mine.len() >= MAX_DEVICES {
        let oldest = mine.remove(0);
        tx.remove(&ENDPOINT_OWNERS, &oldest.endpoint)?;
    }
    let id = tx.next_id("push_device")?;
    mine.push(Device {
        id,
        endpoint: new.endpoint.clone(),
        p256dh: new.p256dh.clone(),
        auth: new.auth.clone(),
        label: new.label.clone(),
        created: now,
    });
    tx.put(&DEVICES, &user, &mine)?;
    tx.put(&ENDPOINT_OWNERS, &new.endpoint, &user)?;
    Ok(id)
}

/// Removes one of `user`'s devices; false when it is not theirs.
pub fn revoke(tx: &mut Tx<'_>, user: u64, id: u64) -> Result<bool> {
    let mut mine = tx.get(&DEVICES, &user)?.unwrap_or_default();
    let Some(at) = mine.iter().position(|d| d.id == id) else {
        return Ok(false);
    };
    let gone = mine.remove(at);
    tx.remove(&ENDPOINT_OWNERS, &gone.endpoint)?;
    // The outbox of someone left without devices is emptied by the next round (`send`).
    if mine.is_empty() {
        tx.remove(&DEVICES, &user)?;
    } else {
        tx.put(&DEVICES, &user, &mine)?;
    }
    Ok(true)
}

/// The push service said the subscription is gone (404/410): the device goes.
pub fn remove_endpoint(tx: &mut Tx<'_>, user: u64, endpoint: &str) -> Result<()> {
    let mine = tx.get(&DEVICES, &user)?.unwrap_or_default();
    if let Some(d) = mine.iter().find(|d| d.endpoint == endpoint) {
        revoke(tx, user, d.id)?;
    }
    Ok(())
}

/// Called by `notify::push` inside the event's transaction: the notice waits to be
/// pushed when its person has a device. One read for the others.
pub fn enqueue(tx: &mut Tx<'_>, user: u64, notification: u64) -> Result<()> {
    if tx.get(&DEVICES, &user)?.is_some_and(|d| !d.is_empty()) {
        tx.put(&OUTBOX, &(user, notification), &())?;
    }
    Ok(())
}

/// The school's VAPID keys, made the first time they are asked for.
pub async fn vapid(store: &Store) -> Result<crypto::Vapid> {
    if let Some(pkcs8) = store.get(&KEYS, &VAPID_KEY.to_string())? {
        if let Ok(v) = crypto::Vapid::from_pkcs8(&pkcs8) {
            return Ok(v);
        }
    }
    let made = crypto::Vapid::generate().map_err(|e| engine(&e))?;
    // Two first subscriptions at once keep the same key: the first written wins.
    let kept = store
        .commit(|tx| match tx.get(&KEYS, &VAPID_KEY.to_string())? {
            Some(existing) => Ok(existing),
            None => {
                tx.put(&KEYS, &VAPID_KEY.to_string(), &made)?;
                Ok(made.clone())
            }
        })
        .await?;
    crypto::Vapid::from_pkcs8(&kept).map_err(|e| engine(&e))
}

/// The school's VAPID public key, as the devices page offers it to the browser: read and
/// parsed once per change of the key pair (parsing it checks the curve point, which cost
/// a tenth of a millisecond at each view of the page).
pub async fn vapid_public_key(store: &Store) -> Result<String> {
    struct Public(Option<String>);
    let kept = store.derived(&[KEYS.name], |s| {
        Ok(Public(
            s.get(&KEYS, &VAPID_KEY.to_string())?
                .and_then(|pkcs8| crypto::Vapid::from_pkcs8(&pkcs8).ok())
                .map(|v| v.public_key()),
        ))
    })?;
    match &kept.0 {
        Some(key) => Ok(key.clone()),
        None => Ok(vapid(store).await?.public_key()),
    }
}

fn engine(e: &crypto::CryptoError) -> crate::store::StoreError {
    crate::store::StoreError::Engine(format!("clés VAPID : {e}"))
}

/// Forgets a deleted account's devices, quiet hours and waiting pushes.
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    use crate::store::Key;
    let devices = devices(store, user)?;
    let waiting: Vec<(u64, u64)> = store
        .scan_prefix(&OUTBOX, &user.encode())?
        .into_iter()
        .map(|(k, ())| k)
        .collect();
    Ok(Box::new(move |tx| {
        for d in &devices {
            tx.remove(&ENDPOINT_OWNERS, &d.endpoint)?;
        }
        for key in &waiting {
            tx.remove(&OUTBOX, key)?;
        }
        tx.remove(&DEVICES, &user)?;
        tx.remove(&QUIET, &user)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris(y: i16, m: i8, d: i8, h: i8) -> i64 {
        jiff::civil::date(y, m, d)
            .at(h, 0, 0, 0)
            .in_tz("Europe/Paris")
            .unwrap()
            .timestamp()
            .as_microsecond()
    }

    #[test]
    fn quiet_hours_cross_midnight_and_weekends_for_staff() {
        let family = QuietHours::default_for(false);
        let staff = QuietHours::default_for(true);
        // Tuesday 1 December 2026.
        assert!(!family.holds(paris(2026, 12, 1, 19)));
        assert!(family.holds(paris(2026, 12, 1, 20)));
        assert!(family.holds(paris(2026, 12, 2, 6)));
        assert!(!family.holds(paris(2026, 12, 2, 7)));
        // Saturday 5 December, noon.
        assert!(!family.holds(paris(2026, 12, 5, 12)));
        assert!(staff.holds(paris(2026, 12, 5, 12)));
        let lunch = QuietHours {
            start: 12,
            end: 14,
            weekends: false,
        };
        assert!(lunch.holds(paris(2026, 12, 1, 13)));
        assert!(!lunch.holds(paris(2026, 12, 1, 14)));
        let never = QuietHours {
            start: 0,
            end: 0,
            weekends: false,
        };
        assert!(never.none() && !never.holds(paris(2026, 12, 1, 3)));
    }

    #[test]
    fn endpoints_must_be_https_on_the_internet() {
        let ok = "https://fcm.googleapis.com/fcm/send/abc";
        assert!(check_endpoint(ok, Endpoints::Internet).is_ok());
        for bad in [
            "http://fcm.googleapis.com/x",
            "https://127.0.0.1/x",
            "https://192.168.1.10/x",
            "https://[::1]/x",
            "https://10.0.0.2/x",
            "https://169.254.169.254/latest",
            "https://[fe80::1]/x",
            "https://[64:ff9b::a00:1]/x",
            "https://[::ffff:192.168.1.1]/x",
            "https://100.64.0.1/x",
            "https://ecole.local/x",
            "https://localhost/x",
            "https://user:pw@push.example.net/x",
            "pas une adresse",
        ] {
            assert!(check_endpoint(bad, Endpoints::Internet).is_err(), "{bad}");
        }
        assert!(check_endpoint("http://127.0.0.1:4000/p", Endpoints::Internet).is_err());
        assert!(check_endpoint("http://127.0.0.1:4000/p", Endpoints::LoopbackForTests).is_ok());
        assert!(check_endpoint("http://10.0.0.1/p", Endpoints::LoopbackForTests).is_err());
    }

    #[test]
    fn device_labels_name_the_browser_and_system() {
        assert_eq!(
            device_label("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"),
            "Chrome sur Android"
        );
        assert_eq!(
            device_label("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"),
            "Safari sur iPhone"
        );
        assert_eq!(device_label(""), "Navigateur sur appareil inconnu");
    }
}
