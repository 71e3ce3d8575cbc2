//! Handlers of the wizard (`/setup/...`).

use crate::routing::{Access, Routes};
use std::sync::atomic::Ordering;
use std::time::Instant;

use poem::web::{Data, Form, Redirect};
use poem::{handler, IntoResponse, Request, Response};

use super::views;
use super::{ClassDraft, DirectorDraft, Draft, TeacherChoice, UNLOCK_COOKIE};
use crate::app::App;
use crate::auth::throttle::french_wait;
use crate::auth::web::{cookie, cookie_header, Who};
use crate::directory::{self, Level};
use crate::error::{AppError, AppResult};
use crate::school::{self, School, Service, Zone};
use crate::ui::form::{all_values, first_value, FormState};

type Pairs = Vec<(String, String)>;

pub fn routes() -> Routes {
    use Access::SetupOnly;
    Routes::new()
        .get("/", start, SetupOnly)
        .post("/code", code_submit, SetupOnly)
        .get("/ecole", school_form, SetupOnly)
        .post("/ecole", school_submit, SetupOnly)
        .get("/direction", director_form, SetupOnly)
        .post("/direction", director_submit, SetupOnly)
        .get("/classes", classes_page, SetupOnly)
        .post("/classes", class_add, SetupOnly)
        .post("/classes/retirer", class_remove, SetupOnly)
        .get("/services", services_form, SetupOnly)
        .post("/services", services_submit, SetupOnly)
        .get("/eleves", pupils_step, SetupOnly)
        .post("/eleves", pupils_upload, SetupOnly)
        .get("/recapitulatif", summary, SetupOnly)
        .post("/recapitulatif", finish, SetupOnly)
}

fn unlocked(app: &App, req: &Request) -> bool {
    app.setup.is_unlocked(cookie(req, UNLOCK_COOKIE))
}

fn to_start() -> AppResult<Response> {
    Ok(Redirect::see_other("/setup").into_response())
}

/// The first step not yet answered.
fn next_step(draft: &Draft) -> &'static str {
    if draft.school.is_none() {
        "/setup/ecole"
    } else if draft.director.is_none() {
        "/setup/direction"
    } else if draft.classes.is_empty() {
        "/setup/classes"
    } else if draft.services.is_none() {
        "/setup/services"
    } else {
        "/setup/recapitulatif"
    }
}

#[handler]
fn start(Data(app): Data<&App>, Who(who): Who, req: &Request) -> AppResult<Response> {
    if unlocked(app, req) {
        let draft = super::load_draft(&app.store)?;
        return Ok(Redirect::see_other(next_step(&draft)).into_response());
    }
    Ok(views::code_page(&who, None).into_response())
}

#[handler]
fn code_submit(Data(app): Data<&App>, Who(who): Who, Form(f): Form<Pairs>) -> AppResult<Response> {
    let now = Instant::now();
    let key = format!("setup:{}", who.address);
    if let Some(w) = app.throttle_addresses.wait(&key, now) {
        let msg = format!(
            "Trop d'essais. Attendez {} avant de réessayer.",
            french_wait(w)
        );
        return Ok((
            poem::http::StatusCode::TOO_MANY_REQUESTS,
            views::code_page(&who, Some(&msg)),
        )
            .into_response());
    }
    let typed = first_value(&f, "code");
    if !app.setup.check_code(&typed) {
        app.throttle_addresses.fail(&key, now);
        tracing::warn!(address = %who.address, "code d'installation erroné");
        let msg = "Ce code ne correspond pas. Il est affiché dans le journal du service et dans le fichier setup-code du dossier de données.";
        return Ok((
            poem::http::StatusCode::UNAUTHORIZED,
            views::code_page(&who, Some(msg)),
        )
            .into_response());
    }
    app.throttle_addresses.succeed(&key);
    let token = app.setup.unlock();
    Ok(Redirect::see_other("/setup/ecole")
        .with_header(
            "set-cookie",
            cookie_header(app, UNLOCK_COOKIE, &token, None),
        )
        .into_response())
}

/// The school form filled with a school's values (wizard and console).
pub fn school_state(s: &School) -> FormState {
    FormState::with_values([
        ("name", s.name.clone()),
        ("uai", s.uai.clone()),
        ("address", s.address.clone()),
        ("postcode", s.postcode.clone()),
        ("commune", s.commune.clone()),
        ("academie", s.academie.clone()),
        ("zone", s.zone.code().to_string()),
    ])
}

#[handler]
fn school_form(Data(app): Data<&App>, Who(who): Who, req: &Request) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    let draft = super::load_draft(&app.store)?;
    let form = draft.school.as_ref().map(school_state).unwrap_or_default();
    Ok(views::school_page(&who, &form).into_response())
}

