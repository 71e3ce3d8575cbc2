//! Handlers of /messagerie. Each reads the request, asks the policy (communication rules
//! included), calls the module and renders.

use crate::routing::{Access, Object, Routes};
use maud::Markup;
use poem::web::{Data, Form, Multipart, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::targets::{choices, Target};
use super::views::{self, Sidebar, ThreadItem};
use super::{Draft, Folder, Message, Sent, State};
use crate::app::App;
use crate::attachments::{self, range, Attachment, Limits};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::communication::sending_suspended;
use crate::policy::{may, require, Action};
use crate::refusal::{Failure, Outcome};
use crate::ui::form::{all_values, first_value, FormState};
use crate::ui::{page, Frame};

type Pairs = Vec<(String, String)>;

pub fn routes() -> Routes {
    use Access::*;
    let entry = Object(self::Object::MailboxEntry);
    Routes::new()
        .get("/", folder_page, Member)
        .get("/ecrire", compose_page, Member)
        .post("/ecrire", compose_submit, Member)
        .post("/dossiers", create_folder, Member)
        .post(
            "/dossiers/:id/supprimer",
            delete_folder,
            Object(self::Object::OwnMailFolder),
        )
        .post("/corbeille/vider", empty_trash, Member)
        .get("/moderation", moderation_page, Teacher)
        .post("/moderation/classes", moderation_classes, Teacher)
        .post(
            "/moderation/:id",
            moderate,
            Object(self::Object::HeldMessage),
        )
        .get("/:id", message_page, entry)
        .post("/:id/deplacer", move_message, entry)
        .post("/:id/supprimer", trash, entry)
        .post("/:id/restaurer", restore, entry)
        .post("/:id/effacer", erase, entry)
        .post("/:id/non-lu", unread, entry)
        .post("/:id/signaler", report, entry)
        .get("/:id/pieces/:n", attachment, entry)
        .console("/communication", super::settings::console())
}

/// The page with the messagerie's side column.
fn frame(
    app: &App,
    member: &Member,
    title: &str,
    current: Option<Folder>,
    query: &str,
    main: Markup,
) -> AppResult<Markup> {
    let me = member.user().id;
    let counts = super::counts(&app.store, me)?;
    let personal = super::personal_folders(&app.store, me)?;
    let moderation = if moderated_classes(app, member)?.is_empty() {
        None
    } else {
        let people = People::load(&app.store)?;
        Some(
            super::pending(&app.store, &people, |c| {
                may(member.actor(), Action::ModerateClass { class_id: c })
            })?
            .len(),
        )
    };
    let body = views::layout(
        &member.visitor,
        &Sidebar {
            counts: &counts,
            personal: &personal,
            current,
            moderation,
            query,
        },
        maud::html! { (views::purge_banner(super::purge_plan(&app.store)?.as_ref())) (main) },
    );
    let school = crate::school::get(&app.store)?;
    Ok(page(
        Frame {
            school: school.as_ref(),
            visitor: &member.visitor,
            title,
            section: "/messagerie",
        },
        body,
    ))
}

/// The classes whose pupils' messages this person may moderate.
fn moderated_classes(app: &App, member: &Member) -> AppResult<Vec<u64>> {
    let ids: Vec<u64> = if member.actor().director {
        crate::directory::classes(&app.store)?
            .into_iter()
            .map(|c| c.id)
            .collect()
    } else {
        member.actor().class_ids.clone()
    };
    Ok(ids
        .into_iter()
        .filter(|c| may(member.actor(), Action::ModerateClass { class_id: *c }))
        .collect())
}

async fn flash(app: &App, member: &Member, f: Flash) -> AppResult<()> {
    auth::push_flash(&app.store, &member.me.session_key, f).await?;
    Ok(())
}

#[derive(Deserialize)]
struct FolderQuery {
    dossier: Option<String>,
    q: Option<String>,
}

#[handler]
fn folder_page(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<FolderQuery>,
) -> AppResult<Markup> {
    let me = member.user().id;
    let people = People::load(&app.store)?;
    let personal = super::personal_folders(&app.store, me)?;
    let query = q.q.unwrap_or_default();
    if !query.trim().is_empty() {
        let found = super::search(&app.store, &people, me, &query)?;
        let main = views::list(
            &people,
            me,
            &format!("Recherche « {} »", query.trim()),
            &found,
            Some(&personal),
            "Aucun message ne correspond.",
        );
        return frame(app, &member, "Recherche", None, &query, main);
    }
    let folder = q
        .dossier
        .as_deref()
        .and_then(Folder::parse)
        .unwrap_or(Folder::Inbox);
    if let Folder::Personal(id) = folder {
        if !personal.iter().any(|(f, _)| *f == id) {
            return Err(AppError::NotFound);
        }
    }
    let items = super::folder(&app.store, me, folder)?;
    let title = views::folder_label(folder, &personal);
    let mut main = views::list(
        &people,
        me,
        &title,
        &items,
        None,
        "Aucun message dans ce dossier.",
    );
    if folder == Folder::Trash && !items.is_empty() {
        main = maud::html! {
            (main)
            form method="post" action="/messagerie/corbeille/vider" {
                (crate::ui::csrf_input(&member.visitor))
                button.danger type="submit" data-confirm="Supprimer définitivement tous les messages de la corbeille ?" { "Vider la corbeille" }
            }
        };
    }
    if let Folder::Personal(id) = folder {
        main = maud::html! {
            (main)
            form method="post" action=(format!("/messagerie/dossiers/{id}/supprimer")) {
                (crate::ui::csrf_input(&member.visitor))
                button type="submit" data-confirm="Supprimer ce dossier ? Ses messages retournent dans la boîte de réception." { "Supprimer ce dossier" }
            }
        };
    }
    frame(app, &member, &title, Some(folder), "", main)
}

// ---- compose ----

#[derive(Deserialize, Default)]
struct ComposeQuery {
    brouillon: Option<u64>,
    repondre: Option<u64>,
    #[serde(rename = "repondre-a-tous")]
    repondre_a_tous: Option<u64>,
    transferer: Option<u64>,
    a: Option<String>,
}

/// A message this person holds (any folder), for replying or forwarding.
fn held(app: &App, me: u64, id: u64) -> AppResult<Message> {
    super::entry(&app.store, me, id)?.ok_or(AppError::NotFound)?;
    let m = super::message(&app.store, id)?.ok_or(AppError::NotFound)?;
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
    let rules = super::rules(&app.store)?;
    let options = choices(people, &rules, me);
    let suspended = sending_suspended(&rules, &people.party(me));
    let held = super::needs_approval(&app.store, people, me)?;
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

#[handler]
fn compose_page(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<ComposeQuery>,
) -> AppResult<Markup> {
    let me = member.user().id;
    let people = People::load(&app.store)?;
    let mut draft = Draft::default();
    let mut draft_id = None;
    if let Some(id) = q.brouillon {
        let m = super::message(&app.store, id)?.ok_or(AppError::NotFound)?;
        if m.author != me || m.state != State::Draft {
            return Err(AppError::NotFound);
        }
        draft = Draft {
            to: m.to,
            cc: m.cc,
            bcc: m.bcc,
            subject: m.subject,
            body: m.body,
            attachments: m.attachments,
            in_reply_to: m.in_reply_to,
        };
        draft_id = Some(id);
    } else if let Some(id) = q.repondre.or(q.repondre_a_tous) {
        let m = held(app, me, id)?;
        let mut to = vec![Target::User(m.author)];
        if q.repondre_a_tous.is_some() {
            for t in m.to.iter().chain(&m.cc) {
                if !to.contains(t) && *t != Target::User(me) {
                    to.push(*t);
                }
            }
        }
        to.retain(|t| *t != Target::User(me) || m.author == me);
        draft.to = to;
        draft.subject = prefixed("Re : ", &m.subject);
        draft.body = quoted(&people, &m);
        draft.in_reply_to = Some(id);
    } else if let Some(id) = q.transferer {
        let m = held(app, me, id)?;
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

#[handler]
async fn compose_submit(
    Data(app): Data<&App>,
    member: Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let me = member.user().id;
    let now = auth::now_micros();
    // What the draft carries already (its own files, or a forwarded message's).
    let first = attachments::read_form(
        &app.store,
        member.actor(),
        &mut multipart,
        Limits::ATTACHMENTS,
    )
    .await;
    let texts = &first.texts;
    let draft_id = first_value(texts, "brouillon").parse::<u64>().ok();
    let in_reply_to = first_value(texts, "en_reponse_a").parse::<u64>().ok();
    let mut carried: Vec<Attachment> = Vec::new();
    if let Some(id) = draft_id {
        if let Some(m) = super::message(&app.store, id)? {
            if m.author == me && m.state == State::Draft {
                carried.extend(m.attachments);
            }
        }
    }
    // A forwarded message's files may be kept only by someone who holds that message.
    let keep = all_values(texts, "garder");
    let mut kept: Vec<Attachment> = carried
        .into_iter()
        .filter(|a| keep.contains(&a.blob))
        .collect();
    if kept.len() < keep.len() {
        for (m, _) in super::mailbox(&app.store, me)? {
            for a in m.attachments {
                if keep.contains(&a.blob) && !kept.iter().any(|k| k.blob == a.blob) {
                    kept.push(a);
                }
            }
        }
    }
    let kept_total: u64 = kept.iter().map(|a| a.size).sum();
    let mut form = FormState::with_values(["subject", "body"].map(|k| (k, first_value(texts, k))));
    let mut unknown = Vec::new();
    let mut parse = |field: &str| -> Vec<Target> {
        let mut out = Vec::new();
        for v in all_values(texts, field) {
            match Target::parse(&v) {
                Some(t) if !out.contains(&t) => out.push(t),
                Some(_) => {}
                None => unknown.push((field.to_string(), v)),
            }
        }
        out
    };
    let to = parse("to");
    let cc = parse("cc");
    let bcc = parse("bcc");
    let mut attachments_all = kept;
    for a in first.files.iter() {
        if !attachments_all.iter().any(|x| x.blob == a.blob) {
            attachments_all.push(a.clone());
        }
    }
    let draft = Draft {
        to,
        cc,
        bcc,
        subject: form
            .value("subject")
            .trim()
            .chars()
            .take(super::MAX_SUBJECT)
            .collect(),
        body: form.value("body").to_string(),
        attachments: attachments_all,
        in_reply_to: in_reply_to
            .filter(|id| super::entry(&app.store, me, *id).ok().flatten().is_some()),
    };
    let people = People::load(&app.store)?;
    if first_value(texts, "action") == "brouillon" {
        let id = save_draft_or_explain(app, me, draft_id, &draft, now).await?;
        let mut text = "Brouillon enregistré.".to_string();
        for e in &first.errors {
            text.push(' ');
            text.push_str(e);
        }
        flash(
            app,
            &member,
            if first.errors.is_empty() {
                Flash::success(text)
            } else {
                Flash::error(text)
            },
        )
        .await?;
        return Ok(
            Redirect::see_other(format!("/messagerie/ecrire?brouillon={id}")).into_response(),
        );
    }

    // Checks, each with a French sentence beside the field it concerns.
    let rules = super::rules(&app.store)?;
    let options = choices(&people, &rules, me);
    if let Some(why) = sending_suspended(&rules, &people.party(me)) {
        form.error("to", why);
    }
    for (field, value) in &unknown {
        form.error(field, format!("« {value} » n'est pas un destinataire de l'école : la messagerie est fermée aux adresses extérieures."));
    }
    if draft.to.is_empty() && draft.cc.is_empty() && draft.bcc.is_empty() {
        form.error("to", "Choisissez au moins un destinataire.");
    }
    let chosen = draft.to.len() + draft.cc.len() + draft.bcc.len();
    if chosen > super::MAX_TARGETS {
        form.error("to", format!("Trop de destinataires ({chosen}) : {} au plus. Utilisez les listes (une classe, un groupe).", super::MAX_TARGETS));
    } else {
        for (field, list) in [("to", &draft.to), ("cc", &draft.cc), ("bcc", &draft.bcc)] {
            let refused: Vec<String> = list
                .iter()
                .filter(|t| !options.contains(**t))
                .map(|t| t.label(&people))
                .collect();
            if !refused.is_empty() {
                form.error(
                    field,
                    format!(
                        "Les règles de l'école ne vous permettent pas d'écrire à : {}.",
                        refused.join(", ")
                    ),
                );
            }
        }
        let (all, _) = super::recipients(&people, me, &draft);
        if all.len() > super::MAX_RECIPIENTS {
            form.error(
                "to",
                format!(
                    "Ce message irait à {} personnes : {} au plus.",
                    all.len(),
                    super::MAX_RECIPIENTS
                ),
            );
        } else if all.is_empty() && !form.errors.contains_key("to") {
            form.error(
                "to",
                "Les listes choisies ne contiennent personne pour le moment.",
            );
        }
    }
    if draft.subject.is_empty() {
        form.error("subject", "Donnez un objet à votre message.");
    }
    if draft.body.trim().is_empty() {
        form.error("body", "Le message est vide.");
    } else if draft.body.chars().count() > super::MAX_BODY {
        form.error(
            "body",
            format!(
                "Le message est trop long ({} caractères au plus).",
                super::MAX_BODY
            ),
        );
    }
    if !first.errors.is_empty() {
        form.error("files", first.errors.join(" "));
    }
    let uploaded_total: u64 = first.files.iter().map(|a| a.size).sum();
    if kept_total + uploaded_total > attachments::TOTAL_LIMIT {
        form.error(
            "files",
            format!(
                "Les pièces jointes dépassent {} au total.",
                attachments::size_text(attachments::TOTAL_LIMIT)
            ),
        );
    }
    if !form.is_ok() {
        // Nothing typed is lost: the message is kept as a draft and shown again.
        let id = save_draft_or_explain(app, me, draft_id, &draft, now).await?;
        let mut shown = draft.clone();
        shown.subject = form.value("subject").to_string();
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            compose_view(app, &member, &people, &shown, Some(id), &form)?,
        )
            .into_response());
    }
    match super::send(&app.store, &people, me, draft_id, &draft, now).await {
        Ok(Sent::Delivered(n)) => {
            flash(
                app,
                &member,
                Flash::success(format!(
                    "Message envoyé à {n} personne{}.",
                    if n > 1 { "s" } else { "" }
                )),
            )
            .await?;
        }
        Ok(Sent::Held) => {
            flash(app, &member, Flash::info("Ton message est envoyé à ton enseignant, qui va le lire avant de le transmettre.")).await?;
        }
        Err(Failure::Refused(why)) => return Err(AppError::BadRequest(why.into())),
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::see_other("/messagerie?dossier=envoyes").into_response())
}

async fn save_draft_or_explain(
    app: &App,
    me: u64,
    id: Option<u64>,
    draft: &Draft,
    now: i64,
) -> AppResult<u64> {
    match super::save_draft(&app.store, me, id, draft, now).await {
        Ok(id) => Ok(id),
        // The draft was sent from another tab meanwhile: keep this text as a new one.
        Err(Failure::Refused(_)) => Ok(super::save_draft(&app.store, me, None, draft, now).await?),
        Err(e) => Err(e.into()),
    }
}

// ---- reading ----

#[handler]
async fn message_page(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let me = member.user().id;
    // Only one's own mailbox: no entry, no message (whatever the role).
    super::entry(&app.store, me, id)?.ok_or(AppError::NotFound)?;
    let m = super::message(&app.store, id)?.ok_or(AppError::NotFound)?;
    if m.state == State::Draft {
        return Err(AppError::NotFound);
    }
    let items = super::thread(&app.store, me, m.thread)?;
    for (t, e) in &items {
        if !e.read {
            super::mark_read(&app.store, me, t.id).await?;
        }
        crate::notify::seen(&app.store, me, &format!("/messagerie/{}", t.id)).await?;
    }
    let people = People::load(&app.store)?;
    let personal = super::personal_folders(&app.store, me)?;
    let thread_items: Vec<ThreadItem<'_>> = items
        .iter()
        .map(|(m, e)| ThreadItem {
            message: m,
            entry: e,
        })
        .collect();
    let main = views::thread(&member.visitor, &people, me, &thread_items, &personal);
    let current = items
        .iter()
        .find(|(t, _)| t.id == id)
        .map(|(_, e)| e.folder);
    frame(app, &member, &m.subject, current, "", main)
}

#[handler]
async fn attachment(
    req: &poem::Request,
    Data(app): Data<&App>,
    member: Member,
    Path((id, n)): Path<(u64, usize)>,
) -> AppResult<Response> {
    let me = member.user().id;
    let m = super::message(&app.store, id)?.ok_or(AppError::NotFound)?;
    let holds = super::entry(&app.store, me, id)?.is_some();
    let moderates = m.state == State::Pending && {
        let people = People::load(&app.store)?;
        people
            .classes_of(m.author)
            .iter()
            .any(|c| may(member.actor(), Action::ModerateClass { class_id: *c }))
    };
    if !holds && !moderates {
        return Err(AppError::NotFound);
    }
    let a = m.attachments.get(n).ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, a, range(req)).await)
}

