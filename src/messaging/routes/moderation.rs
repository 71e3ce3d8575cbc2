//! The teacher's approval of pupils' messages: the classes held, and the decision on each
//! message waiting.

use maud::Markup;
use poem::handler;
use poem::web::{Data, Path, Redirect};

use super::{done, flash, frame};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::messaging::access;
use crate::messaging::forms::{Decision, ModerationClasses};
use crate::messaging::{self as messaging, mailbox, sending, views};
use crate::policy::{may, Action};
use crate::ui::input::FormInput;

#[handler]
pub(super) fn moderation_page(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let classes = access::moderated_classes(&app.store, member.actor())?;
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
                messaging::is_moderated(&app.store, id).unwrap_or(false),
            )
        })
        .collect();
    let waiting = messaging::pending(&app.store, &people, |c| {
        may(member.actor(), Action::ModerateClass { class_id: c })
    })?;
    let main = views::moderation(&member.visitor, &people, &rows, &waiting);
    frame(app, &member, "À valider", None, "", main)
}

#[handler]
pub(super) async fn moderation_classes(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<ModerationClasses>,
) -> AppResult<Redirect> {
    let (shown, on) = (f.shown(), f.ticked());
    let now = auth::now_micros();
    // Every class named must be one this person moderates, before anything changes.
    let grant = |c: &u64| access::class_to_moderate(member.actor(), *c);
    let shown = shown.iter().map(grant).collect::<Result<Vec<_>, _>>()?;
    let added = on.iter().map(grant).collect::<Result<Vec<_>, _>>()?;
    if shown.is_empty() && added.is_empty() {
        return Err(AppError::Forbidden);
    }
    for class in &shown {
        let c = class.object().class_id;
        mailbox::set_moderated(&app.store, class, on.contains(&c), now).await?;
    }
    let was_shown = |c: u64| shown.iter().any(|s| s.object().class_id == c);
    for class in added.iter().filter(|a| !was_shown(a.object().class_id)) {
        mailbox::set_moderated(&app.store, class, true, now).await?;
    }
    let text = "Validation des messages enregistrée.";
    done(app, &member, Ok(()), text, "/messagerie/moderation".into()).await
}

#[handler]
pub(super) async fn moderate(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<Decision>,
) -> AppResult<Redirect> {
    let people = People::load(&app.store)?;
    let held = access::held_message(&app.store, &people, member.actor(), id)?;
    let now = auth::now_micros();
    let result = if f.approves() {
        sending::approve(&app.store, &people, &held, now)
            .await
            .map(|_| "Message validé et envoyé.")
    } else {
        if f.note().is_empty() {
            let text = "Écrivez un mot à l'élève pour lui expliquer le refus.";
            flash(app, &member, Flash::error(text)).await?;
            return Ok(Redirect::see_other("/messagerie/moderation"));
        }
        let by = member.user().display_name();
        sending::refuse(&app.store, &held, &by, f.note(), now)
            .await
            .map(|_| "Message refusé ; l'élève a reçu votre mot.")
    };
    let to = "/messagerie/moderation".to_string();
    match result {
        Ok(text) => done(app, &member, Ok(()), text, to).await,
        Err(e) => done(app, &member, Err(e), "", to).await,
    }
}
