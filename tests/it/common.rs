//! Test rig: a real Préau on 127.0.0.1 with ephemeral ports and a temporary data folder,
//! and an HTTP client that keeps cookies and the CSRF token of the last page.

use std::net::SocketAddr;
use std::path::Path;

use preau::app::{start, Running};
use preau::config::Settings;

pub const DIRECTOR_LOGIN: &str = "directrice";
pub const DIRECTOR_PASSWORD: &str = "Cartable-2026";

/// A running Préau that stops when dropped, so that a failing test never leaves its
/// listeners or its store behind; `stop` is the clean stop that gives the folder back.
pub struct TestServer {
    pub running: Option<Running>,
    pub dir: DataDir,
    pub https: SocketAddr,
    pub http: SocketAddr,
    pub ca_pem: String,
}

/// The server's temporary data folder. It is only given up by `TestServer::stop` or by
/// the stop that `Drop` starts, so that the folder outlives the server using it.
pub struct DataDir(Option<tempfile::TempDir>);

impl DataDir {
    pub fn path(&self) -> &Path {
        self.0
            .as_ref()
            .expect("the data folder is held until the server stops")
            .path()
    }
}

pub fn test_settings(dir: &Path) -> Settings {
    let mut s = Settings::defaults(dir.to_path_buf());
    s.listen = "127.0.0.1".parse().unwrap();
    s.http_port = 0;
    s.https_port = 0;
    s.mdns = false;
    s.bcrypt_cost = 4;
    s
}

impl TestServer {
    /// A fresh, not yet installed Préau.
    pub async fn fresh() -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        Self::start_in(dir).await
    }

    pub async fn start_in(dir: tempfile::TempDir) -> TestServer {
        Self::start_with(dir, |_| {}).await
    }

    /// Starts with settings adjusted by `tweak`.
    pub async fn start_with(
        dir: tempfile::TempDir,
        tweak: impl FnOnce(&mut Settings),
    ) -> TestServer {
        let mut settings = test_settings(dir.path());
        tweak(&mut settings);
        let running = start(settings).await.expect("server starts");
        let https = running.https_addr.expect("https listener");
        let http = running.http_addr;
        // None with an administrator's own certificate: the test sets the CA it made.
        let ca_pem = std::fs::read_to_string(dir.path().join("tls/ca.pem")).unwrap_or_default();
        TestServer {
            running: Some(running),
            dir: DataDir(Some(dir)),
            https,
            http,
            ca_pem,
        }
    }

    /// A Préau installed with a director, two classes and a teacher, a pupil and a parent.
    pub async fn installed() -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        install(dir.path());
        Self::start_in(dir).await
    }

    pub fn client(&self) -> Client {
        Client::new(self)
    }

    pub fn setup_code(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("setup-code"))
            .unwrap()
            .trim()
            .to_string()
    }

    /// A Préau installed as by `installed`, with the `Folks` that most module tests use.
    pub async fn school() -> (TestServer, Folks) {
        let server = Self::installed().await;
        let folks = populate(&server.store());
        (server, folks)
    }

    /// Clean stop (requests finished, store flushed and closed), then the data folder,
    /// for tests that restart, back up or inspect it.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(r) = self.running.take() {
            r.shutdown().await.unwrap();
        }
        self.dir
            .0
            .take()
            .expect("the data folder is held until stop")
    }
}

impl Drop for TestServer {
    /// `Drop` cannot await, so the graceful stop runs as a task of the test's runtime and
    /// the folder is deleted only once it is done. If the runtime ends first (the test
    /// returned or panicked), the runtime cancels that task along with the server's own
    /// tasks: nothing outlives the test either way.
    fn drop(&mut self) {
        let Some(running) = self.running.take() else {
            return;
        };
        let dir = self.dir.0.take();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    let _ = running.shutdown().await;
                    drop(dir);
                });
            }
            // Outside a runtime, dropping `Running` drops its stop sender, which ends
            // the listeners' graceful-shutdown wait.
            Err(_) => drop((running, dir)),
        }
    }
}

