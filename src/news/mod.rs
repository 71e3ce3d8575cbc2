//! Actualités (/actualites): news of the school (director), of a class (its teacher), of
//! the collectivité (municipal staff), with a publication date, an optional expiry, an
//! audience, an image and pinning. Each person's home page shows what is meant for them.
//! [`Audience`] is shared with the agenda.

use crate::routing::{Access, Object, Routes};
use maud::{html, Markup};
use poem::web::{Data, Multipart, Path, Redirect};
use poem::{handler, IntoResponse, Request, Response};
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::attachments::{self, Attachment};
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{may, Action, Profile};
use crate::store::{Result, Store, Table};
use crate::ui::form::{all_values, first_value, Field, FormState};
use crate::ui::{csrf_input, dates, richtext};

pub const NEWS: Table<u64, News> = Table::new("news");
pub const TABLES: &[&str] = &[
    NEWS.name,
    index::BY_AUDIENCE_END.name,
    index::BY_AUTHOR.name,
];

mod card;
mod index;
mod viewer;

pub use card::card;
use card::{author_name, source_label};
pub use index::{for_viewer, insert, migrate_v4_indexes, newest_for_viewer};
pub use viewer::Viewer;

/// Who something published is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Audience {
    All,
    /// The members of these classes and the parents of their pupils.
    Classes(Vec<u64>),
    Parents,
    Staff,
}

impl Audience {
    /// Whether `user` is meant to see it (the director sees everything).
    pub fn includes(&self, people: &People, user: u64) -> bool {
        Viewer::of(people, user).is_some_and(|v| self.includes_viewer(&v))
    }

    pub fn includes_viewer(&self, v: &Viewer) -> bool {
        if v.director {
            return true;
        }
        match self {
            Audience::All => true,
            Audience::Classes(cs) => v.classes.iter().any(|c| cs.contains(c)),
            Audience::Parents => v.profile == Profile::Responsable,
            Audience::Staff => v.profile.is_staff(),
        }
    }

