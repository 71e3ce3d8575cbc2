//! The teacher's panel to change an opened grid: add a date, change the place, delete it.

use maud::{html, Markup};

use super::super::meetings::{Grid, Place};

pub fn panel(csrf: &Markup, g: &Grid) -> Markup {
    let action = format!("/rendez-vous/{}/modifier", g.id);
    let room = match &g.place {
        Place::Room(r) => r.clone(),
        Place::Phone => String::new(),
    };
    html! {
        section.panel.noprint #modifier aria-labelledby="modifier-titre" {
            h2 #modifier-titre { "Modifier la grille" }
            form.stack method="post" action=(action) {
                (csrf)
                input type="hidden" name="action" value="date";
                fieldset {
                    legend { "Ajouter une date (après la dernière)" }
                    div.field { label for="m-jour" { "Date" } input #m-jour type="date" name="jour" required; }
                    div.field { label for="m-de" { "De" } input #m-de type="time" name="de" required; }
                    div.field { label for="m-a" { "À" } input #m-a type="time" name="a" required; }
                }
                button type="submit" { "Ajouter la date" }
            }
            form.stack method="post" action=(action) {
                (csrf)
                input type="hidden" name="action" value="lieu";
                fieldset {
                    legend { "Lieu (les familles qui ont réservé sont prévenues)" }
                    div.check {
                        input #m-lieu-salle type="radio" name="lieu" value="salle" checked[matches!(g.place, Place::Room(_))];
                        label for="m-lieu-salle" { "Dans un lieu de l'école" }
                    }
                    div.field { label for="m-salle" { "Lieu" } input #m-salle type="text" name="salle" value=(room); }
                    div.check {
                        input #m-lieu-tel type="radio" name="lieu" value="telephone" checked[g.place == Place::Phone];
                        label for="m-lieu-tel" { "Par téléphone" }
                    }
                }
                button type="submit" { "Changer le lieu" }
            }
            form.stack method="post" action=(action) {
                (csrf)
                input type="hidden" name="action" value="supprimer";
                div.check {
                    input #m-confirmer type="checkbox" name="confirmer" value="1" required;
                    label for="m-confirmer" { "Je supprime la grille : les rendez-vous réservés sont annulés et les familles prévenues" }
                }
                button.danger type="submit" { "Supprimer la grille" }
            }
        }
    }
}
