//! Views of the wizard.

use maud::{html, Markup};

use super::{CreatedTeacher, Draft, TeacherChoice};
use crate::auth::visitor::Visitor;
use crate::directory::Level;
use crate::school::{School, Service, Zone};
use crate::ui::form::{checkboxes, error_summary, select, Field, FormState};
use crate::ui::{csrf_input, page, Frame};

const STEPS: [(&str, &str); 6] = [
    ("/setup/ecole", "École"),
    ("/setup/direction", "Direction"),
    ("/setup/classes", "Classes"),
    ("/setup/services", "Services"),
    ("/setup/eleves", "Élèves et parents"),
    ("/setup/recapitulatif", "Récapitulatif"),
];

fn wizard(visitor: &Visitor, title: &str, current: &str, body: Markup) -> Markup {
    let position = STEPS.iter().position(|(p, _)| *p == current);
    let inner = html! {
        div.wizard {
            p.kicker { "Installation de Préau" }
            @if let Some(pos) = position {
                ol.steps aria-label="Étapes de l'installation" {
                    @for (i, (path, label)) in STEPS.iter().enumerate() {
                        @if i == pos {
                            li.current aria-current="step" { span.num { (i + 1) } " " (label) }
                        } @else if i < pos {
                            li.done { a href=(path) { span.num { (i + 1) } " " (label) } }
                        } @else {
                            li { span.num { (i + 1) } " " (label) }
                        }
                    }
                }
            }
            section.panel { (body) }
        }
    };
    page(
        Frame {
            school: None,
            visitor,
            title,
            section: "",
        },
        inner,
    )
}

pub fn code_page(visitor: &Visitor, message: Option<&str>) -> Markup {
    let mut form = FormState::new();
    if let Some(m) = message {
        form.error("code", m);
    }
    wizard(
        visitor,
        "Code d'installation",
        "",
        html! {
            h1 { "Bienvenue dans Préau" }
            p.lead { "Vous allez créer l'espace numérique de travail de votre école. Cela prend une dizaine de minutes." }
            p { "Pour commencer, saisissez le " strong { "code d'installation" } ". Il a été affiché à la fin de l'installation, dans le journal du service (" code { "journalctl -u preau" } ") et dans le fichier " code { "setup-code" } " du dossier de données. Il protège votre école : sans lui, personne ne peut devenir administrateur." }
            form method="post" action="/setup/code" novalidate {
                (csrf_input(visitor))
                (Field::text("code", "Code d'installation").hint("Huit caractères, par exemple ABCD-EFGH.").required().autocomplete("off").render(&form))
                button.primary type="submit" { "Commencer" }
            }
        },
    )
}

pub fn school_page(visitor: &Visitor, form: &FormState) -> Markup {
    let zones: Vec<(String, String)> = std::iter::once((String::new(), "— Choisir —".to_string()))
        .chain(
            Zone::ALL
                .iter()
                .map(|z| (z.code().to_string(), format!("Zone {}", z.code()))),
        )
        .collect();
    wizard(
        visitor,
        "L'école",
        "/setup/ecole",
        html! {
            h1 { "L'école" }
            (error_summary(form))
            form method="post" action="/setup/ecole" novalidate {
                (csrf_input(visitor))
                (Field::text("name", "Nom de l'école").hint("Tel qu'il apparaîtra en haut de chaque page, par ex. « École primaire Jules-Ferry ».").required().render(form))
                (Field::text("uai", "UAI (ex-RNE)").hint("7 chiffres et une lettre, par ex. 0350001L : il figure dans ONDE.").required().render(form))
                (Field::text("address", "Adresse").autocomplete("street-address").render(form))
                div.row {
                    (Field::text("postcode", "Code postal").autocomplete("postal-code").render(form))
                    (Field::text("commune", "Commune").required().render(form))
                }
                (Field::text("academie", "Académie").hint("Par ex. « Rennes ».").render(form))
                (select(form, "zone", "Zone de vacances scolaires", &zones, true))
                div.actions { button.primary type="submit" { "Enregistrer et continuer" } }
            }
        },
    )
}

pub fn director_page(visitor: &Visitor, form: &FormState, has_password: bool) -> Markup {
    let hint = if has_password {
        "Laissez vide pour garder le mot de passe déjà choisi."
    } else {
        crate::auth::password::RULE
    };
    wizard(
        visitor,
        "Direction",
        "/setup/direction",
        html! {
            h1 { "Votre compte de direction" }
            p { "Ce compte administre l'école dans Préau : comptes, classes, services." }
            (error_summary(form))
            form method="post" action="/setup/direction" novalidate {
                (csrf_input(visitor))
                div.row {
                    (Field::text("first_name", "Prénom").required().autocomplete("given-name").render(form))
                    (Field::text("last_name", "Nom").required().autocomplete("family-name").render(form))
                }
                (Field::text("login", "Identifiant de connexion").hint("Lettres sans accent, chiffres, point ou tiret, par ex. « m.durand ».").required().autocomplete("username").render(form))
                (Field::text("email", "Adresse électronique (facultative)").kind("email").autocomplete("email").render(form))
                (Field::text("password", "Mot de passe").kind("password").hint(hint).required().autocomplete("new-password").strength().render(form))
                (Field::text("password_confirm", "Mot de passe (confirmation)").kind("password").autocomplete("new-password").render(form))
                div.actions { button.primary type="submit" { "Enregistrer et continuer" } }
            }
        },
    )
}

