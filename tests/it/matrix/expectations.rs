//! What each profile must get: the ten profiles, the outcome of a request, the row of
//! outcomes for each rule (the object rules by an exhaustive match), and the known
//! differences between the rules and the server (`MISDECLARED`, `DEVIATIONS`).

use preau::routing::{Access, Object};

use crate::common::{Page, DIRECTOR_LOGIN};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Outcome {
    /// A page, a file, or a redirect elsewhere than the login page.
    Allowed,
    /// 403.
    Refused,
    /// A redirect to the login page.
    ToLogin,
    /// 404: the object is invisible to that person.
    NotFound,
    /// 400: the request was read before the rule was asked (never expected).
    Invalid,
    /// Anything else (a 500…): never expected.
    Failed,
}

use Outcome::{Allowed as A, Invalid, NotFound as N, Refused as R, ToLogin as L};

pub(super) fn classify(page: &Page) -> Outcome {
    match (page.status, page.location.as_deref()) {
        (403, _) => R,
        (404, _) => N,
        (400, _) => Invalid,
        (303, Some(l)) if l.starts_with("/connexion") => L,
        (200..=399, _) => A,
        _ => Outcome::Failed,
    }
}

/// The profiles, in the order of the expectation rows. The objects are made in CM1-CM2
/// (Paul's class) by Paul; Zoé is its pupil and Inès her mother.
pub(super) const PROFILES: [(&str, &str); 10] = [
    ("anonyme", ""),
    ("direction", DIRECTOR_LOGIN),
    ("auteur, enseignant de la classe", "paul.durand"),
    ("enseignante d'une autre classe", "nina.roux"),
    ("élève de la classe", "zoe.leroy"),
    ("élève d'une autre classe", "lou.petit"),
    ("responsable de l'élève", "ines.leroy"),
    ("responsable d'une autre famille", "marc.petit"),
    ("ATSEM de la classe", "aline.morel"),
    ("périscolaire, l'élève à l'étude", "eva.garde"),
];

pub(super) type Row = [Outcome; 10];

/// Zoé and Inès: the pupil of the class and her mother, in the order of `PROFILES`.
pub(super) const CLASS_FAMILY: [usize; 2] = [4, 6];

/// The objects of the matrix that belong to the class (made in CM1-CM2: its news, its
/// calendar's event, its blog and article): closed with it.
const CLASS_OBJECTS: [Object; 4] = [
    Object::NewsReader,
    Object::EventReader,
    Object::BlogReader,
    Object::BlogWriter,
];

/// A route of a service the class closed to its pupils and families (« enseignants
/// seulement »): the gate refuses them (403, saying why), whatever the route's rule; the
/// others keep the open school's outcome — the class's objects were already theirs or
/// not.
pub(super) fn closed_row(open: Row, access: Access, school_part: bool) -> Row {
    let mut row = open;
    // A service with a school part (blog, news, agenda) stays theirs for that part: only
    // the class's objects are refused them.
    for i in CLASS_FAMILY {
        let class_object = matches!(access, Access::Object(o) if CLASS_OBJECTS.contains(&o));
        if !school_part || (class_object && row[i] == A) {
            row[i] = R;
        }
    }
    // What the class showed beyond itself (its blog, to the school or without login) is
    // no longer shown to those below its adults.
    if let Access::Object(Object::BlogReader | Object::ArticleReader) = access {
        for (i, outcome) in row.iter_mut().enumerate() {
            let below_adults = matches!(i, 0 | 5 | 7);
            if below_adults && *outcome == A {
                *outcome = if i == 0 { N } else { R };
            }
        }
    }
    row
}

/// What each profile gets on a route with this rule, in the order of `PROFILES`.
pub(super) fn expectation(access: Access) -> Row {
    match access {
        Access::Public => [A; 10],
        Access::SetupOnly => [N; 10],
        Access::Member => [L, A, A, A, A, A, A, A, A, A],
        Access::Director => [L, A, R, R, R, R, R, R, R, R],
        Access::Teacher => [L, A, A, A, R, R, R, R, R, R],
        Access::Guardian => [L, R, R, R, R, R, A, A, R, R],
        Access::Object(o) => object_expectation(o),
        // Off until the director makes a token: invisible to everyone (tests/it/fleet.rs
        // drives it with and without the token).
        Access::StatusToken => [N; 10],
    }
}

