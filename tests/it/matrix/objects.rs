//! The real objects the paths are filled with, and the small tools that make their
//! contents (a PDF, a PNG, a date) and read their ids back from pages and the store.

use std::io::Cursor;

use preau::directory;

use crate::common::{id_after, Client, Page};

/// The real objects the paths are filled with.
pub(super) struct Objects {
    pub(super) cm: u64,
    pub(super) zoe: u64,
    pub(super) group: u64,
    pub(super) notification: u64,
    pub(super) folder: u64,
    pub(super) held: u64,
    pub(super) message: u64,
    pub(super) mot: u64,
    pub(super) item: u64,
    pub(super) work: u64,
    pub(super) lesson: u64,
    pub(super) exercise: u64,
    pub(super) news: u64,
    pub(super) event: u64,
    pub(super) feed: String,
    pub(super) article: u64,
    pub(super) comment: u64,
    pub(super) report: u64,
    pub(super) consent: u64,
    pub(super) import: String,
    pub(super) year: String,
    pub(super) card: &'static str,
    /// Inès's archive of « Mes données », and Zoé's made by the director.
    pub(super) export: u64,
    pub(super) console_export: u64,
    /// Inès's phone subscribed to push notifications.
    pub(super) push_device: u64,
    /// The étude du soir, where Eva of the périscolaire works.
    pub(super) canteen_service: u64,
    /// Paul's grid of meetings, the tablet trolley, Paul's booking of it.
    pub(super) grid: u64,
    pub(super) resource: u64,
    pub(super) booking: u64,
    /// The commune's page, its bus line (Zoé rides it) and the line's change, Paul's
    /// request to the mairie with a photo.
    pub(super) commune_page: u64,
    pub(super) bus_line: u64,
    pub(super) bus_change: u64,
    pub(super) mairie_request: u64,
    /// Paul's réussite for Zoé with a photo, shared with Inès.
    pub(super) reussite: u64,
}

impl Objects {
    /// The value of the parameter `name` of a path that starts with `before`.
    fn value(&self, before: &str, name: &str) -> Option<String> {
        let id = |v: u64| Some(v.to_string());
        let space = || Some(format!("classe-{}", self.cm));
        match (name, before) {
            ("n", _) => Some("0".into()),
            ("c", _) => id(self.comment),
            ("pupil", _) => id(self.zoe),
            ("class", _) => id(self.cm),
            ("token", "/tableau/carte/") => Some(self.card.into()),
            ("token", "/agenda/ical/") => Some(self.feed.clone()),
            ("key", "/admin/import/") => Some(self.import.clone()),
            ("year", "/admin/rentree/archives/") => Some(self.year.clone()),
            ("guide", "/aide/") => Some("familles".into()),
            ("name", "/aide/img/") => Some("board.png".into()),
            ("space", "/mediatheque/espace/") | ("blog", "/blog/") => space(),
            ("id", b) => match b {
                "/classes/" | "/admin/classes/" => id(self.cm),
                "/appel/classe/" | "/admin/absences/registre/" => id(self.cm),
                "/admin/absences/signalement/" => id(self.zoe),
                "/eleves/" | "/carnet/eleve/" | "/admin/comptes/" => id(self.zoe),
                "/admin/groupes/" => id(self.group),
                "/admin/signalements/" => id(self.report),
                "/admin/autorisations-photo/" => id(self.consent),
                "/notifications/" => id(self.notification),
                "/messagerie/dossiers/" => id(self.folder),
                "/messagerie/moderation/" => id(self.held),
                "/messagerie/" => id(self.message),
                "/carnet/" => id(self.mot),
                "/mediatheque/element/" | "/mediatheque/fichier/" => id(self.item),
                "/cahier-de-textes/" | "/devoirs/" => id(self.work),
                "/classeur/" => id(self.lesson),
                "/exercices/" => id(self.exercise),
                "/actualites/" => id(self.news),
                "/agenda/" => id(self.event),
                "/blog/article/" => id(self.article),
                "/compte/mes-donnees/" => id(self.export),
                "/admin/mes-donnees/" => id(self.console_export),
                "/compte/notifications-push/" => id(self.push_device),
                "/cantine/inscriptions/" => id(self.zoe),
                "/cantine/gestion/services/" | "/periscolaire/" => id(self.canteen_service),
                "/rendez-vous/" => id(self.grid),
                "/reservations/ressource/" | "/reservations/ressources/" => id(self.resource),
                // The tablet trolley is the school's: the commune's page does not find it
                // (404) for those who pass the rule; the rule is what the matrix drives.
                "/reservations/commune/" => id(self.resource),
                "/reservations/" => id(self.booking),
                "/commune/page/" | "/commune/pages/" => id(self.commune_page),
                "/commune/transport/" => id(self.bus_line),
                "/commune/changements/" => id(self.bus_change),
                "/commune/demandes/" => id(self.mairie_request),
                "/suivi/classe/" | "/suivi/livret/classe/" => id(self.cm),
                "/suivi/livret/eleve/" => id(self.zoe),
                "/suivi/eleve/" => id(self.zoe),
                "/suivi/reussite/" => id(self.reussite),
                _ => None,
            },
            _ => None,
        }
    }

