//! Accompagnateurs de sortie: a school's mot may ask for N volunteers (« 3 parents pour
//! accompagner la sortie au musée »). The guardians it is addressed to offer themselves on
//! the mot, first come first served: the first N are « proposés », the next ones go on a
//! waiting list (« liste d'attente », with their rank) rather than being turned away, so
//! that a withdrawal or a teacher's « non retenu » gives the place to the next in line,
//! who is told. The teacher confirms the proposés; once N are confirmed the call is
//! complete and everyone still proposed or waiting is thanked and told.
//!
//! The whole call (its offers in order) is one record, read and written in the
//! transaction that adds an offer: N+1 guardians offering at the same moment get exactly
//! N places and one rank on the waiting list.

pub mod access;
pub mod views;

use serde::{Deserialize, Serialize};

use crate::notify::{self, Kind};
use crate::refusal::{Failure, Outcome};
use crate::store::{Result, Store, Table, Tx};

use super::{Mot, MOTS};

/// A mot's call for volunteers, by mot.
pub const CALLS: Table<u64, Call> = Table::new("mot_volunteer_calls");

/// At most this many volunteers asked on one mot.
pub const MAX_WANTED: u16 = 30;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Call {
    pub mot: u64,
    pub wanted: u16,
    /// In the order they came.
    pub offers: Vec<Offer>,
    /// Complete: the wanted number are confirmed, no more offers.
    #[serde(default)]
    pub complete: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Offer {
    pub guardian: u64,
    pub at: i64,
    pub state: OfferState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferState {
    /// Among the first N: awaits the teacher's confirmation.
    Proposed,
    /// Came after the N places were taken: next in line when one frees up.
    Waiting,
    Confirmed,
    /// Not retained by the teacher, or thanked once the call was complete.
    NotRetained,
    Withdrawn,
}

impl OfferState {
    pub fn label(self) -> &'static str {
        match self {
            OfferState::Proposed => "proposé·e, en attente de confirmation",
            OfferState::Waiting => "sur liste d'attente",
            OfferState::Confirmed => "confirmé·e",
            OfferState::NotRetained => "non retenu·e",
            OfferState::Withdrawn => "proposition retirée",
        }
    }

    /// Holds one of the N places.
    pub fn holds_place(self) -> bool {
        matches!(self, OfferState::Proposed | OfferState::Confirmed)
    }

    pub fn live(self) -> bool {
        self.holds_place() || self == OfferState::Waiting
    }
}

impl Call {
    pub fn held(&self) -> usize {
        self.offers.iter().filter(|o| o.state.holds_place()).count()
    }

    pub fn confirmed(&self) -> usize {
        self.count(OfferState::Confirmed)
    }

    pub fn count(&self, state: OfferState) -> usize {
        self.offers.iter().filter(|o| o.state == state).count()
    }

    /// A guardian's live offer.
    pub fn of(&self, guardian: u64) -> Option<&Offer> {
        self.offers
            .iter()
            .find(|o| o.guardian == guardian && o.state.live())
    }

    /// A guardian's offer, live or answered.
    pub fn last_of(&self, guardian: u64) -> Option<&Offer> {
        self.offers.iter().rev().find(|o| o.guardian == guardian)
    }

    /// The rank (from 1) of a waiting guardian on the waiting list.
    pub fn rank(&self, guardian: u64) -> Option<usize> {
        self.offers
            .iter()
            .filter(|o| o.state == OfferState::Waiting)
            .position(|o| o.guardian == guardian)
            .map(|p| p + 1)
    }
}

pub fn call(store: &Store, mot: u64) -> Result<Option<Call>> {
    store.get(&CALLS, &mot)
}

/// Opens the call in the transaction that publishes the mot.
pub(crate) fn open_in(tx: &mut Tx<'_>, mot: u64, wanted: u16) -> Result<()> {
    let call = Call {
        mot,
        wanted: wanted.min(MAX_WANTED),
        offers: Vec::new(),
        complete: false,
    };
    tx.put(&CALLS, &mot, &call)
}

fn guardian_name(people: &crate::directory::people::People, id: u64) -> String {
    people
        .user(id)
        .map(|u| u.display_name())
        .unwrap_or_else(|| "un responsable".into())
}

fn load(tx: &Tx<'_>, mot: u64) -> Outcome<(Mot, Call)> {
    let m = tx
        .get(&MOTS, &mot)?
        .ok_or_else(|| Failure::refused("Ce mot n'existe plus."))?;
    let c = tx
        .get(&CALLS, &mot)?
        .ok_or_else(|| Failure::refused("Ce mot ne demande pas d'accompagnateurs."))?;
    Ok((m, c))
}

fn link(mot: u64) -> String {
    format!("/carnet/{mot}")
}

/// Gives the place freed in `c` to the first on the waiting list, who is told.
fn promote(tx: &mut Tx<'_>, m: &Mot, c: &mut Call, now: i64) -> Result<()> {
    if c.complete || c.held() >= usize::from(c.wanted) {
        return Ok(());
    }
    if let Some(next) = c.offers.iter_mut().find(|o| o.state == OfferState::Waiting) {
        next.state = OfferState::Proposed;
        notify::push(
            tx,
            next.guardian,
            Kind::Mot,
            &format!(
                "Une place d'accompagnateur s'est libérée pour « {} » : vous êtes proposé·e, \
                 l'enseignant confirmera.",
                m.title
            ),
            &link(m.id),
            now,
        )?;
    }
    Ok(())
}

/// A guardian offers themselves: « proposé » while places remain, else on the waiting
/// list. The state given and, on the waiting list, the rank.
pub async fn offer(
    store: &Store,
    granted: &crate::policy::Granted<Mot>,
    people: &crate::directory::people::People,
    now: i64,
) -> Outcome<(OfferState, Option<usize>)> {
    let (mot, guardian) = (granted.object().id, granted.by());
    let name = guardian_name(people, guardian);
    store
        .commit_checked(|tx| {
            let (m, mut c) = load(tx, mot)?;
            if m.answers_closed(now) {
                return Err(Failure::refused(
                    "Les réponses à ce mot sont closes : contactez l'enseignant.",
                ));
            }
            if c.complete {
                return Err(Failure::refused(
                    "L'équipe d'accompagnateurs est déjà complète : merci !",
                ));
            }
            if let Some(o) = c.of(guardian) {
                return Err(Failure::refused(format!(
                    "Vous vous êtes déjà proposé·e : {}.",
                    o.state.label()
                )));
            }
            if c.last_of(guardian)
                .is_some_and(|o| o.state == OfferState::NotRetained)
            {
                return Err(Failure::refused(
                    "Votre proposition n'a pas été retenue pour cette sortie.",
                ));
            }
            let state = if c.held() < usize::from(c.wanted) {
                OfferState::Proposed
            } else {
                OfferState::Waiting
            };
            c.offers.retain(|o| o.guardian != guardian);
            c.offers.push(Offer {
                guardian,
                at: now,
                state,
            });
            let rank = c.rank(guardian);
            tx.put(&CALLS, &mot, &c)?;
            let text = match state {
                OfferState::Waiting => format!(
                    "{name} se propose pour accompagner « {} » (liste d'attente, rang {}).",
                    m.title,
                    rank.unwrap_or(1)
                ),
                _ => format!(
                    "{name} se propose pour accompagner « {} » ({} / {}) : à confirmer.",
                    m.title,
                    c.held(),
                    c.wanted
                ),
            };
            notify::push(tx, m.author, Kind::MotReply, &text, &link(mot), now)?;
            Ok((state, rank))
        })
        .await
}

/// A guardian withdraws their offer; their place goes to the first on the waiting list.
pub async fn withdraw(
    store: &Store,
    granted: &crate::policy::Granted<Mot>,
    people: &crate::directory::people::People,
    now: i64,
) -> Outcome<()> {
    let (mot, guardian) = (granted.object().id, granted.by());
    let name = guardian_name(people, guardian);
    store
        .commit_checked(|tx| {
            let (m, mut c) = load(tx, mot)?;
            let Some(o) = c
                .offers
                .iter_mut()
                .find(|o| o.guardian == guardian && o.state.live())
            else {
                return Err(Failure::refused("Vous ne vous êtes pas proposé·e."));
            };
            let was = o.state;
            o.state = OfferState::Withdrawn;
            if was == OfferState::Confirmed {
                c.complete = false;
                notify::push(
                    tx,
                    m.author,
                    Kind::MotReply,
                    &format!(
                        "{name} ne peut plus accompagner « {} » : sa confirmation est retirée.",
                        m.title
                    ),
                    &link(mot),
                    now,
                )?;
            }
            if was.holds_place() {
                promote(tx, &m, &mut c, now)?;
            }
            tx.put(&CALLS, &mot, &c)?;
            Ok(())
        })
        .await
}

/// The teacher confirms a proposé (or does not retain them: the place goes to the next
/// in line). Once the wanted number are confirmed, the others are thanked and told.
/// How many were told that the team is complete.
pub async fn decide(
    store: &Store,
    granted: &crate::policy::Granted<Mot>,
    guardian: u64,
    confirm: bool,
    now: i64,
) -> Outcome<usize> {
    let mot = granted.object().id;
    store
        .commit_checked(|tx| {
            let (m, mut c) = load(tx, mot)?;
            let Some(o) = c
                .offers
                .iter_mut()
                .find(|o| o.guardian == guardian && o.state == OfferState::Proposed)
            else {
                return Err(Failure::refused(
                    "Cette personne n'est pas (ou plus) proposée : rien n'a changé.",
                ));
            };
            o.state = if confirm {
                OfferState::Confirmed
            } else {
                OfferState::NotRetained
            };
            let text = if confirm {
                format!(
                    "Votre participation comme accompagnateur pour « {} » est confirmée. Merci !",
                    m.title
                )
            } else {
                format!(
                    "Votre proposition d'accompagner « {} » n'est pas retenue. Merci de l'avoir faite.",
                    m.title
                )
            };
            notify::push(tx, guardian, Kind::Mot, &text, &link(mot), now)?;
            let mut thanked = 0;
            if c.confirmed() >= usize::from(c.wanted) {
                c.complete = true;
                for o in c.offers.iter_mut().filter(|o| {
                    matches!(o.state, OfferState::Proposed | OfferState::Waiting)
                }) {
                    o.state = OfferState::NotRetained;
                    notify::push(
                        tx,
                        o.guardian,
                        Kind::Mot,
                        &format!(
                            "L'équipe d'accompagnateurs pour « {} » est complète : votre aide \
                             n'est pas nécessaire cette fois. Merci de votre proposition !",
                            m.title
                        ),
                        &link(mot),
                        now,
                    )?;
                    thanked += 1;
                }
            } else if !confirm {
                promote(tx, &m, &mut c, now)?;
            }
            tx.put(&CALLS, &mot, &c)?;
            Ok(thanked)
        })
        .await
}

/// An account's deletion: the person's offers leave the calls (a place they held goes to
/// the next in line, untold: the deletion is not theirs to explain).
pub fn forget(store: &Store, user: u64) -> Result<crate::schema::Erase> {
    let mut touched = Vec::new();
    store.visit(&CALLS, |mot, c: Call| {
        if c.offers.iter().any(|o| o.guardian == user) {
            touched.push(mot);
        }
    })?;
    Ok(Box::new(move |tx| {
        for mot in &touched {
            if let Some(mut c) = tx.get(&CALLS, mot)? {
                c.offers.retain(|o| o.guardian != user);
                tx.put(&CALLS, mot, &c)?;
            }
        }
        Ok(())
    }))
}
