//! The class as its teacher sees it (/classes/:id): pupils, their guardians, login
//! cards and password resets, lifting a pupil's login lock, without being director. Its
//! classmates see names only: logins and guardians are the roster, for the class's adults
//! (`Action::ViewClassRoster`). And a pupil's page (/eleves/:id) for the people who need
//! to know: the pupil's teachers, guardians and the director.

mod services;

use crate::routing::{Access, Object, Routes};
use crate::ui::input::FormInput;
use maud::{html, Markup, PreEscaped};
use poem::web::{Data, Path, Redirect};
use poem::{handler, IntoResponse, Response};

use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self};
use crate::directory::people::People;
use crate::directory::{self, Membership, User};
use crate::error::{AppError, AppResult};
use crate::policy::{may, require, Action};
use crate::refusal::Outcome;
use crate::ui::csrf_input;

/// `/classes/:id` and `/eleves/:id`.
pub fn routes() -> Routes {
    let manage = Access::Object(Object::ClassManage);
    Routes::new()
        .nest(
            "/classes",
            Routes::new()
                .get("/:id", class_page, Access::Object(Object::ClassView))
                .post("/:id/cartes", login_cards, manage)
                .get("/:id/services", services::page, manage)
                .post("/:id/services", services::save, manage)
                .post("/:id/debloquer", lift_lock, manage)
                .get(
                    "/:id/memoire",
                    crate::archive::routes::class_download,
                    Access::Object(Object::ClassMemory),
                ),
        )
        .nest(
            "/eleves",
            Routes::new()
                .get("/:id", pupil_page, Access::Object(Object::PupilView))
                .post("/:id/mot-de-passe", reset_pupil, manage),
        )
}

fn frame_page(
    app: &App,
    member: &Member,
    title: &str,
    section: &str,
    body: Markup,
) -> AppResult<Markup> {
    app.page(&member.visitor, title, section, body)
}

fn service_on(app: &App, service: crate::school::Service) -> AppResult<bool> {
    Ok(crate::school::get(&app.store)?.is_some_and(|s| s.enabled(service) && service.available()))
}

fn pupil_class(app: &App, pupil_id: u64) -> AppResult<Option<u64>> {
    Ok(People::load(&app.store)?
        .classes_of(pupil_id)
        .first()
        .copied())
}