/// Reads and checks the school form (shared with the console's school settings).
pub fn parse_school_form(f: &Pairs, services: Vec<Service>) -> Result<School, FormState> {
    let mut form = FormState::with_values(
        [
            "name", "uai", "address", "postcode", "commune", "academie", "zone",
        ]
        .map(|k| (k, first_value(f, k).trim().to_string())),
    );
    let name = form.required("name", "le nom de l'école");
    let uai = form.value("uai").to_uppercase();
    if uai.is_empty() {
        form.error(
            "uai",
            "Indiquez l'UAI (ex-RNE) de l'école : 7 chiffres et une lettre.",
        );
    } else if !school::valid_uai(&uai) {
        form.error("uai", "Cet UAI n'est pas valide : 7 chiffres suivis d'une lettre de contrôle (ex. : 0350001L). Vérifiez-le sur ONDE.");
    }
    let commune = form.required("commune", "la commune");
    let postcode = form.value("postcode").to_string();
    let postcode_ok = postcode.len() == 5 && postcode.chars().all(|c| c.is_ascii_digit());
    if !postcode.is_empty() && !postcode_ok {
        form.error("postcode", "Le code postal compte 5 chiffres.");
    }
    let zone = Zone::from_code(form.value("zone"));
    if zone.is_none() {
        form.error("zone", "Choisissez la zone de vacances (A, B ou C).");
    }
    match (form.is_ok(), zone) {
        (true, Some(zone)) => Ok(School {
            name,
            uai,
            address: form.value("address").to_string(),
            postcode,
            commune,
            academie: form.value("academie").to_string(),
            zone,
            services,
        }),
        _ => Err(form),
    }
}

#[handler]
async fn school_submit(
    Data(app): Data<&App>,
    Who(who): Who,
    req: &Request,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    match parse_school_form(&f, Vec::new()) {
        Ok(s) => {
            let mut draft = super::load_draft(&app.store)?;
            draft.school = Some(s);
            super::save_draft(&app.store, &draft).await?;
            Ok(Redirect::see_other("/setup/direction").into_response())
        }
        Err(form) => Ok(views::school_page(&who, &form).into_response()),
    }
}

#[handler]
fn director_form(Data(app): Data<&App>, Who(who): Who, req: &Request) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    let draft = super::load_draft(&app.store)?;
    let form = match &draft.director {
        Some(d) => FormState::with_values([
            ("first_name", d.first_name.clone()),
            ("last_name", d.last_name.clone()),
            ("login", d.login.clone()),
            ("email", d.email.clone().unwrap_or_default()),
        ]),
        None => FormState::new(),
    };
    Ok(views::director_page(&who, &form, draft.director.is_some()).into_response())
}

#[handler]
async fn director_submit(
    Data(app): Data<&App>,
    Who(who): Who,
    req: &Request,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    let mut draft = super::load_draft(&app.store)?;
    let mut form = FormState::with_values(
        ["first_name", "last_name", "login", "email"]
            .map(|k| (k, first_value(&f, k).trim().to_string())),
    );
    let first_name = form.required("first_name", "votre prénom");
    let last_name = form.required("last_name", "votre nom");
    let login = match directory::normalize_login(form.value("login")) {
        Ok(l) => l,
        Err(m) => {
            form.error("login", m);
            String::new()
        }
    };
    let email = form.value("email").to_string();
    let email_ok = email.contains('@') && email.contains('.');
    if !email.is_empty() && !email_ok {
        form.error("email", "Cette adresse électronique n'est pas valide.");
    }
    let password = first_value(&f, "password");
    let confirm = first_value(&f, "password_confirm");
    let keep_old = password.is_empty() && draft.director.is_some();
    if !keep_old {
        if let Err(m) = crate::auth::password::check_strength(&password) {
            form.error("password", m);
        } else if password != confirm {
            form.error(
                "password_confirm",
                "Les deux mots de passe ne sont pas identiques.",
            );
        }
    }
    if !form.is_ok() {
        return Ok(views::director_page(&who, &form, draft.director.is_some()).into_response());
    }
    let password_hash = match (&draft.director, keep_old) {
        (Some(d), true) => d.password_hash.clone(),
        _ => crate::auth::password::hash(password, app.settings.bcrypt_cost).await?,
    };
    draft.director = Some(DirectorDraft {
        first_name,
        last_name,
        login,
        email: (!email.is_empty()).then_some(email),
        password_hash,
    });
    super::save_draft(&app.store, &draft).await?;
    Ok(Redirect::see_other("/setup/classes").into_response())
}

#[handler]
fn classes_page(Data(app): Data<&App>, Who(who): Who, req: &Request) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    let draft = super::load_draft(&app.store)?;
    Ok(views::classes_page(&who, &draft, &FormState::new(), &[]).into_response())
}

