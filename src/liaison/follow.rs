//! The follow-up of a school mot by its author: the table per pupil, per guardian (read /
//! signed / answer), reminders to those who have not signed, the CSV export (the proof
//! the school keeps).

use super::{ack, acks, mot, Ack, Mot, MOTS};
use crate::directory::people::People;
use crate::ids::{MotId, UserId};
use crate::notify::{self, Kind};
use crate::policy::Granted;
use crate::store::{Result, Store, Table, Tx};

/// Mot → how many of its (pupil, guardian) pairs have signed, counted in the transaction
/// of each signature (schema 4): the list of one's mots shows « 12 / 25 signature(s) »
/// without reading every family's acknowledgement.
pub const SIGNED: Table<u64, u64> = Table::new("mot_signed_counts");

/// How many signatures the mot has.
pub fn signed_count(store: &Store, id: u64) -> Result<u64> {
    Ok(store.get(&SIGNED, &id)?.unwrap_or(0))
}

/// Counts one more signature (called where the acknowledgement gets its first signature).
pub fn count_signature(tx: &mut Tx<'_>, id: u64) -> Result<()> {
    let n = tx.get(&SIGNED, &id)?.unwrap_or(0);
    tx.put(&SIGNED, &id, &(n + 1))
}

/// Schema 4: the signature counts of the mots signed before it.
pub fn migrate_v4_signed_counts(store: &Store) -> Result<()> {
    let mut counts = std::collections::BTreeMap::<u64, u64>::new();
    for ((mot, _, _), a) in store.scan(&super::ACKS)? {
        if a.signed_at.is_some() {
            *counts.entry(mot).or_default() += 1;
        }
    }
    store.commit_blocking(|tx| {
        for (mot, n) in &counts {
            tx.put(&SIGNED, mot, n)?;
        }
        Ok(())
    })
}

/// Reminds the guardians who have not signed; returns how many were reminded.
pub async fn remind(
    store: &Store,
    people: &People,
    followed: &Granted<Mot>,
    now: i64,
) -> Result<usize> {
    let id = followed.object().id;
    // The mot as stored now, not as it was when the proof was made.
    let Some(m) = mot(store, id)? else {
        return Ok(0);
    };
    let mut late: Vec<(u64, u64)> = Vec::new();
    for (p, g) in &m.signers {
        if ack(store, MotId(id), UserId(*p), UserId(*g))?
            .signed_at
            .is_none()
        {
            late.push((*p, *g));
        }
    }
    store
        .commit(|tx| {
            for (p, g) in &late {
                if !people.told_about(*g, *p, crate::school::Service::Carnet) {
                    continue;
                }
                let child = people
                    .user(*p)
                    .map(|u| u.first_name.clone())
                    .unwrap_or_default();
                notify::push(
                    tx,
                    *g,
                    Kind::Mot,
                    &format!("Rappel : mot à signer pour {child} : « {} »", m.title),
                    &format!("/carnet/{id}"),
                    now,
                )?;
            }
            if let Some(mut stored) = tx.get(&MOTS, &id)? {
                stored.reminders.push(now);
                tx.put(&MOTS, &id, &stored)?;
            }
            Ok(())
        })
        .await?;
    // People, not (child, guardian) rows: a parent of two pupils is one person reminded.
    let mut people: Vec<u64> = late.iter().map(|(_, g)| *g).collect();
    people.sort_unstable();
    people.dedup();
    Ok(people.len())
}

/// The author's table: per pupil, per guardian, read / signed / answer.
pub struct StatusRow {
    pub pupil: u64,
    pub guardian: u64,
    pub ack: Ack,
}

pub fn status(store: &Store, m: &Mot) -> Result<Vec<StatusRow>> {
    let acks = acks(store, m.id)?;
    Ok(m.signers
        .iter()
        .map(|(p, g)| StatusRow {
            pupil: *p,
            guardian: *g,
            ack: acks
                .iter()
                .find(|((ap, ag), _)| ap == p && ag == g)
                .map(|(_, a)| a.clone())
                .unwrap_or_default(),
        })
        .collect())
}