#[handler]
fn class_page(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    require(member.actor(), Action::ViewClass { class_id: id })?;
    // People come from the directory snapshot: only each pupil's record is read.
    let people = People::load(&app.store)?;
    let class = people.class(id).cloned().ok_or(AppError::NotFound)?;
    let members: Vec<(&User, Membership)> = people
        .class_members
        .get(&id)
        .map(|list| {
            list.iter()
                .filter_map(|(u, r)| people.user(*u).map(|u| (u, *r)))
                .collect()
        })
        .unwrap_or_default();
    let manage = may(member.actor(), Action::ManagePupil { class_id: Some(id) });
    // Pupils see their classmates' names, never their logins nor their parents: the rest
    // is not even read for them.
    let roster = may(member.actor(), Action::ViewClassRoster { class_id: id });
    let write_parents = manage && service_on(app, crate::school::Service::Messagerie)?;
    let choose_services = may(member.actor(), Action::OpenClassServices { class_id: id });
    let write_mot = may(member.actor(), Action::WriteMot { class_id: Some(id) })
        && service_on(app, crate::school::Service::Carnet)?;
    let now = std::time::Instant::now();
    let projects = if roster {
        crate::blog::consent::projects(&app.store)?
    } else {
        Vec::new()
    };
    let records = directory::pupil_records(&app.store)?;
    let memory = crate::archive::offer(&app.store, member.actor(), id)?;
    let mut pupils = Vec::new();
    for (u, role) in &members {
        if *role != Membership::Pupil {
            continue;
        }
        if !roster {
            pupils.push(RosterLine::name_only(u));
            continue;
        }
        let parents: Vec<&User> = people
            .parents_of(u.id)
            .iter()
            .filter_map(|p| people.user(*p))
            .collect();
        let record = records.get(u.id);
        let declared = record.and_then(|r| r.photo_consent_declared);
        let pictures = record
            .and_then(|r| r.picture_hash.as_ref())
            .map(|h| crate::board::picture_length(h));
        let photo = crate::blog::consent::authorised_with(&projects, &people, u.id, declared);
        pupils.push(RosterLine {
            user: u,
            parents,
            pictures,
            photo,
            declared,
            locked: manage && app.logins.locked(&u.login, Some(u.id), now),
        });
    }
    let adults: Vec<&User> = members
        .iter()
        .filter(|(_, r)| *r != Membership::Pupil)
        .map(|(u, _)| *u)
        .collect();
    let body = html! {
        (crate::ui::heading(&class.label, Some(&format!("{} — {} élève(s)", class.levels_text(), pupils.len()))))
        @if write_parents || write_mot || choose_services {
            p.actions {
                @if write_parents { a.button href=(format!("/messagerie/ecrire?a=cp{id}")) { "Écrire aux parents de la classe" } }
                @if write_mot { a.button href="/carnet/nouveau" { "Écrire un mot aux familles" } }
                @if choose_services { a.button href=(format!("/classes/{id}/services")) { "Services de la classe" } }
            }
        }
        section.panel {
            h2 { "Équipe" }
            p { @if adults.is_empty() { "Personne n'est encore rattaché à cette classe." } @else { (adults.iter().map(|u| format!("{} ({})", u.display_name(), u.role_label())).collect::<Vec<_>>().join(", ")) } }
        }
        section.panel {
            h2 { "Élèves" }
            @if pupils.is_empty() { p.empty { "Aucun élève dans cette classe." } }
            @else if !roster {
                ul { @for line in &pupils { li { (line.user.first_name) " " (line.user.shown_last_name()) } } }
            } @else {
                table.list.stack {
                    thead { tr { th scope="col" { "Élève" } th scope="col" { "Identifiant" } th scope="col" { "Responsables" } th scope="col" { "Photo" } th scope="col" { "Compte" } } }
                    tbody { @for line in &pupils { (roster_row(&member, id, line)) } }
                }
            }
            @if manage && !pupils.is_empty() {
                form.inline method="post" action=(format!("/classes/{id}/cartes")) {
                    (csrf_input(&member.visitor))
                    (kind_select())
                    button.primary type="submit" data-confirm="Imprimer les cartes donne un nouveau mot de passe à chaque élève de la classe. Continuer ?" { "Imprimer les cartes de connexion de la classe" }
                }
                p.small { "Chaque élève reçoit un nouveau mot de passe, imprimé sur sa carte. En images, l'élève se connecte sur le " a href="/tableau" { "tableau de la classe" } " (réseau de l'école seulement)." }
            }
        }
        @if let Some(panel) = memory { (panel) }
    };
    frame_page(app, &member, &class.label, "/accueil", body)
}

/// A pupil as the class page lists them (borrowed from the directory's kept view).
struct RosterLine<'a> {
    user: &'a User,
    parents: Vec<&'a User>,
    /// How many pictures the pupil's picture password has, if they have one.
    pictures: Option<usize>,
    /// Whether guesses have locked the pupil's login or pictures (shown to who may lift it).
    locked: bool,
    /// May appear in published pictures; and ONDE's « autorisation photo ».
    photo: bool,
    declared: Option<bool>,
}