/// The object rules, as the handlers answer them: a person outside the relation is
/// refused (403); only what is one's own (a mailbox entry, a notification, a personal
/// folder) is invisible to others (404), and a blog that is not public to anonymous
/// visitors. Exhaustive: a new kind of object does not compile until its row is written.
fn object_expectation(o: Object) -> Row {
    match o {
        Object::ClassView => [L, A, A, R, A, R, R, R, A, R],
        Object::ClassManage => [L, A, A, R, R, R, R, R, R, R],
        // Paul's class's year archive: its teacher and the director, nobody else.
        Object::ClassMemory => [L, A, A, R, R, R, R, R, R, R],
        Object::PupilView => [L, A, A, R, A, R, A, R, A, R],
        Object::PupilCarnet => [L, A, A, R, R, R, A, R, R, R],
        // Inès's notification: nobody else's.
        Object::OwnNotification => [L, N, N, N, N, N, A, N, N, N],
        // Paul's personal folder.
        Object::OwnMailFolder => [L, N, A, N, N, N, N, N, N, N],
        // Zoé's message held for moderation of her class.
        Object::HeldMessage => [L, A, A, R, R, R, R, R, R, R],
        // Paul's message to Inès: in their two mailboxes only.
        Object::MailboxEntry => [L, N, A, N, N, N, A, N, N, N],
        // Paul's mot to the families of his class: its signers read it, not the
        // class's other staff.
        Object::MotReader => [L, A, A, R, R, R, A, R, R, R],
        Object::MotAuthor => [L, A, A, R, R, R, R, R, R, R],
        // Offering to accompany: the guardians the mot is addressed to, nobody else.
        Object::MotVolunteer => [L, R, R, R, R, R, A, R, R, R],
        // The class space of CM1-CM2 (pupils may not add to it): the class's staff,
        // the ATSEM included, add to it and manage its items.
        Object::MediaSpaceRead => [L, A, A, R, A, R, R, R, A, R],
        Object::MediaSpaceWrite => [L, A, A, R, R, R, R, R, A, R],
        Object::MediaSpaceManage => [L, A, A, R, R, R, R, R, R, R],
        // A file Paul put in the class space.
        Object::MediaItemRead => [L, A, A, R, A, R, R, R, A, R],
        Object::MediaItemManage => [L, A, A, R, R, R, R, R, A, R],
        // Work given to the class, to hand in online.
        Object::TextbookReader | Object::WorkReader => [L, A, A, R, A, R, A, R, A, A],
        Object::TextbookAuthor => [L, A, A, R, R, R, R, R, R, R],
        // Zoé's hand-in.
        Object::HandIn => [L, A, A, R, A, R, A, R, A, A],
        Object::HandInFeedback => [L, A, A, R, R, R, R, R, R, R],
        Object::LessonReader => [L, A, A, R, A, R, A, R, A, A],
        Object::LessonAuthor => [L, A, A, R, R, R, R, R, R, R],
        Object::ExerciseReader => [L, A, A, R, A, R, A, R, A, A],
        Object::ExerciseAuthor => [L, A, A, R, R, R, R, R, R, R],
        // News from the class to the class.
        Object::NewsReader => [L, A, A, R, A, R, A, R, A, R],
        Object::NewsAuthor => [L, A, A, R, R, R, R, R, R, R],
        // An event of the class's calendar.
        Object::EventReader => [L, A, A, R, A, R, A, R, A, R],
        Object::EventAuthor => [L, A, A, R, R, R, R, R, R, R],
        // The class's blog, for the class and its families (not public), comments open.
        Object::BlogReader => [N, A, A, R, A, R, A, R, A, R],
        Object::BlogWriter => [L, A, A, R, A, R, R, R, R, R],
        Object::ArticleWriter => [L, A, A, R, R, R, R, R, R, R],
        Object::BlogRunner => [L, A, A, R, R, R, R, R, R, R],
        Object::ArticleReader => [L, A, A, R, A, R, A, R, A, R],
        // The board answers the school network (the tests' loopback), signed in or not.
        Object::LoginBoard => [A; 10],
        // Inès's feed: the secret token is the key.
        Object::CalendarFeed => [A; 10],
        // Inès's archive of « Mes données »: nobody else's, not even the director's.
        Object::OwnExport => [L, N, N, N, N, N, A, N, N, N],
        // Inès's phone, subscribed to her push notifications.
        Object::OwnPushDevice => [L, N, N, N, N, N, A, N, N, N],
        // The canteen is the commune's (no commune account here: tests/it/canteen drives
        // it), Zoé's sign-ups are her guardians', the étude's list is Eva's.
        Object::CanteenManage => [L, A, R, R, R, R, R, R, R, R],
        // Nobody is named to write the menus here (tests/it/canteen/editors.rs names Aline).
        Object::CanteenMenus => [L, A, R, R, R, R, R, R, R, R],
        Object::CanteenChild => [L, A, R, R, R, R, A, R, R, R],
        Object::CanteenService => [L, A, R, R, R, R, R, R, R, A],
        // The appel of CM1-CM2: its teacher and the director; pupils and parents see
        // nothing of it.
        Object::ClassAppel => [L, A, A, R, R, R, R, R, R, R],
        // Paul's grid of meetings for CM1-CM2: its teacher and the director run it, the
        // class's families see it and book in it; pupils and the other staff see nothing.
        Object::MeetingGrid => [L, A, A, R, R, R, A, R, R, R],
        Object::MeetingFamily => [L, R, R, R, R, R, A, R, R, R],
        Object::MeetingTeacher => [L, A, A, R, R, R, R, R, R, R],
        // The resources are the staff's (the ATSEM and the périscolaire included), their
        // settings and the requests the director's; Paul's booking is his to cancel.
        Object::Resources => [L, A, A, A, R, R, R, R, A, A],
        Object::ResourceDirection => [L, A, R, R, R, R, R, R, R, R],
        Object::ResourceBooking => [L, A, A, R, R, R, R, R, R, R],
        // The commune's space: families and the adults of the school read it; with no
        // commune account here the director runs it (tests/it/commune.rs has one); the
        // requests are the director's and the teachers', Paul's request his and the
        // director's.
        Object::CommuneReader => [L, A, A, A, R, R, A, A, A, A],
        Object::CommuneManage => [L, A, R, R, R, R, R, R, R, R],
        Object::CommuneRequests => [L, A, A, A, R, R, R, R, R, R],
        Object::CommuneRequest => [L, A, A, R, R, R, R, R, R, R],
        // The commune's resources: the commune's staff, and the director here, the
        // school having no commune account (tests/it/slots_commune.rs has one).
        Object::CommuneResources => [L, A, R, R, R, R, R, R, R, R],
        // Suivi: the home for teachers, families (the other family has Lou) and pupils
        // (their own carnet); Zoé's carnet and synthèse kept by Paul and the director,
        // read by Inès, both shared; her réussite's photo seen by Zoé too.
        Object::ProgressHome => [L, A, A, A, A, A, A, A, R, R],
        Object::ProgressClass | Object::ProgressPupilKeep | Object::ProgressEntry => {
            [L, A, A, R, R, R, R, R, R, R]
        }
        Object::ProgressPupil => [L, A, A, R, R, R, A, R, R, R],
        Object::ProgressPhoto => [L, A, A, R, A, R, A, R, R, R],
        Object::ProgressFamily => [L, R, R, R, R, R, A, R, R, R],
    }
}