// ---- filing ----

async fn done(
    app: &App,
    member: &Member,
    result: Outcome<()>,
    text: &str,
    to: String,
) -> AppResult<Redirect> {
    match result {
        Ok(()) => flash(app, member, Flash::success(text)).await?,
        Err(Failure::Refused(why)) => flash(app, member, Flash::error(why)).await?,
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::see_other(to))
}

#[handler]
async fn move_message(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let folder = Folder::parse(&first_value(&f, "dossier"))
        .filter(|f| !matches!(f, Folder::Trash | Folder::Drafts))
        .ok_or_else(|| AppError::BadRequest("Dossier inconnu.".into()))?;
    let r = super::move_to(&app.store, member.user().id, id, folder).await;
    done(
        app,
        &member,
        r,
        "Message rangé.",
        format!("/messagerie?dossier={}", folder.slug()),
    )
    .await
}

#[handler]
async fn trash(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let r = super::move_to(&app.store, member.user().id, id, Folder::Trash).await;
    done(
        app,
        &member,
        r,
        "Message mis à la corbeille (vous pouvez le restaurer).",
        "/messagerie".into(),
    )
    .await
}

#[handler]
async fn restore(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let r = super::restore(&app.store, member.user().id, id).await;
    done(
        app,
        &member,
        r,
        "Message restauré.",
        format!("/messagerie/{id}"),
    )
    .await
}

