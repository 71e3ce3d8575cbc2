//! Push notifications, end to end on loopback: Inès's « phone » (keys made here as a
//! browser makes them) subscribes through « Mon compte », a local push service on
//! 127.0.0.1 receives what Préau sends, and the test opens it with the phone's private
//! key (RFC 8291), checks the VAPID signature and audience (RFC 8292), and finds no
//! personal data in it. The sending rounds run at chosen times: quiet hours hold a
//! notice back until the morning, a notice read meanwhile is never pushed, and a push
//! service that answers 410 loses its device.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use aws_lc_rs::agreement::{self, PrivateKey, UnparsedPublicKey, ECDH_P256};
use aws_lc_rs::{aead, hkdf};
use preau::notify::Kind;
use preau::push::crypto::{b64, unb64};
use preau::push::send::{self, Delivery, Round};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{install, populate, TestServer};

/// One request the push service received.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

/// A push service on 127.0.0.1: keeps every request, answers with `status`.
async fn push_service() -> (u16, Arc<Mutex<Vec<Received>>>, Arc<AtomicU16>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let status = Arc::new(AtomicU16::new(201));
    let (kept, answer) = (received.clone(), status.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (kept, answer) = (kept.clone(), answer.clone());
            tokio::spawn(async move {
                let mut data = Vec::new();
                let mut buf = [0u8; 4096];
                let head_end = loop {
                    let n = socket.read(&mut buf).await.unwrap();
                    assert!(n > 0, "connection closed before the request's head");
                    data.extend_from_slice(&buf[..n]);
                    if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                        break at + 4;
                    }
                };
                let head = String::from_utf8_lossy(&data[..head_end]).to_string();
                let mut lines = head.split("\r\n");
                let path = lines.next().unwrap().split(' ').nth(1).unwrap().to_string();
                let headers: Vec<(String, String)> = lines
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                    .collect();
                let length: usize = headers
                    .iter()
                    .find(|(k, _)| k == "content-length")
                    .map(|(_, v)| v.parse().unwrap())
                    .unwrap_or(0);
                while data.len() < head_end + length {
                    let n = socket.read(&mut buf).await.unwrap();
                    assert!(n > 0, "connection closed before the body's end");
                    data.extend_from_slice(&buf[..n]);
                }
                kept.lock().unwrap().push(Received {
                    path,
                    headers,
                    body: data[head_end..head_end + length].to_vec(),
                });
                let code = answer.load(Ordering::SeqCst);
                let reply =
                    format!("HTTP/1.1 {code} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                socket.write_all(reply.as_bytes()).await.unwrap();
            });
        }
    });
    (port, received, status)
}

/// A browser's push subscription keys: a P-256 key pair and a 16-byte auth secret.
struct Phone {
    private: PrivateKey,
    public: Vec<u8>,
    auth: Vec<u8>,
}

impl Phone {
    fn new() -> Phone {
        let private = PrivateKey::generate(&ECDH_P256).unwrap();
        let public = private.compute_public_key().unwrap().as_ref().to_vec();
        let auth: Vec<u8> = (0..16).map(|_| rand::random::<u8>()).collect();
        Phone {
            private,
            public,
            auth,
        }
    }

    /// What the browser does with a message (RFC 8291 §3.4, RFC 8188 §2): the sender's
    /// key and salt from the header, the same derivation with the phone's private key.
    fn decrypt(&self, body: &[u8]) -> Vec<u8> {
        struct Len(usize);
        impl hkdf::KeyType for Len {
            fn len(&self) -> usize {
                self.0
            }
        }
        let expand = |prk: &hkdf::Prk, info: &[&[u8]], out: &mut [u8]| {
            prk.expand(info, Len(out.len())).unwrap().fill(out).unwrap();
        };
        let salt = &body[..16];
        assert_eq!(&body[16..20], &4096u32.to_be_bytes(), "record size");
        let id_len = usize::from(body[20]);
        let sender = &body[21..21 + id_len];
        let mut record = body[21 + id_len..].to_vec();
        let shared: Vec<u8> = agreement::agree(
            &self.private,
            UnparsedPublicKey::new(&ECDH_P256, sender),
            (),
            |s| Ok(s.to_vec()),
        )
        .unwrap();
        let prk_key = hkdf::Salt::new(hkdf::HKDF_SHA256, &self.auth).extract(&shared);
        let mut ikm = [0u8; 32];
        expand(
            &prk_key,
            &[b"WebPush: info\0", &self.public, sender],
            &mut ikm,
        );
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(&ikm);
        let mut cek = [0u8; 16];
        expand(&prk, &[b"Content-Encoding: aes128gcm\0"], &mut cek);
        let mut nonce = [0u8; 12];
        expand(&prk, &[b"Content-Encoding: nonce\0"], &mut nonce);
        let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_128_GCM, &cek).unwrap());
        let plain = key
            .open_in_place(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::empty(),
                &mut record,
            )
            .expect("the phone's keys open the message")
            .to_vec();
        let end = plain.iter().rposition(|b| *b != 0).unwrap();
        assert_eq!(plain[end], 2, "one record, the last");
        plain[..end].to_vec()
    }
}