impl<'a> RosterLine<'a> {
    fn name_only(user: &'a User) -> RosterLine<'a> {
        RosterLine {
            user,
            parents: Vec::new(),
            pictures: None,
            locked: false,
            photo: false,
            declared: None,
        }
    }
}

fn roster_row(member: &Member, class_id: u64, line: &RosterLine<'_>) -> Markup {
    let u = line.user;
    html! {
        tr {
            td data-label="Élève" { a href={ "/eleves/" (u.id) } { (u.shown_last_name()) " " (u.first_name) } }
            td data-label="Identifiant" { code { (u.login) } }
            td data-label="Responsables" { @for (n, p) in line.parents.iter().enumerate() { @if n > 0 { ", " } (p.first_name) " " (p.shown_last_name()) } }
            td data-label="Photo" {
                @if line.photo { "autorisée" } @else { span.badge.off { "non autorisée" } }
                @if line.declared == Some(true) { br; span.small { "déclarée dans ONDE" } }
            }
            td data-label="Compte" {
                @if u.disabled { span.badge.off { "désactivé" } }
                @else if u.password_hash.is_none() && line.pictures.is_none() { span.badge { "pas encore de carte" } }
                @else {
                    @if u.password_hash.is_some() { "mot de passe écrit" }
                    @if u.password_hash.is_some() && line.pictures.is_some() { ", " }
                    @match line.pictures {
                        Some(crate::board::LENGTH) => { (crate::board::LENGTH) " images" }
                        Some(n) => { (n) " images " span.badge { "ancienne carte, à réimprimer" } }
                        None => {}
                    }
                }
                @if line.locked {
                    " " span.badge.off { "bloqué (trop d'essais)" }
                    form.inline method="post" action=(format!("/classes/{class_id}/debloquer")) {
                        (csrf_input(&member.visitor))
                        input type="hidden" name="pupil" value=(u.id);
                        button type="submit" { "Débloquer " (u.first_name) }
                    }
                }
            }
        }
    }
}

fn kind_select() -> Markup {
    html! {
        div.field {
            label for="f-kind" { "Mot de passe" }
            select #f-kind name="kind" {
                option value="texte" { "Écrit (élèves lecteurs)" }
                option value="images" { "En images (maternelle, début de CP)" }
            }
        }
    }
}

/// Login cards on an A4 page: two columns of four (the print stylesheet sizes them).
const CARDS_PER_SHEET: usize = 8;

/// A new secret for a pupil: a written password, or 4 pictures and an avatar.
enum Secret {
    Text(String),
    /// Sequence, avatar, and the secret of the card's QR code.
    Pictures(Vec<u8>, u8, String),
}

fn card(
    app: &App,
    class_id: Option<u64>,
    class_label: &str,
    user: &User,
    secret: &Secret,
) -> Markup {
    let url = match (secret, class_id) {
        (Secret::Pictures(..), Some(c)) => {
            format!("{}/tableau/{c}/{}", app.settings.public_url(), user.id)
        }
        _ => format!("{}/connexion", app.settings.public_url()),
    };
    html! {
        article.card.login-card {
            div.qr { (PreEscaped(crate::activation::qr_svg(&url))) }
            div {
                @if let Secret::Pictures(_, avatar, _) = secret { (crate::board::avatar_img(*avatar, 48)) }
                p.name { (user.first_name) }
                p.small { (class_label) }
                p { "Identifiant : " strong.code { (user.login) } }
                @match secret {
                    Secret::Text(password) => p { "Mot de passe : " strong.code { (password) } },
                    Secret::Pictures(seq, _, _) => {
                        p { "Mes images, dans l'ordre :" }
                        p.card-pictures {
                            @for n in seq { img src=(crate::board::picture_url(*n)) alt=(crate::board::picture_name(*n)) width="48" height="48"; }
                        }
                    }
                }
            }
        }
    }
}

/// Makes a secret of the chosen kind and its hash; a picture secret's avatar is none of
/// `taken` (the classmates' avatars).
async fn new_secret(app: &App, kind: &str, taken: &mut Vec<u8>) -> AppResult<(Secret, String)> {
    if kind == "images" {
        let (seq, avatar) = crate::board::new_secret(taken);
        taken.push(avatar);
        let hash = crate::board::hash_sequence(&seq, app.settings.bcrypt_cost).await?;
        return Ok((Secret::Pictures(seq, avatar, auth::random_token()), hash));
    }
    // Short and readable for children: the school network and the login throttle
    // protect it, and the teacher can reprint at any time.
    let p = auth::password::generate_readable(6);
    let hash = auth::password::hash(p.clone(), app.settings.bcrypt_cost).await?;
    Ok((Secret::Text(p), hash))
}

