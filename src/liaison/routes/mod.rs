//! Handlers of /carnet: extract, ask `access`, call the module, render a view.

use maud::{html, Markup};
use poem::handler;
use poem::web::{Data, Path, Query};

use super::views;
use super::Mot;
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::ids::{MotId, UserId};
use crate::policy::{require, Action};
use crate::routing::{Access, Object, Routes};
use crate::ui::pager::{self, Links, PageQuery, Pager};

mod mot;
mod signatures;
mod volunteers;
mod write;

use mot::{attachment, read_by_staff, reply, show, sign};
use signatures::{export, follow_up, proof, remind, slips};
use write::{family_form, family_submit, new_form, new_submit};

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
        .post(
            "/:id/accompagner",
            volunteers::offer,
            Object(self::Object::MotVolunteer),
        )
        .post("/:id/accompagnateurs", volunteers::choose, author)
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

/// The mot behind the path, or 404.
fn stored(app: &App, id: u64) -> AppResult<Mot> {
    super::mot(&app.store, id)?.ok_or(AppError::NotFound)
}

#[handler]
fn home(Data(app): Data<&App>, member: Member, Query(q): Query<PageQuery>) -> AppResult<Markup> {
    let me = member.user().id;
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let actor = member.actor();
    let writes = super::access::writes_mots(actor);
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
        body = html! { (body) (views::home_children(&people, &sections)) };
    }
    if writes || actor.profile.is_staff() {
        let mine = super::of_staff(&app.store, me)?;
        let mut rows = Vec::new();
        for m in &mine {
            let badge = if m.is_school() {
                // The count kept with the signatures, not every family's record.
                let signed = super::signed_count(&app.store, m.id)?;
                let total = m.signers.len();
                Some(html! { span.badge { (signed) " / " (total) " signature(s)" } })
            } else if m.read_by_staff.is_none() {
                Some(html! { span.badge.off { "mot d'une famille, non lu" } })
            } else {
                None
            };
            rows.push(views::item(&people, m, badge));
        }
        // The director sees the school's other mots, newest first, a page at a time.
        let (others, others_nav) = if actor.director {
            let mine_ids: std::collections::HashSet<u64> = mine.iter().map(|m| m.id).collect();
            let pager = Pager::open(pager::asked(q.page.as_deref()), pager::PER_PAGE, 100);
            let read = super::newest(&app.store, pager.read_limit(), |m| {
                m.is_school() && !mine_ids.contains(&m.id)
            })?;
            let pager = pager.read(read.len());
            let shown: Vec<Mot> = pager.slice(&read).to_vec();
            let links = Links {
                path: "/carnet",
                keep: &[],
                param: "page",
                label: "Pages des mots des enseignants",
            };
            let nav = html! { (pager::past_end_notice(&pager)) (pager::nav(&pager, &links)) };
            (shown, nav)
        } else {
            (Vec::new(), html! {})
        };
        body = html! { (body) (views::home_staff(&people, writes, &rows, &others)) (others_nav) };
    }
    frame(app, &member, "Carnet de liaison", body)
}

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
                events.push((r.at, views::carnet_reply(&people, &m, &r)));
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