/// Reads the class form (shared with the console).
pub fn parse_class_form(f: &Pairs) -> Result<(String, Vec<Level>), (FormState, Vec<String>)> {
    let mut form =
        FormState::with_values(["label"].map(|k| (k, first_value(f, k).trim().to_string())));
    let level_codes = all_values(f, "levels");
    let levels: Vec<Level> = level_codes
        .iter()
        .filter_map(|c| Level::from_code(c))
        .collect();
    let label = form.required("label", "le nom de la classe");
    if label.chars().count() > 60 {
        form.error(
            "label",
            "Le nom de la classe est trop long (60 caractères au plus).",
        );
    }
    if levels.is_empty() {
        form.error("levels", "Cochez au moins un niveau.");
    }
    if form.is_ok() {
        Ok((label, levels))
    } else {
        Err((form, level_codes))
    }
}

#[handler]
async fn class_add(
    Data(app): Data<&App>,
    Who(who): Who,
    req: &Request,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    let mut draft = super::load_draft(&app.store)?;
    if first_value(&f, "action") == "continuer" {
        if draft.classes.is_empty() {
            let mut form = FormState::new();
            form.error("label", "Ajoutez au moins une classe avant de continuer.");
            return Ok(views::classes_page(&who, &draft, &form, &[]).into_response());
        }
        return Ok(Redirect::see_other("/setup/services").into_response());
    }
    let teacher_kind = first_value(&f, "teacher");
    let teacher_first = first_value(&f, "teacher_first_name").trim().to_string();
    let teacher_last = first_value(&f, "teacher_last_name").trim().to_string();
    let parsed = parse_class_form(&f);
    let (mut form, codes, ok) = match &parsed {
        Ok(_) => (FormState::new(), Vec::new(), true),
        Err((form, codes)) => (form.clone(), codes.clone(), false),
    };
    form.set("teacher", teacher_kind.clone());
    form.set("teacher_first_name", teacher_first.clone());
    form.set("teacher_last_name", teacher_last.clone());
    let teacher = match teacher_kind.as_str() {
        "director" => Some(TeacherChoice::Director),
        "later" => Some(TeacherChoice::Later),
        "other" => {
            if teacher_first.is_empty() {
                form.error("teacher_first_name", "Indiquez le prénom de l'enseignant.");
            }
            if teacher_last.is_empty() {
                form.error("teacher_last_name", "Indiquez le nom de l'enseignant.");
            }
            Some(TeacherChoice::Other {
                first_name: teacher_first.clone(),
                last_name: teacher_last.clone(),
            })
        }
        _ => {
            form.error("teacher", "Choisissez qui enseigne dans cette classe.");
            None
        }
    };
    if let Ok((label, _)) = &parsed {
        if draft
            .classes
            .iter()
            .any(|c| c.label.eq_ignore_ascii_case(label))
        {
            form.error("label", "Une classe porte déjà ce nom.");
        }
    }
    match (parsed, teacher) {
        (Ok((label, levels)), Some(teacher)) if ok && form.is_ok() => {
            draft.classes.push(ClassDraft {
                label,
                levels,
                teacher,
            });
            super::save_draft(&app.store, &draft).await?;
            Ok(Redirect::see_other("/setup/classes").into_response())
        }
        (Ok((label, levels)), _) => {
            form.set("label", label);
            let codes: Vec<String> = levels.iter().map(|l| l.code().to_string()).collect();
            Ok(views::classes_page(&who, &draft, &form, &codes).into_response())
        }
        _ => Ok(views::classes_page(&who, &draft, &form, &codes).into_response()),
    }
}

#[handler]
async fn class_remove(
    Data(app): Data<&App>,
    req: &Request,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    let mut draft = super::load_draft(&app.store)?;
    let index: usize = first_value(&f, "index")
        .parse()
        .map_err(|_| AppError::BadRequest("Classe inconnue.".into()))?;
    if index < draft.classes.len() {
        draft.classes.remove(index);
        super::save_draft(&app.store, &draft).await?;
    }
    Ok(Redirect::see_other("/setup/classes").into_response())
}

#[handler]
fn services_form(Data(app): Data<&App>, Who(who): Who, req: &Request) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    let draft = super::load_draft(&app.store)?;
    let chosen = draft
        .services
        .clone()
        .unwrap_or_else(|| Service::ALL.to_vec());
    let home = crate::net::acme::views::state_of(&crate::net::acme::settings(&app.store)?);
    Ok(views::services_page(&who, &chosen, &home).into_response())
}