/// Installs a school directly through the library (same path as `preau setup`).
pub fn install(dir: &Path) {
    use preau::directory::{self, Level, Membership, NewUser};
    use preau::policy::Profile;
    use preau::setup::{complete, ClassDraft, DirectorDraft, Draft, TeacherChoice};
    let settings = test_settings(dir);
    let store = preau::schema::open(&settings).unwrap();
    let hash = |p: &str| preau::auth::password::hash_blocking(p, 4).unwrap();
    let draft = Draft {
        school: Some(preau::school::School {
            name: "École des Tilleuls".into(),
            uai: "0350001L".into(),
            address: "1 rue des Écoles".into(),
            postcode: "35000".into(),
            commune: "Rennes".into(),
            academie: "Rennes".into(),
            zone: preau::school::Zone::B,
            services: vec![],
        }),
        director: Some(DirectorDraft {
            first_name: "Claire".into(),
            last_name: "Martin".into(),
            login: DIRECTOR_LOGIN.into(),
            email: None,
            password_hash: hash(DIRECTOR_PASSWORD),
        }),
        classes: vec![
            ClassDraft {
                label: "CP-CE1".into(),
                levels: vec![Level::CP, Level::CE1],
                teacher: TeacherChoice::Director,
            },
            ClassDraft {
                label: "CM1-CM2".into(),
                levels: vec![Level::CM1, Level::CM2],
                teacher: TeacherChoice::Other {
                    first_name: "Paul".into(),
                    last_name: "Durand".into(),
                },
            },
        ],
        services: Some(preau::school::Service::ALL.to_vec()),
        pending_import: None,
    };
    complete(
        &store,
        &draft,
        &[(hash("maitre2026"), "maitre2026".into())],
        0,
    )
    .unwrap();
    let cp = directory::classes(&store)
        .unwrap()
        .into_iter()
        .find(|c| c.label == "CP-CE1")
        .unwrap()
        .id;
    for (login, profile) in [
        ("lou.petit", Profile::Eleve),
        ("marc.petit", Profile::Responsable),
    ] {
        store
            .commit_checked_blocking(|tx| {
                let id = directory::create_user(
                    tx,
                    &NewUser {
                        login: login.into(),
                        first_name: login.split('.').next().unwrap().into(),
                        last_name: "Petit".into(),
                        profile,
                        functions: vec![],
                        email: None,
                        password_hash: Some(hash("motdepasse1")),
                        must_change_password: false,
                        created_at: 0,
                    },
                )?;
                if profile == Profile::Eleve {
                    directory::add_member(tx, cp, id, Membership::Pupil)?;
                }
                Ok(())
            })
            .unwrap();
    }
    // Everyone has accepted the charter, so that tests land where they aim.
    for u in directory::users(&store, None).unwrap() {
        store
            .commit_checked_blocking(|tx| {
                let mut u = directory::user_in(tx, u.id)?.unwrap();
                u.charter_version = 1;
                u.must_change_password = false;
                directory::save_user(tx, &u)
            })
            .unwrap();
    }
    store.flush_blocking().unwrap();
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Client {
    pub fn new(server: &TestServer) -> Client {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .tls_certs_only([reqwest::Certificate::from_pem(server.ca_pem.as_bytes()).unwrap()])
            .resolve("ecole.local", server.https)
            .redirect(reqwest::redirect::Policy::none())
            // HTTP/1.1: the limits' tests send bodies the server refuses before reading
            // them; over HTTP/2 it answers and resets the stream with NO_ERROR as the RFC
            // says (browsers then show the answer), but hyper's client reports the reset
            // instead. HTTP/2 is tested where the protocol matters (`tls`, `acme`).
            .http1_only()
            .build()
            .unwrap();
        Client {
            http,
            base: format!("https://ecole.local:{}", server.https.port()),
            csrf: String::new(),
        }
    }

    async fn page(&mut self, resp: reqwest::Response) -> Page {
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        let body = resp.text().await.unwrap();
        if let Some(t) = extract_csrf(&body) {
            self.csrf = t;
        }
        Page {
            status,
            location,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        self.page(resp).await
    }

    /// GET, following redirects within the site.
    pub async fn get_follow(&mut self, path: &str) -> Page {
        let mut p = self.get(path).await;
        let mut hops = 0;
        while let (Some(loc), true) = (p.location.clone(), hops < 5) {
            let path = loc.strip_prefix(&self.base).unwrap_or(&loc).to_string();
            p = self.get(&path).await;
            hops += 1;
        }
        p
    }

    /// POST a form with the CSRF token of the last page.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let token = self.csrf.clone();
        all.push(("_csrf", &token));
        self.post_raw(path, &all).await
    }

    /// POST exactly these fields (no token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
            .unwrap();
        self.page(resp).await
    }

    pub async fn login(&mut self, login: &str, password: &str) -> Page {
        self.get("/connexion").await;
        self.post(
            "/connexion",
            &[
                ("login", login),
                ("password", password),
                ("suite", "/accueil"),
            ],
        )
        .await
    }
}

