//! The demo's espace de la commune: the mairie's pages (horaires, contacts, règlement et
//! tarifs, inscriptions, PEDT), two school bus lines — a car through the hamlets and the
//! RPI's shuttle from Vernay — each with its riders (the demo parent's child on the first
//! one), a change to come on the first line, and Nadia's request about a cold radiator,
//! « en cours » with the mairie's answer.

use crate::commune::pages::{Page, PAGES};
use crate::commune::requests::{Category, Request, State, Step, REQUESTS};
use crate::commune::transport::{Change, Direction, Line, Stop, Trip, CHANGES, LINES};
use crate::directory::people::People;
use crate::policy::Profile;
use crate::slots::add_days;
use crate::store::Store;

const PAGES_TEXT: [(&str, &str); 5] = [
    (
        "Horaires de la mairie",
        "**Secrétariat de mairie**\n\n- Lundi : 9 h – 12 h\n- Mardi : 14 h – 18 h\n- Jeudi : 9 h – 12 h\n- Samedi : 10 h – 12 h (semaines paires)\n\nEn dehors de ces horaires, laissez un message : nous rappelons dans la journée.",
    ),
    (
        "Contacts",
        "- **Mairie** : 02 96 00 00 00 — mairie@example.org\n- **Cantine** (Mme Rouxel) : par la messagerie de l'ENT\n- **Transport scolaire** : Cars de l'Argoat, 02 96 11 11 11\n- **Élu aux affaires scolaires** : M. Le Goff, sur rendez-vous",
    ),
    (
        "Cantine et périscolaire : règlement et tarifs",
        "### Tarifs de l'année\n\n- Repas : 3,20 € (2,10 € à partir du deuxième enfant)\n- Garderie du matin : 1,50 € ; du soir : 2,00 €\n- Étude surveillée : gratuite\n\n### Règlement\n\nLes inscriptions se font sur l'ENT au plus tard le jeudi 9 h pour la semaine suivante. Une absence non prévenue est facturée, sauf maladie (certificat).",
    ),
    (
        "Inscriptions scolaires",
        "Les inscriptions pour la rentrée prochaine ont lieu **en mairie, de mars à mai**.\n\nApportez le livret de famille, un justificatif de domicile et le carnet de santé (vaccinations). La mairie vous remet un certificat d'inscription, à présenter ensuite à la directrice.",
    ),
    (
        "PEDT (projet éducatif territorial)",
        "Le PEDT de la commune organise les activités du mercredi et du soir avec l'école : sport avec le club de Vernay, lecture à la médiathèque, jardin partagé.\n\nLe document complet est consultable en mairie.",
    ),
];

fn stops(list: &[(u16, &str)]) -> Vec<Stop> {
    list.iter()
        .map(|(t, p)| Stop {
            time: *t,
            place: (*p).into(),
        })
        .collect()
}

