//! The school itself: identity (name, UAI, address, académie, zone) and the services
//! switched on. Owns the `school` table (one record).

pub mod calendar;

use serde::{Deserialize, Serialize};

use crate::store::{Result, Store, Table, Tx};

pub const SCHOOL: Table<String, School> = Table::new("school");
pub const TABLES: &[&str] = &[SCHOOL.name, calendar::CALENDAR.name];
const KEY: &str = "ecole";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Zone {
    A,
    B,
    C,
}

impl Zone {
    pub const ALL: [Zone; 3] = [Zone::A, Zone::B, Zone::C];
    pub fn code(self) -> &'static str {
        match self {
            Zone::A => "A",
            Zone::B => "B",
            Zone::C => "C",
        }
    }
    pub fn from_code(text: &str) -> Option<Zone> {
        Zone::ALL
            .into_iter()
            .find(|z| z.code().eq_ignore_ascii_case(text.trim()))
    }
}

/// The ENT's services. `available` says whether this version of Préau has built it: a
/// service can be switched on in advance, but only available ones appear in menus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    Messagerie,
    Carnet,
    Actualites,
    Agenda,
    Blog,
    Mediatheque,
    CahierDeTextes,
    Devoirs,
    Classeur,
    Exercices,
    Cantine,
    Absences,
    Rendezvous,
    Commune,
    Suivi,
}