    pub fn label(&self, people: &People) -> String {
        match self {
            Audience::All => "toute l'école".into(),
            Audience::Classes(cs) => format!(
                "classe{} {}",
                if cs.len() > 1 { "s" } else { "" },
                cs.iter()
                    .filter_map(|c| people.class(*c).map(|c| c.label.clone()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Audience::Parents => "les parents".into(),
            Audience::Staff => "les personnels".into(),
        }
    }

    /// Reads the audience fields of a form: `audience` (tous / parents / personnels /
    /// classes) and `classe` (repeated).
    pub fn from_form(texts: &[(String, String)]) -> Option<Audience> {
        match first_value(texts, "audience").as_str() {
            "tous" => Some(Audience::All),
            "parents" => Some(Audience::Parents),
            "personnels" => Some(Audience::Staff),
            "classes" => {
                let cs: Vec<u64> = all_values(texts, "classe")
                    .iter()
                    .filter_map(|c| c.parse().ok())
                    .collect();
                (!cs.is_empty()).then_some(Audience::Classes(cs))
            }
            _ => None,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Audience::All => "tous",
            Audience::Classes(_) => "classes",
            Audience::Parents => "parents",
            Audience::Staff => "personnels",
        }
    }
}

/// The audience fields, for a form.
pub fn audience_fields(people: &People, chosen: &Audience, form: &FormState) -> Markup {
    let classes: &[u64] = match chosen {
        Audience::Classes(cs) => cs,
        _ => &[],
    };
    html! {
        fieldset.field.has-error[form.errors.contains_key("audience")] {
            legend { "Pour qui ?" }
            @if let Some(e) = form.errors.get("audience") { p.error { (e) } }
            @for (code, label) in [("tous", "Toute l'école"), ("parents", "Les parents seulement"), ("personnels", "Les personnels seulement"), ("classes", "Des classes (leurs élèves, leurs parents, leur équipe) :")] {
                div.check { input type="radio" id=(format!("aud-{code}")) name="audience" value=(code) checked[chosen.code() == code]; label for=(format!("aud-{code}")) { (label) } }
            }
            div.options {
                @for c in &people.classes {
                    div.check { input type="checkbox" id=(format!("aud-c{}", c.id)) name="classe" value=(c.id) checked[classes.contains(&c.id)]; label for=(format!("aud-c{}", c.id)) { (c.label) } }
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Source {
    School,
    Class(u64),
    Commune,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct News {
    pub id: u64,
    pub source: Source,
    pub author: u64,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub image: Option<Attachment>,
    pub audience: Audience,
    pub publish_at: i64,
    #[serde(default)]
    pub expires_at: Option<i64>,
    #[serde(default)]
    pub pinned: bool,
    pub created_at: i64,
}

impl News {
    pub fn live(&self, now: i64) -> bool {
        self.publish_at <= now && self.expires_at.is_none_or(|e| e > now)
    }
}

pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    Ok(store
        .scan(&NEWS)?
        .into_iter()
        .filter_map(|(_, n)| n.image.map(|i| i.blob))
        .collect())
}

fn may_publish(member: &Member, source: &Source) -> bool {
    match source {
        Source::School => may(
            member.actor(),
            Action::PublishNews {
                class_id: None,
                commune: false,
            },
        ),
        Source::Class(c) => may(
            member.actor(),
            Action::PublishNews {
                class_id: Some(*c),
                commune: false,
            },
        ),
        Source::Commune => may(
            member.actor(),
            Action::PublishNews {
                class_id: None,
                commune: true,
            },
        ),
    }
}

/// The sources this person may publish from.
fn sources(member: &Member, people: &People) -> Vec<(Source, String)> {
    let mut out = Vec::new();
    if may_publish(member, &Source::School) {
        out.push((Source::School, "L'école".to_string()));
    }
    for c in &people.classes {
        if may_publish(member, &Source::Class(c.id)) {
            out.push((Source::Class(c.id), format!("La classe {}", c.label)));
        }
    }
    if may_publish(member, &Source::Commune) {
        out.push((Source::Commune, "La commune".to_string()));
    }
    out
}

fn source_code(s: &Source) -> String {
    match s {
        Source::School => "ecole".into(),
        Source::Class(c) => format!("classe-{c}"),
        Source::Commune => "commune".into(),
    }
}

pub fn routes() -> Routes {
    let reader = Access::Object(Object::NewsReader);
    let author = Access::Object(Object::NewsAuthor);
    Routes::new()
        .get("/", list_page, Access::Member)
        .get("/nouvelle", new_form, Access::Teacher)
        .post("/nouvelle", new_submit, Access::Teacher)
        .get("/:id", show, reader)
        .get("/:id/image", image_file, reader)
        .post("/:id/epingler", pin, author)
        .post("/:id/supprimer", remove, author)
}

fn frame(app: &App, member: &Member, title: &str, body: Markup) -> AppResult<Markup> {
    app.page(&member.visitor, title, "/actualites", body)
}

#[handler]
fn list_page(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let now = auth::now_micros();
    let news = for_viewer(
        &app.store,
        &Viewer::of_actor(&app.store, member.actor())?,
        now,
    )?;
    let mine: Vec<News> = index::by_author(&app.store, member.user().id)?
        .into_iter()
        .filter(|n| !n.live(now))
        .collect();
    let body = html! {
        (crate::ui::heading("Actualités", None))
        @if !sources(&member, &people).is_empty() { p { a.button.primary href="/actualites/nouvelle" { "Publier une actualité" } } }
        @if !mine.is_empty() {
            section.panel {
                h2 { "Mes actualités à venir ou expirées" }
                ul { @for n in &mine { li { a href=(format!("/actualites/{}", n.id)) { (n.title) } " — " @if n.publish_at > now { "publiée le " (dates::long_datetime(n.publish_at)) } @else { "expirée" } } } }
            }
        }
        @if news.is_empty() { p.empty { "Aucune actualité pour le moment." } }
        // The cards' titles are h3 (under the home page's h2): the list needs its h2 too.
        @else { h2.sr { "Les actualités" } }
        @for n in &news { (card(&app.store, &people, n)) }
    };
    frame(app, &member, "Actualités", body)
}

fn form_page(
    app: &App,
    member: &Member,
    people: &People,
    form: &FormState,
    audience: &Audience,
) -> AppResult<Markup> {
    let choices: Vec<(String, String)> = sources(member, people)
        .iter()
        .map(|(s, l)| (source_code(s), l.clone()))
        .collect();
    let action = format!(
        "/actualites/nouvelle?{}={}",
        crate::auth::csrf::FIELD,
        member.visitor.csrf
    );
    let body = html! {
        (crate::ui::heading("Publier une actualité", None))
        section.panel {
            (crate::ui::form::error_summary(form))
            form method="post" action=(action) enctype="multipart/form-data" novalidate {
                (csrf_input(&member.visitor))
                (crate::ui::form::select(form, "source", "De la part de", &choices, true))
                (Field::text("title", "Titre").required().render(form))
                div.field.has-error[form.errors.contains_key("body")] {
                    label for="f-body" { "Texte" abbr title="obligatoire" { " *" } }
                    @if let Some(e) = form.errors.get("body") { p.error { (e) } }
                    textarea #f-body name="body" rows="8" { (form.value("body")) }
                }
                (audience_fields(people, audience, form))
                div.row {
                    (Field::text("publish_at", "Publier le (facultatif)").kind("date").hint("Vide : tout de suite.").render(form))
                    (Field::text("expires_at", "Retirer le (facultatif)").kind("date").render(form))
                }
                div.check { input #f-pinned type="checkbox" name="pinned" value="1" checked[form.value("pinned") == "1"]; label for="f-pinned" { "Épingler en haut des actualités" } }
                div.field.has-error[form.errors.contains_key("image")] {
                    label for="f-image" { "Image (facultative)" }
                    @if let Some(e) = form.errors.get("image") { p.error { (e) } }
                    input #f-image type="file" name="image" accept="image/*";
                }
                button.primary type="submit" { "Publier" }
            }
        }
    };
    frame(app, member, "Publier une actualité", body)
}

#[handler]
fn new_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    if sources(&member, &people).is_empty() {
        return Err(AppError::Forbidden);
    }
    form_page(app, &member, &people, &FormState::new(), &Audience::All)
}

#[handler]
async fn new_submit(
    Data(app): Data<&App>,
    member: Member,
    multipart: poem::Result<Multipart>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    let allowed = sources(&member, &people);
    if allowed.is_empty() {
        return Err(AppError::Forbidden);
    }
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Formulaire illisible.".into()))?;
    let (texts, files, errors) = crate::attachments::read_form(
        &app.store,
        member.actor(),
        &mut multipart,
        attachments::Limits::ONE_FILE,
    )
    .await?
    .parts();
    let now = auth::now_micros();
    let mut form = FormState::with_values(
        [
            "source",
            "title",
            "body",
            "publish_at",
            "expires_at",
            "pinned",
        ]
        .map(|k| (k, first_value(&texts, k))),
    );
    let source = allowed
        .iter()
        .find(|(s, _)| source_code(s) == form.value("source"))
        .map(|(s, _)| s.clone());
    if source.is_none() {
        form.error("source", "Choisissez de la part de qui.");
    }
    let title = form.required("title", "le titre");
    if form.value("body").trim().is_empty() {
        form.error("body", "Le texte est vide.");
    }
    let mut audience = Audience::from_form(&texts);
    if let Some(Source::Class(c)) = source {
        // A class's news is for its class.
        audience = Some(Audience::Classes(vec![c]));
    }
    if audience.is_none() {
        form.error(
            "audience",
            "Choisissez pour qui (et au moins une classe si vous choisissez des classes).",
        );
    }
    let day = |field: &str, form: &mut FormState| -> Option<i64> {
        let v = form.value(field).trim().to_string();
        if v.is_empty() {
            return None;
        }
        match dates::parse_date(&v) {
            Some(d) => Some(dates::start_of_day(d)),
            None => {
                form.error(field, "Cette date n'est pas valide.");
                None
            }
        }
    };
    let publish_at = day("publish_at", &mut form).unwrap_or(now);
    let expires_at = day("expires_at", &mut form);
    if expires_at.is_some_and(|e| e <= publish_at) {
        form.error(
            "expires_at",
            "La date de retrait doit venir après la publication.",
        );
    }
    // Reduced and without EXIF already: the reader published it.
    let image = files.into_iter().next();
    if let Some(e) = errors.first() {
        form.error("image", e.clone());
    } else if image
        .as_ref()
        .is_some_and(|i| !i.mime.starts_with("image/"))
    {
        form.error("image", "Ce fichier n'est pas une image.");
    }
    if !form.is_ok() {
        return Ok((
            poem::http::StatusCode::BAD_REQUEST,
            form_page(
                app,
                &member,
                &people,
                &form,
                audience.as_ref().unwrap_or(&Audience::All),
            )?,
        )
            .into_response());
    }
    let news = News {
        id: 0,
        source: source.unwrap_or(Source::School),
        author: member.user().id,
        title,
        body: form.value("body").to_string(),
        image,
        audience: audience.unwrap_or(Audience::All),
        publish_at,
        expires_at,
        pinned: form.value("pinned") == "1",
        created_at: now,
    };
    let id = app
        .store
        .commit(|tx| {
            let id = tx.next_id("news")?;
            insert(tx, &News { id, ..news.clone() })?;
            crate::stats::count(tx, crate::stats::Created::News, member.user().profile, now)?;
            Ok(id)
        })
        .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Actualité publiée."),
    )
    .await?;
    Ok(Redirect::see_other(format!("/actualites/{id}")).into_response())
}

pub(crate) fn load(
    app: &App,
    member: &Member,
    id: u64,
) -> AppResult<(News, std::sync::Arc<People>)> {
    let n = app.store.get(&NEWS, &id)?.ok_or(AppError::NotFound)?;
    let people = People::load(&app.store)?;
    let own = n.author == member.user().id || may_publish(member, &n.source);
    // Seen with the classes that opened the actualités to this person (the service's gate
    // narrowed them).
    let viewer = Viewer::of_actor(&app.store, member.actor())?;
    let meant = n.live(auth::now_micros()) && n.audience.includes_viewer(&viewer);
    if !(own || meant) {
        return Err(AppError::Forbidden);
    }
    Ok((n, people))
}

#[handler]
fn show(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Markup> {
    let (n, people) = load(app, &member, id)?;
    let manage = may_publish(&member, &n.source);
    let body = html! {
        (crate::ui::heading(&n.title, Some(&format!("{} — {} — pour {}", source_label(&people, &n.source), dates::long_date(n.publish_at), n.audience.label(&people)))))
        section.panel {
            @if n.image.is_some() { img.preview src=(format!("/actualites/{id}/image")) alt=""; }
            (crate::ui::listen::button(&format!("titre actualite-{id}")))
            div.richtext id=(format!("actualite-{id}")) { (richtext::render(&n.body)) }
            p.small { "Par " (author_name(&people, n.author)) @if let Some(e) = n.expires_at { " — retirée le " (dates::long_date(e)) } }
        }
        @if manage {
            div.actions {
                form method="post" action=(format!("/actualites/{id}/epingler")) { (csrf_input(&member.visitor)) button type="submit" { @if n.pinned { "Désépingler" } @else { "Épingler" } } }
                form method="post" action=(format!("/actualites/{id}/supprimer")) { (csrf_input(&member.visitor)) button.danger type="submit" data-confirm="Supprimer cette actualité ?" { "Supprimer" } }
            }
        }
    };
    frame(app, &member, &n.title, body)
}

#[handler]
async fn image_file(
    req: &Request,
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let (n, _) = load(app, &member, id)?;
    let i = n.image.ok_or(AppError::NotFound)?;
    Ok(attachments::serve(&app.store, &i, attachments::range(req)).await)
}

#[handler]
async fn pin(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let mut n = app.store.get(&NEWS, &id)?.ok_or(AppError::NotFound)?;
    if !may_publish(&member, &n.source) {
        return Err(AppError::Forbidden);
    }
    n.pinned = !n.pinned;
    app.store.commit(|tx| insert(tx, &n)).await?;
    Ok(Redirect::see_other(format!("/actualites/{id}")))
}

#[handler]
async fn remove(Data(app): Data<&App>, member: Member, Path(id): Path<u64>) -> AppResult<Redirect> {
    let n = app.store.get(&NEWS, &id)?.ok_or(AppError::NotFound)?;
    if !may_publish(&member, &n.source) {
        return Err(AppError::Forbidden);
    }
    app.store.commit(|tx| index::remove(tx, id)).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Actualité supprimée."),
    )
    .await?;
    Ok(Redirect::see_other("/actualites"))
}
