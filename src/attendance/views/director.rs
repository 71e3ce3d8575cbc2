//! The director's pages: the school today, the pupils past the threshold, the monthly
//! register (printable in A4 landscape), the signalement, the calendar.

use maud::{html, Markup};

use super::super::register::{rate, Month, Register, THRESHOLD};
use super::super::{slot_label, HalfDay, PupilSlot};
use crate::school::calendar::{Calendar, Week};
use crate::ui::dates;

pub struct ClassToday {
    pub id: u64,
    pub label: String,
    /// Each half-day with class today: taken or not.
    pub halves: Vec<(HalfDay, bool)>,
    /// (name, what, motif).
    pub absences: Vec<(String, String, String)>,
}

pub struct Flag {
    pub pupil: u64,
    pub name: String,
    pub class: String,
    pub count: usize,
}

pub fn school(today: &str, month: Month, classes: &[ClassToday], flags: &[Flag]) -> Markup {
    html! {
        (crate::ui::heading("Absences", Some(&format!("L'école aujourd'hui, {today}."))))
        p {
            a href="/admin/absences/presents" { "Liste des présents de toute l'école" }
            " · " a href="/admin/absences/annee" { "Bilan de l'année" }
            " · " a href="/admin/calendrier" { "Calendrier de l'école" }
        }
        section.panel {
            h2 { "Aujourd'hui" }
            table.list.stack {
                thead { tr { th scope="col" { "Classe" } th scope="col" { "Appels" } th scope="col" { "Absents et retards" } th scope="col" { "Registre" } } }
                tbody {
                    @for c in classes {
                        tr {
                            th scope="row" { (c.label) }
                            td data-label="Appels" {
                                @if c.halves.is_empty() { "pas de classe" }
                                @for (h, done) in &c.halves {
                                    (h.label()) " : " @if *done { "fait" } @else { strong { "non fait" } } br;
                                }
                            }
                            td data-label="Absents et retards" {
                                @if c.absences.is_empty() { "aucun" }
                                ul { @for (n, what, motif) in &c.absences { li { (n) " — " (what) @if !motif.is_empty() { " (" (motif) ")" } } } }
                            }
                            td data-label="Registre" { a href={ "/admin/absences/registre/" (c.id) "?mois=" (month.value()) } { "Registre de " (month.label()) } }
                        }
                    }
                }
            }
        }
        section.panel {
            h2 { (THRESHOLD) " demi-journées non justifiées ou plus en " (month.label()) }
            p.small { "À partir de quatre demi-journées d'absence sans motif légitime ni excuse valable dans le mois, la direction saisit l'IA-DASEN (article L131-8 du Code de l'éducation)." }
            @if flags.is_empty() { p.empty { "Aucun élève." } }
            ul {
                @for f in flags {
                    li {
                        strong { (f.name) } " (" (f.class) ") : " (f.count) " demi-journées — "
                        a href={ "/admin/absences/signalement/" (f.pupil) "?mois=" (month.value()) } { "Signalement" }
                    }
                }
            }
        }
        (month_nav("/admin/absences", month))
    }
}

/// The year's figures: per class, then per pupil.
pub fn year(start: i16, classes: &[(String, Vec<super::super::register::Row>)]) -> Markup {
    html! {
        (crate::ui::heading(&format!("Bilan de l'année {}-{}", start, start + 1), Some("Demi-journées attendues, absences (dont justifiées), retards et taux de présence, depuis septembre.")))
        @for (label, rows) in classes {
            @let (p, e) = rows.iter().fold((0, 0), |(p, e), r| (p + r.present, e + r.expected));
            section.panel {
                h2 { (label) " — présence " (rate(p, e)) }
                table.list.stack {
                    thead { tr { th scope="col" { "Élève" } th scope="col" { "Attendues" } th scope="col" { "Absences" } th scope="col" { "dont justifiées" } th scope="col" { "Retards" } th scope="col" { "Présence" } } }
                    tbody {
                        @for r in rows {
                            tr {
                                th scope="row" { (r.name) }
                                td data-label="Attendues" { (r.expected) }
                                td data-label="Absences" { (r.absent) }
                                td data-label="dont justifiées" { (r.justified) }
                                td data-label="Retards" { (r.late) }
                                td data-label="Présence" { (rate(r.present, r.expected)) }
                            }
                        }
                    }
                }
            }
        }
        p { a href="/admin/absences/annee/export.csv" { "Exporter en CSV" } " · " a href="/admin/absences" { "Retour" } }
    }
}