/// How many guardians still have to sign for at least one child (people, not rows).
pub fn late_guardians(rows: &[StatusRow]) -> usize {
    let mut late: Vec<u64> = rows
        .iter()
        .filter(|r| r.ack.signed_at.is_none())
        .map(|r| r.guardian)
        .collect();
    late.sort_unstable();
    late.dedup();
    late.len()
}

/// The pupils whose guardians answered differently (one Oui, one Non): the author must
/// settle it with the family.
pub fn split_answers(rows: &[StatusRow]) -> Vec<u64> {
    let mut pupils: Vec<u64> = rows
        .iter()
        .filter(|r| r.ack.answer == Some(true))
        .filter(|yes| {
            rows.iter()
                .any(|no| no.pupil == yes.pupil && no.ack.answer == Some(false))
        })
        .map(|r| r.pupil)
        .collect();
    pupils.sort_unstable();
    pupils.dedup();
    pupils
}

/// (signed, expected) pairs, and the Oui / Non counts.
pub fn summary(rows: &[StatusRow]) -> (usize, usize, usize, usize) {
    let signed = rows.iter().filter(|r| r.ack.signed_at.is_some()).count();
    let yes = rows.iter().filter(|r| r.ack.answer == Some(true)).count();
    let no = rows.iter().filter(|r| r.ack.answer == Some(false)).count();
    (signed, rows.len(), yes, no)
}

/// A text cell that a spreadsheet will not take for a formula (« =… », « +… »…).
fn cell(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

/// The acknowledgements as CSV.
pub fn csv(people: &People, m: &Mot, rows: &[StatusRow]) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let when = |t: Option<i64>| t.map(crate::ui::dates::short_datetime).unwrap_or_default();
    let _ = w.write_record([
        "Élève",
        "Classe",
        "Responsable",
        "Lu le",
        "Signé le",
        "Réponse",
        "Répondu le",
    ]);
    for r in rows {
        let class = people
            .classes_of(r.pupil)
            .first()
            .and_then(|c| people.class(*c))
            .map(|c| c.label.clone())
            .unwrap_or_default();
        let answer = match (m.question.is_some(), r.ack.answer) {
            (false, _) => "",
            (true, Some(true)) => "Oui",
            (true, Some(false)) => "Non",
            (true, None) => "sans réponse",
        };
        let _ = w.write_record([
            cell(
                people
                    .user(r.pupil)
                    .map(|u| u.display_name())
                    .unwrap_or_default(),
            ),
            cell(class),
            cell(
                people
                    .user(r.guardian)
                    .map(|u| u.display_name())
                    .unwrap_or_default(),
            ),
            when(r.ack.read_at),
            when(r.ack.signed_at),
            answer.to_string(),
            when(r.ack.answered_at),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    // A BOM so that a spreadsheet opens the accents right.
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pupil: u64, guardian: u64, signed: bool, answer: Option<bool>) -> StatusRow {
        StatusRow {
            pupil,
            guardian,
            ack: Ack {
                signed_at: signed.then_some(1),
                answer,
                ..Ack::default()
            },
        }
    }

    #[test]
    fn guardians_are_counted_once_and_split_answers_flag_the_child() {
        // Guardian 10 has two children (1 and 2), neither signed: one person, two rows.
        let rows = [
            row(1, 10, false, None),
            row(2, 10, false, None),
            row(3, 11, true, Some(true)),
            row(3, 12, true, Some(false)),
            row(4, 13, true, Some(true)),
            row(4, 14, true, Some(true)),
        ];
        assert_eq!(late_guardians(&rows), 1);
        assert_eq!(split_answers(&rows), vec![3]);
    }

    #[test]
    fn names_never_become_spreadsheet_formulas() {
        assert_eq!(cell("=HYPERLINK(\"x\")".into()), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(cell("Lou Petit".into()), "Lou Petit");
    }
}
