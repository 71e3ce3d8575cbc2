//! « Écouter » in Chromium, on every kind of text a pupil or a parent reads. Speech cannot
//! be heard here: before the pages' own script, a stand-in for the browser's speech
//! synthesis reports the voices the test chooses and records each `speak` (text, language,
//! voice), and `HTMLMediaElement.play` records what it was asked to play. axe-core checks
//! each page with its buttons shown.

use std::time::Duration;

use serde_json::json;

use super::attendance::{axe_source, clean};
use super::Driver;
use crate::common::{
    id_after, publish_class_mot, TestServer, DIRECTOR_LOGIN, DIRECTOR_PASSWORD, FOLKS_PASSWORD,
};

/// Stands in for `speechSynthesis` and `SpeechSynthesisUtterance` (a real utterance takes
/// only a real voice): one English and one French voice, or the English one alone when
/// localStorage says `ecouter-voix` = `en`. `window.__boundary(i, n)` makes the utterance
/// being spoken reach the word at `i`, as a voice does.
const SPEECH_STUB: &str = r#"
(function () {
  var english = { name: "Samantha", lang: "en-US", localService: true, default: true, voiceURI: "Samantha" };
  var french = { name: "Amélie", lang: "fr-FR", localService: true, default: false, voiceURI: "Amélie" };
  var onlyEnglish = false;
  try { onlyEnglish = window.localStorage.getItem("ecouter-voix") === "en"; } catch (e) {}
  var voices = onlyEnglish ? [english] : [english, french];
  window.__spoken = [];
  window.__played = [];
  window.__cancels = 0;
  var speaking = null;
  window.SpeechSynthesisUtterance = function (text) {
    var u = new EventTarget();
    u.text = text; u.lang = ""; u.voice = null; u.rate = 1; u.pitch = 1; u.volume = 1;
    return u;
  };
  var synth = new EventTarget();
  synth.getVoices = function () { return voices.slice(); };
  synth.speak = function (u) {
    window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name, voiceLang: u.voice && u.voice.lang });
    speaking = u;
  };
  synth.cancel = function () {
    window.__cancels++;
    var u = speaking;
    speaking = null;
    if (u) { u.dispatchEvent(new Event("end")); }
  };
  synth.pause = synth.resume = function () {};
  Object.defineProperty(window, "speechSynthesis", { configurable: true, get: function () { return synth; } });
  window.__boundary = function (i, n) {
    var e = new Event("boundary");
    e.name = "word"; e.charIndex = i; e.charLength = n;
    if (speaking) { speaking.dispatchEvent(e); }
  };
  HTMLMediaElement.prototype.play = function () { window.__played.push(this.src); return Promise.resolve(); };
  HTMLMediaElement.prototype.pause = function () {};
})();
"#;

/// On the page at `url`: the « Écouter » button of the text `#target` is shown; a click
/// reads, in French, a text holding `shown` (the word at its start highlighted when the
/// voice reaches it); a second click stops. Then axe-core checks the page.
async fn reads(d: &Driver, axe: &Option<String>, url: &str, target: &str, shown: &str) {
    d.goto(url).await;
    let button = format!("button[data-ecouter~='{target}']");
    let visible = wait_visible(d, &button).await;
    assert!(visible, "{url}: the button of #{target} is shown");
    d.click(&button).await;
    let said = d
        .script("return window.__spoken[window.__spoken.length - 1] || null;")
        .await;
    let text = said["text"].as_str().unwrap_or_default();
    assert!(
        text.contains(shown),
        "{url}: « {shown} » is read, not « {text} »"
    );
    assert!(
        said["lang"].as_str().is_some_and(|l| l.starts_with("fr"))
            && said["voiceLang"]
                .as_str()
                .is_some_and(|l| l.starts_with("fr")),
        "{url}: read in French: {said}"
    );
    let state = d
        .script(&format!(
            "const b = document.querySelector(\"{button}\"); return [b.getAttribute('aria-pressed'), b.textContent.trim()];"
        ))
        .await;
    assert_eq!(state, json!(["true", "Arrêter"]), "{url}: while reading");
    // The voice reaches the first word of `shown`: that word is highlighted on the page.
    let word: String = shown.chars().take_while(|c| c.is_alphanumeric()).collect();
    let at = text[..text.find(shown).unwrap()].chars().count();
    let lit = d
        .script(&format!(
            "window.__boundary({at}, {}); const h = CSS.highlights.get('ecoute'); return h ? [...h][0].toString() : null;",
            word.chars().count()
        ))
        .await;
    assert_eq!(
        lit,
        json!(word),
        "{url}: the word being read is highlighted"
    );
    let before = d.script("return window.__spoken.length;").await;
    d.click(&button).await;
    let after = d
        .script(&format!(
            "const b = document.querySelector(\"{button}\"); return [b.getAttribute('aria-pressed'), b.textContent.trim(), window.__spoken.length, window.__cancels > 0, CSS.highlights.has('ecoute')];"
        ))
        .await;
    assert_eq!(
        after,
        json!(["false", "Écouter", before, true, false]),
        "{url}: a second click stops the voice and reads nothing more"
    );
    clean(d, axe, url).await;
}

