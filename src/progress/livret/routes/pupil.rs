//! A pupil's livret: read by who keeps it and by the family (published bilans only),
//! printed on A4, acknowledged and commented by the family; the bilan de fin de cycle.

use maud::{html, Markup};
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::super::access::{self, Reading};
use super::super::reference::{subjects_for, SUBJECTS};
use super::super::views::pupil::{self as view, Answers, PupilPage, ShownBilan, ShownCycle};
use super::super::write::{self, NewCycleBilan, Which};
use super::super::{forms, Bilan, ClassPeriod, CycleBilan, Period};
use super::{cycle_ending, flash, name, now, page, today, year};
use crate::app::App;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::Actor;
use crate::progress::carnet::{Comment, Seen};
use crate::ui::csrf_input;
use crate::ui::form::{first_value, invalid, FormState};
use crate::ui::input::FormInput;

use crate::progress::routes::class_label;
use crate::progress::routes::pupils::pupil_or_404;

#[derive(Deserialize)]
pub(super) struct PeriodQuery {
    periode: Option<u64>,
}

/// What a pupil's livret shows to this person: the periods, their bilans, the cycles.
struct Livret {
    keeper: bool,
    periods: Vec<Period>,
    bilans: Vec<Bilan>,
    cycles: Vec<CycleBilan>,
}

fn livret(app: &App, actor: &Actor, people: &People, pupil: u64) -> AppResult<Livret> {
    let keeper = access::read_pupil(actor, people, pupil)? == Reading::Keeper;
    let mut bilans = super::super::bilans_of(&app.store, pupil)?;
    let mut cycles = super::super::cycle_bilans_of(&app.store, pupil)?;
    if !keeper {
        bilans.retain(|b| b.published.is_some());
        cycles.retain(|c| c.published.is_some());
    }
    let mut periods = if keeper {
        super::super::periods(&app.store, &year(&app.store)?)?
    } else {
        Vec::new()
    };
    for b in &bilans {
        if !periods.iter().any(|p| p.id == b.period) {
            if let Some(p) = super::super::period(&app.store, b.period)? {
                periods.push(p);
            }
        }
    }
    periods.sort_by(|a, b| (&a.year, a.number).cmp(&(&b.year, b.number)));
    Ok(Livret {
        keeper,
        periods,
        bilans,
        cycles,
    })
}

impl Livret {
    /// The period asked for (404 when this person may not see it), or the current one
    /// for who keeps the livret, the last published for the family.
    fn period(&self, asked: Option<u64>) -> AppResult<Option<&Period>> {
        match asked {
            Some(id) => Ok(Some(
                self.periods
                    .iter()
                    .find(|p| p.id == id)
                    .ok_or(AppError::NotFound)?,
            )),
            None if self.keeper => Ok(super::super::current(&self.periods, today())),
            None => Ok(self.periods.last()),
        }
    }
}

/// Who reads a pupil's livret, to show the family's side of each bilan.
struct Reader<'p> {
    actor: &'p Actor,
    people: &'p People,
    pupil: u64,
    keeper: bool,
}

impl Reader<'_> {
    /// The family's side of a bilan: `published` with its « vu » and comments, or not.
    fn answers<'a>(&self, key: String, published: Option<(&[Seen], &'a [Comment])>) -> Answers<'a> {
        let (acknowledged, comments) = published.unwrap_or((&[], &[]));
        let people = self.people;
        Answers {
            key,
            published: published.is_some(),
            guardians: people
                .parents_of(self.pupil)
                .iter()
                .map(|g| {
                    (
                        name(people, *g),
                        acknowledged.iter().find(|s| s.by == *g).map(|s| s.at),
                    )
                })
                .collect(),
            comments: comments
                .iter()
                .map(|c| (name(people, c.by), c.at, c.text.as_str()))
                .collect(),
            to_acknowledge: !self.keeper
                && published.is_some()
                && !acknowledged.iter().any(|s| s.by == self.actor.user_id),
        }
    }
}

/// The class a period's bilan is read with: the one it was written in, or the pupil's now.
fn class_for(
    app: &App,
    people: &People,
    pupil: u64,
    bilan: Option<&Bilan>,
    period: u64,
) -> AppResult<ClassPeriod> {
    let class_id = bilan
        .map(|b| b.class_id)
        .or_else(|| people.classes_of(pupil).first().copied())
        .unwrap_or_default();
    Ok(super::super::class_period(&app.store, class_id, period)?)
}

