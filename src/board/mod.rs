//! The class login board (/tableau) for the classroom tablet or interactive board:
//! choose the class → choose your picture and first name → touch your 4 pictures in
//! order. Picture passwords are accepted only from the school network. Pages work
//! without JavaScript: each touch is a button that submits the sequence so far.
//!
//! Every sequence checked is counted first (`Logins::pictures`): after 5 wrong ones the
//! pupil's pictures are locked until the teacher lifts it from the class page.
//!
//! Cards printed before 4-picture passwords hold 3 pictures (1 320 sequences): they keep
//! working — a child who cannot read is not locked out by an update — with the lock that
//! bounds guessing to 5 tries. Their hash carries no mark ([`picture_length`]); the class
//! page shows them as « 3 images, ancienne carte » so the teacher reprints when it suits.

use crate::routing::{Access, Object, Routes};
use crate::ui::input::FormInput;
use std::net::IpAddr;
use std::time::Instant;

use maud::{html, Markup};
use poem::web::{Data, Path, Redirect};
use poem::{handler, IntoResponse, Response};

use crate::app::App;
use crate::auth::throttle::french_wait;
use crate::auth::visitor::Visitor;
use crate::auth::web::{cookie_header, Who};
use crate::auth::{self};
use crate::directory::{self, Membership, User};
use crate::error::{AppError, AppResult};
use crate::policy::Profile;
use crate::ui::{assets, csrf_input};

/// The pictures, in order; a picture's number is its index + 1.
pub const PICTURES: [(&str, &str); 12] = [
    ("01-soleil", "soleil"),
    ("02-lune", "lune"),
    ("03-etoile", "étoile"),
    ("04-fleur", "fleur"),
    ("05-arbre", "arbre"),
    ("06-maison", "maison"),
    ("07-bateau", "bateau"),
    ("08-pomme", "pomme"),
    ("09-poisson", "poisson"),
    ("10-ballon", "ballon"),
    ("11-coeur", "cœur"),
    ("12-chat", "chat"),
];

/// Number of pictures in a new picture password: 12 × 11 × 10 × 9 = 11 880 sequences.
pub const LENGTH: usize = 4;
/// The length of the cards printed before: 1 320 sequences.
pub const LEGACY_LENGTH: usize = 3;
/// How a stored hash says it is one of `LENGTH` pictures.
const MARK: &str = "4:";

/// How many pictures a pupil's stored picture hash asks for.
pub fn picture_length(hash: &str) -> usize {
    if hash.starts_with(MARK) {
        LENGTH
    } else {
        LEGACY_LENGTH
    }
}

/// The stored hash of a new sequence: bcrypt, marked with its length.
pub async fn hash_sequence(seq: &[u8], cost: u32) -> anyhow::Result<String> {
    let hash = auth::password::hash(encode(seq), cost).await?;
    Ok(format!("{MARK}{hash}"))
}

/// [`hash_sequence`] outside the runtime (the demo school).
pub fn hash_sequence_blocking(seq: &[u8], cost: u32) -> anyhow::Result<String> {
    let hash = auth::password::hash_blocking(&encode(seq), cost)?;
    Ok(format!("{MARK}{hash}"))
}

async fn verify_sequence(seq: &[u8], stored: &str) -> bool {
    if seq.len() != picture_length(stored) {
        return false;
    }
    let hash = stored.strip_prefix(MARK).unwrap_or(stored);
    auth::password::verify(encode(seq), hash.to_string()).await
}

pub fn picture_url(n: u8) -> String {
    let file = PICTURES
        .get((n as usize).wrapping_sub(1))
        .map(|p| p.0)
        .unwrap_or("01-soleil");
    assets::url(&format!("img/pictos/{file}.svg"))
}

pub fn picture_name(n: u8) -> &'static str {
    PICTURES
        .get((n as usize).wrapping_sub(1))
        .map(|p| p.1)
        .unwrap_or("?")
}

/// The colours an avatar's picture sits on (`.avatar.c0` … in the style sheet). With the
/// 12 pictures they make 96 avatars, so that no two pupils of a class share one: a child
/// who cannot read finds « the fish on blue », not one of three fish.
pub const AVATAR_COLOURS: [&str; 8] = [
    "blanc", "bleu", "vert", "jaune", "rouge", "violet", "orange", "rose",
];