#[handler]
async fn erase(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let n = super::erase(&app.store, member.user().id, Some(id)).await?;
    let text = if n == 0 {
        "Ce message n'est pas dans la corbeille."
    } else {
        "Message supprimé définitivement."
    };
    done(
        app,
        &member,
        Ok(()),
        text,
        "/messagerie?dossier=corbeille".into(),
    )
    .await
}

#[handler]
async fn empty_trash(Data(app): Data<&App>, member: Member) -> AppResult<Redirect> {
    let n = super::erase(&app.store, member.user().id, None).await?;
    done(
        app,
        &member,
        Ok(()),
        &format!("Corbeille vidée ({n} message(s))."),
        "/messagerie?dossier=corbeille".into(),
    )
    .await
}

#[handler]
async fn unread(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    super::entry(&app.store, member.user().id, id)?.ok_or(AppError::NotFound)?;
    super::mark_unread(&app.store, member.user().id, id).await?;
    Ok(Redirect::see_other("/messagerie"))
}

#[handler]
async fn create_folder(
    Data(app): Data<&App>,
    member: Member,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let name: String = first_value(&f, "name").trim().chars().take(60).collect();
    if name.is_empty() {
        flash(app, &member, Flash::error("Donnez un nom au dossier.")).await?;
        return Ok(Redirect::see_other("/messagerie"));
    }
    let me = member.user().id;
    if super::personal_folders(&app.store, me)?
        .iter()
        .any(|(_, n)| crate::directory::fold(n) == crate::directory::fold(&name))
    {
        flash(
            app,
            &member,
            Flash::error(format!("Vous avez déjà un dossier « {name} ».")),
        )
        .await?;
        return Ok(Redirect::see_other("/messagerie"));
    }
    let id = super::create_folder(&app.store, me, &name).await?;
    flash(
        app,
        &member,
        Flash::success(format!("Dossier « {name} » créé.")),
    )
    .await?;
    Ok(Redirect::see_other(format!(
        "/messagerie?dossier={}",
        Folder::Personal(id).slug()
    )))
}

