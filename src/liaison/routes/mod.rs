//! Handlers of /carnet.

use crate::routing::{Access, Object, Routes};
use maud::{html, Markup};
use poem::web::{Data, Form, Multipart, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::views::{self, MotForm};
use super::{Audience, Mot, NewMot};
use crate::app::App;
use crate::attachments::{self, range, Attachment};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::ids::{MotId, UserId};
use crate::policy::{may, require, Action, Profile};
use crate::refusal::Failure;
use crate::ui::dates;
use crate::ui::form::{all_values, first_value, FormState};

type Pairs = Vec<(String, String)>;

mod signatures;

use signatures::{export, follow_up, proof, remind, slips};

pub fn routes() -> Routes {
    use Access::*;
    let reader = Object(self::Object::MotReader);
    let author = Object(self::Object::MotAuthor);
    Routes::new()
        .get("/", home, Member)
        .get("/nouveau", new_form, Teacher)
        .post("/nouveau", new_submit, Teacher)
        .get("/ecrire", family_form, Guardian)
        .post("/ecrire", family_submit, Guardian)
        .get(
            "/eleve/:id",
            pupil_carnet,
            Object(self::Object::PupilCarnet),
        )
        .get("/:id", show, reader)
        .post("/:id/signer", sign, reader)
        .post("/:id/repondre", reply, reader)
        .post("/:id/lu", read_by_staff, reader)
        .get("/:id/suivi", follow_up, author)
        .post("/:id/relancer", remind, author)
        .get("/:id/coupons", slips, author)
        .get("/:id/preuve", proof, author)
        .get("/:id/export.csv", export, author)
        .get("/:id/pieces/:n", attachment, reader)
}

fn frame(app: &App, member: &Member, title: &str, body: Markup) -> AppResult<Markup> {
    app.page(&member.visitor, title, "/carnet", body)
}

async fn flash(app: &App, member: &Member, f: Flash) -> AppResult<()> {
    auth::push_flash(&app.store, &member.me.session_key, f).await?;
    Ok(())
}

/// May this person write mots to families at all (a teacher of a class, the director)?
fn writes_mots(member: &Member) -> bool {
    member.actor().director
        || member
            .actor()
            .class_ids
            .iter()
            .any(|c| may(member.actor(), Action::WriteMot { class_id: Some(*c) }))
}

#[handler]
fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let me = member.user().id;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let actor = member.actor();
    let mut body = html! { (crate::ui::heading("Carnet de liaison", Some("Les mots entre l'école et les familles, signés en ligne."))) };
    if !actor.children.is_empty() {
        let mut sections = Vec::new();
        for child in &actor.children {
            let mut rows = Vec::new();
            for m in super::of_pupil(&app.store, *child)? {
                let badge = if m.is_school() && m.signers.contains(&(*child, me)) {
                    let a = super::ack(&app.store, MotId(m.id), UserId(*child), UserId(me))?;
                    Some(if a.signed_at.is_some() {
                        html! { span.badge { "signé" } }
                    } else if m.answers_closed(now) && m.question.is_some() {
                        html! { span.badge.off { "réponses closes" } }
                    } else {
                        html! { span.badge.off { "à signer" } }
                    })
                } else {
                    None
                };
                rows.push(views::item(&people, &m, badge));
            }
            sections.push((*child, rows));
        }
        body = html! {
            (body)
            p { a.button.primary href="/carnet/ecrire" { "Écrire un mot à l'enseignant" } }
            @for (child, rows) in &sections {
                section.panel {
                    h2 { "Carnet de " (people.user(*child).map(|u| u.first_name.clone()).unwrap_or_default()) }
                    @if rows.is_empty() { p.empty { "Aucun mot pour le moment." } } @else { ul.cards { @for r in rows { (r) } } }
                }
            }
        };
    }
    if writes_mots(&member) || actor.profile.is_staff() {
        let mine = super::of_staff(&app.store, me)?;
        let mut rows = Vec::new();
        for m in &mine {
            let badge = if m.is_school() {
                let status = super::status(&app.store, m)?;
                let (signed, total, _, _) = super::summary(&status);
                Some(html! { span.badge { (signed) " / " (total) " signature(s)" } })
            } else if m.read_by_staff.is_none() {
                Some(html! { span.badge.off { "mot d'une famille, non lu" } })
            } else {
                None
            };
            rows.push(views::item(&people, m, badge));
        }
        body = html! {
            (body)
            @if writes_mots(&member) { p { a.button.primary href="/carnet/nouveau" { "Écrire un mot aux familles" } } }
            section.panel {
                h2 { "Mes mots et ceux des familles" }
                @if rows.is_empty() { p.empty { "Aucun mot pour le moment." } } @else { ul.cards { @for r in &rows { (r) } } }
            }
        };
        if actor.director {
            let others: Vec<Mot> = super::all(&app.store)?
                .into_iter()
                .filter(|m| m.is_school() && !mine.iter().any(|x| x.id == m.id))
                .collect();
            if !others.is_empty() {
                body = html! {
                    (body)
                    section.panel {
                        h2 { "Mots des enseignants" }
                        ul.cards { @for m in &others { (views::item(&people, m, None)) } }
                    }
                };
            }
        }
    }
    frame(app, &member, "Carnet de liaison", body)
}

