//! The import preview: what will change, the classes of the file and where they go, and
//! every line with its status. Pure: the route plans, the view shows.

use maud::{html, Markup};

use crate::auth::visitor::Visitor;
use crate::directory::import::{self, GuardianAction, Plan, PupilAction};
use crate::directory::onde::RowStatus;
use crate::ui::csrf_input;

pub fn status_badge(s: RowStatus) -> Markup {
    match s {
        RowStatus::Ok => html! { span.badge.ok { "OK" } },
        RowStatus::Warn => html! { span.badge { "ATTENTION" } },
        RowStatus::Error => html! { span.badge.off { "ERREUR" } },
    }
}

pub fn plan_view(plan: &Plan, classes_form: Markup) -> Markup {
    let c = plan.counts();
    html! {
        section.panel {
            h2 { "Ce qui va changer" }
            ul.stats {
                li { strong { (c.pupils_new) } " élève(s) nouveau(x)" }
                li { strong { (c.pupils_updated) } " mis à jour" }
                li { strong { (c.pupils_unchanged) } " inchangé(s)" }
                li { strong { (c.classes_new) } " classe(s) à créer" }
                li { strong { (c.leavers) } " partant(s)" }
                li { strong { (c.guardians_new) } " responsable(s) nouveau(x)" }
                li { strong { (c.links) } " lien(s) parent-enfant" }
                @if !plan.teachers.is_empty() { li { strong { (c.teachers_new) } " enseignant(s) nouveau(x)" } }
            }
            p { (c.lines_ok) " ligne(s) OK, " (c.lines_warn) " avec avertissement, " (c.lines_error) " en erreur (non importées)." }
            @if plan.absent_untouched > 0 {
                p.flash.info { (plan.absent_untouched) " élève(s) de l'annuaire ne figurent pas dans ce fichier. Comme il ne s'agit pas d'un export de toute l'école, ils restent inchangés." }
            }
            @if !plan.pupil_file_unknown_columns.is_empty() {
                p.small { "Colonnes non utilisées : " (plan.pupil_file_unknown_columns.join(", ")) "." }
            }
        }
        (classes_form)
        @if !plan.pupils.is_empty() {
            section.panel {
                h2 { "Élèves, ligne par ligne" }
                table.list {
                    thead { tr { th scope="col" { "Ligne" } th scope="col" { "État" } th scope="col" { "Élève" } th scope="col" { "Classe" } th scope="col" { "Action" } th scope="col" { "Remarque" } } }
                    tbody {
                        @for p in &plan.pupils {
                            tr {
                                td { (p.source.line) }
                                td { (status_badge(p.source.status)) }
                                td { (p.source.last_name) " " (p.source.first_name) }
                                td { (p.source.class_label) " " (p.source.level_text) }
                                td { (match &p.action {
                                    PupilAction::Create { login } => format!("création ({login})"),
                                    PupilAction::Update { changes, .. } => format!("mise à jour : {}", changes.join(", ")),
                                    PupilAction::Unchanged { .. } => "inchangé".to_string(),
                                    PupilAction::Skip => "non importé".to_string(),
                                }) }
                                td.small { (p.source.reasons.join(" ; ")) }
                            }
                        }
                    }
                }
            }
        }
        @if !plan.leavers.is_empty() {
            section.panel {
                h2 { "Partants" }
                p { "Absents de l'export de toute l'école : leur compte sera désactivé, puis supprimé dans 3 mois." }
                ul { @for (_, name) in &plan.leavers { li { (name) } } }
                @if !plan.guardian_leavers.is_empty() {
                    p { "Leurs responsables qui n'ont plus d'enfant dans l'école partent aussi :" }
                    ul { @for (_, name) in &plan.guardian_leavers { li { (name) } } }
                }
            }
        }
        @if !plan.teachers.is_empty() {
            section.panel {
                h2 { "Enseignants, ligne par ligne" }
                table.list {
                    thead { tr { th scope="col" { "Ligne" } th scope="col" { "État" } th scope="col" { "Enseignant" } th scope="col" { "Action" } th scope="col" { "Remarque" } } }
                    tbody {
                        @for t in &plan.teachers {
                            tr {
                                td { (t.source.line) }
                                td { (status_badge(if t.source.status == RowStatus::Error { RowStatus::Error } else if t.warnings.is_empty() { RowStatus::Ok } else { RowStatus::Warn })) }
                                td { (t.source.last_name) " " (t.source.first_name) }
                                td { (match (&t.existing, &t.login) { (Some(_), _) => "déjà connu".to_string(), (None, Some(l)) => format!("création ({l})"), _ => "non importé".to_string() }) }
                                td.small { (t.source.reasons.iter().chain(t.warnings.iter()).cloned().collect::<Vec<_>>().join(" ; ")) }
                            }
                        }
                    }
                }
            }
        }
        @if !plan.guardians.is_empty() {
            section.panel {
                h2 { "Responsables, ligne par ligne" }
                table.list {
                    thead { tr { th scope="col" { "Ligne" } th scope="col" { "État" } th scope="col" { "Responsable" } th scope="col" { "Action" } th scope="col" { "Enfants" } th scope="col" { "Remarque" } } }
                    tbody {
                        @for g in &plan.guardians {
                            tr {
                                td { (g.line) }
                                td { (status_badge(g.status)) }
                                td { (g.name) }
                                td { (match &g.action {
                                    GuardianAction::Create { login } => format!("création ({login})"),
                                    GuardianAction::Existing { .. } => "déjà connu".to_string(),
                                    GuardianAction::Skip => "non importé".to_string(),
                                }) }
                                td { (g.children.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")) }
                                td.small { (g.reasons.join(" ; ")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One select per class of the file: attach it to a class of the directory (the proposed
/// match preselected, with its reason) or create a new one. The choice is remembered.
pub fn classes_form(
    visitor: &Visitor,
    key: &str,
    plan: &Plan,
    known: &[crate::directory::Class],
) -> Markup {
    let from_file: Vec<&import::PlannedClass> = plan
        .classes
        .iter()
        .filter(|k| !k.file_label.is_empty())
        .collect();
    if from_file.is_empty() {
        return html! {};
    }
    let pupils_of = |k: &str| {
        plan.pupils
            .iter()
            .filter(|p| p.class_key == k && p.action != PupilAction::Skip)
            .count()
    };
    html! {
        section.panel #classes {
            h2 { "Classes" }
            p { "Chaque classe du fichier ONDE est rattachée à une classe de Préau quand elles se correspondent (même identifiant ONDE, mêmes niveaux, nom de l'enseignant dans le libellé ou libellé proche). Vérifiez, corrigez si besoin : votre choix est retenu pour les prochains imports." }
            form method="post" action=(format!("/admin/import/{key}/classes")) {
                (csrf_input(visitor))
                table.list {
                    thead { tr { th scope="col" { "Classe dans ONDE" } th scope="col" { "Élèves" } th scope="col" { "Dans Préau" } } }
                    tbody {
                        @for (i, k) in from_file.iter().enumerate() {
                            @let id = format!("classe-{i}");
                            tr {
                                td {
                                    label for=(id) { (k.file_label) }
                                    @let levels: Vec<&str> = k.levels.iter().chain(&k.new_levels).map(|l| l.code()).collect();
                                    @if !levels.is_empty() { " " span.small { "(" (levels.join(", ")) ")" } }
                                }
                                td { (pupils_of(&k.key)) }
                                td {
                                    input type="hidden" name="cle" value=(k.key);
                                    select id=(id) name="choix" {
                                        option value="nouvelle" selected[k.existing.is_none()] { "créer une nouvelle classe « " (k.file_label) " »" }
                                        @for c in known {
                                            option value=(c.id) selected[k.existing == Some(c.id)] { "rattacher à « " (c.label) " »" }
                                        }
                                    }
                                    @match (k.existing, k.matched_by) {
                                        (Some(_), Some(rule)) => { " " span.badge.ok { "rattachée : " (rule.reason()) } }
                                        _ => { " " span.badge { "nouvelle" } }
                                    }
                                    @if !k.new_levels.is_empty() && k.existing.is_some() {
                                        br; span.small { "niveaux ajoutés : " (k.new_levels.iter().map(|l| l.code()).collect::<Vec<_>>().join(", ")) }
                                    }
                                }
                            }
                        }
                    }
                }
                button type="submit" { "Enregistrer ces choix et revoir l'aperçu" }
            }
        }
    }
}

/// The figures to check against the school's paper lists, first on the page.
pub fn summary_view(s: &import::Summary) -> Markup {
    let names = |list: &[String]| list.join(", ");
    html! {
        section.panel #verifier {
            h2 { "À vérifier sur vos listes" }
            @if !s.per_class.is_empty() {
                table.list {
                    caption { "Élèves par classe" }
                    thead { tr { th scope="col" { "Classe" } th scope="col" { "Élèves" } } }
                    tbody {
                        @for (label, file_label, n) in &s.per_class {
                            tr {
                                td { (label) @if !file_label.is_empty() && file_label != label { " " span.small { "(ONDE : " (file_label) ")" } } }
                                td { (n) }
                            }
                        }
                    }
                }
            }
            ul.stats {
                li { strong { (s.families) } " famille(s)" }
                li { strong { (s.without_guardian.len()) } " élève(s) sans responsable" }
                li { strong { (s.several_children.len()) } " responsable(s) de plusieurs enfants" }
                li { strong { (s.photo_yes.len()) } " autorisation(s) photo déclarée(s) dans ONDE" }
            }
            @if !s.without_guardian.is_empty() {
                p { "Sans responsable : " (names(&s.without_guardian)) "." }
            }
            @if !s.several_children.is_empty() {
                p { "Responsables de plusieurs enfants : "
                    (s.several_children.iter().map(|(n, k)| format!("{n} ({k})")).collect::<Vec<_>>().join(", ")) "." }
            }
            @if !s.photo_yes.is_empty() || !s.photo_no.is_empty() {
                details {
                    summary { "Autorisation photo (ONDE) : " (s.photo_yes.len()) " oui, " (s.photo_no.len()) " non, " (s.photo_unknown) " non renseignée(s)" }
                    p { "Oui : " (names(&s.photo_yes)) "." }
                    @if !s.photo_no.is_empty() { p { "Non : " (names(&s.photo_no)) "." } }
                    p.small { "Ces déclarations servent de point de départ aux autorisations photo de chaque projet (Administration → Autorisations photo), où vous pouvez les confirmer ou les corriger." }
                }
            }
        }
    }
}
