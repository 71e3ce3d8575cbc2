//! The rig itself: a `TestServer` that goes out of scope, normally or by a panic, stops
//! listening and takes its data folder with it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::TestServer;

/// Waits (up to 15 s, the graceful stop allows 10 s for open connections) until nobody
/// listens on `addrs` any more and `folder` is gone.
async fn wait_until_gone(addrs: &[SocketAddr], folder: &Path) -> bool {
    for _ in 0..150 {
        let mut listening = false;
        for addr in addrs {
            listening |= tokio::net::TcpStream::connect(addr).await.is_ok();
        }
        if !listening && !folder.exists() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn a_dropped_server_stops_answering_and_frees_its_ports() {
    let server = TestServer::fresh().await;
    let addrs = [server.https, server.http];
    let folder = server.dir.path().to_path_buf();
    let mut c = server.client();
    assert_eq!(c.get("/healthz").await.status, 200, "it answers while held");
    drop(c);
    drop(server);
    assert!(
        wait_until_gone(&addrs, &folder).await,
        "still listening on {addrs:?} or {} still there",
        folder.display()
    );
    for addr in addrs {
        tokio::net::TcpListener::bind(addr)
            .await
            .unwrap_or_else(|e| panic!("{addr} is free again: {e}"));
    }
}

#[tokio::test]
async fn a_panicking_test_leaves_no_server_behind() {
    // A test of its own, on its own thread and runtime, as `#[tokio::test]` makes them.
    let (tx, rx) = std::sync::mpsc::channel::<([SocketAddr; 2], PathBuf)>();
    let outcome = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let server = TestServer::fresh().await;
            tx.send(([server.https, server.http], server.dir.path().to_path_buf()))
                .unwrap();
            panic!("a failing assertion, on purpose");
        })
    })
    .join();
    assert!(outcome.is_err(), "the inner test panicked");
    let (addrs, folder) = rx.recv().unwrap();
    assert!(
        wait_until_gone(&addrs, &folder).await,
        "still listening on {addrs:?} or {} still there",
        folder.display()
    );
}