// ---- writing a mot to families ----

fn parse_audience(text: &str) -> Option<Audience> {
    if text == "ecole" {
        return Some(Audience::School);
    }
    let (kind, id) = text.split_at(1);
    let id: u64 = id.parse().ok()?;
    match kind {
        "c" => Some(Audience::Class(id)),
        "g" => Some(Audience::Group(id)),
        "e" => Some(Audience::Pupil(id)),
        _ => None,
    }
}

/// May this person address that audience? Asked of the policy, target by target.
fn may_address(member: &Member, people: &People, a: Audience) -> bool {
    let actor = member.actor();
    match a {
        Audience::School => may(actor, Action::WriteMot { class_id: None }),
        Audience::Class(c) => {
            people.class(c).is_some() && may(actor, Action::WriteMot { class_id: Some(c) })
        }
        Audience::Group(g) => {
            people.group(g).is_some() && may(actor, Action::WriteMotToGroup { group_id: g })
        }
        Audience::Pupil(p) => {
            people.user(p).is_some_and(|u| u.profile == Profile::Eleve)
                && (actor.director
                    || people
                        .classes_of(p)
                        .iter()
                        .any(|c| may(actor, Action::WriteMot { class_id: Some(*c) })))
        }
    }
}

fn mot_page(
    app: &App,
    member: &Member,
    people: &People,
    chosen: &[Audience],
    form: &FormState,
) -> AppResult<Markup> {
    let actor = member.actor();
    let classes: Vec<(u64, String)> = people
        .classes
        .iter()
        .filter(|c| may_address(member, people, Audience::Class(c.id)))
        .map(|c| (c.id, c.label.clone()))
        .collect();
    let groups: Vec<(u64, String)> = people
        .groups
        .iter()
        .filter(|g| may_address(member, people, Audience::Group(g.id)))
        .map(|g| (g.id, g.label.clone()))
        .collect();
    let mut pupils: Vec<(u64, String)> = Vec::new();
    for (id, label) in &classes {
        for p in people.pupils_of_class(*id) {
            if let Some(u) = people.user(p) {
                pupils.push((
                    p,
                    format!("{} {} ({label})", u.shown_last_name(), u.first_name),
                ));
            }
        }
    }
    pupils.sort_by(|a, b| a.1.cmp(&b.1));
    let picker = crate::media::picker::offer(app, member.actor())?;
    let body = html! {
        (crate::ui::heading("Nouveau mot aux familles", Some("Chaque responsable le signe séparément ; vous voyez qui a lu, signé et répondu.")))
        section.panel {
            (views::mot_form(&member.visitor, &MotForm {
                action: format!("/carnet/nouveau?{}={}", crate::auth::csrf::FIELD, member.visitor.csrf),
                classes: &classes,
                groups: &groups,
                pupils: &pupils,
                school: may(actor, Action::WriteMot { class_id: None }),
                chosen,
            }, form, picker))
        }
    };
    frame(app, member, "Nouveau mot", body)
}