/// An avatar is one number: picture + 12 × colour. The avatars stored before colours
/// (1 to 12) are the pictures on the first colour, unchanged.
pub fn avatar_of(picture: u8, colour: usize) -> u8 {
    let colour = (colour % AVATAR_COLOURS.len()) as u8;
    colour * PICTURES.len() as u8 + picture
}

/// The picture (1 to 12) and colour index of an avatar.
pub fn avatar_parts(avatar: u8) -> (u8, usize) {
    let n = PICTURES.len() as u8;
    let i = avatar.saturating_sub(1);
    (i % n + 1, ((i / n) as usize) % AVATAR_COLOURS.len())
}

/// An avatar as shown on the board and the cards: its picture on its colour.
pub fn avatar_img(avatar: u8, size: u32) -> Markup {
    let (picture, colour) = avatar_parts(avatar);
    html! {
        span class=(format!("avatar c{colour}")) {
            img src=(picture_url(picture)) alt="" width=(size) height=(size);
        }
    }
}

/// A random sequence of 4 different pictures, and an avatar that none of `taken` (the
/// avatars of the pupil's classmates) has.
pub fn new_secret(taken: &[u8]) -> (Vec<u8>, u8) {
    new_secret_from(&mut rand::rng(), taken)
}

/// [`new_secret`] from a given generator (the demo school is reproducible). The avatar
/// costs no draw of its own: the first free one among the pictures left out of the
/// sequence (in their shuffled order), colour by colour; so a class's first pupil gets
/// the avatar it got before colours existed.
pub fn new_secret_from(rng: &mut impl rand::Rng, taken: &[u8]) -> (Vec<u8>, u8) {
    use rand::seq::SliceRandom;
    let mut all: Vec<u8> = (1..=PICTURES.len() as u8).collect();
    all.shuffle(rng);
    let (seq, others) = all.split_at(LENGTH.min(all.len()));
    let free = |a: &u8| !taken.contains(a);
    // The picture of the avatar is not one of the sequence (it would give one away),
    // unless the class is so large (over 64) that only those are left.
    let avatar = (0..AVATAR_COLOURS.len())
        .flat_map(|c| others.iter().map(move |p| avatar_of(*p, c)))
        .find(free)
        .or_else(|| {
            (0..AVATAR_COLOURS.len())
                .flat_map(|c| seq.iter().map(move |p| avatar_of(*p, c)))
                .find(free)
        })
        .or_else(|| others.first().copied())
        .unwrap_or(1);
    (seq.to_vec(), avatar)
}

/// The avatars of the pupils of `class_id` other than `except`: what a new avatar avoids.
pub fn class_avatars(app: &App, class_id: u64, except: &[u64]) -> AppResult<Vec<u8>> {
    let mut out = Vec::new();
    for (u, role) in directory::members(&app.store, class_id)? {
        if role != Membership::Pupil || except.contains(&u.id) {
            continue;
        }
        if let Some(a) = directory::pupil(&app.store, u.id)?.and_then(|r| r.avatar) {
            out.push(a);
        }
    }
    Ok(out)
}

pub fn encode(seq: &[u8]) -> String {
    seq.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("-")
}

fn parse_seq(text: &str, length: usize) -> Vec<u8> {
    text.split('-')
        .filter_map(|n| n.parse::<u8>().ok())
        .filter(|n| (1..=PICTURES.len() as u8).contains(n))
        .take(length)
        .collect()
}

/// From the school network: a school address, not by the public name (`net::acme`).
pub fn on_school_network(app: &App, visitor: &Visitor) -> bool {
    !visitor.by_public_name && from_school(app, &visitor.address)
}

/// Whether a client address belongs to the school network.
pub fn from_school(app: &App, address: &str) -> bool {
    match address.parse::<IpAddr>() {
        Ok(ip) => {
            let ip = match ip {
                IpAddr::V6(v6) => v6
                    .to_ipv4_mapped()
                    .map(IpAddr::V4)
                    .unwrap_or(IpAddr::V6(v6)),
                v4 => v4,
            };
            app.settings.school_networks.iter().any(|n| n.contains(&ip))
        }
        Err(_) => false,
    }
}

pub fn routes() -> Routes {
    let board = Access::Object(Object::LoginBoard);
    Routes::new()
        .get("/", classes, Access::Public)
        .get("/carte/:token", card_page, board)
        .post("/carte/:token", card_login, board)
        .get("/:class", pupils, board)
        .get("/:class/:pupil", pictures, board)
        .post("/:class/:pupil", touch, board)
}

