//! The push client's guarantees, against a local HTTP server that counts its connections.

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower_service::Service;

use super::*;

/// A server on loopback that answers `answer` to every request; counts the connections.
async fn server(answer: &'static str) -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    (port, connections)
}

fn job(endpoint: String) -> Job {
    Job {
        user: 1,
        device: Device {
            id: 1,
            endpoint,
            p256dh: vec![],
            auth: vec![],
            label: String::new(),
            created: 0,
        },
        body: b"chiffre".to_vec(),
        authorization: "vapid t=x, k=y".to_string(),
    }
}

#[tokio::test]
async fn a_name_is_resolved_to_public_addresses_only() {
    let refused = PublicAddresses
        .call(Name::from_str("localhost").unwrap())
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("pas d'adresse publique"),
        "{refused}"
    );
}

#[tokio::test]
async fn the_internet_client_speaks_https_only() {
    let (port, connections) = server("HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n").await;
    let delivery = Delivery::internet().unwrap();
    let outcome = deliver(&delivery, &job(format!("http://127.0.0.1:{port}/push"))).await;
    assert!(matches!(outcome, Outcome::Failed(_)));
    assert_eq!(connections.load(Ordering::SeqCst), 0, "no plain HTTP sent");
}

#[tokio::test]
async fn a_push_accepted_gone_or_redirected() {
    let (port, _) = server("HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n").await;
    let delivery = Delivery::loopback_for_tests().unwrap();
    let endpoint = format!("http://127.0.0.1:{port}/push");
    assert!(matches!(
        deliver(&delivery, &job(endpoint)).await,
        Outcome::Delivered
    ));

    let (port, _) = server("HTTP/1.1 410 Gone\r\ncontent-length: 0\r\n\r\n").await;
    let endpoint = format!("http://127.0.0.1:{port}/push");
    assert!(matches!(
        deliver(&delivery, &job(endpoint)).await,
        Outcome::Gone
    ));

    // A redirect is not followed: the push fails, and is tried again next round.
    let (elsewhere, reached) = server("HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n").await;
    let moved: &'static str = Box::leak(
        format!(
            "HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:{elsewhere}/push\r\ncontent-length: 0\r\n\r\n"
        )
        .into_boxed_str(),
    );
    let (port, _) = server(moved).await;
    let endpoint = format!("http://127.0.0.1:{port}/push");
    match deliver(&delivery, &job(endpoint)).await {
        Outcome::Failed(why) => assert!(why.contains("307"), "{why}"),
        _ => panic!("a redirect followed"),
    }
    assert_eq!(reached.load(Ordering::SeqCst), 0);
}
