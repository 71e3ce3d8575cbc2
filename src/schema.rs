//! The application's schema: every table of every module, the ordered migrations, and
//! what each module forgets when an account is deleted ([`FORGET`]).
//! A module that adds tables lists them here; a change of record layout that old data
//! cannot read with `#[serde(default)]` adds a migration at the end of [`MIGRATIONS`].

use crate::config::Settings;
use crate::store::migrate::{self, Migration};
use crate::store::{Result, Store, Tx};

/// Every table, by module.
pub fn tables() -> Vec<&'static str> {
    [
        crate::school::TABLES,
        crate::directory::TABLES,
        crate::auth::TABLES,
        crate::setup::TABLES,
        crate::activation::TABLES,
        crate::notify::TABLES,
        crate::push::TABLES,
        crate::messaging::TABLES,
        crate::liaison::TABLES,
        crate::media::TABLES,
        crate::news::TABLES,
        crate::blog::TABLES,
        crate::agenda::TABLES,
        crate::pedagogy::textbook::TABLES,
        crate::pedagogy::homework::TABLES,
        crate::pedagogy::lessons::TABLES,
        crate::pedagogy::exercises::TABLES,
        crate::reports::TABLES,
        crate::account::export::TABLES,
        crate::account::switch::TABLES,
        crate::canteen::TABLES,
        crate::attendance::TABLES,
        crate::help::TABLES,
        crate::stats::TABLES,
        crate::slots::TABLES,
        crate::search::TABLES,
        crate::commune::TABLES,
        crate::progress::TABLES,
        crate::progress::livret::TABLES,
        &[crate::notify::mail::SETTINGS.name],
    ]
    .concat()
}

