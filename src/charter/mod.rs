//! The ENT charter (edited by the director, versioned: a new version asks everybody
//! again) and the RGPD information notice, both reachable from every page's footer.

use crate::routing::{Access, Routes};
use crate::ui::input::FormInput;
use maud::{html, Markup};
use poem::web::{Data, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::auth::web::{safe_next, Member, Who};
use crate::auth::{self, Flash};
use crate::directory;
use crate::error::AppResult;
use crate::policy::{require, Action};
use crate::school::School;
use crate::ui::{csrf_input, dates};

const CHARTER_KEY: &str = "charter";
/// The version alone, read on every page (the text is not).
const VERSION_KEY: &str = "charter_version";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Charter {
    pub version: u32,
    pub text: String,
    pub updated_at: i64,
}

/// The charter every account starts with; the director adapts it.
pub const DEFAULT_CHARTER: &str = "Charte d'utilisation de l'espace numérique de travail

L'espace numérique de travail (ENT) de l'école est réservé aux élèves, à leurs responsables légaux et aux personnels de l'école. Il sert à la vie de l'école et aux apprentissages.

En l'utilisant, je m'engage à :
- garder mon mot de passe pour moi et ne jamais utiliser le compte de quelqu'un d'autre ;
- écrire avec politesse et respect, comme je le ferais en face de la personne ;
- ne publier que des textes, images et sons que j'ai le droit de publier, et jamais la photo ou la voix de quelqu'un sans son accord ;
- ne pas diffuser en dehors de l'école ce que je lis dans l'ENT ;
- prévenir un adulte de l'école si quelque chose me choque ou me met mal à l'aise.

L'école peut suspendre un compte qui ne respecte pas cette charte. Les connexions sont enregistrées et conservées un an au plus.";

/// The current charter (the default one until the director edits it).
pub fn current(store: &crate::store::Store) -> crate::store::Result<Charter> {
    Ok(store.meta(CHARTER_KEY)?.unwrap_or(Charter {
        version: 1,
        text: DEFAULT_CHARTER.to_string(),
        updated_at: 0,
    }))
}

/// Whether this person must (re)accept the charter before going on. Pupils are not
/// asked on screen: at their age the charter is read in class and signed by their
/// guardians, who accept it when they activate their own account.
pub fn must_accept(store: &crate::store::Store, user: &directory::User) -> bool {
    user.profile != crate::policy::Profile::Eleve
        && current_version(store)
            .map(|v| user.charter_version < v)
            .unwrap_or(false)
}

/// The charter's version in force (1 before any edit), kept in memory: every request of a
/// signed-in person asks for it.
fn current_version(store: &crate::store::Store) -> crate::store::Result<u32> {
    struct Version(u32);
    let kept = store.derived(&[crate::store::META.name], |s| {
        Ok(Version(s.meta::<u32>(VERSION_KEY)?.unwrap_or(1)))
    })?;
    Ok(kept.0)
}

/// Paragraphs of a plain text, with « - » lines as a list.
pub fn render_text(text: &str) -> Markup {
    html! {
        @for block in text.split("\n\n") {
            @let lines: Vec<&str> = block.lines().collect();
            @if lines.iter().all(|l| l.trim_start().starts_with("- ")) {
                ul { @for l in &lines { li { (l.trim_start().trim_start_matches("- ")) } } }
            } @else if let Some((first, rest)) = lines.split_first().filter(|(_, rest)| !rest.is_empty() && rest.iter().all(|l| l.trim_start().starts_with("- "))) {
                p { (first) }
                ul { @for l in rest { li { (l.trim_start().trim_start_matches("- ")) } } }
            } @else {
                p { @for (i, l) in lines.iter().enumerate() { @if i > 0 { br; } (l) } }
            }
        }
    }
}

/// `/charte`, `/informations`, and the charter's console page.
pub fn routes() -> Routes {
    Routes::new()
        .nest(
            "/charte",
            Routes::new()
                .get("/", show, Access::Public)
                .post("/accepter", accept, Access::Member),
        )
        .get("/informations", notice_page, Access::Public)
        .console(
            "/charte",
            Routes::new().get("/", edit_form, Access::Director).post(
                "/",
                edit_submit,
                Access::Director,
            ),
        )
}

#[derive(Deserialize, Default)]
struct NextQuery {
    suite: Option<String>,
}

#[handler]
fn show(Data(app): Data<&App>, Who(who): Who, Query(q): Query<NextQuery>) -> AppResult<Markup> {
    let charter = current(&app.store)?;
    let pending = who
        .signed_in
        .as_ref()
        .map(|s| must_accept(&app.store, &s.user))
        .unwrap_or(false);
    let body = html! {
        section.panel.reading {
            p.kicker { "Version " (charter.version) @if charter.updated_at > 0 { " du " (dates::long_date(charter.updated_at)) } }
            (render_text(&charter.text))
            @if pending {
                form method="post" action="/charte/accepter" {
                    (csrf_input(&who))
                    input type="hidden" name="suite" value=(safe_next(q.suite.as_deref()));
                    div.field.check {
                        input #f-accept type="checkbox" name="accept" value="oui" required;
                        label for="f-accept" { "J'ai lu la charte et je m'engage à la respecter." }
                    }
                    button.primary type="submit" { "Accepter et continuer" }
                }
            }
        }
    };
    app.page(&who, "Charte de l'ENT", "", body)
}

/// Accepting the charter, then back where the person was going.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CharterAcceptance {
    suite: String,
    accept: String,
}

