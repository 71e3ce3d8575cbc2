//! Behind a reverse proxy: the person's address is the one the proxy saw.

use crate::common::TestServer;

#[tokio::test]
async fn behind_a_proxy_the_persons_address_is_the_one_the_proxy_saw() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::install(dir.path());
    let server = TestServer::start_with(dir, |s| s.behind_https_proxy = true).await;
    let c = server.client();
    // The one header read is X-Forwarded-For (the proxy overwrites it, see the examples).
    let board = |ip: Option<&'static str>| {
        let mut req = c.http.get(format!("{}/tableau", c.base));
        if let Some(ip) = ip {
            req = req.header("X-Forwarded-For", ip);
        }
        req.send()
    };
    assert_eq!(
        board(None).await.unwrap().status(),
        200,
        "the proxy's own address: loopback"
    );
    assert_eq!(
        board(Some("192.168.1.20")).await.unwrap().status(),
        200,
        "a classroom tablet"
    );
    assert_eq!(
        board(Some("203.0.113.9")).await.unwrap().status(),
        403,
        "someone on the internet"
    );
    let forwarded = c
        .http
        .get(format!("{}/tableau", c.base))
        .header("X-Forwarded-For", "10.0.0.3, 198.51.100.7")
        .send()
        .await
        .unwrap();
    assert_eq!(
        forwarded.status(),
        403,
        "the last hop is the one the proxy saw"
    );
    let real_ip = c
        .http
        .get(format!("{}/tableau", c.base))
        .header("X-Real-IP", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(real_ip.status(), 200, "X-Real-IP is not the header read");
}