/// One module's part of an account's deletion. It is prepared outside the transaction
/// (a transaction cannot scan, so the keys are read first) and applied inside the single
/// transaction that deletes the account; it may run more than once if the engine retries.
pub type Erase = Box<dyn Fn(&mut Tx<'_>) -> Result<()>>;

/// What a module does with a person's data when their account is deleted.
#[derive(Clone, Copy)]
pub struct Forget {
    pub module: &'static str,
    /// Reads what the module holds about the account and returns its erasure; `None` for
    /// a module that keeps what it holds (see `keeps`).
    pub prepare: Option<fn(&Store, u64) -> Result<Erase>>,
    /// What the module keeps after the deletion, and why.
    pub keeps: &'static str,
}

/// The account deletion (RGPD erasure, leavers, a merged duplicate): every module that
/// holds something about a person says here what goes and what stays. A module that adds
/// personal data adds its entry.
pub const FORGET: &[Forget] = &[
    Forget {
        module: "directory",
        prepare: Some(crate::directory::forget),
        keeps: "nothing: the account, its pupil or guardian record, memberships, family \
                links, groups and delegations go",
    },
    Forget {
        module: "messaging",
        prepare: Some(crate::messaging::forget),
        keeps: "the messages themselves, stored once for every holder: the other \
                recipients keep their copy; the person's mailbox entries and folders go",
    },
    Forget {
        module: "media",
        prepare: Some(crate::media::forget),
        keeps: "what the person put in shared spaces (class, staff, group), which belongs \
                to that space; their personal space goes",
    },
    Forget {
        module: "notify",
        prepare: Some(crate::notify::forget),
        keeps: "nothing: notifications, the unread counter and preferences go",
    },
    Forget {
        module: "push",
        prepare: Some(crate::push::forget),
        keeps: "nothing: the devices, the quiet hours and the waiting pushes go",
    },
    Forget {
        module: "mydata",
        prepare: Some(crate::account::export::forget),
        keeps: "nothing: the archives go (their files with the next hourly purge)",
    },
    Forget {
        module: "liaison",
        prepare: Some(crate::liaison::forget),
        keeps: "mots and their signatures, answers and replies: a signed mot is the \
                school's proof that the family was informed and answered; the signatures \
                still expected from the person and their offers to accompany an outing go",
    },
    Forget {
        module: "canteen",
        prepare: Some(crate::canteen::forget),
        keeps: "menus and services, the school's and not the person's; a pupil's \
                bookings (with the day counts), diet, PAI answer, history and requests go; \
                a staff member leaves the services' lists; the id of an adult who booked \
                stays on the child's booking, naming nobody once the account is gone",
    },
    Forget {
        module: "attendance",
        prepare: Some(crate::attendance::forget),
        keeps: "the classes' appels, the school's register (the law asks to keep it; the \
                person shows as « ancien élève »); a pupil's absences, motifs and \
                aménagements go",
    },
    Forget {
        module: "slots",
        prepare: Some(crate::slots::forget),
        keeps: "the meeting grids and the resources' bookings, the school's: the id of \
                an author who left names nobody; a pupil's meetings go, their slots free \
                again",
    },
    Forget {
        module: "commune",
        prepare: Some(crate::commune::forget),
        keeps: "the mairie's pages, the bus lines and their changes, the requests to the \
                mairie and their comments, the commune's and the school's: the id of an \
                author who left names nobody; a pupil leaves the lines they rode",
    },
    Forget {
        module: "progress",
        prepare: Some(crate::progress::forget),
        keeps: "a pupil's carnet de suivi goes whole (réussites, their photos with the next \
                purge, shares, « vu » and comments); a guardian's « vu » and comments and a \
                teacher's réussites on the carnets of others stay: the id of an author who \
                left names nobody",
    },
    Forget {
        module: "progress::livret",
        prepare: Some(crate::progress::livret::forget),
        keeps: "a pupil's livret scolaire goes whole (bilans périodiques, bilans de fin de \
                cycle, their « pris connaissance » and comments); what the class worked on \
                (éléments du programme, projects) and a guardian's comments on the bilans \
                of others stay: the id of an author who left names nobody",
    },
    Forget {
        module: "auth",
        prepare: None,
        keeps: "the connection and audit logs, which the law asks to keep for a while and \
                the periodic purge removes after the retention period; sessions lead to no \
                account any more and expire",
    },
];

/// Deletes an account: every module's erasure in ONE transaction, so that the person is
/// gone from all of them or, if anything fails, from none.
pub fn forget_account(store: &Store, user: u64) -> Result<()> {
    forget_with(store, user, FORGET)
}

fn forget_with(store: &Store, user: u64, registry: &[Forget]) -> Result<()> {
    let mut erasures = Vec::new();
    for f in registry {
        if let Some(prepare) = f.prepare {
            erasures.push(prepare(store, user)?);
        }
    }
    store.commit_blocking(|tx| {
        for erase in &erasures {
            erase(tx)?;
        }
        Ok(())
    })
}

fn initial(_: &Store) -> Result<()> {
    // Version 1 is the first layout: its tables are created empty when the store opens.
    Ok(())
}

/// Order matters: add new migrations at the end, never change a released one.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "schéma initial",
        run: initial,
    },
    Migration {
        version: 2,
        description: "index des comptes par profil",
        run: crate::directory::migrate_v2_index_by_profile,
    },
    Migration {
        version: 3,
        description: "index des classes de chaque personne",
        run: crate::directory::migrate_v3_user_classes,
    },
    Migration {
        version: 4,
        description: "index par date des actualités, de l'agenda, du cahier de textes et des blogs ; nombre de messages par dossier et de signatures par mot",
        run: migrate_v4_indexes_by_date,
    },
    Migration {
        version: 5,
        description: "destinataires des messages à part, index des conversations, notifications non lues par lien, signatures attendues par responsable",
        run: migrate_v5_messages_apart,
    },
    Migration {
        version: 6,
        description: "index par date des notifications",
        run: crate::notify::migrate_v6_index_by_date,
    },
    Migration {
        version: 7,
        description: "en-tête de chaque message (objet, date, début du texte) et état de chaque devoir rendu, pour les listes",
        run: migrate_v7_heads_for_lists,
    },
    Migration {
        version: 8,
        description: "compteurs quotidiens des statistiques d'utilisation, refaits à partir des messages, mots, articles, devoirs rendus et actualités",
        run: crate::stats::migrate_v8,
    },
    Migration {
        version: 9,
        description: "index de la recherche (messages, mots, actualités, agenda, blogs, cahier de textes, classeur, exercices, médiathèque), construit à partir des enregistrements",
        run: migrate_v9_search_index,
    },
    Migration {
        version: 10,
        description: "index de la recherche par paquets de 64 enregistrements (un bit chacun), refait à partir des enregistrements",
        run: migrate_v10_search_index_by_chunks,
    },
];