fn teacher_text(t: &TeacherChoice) -> String {
    match t {
        TeacherChoice::Director => "vous-même".into(),
        TeacherChoice::Other {
            first_name,
            last_name,
        } => format!("{first_name} {last_name}"),
        TeacherChoice::Later => "à désigner plus tard".into(),
    }
}

pub fn classes_page(
    visitor: &Visitor,
    draft: &Draft,
    form: &FormState,
    checked_levels: &[String],
) -> Markup {
    let level_options: Vec<(String, String)> = Level::ALL
        .iter()
        .map(|l| (l.code().to_string(), l.code().to_string()))
        .collect();
    let teacher_options: Vec<(String, String)> = vec![
        (String::new(), "— Choisir —".into()),
        ("director".into(), "Moi (direction)".into()),
        ("other".into(), "Un autre enseignant (compte créé)".into()),
        ("later".into(), "À désigner plus tard".into()),
    ];
    wizard(
        visitor,
        "Classes",
        "/setup/classes",
        html! {
            h1 { "Les classes" }
            p { "Ajoutez chaque classe de l'école. Une classe peut réunir plusieurs niveaux (par ex. CE1-CE2)." }
            @if draft.classes.is_empty() {
                p.empty { "Aucune classe pour l'instant." }
            } @else {
                table.list {
                    caption { "Classes ajoutées" }
                    thead { tr { th scope="col" { "Classe" } th scope="col" { "Niveaux" } th scope="col" { "Enseignant" } th scope="col" { span.sr { "Action" } } } }
                    tbody {
                        @for (i, c) in draft.classes.iter().enumerate() {
                            tr {
                                td { (c.label) }
                                td { (c.levels.iter().map(|l| l.code()).collect::<Vec<_>>().join(", ")) }
                                td { (teacher_text(&c.teacher)) }
                                td {
                                    form method="post" action="/setup/classes/retirer" {
                                        (csrf_input(visitor))
                                        input type="hidden" name="index" value=(i);
                                        button.link type="submit" { "Retirer" span.sr { " la classe " (c.label) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "Ajouter une classe" }
            (error_summary(form))
            form method="post" action="/setup/classes" novalidate {
                (csrf_input(visitor))
                (Field::text("label", "Nom de la classe").hint("Par ex. « CE1-CE2 de Mme Martin » ou « Classe des Hiboux ».").required().render(form))
                (checkboxes(form, "levels", "Niveaux", &level_options, checked_levels))
                (select(form, "teacher", "Enseignant de la classe", &teacher_options, true))
                div.row {
                    (Field::text("teacher_first_name", "Prénom de l'enseignant").hint("Si « un autre enseignant ».").render(form))
                    (Field::text("teacher_last_name", "Nom de l'enseignant").render(form))
                }
                div.actions {
                    button type="submit" name="action" value="ajouter" { "Ajouter cette classe" }
                }
            }
            form method="post" action="/setup/classes" {
                (csrf_input(visitor))
                div.actions { button.primary type="submit" name="action" value="continuer" { "Continuer" } }
            }
        },
    )
}

pub fn services_page(visitor: &Visitor, chosen: &[Service], home: &FormState) -> Markup {
    wizard(
        visitor,
        "Services",
        "/setup/services",
        html! {
            h1 { "Les services de l'ENT" }
            p { "Choisissez les services ouverts dans votre école. Vous pourrez changer d'avis à tout moment dans l'administration." }
            form method="post" action="/setup/services" {
                (csrf_input(visitor))
                fieldset.field.checks {
                    legend { "Services ouverts" }
                    div.options.services {
                        @for s in Service::ALL {
                            @let id = format!("s-{}", s.slug());
                            div.check {
                                input type="checkbox" id=(id) name="services" value=(s.slug()) checked[chosen.contains(&s)];
                                label for=(id) {
                                    strong { (s.label()) } " — " (s.description())
                                    @if !s.available() { " " span.badge { "dans une prochaine version" } }
                                }
                            }
                        }
                    }
                }
                (crate::ui::form::error_summary(home))
                (crate::net::acme::views::question(home))
                div.actions { button.primary type="submit" { "Enregistrer et continuer" } }
            }
        },
    )
}

pub fn pupils_page(visitor: &Visitor, error: Option<&str>) -> Markup {
    let action = format!(
        "/setup/eleves?{}={}",
        crate::auth::csrf::FIELD,
        visitor.csrf
    );
    wizard(
        visitor,
        "Élèves et parents",
        "/setup/eleves",
        html! {
            h1 { "Les élèves et leurs parents" }
            p { "Déposez les extractions CSV d'ONDE (" strong { "Élèves → Extractions" } ") : l'extraction « Élèves » de toute l'école et l'extraction « Responsables ». Vous verrez l'aperçu ligne par ligne juste après l'installation, avant que rien ne soit enregistré." }
            @if let Some(e) = error { div.flash.error role="alert" { (e) } }
            form method="post" action=(action) enctype="multipart/form-data" {
                (csrf_input(visitor))
                div.field {
                    label for="f-eleves" { "Fichier des élèves (CSV)" }
                    input #f-eleves type="file" name="eleves" accept=".csv,text/csv,text/plain";
                }
                div.field {
                    label for="f-responsables" { "Fichier des responsables (CSV)" }
                    input #f-responsables type="file" name="responsables" accept=".csv,text/csv,text/plain";
                }
                div.actions {
                    button.primary type="submit" { "Déposer et continuer" }
                    a.button href="/setup/recapitulatif" { "Passer cette étape" }
                }
            }
            p.small { "Vous pourrez aussi importer plus tard depuis Administration → Comptes → Importer depuis ONDE, ou créer les comptes un par un." }
        },
    )
}

pub fn summary_page(visitor: &Visitor, draft: &Draft, next: &str) -> Markup {
    let ready = next == "/setup/recapitulatif";
    wizard(
        visitor,
        "Récapitulatif",
        "/setup/recapitulatif",
        html! {
            h1 { "Récapitulatif" }
            @if let Some(s) = &draft.school {
                h2 { "École " a.small href="/setup/ecole" { "modifier" } }
                dl.summary {
                    dt { "Nom" } dd { (s.name) }
                    dt { "UAI" } dd { (s.uai) }
                    dt { "Commune" } dd { (s.postcode) " " (s.commune) }
                    dt { "Zone" } dd { (s.zone.code()) }
                }
            }
            @if let Some(d) = &draft.director {
                h2 { "Direction " a.small href="/setup/direction" { "modifier" } }
                dl.summary {
                    dt { "Nom" } dd { (d.first_name) " " (d.last_name) }
                    dt { "Identifiant" } dd { (d.login) }
                }
            }
            h2 { "Classes " a.small href="/setup/classes" { "modifier" } }
            ul {
                @for c in &draft.classes {
                    li { (c.label) " (" (c.levels.iter().map(|l| l.code()).collect::<Vec<_>>().join(", ")) ") — " (teacher_text(&c.teacher)) }
                }
            }
            @if draft.pending_import.is_some() {
            h2 { "Élèves et parents " a.small href="/setup/eleves" { "modifier" } }
            p { "Fichiers ONDE déposés : l'aperçu s'affichera après l'installation." }
        }
        @if let Some(services) = &draft.services {
                h2 { "Services " a.small href="/setup/services" { "modifier" } }
                p { @if services.is_empty() { "Aucun service." } @else { (services.iter().map(|s| s.label()).collect::<Vec<_>>().join(", ")) } }
            }
            @if ready {
                form method="post" action="/setup/recapitulatif" {
                    (csrf_input(visitor))
                    div.actions { button.primary type="submit" { "Terminer l'installation" } }
                }
            } @else {
                p.flash.info { "Il reste une étape à remplir." }
                a.button.primary href=(next) { "Compléter" }
            }
        },
    )
}

pub fn done_page(
    visitor: &Visitor,
    school: Option<&School>,
    created: &[CreatedTeacher],
    pending_import: Option<&str>,
) -> Markup {
    let body = html! {
        section.panel {
            h1 { "Installation terminée" }
            p.lead { "L'espace numérique de " (school.map(|s| s.name.as_str()).unwrap_or("l'école")) " est prêt. Vous êtes connecté(e)." }
            @if !created.is_empty() {
                h2 { "Comptes des enseignants" }
                p { "Notez ces mots de passe provisoires et remettez-les à chaque enseignant : ils ne seront plus affichés. Chacun choisira son propre mot de passe à la première connexion." }
                table.list {
                    thead { tr { th scope="col" { "Enseignant" } th scope="col" { "Identifiant" } th scope="col" { "Mot de passe provisoire" } } }
                    tbody {
                        @for t in created {
                            tr { td { (t.name) } td { code { (t.login) } } td { code { (t.password) } } }
                        }
                    }
                }
            }
            div.actions {
                @if let Some(key) = pending_import {
                    a.button.primary href=(format!("/admin/import/{key}")) { "Vérifier l'import des élèves" }
                    a.button href="/admin" { "Aller à l'administration" }
                } @else {
                    a.button.primary href="/admin" { "Aller à l'administration" }
                }
            }
        }
    };
    page(
        Frame {
            school,
            visitor,
            title: "Installation terminée",
            section: "",
        },
        body,
    )
}
