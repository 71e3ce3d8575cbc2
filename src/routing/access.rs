//! Who may use a route, declared once per route in the route table (`crate::routes`).
//!
//! The coarse rules are enforced by the tree itself: a route that is not [`Access::Public`]
//! or [`Access::SetupOnly`] is wrapped by the signed-in gate, and the nests carry the
//! service, director and setup gates. The object rules name the object behind the path's
//! `:id` and the relation the person must have to it; the feature's handler answers them
//! through the policy (and its `access.rs`), and `tests/it/matrix.rs` reads this table to
//! drive each of them against a real object as every profile.

/// The rule of one route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Only before installation (the setup gate answers 404 afterwards).
    SetupOnly,
    /// Any signed-in person; the page shows what that person may see.
    Member,
    /// The director (the console's gate).
    Director,
    /// A teacher of a class, or the director: forms to write for one's classes.
    Teacher,
    /// A guardian of at least one pupil.
    Guardian,
    /// The object named by the path, and the relation the person must have to it.
    Object(Object),
    /// A machine's request carrying the school's status token (`/admin/etat`): no
    /// session; the handler answers 404 while no token is set, 401 without the right one.
    StatusToken,
}

/// Objects named by a path, each with the relation a route on it asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Object {
    /// A class page: its teachers and ATSEM, its pupils, the director, the conseillers.
    ClassView,
    /// A class's pupils' passwords and login cards: its teachers, the director.
    ClassManage,
    /// A class's year archive (blog, cahier de textes, médiathèque): its teachers, the
    /// director.
    ClassMemory,
    /// A pupil's page: the pupil, their guardians, teachers and ATSEM, the director.
    PupilView,
    /// A pupil's carnet: their guardians, their teachers, the director.
    PupilCarnet,
    /// One's own notification.
    OwnNotification,
    /// One's own personal folder of the messagerie.
    OwnMailFolder,
    /// A pupil's message held for moderation: the teachers of the sender's class, the
    /// director.
    HeldMessage,
    /// A message in one's own mailbox.
    MailboxEntry,
    /// A mot of the carnet: its author, the people it is addressed to (the guardians who
    /// sign a school's mot, the staff a family's mot is written to), the director; not the
    /// class's other staff.
    MotReader,
    /// A mot's follow-up (table, reminders, slips, proof, CSV): its author, the director.
    MotAuthor,
    /// A mot asking for accompagnateurs, to offer oneself: the guardians it is addressed
    /// to.
    MotVolunteer,
    /// A space of the médiathèque, to open it.
    MediaSpaceRead,
    /// A space of the médiathèque, to add to it (a class space: its teachers and ATSEM,
    /// the director, its pupils when the class lets them).
    MediaSpaceWrite,
    /// A class space's settings: the class's teachers, the director.
    MediaSpaceManage,
    /// An item of the médiathèque, to see or download it (space readers, shares).
    MediaItemRead,
    /// An item of the médiathèque, to rename, move, trash or share it: who manages its
    /// space (in a class space: its teachers and ATSEM, the director), or the item's owner
    /// while they may still add there (a pupil while the class lets pupils deposit, the
    /// holder of a share « lecture et ajout »); a right to add never reaches what others
    /// added. The owner shares it for reading; « lecture et ajout » is the manager's.
    MediaItemManage,
    /// A cahier de textes entry, to read it: its class, level or group, their guardians,
    /// the class's staff.
    TextbookReader,
    /// A cahier de textes entry, to copy or delete it: the class's teachers, the director.
    TextbookAuthor,
    /// Work given (devoirs), to read it and hand in: the pupils it is for, their guardians
    /// (for one child, `?eleve=`), the class's staff.
    WorkReader,
    /// One pupil's hand-in: the pupil, their guardians, the class's teachers, the
    /// director, staff with the pupil in their care.
    HandIn,
    /// Feedback on a hand-in: the class's teachers, the director.
    HandInFeedback,
    /// A lesson of the classeur, to read it.
    LessonReader,
    /// A lesson, to delete it: the class's teachers, the director.
    LessonAuthor,
    /// An exercise, to do it: the pupils it is for; their guardians and the class's staff
    /// for one pupil (`?eleve=`).
    ExerciseReader,
    /// An exercise, to edit it or see its results: the class's teachers, the director.
    ExerciseAuthor,
    /// A piece of news, to read it: its audience.
    NewsReader,
    /// A piece of news, to pin or delete it: who may publish it.
    NewsAuthor,
    /// An agenda event, to see it: who sees its calendar.
    EventReader,
    /// An agenda event, to delete it: who may edit its calendar, or its owner.
    EventAuthor,
    /// A blog, or one of its articles, to read it: per the blog's visibility, without
    /// login for a public blog on the school network; a blog that is not public is
    /// invisible (404) to anonymous visitors.
    BlogReader,
    /// A blog, to write an article in it: its class (pupils propose), its runners.
    BlogWriter,
    /// An article being written: its author, the blog's runners.
    ArticleWriter,
    /// A blog's settings, publication, return, comment moderation: the class's teachers,
    /// the director.
    BlogRunner,
    /// An article's comments and reports: who may read the article, signed in.
    ArticleReader,
    /// The class login board (school network only; a pupil's pictures or card).
    LoginBoard,
    /// A personal iCalendar feed, by its secret token.
    CalendarFeed,
    /// One's own archive of « Mes données »: nobody else's.
    OwnExport,
    /// One's own device subscribed to push notifications: nobody else's.
    OwnPushDevice,
    /// The canteen's management (menus, services, late requests, effectifs, monthly
    /// count): the commune's staff, the director.
    CanteenManage,
    /// A pupil's sign-ups to the canteen and the périscolaire: their guardians, the
    /// commune, the director.
    CanteenChild,
    /// A périscolaire service's lists and pointage: the périscolaire staff who work in
    /// it, the commune, the director.
    CanteenService,
    /// A class's appel, aménagements and list of those present: its teachers (a
    /// replacement while the delegation runs), the director.
    ClassAppel,
    /// The canteen's menus (write, copy, import): who manages the canteen and the staff
    /// they named to write them.
    CanteenMenus,
    /// A grid of parent-teacher meetings, to see it: the class's teachers, the director,
    /// the families of the class's pupils.
    MeetingGrid,
    /// A grid of meetings, to book or cancel a slot: the families of the class's pupils.
    MeetingFamily,
    /// A grid of meetings, to block slots, move or cancel bookings, print the day sheet:
    /// the class's teachers, the director.
    MeetingTeacher,
    /// The school's resources, their week and their bookings (a resource behind `:id`
    /// when there is one): the adults who work in the school.
    Resources,
    /// The resources' settings and the validation of requests: the director (the
    /// commune for the requests of its own resources).
    ResourceDirection,
    /// A resource booking, to cancel it: its author, the director.
    ResourceBooking,
    /// The commune's space, to read it (its pages, a bus line and its changes): the
    /// families and the adults of the school.
    CommuneReader,
    /// The commune's space, to run it (pages, lines, riders, changes, a request's state):
    /// the commune's staff, or the director where the commune has no account.
    CommuneManage,
    /// The requests to the mairie, their list: who files them (the director, the
    /// teachers), who follows them (the commune).
    CommuneRequests,
    /// A request to the mairie, to read it, see its photos, comment on it: its author,
    /// the director, the commune.
    CommuneRequest,
    /// The commune's resources (create, change, share with the school): the commune's
    /// staff, the director while the commune has no account.
    CommuneResources,
    /// The suivi des apprentissages's home: the teachers (their classes), the guardians
    /// (their children), the pupils (their own carnet, in kid mode).
    ProgressHome,
    /// A class's carnets de suivi (the list, a réussite for several children, sharing
    /// with the families): the class's teachers, the director.
    ProgressClass,
    /// A child's carnet de suivi (and their synthèse des acquis), to read it and comment
    /// on a share: the teachers of the child's classes and the director (every entry),
    /// the child's guardians (what was shared).
    ProgressPupil,
    /// A child's carnet, to share it with the family: the teachers of the child's
    /// classes, the director.
    ProgressPupilKeep,
    /// A share of a child's carnet, to say « J'ai vu »: the child's guardians.
    ProgressFamily,
    /// A réussite, to change or delete it: the teachers of the child's classes, the
    /// director.
    ProgressEntry,
    /// A réussite's photo, sound or video: who keeps the child's carnet; the child; the
    /// child's guardians once the réussite is shared (invisible before).
    ProgressPhoto,
}

impl Access {
    /// Whether the route is for signed-in people only (the signed-in gate guards it).
    pub fn needs_sign_in(self) -> bool {
        match self {
            Access::Public | Access::SetupOnly | Access::StatusToken => false,
            Access::Object(o) => !matches!(
                o,
                Object::BlogReader | Object::LoginBoard | Object::CalendarFeed
            ),
            Access::Member | Access::Director | Access::Teacher | Access::Guardian => true,
        }
    }
}