fn board_page(app: &App, who: &Visitor, title: &str, body: Markup) -> AppResult<Markup> {
    app.page(who, title, "", html! { div.board { (body) } })
}

fn outside(app: &App, who: &Visitor) -> AppResult<Response> {
    let body = html! {
        section.panel {
            h1 { "Connexion par images" }
            p { "La connexion par images n'est possible que depuis le réseau de l'école. Connectez-vous avec votre identifiant et votre mot de passe." }
            p { a.button href="/connexion" { "Se connecter" } }
        }
    };
    Ok((
        poem::http::StatusCode::FORBIDDEN,
        board_page(app, who, "Connexion par images", body)?,
    )
        .into_response())
}

#[handler]
fn classes(Data(app): Data<&App>, Who(who): Who) -> AppResult<Response> {
    if !on_school_network(app, &who) {
        return outside(app, &who);
    }
    let classes = directory::classes(&app.store)?;
    let body = html! {
        h1 { "Choisis ta classe" }
        ul.big-choices {
            @for c in &classes {
                li { a.choice href=(format!("/tableau/{}", c.id)) { span.label { (c.label) } } }
            }
        }
    };
    Ok(board_page(app, &who, "Choisis ta classe", body)?.into_response())
}

fn board_pupils(app: &App, class_id: u64) -> AppResult<Vec<(User, Option<u8>)>> {
    let mut out = Vec::new();
    for (u, role) in directory::members(&app.store, class_id)? {
        if role != Membership::Pupil || u.disabled {
            continue;
        }
        let record = directory::pupil(&app.store, u.id)?;
        if record
            .as_ref()
            .and_then(|r| r.picture_hash.as_ref())
            .is_some()
        {
            out.push((u, record.and_then(|r| r.avatar)));
        }
    }
    out.sort_by(|a, b| a.0.first_name.cmp(&b.0.first_name));
    Ok(out)
}

#[handler]
fn pupils(Data(app): Data<&App>, Who(who): Who, Path(class_id): Path<u64>) -> AppResult<Response> {
    if !on_school_network(app, &who) {
        return outside(app, &who);
    }
    let class = directory::class(&app.store, class_id)?.ok_or(AppError::NotFound)?;
    let list = board_pupils(app, class_id)?;
    let body = html! {
        p { a href="/tableau" { "← Changer de classe" } }
        h1 { (class.label) " : qui es-tu ?" }
        @if list.is_empty() { p.empty { "Personne dans cette classe n'a encore de mot de passe en images : l'enseignant imprime les cartes depuis la page de la classe." } }
        ul.big-choices {
            @for (u, avatar) in &list {
                li {
                    a.choice href=(format!("/tableau/{class_id}/{}", u.id)) {
                        @if let Some(a) = avatar { (avatar_img(*a, 72)) }
                        span.label { (u.first_name) " " (u.shown_last_name().chars().next().unwrap_or(' ')) "." }
                    }
                }
            }
        }
    };
    Ok(board_page(app, &who, &class.label, body)?.into_response())
}

fn grid(
    app: &App,
    who: &Visitor,
    class_id: u64,
    pupil: &User,
    record: &directory::PupilRecord,
    seq: &[u8],
    message: Option<&str>,
) -> AppResult<Markup> {
    let avatar = record.avatar;
    // A pupil without pictures never reaches the grid (`pupil_of_class`).
    let length = record
        .picture_hash
        .as_deref()
        .map_or(LENGTH, picture_length);
    let body = html! {
        p { a href=(format!("/tableau/{class_id}")) { "← Ce n'est pas moi" } }
        div.who-board {
            @if let Some(a) = avatar { (avatar_img(a, 72)) }
            h1 { "Bonjour " (pupil.first_name) " !" }
        }
        p.lead { "Touche tes " (length) " images, dans l'ordre." }
        @if let Some(m) = message { div.flash.error role="alert" { (m) } }
        p.progress role="img" aria-label=(format!("{} image{} sur {length}", seq.len(), if seq.len() > 1 { "s" } else { "" })) {
            @for i in 0..length { span class=(if i < seq.len() { "dot on" } else { "dot" }) {} }
        }
        form method="post" action=(format!("/tableau/{class_id}/{}", pupil.id)) {
            (csrf_input(who))
            input type="hidden" name="seq" value=(encode(seq));
            div.pictures {
                @for (i, (_, name)) in PICTURES.iter().enumerate() {
                    button.picture type="submit" name="pic" value=(i + 1) {
                        img src=(picture_url(i as u8 + 1)) alt=(name) width="96" height="96";
                    }
                }
            }
        }
    };
    board_page(app, who, "Connexion par images", body)
}

