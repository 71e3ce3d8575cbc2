//! The statistics page: the period chosen, the figures by profile and by service, two bar
//! charts drawn in inline SVG (no script, no library), the families' activation by class.

use maud::{html, Markup};

use super::{Bucket, ClassActivation, Created, Period};
use crate::policy::Profile;

/// A bar chart of one number per bucket, with its table beside for those who do not see it.
fn chart(title: &str, period: Period, values: &[(String, u64)]) -> Markup {
    let max = values.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let bar = 28u64;
    let gap = 8u64;
    let height = 120u64;
    // Room above the tallest bar for its figure.
    let top = 16u64;
    let width = (bar + gap) * values.len() as u64 + gap;
    html! {
        figure.chart {
            figcaption { (title) " — " (period.label().to_lowercase()) ", de la plus ancienne à la plus récente" }
            svg viewBox=(format!("0 0 {width} {}", height + top + 4)) width="100%" role="img" aria-label=(format!("{title}, {}", period.label().to_lowercase())) {
                @for (i, (label, v)) in values.iter().enumerate() {
                    @let h = v * height / max;
                    @let x = gap + (bar + gap) * i as u64;
                    rect x=(x) y=(top + height - h + 2) width=(bar) height=(h.max(1)) rx="3" {
                        title { (label) " : " (v) }
                    }
                    text x=(x + bar / 2) y=(top + height - h - 2) text-anchor="middle" font-size="11" { (v) }
                }
            }
        }
    }
}

fn total_connections(b: &Bucket) -> u64 {
    b.connections.values().sum()
}

fn total_created(b: &Bucket) -> u64 {
    b.created.values().sum()
}

pub fn page(period: Period, buckets: &[Bucket], classes: &[ClassActivation]) -> Markup {
    let labels: Vec<String> = buckets
        .iter()
        .map(|b| b.start.map(|s| period.bucket_label(s)).unwrap_or_default())
        .collect();
    let connections: Vec<(String, u64)> = labels
        .iter()
        .cloned()
        .zip(buckets.iter().map(total_connections))
        .collect();
    let created: Vec<(String, u64)> = labels
        .iter()
        .cloned()
        .zip(buckets.iter().map(total_created))
        .collect();
    let profiles: Vec<Profile> = Profile::ALL
        .into_iter()
        .filter(|p| buckets.iter().any(|b| b.connections.contains_key(p)))
        .collect();
    html! {
        (crate::ui::heading("Statistiques d'utilisation", Some("Des totaux seulement, par profil et par service : aucune lecture n'est suivie, aucune personne n'apparaît. Les connexions viennent du journal (gardé 12 mois).")))
        section.panel {
            form method="get" action="/admin/statistiques" {
                div.field {
                    label for="periode" { "Regrouper" }
                    select #periode name="periode" {
                        @for p in Period::ALL {
                            option value=(p.slug()) selected[p == period] { (p.label()) }
                        }
                    }
                }
                button type="submit" { "Afficher" }
                " "
                a.button href=(format!("/admin/statistiques/export.csv?periode={}", period.slug())) { "Exporter en CSV" }
            }
        }
        section.panel {
            h2 { "Connexions" }
            (chart("Connexions", period, &connections))
            div.scroll tabindex="0" role="region" aria-label="Connexions par profil" { table {
                caption { "Connexions et comptes actifs, par profil" }
                thead { tr {
                    th scope="col" { "Période" }
                    @for p in &profiles { th scope="col" { (p.label()) } }
                } }
                tbody {
                    @for (label, b) in labels.iter().zip(buckets) {
                        tr {
                            th scope="row" { (label) }
                            @for p in &profiles {
                                @let (c, a) = (b.connections.get(p).copied().unwrap_or(0), b.active.get(p).copied().unwrap_or(0));
                                td { (c) " connexion" @if c > 1 { "s" } ", " (a) " compte" @if a > 1 { "s" } }
                            }
                        }
                    }
                }
            } }
        }
        section.panel {
            h2 { "Créations par service" }
            (chart("Éléments créés", period, &created))
            div.scroll tabindex="0" role="region" aria-label="Créations par service" { table {
                caption { "Éléments créés, par service" }
                thead { tr {
                    th scope="col" { "Période" }
                    @for c in Created::ALL { th scope="col" { (c.label()) } }
                } }
                tbody {
                    @for (label, b) in labels.iter().zip(buckets) {
                        tr {
                            th scope="row" { (label) }
                            @for c in Created::ALL {
                                td { (b.created.iter().filter(|((w, _), _)| *w == c).map(|(_, n)| *n).sum::<u64>()) }
                            }
                        }
                    }
                }
            } }
        }
        section.panel {
            h2 { "Familles ayant activé leur compte" }
            table {
                caption { "Responsables des élèves de chaque classe" }
                thead { tr { th scope="col" { "Classe" } th scope="col" { "Activés" } th scope="col" { "Taux" } } }
                tbody {
                    @for c in classes {
                        tr {
                            th scope="row" { (c.class) }
                            td { (c.activated) " sur " (c.guardians) }
                            td { @if c.guardians == 0 { "—" } @else { (c.activated * 100 / c.guardians) " %" } }
                        }
                    }
                }
            }
        }
    }
}
