//! The console page of the médiathèque (/admin/mediatheque): quotas and file-size limits
//! per profile, disk usage per space and free disk space.

use crate::routing::{Access, Routes};
use maud::{html, Markup};
use poem::web::{Data, Redirect};
use poem::{handler, IntoResponse, Response};

use super::Space;
use crate::app::App;
use crate::attachments::size_text;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::AppResult;
use crate::policy::{require, Action, Profile};
use crate::ui::csrf_input;
use crate::ui::input::FormInput;

use super::forms::Quotas;
use super::routes::{flash, label};

pub(crate) fn console() -> Routes {
    Routes::new()
        .get("/", admin_page, Access::Director)
        .post("/", admin_save, Access::Director)
}

fn admin_view(app: &App, member: &Member, people: &People) -> AppResult<Markup> {
    let s = super::settings(&app.store)?;
    let mut per_space: std::collections::BTreeMap<String, (u64, usize)> = Default::default();
    for (_, i) in app.store.scan(&super::ITEMS)? {
        if let Some(f) = i.file() {
            let l = match i.space {
                Space::Personal(_) => "Espaces personnels (total)".to_string(),
                other => label(people, 0, other),
            };
            let e = per_space.entry(l).or_default();
            e.0 += f.size;
            e.1 += 1;
        }
    }
    let free = crate::fsutil::free_disk(app.store.data_dir());
    let body = html! {
        (crate::ui::heading("Médiathèque", Some("Place de chacun selon son profil, et occupation du disque.")))
        section.panel {
            h2 { "Disque" }
            p { "Espace libre sur le disque des données : " strong { (free.map(size_text).unwrap_or_else(|| "inconnu".into())) } }
            table.list {
                thead { tr { th scope="col" { "Espace" } th scope="col" { "Fichiers" } th scope="col" { "Taille" } } }
                tbody { @for (l, (size, n)) in &per_space { tr { td { (l) } td { (n) } td { (size_text(*size)) } } } }
            }
            p.small { "Un fichier présent à plusieurs endroits n'est stocké qu'une fois sur le disque." }
        }
        section.panel {
            h2 { "Place par profil" }
            form method="post" action="/admin/mediatheque" {
                (csrf_input(&member.visitor))
                table.list {
                    thead { tr { th scope="col" { "Profil" } th scope="col" { "Place totale (Mo)" } th scope="col" { "Taille d'un fichier (Mo)" } } }
                    tbody {
                        @for p in Profile::ALL {
                            tr {
                                th scope="row" { (p.label()) }
                                td { label.sr for=(format!("q-{}", p.slug())) { "Place de " (p.label()) } input id=(format!("q-{}", p.slug())) type="number" min="0" max="1000000" name=(format!("q-{}", p.slug())) value=(s.quota_mb.get(&p).copied().unwrap_or(0)); }
                                td { label.sr for=(format!("f-{}", p.slug())) { "Fichier de " (p.label()) } input id=(format!("f-{}", p.slug())) type="number" min="1" max="100000" name=(format!("f-{}", p.slug())) value=(s.file_mb.get(&p).copied().unwrap_or(0)); }
                            }
                        }
                    }
                }
                button.primary type="submit" { "Enregistrer" }
            }
        }
    };
    app.console_page(&member.visitor, "Médiathèque", "/admin/mediatheque", body)
}

#[handler]
fn admin_page(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageMedia)?;
    let people = People::load(&app.store)?;
    admin_view(app, &member, &people)
}

#[handler]
async fn admin_save(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<Quotas>,
) -> AppResult<Response> {
    let granted = super::access::manage_quotas(member.actor())?;
    let s = match f.apply(super::settings(&app.store)?) {
        Ok(s) => s,
        Err(bad) => {
            let text = format!("Nombre de Mo invalide pour : {}.", bad.join(", "));
            flash(app, &member, Flash::error(text)).await?;
            return Ok(Redirect::see_other("/admin/mediatheque").into_response());
        }
    };
    let event = crate::auth::journal::AuditEvent {
        at: auth::now_micros(),
        actor_id: Some(member.user().id),
        actor_login: member.user().login.clone(),
        action: "Médiathèque : place par profil modifiée".into(),
    };
    app.store
        .commit(|tx| {
            super::save_settings(tx, &granted, &s)?;
            crate::auth::journal::record_audit(tx, &event)
        })
        .await?;
    flash(
        app,
        &member,
        Flash::success("Place par profil enregistrée."),
    )
    .await?;
    Ok(Redirect::see_other("/admin/mediatheque").into_response())
}
