//! Writing: the compose page (new, draft, reply, reply to all, forward, to someone) and
//! its submission (save the draft, or check and send).

use maud::Markup;
use poem::web::{Data, Multipart, Query, Redirect};
use poem::{handler, IntoResponse, Response};

use super::{flash, frame};
use crate::app::App;
use crate::attachments::{self, Attachment, Limits};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::messaging::forms::{check_message, ComposeForm, ComposeQuery, SendChecks};
use crate::messaging::targets::{choices, Target};
use crate::messaging::views;
use crate::messaging::{self as messaging, sending, Draft, Message, Sent, State};
use crate::policy::communication::sending_suspended;
use crate::refusal::Failure;
use crate::ui::form::FormState;

/// A message this person holds (any folder), for replying or forwarding.
fn held(app: &App, member: &Member, id: u64) -> AppResult<Message> {
    crate::messaging::access::held_entry(&app.store, member.actor(), id)?;
    let m = messaging::message(&app.store, id)?.ok_or(AppError::NotFound)?;
    if m.state != State::Sent {
        return Err(AppError::NotFound);
    }
    Ok(m)
}

fn quoted(people: &People, m: &Message) -> String {
    let author = people
        .user(m.author)
        .map(|u| u.display_name())
        .unwrap_or_default();
    let quote: String = m.body.lines().map(|l| format!("> {l}\n")).collect();
    format!(
        "\n\nLe {}, {author} a écrit :\n\n{quote}",
        crate::ui::dates::long_datetime(m.date())
    )
}

fn prefixed(prefix: &str, subject: &str) -> String {
    if subject.to_lowercase().starts_with(&prefix.to_lowercase()) {
        subject.to_string()
    } else {
        format!("{prefix}{subject}")
    }
}

fn compose_action(member: &Member) -> String {
    format!(
        "/messagerie/ecrire?{}={}",
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    )
}

fn compose_view(
    app: &App,
    member: &Member,
    people: &People,
    draft: &Draft,
    draft_id: Option<u64>,
    form: &FormState,
) -> AppResult<Markup> {
    let me = member.user().id;
    let rules = messaging::rules(&app.store)?;
    let options = choices(people, &rules, me);
    let suspended = sending_suspended(&rules, &people.party(me));
    let held = sending::needs_approval(&app.store, people, me)?;
    let main = views::compose(
        &member.visitor,
        &views::Compose {
            action: compose_action(member),
            draft_id,
            in_reply_to: draft.in_reply_to,
            to: &draft.to,
            cc: &draft.cc,
            bcc: &draft.bcc,
            carried: &draft.attachments,
            choices: &options,
            suspended,
            held,
            picker: crate::media::picker::offer(app, member.actor())?,
        },
        form,
    );
    frame(app, member, "Écrire un message", None, "", main)
}

/// The author's own draft `id`, to go on writing it.
fn own_draft(app: &App, me: u64, id: u64) -> AppResult<Draft> {
    let m = messaging::message(&app.store, id)?.ok_or(AppError::NotFound)?;
    if m.author != me || m.state != State::Draft {
        return Err(AppError::NotFound);
    }
    Ok(Draft {
        to: m.to,
        cc: m.cc,
        bcc: m.bcc,
        subject: m.subject,
        body: m.body,
        attachments: m.attachments,
        in_reply_to: m.in_reply_to,
    })
}

/// A reply to the author of `m` (and to everyone it went to, for `all`).
fn reply(people: &People, me: u64, m: &Message, all: bool) -> Draft {
    let mut to = vec![Target::User(m.author)];
    if all {
        for t in m.to.iter().chain(&m.cc) {
            if !to.contains(t) && *t != Target::User(me) {
                to.push(*t);
            }
        }
    }
    to.retain(|t| *t != Target::User(me) || m.author == me);
    Draft {
        to,
        subject: prefixed("Re : ", &m.subject),
        body: quoted(people, m),
        in_reply_to: Some(m.id),
        ..Draft::default()
    }
}

#[handler]
pub(super) fn compose_page(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ComposeQuery>,
) -> AppResult<Markup> {
    let me = member.user().id;
    let people = People::load(&app.store)?;
    let mut draft = Draft::default();
    let mut draft_id = None;
    if let Some(id) = q.brouillon {
        draft = own_draft(app, me, id)?;
        draft_id = Some(id);
    } else if let Some(id) = q.repondre.or(q.repondre_a_tous) {
        let m = held(app, &member, id)?;
        draft = reply(&people, me, &m, q.repondre_a_tous.is_some());
    } else if let Some(id) = q.transferer {
        let m = held(app, &member, id)?;
        draft.subject = prefixed("Tr : ", &m.subject);
        draft.body = quoted(&people, &m);
        draft.attachments = m.attachments.clone();
    } else if let Some(code) = q.a.as_deref().and_then(Target::parse) {
        draft.to = vec![code];
    }
    let mut form = FormState::new();
    form.set("subject", draft.subject.clone());
    form.set("body", draft.body.clone());
    compose_view(app, &member, &people, &draft, draft_id, &form)
}

/// The attachments kept from what the draft carried (its own files, or a forwarded
/// message's): a forwarded message's files may be kept only by someone who holds it.
fn kept_attachments(app: &App, me: u64, form: &ComposeForm) -> AppResult<Vec<Attachment>> {
    let keep = &form.garder;
    let mut carried: Vec<Attachment> = Vec::new();
    if let Some(id) = form.draft_id() {
        if let Some(m) = messaging::message(&app.store, id)? {
            if m.author == me && m.state == State::Draft {
                carried.extend(m.attachments);
            }
        }
    }
    let mut kept: Vec<Attachment> = carried
        .into_iter()
        .filter(|a| keep.contains(&a.blob))
        .collect();
    if kept.len() < keep.len() {
        for (m, _) in messaging::mailbox(&app.store, me)? {
            for a in m.attachments {
                if keep.contains(&a.blob) && !kept.iter().any(|k| k.blob == a.blob) {
                    kept.push(a);
                }
            }
        }
    }
    Ok(kept)
}