/// Waits (up to 5 s) for the button to be in the page, then tells whether it is shown.
async fn wait_visible(d: &Driver, button: &str) -> bool {
    let js = format!(
        "const b = document.querySelector(\"{button}\"); return b ? !b.hidden && b.getClientRects().length > 0 : null;"
    );
    // The script shows the button once it has found a voice, after the page has loaded:
    // on a busy machine the button is there, still hidden, for a while.
    let mut found = false;
    for _ in 0..100 {
        match d.script(&js).await.as_bool() {
            Some(true) => return true,
            Some(false) => found = true,
            None => {}
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if found {
        return false;
    }
    panic!("no button {button}: {}", d.source().await);
}

#[tokio::test]
async fn ecouter_reads_each_kind_of_text_in_a_french_voice_or_plays_the_teachers_recording() {
    let (server, f) = TestServer::school().await;
    let store = server.store();
    let Some(d) = Driver::start().await else {
        return;
    };
    let axe = axe_source();
    if axe.is_none() {
        eprintln!("axe-core absent (PREAU_AXE_JS) : contrôle d'accessibilité ignoré");
    }
    let base = format!("https://127.0.0.1:{}", server.https.port());

    // What the families and the pupils will read, written by the teacher (the director
    // teaches the CP-CE1) through the pages.
    let mut teacher = server.signed_in(DIRECTOR_LOGIN).await;
    let work = crate::pedagogy::give(
        &mut teacher,
        f.cp,
        &[
            ("scope", "classe"),
            ("title", "Poésie"),
            ("day", &crate::pedagogy::day(2)),
            ("body", "Apprends les deux premières strophes de la poésie."),
            ("online", "1"),
        ],
    )
    .await;
    teacher
        .get(&format!("/exercices/nouveau?classe={}", f.cp))
        .await;
    let made = teacher
        .post(
            &format!("/exercices/nouveau?classe={}", f.cp),
            &[("scope", "classe"), ("title", "Les animaux")],
        )
        .await;
    let exercise = id_after(&made.location.unwrap(), "/exercices/").unwrap();
    let q = teacher
        .post_multipart(
            &format!("/exercices/{exercise}/questions?type=choix"),
            &[
                ("prompt", "Quel animal miaule ?"),
                ("option0", "le chien"),
                ("option1", "le chat"),
                ("bonne", "1"),
            ],
            &[],
        )
        .await;
    assert_eq!(q.status, 303, "{}", q.body);
    teacher
        .post(&format!("/exercices/{exercise}/publier"), &[])
        .await;
    let blog = format!("classe-{}", f.cp);
    teacher.get(&format!("/blog/{blog}/ecrire")).await;
    let posted = teacher
        .post_multipart(
            &format!("/blog/{blog}/ecrire"),
            &[
                ("title", "Notre potager"),
                ("body", "Les radis ont poussé dans le jardin de l'école."),
                ("action", "publier"),
            ],
            &[],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let article = id_after(&posted.location.unwrap(), "/blog/article/").unwrap();
    teacher.get("/messagerie/ecrire").await;
    let sent = teacher
        .post_multipart(
            "/messagerie/ecrire",
            &[
                ("to", &format!("u{}", f.marc)),
                ("subject", "Rendez-vous"),
                ("body", "Pouvons-nous nous voir jeudi après la classe ?"),
                ("action", "envoyer"),
            ],
            &[],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    teacher.get("/actualites/nouvelle").await;
    let news = teacher
        .post_multipart(
            "/actualites/nouvelle",
            &[
                ("source", "ecole"),
                ("title", "Fête de l'école"),
                ("body", "La fête aura lieu samedi dans la cour."),
                ("audience", "tous"),
            ],
            &[],
        )
        .await;
    assert_eq!(news.status, 303, "{}", news.body);
    let monday = crate::canteen::monday(crate::canteen::today());
    teacher
        .get(&format!("/cantine/gestion/menu?semaine={monday}"))
        .await;
    let menu = teacher
        .post(
            "/cantine/gestion/menu",
            &[
                ("semaine", &monday.to_string()),
                ("j0-jour", "normal"),
                ("j0-plat-nom", "Lasagnes aux légumes"),
                ("j0-plat-vegetarien", "oui"),
                ("j0-plat-allergenes", "gluten, lait"),
                ("action", "publier"),
            ],
        )
        .await;
    assert_eq!(menu.status, 303, "{}", menu.body);
    publish_class_mot(
        &store,
        f.director,
        f.cp,
        "Sortie au musée",
        preau::auth::now_micros(),
    )
    .await;

    d.cmd(
        reqwest::Method::POST,
        "/goog/cdp/execute",
        json!({"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": SPEECH_STUB}}),
    )
    .await;

    // The teacher records the consigne of a second piece of work with the form's recorder.
    d.sign_in(&base, DIRECTOR_LOGIN, DIRECTOR_PASSWORD).await;
    d.goto(&format!(
        "{base}/cahier-de-textes/nouveau?classe={}&type=travail",
        f.cp
    ))
    .await;
    d.wait_for("Donner du travail").await;
    d.type_into("#f-title", "Lis ta poésie").await;
    d.cmd(
        reqwest::Method::POST,
        "/execute/sync",
        json!({"script": "document.getElementById('f-day').value = arguments[0];", "args": [crate::pedagogy::day(2)]}),
    )
    .await;
    d.type_into("#f-body", "Écoute la consigne, puis enregistre ta lecture.")
        .await;
    d.click("#f-online").await;
    d.click("[data-rec=start]").await;
    d.wait_for("Enregistrement en cours").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    d.click("[data-rec=stop]").await;
    d.wait_for("Écoute ton enregistrement").await;
    d.click("[data-rec=save]").await;
    d.wait_for("il partira avec le formulaire").await;
    d.click("form[enctype] button.primary[type=submit]").await;
    let week = d.wait_for("Enregistré dans le cahier de textes").await;
    let i = week.find(">Lis ta poésie<").expect("the work in the week");
    let recorded = id_after(
        &week[week[..i].rfind("/cahier-de-textes/").unwrap()..],
        "/cahier-de-textes/",
    )
    .unwrap();

    // Lou, in the CP: the cahier de textes, the recorded consigne, the exercise, the blog.
    d.sign_in(&base, "lou.petit", FOLKS_PASSWORD).await;
    reads(
        &d,
        &axe,
        &format!("{base}/cahier-de-textes/{work}"),
        &format!("consigne-{work}"),
        "Apprends les deux premières strophes",
    )
    .await;
    reads(
        &d,
        &axe,
        &format!("{base}/devoirs/{work}"),
        &format!("consigne-{work}"),
        "Apprends les deux premières strophes",
    )
    .await;
    d.goto(&format!("{base}/devoirs/{recorded}")).await;
    let button = format!("button[data-ecouter='consigne-{recorded}']");
    assert!(wait_visible(&d, &button).await, "the recording's button");
    let audio = d
        .script(&format!(
            "return document.querySelector(\"{button}\").getAttribute('data-ecouter-audio');"
        ))
        .await;
    let audio = audio.as_str().unwrap_or_default().to_string();
    assert!(
        audio.starts_with(&format!("/cahier-de-textes/{recorded}/pieces/")),
        "the teacher's recording: {audio}"
    );
    d.click(&button).await;
    let heard = d
        .script("return [window.__played, window.__spoken.length];")
        .await;
    assert_eq!(
        heard,
        json!([[format!("{base}{audio}")], 0]),
        "the recording plays instead of the voice"
    );
    // What plays is the teacher's sound, and the pupil may fetch it.
    let served = d
        .cmd(
            reqwest::Method::POST,
            "/execute/async",
            json!({"script": "const done = arguments[1]; fetch(arguments[0]).then(r => done([r.status, r.headers.get('content-type')]));", "args": [audio]}),
        )
        .await;
    assert_eq!(
        served,
        json!([200, "audio/webm"]),
        "the recording is served"
    );
    clean(&d, &axe, "the recorded consigne").await;
    reads(
        &d,
        &axe,
        &format!("{base}/exercices/{exercise}"),
        "question-0",
        "Quel animal miaule ?",
    )
    .await;
    let said = d.script("return window.__spoken[0].text;").await;
    assert!(
        said.as_str()
            .is_some_and(|t| t.contains("le chien") && t.contains("le chat")),
        "the answers offered are read after the question: {said}"
    );
    reads(
        &d,
        &axe,
        &format!("{base}/blog/article/{article}"),
        &format!("article-{article}-texte"),
        "Notre potager. Les radis ont poussé",
    )
    .await;

    // Marc, Lou's father: the mot, the message, the news, the canteen, Lou's work.
    d.sign_in(&base, "marc.petit", FOLKS_PASSWORD).await;
    d.goto(&format!("{base}/carnet")).await;
    let carnet = d.wait_for("Sortie au musée").await;
    let mot = id_after(&carnet, "href=\"/carnet/").unwrap();
    reads(
        &d,
        &axe,
        &format!("{base}/carnet/{mot}"),
        &format!("mot-{mot}-texte"),
        "Merci de signer.",
    )
    .await;
    d.goto(&format!("{base}/messagerie")).await;
    let inbox = d.wait_for("Rendez-vous").await;
    let message = id_after(&inbox, "href=\"/messagerie/").unwrap();
    reads(
        &d,
        &axe,
        &format!("{base}/messagerie/{message}"),
        &format!("m{message}-texte"),
        "Pouvons-nous nous voir jeudi",
    )
    .await;
    d.goto(&format!("{base}/actualites")).await;
    let list = d.wait_for("Fête de l").await;
    let item = id_after(&list, "href=\"/actualites/").unwrap();
    reads(
        &d,
        &axe,
        &format!("{base}/actualites"),
        &format!("actualite-{item}-apercu"),
        "Fête de l'école. La fête aura lieu samedi",
    )
    .await;
    reads(
        &d,
        &axe,
        &format!("{base}/actualites/{item}"),
        &format!("actualite-{item}"),
        "La fête aura lieu samedi dans la cour.",
    )
    .await;
    reads(
        &d,
        &axe,
        &format!("{base}/cantine?semaine={monday}"),
        &format!("menu-{monday}"),
        "Lasagnes aux légumes",
    )
    .await;
    // One reading at a time: Tuesday's button stops Monday's reading.
    let tuesday = monday.tomorrow().unwrap();
    d.click(&format!("button[data-ecouter~='menu-{monday}']"))
        .await;
    d.click(&format!("button[data-ecouter~='menu-{tuesday}']"))
        .await;
    let pressed = d
        .script(&format!(
            "return [\"{monday}\", \"{tuesday}\"].map(d => document.querySelector(`button[data-ecouter~='menu-${{d}}']`).getAttribute('aria-pressed')).concat([window.__spoken.length]);"
        ))
        .await;
    assert_eq!(
        pressed,
        json!(["false", "true", 3]),
        "one reading at a time"
    );
    reads(
        &d,
        &axe,
        &format!("{base}/devoirs/{work}?eleve={}", f.lou),
        &format!("consigne-{work}"),
        "Apprends les deux premières strophes",
    )
    .await;

    // Only an English voice on the device: no button that would read French badly, but
    // the teacher's recording is still offered.
    d.script("window.localStorage.setItem('ecouter-voix', 'en');")
        .await;
    d.goto(&format!("{base}/actualites/{item}")).await;
    d.wait_for("La fête aura lieu").await;
    let hidden = d
        .script("const all = [...document.querySelectorAll('button[data-ecouter]')]; return all.length > 0 && all.every(b => b.hidden);")
        .await;
    assert_eq!(hidden, json!(true), "no French voice, no button");
    d.goto(&format!("{base}/devoirs/{recorded}?eleve={}", f.lou))
        .await;
    assert!(
        wait_visible(&d, &format!("button[data-ecouter='consigne-{recorded}']")).await,
        "the recording needs no voice"
    );
    d.script("window.localStorage.removeItem('ecouter-voix');")
        .await;
    d.quit().await;
}