fn pupil_of_class(
    app: &App,
    class_id: u64,
    pupil_id: u64,
) -> AppResult<(User, directory::PupilRecord)> {
    let in_class = directory::members(&app.store, class_id)?
        .into_iter()
        .any(|(u, r)| u.id == pupil_id && r == Membership::Pupil);
    let user = directory::user(&app.store, pupil_id)?
        .filter(|u| in_class && u.profile == Profile::Eleve && !u.disabled)
        .ok_or(AppError::NotFound)?;
    let record = directory::pupil(&app.store, pupil_id)?
        .filter(|r| r.picture_hash.is_some())
        .ok_or(AppError::NotFound)?;
    Ok((user, record))
}

#[handler]
fn pictures(
    Data(app): Data<&App>,
    Who(who): Who,
    Path((class_id, pupil_id)): Path<(u64, u64)>,
) -> AppResult<Response> {
    if !on_school_network(app, &who) {
        return outside(app, &who);
    }
    let (user, record) = pupil_of_class(app, class_id, pupil_id)?;
    Ok(grid(app, &who, class_id, &user, &record, &[], None)?.into_response())
}

/// The pictures touched so far and the one just touched.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct BoardTouch {
    seq: String,
    pic: String,
}

#[handler]
async fn touch(
    Data(app): Data<&App>,
    Who(who): Who,
    Path((class_id, pupil_id)): Path<(u64, u64)>,
    FormInput(f): FormInput<BoardTouch>,
) -> AppResult<Response> {
    if !on_school_network(app, &who) {
        return outside(app, &who);
    }
    let (user, record) = pupil_of_class(app, class_id, pupil_id)?;
    let stored = record.picture_hash.clone().unwrap_or_default();
    let length = picture_length(&stored);
    let mut seq = parse_seq(&f.seq, length);
    if let Some(n) = parse_seq(&f.pic, 1).first() {
        seq.push(*n);
    }
    let again = |message: &str| grid(app, &who, class_id, &user, &record, &[], Some(message));
    if seq.len() < length {
        return Ok(grid(app, &who, class_id, &user, &record, &seq, None)?.into_response());
    }
    // Counted before it is checked: 60 sequences sent at once get 5 checks, not 60.
    let reservation = match app.logins.pictures(user.id, &who.address, Instant::now()) {
        Ok(r) => r,
        Err(w) => {
            let msg = if app
                .logins
                .pictures
                .wait(&user.id.to_string(), Instant::now())
                .is_some()
            {
                "Tes images sont bloquées. Demande à ton enseignant de les débloquer.".to_string()
            } else {
                format!(
                    "Trop d'essais sur cette tablette. Attends {} ou demande à ton enseignant.",
                    french_wait(w)
                )
            };
            return Ok((poem::http::StatusCode::TOO_MANY_REQUESTS, again(&msg)?).into_response());
        }
    };
    let ok = verify_sequence(&seq, &stored).await;
    let kind = if ok {
        auth::journal::ConnectionKind::Login
    } else {
        auth::journal::ConnectionKind::Failure
    };
    auth::journal::record_connection(
        &app.store,
        auth::journal::ConnectionEvent {
            at: auth::now_micros(),
            kind,
            login: format!("{} (images)", user.login),
            user_id: Some(user.id),
            address: who.address.clone(),
        },
    )
    .await?;
    if !ok {
        reservation.fail();
        return Ok((
            poem::http::StatusCode::UNAUTHORIZED,
            again("Ce ne sont pas les bonnes images. Essaie encore !")?,
        )
            .into_response());
    }
    reservation.succeed();
    let token = auth::open_session(
        &app.store,
        user.id,
        &who.address,
        &who.user_agent,
        auth::now_micros(),
    )
    .await?;
    // A shared tablet: the session lasts the school day, not a month.
    Ok(Redirect::see_other("/accueil")
        .with_header(
            "set-cookie",
            cookie_header(app, auth::SESSION_COOKIE, &token, Some(8 * 3600)),
        )
        .into_response())
}

