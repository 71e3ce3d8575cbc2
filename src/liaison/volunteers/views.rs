//! The call for volunteers on a mot's page: the family's offer (or its state, with the
//! rank on the waiting list), the author's list with « Confirmer » / « Ne pas retenir ».

use maud::{html, Markup};

use super::{Call, OfferState};
use crate::directory::people::People;

fn counts(c: &Call) -> Markup {
    html! {
        p {
            strong { (c.wanted) } " accompagnateur(s) recherché(s) — "
            (c.confirmed()) " confirmé(s), " (c.count(OfferState::Proposed)) " proposé(s)"
            @let waiting = c.count(OfferState::Waiting);
            @if waiting > 0 { ", " (waiting) " sur liste d'attente" }
            "."
            @if c.complete { " " span.badge { "Équipe complète" } }
        }
    }
}

/// A guardian's part: offer, or their state and « Retirer ma proposition ».
pub fn family(csrf: &Markup, mot: u64, c: &Call, me: u64, may_offer: bool) -> Markup {
    // A withdrawn offer may be made again; a teacher's answer stays said.
    let mine = c
        .last_of(me)
        .filter(|o| o.state != OfferState::Withdrawn || c.complete);
    html! {
        section.panel #accompagnateurs aria-labelledby="accompagnateurs-titre" {
            h2 #accompagnateurs-titre { "Accompagnateurs" }
            (counts(c))
            @if let Some(o) = mine {
                p {
                    "Votre proposition : " strong { (o.state.label()) }
                    @if let Some(rank) = c.rank(me) { " (rang " (rank) ")" }
                    "."
                }
                @if o.state == OfferState::Waiting {
                    p.small { "Si une place se libère, elle vous revient et vous êtes prévenu·e." }
                }
                @if o.state.live() {
                form method="post" action=(format!("/carnet/{mot}/accompagner")) {
                    (csrf)
                    input type="hidden" name="action" value="retirer";
                    button type="submit" { "Retirer ma proposition" }
                }
                }
            } @else if c.complete {
                p { "L'équipe est complète : merci !" }
            } @else if may_offer {
                p.small { "Les premiers à se proposer sont retenus ; les suivants sont inscrits sur une liste d'attente. L'enseignant confirme chaque accompagnateur." }
                form method="post" action=(format!("/carnet/{mot}/accompagner")) {
                    (csrf)
                    input type="hidden" name="action" value="proposer";
                    button.primary type="submit" { "Je me propose pour accompagner" }
                }
            }
        }
    }
}

/// The author's part: every offer in the order it came, the proposés to confirm.
pub fn staff(csrf: &Markup, people: &People, mot: u64, c: &Call, chooses: bool) -> Markup {
    html! {
        section.panel #accompagnateurs aria-labelledby="accompagnateurs-titre" {
            h2 #accompagnateurs-titre { "Accompagnateurs" }
            (counts(c))
            @if c.offers.is_empty() {
                p.empty { "Personne ne s'est encore proposé." }
            } @else {
                table.list.stack {
                    caption { "Propositions, dans l'ordre d'arrivée" }
                    thead { tr { th scope="col" { "Responsable" } th scope="col" { "État" } th scope="col" { "Décision" } } }
                    tbody {
                        @for o in &c.offers {
                            @let name = people.user(o.guardian).map(|u| u.display_name()).unwrap_or_else(|| "ancien compte".into());
                            tr {
                                td data-label="Responsable" { (name) }
                                td data-label="État" {
                                    (o.state.label())
                                    @if let Some(rank) = c.rank(o.guardian) { " (rang " (rank) ")" }
                                }
                                td data-label="Décision" {
                                    @if chooses && o.state == OfferState::Proposed {
                                        form.inline method="post" action=(format!("/carnet/{mot}/accompagnateurs")) {
                                            (csrf)
                                            input type="hidden" name="responsable" value=(o.guardian);
                                            button type="submit" name="decision" value="confirmer" aria-label=(format!("Confirmer {name}")) { "Confirmer" }
                                            " "
                                            button type="submit" name="decision" value="ne-pas-retenir" aria-label=(format!("Ne pas retenir {name}")) { "Ne pas retenir" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