/// Pages that send everybody elsewhere: the root to the home page, the login page to
/// the home page once signed in.
pub(super) const REDIRECTING_PAGES: &[&str] = &["/", "/connexion"];

/// A form for one class (`?classe=` of Paul's class): the Teacher rule narrowed to the
/// teachers of that class and the director.
pub(super) const TEACHER_OF_THE_CLASS: Row = [L, A, A, R, R, R, R, R, R, R];

/// Routes whose declared rule is not the one their handler applies, and should change
/// in the feature's `routes()`: (method, path, declared, the rule the handler applies).
/// The matrix expects the handler's rule, which is the right one, and fails once the
/// declaration is corrected, so that the entry is removed.
pub(super) const MISDECLARED: &[(&str, &str, Access, Access)] = &[];

/// Where the server answers otherwise than the rule, reported to be fixed in the
/// feature: (method, path, the profile or every profile with that expectation, what the
/// rule expects, what the server answers, why). Each entry must still occur, so a fix
/// makes the test fail until the entry is removed.
pub(super) type Deviation = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Outcome,
    Outcome,
    &'static str,
);

pub(super) const DEVIATIONS: &[Deviation] = &[
    // The pedagogy services' home pages refuse an ATSEM (neither teaching a class nor
    // following a pupil), although the rule is Member and the ATSEM reads the class's
    // entries, hand-ins, lessons and exercises by their own pages.
    (
        "GET",
        "/cahier-de-textes",
        Some("ATSEM de la classe"),
        A,
        R,
        "403 for an ATSEM",
    ),
    (
        "GET",
        "/devoirs",
        Some("ATSEM de la classe"),
        A,
        R,
        "403 for an ATSEM",
    ),
    (
        "GET",
        "/classeur",
        Some("ATSEM de la classe"),
        A,
        R,
        "403 for an ATSEM",
    ),
    (
        "GET",
        "/exercices",
        Some("ATSEM de la classe"),
        A,
        R,
        "403 for an ATSEM",
    ),
];
