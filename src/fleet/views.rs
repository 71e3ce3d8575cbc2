//! The console page of the supervision token.

use maud::{html, Markup};

use crate::auth::visitor::Visitor;
use crate::ui::{csrf_input, dates};

/// `since`: when the current token was made; `fresh`: the token just made, shown once.
pub fn page(visitor: &Visitor, url: &str, since: Option<i64>, fresh: Option<&str>) -> Markup {
    html! {
        (crate::ui::heading("Supervision", Some("Pour le service informatique qui héberge l'ENT de plusieurs écoles.")))
        section.panel {
            p {
                "Avec un jeton d'état, le technicien voit de cette école, depuis son outil ("
                code { "preau fleet status" } ") : la version de Préau, la date de la dernière sauvegarde, "
                "la place occupée sur le disque, l'expiration du certificat et le nombre de comptes activés. "
                "Rien d'autre : aucun nom, aucun message, aucun fichier."
            }
            @if let Some(token) = fresh {
                div.flash.success role="status" {
                    p { "Voici le jeton, à transmettre au service informatique. Il ne sera plus affiché : notez-le maintenant." }
                    p { code #jeton-etat { (token) } }
                    p.small { "Adresse de l'état : " code { (url) "/admin/etat" } }
                }
            }
            @match since {
                Some(t) => {
                    p { "Supervision " strong { "activée" } " depuis le " (dates::long_datetime(t)) "." }
                    form method="post" action="/admin/supervision/jeton" {
                        (csrf_input(visitor))
                        button type="submit" { "Remplacer le jeton" }
                    }
                    form method="post" action="/admin/supervision/desactiver" {
                        (csrf_input(visitor))
                        button type="submit" { "Désactiver la supervision" }
                    }
                }
                None => {
                    p { "Supervision " strong { "désactivée" } " : aucun jeton d'état n'a été créé. Créez-en un pour que le technicien de la collectivité suive l'école (sauvegardes, certificat, comptes activés — des nombres, jamais de noms)." }
                    form method="post" action="/admin/supervision/jeton" {
                        (csrf_input(visitor))
                        button.primary type="submit" { "Créer un jeton d'état" }
                    }
                }
            }
        }
    }
}