/// Stores a pupil's new secret.
fn store_secret(
    tx: &mut crate::store::Tx<'_>,
    pupil_id: u64,
    secret: &Secret,
    hash: &str,
) -> Outcome<()> {
    let Some(mut u) = directory::user_in(tx, pupil_id)? else {
        return Ok(());
    };
    match secret {
        Secret::Text(_) => {
            u.password_hash = Some(hash.to_string());
            u.must_change_password = false;
            directory::save_user(tx, &u)
        }
        Secret::Pictures(_, avatar, token) => {
            let mut record =
                tx.get(&directory::PUPILS, &pupil_id)?
                    .unwrap_or(directory::PupilRecord {
                        user_id: pupil_id,
                        ine: None,
                        birth_date: String::new(),
                        sex: None,
                        level: None,
                        cycle: None,
                        onde_class_id: None,
                        photo_consent_declared: None,
                        leaving: None,
                        avatar: None,
                        picture_hash: None,
                        card_token_hash: None,
                    });
            record.avatar = Some(*avatar);
            record.picture_hash = Some(hash.to_string());
            record.card_token_hash = Some(auth::session_key(token));
            // The written password is left as it is: the picture sequence must never work
            // on the ordinary login page, which is reachable from outside the school.
            directory::save_pupil(tx, &u, &record)
        }
    }
}

/// Which login cards to print (written password or pictures).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CardsChoice {
    kind: String,
}

#[handler]
async fn login_cards(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<CardsChoice>,
) -> AppResult<Markup> {
    require(member.actor(), Action::ManagePupil { class_id: Some(id) })?;
    let class = directory::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    let kind = f.kind;
    let pupils: Vec<User> = directory::members(&app.store, id)?
        .into_iter()
        .filter(|(u, r)| *r == Membership::Pupil && !u.disabled)
        .map(|(u, _)| u)
        .collect();
    let ids: Vec<u64> = pupils.iter().map(|p| p.id).collect();
    // The pupils left out (disabled) keep their avatars: the new ones avoid them.
    let mut taken = crate::board::class_avatars(app, id, &ids)?;
    let mut issued = Vec::new();
    for p in &pupils {
        let (secret, hash) = new_secret(app, &kind, &mut taken).await?;
        issued.push((p.clone(), secret, hash));
    }
    app.store
        .commit_checked(|tx| {
            for (p, secret, hash) in &issued {
                store_secret(tx, p.id, secret, hash)?;
            }
            Ok(())
        })
        .await?;
    for (p, _, _) in &issued {
        auth::close_all_sessions(&app.store, p.id, None).await?;
    }
    crate::auth::journal::audit(
        app,
        &member,
        format!(
            "Cartes de connexion imprimées pour {} ({} élèves)",
            class.label,
            issued.len()
        ),
    )
    .await?;
    let body = html! {
        div.noprint {
            (crate::ui::heading("Cartes de connexion", Some(&class.label)))
            p { "Découpez les cartes et donnez-les aux élèves. Imprimez avec Ctrl+P." }
        }
        @let cards: Vec<Markup> = issued.iter().map(|(p, secret, _)| card(app, Some(id), &class.label, p, secret)).collect();
        (crate::ui::print::sheets(&cards, CARDS_PER_SHEET, "cards-print"))
    };
    frame_page(app, &member, "Cartes de connexion", "/accueil", body)
}

/// The pupil whose lock the teacher lifts.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LiftChoice {
    pupil: String,
}

/// Lifts the waits and the picture lock that guesses put on a pupil of the class.
#[handler]
async fn lift_lock(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<LiftChoice>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManagePupil { class_id: Some(id) })?;
    let class = directory::class(&app.store, id)?.ok_or(AppError::NotFound)?;
    let wanted = f.pupil.trim().parse::<u64>().ok();
    // Only a pupil of this class: a teacher lifts nobody else's lock.
    let pupil = directory::members(&app.store, id)?
        .into_iter()
        .find(|(u, r)| *r == Membership::Pupil && Some(u.id) == wanted)
        .map(|(u, _)| u);
    if let Some(p) = pupil {
        app.logins.lift(&p.login, Some(p.id));
        crate::auth::journal::audit(
            app,
            &member,
            format!(
                "Blocage de connexion levé pour l'élève {} ({})",
                p.login, class.label
            ),
        )
        .await?;
        let text = format!("{} peut de nouveau se connecter.", p.first_name);
        auth::push_flash(
            &app.store,
            &member.me.session_key,
            auth::Flash::success(text),
        )
        .await?;
    }
    Ok(Redirect::see_other(format!("/classes/{id}")).into_response())
}

