//! `preau import onde`.

use super::*;

/// `preau import onde`: the same plan and commit as the console.
pub fn import_onde(data_dir: &Path, args: &ImportOndeArgs) -> anyhow::Result<()> {
    use crate::directory::import::{self, PupilAction};
    use crate::directory::onde::{self, RowStatus};
    let settings = settings_for(data_dir)?;
    let store = open_store(&settings)?;
    if !crate::setup::is_installed(&store)? {
        bail!("l'école n'est pas encore installée (assistant ou « preau setup »)");
    }
    let mapping = import::saved_mapping(&store)?;
    let read = |p: &Path| std::fs::read(p).with_context(|| format!("lecture de {}", p.display()));
    let pupils = match &args.eleves {
        Some(p) => Some(
            onde::parse_pupils(&read(p)?, &mapping)
                .map_err(|e| anyhow::anyhow!("fichier des élèves : {e}"))?,
        ),
        None => None,
    };
    let guardians = match &args.responsables {
        Some(p) => Some(
            onde::parse_guardians(&read(p)?)
                .map_err(|e| anyhow::anyhow!("fichier des responsables : {e}"))?,
        ),
        None => None,
    };
    let teachers = match &args.enseignants {
        Some(p) => Some(
            onde::parse_teachers(&read(p)?)
                .map_err(|e| anyhow::anyhow!("fichier des enseignants : {e}"))?,
        ),
        None => None,
    };
    if pupils.is_none() && guardians.is_none() && teachers.is_none() {
        bail!(
            "indiquez au moins --eleves FICHIER, --responsables FICHIER ou --enseignants FICHIER"
        );
    }
    // The remembered choices of the console, then the file's, then the proposed matches.
    let mut choices = import::saved_class_choices(&store)?;
    if let (Some(path), Some(file)) = (&args.classes, &pupils) {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("lecture de {}", path.display()))?;
        let known: Vec<(u64, String)> = crate::directory::classes(&store)?
            .into_iter()
            .map(|c| (c.id, c.label))
            .collect();
        let mine = import::parse_class_choices(&text, &import::file_classes(file), &known)
            .map_err(|e| anyhow::anyhow!("{} : {e}", path.display()))?;
        choices.extend(mine);
    }
    let mut plan = import::plan_with(
        &store,
        pupils.as_ref(),
        guardians.as_ref(),
        args.complet,
        &choices,
    )?;
    for k in plan.classes.iter().filter(|k| !k.file_label.is_empty()) {
        match (k.existing, k.matched_by) {
            (Some(_), Some(rule)) => println!(
                "classe ONDE « {} » → rattachée à « {} » ({})",
                k.file_label,
                k.label,
                rule.reason()
            ),
            _ => println!("classe ONDE « {} » → nouvelle classe", k.file_label),
        }
    }
    if let Some(t) = &teachers {
        import::plan_teachers(&store, &mut plan, t)?;
    }
    for p in &plan.pupils {
        if p.source.status != RowStatus::Ok {
            let tag = if p.source.status == RowStatus::Error {
                "ERREUR"
            } else {
                "ATTENTION"
            };
            println!(
                "élèves ligne {} {tag} : {} {} — {}",
                p.source.line,
                p.source.first_name,
                p.source.last_name,
                p.source.reasons.join(" ; ")
            );
        }
        if let PupilAction::Update { changes, .. } = &p.action {
            println!(
                "élèves ligne {} mis à jour : {} {} ({})",
                p.source.line,
                p.source.first_name,
                p.source.last_name,
                changes.join(", ")
            );
        }
    }
    for g in &plan.guardians {
        if g.status != RowStatus::Ok {
            let tag = if g.status == RowStatus::Error {
                "ERREUR"
            } else {
                "ATTENTION"
            };
            println!(
                "responsables ligne {} {tag} : {} — {}",
                g.line,
                g.name,
                g.reasons.join(" ; ")
            );
        }
    }
    for (_, name) in &plan.leavers {
        println!("partant (compte désactivé, supprimé dans 3 mois) : {name}");
    }
    let c = plan.counts();
    println!(
        "Élèves : {} nouveau(x), {} mis à jour, {} inchangé(s), {} partant(s){}",
        c.pupils_new,
        c.pupils_updated,
        c.pupils_unchanged,
        c.leavers,
        if plan.absent_untouched > 0 {
            format!(", {} absent(s) du fichier non traités (fichier partiel : --complet pour un export de toute l'école)", plan.absent_untouched)
        } else {
            String::new()
        }
    );
    println!("Classes : {} nouvelle(s)", c.classes_new);
    if !plan.teachers.is_empty() {
        println!("Enseignants : {} nouveau(x)", c.teachers_new);
        for t in plan
            .teachers
            .iter()
            .filter(|t| !t.warnings.is_empty() || t.source.status == RowStatus::Error)
        {
            println!(
                "enseignants ligne {} : {} {} — {}",
                t.source.line,
                t.source.first_name,
                t.source.last_name,
                t.source
                    .reasons
                    .iter()
                    .chain(t.warnings.iter())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ; ")
            );
        }
    }
    println!(
        "Responsables : {} nouveau(x), {} déjà connu(s), {} lien(s) avec des enfants",
        c.guardians_new, c.guardians_known, c.links
    );
    println!(
        "Lignes : {} OK, {} avec avertissement, {} en erreur (non importées)",
        c.lines_ok, c.lines_warn, c.lines_error
    );
    if args.dry_run {
        println!("Simulation : rien n'a été enregistré.");
    } else {
        import::commit(&store, &plan, now(), (None, "ligne de commande"))?;
        store.flush_blocking()?;
        println!("Import enregistré.");
    }
    Ok(())
}