impl Service {
    pub const ALL: [Service; 15] = [
        Service::Actualites,
        Service::Messagerie,
        Service::Carnet,
        Service::Agenda,
        Service::Blog,
        Service::Mediatheque,
        Service::CahierDeTextes,
        Service::Devoirs,
        Service::Classeur,
        Service::Exercices,
        Service::Cantine,
        Service::Absences,
        Service::Rendezvous,
        Service::Commune,
        Service::Suivi,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Service::Messagerie => "messagerie",
            Service::Carnet => "carnet",
            Service::Actualites => "actualites",
            Service::Agenda => "agenda",
            Service::Blog => "blog",
            Service::Mediatheque => "mediatheque",
            Service::CahierDeTextes => "cahier-de-textes",
            Service::Devoirs => "devoirs",
            Service::Classeur => "classeur",
            Service::Exercices => "exercices",
            Service::Cantine => "cantine",
            Service::Absences => "absences",
            Service::Rendezvous => "rendez-vous",
            Service::Commune => "commune",
            Service::Suivi => "suivi",
        }
    }

    pub fn from_slug(text: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.slug() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Service::Messagerie => "Messagerie",
            Service::Carnet => "Carnet de liaison",
            Service::Actualites => "Actualités",
            Service::Agenda => "Agenda",
            Service::Blog => "Blog",
            Service::Mediatheque => "Médiathèque",
            Service::CahierDeTextes => "Cahier de textes",
            Service::Devoirs => "Devoirs en ligne",
            Service::Classeur => "Classeur de leçons",
            Service::Exercices => "Exercices",
            Service::Cantine => "Cantine et périscolaire",
            Service::Absences => "Absences",
            Service::Rendezvous => "Rendez-vous et réservations",
            Service::Commune => "La commune",
            Service::Suivi => "Suivi des apprentissages",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Service::Messagerie => "Une messagerie fermée, réservée aux membres de l'école.",
            Service::Carnet => "Les mots aux familles, avec signature en ligne.",
            Service::Actualites => "Les nouvelles de l'école et des classes.",
            Service::Agenda => "Les dates importantes, les sorties, les réunions.",
            Service::Blog => "Le blog de l'école et de chaque classe.",
            Service::Mediatheque => "Les documents, photos, sons et vidéos.",
            Service::CahierDeTextes => "Ce qui a été fait en classe et le travail à faire.",
            Service::Devoirs => "Le travail rendu en ligne, y compris à l'oral.",
            Service::Classeur => "Les leçons à revoir à la maison.",
            Service::Exercices => "Des exercices auto-corrigés.",
            Service::Cantine => {
                "Les menus, les inscriptions à la cantine et au périscolaire, le pointage."
            }
            Service::Absences => {
                "L'appel par demi-journée, les absences signalées aux familles, le registre."
            }
            Service::Rendezvous => {
                "Les rencontres parents-enseignants sur créneaux, la réservation des salles, du matériel et du minibus."
            }
            Service::Commune => {
                "Les horaires de la mairie, la cantine et le périscolaire, le transport scolaire, les demandes à la mairie."
            }
            Service::Suivi => {
                "Le carnet de suivi des apprentissages : les réussites de chaque enfant en photos, partagées avec les familles."
            }
        }
    }

    /// URL of the service.
    /// The service's page, `/` and its slug.
    pub fn path(self) -> &'static str {
        match self {
            Service::Messagerie => "/messagerie",
            Service::Carnet => "/carnet",
            Service::Actualites => "/actualites",
            Service::Agenda => "/agenda",
            Service::Blog => "/blog",
            Service::Mediatheque => "/mediatheque",
            Service::CahierDeTextes => "/cahier-de-textes",
            Service::Devoirs => "/devoirs",
            Service::Classeur => "/classeur",
            Service::Exercices => "/exercices",
            Service::Cantine => "/cantine",
            Service::Absences => "/absences",
            Service::Rendezvous => "/rendez-vous",
            Service::Commune => "/commune",
            Service::Suivi => "/suivi",
        }
    }

    /// Whether the service has something to show a person of this profile: the menu and
    /// the home's tiles offer it only then (what each may do there is the policy's). The
    /// absences are for families and staff, never for pupils.
    pub fn concerns(self, profile: crate::policy::Profile) -> bool {
        use crate::policy::Profile;
        match self {
            Service::Absences => matches!(
                profile,
                Profile::Responsable | Profile::Enseignant | Profile::Periscolaire
            ),
            // Meetings for families and teachers, resources for the staff.
            Service::Rendezvous => !matches!(
                profile,
                Profile::Eleve | Profile::Intervenant | Profile::Invite | Profile::Conseiller
            ),
            // The mairie's pages and the buses are for families and adults; pupils,
            // guests and the académie's visitors have nothing to do there.
            Service::Commune => matches!(
                profile,
                Profile::Responsable
                    | Profile::Enseignant
                    | Profile::Atsem
                    | Profile::Periscolaire
                    | Profile::Commune
            ),
            // The carnet is the teacher's and the family's, and the child's own (kid mode).
            Service::Suivi => matches!(
                profile,
                Profile::Responsable | Profile::Enseignant | Profile::Eleve
            ),
            _ => true,
        }
    }

    /// Whether each class chooses who uses it (`policy::openings`): not the canteen and
    /// the périscolaire (the commune's, for every family), nor the absences (the register
    /// is the law's, whatever the class), nor the meetings and resources (the school's
    /// staff book resources whatever their class; a class's meetings are its teachers'), nor
    /// the commune's space (the mairie's, for every family).
    pub fn per_class(self) -> bool {
        !matches!(
            self,
            Service::Cantine | Service::Absences | Service::Rendezvous | Service::Commune
        )
    }

    /// Whether the service has a part that is the school's, not a class's: the school's
    /// blog, its news, its calendar. A class that closes such a service closes its own
    /// part only; the person keeps the service for the school's part.
    pub fn has_school_part(self) -> bool {
        matches!(self, Service::Blog | Service::Actualites | Service::Agenda)
    }

    /// Whether this version of Préau contains the service.
    pub fn available(self) -> bool {
        matches!(
            self,
            Service::Messagerie
                | Service::Actualites
                | Service::Agenda
                | Service::Blog
                | Service::Carnet
                | Service::Mediatheque
                | Service::CahierDeTextes
                | Service::Devoirs
                | Service::Classeur
                | Service::Exercices
                | Service::Cantine
                | Service::Absences
                | Service::Rendezvous
                | Service::Commune
                | Service::Suivi
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct School {
    pub name: String,
    pub uai: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub postcode: String,
    pub commune: String,
    #[serde(default)]
    pub academie: String,
    pub zone: Zone,
    #[serde(default)]
    pub services: Vec<Service>,
}

impl School {
    pub fn enabled(&self, service: Service) -> bool {
        self.services.contains(&service)
    }

    /// Services switched on and present in this version, in menu order.
    pub fn menu_services(&self) -> Vec<Service> {
        Service::ALL
            .into_iter()
            .filter(|s| self.enabled(*s) && s.available())
            .collect()
    }
}

/// Checks a UAI (ex-RNE): 7 digits and a control letter. The letter is the remainder of
/// the number by 23 in the alphabet without I, O and Q.
pub fn valid_uai(text: &str) -> bool {
    let t = text.trim().to_uppercase();
    if t.len() != 8 {
        return false;
    }
    let (digits, letter) = t.split_at(7);
    let Ok(n) = digits.parse::<u32>() else {
        return false;
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ";
    let expected = LETTERS.get((n % 23) as usize).copied();
    letter.as_bytes().first().copied() == expected
}

/// The school, from memory (every page shows its name): read again only after a change.
pub fn get(store: &Store) -> Result<Option<School>> {
    Ok(Option::clone(&*kept(store)?))
}

/// The school's record as kept in memory, shared rather than copied: for what every
/// request reads (the service gates, the page around each view).
pub fn kept(store: &Store) -> Result<std::sync::Arc<Option<School>>> {
    store.derived(&[SCHOOL.name], |s| s.get(&SCHOOL, &KEY.to_string()))
}

pub fn save(tx: &mut Tx<'_>, school: &School) -> Result<()> {
    tx.put(&SCHOOL, &KEY.to_string(), school)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_service_page_is_its_slug() {
        for s in Service::ALL {
            assert_eq!(s.path(), format!("/{}", s.slug()));
        }
    }

    #[test]
    fn uai_control_letter_is_checked() {
        let n: u32 = 750001;
        let letter = b"ABCDEFGHJKLMNPRSTUVWXYZ"[(n % 23) as usize] as char;
        assert!(valid_uai(&format!("0750001{letter}")));
        let wrong = if letter == 'A' { 'B' } else { 'A' };
        assert!(!valid_uai(&format!("0750001{wrong}")));
        assert!(!valid_uai("075000"));
        assert!(!valid_uai("07500011"));
    }

    #[test]
    fn unavailable_services_stay_out_of_menus() {
        let school = School {
            name: "École".into(),
            uai: "".into(),
            address: "".into(),
            postcode: "".into(),
            commune: "".into(),
            academie: "".into(),
            zone: Zone::A,
            services: Service::ALL.to_vec(),
        };
        for s in school.menu_services() {
            assert!(s.available());
        }
    }
}