#[handler]
fn pupil_page(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let class_id = pupil_class(app, id)?;
    require(
        member.actor(),
        Action::ViewPupil {
            pupil_id: id,
            class_id,
        },
    )?;
    let people = People::load(&app.store)?;
    let user = people
        .user(id)
        .filter(|u| u.profile == crate::policy::Profile::Eleve)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let record = directory::pupil(&app.store, id)?;
    let class = class_id.and_then(|c| people.class(c).cloned());
    let staff_view = member.actor().director
        || member
            .actor()
            .class_ids
            .iter()
            .any(|c| Some(*c) == class_id);
    let parents: Vec<User> = people
        .parents_of(id)
        .iter()
        .filter_map(|p| people.user(*p).cloned())
        .collect();
    let manage = may(member.actor(), Action::ManagePupil { class_id });
    let carnet = service_on(app, crate::school::Service::Carnet)?
        && may(
            member.actor(),
            Action::ViewCarnet {
                pupil_id: id,
                class_id,
            },
        );
    let body = html! {
        (crate::ui::heading(&user.display_name(), class.as_ref().map(|c| c.label.as_str())))
        @if carnet { p { a.button href=(format!("/carnet/eleve/{id}")) { "Carnet de liaison" } } }
        section.panel {
            dl.summary {
                dt { "Identifiant" } dd { code { (user.login) } }
                @if let Some(r) = &record {
                    dt { "Date de naissance" } dd { (r.birth_date.split('-').rev().collect::<Vec<_>>().join("/")) }
                    @if let Some(l) = r.level { dt { "Niveau" } dd { (l.code()) " — " (l.label()) } }
                    @if staff_view {
                        dt { "Autorisation photo (déclarée à l'inscription)" }
                        dd { (match r.photo_consent_declared { Some(true) => "oui", Some(false) => "non", None => "non renseignée" }) }
                    }
                    @if let Some(l) = &r.leaving { dt { "Départ" } dd { "depuis le " (crate::ui::dates::long_date(l.since)) ", compte supprimé le " (crate::ui::dates::long_date(l.delete_after)) } }
                }
            }
        }
        @if staff_view || !parents.is_empty() {
            section.panel {
                h2 { "Responsables légaux" }
                @if parents.is_empty() { p.empty { "Aucun responsable rattaché." } } @else {
                    ul {
                        @for p in &parents {
                            li {
                                (p.display_name())
                                @if staff_view {
                                    @if let Some(e) = &p.email { " — " (e) }
                                    @if let Some(t) = &p.phone { " — " (t) }
                                    @if p.password_hash.is_none() { " " span.badge { "compte à activer" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if manage {
            section.panel {
                h2 { "Mot de passe" }
                form.inline method="post" action=(format!("/eleves/{id}/mot-de-passe")) {
                    (csrf_input(&member.visitor))
                    (kind_select())
                    button type="submit" { "Donner un nouveau mot de passe et imprimer sa carte" }
                }
            }
        }
    };
    frame_page(app, &member, &user.display_name(), "/accueil", body)
}

/// The kind of password a pupil gets anew.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PupilReset {
    kind: String,
}

#[handler]
async fn reset_pupil(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<PupilReset>,
) -> AppResult<Markup> {
    let class_id = pupil_class(app, id)?;
    require(member.actor(), Action::ManagePupil { class_id })?;
    let user = directory::user(&app.store, id)?
        .filter(|u| u.profile == crate::policy::Profile::Eleve)
        .ok_or(AppError::NotFound)?;
    let mut taken = match class_id {
        Some(c) => crate::board::class_avatars(app, c, &[id])?,
        None => Vec::new(),
    };
    let (secret, hash) = new_secret(app, &f.kind, &mut taken).await?;
    app.store
        .commit_checked(|tx| store_secret(tx, id, &secret, &hash))
        .await?;
    auth::close_all_sessions(&app.store, id, None).await?;
    crate::auth::journal::audit(
        app,
        &member,
        format!("Nouveau mot de passe pour l'élève {}", user.login),
    )
    .await?;
    let label = match class_id {
        Some(c) => directory::class(&app.store, c)?
            .map(|c| c.label)
            .unwrap_or_default(),
        None => String::new(),
    };
    let body = html! {
        div.noprint { (crate::ui::heading("Nouvelle carte de connexion", Some(&user.display_name()))) }
        section.sheet.cards-print { (card(app, class_id, &label, &user, &secret)) }
    };
    frame_page(app, &member, "Carte de connexion", "/accueil", body)
}
