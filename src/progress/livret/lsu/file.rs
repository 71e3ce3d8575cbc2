//! The LSU file written from a checked [`Selection`], and the structure it must have
//! ([`SCHEMA`], checked by [`schema_problems`] on the written bytes).

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::xml::Element;
use super::{domain_code, Export, Selection};

pub const NAMESPACE: &str = "urn:fr:edu:scolarite:lsun:bilans:import";
pub const SCHEMA_VERSION: &str = "1.0";
const SCHEMA_LOCATION: &str = "urn:fr:edu:scolarite:lsun:bilans:import import-bilan-1d.xsd";

/// An element's rule: (name, required attributes, required children, other children it
/// may have).
pub type Rule = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

/// Each element of the file with its rule. Any other element or a missing piece is a
/// problem.
pub const SCHEMA: &[Rule] = &[
    (
        "lsun-bilans",
        &["xmlns", "xmlns:xsi", "xsi:schemaLocation", "schemaVersion"],
        &["entete", "donnees"],
        &[],
    ),
    (
        "entete",
        &[],
        &["editeur", "application", "etablissement"],
        &[],
    ),
    ("editeur", &[], &[], &[]),
    ("application", &[], &[], &[]),
    ("etablissement", &[], &[], &[]),
    (
        "donnees",
        &[],
        &["directeurs", "classes", "eleves", "periodes", "enseignants"],
        &["elements-programme", "bilans-periodiques", "bilans-cycle"],
    ),
    ("directeurs", &[], &["directeur"], &[]),
    ("directeur", &["id", "nom", "prenom"], &[], &[]),
    ("classes", &[], &["classe"], &[]),
    ("classe", &["id", "id-be", "libelle"], &[], &[]),
    ("eleves", &[], &["eleve"], &[]),
    (
        "eleve",
        &["id", "ine", "classe-ref", "nom", "prenom"],
        &[],
        &[],
    ),
    ("periodes", &[], &["periode"], &[]),
    (
        "periode",
        &[
            "id",
            "millesime",
            "indice",
            "nb-periodes",
            "date-debut",
            "date-fin",
        ],
        &[],
        &[],
    ),
    ("enseignants", &[], &["enseignant"], &[]),
    ("enseignant", &["id", "nom", "prenom"], &[], &[]),
    ("elements-programme", &[], &["element-programme"], &[]),
    ("element-programme", &["id", "libelle"], &[], &[]),
    ("bilans-periodiques", &[], &["bilan-periodique"], &[]),
    (
        "bilan-periodique",
        &[
            "eleve-ref",
            "periode-ref",
            "enseignant-refs",
            "directeur-ref",
            "date-creation",
            "date-scolarite",
            "date-verrou",
        ],
        &["liste-acquis"],
        &["modalites-accompagnement", "appreciation-generale"],
    ),
    ("liste-acquis", &[], &["acquis"], &[]),
    (
        "acquis",
        &["code-domaine", "element-programme-refs"],
        &[],
        &["appreciation"],
    ),
    ("appreciation", &[], &[], &[]),
    (
        "modalites-accompagnement",
        &[],
        &["modalite-accompagnement"],
        &[],
    ),
    ("modalite-accompagnement", &["code"], &[], &[]),
    ("appreciation-generale", &[], &[], &[]),
    ("bilans-cycle", &[], &["bilan-cycle"], &[]),
    (
        "bilan-cycle",
        &[
            "eleve-ref",
            "cycle",
            "millesime",
            "enseignant-refs",
            "directeur-ref",
            "date-creation",
            "date-verrou",
        ],
        &["socle"],
        &["synthese"],
    ),
    ("socle", &[], &["domaine"], &[]),
    ("domaine", &["code", "positionnement"], &[], &[]),
    ("synthese", &[], &[], &[]),
];

