//! Pedagogy: the cahier de textes (`textbook/`), online homework with hand-ins
//! (`homework/`), the classeur of lessons (`lessons/`) and self-corrected exercises
//! (`exercises/`), each in the same files: `mod.rs` (model, tables, mutations taking the
//! policy's proof), `access.rs` (who may read or author an object), `forms.rs`, `views.rs`,
//! `routes.rs`. Everything a teacher gives is for a class, a level of a multi-level
//! class, or a group of its pupils (differentiation): [`Scope`].

pub mod exercises;
pub mod homework;
pub mod lessons;
pub mod textbook;

use maud::{html, Markup};
use serde::{Deserialize, Serialize};

use crate::app::App;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::directory::Level;
use crate::error::AppResult;
use crate::policy::{may, require, Action, Forbidden, Granted};
use crate::ui::form::FormState;

/// Who in a class a piece of work is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Scope {
    Class,
    Level(Level),
    Group(u64),
}

impl Scope {
    pub fn code(self) -> String {
        match self {
            Scope::Class => "classe".into(),
            Scope::Level(l) => format!("niveau-{}", l.code()),
            Scope::Group(g) => format!("groupe-{g}"),
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        if text == "classe" {
            return Some(Scope::Class);
        }
        if let Some(l) = text.strip_prefix("niveau-") {
            return Level::from_code(l).map(Scope::Level);
        }
        text.strip_prefix("groupe-")?.parse().ok().map(Scope::Group)
    }

    pub fn label(self, people: &People) -> String {
        match self {
            Scope::Class => "toute la classe".into(),
            Scope::Level(l) => format!("les {}", l.code()),
            Scope::Group(g) => format!(
                "groupe {}",
                people.group(g).map(|g| g.label.clone()).unwrap_or_default()
            ),
        }
    }
}

/// The pupils of `class` that `scope` concerns.
pub fn pupils(people: &People, class: u64, scope: Scope) -> Vec<u64> {
    people
        .pupils_of_class(class)
        .into_iter()
        .filter(|p| concerns(people, class, scope, *p))
        .collect()
}

/// Whether a piece of work for (`class`, `scope`) concerns `pupil`.
pub fn concerns(people: &People, class: u64, scope: Scope, pupil: u64) -> bool {
    people.classes_of(pupil).contains(&class)
        && match scope {
            Scope::Class => true,
            Scope::Level(l) => people.levels.get(&pupil) == Some(&l),
            Scope::Group(g) => people.group_members(g).contains(&pupil),
        }
}

/// The scopes a teacher can choose in a class: the class, its levels, the groups that
/// hold some of its pupils.
pub fn scope_choices(people: &People, class: u64) -> Vec<(String, String)> {
    let mut out = vec![(Scope::Class.code(), "Toute la classe".to_string())];
    if let Some(c) = people.class(class) {
        if c.levels.len() > 1 {
            for l in &c.levels {
                out.push((
                    Scope::Level(*l).code(),
                    format!("Les {} seulement", l.code()),
                ));
            }
        }
    }
    let pupils = people.pupils_of_class(class);
    for g in &people.groups {
        if people
            .group_members(g.id)
            .iter()
            .any(|m| pupils.contains(m))
        {
            out.push((Scope::Group(g.id).code(), format!("Groupe {}", g.label)));
        }
    }
    out
}

/// The pupils whose work this person may see, with their class: themself (pupil), their
/// children, the pupils in their care (périscolaire).
pub fn followed_pupils(people: &People, member: &Member) -> Vec<u64> {
    let actor = member.actor();
    let mut candidates: Vec<u64> = vec![actor.user_id];
    candidates.extend(&actor.children);
    if actor.profile == crate::policy::Profile::Periscolaire {
        candidates.extend(people.in_care_of(actor.user_id));
    }
    candidates.sort_unstable();
    candidates.dedup();
    candidates
        .into_iter()
        .filter(|p| {
            people
                .user(*p)
                .is_some_and(|u| u.profile == crate::policy::Profile::Eleve)
        })
        .filter(|p| may_view_pupil(people, member, *p))
        .collect()
}

/// May this person see the work of that pupil (asked of the policy)?
pub fn may_view_pupil(people: &People, member: &Member, pupil: u64) -> bool {
    view_pupil(people, member, pupil).is_ok()
}

/// The policy's proof that this person may see the work of that pupil.
pub fn view_pupil(people: &People, member: &Member, pupil: u64) -> Result<Granted, Forbidden> {
    let class_id = people.classes_of(pupil).first().copied();
    let in_care = people.in_care_of(member.user().id).contains(&pupil);
    require(
        member.actor(),
        Action::ViewPupilWork {
            pupil_id: pupil,
            class_id,
            in_care,
        },
    )
}

/// A class the person teaches: what the proof of [`teach`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaughtClass(pub u64);

/// The policy's proof that this person teaches `class` (or directs the school): what
/// giving work, a lesson or an exercise to the class takes.
pub fn teach(member: &Member, class: u64) -> Result<Granted<TaughtClass>, Forbidden> {
    Ok(teacher_of(member, class)?.on(TaughtClass(class)))
}

/// The policy's proof that this person teaches `class`, for `access.rs` to attach the
/// object it was about.
pub fn teacher_of(member: &Member, class: u64) -> Result<Granted, Forbidden> {
    require(member.actor(), Action::Teach { class_id: class })
}

/// Whether this person teaches `class` (to show a teacher's controls).
pub fn teaches(member: &Member, class: u64) -> bool {
    may(member.actor(), Action::Teach { class_id: class })
}

/// The classes this person teaches (all of them for the director).
pub fn taught_classes(people: &People, member: &Member) -> Vec<(u64, String)> {
    people
        .classes
        .iter()
        .filter(|c| teaches(member, c.id))
        .map(|c| (c.id, c.label.clone()))
        .collect()
}

/// Refuses someone who teaches no class (before looking at what they asked for).
pub fn require_teacher(app: &App, member: &Member) -> AppResult<()> {
    let people = People::load(&app.store)?;
    if taught_classes(&people, member).is_empty() {
        Err(crate::error::AppError::Forbidden)
    } else {
        Ok(())
    }
}

/// School subjects of primary school, for the forms.
pub const SUBJECTS: &[&str] = &[
    "Français",
    "Mathématiques",
    "Questionner le monde",
    "Histoire-géographie",
    "Sciences",
    "Langue vivante",
    "Arts plastiques",
    "Éducation musicale",
    "EPS",
    "EMC",
    "Autre",
];

pub fn subject_select(form: &FormState) -> Markup {
    crate::ui::form::select(
        form,
        "subject",
        "Matière",
        &SUBJECTS
            .iter()
            .map(|s| (s.to_string(), s.to_string()))
            .collect::<Vec<_>>(),
        true,
    )
}

pub fn frame(
    app: &App,
    member: &Member,
    title: &str,
    section: &str,
    body: Markup,
) -> AppResult<Markup> {
    app.page(&member.visitor, title, section, body)
}

/// « Pour : toute la classe » under a title.
pub fn for_whom(people: &People, class: u64, scope: Scope) -> Markup {
    html! { span.small { (people.class(class).map(|c| c.label.clone()).unwrap_or_default()) " — " (scope.label(people)) } }
}

/// A piece of work's consigne (its text, `#consigne-ID`) with its « Écouter » button: the
/// teacher's recording of it where there is one, the browser's French voice otherwise.
pub fn consigne(e: &textbook::Entry) -> Markup {
    let target = format!("consigne-{}", e.id);
    html! {
        @match e.recorded_consigne() {
            Some(n) => (crate::ui::listen::recording(&target, &format!("/cahier-de-textes/{}/pieces/{n}", e.id))),
            None => (crate::ui::listen::button(&target)),
        }
        div.richtext id=(target) { (crate::ui::richtext::render(&e.body)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_consigne_plays_the_teachers_recording_and_not_any_sound() {
        let file = |name: &str, mime: &str| crate::attachments::Attachment {
            blob: "b".into(),
            name: name.into(),
            mime: mime.into(),
            size: 1,
        };
        let mut e = textbook::Entry {
            id: 7,
            class: 1,
            scope: Scope::Class,
            kind: textbook::EntryKind::Work,
            subject: "Français".into(),
            title: "Poésie".into(),
            body: "Apprends la poésie.".into(),
            day: "2026-11-24".into(),
            given: String::new(),
            minutes: 0,
            online: false,
            listed: true,
            visible_from: 0,
            attachments: vec![
                file("chanson.ogg", "audio/ogg"),
                file("consigne.pdf", "application/pdf"),
            ],
            author: 1,
            created_at: 0,
            notified: false,
        };
        let spoken = consigne(&e).into_string();
        assert!(spoken.contains(r#"data-ecouter="consigne-7""#), "{spoken}");
        assert!(spoken.contains(r#"id="consigne-7""#), "{spoken}");
        assert!(
            !spoken.contains("data-ecouter-audio"),
            "a song is not the consigne: {spoken}"
        );
        e.attachments
            .push(file("Consigne 2026-11-23 18h02.webm", "audio/webm"));
        let recorded = consigne(&e).into_string();
        assert!(
            recorded.contains(r#"data-ecouter-audio="/cahier-de-textes/7/pieces/2""#),
            "{recorded}"
        );
    }

    #[test]
    fn scopes_round_trip() {
        for s in [Scope::Class, Scope::Level(Level::CE1), Scope::Group(4)] {
            assert_eq!(Scope::parse(&s.code()), Some(s));
        }
        assert_eq!(Scope::parse("niveau-XX"), None);
        assert_eq!(Scope::parse("groupe-x"), None);
    }
}
