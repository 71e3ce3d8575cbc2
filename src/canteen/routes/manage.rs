//! The commune's pages: menus (form, copy, CSV import), services, late requests.

use maud::Markup;
use poem::http::header;
use poem::web::{Data, Multipart, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};

use super::{flash, frame, today, WeekQuery};
use crate::app::App;
use crate::attachments::{self, Limits};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::canteen::forms::{self, CopyFields, DecideFields, Pairs, ServiceFields};
use crate::canteen::views::manage::{self as views, WeekLine};
use crate::canteen::{
    access, add_days, import as csv_import, services as svc, views as menu_views,
};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::refusal::Failure;
use crate::store::BlobId;
use crate::ui::form::FormState;
use crate::ui::input::FormInput;

#[handler]
pub(super) fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    access::manage(member.actor())?;
    let people = People::load(&app.store)?;
    let today = today();
    let first = crate::canteen::monday(today);
    let stored = crate::canteen::weeks_from(&app.store, first, 8)?;
    let weeks: Vec<WeekLine> = (0..8)
        .map(|i| add_days(first, 7 * i))
        .map(|monday| WeekLine {
            monday,
            week: stored
                .iter()
                .find(|w| w.monday == crate::canteen::day_key(monday))
                .cloned(),
        })
        .collect();
    let all = svc::services(&app.store)?;
    let requests = svc::pending(&app.store)?;
    let editors = super::super::editors::editors(&app.store)?;
    let body = maud::html! {
        (views::home(&member.visitor, &people, &weeks, &all, &requests, today))
        (views::editors_form(&member.visitor, &people, &editors))
    };
    frame(app, &member, "Gérer la cantine", body)
}

fn menu_page(
    app: &App,
    member: &Member,
    monday: jiff::civil::Date,
    form: &FormState,
    warning: Option<&str>,
) -> AppResult<Markup> {
    let body = maud::html! {
        (crate::ui::heading(&format!("Menus — {}", menu_views::week_title(monday)), Some("Chaque plat avec ses mentions et ses allergènes en toutes lettres. Les familles voient la semaine une fois publiée.")))
        p.actions {
            @if crate::policy::may(member.actor(), crate::policy::Action::ManageCanteen) {
                a href="/cantine/gestion" { "← Gérer la cantine" }
            } @else {
                a href=(format!("/cantine?semaine={monday}")) { "← Les menus de la semaine" }
            }
        }
        (menu_views::menu_form(&member.visitor, monday, form, warning))
    };
    frame(app, member, "Menus de la semaine", body)
}

#[handler]
pub(super) fn menu_form(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<WeekQuery>,
) -> AppResult<Markup> {
    access::menus(&app.store, member.actor())?;
    let monday = forms::week_of(q.semaine.as_deref(), today());
    let stored = crate::canteen::week(&app.store, monday)?;
    let form = menu_views::form_of(stored.as_ref(), monday);
    let warning = stored.as_ref().and_then(crate::canteen::egalim_warning);
    menu_page(app, &member, monday, &form, warning)
}

#[handler]
pub(super) async fn menu_save(
    Data(app): Data<&App>,
    member: Member,
    FormInput(pairs): FormInput<Pairs>,
) -> AppResult<Response> {
    let granted = access::menus(&app.store, member.actor())?;
    let (form, week, publish) = forms::read_menu(&pairs, today());
    let monday = week.monday_date().unwrap_or_else(today);
    if !form.is_ok() {
        return Ok(menu_page(app, &member, monday, &form, None)?.into_response());
    }
    let now = auth::now_micros();
    crate::canteen::save_weeks(
        &app.store,
        &granted,
        std::slice::from_ref(&week),
        publish,
        now,
    )
    .await?;
    let done = if publish {
        "Semaine publiée : les familles la voient."
    } else {
        "Brouillon enregistré (les familles ne le voient pas encore)."
    };
    let f = match crate::canteen::egalim_warning(&week) {
        Some(w) => Flash::error(format!("{done} {w}")),
        None => Flash::success(done),
    };
    flash(app, &member, f).await?;
    Ok(Redirect::see_other(format!("/cantine/gestion/menu?semaine={monday}")).into_response())
}