/// Schema 9: the search index, built from the records (written since with each record).
fn migrate_v9_search_index(store: &Store) -> Result<()> {
    crate::search::rebuild(store).map(|_| ())
}

/// Schema 10: the search index's postings grouped by 64 records (a bit each), built again
/// from the records; the one-posting-per-record entries of schema 9 go first.
fn migrate_v10_search_index_by_chunks(store: &Store) -> Result<()> {
    crate::search::rebuild(store).map(|_| ())
}

/// The tables whose changes write something else in the same transaction: the search
/// index's postings.
pub fn triggers() -> Vec<(&'static str, crate::store::Trigger)> {
    crate::search::triggers()
}

/// Schema 7: the lists of messages and of work handed in read small records kept beside
/// the messages and submissions, not the records themselves.
fn migrate_v7_heads_for_lists(store: &Store) -> Result<()> {
    crate::messaging::heads::migrate_v7(store)?;
    crate::pedagogy::homework::migrate_v7(store)
}

/// Schema 5: a message's list of recipients leaves its record (an inbox page no longer
/// decodes it), conversations get an index, unread notifications one by link.
fn migrate_v5_messages_apart(store: &Store) -> Result<()> {
    crate::messaging::records::migrate_v5(store)?;
    crate::liaison::pending::migrate_v5(store)?;
    crate::notify::migrate_v5_unread_by_link(store)
}

/// Schema 4: the pages of the news, the agenda, the cahier de textes and the blogs read
/// through indexes by date (or blog) that the records written before have to be given.
fn migrate_v4_indexes_by_date(store: &Store) -> Result<()> {
    crate::news::migrate_v4_indexes(store)?;
    crate::agenda::migrate_v4_index_by_end(store)?;
    crate::pedagogy::textbook::migrate_v4_index_by_day(store)?;
    crate::blog::migrate_v4_index_by_blog(store)?;
    crate::messaging::counts::migrate_v4_counts(store)?;
    crate::liaison::migrate_v4_signed_counts(store)
}

pub fn current_version() -> u64 {
    migrate::latest(MIGRATIONS)
}

/// Opens the data folder's store at the current schema.
pub fn open(settings: &Settings) -> Result<Store> {
    migrate::open_and_migrate(
        &settings.data_dir,
        &settings.store_options(),
        &tables(),
        MIGRATIONS,
    )
}

/// Every blob a record refers to, in every module that keeps files.
pub fn referenced_blobs(store: &Store) -> Result<std::collections::HashSet<String>> {
    let mut all = crate::media::referenced_blobs(store)?;
    all.extend(crate::messaging::referenced_blobs(store)?);
    all.extend(crate::liaison::referenced_blobs(store)?);
    all.extend(crate::news::referenced_blobs(store)?);
    all.extend(crate::blog::referenced_blobs(store)?);
    all.extend(crate::pedagogy::textbook::referenced_blobs(store)?);
    all.extend(crate::pedagogy::homework::referenced_blobs(store)?);
    all.extend(crate::pedagogy::lessons::referenced_blobs(store)?);
    all.extend(crate::pedagogy::exercises::referenced_blobs(store)?);
    all.extend(crate::progress::referenced_blobs(store)?);
    all.extend(crate::commune::requests::referenced_blobs(store)?);
    Ok(all)
}

