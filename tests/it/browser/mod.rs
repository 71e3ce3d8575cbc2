//! End-to-end journeys in headless Chromium, driven over WebDriver (chromedriver).
//! Needs Debian's `chromium` and `chromium-driver` (installed by .ci/run). Set
//! PREAU_SKIP_BROWSER=1 to skip it knowingly on a machine without them.
//! The journeys are grouped by theme in the submodules; the driver they share lives here.

mod archive;
mod attendance;
mod canteen;
mod commune;
mod home_access;
mod kid;
mod listen;
mod livret;
mod messages_and_media;
mod offline;
mod onboarding;
mod phone;
mod print;
mod progress;
mod rentree;
mod rentree_preview;
mod slots;
mod work_and_blog;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    child: Child,
    http: reqwest::Client,
    base: String,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Option<Driver> {
        let path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let Some(path) = path else {
            if std::env::var("PREAU_SKIP_BROWSER").as_deref() == Ok("1") {
                eprintln!("chromedriver absent : test navigateur ignoré (PREAU_SKIP_BROWSER=1)");
                return None;
            }
            panic!("chromedriver is missing: apt-get install chromium chromium-driver (or PREAU_SKIP_BROWSER=1)");
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if http.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap().keep();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "acceptInsecureCerts": true,
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                         "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                         "--window-size=1000,1400", format!("--user-data-dir={}", profile.display())]
            }
        }}});
        let resp: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {resp}"))
            .to_string();
        Some(Driver {
            child,
            http,
            base,
            session,
        })
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut req = self.http.request(method.clone(), url);
        if method == reqwest::Method::POST {
            req = req.json(&body);
        }
        let resp: Value = req.send().await.unwrap().json().await.unwrap();
        if resp["value"].get("error").is_some() {
            eprintln!("webdriver {path}: {}", resp["value"]);
        }
        resp["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", json!({"url": url}))
            .await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("element {css} not found: {v}"))
            .to_string()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/clear"),
            json!({}),
        )
        .await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            json!({"text": text}),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            json!({}),
        )
        .await;
    }

    async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", json!(null))
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Waits (up to 10 s) for the page to contain `text`: a click that submits a form
    /// may return before the next page has loaded.
    async fn wait_for(&self, text: &str) -> String {
        for _ in 0..100 {
            let page = self.source().await;
            // The text may show while the rest of a long page (a class's letters) is
            // still arriving: the page is read once the document has loaded whole.
            if page.contains(text) && self.loaded().await {
                return self.source().await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed « {text} »: {}", self.source().await);
    }

    /// A screenshot in the tests' folder. The guides' pictures (`docs/img/`, served at
    /// `/aide`) are these same screenshots: `PREAU_DOC_SCREENSHOTS=1 bash tests/run.sh
    /// browser::` writes them there too, so that the help shows the pages as they are
    /// (then in 256 colours: the binary embeds them).
    async fn screenshot(&self, name: &str) {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        self.screenshot_to(&dir.join(name)).await;
        let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/img");
        if std::env::var("PREAU_DOC_SCREENSHOTS").as_deref() == Ok("1") && docs.join(name).exists()
        {
            self.screenshot_to(&docs.join(name)).await;
        }
    }

    async fn screenshot_to(&self, path: &std::path::Path) {
        use base64::Engine;
        let v = self
            .cmd(reqwest::Method::GET, "/screenshot", json!(null))
            .await;
        if let Some(b64) = v.as_str() {
            let png = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap();
            std::fs::write(path, png).unwrap();
        }
    }

    /// Whether the document has finished loading.
    async fn loaded(&self) -> bool {
        self.script("return document.readyState").await.as_str() == Some("complete")
    }

    /// Runs `js` in the page and returns its value.
    async fn script(&self, js: &str) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            json!({"script": js, "args": []}),
        )
        .await
    }

    /// The page printed as Chromium's print dialog would on A4 paper with its default
    /// margins (1 cm), as PDF bytes.
    async fn print_pdf(&self) -> Vec<u8> {
        use base64::Engine;
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/print",
                json!({"page": {"width": 21.0, "height": 29.7}, "background": true}),
            )
            .await;
        let b64 = v
            .as_str()
            .unwrap_or_else(|| panic!("no PDF from the print command: {v}"));
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap()
    }

    async fn quit(&self) {
        self.cmd(reqwest::Method::DELETE, "", json!(null)).await;
    }
}

impl Driver {
    /// Signs in through the login page (after dropping any previous session).
    async fn sign_in(&self, base: &str, login: &str, password: &str) {
        self.cmd(reqwest::Method::DELETE, "/cookie", json!(null))
            .await;
        self.goto(&format!("{base}/connexion")).await;
        self.wait_for("Se connecter").await;
        self.type_into("#f-login", login).await;
        self.type_into("#f-password", password).await;
        self.click("button.primary").await;
        self.wait_for("Se déconnecter").await;
    }
}