#[handler]
pub(super) async fn copy(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<CopyFields>,
) -> AppResult<Redirect> {
    let granted = access::menus(&app.store, member.actor())?;
    let (Some(from), Some(to)) = (
        crate::ui::dates::parse_date(&f.de),
        crate::ui::dates::parse_date(&f.vers),
    ) else {
        return Err(AppError::BadRequest("Choisissez les deux semaines.".into()));
    };
    let now = auth::now_micros();
    let to = crate::canteen::monday(to);
    if crate::canteen::monday(from) == to {
        flash(
            app,
            &member,
            Flash::error("Choisissez deux semaines différentes."),
        )
        .await?;
        return Ok(Redirect::see_other("/cantine/gestion"));
    }
    if crate::canteen::copy_week(&app.store, &granted, from, to, now).await? {
        flash(
            app,
            &member,
            Flash::success("Semaine copiée en brouillon : relisez-la puis publiez-la."),
        )
        .await?;
        Ok(Redirect::see_other(format!(
            "/cantine/gestion/menu?semaine={to}"
        )))
    } else {
        flash(
            app,
            &member,
            Flash::error("La semaine à copier n'a pas de menu."),
        )
        .await?;
        Ok(Redirect::see_other("/cantine/gestion"))
    }
}

#[handler]
pub(super) fn import_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    access::menus(&app.store, member.actor())?;
    frame(
        app,
        &member,
        "Importer des menus",
        views::import_page(&member.visitor, &[]),
    )
}