fn subjects(
    people: &People,
    class: &ClassPeriod,
    bilan: Option<&Bilan>,
) -> Vec<&'static super::super::reference::Subject> {
    let levels = people
        .class(class.class_id)
        .map(|c| c.levels.clone())
        .unwrap_or_default();
    let taught = subjects_for(&levels);
    SUBJECTS
        .iter()
        .filter(|s| {
            taught.iter().any(|t| t.slug == s.slug)
                || bilan.is_some_and(|b| b.entry(s.slug).is_some())
        })
        .collect()
}

fn livret_page(
    app: &App,
    member: &Member,
    people: &People,
    pupil: u64,
    asked: Option<u64>,
    comment_error: Option<(String, String, String)>,
) -> AppResult<Markup> {
    let actor = member.actor();
    let l = livret(app, actor, people, pupil)?;
    let period = l.period(asked)?;
    let bilan = period.and_then(|p| l.bilans.iter().find(|b| b.period == p.id));
    let reader = Reader {
        actor,
        people,
        pupil,
        keeper: l.keeper,
    };
    let class = match period {
        Some(p) => Some(class_for(app, people, pupil, bilan, p.id)?),
        None => None,
    };
    let shown = match (period, &class) {
        (Some(p), Some(class)) => Some(ShownBilan {
            period: p,
            bilan,
            class,
            subjects: subjects(people, class, bilan),
            answers: reader.answers(
                format!("periode-{}", p.id),
                bilan
                    .filter(|b| b.published.is_some())
                    .map(|b| (b.seen.as_slice(), b.comments.as_slice())),
            ),
        }),
        _ => None,
    };
    let cycles = l
        .cycles
        .iter()
        .map(|c| ShownCycle {
            bilan: c,
            answers: reader.answers(
                format!("cycle-{}", c.cycle),
                c.published
                    .as_ref()
                    .map(|_| (c.seen.as_slice(), c.comments.as_slice())),
            ),
        })
        .collect();
    let p = PupilPage {
        pupil,
        name: name(people, pupil),
        class_label: class_label(people, pupil),
        keeper: l.keeper,
        periods: &l.periods,
        shown,
        cycles,
        cycle_to_fill: cycle_ending(people, pupil).filter(|_| l.keeper),
        comment_error,
    };
    let body = view::page(&csrf_input(&member.visitor), &p);
    page(
        app,
        member,
        &format!("Livret scolaire {}", crate::ui::de(&p.name)),
        body,
    )
}

#[handler]
pub(super) async fn show(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    let page = livret_page(app, &member, &people, id, q.periode, None)?;
    if let Some(p) = q.periode {
        let link = format!("/suivi/livret/eleve/{id}?periode={p}");
        crate::notify::seen(&app.store, member.actor().user_id, &link).await?;
    }
    Ok(page)
}

#[handler]
pub(super) fn print(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    let l = livret(app, member.actor(), &people, id)?;
    let period = l.period(q.periode)?.ok_or(AppError::NotFound)?;
    let bilan = l.bilans.iter().find(|b| b.period == period.id);
    let class = class_for(app, &people, id, bilan, period.id)?;
    let shown = ShownBilan {
        period,
        bilan,
        class: &class,
        subjects: subjects(&people, &class, bilan),
        answers: Answers {
            key: String::new(),
            published: false,
            guardians: Vec::new(),
            comments: Vec::new(),
            to_acknowledge: false,
        },
    };
    let cycle = l.cycles.iter().find(|c| c.period == period.id);
    let school = crate::school::get(&app.store)?.ok_or(AppError::NotFound)?;
    let body = view::print(
        &school,
        &period.year,
        &name(&people, id),
        &class_label(&people, id),
        &shown,
        cycle,
    );
    page(
        app,
        &member,
        &format!(
            "Livret scolaire {} — {}",
            crate::ui::de(&name(&people, id)),
            period.label()
        ),
        body,
    )
}

/// `periode-<id>` or `cycle-<n>`.
fn which(key: &str) -> AppResult<Which> {
    let bad = || AppError::BadRequest("Ce bilan n'existe pas.".into());
    if let Some(p) = key.strip_prefix("periode-") {
        return Ok(Which::Period(p.parse().map_err(|_| bad())?));
    }
    if let Some(c) = key.strip_prefix("cycle-") {
        return Ok(Which::Cycle(c.parse().map_err(|_| bad())?));
    }
    Err(bad())
}

fn back(id: u64, which: Which) -> String {
    match which {
        Which::Period(p) => format!("/suivi/livret/eleve/{id}?periode={p}"),
        Which::Cycle(c) => format!("/suivi/livret/eleve/{id}#cycle-{c}"),
    }
}

