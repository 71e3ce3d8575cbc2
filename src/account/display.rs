//! « Mon compte » → Affichage (`/compte/affichage`): the person's reading comfort, kept on
//! their account and applied to every page (`ui::comfort`).

use maud::{html, Markup};
use poem::web::{Data, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory;
use crate::error::AppResult;
use crate::policy::{require, Action};
use crate::ui::comfort::{ReadingComfort, TextSize};
use crate::ui::csrf_input;
use crate::ui::input::FormInput;

#[handler]
pub fn show(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::ManageOwnAccount)?;
    let body = form(&member, &member.user().reading);
    app.page(&member.visitor, "Affichage", "/compte", body)
}

fn form(member: &Member, now: &ReadingComfort) -> Markup {
    html! {
        (crate::ui::heading("Affichage", Some("Pour lire plus facilement : vos choix s'appliquent à toutes les pages, sur tous les appareils où vous vous connectez.")))
        section.panel {
            form method="post" action="/compte/affichage" {
                (csrf_input(&member.visitor))
                fieldset.field.checks {
                    legend { "Taille du texte" }
                    div.options {
                        @for t in TextSize::ALL {
                            @let id = format!("texte-{}", t.slug());
                            div.check {
                                input type="radio" name="text" id=(id) value=(t.slug()) checked[now.text == t];
                                label for=(id) { (t.label()) }
                            }
                        }
                    }
                }
                fieldset.field.checks {
                    legend { "Lecture" }
                    div.check {
                        input type="checkbox" name="wide_spacing" id="interligne" value="oui" checked[now.wide_spacing];
                        label for="interligne" { "Espacer davantage les lignes et les mots" }
                    }
                    div.check {
                        input type="checkbox" name="legible_font" id="police" value="oui" checked[now.legible_font];
                        label for="police" { "Police très lisible (Atkinson Hyperlegible, conçue pour les personnes malvoyantes : lettres faciles à distinguer)" }
                    }
                    div.check {
                        input type="checkbox" name="high_contrast" id="contraste" value="oui" checked[now.high_contrast];
                        label for="contraste" { "Contraste renforcé (texte noir sur fond blanc, liens soulignés)" }
                    }
                }
                p { button type="submit" { "Enregistrer" } }
            }
            p { a href="/compte" { "Retour à mon compte" } }
        }
    }
}

/// The form as sent: a box left unticked is absent.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ComfortForm {
    text: String,
    wide_spacing: String,
    legible_font: String,
    high_contrast: String,
}

impl ComfortForm {
    fn comfort(&self) -> ReadingComfort {
        ReadingComfort {
            // A value no form sends (edited by hand) keeps the usual size.
            text: TextSize::parse(&self.text).unwrap_or_default(),
            wide_spacing: self.wide_spacing == "oui",
            legible_font: self.legible_font == "oui",
            high_contrast: self.high_contrast == "oui",
        }
    }
}

#[handler]
pub async fn save(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<ComfortForm>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageOwnAccount)?;
    let chosen = f.comfort();
    let id = member.user().id;
    app.store
        .commit_checked(|tx| {
            if let Some(mut u) = directory::user_in(tx, id)? {
                u.reading = chosen;
                directory::save_user(tx, &u)?;
            }
            Ok(())
        })
        .await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("Affichage enregistré."),
    )
    .await?;
    Ok(Redirect::see_other("/compte/affichage").into_response())
}