#[handler]
pub(super) async fn compose_submit(
    Data(app): Data<&App>,
    member: Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let me = member.user().id;
    let now = auth::now_micros();
    let upload = attachments::read_form(
        &app.store,
        member.actor(),
        &mut multipart,
        Limits::ATTACHMENTS,
    )
    .await?;
    let form = ComposeForm::from_texts(&upload.texts);
    let kept = kept_attachments(app, me, &form)?;
    let kept_total: u64 = kept.iter().map(|a| a.size).sum();
    let chosen = form.chosen();
    let mut attachments_all = kept;
    for a in &upload.files {
        if !attachments_all.iter().any(|x| x.blob == a.blob) {
            attachments_all.push(a.clone());
        }
    }
    let draft = Draft {
        to: chosen.to,
        cc: chosen.cc,
        bcc: chosen.bcc,
        subject: form.subject(),
        body: form.body.clone(),
        attachments: attachments_all,
        in_reply_to: form.in_reply_to().filter(|id| {
            messaging::entry(&app.store, me, *id)
                .ok()
                .flatten()
                .is_some()
        }),
    };
    if form.saves_draft() {
        return save_only(app, &member, &form, &draft, &upload.errors, now).await;
    }
    let people = People::load(&app.store)?;
    let rules = messaging::rules(&app.store)?;
    let options = choices(&people, &rules, me);
    let uploaded_total: u64 = upload.files.iter().map(|a| a.size).sum();
    let mut state = form.state();
    check_message(
        &mut state,
        &draft,
        &SendChecks {
            people: &people,
            sender: me,
            options: &options,
            suspended: sending_suspended(&rules, &people.party(me)),
            unknown: &chosen.unknown,
            upload_errors: &upload.errors,
            attachments_total: kept_total + uploaded_total,
        },
    );
    crate::auth::rate::note(app, me, &mut state, "body");
    if !state.is_ok() {
        return show_again(app, &member, &people, &form, draft, &state, now).await;
    }
    send(app, &member, &people, form.draft_id(), &draft, now).await
}

/// « Enregistrer le brouillon »: saved as typed, the upload's refusals said.
async fn save_only(
    app: &App,
    member: &Member,
    form: &ComposeForm,
    draft: &Draft,
    upload_errors: &[String],
    now: i64,
) -> AppResult<Response> {
    let me = member.user().id;
    if form.draft_id().is_none() {
        crate::auth::rate::allow(app, me)?;
    }
    let id = save_draft_or_explain(app, me, form.draft_id(), draft, now).await?;
    let mut text = "Brouillon enregistré.".to_string();
    for e in upload_errors {
        text.push(' ');
        text.push_str(e);
    }
    let shown = if upload_errors.is_empty() {
        Flash::success(text)
    } else {
        Flash::error(text)
    };
    flash(app, member, shown).await?;
    Ok(Redirect::see_other(format!("/messagerie/ecrire?brouillon={id}")).into_response())
}

/// A refused message: nothing typed is lost, it is kept as a draft and shown again with
/// the reasons beside the fields.
async fn show_again(
    app: &App,
    member: &Member,
    people: &People,
    form: &ComposeForm,
    mut draft: Draft,
    state: &FormState,
    now: i64,
) -> AppResult<Response> {
    let me = member.user().id;
    // A new draft is a record like any: past the creation limit the form is shown again
    // with what was typed, but not kept (a script could otherwise pile up drafts).
    let id = match form.draft_id() {
        None if crate::auth::rate::allow(app, me).is_err() => None,
        id => Some(save_draft_or_explain(app, me, id, &draft, now).await?),
    };
    draft.subject = state.value("subject").to_string();
    Ok((
        poem::http::StatusCode::BAD_REQUEST,
        compose_view(app, member, people, &draft, id, state)?,
    )
        .into_response())
}

async fn send(
    app: &App,
    member: &Member,
    people: &People,
    draft_id: Option<u64>,
    draft: &Draft,
    now: i64,
) -> AppResult<Response> {
    let me = member.user().id;
    let text = match sending::send(&app.store, people, me, draft_id, draft, now).await {
        Ok(Sent::Delivered(n)) => Flash::success(format!(
            "Message envoyé à {n} personne{}.",
            if n > 1 { "s" } else { "" }
        )),
        Ok(Sent::Held) => Flash::info(
            "Ton message est envoyé à ton enseignant, qui va le lire avant de le transmettre.",
        ),
        Err(Failure::Refused(why)) => return Err(AppError::BadRequest(why.into())),
        Err(e) => return Err(e.into()),
    };
    flash(app, member, text).await?;
    Ok(Redirect::see_other("/messagerie?dossier=envoyes").into_response())
}

async fn save_draft_or_explain(
    app: &App,
    me: u64,
    id: Option<u64>,
    draft: &Draft,
    now: i64,
) -> AppResult<u64> {
    match sending::save_draft(&app.store, me, id, draft, now).await {
        Ok(id) => Ok(id),
        // The draft was sent from another tab meanwhile: keep this text as a new one.
        Err(Failure::Refused(_)) => {
            Ok(sending::save_draft(&app.store, me, None, draft, now).await?)
        }
        Err(e) => Err(e.into()),
    }
}