#[handler]
fn new_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    if !writes_mots(&member) {
        return Err(AppError::Forbidden);
    }
    let people = People::load(&app.store)?;
    mot_page(app, &member, &people, &[], &FormState::new())
}

/// Title, body, question and deadline as typed; errors beside their fields.
fn read_mot(
    texts: &Pairs,
    errors: &[String],
    files: Vec<Attachment>,
    form: &mut FormState,
    now: i64,
) -> NewMot {
    let title = form.required("title", "le titre");
    let body = first_value(texts, "body");
    if body.trim().is_empty() {
        form.error("body", "Le texte du mot est vide.");
    }
    let question = first_value(texts, "question").trim().to_string();
    let deadline_text = first_value(texts, "deadline");
    let deadline = if deadline_text.trim().is_empty() {
        None
    } else {
        match dates::parse_date(&deadline_text) {
            Some(d) if d < dates::local_day_and_hour(now).0 => {
                form.error(
                    "deadline",
                    "Cette date est déjà passée : choisissez aujourd'hui ou un jour à venir.",
                );
                None
            }
            Some(d) => Some(dates::end_of_day(d)),
            None => {
                form.error("deadline", "Cette date n'est pas valide.");
                None
            }
        }
    };
    if deadline.is_some() && question.is_empty() {
        form.error(
            "question",
            "Une date limite n'a de sens qu'avec une question : ajoutez-la ou retirez la date.",
        );
    }
    if !errors.is_empty() {
        form.error("files", errors.join(" "));
    }
    NewMot {
        title: title.chars().take(200).collect(),
        body,
        question: (!question.is_empty()).then_some(question),
        deadline,
        attachments: files,
    }
}

#[handler]
async fn new_submit(
    Data(app): Data<&App>,
    member: Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    if !writes_mots(&member) {
        return Err(AppError::Forbidden);
    }
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let up = attachments::read_form(
        &app.store,
        member.actor(),
        &mut multipart,
        attachments::Limits::ATTACHMENTS,
    )
    .await;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let mut form = FormState::with_values(
        ["title", "body", "question", "deadline"].map(|k| (k, first_value(&up.texts, k))),
    );
    let mut chosen = Vec::new();
    for v in all_values(&up.texts, "audience") {
        match parse_audience(&v) {
            Some(a) if may_address(&member, &people, a) => {
                if !chosen.contains(&a) {
                    chosen.push(a)
                }
            }
            // A crafted or stale target: refused, never widened.
            _ => form.error(
                "audience",
                "Vous ne pouvez pas écrire à l'un des destinataires choisis.",
            ),
        }
    }
    if chosen.is_empty() && !form.errors.contains_key("audience") {
        form.error("audience", "Choisissez à qui s'adresse le mot.");
    }
    let new = read_mot(&up.texts, &up.errors, up.files.clone(), &mut form, now);
    if form.is_ok() {
        match super::publish(&app.store, &people, member.user().id, &chosen, &new, now).await {
            Ok(id) => {
                flash(
                    app,
                    &member,
                    Flash::success("Le mot est publié : chaque responsable est prévenu."),
                )
                .await?;
                return Ok(Redirect::see_other(format!("/carnet/{id}/suivi")).into_response());
            }
            Err(Failure::Refused(why)) => form.error("audience", why),
            Err(e) => return Err(e.into()),
        }
    }
    // Attachments already sent are kept only as files: say so rather than lose them silently.
    if !new.attachments.is_empty() {
        form.error("files", "Joignez à nouveau vos fichiers (ils n'ont pas été gardés avec ce formulaire incomplet).");
    }
    Ok((
        poem::http::StatusCode::BAD_REQUEST,
        mot_page(app, &member, &people, &chosen, &form)?,
    )
        .into_response())
}

// ---- a family's mot to the teachers ----

