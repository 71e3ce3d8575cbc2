//! `ecole.local` really resolves from a second host: two network namespaces joined by a
//! veth pair (made by this test, nothing leaves the machine); Préau announces itself in
//! one, `preau mdns-check` looks for it from the other. Needs root and iproute2, like CI.

use std::process::{Command, Stdio};
use std::time::Duration;

struct Namespaces {
    school: String,
    home: String,
}

fn ip(args: &[&str]) -> bool {
    Command::new("ip")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

impl Namespaces {
    fn create() -> Namespaces {
        let id = std::process::id();
        let ns = Namespaces {
            school: format!("preau-ecole-{id}"),
            home: format!("preau-maison-{id}"),
        };
        let (a, b) = (format!("pe{id}"), format!("pm{id}"));
        let steps: Vec<Vec<String>> = vec![
            vec!["netns".into(), "add".into(), ns.school.clone()],
            vec!["netns".into(), "add".into(), ns.home.clone()],
            vec![
                "link".into(),
                "add".into(),
                a.clone(),
                "type".into(),
                "veth".into(),
                "peer".into(),
                "name".into(),
                b.clone(),
            ],
            vec![
                "link".into(),
                "set".into(),
                a.clone(),
                "netns".into(),
                ns.school.clone(),
            ],
            vec![
                "link".into(),
                "set".into(),
                b.clone(),
                "netns".into(),
                ns.home.clone(),
            ],
            vec![
                "-n".into(),
                ns.school.clone(),
                "addr".into(),
                "add".into(),
                "10.77.0.1/24".into(),
                "dev".into(),
                a.clone(),
            ],
            vec![
                "-n".into(),
                ns.home.clone(),
                "addr".into(),
                "add".into(),
                "10.77.0.2/24".into(),
                "dev".into(),
                b.clone(),
            ],
            vec![
                "-n".into(),
                ns.school.clone(),
                "link".into(),
                "set".into(),
                a.clone(),
                "up".into(),
            ],
            vec![
                "-n".into(),
                ns.home.clone(),
                "link".into(),
                "set".into(),
                b.clone(),
                "up".into(),
            ],
            vec![
                "-n".into(),
                ns.school.clone(),
                "link".into(),
                "set".into(),
                "lo".into(),
                "up".into(),
            ],
            vec![
                "-n".into(),
                ns.home.clone(),
                "link".into(),
                "set".into(),
                "lo".into(),
                "up".into(),
            ],
        ];
        for step in &steps {
            let args: Vec<&str> = step.iter().map(String::as_str).collect();
            assert!(
                ip(&args),
                "ip {} failed (root and iproute2 are needed)",
                args.join(" ")
            );
        }
        ns
    }
}

impl Drop for Namespaces {
    fn drop(&mut self) {
        ip(&["netns", "del", &self.school]);
        ip(&["netns", "del", &self.home]);
    }
}

#[test]
fn ecole_local_resolves_from_another_host() {
    let ns = Namespaces::create();
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_preau");
    let mut server = Command::new("ip")
        .args(["netns", "exec", &ns.school, bin, "--data-dir"])
        .arg(dir.path())
        .args([
            "serve",
            "--no-tls",
            "--hostname",
            "ecole-test",
            "--listen",
            "10.77.0.1",
            "--http-port",
            "8080",
        ])
        .env("PREAU_BCRYPT_COST", "4")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let out = Command::new("ip")
        .args([
            "netns",
            "exec",
            &ns.home,
            bin,
            "mdns-check",
            "--hostname",
            "ecole-test",
            "--timeout",
            "5",
        ])
        .output()
        .unwrap();
    let _ = server.kill();
    let _ = server.wait();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("ecole-test.local → 10.77.0.1"), "{text}");
}