/// « Archiver le registre de l'année » (this school year or the last).
pub fn archive_form(csrf: &Markup, current: i16) -> Markup {
    html! {
        section.panel.noprint {
            h2 { "Archive du registre" }
            p.small { "En fin d'année, le registre de toutes les classes est écrit dans un fichier HTML autonome, dans le dossier des données (registres/), gardé dix ans même après la suppression des comptes des élèves partis." }
            form.inline method="post" action="/admin/absences/archiver" {
                (csrf)
                div.field {
                    label for="annee" { "Année scolaire" }
                    select id="annee" name="annee" {
                        @for y in [current, current - 1] { option value=(y) { (y) "-" (y + 1) } }
                    }
                }
                button type="submit" { "Archiver le registre de l'année" }
            }
        }
    }
}

fn month_nav(base: &str, month: Month) -> Markup {
    html! {
        nav.noprint aria-label="Mois" {
            a href={ (base) "?mois=" (month.previous().value()) } { "← " (month.previous().label()) }
            " · "
            a href={ (base) "?mois=" (month.next().value()) } { (month.next().label()) " →" }
        }
    }
}

pub fn register(
    csrf: &Markup,
    school: &str,
    class: &str,
    r: &Register,
    visa: Option<(String, i64)>,
) -> Markup {
    let base = format!("/admin/absences/registre/{}", r.class);
    let (present, expected) = r.totals();
    html! {
        div.registre {
            h1 { "Registre d'appel — " (class) " — " (r.month.label()) }
            p { (school) ". Codes : · présent, A absence non justifiée, J absence justifiée, R retard, Am aménagement, ? appel non fait." }
            div.grid-scroll tabindex="0" role="region" aria-label="Grille du registre" {
                table.registre-grid {
                    caption { "Demi-journées de " (r.month.label()) " (M matin, A après-midi)" }
                    thead {
                        tr {
                            th scope="col" { "Élève" }
                            @for (d, h) in &r.halves {
                                th scope="col" { (d.day()) br; @if *h == HalfDay::Morning { "M" } @else { "A" } }
                            }
                            th scope="col" { "Abs." } th scope="col" { "dont J" } th scope="col" { "Ret." } th scope="col" { "Présence" }
                        }
                    }
                    tbody {
                        @for row in &r.rows {
                            tr {
                                th scope="row" { (row.name) }
                                @for c in &row.cells { td { (c.code()) } }
                                td { (row.absent) } td { (row.justified) } td { (row.late) } td { (rate(row.present, row.expected)) }
                            }
                        }
                    }
                    tfoot {
                        tr {
                            th scope="row" { "Classe" }
                            td colspan=(r.halves.len()) { }
                            td { (r.rows.iter().map(|x| x.absent).sum::<usize>()) }
                            td { (r.rows.iter().map(|x| x.justified).sum::<usize>()) }
                            td { (r.rows.iter().map(|x| x.late).sum::<usize>()) }
                            td { (rate(present, expected)) }
                        }
                    }
                }
            }
            @match &visa {
                Some((by, at)) => { p.visa { "Visé par " (by) ", le " (dates::long_datetime(*at)) "." } }
                None => { p.visa { "Non visé." } }
            }
        }
        div.noprint {
            @if visa.is_none() {
                form method="post" action={ (base) "/viser" } {
                    (csrf)
                    input type="hidden" name="mois" value=(r.month.value());
                    button.primary type="submit" { "Viser le registre de " (r.month.label()) }
                }
            }
            p {
                "Imprimez cette page (Ctrl+P) : A4 à l'italienne. "
                a href={ (base) "/export.csv?mois=" (r.month.value()) } { "Exporter en CSV" }
                " · " a href="/admin/absences" { "Retour" }
            }
            (month_nav(&base, r.month))
        }
    }
}

pub struct Signalement<'a> {
    pub csrf: Markup,
    pub school: &'a str,
    pub uai: &'a str,
    pub commune: &'a str,
    pub pupil: u64,
    pub name: &'a str,
    pub class: &'a str,
    pub guardians: &'a [String],
    pub month: Month,
    pub slots: &'a [PupilSlot],
    pub today: &'a str,
}