fn children(member: &Member, people: &People) -> Vec<(u64, String)> {
    member
        .actor()
        .children
        .iter()
        .filter(|c| may(member.actor(), Action::WriteFamilyMot { pupil_id: **c }))
        .filter_map(|c| people.user(*c).map(|u| (*c, u.first_name.clone())))
        .collect()
}

fn family_page(app: &App, member: &Member, people: &People, form: &FormState) -> AppResult<Markup> {
    let kids = children(member, people);
    let body = html! {
        (crate::ui::heading("Écrire un mot à l'enseignant", Some("Une absence, un rendez-vous, une information : le mot va aux enseignants de la classe de votre enfant.")))
        section.panel { (views::family_form(&member.visitor, &format!("/carnet/ecrire?{}={}", crate::auth::csrf::FIELD, member.visitor.csrf), &kids, form, crate::media::picker::offer(app, member.actor())?)) }
    };
    frame(app, member, "Écrire un mot", body)
}

#[derive(Deserialize)]
struct ForPupil {
    eleve: Option<u64>,
}

#[handler]
fn family_form(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ForPupil>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    if children(&member, &people).is_empty() {
        return Err(AppError::Forbidden);
    }
    let mut form = FormState::new();
    if let Some(e) = q.eleve {
        form.set("eleve", e.to_string());
    }
    family_page(app, &member, &people, &form)
}

#[handler]
async fn family_submit(
    Data(app): Data<&App>,
    member: Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    if children(&member, &people).is_empty() {
        return Err(AppError::Forbidden);
    }
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let up = attachments::read_form(
        &app.store,
        member.actor(),
        &mut multipart,
        attachments::Limits::ATTACHMENTS,
    )
    .await;
    let now = auth::now_micros();
    let mut form =
        FormState::with_values(["eleve", "title", "body"].map(|k| (k, first_value(&up.texts, k))));
    let pupil = form.value("eleve").parse::<u64>().ok();
    let pupil = match pupil {
        Some(p) => {
            require(member.actor(), Action::WriteFamilyMot { pupil_id: p })?;
            p
        }
        None => {
            form.error("eleve", "Choisissez l'enfant concerné.");
            0
        }
    };
    let new = read_mot(&up.texts, &up.errors, up.files.clone(), &mut form, now);
    if form.is_ok() {
        match super::write_from_family(&app.store, &people, member.user().id, pupil, &new, now)
            .await
        {
            Ok(id) => {
                flash(
                    app,
                    &member,
                    Flash::success("Votre mot est envoyé aux enseignants."),
                )
                .await?;
                return Ok(Redirect::see_other(format!("/carnet/{id}")).into_response());
            }
            Err(Failure::Refused(why)) => form.error("eleve", why),
            Err(e) => return Err(e.into()),
        }
    }
    if !new.attachments.is_empty() {
        form.error(
            "files",
            "Joignez à nouveau votre fichier (il n'a pas été gardé avec ce formulaire incomplet).",
        );
    }
    Ok((
        poem::http::StatusCode::BAD_REQUEST,
        family_page(app, &member, &people, &form)?,
    )
        .into_response())
}

// ---- reading, signing, replying ----

/// Who this person is for a mot.
enum Role {
    /// The author of a school mot, a recipient of a family's, or the director.
    Staff,
    /// A guardian expected to sign, or the author of a family's mot.
    Family,
}

fn role(member: &Member, m: &Mot) -> Option<Role> {
    let me = member.user().id;
    if m.staff_side(me) || (member.actor().director && m.is_school()) {
        Some(Role::Staff)
    } else if m.is_signer(me) || (!m.is_school() && m.author == me) {
        Some(Role::Family)
    } else if member.actor().director {
        Some(Role::Staff)
    } else {
        None
    }
}

fn load(app: &App, member: &Member, id: u64) -> AppResult<(Mot, Role)> {
    let m = super::mot(&app.store, id)?.ok_or(AppError::NotFound)?;
    let r = role(member, &m).ok_or(AppError::Forbidden)?;
    Ok((m, r))
}

