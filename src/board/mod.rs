//! The class login board (/tableau) for the classroom tablet or interactive board:
//! choose the class → choose your picture and first name → touch your 3 pictures in
//! order. Picture passwords are accepted only from the school network. Pages work
//! without JavaScript: each touch is a button that submits the sequence so far.

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

/// Number of pictures in a picture password.
pub const LENGTH: usize = 3;

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

/// A random sequence of 3 different pictures, and an avatar.
pub fn new_secret() -> (Vec<u8>, u8) {
    new_secret_from(&mut rand::rng())
}

/// [`new_secret`] from a given generator (the demo school is reproducible).
pub fn new_secret_from(rng: &mut impl rand::Rng) -> (Vec<u8>, u8) {
    use rand::seq::SliceRandom;
    let mut all: Vec<u8> = (1..=PICTURES.len() as u8).collect();
    all.shuffle(rng);
    // PICTURES is a fixed list longer than LENGTH: the picture after the sequence always
    // exists, the fallback only keeps this free of panics.
    let avatar = all.get(LENGTH).copied().unwrap_or(1);
    all.truncate(LENGTH);
    (all, avatar)
}

pub fn encode(seq: &[u8]) -> String {
    seq.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("-")
}

fn parse_seq(text: &str) -> Vec<u8> {
    text.split('-')
        .filter_map(|n| n.parse::<u8>().ok())
        .filter(|n| (1..=PICTURES.len() as u8).contains(n))
        .take(LENGTH)
        .collect()
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
    if !from_school(app, &who.address) {
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
    if !from_school(app, &who.address) {
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
                        @if let Some(a) = avatar { img src=(picture_url(*a)) alt="" width="72" height="72"; }
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
    avatar: Option<u8>,
    seq: &[u8],
    message: Option<&str>,
) -> AppResult<Markup> {
    let body = html! {
        p { a href=(format!("/tableau/{class_id}")) { "← Ce n'est pas moi" } }
        div.who-board {
            @if let Some(a) = avatar { img src=(picture_url(a)) alt="" width="72" height="72"; }
            h1 { "Bonjour " (pupil.first_name) " !" }
        }
        p.lead { "Touche tes " (LENGTH) " images, dans l'ordre." }
        @if let Some(m) = message { div.flash.error role="alert" { (m) } }
        p.progress aria-label=(format!("{} image(s) sur {LENGTH}", seq.len())) {
            @for i in 0..LENGTH { span class=(if i < seq.len() { "dot on" } else { "dot" }) {} }
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
    if !from_school(app, &who.address) {
        return outside(app, &who);
    }
    let (user, record) = pupil_of_class(app, class_id, pupil_id)?;
    Ok(grid(app, &who, class_id, &user, record.avatar, &[], None)?.into_response())
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
    if !from_school(app, &who.address) {
        return outside(app, &who);
    }
    let (user, record) = pupil_of_class(app, class_id, pupil_id)?;
    let mut seq = parse_seq(&f.seq);
    if let Some(n) = parse_seq(&f.pic).first() {
        seq.push(*n);
    }
    if seq.len() < LENGTH {
        return Ok(grid(app, &who, class_id, &user, record.avatar, &seq, None)?.into_response());
    }
    let key = format!("compte:{}", user.login);
    let now = Instant::now();
    if let Some(w) = app.throttle_accounts.wait(&key, now) {
        let msg = format!(
            "Trop d'essais. Attends {} ou demande à ton enseignant.",
            french_wait(w)
        );
        return Ok(
            grid(app, &who, class_id, &user, record.avatar, &[], Some(&msg))?.into_response(),
        );
    }
    let ok = match &record.picture_hash {
        Some(h) => auth::password::verify(encode(&seq), h.clone()).await,
        None => false,
    };
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
        app.throttle_accounts.fail(&key, now);
        return Ok((
            poem::http::StatusCode::UNAUTHORIZED,
            grid(
                app,
                &who,
                class_id,
                &user,
                record.avatar,
                &[],
                Some("Ce ne sont pas les bonnes images. Essaie encore !"),
            )?,
        )
            .into_response());
    }
    app.throttle_accounts.succeed(&key);
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
    if !from_school(app, &who.address) {
        return outside(app, &who);
    }
    let (user, record) = card_pupil(app, &token)?;
    let body = html! {
        div.who-board {
            @if let Some(a) = record.avatar { img src=(picture_url(a)) alt="" width="96" height="96"; }
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
    if !from_school(app, &who.address) {
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
    fn secrets_are_three_different_pictures() {
        for _ in 0..20 {
            let (seq, avatar) = new_secret();
            assert_eq!(seq.len(), LENGTH);
            assert!(!seq.contains(&avatar));
            let mut s = seq.clone();
            s.dedup();
            assert_eq!(s.len(), LENGTH);
            assert_eq!(parse_seq(&encode(&seq)), seq);
        }
        assert_eq!(
            parse_seq("1-99-x-4-5-6"),
            vec![1, 4, 5],
            "unknown pictures are dropped"
        );
    }
}
