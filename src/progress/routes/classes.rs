//! `/suivi` and a class's carnets: the list of its children, a réussite for several of
//! them at once, sharing the class's carnets with the families.

use maud::Markup;
use poem::web::{Data, Multipart, Path, Redirect};
use poem::{handler, IntoResponse, Response};

use super::super::access;
use super::super::attendus;
use super::super::carnet::{self as model, NewReussite};
use super::super::forms::{check_reussite, photo, ticked};
use super::super::views::{self, ChildLink, ClassLink, PupilRow};
use super::{flash, invalid, name, now, page, today};
use crate::app::App;
use crate::attachments::{self, Limits};
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::ui::csrf_input;
use crate::ui::form::FormState;

#[handler]
pub(super) fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let actor = member.actor();
    access::open(actor)?;
    // A pupil's home is their own carnet, in kid mode.
    if access::read_own(actor).is_ok() {
        let entries = model::of_pupil(&app.store, actor.user_id)?;
        let body = views::kid::own_carnet(&member.me.user.first_name, &entries);
        return page(app, &member, "Mes réussites", body);
    }
    let people = People::load(&app.store)?;
    let classes: Vec<ClassLink> = people
        .classes
        .iter()
        .filter(|c| access::keep_class(actor, c.id).is_ok())
        .map(|c| ClassLink {
            id: c.id,
            label: c.label.clone(),
            pupils: people.pupils_of_class(c.id).len(),
        })
        .collect();
    let mut children = Vec::new();
    for child in &actor.children {
        let shared = model::of_pupil(&app.store, *child)?
            .iter()
            .filter(|r| r.shared.is_some())
            .count();
        let shares = model::shares_of(&app.store, *child)?;
        let synthese = shares.iter().any(|s| s.synthese);
        // The carnet is maternelle's; an older child's is listed while it holds
        // something the school shared (it follows the child).
        if !in_maternelle(&people, *child) && shared == 0 && !synthese {
            continue;
        }
        let unseen = shares
            .iter()
            .filter(|s| s.seen_by(actor.user_id).is_none())
            .count();
        children.push(ChildLink {
            id: *child,
            name: name(&people, *child),
            shared,
            synthese,
            unseen,
        });
    }
    let livret = super::super::livret::routes::home_section(actor, &people);
    let body = maud::html! { (views::home(&classes, &children)) (livret) };
    page(app, &member, "Suivi des apprentissages", body)
}

/// Whether the child is in maternelle: their own level, else their classes' levels.
fn in_maternelle(people: &People, pupil: u64) -> bool {
    use crate::directory::Level;
    let maternelle = |l: &Level| matches!(l, Level::TPS | Level::PS | Level::MS | Level::GS);
    match people.levels.get(&pupil) {
        Some(level) => maternelle(level),
        None => people
            .classes_of(pupil)
            .iter()
            .filter_map(|c| people.class(*c))
            .any(|c| c.levels.iter().any(maternelle)),
    }
}

fn class_label(people: &People, id: u64) -> AppResult<String> {
    Ok(people.class(id).ok_or(AppError::NotFound)?.label.clone())
}

#[handler]
pub(super) fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let label = class_label(&people, id)?;
    access::keep_class(member.actor(), id)?;
    let summaries = model::summaries(&app.store)?;
    let mut rows = Vec::new();
    for pupil in people.pupils_of_class(id) {
        let summary = summaries.get(&pupil).copied().unwrap_or_default();
        let guardians = people.parents_of(pupil).len();
        rows.push(PupilRow {
            id: pupil,
            name: name(&people, pupil),
            entries: summary.entries,
            unshared: summary.unshared,
            last_share: summary.last_share.map(|(at, seen)| (at, seen, guardians)),
        });
    }
    let body = views::class(&csrf_input(&member.visitor), id, &label, &rows);
    page(app, &member, &format!("Carnets de suivi — {label}"), body)
}

fn pupils(people: &People, class_id: u64) -> Vec<(u64, String)> {
    people
        .pupils_of_class(class_id)
        .into_iter()
        .map(|p| (p, name(people, p)))
        .collect()
}

fn form_page(
    app: &App,
    member: &Member,
    people: &People,
    class_id: u64,
    form: &FormState,
) -> AppResult<Markup> {
    let label = class_label(people, class_id)?;
    let picker = crate::media::picker::offer(app, member.actor())?;
    let body = views::new_reussite(
        &member.visitor.csrf,
        class_id,
        &label,
        &pupils(people, class_id),
        &attendus::choices(&app.store)?,
        picker.as_ref(),
        form,
    );
    page(app, member, "Ajouter une réussite", body)
}

#[handler]
pub(super) fn new_form(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    class_label(&people, id)?;
    access::keep_class(member.actor(), id)?;
    let form = FormState::with_values([("date", today().to_string())]);
    form_page(app, &member, &people, id, &form)
}

#[handler]
pub(super) async fn create(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    class_label(&people, id)?;
    let granted = access::keep_class(member.actor(), id)?;
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    // The one upload reader: the file checked by its content, a photo reduced and without
    // metadata, or the file picked in the médiathèque; a video within the médiathèque's
    // limit for a teacher's file.
    let limits = Limits::profile(&app.store, member.me.user.profile)?;
    let (texts, files, errors) =
        attachments::read_form(&app.store, member.actor(), &mut multipart, limits)
            .await?
            .parts();
    let sent_photo = !files.is_empty() || !errors.is_empty();
    let (mut form, fields) = check_reussite(&texts, today(), &attendus::choices(&app.store)?);
    let class_pupils: Vec<u64> = people.pupils_of_class(id);
    let chosen = ticked(&texts, &class_pupils, &mut form);
    let photo = photo(files, &errors, &mut form);
    let (Some(day), Some(domain), true) = (fields.day, fields.domain, form.is_ok()) else {
        if sent_photo {
            form.set("photo-envoyee", "1");
        }
        return Ok(invalid(form_page(app, &member, &people, id, &form)?));
    };
    let new = NewReussite {
        day,
        domain,
        sentence: fields.sentence,
        attendu: fields.attendu,
        photo,
    };
    model::add(&app.store, &granted, &chosen, &new, now()).await?;
    let text = match chosen.len() {
        1 => format!(
            "Réussite notée pour {}.",
            name(&people, chosen.first().copied().unwrap_or_default())
        ),
        n => format!("Réussite notée pour {n} enfants : chacun l'a dans son carnet."),
    };
    flash(app, &member, text).await?;
    Ok(Redirect::see_other(format!("/suivi/classe/{id}")).into_response())
}

#[handler]
pub(super) async fn share(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    class_label(&people, id)?;
    let granted = access::keep_class(member.actor(), id)?;
    let pupils = people.pupils_of_class(id);
    let shared = model::share(&app.store, &granted, &people, &pupils, now()).await?;
    let text = match shared {
        0 => "Rien de nouveau à partager : tout était déjà partagé.".to_string(),
        1 => "Le carnet d'un enfant est partagé ; sa famille est prévenue.".to_string(),
        n => format!("Les carnets de {n} enfants sont partagés ; leurs familles sont prévenues."),
    };
    flash(app, &member, text).await?;
    Ok(Redirect::see_other(format!("/suivi/classe/{id}")).into_response())
}