#[handler]
async fn services_submit(
    Data(app): Data<&App>,
    Who(who): Who,
    req: &Request,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    let mut draft = super::load_draft(&app.store)?;
    let chosen: Vec<Service> = all_values(&f, "services")
        .iter()
        .filter_map(|s| Service::from_slug(s))
        .collect();
    // Saved at once, like the console does: the certificate job starts on it. A form
    // without the question (a script) leaves the setting as it was.
    if f.iter().any(|(k, _)| k == "acces") {
        match crate::net::acme::routes::parse(&f) {
            Ok(home) => crate::net::acme::routes::save(app, &home, None).await?,
            Err(home) => {
                let page = views::services_page(&who, &chosen, &home);
                return Ok(crate::ui::form::invalid(page));
            }
        }
    }
    draft.services = Some(chosen);
    super::save_draft(&app.store, &draft).await?;
    Ok(Redirect::see_other("/setup/eleves").into_response())
}

#[handler]
fn pupils_step(Data(app): Data<&App>, Who(who): Who, req: &Request) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    Ok(views::pupils_page(&who, None).into_response())
}

#[handler]
async fn pupils_upload(
    Data(app): Data<&App>,
    Who(who): Who,
    req: &Request,
    mut multipart: poem::web::Multipart,
) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    let upload = match crate::directory::import_routes::read_upload(&mut multipart).await {
        Ok(u) => u,
        Err(msg) => return Ok(views::pupils_page(&who, Some(&msg)).into_response()),
    };
    // Checked now so that a wrong file is caught at this step, not after installation.
    for (name, bytes) in &upload.files {
        let check = match name.as_str() {
            "eleves" => {
                crate::directory::onde::parse_pupils(bytes, &Default::default()).map(|_| ())
            }
            "responsables" => crate::directory::onde::parse_guardians(bytes).map(|_| ()),
            _ => continue,
        };
        if let Err(e) = check {
            let which = if name == "eleves" {
                "élèves"
            } else {
                "responsables"
            };
            return Ok(
                views::pupils_page(&who, Some(&format!("Fichier des {which} : {e}")))
                    .into_response(),
            );
        }
    }
    let pending = upload.into_pending(true, None);
    if pending.pupils.is_none() && pending.guardians.is_none() {
        return Ok(views::pupils_page(
            &who,
            Some("Choisissez au moins un fichier, ou passez cette étape."),
        )
        .into_response());
    }
    let key = crate::auth::random_token();
    let mut draft = super::load_draft(&app.store)?;
    draft.pending_import = Some(key.clone());
    let k = key.clone();
    app.store
        .commit(|tx| {
            tx.put(&crate::directory::import::PENDING, &k, &pending)?;
            tx.put(&super::DRAFT, &super::DRAFT_KEY.to_string(), &draft)
        })
        .await?;
    Ok(Redirect::see_other("/setup/recapitulatif").into_response())
}

#[handler]
fn summary(Data(app): Data<&App>, Who(who): Who, req: &Request) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    let draft = super::load_draft(&app.store)?;
    Ok(views::summary_page(&who, &draft, next_step(&draft)).into_response())
}

#[handler]
async fn finish(Data(app): Data<&App>, Who(who): Who, req: &Request) -> AppResult<Response> {
    if !unlocked(app, req) {
        return to_start();
    }
    let draft = super::load_draft(&app.store)?;
    if next_step(&draft) != "/setup/recapitulatif" {
        return Ok(Redirect::see_other(next_step(&draft)).into_response());
    }
    let others = draft
        .classes
        .iter()
        .filter(|c| matches!(c.teacher, TeacherChoice::Other { .. }))
        .count();
    let mut passwords = Vec::with_capacity(others);
    for _ in 0..others {
        let clear = crate::auth::password::generate_readable(10);
        let hash = crate::auth::password::hash(clear.clone(), app.settings.bcrypt_cost).await?;
        passwords.push((hash, clear));
    }
    let now = crate::auth::now_micros();
    let store = app.store.clone();
    let d = draft.clone();
    let (director_id, created) =
        tokio::task::spawn_blocking(move || super::complete(&store, &d, &passwords, now))
            .await
            .map_err(anyhow::Error::from)??;
    app.installed.store(true, Ordering::Release);
    app.setup.lock_for_good();
    tracing::info!("installation terminée");
    let token =
        crate::auth::open_session(&app.store, director_id, &who.address, &who.user_agent, now)
            .await?;
    let max_age = (app.settings.session_max_days * 86_400) as i64;
    let school = crate::school::get(&app.store)?;
    let mut resp = views::done_page(
        &who,
        school.as_ref(),
        &created,
        draft.pending_import.as_deref(),
    )
    .into_response();
    for c in [
        cookie_header(app, crate::auth::SESSION_COOKIE, &token, Some(max_age)),
        cookie_header(app, UNLOCK_COOKIE, "", Some(0)),
    ] {
        if let Ok(v) = poem::http::HeaderValue::from_str(&c) {
            resp.headers_mut().append(poem::http::header::SET_COOKIE, v);
        }
    }
    Ok(resp)
}