#[handler]
async fn show(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let (m, role) = load(app, &member, id)?;
    let me = member.user().id;
    let now = auth::now_micros();
    let people = People::load(&app.store)?;
    if m.is_signer(me) {
        super::mark_read(&app.store, &m, me, now).await?;
    }
    crate::notify::seen(&app.store, me, &format!("/carnet/{id}")).await?;
    let all_replies = super::replies(&app.store, id)?;
    let head = html! {
        (crate::ui::heading(&m.title, Some(&format!("{} — {}", people.user(m.author).map(|u| u.display_name()).unwrap_or_default(), dates::long_datetime(m.at)))))
        section.panel.mot.family[!m.is_school()] {
            p.small { (views::audience_text(&people, &m)) }
            (views::body(&m))
            @if let Some(q) = &m.question { p { strong { "Question : " } (q) } }
            @if let Some(d) = m.deadline { p { "Réponse attendue au plus tard le " strong { (dates::long_date(d)) } "." } }
        }
    };
    let body = match role {
        Role::Family => {
            let mine: Vec<(u64, super::Ack)> = m
                .signers
                .iter()
                .filter(|(_, g)| *g == me)
                .map(|(p, _)| {
                    (
                        *p,
                        super::ack(&app.store, MotId(id), UserId(*p), UserId(me))
                            .unwrap_or_default(),
                    )
                })
                .collect();
            let my_replies: Vec<super::Reply> = all_replies
                .into_iter()
                .filter(|r| r.guardian == me)
                .collect();
            html! {
                (head)
                (views::guardian_blocks(&member.visitor, &people, &m, &mine, now))
                section.panel {
                    h2 { "Échange avec " @if m.is_school() { (people.user(m.author).map(|u| u.display_name()).unwrap_or_default()) } @else { "l'enseignant" } }
                    (views::replies(&people, &my_replies))
                    (views::reply_form(&member.visitor, &m, None, if m.is_school() { "Répondre en privé à l'auteur du mot" } else { "Ajouter un message" }))
                }
            }
        }
        Role::Staff => {
            let mut families: Vec<u64> = all_replies.iter().map(|r| r.guardian).collect();
            families.sort_unstable();
            families.dedup();
            if !m.is_school() && !families.contains(&m.author) {
                families.push(m.author);
            }
            html! {
                (head)
                @if m.is_school() {
                    p.no-print {
                        a.button.primary href=(format!("/carnet/{id}/suivi")) { "Suivi des signatures" }
                    }
                } @else if m.read_by_staff.is_none() {
                    form method="post" action=(format!("/carnet/{id}/lu")) {
                        (crate::ui::csrf_input(&member.visitor))
                        button type="submit" { "Marquer comme lu" }
                    }
                } @else if let Some((by, at)) = m.read_by_staff {
                    p.small { "Lu par " (people.user(by).map(|u| u.display_name()).unwrap_or_default()) " le " (dates::long_datetime(at)) "." }
                }
                @for g in &families {
                    section.panel {
                        h2 { "Échange avec " (people.user(*g).map(|u| u.display_name()).unwrap_or_default()) }
                        (views::replies(&people, &all_replies.iter().filter(|r| r.guardian == *g).cloned().collect::<Vec<_>>()))
                        @if m.staff_side(me) { (views::reply_form(&member.visitor, &m, Some(*g), "Répondre")) }
                    }
                }
            }
        }
    };
    frame(app, &member, &m.title, body)
}

#[handler]
async fn sign(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let (m, _) = load(app, &member, id)?;
    let me = member.user().id;
    let pupil: u64 = first_value(&f, "eleve")
        .parse()
        .map_err(|_| AppError::BadRequest("Enfant non précisé.".into()))?;
    if !m.signers.contains(&(pupil, me)) {
        return Err(AppError::Forbidden);
    }
    let answer = match first_value(&f, "reponse").as_str() {
        "oui" => Some(true),
        "non" => Some(false),
        _ => None,
    };
    match super::sign(
        &app.store,
        MotId(id),
        UserId(pupil),
        UserId(me),
        answer,
        auth::now_micros(),
    )
    .await
    {
        Ok(()) => {
            flash(
                app,
                &member,
                Flash::success("Merci, votre signature est enregistrée."),
            )
            .await?
        }
        Err(Failure::Refused(why)) => flash(app, &member, Flash::error(why)).await?,
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::see_other(format!("/carnet/{id}")))
}