#[handler]
pub(super) async fn seen(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<Vec<(String, String)>>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    let granted = access::acknowledge(member.actor(), id)?;
    let which = which(&first_value(&f, "bilan"))?;
    if !write::answer(&app.store, &granted, &people, id, which, None, now()).await? {
        return Err(AppError::NotFound);
    }
    flash(
        app,
        &member,
        "C'est noté : l'enseignant voit que vous avez pris connaissance du bilan.".into(),
    )
    .await?;
    Ok(Redirect::see_other(back(id, which)).into_response())
}

#[handler]
pub(super) async fn comment(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<Vec<(String, String)>>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    let granted = access::comment(member.actor(), &people, id)?;
    let key = first_value(&f, "bilan");
    let which = which(&key)?;
    let typed = first_value(&f, "texte");
    let text = match crate::progress::forms::check_comment(&typed) {
        Ok(t) => t,
        Err(e) => {
            let asked = match which {
                Which::Period(p) => Some(p),
                Which::Cycle(_) => None,
            };
            let error = Some((key, typed, e.to_string()));
            return Ok(invalid(livret_page(
                app, &member, &people, id, asked, error,
            )?));
        }
    };
    if !write::answer(&app.store, &granted, &people, id, which, Some(&text), now()).await? {
        return Err(AppError::NotFound);
    }
    flash(app, &member, "Commentaire envoyé.".into()).await?;
    Ok(Redirect::see_other(back(id, which)).into_response())
}

fn cycle_page(
    app: &App,
    member: &Member,
    people: &People,
    id: u64,
    form: &FormState,
) -> AppResult<Markup> {
    let who = name(people, id);
    let Some(cycle) = cycle_ending(people, id) else {
        let body = html! {
            (crate::ui::heading(&format!("Bilan de fin de cycle — {who}"), None))
            p.empty { (who) " n'est pas en fin de cycle cette année : le bilan de fin de cycle se remplit en CE2 (cycle 2) et en CM2 (cycle 3)." }
            p { a href=(format!("/suivi/livret/eleve/{id}")) { "Retour au livret" } }
        };
        return page(app, member, "Bilan de fin de cycle", body);
    };
    let periods = super::super::periods(&app.store, &year(&app.store)?)?;
    let body = view::cycle_form(
        &csrf_input(&member.visitor),
        id,
        &who,
        cycle,
        &periods,
        form,
    );
    page(app, member, &format!("Bilan de fin de cycle — {who}"), body)
}

#[handler]
pub(super) fn cycle_form(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    access::keep_pupil(member.actor(), &people, id)?;
    let mut form = FormState::new();
    let periods = super::super::periods(&app.store, &year(&app.store)?)?;
    if let Some(last) = periods.last() {
        form.set("periode", last.id.to_string());
    }
    if let Some(cycle) = cycle_ending(&people, id) {
        if let Some(b) = app
            .store
            .get(&super::super::CYCLE_BILANS, &(id, u64::from(cycle)))?
        {
            for (code, m) in &b.components {
                form.set(&format!("comp-{code}"), m.to_string());
            }
            form.set("appreciation", b.appreciation.clone());
            form.set("periode", b.period.to_string());
        }
    }
    cycle_page(app, &member, &people, id, &form)
}

#[handler]
pub(super) async fn save_cycle(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<Vec<(String, String)>>,
) -> AppResult<Response> {
    let people = People::load(&app.store)?;
    pupil_or_404(&people, id)?;
    let granted = access::keep_pupil(member.actor(), &people, id)?;
    let cycle = cycle_ending(&people, id).ok_or_else(|| {
        AppError::BadRequest("Cet élève n'est pas en fin de cycle cette année.".into())
    })?;
    let (mut form, components, appreciation) = forms::check_cycle(&f);
    let periods = super::super::periods(&app.store, &year(&app.store)?)?;
    form.set("periode", first_value(&f, "periode"));
    let period = periods
        .iter()
        .find(|p| p.id.to_string() == form.value("periode"));
    if period.is_none() {
        form.error(
            "periode",
            "Choisissez la période avec laquelle le bilan sera publié.",
        );
    }
    let (Some(period), true) = (period, form.is_ok()) else {
        return Ok(invalid(cycle_page(app, &member, &people, id, &form)?));
    };
    let new = NewCycleBilan {
        cycle,
        class_id: people.classes_of(id).first().copied().unwrap_or_default(),
        period: period.id,
        components,
        appreciation,
    };
    write::save_cycle(&app.store, &granted, id, new, now()).await?;
    flash(
        app,
        &member,
        format!("Bilan de fin de cycle {cycle} enregistré ; il sera visible de la famille avec les bilans du {}.", period.label()),
    )
    .await?;
    Ok(Redirect::see_other(format!("/suivi/livret/eleve/{id}#cycle-{cycle}")).into_response())
}