/// Deletes the blobs no record refers to any more (a file removed from the médiathèque,
/// the attachments of purged messages). A blob younger than a day is kept: its record
/// may be in the making (an upload finishing, a draft about to be saved).
pub fn sweep_blobs(store: &Store, now: i64) -> Result<usize> {
    let day = std::time::Duration::from_secs(86_400);
    let now = std::time::UNIX_EPOCH + std::time::Duration::from_micros(now.max(0) as u64);
    let old: Vec<_> = store
        .blobs()
        .all()?
        .into_iter()
        .filter(|(_, modified)| {
            now.duration_since(*modified)
                .map(|age| age >= day)
                .unwrap_or(false)
        })
        .map(|(id, _)| id)
        .collect();
    if old.is_empty() {
        // Nothing old enough to sweep: the records are not read (an hourly job).
        return Ok(0);
    }
    let keep = referenced_blobs(store)?;
    let mut removed = 0;
    for id in old {
        if !keep.contains(id.as_str()) {
            store.blobs().remove(&id)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Integrity problems found (empty when everything agrees).
pub fn check(store: &Store) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let version = store.schema_version()?;
    if version != current_version() {
        problems.push(format!(
            "version du schéma {version}, attendue {}",
            current_version()
        ));
    }
    problems.extend(crate::directory::check(store)?);
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_one_by_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as u64 + 1, "{}", m.description);
        }
    }

    #[test]
    fn table_names_are_unique() {
        let t = tables();
        let mut sorted = t.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), t.len());
    }
}

#[cfg(test)]
mod forget_tests {
    use super::*;
    use crate::directory::{self, NewUser};
    use crate::policy::Profile;
    use crate::store::StoreError;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_raw(
            dir.path(),
            &crate::store::StoreOptions::default(),
            &tables(),
        )
        .unwrap();
        (dir, store)
    }

    /// A parent with an account, a mail folder and a notification.
    fn someone(store: &Store) -> u64 {
        store
            .commit_checked_blocking(|tx| {
                let id = directory::create_user(
                    tx,
                    &NewUser {
                        login: "camille.durand".into(),
                        first_name: "Camille".into(),
                        last_name: "Durand".into(),
                        profile: Profile::Responsable,
                        functions: Vec::new(),
                        email: None,
                        password_hash: None,
                        must_change_password: false,
                        created_at: 1,
                    },
                )?;
                tx.put(&crate::messaging::FOLDERS, &(id, 1), &"Sorties".to_string())?;
                crate::notify::push(
                    tx,
                    id,
                    crate::notify::Kind::Message,
                    "Nouveau message",
                    "/messagerie",
                    2,
                )?;
                Ok(id)
            })
            .unwrap()
    }

    fn traces(store: &Store, id: u64) -> (bool, usize, u64) {
        (
            directory::user(store, id).unwrap().is_some(),
            store
                .scan_prefix(&crate::messaging::FOLDERS, &crate::store::Key::encode(&id))
                .unwrap()
                .len(),
            crate::notify::unread_count(store, id).unwrap(),
        )
    }

    #[test]
    fn an_account_is_forgotten_by_every_module_together() {
        let (_dir, store) = store();
        let id = someone(&store);
        assert_eq!(traces(&store, id), (true, 1, 1));
        forget_account(&store, id).unwrap();
        assert_eq!(traces(&store, id), (false, 0, 0));
    }

    #[test]
    fn a_failing_module_leaves_the_account_whole() {
        fn fails(_: &Store, _: u64) -> Result<Erase> {
            Ok(Box::new(|_| Err(StoreError::Engine("disque plein".into()))))
        }
        let (_dir, store) = store();
        let id = someone(&store);
        let mut registry = FORGET.to_vec();
        registry.push(Forget {
            module: "test",
            prepare: Some(fails),
            keeps: "nothing",
        });
        assert!(forget_with(&store, id, &registry).is_err());
        assert_eq!(traces(&store, id), (true, 1, 1), "nothing was erased");
    }
}