/// Checks the VAPID `Authorization` header: ES256 signature by the key it names (the
/// school's, as on the page), audience the push service's origin, expiry within a day.
fn check_vapid(header: &str, school_key: &str, audience: &str, now: i64) {
    let (token, key) = header
        .strip_prefix("vapid t=")
        .and_then(|rest| rest.split_once(", k="))
        .unwrap_or_else(|| panic!("not a VAPID header: {header}"));
    assert_eq!(key, school_key, "the key the subscription was made with");
    let (signed, signature) = token.rsplit_once('.').unwrap();
    aws_lc_rs::signature::UnparsedPublicKey::new(
        &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED,
        unb64(key).unwrap(),
    )
    .verify(signed.as_bytes(), &unb64(signature).unwrap())
    .expect("the JWT is signed by the school's VAPID key");
    let (header, claims) = signed.split_once('.').unwrap();
    let header: serde_json::Value = serde_json::from_slice(&unb64(header).unwrap()).unwrap();
    assert_eq!(header["alg"], "ES256");
    let claims: serde_json::Value = serde_json::from_slice(&unb64(claims).unwrap()).unwrap();
    assert_eq!(claims["aud"], audience);
    let exp = claims["exp"].as_i64().unwrap();
    let now = now / 1_000_000;
    assert!(exp > now && exp <= now + 24 * 3600, "exp {exp}, now {now}");
    assert!(claims["sub"].as_str().unwrap().starts_with("https://"));
}