#[handler]
async fn accept(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<CharterAcceptance>,
) -> AppResult<Response> {
    let next = safe_next(Some(&f.suite));
    if f.accept != "oui" {
        auth::push_flash(
            &app.store,
            &member.me.session_key,
            Flash::error("Cochez la case pour accepter la charte."),
        )
        .await?;
        return Ok(Redirect::see_other(format!(
            "/charte?suite={}",
            crate::auth::web::urlencode(&next)
        ))
        .into_response());
    }
    let version = current(&app.store)?.version;
    let id = member.user().id;
    app.store
        .commit_checked(|tx| {
            if let Some(mut u) = directory::user_in(tx, id)? {
                u.charter_version = version;
                directory::save_user(tx, &u)?;
            }
            Ok(())
        })
        .await?;
    Ok(Redirect::see_other(next).into_response())
}

/// Console: edit the charter (a new version asks everybody again).

#[handler]
fn edit_form(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::EditSchool)?;
    let charter = current(&app.store)?;
    let body = html! {
        (crate::ui::heading("Charte de l'ENT", Some("Chaque modification crée une nouvelle version que tout le monde devra accepter à sa prochaine connexion.")))
        section.panel {
            form method="post" action="/admin/charte" {
                (csrf_input(&member.visitor))
                div.field {
                    label for="f-text" { "Texte de la charte (version " (charter.version) ")" }
                    p.hint #f-text-aide { "Un paragraphe par bloc, séparés par une ligne vide ; une ligne commençant par « - » fait une liste." }
                    textarea #f-text name="text" rows="18" aria-describedby="f-text-aide" { (charter.text) }
                }
                button.primary type="submit" { "Publier une nouvelle version" }
            }
        }
    };
    app.console_page(&member.visitor, "Charte", "/admin/charte", body)
}

/// The charter's new text.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CharterText {
    text: String,
}

#[handler]
async fn edit_submit(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<CharterText>,
) -> AppResult<Response> {
    require(member.actor(), Action::EditSchool)?;
    let text = f.text.clone().replace("\r\n", "\n").trim().to_string();
    if text.chars().count() < 20 {
        auth::push_flash(
            &app.store,
            &member.me.session_key,
            Flash::error("Le texte de la charte est trop court."),
        )
        .await?;
        return Ok(Redirect::see_other("/admin/charte").into_response());
    }
    let old = current(&app.store)?;
    if old.text == text {
        auth::push_flash(
            &app.store,
            &member.me.session_key,
            Flash::info("Texte inchangé : pas de nouvelle version."),
        )
        .await?;
        return Ok(Redirect::see_other("/admin/charte").into_response());
    }
    let charter = Charter {
        version: old.version + 1,
        text,
        updated_at: auth::now_micros(),
    };
    let actor = member.user().id;
    // The director accepts the version they wrote.
    app.store
        .commit_checked(|tx| {
            tx.set_meta(CHARTER_KEY, &charter)?;
            tx.set_meta(VERSION_KEY, &charter.version)?;
            if let Some(mut u) = directory::user_in(tx, actor)? {
                u.charter_version = charter.version;
                directory::save_user(tx, &u)?;
            }
            Ok(())
        })
        .await?;
    crate::auth::journal::audit(
        app,
        &member,
        format!("Charte : nouvelle version {}", charter.version),
    )
    .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success(format!("Version {} publiée.", charter.version)),
    )
    .await?;
    Ok(Redirect::see_other("/admin/charte").into_response())
}

/// The RGPD information notice, filled from the school's record.
pub fn notice(school: Option<&School>, retention_months: u64) -> Markup {
    let name = school.map(|s| s.name.as_str()).unwrap_or("l'école");
    let academie = school
        .map(|s| s.academie.as_str())
        .filter(|a| !a.is_empty())
        .unwrap_or("de rattachement");
    html! {
        h1 { "Informations sur vos données personnelles" }
        p { "L'espace numérique de travail de " (name) " est un traitement de données personnelles mis en œuvre pour l'école, dans le cadre de l'arrêté du 30 novembre 2006 relatif aux espaces numériques de travail." }
        h2 { "Responsable du traitement" }
        p { "Le directeur académique des services de l'éducation nationale (DSDEN) agissant pour l'académie " (academie) ", pour l'école. " "Vous pouvez contacter le délégué à la protection des données (DPO) de l'académie " (academie) " par l'intermédiaire de la direction de l'école." }
        h2 { "Finalités" }
        ul {
            li { "Permettre aux élèves, aux responsables légaux et aux personnels de communiquer et de travailler ensemble." }
            li { "Publier les informations de l'école et des classes, donner et rendre du travail." }
        }
        h2 { "Données traitées" }
        p { "Identité (nom, prénom, classe, profil), identifiants de connexion, coordonnées fournies par l'école (courriel, téléphone), contenus que vous publiez, journaux de connexion. Les données restent sur le serveur de l'école." }
        h2 { "Durées de conservation" }
        ul {
            li { "Journaux de connexion : " (retention_months) " mois." }
            li { "Comptes des élèves ayant quitté l'école : supprimés au plus tard 3 mois après leur départ." }
        }
        h2 { "Vos droits" }
        p { "Vous disposez d'un droit d'accès, de rectification, d'effacement et de limitation du traitement. Adressez-vous à la direction de l'école. Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (www.cnil.fr)." }
    }
}

#[handler]
pub fn notice_page(Data(app): Data<&App>, Who(who): Who) -> AppResult<Markup> {
    let school = crate::school::get(&app.store)?;
    let body = html! { section.panel.reading { (notice(school.as_ref(), app.settings.log_retention_months)) } };
    Ok(App::page_of(
        school.as_ref(),
        &who,
        "Données personnelles",
        "",
        body,
    ))
}