#[handler]
async fn delete_folder(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Redirect> {
    let me = member.user().id;
    if !super::personal_folders(&app.store, me)?
        .iter()
        .any(|(f, _)| *f == id)
    {
        return Err(AppError::NotFound);
    }
    super::delete_folder(&app.store, me, id).await?;
    done(
        app,
        &member,
        Ok(()),
        "Dossier supprimé ; ses messages sont dans la boîte de réception.",
        "/messagerie".into(),
    )
    .await
}

#[handler]
async fn report(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let me = member.user();
    super::entry(&app.store, me.id, id)?.ok_or(AppError::NotFound)?;
    let m = super::message(&app.store, id)?.ok_or(AppError::NotFound)?;
    if m.author == me.id {
        return Err(AppError::BadRequest(
            "Vous ne pouvez pas signaler votre propre message.".into(),
        ));
    }
    let people = People::load(&app.store)?;
    let item = crate::reports::Reported {
        kind: "Message",
        title: m.subject.clone(),
        body: m.body.clone(),
        author: m.author,
    };
    crate::reports::signal(app, &member, &people, item, &first_value(&f, "motif")).await?;
    Ok(Redirect::see_other(format!("/messagerie/{id}")))
}

// ---- moderation ----

#[handler]
fn moderation_page(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let classes = moderated_classes(app, &member)?;
    if classes.is_empty() {
        return Err(AppError::Forbidden);
    }
    let people = People::load(&app.store)?;
    let rows: Vec<(u64, String, bool)> = classes
        .iter()
        .filter_map(|c| people.class(*c).map(|cl| (cl.id, cl.label.clone())))
        .map(|(id, label)| {
            (
                id,
                label,
                super::is_moderated(&app.store, id).unwrap_or(false),
            )
        })
        .collect();
    let waiting = super::pending(&app.store, &people, |c| {
        may(member.actor(), Action::ModerateClass { class_id: c })
    })?;
    let main = views::moderation(&member.visitor, &people, &rows, &waiting);
    frame(app, &member, "À valider", None, "", main)
}

#[handler]
async fn moderation_classes(
    Data(app): Data<&App>,
    member: Member,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    let shown: Vec<u64> = first_value(&f, "vues")
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect();
    let on: Vec<u64> = all_values(&f, "classe")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let now = auth::now_micros();
    let mut any = false;
    for c in shown.iter().chain(&on) {
        require(member.actor(), Action::ModerateClass { class_id: *c })?;
        any = true;
    }
    if !any {
        return Err(AppError::Forbidden);
    }
    for c in &shown {
        super::set_moderated(&app.store, *c, on.contains(c), now).await?;
    }
    for c in on.iter().filter(|c| !shown.contains(c)) {
        super::set_moderated(&app.store, *c, true, now).await?;
    }
    done(
        app,
        &member,
        Ok(()),
        "Validation des messages enregistrée.",
        "/messagerie/moderation".into(),
    )
    .await
}

#[handler]
async fn moderate(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Form(f): Form<Pairs>,
) -> AppResult<Redirect> {
    if moderated_classes(app, &member)?.is_empty() {
        return Err(AppError::Forbidden);
    }
    let m = super::message(&app.store, id)?.ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    let allowed = people
        .classes_of(m.author)
        .iter()
        .any(|c| may(member.actor(), Action::ModerateClass { class_id: *c }));
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let now = auth::now_micros();
    let result = if first_value(&f, "action") == "valider" {
        super::approve(&app.store, &people, id, now)
            .await
            .map(|_| "Message validé et envoyé.")
    } else {
        let note = first_value(&f, "mot").trim().to_string();
        if note.is_empty() {
            flash(
                app,
                &member,
                Flash::error("Écrivez un mot à l'élève pour lui expliquer le refus."),
            )
            .await?;
            return Ok(Redirect::see_other("/messagerie/moderation"));
        }
        super::refuse(&app.store, id, &member.user().display_name(), &note, now)
            .await
            .map(|_| "Message refusé ; l'élève a reçu votre mot.")
    };
    match result {
        Ok(text) => done(app, &member, Ok(()), text, "/messagerie/moderation".into()).await,
        Err(e) => done(app, &member, Err(e), "", "/messagerie/moderation".into()).await,
    }
}