#[handler]
pub(super) async fn import(
    Data(app): Data<&App>,
    member: Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let granted = access::menus(&app.store, member.actor())?;
    // Read only once the policy said yes: a refused person gets a 403, not a 400.
    let mut multipart = multipart
        .map_err(|_| AppError::BadRequest("Envoyez le fichier depuis le formulaire.".into()))?;
    let upload =
        attachments::read_form(&app.store, member.actor(), &mut multipart, Limits::ONE_FILE)
            .await
            .map_err(|_| {
                AppError::BadRequest("Le fichier est trop lourd pour un fichier de menus.".into())
            })?;
    let (texts, files, mut errors) = upload.parts();
    let publish = crate::ui::form::first_value(&texts, "publier") == "oui";
    let bytes = match files.first() {
        Some(a) => BlobId::parse(&a.blob)
            .and_then(|id| app.store.blobs().read(&id).ok())
            .unwrap_or_default(),
        None => {
            if errors.is_empty() {
                errors.push("Choisissez le fichier CSV des menus.".into());
            }
            Vec::new()
        }
    };
    let weeks = if errors.is_empty() {
        match csv_import::parse(&bytes) {
            Ok(w) => w,
            Err(e) => {
                errors = e;
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    if !errors.is_empty() {
        let body = views::import_page(&member.visitor, &errors);
        return Ok((
            poem::http::StatusCode::UNPROCESSABLE_ENTITY,
            frame(app, &member, "Importer des menus", body)?,
        )
            .into_response());
    }
    let mut merged = Vec::new();
    for w in weeks {
        let existing = w
            .monday_date()
            .map(|m| crate::canteen::week(&app.store, m))
            .transpose()?
            .flatten();
        merged.push(csv_import::merge(existing, w));
    }
    let now = auth::now_micros();
    crate::canteen::save_weeks(&app.store, &granted, &merged, publish, now).await?;
    let without: Vec<String> = merged
        .iter()
        .filter(|w| crate::canteen::egalim_warning(w).is_some())
        .filter_map(|w| w.monday_date())
        .map(|m| menu_views::week_title(m).to_lowercase())
        .collect();
    let mut text = format!(
        "{} semaine(s) importée(s){}.",
        merged.len(),
        if publish {
            " et publiée(s)"
        } else {
            " en brouillon"
        }
    );
    if !without.is_empty() {
        text.push_str(&format!(
            " Aucun menu végétarien (EGalim) : {}.",
            without.join(", ")
        ));
    }
    flash(
        app,
        &member,
        if without.is_empty() {
            Flash::success(text)
        } else {
            Flash::error(text)
        },
    )
    .await?;
    Ok(Redirect::see_other("/cantine/gestion").into_response())
}

#[handler]
pub(super) fn template(Data(app): Data<&App>, member: Member) -> AppResult<Response> {
    access::menus(&app.store, member.actor())?;
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"modele-menus.csv\"",
        )
        .body(format!("\u{feff}{}", csv_import::template())))
}

#[handler]
pub(super) fn services(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    access::manage(member.actor())?;
    let people = People::load(&app.store)?;
    let all = svc::services(&app.store)?;
    let form = FormState::with_values([
        ("limite_jour", "4".to_string()),
        ("limite_heure", "9".to_string()),
    ]);
    let body = views::services_page(&member.visitor, &people, &all, &form);
    frame(app, &member, "Services du périscolaire", body)
}

#[handler]
pub(super) async fn service_create(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<ServiceFields>,
) -> AppResult<Response> {
    let granted = access::manage(member.actor())?;
    match f.read(0) {
        Ok(s) => {
            svc::save_service(&app.store, &granted, &s, auth::now_micros()).await?;
            flash(
                app,
                &member,
                Flash::success(format!("Service « {} » créé.", s.name)),
            )
            .await?;
            Ok(Redirect::see_other("/cantine/gestion/services").into_response())
        }
        Err(form) => {
            let people = People::load(&app.store)?;
            let all = svc::services(&app.store)?;
            let body = views::services_page(&member.visitor, &people, &all, &form);
            Ok(frame(app, &member, "Services du périscolaire", body)?.into_response())
        }
    }
}

fn edit_page(
    app: &App,
    member: &Member,
    id: u64,
    form: &FormState,
    checked: (&[u8], &[u64], &[u64]),
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let body = maud::html! {
        (crate::ui::heading("Modifier le service", None))
        p.actions { a href="/cantine/gestion/services" { "← Services du périscolaire" } }
        (views::service_form(&member.visitor, &people, id, form, checked))
    };
    frame(app, member, "Modifier le service", body)
}

#[handler]
pub(super) fn service_edit(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    access::manage(member.actor())?;
    let s = svc::service(&app.store, id)?.ok_or(AppError::NotFound)?;
    edit_page(
        app,
        &member,
        id,
        &views::form_of_service(&s),
        (&s.weekdays, &s.classes, &s.staff),
    )
}

#[handler]
pub(super) async fn service_save(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<ServiceFields>,
) -> AppResult<Response> {
    let granted = access::manage(member.actor())?;
    svc::service(&app.store, id)?.ok_or(AppError::NotFound)?;
    match f.read(id) {
        Ok(s) => {
            svc::save_service(&app.store, &granted, &s, auth::now_micros()).await?;
            flash(app, &member, Flash::success("Service enregistré.")).await?;
            Ok(Redirect::see_other("/cantine/gestion/services").into_response())
        }
        Err(form) => Ok(edit_page(
            app,
            &member,
            id,
            &form,
            (&f.jours, &f.classes, &f.personnel),
        )?
        .into_response()),
    }
}

#[handler]
pub(super) async fn decide(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<DecideFields>,
) -> AppResult<Redirect> {
    let granted = access::manage(member.actor())?;
    let accept = f.reponse == "accepter";
    let done = svc::decide(
        &app.store,
        &granted,
        (f.service, f.jour, f.eleve),
        accept,
        auth::now_micros(),
    )
    .await;
    let message = match done {
        Ok(_) if accept => Flash::success("Demande acceptée : la famille est prévenue."),
        Ok(_) => Flash::success("Demande refusée : la famille est prévenue."),
        Err(Failure::Refused(r)) => Flash::error(r.message().to_string()),
        Err(Failure::Store(e)) => return Err(e.into()),
    };
    flash(app, &member, message).await?;
    Ok(Redirect::see_other("/cantine/gestion"))
}

/// The people named to write the menus (ATSEM, périscolaire staff).
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct EditorsFields {
    #[serde(default)]
    redacteurs: Vec<u64>,
}

#[handler]
pub(super) async fn editors_save(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<EditorsFields>,
) -> AppResult<Redirect> {
    access::manage(member.actor())?;
    let people = People::load(&app.store)?;
    // Only staff who may be named: a stray id (another profile, an unknown one) is dropped.
    let named: Vec<u64> = f
        .redacteurs
        .iter()
        .copied()
        .filter(|id| {
            people
                .user(*id)
                .is_some_and(|u| views::may_be_named(u.profile))
        })
        .collect();
    let before = super::super::editors::editors(&app.store)?;
    let by = (member.user().id, member.user().login.clone());
    let now = auth::now_micros();
    let names: Vec<String> = named
        .iter()
        .filter_map(|id| people.user(*id).map(|u| u.login.clone()))
        .collect();
    app.store
        .commit(|tx| {
            super::super::editors::replace(tx, &before, &named)?;
            crate::canteen::audit(
                tx,
                (by.0, &by.1),
                now,
                format!("cantine : rédacteurs des menus : {}", names.join(", ")),
            )
        })
        .await?;
    flash(
        app,
        &member,
        Flash::success("Rédacteurs des menus enregistrés."),
    )
    .await?;
    Ok(Redirect::see_other("/cantine/gestion"))
}