fn card_pupil(app: &App, token: &str) -> AppResult<(User, directory::PupilRecord)> {
    let id = app
        .store
        .get(&directory::PUPIL_BY_CARD, &auth::session_key(token))?
        .ok_or(AppError::NotFound)?;
    let user = directory::user(&app.store, id)?
        .filter(|u| !u.disabled)
        .ok_or(AppError::NotFound)?;
    let record = directory::pupil(&app.store, id)?.ok_or(AppError::NotFound)?;
    Ok((user, record))
}

/// The page a login card's QR code opens: one big button, so that a link preview or a
/// prefetch never opens a session by itself.
#[handler]
fn card_page(
    Data(app): Data<&App>,
    Who(who): Who,
    Path(token): Path<String>,
) -> AppResult<Response> {
    if !on_school_network(app, &who) {
        return outside(app, &who);
    }
    let (user, record) = card_pupil(app, &token)?;
    let body = html! {
        div.who-board {
            @if let Some(a) = record.avatar { (avatar_img(a, 96)) }
            h1 { "Bonjour " (user.first_name) " !" }
        }
        form method="post" action=(format!("/tableau/carte/{token}")) {
            (csrf_input(&who))
            button.primary.big type="submit" { "Entrer" }
        }
        p { a href="/tableau" { "Ce n'est pas moi" } }
    };
    Ok(board_page(app, &who, "Connexion", body)?.into_response())
}

#[handler]
async fn card_login(
    Data(app): Data<&App>,
    Who(who): Who,
    Path(token): Path<String>,
) -> AppResult<Response> {
    if !on_school_network(app, &who) {
        return outside(app, &who);
    }
    let (user, _) = card_pupil(app, &token)?;
    auth::journal::record_connection(
        &app.store,
        auth::journal::ConnectionEvent {
            at: auth::now_micros(),
            kind: auth::journal::ConnectionKind::Login,
            login: format!("{} (carte)", user.login),
            user_id: Some(user.id),
            address: who.address.clone(),
        },
    )
    .await?;
    let session = auth::open_session(
        &app.store,
        user.id,
        &who.address,
        &who.user_agent,
        auth::now_micros(),
    )
    .await?;
    Ok(Redirect::see_other("/accueil")
        .with_header(
            "set-cookie",
            cookie_header(app, auth::SESSION_COOKIE, &session, Some(8 * 3600)),
        )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_four_different_pictures() {
        for _ in 0..20 {
            let (seq, avatar) = new_secret(&[]);
            assert_eq!(seq.len(), LENGTH);
            assert!(!seq.contains(&avatar_parts(avatar).0));
            let mut s = seq.clone();
            s.dedup();
            assert_eq!(s.len(), LENGTH);
            assert_eq!(parse_seq(&encode(&seq), LENGTH), seq);
        }
        assert_eq!(
            parse_seq("1-99-x-4-5-6-7", LENGTH),
            vec![1, 4, 5, 6],
            "unknown pictures are dropped"
        );
    }

    #[test]
    fn a_class_of_30_gets_30_different_avatars() {
        let mut taken: Vec<u8> = Vec::new();
        for _ in 0..30 {
            let (seq, avatar) = new_secret(&taken);
            let (picture, _) = avatar_parts(avatar);
            assert!(!seq.contains(&picture), "the avatar gives no picture away");
            assert!(!taken.contains(&avatar), "{avatar} again in {taken:?}");
            taken.push(avatar);
        }
        let mut distinct = taken.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 30);
        // Every avatar shows as a known picture on a known colour.
        for a in &taken {
            let (p, c) = avatar_parts(*a);
            assert!((1..=12).contains(&p) && c < AVATAR_COLOURS.len());
            assert_eq!(avatar_of(p, c), *a);
        }
        // The avatars stored before colours are unchanged: picture n on the first colour.
        assert_eq!(avatar_parts(9), (9, 0));
    }

    #[tokio::test]
    async fn old_three_picture_hashes_keep_working_and_new_ones_take_four() {
        let old = auth::password::hash(encode(&[3, 1, 2]), 4).await.unwrap();
        assert_eq!(picture_length(&old), LEGACY_LENGTH);
        assert!(verify_sequence(&[3, 1, 2], &old).await);
        assert!(!verify_sequence(&[3, 1, 2, 4], &old).await);
        let new = hash_sequence(&[3, 1, 2, 4], 4).await.unwrap();
        assert_eq!(picture_length(&new), LENGTH);
        assert!(verify_sequence(&[3, 1, 2, 4], &new).await);
        assert!(!verify_sequence(&[3, 1, 2], &new).await);
        assert!(!verify_sequence(&[3, 1, 2, 5], &new).await);
    }
}