/// `2026-10-05T18:30:00`, in the school's time zone (a publication's moment).
fn moment(micros: i64) -> String {
    Timestamp::from_microsecond(micros)
        .map(|t| {
            t.to_zoned_datetime(crate::ui::dates::school_tz())
                .strftime("%Y-%m-%dT%H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

fn day(micros: i64) -> String {
    moment(micros).chars().take(10).collect()
}

pub(super) fn write(s: &Selection) -> Export {
    let millesime: String = s.period.year.chars().take(4).collect();
    let people = &s.people;
    let person = |tag: &'static str, id: String, user: u64| {
        let (prenom, nom) = first_last(people, user);
        Element::new(tag)
            .attr("id", id)
            .attr("nom", nom)
            .attr("prenom", prenom)
    };
    let director = s.directors.first().copied().unwrap_or_default();
    let teachers: BTreeMap<u64, Vec<u64>> = s
        .classes
        .iter()
        .map(|(c, record)| {
            let mut t = record.teachers.clone();
            t.sort_unstable();
            (c.id, t)
        })
        .collect();
    let published: BTreeMap<u64, i64> = s
        .classes
        .iter()
        .map(|(c, r)| (c.id, r.published.as_ref().map(|p| p.at).unwrap_or_default()))
        .collect();
    let refs = |ids: &[u64]| {
        ids.iter()
            .map(|t| format!("ENS{t}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    // Each distinct élément du programme once, numbered in the order of its text.
    let elements: BTreeMap<&str, usize> = {
        let mut texts: Vec<&str> = s
            .classes
            .iter()
            .flat_map(|(_, r)| r.elements.values().flatten().map(String::as_str))
            .collect();
        texts.sort_unstable();
        texts.dedup();
        texts
            .into_iter()
            .enumerate()
            .map(|(n, t)| (t, n + 1))
            .collect()
    };
    // A subject without éléments du programme refers to « EP0 », a placeholder « - », as
    // the public exporters do: the LSU wants at least one reference per acquis.
    let mut placeholder = false;
    let mut pupils: BTreeMap<u64, u64> = BTreeMap::new();
    for (pupil, class_id) in s
        .bilans
        .iter()
        .map(|b| (b.pupil, b.class_id))
        .chain(s.cycle_bilans.iter().map(|b| (b.pupil, b.class_id)))
    {
        pupils.entry(pupil).or_insert(class_id);
    }
    let all_teachers: std::collections::BTreeSet<u64> =
        teachers.values().flatten().copied().collect();

    let mut donnees = Element::new("donnees")
        .child(
            Element::new("directeurs").children(
                s.directors
                    .iter()
                    .map(|d| person("directeur", format!("DIR{d}"), *d)),
            ),
        )
        .child(
            Element::new("classes").children(s.classes.iter().map(|(c, _)| {
                Element::new("classe")
                    .attr("id", format!("CL{}", c.id))
                    .attr("id-be", c.onde_id.clone().unwrap_or_default())
                    .attr("libelle", c.label.clone())
            })),
        )
        .child(
            Element::new("eleves").children(pupils.iter().map(|(pupil, class_id)| {
                let (prenom, nom) = first_last(people, *pupil);
                Element::new("eleve")
                    .attr("id", format!("EL{pupil}"))
                    .attr("ine", s.ines.get(pupil).cloned().unwrap_or_default())
                    .attr("classe-ref", format!("CL{class_id}"))
                    .attr("nom", nom)
                    .attr("prenom", prenom)
            })),
        )
        .child(
            Element::new("periodes").child(
                Element::new("periode")
                    .attr("id", format!("PER{}", s.period.id))
                    .attr("millesime", millesime.clone())
                    .attr("indice", s.period.number.to_string())
                    .attr("nb-periodes", s.periods_in_year.to_string())
                    .attr("date-debut", s.period.start.to_string())
                    .attr("date-fin", s.period.end.to_string()),
            ),
        )
        .child(
            Element::new("enseignants").children(
                all_teachers
                    .iter()
                    .map(|t| person("enseignant", format!("ENS{t}"), *t)),
            ),
        );
    let periodic: Vec<Element> =
        s.bilans
            .iter()
            .map(|b| {
                let record = s
                    .classes
                    .iter()
                    .find(|(c, _)| c.id == b.class_id)
                    .map(|(_, r)| r);
                let acquis = b.subjects.iter().filter_map(|entry| {
                    let code = domain_code(&entry.subject)?;
                    if entry.positionnement.is_none() && entry.appreciation.trim().is_empty() {
                        return None;
                    }
                    let worked: Vec<String> = record
                        .and_then(|r| r.elements.get(&entry.subject))
                        .map(|list| {
                            list.iter()
                                .filter_map(|e| elements.get(e.as_str()))
                                .map(|n| format!("EP{n}"))
                                .collect()
                        })
                        .unwrap_or_default();
                    let refs = if worked.is_empty() {
                        placeholder = true;
                        String::from("EP0")
                    } else {
                        worked.join(" ")
                    };
                    let mut a = Element::new("acquis")
                        .attr("code-domaine", code)
                        .attr("element-programme-refs", refs);
                    if let Some(p) = entry.positionnement {
                        a = a.attr("positionnement", p.to_string());
                    }
                    if !entry.appreciation.trim().is_empty() {
                        a = a.child(Element::new("appreciation").text(entry.appreciation.trim()));
                    }
                    Some(a)
                });
                let locked = b.published.as_ref().map(|p| p.at).unwrap_or_default();
                let mut e = Element::new("bilan-periodique")
                    .attr("eleve-ref", format!("EL{}", b.pupil))
                    .attr("periode-ref", format!("PER{}", s.period.id))
                    .attr(
                        "enseignant-refs",
                        refs(teachers.get(&b.class_id).map(Vec::as_slice).unwrap_or(&[])),
                    )
                    .attr("directeur-ref", format!("DIR{director}"))
                    .attr(
                        "date-creation",
                        day(published.get(&b.class_id).copied().unwrap_or(locked)),
                    )
                    .attr("date-scolarite", s.period.start.to_string())
                    .attr("date-verrou", moment(locked))
                    .child(Element::new("liste-acquis").children(acquis.collect::<Vec<_>>()));
                let mut aides = b.aides.clone();
                aides.sort();
                aides.dedup();
                if !aides.is_empty() {
                    e = e.child(
                        Element::new("modalites-accompagnement").children(aides.into_iter().map(
                            |code| Element::new("modalite-accompagnement").attr("code", code),
                        )),
                    );
                }
                if !b.general.trim().is_empty() {
                    e = e.child(Element::new("appreciation-generale").text(b.general.trim()));
                }
                e
            })
            .collect();
    if placeholder || !elements.is_empty() {
        let none = placeholder.then(|| {
            Element::new("element-programme")
                .attr("id", "EP0")
                .attr("libelle", "-")
        });
        donnees = donnees.child(Element::new("elements-programme").children(
            none.into_iter().chain(elements.iter().map(|(text, n)| {
                Element::new("element-programme")
                    .attr("id", format!("EP{n}"))
                    .attr("libelle", *text)
            })),
        ));
    }
    if !periodic.is_empty() {
        donnees = donnees.child(Element::new("bilans-periodiques").children(periodic));
    }
    let cycles: Vec<Element> = s
        .cycle_bilans
        .iter()
        .map(|b| {
            let locked = b.published.as_ref().map(|p| p.at).unwrap_or_default();
            let mut components = b.components.clone();
            components.sort();
            let mut e = Element::new("bilan-cycle")
                .attr("eleve-ref", format!("EL{}", b.pupil))
                .attr("cycle", b.cycle.to_string())
                .attr("millesime", millesime.clone())
                .attr(
                    "enseignant-refs",
                    refs(teachers.get(&b.class_id).map(Vec::as_slice).unwrap_or(&[])),
                )
                .attr("directeur-ref", format!("DIR{director}"))
                .attr("date-creation", day(locked))
                .attr("date-verrou", moment(locked))
                .child(Element::new("socle").children(components.into_iter().map(
                    |(code, level)| {
                        Element::new("domaine")
                            .attr("code", code)
                            .attr("positionnement", level.to_string())
                    },
                )));
            if !b.appreciation.trim().is_empty() {
                e = e.child(Element::new("synthese").text(b.appreciation.trim()));
            }
            e
        })
        .collect();
    if !cycles.is_empty() {
        donnees = donnees.child(Element::new("bilans-cycle").children(cycles));
    }
    let root = Element::new("lsun-bilans")
        .attr("xmlns", NAMESPACE)
        .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
        .attr("xsi:schemaLocation", SCHEMA_LOCATION)
        .attr("schemaVersion", SCHEMA_VERSION)
        .child(
            Element::new("entete")
                .child(Element::new("editeur").text("Préau"))
                .child(Element::new("application").text("Préau"))
                .child(Element::new("etablissement").text(s.uai.clone())),
        )
        .child(donnees);
    let class_part = match s.classes.as_slice() {
        [(c, _)] => format!("-{}", slug(&c.label)),
        _ => String::new(),
    };
    Export {
        xml: root.to_document(),
        file_name: format!(
            "import-lsun-{}-{}-periode-{}{class_part}.xml",
            s.uai, s.period.year, s.period.number
        ),
        pupils: pupils.len(),
        bilans: s.bilans.len(),
        cycle_bilans: s.cycle_bilans.len(),
    }
}

/// (first name, last name) of an account; empty for one that is gone (the checks refuse
/// that case before).
fn first_last(people: &crate::directory::people::People, id: u64) -> (String, String) {
    people
        .user(id)
        .map(|u| (u.first_name.clone(), u.last_name.clone()))
        .unwrap_or_default()
}

/// A class label fit for a file name: « CM1-CM2 » stays, « CE2 b » becomes « CE2-b ».
fn slug(label: &str) -> String {
    label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// What breaks [`SCHEMA`] in an element tree, each problem with the path to it.
pub fn schema_problems(root: &Element) -> Vec<String> {
    let mut problems = Vec::new();
    if root.name() != "lsun-bilans" {
        problems.push(format!("racine {} au lieu de lsun-bilans", root.name()));
    }
    check(root, root.name(), &mut problems);
    problems
}

fn check(e: &Element, path: &str, problems: &mut Vec<String>) {
    let Some((_, attrs, required, optional)) = SCHEMA.iter().find(|(n, ..)| *n == e.name()) else {
        problems.push(format!("{path} : élément inconnu"));
        return;
    };
    for a in *attrs {
        if e.attribute(a).is_none_or(str::is_empty) {
            problems.push(format!("{path} : attribut {a} manquant ou vide"));
        }
    }
    for r in *required {
        if !e.elements().any(|c| c.name() == *r) {
            problems.push(format!("{path} : élément {r} manquant"));
        }
    }
    for c in e.elements() {
        if !required.contains(&c.name()) && !optional.contains(&c.name()) {
            problems.push(format!("{path} : {} n'est pas permis ici", c.name()));
        }
        check(c, &format!("{path}/{}", c.name()), problems);
    }
}
