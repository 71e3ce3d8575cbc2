//! The first-visit tour of the home page: a few steps for the person's profile (where the
//! services are, the bell, the « ? », reading comfort…), shown until they close it — a
//! form, so that it works without JavaScript — and remembered on their account.

use maud::{html, Markup};
use poem::web::{Data, Redirect};
use poem::{handler, IntoResponse, Response};

use crate::app::App;
use crate::auth::web::Member;
use crate::directory::{self, User};
use crate::error::AppResult;
use crate::policy::{require, Action, Profile};
use crate::ui::csrf_input;
use crate::ui::text::text;

/// The steps for this person, in the order they meet them.
fn steps(user: &User, director: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if user.profile == Profile::Eleve {
        out.push("Le menu en haut de la page mène à tes services : ton travail est dans « Cahier de textes ».");
        out.push("La cloche te dit ce qui est nouveau pour toi.");
        out.push("Un souci ? Demande à ton enseignant.");
        return out;
    }
    out.push("Le menu en haut de la page mène aux services que l'école a ouverts pour vous.");
    match user.profile {
        Profile::Responsable => {
            out.push("« Pour vous », ci-dessous : le travail à venir de chaque enfant et les mots du carnet à signer.");
            out.push("Carnet de liaison : ouvrez un mot, répondez s'il pose une question, puis « J'ai pris connaissance ».");
        }
        Profile::Enseignant | Profile::Atsem => {
            out.push("Mes classes : la page de chaque classe, ses cartes de connexion, et « Services de la classe » pour choisir qui s'en sert.");
        }
        _ => {}
    }
    if director {
        out.push(
            "Administration : les comptes, les classes, les services, la rentrée, les journaux.",
        );
    }
    out.push(
        "La cloche compte vos notifications ; « Notifications » règle ce qui vous est signalé.",
    );
    out.push("Le « ? » en haut de chaque page ouvre l'aide de cette page.");
    out.push("Mon compte → Affichage : un texte plus grand, une police très lisible, un contraste renforcé.");
    out
}

/// The tour, while the person has not closed it.
pub fn panel(member: &Member) -> Markup {
    let user = member.user();
    if user.welcomed {
        return html! {};
    }
    html! {
        section.panel.tour aria-labelledby="visite" {
            h2 #visite { "Bienvenue dans Préau" }
            ol { @for s in steps(user, member.actor().director) { li { (text(s)) } } }
            form method="post" action="/accueil/visite" {
                (csrf_input(&member.visitor))
                button type="submit" { "J'ai compris, ne plus afficher" }
                @if user.profile != Profile::Eleve { " " a href="/aide" { "Ouvrir l'aide" } }
            }
        }
    }
}

/// Closes the tour for good.
#[handler]
pub async fn close(Data(app): Data<&App>, member: Member) -> AppResult<Response> {
    require(member.actor(), Action::ManageOwnAccount)?;
    let id = member.user().id;
    app.store
        .commit_checked(|tx| {
            if let Some(mut u) = directory::user_in(tx, id)? {
                u.welcomed = true;
                directory::save_user(tx, &u)?;
            }
            Ok(())
        })
        .await?;
    Ok(Redirect::see_other("/accueil").into_response())
}