pub fn extract_csrf(body: &str) -> Option<String> {
    let marker = "name=\"_csrf\" value=\"";
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_string())
}

impl Client {
    /// POST a multipart form (files as (field, file name, bytes)); the CSRF token goes
    /// in the URL as for every upload form of Préau.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Page {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        for (field, name, bytes) in files {
            form = form.part(
                field.to_string(),
                reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()),
            );
        }
        let sep = if path.contains('?') { '&' } else { '?' };
        let resp = self
            .http
            .post(format!("{}{path}{sep}_csrf={}", self.base, self.csrf))
            .multipart(form)
            .send()
            .await
            .unwrap();
        self.page(resp).await
    }
}

/// The people of the installed school, with a few more: a second parent for Lou, a
/// classmate, a pupil of the other class and her mother.
pub struct Folks {
    pub director: u64,
    pub paul: u64,
    pub lou: u64,
    pub marc: u64,
    pub anne: u64,
    pub tom: u64,
    pub zoe: u64,
    pub ines: u64,
    pub cp: u64,
    pub cm: u64,
}

pub const FOLKS_PASSWORD: &str = "motdepasse1";

pub fn populate(store: &preau::store::Store) -> Folks {
    use preau::directory::{self, Membership, NewUser};
    use preau::policy::Profile;
    let id = |login: &str| directory::user_by_login(store, login).unwrap().unwrap().id;
    let classes = directory::classes(store).unwrap();
    let cp = classes.iter().find(|c| c.label == "CP-CE1").unwrap().id;
    let cm = classes.iter().find(|c| c.label == "CM1-CM2").unwrap().id;
    let hash = preau::auth::password::hash_blocking(FOLKS_PASSWORD, 4).unwrap();
    let add = |login: &str, first: &str, last: &str, profile: Profile, class: Option<u64>| {
        store
            .commit_checked_blocking(|tx| {
                let uid = directory::create_user(
                    tx,
                    &NewUser {
                        login: login.into(),
                        first_name: first.into(),
                        last_name: last.into(),
                        profile,
                        functions: vec![],
                        email: None,
                        password_hash: Some(hash.clone()),
                        must_change_password: false,
                        created_at: 0,
                    },
                )?;
                let mut u = directory::user_in(tx, uid)?.unwrap();
                u.charter_version = 1;
                directory::save_user(tx, &u)?;
                if let Some(c) = class {
                    directory::add_member(tx, c, uid, Membership::Pupil)?;
                }
                Ok(uid)
            })
            .unwrap()
    };
    let anne = add("anne.petit", "Anne", "Petit", Profile::Responsable, None);
    let tom = add("tom.bernard", "Tom", "Bernard", Profile::Eleve, Some(cp));
    let zoe = add("zoe.leroy", "Zoé", "Leroy", Profile::Eleve, Some(cm));
    let ines = add("ines.leroy", "Inès", "Leroy", Profile::Responsable, None);
    let folks = Folks {
        director: id(DIRECTOR_LOGIN),
        paul: id("paul.durand"),
        lou: id("lou.petit"),
        marc: id("marc.petit"),
        anne,
        tom,
        zoe,
        ines,
        cp,
        cm,
    };
    store
        .commit_blocking(|tx| {
            directory::link_parent(tx, folks.marc, folks.lou)?;
            directory::link_parent(tx, folks.anne, folks.lou)?;
            directory::link_parent(tx, folks.ines, folks.zoe)
        })
        .unwrap();
    store.flush_blocking().unwrap();
    folks
}