pub fn signalement(s: &Signalement<'_>) -> Markup {
    let unjustified: Vec<&PupilSlot> = s.slots.iter().filter(|x| x.unjustified()).collect();
    let refused: Vec<&PupilSlot> = s.slots.iter().filter(|x| x.not_legitimate).collect();
    html! {
        section.sheet {
            p { (s.school) " (" (s.uai) "), " (s.commune) ", le " (s.today) "." }
            h1 { "Signalement d'absences répétées à l'IA-DASEN" }
            p { "Article L131-8 du Code de l'éducation : quatre demi-journées d'absence au moins dans le mois sans motif légitime ni excuse valable." }
            dl.summary {
                dt { "Élève" } dd { (s.name) }
                dt { "Classe" } dd { (s.class) }
                dt { "Responsables" } dd { (s.guardians.join(", ")) }
                dt { "Mois" } dd { (s.month.label()) }
                dt { "Demi-journées non justifiées" } dd { (unjustified.len()) }
            }
            ul { @for x in &unjustified { li { (slot_label(x.slot)) @if let Some(j) = &x.justification { " — motif donné, non retenu : " (j.motif.label()) } } } }
            p { "Signature de la directrice ou du directeur :" }
        }
        @if !refused.is_empty() {
            section.sheet {
                h1 { "Demande d'autorisation d'absence" }
                p { "Madame, Monsieur, le motif donné pour l'absence de " (s.name) " n'est pas au nombre des motifs légitimes. Si l'absence devait se renouveler, merci d'adresser au préalable une demande d'autorisation d'absence à la direction de l'école." }
                ul { @for x in &refused { li { (slot_label(x.slot)) } } }
            }
        }
        section.panel.noprint {
            h2 { "Motifs du mois" }
            @if s.slots.iter().all(|x| x.justification.is_none()) { p.empty { "Aucun motif donné." } }
            ul {
                @for x in s.slots.iter().filter(|x| x.justification.is_some()) {
                    @let j = x.justification.as_ref();
                    li {
                        (slot_label(x.slot)) " — " (j.map(|j| j.motif.label()).unwrap_or("")) " "
                        form.inline method="post" action="/admin/absences/motif" {
                            (s.csrf)
                            input type="hidden" name="eleve" value=(s.pupil);
                            input type="hidden" name="creneau" value=(x.slot);
                            input type="hidden" name="mois" value=(s.month.value());
                            @if x.not_legitimate {
                                input type="hidden" name="legitime" value="1";
                                button type="submit" { "Retenir le motif" }
                            } @else {
                                button type="submit" { "Motif non légitime" }
                            }
                        }
                    }
                }
            }
            p { "Imprimez cette page (Ctrl+P). " a href="/admin/absences" { "Retour" } }
        }
    }
}

/// The days a director typed, one a line (« 2026-12-03 Journée pédagogique »).
pub fn days_text(list: &[crate::school::calendar::NamedDay]) -> String {
    list.iter()
        .map(|d| format!("{} {}", d.day, d.label))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The calendar's form: `typed` holds the two lists as typed (days off, worked days),
/// `error` a (field, message) shown beside that field.
pub fn calendar(
    csrf: &Markup,
    c: &Calendar,
    typed: (&str, &str),
    error: Option<(&str, &str)>,
) -> Markup {
    let err = |field: &str| error.filter(|(f, _)| *f == field).map(|(_, m)| m);
    html! {
        (crate::ui::heading("Calendrier de l'école", Some("Les jours de classe : l'appel n'est possible que ces jours-là, et la cantine compte ses repas les mêmes jours.")))
        section.panel {
            @if error.is_some() { p.flash.error role="alert" { "Corrigez le champ signalé." } }
            form method="post" action="/admin/calendrier" {
                (csrf)
                fieldset.field {
                    legend { "Semaine scolaire" }
                    @for w in [Week::FourDays, Week::FourAndHalf] {
                        @let id = format!("semaine-{}", w.slug().replace('.', "-"));
                        div.check { input type="radio" id=(id) name="semaine" value=(w.slug()) checked[c.week == w]; label for=(id) { (w.label()) } }
                    }
                }
                div.field.has-error[err("conges").is_some()] {
                    label for="conges" { "Jours sans classe (pont, journée pédagogique) : un par ligne, « AAAA-MM-JJ libellé »" }
                    @if let Some(e) = err("conges") { p.error id="conges-erreur" { (e) } }
                    textarea id="conges" name="conges" rows="5" aria-describedby=[err("conges").map(|_| "conges-erreur")] { (typed.0) }
                }
                div.field.has-error[err("rattrapages").is_some()] {
                    label for="rattrapages" { "Jours de classe exceptionnels (rattrapage) : un par ligne" }
                    @if let Some(e) = err("rattrapages") { p.error id="rattrapages-erreur" { (e) } }
                    textarea id="rattrapages" name="rattrapages" rows="3" aria-describedby=[err("rattrapages").map(|_| "rattrapages-erreur")] { (typed.1) }
                }
                div.row {
                    div.field {
                        label for="rappel_matin" { "Rappel de l'appel du matin après" }
                        input type="time" id="rappel_matin" name="rappel_matin" value=(format!("{:02}:{:02}", c.reminder_morning.0, c.reminder_morning.1));
                    }
                    div.field {
                        label for="rappel_apres_midi" { "Rappel de l'appel de l'après-midi après" }
                        input type="time" id="rappel_apres_midi" name="rappel_apres_midi" value=(format!("{:02}:{:02}", c.reminder_afternoon.0, c.reminder_afternoon.1));
                    }
                }
                p.small { "Les vacances de la zone de l'école sont prises en compte d'elles-mêmes." }
                button.primary type="submit" { "Enregistrer" }
            }
        }
    }
}