/// The pages, the two lines with their riders, a change to come, a request.
pub(super) fn space(store: &Store, now: i64, parent_login: Option<&str>) -> anyhow::Result<()> {
    let people = People::load(store)?;
    let Some(mairie) = people
        .users
        .values()
        .find(|u| u.profile == Profile::Commune)
        .map(|u| u.id)
    else {
        return Ok(());
    };
    let nadia = people
        .users
        .values()
        .find(|u| u.first_name == "Nadia" && u.last_name == "Belkacem")
        .map(|u| u.id)
        .unwrap_or(mairie);
    let parent = match parent_login {
        Some(login) => crate::directory::user_by_login(store, login)?.map(|u| u.id),
        None => None,
    };
    let first_child = parent.and_then(|p| people.children_of(p).first().copied());
    // Riders: the demo parent's child, then every fifth pupil on the car, every seventh
    // (not already riding) on the shuttle.
    let pupils: Vec<u64> = people
        .by_name
        .iter()
        .copied()
        .filter(|u| people.user(*u).is_some_and(|u| u.profile == Profile::Eleve))
        .collect();
    let mut car: Vec<u64> = first_child.into_iter().collect();
    car.extend(
        pupils
            .iter()
            .step_by(5)
            .filter(|p| Some(**p) != first_child),
    );
    let shuttle: Vec<u64> = pupils
        .iter()
        .skip(3)
        .step_by(7)
        .filter(|p| !car.contains(p))
        .copied()
        .collect();
    let school_days = vec![0, 1, 3, 4];
    let car_line = |id| Line {
        id,
        name: "Ligne 1 — Les Granges, Le Bourg".into(),
        note: "Cars de l'Argoat, 02 96 11 11 11. Le car attend 2 minutes à chaque arrêt.".into(),
        trips: vec![
            Trip {
                direction: Direction::Aller,
                days: school_days.clone(),
                stops: stops(&[
                    (475, "Les Granges, abribus"),
                    (485, "Kerhallon"),
                    (495, "Le Bourg, mairie"),
                    (505, "École"),
                ]),
            },
            Trip {
                direction: Direction::Retour,
                days: school_days.clone(),
                stops: stops(&[
                    (995, "École"),
                    (1005, "Le Bourg, mairie"),
                    (1015, "Kerhallon"),
                    (1025, "Les Granges, abribus"),
                ]),
            },
            Trip {
                direction: Direction::Retour,
                days: vec![2],
                stops: stops(&[
                    (705, "École"),
                    (715, "Le Bourg, mairie"),
                    (725, "Les Granges, abribus"),
                ]),
            },
        ],
        riders: car.clone(),
        created_at: now,
    };
    let shuttle_line = |id| Line {
        id,
        name: "Navette RPI — Vernay ↔ école".into(),
        note:
            "Navette du regroupement pédagogique : les élèves de Vernay, accompagnés par une ATSEM."
                .into(),
        trips: vec![
            Trip {
                direction: Direction::Aller,
                days: school_days.clone(),
                stops: stops(&[(480, "Vernay, école"), (500, "École")]),
            },
            Trip {
                direction: Direction::Retour,
                days: school_days.clone(),
                stops: stops(&[(990, "École"), (1010, "Vernay, école")]),
            },
        ],
        riders: shuttle.clone(),
        created_at: now,
    };
    let today = crate::ui::dates::local_day_and_hour(now).0;
    // The change falls on a school day a few days on.
    let zone = crate::school::get(store)?
        .map(|s| s.zone)
        .unwrap_or(crate::school::Zone::B);
    let changed = crate::school::calendar::get(store)?
        .school_days(zone, add_days(today, 2), add_days(today, 30))
        .first()
        .copied()
        .unwrap_or_else(|| add_days(today, 2));
    store.commit_blocking(|tx| {
        for (rank, (title, body)) in PAGES_TEXT.iter().enumerate() {
            let id = tx.next_id("commune_page")?;
            let page = Page {
                id,
                title: (*title).into(),
                body: (*body).into(),
                rank: rank as u16 + 1,
                updated_at: now,
                updated_by: mairie,
            };
            tx.put(&PAGES, &id, &page)?;
        }
        let first = tx.next_id("commune_line")?;
        tx.put(&LINES, &first, &car_line(first))?;
        let second = tx.next_id("commune_line")?;
        tx.put(&LINES, &second, &shuttle_line(second))?;
        let change = tx.next_id("commune_change")?;
        let c = Change {
            id: change,
            line: first,
            from: changed,
            to: changed,
            text: "Travaux au Bourg : arrêt « Le Bourg, mairie » déplacé devant l'église, horaires inchangés.".into(),
            by: mairie,
            at: now,
        };
        tx.put(&CHANGES, &change, &c)?;
        let request = tx.next_id("commune_request")?;
        let r = Request {
            id: request,
            category: Category::Chauffage,
            title: "Radiateur froid au fond de la classe".into(),
            text: "Le radiateur sous la fenêtre ne chauffe plus depuis lundi ; il fait 16 °C le matin.".into(),
            photos: Vec::new(),
            author: nadia,
            at: now - 2 * 86_400_000_000,
            state: State::EnCours,
            steps: vec![Step {
                at: now - 86_400_000_000,
                by: mairie,
                state: Some(State::EnCours),
                comment: "Le chauffagiste passe jeudi matin.".into(),
            }],
        };
        tx.put(&REQUESTS, &request, &r)
    })?;
    Ok(())
}