#[handler]
async fn reply(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let (m, role) = load(app, &member, id)?;
    let me = member.user().id;
    let text: String = first_value(&f, "texte").trim().chars().take(5000).collect();
    if text.is_empty() {
        flash(app, &member, Flash::error("Votre réponse est vide.")).await?;
        return Ok(Redirect::see_other(format!("/carnet/{id}")));
    }
    let (guardian, notify_to): (u64, Vec<u64>) = match role {
        Role::Family => {
            let to = match &m.direction {
                super::Direction::School { .. } => vec![m.author],
                super::Direction::Family { to } => to.clone(),
            };
            (me, to)
        }
        Role::Staff => {
            if !m.staff_side(me) {
                return Err(AppError::Forbidden);
            }
            let g: u64 = first_value(&f, "famille")
                .parse()
                .map_err(|_| AppError::BadRequest("Famille non précisée.".into()))?;
            // Only a family that is part of this mot.
            if !(m.is_signer(g) || (!m.is_school() && m.author == g)) {
                return Err(AppError::Forbidden);
            }
            (g, vec![g])
        }
    };
    let name = member.user().display_name();
    super::reply(
        &app.store,
        &m,
        (me, &name),
        guardian,
        &text,
        &notify_to,
        auth::now_micros(),
    )
    .await?;
    flash(app, &member, Flash::success("Réponse envoyée.")).await?;
    Ok(Redirect::see_other(format!("/carnet/{id}")))
}

#[handler]
async fn read_by_staff(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let (m, _) = load(app, &member, id)?;
    if m.is_school() || !m.staff_side(member.user().id) {
        return Err(AppError::Forbidden);
    }
    super::mark_read_by_staff(&app.store, id, member.user().id, auth::now_micros()).await?;
    Ok(Redirect::see_other(format!("/carnet/{id}")))
}

#[handler]
async fn attachment(
    req: &poem::Request,
    Data(app): Data<&App>,
    member: Member,
    Path((id, n)): Path<(u64, usize)>,
) -> AppResult<Response> {
    let (m, _) = load(app, &member, id)?;
    let a = m.attachments.get(n).ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, a, range(req)).await)
}

// ---- the carnet of one pupil ----

#[handler]
fn pupil_carnet(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let class_id = people.classes_of(id).first().copied();
    require(
        member.actor(),
        Action::ViewCarnet {
            pupil_id: id,
            class_id,
        },
    )?;
    let pupil = people.user(id).ok_or(AppError::NotFound)?;
    let me = member.user().id;
    // The whole exchange in date order: mots and the replies one may see.
    let mut events: Vec<(i64, Markup)> = Vec::new();
    for m in super::of_pupil(&app.store, id)? {
        events.push((m.at, views::item(&people, &m, None)));
        let staff = m.staff_side(me) || member.actor().director;
        for r in super::replies(&app.store, m.id)? {
            if staff || r.guardian == me {
                events.push((r.at, html! {
                    li.card { p.small { "Réponse au mot « " a href=(format!("/carnet/{}", m.id)) { (m.title) } " »" } p { strong { (people.user(r.author).map(|u| u.display_name()).unwrap_or_default()) } " — " (dates::long_datetime(r.at)) } p { (r.text) } }
                }));
            }
        }
    }
    events.sort_by_key(|(at, _)| *at);
    let body = html! {
        (crate::ui::heading(&format!("Carnet de liaison de {}", pupil.display_name()), None))
        @if member.actor().children.contains(&id) { p { a.button.primary href=(format!("/carnet/ecrire?eleve={id}")) { "Écrire un mot à l'enseignant" } } }
        @if events.is_empty() { p.empty { "Aucun mot pour le moment." } } @else { ul.cards.timeline { @for (_, e) in &events { (e) } } }
    };
    frame(app, &member, "Carnet de liaison", body)
}