    /// The path with every parameter replaced by a real value, or the parameter that has
    /// none.
    pub(super) fn fill(&self, pattern: &str) -> Result<String, String> {
        let mut out = String::new();
        for segment in pattern.split('/').skip(1) {
            out.push('/');
            match segment.strip_prefix(':') {
                Some(name) => {
                    // The value depends on the path up to the first parameter.
                    let before = format!("{}/", pattern.split("/:").next().unwrap_or(""));
                    let v = self
                        .value(&before, name)
                        .ok_or_else(|| format!("no real value for :{name} in {pattern}"))?;
                    out.push_str(&v);
                }
                None => out.push_str(segment),
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        out.push_str(&self.query(pattern));
        Ok(out)
    }

    /// The query some pages need to say what they are about: the class of a form, the
    /// pupil whose work an adult looks at, the file of a hand-in, the kind of question.
    fn query(&self, pattern: &str) -> String {
        match pattern {
            "/cahier-de-textes/nouveau" | "/classeur/nouveau" | "/exercices/nouveau" => {
                format!("?classe={}", self.cm)
            }
            "/devoirs/:id" | "/exercices/:id" => format!("?eleve={}", self.zoe),
            // The first version of the hand-in, its first file.
            "/devoirs/:id/eleve/:pupil/fichier" => "?v=0&n=0".into(),
            "/exercices/:id/questions" => "?type=choix".into(),
            _ => String::new(),
        }
    }
}

pub(super) fn pdf() -> Vec<u8> {
    let mut v = b"%PDF-1.4\n".to_vec();
    v.resize(300, b' ');
    v
}

pub(super) fn png() -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::new_rgb8(8, 8)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

pub(super) fn day(offset: i64) -> String {
    preau::ui::dates::date_value(preau::auth::now_micros() + offset * 86_400_000_000)
}

/// The id that follows `marker` in `text`, which must hold one.
pub(super) fn found(text: &str, marker: &str) -> u64 {
    id_after(text, marker).unwrap_or_else(|| panic!("no id after {marker} in: {text}"))
}

/// A POST that must succeed (a redirect) while the objects are made.
pub(super) fn made(what: &str, page: &Page) -> String {
    assert_eq!(page.status, 303, "{what}: {}", page.body);
    page.location.clone().unwrap_or_default()
}

/// The id of the archive offered under `prefix` once it is ready (bounded wait).
pub(super) async fn ready_archive(c: &mut Client, prefix: &str) -> u64 {
    let page = prefix.trim_end_matches('/');
    for _ in 0..300 {
        let body = c.get(page).await.body;
        if let Some(id) = id_after(&body, &format!("href=\"{prefix}")) {
            return id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{page}: no archive ready in 30 s");
}

pub(super) fn class_id(store: &preau::store::Store, label: &str) -> u64 {
    directory::classes(store)
        .unwrap()
        .into_iter()
        .find(|c| c.label == label)
        .unwrap()
        .id
}

pub(super) fn user_id(store: &preau::store::Store, login: &str) -> u64 {
    directory::user_by_login(store, login).unwrap().unwrap().id
}

/// Subscribes `c`'s « phone » (keys made as a browser makes them) to push notifications:
/// the device's id.
pub(super) async fn push_device(c: &mut Client, store: &preau::store::Store) -> u64 {
    use aws_lc_rs::agreement::{PrivateKey, ECDH_P256};
    let key = PrivateKey::generate(&ECDH_P256).unwrap();
    let public = key.compute_public_key().unwrap();
    let p256dh = preau::push::crypto::b64(public.as_ref());
    let auth = preau::push::crypto::b64(&[7u8; 16]);
    c.get("/compte/notifications-push").await;
    let r = c
        .post(
            "/compte/notifications-push",
            &[
                ("endpoint", "https://push.example.net/matrice"),
                ("p256dh", &p256dh),
                ("auth", &auth),
            ],
        )
        .await;
    made("push device", &r);
    let me = c.get("/compte").await;
    assert_eq!(me.status, 200);
    let owner = store
        .get(
            &preau::push::ENDPOINT_OWNERS,
            &"https://push.example.net/matrice".to_string(),
        )
        .unwrap()
        .unwrap();
    preau::push::devices(store, owner).unwrap()[0].id
}