impl TestServer {
    pub fn store(&self) -> preau::store::Store {
        self.running.as_ref().unwrap().app.store.clone()
    }

    /// A client signed in as `login` (password of the rig).
    pub async fn signed_in(&self, login: &str) -> Client {
        let password = match login {
            DIRECTOR_LOGIN => DIRECTOR_PASSWORD,
            "paul.durand" => "maitre2026",
            _ => FOLKS_PASSWORD,
        };
        let mut c = self.client();
        assert_eq!(
            c.login(login, password).await.status,
            303,
            "{login} signs in"
        );
        c.get("/accueil").await;
        c
    }
}

/// Adds a person of the rig's password who has accepted the charter, in `class` with
/// `role` when given (a teacher of another class, an ATSEM, a classmate).
pub fn add_person(
    store: &preau::store::Store,
    login: &str,
    profile: preau::policy::Profile,
    class: Option<(u64, preau::directory::Membership)>,
) -> u64 {
    use preau::directory::{self, NewUser};
    let hash = preau::auth::password::hash_blocking(FOLKS_PASSWORD, 4).unwrap();
    let (first, last) = login.split_once('.').unwrap_or((login, "Test"));
    let id = store
        .commit_checked_blocking(|tx| {
            let uid = directory::create_user(
                tx,
                &NewUser {
                    login: login.into(),
                    first_name: first.into(),
                    last_name: last.into(),
                    profile,
                    functions: vec![],
                    email: None,
                    password_hash: Some(hash.clone()),
                    must_change_password: false,
                    created_at: 0,
                },
            )?;
            let mut u = directory::user_in(tx, uid)?.unwrap();
            u.charter_version = 1;
            directory::save_user(tx, &u)?;
            if let Some((c, role)) = class {
                directory::add_member(tx, c, uid, role)?;
            }
            Ok(uid)
        })
        .unwrap();
    store.flush_blocking().unwrap();
    id
}

/// The first number that follows `marker` in `body` (an id in a link or a form action).
pub fn id_after(body: &str, marker: &str) -> Option<u64> {
    body.match_indices(marker).find_map(|(i, _)| {
        body[i + marker.len()..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect::<String>()
            .parse()
            .ok()
    })
}

/// Publishes a mot from `teacher` to the families of `class` straight through the liaison
/// module (past the page's creation limit), as of `at`.
pub async fn publish_class_mot(
    store: &preau::store::Store,
    teacher: u64,
    class: u64,
    title: &str,
    at: i64,
) {
    let people = preau::directory::people::People::load(store).unwrap();
    let actor =
        people
            .user(teacher)
            .unwrap()
            .actor(people.classes_of(teacher).to_vec(), vec![], vec![]);
    let to = preau::liaison::access::publish_to(
        &actor,
        &people,
        vec![preau::liaison::Audience::Class(class)],
    )
    .unwrap();
    let mot = preau::liaison::NewMot {
        title: title.into(),
        body: "Merci de signer.".into(),
        question: None,
        deadline: None,
        attachments: vec![],
    };
    preau::liaison::publish(store, &people, &to, &mot, at)
        .await
        .unwrap();
}
