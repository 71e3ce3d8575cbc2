//! Who offers to accompany and who chooses: the facts about the person and the mot
//! gathered here, the answer asked of the policy (`policy/slots.rs`), the mot attached
//! to the proof the mutations of `super` take.

use crate::liaison::Mot;
use crate::policy::{require, Action, Actor, Forbidden, Granted, SlotAction};

/// Offering oneself (or withdrawing): a guardian the school's mot is addressed to.
pub fn offer(actor: &Actor, mot: Mot) -> Result<Granted<Mot>, Forbidden> {
    let addressed = mot.is_school() && mot.is_signer(actor.user_id);
    Ok(require(
        actor,
        Action::Slots(SlotAction::OfferToAccompany { addressed }),
    )?
    .on(mot))
}

/// Confirming the volunteers, or not retaining one: the mot's author, the director.
pub fn choose(actor: &Actor, mot: Mot) -> Result<Granted<Mot>, Forbidden> {
    let author = mot.is_school() && mot.author == actor.user_id;
    Ok(require(
        actor,
        Action::Slots(SlotAction::ChooseVolunteers { author }),
    )?
    .on(mot))
}

/// Whether the person may offer: the mot's page shows the button only to them.
pub fn may_offer(actor: &Actor, mot: &Mot) -> bool {
    offer(actor, mot.clone()).is_ok()
}

/// Whether the person chooses: the mot's page shows the buttons only to them.
pub fn may_choose(actor: &Actor, mot: &Mot) -> bool {
    choose(actor, mot.clone()).is_ok()
}
