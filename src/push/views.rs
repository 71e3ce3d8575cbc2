//! The pages of push notifications: « Mon compte » → « Notifications sur mes appareils »,
//! and the console's note beside the e-mail settings.

use maud::{html, Markup};

use super::{Device, QuietHours};
use crate::auth::visitor::Visitor;
use crate::ui::{csrf_input, dates};

pub const PAGE: &str = "/compte/notifications-push";

/// The page: this device's button, the devices, the quiet hours.
pub fn page(visitor: &Visitor, public_key: &str, devices: &[Device], quiet: &QuietHours) -> Markup {
    html! {
        (crate::ui::heading("Notifications sur mes appareils", Some("Un téléphone, une tablette ou un ordinateur peut afficher vos notifications même quand Préau n'est pas ouvert. Elles ne disent que leur sorte (« Nouveau message ») : le contenu reste dans l'ENT.")))
        section.panel aria-labelledby="push-cet-appareil" {
            h2 #push-cet-appareil { "Cet appareil" }
            // Replaced by the script (assets/js/preau.js) when the browser can subscribe.
            p #push-etat role="status" {
                "Pour recevoir les notifications ici, il faut un navigateur récent avec JavaScript, "
                "Préau ouvert à son adresse https et, sur iPhone ou iPad (iOS 16.4 ou plus), "
                "Préau ajouté à l'écran d'accueil. Sinon, la cloche en haut de chaque page les garde."
            }
            form #push-abonnement method="post" action=(PAGE) data-cle=(public_key) hidden {
                (csrf_input(visitor))
                input type="hidden" name="endpoint" value="";
                input type="hidden" name="p256dh" value="";
                input type="hidden" name="auth" value="";
                button.primary type="submit" { "Recevoir les notifications sur cet appareil" }
            }
        }
        section.panel aria-labelledby="push-appareils" {
            h2 #push-appareils { "Mes appareils" }
            @if devices.is_empty() {
                p.empty { "Aucun appareil ne reçoit vos notifications." }
            } @else {
                p.small { "Se déconnecter d'un appareil ou changer de compte y arrête aussi les notifications." }
                table.list.stack {
                    thead { tr { th scope="col" { "Appareil" } th scope="col" { "Depuis le" } th scope="col" { span.sr-only { "Action" } } } }
                    tbody {
                        @for d in devices {
                            tr {
                                td data-label="Appareil" { (d.label) }
                                td data-label="Depuis le" { (dates::short_datetime(d.created)) }
                                td {
                                    form.inline method="post" action=(format!("{PAGE}/{}/retirer", d.id)) {
                                        (csrf_input(visitor))
                                        button type="submit" aria-label=(format!("Retirer {} ({})", d.label, dates::short_datetime(d.created))) { "Retirer" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.panel aria-labelledby="push-calme" {
            h2 #push-calme { "Heures calmes" }
            p { "Pendant ces heures, rien n'arrive sur vos appareils : ce qui attend part à la fin, en une seule notification. Ce que vous avez lu entre-temps n'est pas envoyé." }
            form method="post" action=(format!("{PAGE}/heures-calmes")) {
                (csrf_input(visitor))
                div.field {
                    label for="calme-debut" { "À partir de" }
                    (hour_select("calme-debut", "start", quiet.start))
                }
                div.field {
                    label for="calme-fin" { "Jusqu'à" }
                    (hour_select("calme-fin", "end", quiet.end))
                }
                div.check {
                    input type="checkbox" id="calme-weekend" name="weekends" value="oui" checked[quiet.weekends];
                    label for="calme-weekend" { "Et tout le week-end" }
                }
                p.small { "La même heure au début et à la fin : pas d'heures calmes." }
                button type="submit" { "Enregistrer" }
            }
        }
        p {
            a href="/notifications#preferences" { "Choisir de quoi être prévenu" }
            " · "
            a href="/compte" { "Retour à mon compte" }
        }
    }
}

fn hour_select(id: &str, name: &str, chosen: u8) -> Markup {
    html! {
        select #(id) name=(name) {
            @for h in 0u8..24 {
                option value=(h) selected[h == chosen] { (format!("{h} h")) }
            }
        }
    }
}

/// The console's note where notifications are configured: push needs the internet.
pub fn console_panel() -> Markup {
    html! {
        section.panel aria-labelledby="push-console" {
            h2 #push-console { "Notifications sur les téléphones" }
            p {
                "Chacun peut recevoir ses notifications sur son téléphone (« Mon compte » → "
                "« Notifications sur mes appareils »). Elles passent par le service de notifications "
                "du navigateur (Google, Mozilla, Apple) : la box de l'école doit pouvoir joindre Internet, "
                "et les familles joindre Préau par une adresse https. Une école qui reste sur son réseau "
                "garde la cloche et les courriels."
            }
            p.small { "Elles ne portent que la sorte de la notification et le nom de l'école, jamais un nom ni un contenu ; rien ne part pendant les heures calmes de chacun (20 h – 7 h, et le week-end pour le personnel, sauf choix contraire)." }
        }
    }
}
