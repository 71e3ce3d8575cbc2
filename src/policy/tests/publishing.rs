//! Publishing: news, calendars and blogs, and articles written, changed and commented.

use super::*;

#[test]
fn publishing_is_for_the_director_the_class_teacher_and_the_commune() {
    let teacher = actor(Profile::Enseignant, false, &[3]);
    let director = actor(Profile::Enseignant, true, &[]);
    let agent = actor(Profile::Commune, false, &[]);
    for a in [
        Action::PublishNews {
            class_id: Some(3),
            commune: false,
        },
        Action::EditCalendar { class_id: Some(3) },
        Action::RunBlog { class_id: Some(3) },
    ] {
        assert!(may(&teacher, a) && may(&director, a), "{a:?}");
        assert!(!may(&actor(Profile::Enseignant, false, &[4]), a), "{a:?}");
        for p in [
            Profile::Eleve,
            Profile::Responsable,
            Profile::Atsem,
            Profile::Invite,
            Profile::Commune,
        ] {
            assert!(!may(&actor(p, false, &[3]), a), "{p:?} {a:?}");
        }
    }
    for a in [
        Action::PublishNews {
            class_id: None,
            commune: false,
        },
        Action::EditCalendar { class_id: None },
        Action::RunBlog { class_id: None },
        Action::ManagePhotoConsent,
    ] {
        assert!(may(&director, a));
        assert!(!may(&teacher, a), "{a:?}");
    }
    let commune = Action::PublishNews {
        class_id: None,
        commune: true,
    };
    assert!(may(&agent, commune) && may(&director, commune));
    assert!(!may(&teacher, commune) && !may(&actor(Profile::Responsable, false, &[]), commune));
}

#[test]
fn articles_are_written_by_the_class_and_changed_by_their_author_or_the_runners() {
    let pupil = actor(Profile::Eleve, false, &[3]);
    let teacher = actor(Profile::Enseignant, false, &[3]);
    let write = |open| Action::WriteArticle {
        class_id: Some(3),
        open,
    };
    assert!(may(&pupil, write(true)) && may(&teacher, write(false)));
    assert!(!may(&pupil, write(false)), "a blog switched off");
    for p in Profile::ALL {
        if p != Profile::Eleve {
            assert!(!may(&actor(p, false, &[4]), write(true)), "{p:?}");
        }
        let other = actor(p, false, &[4]);
        let edit = Action::EditArticle {
            class_id: Some(3),
            own_draft: false,
        };
        assert!(!may(&other, edit), "{p:?}");
        assert!(!may(&other, Action::ProposeArticle { own_draft: false }));
        let comment = Action::CommentArticle {
            reads: true,
            open: false,
        };
        assert!(!may(&actor(p, true, &[3]), comment), "comments off: {p:?}");
        let not_read = Action::CommentArticle {
            reads: false,
            open: true,
        };
        assert!(!may(&actor(p, true, &[3]), not_read), "{p:?}");
    }
    let comment = Action::CommentArticle {
        reads: true,
        open: true,
    };
    assert!(may(&pupil, comment));
    for p in [Profile::Periscolaire, Profile::Commune, Profile::Invite] {
        assert!(!may(&actor(p, false, &[3]), comment), "{p:?}");
    }
}
