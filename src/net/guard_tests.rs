//! Tests of the connection guard (`guard.rs`).
use super::*;

fn guarding() -> Guarding {
    Guarding {
        header: Duration::from_secs(10),
        idle: Duration::from_secs(60),
        body: Duration::from_secs(120),
        max_connections: 100,
        max_per_address: 16,
        loopback_unlimited: false,
        proxies: [None; crate::config::MAX_TRUSTED_PROXIES],
    }
}

#[test]
fn the_global_cap_stays_below_the_file_limit() {
    assert_eq!(global_cap(4096, Some(1024)), 768);
    assert_eq!(global_cap(4096, Some(8192)), 4096);
    assert_eq!(global_cap(4096, None), 4096);
    assert_eq!(global_cap(4096, Some(100)), 16);
}

#[test]
fn one_address_leaves_room_for_the_others() {
    let counts = Counts::new(guarding());
    let a: IpAddr = "192.168.1.20".parse().unwrap();
    let b: IpAddr = "192.168.1.21".parse().unwrap();
    let mine: Vec<Ticket> = (0..16).filter_map(|_| counts.admit(a)).collect();
    assert_eq!(mine.len(), 16);
    assert!(counts.admit(a).is_none(), "the address holds its share");
    assert!(counts.admit(b).is_some(), "another device gets in");
    drop(mine);
    assert_eq!(counts.held(), 0, "places are given back");
    // Past half the global cap, each address keeps only an eighth of its share.
    let many: Vec<Ticket> = (0..50u8)
        .filter_map(|i| counts.admit(IpAddr::from([10, 0, 0, i])))
        .collect();
    assert_eq!(many.len(), 50);
    let crowded: Vec<Ticket> = (0..10).filter_map(|_| counts.admit(a)).collect();
    assert_eq!(crowded.len(), 2);
}

#[test]
fn behind_a_proxy_container_its_address_is_not_capped_as_a_device() {
    let proxy: IpAddr = "172.30.0.2".parse().unwrap();
    let mut g = guarding();
    g.loopback_unlimited = true;
    g.proxies[0] = Some("172.30.0.2/32".parse().unwrap());
    let counts = Counts::new(g);
    let through: Vec<Ticket> = (0..30).filter_map(|_| counts.admit(proxy)).collect();
    assert_eq!(
        through.len(),
        30,
        "the whole school comes through the proxy"
    );
    let other: IpAddr = "172.30.0.3".parse().unwrap();
    let capped: Vec<Ticket> = (0..40).filter_map(|_| counts.admit(other)).collect();
    assert_eq!(capped.len(), 16, "another address keeps its share");
}

#[tokio::test]
async fn heads_are_followed_across_reads() {
    let mut d = Deadlines::new((), guarding());
    let start = Instant::now();
    d.on_read(b"GET / HTTP/1.1\r\nHost: x\r");
    assert!(matches!(d.phase, Phase::Head { .. }));
    assert!(d.read_deadline() <= start + Duration::from_secs(10));
    d.on_read(b"\n\r\n");
    assert_eq!(d.phase, Phase::Busy);
    d.on_write();
    assert_eq!(d.phase, Phase::Idle);
    assert_eq!(d.read_deadline(), d.last + Duration::from_secs(60));
    d.on_read(b"POST /carnet HTTP/1.1\r\n");
    assert!(matches!(d.phase, Phase::Head { since, .. } if since >= start));
    // A body after « 100 Continue » is not a new head.
    d.on_read(b"\r\n");
    d.on_write();
    d.on_read(b"titre=Sortie&texte=");
    assert_eq!(d.phase, Phase::Busy);
    let mut h2 = Deadlines::new((), guarding());
    h2.on_read(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    assert_eq!(h2.phase, Phase::H2);
    h2.on_write();
    assert_eq!(h2.phase, Phase::H2);
}

/// A client connected to a loopback `Capped` acceptor, and the connection it accepted.
async fn accepted() -> (TcpStream, Held) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut capped = Capped::new(
        TcpAcceptor::from_tokio(listener).unwrap(),
        Counts::new(guarding()),
    );
    let client = TcpStream::connect(addr).await.unwrap();
    let (held, ..) = capped.accept().await.unwrap();
    (client, held)
}

#[tokio::test]
async fn accepted_connections_send_without_waiting_for_acks() {
    let (_client, mut held) = accepted().await;
    assert!(held.stream().unwrap().nodelay().unwrap());
}

/// A TLS stream writes the records it holds with one `writev` only if the connection
/// under it says it can; otherwise one system call per record.
#[tokio::test]
async fn accepted_connections_take_several_buffers_in_one_write() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mut client, held) = accepted().await;
    let mut served = Deadlines::new(held, guarding());
    assert!(served.is_write_vectored());
    let parts = [
        io::IoSlice::new(b"HTTP/1.1 200 OK\r\n\r\n"),
        io::IoSlice::new(b"<p>page</p>"),
    ];
    let written = served.write_vectored(&parts).await.unwrap();
    assert_eq!(written, 30);
    let mut got = [0u8; 30];
    client.read_exact(&mut got).await.unwrap();
    assert_eq!(&got, b"HTTP/1.1 200 OK\r\n\r\n<p>page</p>");
}