/// Tuesday 1 December 2026 (and the days after) at `h` h `m`, Paris time.
fn paris(day: i8, h: i8, m: i8) -> i64 {
    jiff::civil::date(2026, 12, day)
        .at(h, m, 0, 0)
        .in_tz("Europe/Paris")
        .unwrap()
        .timestamp()
        .as_microsecond()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_reaches_the_phone_encrypted_without_personal_data_after_quiet_hours() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path());
    let server = TestServer::start_with(dir, |s| s.push_loopback_for_tests = true).await;
    let store = server.store();
    let f = populate(&store);
    let (port, received, status) = push_service().await;
    let phone = Phone::new();

    // Inès subscribes her phone from « Mon compte ».
    let mut ines = server.signed_in("ines.leroy").await;
    let page = ines.get("/compte/notifications-push").await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("Aucun appareil ne reçoit vos notifications"));
    let key = page
        .body
        .split("data-cle=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    assert_eq!(unb64(&key).unwrap().len(), 65, "the VAPID public key");
    let (p256dh, auth) = (b64(&phone.public), b64(&phone.auth));
    // Endpoints inside the school's network are refused (SSRF), even in this test mode.
    for inside in [
        "http://10.0.0.1/push",
        "https://192.168.1.20/push",
        "https://[::1]/p",
    ] {
        let refused = ines
            .post(
                "/compte/notifications-push",
                &[("endpoint", inside), ("p256dh", &p256dh), ("auth", &auth)],
            )
            .await;
        assert_eq!(refused.status, 303);
        let page = ines.get("/compte/notifications-push").await;
        assert!(
            page.body.contains("pas pu être abonné"),
            "{inside}: {}",
            page.body
        );
    }
    let endpoint = format!("http://127.0.0.1:{port}/push/telephone-ines");
    let subscribed = ines
        .post(
            "/compte/notifications-push",
            &[
                ("endpoint", &endpoint),
                ("p256dh", &p256dh),
                ("auth", &auth),
            ],
        )
        .await;
    assert_eq!(subscribed.status, 303);
    let page = ines.get("/compte/notifications-push").await;
    assert!(
        page.body.contains("recevra vos notifications"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Aucun appareil ne reçoit"));
    assert_eq!(preau::push::devices(&store, f.ines).unwrap().len(), 1);

    // Tuesday 21 h: Paul writes to Inès about Zoé. Quiet hours (20 h – 7 h) hold it.
    let private_text = "Message de Paul Martin : Zoé Leroy a oublié son cahier";
    let at = paris(1, 21, 0);
    store
        .commit_blocking(|tx| {
            preau::notify::push(tx, f.ines, Kind::Message, private_text, "/messagerie/7", at)
        })
        .unwrap();
    let delivery = Delivery::loopback_for_tests().unwrap();
    let contact = "https://ecole.local";
    let round = send::run(&store, &delivery, contact, paris(1, 21, 1))
        .await
        .unwrap();
    assert_eq!(
        round,
        Round {
            held: 1,
            ..Round::default()
        }
    );
    assert!(received.lock().unwrap().is_empty(), "nothing at night");

    // Wednesday 7 h 01: it goes.
    let morning = paris(2, 7, 1);
    let round = send::run(&store, &delivery, contact, morning)
        .await
        .unwrap();
    assert_eq!(round.sent, 1, "{round:?}");
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let push = &got[0];
    assert_eq!(push.path, "/push/telephone-ines");
    assert_eq!(push.header("content-encoding"), "aes128gcm");
    assert!(push.header("ttl").parse::<u32>().unwrap() > 0);
    check_vapid(
        push.header("authorization"),
        &key,
        &format!("http://127.0.0.1:{port}"),
        morning,
    );
    assert!(
        !push.body.windows(7).any(|w| w == b"message"),
        "the body is encrypted"
    );
    let plain = String::from_utf8(phone.decrypt(&push.body)).unwrap();
    let payload: serde_json::Value = serde_json::from_str(&plain).unwrap();
    assert_eq!(payload["title"], "École des Tilleuls");
    assert_eq!(payload["body"], Kind::Message.label());
    assert_eq!(payload["url"], "/messagerie/7");
    for personal in ["Paul", "Martin", "Zoé", "Leroy", "Inès", "cahier"] {
        assert!(!plain.contains(personal), "{personal} in {plain}");
    }
    // Sent once.
    let again = send::run(&store, &delivery, contact, paris(2, 7, 2))
        .await
        .unwrap();
    assert_eq!(again, Round::default());

    // Held at night, read on the computer before 7 h: never pushed.
    store
        .commit_blocking(|tx| {
            preau::notify::push(
                tx,
                f.ines,
                Kind::Mot,
                "Mot à signer",
                "/carnet/3",
                paris(2, 22, 0),
            )
        })
        .unwrap();
    let round = send::run(&store, &delivery, contact, paris(2, 22, 1))
        .await
        .unwrap();
    assert_eq!(round.held, 1);
    preau::notify::seen(&store, f.ines, "/carnet/3")
        .await
        .unwrap();
    let round = send::run(&store, &delivery, contact, paris(3, 7, 30))
        .await
        .unwrap();
    assert_eq!(round, Round::default(), "read meanwhile: dropped");
    assert_eq!(received.lock().unwrap().len(), 1);
    assert!(store.scan(&preau::push::OUTBOX).unwrap().is_empty());

    // The phone was reset: its push service answers 410, the device goes.
    status.store(410, Ordering::SeqCst);
    store
        .commit_blocking(|tx| {
            preau::notify::push(
                tx,
                f.ines,
                Kind::Homework,
                "Devoir",
                "/devoirs/4",
                paris(3, 10, 0),
            )
        })
        .unwrap();
    let round = send::run(&store, &delivery, contact, paris(3, 10, 1))
        .await
        .unwrap();
    assert_eq!(round.gone, 1, "{round:?}");
    assert!(preau::push::devices(&store, f.ines).unwrap().is_empty());
    assert!(store.scan(&preau::push::OUTBOX).unwrap().is_empty());
    // Without a device, nothing waits for her any more.
    store
        .commit_blocking(|tx| {
            preau::notify::push(
                tx,
                f.ines,
                Kind::Homework,
                "Devoir",
                "/devoirs/5",
                paris(3, 11, 0),
            )
        })
        .unwrap();
    assert!(store.scan(&preau::push::OUTBOX).unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_staff_weekend_is_quiet_until_monday_morning() {
    let dir = tempfile::tempdir().unwrap();
    install(dir.path());
    let server = TestServer::start_with(dir, |s| s.push_loopback_for_tests = true).await;
    let store = server.store();
    let f = populate(&store);
    let (port, received, _) = push_service().await;
    let phone = Phone::new();
    let device = preau::push::NewDevice {
        endpoint: format!("http://127.0.0.1:{port}/push/telephone-paul"),
        p256dh: phone.public.clone(),
        auth: phone.auth.clone(),
        label: "Chrome sur Android".into(),
    };
    store
        .commit_blocking(|tx| preau::push::subscribe(tx, f.paul, &device, paris(4, 18, 0)))
        .unwrap();
    // Friday 4 December, 20 h: a family answers Paul's mot.
    store
        .commit_blocking(|tx| {
            preau::notify::push(
                tx,
                f.paul,
                Kind::MotReply,
                "Réponse",
                "/carnet/9",
                paris(4, 19, 0),
            )
        })
        .unwrap();
    let delivery = Delivery::loopback_for_tests().unwrap();
    let contact = "https://ecole.local";
    for (day, hour) in [(4, 20), (5, 12), (6, 18), (7, 6)] {
        let round = send::run(&store, &delivery, contact, paris(day, hour, 1))
            .await
            .unwrap();
        assert_eq!(round.held, 1, "{day} December, {hour} h");
    }
    assert!(received.lock().unwrap().is_empty());
    // Monday 7 h: it goes.
    let round = send::run(&store, &delivery, contact, paris(7, 7, 1))
        .await
        .unwrap();
    assert_eq!(round.sent, 1, "{round:?}");
    let got = received.lock().unwrap().clone();
    let payload: serde_json::Value = serde_json::from_slice(&phone.decrypt(&got[0].body)).unwrap();
    assert_eq!(payload["url"], "/carnet/9");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_is_removed_by_its_owner_only() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let phone = Phone::new();
    let mut ines = server.signed_in("ines.leroy").await;
    ines.get("/compte/notifications-push").await;
    let sent = ines
        .post(
            "/compte/notifications-push",
            &[
                ("endpoint", "https://push.example.net/abonnement/1"),
                ("p256dh", &b64(&phone.public)),
                ("auth", &b64(&phone.auth)),
            ],
        )
        .await;
    assert_eq!(sent.status, 303);
    let id = preau::push::devices(&store, f.ines).unwrap()[0].id;
    // Plain http to a public name is refused outside the test mode.
    ines.get("/compte/notifications-push").await;
    ines.post(
        "/compte/notifications-push",
        &[
            ("endpoint", "http://push.example.net/abonnement/2"),
            ("p256dh", &b64(&phone.public)),
            ("auth", &b64(&phone.auth)),
        ],
    )
    .await;
    assert_eq!(preau::push::devices(&store, f.ines).unwrap().len(), 1);

    let path = format!("/compte/notifications-push/{id}/retirer");
    let mut marc = server.signed_in("marc.petit").await;
    marc.get("/accueil").await;
    assert_eq!(marc.post(&path, &[]).await.status, 404, "not his");
    assert_eq!(preau::push::devices(&store, f.ines).unwrap().len(), 1);
    let page = ines.get("/compte/notifications-push").await;
    assert!(page.body.contains(&path));
    assert_eq!(ines.post(&path, &[]).await.status, 303);
    assert!(preau::push::devices(&store, f.ines).unwrap().is_empty());

    // Quiet hours: Inès chooses 21 h – 6 h and her weekends.
    ines.get("/compte/notifications-push").await;
    let saved = ines
        .post(
            "/compte/notifications-push/heures-calmes",
            &[("start", "21"), ("end", "6"), ("weekends", "oui")],
        )
        .await;
    assert_eq!(saved.status, 303);
    let user = preau::directory::user(&store, f.ines).unwrap().unwrap();
    let quiet = preau::push::quiet_hours(&store, &user).unwrap();
    assert_eq!((quiet.start, quiet.end, quiet.weekends), (21, 6, true));
    let teacher = preau::directory::user(&store, f.paul).unwrap().unwrap();
    assert!(
        preau::push::quiet_hours(&store, &teacher).unwrap().weekends,
        "staff keep their weekends by default"
    );
}
